import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ maxRetries: 0 });

await client.messages.create(
  {
    max_tokens: 1024,
    messages: [{ role: "user", content: "Hello, Claude" }],
    model: "claude-haiku-4-5",
  },
  { maxRetries: 5, timeout: 20 * 1000 },
);
