#!/usr/bin/env python3
"""Write llama.cpp logits reference files ("correctness against llama.cpp").

For each selected roster model present (default: smollm2-135m-instruct), runs
12 prompts through llama.cpp (llama-cpp-python) and writes
java-api/src/test/resources/reference/logits-<roster-name>.json with

  * teacher-forced logits: the sequence prompt + a FIXED, hand-written
    continuation (CASES below; tokenized separately and concatenated) is
    evaluated with one llm.eval(tokens) call on a fresh context, logits for
    every position (logits_all=True); per position the top-1 id, the 10
    highest (id, logit) pairs, the log-sum-exp over the whole vocabulary and
    the logits of 64 fixed "probe" ids (seeded RNG, stored once);
  * greedy: 64 tokens generated from the prompt alone with the low-level API
    (llama_decode(llama_batch_get_one(prompt)), then one token per
    llama_decode, next = argmax of llama_get_logits_ith(ctx, -1), first index
    on ties; no sampler, no penalties; never stops early, EOS recorded);
  * variation: how far llama.cpp moves from its own numbers when only the
    evaluation schedule or the attention kernel changes (a tolerance hint).

llama.cpp must run its AVX2 CPU kernels (make-venv builds it so; the header's
settings.system_info says what ran): the engine rounds as those do, and on an
AVX-512 build llama.cpp's own numbers move by up to the variation figures.

Chat prompts are rendered with the GGUF's own chat template through
chat_reference.hf_environment() (transformers' apply_chat_template rules);
raw prompts are plain completion text.  Every text is tokenized by llama.cpp
with add_bos=True (llama.cpp adds BOS only if the vocab says add_bos_token)
and special=True (control-token text such as <|im_end|> is parsed).

Run it through scripts/reference/make-logits-reference (provides the venv).
Deterministic: no timestamps; logits rounded to 5 decimals.
"""

import argparse
import ctypes
import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import roster  # noqa: E402
import chat_reference  # noqa: E402

DEFAULT_MODELS = ["smollm2-135m-instruct"]
N_CTX = 512
N_BATCH = 512
N_THREADS = 2
N_TOP = 10
N_PROBE = 64
PROBE_SEED = 20250102
N_GREEDY = 64
MIN_FORCED = 56      # continuation tokens per sequence, at least (Gemma 3's tokenizer makes
                     # raw-question's 62); every sequence has MIN_TOTAL >= 64 positions
MIN_TOTAL = 72       # prompt + continuation tokens per sequence, at least (Qwen2.5's
                     # tokenizer makes raw-question 79 tokens in all)
DECIMALS = 5

