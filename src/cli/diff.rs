//! `check --diff`: what `--fix` would write, as a unified diff per file, nothing written.

/// The unified diff from `before` to `after` for the file shown as `path` (empty when they are
/// equal), with three lines of context as `diff -u` and ruff's `--diff` give.
pub(super) fn unified(path: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .missing_newline_hint(true)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_with_its_context() {
        assert_eq!(unified("a.json", "{}\n", "{}\n"), "");
        assert_eq!(
            unified(
                "a.json",
                "{\n  \"stop\": [\"x\"]\n}\n",
                "{\n  \"stop_sequences\": [\"x\"]\n}\n"
            ),
            "--- a.json\n+++ a.json\n@@ -1,3 +1,3 @@\n {\n-  \"stop\": [\"x\"]\n+  \"stop_sequences\": [\"x\"]\n }\n"
        );
    }
}
