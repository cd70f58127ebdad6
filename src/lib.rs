//! claude-preflight: preflight checks for Claude API requests.
//!
//! The library behind the `claude-preflight` command line, language server and MCP server.
//! Only what is listed here is `pub`; every other module is private to the crate, so the
//! compiler sees an item nothing uses (ARCHITECTURE.md, "Public API"; `tests/it/api.rs` fails
//! when a module not listed here is declared `pub`).
//!
//! - Checking a file: [`analyze::analyze`] (text in, diagnostics with rendered fixes out),
//!   [`analyze::analyze_bytes`] (bytes from disk: UTF-8 and binary checks first) and
//!   [`analyze::fix_until_stable`] (what `check --fix` does), all returning an
//!   [`analyze::Analysis`]. A file's kind is a [`FileKind`].
//! - Configuring a check: [`settings::Settings`] (the date, the default model, the API
//!   version, the rule selection) and [`settings::DeclaredKind`].
//! - What a finding carries: [`analyze::Diagnostic`] (its rule, [`rules::Severity`], byte
//!   range as a [`TextRange`], message and fix), [`fix::RenderedFix`] (title,
//!   [`fix::Applicability`], [`fix::TextEdit`]s) and [`fix::apply`] (applying and previewing
//!   edits); [`LineIndex`] turns byte offsets into lines and columns ([`ColumnUnit`],
//!   [`Position`]). [`MAX_DEPTH`] is how deep a tree is read.
//! - The rule registry: [`rules::all`], [`rules::find`], the metadata [`rules::Rule`] and
//!   [`rules::docs`] (each rule's documentation page).
//! - Token counts: [`count::count`] (where each request of a file spends its tokens) and
//!   [`count::Client`] (the opt-in exact count from the count_tokens endpoint).
//! - Explaining an API error: [`explain_error::explain`].
//! - The front ends: [`cli::run`] (the command line; [`cli::output`] renders its reports),
//!   [`lsp::serve`] (the language server) and [`mcp::serve`] (the MCP server).
//!
//! `bench_support` (hidden from the docs) wraps what the benches time below the API: not API.
//! Under `--cfg fuzzing` (what `cargo fuzz` builds with), `syntax`, the language server's
//! framing and a `fuzzing` module are public too, for the fuzz targets in `fuzz/`: not API.

pub mod analyze;
#[doc(hidden)]
pub mod bench_support;
pub mod cli;
mod config;
pub mod count;
mod exit;
pub mod explain_error;
mod extract;
mod facts;
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
#[cfg(fuzzing)]
pub mod syntax;
#[cfg(not(fuzzing))]
mod syntax;
mod tokens;
mod words;

pub use extract::files::FileKind;
pub use syntax::{ColumnUnit, LineIndex, MAX_DEPTH, Position, TextRange};

/// What the fuzz targets in `fuzz/` reach besides the API, built only under `--cfg fuzzing`
/// (`cargo fuzz` sets it): not API. The parsers are [`syntax::json`] and [`syntax::yaml`], the
/// language server's framing `lsp::transport` and `lsp::validate`.
#[cfg(fuzzing)]
pub mod fuzzing {
    use crate::FileKind;

    /// The syntax errors in every document `text` holds as a file of `kind`, request or not:
    /// the `fix` target checks that safe fixes add none.
    pub fn syntax_errors(text: &str, kind: FileKind) -> usize {
        crate::extract::files::parse(text, kind)
            .iter()
            .map(|d| d.errors.len())
            .sum()
    }
}
