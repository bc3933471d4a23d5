"""The official OpenAI Python client against the AgentCouncil HTTP example.

    python openai_client.py BASE_URL [--api-key KEY] [--question TEXT] [--session-prefix P]

BASE_URL is the server's OpenAI root, e.g. http://127.0.0.1:8080/v1. The script asks one question
whole and streamed (each in a fresh session: the council's decoding is greedy, so both answers
must be equal), lists the models, asks for a model the server does not serve, and, when an API key
is given, tries a wrong one. It prints one JSON object on stdout for the caller to judge
(examples/http/src/test/java/io/agentcouncil/examples/http/OpenAiPythonClientTest.java); it
judges nothing itself beyond what the client raises. Run it with the venv made by make-venv.
"""

import argparse
import json
import sys
import time
import uuid

import openai


def extension(obj):
    """The server's agentcouncil field, which the client keeps as an extra of its model."""
    extra = getattr(obj, "model_extra", None) or {}
    return extra.get("agentcouncil")


def whole(client, question, session):
    started = time.monotonic()
    c = client.chat.completions.create(
        model="agentcouncil",
        messages=[{"role": "system", "content": "Answer in one short sentence."},
                  {"role": "user", "content": question}],
        user=session,
    )
    choice = c.choices[0]
    return {
        "session": session,
        "id": c.id,
        "object": c.object,
        "model": c.model,
        "role": choice.message.role,
        "content": choice.message.content,
        "finish_reason": choice.finish_reason,
        "usage": c.usage.model_dump() if c.usage else None,
        "agentcouncil": extension(c),
        "seconds": round(time.monotonic() - started, 3),
    }


def streamed(client, question, session):
    started = time.monotonic()
    stream = client.chat.completions.create(
        model="agentcouncil",
        messages=[{"role": "system", "content": "Answer in one short sentence."},
                  {"role": "user", "content": question}],
        user=session,
        stream=True,
    )
    parts, roles, finish, escalations, objects, ids, last_ext = [], [], [], [], set(), set(), None
    chunks = 0
    first_content = None
    for chunk in stream:
        chunks += 1
        objects.add(chunk.object)
        ids.add(chunk.id)
        ext = extension(chunk)
        if ext:
            last_ext = ext
            if ext.get("escalation"):
                escalations.append(ext["escalation"])
        for choice in chunk.choices:
            if choice.delta.role:
                roles.append(choice.delta.role)
            if choice.delta.content:
                if first_content is None:
                    first_content = time.monotonic() - started
                parts.append(choice.delta.content)
            if choice.finish_reason:
                finish.append(choice.finish_reason)
    return {
        "session": session,
        "chunks": chunks,
        "content_chunks": len(parts),
        "content": "".join(parts),
        "roles": roles,
        "finish_reasons": finish,
        "objects": sorted(objects),
        "ids": len(ids),
        "escalations": escalations,
        "agentcouncil": last_ext,
        "first_content_seconds": None if first_content is None else round(first_content, 3),
        "seconds": round(time.monotonic() - started, 3),
    }


def raised(call):
    """What call() raised, as the client classes it; None if it returned."""
    try:
        call()
    except openai.APIStatusError as e:
        body = e.body if isinstance(e.body, dict) else {}
        return {"error": type(e).__name__, "status_code": e.status_code,
                "message": (body.get("message") or str(e))}
    except openai.OpenAIError as e:
        return {"error": type(e).__name__, "status_code": None, "message": str(e)}
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("base_url")
    p.add_argument("--api-key", default=None)
    p.add_argument("--question", default="What is the capital of France?")
    p.add_argument("--session-prefix", default="py-" + uuid.uuid4().hex[:8])
    p.add_argument("--timeout", type=float, default=240.0)
    a = p.parse_args()

    # No retries: a failure must show as it is, not be hidden behind a second try.
    client = openai.OpenAI(base_url=a.base_url, api_key=a.api_key or "unused",
                           max_retries=0, timeout=a.timeout)
    out = {"openai_version": openai.__version__, "python": sys.version.split()[0]}
    out["whole"] = whole(client, a.question, a.session_prefix + "-whole")
    out["streamed"] = streamed(client, a.question, a.session_prefix + "-stream")
    out["models"] = [m.id for m in client.models.list()]
    out["unknown_model"] = raised(lambda: client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "Hi"}], user=a.session_prefix + "-unknown"))
    if a.api_key:
        wrong = openai.OpenAI(base_url=a.base_url, api_key=a.api_key + "-wrong", max_retries=0, timeout=a.timeout)
        out["wrong_key"] = raised(lambda: wrong.models.list())
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
