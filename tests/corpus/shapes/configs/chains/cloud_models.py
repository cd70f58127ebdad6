"""Chat models for the customer deployments: Vertex AI in the EU, Bedrock in the US."""

from langchain_aws import ChatBedrock
from langchain_google_vertexai.model_garden import ChatAnthropicVertex

vertex_llm = ChatAnthropicVertex(
    model_name="claude-sonnet-4-5@20250929",
    project="acme-prod",
    location="europe-west1",
    max_output_tokens=8192,
    temperature=0.2,
)

bedrock_llm = ChatBedrock(
    model_id="us.anthropic.claude-haiku-4-5-20251001-v1:0",
    region_name="us-east-1",
    max_tokens=96000,
    temperature=0,
)
