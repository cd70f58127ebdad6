import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';

const client = new AnthropicBedrock({ awsRegion: 'us-east-1' });

const message = await client.messages.create({
  model: 'global.anthropic.claude-opus-4-6-v1',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Hello, world' }],
});
