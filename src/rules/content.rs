//! Message content: block types and their fields, where each block may appear, and the API's
//! rules on empty text, empty messages and a trailing-whitespace prefill.

use serde_json::{Value as Json, json};

use super::conversation::{Message, block_kind, messages};
use super::registry::declare_rules;
use super::{Context, Sink, caching};
use crate::facts::blocks::{self, BLOCK_TYPES, Placement, SYSTEM_CONTENT, TOOL_RESULT_CONTENT};
use crate::fix::{Edit, Fix};
use crate::syntax::{Node, Value};
use crate::words::did_you_mean;
use crate::words::{article, capitalized, describe, list};

declare_rules! {
    family: "content";
    prefix: "C";
    /// ## What it does
    /// Reports a content block whose `type` the API does not know, naming the Claude block for
    /// OpenAI's `image_url`, `input_text`, `input_image`, `file` and `input_audio`, and the
    /// closest known type for a typo.
    ///
    /// ## Why
    /// Content is a tagged union: the API answers 400 with `Input tag '<type>' found using
    /// 'type' does not match any of the expected tags`.
    ///
    /// ## Example
    /// ```json
    /// {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBOR..."}}
    /// ```
    ///
    /// ## Fix
    /// Rewrites OpenAI `image_url` blocks (data URLs and https URLs) and `input_text` /
    /// `output_text` blocks into Claude's `image` and `text` blocks (safe: same meaning).
    UNKNOWN_BLOCK_TYPE { code: "101", name: "unknown-block-type", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports a block in a message whose role cannot hold it: `tool_result` outside a user
    /// message, `tool_use`, `thinking` and server-tool results outside an assistant message,
    /// anything but text in a `system` message or the top-level `system` array, and block types
    /// a `tool_result`'s `content` cannot hold.
    ///
    /// ## Why
    /// Tool calls and thinking are the model's output and only come back in assistant turns;
    /// tool output is the caller's and goes in the next user turn. The API rejects the request.
    ///
    /// ## Example
    /// ```json
    /// {"role": "assistant", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "42"}]}
    /// ```
    BLOCK_NOT_ALLOWED { code: "102", name: "block-not-allowed", severity: Error, fix: None }

    /// ## What it does
    /// Reports a required field missing from a message (`role`, `content`) or a content block
    /// (`type`, `text`, `source`, `id`, `name`, `input`, `tool_use_id`, `signature`...).
    ///
    /// ## Why
    /// The API answers 400 `<path>: Field required`, e.g.
    /// `messages.0.content: Field required`.
    ///
    /// ## Example
    /// ```json
    /// {"role": "assistant", "content": [{"type": "tool_use", "name": "get_weather", "input": {}}]}
    /// ```
    MISSING_FIELD { code: "103", name: "missing-field", severity: Error, fix: None }

    /// ## What it does
    /// Reports a message or block field of the wrong JSON type: `content: null` (OpenAI's
    /// assistant turn with tool calls), a single block not wrapped in an array, `text` that is
    /// not a string, or a `tool_use` `input` written as a JSON string (OpenAI's `arguments`).
    ///
    /// ## Why
    /// The API validates every field's type: 400 `<path>: Input should be a valid ...`.
    ///
    /// ## Example
    /// ```json
    /// {"type": "tool_use", "id": "toolu_1", "name": "f", "input": "{\"city\": \"Paris\"}"}
    /// ```
    ///
    /// ## Fix
    /// Parses a JSON-string `input` into the object it holds, and wraps a lone block in an
    /// array (safe: same meaning).
    INVALID_FIELD_TYPE { code: "104", name: "invalid-field-type", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports a key a content block does not have, e.g. `text` on a `tool_use` block or
    /// `cache_control` on a `thinking` block.
    ///
    /// ## Why
    /// Blocks are closed objects: the API answers 400
    /// `messages.N.content.M.<type>.<key>: Extra inputs are not permitted`.
    ///
    /// ## Example
    /// ```json
    /// {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}, "text": "calling f"}
    /// ```
    ///
    /// ## Fix
    /// Removes the key (unsafe: check nothing you need was in it).
    UNKNOWN_BLOCK_FIELD { code: "105", name: "unknown-block-field", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a text block whose `text` is the empty string.
    ///
    /// ## Why
    /// The API answers 400 `messages: text content blocks must be non-empty`. Empty blocks
    /// usually come from a tool or a template that returned nothing. An empty block that
    /// carries `cache_control` gets another answer and is left to
    /// `cache-control-on-empty-text`.
    ///
    /// ## Example
    /// ```json
    /// {"role": "user", "content": [{"type": "text", "text": ""}, {"type": "text", "text": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes the block when the message keeps other content (safe).
    EMPTY_TEXT { code: "106", name: "empty-text", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports text (a text block, or a string `content`) that is only whitespace.
    ///
    /// ## Why
    /// The API answers 400 `messages: text content blocks must contain non-whitespace text`.
    ///
    /// ## Example
    /// ```json
    /// {"role": "user", "content": "\n  "}
    /// ```
    ///
    /// ## Fix
    /// Removes the block when the message keeps other content (safe).
    WHITESPACE_TEXT { code: "107", name: "whitespace-text", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports a message with empty `content` (`""` or `[]`) anywhere but the final assistant
    /// message.
    ///
    /// ## Why
    /// The API answers 400 `messages.N: all messages must have non-empty content except for the
    /// optional final assistant message`.
    ///
    /// ## Example
    /// ```json
    /// {"role": "assistant", "content": ""}, {"role": "user", "content": "Go on"}
    /// ```
    EMPTY_CONTENT { code: "108", name: "empty-content", severity: Error, fix: None }

    /// ## What it does
    /// Reports a final assistant message (a prefill) whose text ends in whitespace.
    ///
    /// ## Why
    /// The API answers 400 `messages: final assistant content cannot end with trailing
    /// whitespace`.
    ///
    /// ## Example
    /// ```json
    /// {"role": "assistant", "content": "The answer is: "}
    /// ```
    ///
    /// ## Fix
    /// Trims the trailing whitespace (safe).
    TRAILING_WHITESPACE { code: "109", name: "trailing-whitespace", severity: Error, fix: Safe }
}

/// Where a list of blocks sits, which decides the blocks it may hold.
#[derive(Clone, Copy)]
struct Scope<'a> {
    /// The role of the enclosing message (`None` for the top-level `system`).
    role: Option<&'a str>,
    /// The only block types allowed here, when restricted, and how to name the place.
    only: Option<(&'static [&'static str], &'static str)>,
}

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if !ctx.payload.kind.is_request() {
        return;
    }
    let root = ctx.payload.root;
    if let Some(system) = root.get("system")
        && let Value::Array(blocks) = &system.value
    {
        let scope = Scope {
            role: None,
            only: Some((&["text"], "the top-level `system`")),
        };
        check_blocks(ctx, system, blocks, "system", scope, sink);
    }
    let conversation: Vec<Message<'_>> = messages(root).collect();
    let last = conversation.len().saturating_sub(1);
    for message in &conversation {
        let final_assistant = message.index == last && message.role == Some("assistant");
        check_message(ctx, message, final_assistant, sink);
    }
}

fn check_message(
    ctx: &Context<'_>,
    message: &Message<'_>,
    final_assistant: bool,
    sink: &mut Sink<'_>,
) {
    let node = message.node;
    if node.as_object().is_none() {
        return;
    }
    let path = format!("messages.{}", message.index);
    let api = |rest: &str| ctx.payload.api_path(&format!("{path}{rest}"));
    // A spread of a run-time value (`**extra`, `...rest`) may supply any field.
    let spread = node.has_spread();
    if node.get("role").is_none() && !spread {
        sink.report(
            &MISSING_FIELD,
            node.range.head(1),
            format!(
                "this message has no `role`: the API answers 400 `{}: Field required`",
                api(".role")
            ),
        );
    }
    let Some(content) = message.content else {
        if spread {
            return;
        }
        sink.report(
            &MISSING_FIELD,
            node.range.head(1),
            format!(
                "this message has no `content`: the API answers 400 `{}: Field required`",
                api(".content")
            ),
        );
        return;
    };
    match &content.value {
        Value::String(text) => {
            if text.is_empty() {
                if !final_assistant {
                    report_empty_content(ctx, message, content, sink);
                }
            } else if text.trim_start().is_empty() {
                // (Not `trim`: on a long conversation, reading each text's end costs a cache
                // miss per message, and a text with no other character has no end to read.)
                sink.report(
                    &WHITESPACE_TEXT,
                    content.range,
                    format!("this message's text is only whitespace: the API answers 400 `{}: text content blocks must contain non-whitespace text`", ctx.payload.api_path("messages")),
                );
            } else if final_assistant {
                check_trailing_whitespace(ctx, content, text, sink);
            }
        }
        Value::Array(blocks) => {
            if blocks.is_empty() && !final_assistant {
                report_empty_content(ctx, message, content, sink);
            }
            let only =
                (message.role == Some("system")).then_some((SYSTEM_CONTENT, "a `system` message"));
            let scope = Scope {
                role: message.role,
                only,
            };
            check_blocks(
                ctx,
                content,
                blocks,
                &format!("{path}.content"),
                scope,
                sink,
            );
            if final_assistant
                && let Some(last) = blocks.last().filter(|b| block_kind(b) == Some("text"))
                && let Some(text_node) = last.get("text")
                && let Some(text) = text_node.as_str().filter(|t| !t.trim().is_empty())
            {
                check_trailing_whitespace(ctx, text_node, text, sink);
            }
        }
        Value::Unknown => {}
        Value::Object(_) if block_kind(content).is_some() => {
            let fix = content.to_json().map(|block| {
                Fix::safe(
                    "Wrap the block in an array",
                    vec![Edit::replace_value(content, json!([block]))],
                )
            });
            sink.report_fix(
                &INVALID_FIELD_TYPE,
                content.range,
                format!("`content` is a single block, not an array of blocks: the API answers 400 `{}: Input should be a valid list`", api(".content")),
                fix,
            );
        }
        other => {
            let hint = if matches!(other, Value::Null) && message.role == Some("assistant") {
                " (an OpenAI assistant turn with `tool_calls` has `content: null`; in Claude the calls are `tool_use` blocks inside `content`)"
            } else {
                ""
            };
            sink.report(
                &INVALID_FIELD_TYPE,
                content.range,
                format!(
                    "`content` is {}, but must be a string or an array of content blocks: the API answers 400 `{}: Input should be a valid string or list`{hint}",
                    describe(content),
                    api(".content"),
                ),
            );
        }
    }
}

fn report_empty_content(
    ctx: &Context<'_>,
    message: &Message<'_>,
    content: &Node,
    sink: &mut Sink<'_>,
) {
    sink.report(
        &EMPTY_CONTENT,
        content.range,
        format!(
            "this message's content is empty: the API answers 400 `{}: all messages must have non-empty content except for the optional final assistant message`",
            ctx.payload.api_path(&format!("messages.{}", message.index))
        ),
    );
}

fn check_trailing_whitespace(ctx: &Context<'_>, node: &Node, text: &str, sink: &mut Sink<'_>) {
    let trimmed = text.trim_end();
    if trimmed.len() == text.len() {
        return;
    }
    sink.report_fix(
        &TRAILING_WHITESPACE,
        node.range,
        format!(
            "the final assistant message (a prefill) ends in whitespace: the API answers 400 `{}: final assistant content cannot end with trailing whitespace`",
            ctx.payload.api_path("messages")
        ),
        Some(Fix::safe(
            "Trim the trailing whitespace",
            vec![Edit::replace_value(node, Json::from(trimmed))],
        )),
    );
}

/// Checks the blocks of one content array; `path` is its dotted API path.
fn check_blocks(
    ctx: &Context<'_>,
    array: &Node,
    blocks: &[Node],
    path: &str,
    scope: Scope<'_>,
    sink: &mut Sink<'_>,
) {
    for (i, block) in blocks.iter().enumerate() {
        let path = format!("{path}.{i}");
        check_block(ctx, array, block, &path, scope, sink);
    }
}

fn check_block(
    ctx: &Context<'_>,
    array: &Node,
    block: &Node,
    path: &str,
    scope: Scope<'_>,
    sink: &mut Sink<'_>,
) {
    let api = |rest: &str| ctx.payload.api_path(&format!("{path}{rest}"));
    let Some(members) = block.as_object() else {
        if !block.is_unknown() {
            sink.report(
                &INVALID_FIELD_TYPE,
                block.range,
                format!(
                    "a content block must be an object with a `type`, found {}: the API answers 400 `{}: Input should be a valid dictionary`",
                    describe(block),
                    api("")
                ),
            );
        }
        return;
    };
    let Some(type_node) = block.get("type") else {
        if block.has_spread() {
            return;
        }
        sink.report(
            &MISSING_FIELD,
            block.range.head(1),
            format!(
                "this content block has no `type`: the API answers 400 `{}: Unable to extract tag using discriminator 'type'`",
                api("")
            ),
        );
        return;
    };
    let Some(kind) = type_node.as_str() else {
        return;
    };
    let Some(block_type) = blocks::block_type(kind) else {
        report_unknown_type(ctx, block, type_node, kind, path, sink);
        return;
    };
    if let Some((only, place)) = scope.only
        && !only.contains(&kind)
    {
        sink.report(
            &BLOCK_NOT_ALLOWED,
            type_node.range,
            format!(
                "{place} cannot hold {} `{kind}` block (only {}): the API answers 400",
                article(kind),
                list(only)
            ),
        );
        return;
    }
    let misplaced = match (block_type.placement, scope.role) {
        (Placement::User, Some(role)) if role != "user" => Some(
            "only a user message can hold it: tool output goes in the user turn after the `tool_use`",
        ),
        (Placement::Assistant, Some(role)) if role != "assistant" => {
            Some("only an assistant message can hold it: it is the model's output, echoed back")
        }
        _ => None,
    };
    if let Some(why) = misplaced {
        let role = scope.role.unwrap_or_default();
        sink.report(
            &BLOCK_NOT_ALLOWED,
            type_node.range,
            format!(
                "{} `{kind}` block in {} `{role}` message: {why}; the API answers 400",
                capitalized(article(kind)),
                article(role),
            ),
        );
    }
    if block_type.beta.is_some() {
        return;
    }
    for field in block_type.required {
        if block.get(field).is_none() && !block.has_spread() {
            sink.report(
                &MISSING_FIELD,
                type_node.range,
                format!("this `{kind}` block has no `{field}`: the API answers 400 `{}: Field required`", api(&format!(".{kind}.{field}"))),
            );
        }
    }
    for member in members {
        let key = member.key.as_str();
        if key == "type" || block_type.required.contains(&key) || block_type.optional.contains(&key)
        {
            continue;
        }
        let why = match (kind, key) {
            ("thinking" | "redacted_thinking", "cache_control") => {
                "; thinking blocks cannot be cached"
            }
            _ => "",
        };
        sink.report_fix(
            &UNKNOWN_BLOCK_FIELD,
            member.key_range,
            format!("a `{kind}` block has no `{key}`: the API answers 400 `{}: Extra inputs are not permitted`{why}", api(&format!(".{kind}.{key}"))),
            Some(Fix::unsafe_(format!("Remove `{key}`"), vec![Edit::remove_member(block, member)])),
        );
    }
    check_fields(ctx, array, block, kind, path, sink);
}

/// Field types and text rules of a known GA block.
fn check_fields(
    ctx: &Context<'_>,
    array: &Node,
    block: &Node,
    kind: &str,
    path: &str,
    sink: &mut Sink<'_>,
) {
    let api = |field: &str| ctx.payload.api_path(&format!("{path}.{kind}.{field}"));
    let expect_string = |field: &str, sink: &mut Sink<'_>| {
        if let Some(node) = block.get(field)
            && !matches!(node.value, Value::String(_) | Value::Unknown)
        {
            sink.report(
                    &INVALID_FIELD_TYPE,
                    node.range,
                    format!("`{field}` must be a string, found {}: the API answers 400 `{}: Input should be a valid string`", describe(node), api(field)),
                );
        }
    };
    match kind {
        "text" => {
            expect_string("text", sink);
            if let Some(text) = block.get("text").and_then(Node::as_str) {
                check_text(ctx, array, block, text, path, sink);
            }
        }
        "tool_use" | "server_tool_use" => {
            expect_string("id", sink);
            expect_string("name", sink);
            if let Some(input) = block.get("input") {
                check_tool_input(input, &api("input"), sink);
            }
        }
        "tool_result" => {
            expect_string("tool_use_id", sink);
            if let Some(content) = block.get("content") {
                match &content.value {
                    Value::Array(inner) => {
                        let scope = Scope {
                            role: Some("user"),
                            only: Some((TOOL_RESULT_CONTENT, "a `tool_result`'s `content`")),
                        };
                        check_blocks(ctx, content, inner, &format!("{path}.tool_result.content"), scope, sink);
                    }
                    Value::String(_) | Value::Unknown => {}
                    _ => sink.report(
                        &INVALID_FIELD_TYPE,
                        content.range,
                        format!("a `tool_result`'s `content` must be a string or an array of blocks, found {}: the API answers 400 `{}: Input should be a valid string or list`", describe(content), api("content")),
                    ),
                }
            }
        }
        "thinking" => {
            expect_string("thinking", sink);
            expect_string("signature", sink);
        }
        "redacted_thinking" => expect_string("data", sink),
        _ => {}
    }
}

fn check_tool_input(input: &Node, path: &str, sink: &mut Sink<'_>) {
    match &input.value {
        Value::Object(_) | Value::Unknown => {}
        Value::String(s) => {
            let parsed: Option<Json> = serde_json::from_str(s).ok().filter(Json::is_object);
            let fix = parsed.map(|object| {
                Fix::safe("Replace the JSON string with the object it holds", vec![Edit::replace_value(input, object)])
            });
            sink.report_fix(
                &INVALID_FIELD_TYPE,
                input.range,
                format!("`input` must be an object, not a JSON string (OpenAI's `arguments` form): the API answers 400 `{path}: Input should be a valid dictionary`"),
                fix,
            );
        }
        _ => sink.report(
            &INVALID_FIELD_TYPE,
            input.range,
            format!("`input` must be an object, found {}: the API answers 400 `{path}: Input should be a valid dictionary`", describe(input)),
        ),
    }
}

fn check_text(
    ctx: &Context<'_>,
    array: &Node,
    block: &Node,
    text: &str,
    path: &str,
    sink: &mut Sink<'_>,
) {
    let (rule, problem) = if text.is_empty() {
        // With a breakpoint, the API answers another error, which caching reports.
        if block
            .get("cache_control")
            .is_some_and(|c| c.as_object().is_some())
            && sink.enabled(&caching::CACHE_CONTROL_ON_EMPTY_TEXT)
        {
            return;
        }
        (&EMPTY_TEXT, "must be non-empty")
    } else if text.trim().is_empty() {
        (&WHITESPACE_TEXT, "must contain non-whitespace text")
    } else {
        return;
    };
    let fix = remove_block_fix(array, block);
    let range = block.get("text").map_or(block.range, |t| t.range);
    sink.report_fix(
        rule,
        range,
        format!(
            "this text block is {}: the API answers 400 `{}: text content blocks {problem}`",
            if text.is_empty() {
                "empty"
            } else {
                "only whitespace"
            },
            ctx.payload
                .api_path(path.split('.').next().unwrap_or("messages")),
        ),
        fix,
    );
}

/// Removes a useless block (an empty one, say) when its message keeps other content: a
/// message left with no content would be rejected in its turn.
pub(crate) fn remove_block_fix(array: &Node, block: &Node) -> Option<Fix> {
    let siblings_with_content = array
        .as_array()
        .unwrap_or(&[])
        .iter()
        .filter(|b| !std::ptr::eq(*b, block))
        .any(|b| {
            b.get("text")
                .and_then(Node::as_str)
                .is_none_or(|t| !t.trim().is_empty())
        });
    siblings_with_content
        .then(|| Fix::safe("Remove the block", vec![Edit::remove_element(array, block)]))
}

fn report_unknown_type(
    ctx: &Context<'_>,
    block: &Node,
    type_node: &Node,
    kind: &str,
    path: &str,
    sink: &mut Sink<'_>,
) {
    let answer = format!(
        "the API answers 400 `{}: Input tag '{kind}' found using 'type' does not match any of the expected tags`",
        ctx.payload.api_path(path)
    );
    let (advice, fix) = match kind {
        "image_url" => (
            "; this is OpenAI's image part: Claude's is `{\"type\": \"image\", \"source\": {...}}`"
                .to_owned(),
            image_url_fix(block),
        ),
        "input_text" | "output_text" => (
            "; Claude's text block is `{\"type\": \"text\", \"text\": ...}`".to_owned(),
            text_part_fix(block, type_node),
        ),
        "input_image" => (
            "; Claude's image block is `{\"type\": \"image\", \"source\": {...}}`".to_owned(),
            None,
        ),
        "file" | "input_file" => (
            "; PDFs and text files go in a `document` block".to_owned(),
            None,
        ),
        "input_audio" => ("; Claude does not take audio input".to_owned(), None),
        _ => match did_you_mean(kind, BLOCK_TYPES.iter().map(|b| b.name)) {
            Some(s) => (format!("; did you mean `{s}`?"), None),
            None => (String::new(), None),
        },
    };
    sink.report_fix(
        &UNKNOWN_BLOCK_TYPE,
        type_node.range,
        format!("`{kind}` is not a content block type: {answer}{advice}"),
        fix,
    );
}

/// Rewrites an OpenAI `input_text`/`output_text` part with only `type` and `text`.
fn text_part_fix(block: &Node, type_node: &Node) -> Option<Fix> {
    let only_text = block
        .as_object()?
        .iter()
        .all(|m| m.key == "type" || m.key == "text");
    only_text.then(|| {
        Fix::safe(
            "Change the type to `text`",
            vec![Edit::replace_value(type_node, Json::from("text"))],
        )
    })
}

/// Rewrites an OpenAI `image_url` part into Claude's `image` block.
fn image_url_fix(block: &Node) -> Option<Fix> {
    let url = block.get("image_url").and_then(|u| match &u.value {
        Value::String(s) => Some(s.as_str()),
        _ => u.get("url")?.as_str(),
    })?;
    let source = match url.strip_prefix("data:") {
        Some(rest) => {
            let (media_type, data) = rest.split_once(";base64,")?;
            json!({"type": "base64", "media_type": media_type, "data": data})
        }
        None if url.starts_with("https://") || url.starts_with("http://") => {
            json!({"type": "url", "url": url})
        }
        None => return None,
    };
    Some(Fix::safe(
        "Rewrite as a Claude `image` block",
        vec![Edit::replace_value(
            block,
            json!({"type": "image", "source": source}),
        )],
    ))
}
