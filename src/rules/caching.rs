//! Prompt caching (reference §6): how many breakpoints, their shape, the order of their TTLs,
//! and breakpoints that cannot cache anything.
//!
//! `cache_control` on a `thinking` or `redacted_thinking` block is left to the content family
//! (`unknown-block-field`, the API's `...thinking.cache_control: Extra inputs are not
//! permitted`): such a marker is neither validated nor counted here.

use std::collections::HashMap;

use serde_json::json;

use super::conversation::{self, Block, block_kind, messages, nested_blocks};
use super::registry::declare_rules;
use super::{Context, Sink, content};
use crate::facts::Dialect;
use crate::facts::api;
use crate::facts::models::{Model, Tokenizer};
use crate::fix::{Edit, Fix};
use crate::media::image;
use crate::syntax::{Member, Node, Value, walk};
use crate::words::describe;

declare_rules! {
    family: "caching";
    prefix: "H";
    /// ## What it does
    /// Reports every cache breakpoint after the fourth, counting in the order the API
    /// processes them (`tools`, `system`, `messages`) and counting the top-level
    /// `cache_control` (automatic caching), which takes one of the four slots.
    ///
    /// ## Why
    /// The API answers 400 `A maximum of 4 blocks with cache_control may be provided. Found 5.`
    /// A proxy or a framework that adds its own breakpoint often makes the fifth.
    ///
    /// ## Example
    /// ```json
    /// {"cache_control": {"type": "ephemeral"}, "system": [
    ///   {"type": "text", "text": "...", "cache_control": {"type": "ephemeral"}}, ...4 more]}
    /// ```
    ///
    /// ## Fix
    /// Removes the extra `cache_control` (unsafe: choose which breakpoints to keep).
    TOO_MANY_CACHE_BREAKPOINTS { code: "101", name: "too-many-cache-breakpoints", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a `cache_control` that is not `{"type": "ephemeral"}` with an optional `ttl` of
    /// `"5m"` or `"1h"`: another type, another TTL, another key (`scope`), or not an object.
    ///
    /// ## Why
    /// `cache_control` is a closed, tagged object: the API answers 400, e.g.
    /// `system.1.cache_control.ephemeral.scope: Extra inputs are not permitted`.
    ///
    /// ## Example
    /// ```json
    /// {"type": "text", "text": "...", "cache_control": {"type": "ephemeral", "ttl": "60m"}}
    /// ```
    ///
    /// ## Fix
    /// Safe where the meaning is plain: `"ephemeral"` or `true` becomes
    /// `{"type": "ephemeral"}`, a missing or miscased `type` is written `"ephemeral"`, a TTL of
    /// 300 seconds or one hour in another spelling becomes `"5m"` or `"1h"`. Removing an
    /// unknown key is unsafe.
    INVALID_CACHE_CONTROL { code: "102", name: "invalid-cache-control", severity: Error, fix: Mixed }

    /// ## What it does
    /// Reports a breakpoint with `ttl: "1h"` that comes after one with a 5-minute TTL (`"5m"`,
    /// or no `ttl`), in the order `tools`, `system`, `messages`, then the top-level
    /// `cache_control`.
    ///
    /// ## Why
    /// Longer-lived entries must cover a prefix of the shorter-lived ones. The API answers 400
    /// ``messages.0.content.4.cache_control.ttl: a ttl='1h' cache_control block must not come
    /// after a ttl='5m' cache_control block. Note that blocks are processed in the following
    /// order: `tools`, `system`, `messages`.``
    ///
    /// ## Example
    /// ```json
    /// {"system": [{"type": "text", "text": "...", "cache_control": {"type": "ephemeral"}}],
    ///  "messages": [{"role": "user", "content": [{"type": "text", "text": "...",
    ///    "cache_control": {"type": "ephemeral", "ttl": "1h"}}]}]}
    /// ```
    ///
    /// ## Fix
    /// Sets this breakpoint's `ttl` to `"5m"` (unsafe: its entry then expires sooner; making
    /// the earlier breakpoints `"1h"` instead is the other way out).
    CACHE_TTL_ORDER { code: "103", name: "cache-ttl-order", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports `cache_control` on a text block whose `text` is empty.
    ///
    /// ## Why
    /// Empty text cannot be cached: the API answers 400
    /// `messages.87.content.1.text: cache_control cannot be set for empty text blocks`. This
    /// is the answer for an empty block with a breakpoint, so `empty-text` leaves such blocks
    /// to this rule. It typically follows a pasted screenshot with no text, or a tool that
    /// returned nothing.
    ///
    /// ## Example
    /// ```json
    /// {"role": "user", "content": [{"type": "image", "source": {...}},
    ///   {"type": "text", "text": "", "cache_control": {"type": "ephemeral"}}]}
    /// ```
    ///
    /// ## Fix
    /// Removes the block when the message keeps other content (safe; move the breakpoint to
    /// the block before it if you want one there).
    CACHE_CONTROL_ON_EMPTY_TEXT { code: "104", name: "cache-control-on-empty-text", severity: Error, fix: Safe }

    /// ## What it does
    /// Warns about a breakpoint whose prefix (everything up to and including the marked block)
    /// is certainly shorter than the model's minimum cacheable length: 512 to 4,096 tokens
    /// depending on the model.
    ///
    /// ## Why
    /// A shorter prefix is not cached, silently: no error, and `cache_creation_input_tokens`
    /// stays 0, so the breakpoint only costs a slot. Without a tokenizer the prefix is bounded
    /// from above: text never has more tokens than bytes (times 1.35 for the tokenizer of
    /// Claude Opus 4.7 and later), an image costs at most about 1,600 tokens (4,800 on the
    /// high-resolution tier), tools count their JSON bytes plus 1,000 tokens for the tool-use
    /// system prompt, and 256 tokens more are allowed for formatting. Prefixes whose size
    /// cannot be bounded (PDFs, server tools, thinking blocks, encrypted tool results, cited
    /// documents, values computed at run time, MCP servers, skills, structured outputs) are
    /// never reported. Only the Claude API's minimums are known: Bedrock and Vertex bodies are
    /// skipped.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-haiku-4-5", "system": [{"type": "text", "text": "You are terse.",
    ///   "cache_control": {"type": "ephemeral"}}], ...}
    /// ```
    CACHE_PREFIX_TOO_SHORT { code: "105", name: "cache-prefix-too-short", severity: Warning, fix: None }
}

/// Tokens allowed for the tool-use system prompt the API adds when `tools` is present
/// (reference §3.5: "hundreds of tokens, depending on the model and `tool_choice`").
const TOOL_PROMPT_ALLOWANCE: u64 = 1_000;

/// Tokens allowed for what the API adds around the request's own text (role markers, system
/// formatting), beyond the JSON punctuation already counted as text.
const FORMAT_ALLOWANCE: u64 = 256;

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if !ctx.payload.kind.is_request() || ctx.payload.root.as_object().is_none() {
        return;
    }
    let markers = markers(ctx);
    let breakpoints: Vec<&Marker<'_>> = markers
        .iter()
        .filter(|m| check_shape(ctx, m, sink))
        .collect();
    check_count(&breakpoints, sink);
    check_ttl_order(ctx, &breakpoints, sink);
    // The bounds walk the whole request: only when a breakpoint may need them. count_tokens
    // caches nothing, so a short prefix there costs nothing.
    let bounds = ctx
        .model
        .filter(|_| {
            !breakpoints.is_empty()
                && ctx.payload.dialect == Dialect::FirstParty
                && ctx.payload.kind != crate::extract::PayloadKind::CountTokens
                && sink.enabled(&CACHE_PREFIX_TOO_SHORT)
        })
        .map(|model| (model, PrefixBounds::compute(ctx.payload.root, model)));
    for marker in &breakpoints {
        if !check_empty_text(ctx, marker, sink)
            && let Some((model, bounds)) = &bounds
        {
            check_prefix(ctx, marker, model, bounds, sink);
        }
    }
}

/// A `cache_control` written in the request.
struct Marker<'a> {
    /// The tool, block or root that carries it.
    owner: &'a Node,
    /// The `cache_control` member.
    member: &'a Member,
    /// The owner's path in the API's validation errors (`tools.0.custom`, `system.1`,
    /// `messages.0.content.2.text`; empty for the root).
    schema_path: String,
    /// The owner's plain path, used by the TTL-order error (`messages.0.content.2`).
    order_path: String,
    /// The block that carries it, when it is a content block.
    block: Option<Block<'a>>,
    /// The tool or top-level block whose end closes its prefix (`None` for the top-level
    /// `cache_control`, whose prefix is the whole request).
    top: Option<&'a Node>,
}

