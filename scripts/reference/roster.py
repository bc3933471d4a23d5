"""Roster of reference models: roster name -> GGUF file name.

Read from models.json at the repository root (the project's roster, also used
by scripts/fetch-models); FALLBACK_ROSTER is used only if that file is missing.
Shared by the reference and benchmark scripts.  The model directory is
$AGENTCOUNCIL_MODELS, defaulting to ~/.cache/agentcouncil/models.
"""

import hashlib
import json
import os

FALLBACK_ROSTER = {
    "smollm2-135m-instruct": "SmolLM2-135M-Instruct.Q4_1.gguf",
    "qwen2.5-coder-0.5b-instruct": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    "qwen2.5-coder-1.5b-instruct": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    "gemma-3-270m": "gemma-3-270m-q4_k_m.gguf",
}

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _load_roster():
    path = os.path.join(REPO_ROOT, "models.json")
    if not os.path.isfile(path):
        return dict(FALLBACK_ROSTER), {}
    with open(path, encoding="utf-8") as f:
        models = json.load(f)["models"]
    return ({m["name"]: m["file"] for m in models},
            {m["name"]: m.get("sha256") for m in models})


ROSTER, EXPECTED_SHA256 = _load_roster()
REFERENCE_DIR = os.path.join(REPO_ROOT, "java-api", "src", "test", "resources", "reference")


def models_dir():
    return os.environ.get("AGENTCOUNCIL_MODELS") or os.path.join(
        os.path.expanduser("~"), ".cache", "agentcouncil", "models")


def model_path(roster_name):
    return os.path.join(models_dir(), ROSTER[roster_name])


def present_models(selected=None):
    """(roster name, path) for each roster model whose file exists."""
    out = []
    for name in ROSTER:
        if selected and name not in selected:
            continue
        p = model_path(name)
        if os.path.isfile(p):
            out.append((name, p))
    return out


def sha256_file(path, bufsize=1 << 20):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(bufsize)
            if not b:
                break
            h.update(b)
    return h.hexdigest()



def sha256_of(roster_name, path):
    """sha256 of the model file; warns when it differs from models.json."""
    import sys

    digest = sha256_file(path)
    expected = EXPECTED_SHA256.get(roster_name)
    if expected and expected != digest:
        print(f"WARNING: {path}: sha256 {digest} differs from models.json {expected}",
              file=sys.stderr)
    return digest
