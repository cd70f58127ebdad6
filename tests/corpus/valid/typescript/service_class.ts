import Anthropic from '@anthropic-ai/sdk';

export class ReviewService {
  private readonly client = new Anthropic();

  async review(diff: string): Promise<string> {
    const message = await this.client.messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 4000,
      system: 'You are a meticulous code reviewer.',
      messages: [{ role: 'user', content: `Review this diff:\n${diff}` }],
    });
    const first = message.content[0];
    return first.type === 'text' ? first.text : '';
  }
}
