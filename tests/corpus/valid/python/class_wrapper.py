import os

import anthropic


class Summarizer:
    """Summarizes text with Claude."""

    def __init__(self) -> None:
        self.client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])

    def summarize(self, text: str) -> str:
        response = self.client.messages.create(
            model="claude-haiku-4-5",
            max_tokens=512,
            system="Summarize the user's text in three bullet points.",
            messages=[{"role": "user", "content": text}],
        )
        return response.content[0].text
