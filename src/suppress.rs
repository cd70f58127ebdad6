//! Inline suppressions (design: "Config and suppression"): `# preflight: ignore[rule-name]
//! reason` in hosts with `#` comments (YAML, Python, shell), `// preflight: ignore[...]` in
//! JavaScript and TypeScript. A comment on its own line covers the findings that start on the
//! next line; one at the end of a line covers that line. Rules are named by name or code,
//! several separated by commas. A suppression that covers nothing is reported, so stale ones
//! do not pile up.

use crate::extract::files::FileKind;
use crate::rules;
use crate::syntax::TextRange;

/// What introduces a suppression after the comment marker.
const MARKER: &str = "preflight: ignore[";

/// The comment marker of the host, when it has line comments a suppression can live in.
pub(crate) fn comment_prefix(kind: FileKind) -> Option<&'static str> {
    kind.spec().comment
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Suppression {
    /// The zero-based line whose findings it covers.
    pub line: usize,
    /// The rule names and codes it lists.
    pub rules: Vec<String>,
    /// The comment, from its marker to the end of the line.
    pub range: TextRange,
}

impl Suppression {
    /// True when it names `rule` (by name or code).
    pub(crate) fn covers(&self, rule: &rules::Rule) -> bool {
        self.rules
            .iter()
            .any(|r| r == rule.name || rule.has_code(r))
    }
}

/// Every suppression comment in `text`, for a host whose comments start with `prefix`.
pub(crate) fn find(text: &str, prefix: &str) -> Vec<Suppression> {
    let mut found = Vec::new();
    // Most files have none: one search of the text rather than one per line.
    if !text.contains(MARKER) {
        return found;
    }
    let mut start = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let offset = start;
        start += line.len();
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        // The marker must follow the comment marker, with only spaces between.
        let before = line[..at].trim_end();
        let Some(code) = before.strip_suffix(prefix) else {
            continue;
        };
        let Some(close) = line[at + MARKER.len()..].find(']') else {
            continue;
        };
        let list = &line[at + MARKER.len()..at + MARKER.len() + close];
        let own_line = code.trim().is_empty();
        let comment_start = offset + before.len() - prefix.len();
        let end = offset + line.trim_end_matches(['\n', '\r']).len();
        found.push(Suppression {
            line: if own_line { number + 1 } else { number },
            rules: list
                .split(',')
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty())
                .collect(),
            range: TextRange::new(comment_start, end),
        });
    }
    found
}

/// The text that suppresses `rule` on the line starting at `line_start`: a comment line with
/// the line's own indentation, to insert before it.
pub(crate) fn comment_for(
    text: &str,
    line_start: usize,
    prefix: &str,
    rule: &rules::Rule,
) -> String {
    comment_listing(text, line_start, prefix, &[rule.name], "")
}

/// The comment line that suppresses every rule in `names` on the line starting at
/// `line_start`, followed by `reason` (`check --add-suppressions`), with the line's
/// indentation and the file's line ending.
pub(crate) fn comment_listing(
    text: &str,
    line_start: usize,
    prefix: &str,
    names: &[&str],
    reason: &str,
) -> String {
    let line = &text[line_start..];
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let reason = reason.trim();
    let space = if reason.is_empty() { "" } else { " " };
    format!(
        "{indent}{prefix} {MARKER}{}]{space}{reason}{newline}",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_line_and_trailing_comments() {
        let text = "model: claude-opus-5\n# preflight: ignore[openai-parameter, R004] ported\nstop: x\nn: 1  # preflight: ignore[O101]\n";
        let found = find(text, "#");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 2);
        assert_eq!(found[0].rules, ["openai-parameter", "R004"]);
        assert_eq!(
            &text[found[0].range.to_range()],
            "# preflight: ignore[openai-parameter, R004] ported"
        );
        assert_eq!(found[1].line, 3);
        assert_eq!(found[1].rules, ["O101"]);
        let rule = rules::find("openai-parameter").unwrap();
        assert!(found[0].covers(rule) && found[1].covers(rule));
    }

    #[test]
    fn an_old_code_still_suppresses_its_rule() {
        let found = find("key: sk  # preflight: ignore[X101]\n", "#");
        let rule = rules::find("api-key-in-payload").unwrap();
        assert_eq!(rule.code, "Y101");
        assert!(found[0].covers(rule));
        assert!(!found[0].covers(rules::find("context-window-exceeded").unwrap()));
    }

    #[test]
    fn markers_outside_comments_do_not_count() {
        assert!(find("text: \"preflight: ignore[x]\"\n", "#").is_empty());
        assert!(find("x = 1 // preflight: ignore[x]\n", "#").is_empty());
    }

    #[test]
    fn the_inserted_comment_keeps_the_indentation() {
        let text = "messages:\n  - role: tool\n";
        let rule = rules::find("invalid-role").unwrap();
        assert_eq!(
            comment_for(text, 10, "#", rule),
            "  # preflight: ignore[invalid-role]\n"
        );
        assert_eq!(
            comment_listing("  x: 1\r\n", 0, "//", &["a", "b"], "ported from OpenAI"),
            "  // preflight: ignore[a, b] ported from OpenAI\r\n"
        );
    }
}
