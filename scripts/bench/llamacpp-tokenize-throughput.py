#!/usr/bin/env python3
"""llama.cpp tokenizer throughput on a text file (reference numbers for the
Java tokenizer benchmarks).

Loads a GGUF vocabulary with llama-cpp-python (vocab_only=True) and tokenizes
the whole text (add_bos=False, special=False) repeatedly: --warmup untimed
runs, then --runs timed runs (time.perf_counter around one tokenization each).
Reports median / p10 / p90 of MB/s (MB = 10^6 bytes of UTF-8 input) and
tokens/s, plus the token count, for two call paths:

  direct        llama_cpp.llama_tokenize(vocab, ...) into a preallocated buffer
                of len(bytes)+16 tokens: one pass of llama.cpp's tokenizer
                (plus ctypes call overhead).  This is the headline number.
  llm.tokenize  Llama.tokenize(text, add_bos=False, special=False), the public
                Python API.  With vocab_only=True it sizes its first buffer
                from n_ctx_train, which is 0 for a vocab-only load, so it
                tokenizes twice (first call only counts) and copies the result
                into a Python list: expect about half the direct rate.

Run with the throwaway reference venv, e.g.
  "$(scripts/reference/make-venv)" scripts/bench/llamacpp-tokenize-throughput.py smollm2-135m-instruct
Model: a roster name (see scripts/reference/roster.py) or a .gguf path.
"""

import argparse
import ctypes
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


def percentile(xs, p):
    """Linear interpolation between closest ranks (numpy's default)."""
    s = sorted(xs)
    k = (len(s) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summarize(seconds, nbytes, ntokens):
    mbs = [nbytes / 1e6 / t for t in seconds]
    tps = [ntokens / t for t in seconds]
    return {
        "runs": len(seconds),
        "seconds": {"median": statistics.median(seconds), "p10": percentile(seconds, 10),
                    "p90": percentile(seconds, 90), "min": min(seconds)},
        "mb_per_s": {"median": statistics.median(mbs), "p10": percentile(mbs, 10),
                     "p90": percentile(mbs, 90)},
        "tokens_per_s": {"median": statistics.median(tps), "p10": percentile(tps, 10),
                         "p90": percentile(tps, 90)},
    }


def bench(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main():
    ap = argparse.ArgumentParser(description="llama.cpp tokenizer throughput")
    ap.add_argument("model", nargs="?", default="smollm2-135m-instruct",
                    help="roster name or path to a .gguf (default: smollm2-135m-instruct)")
    ap.add_argument("--text", default=DEFAULT_TEXT, help="UTF-8 text file (default: prose-en.txt)")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = ap.parse_args()

    import llama_cpp
    from llama_cpp import Llama

    path = roster.model_path(args.model) if args.model in roster.ROSTER else args.model
    if not os.path.isfile(path):
        ap.error(f"model not found: {path}")
    with open(args.text, "rb") as f:
        data = f.read()
    data.decode("utf-8")  # must be valid UTF-8

    llm = Llama(model_path=path, vocab_only=True, verbose=False)
    vocab = llm._model.vocab
    cap = len(data) + 16
    buf = (llama_cpp.llama_token * cap)()

    def direct():
        n = llama_cpp.llama_tokenize(vocab, data, len(data), buf, cap, False, False)
        if n < 0:
            raise RuntimeError(f"buffer too small: {n}")
        return n

    def api():
        return llm.tokenize(data, add_bos=False, special=False)

    ntok = direct()
    toks = api()
    assert len(toks) == ntok and list(buf[:ntok]) == toks, "direct and llm.tokenize disagree"

    result = {
        "model": os.path.basename(path),
        "text": os.path.relpath(args.text, ROOT) if args.text.startswith(ROOT) else args.text,
        "bytes": len(data),
        "tokens": ntok,
        "bytes_per_token": len(data) / ntok,
        "warmup": args.warmup,
        "llama_cpp_python": llama_cpp.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "loadavg_before": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "direct": summarize(bench(direct, args.warmup, args.runs), len(data), ntok),
        "llm.tokenize": summarize(bench(api, args.warmup, args.runs), len(data), ntok),
    }
    if hasattr(os, "getloadavg"):
        result["loadavg_after"] = list(os.getloadavg())

    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"model   {result['model']}  (llama-cpp-python {result['llama_cpp_python']})")
    print(f"text    {result['text']}: {len(data)} bytes, {ntok} tokens "
          f"({result['bytes_per_token']:.3f} bytes/token)")
    print(f"runs    warmup {args.warmup}, timed {args.runs}; "
          f"loadavg {result['loadavg_before']} -> {result.get('loadavg_after')}")
    for key in ("direct", "llm.tokenize"):
        r = result[key]
        print(f"{key:13s} MB/s median {r['mb_per_s']['median']:.3f}  p10 {r['mb_per_s']['p10']:.3f}  "
              f"p90 {r['mb_per_s']['p90']:.3f} | tokens/s median {r['tokens_per_s']['median']:,.0f}  "
              f"p10 {r['tokens_per_s']['p10']:,.0f}  p90 {r['tokens_per_s']['p90']:,.0f} | "
              f"median {r['seconds']['median'] * 1e3:.2f} ms/run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
