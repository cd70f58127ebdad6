import base64
from pathlib import Path

import anthropic

client = anthropic.Anthropic()
image_data = base64.standard_b64encode(Path("ant.jpg").read_bytes()).decode("utf-8")

message = client.messages.create(
    model="claude-sonnet-4-6",
    max_tokens=1024,
    messages=[
        {
            "role": "user",
            "content": [
                {
                    "type": "image",
                    "source": {
                        "type": "base64",
                        "media_type": "image/jpeg",
                        "data": image_data,
                    },
                },
                {"type": "text", "text": "What is in this image?"},
            ],
        }
    ],
)
