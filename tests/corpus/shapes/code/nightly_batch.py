"""Submit the nightly review batch: one request per open pull request."""

import anthropic
from anthropic.types.message_create_params import MessageCreateParamsNonStreaming
from anthropic.types.messages.batch_create_params import Request

client = anthropic.Anthropic()

batch = client.messages.batches.create(
    requests=[
        Request(
            custom_id="pr-1841",
            params=MessageCreateParamsNonStreaming(
                model="claude-sonnet-4-6",
                max_tokens=1500,
                messages=[{"role": "user", "content": "Review PR 1841: ..."}],
            ),
        ),
        Request(
            custom_id="pr 1842",
            params=MessageCreateParamsNonStreaming(
                model="claude-sonnet-4-6",
                max_tokens=1500,
                messages=[{"role": "user", "content": "Review PR 1842: ..."}],
            ),
        ),
    ]
)
print(batch.id, batch.processing_status)
