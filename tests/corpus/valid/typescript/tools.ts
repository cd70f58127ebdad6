import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

const tools: Anthropic.Tool[] = [
  {
    name: 'get_weather',
    description: 'Get the weather for a specific location',
    input_schema: {
      type: 'object',
      properties: { location: { type: 'string' } },
      required: ['location'],
    },
  },
];

const message = await client.messages.create({
  model: 'claude-opus-5',
  max_tokens: 1024,
  tools,
  messages: [{ role: 'user', content: 'What is the weather in SF?' }],
});
