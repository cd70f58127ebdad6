const Anthropic = require("@anthropic-ai/sdk");

const client = new Anthropic();

async function main() {
  const message = await client.messages.create({
    model: "claude-sonnet-4-6",
    max_tokens: 300,
    messages: [{ role: "user", content: "Give me three names for a cat." }],
  });
  console.log(message.content);
}

main().catch(console.error);
