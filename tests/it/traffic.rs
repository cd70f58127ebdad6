//! Recorded HTTP traffic: the requests VCR cassettes, HAR files, Polly.js and nock recordings
//! hold, checked where they are written, with fixes written back in the string's quoting.

use claude_preflight::FileKind;
use claude_preflight::analyze::{analyze, fix_until_stable};
use claude_preflight::fix::Applicability;
use claude_preflight::settings::Settings;
use claude_preflight::{ColumnUnit, LineIndex};

fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 12, 3))
}

/// Each finding as `line:column-line:column code text` (1-based, columns in characters), the
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
                "{}-{} {} {}",
                at(d.range.start),
                at(d.range.end),
                d.rule.code,
                &text[d.range.to_range()]
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

/// Checks `text` and asserts its findings and the text once fixed.
fn expect(path: &str, text: &str, findings: &[&str], fixed: &str) -> Checked {
    let checked = check(path, text);
    assert_eq!(checked.findings, findings, "{path}");
    assert_eq!(checked.fixed, fixed, "{path}");
    checked
}

/// Asserts that `text` has no findings, and what discovery said about it.
fn silent(path: &str, text: &str) -> Vec<String> {
    let checked = check(path, text);
    assert_eq!(checked.findings, Vec::<String>::new(), "{path}");
    assert_eq!(checked.fixed, text);
    checked.notes
}

/// A vcrpy cassette of requests (each the lines under `- request:`), each answered 200.
macro_rules! cassette {
    ($($request:literal),+ $(,)?) => {
        concat!(
            "interactions:\n",
            $("- request:\n", $request, "  response:\n    status:\n      code: 200\n",)+
            "version: 1\n"
        )
    };
}

const VCR_FOLDED: &str = cassette!(
    r#"    body: '{"max_tokens": 1024, "messages": [{"role": "user", "content": "Summarise
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
"#
);

#[test]
fn vcrpy_yaml_with_a_json_string_body_folded_over_lines() {
    let checked = expect(
        "tests/cassettes/test_summary.yaml",
        VCR_FOLDED,
        &[r#"4:60-4:66 O101 "stop""#, r#"5:7-5:10 O101 "n""#],
        &VCR_FOLDED.replace(
            "\"stop\": [\"END\"],\n      \"n\": 1}'",
            "\"stop_sequences\": [\"END\"]}'",
        ),
    );
    assert_eq!(
        checked.notes,
        [
            "VCR cassette request 1 to `https://api.anthropic.com/v1/messages`: it is sent to a Claude endpoint"
        ]
    );
}

const VCR_BLOCK: &str = cassette!(
    r#"    body: |
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
"#
);

#[test]
fn vcrpy_yaml_with_a_literal_block_body() {
    expect("cassettes/brief.yml", VCR_BLOCK, &[r#"7:31-7:39 M103 "system""#], &VCR_BLOCK.replace(
            "        \"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}]\n",
            "        \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}],\n        \"system\": \"Be brief.\"\n"
        ));
}

const RUBY_VCR: &str = r#"---
http_interactions:
- request:
    method: post
    uri: https://api.anthropic.com/v1/messages
    body:
      encoding: UTF-8
      string: '{"model":"claude-3-opus-20240229","max_tokens":512,"messages":[{"role":"user","content":"Name three rivers."}]}'
    headers:
      Anthropic-Version:
      - '2023-06-01'
      Anthropic-Beta:
      - prompt-caching-2024-07-31
      X-Api-Key:
      - "<ANTHROPIC_API_KEY>"
  response:
    status:
      code: 200
      message: OK
  recorded_at: Tue, 03 Nov 2026 10:00:00 GMT
recorded_with: VCR 6.3.1
"#;

#[test]
fn ruby_vcr_body_string_and_recorded_headers() {
    // The retired model in the body, the deprecated beta in the recorded header; the filtered
    // key is no key.
    expect(
        "spec/cassettes/rivers.yml",
        RUBY_VCR,
        &[
            r#"8:25-8:49 L102 "claude-3-opus-20240229""#,
            "13:9-13:34 W105 prompt-caching-2024-07-31",
        ],
        &RUBY_VCR.replace("claude-3-opus-20240229", "claude-opus-4-8"),
    );
}

const PARSED_BODY: &str = r#"{
  "interactions": [
    {
      "request": {
        "method": "POST",
        "uri": "https://api.anthropic.com/v1/messages/count_tokens",
        "headers": {"anthropic-version": ["2023-06-01"], "x-api-key": ["DUMMY"]},
        "parsed_body": {
          "model": "claude-opus-4-6",
          "max_tokens": 1024,
          "messages": [{"role": "user", "content": "How long is this?"}]
        }
      },
      "response": {"status": {"code": 200, "message": "OK"}, "body": {"string": "{\"input_tokens\": 14}"}}
    }
  ],
  "version": 1
}
"#;

