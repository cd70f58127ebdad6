import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

export async function summarise(text: string, signal: AbortSignal) {
  return client.messages.create(
    {
      model: "claude-sonnet-4-6",
      max_tokens: 700,
      messages: [{ role: "user", content: `Summarise for a changelog:\n${text}` }],
    },
    {
      timeout: 30_000,
      maxRetries: 5,
      headers: { "x-request-source": "release-bot" },
      signal,
    },
  );
}
