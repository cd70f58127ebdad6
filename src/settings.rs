//! The resolved settings for one file: which rules run at which severity, the options rules
//! see, and the facts. The CLI and the language server build them from configuration.

use std::collections::HashMap;
use std::sync::Arc;

use crate::extract::PayloadKind;
use crate::facts::Facts;
use crate::facts::api::ApiVersion;
use crate::rules::{self, Options, Rule, RuleFilter, Severity};

/// A way to name rules on the command line and in configuration: a name (`openai-parameter`),
/// a code (`O101`), a code prefix (`O1`, `O`), a family (`openai`), or `ALL`. A rule's old code
/// (`X101` for `api-key-in-payload`, now `Y101`) names it exactly, never as a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selector(String);

impl Selector {
    /// Parses a selector; `None` when it names no rule.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let selector = Selector(text.trim().to_owned());
        rules::all()
            .any(|r| selector.matches(r))
            .then_some(selector)
    }

    /// True when the selector names `rule`.
    pub(crate) fn matches(&self, rule: &Rule) -> bool {
        let s = self.0.as_str();
        s == "ALL"
            || s == rule.name
            || s == rule.family
            || (s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && rule.code.starts_with(s))
            || rule.aliases.contains(&s)
    }
}

/// Which rules run and at which severity.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleConfig {
    /// When set, only these rules run.
    pub select: Option<Vec<Selector>>,
    /// These rules never run.
    pub ignore: Vec<Selector>,
    /// Per-rule severities by rule name; `None` switches the rule off.
    pub severities: HashMap<&'static str, Option<Severity>>,
}

impl RuleConfig {
    /// The severity `rule` reports at, or `None` when it is off.
    pub(crate) fn severity(&self, rule: &Rule) -> Option<Severity> {
        self.severity_of(rule, rule.severity)
    }

    /// The severity a finding of `rule` reports at when the rule itself chose `found` (a
    /// version-dependent finding is a warning while the API version is unknown): a severity
    /// configured for the rule still wins.
    pub(crate) fn severity_of(&self, rule: &Rule, found: Severity) -> Option<Severity> {
        if !self.is_enabled(rule) {
            return None;
        }
        self.severities
            .get(rule.name)
            .copied()
            .unwrap_or(Some(found))
    }
}

impl RuleFilter for RuleConfig {
    fn is_enabled(&self, rule: &Rule) -> bool {
        let selected = self
            .select
            .as_ref()
            .is_none_or(|s| s.iter().any(|s| s.matches(rule)));
        selected
            && !self.ignore.iter().any(|s| s.matches(rule))
            && self.severities.get(rule.name) != Some(&None)
    }
}

/// Everything the analysis of one file needs besides its text.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Options the rules see.
    pub(crate) options: Options,
    /// Model facts (built-in plus configured models).
    pub(crate) facts: Arc<Facts>,
    /// Rule selection and severities.
    pub(crate) rules: RuleConfig,
    /// A payload kind the configuration declares for this file.
    pub(crate) declared_kind: Option<PayloadKind>,
}

/// What a configuration may declare a file's bodies to be (`kind` in an `[[overrides]]`
/// entry), for bodies their shape alone does not tell apart: a count_tokens body looks like a
/// Messages body without `max_tokens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclaredKind {
    /// `POST /v1/messages` bodies.
    Messages,
    /// `POST /v1/messages/count_tokens` bodies.
    CountTokens,
}

impl From<DeclaredKind> for PayloadKind {
    fn from(kind: DeclaredKind) -> Self {
        match kind {
            DeclaredKind::Messages => PayloadKind::Messages,
            DeclaredKind::CountTokens => PayloadKind::CountTokens,
        }
    }
}

impl Settings {
    /// Default settings with `today` as the date: every rule at its default severity.
    pub fn new(today: jiff::civil::Date) -> Self {
        Self {
            options: Options::new(today),
            facts: Arc::new(Facts::builtin().clone()),
            rules: RuleConfig::default(),
            declared_kind: None,
        }
    }

    /// Checks requests that name no model (Bedrock and Vertex bodies, a `model` set
    /// elsewhere) against `model`, as `model = "..."` in the configuration does.
    #[must_use]
    pub fn with_default_model(mut self, model: impl Into<String>) -> Self {
        self.options.default_model = Some(model.into());
        self
    }

    /// Checks requests that send no `anthropic-version` under `version` (a date such as
    /// `2023-06-01`), as `api-version` in the configuration does; `None` for a version this
    /// tool does not know.
    #[must_use]
    pub fn with_api_version(mut self, version: &str) -> Option<Self> {
        self.options.api_version = ApiVersion::parse(version)?;
        Some(self)
    }

    /// Reads the file's bodies as `kind`, as `kind` in an `[[overrides]]` entry does.
    #[must_use]
    pub fn with_declared_kind(mut self, kind: DeclaredKind) -> Self {
        self.declared_kind = Some(kind.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Secrets left the context family's letter: `X` selects the context rules only, and
    /// the old code `X101` still names the key rule, exactly.
    #[test]
    fn a_letter_selects_one_family_and_an_old_code_its_rule() {
        let key = rules::find("api-key-in-payload").unwrap();
        let context: Vec<&str> = rules::all()
            .filter(|r| Selector::parse("X").unwrap().matches(r))
            .map(|r| r.family)
            .collect();
        assert!(!context.is_empty() && context.iter().all(|&f| f == "context"));
        assert!(Selector::parse("X101").unwrap().matches(key));
        assert!(Selector::parse("Y").unwrap().matches(key));
        assert!(Selector::parse("X1").is_none_or(|s| !s.matches(key)));
        let config = RuleConfig {
            ignore: vec![Selector::parse("X101").unwrap()],
            ..RuleConfig::default()
        };
        assert!(!config.is_enabled(key));
    }
}
