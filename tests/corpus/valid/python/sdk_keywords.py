"""SDK keyword arguments that are headers or request options, not body fields."""

import anthropic

client = anthropic.Anthropic()

message = client.messages.create(
    model="claude-opus-5",
    max_tokens=1024,
    messages=[{"role": "user", "content": "Hello, Claude"}],
    user_profile_id="uprof_011CZkZaBF1tNoB5wlCeusgy",
    workspace_id="wrkspc_011CZkZaBF1tNoB5wlCeusgy",
    extra_headers={"x-request-source": "nightly-job"},
    extra_query={"trace": "1"},
    extra_body={"metadata": {"user_id": "user-42"}},
    timeout=30,
)

beta = client.beta.messages.create(
    model="claude-opus-5",
    max_tokens=1024,
    messages=[{"role": "user", "content": "Hello again"}],
    betas=["context-management-2025-06-27"],
    user_profile_id="uprof_011CZkZaBF1tNoB5wlCeusgy",
    timeout=60,
)

REQUESTS = [{"custom_id": "req-1", "params": {"model": "claude-opus-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}}]
batch = client.messages.batches.create(
    requests=REQUESTS,
    user_profile_id="uprof_011CZkZaBF1tNoB5wlCeusgy",
    extra_headers={"x-request-source": "nightly-job"},
)
