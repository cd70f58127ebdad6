"""Retrieval-augmented answers over the handbook."""

from langchain_anthropic import ChatAnthropic
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from .retriever import handbook_retriever

prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "Answer from the handbook excerpts only. Say so when they do not cover it."),
        ("human", "Excerpts:\n{context}\n\nQuestion: {question}"),
    ]
)

llm = ChatAnthropic(model="claude-sonnet-4-6", max_tokens=1024, temperature=0)


def format_docs(docs):
    return "\n\n".join(d.page_content for d in docs)


chain = (
    {"context": handbook_retriever | format_docs, "question": lambda q: q}
    | prompt
    | llm
    | StrOutputParser()
)
