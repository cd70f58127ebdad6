"""A LangChain agent that triages support tickets."""

from langchain.chat_models import init_chat_model
from langchain_anthropic import ChatAnthropic

triage = ChatAnthropic(model="claude-sonnet-4.5", max_tokens=1024)
writer = ChatAnthropic(model="claude-haiku-4-5", max_tokens=128000, temperature=0.2)
router = init_chat_model("anthropic:claude-3-5-haiku-20241022", temperature=0)
