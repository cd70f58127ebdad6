//! Configurations and framework calls that name Claude models (promptfoo providers, LiteLLM
//! `model_list`, LangChain `ChatAnthropic` / `init_chat_model`): exact codes, exact ranges
//! (the id inside `anthropic:messages:<id>`), the text after each fix, and the look-alikes
//! that stay silent.

use claude_preflight::analyze::analyze;
use claude_preflight::extract::files::FileKind;
use claude_preflight::fix::apply::apply_edits;
use claude_preflight::settings::Settings;

/// The date the findings are computed on.
fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 12, 3))
}

/// One expected finding: its code, a text its range follows, the text the range covers, and
/// the fix as the first occurrence of `from` replaced by `to` in the whole file.
type Expected<'a> = (&'static str, &'a str, &'a str, Option<(&'a str, &'a str)>);

/// Asserts that `text` gives exactly the `expected` findings, in order: codes, ranges (byte
/// for byte) and the file after each fix.
fn expect(text: &str, kind: FileKind, path: &str, expected: &[Expected<'_>]) {
    let analysis = analyze(text, kind, path, &settings());
    let found: Vec<(&str, usize, &str, Option<String>)> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.code,
                d.range.start as usize,
                &text[d.range.to_range()],
                d.fix.as_ref().map(|f| apply_edits(text, &f.edits)),
            )
        })
        .collect();
    let wanted: Vec<(&str, usize, &str, Option<String>)> = expected
        .iter()
        .map(|&(code, after, covered, fix)| {
            let from = text.find(after).expect("the anchor is in the text");
            let at = from
                + text[from..]
                    .find(covered)
                    .expect("the range follows its anchor");
            let fixed = fix.map(|(old, new)| text.replacen(old, new, 1));
            (code, at, covered, fixed)
        })
        .collect();
    assert_eq!(found, wanted, "{path}");
}

#[test]
fn promptfoo_providers() {
    let text = "\
description: eval
prompts:
  - 'Summarise: {{text}}'
providers:
  - anthropic:messages:claude-3-opus-20240229
  - id: \"anthropic:messages:claude-sonnet-4.5\"
    config:
      max_tokens: 1024
  - id: anthropic:messages:claude-haiku-4-5
    config:
      max_tokens: 100000
      temperature: 1.5
  - anthropic:messages:claude-opus-4-5:
      config:
        max_tokens: 8000
  - anthropic:claude-3-5-sonnet-20241022
  - anthropic:claude-brand-new
  - anthropic:completion:claude-2.1
  - openai:gpt-4o
  - anthropic:messages:{{ env.CLAUDE_MODEL }}
tests:
  - vars: {text: hi}
";
    expect(
        text,
        FileKind::Yaml,
        "promptfooconfig.yaml",
        &[
            (
                "L102",
                "- anthropic:messages:",
                "claude-3-opus-20240229",
                Some((
                    "messages:claude-3-opus-20240229",
                    "messages:claude-opus-4-8",
                )),
            ),
            (
                "L101",
                "\"anthropic:messages:",
                "claude-sonnet-4.5",
                Some(("claude-sonnet-4.5\"", "claude-sonnet-5-5\"")),
            ),
            // promptfoo sends `max_tokens` as written; its sampling fields it adjusts, so the
            // temperature of 1.5 is not checked.
            (
                "L104",
                "max_tokens: 100000",
                "100000",
                Some(("max_tokens: 100000", "max_tokens: 64000")),
            ),
            // The one-key map form: `{<id>: {config}}`.
            (
                "L103",
                "- anthropic:messages:claude-opus-4-5",
                "claude-opus-4-5",
                Some(("claude-opus-4-5:", "claude-opus-5:")),
            ),
            // The shorthand, for an id promptfoo knows.
            (
                "L102",
                "- anthropic:claude-3-5",
                "claude-3-5-sonnet-20241022",
                Some((
                    "anthropic:claude-3-5-sonnet-20241022",
                    "anthropic:claude-sonnet-4-6",
                )),
            ),
        ],
    );
}

#[test]
fn promptfoo_json_config() {
    let text = r#"{
  "providers": [
    {"id": "anthropic:messages:claude-3-haiku-20240307", "config": {"max_tokens": 9000}},
    "anthropic:messages:claude-haiku-4-5"
  ]
}
"#;
    expect(
        text,
        FileKind::Json,
        "promptfooconfig.json",
        &[(
            "L102",
            "messages:",
            "claude-3-haiku-20240307",
            Some(("claude-3-haiku-20240307", "claude-haiku-4-5-20251001")),
        )],
    );
}

