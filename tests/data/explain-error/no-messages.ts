import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

const message = await client.messages.create({
  "model": "claude-haiku-4-5",
  "max_tokens": 1024
});
