//! claude-preflight: preflight checks for Claude API requests.
//!
//! The library behind the `claude-preflight` command line and language server. Start at
//! [`analyze::analyze`]: text in, diagnostics with rendered fixes out. ARCHITECTURE.md has the
//! code map and the invariants.

pub mod analyze;
pub mod cli;
pub mod config;
pub mod count;
pub mod exit;
pub mod explain_error;
pub mod extract;
pub mod facts;
pub mod fix;
pub mod json_report;
pub mod lsp;
pub mod mcp;
pub mod media;
pub mod redact;
pub mod rules;
pub mod sdk_pin;
pub mod settings;
pub mod small_file;
pub mod suppress;
pub mod syntax;
pub mod tokens;
pub mod words;
