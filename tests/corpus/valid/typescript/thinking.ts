import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

const response = await client.messages.create({
  model: 'claude-opus-5',
  max_tokens: 16000,
  thinking: { type: 'adaptive' },
  output_config: { effort: 'xhigh' },
  messages: [{ role: 'user', content: 'Plan a three-day trip to Kyoto.' }],
});
