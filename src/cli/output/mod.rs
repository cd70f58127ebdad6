//! Report formats: `human` (rustc-style snippets), `concise`, `json` (the stable contract),
//! `sarif` (SARIF 2.1.0) and `github` (workflow annotations).

pub(crate) mod concise;
mod excerpt;
pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod sarif;

use std::io::{self, Write};

use crate::analyze::Diagnostic;
use crate::json_report;
pub(crate) use crate::json_report::LineColumn;
pub use crate::json_report::Summary;
use crate::syntax::{LineIndex, TextRange};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets with the fix as a diff (default).
    Human,
    /// One line per finding: `path:line:column: severity[code] message`.
    Concise,
    /// One JSON object (stable; see the README).
    Json,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

/// The findings of one file, with what is needed to show them.
#[derive(Debug)]
pub struct FileReport {
    /// The path as given or found by the walk.
    pub path: String,
    /// The file's text (empty when it has no findings).
    pub text: String,
    /// Line index of `text`.
    pub index: LineIndex,
    /// The findings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// The 1-based start and end of `range`.
    pub(crate) fn span(&self, range: TextRange) -> (LineColumn, LineColumn) {
        let span = json_report::span(&self.text, &self.index, range);
        (span.start, span.end)
    }
}

/// Everything a format prints.
#[derive(Debug, Default)]
pub struct Report {
    /// Files with findings, in path order.
    pub files: Vec<FileReport>,
    /// Totals.
    pub summary: Summary,
    /// `--quiet`: the findings only, without the closing summary.
    pub quiet: bool,
}

/// Whether the human report on standard output gets colour, by anstream's conventions: on a
/// terminal that supports it, never with `NO_COLOR` set, always with `CLICOLOR_FORCE` set.
pub(crate) fn stdout_color() -> bool {
    anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
}

/// Writes `report` in `format`; `color` only for `human` on a terminal.
pub fn write(format: Format, report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, out, color),
        Format::Concise => concise::write(report, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
    }
}
