import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

async function main() {
  const params: Anthropic.MessageCreateParams = {
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-6',
  };
  const message: Anthropic.Message = await client.messages.create(params);
  console.log(message.id);
}

main();
