//! Size and count limits, on inputs generated here (too big to keep as fixtures).

use claude_preflight::FileKind;
use claude_preflight::analyze::analyze;
use claude_preflight::settings::Settings;

/// The request family's findings (the context budget of these inputs has its own tests in
/// tests/it/context.rs).
fn findings(text: &str, path: &str) -> Vec<(&'static str, String)> {
    let kind = FileKind::from_path(std::path::Path::new(path)).unwrap();
    let settings = Settings::new(jiff::civil::date(2026, 11, 25));
    analyze(text, kind, path, &settings)
        .diagnostics
        .into_iter()
        .filter(|d| d.rule.family == "request")
        .map(|d| (d.rule.name, d.message))
        .collect()
}

fn conversation(messages: usize) -> String {
    let mut body = String::from(r#"{"model": "claude-opus-5", "max_tokens": 16, "messages": ["#);
    for i in 0..messages {
        let role = if i % 2 == 0 { "user" } else { "assistant" };
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(r#"{{"role": "{role}", "content": "hi"}}"#));
    }
    body.push_str("]}");
    body
}

#[test]
fn more_than_100000_messages() {
    let found = findings(&conversation(100_001), "big.json");
    assert_eq!(
        found,
        [(
            "too-many-messages",
            "100001 messages: the API accepts at most 100000 per request".to_owned()
        )]
    );
    assert!(findings(&conversation(99_999), "ok.json").is_empty());
}

fn request_with_text(bytes: usize, extra: &str) -> String {
    format!(
        r#"{{"model": "claude-opus-5", "max_tokens": 16,{extra} "messages": [{{"role": "user", "content": "{}"}}]}}"#,
        "a".repeat(bytes)
    )
}

#[test]
fn body_over_the_platform_limit() {
    let mb = 1024 * 1024;
    let over = request_with_text(32 * mb, "");
    let found = findings(&over, "big.json");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "request-too-large");
    assert_eq!(
        found[0].1,
        format!(
            "the body is 32.0 MB ({} bytes); the Claude API accepts at most 32 MB for a request body: it answers 413 `request_too_large` (`messages` alone is 32.0 MB)",
            over.len()
        )
    );
    assert!(findings(&request_with_text(31 * mb, ""), "ok.json").is_empty());
    let bedrock = request_with_text(21 * mb, r#" "anthropic_version": "bedrock-2023-05-31","#)
        .replace(r#""model": "claude-opus-5", "#, "");
    let found = findings(&bedrock, "bedrock.json");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.contains("Amazon Bedrock accepts at most 20 MB"),
        "{}",
        found[0].1
    );
}
