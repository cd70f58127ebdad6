//! Which platform a body is written for. Bedrock and Vertex move `model` into the URL and put
//! `anthropic_version` in the body; their limits differ from the first-party API's.

/// The platform a request body is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `POST /v1/messages` on the Claude API (and Claude Platform on AWS, Foundry).
    FirstParty,
    /// Amazon Bedrock InvokeModel (`anthropic_version: "bedrock-2023-05-31"`).
    Bedrock,
    /// Google Cloud Vertex AI rawPredict (`anthropic_version: "vertex-2023-10-16"`).
    Vertex,
    /// A body with an `anthropic_version` that does not say which cloud (e.g. `2026-10-21`).
    Cloud,
}

impl Dialect {
    /// The largest request body the platform accepts, in bytes (reference §8.1).
    pub fn max_body_bytes(self) -> u64 {
        match self {
            Dialect::FirstParty => 32 * MB,
            Dialect::Bedrock | Dialect::Cloud => 20 * MB,
            Dialect::Vertex => 30 * MB,
        }
    }

    /// The platform's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::FirstParty => "the Claude API",
            Dialect::Bedrock => "Amazon Bedrock",
            Dialect::Vertex => "Google Cloud Vertex AI",
            Dialect::Cloud => "Bedrock or Vertex AI",
        }
    }
}

/// One megabyte as the API counts its size limits.
pub const MB: u64 = 1024 * 1024;

/// The largest Message Batches body, in bytes.
pub const MAX_BATCH_BYTES: u64 = 256 * MB;