/// Every `cache_control` in processing order: tools, system, messages, then the top-level one.
fn markers<'a>(ctx: &Context<'a>) -> Vec<Marker<'a>> {
    let root = ctx.payload.root;
    let mut out = Vec::new();
    for (i, tool) in root
        .get("tools")
        .and_then(Node::as_array)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        if let Some(member) = tool.member("cache_control") {
            let tag = tool.get("type").and_then(Node::as_str).unwrap_or("custom");
            out.push(Marker {
                owner: tool,
                member,
                schema_path: format!("tools.{i}.{tag}"),
                order_path: format!("tools.{i}"),
                block: None,
                top: Some(tool),
            });
        }
    }
    let mut top = None;
    for block in conversation::blocks(root) {
        if block.parent.is_none() {
            top = Some(block.node);
        }
        let cacheable = !matches!(block.kind(), Some("thinking" | "redacted_thinking"));
        if let Some(member) = block.node.member("cache_control").filter(|_| cacheable) {
            out.push(Marker {
                owner: block.node,
                member,
                schema_path: block.schema_path(),
                order_path: block.path(),
                top,
                block: Some(block),
            });
        }
    }
    if let Some(member) = root.member("cache_control") {
        out.push(Marker {
            owner: root,
            member,
            schema_path: String::new(),
            order_path: String::new(),
            block: None,
            top: None,
        });
    }
    out
}

