import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();

const messageBatch = await anthropic.messages.batches.create({
  requests: [
    {
      custom_id: 'first-prompt-in-my-batch',
      params: {
        model: 'claude-haiku-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hey Claude, tell me a short fun fact about video games!' }],
      },
    },
    {
      custom_id: 'second-prompt-in-my-batch',
      params: {
        model: 'claude-haiku-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hey Claude, tell me a short fun fact about bees!' }],
      },
    },
  ],
});
console.log(messageBatch);
