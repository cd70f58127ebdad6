//! Rule documentation pages, generated from the rules' doc comments: what `rule NAME` prints
//! and what `docs/rules/` holds (a test keeps the two in step).

use schemars::JsonSchema;
use serde::Serialize;

use super::registry::Rule;

/// A rule's identity in one line: what `rules --json` lists and what the MCP server's
/// `explain_rule` answers with beside the page.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RuleInfo {
    /// The short code (`O101`).
    pub code: &'static str,
    /// The stable name (`openai-parameter`).
    pub name: &'static str,
    /// The family (the file under `src/rules/` that holds it).
    pub family: &'static str,
    /// The default severity: `error`, `warning`, `info` or `hint`.
    pub severity: &'static str,
    /// Whether it offers a fix: `none`, `safe`, `unsafe` or `safe or unsafe`.
    pub fix: &'static str,
    /// The first paragraph of "What it does".
    pub summary: String,
}

impl RuleInfo {
    /// The identity of `rule`.
    pub fn of(rule: &Rule) -> Self {
        RuleInfo {
            code: rule.code,
            name: rule.name,
            family: rule.family,
            severity: rule.severity.as_str(),
            fix: rule.fix.as_str(),
            summary: rule.summary(),
        }
    }
}

/// The rule a name or code names, or why there is none (with the nearest name, when one is
/// close), for `rule NAME` and the MCP server to show.
pub fn lookup(name_or_code: &str) -> Result<&'static Rule, String> {
    super::find(name_or_code).ok_or_else(|| {
        let known: Vec<&str> = super::all().map(|r| r.name).collect();
        let hint = crate::words::did_you_mean(name_or_code, known)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        format!("no rule is named `{name_or_code}`{hint}")
    })
}

/// The Markdown page of one rule.
pub fn page(rule: &Rule) -> String {
    let formerly = match rule.aliases {
        [] => String::new(),
        old => format!(
            "Formerly {}: the old code still selects, ignores and suppresses it.\n\n",
            crate::words::and_list(old)
        ),
    };
    format!(
        "# {} ({})\n\n| Code | Family | Default severity | Fix |\n|---|---|---|---|\n| `{}` | {} | {} | {} |\n\n{formerly}{}\n",
        rule.name,
        rule.code,
        rule.code,
        rule.family,
        rule.severity,
        rule.fix.as_str(),
        rule.markdown().trim()
    )
}

/// The index page: every rule with its code, severity, fix kind and summary.
pub fn index<'a>(rules: impl IntoIterator<Item = &'a Rule>) -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rules' doc comments (`cargo test --test it docs::` checks it is current; \
         `UPDATE_DOCS=1 cargo test --test it docs::` rewrites it).\n\n\
         | Code | Name | Family | Severity | Fix | What it does |\n|---|---|---|---|---|---|\n",
    );
    for rule in rules {
        out.push_str(&format!(
            "| `{}` | [{}]({}.md) | {} | {} | {} | {} |\n",
            rule.code,
            rule.name,
            rule.name,
            rule.family,
            rule.severity,
            rule.fix.as_str(),
            rule.summary().replace('|', "\\|")
        ));
    }
    out
}
