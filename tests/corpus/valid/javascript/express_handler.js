import express from "express";
import Anthropic from "@anthropic-ai/sdk";

const app = express();
const anthropic = new Anthropic();

app.post("/chat", async (req, res) => {
  const history = req.body.messages;
  const response = await anthropic.messages.create({
    model: "claude-opus-5",
    max_tokens: 1024,
    messages: history,
  });
  res.json(response);
});

app.listen(3000);
