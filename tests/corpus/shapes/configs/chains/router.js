// Picks a chat model per route; the ids are pinned so evals stay comparable.
import { initChatModel } from "langchain/chat_models/universal";

export const fast = await initChatModel("anthropic:claude-haiku-4-5", {
  maxTokens: 1024,
});

export const careful = await initChatModel("anthropic:claude-sonnet-4-6", {
  maxTokens: 8192,
  temperature: 0.3,
});

export async function answer(route, messages) {
  const model = route === "billing" ? careful : fast;
  return model.invoke(messages);
}
