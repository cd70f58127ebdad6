from dataclasses import asdict, dataclass

import anthropic

from .settings import MAX_TOKENS, MODEL


@dataclass(frozen=True)
class Sampling:
    """How freely the summary is written."""

    temperature: float = 1.5


client = anthropic.Anthropic()


def summarise(text: str) -> str:
    reply = client.messages.create(
        model=MODEL,
        max_tokens=MAX_TOKENS,
        messages=[{"role": "user", "content": f"Summarise this:\n\n{text}"}],
        **asdict(Sampling()),
    )
    return reply.content[0].text
