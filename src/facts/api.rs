//! The API's versions and numeric limits, loaded once from `data/api.toml` (invariant 6: facts
//! are data, each with its source). Rules read limits from [`limits`] and ask an [`ApiVersion`]
//! whether it still accepts what a later version took away ([`Change`]), so a new version or
//! a changed limit is an edit of the data file, plus the rules whose behaviour differs.

use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Deserializer};

/// One megabyte as the API counts its size limits.
pub(crate) const MB: u64 = 1024 * 1024;

/// Something an API version took away from the versions before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Change {
    /// `temperature`, `top_p` and `top_k`.
    SamplingParameters,
    /// A `document` block directly in an assistant message.
    AssistantDocuments,
    /// A text block with `citations` in a user message.
    UserCitations,
}

/// The first major version of each official SDK that sends a version by default.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SdkMajors {
    /// PyPI `anthropic`.
    pub python: u64,
    /// npm `@anthropic-ai/sdk`.
    pub typescript: u64,
}

/// One `anthropic-version` value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Version {
    /// The header value, `2023-06-01`.
    pub name: String,
    /// False when the API knows the version but what it changes is not recorded: rules treat
    /// it as unknown, and the settings do not offer it.
    #[serde(default = "yes")]
    pub modelled: bool,
    /// What it takes away from the versions before it.
    #[serde(default)]
    pub removes: Vec<Change>,
    /// The first SDK majors that send it, for versions an SDK sends.
    pub sdk: Option<SdkMajors>,
    /// Where the facts come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

fn yes() -> bool {
    true
}

/// One platform's size limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Platform {
    /// The largest request body, in MB.
    pub max_body_mb: u64,
    /// The largest decoded image, in MB.
    pub max_image_mb: u64,
    /// The `anthropic_version` its bodies carry (Bedrock, Vertex).
    pub body_version: Option<String>,
    /// The API version that body version behaves like.
    pub behaves_like: Option<String>,
    /// Where the facts come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

impl Platform {
    /// The largest request body, in bytes.
    pub(crate) fn max_body_bytes(&self) -> u64 {
        self.max_body_mb * MB
    }

    /// The largest decoded image, in bytes.
    pub(crate) fn max_image_bytes(&self) -> u64 {
        self.max_image_mb * MB
    }
}

/// The platforms whose limits differ.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Platforms {
    /// The Claude API (and Claude Platform on AWS, Foundry).
    pub first_party: Platform,
    /// Amazon Bedrock InvokeModel.
    pub bedrock: Platform,
    /// Google Cloud Vertex AI.
    pub vertex: Platform,
}

/// Message Batches.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Batches {
    /// The largest batch body, in MB.
    pub max_body_mb: u64,
    /// The most requests one batch holds.
    pub max_requests: usize,
    /// The longest `custom_id`.
    pub max_custom_id_chars: usize,
    /// Where the facts come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

impl Batches {
    /// The largest batch body, in bytes.
    pub(crate) fn max_body_bytes(&self) -> u64 {
        self.max_body_mb * MB
    }
}

/// Limits on a request's contents.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Messages {
    /// The most entries in `messages`.
    pub max_messages: usize,
    /// The longest `metadata.user_id`, in characters.
    pub max_user_id_chars: usize,
    /// The most Skills one request loads.
    pub max_skills: usize,
    /// The most `mcp_servers`.
    pub max_mcp_servers: usize,
    /// Where the facts come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

/// Image limits and costs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Images {
    /// The longest side of any image, in pixels.
    pub max_side_px: u64,
    /// Above this many images in one request, the smaller side limit applies.
    pub many_images: usize,
    /// The longest side when a request holds more than `many_images`.
    pub max_side_px_many: u64,
    /// The most images one request holds.
    pub max_per_request: usize,
    /// The most on a model whose context window is at most `small_window_tokens`.
    pub max_per_request_small_window: usize,
    /// The context window of the models with the smaller image count.
    pub small_window_tokens: u64,
    /// Where the facts come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

/// PDF limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Pdfs {
    /// The most PDF pages one request holds.
    pub max_pages: u64,
    /// The most on a model whose context window is under `small_window_below_tokens`.
    pub max_pages_small_window: u64,
    /// The context window below which the smaller page count applies.
    pub small_window_below_tokens: u64,
    /// Where the facts come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

/// Prompt caching limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Caching {
    /// The most `cache_control` breakpoints per request.
    pub max_breakpoints: usize,
    /// Where the facts come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

/// Sampling parameter limits beyond their ranges (the ranges are the request schema's).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SamplingLimits {
    /// The smallest `top_p` a model that refuses non-default sampling still accepts.
    pub min_top_p_default_only: f64,
    /// The smallest `top_p` while thinking is on, on models that take sampling parameters.
    pub min_top_p_thinking: f64,
    /// Where the facts come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

