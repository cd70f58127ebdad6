//! `check --statistics`: how many findings each rule has, instead of the findings, as ruff's
//! `--statistics` gives them: count, code, fixability and name, most frequent first.

use std::io::{self, Write};

use serde_json::json;

use super::output::{Format, Report};
use crate::fix::Applicability;
use crate::rules::Rule;

/// One rule's line.
#[derive(Debug, PartialEq, Eq)]
struct Line {
    rule: &'static Rule,
    count: usize,
    /// The best fix any of its findings offers (`None`: no finding has one).
    fix: Option<Applicability>,
}

/// Counts the report's findings per rule: most frequent first, then by code.
fn lines(report: &Report) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for d in report.files.iter().flat_map(|f| &f.diagnostics) {
        let fix = d.fix.as_ref().map(|f| f.applicability);
        match lines.iter_mut().find(|l| std::ptr::eq(l.rule, d.rule)) {
            Some(line) => {
                line.count += 1;
                line.fix = best(line.fix, fix);
            }
            None => lines.push(Line {
                rule: d.rule,
                count: 1,
                fix,
            }),
        }
    }
    lines.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.code.cmp(b.rule.code)));
    lines
}

/// The more applicable of two fixes: safe over unsafe over none.
fn best(a: Option<Applicability>, b: Option<Applicability>) -> Option<Applicability> {
    match (a, b) {
        (Some(Applicability::Safe), _) | (_, Some(Applicability::Safe)) => {
            Some(Applicability::Safe)
        }
        (a, b) => a.or(b),
    }
}

/// Writes the counts: a JSON array for `--format json`, else one aligned line per rule,
/// `[*]` marking rules `--fix` fixes and `[-]` those only `--unsafe-fixes` does.
pub(super) fn write(report: &Report, format: Format, out: &mut dyn Write) -> io::Result<()> {
    let lines = lines(report);
    if format == Format::Json {
        let items: Vec<_> = lines
            .iter()
            .map(|l| {
                json!({
                    "code": l.rule.code,
                    "name": l.rule.name,
                    "count": l.count,
                    "fixable": l.fix == Some(Applicability::Safe),
                    "unsafe_fixable": l.fix == Some(Applicability::Unsafe),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &items)?;
        return writeln!(out);
    }
    let count_width = lines
        .iter()
        .map(|l| l.count.to_string().len())
        .max()
        .unwrap_or(1);
    let code_width = lines.iter().map(|l| l.rule.code.len()).max().unwrap_or(1);
    for l in &lines {
        let mark = match l.fix {
            Some(Applicability::Safe) => "[*]",
            Some(Applicability::Unsafe) => "[-]",
            None => "[ ]",
        };
        writeln!(
            out,
            "{:>count_width$}\t{:<code_width$}\t{mark} {}",
            l.count, l.rule.code, l.rule.name
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_beats_unsafe_beats_none() {
        use Applicability::{Safe, Unsafe};
        assert_eq!(best(None, Some(Unsafe)), Some(Unsafe));
        assert_eq!(best(Some(Unsafe), Some(Safe)), Some(Safe));
        assert_eq!(best(Some(Safe), None), Some(Safe));
        assert_eq!(best(None, None), None);
    }
}
