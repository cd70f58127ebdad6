"""Settings shared by the scripts of this package."""

MODEL = "claude-3-opus-20240229"
MAX_TOKENS = 1024
