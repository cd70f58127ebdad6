#!/bin/bash
MODEL="${MODEL:-claude-sonnet-4-6}"
QUESTION="$1"
curl -s https://api.anthropic.com/v1/messages \
  -H "x-api-key: $ANTHROPIC_API_KEY" \
  -H "anthropic-version: 2023-06-01" \
  -H "content-type: application/json" \
  -d "{\"model\": \"$MODEL\", \"max_tokens\": 400, \"messages\": [{\"role\": \"user\", \"content\": \"$QUESTION\"}]}"
