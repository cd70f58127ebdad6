//! The opt-in exact count through `POST /v1/messages/count_tokens`.
