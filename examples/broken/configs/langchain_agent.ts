import { ChatAnthropic } from "@langchain/anthropic";
import { initChatModel } from "langchain/chat_models/universal";

export const summariser = new ChatAnthropic({ model: "claude-3-7-sonnet-latest", maxTokens: 4096 });
export const planner = await initChatModel("anthropic:claude-opus-4-8", { maxTokens: 200000 });
