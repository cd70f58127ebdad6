#!/usr/bin/env python3
"""Generate the benchmark corpus: 10,000 realistic request files (about 48 MB) and one 32 MB
request. Deterministic (seeded), so every run measures the same bytes.

usage: scripts/gen-corpus.py [OUT_DIR]   (default: target/bench-corpus)
"""
import base64
import json
import os
import random
import struct
import sys
import zlib

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join("target", "bench-corpus")
FILES = 10_000
TARGET_BYTES = 48_000_000
MODELS = ["claude-opus-5", "claude-sonnet-4-6", "claude-haiku-4-5", "claude-sonnet-5", "claude-opus-4-8"]
WORDS = ("the request model token window tool result message assistant user cache image "
         "document thinking budget stream batch retry error limit schema payload content "
         "weather invoice customer ticket refund order summary translate python function").split()

rng = random.Random(20261125)


def sentence(n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def paragraph(chars):
    out = []
    size = 0
    while size < chars:
        s = sentence(rng.randint(6, 18))
        out.append(s)
        size += len(s) + 1
    return " ".join(out)


def png(width, height, noise):
    """A real PNG (header and pixels), so image checks decode something genuine."""
    raw = bytearray()
    for _ in range(height):
        raw.append(0)
        raw.extend(rng.getrandbits(8) if noise else 200 for _ in range(width * 3))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b"")


def chat(avg_chars):
    turns = rng.randint(1, 5) * 2 - 1
    messages = []
    for i in range(turns):
        role = "user" if i % 2 == 0 else "assistant"
        messages.append({"role": role, "content": paragraph(rng.randint(avg_chars // 2, avg_chars * 3 // 2))})
    return {
        "model": rng.choice(MODELS),
        "max_tokens": rng.choice([256, 1024, 4096, 16000]),
        "system": paragraph(rng.randint(100, 600)),
        "messages": messages,
    }


def tool_round_trip():
    tools = [{
        "name": f"lookup_{rng.choice(WORDS)}_{i}",
        "description": sentence(12),
        "input_schema": {
            "type": "object",
            "properties": {w: {"type": "string", "description": sentence(6)} for w in rng.sample(WORDS, 4)},
            "required": [],
        },
    } for i in range(rng.randint(1, 6))]
    tool = tools[0]["name"]
    tid = "toolu_01" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789") for _ in range(22))
    return {
        "model": rng.choice(MODELS),
        "max_tokens": 2048,
        "tools": tools,
        "tool_choice": {"type": "auto"},
        "messages": [
            {"role": "user", "content": paragraph(rng.randint(100, 800))},
            {"role": "assistant", "content": [
                {"type": "text", "text": sentence(10)},
                {"type": "tool_use", "id": tid, "name": tool, "input": {"query": sentence(5)}},
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": tid, "content": paragraph(rng.randint(250, 1900))},
            ]},
        ],
    }


def with_image():
    data = base64.b64encode(png(rng.randint(30, 64), rng.randint(30, 64), noise=True)).decode()
    return {
        "model": rng.choice(MODELS),
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": [
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}},
            {"type": "text", "text": "What is in this picture? " + sentence(8)},
        ]}],
    }


def one_file(i):
    kind = rng.random()
    if kind < 0.55:
        body = chat(280)
    elif kind < 0.80:
        body = tool_round_trip()
    elif kind < 0.92:
        body = with_image()
    else:
        body = chat(2700)
    if i % 20 == 0:  # a few classic mistakes, so the report is not empty
        body["stop"] = "###"
    return json.dumps(body, indent=2)


def main():
    files_dir = os.path.join(OUT, "files")
    os.makedirs(files_dir, exist_ok=True)
    total = 0
    for i in range(FILES):
        text = one_file(i)
        total += len(text)
        with open(os.path.join(files_dir, f"req-{i:05}.json"), "w") as f:
            f.write(text)
    # One request just under the 32 MiB limit: a long conversation plus a few large images.
    image = base64.b64encode(png(1400, 900, noise=True)).decode()
    messages = []
    size = 0
    i = 0
    while size < 31 * 1024 * 1024:
        role = "user" if i % 2 == 0 else "assistant"
        if role == "user" and i % 200 == 0 and size + len(image) < 30 * 1024 * 1024:
            content = [{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": image}},
                       {"type": "text", "text": sentence(10)}]
            size += len(image)
        else:
            content = paragraph(rng.randint(500, 3000))
            size += len(content)
        messages.append({"role": role, "content": content})
        i += 1
    if messages[-1]["role"] != "user":
        messages.append({"role": "user", "content": "Continue."})
    big = json.dumps({"model": "claude-opus-5", "max_tokens": 8192, "messages": messages}, indent=1)
    with open(os.path.join(OUT, "big.json"), "w") as f:
        f.write(big)
    print(f"{FILES} files, {total / 1e6:.1f} MB in {files_dir}; big.json {len(big) / 1e6:.1f} MB ({len(big)} bytes)")


if __name__ == "__main__":
    main()
