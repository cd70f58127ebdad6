import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';

const projectId = 'MY_PROJECT_ID';
const region = 'global';

const client = new AnthropicVertex({ projectId, region });

const result = await client.messages.create({
  messages: [{ role: 'user', content: 'Hey Claude!' }],
  model: 'claude-opus-4-6',
  max_tokens: 100,
});
console.log(JSON.stringify(result, null, 2));