#[test]
fn json_cassette_with_a_parsed_count_tokens_body() {
    expect(
        "cassettes/count.json",
        PARSED_BODY,
        &[r#"10:11-10:23 B111 "max_tokens""#],
        &PARSED_BODY.replace("          \"max_tokens\": 1024,\n", ""),
    );
}

const HAR: &str = r#"{
  "log": {
    "version": "1.2",
    "creator": {"name": "WebInspector", "version": "537.36"},
    "entries": [
      {
        "request": {
          "method": "POST",
          "url": "https://api.anthropic.com/v1/messages",
          "headers": [
            {"name": "anthropic-version", "value": "2023-06-01"},
            {"name": "content-type", "value": "application/json"}
          ],
          "postData": {
            "mimeType": "application/json",
            "text": "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":2048,\"temperature\":0.7,\"top_p\":0.9,\"messages\":[{\"role\":\"user\",\"content\":\"A haiku about caf\\u00e9s\"}]}"
          }
        },
        "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{}"}}
      },
      {
        "request": {"method": "GET", "url": "https://example.com/app.js", "headers": []},
        "response": {"status": 200}
      }
    ]
  }
}
"#;

#[test]
fn har_post_data_text() {
    expect(
        "session.har",
        HAR,
        &[r#"16:95-16:104 A102 \"top_p\""#],
        &HAR.replace(r#",\"top_p\":0.9"#, ""),
    );
}

const POLLY: &str = r#"{
  "log": {
    "_recordingName": "chat/answers a question",
    "creator": {"comment": "persister:fs", "name": "Polly.JS", "version": "6.0.6"},
    "entries": [
      {
        "_id": "4f1c5a0e2b7d9c3e",
        "_order": 0,
        "request": {
          "headers": [
            {"_fromType": "array", "name": "anthropic-version", "value": "2023-06-01"},
            {"_fromType": "array", "name": "x-api-key", "value": "sk-ant-api03-Zx9pQ2rT7vW1yB4nM6kL8jH3gF5dS0aP2oI4uY6tR8eW0qA1zX3cV5bN7mK9lJ1hG3fD5sA7pO9iU-qwertyAA"}
          ],
          "method": "POST",
          "postData": {
            "mimeType": "application/json",
            "text": "{\"model\":\"claude-haiku-4-5-20251001\",\"max_tokens\":200000,\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}"
          },
          "url": "https://api.anthropic.com/v1/messages"
        },
        "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{}"}}
      }
    ],
    "version": "1.2"
  }
}
"#;

#[test]
fn polly_recording_with_a_real_key_in_a_header() {
    let checked = check("recordings/chat_123/recording.har", POLLY);
    assert_eq!(
        checked.findings,
        [
            "12:67-12:166 Y101 sk-ant-api03-Zx9pQ2rT7vW1yB4nM6kL8jH3gF5dS0aP2oI4uY6tR8eW0qA1zX3cV5bN7mK9lJ1hG3fD5sA7pO9iU-qwertyAA",
            "17:78-17:84 L104 200000"
        ]
    );
    let analysis = analyze(POLLY, FileKind::Json, "recording.har", &settings());
    let key = analysis.redactor.ranges();
    assert_eq!(key.len(), 1);
    assert!(POLLY[key[0].to_range()].starts_with("sk-ant-api03-Zx9"));
    assert!(
        analysis
            .diagnostics
            .iter()
            .all(|d| !d.message.contains("Zx9pQ2"))
    );
}

