//! The report formats of `check`, on real analyses of the files in `tests/data/output/`:
//! snapshots of the human report, the JSON contract's shape, SARIF validated against the
//! official 2.1.0 schema, and exact GitHub workflow commands.

use claude_preflight::FileKind;
use claude_preflight::analyze::{Diagnostic, analyze};
use claude_preflight::cli::output::{self, FileReport, Format, Report};
use claude_preflight::rules::{self, Severity};
use claude_preflight::settings::Settings;
use claude_preflight::{LineIndex, TextRange};
use serde_json::{Value, json};

/// Analyses `files` (path shown, text) the way `check` does and gathers the report.
fn report(files: &[(String, String)]) -> Report {
    let settings = Settings::new(jiff::civil::date(2026, 11, 25));
    let mut report = Report::default();
    for (path, text) in files {
        let kind = FileKind::from_path(std::path::Path::new(path)).expect("known extension");
        let analysis = analyze(text, kind, path, &settings);
        report.summary.files += 1;
        report.summary.payloads += analysis.payloads;
        for d in &analysis.diagnostics {
            report.summary.count(d.severity);
        }
        if !analysis.diagnostics.is_empty() {
            report
                .files
                .push(file_report(path, text, analysis.diagnostics));
        }
    }
    report
}

fn file_report(path: &str, text: &str, diagnostics: Vec<Diagnostic>) -> FileReport {
    FileReport {
        path: path.to_owned(),
        text: text.to_owned(),
        index: LineIndex::new(text),
        diagnostics,
    }
}

/// `tests/data/output/<name>` as (path, text).
fn data(name: &str) -> (String, String) {
    let path = format!("tests/data/output/{name}");
    let text = std::fs::read_to_string(&path).expect("test data");
    (path, text)
}

fn render(format: Format, report: &Report) -> String {
    let mut out = Vec::new();
    output::write(format, report, &mut out, false).expect("writing to a Vec");
    String::from_utf8(out).expect("UTF-8 output")
}

/// The byte offset of the `nth` (0-based) occurrence of `needle` in `text`.
fn offset_of(text: &str, needle: &str, nth: usize) -> usize {
    text.match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .expect("needle in text")
}

#[test]
fn human_fixes_as_diffs() {
    let report = report(&[data("openai.json"), data("missing-max-tokens.json")]);
    insta::assert_snapshot!(render(Format::Human, &report));
}

#[test]
fn human_non_ascii_line() {
    let report = report(&[data("non-ascii.json")]);
    insta::assert_snapshot!(render(Format::Human, &report));
}

/// No rule reports a range over several lines on a small file yet (`too-many-messages` needs
/// 100,001 messages), so this finding is made by hand on a real file.
#[test]
fn human_multi_line_range() {
    let (path, text) = data("conversation.json");
    let start = offset_of(&text, "{\n      \"role\"", 0);
    let end = offset_of(&text, "    }", 0) + 5;
    let diagnostic = Diagnostic {
        rule: rules::find("too-many-messages").expect("a rule"),
        severity: Severity::Error,
        range: TextRange::new(start, end),
        message: "100001 messages: the API accepts at most 100000 per request".into(),
        fix: None,
    };
    let mut report = Report::default();
    report.summary.files = 1;
    report.summary.payloads = 1;
    report.summary.count(Severity::Error);
    report
        .files
        .push(file_report(&path, &text, vec![diagnostic]));
    insta::assert_snapshot!(render(Format::Human, &report));
}

