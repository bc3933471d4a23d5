#!/usr/bin/env python3
"""Dump each roster model's GGUF layout as read by the `gguf` package (llama.cpp's own Python
reader) into java-api/src/test/resources/reference/gguf-<name>.json, so the Java reader is
checked against an independent implementation. Run inside the reference venv (make-venv)."""
import json
import os
import sys
from pathlib import Path

from gguf import GGUFReader

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "java-api/src/test/resources/reference"


def main() -> int:
    models_dir = Path(os.environ.get("AGENTCOUNCIL_MODELS", Path.home() / ".cache/agentcouncil/models"))
    roster = json.loads((ROOT / "models.json").read_text())["models"]
    for m in roster:
        path = models_dir / m["file"]
        if not path.exists():
            print(f"skip {m['name']}: {path} not fetched", file=sys.stderr)
            continue
        r = GGUFReader(str(path))
        fields = {}
        for name, f in r.fields.items():
            if name.startswith("GGUF."):
                continue
            fields[name] = [int(t) for t in f.types]
        tensors = [
            {"name": t.name, "type": int(t.tensor_type), "shape": [int(d) for d in t.shape],
             "offset": int(t.data_offset), "bytes": int(t.n_bytes)}
            for t in r.tensors
        ]
        doc = {
            "file": m["file"],
            "version": int(r.fields["GGUF.version"].parts[-1][0]),
            "alignment": int(r.alignment),
            "data_offset": int(r.data_offset),
            "metadata_types": fields,
            "tensors": tensors,
        }
        out = OUT / f"gguf-{m['name']}.json"
        out.write_text(json.dumps(doc, indent=0, sort_keys=True) + "\n")
        print(f"wrote {out.relative_to(ROOT)}: {len(tensors)} tensors, {len(fields)} keys")
    return 0


if __name__ == "__main__":
    sys.exit(main())