# (id, kind, prompt, continuation).  kind "chat": prompt is a message list
# rendered with add_generation_prompt=True; kind "raw": prompt is text.
# The continuation is fixed text (not the model's own output), so the
# teacher-forced positions also cover tokens the model would not pick; chat
# continuations close the turn with <|im_end|> and open another, to put
# control tokens in the middle of a sequence.
CASES = [
    ("chat-capital", "chat",
     [{"role": "user", "content": "What is the capital of France?"}],
     "The capital of France is Paris. It is also the largest city in the country, "
     "located on the Seine river in the north of France. Paris is famous for the Eiffel "
     "Tower, the Louvre museum and its cafes.<|im_end|>\n<|im_start|>user\n"
     "And the capital of Italy?<|im_end|>\n<|im_start|>assistant\nRome."),
    ("chat-system-sky", "chat",
     [{"role": "system", "content": "You are a terse assistant. Answer in one sentence."},
      {"role": "user", "content": "Why is the sky blue?"}],
     "Sunlight is scattered by the molecules in the air, and blue light, having a "
     "shorter wavelength, is scattered much more than red light, so the sky looks blue "
     "from every direction during the day.<|im_end|>\n<|im_start|>user\nThanks! And why are "
     "sunsets red?<|im_end|>\n<|im_start|>assistant\nAt sunset the light crosses much more air, "
     "so most blue light is scattered away before it reaches you."),
    ("chat-code", "chat",
     [{"role": "user", "content": "Write a Python function that returns the n-th Fibonacci number."}],
     "Here is a simple iterative version:\n\n```python\ndef fibonacci(n):\n"
     "    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```\n\n"
     "For example, `fibonacci(10)` returns `55`.<|im_end|>\n"),
    ("chat-multiturn", "chat",
     [{"role": "user", "content": "Hi!"},
      {"role": "assistant", "content": "Hello! How can I help you today?"},
      {"role": "user", "content": "Give me three tips for learning to cook."}],
     "1. Start with simple recipes that use few ingredients, such as pasta or eggs.\n"
     "2. Taste your food while you cook and adjust the salt step by step.\n"
     "3. Cook often: practice is the fastest way to build confidence in the kitchen."
     "<|im_end|>\n<|im_start|>user\nWhat should I cook first?<|im_end|>\n"
     "<|im_start|>assistant\nAn omelette."),
    ("chat-arithmetic", "chat",
     [{"role": "user", "content": "What is 17 * 23?"}],
     "17 * 23 = 391. You can check it by splitting the product: 17 * 20 = 340 and "
     "17 * 3 = 51, and 340 + 51 = 391.<|im_end|>\n<|im_start|>user\nAnd 391 / 17?"
     "<|im_end|>\n<|im_start|>assistant\n391 / 17 = 23."),
    ("chat-unicode", "chat",
     [{"role": "user", "content": "Traduis en anglais : « Le chat dort sur le canapé. » 🐱"}],
     "« The cat is sleeping on the sofa. » 😺 In French, « canapé » means sofa or couch; "
     "it is also the word for a small piece of bread with a topping, served as an "
     "appetizer. Voilà !<|im_end|>\n<|im_start|>user\nMerci ! Et « le chien » ?<|im_end|>\n"
     "<|im_start|>assistant\n« Le chien » means the dog. 🐶"),
    ("chat-list", "chat",
     [{"role": "user", "content": "List the planets of the solar system."}],
     "The eight planets, in order from the Sun, are:\n\n- Mercury\n- Venus\n- Earth\n"
     "- Mars\n- Jupiter\n- Saturn\n- Uranus\n- Neptune\n\nPluto was reclassified as a "
     "dwarf planet in 2006. Jupiter is the largest planet and Mercury the smallest.<|im_end|>\n"),
    ("raw-prose", "raw",
     "The old lighthouse keeper climbed the spiral stairs every evening, and",
     " every evening he stopped at the small window halfway up to look at the sea. "
     "On calm nights the water was black and still; on stormy nights the waves broke "
     "against the rocks below with a sound like distant thunder, and he would stay awake "
     "until dawn, watching the light turn. In the morning he wrote the weather in a "
     "leather notebook and went to sleep."),
    ("raw-code", "raw",
     "def quicksort(arr):\n    ",
     "if len(arr) <= 1:\n        return arr\n    pivot = arr[len(arr) // 2]\n"
     "    left = [x for x in arr if x < pivot]\n    middle = [x for x in arr if x == pivot]\n"
     "    right = [x for x in arr if x > pivot]\n    return quicksort(left) + middle + "
     "quicksort(right)\n\n\nprint(quicksort([3, 6, 8, 10, 1, 2, 1]))\n"),
    ("raw-arithmetic", "raw",
     "2 + 2 = 4\n3 + 5 = 8\n7 + 6 =",
     " 13\n9 + 9 = 18\n12 + 30 = 42\n100 - 37 = 63\n8 * 7 = 56\n144 / 12 = 12\n"
     "15 + 27 = 42\n1000 - 1 = 999\n6 * 6 = 36\n81 / 9 = 9\n"),
    ("raw-list", "raw",
     "Shopping list:\n1. Milk\n2. Eggs\n3.",
     " Bread\n4. Butter\n5. Apples\n6. Coffee\n7. Rice\n8. Tomatoes\n9. Cheese\n"
     "10. Orange juice\n11. Chicken\n12. Olive oil\n13. Onions\n14. Garlic\n15. Yogurt\n"
     "16. Carrots\n17. Pepper\n"),
    ("raw-question", "raw",
     "Q: Who wrote the novel Pride and Prejudice?\nA:",
     " Jane Austen wrote Pride and Prejudice. It was first published in 1813 and follows "
     "Elizabeth Bennet, one of five sisters, and her changing opinion of the proud Mr. "
     "Darcy.\n\nQ: Who wrote Moby-Dick?\nA: Herman Melville, in 1851.\n"),
]