/// `prefix.rest` in the API's dotted notation (just `rest` for the root), under the payload.
fn api_path(ctx: &Context<'_>, prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        ctx.payload.api_path(rest)
    } else {
        ctx.payload.api_path(&format!("{prefix}.{rest}"))
    }
}

/// Reports what is wrong with a marker's shape; true when it is a breakpoint (an object: the
/// API counts it, valid or not).
fn check_shape(ctx: &Context<'_>, marker: &Marker<'_>, sink: &mut Sink<'_>) -> bool {
    let value = &marker.member.value;
    let path = |rest: &str| api_path(ctx, &marker.schema_path, rest);
    let Some(members) = value.as_object() else {
        if !matches!(value.value, Value::Null | Value::Unknown) {
            let meant = matches!(&value.value, Value::Bool(true))
                || value
                    .as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case("ephemeral"));
            let fix = meant.then(|| {
                Fix::safe(
                    "Write `{\"type\": \"ephemeral\"}`",
                    vec![Edit::replace_value(value, json!({"type": "ephemeral"}))],
                )
            });
            sink.report_fix(
                &INVALID_CACHE_CONTROL,
                value.range,
                format!(
                    "`cache_control` is {}, but must be an object like `{{\"type\": \"ephemeral\"}}`: the API answers 400 at `{}`",
                    describe(value),
                    path("cache_control")
                ),
                fix,
            );
        }
        return false;
    };
    match value.get("type") {
        None => sink.report_fix(
            &INVALID_CACHE_CONTROL,
            value.range.head(1),
            format!(
                "`cache_control` has no `type`: the API answers 400 `{}: Field required` (the only type is `\"ephemeral\"`)",
                path("cache_control.type")
            ),
            Some(Fix::safe(
                "Add `\"type\": \"ephemeral\"`",
                vec![Edit::insert_member(value, "type", json!("ephemeral"))],
            )),
        ),
        Some(kind) => check_type(ctx, marker, kind, sink),
    }
    for member in members {
        match member.key.as_str() {
            "type" => {}
            "ttl" => check_ttl(ctx, marker, &member.value, sink),
            key => sink.report_fix(
                &INVALID_CACHE_CONTROL,
                member.key_range,
                format!(
                    "`cache_control` takes only `type` and `ttl`: the API answers 400 `{}: Extra inputs are not permitted`",
                    path(&format!("cache_control.ephemeral.{key}"))
                ),
                Some(Fix::unsafe_(
                    format!("Remove `{key}`"),
                    vec![Edit::remove_member(value, member)],
                )),
            ),
        }
    }
    true
}

