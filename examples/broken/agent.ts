import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic();

export async function lookup(city: string) {
  return anthropic.messages.create({
    model: "claude-opus-5",
    max_tokens: 1024,
    tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
    tool_choice: "required",
    messages: [{ role: "user", content: `Weather in ${city}?` }],
  });
}
