//! Rule metadata in one place per rule (name, code, severity, fix kind, docs), as biome's
//! `declare_lint_rule!` does: the doc comment *is* the rule's documentation page.

use std::fmt;

/// How serious a finding is (design: "Severity policy").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A hint an editor shows faintly.
    Hint,
    /// Advice (cost, caching).
    Info,
    /// Rejected under a model or API version not known here, or silently ignored/truncated.
    Warning,
    /// The API rejects the request (or it cannot fit the window).
    Error,
}

impl Severity {
    /// The name used in every output format and in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses a configured severity name (`off` is handled by the caller).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "hint" => Severity::Hint,
            "info" => Severity::Info,
            "warning" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a rule offers a fix, and how safe it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixKind {
    /// No fix.
    None,
    /// A fix that keeps the request's meaning.
    Safe,
    /// A fix that changes what the request asks for.
    Unsafe,
    /// Some findings get a safe fix, others an unsafe one.
    Mixed,
}

impl FixKind {
    /// The name used in the docs.
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "none",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
            FixKind::Mixed => "safe or unsafe",
        }
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case name, used in configuration and suppressions.
    pub name: &'static str,
    /// Short code: its family's letter (declared once per family) and a number.
    pub code: &'static str,
    /// Codes it had before: still accepted wherever a code names it (`--select`, `--ignore`,
    /// configuration, suppression comments), exactly, never as a prefix.
    pub aliases: &'static [&'static str],
    /// The family (the file under `src/rules/` that holds it).
    pub family: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// Whether it offers a fix.
    pub fix: FixKind,
    /// Markdown documentation: What it does / Why / Example / Fix.
    pub docs: &'static str,
}

impl Rule {
    /// The docs as Markdown (the doc comment without its one-space indent), with the
    /// versions and limits of `data/api.toml` written in for their `{api.…}` placeholders.
    pub fn markdown(&self) -> String {
        let text = self
            .docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n");
        crate::facts::api_text::interpolate(&text)
    }

    /// The first paragraph of "What it does", for lists and hovers.
    pub fn summary(&self) -> String {
        let docs = self.markdown();
        let body = docs
            .trim_start()
            .strip_prefix("## What it does")
            .unwrap_or(&docs)
            .trim_start();
        body.split("\n\n")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// True when `code` is the rule's code or one of its old ones (any case).
    pub fn has_code(&self, code: &str) -> bool {
        self.code.eq_ignore_ascii_case(code)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
    }

    /// Where the rule's documentation page lives (LSP `code_description`).
    pub fn url(&self) -> String {
        format!("{DOCS_URL}/{}.md", self.name)
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Rule {}

/// Base address of the generated rule pages.
pub(crate) const DOCS_URL: &str =
    "https://github.com/claude-preflight/claude-preflight/blob/main/docs/rules";

/// Declares the rules of one family: a `static` per rule, and `RULES` listing them. The family
/// writes its code letter once (`prefix`); each rule gives its number, and the old codes of a
/// rule that moved (`aliases`).
///
/// ```text
/// declare_rules! {
///     family: "request";
///     prefix: "R";
///     /// ## What it does
///     /// ...
///     MISSING_MODEL { code: "001", name: "missing-model", severity: Error, fix: None }
/// }
/// ```
macro_rules! declare_rules {
    (
        family: $family:literal;
        prefix: $prefix:literal;
        $(
            $(#[doc = $doc:literal])*
            $ident:ident { code: $code:literal, $(aliases: [$($alias:literal),* $(,)?],)? name: $name:literal, severity: $severity:ident, fix: $fix:ident $(,)? }
        )*
    ) => {
        $(
            $(#[doc = $doc])*
            pub(crate) static $ident: $crate::rules::registry::Rule = $crate::rules::registry::Rule {
                name: $name,
                code: concat!($prefix, $code),
                aliases: &[$($($alias),*)?],
                family: $family,
                severity: $crate::rules::registry::Severity::$severity,
                fix: $crate::rules::registry::FixKind::$fix,
                docs: concat!($($doc, "\n"),*),
            };
        )*
        /// Every rule of this family, in code order.
        pub(crate) static RULES: &[&$crate::rules::registry::Rule] = &[$(&$ident),*];
    };
}
pub(crate) use declare_rules;

#[cfg(test)]
mod tests;
