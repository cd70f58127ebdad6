//! Recorded HTTP traffic: the requests VCR cassettes, HAR files, Polly.js and nock recordings
//! hold, checked where they are written, with fixes written back in the string's quoting.

use claude_preflight::analyze::{analyze, fix_until_stable};
use claude_preflight::extract::files::FileKind;
use claude_preflight::fix::Applicability;
use claude_preflight::settings::Settings;
use claude_preflight::syntax::{ColumnUnit, LineIndex};

fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 12, 3))
}

/// Each finding as `line:column-line:column code` (1-based, columns in characters), the
/// discovery notes, and the text once every fix (safe and unsafe) is applied.
struct Checked {
    findings: Vec<String>,
    notes: Vec<String>,
    fixed: String,
}

fn check(path: &str, text: &str) -> Checked {
    let kind = FileKind::from_path(std::path::Path::new(path)).unwrap();
    let settings = settings();
    let analysis = analyze(text, kind, path, &settings);
    let index = LineIndex::new(text);
    let at = |offset: u32| {
        let p = index.position(text, offset as usize, ColumnUnit::Char);
        format!("{}:{}", p.line + 1, p.column + 1)
    };
    let findings = analysis
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}-{} {}",
                at(d.range.start),
                at(d.range.end),
                d.rule.code
            )
        })
        .collect();
    let notes = analysis.discovery.iter().map(|(_, n)| n.clone()).collect();
    let (fixed, _, _) = fix_until_stable(
        text.to_owned(),
        analysis,
        kind,
        path,
        &settings,
        Applicability::Unsafe,
    );
    Checked {
        findings,
        notes,
        fixed,
    }
}

/// Asserts that `text` has no findings, and what discovery said about it.
fn silent(path: &str, text: &str) -> Vec<String> {
    let checked = check(path, text);
    assert_eq!(checked.findings, Vec::<String>::new(), "{path}");
    assert_eq!(checked.fixed, text);
    checked.notes
}

const VCR_FOLDED: &str = r#"interactions:
- request:
    body: '{"max_tokens": 1024, "messages": [{"role": "user", "content": "Summarise
      the release notes."}], "model": "claude-sonnet-4-6", "stop": ["END"],
      "n": 1}'
    headers:
      anthropic-version:
      - '2023-06-01'
      content-type:
      - application/json
      x-api-key:
      - DUMMY
    method: POST
    uri: https://api.anthropic.com/v1/messages
  response:
    body:
      string: '{"id": "msg_01", "type": "message"}'
    status:
      code: 200
      message: OK
version: 1
"#;

#[test]
fn vcrpy_yaml_with_a_json_string_body_folded_over_lines() {
    let checked = check("tests/cassettes/test_summary.yaml", VCR_FOLDED);
    assert_eq!(checked.findings, ["4:60-4:66 O101", "5:7-5:10 O101"]);
    assert_eq!(
        checked.fixed,
        VCR_FOLDED.replace(
            "\"stop\": [\"END\"],\n      \"n\": 1}'",
            "\"stop_sequences\": [\"END\"]}'"
        )
    );
    assert_eq!(
        checked.notes,
        ["VCR cassette request 1 to `https://api.anthropic.com/v1/messages`: it is sent to a Claude endpoint"]
    );
}

const VCR_BLOCK: &str = r#"interactions:
- request:
    body: |
      {
        "model": "claude-sonnet-4-6",
        "max_tokens": 64,
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
      }
    headers:
      anthropic-version:
      - '2023-06-01'
    method: POST
    uri: https://api.anthropic.com/v1/messages
  response:
    status:
      code: 200
version: 1
"#;

#[test]
fn vcrpy_yaml_with_a_literal_block_body() {
    let checked = check("cassettes/brief.yml", VCR_BLOCK);
    assert_eq!(checked.findings, ["7:31-7:39 M103"]);
    assert_eq!(
        checked.fixed,
        VCR_BLOCK.replace(
            "        \"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}]\n",
            "        \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}],\n        \"system\": \"Be brief.\"\n"
        )
    );
}