#[test]
fn human_without_findings() {
    let clean = data("clean.json");
    let report = report(&[clean.clone(), clean]);
    assert_eq!(
        render(Format::Human, &report),
        "All checked: 2 payloads across 2 files, no problems.\n"
    );
    let not_claude = ("package.json".to_owned(), r#"{"name": "x"}"#.to_owned());
    assert_eq!(
        render(Format::Human, &self::report(&[not_claude])),
        "No Claude request found in 1 file.\n"
    );
}

/// A request with a 1 MB base64 image on one line: findings before and after it, and a fix
/// that edits that line, print a few hundred characters with exact columns.
#[test]
fn human_cuts_very_long_lines() {
    let base64 = "QUJD".repeat(256 * 1024);
    let text = format!(
        r#"{{"model": "claude-opus-5", "max_tokens": 10, "messages": [{{"role": "user", "content": [{{"type": "image", "source": {{"type": "base64", "media_type": "image/png", "data": "{base64}"}}}}]}}], "stop": "END", "max_tokens": 20}}"#
    );
    let report = report(&[("long.json".to_owned(), text.clone())]);
    let out = render(Format::Human, &report);
    assert!(out.len() < 3000, "{} bytes of output:\n{out}", out.len());
    let stop_column = text[..offset_of(&text, "\"stop\"", 0)].chars().count() + 1;
    assert!(
        out.contains(&format!(" --> long.json:1:{stop_column}\n")),
        "{out}"
    );
    assert!(out.contains(" --> long.json:1:28\n"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn json_report_shape() {
    let report = report(&[data("non-ascii.json"), data("openai.json")]);
    let document: Value = serde_json::from_str(&render(Format::Json, &report)).expect("JSON");
    let keys = |v: &Value| {
        let mut keys: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&document), ["diagnostics", "summary", "version"]);
    assert_eq!(document["version"], 1);
    assert_eq!(
        document["summary"],
        json!({"files": 2, "payloads": 2, "errors": 4, "warnings": 0, "infos": 0, "hints": 0, "fixed": 0})
    );
    let diagnostics = document["diagnostics"].as_array().expect("array");
    for d in diagnostics {
        assert_eq!(
            keys(d),
            [
                "code", "fix", "message", "name", "path", "range", "severity"
            ]
        );
    }
    // `"max_token"` follows `é`, `ç`, `î` and `🙂` on line 1: character columns, not bytes
    // (byte 81) or UTF-16 units (column 79).
    assert_eq!(
        diagnostics[0],
        json!({
            "path": "tests/data/output/non-ascii.json",
            "code": "R004",
            "name": "unknown-parameter",
            "severity": "error",
            "message": diagnostics[0]["message"],
            "range": {"start": {"line": 1, "column": 78}, "end": {"line": 1, "column": 89}},
            "fix": null,
        })
    );
    assert_eq!(
        diagnostics[2],
        json!({
            "path": "tests/data/output/openai.json",
            "code": "O101",
            "name": "openai-parameter",
            "severity": "error",
            "message": diagnostics[2]["message"],
            "range": {"start": {"line": 4, "column": 3}, "end": {"line": 4, "column": 9}},
            "fix": {
                "title": "Rename `stop` to `stop_sequences`",
                "applicability": "safe",
                "edits": [
                    {
                        "range": {"start": {"line": 4, "column": 3}, "end": {"line": 4, "column": 9}},
                        "new_text": "\"stop_sequences\"",
                    },
                    {
                        "range": {"start": {"line": 4, "column": 11}, "end": {"line": 4, "column": 16}},
                        "new_text": "[\"END\"]",
                    },
                ],
            },
        })
    );
}

/// The vendored schema (see `tests/data/README.md`), compiled with format checks on.
fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").expect("schema file"),
    )
    .expect("schema JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(log: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn sarif_is_valid_and_exact() {
    let report = report(&[
        data("non-ascii.json"),
        data("openai.json"),
        data("missing-max-tokens.json"),
    ]);
    let log: Value = serde_json::from_str(&render(Format::Sarif, &report)).expect("JSON");
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), claude_preflight::rules::all().count());
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 5);
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    let unknown = &rules[results[0]["ruleIndex"].as_u64().expect("index") as usize];
    assert_eq!(unknown["name"], "unknown-parameter");
    assert_eq!(
        unknown["helpUri"],
        rules::find("unknown-parameter").expect("a rule").url()
    );
    assert_eq!(unknown["defaultConfiguration"], json!({"level": "error"}));
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"],
        json!({
            "artifactLocation": {"uri": "tests/data/output/non-ascii.json", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 1, "startColumn": 78, "endLine": 1, "endColumn": 89},
        })
    );
    assert_eq!(
        results[2]["fixes"],
        json!([{
            "description": {"text": "Rename `stop` to `stop_sequences` (safe fix)"},
            "artifactChanges": [{
                "artifactLocation": {"uri": "tests/data/output/openai.json", "uriBaseId": "%SRCROOT%"},
                "replacements": [
                    {
                        "deletedRegion": {"startLine": 4, "startColumn": 3, "endLine": 4, "endColumn": 9},
                        "insertedContent": {"text": "\"stop_sequences\""},
                    },
                    {
                        "deletedRegion": {"startLine": 4, "startColumn": 11, "endLine": 4, "endColumn": 16},
                        "insertedContent": {"text": "[\"END\"]"},
                    },
                ],
            }],
            "properties": {"applicability": "safe"},
        }])
    );
}

#[test]
fn sarif_without_findings_is_valid() {
    let log: Value =
        serde_json::from_str(&render(Format::Sarif, &report(&[data("clean.json")]))).expect("JSON");
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"], json!([]));
}

/// The test itself: an invalid log is caught (a result level SARIF does not have).
#[test]
fn sarif_validation_catches_invalid_logs() {
    let mut log: Value =
        serde_json::from_str(&render(Format::Sarif, &report(&[data("openai.json")])))
            .expect("JSON");
    log["runs"][0]["results"][0]["level"] = json!("info");
    assert!(!sarif_validator().is_valid(&log));
}

#[test]
fn github_commands() {
    let mut report = report(&[data("non-ascii.json"), data("conversation.json")]);
    let (path, text) = data("conversation.json");
    let start = offset_of(&text, "{\n      \"role\"", 0);
    let end = offset_of(&text, "    }", 0) + 5;
    let hand_made = |severity, range, message: &str| Diagnostic {
        rule: rules::find("too-many-messages").expect("a rule"),
        severity,
        range,
        message: message.to_owned(),
        fix: None,
    };
    report.files.push(file_report(
        &path,
        &text,
        vec![hand_made(
            Severity::Warning,
            TextRange::new(start, end),
            "over two lines",
        )],
    ));
    report.files.push(file_report(
        "dir,1/a:b.json",
        "{}",
        vec![hand_made(
            Severity::Info,
            TextRange::new(0, 2),
            "50% of it,\r\nthen: more",
        )],
    ));
    let out = render(Format::Github, &report);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "::error file=tests/data/output/non-ascii.json,line=1,col=78,endLine=1,endColumn=89,title=R004 unknown-parameter::`max_token` is not a Messages API parameter: the API answers 400 `max_token: Extra inputs are not permitted`; did you mean `max_tokens`?",
            "::warning file=tests/data/output/conversation.json,line=6,endLine=13,title=R005 too-many-messages::over two lines",
            "::notice file=dir%2C1/a%3Ab.json,line=1,col=1,endLine=1,endColumn=3,title=R005 too-many-messages::50%25 of it,%0D%0Athen: more",
        ]
    );
}
