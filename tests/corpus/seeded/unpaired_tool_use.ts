import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

await client.messages.create({
  model: 'claude-opus-5',
  max_tokens: 1024,
  tools: [{ name: 'lookup', description: 'Look a word up', input_schema: { type: 'object', properties: {} } }],
  messages: [
    { role: 'user', content: 'Define "ephemeral".' },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'lookup', input: {} }] },
    { role: 'user', content: 'Never mind.' },
  ],
});
