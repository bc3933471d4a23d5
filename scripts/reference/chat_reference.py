#!/usr/bin/env python3
"""Render each roster model's GGUF chat template the way Hugging Face
transformers does, for the conversations in
java-api/src/test/resources/reference/chat-conversations.json, and write
java-api/src/test/resources/reference/chat-<roster-name>.json.

Rendering mirrors transformers' apply_chat_template (utils/chat_template_utils.py):
  env = jinja2.sandbox.ImmutableSandboxedEnvironment(
            trim_blocks=True, lstrip_blocks=True,
            extensions=[<{% generation %} tag, rendered as its body>, jinja2.ext.loopcontrols])
  env.filters["tojson"]  = json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)
  env.globals["raise_exception"] -> raises jinja2.exceptions.TemplateError(message)
  env.globals["strftime_now"]    -> datetime.strftime(format)  (FIXED date, see STRFTIME_NOW, for determinism)
  env.from_string(template).render(messages=..., tools=None, documents=None,
        add_generation_prompt=..., bos_token=..., eos_token=...)
bos_token / eos_token are the texts of the GGUF vocab's BOS/EOS tokens.
A case whose rendering raised records {"error": str(exception), "error_type": class name}.

Extra cross-check ("llama_cpp_builtin"): llama.cpp's hard-coded C++ chat
formatter (llama_chat_apply_template, no jinja) applied to the same
conversations.  It is NOT what transformers renders (e.g. it never adds
Qwen's default system prompt); it is recorded because it is what llama.cpp
itself does without --jinja, and, for GGUFs without a template, which built-in
it would use.

Run it through scripts/reference/make-chat-reference (provides the venv).
"""

import argparse
import ctypes
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import roster  # noqa: E402

CONVERSATIONS = os.path.join(roster.REFERENCE_DIR, "chat-conversations.json")
STRFTIME_NOW = datetime.datetime(2025, 1, 2, 3, 4, 5)
# llama.cpp built-in template to cross-check with when the GGUF has no template.
BUILTIN_FALLBACK = {"gemma-3-270m": "gemma"}


