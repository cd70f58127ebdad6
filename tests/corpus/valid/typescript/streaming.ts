import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();

const stream = anthropic.messages
  .stream({
    model: 'claude-opus-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Say hello there!' }],
  })
  .on('text', (text) => {
    process.stdout.write(text);
  });

const message = await stream.finalMessage();
console.log(message.usage);
