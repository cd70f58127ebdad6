import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

await client.messages.create({
  model: "claude-opus-5",
  max_tokens: 1024,
  tool_choice: "auto",
  tools: [{ name: "ping", description: "Ping a host", input_schema: { type: "object", properties: {} } }],
  messages: [{ role: "user", content: "Ping example.com" }],
});
