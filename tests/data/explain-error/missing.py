import anthropic

client = anthropic.Anthropic()

message = client.messages.create(
    messages=[
        {
            "role": "user"
        }
    ],
)
