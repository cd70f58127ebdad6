#!/bin/sh
curl https://api.anthropic.com/v1/messages \
  -H "x-api-key: $ANTHROPIC_API_KEY" \
  -H "anthropic-version: 2023-06-01" \
  -H "content-type: application/json" \
  -d '{
  "model": "claude-haiku-4-5",
  "max_tokens": 128001,
  "temperature": 1.5,
  "stop_sequences": [
    " "
  ],
  "response_format": {
    "type": "json_object"
  },
  "context_management": {
    "edits": []
  },
  "reasoning": {
    "effort": "high"
  },
  "extra_body": {},
  "thinking": {
    "type": "enabled",
    "budget_tokens": 512
  },
  "tool_choice": {
    "type": "function",
    "function": {
      "name": "get_weather"
    }
  },
  "tools": [
    {
      "name": "get weather",
      "description": "Weather.",
      "defer_loading": true
    },
    {
      "type": "function",
      "function": {
        "name": "lookup"
      }
    },
    {
      "name": "search",
      "input_schema": {
        "type": "object"
      },
      "input_examples": []
    }
  ],
  "system": [
    {
      "type": "text",
      "text": "Be brief."
    },
    {
      "type": "text",
      "text": "House rules.",
      "cache_control": {
        "type": "ephemeral",
        "scope": "global"
      }
    }
  ],
  "messages": [
    {
      "role": "system",
      "content": "You are terse."
    },
    {
      "role": "user",
      "content": [
        {
          "type": "text",
          "text": ""
        },
        {
          "type": "image",
          "source": {
            "type": "base64",
            "media_type": "image/jpeg",
            "data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
          }
        }
      ]
    },
    {
      "role": "assistant",
      "content": [
        {
          "type": "thinking",
          "thinking": "Edited.",
          "signature": "c2ln",
          "cache_control": {
            "type": "ephemeral"
          }
        },
        {
          "type": "tool_use",
          "id": "call.1",
          "name": "get_weather",
          "input": {},
          "text": "extra"
        },
        {
          "type": "server_tool_use",
          "id": "toolu_x",
          "name": "web_search",
          "input": {}
        }
      ]
    },
    {
      "role": "user",
      "content": [
        {
          "type": "text",
          "text": "See."
        },
        {
          "type": "tool_result",
          "tool_use_id": "toolu_zzz",
          "content": [
            {
              "type": "image",
              "source": {
                "type": "base64",
                "media_type": "image/png",
                "data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
              }
            }
          ]
        }
      ]
    },
    {
      "role": "assistant",
      "content": ""
    },
    {
      "role": "user",
      "content": [
        {
          "type": "text",
          "text": "Later.",
          "cache_control": {
            "type": "ephemeral",
            "ttl": "1h"
          }
        },
        {
          "type": "text",
          "text": "   "
        }
      ]
    },
    {
      "role": "assistant",
      "content": "Sure. "
    }
  ]
}'
