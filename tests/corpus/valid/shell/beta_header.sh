curl "https://api.anthropic.com/v1/messages?beta=true" \
  -H "x-api-key: $ANTHROPIC_API_KEY" \
  -H "anthropic-version: 2023-06-01" \
  -H "content-type: application/json" \
  -H "anthropic-beta: context-management-2025-06-27" \
  -d '{
    "model": "claude-opus-5",
    "max_tokens": 2048,
    "context_management": {"edits": [{"type": "clear_tool_uses_20250919"}]},
    "messages": [{"role": "user", "content": "Keep going"}]
  }'