const NOCK: &str = r#"[
  {
    "scope": "https://api.anthropic.com:443",
    "method": "POST",
    "path": "/v1/messages",
    "body": {
      "model": "claude-sonnet-4-6",
      "max_tokens": 1024,
      "messages": [{"role": "user", "content": "Classify this ticket."}],
      "tools": [{"name": "set label", "description": "Label it", "input_schema": {"type": "object"}}]
    },
    "status": 200,
    "response": {"type": "message"}
  },
  {
    "scope": "https://api.anthropic.com:443",
    "method": "POST",
    "path": "/v1/messages?beta=true",
    "body": "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,\"stop\":\"\\n\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
    "status": 200,
    "response": {"type": "message"}
  }
]
"#;

#[test]
fn nock_object_and_string_bodies() {
    expect(
        "test/fixtures/claude.json",
        NOCK,
        &[
            r#"10:26-10:37 T101 "set label""#,
            r#"19:65-19:73 O101 \"stop\""#,
        ],
        &NOCK.replace(r#"\"stop\":\"\\n\""#, r#"\"stop_sequences\":[\"\\n\"]"#),
    );
}

#[test]
fn polly_fix_is_written_back_as_json_string_text() {
    let checked = check("recording.har", POLLY);
    assert_eq!(
        checked.fixed,
        POLLY.replace(r#"\"max_tokens\":200000"#, r#"\"max_tokens\":64000"#)
    );
}

const BEDROCK: &str = cassette!(
    r#"    body: '{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 512, "messages":
      [{"role": "user", "content": "Translate to French: good morning"}], "top_k":
      -1}'
    headers:
      Content-Type:
      - application/json
      authorization:
      - DUMMY
    method: POST
    uri: https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke
"#,
    r#"    body: '{"messages": [{"role": "user", "content": [{"text": "Hi"}]}], "inferenceConfig": {"maxTokens": 10}}'
    method: POST
    uri: https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse
"#,
    r#"    body: '{"inputText": "Hello", "textGenerationConfig": {"maxTokenCount": 10}}'
    method: POST
    uri: https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-text-express-v1/invoke
"#
);

#[test]
fn bedrock_invoke_is_read_and_converse_and_other_models_are_not() {
    let checked = check("cassettes/bedrock.yaml", BEDROCK);
    assert_eq!(checked.findings, ["5:7-5:9 A101 -1"]);
    assert_eq!(checked.notes.len(), 2);
    assert!(checked.notes[0].starts_with("VCR cassette request 1 to `https://bedrock-runtime."));
    assert!(checked.notes[1].starts_with("VCR cassette request 3 to"));
    assert!(checked.notes[1].ends_with("it has no `messages`"));
}

const VERTEX: &str = cassette!(
    r#"    body: "{\"anthropic_version\": \"vertex-2023-10-16\", \"model\": \"claude-opus-4-6\",\
      \ \"max_tokens\": 256, \"messages\": [{\"role\": \"user\", \"content\": \"R\xE9\
      sum\xE9 this\"}]}"
    method: POST
    uri: https://us-east5-aiplatform.googleapis.com/v1/projects/demo/locations/us-east5/publishers/anthropic/models/claude-opus-4-6:rawPredict
"#
);

#[test]
fn vertex_raw_predict_in_a_double_quoted_yaml_string() {
    expect(
        "cassettes/vertex.yaml",
        VERTEX,
        &[r#"3:59-3:68 B108 \"model\""#],
        &// The escaped line break after the member goes with it.
        VERTEX.replace(
            &(r#"\"model\": \"claude-opus-4-6\",\"#.to_owned() + "\n      \\ "),
            ""
        ),
    );
}

const BATCH: &str = cassette!(
    r#"    body: '{"requests": [{"custom_id": "a", "params": {"model": "claude-sonnet-4-6",
      "max_tokens": 100, "messages": [{"role": "user", "content": "x"}]}}, {"custom_id":
      "a", "params": {"model": "claude-sonnet-4-6", "max_tokens": 100, "messages":
      [{"role": "user", "content": "y"}], "logprobs": true}}]}'
    method: POST
    uri: https://api.anthropic.com/v1/messages/batches
