import Anthropic from '@anthropic-ai/sdk';
import { useState } from 'react';

const anthropic = new Anthropic({ dangerouslyAllowBrowser: true });

export function Chat() {
  const [reply, setReply] = useState('');
  async function send(prompt: string) {
    const message = await anthropic.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 512,
      messages: [{ role: 'user', content: prompt }],
    });
    const block = message.content[0];
    setReply(block.type === 'text' ? block.text : '');
  }
  return (
    <div>
      <button onClick={() => send('Hello')}>Ask Claude</button>
      <p>{reply}</p>
    </div>
  );
}
