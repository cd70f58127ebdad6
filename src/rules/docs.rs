//! Rule documentation pages, generated from the rules' doc comments: what `rule NAME` prints
//! and what `docs/rules/` holds (a test keeps the two in step).

use super::registry::Rule;

/// The Markdown page of one rule.
pub fn page(rule: &Rule) -> String {
    format!(
        "# {} ({})\n\n| Code | Family | Default severity | Fix |\n|---|---|---|---|\n| `{}` | {} | {} | {} |\n\n{}\n",
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
        "# Rules\n\nGenerated from the rules' doc comments (`cargo test --test docs` checks it is current; \
         `UPDATE_DOCS=1 cargo test --test docs` rewrites it).\n\n\
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
