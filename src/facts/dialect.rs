//! Which platform a body is written for. Bedrock and Vertex move `model` into the URL and put
//! `anthropic_version` in the body; their limits differ from the first-party API's.

use crate::facts::api::{self, Platform};

/// The platform a request body is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
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
    /// The platform's limits (`data/api.toml`). A body that does not say which cloud gets
    /// Bedrock's, the smaller of the two.
    pub(crate) fn platform(self) -> &'static Platform {
        let platforms = &api::limits().platform;
        match self {
            Dialect::FirstParty => &platforms.first_party,
            Dialect::Bedrock | Dialect::Cloud => &platforms.bedrock,
            Dialect::Vertex => &platforms.vertex,
        }
    }

    /// The largest request body the platform accepts, in bytes (reference §8.1).
    pub(crate) fn max_body_bytes(self) -> u64 {
        self.platform().max_body_bytes()
    }

    /// The platform's name in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Dialect::FirstParty => "the Claude API",
            Dialect::Bedrock => "Amazon Bedrock",
            Dialect::Vertex => "Google Cloud Vertex AI",
            Dialect::Cloud => "Bedrock or Vertex AI",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body that does not say which cloud must fit both: Bedrock's limits are the smaller.
    #[test]
    fn an_unnamed_cloud_gets_the_smaller_limits() {
        let (bedrock, vertex) = (Dialect::Bedrock.platform(), Dialect::Vertex.platform());
        assert!(bedrock.max_body_mb <= vertex.max_body_mb);
        assert!(bedrock.max_image_mb <= vertex.max_image_mb);
        assert_eq!(Dialect::Cloud.max_body_bytes(), 20 * api::MB);
        assert_eq!(Dialect::FirstParty.max_body_bytes(), 32 * api::MB);
    }
}
