//! claude-preflight: preflight checks for Claude API requests.
//!
//! The library behind the `claude-preflight` command line and language server. Start at
//! [`analyze::analyze`]: text in, diagnostics with rendered fixes out. ARCHITECTURE.md has the
//! code map and the invariants.

pub mod analyze;
pub mod cli;
mod config;
pub mod count;
mod exit;
pub mod explain_error;
pub mod extract;
pub mod facts;
pub mod fix;
mod json_report;
pub mod lsp;
pub mod mcp;
mod media;
mod redact;
pub mod rules;
mod sdk_pin;
pub mod settings;
mod small_file;
mod suppress;
pub mod syntax;
pub mod tokens;
mod words;
