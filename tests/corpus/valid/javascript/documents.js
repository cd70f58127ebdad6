import fs from "node:fs";
import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic();
const pdfBase64 = fs.readFileSync("paper.pdf").toString("base64");

const response = await anthropic.messages.create({
  model: "claude-opus-5",
  max_tokens: 1024,
  messages: [
    {
      role: "user",
      content: [
        {
          type: "document",
          source: { type: "base64", media_type: "application/pdf", data: pdfBase64 },
          citations: { enabled: true },
        },
        { type: "text", text: "What are the key findings in this document?" },
      ],
    },
  ],
});
