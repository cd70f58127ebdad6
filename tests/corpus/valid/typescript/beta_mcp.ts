import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();

const response = await anthropic.beta.messages.create({
  model: 'claude-opus-5',
  max_tokens: 1000,
  messages: [{ role: 'user', content: 'What tools do you have available?' }],
  mcp_servers: [
    {
      type: 'url',
      url: 'https://example-server.modelcontextprotocol.io/sse',
      name: 'example-mcp',
    },
  ],
  betas: ['mcp-client-2025-11-20'],
});
