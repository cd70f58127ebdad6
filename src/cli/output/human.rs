//! `--format human` (the default): rustc-style snippets drawn by annotate-snippets, each fix
//! as a diff, and a closing summary that says which flag applies the fixes.

use std::io::{self, Write};
use std::ops::Range;

use annotate_snippets::renderer::{AnsiColor, Style};
use annotate_snippets::{AnnotationKind, Group, Level, Message, Patch, Renderer, Snippet, Title};

use super::excerpt::{self, Excerpt, Keep};
use super::{FileReport, Report};
use crate::analyze::Diagnostic;
use crate::fix::{Applicability, RenderedFix};
use crate::rules::{Rule, Severity};
use crate::syntax::TextRange;
use crate::words::plural;

/// A fix whose diff would show more lines than this is described but not drawn: a fix that
/// drops a long conversation would otherwise print every line it removes.
const MAX_DIFF_LINES: usize = 12;

/// Writes every finding as a snippet, then the summary. `color` adds ANSI styles (and makes
/// each rule code a terminal hyperlink to its documentation).
pub(crate) fn write(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for file in &report.files {
        for diagnostic in &file.diagnostics {
            writeln!(out, "{}\n", render(&renderer, file, diagnostic))?;
        }
    }
    if report.quiet {
        return Ok(());
    }
    write_summary(report, out, color)
}

/// One finding: the header, the snippet with the range underlined, the fix and the rule.
pub(crate) fn render(renderer: &Renderer, file: &FileReport, d: &Diagnostic) -> String {
    let title = level(d.severity)
        .primary_title(d.message.as_str())
        .id(d.rule.code)
        .id_url(d.rule.url());
    let note = rule_note(d.rule);
    render_at(renderer, file, d.range, title, |head| {
        match d.fix.as_ref().map(|fix| FixDiff::new(file, fix)) {
            None => vec![head.element(note)],
            Some(diff) => {
                let mut rest = Group::with_level(Level::HELP);
                if let Some(snippet) = diff.snippet(file) {
                    rest = rest.element(snippet);
                }
                vec![
                    head.element(Level::HELP.message(diff.help())),
                    rest.element(note),
                ]
            }
        }
    })
}

/// A note with `title` over the source at `range`, underlined: how `explain-error` shows
/// where an error's path lands when no finding predicts it.
pub(crate) fn render_note(
    renderer: &Renderer,
    file: &FileReport,
    range: TextRange,
    title: &str,
) -> String {
    render_at(
        renderer,
        file,
        range,
        Level::NOTE.primary_title(title),
        |head| vec![head],
    )
}

/// `title` over the snippet of `range`; `groups` adds what follows the snippet.
fn render_at<'a>(
    renderer: &Renderer,
    file: &'a FileReport,
    range: TextRange,
    title: Title<'a>,
    groups: impl FnOnce(Group<'a>) -> Vec<Group<'a>>,
) -> String {
    let text = file.text.as_str();
    let shown = shown_range(text, range);
    let excerpt = Excerpt::new(text, &file.index, &[shown.start, shown.end], Keep::Ends);
    let span = excerpt.map(shown.start)..excerpt.map(shown.end);
    let shown_column = excerpt.source[..span.start]
        .rsplit('\n')
        .next()
        .map_or(0, |line| line.chars().count())
        + 1;
    let cause = Snippet::source(excerpt.source)
        .line_start(excerpt.first_line)
        .path(file.path.as_str())
        .annotation(AnnotationKind::Primary.span(span));
    let rendered = renderer.render(&groups(title.element(cause)));
    let (start, _) = file.span(range);
    restore_column(rendered, start.line, shown_column, start.column)
}

/// `= note:` naming the rule and the command that explains it.
fn rule_note(rule: &Rule) -> Message<'static> {
    Level::NOTE.message(format!(
        "rule `{}` (`claude-preflight rule {}` explains it)",
        rule.name, rule.name
    ))
}

/// The range to underline: on character boundaries, inside the text, and without a line end
/// it finishes with (so a range over whole lines does not spill onto the next).
fn shown_range(text: &str, range: TextRange) -> Range<usize> {
    let Range { start, mut end } = snap(text, range);
    let trimmed = text[start..end].trim_end_matches(['\n', '\r']);
    if !trimmed.is_empty() {
        end = start + trimmed.len();
    }
    start..end
}

