//! The command line: `check`, `count`, `rule`, `rules`. Only this module knows about terminals
//! (invariant 5).

pub mod check;
pub mod count;
pub mod explain_error;
pub mod output;
pub mod rule;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Preflight checks for Claude API requests.
#[derive(Debug, Parser)]
#[command(name = "claude-preflight", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check request files (JSON, JSONC, JSON Lines, YAML) and report what the API would reject.
    Check(check::CheckArgs),
    /// Show where a request's tokens go: per message and per kind, against the model's window.
    Count(count::CountArgs),
    /// Print the documentation of one rule.
    Rule(rule::RuleArgs),
    /// List every rule with its code, default severity and fix kind.
    Rules(rule::RulesArgs),
    /// Explain an API error (JSON body, log line or SDK exception) and, given the request
    /// file, show the place in it that caused the error and the rule that predicts it.
    ExplainError(explain_error::ExplainErrorArgs),
    /// Run the language server over standard input and output.
    Lsp(crate::lsp::LspArgs),
}

/// Exit status: no errors found.
pub const EXIT_OK: u8 = 0;
/// Exit status: findings of error severity.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage, I/O or configuration failure.
pub const EXIT_FAILURE: u8 = 2;

/// Parses the command line and runs it.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_OK
            });
        }
    };
    let status = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Count(args) => count::run(args),
        Command::Rule(args) => rule::run_rule(args),
        Command::Rules(args) => rule::run_rules(args),
        Command::Lsp(args) => crate::lsp::run(args),
        Command::ExplainError(args) => explain_error::run(args),
    };
    ExitCode::from(status)
}