FORMAT = (
    "llama.cpp logits reference, made by scripts/reference/make-logits-reference "
    "(logits_reference.py). All token ids are ids of this GGUF's vocabulary. "
    "sequences[i].tokens = prompt tokens (the first n_prompt ids) followed by a FIXED "
    "hand-written continuation (continuation_text, NOT the model's own output), each part "
    "tokenized by llama.cpp separately (add_bos=True: a BOS only if the vocab's "
    "add_bos_token says so; special=True: control-token text is parsed) and concatenated. "
    "kind 'chat': prompt_text is messages rendered with the GGUF chat template and "
    "add_generation_prompt=true; kind 'raw': prompt_text is plain completion text. "
    "The whole tokens list was evaluated in ONE llama_decode batch (teacher forcing) on a "
    "fresh context with logits for every position. positions[p] describes the logits "
    "computed at position p, i.e. the prediction of the token at p+1 after seeing "
    "tokens[0..p] (len(positions) == len(tokens)): top1 = argmax id (lowest id on ties); "
    "top = the 10 highest [id, logit] pairs, logit descending (ties: lower id first); "
    "lse = log(sum(exp(logit))) over the whole vocabulary (so log-prob = logit - lse); "
    "probe = the logits of the ids in the top-level probe_ids list, same order "
    "(probe_ids: 64 distinct ids drawn once with random.Random(probe_seed).sample over "
    "range(n_vocab), then sorted). Logits are raw (no temperature/softmax), rounded to 5 "
    "decimals. sequences[i].greedy: tokens = the 64 ids llama.cpp generates greedily from "
    "the prompt alone (prompt decoded as one batch, then one token per decode; next = "
    "argmax of the last logits, lowest id on ties; no sampler, no penalties; generation "
    "does NOT stop at EOS), eos_at = index in greedy.tokens of the first EOS/EOG id or null. "
    "settings: the llama.cpp context settings used (KV cache F16, flash attention OFF). "
    "variation: max |logit difference| llama.cpp itself shows over all positions and all "
    "vocab ids when only the schedule or attention kernel changes (one token per decode "
    "instead of one batch; flash attention on) - a hint for test tolerances."
)


def r(x):
    v = round(float(x), DECIMALS)
    return 0.0 if v == 0 else v  # no -0.0


def probe_ids(n_vocab):
    return sorted(random.Random(PROBE_SEED).sample(range(n_vocab), N_PROBE))


def new_llama(path, flash_attn=False):
    """Llama(...) with use_extra_bufts=False (llama.cpp's --no-repack).

    The llama.cpp CPU build used here registers the AMX extra buffer type on
    AMX-capable CPUs, and ggml_backend_amx_mul_mat segfaults in the first
    llama_decode (seen for Q4_1 and Q4_K_M models alike).  llama-cpp-python has
    no constructor argument for it, so the model params are patched while the
    model loads.  Without extra buffer types every weight matmul takes ggml's
    generic CPU path for its quantization type (no AMX, no weight repacking).
    """
    import llama_cpp.llama_cpp as lc
    from llama_cpp import Llama

    orig = lc.llama_model_default_params

    def patched():
        mp = orig()
        mp.use_extra_bufts = False
        return mp

    lc.llama_model_default_params = patched
    try:
        llm = Llama(model_path=path, n_ctx=N_CTX, n_threads=N_THREADS,
                    n_threads_batch=N_THREADS, n_batch=N_BATCH, logits_all=True,
                    flash_attn=flash_attn, verbose=False)
    finally:
        lc.llama_model_default_params = orig
    assert not llm.model_params.use_extra_bufts
    return llm


