from anthropic import AnthropicVertex

client = AnthropicVertex(region="global", project_id="my-project")

message = client.messages.create(
    model="claude-opus-4-6",
    max_tokens=100,
    messages=[{"role": "user", "content": "Hey Claude!"}],
)
print(message.to_json())
