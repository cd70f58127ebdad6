//! The command line: `check`, `count`, `rule`, `rules`. Only this module knows about terminals
//! (invariant 5).

pub(crate) mod check;
mod completions;
pub(crate) mod count;
mod diff;
pub(crate) mod explain_error;
mod model_arg;
pub mod output;
pub(crate) mod rule;
mod statistics;
mod suppressions;
mod watch;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Preflight checks for Claude API requests.
#[derive(Debug, Parser)]
#[command(name = "claude-preflight", version, about, long_about = None)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check requests in files and report what the API would reject.
    #[command(after_help = check::files_read())]
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
    /// Run the MCP server (Model Context Protocol, for coding agents) over standard input and
    /// output.
    Mcp(crate::mcp::McpArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff; `claude-preflight man | man -l -`).
    Man,
}

pub(crate) use crate::exit::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};

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
        Command::Mcp(args) => crate::mcp::run(args),
        Command::Completions(args) => completions::run_completions(&args),
        Command::Man => completions::run_man(),
        Command::ExplainError(args) => explain_error::run(args),
    };
    ExitCode::from(status)
}