def settings_of(llm):
    import llama_cpp

    cp = llm.context_params
    mp = llm.model_params
    ggml_types = {getattr(llama_cpp, n): n[len("GGML_TYPE_"):].lower()
                  for n in dir(llama_cpp) if n.startswith("GGML_TYPE_")
                  and isinstance(getattr(llama_cpp, n), int)}
    fa = {llama_cpp.LLAMA_FLASH_ATTN_TYPE_AUTO: "auto",
          llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED: "disabled",
          llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED: "enabled"}
    return {
        "constructor": (f"Llama(model_path, n_ctx={N_CTX}, n_threads={N_THREADS}, "
                        f"n_threads_batch={N_THREADS}, n_batch={N_BATCH}, logits_all=True, "
                        "verbose=False) with model_params.use_extra_bufts=False"),
        "n_ctx": llm.n_ctx(),
        "n_batch": cp.n_batch,
        "n_ubatch": cp.n_ubatch,
        "n_threads": cp.n_threads,
        "n_threads_batch": cp.n_threads_batch,
        "type_k": ggml_types.get(cp.type_k, cp.type_k),
        "type_v": ggml_types.get(cp.type_v, cp.type_v),
        "flash_attn_type": fa.get(cp.flash_attn_type, cp.flash_attn_type),
        "flash_attn_note": ("llama-cpp-python's default (flash_attn=False -> DISABLED); "
                            "llama.cpp's own llama_context_default_params() says AUTO, which "
                            "enables it on CPU. See variation.flash_attn_on for the difference."),
        "rope_scaling_type": cp.rope_scaling_type,
        "rope_freq_base": cp.rope_freq_base,
        "rope_freq_scale": cp.rope_freq_scale,
        "swa_full": bool(cp.swa_full),
        "offload_kqv": bool(cp.offload_kqv),
        "n_gpu_layers": mp.n_gpu_layers,
        "use_extra_bufts": bool(mp.use_extra_bufts),
        "use_extra_bufts_note": ("false = llama.cpp --no-repack: no AMX / repacked weight "
                                 "buffers; the AMX matmul of this llama.cpp build segfaults on "
                                 "the AMX-capable CPU the file was made on, so every matmul "
                                 "uses ggml's generic CPU kernels"),
        "backend": "CPU",
        "system_info": llama_cpp.llama_print_system_info().decode("utf-8").strip(),
    }


def render_prompts(path, llm, cases):
    """[(case, prompt_text)], chat cases rendered with the GGUF template."""
    template = chat_reference.gguf_chat_template(path)
    m = llm._model
    bos = m.token_get_text(llm.token_bos()) if llm.token_bos() >= 0 else None
    eos = m.token_get_text(llm.token_eos()) if llm.token_eos() >= 0 else None
    compiled = chat_reference.hf_environment().from_string(template) if template else None
    out = []
    for case in cases:
        cid, kind, prompt, _cont = case
        if kind == "chat" and compiled is None:
            # A base model without a chat template (Gemma 3 270M): the conversation as plain
            # text, so that it still has 10 or more sequences.
            kind = "chat-as-text"
            text = "".join(f"{m['role'].capitalize()}: {m['content']}\n" for m in prompt) + "Assistant:"
        elif kind == "chat":
            text = compiled.render(messages=prompt, tools=None, documents=None,
                                   add_generation_prompt=True, bos_token=bos, eos_token=eos)
        else:
            text = prompt
        out.append(((cid, kind, prompt, _cont), text))
    return out