"#
);

#[test]
fn message_batches_body() {
    expect(
        "cassettes/batch.yaml",
        BATCH,
        &[r#"5:7-5:10 B102 "a""#, r#"6:43-6:53 O101 "logprobs""#],
        &BATCH.replace(r#"}], "logprobs": true}}]}'"#, r#"}]}}]}'"#),
    );
}

#[test]
fn other_hosts_are_not_read() {
    let openai = r#"interactions:
- request:
    body: '{"messages": [{"role": "system", "content": "Be brief."}], "model": "gpt-4o", "n": 2, "stop": ["END"]}'
    headers:
      authorization:
      - Bearer sk-proj-abcdefghijklmnopqrstuvwxyz0123456789
    method: POST
    uri: https://api.openai.com/v1/chat/completions
  response:
    status:
      code: 200
- request:
    body: '{"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]}'
    method: POST
    uri: https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent
  response:
    status:
      code: 200
version: 1
"#;
    assert_eq!(
        silent("cassettes/openai.yaml", openai),
        ["it has no `messages`"]
    );
    // A request to Claude's host under another path (the models list) is not a body either.
    let models = r#"{"log": {"entries": [{"request": {"method": "POST", "url": "https://api.anthropic.com/v1/models", "postData": {"text": "{\"model\": \"claude-x\", \"messages\": 1}"}}}]}}"#;
    assert_eq!(silent("models.har", models), ["it has no `messages`"]);
}

#[test]
fn valid_bodies_and_filtered_keys_are_silent() {
    let valid = VCR_BLOCK.replace(
        r#"[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]"#,
        r#"[{"role": "user", "content": "Hi"}]"#,
    );
    assert_eq!(silent("cassettes/valid.yaml", &valid).len(), 1);
    for filtered in [
        "DUMMY",
        "<API_KEY>",
        "'**REDACTED**'",
        "sk-ant-xxxxxxxx",
        "null",
    ] {
        let text = valid.replace(
            "      - '2023-06-01'\n",
            &format!("      - '2023-06-01'\n      x-api-key:\n      - {filtered}\n"),
        );
        silent("cassettes/valid.yaml", &text);
    }
}

#[test]
fn encoded_bodies_are_skipped_with_a_note() {
    let ruby = "http_interactions:\n- request:\n    method: post\n    uri: https://api.anthropic.com/v1/messages\n    body:\n      encoding: ASCII-8BIT\n      base64_string: |\n        eyJtb2RlbCI6ImNsYXVkZS1vcHVzLTQtNiJ9\n    headers: {}\nrecorded_with: VCR 6.3.1\n";
    let binary = "interactions:\n- request:\n    body: !!binary |\n      H4sIAAAAAAAAA6tWys1PScxRslJKzslMTtXJrSzNLC5JVbJSKC3OLMnPU6oFAFzQ8r4dAAAA\n    headers:\n      Content-Encoding:\n      - gzip\n    method: POST\n    uri: https://api.anthropic.com/v1/messages\nversion: 1\n";
    let har = r#"{"log": {"entries": [{"request": {"method": "POST", "url": "https://api.anthropic.com/v1/messages", "postData": {"mimeType": "application/json", "text": "H4sIAAAAAAAAA6tWys1PScxRslJKzslMTtXJrSzNLC5JVbJSKC3OLMnPU6oFAFzQ8r4dAAAA"}}}]}}"#;
    let note = "VCR cassette request 1 to `https://api.anthropic.com/v1/messages`: body stored as a string it could not decode";
    assert_eq!(silent("b64.yml", ruby), [note]);
    assert_eq!(silent("binary.yaml", binary), [note]);
    assert_eq!(
        silent("gzip.har", har),
        [note.replace("VCR cassette", "HAR file")]
    );
}
