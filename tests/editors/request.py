import anthropic

client = anthropic.Anthropic()
reply = client.messages.create(
    model="claude-sonnet-4-6",
    max_tokens=1024,
    messages=[{"role": "user", "content": "Größe? 😀"}], n=2,
    stop="###",
)
