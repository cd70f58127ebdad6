import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

const message = await client.messages.create({
  "messages": [
    {
      "role": "user"
    }
  ]
});
