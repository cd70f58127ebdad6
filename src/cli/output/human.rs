//! `--format human`.

use std::io::{self, Write};

use super::Report;

/// Writes the report.
pub fn write(report: &Report, out: &mut dyn Write, _color: bool) -> io::Result<()> {
    super::concise::write(report, out)
}
