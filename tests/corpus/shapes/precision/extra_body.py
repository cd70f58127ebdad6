import anthropic

client = anthropic.Anthropic()

# Fields the SDK version we pin does not know yet go through extra_body.
reply = client.messages.create(
    model="claude-haiku-4-5",
    max_tokens=256,
    messages=[{"role": "user", "content": "One tip for writing good commit messages."}],
    extra_body={
        "service_tier": "auto",
        "frequency_penalty": 0.5,
    },
)
print(reply.content[0].text)