#[test]
fn litellm_model_list() {
    let text = "\
model_list:
  - model_name: opus
    litellm_params:
      model: anthropic/claude-3-opus-20240229
      api_key: os.environ/ANTHROPIC_API_KEY
  - model_name: haiku
    litellm_params:
      model: 'anthropic/claude-haiku-4-5'
      max_tokens: 70000
      temperature: 1.2
      top_p: -0.1
      top_k: 2.5
  - model_name: bare
    litellm_params:
      model: claude-3-7-sonnet-20250219
  - model_name: bedrock
    litellm_params:
      model: bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0
      max_tokens: 65000
  - model_name: vertex
    litellm_params:
      model: vertex_ai/claude-haiku-4-5@20251001
      max_tokens: 66000
  - model_name: opus-5
    litellm_params:
      model: anthropic/claude-opus-5
      temperature: 1.5
  - model_name: unknown-bare
    litellm_params:
      model: claude-next-big
  - model_name: everything
    litellm_params:
      model: anthropic/*
  - model_name: from-env
    litellm_params:
      model: os.environ/CLAUDE_MODEL
      max_tokens: 900000
  - model_name: gpt
    litellm_params:
      model: openai/gpt-4o
      temperature: 1.5
";
    expect(
        text,
        FileKind::Yaml,
        "litellm_config.yaml",
        &[
            (
                "L102",
                "anthropic/",
                "claude-3-opus-20240229",
                Some((
                    "anthropic/claude-3-opus-20240229",
                    "anthropic/claude-opus-4-8",
                )),
            ),
            (
                "L104",
                "max_tokens: 70000",
                "70000",
                Some(("max_tokens: 70000", "max_tokens: 64000")),
            ),
            (
                "A101",
                "temperature: 1.2",
                "1.2",
                Some(("temperature: 1.2", "temperature: 1")),
            ),
            (
                "A101",
                "top_p: -0.1",
                "-0.1",
                Some(("top_p: -0.1", "top_p: 0")),
            ),
            ("A101", "top_k: 2.5", "2.5", None),
            // A bare id LiteLLM knows goes to Anthropic.
            (
                "L102",
                "model: claude-3-7",
                "claude-3-7-sonnet-20250219",
                Some((
                    "model: claude-3-7-sonnet-20250219",
                    "model: claude-sonnet-4-6",
                )),
            ),
            // Bedrock: only the output limit (Bedrock retires models on its own schedule).
            (
                "L104",
                "max_tokens: 65000",
                "65000",
                Some(("max_tokens: 65000", "max_tokens: 64000")),
            ),
            (
                "L104",
                "max_tokens: 66000",
                "66000",
                Some(("max_tokens: 66000", "max_tokens: 64000")),
            ),
            // Opus 5 takes no sampling parameters: LiteLLM drops or refuses them itself.
        ],
    );
}

#[test]
fn langchain_python() {
    let text = r#"from langchain.chat_models import init_chat_model
from langchain_anthropic import ChatAnthropic

a = ChatAnthropic(model="claude-3-5-haiku-20241022", max_tokens=4096)
b = ChatAnthropic(model_name='claude-haiku-4-5', max_tokens=100_000, temperature=1.3, top_k=-1)
c = init_chat_model("anthropic:claude-sonnet-4.5", temperature=0)
d = init_chat_model("claude-opus-4-1", model_provider="anthropic")
e = init_chat_model(model="anthropic:claude-opus-4-5", max_tokens=8000)
"#;
    expect(
        text,
        FileKind::Python,
        "agent.py",
        &[
            (
                "L102",
                "a = ",
                "claude-3-5-haiku-20241022",
                Some(("claude-3-5-haiku-20241022", "claude-haiku-4-5-20251001")),
            ),
            ("L104", "b = ", "100_000", Some(("100_000", "64000"))),
            (
                "A101",
                "temperature=1.3",
                "1.3",
                Some(("temperature=1.3", "temperature=1")),
            ),
            ("A101", "top_k=-1", "-1", None),
            (
                "L101",
                "c = ",
                "claude-sonnet-4.5",
                Some(("anthropic:claude-sonnet-4.5", "anthropic:claude-sonnet-5-5")),
            ),
            (
                "L102",
                "d = ",
                "claude-opus-4-1",
                Some(("\"claude-opus-4-1\"", "\"claude-opus-4-8\"")),
            ),
            (
                "L103",
                "e = ",
                "claude-opus-4-5",
                Some(("anthropic:claude-opus-4-5", "anthropic:claude-opus-5")),
            ),
        ],
    );
}

#[test]
fn langchain_javascript() {
    let text = r#"import { ChatAnthropic } from "@langchain/anthropic";
import { initChatModel } from "langchain/chat_models/universal";

const a = new ChatAnthropic({ model: "claude-3-7-sonnet-latest", maxTokens: 4096, temperature: 3 });
const b = new ChatAnthropic({ modelName: 'claude-haiku-4-5', maxTokens: 70000 });
const c = await initChatModel("anthropic:claude-opus-4-8", { maxTokens: 200000 });
"#;
    for kind in [FileKind::TypeScript, FileKind::JavaScript] {
        expect(
            text,
            kind,
            "agent.ts",
            &[
                // LangChain JS adjusts sampling to thinking: the temperature is not checked.
                (
                    "L102",
                    "a = ",
                    "claude-3-7-sonnet-latest",
                    Some(("claude-3-7-sonnet-latest", "claude-sonnet-4-6")),
                ),
                ("L104", "b = ", "70000", Some(("70000", "64000"))),
                ("L104", "c = ", "200000", Some(("200000", "128000"))),
            ],
        );
    }
}

#[test]
fn dynamic_and_foreign_calls_stay_silent() {
    let python = r#"from langchain_anthropic import ChatAnthropic
from langchain.chat_models import init_chat_model

MODEL = "claude-3-opus-20240229"
a = ChatAnthropic(model=MODEL, max_tokens=999999)
b = ChatAnthropic(model=f"claude-{VERSION}", max_tokens=999999)
c = init_chat_model("openai:gpt-4o", temperature=1.5)
d = init_chat_model("claude-3-opus-20240229", model_provider="bedrock_converse")
e = init_chat_model("anthropic:claude-3-opus-20240229", configurable_fields=("model",))
h = init_chat_model("us.anthropic.claude-3-opus-20240229-v1:0")
f = ChatAnthropicVertex(model="claude-3-opus@20240229", max_tokens=999999)
g = ChatAnthropic(model="claude-haiku-4-5", max_tokens=limit, temperature=temp)
"#;
    expect(python, FileKind::Python, "agent.py", &[]);
    let ts = r#"import { ChatAnthropic } from "@langchain/anthropic";
const a = new ChatAnthropic({ ...options, model: "claude-3-opus-20240229" });
const b = new ChatAnthropic({ model: `claude-${version}`, maxTokens: 999999 });
const c = new ChatAnthropic({ model, maxTokens: 999999 });
const d = await initChatModel("gpt-4o", { modelProvider: "openai", maxTokens: 999999 });
"#;
    expect(ts, FileKind::TypeScript, "agent.ts", &[]);
}

#[test]
fn config_look_alikes_stay_silent() {
    for (path, text) in [
        // A YAML file that only mentions Anthropic.
        (
            "notes.yaml",
            "vendors:\n  - anthropic\n  - openai\nproviders:\n  - name: anthropic\n    url: https://api.anthropic.com\n",
        ),
        // promptfoo: environment ids, other providers, the legacy completion API.
        (
            "promptfooconfig.yaml",
            "providers:\n  - anthropic:messages:{{ env.MODEL }}\n  - openai:chat:gpt-4o\n  - anthropic:completion:claude-2.1\n  - bedrock:anthropic.claude-3-opus-20240229-v1:0\n",
        ),
        // LiteLLM: patterns, environment ids, other providers, unknown bare ids.
        (
            "config.yaml",
            "model_list:\n  - model_name: a\n    litellm_params:\n      model: anthropic/*\n  - model_name: b\n    litellm_params:\n      model: os.environ/CLAUDE\n      max_tokens: 900000\n  - model_name: c\n    litellm_params:\n      model: claude-future-1\n",
        ),
    ] {
        let analysis = analyze(text, FileKind::Yaml, path, &settings());
        assert_eq!(analysis.diagnostics, vec![], "{path}");
        assert_eq!(analysis.payloads, 0, "{path}");
    }
}

#[test]
fn discovery_names_each_reference() {
    let text = "providers:\n  - anthropic:messages:claude-haiku-4-5\n";
    let analysis = analyze(text, FileKind::Yaml, "promptfooconfig.yaml", &settings());
    assert_eq!(analysis.payloads, 1);
    let reasons: Vec<&str> = analysis.discovery.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(
        reasons,
        ["the promptfoo provider `anthropic:messages:claude-haiku-4-5`: its model and parameters"]
    );
}

#[test]
fn keys_written_in_a_config_are_reported_and_masked() {
    let key = format!(
        "sk-ant-api03-{}-XyZ9AA",
        "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789".repeat(3)
    );
    let text = format!(
        "model_list:\n  - model_name: x\n    litellm_params:\n      model: anthropic/claude-3-opus-20240229\n      api_key: {key}\n"
    );
    let analysis = analyze(&text, FileKind::Yaml, "config.yaml", &settings());
    let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.rule.code).collect();
    assert_eq!(codes, ["L102", "X101"]);
    let start = text.find(&key).unwrap();
    let secrets: Vec<(usize, usize)> = analysis
        .secrets
        .iter()
        .map(|r| (r.start as usize, r.end as usize))
        .collect();
    assert_eq!(secrets, [(start, start + key.len())]);
}
