#!/usr/bin/env python3
"""Build benchmarks/src/main/resources/prose-en.txt (~100 KB of English prose).

Source: the "question" fields of GSM8K's train split, in file order
(/work/shared/data/gsm8k/train.jsonl, override with --src), joined with one
blank line, stopping at the first question that brings the text to at least
--target bytes (UTF-8).  Ends with a single newline.  Deterministic.
See prose-en.SOURCE.md for provenance and licence.
"""

import argparse
import json
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", default="/work/shared/data/gsm8k/train.jsonl")
    ap.add_argument("--out", default=os.path.join(ROOT, "benchmarks/src/main/resources/prose-en.txt"))
    ap.add_argument("--target", type=int, default=100_000)
    args = ap.parse_args()
    parts, size = [], 0
    with open(args.src, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            q = json.loads(line)["question"].strip()
            parts.append(q)
            size += len(q.encode("utf-8")) + 2
            if size >= args.target:
                break
    text = "\n\n".join(parts) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"{len(parts)} questions, {len(text.encode('utf-8'))} bytes -> {args.out}")


if __name__ == "__main__":
    main()
