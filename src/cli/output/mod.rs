//! Report formats: `human` (rustc-style snippets), `concise`, `json` (the stable contract),
//! `sarif` (SARIF 2.1.0) and `github` (workflow annotations).

pub mod concise;
mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use std::io::{self, Write};

use crate::analyze::Diagnostic;
use crate::rules::Severity;
use crate::syntax::{ColumnUnit, LineIndex, TextRange};
use crate::words::plural;

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

/// A 1-based line and column (in characters), as every format reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineColumn {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

impl FileReport {
    /// The 1-based start and end of `range`.
    pub fn span(&self, range: TextRange) -> (LineColumn, LineColumn) {
        let at = |offset: usize| {
            let p = self.index.position(&self.text, offset, ColumnUnit::Char);
            LineColumn {
                line: p.line as usize + 1,
                column: p.column as usize + 1,
            }
        };
        (at(range.start as usize), at(range.end as usize))
    }
}

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Payloads checked.
    pub payloads: usize,
    /// Findings of each severity.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
    /// Hints.
    pub hints: usize,
    /// Fixes applied by `--fix`.
    pub fixed: usize,
}

impl Summary {
    /// "1 payload across 2 files": what a run looked at, as every summary says it.
    pub fn scope(&self) -> String {
        format!(
            "{} across {}",
            plural(self.payloads, "payload"),
            plural(self.files, "file")
        )
    }

    /// "1 error, 0 warnings, 2 infos in 1 payload across 1 file (2 fixed)": the closing line
    /// of the line-oriented formats (infos include hints).
    pub fn totals(&self) -> String {
        let fixed = if self.fixed > 0 {
            format!(" ({} fixed)", self.fixed)
        } else {
            String::new()
        };
        format!(
            "{}, {}, {} in {}{fixed}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.infos + self.hints, "info"),
            self.scope()
        )
    }

    /// Counts one finding.
    pub fn count(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
            Severity::Hint => self.hints += 1,
        }
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
pub fn stdout_color() -> bool {
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
