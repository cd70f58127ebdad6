import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();

const defaults = {
  model: 'claude-sonnet-5',
  max_tokens: 2048,
} as const;

export function ask(question: string) {
  return client.messages.create({
    ...defaults,
    system: 'Answer in one paragraph.',
    messages: [{ role: 'user', content: question }],
  });
}
