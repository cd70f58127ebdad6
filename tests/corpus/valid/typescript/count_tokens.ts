import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

const response = await client.messages.countTokens({
  model: 'claude-opus-5',
  system: 'You are a scientist',
  messages: [{ role: 'user', content: 'Hello, Claude' }],
});
console.log(response.input_tokens);
