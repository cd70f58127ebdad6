//! Files holding many requests (a top-level list, a map of named requests, requests under any
//! key, multi-document YAML), half-typed request files, and what `--explain-discovery` says
//! when a file with Claude words gives no request. Every assertion names exact codes and byte
//! ranges, counts and reasons.

use claude_preflight::FileKind;
use claude_preflight::TextRange;
use claude_preflight::analyze::{Analysis, analyze};
use claude_preflight::count;
use claude_preflight::settings::Settings;

fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 12, 3))
}

fn check(text: &str, kind: FileKind) -> Analysis {
    analyze(text, kind, "store", &settings())
}

/// Each finding as (code, the text it covers, its byte range).
fn findings(text: &str, kind: FileKind) -> Vec<(&'static str, String, TextRange)> {
    check(text, kind)
        .diagnostics
        .iter()
        .map(|d| (d.rule.code, text[d.range.to_range()].to_owned(), d.range))
        .collect()
}

/// The range of the `nth` (0-based) occurrence of `needle` in `text`.
fn nth(text: &str, needle: &str, nth: usize) -> TextRange {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} in {text}"))
        .0;
    TextRange::new(start, start + needle.len())
}

fn reasons(analysis: &Analysis) -> Vec<&str> {
    analysis.discovery.iter().map(|(_, r)| r.as_str()).collect()
}

/// What a file gives: how many payloads, its findings, and why it was read as it was.
type Outcome = (usize, Vec<(&'static str, String, TextRange)>, Vec<String>);

fn outcome(text: &str, kind: FileKind) -> Outcome {
    let analysis = check(text, kind);
    let reasons = reasons(&analysis).into_iter().map(str::to_owned).collect();
    (analysis.payloads, findings(text, kind), reasons)
}

/// A finding on the `nth` occurrence of `needle`.
fn on(
    code: &'static str,
    text: &str,
    needle: &str,
    nth_one: usize,
) -> (&'static str, String, TextRange) {
    (code, needle.to_owned(), nth(text, needle, nth_one))
}

const LIST: &str = r#"[
  {"model": "claude-opus-5", "max_tokens": 1024, "n": 2,
   "messages": [{"role": "user", "content": "Summarise the log."}]},
  {"model": "claude-opus-5", "max_tokens": 256, "stop": ["END"],
   "messages": [{"role": "user", "content": "Classify the ticket."}]}
]
"#;

#[test]
fn a_top_level_list_is_checked_request_by_request() {
    assert_eq!(
        outcome(LIST, FileKind::Json),
        (
            2,
            vec![on("O101", LIST, "\"n\"", 0), on("O101", LIST, "\"stop\"", 0)],
            vec!["a list holding 2 requests: `0` (a messages body: `model` is the Claude model `claude-opus-5`), `1` (a messages body: `model` is the Claude model `claude-opus-5`)".to_owned()]
        )
    );
}

#[test]
fn a_map_of_named_requests_in_json_and_yaml() {
    let json = r#"{
  "summarise": {"model": "claude-opus-5", "max_tokens": 1024, "temperature": 1.5,
                "messages": [{"role": "user", "content": "Summarise."}]},
  "classify": {"model": "claude-opus-5", "max_tokens": 256,
               "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Classify."}]}
}"#;
    assert_eq!(
        outcome(json, FileKind::Json).1,
        [
            on("A101", json, "1.5", 0),
            on("M103", json, "\"system\"", 0)
        ]
    );
    let yaml = "summarise:\n  model: claude-opus-5\n  max_tokens: 1024\n  temperature: 1.5\n  messages:\n    - role: user\n      content: Summarise.\nclassify:\n  model: claude-opus-5\n  max_tokens: 256\n  n: 3\n  messages:\n    - role: user\n      content: Classify.\n";
    assert_eq!(
        outcome(yaml, FileKind::Yaml),
        (
            2,
            vec![
                on("A101", yaml, "1.5", 0),
                ("O101", "n".into(), nth(yaml, "n: 3", 0).head(1))
            ],
            vec!["a store holding 2 requests: `summarise` (a messages body: `model` is the Claude model `claude-opus-5`), `classify` (a messages body: `model` is the Claude model `claude-opus-5`)".to_owned()]
        )
    );
}

