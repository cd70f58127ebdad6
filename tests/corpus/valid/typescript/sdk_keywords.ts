// SDK params that are headers (`user_profile_id`, `workspace_id`) and request options.
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

const message = await client.messages.create(
  {
    model: "claude-opus-5",
    max_tokens: 1024,
    messages: [{ role: "user", content: "Hello, Claude" }],
    user_profile_id: "uprof_011CZkZaBF1tNoB5wlCeusgy",
    workspace_id: "wrkspc_011CZkZaBF1tNoB5wlCeusgy",
  },
  { headers: { "x-request-source": "nightly-job" }, timeout: 30_000 },
);

const batch = await client.messages.batches.create({
  requests: [
    {
      custom_id: "req-1",
      params: {
        model: "claude-opus-5",
        max_tokens: 1024,
        messages: [{ role: "user", content: "Hi" }],
      },
    },
  ],
  user_profile_id: "uprof_011CZkZaBF1tNoB5wlCeusgy",
});

console.log(message, batch);
