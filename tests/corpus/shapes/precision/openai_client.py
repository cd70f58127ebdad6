"""Fallback path when Claude is unavailable: the same prompt through OpenAI."""

from openai import OpenAI

client = OpenAI()


def fallback_answer(question, model="gpt-4o-mini"):
    # Mirrors claude_client.answer(); keep the two prompts in sync.
    completion = client.chat.completions.create(
        model=model,
        messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": question},
        ],
        max_tokens=1024,
        n=1,
        stop=["\n\n"],
        temperature=1.5,
    )
    return completion.choices[0].message.content