/// Extended thinking limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Thinking {
    /// The smallest `budget_tokens`.
    pub min_budget_tokens: u64,
    /// Where the facts come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

/// Tool limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Tools {
    /// The longest tool name every source accepts (the docs' limit).
    pub sure_name_chars: usize,
    /// The longest tool name any source accepts (the OpenAPI's and newer errors' limit).
    pub max_name_chars: usize,
    /// The most tools with `strict: true` per request.
    pub max_strict: usize,
    /// The most optional parameters across all strict schemas and `output_config.format`.
    pub max_strict_optional: usize,
    /// The most union-typed parameters across all strict schemas.
    pub max_strict_unions: usize,
    /// Where the facts come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Limits {
    /// `anthropic-version` values, oldest first.
    #[serde(rename = "version")]
    versions: Vec<Version>,
    /// Per-platform limits.
    pub platform: Platforms,
    /// Message Batches limits.
    pub batches: Batches,
    /// Request content limits.
    pub messages: Messages,
    /// Image limits.
    pub images: Images,
    /// PDF limits.
    pub pdfs: Pdfs,
    /// Prompt caching limits.
    pub caching: Caching,
    /// Sampling parameter limits.
    pub sampling: SamplingLimits,
    /// Extended thinking limits.
    pub thinking: Thinking,
    /// Tool limits.
    pub tools: Tools,
}

static TABLE: LazyLock<Limits> = LazyLock::new(|| {
    toml::from_str(include_str!("../../data/api.toml")).expect("data/api.toml is checked by a test")
});

/// The names of the modelled versions, oldest first: what settings accept.
static MODELLED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    TABLE
        .versions
        .iter()
        .filter(|v| v.modelled)
        .map(|v| v.name.as_str())
        .collect()
});

/// The API's limits.
pub(crate) fn limits() -> &'static Limits {
    &TABLE
}

/// Every version the API knows, oldest first.
pub(crate) fn versions() -> &'static [Version] {
    &TABLE.versions
}

/// The `anthropic-version` a request is sent with, or [`ApiVersion::UNKNOWN`]. A handle into
/// the version table: comparing and copying it is free, and what a version accepts is data.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct ApiVersion(Option<u8>);

impl ApiVersion {
    /// Not known here: version-dependent findings are warnings that name both sides.
    pub(crate) const UNKNOWN: ApiVersion = ApiVersion(None);

    /// Parses an `anthropic-version` value; `None` for a value the API does not know or whose
    /// changes are not recorded.
    pub(crate) fn parse(value: &str) -> Option<Self> {
        TABLE
            .versions
            .iter()
            .position(|v| v.modelled && v.name == value)
            .map(|i| ApiVersion(Some(i as u8)))
    }

    /// The version that `body_version` (a Bedrock or Vertex body's `anthropic_version`)
    /// behaves like, when it is one.
    pub(crate) fn of_body_version(body_version: &str) -> Option<Self> {
        let p = &TABLE.platform;
        [&p.bedrock, &p.vertex]
            .into_iter()
            .find(|p| p.body_version.as_deref() == Some(body_version))
            .and_then(|p| Self::parse(p.behaves_like.as_deref()?))
    }

    /// Every modelled version, oldest first.
    pub(crate) fn all() -> impl Iterator<Item = ApiVersion> {
        MODELLED.iter().filter_map(|name| Self::parse(name))
    }

    /// The names the settings accept, oldest first.
    pub(crate) fn names() -> &'static [&'static str] {
        &MODELLED
    }

    /// What a setting naming an unknown version is told: "the API knows `a` and `b`".
    pub(crate) fn known() -> String {
        format!("the API knows {}", crate::words::and_list(Self::names()))
    }

    /// The newest version an SDK sends: what current SDKs default to.
    pub(crate) fn sdk_default() -> ApiVersion {
        Self::all()
            .filter(|v| v.facts().is_some_and(|f| f.sdk.is_some()))
            .last()
            .unwrap_or_default()
    }

    /// The version's entry in the table.
    pub(crate) fn facts(self) -> Option<&'static Version> {
        self.0.map(|i| &TABLE.versions[i as usize])
    }

    /// The header value; `None` when unknown.
    pub(crate) fn name(self) -> Option<&'static str> {
        self.facts().map(|v| v.name.as_str())
    }

    /// Whether the version still accepts what `change` took away: `None` when the version is
    /// unknown.
    pub(crate) fn accepts(self, change: Change) -> Option<bool> {
        let index = self.0? as usize;
        Some(
            !TABLE.versions[..=index]
                .iter()
                .any(|v| v.removes.contains(&change)),
        )
    }
}

impl fmt::Debug for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name().unwrap_or("unknown"))
    }
}

