import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({ dangerouslyAllowBrowser: true });

export const Button = () => (
  <button
    onClick={() =>
      client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }],
      })
    }
  />
);
