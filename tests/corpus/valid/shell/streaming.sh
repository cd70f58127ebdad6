#!/bin/sh
curl https://api.anthropic.com/v1/messages \
  -H "x-api-key: $ANTHROPIC_API_KEY" \
  -H "anthropic-version: 2023-06-01" \
  -H "content-type: application/json" \
  --no-buffer \
  -d '{"model": "claude-sonnet-4-6", "max_tokens": 256, "stream": true, "messages": [{"role": "user", "content": "Count to five"}]}'