def is_eog(llm, t):
    import llama_cpp

    return bool(llama_cpp.llama_vocab_is_eog(llm._model.vocab, t))


def top_k(row, k):
    import numpy as np

    # stable sort on -logit: ties keep ascending id order
    idx = np.argsort(-row, kind="stable")[:k]
    return [[int(i), r(row[i])] for i in idx]


def lse(row):
    import numpy as np

    x = row.astype(np.float64)
    mx = float(x.max())
    return mx + math.log(float(np.exp(x - mx).sum()))


def teacher_forced(llm, tokens):
    """float32 logits [len(tokens), n_vocab] from one llm.eval on a fresh context."""
    import numpy as np

    llm.reset()
    llm._ctx.kv_cache_clear()
    llm.eval(tokens)
    return np.array(llm.scores[:len(tokens), :], dtype=np.float32, copy=True)


def one_by_one(llm, tokens):
    """Same sequence, one token per llm.eval (KV cache reused)."""
    import numpy as np

    llm.reset()
    llm._ctx.kv_cache_clear()
    for t in tokens:
        llm.eval([t])
    return np.array(llm.scores[:len(tokens), :], dtype=np.float32, copy=True)


def greedy(llm, prompt, n):
    """Low-level greedy loop: llama_decode + llama_get_logits_ith(ctx, -1) + argmax."""
    import llama_cpp
    import numpy as np

    ctx = llm._ctx.ctx
    n_vocab = llm.n_vocab()
    llm.reset()
    llm._ctx.kv_cache_clear()

    def decode(ids):
        arr = (llama_cpp.llama_token * len(ids))(*ids)
        rc = llama_cpp.llama_decode(ctx, llama_cpp.llama_batch_get_one(arr, len(ids)))
        if rc != 0:
            raise RuntimeError(f"llama_decode returned {rc}")
        ptr = llama_cpp.llama_get_logits_ith(ctx, -1)
        return np.ctypeslib.as_array(ptr, shape=(n_vocab,)).copy()

    out = []
    logits = decode(prompt)
    for _ in range(n):
        t = int(np.argmax(logits))  # first index on ties
        out.append(t)
        logits = decode([t])
    llm.reset()
    llm._ctx.kv_cache_clear()
    return out


def dump(obj):
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":"))


