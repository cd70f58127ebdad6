//! Inputs that once cost quadratic work (or gigabytes), at sizes the old code took minutes on:
//! each must finish within the ordinary test run, with exact results. benches/growth.rs times
//! the same inputs at two sizes; the line index and the token counter have their own tests
//! (`syntax::line_index`, `tokens::estimate`).

#[path = "../../benches/growth/inputs.rs"]
#[allow(dead_code)] // The benchmark's other inputs have their tests beside the code they time.
mod inputs;

use claude_preflight::analyze::{Analysis, analyze};
use claude_preflight::settings::Settings;
use claude_preflight::{FileKind, TextRange};

fn check(text: &str, kind: FileKind, path: &str) -> Analysis {
    analyze(
        text,
        kind,
        path,
        &Settings::new(jiff::civil::date(2026, 12, 3)),
    )
}

fn codes(analysis: &Analysis) -> Vec<(&'static str, TextRange)> {
    analysis
        .diagnostics
        .iter()
        .map(|d| (d.rule.name, d.range))
        .collect()
}

/// The range of the first `needle` in `text`.
fn range_of(text: &str, needle: &str) -> TextRange {
    let start = text.find(needle).expect("the needle");
    TextRange::new(start, start + needle.len())
}

#[test]
fn a_request_inside_forty_thousand_nested_calls_is_checked() {
    // Every identifier asked tree-sitter for its parent, which walks down from the root: 30 KB
    // of nesting took 13 to 19 s, and this is four times that.
    for (text, kind, path) in [
        (inputs::nested_python(40_000), FileKind::Python, "nested.py"),
        (
            inputs::nested_typescript(40_000),
            FileKind::TypeScript,
            "nested.ts",
        ),
    ] {
        let found = codes(&check(&text, kind, path));
        let temperature = text.find("temperature").expect("the field");
        let three = temperature + text[temperature..].find('3').expect("the value");
        assert_eq!(
            found,
            [
                ("deprecated-model", range_of(&text, "\"claude-opus-4-5\"")),
                ("sampling-out-of-range", TextRange::new(three, three + 1)),
            ],
            "{path}"
        );
    }
}

#[test]
fn a_log_named_as_a_notebook_or_as_json_is_not_recovered_as_either() {
    // 32 MB of log lines: tree-sitter-json's recovery took 4.7 s and 574 MB for 5 MB of it.
    // What the parser makes of it is tested in `extract::files` with the same input.
    let junk = inputs::log_junk(32 << 20);
    assert!(
        check(&junk, FileKind::Json, "junk.json")
            .diagnostics
            .is_empty()
    );
}

#[test]
fn half_typed_requests_still_get_their_findings() {
    // The notebook and JSON paths give up early only on text that cannot be the claimed kind.
    let text = r#"{"model": "claude-opus-4-5", "max_tokens": 1024, "temperature": 3, "messages": [{"role": "user", "content": "hi"}], "stop_sequences": [@"#;
    let found = codes(&check(text, FileKind::Json, "typing.json"));
    let names: Vec<&str> = found.iter().map(|(name, _)| *name).collect();
    assert!(names.contains(&"syntax-error"), "{found:?}");
    assert!(
        found.contains(&("sampling-out-of-range", range_of(text, "3"))),
        "{found:?}"
    );
    let notebook = r#"  {"cells": [{"cell_type": "code", "source": ["import anthropic\n", "anthropic.Anthropic().messages.create(model=\"claude-opus-4-5\", max_tokens=1024, temperature=3, messages=[])"]}]}"#;
    let found = codes(&check(notebook, FileKind::Notebook, "typing.ipynb"));
    let three = range_of(notebook, "temperature=3").end as usize - 1;
    assert!(
        found.contains(&("sampling-out-of-range", TextRange::new(three, three + 1))),
        "{found:?}"
    );
}

#[test]
fn four_thousand_console_fences_are_read_in_one_pass() {
    // Each fence's rows were counted from the file's start.
    let text = inputs::markdown_fences(4_000);
    let found = codes(&check(&text, FileKind::Markdown, "examples.md"));
    let count = |rule: &str| found.iter().filter(|(name, _)| *name == rule).count();
    assert_eq!(count("missing-anthropic-version"), 4_000);
    assert_eq!(count("deprecated-model"), 4_000);
    let last = text.rfind("curl").expect("a command");
    assert!(
        found.contains(&(
            "missing-anthropic-version",
            TextRange::new(last, last + "curl".len())
        )),
        "{:?}",
        found.last()
    );
}