impl<'de> Deserialize<'de> for ApiVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text)
            .ok_or_else(|| serde::de::Error::unknown_variant(&text, ApiVersion::names()))
    }
}

/// Where a change happened: the version that took it away, and the newest one before it that
/// still accepts it, for messages naming both.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Removal {
    /// The version that removed it.
    pub removed_in: &'static str,
    /// The newest modelled version that still accepts it.
    pub accepted_in: &'static str,
}

/// Where `change` happened.
pub(crate) fn removal(change: Change) -> Removal {
    let versions = &TABLE.versions;
    let at = versions
        .iter()
        .position(|v| v.removes.contains(&change))
        .expect("every change is removed by a version (checked by a test)");
    let before = versions[..at]
        .iter()
        .rfind(|v| v.modelled)
        .expect("a modelled version precedes every change (checked by a test)");
    Removal {
        removed_in: &versions[at].name,
        accepted_in: &before.name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANGES: [Change; 3] = [
        Change::SamplingParameters,
        Change::AssistantDocuments,
        Change::UserCitations,
    ];

    #[test]
    fn the_table_loads_with_sources() {
        let t = limits();
        assert!(versions().iter().all(|v| v.source.contains('§')));
        for source in [
            &t.platform.first_party.source,
            &t.platform.bedrock.source,
            &t.platform.vertex.source,
            &t.batches.source,
            &t.messages.source,
            &t.images.source,
            &t.pdfs.source,
            &t.caching.source,
            &t.sampling.source,
            &t.thinking.source,
            &t.tools.source,
        ] {
            assert!(source.contains('§'), "{source}");
        }
        assert_eq!(t.platform.first_party.max_body_bytes(), 33_554_432);
        assert_eq!(t.batches.max_requests, 100_000);
    }

    #[test]
    fn versions_parse_from_their_names_only_when_modelled() {
        assert_eq!(ApiVersion::names(), ["2023-06-01", "2026-10-21"]);
        assert_eq!(versions()[0].name, "2023-01-01");
        assert_eq!(ApiVersion::parse("2023-01-01"), None);
        assert_eq!(ApiVersion::parse("2024-01-01"), None);
        let old = ApiVersion::parse("2023-06-01").unwrap();
        let new = ApiVersion::parse("2026-10-21").unwrap();
        assert_eq!(
            format!("{old:?} {new:?} {:?}", ApiVersion::UNKNOWN),
            "2023-06-01 2026-10-21 unknown"
        );
        assert_eq!(ApiVersion::sdk_default(), new);
        assert_eq!(ApiVersion::of_body_version("bedrock-2023-05-31"), Some(old));
        assert_eq!(ApiVersion::of_body_version("vertex-2023-10-16"), Some(old));
        assert_eq!(ApiVersion::of_body_version("2023-06-01"), None);
        let error = toml::from_str::<Holder>("v = \"2024-01-01\"").unwrap_err();
        assert!(
            error
                .message()
                .contains("unknown variant `2024-01-01`, expected `2023-06-01` or `2026-10-21`"),
            "{error}"
        );
        let parsed: Holder = toml::from_str("v = \"2026-10-21\"").unwrap();
        assert_eq!(parsed.v, new);
    }

    #[derive(Debug, Deserialize)]
    struct Holder {
        v: ApiVersion,
    }

    #[test]
    fn every_change_is_accepted_before_its_version_and_refused_from_it() {
        let old = ApiVersion::parse("2023-06-01").unwrap();
        let new = ApiVersion::parse("2026-10-21").unwrap();
        for change in CHANGES {
            assert_eq!(old.accepts(change), Some(true));
            assert_eq!(new.accepts(change), Some(false));
            assert_eq!(ApiVersion::UNKNOWN.accepts(change), None);
            let r = removal(change);
            assert_eq!((r.removed_in, r.accepted_in), ("2026-10-21", "2023-06-01"));
        }
    }

    /// The config schema and the VS Code manifest offer exactly the modelled versions.
    #[test]
    fn the_schema_and_the_editor_manifest_list_the_table() {
        let root = env!("CARGO_MANIFEST_DIR");
        let read = |path: &str| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(format!("{root}/{path}")).unwrap())
                .unwrap()
        };
        let schema = read("schemas/config.schema.json");
        let manifest = read("editors/vscode/package.json");
        let found = [
            &schema["$defs"]["apiVersion"]["enum"],
            &manifest["contributes"]["configuration"]["properties"]["claudePreflight.apiVersion"]["enum"],
        ];
        for list in found {
            let names: Vec<&str> = list
                .as_array()
                .unwrap_or_else(|| panic!("no enum: {list}"))
                .iter()
                .filter_map(|v| v.as_str())
                .filter(|v| !v.is_empty())
                .collect();
            assert_eq!(names, ApiVersion::names());
        }
    }
}