/// `range` inside `text` and widened to character boundaries (an invalid-UTF-8 finding
/// points into the replacement character the lossy decoding put there).
fn snap(text: &str, range: TextRange) -> Range<usize> {
    let mut start = (range.start as usize).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (range.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// annotate-snippets counts the header's column in the excerpt it was given; where the line
/// was cut before the range, this puts the file's column back.
fn restore_column(rendered: String, line: usize, shown: usize, column: usize) -> String {
    if shown == column {
        return rendered;
    }
    // The location line follows the title line, whose message may hold anything.
    let title_end = rendered.find('\n').unwrap_or(rendered.len());
    let Some(arrow) = rendered[title_end..].find("--> ").map(|i| title_end + i) else {
        return rendered;
    };
    let line_end = rendered[arrow..]
        .find('\n')
        .map_or(rendered.len(), |i| arrow + i);
    let from = format!(":{line}:{shown}");
    match rendered[arrow..line_end].rfind(&from) {
        Some(i) => {
            let at = arrow + i;
            format!(
                "{}:{line}:{column}{}",
                &rendered[..at],
                &rendered[at + from.len()..]
            )
        }
        None => rendered,
    }
}

/// The annotate-snippets level of a severity.
fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::NOTE.with_name("hint"),
    }
}

/// A fix prepared for display: its excerpt, and whether its diff is short enough to draw.
struct FixDiff<'f> {
    fix: &'f RenderedFix,
    /// The file lines the edits span (1-based, inclusive).
    lines: (usize, usize),
    /// Lines the diff would show: the lines edited plus the lines inserted.
    diff_lines: usize,
}

impl<'f> FixDiff<'f> {
    fn new(file: &FileReport, fix: &'f RenderedFix) -> Self {
        let first = fix.edits.first().map_or(0, |e| e.range.start as usize);
        let last = fix.edits.last().map_or(0, |e| e.range.end as usize);
        let lines = (
            file.index.line_of(first.min(file.text.len())) + 1,
            file.index.line_of(last.min(file.text.len())) + 1,
        );
        let inserted: usize = fix
            .edits
            .iter()
            .map(|e| e.new_text.matches('\n').count())
            .sum();
        Self {
            fix,
            lines,
            diff_lines: lines.1 - lines.0 + 1 + inserted,
        }
    }

    /// `Rename `stop` to `stop_sequences` (safe fix)`, and why the diff is missing when it is.
    fn help(&self) -> String {
        let kind = self.fix.applicability.as_str();
        if self.diff_lines > MAX_DIFF_LINES {
            format!(
                "{} ({kind} fix; it changes lines {}-{}, too many to show here)",
                self.fix.title, self.lines.0, self.lines.1
            )
        } else {
            format!("{} ({kind} fix)", self.fix.title)
        }
    }

    /// The fix as patches on an excerpt of the lines it edits; `None` for a fix too big to
    /// draw or without edits.
    fn snippet(&self, file: &FileReport) -> Option<Snippet<'static, Patch<'static>>> {
        if self.diff_lines > MAX_DIFF_LINES || self.fix.edits.is_empty() {
            return None;
        }
        let text = file.text.as_str();
        let ranges: Vec<Range<usize>> =
            self.fix.edits.iter().map(|e| snap(text, e.range)).collect();
        let offsets: Vec<usize> = ranges.iter().flat_map(|r| [r.start, r.end]).collect();
        let excerpt = Excerpt::new(text, &file.index, &offsets, Keep::All);
        let patches: Vec<Patch<'static>> = ranges
            .iter()
            .zip(&self.fix.edits)
            .map(|(r, e)| {
                Patch::new(
                    excerpt.map(r.start)..excerpt.map(r.end),
                    excerpt::shorten(&e.new_text).into_owned(),
                )
            })
            .collect();
        Some(
            Snippet::source(excerpt.source)
                .line_start(excerpt.first_line)
                .path(file.path.clone())
                .patches(patches),
        )
    }
}

