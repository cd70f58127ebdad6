//! `--format json`: the stable machine-readable contract (README, "JSON output").

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileReport, Report};
use crate::syntax::TextRange;

/// Writes the report as one JSON object.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics: Vec<Value> = report
        .files
        .iter()
        .flat_map(|file| file.diagnostics.iter().map(move |d| (file, d)))
        .map(|(file, d)| {
            json!({
                "path": file.path,
                "code": d.rule.code,
                "name": d.rule.name,
                "severity": d.severity.as_str(),
                "message": d.message,
                "range": range(file, d.range),
                "fix": d.fix.as_ref().map(|fix| json!({
                    "title": fix.title,
                    "applicability": fix.applicability.as_str(),
                    "edits": fix.edits.iter().map(|e| json!({
                        "range": range(file, e.range),
                        "new_text": e.new_text,
                    })).collect::<Vec<_>>(),
                })),
            })
        })
        .collect();
    let s = report.summary;
    let document = json!({
        "version": 1,
        "diagnostics": diagnostics,
        "summary": {
            "files": s.files,
            "payloads": s.payloads,
            "errors": s.errors,
            "warnings": s.warnings,
            "infos": s.infos,
            "hints": s.hints,
            "fixed": s.fixed,
        },
    });
    serde_json::to_writer(&mut *out, &document)?;
    writeln!(out)
}

/// A range as `{"start": {"line", "column"}, "end": {...}}`, 1-based, columns in characters.
pub fn range(file: &FileReport, range: TextRange) -> Value {
    let (start, end) = file.span(range);
    json!({
        "start": {"line": start.line, "column": start.column},
        "end": {"line": end.line, "column": end.column},
    })
}