fn check_type(ctx: &Context<'_>, marker: &Marker<'_>, kind: &Node, sink: &mut Sink<'_>) {
    let found = match &kind.value {
        Value::String(s) if s == "ephemeral" => return,
        Value::Unknown => return,
        Value::String(s) => format!("'{s}'"),
        _ => describe(kind),
    };
    let fix = kind
        .as_str()
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("ephemeral"))
        .then(|| {
            Fix::safe(
                "Write `\"ephemeral\"`",
                vec![Edit::replace_value(kind, json!("ephemeral"))],
            )
        });
    sink.report_fix(
        &INVALID_CACHE_CONTROL,
        kind.range,
        format!(
            "the only `cache_control` type is `\"ephemeral\"`: the API answers 400 `{}: Input tag {found} found using 'type' does not match any of the expected tags: 'ephemeral'`",
            api_path(ctx, &marker.schema_path, "cache_control")
        ),
        fix,
    );
}

fn check_ttl(ctx: &Context<'_>, marker: &Marker<'_>, ttl: &Node, sink: &mut Sink<'_>) {
    if matches!(&ttl.value, Value::Unknown) || matches!(ttl.as_str(), Some("5m" | "1h")) {
        return;
    }
    let fix = ttl.as_str().and_then(ttl_meant).map(|meant| {
        Fix::safe(
            format!("Write `\"{meant}\"`"),
            vec![Edit::replace_value(ttl, json!(meant))],
        )
    });
    sink.report_fix(
        &INVALID_CACHE_CONTROL,
        ttl.range,
        format!(
            "`ttl` must be `\"5m\"` or `\"1h\"`, found {}: the API answers 400 `{}: Input should be '5m' or '1h'`",
            match ttl.as_str() {
                Some(s) => format!("`\"{s}\"`"),
                None => describe(ttl),
            },
            api_path(ctx, &marker.schema_path, "cache_control.ephemeral.ttl")
        ),
        fix,
    );
}

/// The TTL another spelling means, when it is exactly five minutes or one hour: `"300s"`,
/// `"5 min"`, `"60m"`, `"1hr"`, `"3600"` (seconds).
fn ttl_meant(text: &str) -> Option<&'static str> {
    let text = text.trim().to_ascii_lowercase();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let seconds_per_unit = match unit.trim() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        _ => return None,
    };
    match number.checked_mul(seconds_per_unit)? {
        300 => Some("5m"),
        3600 => Some("1h"),
        _ => None,
    }
}