/// The closing lines: totals, fixes applied, and the flag that applies the fixes offered.
fn write_summary(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let s = report.summary;
    let paint = |style: Style, text: String| {
        if color {
            format!("{style}{text}{style:#}")
        } else {
            text
        }
    };
    let bold = Style::new().bold();
    if s.fixed > 0 {
        writeln!(
            out,
            "{}",
            paint(bold, format!("Fixed {}.", plural(s.fixed, "problem")))
        )?;
    }
    let counts: Vec<String> = [
        (s.errors, "error"),
        (s.warnings, "warning"),
        (s.infos, "info"),
        (s.hints, "hint"),
    ]
    .into_iter()
    .filter(|&(n, _)| n > 0)
    .map(|(n, what)| plural(n, what))
    .collect();
    let checked = s.scope();
    if counts.is_empty() {
        let line = if s.payloads == 0 {
            format!("No Claude request found in {}.", plural(s.files, "file"))
        } else {
            format!("All checked: {checked}, no problems.")
        };
        let green = AnsiColor::Green.on_default().bold();
        return writeln!(out, "{}", paint(green, line));
    }
    let style = if s.errors > 0 {
        AnsiColor::Red.on_default().bold()
    } else {
        AnsiColor::Yellow.on_default().bold()
    };
    let line = format!(
        "Found {} in {} ({checked} checked).",
        counts.join(", "),
        plural(report.files.len(), "file")
    );
    writeln!(out, "{}", paint(style, line))?;
    let fixes = |applicability| {
        report
            .files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == applicability)
            })
            .count()
    };
    let (safe, unsafe_) = (fixes(Applicability::Safe), fixes(Applicability::Unsafe));
    let available = |n: usize| {
        if n == 1 {
            "1 fix is available".to_owned()
        } else {
            format!("{n} fixes are available")
        }
    };
    let offer = match (safe, unsafe_) {
        (0, 0) => return Ok(()),
        (0, n) => format!(
            "{} with `--fix --unsafe-fixes` (unsafe fixes change what the request asks for: review them).",
            available(n)
        ),
        (n, 0) => format!("{} with `--fix`.", available(n)),
        (n, m) => format!(
            "{} with `--fix`, {m} more with `--fix --unsafe-fixes`.",
            available(n)
        ),
    };
    writeln!(out, "{offer}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::request::{MISSING_MAX_TOKENS, TOO_MANY_MESSAGES};
    use crate::syntax::LineIndex;

    fn file(text: &str) -> FileReport {
        FileReport {
            path: "a.json".into(),
            text: text.into(),
            index: LineIndex::new(text),
            diagnostics: Vec::new(),
        }
    }

    fn finding(start: usize, end: usize) -> Diagnostic {
        Diagnostic {
            rule: &TOO_MANY_MESSAGES,
            severity: Severity::Error,
            range: TextRange::new(start, end),
            message: "m".into(),
            fix: None,
        }
    }

    /// Blanking the hidden middle of a long range changes nothing annotate-snippets shows.
    #[test]
    fn an_excerpt_renders_like_the_whole_file() {
        let text: String = (1..=40)
            .map(|i| format!("  \"line {i}\": [{i}],\n"))
            .collect();
        let (start, end) = (
            text.find("\"line 3\"").unwrap(),
            text.find("\"line 35\"").unwrap() + 9,
        );
        let d = finding(start, end);
        let whole = Level::ERROR
            .primary_title("m")
            .id(d.rule.code)
            .element(
                Snippet::source(text.as_str())
                    .path("a.json")
                    .annotation(AnnotationKind::Primary.span(start..end)),
            )
            .element(rule_note(d.rule));
        let expected = Renderer::plain().render(&[whole]);
        assert_eq!(render(&Renderer::plain(), &file(&text), &d), expected);
        assert!(expected.contains("...  |"), "{expected}");
    }

    /// Ranges at the text's edges, inside a character, over line ends or in an empty text
    /// render without panicking, underlining what they should.
    #[test]
    fn odd_ranges_render() {
        let cases: &[(&str, usize, usize, &str)] = &[
            ("{}", 2, 2, " --> a.json:1:3\n  |\n1 | {}\n  |   ^\n"),
            ("{}\n", 3, 3, " --> a.json:2:1\n  |\n2 |\n  | ^\n"),
            ("", 0, 0, " --> a.json:1:1\n  |\n1 |\n  | ^\n"),
            (
                "{\"a\": \"\u{fffd}\"}",
                8,
                9,
                " --> a.json:1:8\n  |\n1 | {\"a\": \"\u{fffd}\"}\n  |        ^\n",
            ),
            (
                "{\r\n  \"n\": 1,\r\n}",
                5,
                14,
                " --> a.json:2:3\n  |\n2 |   \"n\": 1,\n  |   ^^^^^^^\n",
            ),
            (
                "{\n\t\"n\": 1}",
                3,
                6,
                " --> a.json:2:2\n  |\n2 |     \"n\": 1}\n  |     ^^^\n",
            ),
        ];
        for &(text, start, end, expected) in cases {
            let out = render(&Renderer::plain(), &file(text), &finding(start, end));
            assert!(out.contains(expected), "{text:?} {start}..{end}:\n{out}");
        }
    }

    /// Every range and every one-edit fix on a text with CRLF, tabs, emoji, blank lines and
    /// long lines, including offsets inside characters, renders without a panic and with the
    /// file's own line and column in its header.
    #[test]
    fn any_range_or_edit_renders() {
        let short = "{\r\n\t\"é\": \"🙂x\",\n\n  \"k\": [1,\r\n2]}";
        let long = format!(
            "{{\"a\": \"{}\",\r\n \"b\": \"{}\"}}",
            "é".repeat(300),
            "x".repeat(300)
        );
        for (text, step) in [(short, 1), (long.as_str(), 37)] {
            for (start, end) in (0..=text.len()).step_by(step).flat_map(|start| {
                (start..=text.len())
                    .step_by(step)
                    .map(move |end| (start, end))
            }) {
                let mut d = finding(start, end);
                let out = render(&Renderer::plain(), &file(text), &d);
                let (at, _) = file(text).span(d.range);
                let location = format!(" --> a.json:{}:{}\n", at.line, at.column);
                assert!(out.contains(&location), "{start}..{end}: {out}");
                for new_text in ["", "X", "a\nb"] {
                    d.fix = Some(RenderedFix {
                        title: "t".into(),
                        applicability: Applicability::Safe,
                        edits: vec![crate::fix::TextEdit {
                            range: TextRange::new(start, end),
                            new_text: new_text.into(),
                        }],
                    });
                    render(&Renderer::plain(), &file(text), &d);
                }
            }
        }
    }

    #[test]
    fn a_big_fix_is_described_not_drawn() {
        let text: String = (1..=30).map(|i| format!("{i}\n")).collect();
        let mut d = finding(0, 1);
        d.rule = &MISSING_MAX_TOKENS;
        d.fix = Some(RenderedFix {
            title: "Drop it all".into(),
            applicability: Applicability::Unsafe,
            edits: vec![crate::fix::TextEdit {
                range: TextRange::new(0, text.len()),
                new_text: String::new(),
            }],
        });
        let out = render(&Renderer::plain(), &file(&text), &d);
        assert!(
            out.contains(
                "= help: Drop it all (unsafe fix; it changes lines 1-31, too many to show here)"
            ),
            "{out}"
        );
        assert!(!out.contains(" - "), "{out}");
    }

    #[test]
    fn colour_is_used_only_when_asked_and_columns_survive_it() {
        let text = format!("{{{}\"x\": 1}}", " ".repeat(300));
        let mut report = Report::default();
        let mut f = file(&text);
        f.diagnostics.push(finding(301, 304));
        report.files.push(f);
        report.summary.files = 1;
        report.summary.errors = 1;
        let written = |color| {
            let mut out = Vec::new();
            write(&report, &mut out, color).unwrap();
            String::from_utf8(out).unwrap()
        };
        let plain = written(false);
        assert!(!plain.contains('\x1b'));
        assert!(plain.contains(" --> a.json:1:302\n"), "{plain}");
        let coloured = written(true);
        assert!(
            coloured.contains("a.json:1:302"),
            "the cut line's column is put back: {coloured:?}"
        );
        assert!(coloured.contains("\x1b["), "{coloured:?}");
        assert!(
            coloured.contains(&TOO_MANY_MESSAGES.url()),
            "the code links to its docs"
        );
    }

    #[test]
    fn summaries() {
        let summary = |report: &Report| {
            let mut out = Vec::new();
            write_summary(report, &mut out, false).unwrap();
            String::from_utf8(out).unwrap()
        };
        let mut report = Report::default();
        assert_eq!(summary(&report), "No Claude request found in 0 files.\n");
        report.summary.files = 3;
        report.summary.payloads = 4;
        report.summary.fixed = 2;
        assert_eq!(
            summary(&report),
            "Fixed 2 problems.\nAll checked: 4 payloads across 3 files, no problems.\n"
        );
        let mut f = file("{}");
        f.diagnostics.push(finding(0, 2));
        report.files.push(f);
        report.summary.fixed = 0;
        report.summary.warnings = 1;
        report.summary.hints = 2;
        assert_eq!(
            summary(&report),
            "Found 1 warning, 2 hints in 1 file (4 payloads across 3 files checked).\n"
        );
        // A model reference is no request body: counted apart, and alone when all are.
        report.summary.model_references = 1;
        assert_eq!(
            summary(&report),
            "Found 1 warning, 2 hints in 1 file (3 payloads and 1 model reference across 3 files checked).\n"
        );
        report.summary.model_references = 4;
        assert_eq!(
            summary(&report),
            "Found 1 warning, 2 hints in 1 file (4 model references across 3 files checked).\n"
        );
    }
}
