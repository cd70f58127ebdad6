"""One place that builds the Anthropic client, so retries and timeouts stay consistent."""

import os

import anthropic
import httpx


def make_client():
    return anthropic.Anthropic(
        max_retries=4,
        http_client=httpx.Client(timeout=httpx.Timeout(60.0, connect=5.0)),
        base_url=os.environ.get("ANTHROPIC_BASE_URL"),
    )


def ask(question):
    client = make_client()
    message = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=512,
        messages=[{"role": "user", "content": [{"type": "text", "text": ""}]}],
    )
    return message.content[0].text


def ask_opus(question):
    return make_client().messages.create(
        model="claude-opus-4-6",
        max_tokens=2048,
        messages=[{"role": "user", "content": question}],
    )