fn check_count(breakpoints: &[&Marker<'_>], sink: &mut Sink<'_>) {
    let total = breakpoints.len();
    let max = api::limits().caching.max_breakpoints;
    for (i, marker) in breakpoints.iter().enumerate().skip(max) {
        let which = if marker.order_path.is_empty() {
            format!(
                "the top-level `cache_control` puts a breakpoint on the last block, and it is breakpoint {} of {total}",
                i + 1
            )
        } else {
            format!(
                "cache breakpoint {} of {total}, counting in processing order (`tools`, `system`, `messages`, then the top-level `cache_control`)",
                i + 1
            )
        };
        sink.report_fix(
            &TOO_MANY_CACHE_BREAKPOINTS,
            marker.member.key_range,
            format!(
                "{which}: the API answers 400 `A maximum of {max} blocks with cache_control may be provided. Found {total}.`"
            ),
            Some(Fix::unsafe_(
                "Remove this `cache_control`",
                vec![Edit::remove_member(marker.owner, marker.member)],
            )),
        );
    }
}

/// A breakpoint's TTL: `None` when it is not one the API knows (reported by the shape check).
fn ttl<'a>(marker: &Marker<'a>) -> Option<(&'static str, Option<&'a Node>)> {
    match marker.member.value.get("ttl") {
        None => Some(("5m", None)),
        Some(node) => match node.as_str() {
            Some("5m") => Some(("5m", Some(node))),
            Some("1h") => Some(("1h", Some(node))),
            _ => None,
        },
    }
}

fn check_ttl_order(ctx: &Context<'_>, breakpoints: &[&Marker<'_>], sink: &mut Sink<'_>) {
    let mut first_short: Option<&Marker<'_>> = None;
    for marker in breakpoints {
        match ttl(marker) {
            Some(("5m", _)) => {
                first_short.get_or_insert(marker);
            }
            Some((_, Some(long))) => {
                let Some(short) = first_short else {
                    continue;
                };
                let short_where = if short.order_path.is_empty() {
                    "the top-level `cache_control`".to_owned()
                } else {
                    format!("`{}`", ctx.payload.api_path(&short.order_path))
                };
                let implicit = if short.member.value.get("ttl").is_none() {
                    " (no `ttl` means \"5m\")"
                } else {
                    ""
                };
                sink.report_fix(
                    &CACHE_TTL_ORDER,
                    long.range,
                    format!(
                        "this 1-hour breakpoint comes after the 5-minute one at {short_where}{implicit}: the API answers 400 `{}: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`.`",
                        api_path(ctx, &marker.order_path, "cache_control.ttl")
                    ),
                    Some(Fix::unsafe_(
                        "Set this breakpoint's ttl to \"5m\"",
                        vec![Edit::replace_value(long, json!("5m"))],
                    )),
                );
            }
            _ => {}
        }
    }
}

/// Reports a breakpoint on an empty text block; true when it did.
fn check_empty_text(ctx: &Context<'_>, marker: &Marker<'_>, sink: &mut Sink<'_>) -> bool {
    let Some(block) = &marker.block else {
        return false;
    };
    let Some(text) = block
        .node
        .get("text")
        .filter(|t| block.kind() == Some("text") && t.as_str() == Some(""))
    else {
        return false;
    };
    sink.report_fix(
        &CACHE_CONTROL_ON_EMPTY_TEXT,
        text.range,
        format!(
            "this text block is empty and carries `cache_control`: the API answers 400 `{}: cache_control cannot be set for empty text blocks`",
            ctx.payload.api_path(&format!("{}.text", block.path()))
        ),
        content::remove_block_fix(block.array, block.node),
    );
    true
}

fn check_prefix(
    ctx: &Context<'_>,
    marker: &Marker<'_>,
    model: &Model,
    bounds: &PrefixBounds,
    sink: &mut Sink<'_>,
) {
    let tokens = match marker.top {
        Some(top) => bounds.after(top),
        None => bounds.total,
    };
    let Some(tokens) = tokens.filter(|&t| t < model.min_cache_tokens) else {
        return;
    };
    let what = if marker.order_path.is_empty() {
        "the whole request, which the top-level `cache_control` caches,".to_owned()
    } else {
        format!(
            "the prefix up to `{}`",
            ctx.payload.api_path(&marker.order_path)
        )
    };
    sink.report(
        &CACHE_PREFIX_TOO_SHORT,
        marker.member.key_range,
        format!(
            "{what} is at most {tokens} tokens (an upper bound), below the {} tokens {} caches at minimum: the API accepts the request but silently does not cache it",
            model.min_cache_tokens, model.id
        ),
    );
}

