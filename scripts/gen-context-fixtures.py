#!/usr/bin/env python3
"""Writes the fixtures of the context rules (tests/fixtures/<rule>/...).

They need requests near or over a context window, so they are generated: images are PNG
headers only (a size reader needs nothing more), one block per line; long texts are digits
separated by spaces, about two bytes per o200k token. Run from the repository root; the
output is deterministic.
"""

import base64
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures")


def png(w, h):
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", w, h)
    return base64.b64encode(header + bytes([8, 6, 0, 0, 0, 0, 0, 0, 0])).decode()


def image(w, h):
    return (
        '{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "%s"}}'
        % png(w, h)
    )


def text(t, cache=False):
    block = {"type": "text", "text": t}
    if cache:
        block["cache_control"] = {"type": "ephemeral"}
    return json.dumps(block)


def digits(tokens):
    """About `tokens` o200k tokens: single digits separated by spaces."""
    return " ".join(str(i % 10) for i in range(tokens))


def blocks(items, indent="      "):
    return "[\n" + ",\n".join(indent + "  " + i for i in items) + "\n" + indent + "]"


def message(role, content):
    return '    {"role": "%s", "content": %s}' % (role, content)


def request(fields, messages):
    head = "".join('  "%s": %s,\n' % (k, v) for k, v in fields)
    return "{\n" + head + '  "messages": [\n' + ",\n".join(messages) + "\n  ]\n}\n"


def write(rule, name, body, settings=None):
    folder = os.path.join(ROOT, rule)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w") as f:
        f.write(body)
    if settings:
        with open(os.path.join(folder, name + ".toml"), "w") as f:
            f.write(settings)


def screenshot_session(rounds, per_round, w=2000, h=2000):
    """A computer-use style conversation: each round a tool call answered by screenshots."""
    msgs = [message("user", blocks([text("Fill in the form on the screen.", cache=True)]))]
    for r in range(rounds):
        call = '{"type": "tool_use", "id": "toolu_%02d", "name": "screenshot", "input": {}}' % r
        msgs.append(message("assistant", blocks([text("Taking a screenshot."), call])))
        shots = [image(w, h) for _ in range(per_round)]
        result = '{"type": "tool_result", "tool_use_id": "toolu_%02d", "content": %s}' % (
            r,
            blocks(shots, indent="        "),
        )
        msgs.append(message("user", blocks([result])))
    msgs.append(message("assistant", blocks([text("The form is filled in.")])))
    msgs.append(message("user", blocks([text("Thanks. Submit it.")])))
    return msgs


TOOLS = '[{"name": "screenshot", "description": "Take a screenshot of the screen.", "input_schema": {"type": "object", "properties": {}}}]'


def opus(max_tokens=4096):
    return [("model", '"claude-opus-5"'), ("max_tokens", str(max_tokens)), ("tools", TOOLS)]


def main():
    # context-window-exceeded: 220 screenshots on the high-resolution tier (~4,761 each).
    write("context-window-exceeded", "bad-screenshots.json", request(opus(), screenshot_session(11, 20)))
    write(
        "context-window-exceeded",
        "ok-under-the-warning-ratio.json",
        request(opus(), [message("user", blocks([image(2000, 2000) for _ in range(180)] + [text("Which differ?")]))]),
    )
    # context-window-near: one message of 195 screenshots (~928,000 tokens, 93%).
    write(
        "context-window-near",
        "bad-one-message.json",
        request(opus(), [message("user", blocks([image(2000, 2000) for _ in range(195)] + [text("Which differ?")]))]),
    )
    write(
        "context-window-near",
        "ok-185-screenshots.json",
        request(opus(), [message("user", blocks([image(2000, 2000) for _ in range(185)] + [text("Which differ?")]))]),
    )
    # old-images: ten rounds of 20 screenshots (952,000 tokens, near the window).
    write("old-images", "bad-computer-use.json", request(opus(), screenshot_session(10, 20)))
    write("old-images", "ok-far-from-the-window.json", request(opus(), screenshot_session(10, 2)))
    # input-plus-max-tokens: a Bedrock body for Claude 3.7 Sonnet (standard tier, input and
    # output checked together), 100 images of 1,560 tokens.
    bedrock = [("anthropic_version", '"bedrock-2023-05-31"')]
    photos = [image(1920, 1080) for _ in range(100)] + [text("Describe each photo.")]
    for name, max_tokens in [("bad-bedrock-3-7.json", 64000), ("ok-fits.json", 40000)]:
        write(
            "input-plus-max-tokens",
            name,
            request(bedrock + [("max_tokens", str(max_tokens))], [message("user", blocks(photos))]),
            'model = "claude-3-7-sonnet-20250219"\n',
        )
    # output-room-short: the same photos on Claude Haiku 4.5, which checks the input alone.
    haiku = [("model", '"claude-haiku-4-5"')]
    thinking = '{"type": "enabled", "budget_tokens": 50000}'
    write(
        "output-room-short",
        "bad-thinking-budget.json",
        request(haiku + [("max_tokens", "64000"), ("thinking", thinking)], [message("user", blocks(photos))]),
    )
    write(
        "output-room-short",
        "ok-room-for-the-answer.json",
        request(haiku + [("max_tokens", "40000")], [message("user", blocks(photos))]),
    )
    # oversized-block: a long tool result beside 100 photos on Claude Haiku 4.5.
    def tool_log(tokens):
        call = '{"type": "tool_use", "id": "toolu_log", "name": "read_log", "input": {"path": "/var/log/app.log"}}'
        result = '{"type": "tool_result", "tool_use_id": "toolu_log", "content": %s}' % json.dumps(digits(tokens))
        return [
            message("user", blocks(photos[:-1] + [text("Why did the job fail?", cache=True)])),
            message("assistant", blocks([call])),
            message("user", blocks([result])),
        ]

    haiku_tools = haiku + [
        ("max_tokens", "1024"),
        ("tools", '[{"name": "read_log", "description": "Read a log file.", "input_schema": {"type": "object", "properties": {"path": {"type": "string"}}}}]'),
    ]
    write("oversized-block", "bad-tool-log.json", request(haiku_tools, tool_log(26000)))
    write("oversized-block", "ok-short-log.json", request(haiku_tools, tool_log(2000)))
    # uncached-prefix: a long system prompt sent again and again without cache_control.
    policy = " ".join(
        "Rule %d: answer in the customer's language, cite the policy section, and never promise refunds." % i
        for i in range(1, 351)
    )
    sonnet = [("model", '"claude-sonnet-4-6"'), ("max_tokens", "1024")]
    write(
        "uncached-prefix",
        "bad-long-system.json",
        request(sonnet + [("system", json.dumps(policy))], [message("user", '"Can I return shoes?"')]),
    )
    turns = [
        message("user", json.dumps("Here is our returns policy. " + policy)),
        message("assistant", '"Understood."'),
        message("user", '"Can I return shoes?"'),
    ]
    write("uncached-prefix", "bad-conversation.json", request(sonnet, turns))
    cached_system = '[{"type": "text", "text": %s, "cache_control": {"type": "ephemeral"}}]' % json.dumps(policy)
    write(
        "uncached-prefix",
        "ok-cached.json",
        request(sonnet + [("system", cached_system)], [message("user", '"Can I return shoes?"')]),
    )
    write(
        "uncached-prefix",
        "ok-short-system.json",
        request(sonnet + [("system", '"You answer questions about returns."')], [message("user", '"Can I return shoes?"')]),
    )


if __name__ == "__main__":
    main()
