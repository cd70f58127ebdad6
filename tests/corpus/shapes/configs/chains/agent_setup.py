import os

from langchain.agents import create_agent
from langchain.chat_models import init_chat_model

from tools import search_orders, refund_order

model = init_chat_model("anthropic:claude-3-5-sonnet-20241022", max_tokens=2048)

fallback = init_chat_model(
    os.environ.get("FALLBACK_MODEL", "anthropic:claude-haiku-4-5"),
    max_tokens=1024,
)

agent = create_agent(model, tools=[search_orders, refund_order])
