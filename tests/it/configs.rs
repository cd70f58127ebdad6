//! Configurations and framework calls that name Claude models (promptfoo providers, LiteLLM
//! `model_list`, LangChain `ChatAnthropic` / `init_chat_model`): exact codes, exact ranges
//! (the id inside `anthropic:messages:<id>`), the text after each fix, and the look-alikes
//! that stay silent.

use claude_preflight::FileKind;
use claude_preflight::analyze::analyze;
use claude_preflight::fix::apply::apply_edits;
use claude_preflight::settings::Settings;
use claude_preflight::{ColumnUnit, LineIndex};

/// The date the findings are computed on.
fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 12, 3))
}

/// The findings of `text`, one line each: code, range (1-based `line:column`, columns in
/// characters), the text the range covers, and the line it starts on after the fix, if any.
fn findings(text: &str, kind: FileKind, path: &str) -> String {
    let analysis = analyze(text, kind, path, &settings());
    let index = LineIndex::new(text);
    let place = |offset: u32| index.position(text, offset as usize, ColumnUnit::Char);
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let (start, end) = (place(d.range.start), place(d.range.end));
        out.push_str(&format!(
            "{} {}:{}-{}:{} `{}`",
            d.rule.code,
            start.line + 1,
            start.column + 1,
            end.line + 1,
            end.column + 1,
            &text[d.range.to_range()]
        ));
        if let Some(fix) = &d.fix {
            let fixed = apply_edits(text, &fix.edits);
            let line = fixed.lines().nth(start.line as usize);
            out.push_str(&format!(" => {}", line.unwrap_or_default()));
        }
        out.push('\n');
    }
    out
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
    // promptfoo sends `max_tokens` as written but adjusts its sampling fields, so the
    // temperature of 1.5 is not checked; `{<id>: {config}}` is the one-key map form; the
    // shorthand `anthropic:<id>` counts only for ids promptfoo knows (not `claude-brand-new`).
    assert_eq!(
        findings(text, FileKind::Yaml, "promptfooconfig.yaml"),
        "\
L102 5:24-5:46 `claude-3-opus-20240229` =>   - anthropic:messages:claude-opus-4-8
L101 6:29-6:46 `claude-sonnet-4.5` =>   - id: \"anthropic:messages:claude-sonnet-5-5\"
L104 11:19-11:25 `100000` =>       max_tokens: 64000
L103 13:24-13:39 `claude-opus-4-5` =>   - anthropic:messages:claude-opus-5:
L102 16:15-16:41 `claude-3-5-sonnet-20241022` =>   - anthropic:claude-sonnet-4-6
"
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
    assert_eq!(findings(text, FileKind::Json, "promptfooconfig.json"), "\
L102 3:32-3:55 `claude-3-haiku-20240307` =>     {\"id\": \"anthropic:messages:claude-haiku-4-5-20251001\", \"config\": {\"max_tokens\": 9000}},
");
}

#[test]
fn promptfoo_bedrock_and_vertex_providers() {
    let text = "\
providers:
  - id: bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:0
    config:
      region: us-west-2
      max_tokens: 70000
  - id: bedrock:completion:anthropic.claude-sonnet-4-5-20250929-v1:0
    config:
      max_tokens: 64001
      temperature: 1.5
  - bedrock:anthropic.claude-opus-4-8:
      config:
        max_tokens: 130000
  - id: vertex:claude-3-5-haiku@20241022
    config:
      region: us-east5
      maxOutputTokens: 9000
  - id: vertex:chat:claude-sonnet-4-5@20250929
    config:
      max_tokens: 65000
      maxOutputTokens: 1000
      top_p: 2
  - id: bedrock:anthropic.claude-sonnet-4-6
    config:
      max_tokens: 64000
";
    // Bedrock and Vertex ids get only the output limit, and promptfoo drops sampling fields on
    // some models, so the temperature of 1.5 and the `top_p` of 2 are not checked; on Vertex
    // `max_tokens` wins over `maxOutputTokens`.
    assert_eq!(
        findings(text, FileKind::Yaml, "promptfooconfig.yaml"),
        "\
L104 5:19-5:24 `70000` =>       max_tokens: 64000
L104 8:19-8:24 `64001` =>       max_tokens: 64000
L104 12:21-12:27 `130000` =>         max_tokens: 128000
L104 16:24-16:28 `9000` =>       maxOutputTokens: 8192
L104 19:19-19:24 `65000` =>       max_tokens: 64000
"
    );
    let analysis = analyze(text, FileKind::Yaml, "promptfooconfig.yaml", &settings());
    assert_eq!(analysis.payloads, 6);
    let reasons: Vec<&str> = analysis.discovery.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(
        reasons[3],
        "the promptfoo provider `vertex:claude-3-5-haiku@20241022`: its model and parameters"
    );
}

#[test]
fn promptfoo_other_bedrock_and_vertex_routes_stay_silent() {
    // The Converse API, Bedrock's Anthropic-compatible endpoint (`messages:`, Mythos), the ids
    // promptfoo refuses itself, ARNs, other vendors' models and Vertex embeddings.
    let text = "\
providers:
  - id: bedrock:converse:anthropic.claude-haiku-4-5-20251001-v1:0
    config: {max_tokens: 900000}
  - id: bedrock:messages:anthropic.claude-fable-5
    config: {max_tokens: 900000}
  - id: bedrock:anthropic.claude-mythos-5
    config: {max_tokens: 900000}
  - id: bedrock:anthropic.claude-v2:1
    config: {max_tokens: 900000}
  - id: bedrock:arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc
    config: {inferenceModelType: claude, max_tokens: 900000}
  - id: bedrock:meta.llama3-1-70b-instruct-v1:0
    config: {max_tokens: 900000}
  - id: vertex:gemini-2.5-pro
    config: {maxOutputTokens: 900000}
  - id: vertex:embedding:text-embedding-004
";
    let analysis = analyze(text, FileKind::Yaml, "promptfooconfig.yaml", &settings());
    assert_eq!(analysis.diagnostics, vec![]);
    assert_eq!(analysis.payloads, 0);
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
    // A bare id LiteLLM knows goes to Anthropic, an unknown one fails in LiteLLM; Bedrock and
    // Vertex ids get only the output limit (those platforms retire models on their own
    // schedules); Opus 5 takes no sampling parameters, which LiteLLM drops or refuses itself.
    assert_eq!(
        findings(text, FileKind::Yaml, "litellm_config.yaml"),
        "\
L102 4:24-4:46 `claude-3-opus-20240229` =>       model: anthropic/claude-opus-4-8
L104 9:19-9:24 `70000` =>       max_tokens: 64000
A101 10:20-10:23 `1.2` =>       temperature: 1
A101 11:14-11:18 `-0.1` =>       top_p: 0
A101 12:14-12:17 `2.5`
L102 15:14-15:40 `claude-3-7-sonnet-20250219` =>       model: claude-sonnet-4-6
L104 19:19-19:24 `65000` =>       max_tokens: 64000
L104 23:19-23:24 `66000` =>       max_tokens: 64000
"
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
    assert_eq!(findings(text, FileKind::Python, "agent.py"), "\
L102 4:26-4:51 `claude-3-5-haiku-20241022` => a = ChatAnthropic(model=\"claude-haiku-4-5-20251001\", max_tokens=4096)
L104 5:61-5:68 `100_000` => b = ChatAnthropic(model_name='claude-haiku-4-5', max_tokens=64000, temperature=1.3, top_k=-1)
A101 5:82-5:85 `1.3` => b = ChatAnthropic(model_name='claude-haiku-4-5', max_tokens=100_000, temperature=1, top_k=-1)
A101 5:93-5:95 `-1`
L101 6:32-6:49 `claude-sonnet-4.5` => c = init_chat_model(\"anthropic:claude-sonnet-5-5\", temperature=0)
L102 7:22-7:37 `claude-opus-4-1` => d = init_chat_model(\"claude-opus-4-8\", model_provider=\"anthropic\")
L103 8:38-8:53 `claude-opus-4-5` => e = init_chat_model(model=\"anthropic:claude-opus-5\", max_tokens=8000)
");
}

#[test]
fn langchain_vertex_and_bedrock() {
    let text = r#"from langchain_aws import ChatBedrock
from langchain_google_vertexai.model_garden import ChatAnthropicVertex
from langchain.chat_models import init_chat_model

a = ChatAnthropicVertex(model="claude-3-5-haiku@20241022", project="p", max_tokens=10000)
b = ChatAnthropicVertex(model_name="claude-sonnet-4-5@20250929", max_output_tokens=64001, temperature=1.5)
c = ChatBedrock(model_id="us.anthropic.claude-haiku-4-5-20251001-v1:0", max_tokens=70000, temperature=-0.5)
d = ChatBedrock(model="anthropic.claude-sonnet-4-6", region_name="us-east-1", max_tokens=4096)
e = init_chat_model("bedrock:anthropic.claude-haiku-4-5-20251001-v1:0", max_tokens=65000)
f = init_chat_model("anthropic.claude-haiku-4-5-20251001-v1:0", temperature=2)
g = init_chat_model("google_anthropic_vertex:claude-3-5-haiku@20241022", max_tokens=9000)
h = init_chat_model("claude-sonnet-4-5@20250929", model_provider="google_anthropic_vertex", max_tokens=70000)
"#;
    // Bedrock and Vertex ids get the output limit and the sampling ranges; `init_chat_model`
    // infers Bedrock for an `anthropic.` id.
    assert_eq!(findings(text, FileKind::Python, "agent.py"), "\
L104 5:84-5:89 `10000` => a = ChatAnthropicVertex(model=\"claude-3-5-haiku@20241022\", project=\"p\", max_tokens=8192)
L104 6:84-6:89 `64001` => b = ChatAnthropicVertex(model_name=\"claude-sonnet-4-5@20250929\", max_output_tokens=64000, temperature=1.5)
A101 6:103-6:106 `1.5` => b = ChatAnthropicVertex(model_name=\"claude-sonnet-4-5@20250929\", max_output_tokens=64001, temperature=1)
L104 7:84-7:89 `70000` => c = ChatBedrock(model_id=\"us.anthropic.claude-haiku-4-5-20251001-v1:0\", max_tokens=64000, temperature=-0.5)
A101 7:103-7:107 `-0.5` => c = ChatBedrock(model_id=\"us.anthropic.claude-haiku-4-5-20251001-v1:0\", max_tokens=70000, temperature=0)
L104 9:84-9:89 `65000` => e = init_chat_model(\"bedrock:anthropic.claude-haiku-4-5-20251001-v1:0\", max_tokens=64000)
A101 10:77-10:78 `2` => f = init_chat_model(\"anthropic.claude-haiku-4-5-20251001-v1:0\", temperature=1)
L104 11:85-11:89 `9000` => g = init_chat_model(\"google_anthropic_vertex:claude-3-5-haiku@20241022\", max_tokens=8192)
L104 12:104-12:109 `70000` => h = init_chat_model(\"claude-sonnet-4-5@20250929\", model_provider=\"google_anthropic_vertex\", max_tokens=64000)
");
}

#[test]
fn langchain_converse_and_overrides_stay_silent() {
    // The Converse API (another body), fields `model_kwargs` may replace, a provider written by
    // hand, a field written under both its names, another vendor's Bedrock model.
    let text = r#"from langchain_aws import ChatBedrock, ChatBedrockConverse
from langchain_google_vertexai.model_garden import ChatAnthropicVertex
from langchain.chat_models import init_chat_model

a = ChatBedrockConverse(model="anthropic.claude-3-5-haiku-20241022-v1:0", max_tokens=999999)
b = ChatBedrock(model_id="anthropic.claude-3-5-haiku-20241022-v1:0", beta_use_converse_api=True, max_tokens=999999)
c = init_chat_model("bedrock_converse:anthropic.claude-3-5-haiku-20241022-v1:0", max_tokens=999999)
d = ChatAnthropicVertex(model="claude-3-5-haiku@20241022", model_kwargs={"max_tokens": 10}, max_tokens=999999)
e = ChatBedrock(model_id="arn:aws:bedrock:us-east-1:1:inference-profile/x", provider="anthropic", max_tokens=999999)
f = ChatAnthropicVertex(model="claude-3-5-haiku@20241022", max_tokens=999999, max_output_tokens=100)
g = ChatBedrock(model_id="meta.llama3-70b-instruct-v1:0", max_tokens=999999, temperature=5)
h = init_chat_model("anthropic_bedrock:claude-3-5-haiku-20241022", max_tokens=999999)
"#;
    let analysis = analyze(text, FileKind::Python, "agent.py", &settings());
    assert_eq!(analysis.diagnostics, vec![]);
    // `f` is read, without its `max_tokens`.
    assert_eq!(analysis.payloads, 1);
}

#[test]
fn langchain_javascript() {
    let text = r#"import { ChatAnthropic } from "@langchain/anthropic";
import { initChatModel } from "langchain/chat_models/universal";

const a = new ChatAnthropic({ model: "claude-3-7-sonnet-latest", maxTokens: 4096, temperature: 3 });
const b = new ChatAnthropic({ modelName: 'claude-haiku-4-5', maxTokens: 70000 });
const c = await initChatModel("anthropic:claude-opus-4-8", { maxTokens: 200000 });
"#;
    // LangChain JS adjusts sampling to thinking: the temperature of 3 is not checked.
    for kind in [FileKind::TypeScript, FileKind::JavaScript] {
        assert_eq!(findings(text, kind, "agent.ts"), "\
L102 4:39-4:63 `claude-3-7-sonnet-latest` => const a = new ChatAnthropic({ model: \"claude-sonnet-4-6\", maxTokens: 4096, temperature: 3 });
L104 5:73-5:78 `70000` => const b = new ChatAnthropic({ modelName: 'claude-haiku-4-5', maxTokens: 64000 });
L104 6:73-6:79 `200000` => const c = await initChatModel(\"anthropic:claude-opus-4-8\", { maxTokens: 128000 });
");
    }
}

#[test]
fn langchain_in_notebook_cells() {
    let text = r#"{"cells": [
 {"cell_type": "code", "source": ["from langchain_anthropic import ChatAnthropic\n", "llm = ChatAnthropic(model=\"claude-3-opus-20240229\", max_tokens=9000)"]},
 {"cell_type": "markdown", "source": ["llm = ChatAnthropic(model=\"claude-3-opus-20240229\")"]},
 {"cell_type": "code", "source": "from langchain_aws import ChatBedrock\nbr = ChatBedrock(model_id=\"anthropic.claude-haiku-4-5-20251001-v1:0\", max_tokens=70000)"}
], "metadata": {"kernelspec": {"language": "python"}}, "nbformat": 4, "nbformat_minor": 5}
"#;
    // Ranges are in the notebook's JSON text; fixes are written back into its strings. The
    // Markdown cell is prose; a retired model's output limit is not checked.
    assert_eq!(
        findings(text, FileKind::Notebook, "agents.ipynb"),
        r#"L102 2:115-2:137 `claude-3-opus-20240229` =>  {"cell_type": "code", "source": ["from langchain_anthropic import ChatAnthropic\n", "llm = ChatAnthropic(model=\"claude-opus-4-8\", max_tokens=9000)"]},
L104 4:157-4:162 `70000` =>  {"cell_type": "code", "source": "from langchain_aws import ChatBedrock\nbr = ChatBedrock(model_id=\"anthropic.claude-haiku-4-5-20251001-v1:0\", max_tokens=64000)"}
"#
    );
}

#[test]
fn langchain_in_markdown_fences() {
    let text = r#"# Agents

```python
from langchain_anthropic import ChatAnthropic
llm = ChatAnthropic(model="claude-3-5-sonnet-20241022", max_tokens=1024)
```

- In TypeScript:

  ```ts
  import { ChatAnthropic } from "@langchain/anthropic";
  const llm = new ChatAnthropic({ model: "claude-haiku-4-5", maxTokens: 70000 });
  ```

```ruby
llm = ChatAnthropic(model: "claude-3-5-sonnet-20241022")
```
"#;
    assert_eq!(findings(text, FileKind::Markdown, "README.md"), "\
L102 5:28-5:54 `claude-3-5-sonnet-20241022` => llm = ChatAnthropic(model=\"claude-sonnet-4-6\", max_tokens=1024)
L104 12:73-12:78 `70000` =>   const llm = new ChatAnthropic({ model: \"claude-haiku-4-5\", maxTokens: 64000 });
");
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
g = ChatAnthropic(model="claude-haiku-4-5", max_tokens=limit, temperature=temp)
"#;
    assert_eq!(findings(python, FileKind::Python, "agent.py"), "");
    let ts = r#"import { ChatAnthropic } from "@langchain/anthropic";
const a = new ChatAnthropic({ ...options, model: "claude-3-opus-20240229" });
const b = new ChatAnthropic({ model: `claude-${version}`, maxTokens: 999999 });
const c = new ChatAnthropic({ model, maxTokens: 999999 });
const d = await initChatModel("gpt-4o", { modelProvider: "openai", maxTokens: 999999 });
"#;
    assert_eq!(findings(ts, FileKind::TypeScript, "agent.ts"), "");
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
fn references_are_counted_apart_from_request_bodies() {
    let text = "providers:\n  - anthropic:messages:claude-haiku-4-5\n  - bedrock:anthropic.claude-sonnet-4-6\n";
    let analysis = analyze(text, FileKind::Yaml, "promptfooconfig.yaml", &settings());
    assert_eq!((analysis.payloads, analysis.model_references), (2, 2));
    let body = r#"{"model": "claude-haiku-4-5", "max_tokens": 5, "messages": [{"role": "user", "content": "Hi"}]}"#;
    let analysis = analyze(body, FileKind::Json, "request.json", &settings());
    assert_eq!((analysis.payloads, analysis.model_references), (1, 0));
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
    assert_eq!(codes, ["L102", "Y101"]);
    let start = text.find(&key).unwrap();
    let secrets: Vec<(usize, usize)> = analysis
        .redactor
        .ranges()
        .iter()
        .map(|r| (r.start as usize, r.end as usize))
        .collect();
    assert_eq!(secrets, [(start, start + key.len())]);
}
