"""Summarise a support ticket with Claude (a clean request written in Python)."""
import anthropic

client = anthropic.Anthropic()


def summarise(ticket: str) -> str:
    message = client.messages.create(
        model="claude-sonnet-4-6",
        max_tokens=512,
        system="You summarise support tickets in two sentences.",
        messages=[{"role": "user", "content": ticket}],
    )
    return message.content[0].text