def write_json(path, header, sequences):
    """Stable, diff-friendly layout: one line per position."""
    lines = ["{"]
    for k, v in header.items():
        lines.append(f" {json.dumps(k)}: {dump(v)},")
    lines.append(' "sequences": [')
    for si, s in enumerate(sequences):
        lines.append("  {")
        for k, v in s.items():
            if k == "positions":
                continue
            lines.append(f"   {json.dumps(k)}: {dump(v)},")
        lines.append('   "positions": [')
        pos = s["positions"]
        for pi, p in enumerate(pos):
            lines.append("    " + dump(p) + ("," if pi + 1 < len(pos) else ""))
        lines.append("   ]")
        lines.append("  }" + ("," if si + 1 < len(sequences) else ""))
    lines.append(" ]")
    lines.append("}")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def generate(name, path, out_dir, variation=True):
    import llama_cpp
    import numpy as np

    llm = new_llama(path)
    n_vocab = llm.n_vocab()
    probes = probe_ids(n_vocab)
    probe_arr = np.array(probes)
    sequences = []
    max_d_serial = 0.0
    greedy_prefix_agree = []
    all_tokens = []
    for (cid, kind, prompt, cont), text in render_prompts(path, llm, CASES):
        ptoks = llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)
        ctoks = llm.tokenize(cont.encode("utf-8"), add_bos=False, special=True)
        tokens = ptoks + ctoks
        assert len(ctoks) >= MIN_FORCED, f"{cid}: continuation has {len(ctoks)} tokens"
        assert len(tokens) >= MIN_TOTAL, f"{cid}: {len(tokens)} tokens in all"
        assert len(tokens) <= N_CTX and len(ptoks) + N_GREEDY <= N_CTX
        logits = teacher_forced(llm, tokens)
        positions = []
        for p in range(len(tokens)):
            row = logits[p]
            positions.append({
                "top1": int(np.argmax(row)),
                "top": top_k(row, N_TOP),
                "lse": r(lse(row)),
                "probe": [r(v) for v in row[probe_arr]],
            })
        g = greedy(llm, ptoks, N_GREEDY)
        eos_at = next((i for i, t in enumerate(g) if is_eog(llm, t)), None)
        seq = {
            "id": cid,
            "kind": kind,
            "prompt_text": text,
            "continuation_text": cont,
            "n_prompt": len(ptoks),
            "tokens": tokens,
            "greedy": {"tokens": g, "eos_at": eos_at},
            "positions": positions,
        }
        if kind == "chat":
            seq["messages"] = prompt
        sequences.append(seq)
        all_tokens.append(tokens)
        if variation:
            serial = one_by_one(llm, tokens)
            max_d_serial = max(max_d_serial, float(np.abs(serial - logits).max()))
        print(f"  {cid}: {len(ptoks)} + {len(ctoks)} tokens, greedy eos_at={eos_at}",
              file=sys.stderr)

    header = {
        "format": FORMAT,
        "model": os.path.basename(path),
        "roster_name": name,
        "sha256": roster.sha256_of(name, path),
        "llama_cpp_python": llama_cpp.__version__,
        "settings": settings_of(llm),
        "n_vocab": n_vocab,
        "bos_id": llm.token_bos(),
        "eos_id": llm.token_eos(),
        "add_bos_token": bool(llm._model.add_bos_token()),
        "decimals": DECIMALS,
        "probe_seed": PROBE_SEED,
        "probe_ids": probes,
    }
    del llm
    if variation:
        # flash attention off (as stored) vs on, same batch schedule
        off = new_llama(path)
        on = new_llama(path, flash_attn=True)
        max_d_fa = 0.0
        for tokens in all_tokens:
            a = teacher_forced(off, tokens)
            b = teacher_forced(on, tokens)
            max_d_fa = max(max_d_fa, float(np.abs(a - b).max()))
        del off, on
        header["variation"] = {
            "one_token_per_decode": round(max_d_serial, 4),
            "flash_attn_on": round(max_d_fa, 4),
            "note": ("max over all sequences, positions and vocab ids of |logit - stored "
                     "logit| (unrounded) when the same tokens are evaluated one token per "
                     "decode, resp. in one batch with flash attention enabled"),
        }
    out = os.path.join(out_dir, f"logits-{name}.json")
    write_json(out, header, sequences)
    return out


def main():
    ap = argparse.ArgumentParser(description="llama.cpp logits reference generator")
    ap.add_argument("models", nargs="*",
                    help=f"roster names (default: {' '.join(DEFAULT_MODELS)})")
    ap.add_argument("--out-dir", default=roster.REFERENCE_DIR)
    ap.add_argument("--no-variation", action="store_true",
                    help="skip the variation measurements (faster)")
    args = ap.parse_args()
    selected = args.models or DEFAULT_MODELS
    unknown = [m for m in selected if m not in roster.ROSTER]
    if unknown:
        ap.error(f"unknown roster names: {unknown}; known: {list(roster.ROSTER)}")
    present = roster.present_models(selected)
    for name in selected:
        if name not in dict(present):
            print(f"skip {name}: {roster.model_path(name)} not found", file=sys.stderr)
    if not present:
        return 1
    for name, path in present:
        out = generate(name, path, args.out_dir, variation=not args.no_variation)
        print(f"{name}: wrote {out} ({os.path.getsize(out)} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
