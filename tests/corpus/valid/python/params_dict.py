from anthropic import Anthropic

client = Anthropic()

params = {
    "model": "claude-sonnet-5",
    "max_tokens": 800,
    "stop_sequences": ["</answer>"],
    "metadata": {"user_id": "7d2f6c1e-user"},
}

reply = client.messages.create(
    **params,
    messages=[{"role": "user", "content": "Answer inside <answer> tags: what is 6 * 7?"}],
)
