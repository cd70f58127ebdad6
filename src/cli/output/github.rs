//! `--format github`.

use std::io::{self, Write};

use super::Report;

/// Writes the report.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    super::concise::write(report, out)
}
