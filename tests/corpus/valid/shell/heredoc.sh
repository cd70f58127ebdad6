#!/bin/bash
PROMPT="Summarise the release notes"
curl -sS https://api.anthropic.com/v1/messages \
  -H "x-api-key: $ANTHROPIC_API_KEY" \
  -H "anthropic-version: 2023-06-01" \
  -H "content-type: application/json" \
  -d @- <<EOF | jq -r '.content[0].text'
{
  "model": "claude-haiku-4-5",
  "max_tokens": 512,
  "system": "You write terse summaries.",
  "messages": [{"role": "user", "content": "$PROMPT"}]
}
EOF
