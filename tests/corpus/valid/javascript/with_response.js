import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

const { data: message, response: raw } = await client.messages
  .create({
    max_tokens: 1024,
    messages: [{ role: "user", content: "Hello, Claude" }],
    model: "claude-opus-4-8",
  })
  .withResponse();
console.log(raw.headers.get("request-id"), message.id);
