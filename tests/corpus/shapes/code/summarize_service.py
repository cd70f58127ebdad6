"""Summaries for the document viewer.

The defaults below are what production uses; callers override them in tests.
"""

import logging

import anthropic

log = logging.getLogger(__name__)
client = anthropic.Anthropic()


def summarize(text, model="claude-3-opus-20240229", max_tokens=800, temperature=0.3):
    log.info("summarising %d characters with %s", len(text), model)
    response = client.messages.create(
        model=model,
        max_tokens=max_tokens,
        temperature=temperature,
        messages=[{"role": "user", "content": f"Summarise:\n\n{text}"}],
    )
    return response.content[0].text


def title_for(text, model="claude-haiku-4-5", max_tokens=40):
    response = client.messages.create(
        model=model,
        max_tokens=max_tokens,
        messages=[{"role": "user", "content": f"A title of at most eight words for:\n{text}"}],
    )
    return response.content[0].text.strip()
