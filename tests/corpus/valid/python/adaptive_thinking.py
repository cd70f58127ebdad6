import anthropic

client = anthropic.Anthropic()

response = client.messages.create(
    model="claude-opus-4-6",
    max_tokens=16000,
    thinking={"type": "adaptive"},
    output_config={"effort": "high"},
    messages=[{"role": "user", "content": "Are there an infinite number of prime numbers such that n mod 4 == 3?"}],
)
for block in response.content:
    print(block.type)
