import anthropic

client = anthropic.Anthropic()
client.messages.create(
    model="claude-haiku-4-5",
    max_tokens=2000,
    thinking={"type": "enabled", "budget_tokens": 4000},
    messages=[{"role": "user", "content": "Think hard."}],
)
