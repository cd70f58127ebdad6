//! The file as written: what TOML deserializes into, with the spans errors point at.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::facts::api::ApiVersion;
use crate::rules::Severity;
use crate::settings::DeclaredKind;

/// A rule's level in `[rules]`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Level {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl Level {
    /// The severity, `None` for `off`.
    pub(super) fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Hint => Some(Severity::Hint),
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// `[rules]`: each rule's level, with the span of its name.
pub(super) type RuleLevels = BTreeMap<Spanned<String>, Level>;

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawConfig {
    pub(super) model: Option<String>,
    pub(super) api_version: Option<ApiVersion>,
    pub(super) context_warning_ratio: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) include: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) exclude: Vec<Spanned<String>>,
    pub(super) select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) ignore: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) rules: RuleLevels,
    #[serde(default)]
    pub(super) overrides: Vec<RawOverride>,
    #[serde(default)]
    pub(super) models: Vec<RawModel>,
    /// Betas every request is sent with (the header a data file cannot show).
    #[serde(default)]
    pub(super) betas: Vec<String>,
}

/// One `[[overrides]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawOverride {
    pub(super) files: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) rules: RuleLevels,
    pub(super) model: Option<String>,
    pub(super) api_version: Option<ApiVersion>,
    pub(super) kind: Option<DeclaredKind>,
}

/// One `[[models]]` entry as written: a model this tool does not know (a proxy name, a
/// fine-tune, a Bedrock ARN) that behaves like one it does.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawModel {
    pub(super) id: Spanned<String>,
    pub(super) like: Spanned<String>,
    pub(super) name: Option<String>,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    pub(super) context_window: Option<Spanned<u64>>,
    pub(super) max_output: Option<Spanned<u64>>,
    pub(super) min_cache_tokens: Option<u64>,
    #[serde(default)]
    pub(super) bedrock: Vec<String>,
    #[serde(default)]
    pub(super) vertex: Vec<String>,
    pub(super) deprecated: Option<Spanned<toml::Value>>,
    pub(super) retired: Option<Spanned<toml::Value>>,
    pub(super) replacement: Option<String>,
}

/// `pyproject.toml`: only `[tool.claude-preflight]` is read; everything else is its owners'.
#[derive(Debug, Deserialize)]
pub(super) struct Pyproject {
    pub(super) tool: Option<PyprojectTool>,
}

#[derive(Debug, Deserialize)]
pub(super) struct PyprojectTool {
    #[serde(rename = "claude-preflight")]
    pub(super) preflight: Option<RawConfig>,
}
