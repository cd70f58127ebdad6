"""A request ported from the OpenAI SDK without changing its parameters."""
from anthropic import Anthropic

client = Anthropic()

history = load_history()  # computed at run time: not checked

reply = client.messages.create(
    model="claude-sonnet-4.5",
    max_completion_tokens=1024,
    temperature=1.4,
    stop="###",
    messages=[
        {"role": "system", "content": "You are a terse assistant."},
        {"role": "user", "content": "Name three rivers in France."},
    ],
)

follow_up = client.messages.create(
    model="claude-opus-5",
    max_tokens=1024,
    messages=history,  # unknown: no finding
)
