//! `rule NAME` and `rules`: the rule docs, from the rules' own doc comments.

use std::io::Write;

use clap::Args;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::rules;

/// Arguments of `rule`.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule name (`openai-parameter`) or code (`O101`).
    pub name: String,
}

/// Arguments of `rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Prints one rule's documentation.
pub fn run_rule(args: RuleArgs) -> u8 {
    let Some(rule) = rules::find(&args.name) else {
        let known: Vec<&str> = rules::all().map(|r| r.name).collect();
        let hint = rules::request::did_you_mean(&args.name, known)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        eprintln!(
            "error: no rule is named `{}`{hint}; `claude-preflight rules` lists them",
            args.name
        );
        return EXIT_FAILURE;
    };
    let _ = write!(std::io::stdout().lock(), "{}", rules::docs::page(rule));
    EXIT_OK
}

/// Lists every rule.
pub fn run_rules(args: RulesArgs) -> u8 {
    let mut out = std::io::stdout().lock();
    if args.json {
        let list: Vec<_> = rules::all()
            .map(|r| {
                serde_json::json!({
                    "code": r.code,
                    "name": r.name,
                    "family": r.family,
                    "severity": r.severity.as_str(),
                    "fix": r.fix.as_str(),
                    "summary": r.summary(),
                })
            })
            .collect();
        let _ = writeln!(out, "{}", serde_json::Value::Array(list));
        return EXIT_OK;
    }
    for rule in rules::all() {
        let _ = writeln!(
            out,
            "{:<6} {:<34} {:<8} {:<14} {}",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.fix.as_str(),
            rule.summary()
        );
    }
    EXIT_OK
}
