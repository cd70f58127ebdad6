import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic({ maxRetries: 3 });

export async function translate(
  text: string,
  target: string,
  model: string = "claude-sonnet-4-6",
  maxTokens = 2048,
): Promise<string> {
  const response = await anthropic.messages.create({
    model,
    max_tokens: maxTokens,
    system: `Translate the user's text into ${target}. Keep names unchanged.`,
    messages: [{ role: "user", content: text }],
  });
  const block = response.content[0];
  return block.type === "text" ? block.text : "";
}