/// Upper bounds on the tokens of each prefix, by the top-level tool or block that ends it.
struct PrefixBounds {
    /// After each tool and top-level block (keyed by address).
    after: HashMap<*const Node, Option<u64>>,
    /// The whole request.
    total: Option<u64>,
}

impl PrefixBounds {
    fn compute(root: &Node, model: &Model) -> Self {
        let mut bounds = PrefixBounds {
            after: HashMap::new(),
            total: None,
        };
        let mut sum = Sum {
            // Features that add text of unknown length to the prompt.
            bounded: ["mcp_servers", "container"]
                .iter()
                .all(|key| root.get(key).is_none())
                && root
                    .get("output_config")
                    .and_then(|c| c.get("format"))
                    .is_none_or(|f| matches!(f.value, Value::Null)),
            bytes: 0,
            images: 0,
            tools: false,
        };
        if let Some(tools) = root.get("tools") {
            sum.tools = true;
            sum.add_section(tools);
            for tool in tools.as_array().unwrap_or(&[]) {
                sum.add(tool_part(tool));
                bounds.after.insert(tool, sum.tokens(model));
            }
        }
        if let Some(system) = root.member("system") {
            sum.add_wrapper(system.range().len(), &system.value);
            for block in system.value.as_array().unwrap_or(&[]) {
                sum.add(block_part(block, 0));
                bounds.after.insert(block, sum.tokens(model));
            }
        }
        if let Some(list) = root.get("messages") {
            sum.add_section(list);
        }
        for message in messages(root) {
            sum.add_wrapper(message.node.range.len(), message.node);
            for block in message.blocks() {
                sum.add(block_part(block, 0));
                bounds.after.insert(block, sum.tokens(model));
            }
        }
        bounds.total = sum.tokens(model);
        bounds
    }

    fn after(&self, node: &Node) -> Option<u64> {
        self.after.get(&std::ptr::from_ref(node)).copied().flatten()
    }
}

/// A running upper bound on a prefix.
struct Sum {
    /// False once something of unknown length is in the prefix.
    bounded: bool,
    /// Bytes of text and JSON.
    bytes: u64,
    /// Images, each priced at its tier's maximum.
    images: u64,
    /// Whether `tools` is present (the tool-use system prompt is added).
    tools: bool,
}

/// The bound of one tool or block: bytes and images, `None` when unbounded.
#[derive(Clone, Copy)]
struct Part {
    bytes: u64,
    images: u64,
}

impl Sum {
    fn add(&mut self, part: Option<Part>) {
        match part {
            Some(part) => {
                self.bytes += part.bytes;
                self.images += part.images;
            }
            None => self.bounded = false,
        }
    }

    /// A top-level section (`tools`, `messages`) computed at run time has no bound.
    fn add_section(&mut self, section: &Node) {
        if section.as_array().is_none() {
            self.bounded = false;
        }
    }

    /// The bytes of a message or of `system` outside its blocks (the role, the key, the text
    /// of a string `content`); unbounded when anything there is computed at run time.
    fn add_wrapper(&mut self, len: usize, node: &Node) {
        let (content, blocks) = match node.get("content") {
            Some(content) => (content, content.as_array().unwrap_or(&[])),
            None => (node, node.as_array().unwrap_or(&[])),
        };
        let inner: usize = blocks.iter().map(|b| b.range.len()).sum();
        self.bytes += len.saturating_sub(inner) as u64;
        let outside_blocks_unknown = match &content.value {
            Value::Array(_) => node.as_object().is_some_and(|members| {
                members
                    .iter()
                    .any(|m| m.key != "content" && has_unknown(&m.value))
            }),
            _ => has_unknown(node),
        };
        if outside_blocks_unknown {
            self.bounded = false;
        }
    }

