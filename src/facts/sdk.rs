//! What the Anthropic SDKs do at run time around a request, loaded from `data/sdk.toml`
//! (invariant 6: facts are data, each with its source): when they refuse a non-streaming
//! request as too long, and how they retry.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// Which SDK builds a call: their client-side rules differ in detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sdk {
    /// PyPI `anthropic`.
    Python,
    /// npm `@anthropic-ai/sdk` (and its Bedrock and Vertex packages).
    TypeScript,
}

/// When an SDK refuses a non-streaming request before sending it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Nonstreaming {
    /// The time the SDK expects `per_tokens` output tokens to take, in seconds.
    pub max_seconds: u64,
    /// The default timeout: a longer expected time is refused.
    pub default_seconds: u64,
    /// The output tokens `max_seconds` is for.
    pub per_tokens: u64,
    /// Per-model ceilings on `max_tokens` (`MODEL_NONSTREAMING_TOKENS`), by exact model id.
    pub caps: BTreeMap<String, u64>,
    /// Where the numbers come from: provenance for readers, required in the data file.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by people and the tests, not code")
    )]
    pub source: String,
}

impl Nonstreaming {
    /// The seconds the SDK expects a response of `max_tokens` tokens to take.
    pub(crate) fn expected_seconds(&self, max_tokens: u64) -> f64 {
        self.max_seconds as f64 * max_tokens as f64 / self.per_tokens as f64
    }

    /// The largest `max_tokens` the SDK sends without streaming, for `model` when known.
    pub(crate) fn limit(&self, model: Option<&str>) -> u64 {
        let by_time = self.default_seconds * self.per_tokens / self.max_seconds;
        model
            .and_then(|m| self.caps.get(m))
            .map_or(by_time, |&cap| cap.min(by_time))
    }
}

/// An SDK's default retry policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Retries {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first backoff, in seconds.
    pub initial_delay: f64,
    /// The longest backoff, in seconds.
    pub max_delay: f64,
    /// Where the numbers come from: provenance for readers, required in the data file.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by people and the tests, not code")
    )]
    pub source: String,
}

/// One SDK's run-time behaviour.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SdkFacts {
    /// The package name on its registry.
    pub package: String,
    /// The version the facts were read from.
    pub version: String,
    /// When it refuses a non-streaming request.
    pub nonstreaming: Nonstreaming,
    /// Its retry policy.
    pub retries: Retries,
}

/// The SDK method keyword arguments that are not body fields (reference §14): a call passing
/// them has no unknown body field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Keywords {
    /// Sent as HTTP headers by both SDKs (`user_profile_id`, `workspace_id`).
    pub headers: Vec<String>,
    /// Python per-request options that never reach the body (`extra_headers`, `timeout`...).
    pub options: Vec<String>,
    /// Merged into the body, so their members are body fields (`extra_body`).
    pub merged: Vec<String>,
    /// The list sent as the `anthropic-beta` header.
    pub betas: String,
    /// Where the list comes from: provenance for readers, required in the data file.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by people and the tests, not code")
    )]
    pub source: String,
}

impl Keywords {
    /// True for a keyword whose members the SDK merges into the body (`extra_body`).
    pub(crate) fn is_merged(&self, name: &str) -> bool {
        self.merged.iter().any(|m| m == name)
    }

    /// True for a keyword the SDK sends as a header, in either SDK.
    pub(crate) fn is_header(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h == name)
    }
}

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SdkTable {
    python: SdkFacts,
    typescript: SdkFacts,
    keywords: Keywords,
}

static TABLE: LazyLock<SdkTable> = LazyLock::new(|| {
    toml::from_str(include_str!("../../data/sdk.toml")).expect("data/sdk.toml is checked by a test")
});

/// The facts of `sdk`.
pub(crate) fn facts(sdk: Sdk) -> &'static SdkFacts {
    match sdk {
        Sdk::Python => &TABLE.python,
        Sdk::TypeScript => &TABLE.typescript,
    }
}

/// The SDK keyword arguments that are not body fields.
pub(crate) fn keywords() -> &'static Keywords {
    &TABLE.keywords
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_with_sources() {
        for sdk in [Sdk::Python, Sdk::TypeScript] {
            let f = facts(sdk);
            assert!(f.nonstreaming.source.contains("calculate"));
            assert!(f.retries.source.contains("retry"));
            assert_eq!(f.retries.max_retries, 2);
        }
        let py = &facts(Sdk::Python).nonstreaming;
        assert_eq!(py.limit(None), 21_333);
        assert_eq!(py.limit(Some("claude-opus-4-0")), 8192);
        assert_eq!(
            facts(Sdk::TypeScript)
                .nonstreaming
                .limit(Some("claude-opus-4-0")),
            21_333
        );
        assert_eq!(py.expected_seconds(64_000), 1800.0);
        let k = keywords();
        assert!(k.is_header("user_profile_id") && !k.is_header("model"));
        assert!(k.options.iter().any(|o| o == "timeout"));
        assert_eq!(k.merged, ["extra_body"]);
        assert!(k.source.contains("resources/messages/batches.py"));
    }
}
