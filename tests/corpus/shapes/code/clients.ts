import Anthropic from "@anthropic-ai/sdk";

function makeClient(): Anthropic {
  return new Anthropic({ maxRetries: 4, timeout: 60_000 });
}

export async function classify(ticket: string) {
  const client = makeClient();
  return client.messages.create({
    model: "claude-haiku-4-5",
    max_tokens: 16,
    system: "Answer billing, bug or other.",
    messages: [{ role: "user", content: ticket }],
  });
}

export async function explain(ticket: string) {
  return makeClient().messages.create({
    model: "claude-sonnet-4-6",
    max_tokens: 800,
    messages: [{ role: "user", content: `Explain this ticket to a new hire:\n${ticket}` }],
  });
}
