//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's files.
//!
//! `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=T::MESSAGE`. The runner refuses
//! `col`/`endColumn` when `line` and `endLine` differ, so a range over several lines gives
//! lines only. Columns are 1-based characters and `endColumn` is the column after the range,
//! as in every other format.

use std::io::{self, Write};

use super::Report;
use crate::rules::Severity;

/// Writes one workflow command per finding.
pub(crate) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        for d in &file.diagnostics {
            let (start, end) = file.span(d.range);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let position = if start.line == end.line {
                format!(
                    "line={},col={},endLine={},endColumn={}",
                    start.line, start.column, end.line, end.column
                )
            } else {
                format!("line={},endLine={}", start.line, end.line)
            };
            writeln!(
                out,
                "::{command} file={},{position},title={}::{}",
                escape_property(&file.path),
                escape_property(&format!("{} {}", d.rule.code, d.rule.name)),
                escape_data(&d.message),
            )?;
        }
    }
    Ok(())
}

/// Escapes a command's message, as the Actions toolkit's `escapeData` does: `%`, `\r`, `\n`.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`escapeProperty`): the message's escapes plus `:` and `,`, which
/// would otherwise end the value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped() {
        assert_eq!(
            escape_data("50% of a\r\nb: c, d"),
            "50%25 of a%0D%0Ab: c, d"
        );
        assert_eq!(escape_property("dir,x/a:b%.json"), "dir%2Cx/a%3Ab%25.json");
    }
}
