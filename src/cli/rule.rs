//! `rule NAME` and `rules`: the rule docs, from the rules' own doc comments.

use std::io::Write;

use clap::Args;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::rules;

/// Arguments of `rule`.
#[derive(Debug, Args)]
pub(crate) struct RuleArgs {
    /// A rule name (`openai-parameter`) or code (`O101`).
    pub name: String,
}

/// Arguments of `rules`.
#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Prints one rule's documentation.
pub(crate) fn run_rule(args: RuleArgs) -> u8 {
    let rule = match rules::docs::lookup(&args.name) {
        Ok(rule) => rule,
        Err(error) => {
            eprintln!("error: {error}; `claude-preflight rules` lists them");
            return EXIT_FAILURE;
        }
    };
    let _ = write!(std::io::stdout().lock(), "{}", rules::docs::page(rule));
    EXIT_OK
}

/// Lists every rule.
pub(crate) fn run_rules(args: RulesArgs) -> u8 {
    let mut out = std::io::stdout().lock();
    if args.json {
        let list: Vec<_> = rules::all().map(rules::docs::RuleInfo::of).collect();
        let _ = serde_json::to_writer(&mut out, &list);
        let _ = writeln!(out);
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
