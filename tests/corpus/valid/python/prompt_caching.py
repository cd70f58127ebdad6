from pathlib import Path

import anthropic

client = anthropic.Anthropic()
book = Path("pride_and_prejudice.txt").read_text()

response = client.messages.create(
    model="claude-opus-5",
    max_tokens=1024,
    system=[
        {"type": "text", "text": "You are an AI assistant tasked with analyzing literary works."},
        {"type": "text", "text": book, "cache_control": {"type": "ephemeral"}},
    ],
    messages=[{"role": "user", "content": "Analyze the major themes in the book."}],
)
print(response.usage)