const PROMPTS: &str = "# prompts for the support bot\nversion: 3\nprompts:\n  - name: triage\n    request:\n      model: claude-opus-5\n      max_tokens: 512\n      top_k: -1\n      messages:\n        - role: user\n          content: Sort this ticket.\n  - name: reply\n    request:\n      model: claude-sonnet-5\n      max_tokens: 2048\n      messages:\n        - role: user\n          content: Draft a reply.\n";

#[test]
fn requests_under_a_key_such_as_prompts() {
    assert_eq!(
        outcome(PROMPTS, FileKind::Yaml),
        (
            2,
            vec![on("A101", PROMPTS, "-1", 0)],
            vec!["a store holding 2 requests: `prompts.0.request` (a messages body: `model` is the Claude model `claude-opus-5`), `prompts.1.request` (a messages body: `model` is the Claude model `claude-sonnet-5`)".to_owned()]
        )
    );
}

#[test]
fn multi_document_yaml_gives_one_request_per_document() {
    let yaml = "model: claude-opus-5\nmax_tokens: 100\nmessages:\n  - role: user\n    content: Hi\n---\nmodel: claude-opus-5\nmax_tokens: 100\nstop: [END]\nmessages:\n  - role: user\n    content: Hi\n---\nrequests:\n  - model: claude-opus-5\n    max_tokens: 100\n    n: 2\n    messages:\n      - role: user\n        content: Hi\n";
    assert_eq!(
        outcome(yaml, FileKind::Yaml),
        (
            3,
            vec![
                on("O101", yaml, "stop", 0),
                ("O101", "n".into(), nth(yaml, "n: 2", 0).head(1)),
            ],
            vec![
                "a messages body: `model` is the Claude model `claude-opus-5`".to_owned(),
                "a messages body: `model` is the Claude model `claude-opus-5`".to_owned(),
                "a store holding 1 request: `requests.0` (a messages body: `model` is the Claude model `claude-opus-5`)".to_owned(),
            ]
        )
    );
}

#[test]
fn a_body_inside_a_recognised_body_is_not_a_second_request() {
    // A Message Batches body under a key: the envelope and its one item, each finding once.
    let json = r#"{"nightly": {"requests": [{"custom_id": "a", "params": {"model": "claude-opus-5", "max_tokens": 10, "n": 2, "messages": [{"role": "user", "content": "Hi"}]}}]}}"#;
    let analysis = check(json, FileKind::Json);
    assert_eq!(analysis.payloads, 2);
    assert_eq!(
        findings(json, FileKind::Json),
        [("O101", "\"n\"".into(), nth(json, "\"n\"", 0))]
    );
    // A request that holds a request-like value (an example in its own text) is one request.
    let nested = r#"{"model": "claude-opus-5", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}], "metadata": {"user_id": "u1"}, "examples": [{"model": "claude-opus-5", "max_tokens": 10, "n": 2, "messages": []}]}"#;
    assert_eq!(check(nested, FileKind::Json).payloads, 1);
}

#[test]
fn datasets_openai_requests_and_clean_stores_stay_silent() {
    let silent = [
        (
            r#"{"examples": [{"system": "S", "messages": [{"role": "user", "content": "a"}]}, {"system": "S", "messages": []}]}"#,
            FileKind::Json,
        ),
        (
            "cases:\n  - messages:\n      - role: user\n        content: hi\n      - role: assistant\n        content: hello\n",
            FileKind::Yaml,
        ),
        (
            r#"[{"model": "gpt-4o", "max_tokens": 10, "n": 2, "messages": [{"role": "user", "content": "hi"}]}]"#,
            FileKind::Json,
        ),
        (
            r#"{"dependencies": {"@anthropic-ai/sdk": "^1.16.0"}, "scripts": {"test": "vitest"}}"#,
            FileKind::Json,
        ),
        // A chart's settings naming the model beside UI strings under `messages`.
        (
            "config:\n  model: claude-opus-4-6\n  maxTokens: 4096\n  messages:\n    greeting: Hi!\n",
            FileKind::Yaml,
        ),
    ];
    for (text, kind) in silent {
        let analysis = check(text, kind);
        assert_eq!(
            (analysis.payloads, analysis.diagnostics.len()),
            (0, 0),
            "{text}"
        );
    }
    let clean = std::fs::read_to_string("examples/clean/prompt-store.yaml").unwrap();
    let analysis = check(&clean, FileKind::Yaml);
    assert_eq!((analysis.payloads, analysis.diagnostics.len()), (2, 0));
}

