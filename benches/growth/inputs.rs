//! The inputs of the growth benchmark (and of tests/it/growth.rs): each once cost quadratic work
//! in the size its argument sets.

const REQUEST_HEAD: &str = r#"{"model": "claude-opus-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "hi"}], "metadata": "#;

/// A request with `depth` arrays nested in one field: closed (the strict parser's path) or
/// left open, as when typing (the tolerant parser's path).
pub(super) fn nested_json(depth: usize, closed: bool) -> String {
    let closing = if closed {
        "]".repeat(depth) + "}"
    } else {
        String::new()
    };
    format!("{REQUEST_HEAD}{}{closing}", "[".repeat(depth))
}

/// A request on one line, as `json.dumps` writes it, with `messages` messages, each with an
/// empty text block (one finding each) after some non-ASCII text.
pub(super) fn one_line_request(messages: usize) -> String {
    let mut body =
        String::from(r#"{"model": "claude-opus-4-5", "max_tokens": 1024, "messages": ["#);
    for i in 0..messages {
        let role = if i % 2 == 0 { "user" } else { "assistant" };
        if i > 0 {
            body.push_str(", ");
        }
        body.push_str(&format!(
            r#"{{"role": "{role}", "content": [{{"type": "text", "text": "café 😀 {i}"}}, {{"type": "text", "text": ""}}]}}"#
        ));
    }
    body.push_str(r#", {"role": "user", "content": "go on"}]}"#);
    body
}

/// A Python file whose request is sent from inside `depth` nested calls.
pub(super) fn nested_python(depth: usize) -> String {
    format!(
        "import anthropic\nclient = anthropic.Anthropic()\nparams = {{\"model\": \"claude-opus-4-5\", \"max_tokens\": 1024, \"messages\": [{{\"role\": \"user\", \"content\": \"hi\"}}], \"temperature\": 3}}\nx = {}client.messages.create(**params){}\n",
        "f(".repeat(depth),
        ")".repeat(depth)
    )
}

/// The same in TypeScript.
pub(super) fn nested_typescript(depth: usize) -> String {
    format!(
        "import Anthropic from \"@anthropic-ai/sdk\";\nconst client = new Anthropic();\nconst params = {{ model: \"claude-opus-4-5\", max_tokens: 1024, messages: [{{ role: \"user\", content: \"hi\" }}], temperature: 3 }};\nconst x = {}client.messages.create(params){};\n",
        "f(".repeat(depth),
        ")".repeat(depth)
    )
}

/// A log that mentions Claude, `bytes` long: no notebook, whatever its name says.
pub(super) fn log_junk(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 128);
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&format!(
            "2026-12-03T12:{:02}:{:02}Z INFO claude request id={i} status=\"ok\" tokens=[{}] ---\n",
            i / 60 % 60,
            i % 60,
            i % 977
        ));
        i += 1;
    }
    out
}

/// A Markdown file with `fences` console fences of curl commands.
pub(super) fn markdown_fences(fences: usize) -> String {
    let mut out = String::from("# Claude API examples\n\n");
    for i in 0..fences {
        out.push_str(&format!(
            "Example {i}:\n\n```console\n$ curl https://api.anthropic.com/v1/messages -H \"x-api-key: $KEY\" -d '{{\"model\": \"claude-opus-4-5\", \"max_tokens\": {i}, \"messages\": [{{\"role\": \"user\", \"content\": \"hi\"}}]}}'\n{{\"id\": \"msg_{i}\"}}\n```\n\n"
        ));
    }
    out
}
