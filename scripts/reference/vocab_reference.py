#!/usr/bin/env python3
"""Dump llama.cpp's view of each roster model's special tokens into
java-api/src/test/resources/reference/vocab-<name>.json: which ids carry the CONTROL or
USER_DEFINED attribute after llama.cpp's own overrides, which end generation, and BOS/EOS/EOT.
Run inside the reference venv (make-venv)."""
import json
import os
import sys
from pathlib import Path

import llama_cpp

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "java-api/src/test/resources/reference"
CONTROL, USER_DEFINED = 1 << 3, 1 << 4


def main() -> int:
    models_dir = Path(os.environ.get("AGENTCOUNCIL_MODELS", Path.home() / ".cache/agentcouncil/models"))
    for m in json.loads((ROOT / "models.json").read_text())["models"]:
        path = models_dir / m["file"]
        if not path.exists():
            print(f"skip {m['name']}: {path} not fetched", file=sys.stderr)
            continue
        llm = llama_cpp.Llama(str(path), vocab_only=True, verbose=False)
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        n = llama_cpp.llama_vocab_n_tokens(vocab)
        attrs = [llama_cpp.llama_vocab_get_attr(vocab, i) for i in range(n)]
        doc = {
            "llama_cpp_python": llama_cpp.__version__,
            "n_vocab": n,
            "control": [i for i in range(n) if attrs[i] & CONTROL],
            "user_defined": [i for i in range(n) if attrs[i] & USER_DEFINED and not attrs[i] & CONTROL],
            "eog": [i for i in range(n) if llama_cpp.llama_vocab_is_eog(vocab, i)],
            "bos": llama_cpp.llama_vocab_bos(vocab),
            "eos": llama_cpp.llama_vocab_eos(vocab),
            "eot": llama_cpp.llama_vocab_eot(vocab),
        }
        out = OUT / f"vocab-{m['name']}.json"
        out.write_text(json.dumps(doc) + "\n")
        print(f"wrote {out.relative_to(ROOT)}: {len(doc['control'])} control, {len(doc['eog'])} end-of-generation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
