#!/usr/bin/env python3
"""llama.cpp prefill and batch-1 decode speed on a GGUF (reference numbers for
the JMH benchmarks EnginePrefillBenchmark and EngineDecodeBenchmark).

Loads the model with llama-cpp-python:
  Llama(model_path, n_ctx=1024, n_threads=T, n_threads_batch=T, n_batch=512, verbose=False)
(flash attention off, llama-cpp-python's default; F16 KV cache), then:

  prefill  ONE llm.eval(tokens) of the first 512 tokens of prose-en.txt
           (tokenized by llama.cpp, add_bos=False, special=False) into an
           emptied KV cache (llm.reset() + kv_cache_clear() before each run,
           untimed).  Only the last row of logits is computed and copied
           (logits_all=False), as in the Java benchmark.  The token ids may
           differ slightly from the Java tokenizer's (they are equal on the
           reference corpus); the count, 512, is the same.
  decode   the first 16 tokens of the same text as a prompt (one llama_decode,
           untimed), then 64 tokens one llama_decode each, each the argmax of
           the previous logits (first index on ties): the low-level loop of
           scripts/reference/logits_reference.py greedy(), with the batch and
           its one-token array built once, so Python adds little per token.
  python   the per-token Python overhead alone: the same loop (get the logits
           pointer, numpy view, argmax, store the token) without llama_decode,
           on the last logits.  Already included in the decode time; reported
           so the comparison with the Java loop (JNI copy of the logits row +
           Java argmax, also included there) is honest.

Each is run --warmup times untimed, then --runs times; the JSON has median,
min and max of tokens/s and milliseconds per run, and model_tensor_bytes
(llama_model_size: the sum of the tensor sizes in the file, i.e. what one
batch-1 decode step reads when the output matrix is the embedding matrix).

Run with the throwaway reference venv, e.g.
  "$(scripts/reference/make-venv)" scripts/bench/llamacpp-engine-bench.py smollm2-135m-instruct --threads 2
Model: a roster name (see scripts/reference/roster.py) or a .gguf path.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts", "reference"))
import roster  # noqa: E402

DEFAULT_TEXT = os.path.join(ROOT, "benchmarks", "src", "main", "resources", "prose-en.txt")
N_CTX = 1024
N_BATCH = 512
PREFILL_TOKENS = 512
PROMPT_TOKENS = 16
DECODE_TOKENS = 64


def summary(seconds, tokens):
    tps = [tokens / s for s in seconds]
    ms = [s * 1e3 for s in seconds]
    return {
        "runs": len(seconds),
        "tokens_per_run": tokens,
        "tokens_per_s": {"median": statistics.median(tps), "min": min(tps), "max": max(tps)},
        "ms_per_run": {"median": statistics.median(ms), "min": min(ms), "max": max(ms)},
    }


def new_llama(path, threads, no_repack):
    """The Llama object; with no_repack, model_params.use_extra_bufts=False (llama.cpp --no-repack).

    llama-cpp-python has no constructor argument for it, so the default model params are patched
    while the model loads (as scripts/reference/logits_reference.py does: this llama.cpp build's
    AMX matmul segfaults on AMX-capable CPUs).
    """
    import llama_cpp.llama_cpp as lc
    from llama_cpp import Llama

    orig = lc.llama_model_default_params

    def patched():
        mp = orig()
        mp.use_extra_bufts = False
        return mp

    if no_repack:
        lc.llama_model_default_params = patched
    try:
        return Llama(model_path=path, n_ctx=N_CTX, n_threads=threads, n_threads_batch=threads,
                     n_batch=N_BATCH, verbose=False)
    finally:
        lc.llama_model_default_params = orig


def main():
    ap = argparse.ArgumentParser(description="llama.cpp prefill and decode tokens/s")
    ap.add_argument("model", nargs="?", default="smollm2-135m-instruct",
                    help="roster name or path to a .gguf (default: smollm2-135m-instruct)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--text", default=DEFAULT_TEXT, help="UTF-8 text file (default: prose-en.txt)")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each measurement (R)")
    ap.add_argument("--no-repack", action="store_true",
                    help="use_extra_bufts=False: no repacked/AMX weight buffers (needed on AMX CPUs)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = ap.parse_args()

    import llama_cpp
    import numpy as np

    path = roster.model_path(args.model) if args.model in roster.ROSTER else args.model
    if not os.path.isfile(path):
        ap.error(f"model not found: {path}")
    with open(args.text, "rb") as f:
        data = f.read()

    load_avg_before = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    llm = new_llama(path, args.threads, args.no_repack)
    ctx = llm._ctx.ctx
    n_vocab = llm.n_vocab()
    all_tokens = llm.tokenize(data, add_bos=False, special=False)
    assert len(all_tokens) >= PREFILL_TOKENS
    prefill_tokens = all_tokens[:PREFILL_TOKENS]
    prompt = all_tokens[:PROMPT_TOKENS]

    def clear():
        llm.reset()
        llm._ctx.kv_cache_clear()

    # (a) prefill: one llm.eval of 512 tokens
    def prefill():
        clear()
        t0 = time.perf_counter()
        llm.eval(prefill_tokens)
        return time.perf_counter() - t0

    # (b) decode: low-level llama_decode + llama_get_logits_ith, 64 single-token steps
    prompt_arr = (llama_cpp.llama_token * PROMPT_TOKENS)(*prompt)
    prompt_batch = llama_cpp.llama_batch_get_one(prompt_arr, PROMPT_TOKENS)
    one = (llama_cpp.llama_token * 1)()
    one_batch = llama_cpp.llama_batch_get_one(one, 1)
    decode_fn = llama_cpp.llama_decode
    logits_fn = llama_cpp.llama_get_logits_ith
    as_array = np.ctypeslib.as_array
    argmax = np.argmax

    def decode():
        clear()
        if decode_fn(ctx, prompt_batch) != 0:
            raise RuntimeError("llama_decode failed on the prompt")
        t0 = time.perf_counter()
        for _ in range(DECODE_TOKENS):
            one[0] = int(argmax(as_array(logits_fn(ctx, -1), shape=(n_vocab,))))
            if decode_fn(ctx, one_batch) != 0:
                raise RuntimeError("llama_decode failed")
        llama_cpp.llama_synchronize(ctx)
        return time.perf_counter() - t0

    # (c) the same loop without llama_decode: Python's share of a decode step
    def python_only():
        t0 = time.perf_counter()
        for _ in range(DECODE_TOKENS):
            one[0] = int(argmax(as_array(logits_fn(ctx, -1), shape=(n_vocab,))))
        return time.perf_counter() - t0

    def bench(fn, warmup, runs):
        for _ in range(warmup):
            fn()
        return [fn() for _ in range(runs)]

    pre = bench(prefill, args.warmup, args.runs)
    dec = bench(decode, args.warmup, args.runs)
    py = bench(python_only, args.warmup, max(args.runs, 20))

    cp = llm.context_params
    result = {
        "model": os.path.basename(path),
        "file_bytes": os.path.getsize(path),
        "model_tensor_bytes": int(llama_cpp.llama_model_size(llm._model.model)),
        "model_tensor_bytes_note": "llama_model_size: sum of the sizes of all tensors in the file",
        "threads": args.threads,
        "settings": {"n_ctx": llm.n_ctx(), "n_batch": cp.n_batch, "n_ubatch": cp.n_ubatch,
                     "n_threads": cp.n_threads, "n_threads_batch": cp.n_threads_batch,
                     "flash_attn_type": cp.flash_attn_type, "type_k": cp.type_k, "type_v": cp.type_v,
                     "use_extra_bufts": not args.no_repack},
        "system_info": llama_cpp.llama_print_system_info().decode("utf-8").strip(),
        "llama_cpp_python": llama_cpp.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "warmup": args.warmup,
        "prefill": dict(summary(pre, PREFILL_TOKENS), method=(
            "one llm.eval of the first 512 tokens of the text (llama.cpp's tokenization, add_bos=False, "
            "special=False; the ids may differ slightly from AgentCouncil's, the count is the same) "
            "into an emptied KV cache")),
        "decode": dict(summary(dec, DECODE_TOKENS), method=(
            "16-token prompt (untimed), then 64 x (argmax of llama_get_logits_ith(ctx, -1) as a numpy "
            "view, llama_decode of that one token); Python overhead included, see python_overhead")),
        "python_overhead": {
            "us_per_token_median": statistics.median(py) / DECODE_TOKENS * 1e6,
            "us_per_token_min": min(py) / DECODE_TOKENS * 1e6,
            "share_of_decode_median": statistics.median(py) / statistics.median(dec),
            "method": "the decode loop without llama_decode: logits pointer, numpy view, argmax, store",
        },
        "loadavg_before": load_avg_before,
    }
    if hasattr(os, "getloadavg"):
        result["loadavg_after"] = list(os.getloadavg())

    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"model    {result['model']}  (llama-cpp-python {result['llama_cpp_python']}, {args.threads} threads)")
    print(f"         {result['system_info']}")
    for key in ("prefill", "decode"):
        r = result[key]
        t = r["tokens_per_s"]
        print(f"{key:8s} {t['median']:8.1f} tokens/s median (min {t['min']:.1f}, max {t['max']:.1f}) over "
              f"{r['runs']} runs of {r['tokens_per_run']} tokens, {r['ms_per_run']['median']:.1f} ms/run")
    po = result["python_overhead"]
    print(f"python   {po['us_per_token_median']:.1f} us/token of the decode loop without llama_decode "
          f"({po['share_of_decode_median'] * 100:.2f}% of a decode step)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
