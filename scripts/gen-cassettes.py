#!/usr/bin/env python3
"""Writes the recorded-traffic benchmark corpus: 2,000 recordings as test suites keep them.

usage: python3 scripts/gen-cassettes.py [OUT_DIR]   (default: target/bench-cassettes)

The files are deterministic (a seeded generator) and written the way each recorder writes
them: vcrpy / pytest-recording YAML (PyYAML's single-quoted strings folded at 80 columns, and
literal block bodies), vcrpy JSON, Ruby VCR YAML (`body: {encoding, string}`), HAR, Polly.js
recordings and nock recordings (object and string bodies). Most interactions go to the Claude
API (Messages, count_tokens, Message Batches), some to Bedrock and Vertex AI, and one file in
four records another vendor (OpenAI, Gemini) only. One body in twenty carries a mistake
(`stop`, `n`, a retired model, `temperature` beside `top_p`), so findings are reported too.
`benches/traffic.rs` checks the files.
"""

import json
import os
import random
import sys

FILES = 2000
WORDS = (
    "the release notes describe a new parser for configuration files and a faster cache "
    "while the migration guide explains how teams move their pipelines between regions "
    "without downtime or lost events and what each step costs"
).split()


def sentence(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def claude_body(rng, kind):
    """A Messages (or count_tokens, or batch) body of a few kilobytes."""
    turns = []
    for i in range(rng.randint(1, 7)):
        role = "user" if i % 2 == 0 else "assistant"
        turns.append({"role": role, "content": sentence(rng, rng.randint(8, 120))})
    if turns[-1]["role"] == "assistant":
        turns.append({"role": "user", "content": sentence(rng, 20)})
    body = {
        "model": rng.choice(["claude-sonnet-4-6", "claude-opus-4-6", "claude-haiku-4-5-20251001"]),
        "max_tokens": rng.choice([256, 1024, 4096]),
        "system": sentence(rng, rng.randint(10, 60)),
        "messages": turns,
    }
    if rng.random() < 0.3:
        body["tools"] = [
            {
                "name": "lookup_order",
                "description": sentence(rng, 12),
                "input_schema": {
                    "type": "object",
                    "properties": {"order_id": {"type": "string"}},
                    "required": ["order_id"],
                },
            }
        ]
    if rng.random() < 0.05:
        mistake = rng.choice(["stop", "n", "retired", "top_p"])
        if mistake == "stop":
            body["stop"] = ["END"]
        elif mistake == "n":
            body["n"] = 2
        elif mistake == "retired":
            body["model"] = "claude-3-opus-20240229"
        else:
            body["temperature"] = 0.7
            body["top_p"] = 0.9
    if kind == "count_tokens":
        del body["max_tokens"]
    if kind == "batch":
        return {"requests": [{"custom_id": f"req-{i}", "params": body} for i in range(3)]}
    if kind == "bedrock":
        del body["model"]
        body["anthropic_version"] = "bedrock-2023-05-31"
    if kind == "vertex":
        del body["model"]
        body["anthropic_version"] = "vertex-2023-10-16"
    return body


def claude_request(rng):
    kind = rng.choices(
        ["messages", "count_tokens", "batch", "bedrock", "vertex"], [70, 8, 6, 8, 8]
    )[0]
    url = {
        "messages": "https://api.anthropic.com/v1/messages",
        "count_tokens": "https://api.anthropic.com/v1/messages/count_tokens",
        "batch": "https://api.anthropic.com/v1/messages/batches",
        "bedrock": "https://bedrock-runtime.us-east-1.amazonaws.com/model/"
        "us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke",
        "vertex": "https://us-east5-aiplatform.googleapis.com/v1/projects/demo/locations/"
        "us-east5/publishers/anthropic/models/claude-opus-4-6:rawPredict",
    }[kind]
    headers = {"content-type": "application/json"}
    if kind in ("messages", "count_tokens", "batch"):
        headers["anthropic-version"] = "2023-06-01"
        headers["x-api-key"] = "DUMMY"
    return url, headers, claude_body(rng, kind)


def other_request(rng):
    if rng.random() < 0.5:
        body = {
            "model": "gpt-4o",
            "messages": [{"role": "user", "content": sentence(rng, 40)}],
            "n": 1,
            "stop": ["END"],
        }
        return "https://api.openai.com/v1/chat/completions", {"authorization": "DUMMY"}, body
    body = {"contents": [{"role": "user", "parts": [{"text": sentence(rng, 40)}]}]}
    return (
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent",
        {"x-goog-api-key": "DUMMY"},
        body,
    )


RESPONSE = '{"id": "msg_01", "type": "message", "role": "assistant", "content": [{"type": "text", "text": "Done."}]}'


def yaml_single(text, indent):
    """A PyYAML single-quoted scalar, folded at spaces past 80 columns as PyYAML writes it."""
    quoted = text.replace("'", "''")
    lines, line = [], ""
    for word in quoted.split(" "):
        if line and len(line) + len(word) + indent > 80:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "'" + ("\n" + " " * indent).join(lines) + "'"


def vcr_yaml(requests, rng):
    out = ["interactions:"]
    block = rng.random() < 0.3
    for url, headers, body in requests:
        out.append("- request:")
        if block:
            pretty = json.dumps(body, indent=2)
            out.append("    body: |")
            out.extend("      " + line for line in pretty.split("\n"))
        else:
            out.append("    body: " + yaml_single(json.dumps(body), 6))
        out.append("    headers:")
        for name, value in headers.items():
            out.append(f"      {name}:")
            out.append(f"      - {value}")
        out.append("    method: POST")
        out.append(f"    uri: {url}")
        out.append("  response:")
        out.append("    body:")
        out.append("      string: " + yaml_single(RESPONSE, 8))
        out.append("    status:")
        out.append("      code: 200")
        out.append("      message: OK")
    out.append("version: 1")
    return "yaml", "\n".join(out) + "\n"


def vcr_json(requests, rng):
    interactions = [
        {
            "request": {
                "body": json.dumps(body),
                "headers": {k: [v] for k, v in headers.items()},
                "method": "POST",
                "uri": url,
            },
            "response": {"body": {"string": RESPONSE}, "status": {"code": 200, "message": "OK"}},
        }
        for url, headers, body in requests
    ]
    return "json", json.dumps({"interactions": interactions, "version": 1}, indent=2) + "\n"


def ruby_vcr(requests, rng):
    out = ["---", "http_interactions:"]
    for url, headers, body in requests:
        out.append("- request:")
        out.append("    method: post")
        out.append(f"    uri: {url}")
        out.append("    body:")
        out.append("      encoding: UTF-8")
        out.append("      string: '" + json.dumps(body, separators=(",", ":")).replace("'", "''") + "'")
        out.append("    headers:")
        for name, value in headers.items():
            out.append(f"      {name.title()}:")
            out.append(f"      - '{value}'")
        out.append("  response:")
        out.append("    status:")
        out.append("      code: 200")
        out.append("      message: OK")
        out.append("  recorded_at: Mon, 30 Nov 2026 10:00:00 GMT")
    out.append("recorded_with: VCR 6.3.1")
    return "yml", "\n".join(out) + "\n"


def har(requests, rng, polly=False):
    entries = []
    for i, (url, headers, body) in enumerate(requests):
        entry = {
            "request": {
                "method": "POST",
                "url": url,
                "httpVersion": "HTTP/1.1",
                "headers": [{"name": k, "value": v} for k, v in headers.items()],
                "postData": {
                    "mimeType": "application/json",
                    "text": json.dumps(body, separators=(",", ":")),
                },
            },
            "response": {"status": 200, "content": {"mimeType": "application/json", "text": RESPONSE}},
            "startedDateTime": "2026-11-30T10:00:00.000Z",
            "time": 400 + i,
        }
        if polly:
            entry["_id"] = f"{rng.getrandbits(64):016x}"
            entry["_order"] = 0
        entries.append(entry)
    log = {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "entries": entries}
    if polly:
        log["_recordingName"] = "suite/test " + str(rng.randint(1, 999))
        log["creator"] = {"comment": "persister:fs", "name": "Polly.JS", "version": "6.0.6"}
    return "har", json.dumps({"log": log}, indent=2) + "\n"


def nock(requests, rng):
    definitions = []
    for url, headers, body in requests:
        scheme_host, path = url.split("/", 3)[:3], "/" + url.split("/", 3)[3]
        definitions.append(
            {
                "scope": "/".join(scheme_host) + ":443",
                "method": "POST",
                "path": path,
                "body": body if rng.random() < 0.5 else json.dumps(body),
                "status": 200,
                "response": json.loads(RESPONSE),
            }
        )
    return "json", json.dumps(definitions, indent=2) + "\n"


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "target/bench-cassettes"
    os.makedirs(out, exist_ok=True)
    rng = random.Random(11)
    writers = [vcr_yaml, vcr_yaml, vcr_yaml, vcr_json, ruby_vcr, har, lambda r, g: har(r, g, True), nock]
    total = 0
    for i in range(FILES):
        claude = i % 4 != 3
        requests = [
            claude_request(rng) if claude else other_request(rng)
            for _ in range(rng.randint(1, 4))
        ]
        ext, text = writers[i % len(writers)](requests, rng)
        with open(os.path.join(out, f"cassette-{i:04}.{ext}"), "w") as f:
            f.write(text)
        total += len(text)
    print(f"{FILES} recordings, {total / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