    fn tokens(&self, model: &Model) -> Option<u64> {
        if !self.bounded {
            return None;
        }
        // BPE never makes more tokens than bytes; the newer tokenizer makes up to 1.35x more
        // than the older one.
        let text = match model.tokenizer {
            Tokenizer::Claude3 => self.bytes,
            Tokenizer::Claude47 => (self.bytes * 135).div_ceil(100),
        };
        let tools = if self.tools { TOOL_PROMPT_ALLOWANCE } else { 0 };
        Some(text + self.images * image::max_tokens(model.image_tier) + tools + FORMAT_ALLOWANCE)
    }
}

fn has_unknown(node: &Node) -> bool {
    let mut found = false;
    walk(node, |n| found |= n.is_unknown());
    found
}

/// A custom tool is its JSON; a server tool expands into a description of unknown length.
fn tool_part(tool: &Node) -> Option<Part> {
    let custom = tool
        .get("type")
        .is_none_or(|t| matches!(t.value, Value::Null) || t.as_str() == Some("custom"));
    (custom && !has_unknown(tool)).then(|| Part {
        bytes: tool.range.len() as u64,
        images: 0,
    })
}

/// True when a block's `citations` are absent or switched off: cited documents are split and
/// annotated, which adds text.
fn citations_off(block: &Node) -> bool {
    block.get("citations").is_none_or(|c| {
        matches!(c.value, Value::Null)
            || matches!(
                c.get("enabled").map(|e| &e.value),
                None | Some(Value::Bool(false))
            )
    })
}

/// How deep [`block_part`] follows nested blocks.
const MAX_PART_DEPTH: usize = 3;

