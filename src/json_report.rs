//! The JSON report: the stable machine-readable shape of findings (README, "JSON output").
//! `check --format json` prints it and the MCP server's `check` and `fix` tools answer with it,
//! so both front ends share these types and cannot drift apart; the schemas the MCP tools
//! declare are derived from them.

use schemars::JsonSchema;
use serde::Serialize;

use crate::analyze::Diagnostic;
use crate::rules::Severity;
use crate::syntax::{ColumnUnit, LineIndex, TextRange};
use crate::words::plural;

/// The version of the report's shape, bumped only by a breaking change.
pub(crate) const VERSION: u32 = 1;

/// The whole report: every finding, then the totals.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct JsonReport {
    /// The version of this shape (1).
    pub version: u32,
    /// The findings, file by file, each sorted by position.
    pub diagnostics: Vec<JsonDiagnostic>,
    /// Totals over the run.
    pub summary: Summary,
}

/// One finding.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct JsonDiagnostic {
    /// The file, as given or found by the walk.
    pub path: String,
    /// The rule's short code (`O101`).
    pub code: &'static str,
    /// The rule's name (`openai-parameter`).
    pub name: &'static str,
    /// `error`, `warning`, `info` or `hint`.
    pub severity: &'static str,
    /// What the API would answer, and why.
    pub message: String,
    /// Where the finding is.
    pub range: JsonRange,
    /// The fix, when one is certain.
    pub fix: Option<JsonFix>,
}

/// A fix as text edits.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct JsonFix {
    /// What the fix does.
    pub title: String,
    /// `safe` (applied by `--fix`) or `unsafe` (only with `--unsafe-fixes`).
    pub applicability: &'static str,
    /// The edits, sorted and non-overlapping.
    pub edits: Vec<JsonEdit>,
}

/// One text edit: replace `range` with `new_text`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct JsonEdit {
    /// The text replaced.
    pub range: JsonRange,
    /// What replaces it.
    pub new_text: String,
}

/// A range between two positions; the end is exclusive.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub(crate) struct JsonRange {
    /// The first character.
    pub start: LineColumn,
    /// Just after the last character.
    pub end: LineColumn,
}

/// A 1-based line and column (in characters), as every format reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub(crate) struct LineColumn {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Payloads checked.
    pub payloads: usize,
    /// Of `payloads`, the model references: a model id and the few fields a configuration or
    /// framework sets for it, not a request body. Left out when there are none.
    #[serde(skip_serializing_if = "is_zero")]
    pub model_references: usize,
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
    /// "1 payload across 2 files", "2 payloads and 3 model references across 4 files": what a
    /// run looked at, as every summary says it. A model reference is not a request body, so it
    /// is not called a payload.
    pub fn scope(&self) -> String {
        let bodies = self.payloads.saturating_sub(self.model_references);
        let mut what = Vec::new();
        if bodies > 0 || self.model_references == 0 {
            what.push(plural(bodies, "payload"));
        }
        if self.model_references > 0 {
            what.push(plural(self.model_references, "model reference"));
        }
        format!(
            "{} across {}",
            what.join(" and "),
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

/// The 1-based start and end of `range` in `text`.
pub(crate) fn span(text: &str, index: &LineIndex, range: TextRange) -> JsonRange {
    let at = |offset: u32| {
        let p = index.position(text, offset as usize, ColumnUnit::Char);
        LineColumn {
            line: p.line as usize + 1,
            column: p.column as usize + 1,
        }
    };
    JsonRange {
        start: at(range.start),
        end: at(range.end),
    }
}

impl JsonDiagnostic {
    /// `diagnostic`, found in `text` (indexed by `index`) of the file shown as `path`.
    pub(crate) fn new(path: &str, text: &str, index: &LineIndex, diagnostic: &Diagnostic) -> Self {
        let range = |r| span(text, index, r);
        JsonDiagnostic {
            path: path.to_owned(),
            code: diagnostic.rule.code,
            name: diagnostic.rule.name,
            severity: diagnostic.severity.as_str(),
            message: diagnostic.message.clone(),
            range: range(diagnostic.range),
            fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
                title: fix.title.clone(),
                applicability: fix.applicability.as_str(),
                edits: fix
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        range: range(e.range),
                        new_text: e.new_text.clone(),
                    })
                    .collect(),
            }),
        }
    }
}

/// True for zero: a count the report leaves out.
fn is_zero(n: &usize) -> bool {
    *n == 0
}