#[test]
fn the_search_is_bounded_in_depth() {
    let request = r#"{"model": "claude-opus-5", "max_tokens": 10, "n": 2, "messages": [{"role": "user", "content": "Hi"}]}"#;
    let at_depth = |depth: usize| {
        let text = format!("{}{request}{}", "{\"a\": ".repeat(depth), "}".repeat(depth));
        check(&text, FileKind::Json).payloads
    };
    assert_eq!(
        [1, 2, 3, 4, 5, 6].map(at_depth),
        [1, 1, 1, 1, 0, 0],
        "found four levels deep, not five"
    );
}

#[test]
fn count_counts_each_request_with_its_place() {
    let counted = count::count(LIST, FileKind::Json, "list.json", &settings(), None, None).unwrap();
    let places: Vec<&str> = counted.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(places, ["0", "1"]);
    let counted = count::count(PROMPTS, FileKind::Yaml, "p.yaml", &settings(), None, None).unwrap();
    let summary: Vec<(&str, Option<&str>)> = counted
        .iter()
        .map(|c| (c.path.as_str(), c.model_id.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            ("prompts.0.request", Some("claude-opus-5")),
            ("prompts.1.request", Some("claude-sonnet-5"))
        ]
    );
    let json = count::to_json(&[("p.yaml".into(), counted)]);
    let paths: Vec<&str> = json["files"][0]["payloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["prompts.0.request", "prompts.1.request"]);
    // Each request's own messages: one user message each.
    for payload in json["files"][0]["payloads"].as_array().unwrap() {
        assert_eq!(payload["messages"].as_array().unwrap().len(), 1);
    }
}

#[test]
fn a_request_broken_in_two_places_keeps_its_findings() {
    let text = "{\n  \"model\": \"claude-opus-5\",\n  \"max_tokens\": 1024\n  \"n\": 2,,\n  \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]\n}\n";
    let n = nth(text, "\"n\"", 0);
    // The doubled comma is the second of the two.
    let commas = nth(text, ",,", 0);
    let doubled = TextRange::new(commas.start as usize + 1, commas.end as usize);
    assert_eq!(
        findings(text, FileKind::Json),
        [
            ("S001", "\"".into(), n.head(1)),
            ("O101", "\"n\"".into(), n),
            ("S001", ",".into(), doubled),
        ]
    );
    let messages: Vec<String> = check(text, FileKind::Json)
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "S001")
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(
        messages,
        [
            "invalid JSON: expected `,` or `}` after this member, found `\"`",
            "invalid JSON: doubled comma"
        ]
    );
}

#[test]
fn a_request_cut_off_inside_a_message_keeps_its_findings() {
    let text = "{\n  \"model\": \"claude-opus-5\",\n  \"max_tokens\": 1024,\n  \"n\": 2,\n  \"messages\": [{\"role\": \"user\", \"content\": \"Hi there, how";
    assert_eq!(
        findings(text, FileKind::Json),
        [
            ("O101", "\"n\"".into(), nth(text, "\"n\"", 0)),
            ("S001", "\"".into(), nth(text, "\"Hi", 0).head(1)),
        ]
    );
    let yaml = "model: claude-opus-5\nmax_tokens: 1024\nn: 2\nmessages:\n  - role: user\n    content: \"Hi there, how";
    let found: Vec<&str> = findings(yaml, FileKind::Yaml)
        .iter()
        .map(|(code, _, _)| *code)
        .collect();
    assert_eq!(found, ["O101", "S001"]);
}