/// The bound of one content block. Text-like blocks are their bytes; images their tier's
/// maximum; PDFs, thinking (whose full text is in its signature), encrypted server-tool
/// results, cited documents and unknown blocks have no bound.
fn block_part(block: &Node, depth: usize) -> Option<Part> {
    let bounded = match block_kind(block)? {
        "image" => {
            return Some(Part {
                bytes: 0,
                images: 1,
            });
        }
        "text" | "tool_use" | "server_tool_use" | "tool_result" => true,
        "search_result" => citations_off(block),
        "document" => {
            citations_off(block)
                && matches!(
                    block.get("source").and_then(block_kind),
                    Some("text" | "content")
                )
        }
        _ => false,
    };
    if !bounded || depth >= MAX_PART_DEPTH {
        return None;
    }
    let mut part = Part {
        bytes: block.range.len() as u64,
        images: 0,
    };
    match nested_blocks(block) {
        Some((array, _, _)) => {
            for inner in array.as_array().unwrap_or(&[]) {
                let inner_part = block_part(inner, depth + 1)?;
                part.bytes = part.bytes.saturating_sub(inner.range.len() as u64) + inner_part.bytes;
                part.images += inner_part.images;
            }
            // What is outside the nested blocks must be known too.
            let outside_unknown = block.as_object().is_some_and(|members| {
                members.iter().any(|m| {
                    !matches!(m.key.as_str(), "content" | "source") && has_unknown(&m.value)
                })
            });
            (!outside_unknown).then_some(part)
        }
        None => (!has_unknown(block)).then_some(part),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Facts;
    use crate::syntax::json;

    fn parse(text: &str) -> Node {
        json::parse(text, 0).root.expect("test JSON parses")
    }

    fn total(root: &Node, model: &str) -> Option<u64> {
        let model = Facts::builtin().get(model).expect("known model");
        PrefixBounds::compute(root, model).total
    }

    const SHORT: &str = r#"{"model": "m", "system": "Be terse.", "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}]}"#;

    #[test]
    fn text_counts_its_bytes_and_the_newer_tokenizer_more() {
        let root = parse(SHORT);
        // `"system": "Be terse."` (21 bytes), the message object (61 bytes), plus the
        // formatting allowance.
        assert_eq!(
            total(&root, "claude-sonnet-4-6"),
            Some(21 + 61 + FORMAT_ALLOWANCE)
        );
        assert_eq!(
            total(&root, "claude-opus-5"),
            Some((82u64 * 135).div_ceil(100) + FORMAT_ALLOWANCE)
        );
    }

    #[test]
    fn images_count_their_tier_maximum_not_their_base64() {
        let data = "A".repeat(40_000);
        let text = format!(
            r#"{{"messages": [{{"role": "user", "content": [{{"type": "image", "source": {{"type": "base64", "media_type": "image/png", "data": "{data}"}}}}]}}]}}"#
        );
        let root = parse(&text);
        let wrapper = root.get("messages").unwrap().as_array().unwrap()[0]
            .range
            .len() as u64
            - root.get("messages").unwrap().as_array().unwrap()[0]
                .get("content")
                .unwrap()
                .as_array()
                .unwrap()[0]
                .range
                .len() as u64;
        assert_eq!(
            total(&root, "claude-sonnet-4-6"),
            Some(wrapper + 1_600 + FORMAT_ALLOWANCE)
        );
        assert_eq!(
            total(&root, "claude-opus-5"),
            Some((wrapper * 135).div_ceil(100) + 4_800 + FORMAT_ALLOWANCE)
        );
    }

    #[test]
    fn tools_add_the_tool_prompt() {
        let tool = r#"{"name": "f", "input_schema": {"type": "object"}}"#;
        let root = parse(&format!(r#"{{"tools": [{tool}], "messages": []}}"#));
        assert_eq!(
            total(&root, "claude-sonnet-4-6"),
            Some(tool.len() as u64 + TOOL_PROMPT_ALLOWANCE + FORMAT_ALLOWANCE)
        );
    }

    #[test]
    fn prompts_of_unknown_length_have_no_bound() {
        let unbounded = [
            r#"{"tools": [{"type": "web_search_20250305", "name": "web_search"}], "messages": []}"#,
            r#"{"mcp_servers": [], "messages": []}"#,
            r#"{"output_config": {"format": {"type": "json_schema", "schema": {}}}, "messages": []}"#,
            r#"{"messages": [{"role": "assistant", "content": [{"type": "thinking", "thinking": "", "signature": "x"}]}]}"#,
            r#"{"messages": [{"role": "user", "content": [{"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERg=="}}]}]}"#,
            r#"{"messages": [{"role": "user", "content": [{"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "x"}, "citations": {"enabled": true}}]}]}"#,
            r#"{"messages": [{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": [{"type": "web_fetch_tool_result"}]}]}]}"#,
        ];
        for text in unbounded {
            assert_eq!(total(&parse(text), "claude-sonnet-4-6"), None, "{text}");
        }
        let bounded = r#"{"output_config": {"format": null}, "messages": [{"role": "user", "content": [{"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "x"}, "citations": {"enabled": false}}]}]}"#;
        assert!(total(&parse(bounded), "claude-sonnet-4-6").is_some());
    }

    #[test]
    fn values_computed_at_run_time_have_no_bound() {
        let mut root = parse(SHORT);
        let Value::Object(members) = &mut root.value else {
            unreachable!("an object")
        };
        let messages = members.iter_mut().find(|m| m.key == "messages").unwrap();
        let Value::Array(items) = &mut messages.value.value else {
            unreachable!("an array")
        };
        items[0].value = Value::Unknown;
        assert_eq!(total(&root, "claude-sonnet-4-6"), None);
        let mut root = parse(SHORT);
        let Value::Object(members) = &mut root.value else {
            unreachable!("an object")
        };
        members[2].value.value = Value::Unknown;
        assert_eq!(total(&root, "claude-sonnet-4-6"), None);
    }

    #[test]
    fn ttl_spellings_that_mean_five_minutes_or_an_hour() {
        assert_eq!(ttl_meant("300s"), Some("5m"));
        assert_eq!(ttl_meant("5 min"), Some("5m"));
        assert_eq!(ttl_meant("60m"), Some("1h"));
        assert_eq!(ttl_meant("1hr"), Some("1h"));
        assert_eq!(ttl_meant("3600"), Some("1h"));
        assert_eq!(ttl_meant("2h"), None);
        assert_eq!(ttl_meant("forever"), None);
        assert_eq!(ttl_meant("99999999999999999999h"), None);
    }
}
