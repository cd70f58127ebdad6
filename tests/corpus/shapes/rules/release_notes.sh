#!/usr/bin/env bash
# Drafts release notes from the git log with one Messages API call.
set -euo pipefail

since="${1:-$(git describe --tags --abbrev=0)}"
log=$(git log --oneline "$since"..HEAD | jq -Rs .)

curl -sS https://api.anthropic.com/v1/messages \
  -H "x-api-key: $ANTHROPIC_API_KEY" \
  -H "anthropic-version: 2023-06-01" \
  -H "content-type: application/json" \
  -d @- <<JSON | jq -r '.content[0].text'
{
  "model": "claude-sonnet-4-6",
  "max_tokens": 1500,
  "system": "You write release notes grouped by Added, Changed and Fixed.",
  "messages": [{"role": "user", "content": $log}]
}
JSON
