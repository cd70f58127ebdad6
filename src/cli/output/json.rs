//! `--format json`: the stable machine-readable contract (README, "JSON output"), in the
//! library's [`crate::json_report`] types.

use std::io::{self, Write};

use super::Report;
use crate::json_report::{self, JsonDiagnostic, JsonReport};

/// Writes the report as one JSON object.
pub(crate) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics = report
        .files
        .iter()
        .flat_map(|file| {
            file.diagnostics
                .iter()
                .map(|d| JsonDiagnostic::new(&file.path, &file.text, &file.index, d))
        })
        .collect();
    let document = JsonReport {
        version: json_report::VERSION,
        diagnostics,
        summary: report.summary,
    };
    serde_json::to_writer(&mut *out, &document)?;
    writeln!(out)
}