#[test]
fn explain_discovery_names_why_a_file_with_claude_words_gives_nothing() {
    let notebook = r#"{"cells": [{"cell_type": "code", "source": ["claude <- client$messages$create(model = \"claude-opus-5\")"], "metadata": {}, "outputs": []}],
 "metadata": {"kernelspec": {"name": "ir", "language": "R", "display_name": "R"}}, "nbformat": 4, "nbformat_minor": 5}"#;
    let analysis = check(notebook, FileKind::Notebook);
    assert_eq!(
        reasons(&analysis),
        ["a notebook whose kernel language is `R`: only Python notebooks' code cells are read"]
    );
    let python = "import anthropic\n\ndef run(llm, pick):\n    return llm.messages.create(model=pick(), max_tokens=100, messages=[{\"role\": \"user\", \"content\": \"hi\"}])\n";
    assert_eq!(
        reasons(&check(python, FileKind::Python)),
        [
            "`llm.messages.create(...)`: the receiver is not a known Anthropic client and `model` is computed at run time, so nothing shows it is a Claude model"
        ]
    );
    let json = r#"{"cases": [{"name": "a", "body": "{\"model\": \"claude-opus-5\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"}]}"#;
    assert_eq!(
        reasons(&check(json, FileKind::Json)),
        [
            "it has no `messages`, and `cases.0.body` is a request stored as a string: JSON text inside a string is not decoded"
        ]
    );
    let yaml = "cases:\n  - name: a\n    body: |\n      {\"model\": \"claude-opus-5\", \"max_tokens\": 10, \"messages\": []}\n";
    assert_eq!(
        reasons(&check(yaml, FileKind::Yaml)),
        [
            "it has no `messages`, and `cases.0.body` is a request stored as a string: JSON text inside a string is not decoded"
        ]
    );
    // A string that only mentions Claude is no request.
    let mention = r#"{"notes": "{\"model\": \"claude-opus-5\"} and messages"}"#;
    assert_eq!(
        reasons(&check(mention, FileKind::Json)),
        ["it has no `messages`"]
    );
}

#[test]
fn the_search_is_bounded_in_count() {
    let request = r#"{"model": "claude-opus-5", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]}"#;
    let text = format!("[{}]", vec![request; 10_002].join(",\n"));
    let analysis = check(&text, FileKind::Json);
    assert_eq!(analysis.payloads, 10_000);
    let reason = &reasons(&analysis)[0];
    assert!(
        reason.starts_with("a list holding 10000 requests: `0` ("),
        "{reason}"
    );
    assert!(
        reason.ends_with(", 9995 more; 2 more past the limit of 10000 not checked"),
        "{reason}"
    );
}

const WITH_OWN_FIELDS: &str = "prompts:
  - id: triage
    name: Triage an incoming ticket
    tags: [support]
    model: claude-opus-5
    max_token: 512
    messages:
      - role: user
        content: Classify this ticket.
";

#[test]
fn a_stores_own_fields_are_not_parameters_but_a_near_miss_is() {
    // `id`, `name` and `tags` are the store's, dropped by the code that loads the entry;
    // `max_token` can only have meant `max_tokens`.
    let (payloads, found, _) = outcome(WITH_OWN_FIELDS, FileKind::Yaml);
    assert_eq!(payloads, 1);
    assert_eq!(
        found,
        vec![
            // `max_tokens` is missing: reported on the entry's first byte.
            ("R002", "i".to_owned(), nth(WITH_OWN_FIELDS, "i", 0)),
            on("R004", WITH_OWN_FIELDS, "max_token", 0),
        ]
    );
}

#[test]
fn a_whole_file_request_keeps_every_unknown_field() {
    let text = "id: triage\nmodel: claude-opus-5\nmax_tokens: 512\nmessages:\n  - role: user\n    content: Hi\n";
    assert_eq!(
        findings(text, FileKind::Yaml),
        vec![on("R004", text, "id", 0)]
    );
}
