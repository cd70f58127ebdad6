"""Application settings, read from the environment."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    anthropic_api_key: str = os.environ.get("ANTHROPIC_API_KEY", "")
    claude_model: str = os.environ.get("CLAUDE_MODEL", "claude-sonnet-4-6")
    max_tokens: int = int(os.environ.get("MAX_TOKENS", "1024"))
    request_timeout: float = 60.0


settings = Settings()