def hf_environment():
    import jinja2
    from jinja2.exceptions import TemplateError
    from jinja2.ext import Extension
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class GenerationTag(Extension):
        """transformers' AssistantTracker, minus the mask bookkeeping:
        {% generation %}...{% endgeneration %} renders its body."""
        tags = {"generation"}

        def parse(self, parser):
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
            return jinja2.nodes.CallBlock(
                self.call_method("_render", []), [], [], body).set_lineno(lineno)

        def _render(self, caller):
            return caller()

    def raise_exception(message):
        raise TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent,
                          separators=separators, sort_keys=sort_keys)

    def strftime_now(fmt):
        return STRFTIME_NOW.strftime(fmt)

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True,
        extensions=[GenerationTag, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def gguf_chat_template(path):
    """tokenizer.chat_template as stored in the GGUF (None when absent)."""
    from gguf import GGUFReader

    field = GGUFReader(path).fields.get("tokenizer.chat_template")
    if field is None:
        return None
    return bytes(field.parts[field.data[0]]).decode("utf-8")


def llama_builtin(template, messages, add_generation_prompt):
    """llama.cpp's llama_chat_apply_template (no jinja)."""
    import llama_cpp

    keep = [(m["role"].encode("utf-8"), m["content"].encode("utf-8")) for m in messages]
    arr = (llama_cpp.llama_chat_message * max(1, len(keep)))()
    for i, (r, c) in enumerate(keep):
        arr[i].role = r
        arr[i].content = c
    tmpl = template.encode("utf-8")
    cap = 4096
    for _ in range(2):
        buf = ctypes.create_string_buffer(cap)
        n = llama_cpp.llama_chat_apply_template(tmpl, arr, len(keep), add_generation_prompt, buf, cap)
        if n < 0:
            return {"error": f"llama_chat_apply_template returned {n} (template not supported)"}
        if n <= cap:
            return {"rendered": buf.raw[:n].decode("utf-8")}
        cap = n
    raise RuntimeError("buffer sizing failed")


def generate(name, path, conversations, out_dir):
    from llama_cpp import Llama

    llm = Llama(model_path=path, vocab_only=True, verbose=False)
    m = llm._model
    bos = m.token_get_text(llm.token_bos()) if llm.token_bos() >= 0 else None
    eos = m.token_get_text(llm.token_eos()) if llm.token_eos() >= 0 else None
    template = gguf_chat_template(path)
    md_template = llm.metadata.get("tokenizer.chat_template")
    assert md_template == template, "gguf and llama.cpp disagree on the template"

    cases = []
    if template is not None:
        compiled = hf_environment().from_string(template)
        for ci, conv in enumerate(conversations):
            for agp in (True, False):
                case = {"conversation": ci, "add_generation_prompt": agp}
                try:
                    case["rendered"] = compiled.render(
                        messages=conv["messages"], tools=None, documents=None,
                        add_generation_prompt=agp, bos_token=bos, eos_token=eos)
                except Exception as e:  # record whatever jinja2/the template raised
                    case["error"] = str(e)
                    case["error_type"] = type(e).__name__
                cases.append(case)

    builtin_name = template if template is not None else BUILTIN_FALLBACK.get(name, "chatml")
    builtin_cases = []
    for ci, conv in enumerate(conversations):
        for agp in (True, False):
            case = {"conversation": ci, "add_generation_prompt": agp}
            case.update(llama_builtin(builtin_name, conv["messages"], agp))
            builtin_cases.append(case)

    import jinja2
    import llama_cpp
    doc = {
        "model": os.path.basename(path),
        "roster_name": name,
        "sha256": roster.sha256_of(name, path),
        "template": template,
        "bos_token": bos,
        "eos_token": eos,
        "renderer": {
            "jinja2": jinja2.__version__,
            "environment": "ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, "
                           "extensions=[generation tag, jinja2.ext.loopcontrols])",
            "globals": {"raise_exception": "raises jinja2.exceptions.TemplateError(message)",
                        "strftime_now": "fixed clock " + STRFTIME_NOW.isoformat()},
            "filters": {"tojson": "json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)"},
            "render_args": ["messages", "tools=None", "documents=None", "add_generation_prompt",
                            "bos_token", "eos_token"],
        },
        "note": ("cases: HF-transformers-style jinja2 rendering of chat-conversations.json "
                 "(conversation = index), each with add_generation_prompt true and false; "
                 "'error' instead of 'rendered' when rendering raised."
                 + (" This GGUF has NO tokenizer.chat_template, so there are no jinja cases."
                    if template is None else "")),
        "cases": cases,
        "llama_cpp_builtin": {
            "llama_cpp_python": llama_cpp.__version__,
            "template_arg": "the GGUF template string (llama.cpp detects the format from it)"
                            if template is not None else builtin_name,
            "note": "llama.cpp's hard-coded formatter llama_chat_apply_template (no jinja), "
                    "for comparison only; it differs from the jinja rendering where the "
                    "template has logic llama.cpp does not replicate (e.g. default system prompts).",
            "cases": builtin_cases,
        },
    }
    out = os.path.join(out_dir, f"chat-{name}.json")
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(tmp, out)
    return out


def main():
    ap = argparse.ArgumentParser(description="HF-style chat template reference generator")
    ap.add_argument("models", nargs="*", help="roster names (default: all present)")
    ap.add_argument("--conversations", default=CONVERSATIONS)
    ap.add_argument("--out-dir", default=roster.REFERENCE_DIR)
    args = ap.parse_args()
    unknown = [m for m in args.models if m not in roster.ROSTER]
    if unknown:
        ap.error(f"unknown roster names: {unknown}; known: {list(roster.ROSTER)}")
    with open(args.conversations, encoding="utf-8") as f:
        conversations = json.load(f)["conversations"]
    present = roster.present_models(args.models or None)
    if not present:
        print(f"no roster model found in {roster.models_dir()}", file=sys.stderr)
        return 1
    for name, path in present:
        out = generate(name, path, conversations, args.out_dir)
        print(f"{name}: wrote {out} ({os.path.getsize(out)} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
