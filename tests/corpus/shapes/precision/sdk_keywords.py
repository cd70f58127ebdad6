"""Per-tenant requests: the tenant's profile goes in a header, never in the body."""

import anthropic

client = anthropic.Anthropic()


def answer(tenant, question):
    return client.messages.create(
        model="claude-sonnet-4-6",
        max_tokens=1024,
        messages=[{"role": "user", "content": question}],
        user_profile_id=tenant.profile_id,
        extra_headers={"x-request-source": "helpdesk"},
        extra_query={"trace": "1"},
        timeout=120.0,
    )


def count(question):
    return client.messages.count_tokens(
        model="claude-sonnet-4-6",
        messages=[{"role": "user", "content": question}],
        extra_headers={"x-request-source": "helpdesk"},
    )


def long_answer(question):
    return client.beta.messages.create(
        model="claude-opus-4-6",
        max_tokens=4096,
        betas=["context-management-2025-06-27"],
        context_management={"edits": [{"type": "clear_tool_uses_20250919"}]},
        messages=[{"role": "user", "content": question}],
        timeout=600,
    )
