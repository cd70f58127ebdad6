from anthropic import Anthropic
from anthropic.types import MessageParam
from anthropic.types.message_create_params import MessageCreateParamsNonStreaming

client = Anthropic()

history = [
    MessageParam(role="user", content="What's a good name for a hiking club?"),
    MessageParam(role="assistant", content="How about 'Trail Blazers'?"),
    MessageParam(role="user", content="Something less common, please."),
]

params = MessageCreateParamsNonStreaming(
    model="claude-sonnet-4-6",
    max_tokens=200,
    messages=history,
    temperature=0.9,
    top_p=0.95,
)

reply = client.messages.create(**params)
print(reply.content[0].text)
