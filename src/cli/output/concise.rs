//! `--format concise`: one line per finding, the shape editors' problem matchers parse.

use std::io::{self, Write};

use super::Report;

/// Writes one line per finding and a closing count.
pub(crate) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        for d in &file.diagnostics {
            let (start, _) = file.span(d.range);
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {} ({})",
                file.path,
                start.line,
                start.column,
                d.severity,
                d.rule.code,
                d.message,
                d.rule.name
            )?;
        }
    }
    if report.quiet {
        return Ok(());
    }
    writeln!(out, "{}", report.summary.totals())
}
