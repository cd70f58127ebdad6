import { ChatAnthropic } from "@langchain/anthropic";
import { StateGraph, MessagesAnnotation } from "@langchain/langgraph";

const planner = new ChatAnthropic({
  model: "claude-opus-4-6",
  maxTokens: 256000,
});

const worker = new ChatAnthropic({ model: "claude-haiku-4-5", maxTokens: 4096 });

async function plan(state: typeof MessagesAnnotation.State) {
  const reply = await planner.invoke(state.messages);
  return { messages: [reply] };
}

async function work(state: typeof MessagesAnnotation.State) {
  const reply = await worker.invoke(state.messages);
  return { messages: [reply] };
}

export const graph = new StateGraph(MessagesAnnotation)
  .addNode("plan", plan)
  .addNode("work", work)
  .addEdge("__start__", "plan")
  .addEdge("plan", "work")
  .compile();
