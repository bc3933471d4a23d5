#!/usr/bin/env python3
"""Write the llama.cpp logits reference of a synthetic GGUF (random weights, no tokenizer use).

No Qwen3 model (nor any Q5_K tensor) ships in a package the roster can fetch, so the qwen3
forward pass is checked on a small model with seeded random weights that the Java tests write
(java-api/src/test/java/io/agentcouncil/engine/SyntheticQwen3.java).  This script runs that
file through llama.cpp exactly as logits_reference.py runs the roster models, but on seeded
random token ids instead of rendered prompts:

  * teacher-forced logits of N_SEQ sequences of N_PROMPT + MIN_FORCED random ids, one
    llm.eval per sequence (batched, so ggml's matrix-matrix orders), per position the top-1,
    the 10 highest, the log-sum-exp and the probe logits;
  * greedy: N_GREEDY tokens from each sequence's first N_PROMPT ids, one token per decode
    (ggml's matrix-vector orders).

Output: java-api/src/test/resources/reference/logits-<name>.json, same format as the roster
files (kind "ids"), with the GGUF's sha256 in the header: the Java test regenerates the file
and refuses a reference made from other bytes.

Usage: scripts/reference/make-synthetic-reference NAME PATH   (e.g. qwen3-synthetic FILE)
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import logits_reference as lr  # noqa: E402
import roster  # noqa: E402

N_SEQ = 10
N_PROMPT = 8
SEED = 20261201


def generate(name, path, out_dir):
    import llama_cpp
    import numpy as np

    llm = lr.new_llama(path)
    n_vocab = llm.n_vocab()
    probes = lr.probe_ids(n_vocab)
    probe_arr = np.array(probes)
    rng = random.Random(SEED)
    sequences = []
    for i in range(N_SEQ):
        tokens = [rng.randrange(n_vocab) for _ in range(N_PROMPT + lr.MIN_FORCED)]
        logits = lr.teacher_forced(llm, tokens)
        positions = [{
            "top1": int(np.argmax(row)),
            "top": lr.top_k(row, lr.N_TOP),
            "lse": lr.r(lr.lse(row)),
            "probe": [lr.r(v) for v in row[probe_arr]],
        } for row in logits]
        g = lr.greedy(llm, tokens[:N_PROMPT], lr.N_GREEDY)
        sequences.append({
            "id": f"random-{i}",
            "kind": "ids",
            "n_prompt": N_PROMPT,
            "tokens": tokens,
            "greedy": {"tokens": g, "eos_at": None},
            "positions": positions,
        })
        print(f"  random-{i}: {len(tokens)} tokens", file=sys.stderr)
    header = {
        "format": ("llama.cpp logits reference of a synthetic GGUF, made by "
                   "scripts/reference/make-synthetic-reference (synthetic_reference.py): "
                   "sequences of seeded random token ids, teacher-forced in one batch, and "
                   "greedy continuations of their first n_prompt ids; otherwise as the roster "
                   "files (logits_reference.py)"),
        "model": os.path.basename(path),
        "roster_name": name,
        "sha256": roster.sha256_file(path),
        "llama_cpp_python": llama_cpp.__version__,
        "settings": lr.settings_of(llm),
        "n_vocab": n_vocab,
        "decimals": lr.DECIMALS,
        "probe_seed": lr.PROBE_SEED,
        "probe_ids": probes,
    }
    out = os.path.join(out_dir, f"logits-{name}.json")
    lr.write_json(out, header, sequences)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name", help="reference name, e.g. qwen3-synthetic")
    ap.add_argument("path", help="the synthetic GGUF file")
    ap.add_argument("--out-dir", default=roster.REFERENCE_DIR)
    args = ap.parse_args()
    out = generate(args.name, args.path, args.out_dir)
    print(f"{args.name}: wrote {out} ({os.path.getsize(out)} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
