//! LangChain (placeholder)
