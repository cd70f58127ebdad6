//! The context budget end to end: each trimming fix leaves a conversation that every other
//! rule still accepts, and that is no longer over or near its window.

use std::path::Path;

use claude_preflight::FileKind;
use claude_preflight::analyze::{Analysis, analyze, fix_until_stable};
use claude_preflight::fix::Applicability;
use claude_preflight::fix::apply::apply_fixes;
use claude_preflight::rules::Severity;
use claude_preflight::settings::Settings;

fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 11, 25))
}

fn fixture(path: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(path),
    )
    .unwrap()
}

fn check(text: &str) -> Analysis {
    analyze(text, FileKind::Json, "trimmed.json", &settings())
}

/// Findings of warning or error severity, by rule name.
fn problems(analysis: &Analysis) -> Vec<&'static str> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| d.rule.name)
        .collect()
}

/// Applies the one fix `rule` offers and returns the new text.
fn apply_one(text: &str, rule: &str) -> String {
    let analysis = check(text);
    let fix = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule.name == rule)
        .and_then(|d| d.fix.as_ref())
        .unwrap_or_else(|| panic!("no `{rule}` fix"));
    let (fixed, applied) = apply_fixes(text, [fix]);
    assert_eq!(applied, 1);
    fixed
}

#[test]
fn dropping_the_oldest_turns_leaves_a_valid_conversation_under_the_window() {
    for (fixture_path, rule) in [
        (
            "context-window-exceeded/bad-screenshots.json",
            "context-window-exceeded",
        ),
        ("old-images/bad-computer-use.json", "context-window-near"),
    ] {
        let text = fixture(fixture_path);
        let trimmed = apply_one(&text, rule);
        assert_eq!(
            problems(&check(&trimmed)),
            Vec::<&str>::new(),
            "{fixture_path}"
        );
        let root: serde_json::Value = serde_json::from_str(&trimmed).unwrap();
        let messages = root["messages"].as_array().unwrap();
        // The first user message stays, followed by an assistant turn; every tool_result
        // still answers the tool_use just before it.
        assert_eq!(
            messages[0]["content"][0]["text"],
            "Fill in the form on the screen."
        );
        assert_eq!(messages[1]["role"], "assistant");
        for pair in messages.windows(2) {
            for block in pair[1]["content"].as_array().into_iter().flatten() {
                if block["type"] == "tool_result" {
                    let id = &block["tool_use_id"];
                    assert!(
                        pair[0]["content"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|b| b["type"] == "tool_use" && &b["id"] == id),
                        "{fixture_path}: {id} lost its tool_use"
                    );
                }
            }
        }
    }
}

#[test]
fn replacing_old_images_keeps_every_content_non_empty() {
    let text = fixture("old-images/bad-computer-use.json");
    let fixed = apply_one(&text, "old-images");
    let analysis = check(&fixed);
    assert_eq!(problems(&analysis), Vec::<&str>::new());
    let root: serde_json::Value = serde_json::from_str(&fixed).unwrap();
    let images = fixed.matches(r#""type": "image""#).count();
    assert_eq!(images, 20, "the last four messages keep theirs");
    let placeholders = fixed
        .matches("[image removed by claude-preflight to fit the context window]")
        .count();
    assert_eq!(placeholders, 180);
    assert!(root["messages"].as_array().unwrap().len() == 23);
}

#[test]
fn cutting_a_long_tool_result_brings_the_request_under_the_window() {
    let text = fixture("oversized-block/bad-tool-log.json");
    let fixed = apply_one(&text, "oversized-block");
    assert_eq!(problems(&check(&fixed)), Vec::<&str>::new());
    assert!(fixed.contains("cut by claude-preflight to fit the context window ...]"));
    // Head and tail of the log stay.
    assert!(fixed.contains(r#""content": "0 1 2 3 4 5"#));
}

#[test]
fn lowering_max_tokens_satisfies_the_combined_check() {
    let text = fixture("input-plus-max-tokens/bad-bedrock-3-7.json");
    let settings = settings().with_default_model("claude-3-7-sonnet-20250219");
    let name = "bedrock.json";
    let before = analyze(&text, FileKind::Json, name, &settings);
    assert_eq!(problems(&before), ["input-plus-max-tokens"]);
    let (fixed, after, applied) = fix_until_stable(
        text,
        before,
        FileKind::Json,
        name,
        &settings,
        Applicability::Unsafe,
    );
    assert_eq!(applied, 1);
    assert!(fixed.contains(r#""max_tokens": 43986"#));
    assert_eq!(problems(&after), Vec::<&str>::new());
}

#[test]
fn fixing_everything_converges_to_a_clean_request() {
    for path in [
        "context-window-exceeded/bad-screenshots.json",
        "context-window-near/bad-one-message.json",
        "old-images/bad-computer-use.json",
        "oversized-block/bad-tool-log.json",
        "uncached-prefix/bad-conversation.json",
    ] {
        let text = fixture(path);
        let (fixed, after, _) = fix_until_stable(
            text.clone(),
            check(&text),
            FileKind::Json,
            "fixed.json",
            &settings(),
            Applicability::Unsafe,
        );
        // A single message of screenshots cannot be trimmed by turns: it stays near.
        let expected: &[&str] = if path.contains("one-message") {
            &["context-window-near"]
        } else {
            &[]
        };
        assert_eq!(problems(&after), expected, "{path}:\n{fixed}");
    }
}
