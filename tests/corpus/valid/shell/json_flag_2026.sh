# API version 2026-10-21 with curl's --json (sets content-type and accept).
curl https://api.anthropic.com/v1/messages \
  -H "x-api-key: $ANTHROPIC_API_KEY" \
  -H "anthropic-version: 2026-10-21" \
  --json '{"model": "claude-opus-5", "max_tokens": 128, "messages": [{"role": "user", "content": "Hi"}]}'
