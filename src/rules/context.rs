//! The context budget (reference §7-§9, §10 row 33): the estimated input against the model's
//! window, input plus `max_tokens`, the body size in tokens and bytes, trimming fixes and
//! caching advice.
//!
//! The estimate is a pure function of the payload and the model ([`crate::tokens`]). Most
//! requests are far from every limit, and the check proves it without running the BPE: text
//! never has more o200k tokens than bytes, so a byte-count bound under every threshold means no
//! finding is possible. Only requests the bound cannot clear are counted.

use std::sync::{MutexGuard, PoisonError};

use serde_json::json;

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::extract::PayloadKind;
use crate::facts::Model;
use crate::fix::{Edit, Fix};
use crate::rules::conversation::{self, block_kind};
use crate::rules::request::human_size;
use crate::syntax::{Node, TextRange, Value};
use crate::tokens::estimate::{ByteBound, Estimate, Outline, Sums, TokenCache, Walked};
use crate::tokens::trim::{self, IMAGE_PLACEHOLDER};
use crate::tokens::{Band, Kind, Profile};
use crate::words::{counted, thousands};

declare_rules! {
    family: "context";
    prefix: "X";
    /// ## What it does
    /// Reports a request whose estimated input is over the model's context window even at
    /// the low end of the estimate's margin.
    ///
    /// ## Why
    /// The API answers 400 `prompt is too long: N tokens > W maximum`. The estimate counts
    /// text with the o200k BPE times a calibration band per tokenizer generation (there is no
    /// public Claude tokenizer), images from their pixel size and PDFs per page; only its low
    /// end is compared with the window, so a high estimate never makes this error. The message
    /// says what dominates the estimate.
    ///
    /// ## Example
    /// A `claude-haiku-4-5` conversation (200,000-token window) of 120 PDF pages and a long
    /// transcript.
    ///
    /// ## Fix
    /// Drops the oldest turns after the first user message until the estimate is back under
    /// the warning ratio, keeping `tool_use`/`tool_result` pairs and the latest assistant turn
    /// (unsafe: the model no longer sees them). `oversized-block` and `old-images` offer
    /// smaller cuts.
    CONTEXT_WINDOW_EXCEEDED { code: "201", name: "context-window-exceeded", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a request whose estimated input is near the model's context window: at or above
    /// `context-warning-ratio` (default 0.9) of it, but not surely over it.
    ///
    /// ## Why
    /// The estimate has a margin: near the window the API may already answer 400 `prompt is
    /// too long`, and the next turn surely will.
    ///
    /// ## Example
    /// A `claude-opus-5` request of 195 screenshots (about 4,700 tokens each on the
    /// high-resolution tier): 92% of the 1,000,000-token window.
    ///
    /// ## Fix
    /// As for `context-window-exceeded` (unsafe).
    CONTEXT_WINDOW_NEAR { code: "202", name: "context-window-near", severity: Warning, fix: Unsafe }

    /// ## What it does
    /// Reports `max_tokens` that does not fit in the window beside the input, on the older
    /// models that check input and output together.
    ///
    /// ## Why
    /// Models before Claude Sonnet 4.5 answer 400 `input length and `max_tokens` exceed
    /// context limit: I + M > W, decrease input length or `max_tokens` and try again`. Newer
    /// models check the input alone (see `output-room-short`). An error when the low estimate
    /// plus `max_tokens` is over the window, a warning when only the middle one is.
    ///
    /// ## Example
    /// `claude-3-7-sonnet-20250219` (Bedrock) with 156,000 tokens of images and
    /// `max_tokens: 64000`.
    ///
    /// ## Fix
    /// Lowers `max_tokens` to what fits beside the high estimate (unsafe: the answer may be
    /// cut short).
    INPUT_PLUS_MAX_TOKENS { code: "203", name: "input-plus-max-tokens", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a request whose input leaves less room in the window than `max_tokens` (or
    /// than the thinking budget), on models that check the input alone.
    ///
    /// ## Why
    /// From Claude Sonnet 4.5 on the API accepts the request, but generation stops when the
    /// window is full, with stop_reason `model_context_window_exceeded`: a thinking budget
    /// larger than the room left may use all of it and leave no answer.
    ///
    /// ## Example
    /// `claude-haiku-4-5` (200,000-token window) with 156,000 tokens of images,
    /// `max_tokens: 64000` and `thinking.budget_tokens: 50000`.
    OUTPUT_ROOM_SHORT { code: "204", name: "output-room-short", severity: Warning, fix: None }

    /// ## What it does
    /// Explains a body near the platform's size limit in bytes and in tokens: how much of it
    /// is base64 media, which costs few tokens but many bytes.
    ///
    /// ## Why
    /// Over the limit ({api.platform.first-party.max_body_mb} MB on the Claude API, {api.platform.bedrock.max_body_mb} MB on Bedrock, {api.platform.vertex.max_body_mb} MB on Vertex AI) the
    /// request is refused with 413 `request_too_large` whatever its token count. Media sent by
    /// URL or Files API `file_id` costs the same tokens and almost no bytes.
    ///
    /// ## Example
    /// A 31 MB request of which 29 MB are 40 base64 photos (about 62,000 tokens).
    REQUEST_SIZE_NEAR_LIMIT { code: "205", name: "request-size-near-limit", severity: Info, fix: None }

    /// ## What it does
    /// Points out a large static prefix (tools, system prompt, earlier turns) sent without any
    /// `cache_control`, with the tokens a breakpoint at its end would cache. Only reported when
    /// even the low estimate is at least 4,096 tokens and the model's minimum cacheable length.
    ///
    /// ## Why
    /// A cached prefix costs 0.1x on every later request that repeats it (writing it costs
    /// 1.25x once) and is processed faster. Shorter prefixes are silently not cached.
    ///
    /// ## Example
    /// A 6,000-token system prompt on `claude-opus-5` (minimum 512) with no `cache_control`.
    ///
    /// ## Fix
    /// Adds `"cache_control": {"type": "ephemeral"}` to the prefix's last block (unsafe: it
    /// changes what the request costs).
    UNCACHED_PREFIX { code: "206", name: "uncached-prefix", severity: Info, fix: Unsafe }

    /// ## What it does
    /// Points at the largest text or `tool_result` block of a request that is over or near
    /// its window, when it holds a large share of the estimate.
    ///
    /// ## Why
    /// One pasted log or tool output often makes most of a long conversation; cutting its
    /// middle keeps every turn and the structure of the conversation.
    ///
    /// ## Example
    /// A `tool_result` holding a 600 KB log in a `claude-haiku-4-5` conversation.
    ///
    /// ## Fix
    /// Replaces the middle of the text with a visible `[... N characters (~T tokens) cut by
    /// claude-preflight ...]` marker, keeping its head and tail (unsafe).
    OVERSIZED_BLOCK { code: "207", name: "oversized-block", severity: Info, fix: Unsafe }

    /// ## What it does
    /// Points at images in turns older than the last four messages of a request that is over
    /// or near its window.
    ///
    /// ## Why
    /// Screenshots of earlier steps (computer use, browsing) are rarely needed again, and each
    /// costs up to 1,568 tokens (4,784 on the high-resolution tier).
    ///
    /// ## Example
    /// A computer-use conversation that resends 150 earlier screenshots.
    ///
    /// ## Fix
    /// Replaces each of them with a short text placeholder (unsafe: the model no longer sees
    /// them). A placeholder, not a removal, so no `content` is left empty.
    OLD_IMAGES { code: "208", name: "old-images", severity: Info, fix: Unsafe }
}

/// A static prefix is worth `uncached-prefix` from this many tokens (by the low estimate; or
/// the model's minimum cacheable length, when larger): below it a cache saves little.
pub(crate) const LARGE_PREFIX: u64 = 4096;

/// Images in the last this many messages are kept by the `old-images` fix.
pub(crate) const KEEP_IMAGES_IN_LAST: usize = 4;

/// A block holding at least this share of the estimate is worth `oversized-block`.
const OVERSIZED_SHARE: f64 = 0.1;

/// The trimming fixes aim below the warning ratio by this factor, so that the trimmed request
/// is not near the window again at once.
const TRIM_SLACK: f64 = 0.9;

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    let root = payload.root;
    let Some(model) = ctx.model else {
        return;
    };
    if !payload.kind.is_request() || root.as_object().is_none() {
        return;
    }
    if !RULES.iter().any(|r| sink.enabled(r)) {
        return;
    }
    let budget = Budget::new(ctx, model);
    // Over the size limit the request is refused (413) before any token is counted:
    // `request-too-large` says so, and the window does not matter.
    if matches!(
        payload.kind,
        PayloadKind::Messages | PayloadKind::CountTokens
    ) && payload.body_bytes > budget.size_limit
    {
        return;
    }
    // First a bound from the body's size and its media, with no estimate at all: most
    // requests end here.
    if let Some(quick) = quick_bound(root, payload.body_bytes, &budget.profile)
        && !budget.window_in_question(ctx, quick)
        && quick.low < budget.min_prefix()
    {
        return;
    }
    // Then the byte bound: every text's bytes instead of its BPE count. One walk serves the
    // bound, the estimate and the floor.
    let walked = Walked::new(root, &budget.profile);
    let bound = walked.sums(&mut ByteBound);
    if budget.window_in_question(ctx, Band::new(bound.input().low, bound.known().mid, 0)) {
        let outline = walked.outline(&mut *tokens(ctx), |m, b| text_of(root, m, b).is_some());
        let est = &outline.est;
        let over = est.input().low > budget.window;
        let near = !over && est.known().mid as f64 >= budget.warn_at;
        if over || near {
            report_window(ctx, sink, &budget, &outline, over);
            report_oversized_block(ctx, sink, &budget, &outline);
            report_old_images(ctx, sink, &budget, est);
        }
        if !over {
            report_output_room(ctx, sink, &budget, &outline);
        }
        report_size(ctx, sink, &budget, est);
    }
    // The caching advice needs only a floor, which needs no BPE run.
    if payload.kind != PayloadKind::CountTokens
        && bound.prefix().low >= budget.min_prefix()
        && uncached(root)
    {
        let floor = walked.sums(&mut tokens(ctx).pieces());
        report_uncached_prefix(root, sink, &budget, &floor);
    }
}

/// The token cache of the analysis (held only while one estimate runs).
fn tokens<'c>(ctx: &Context<'c>) -> MutexGuard<'c, TokenCache> {
    ctx.tokens.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the checks compare the estimate with.
struct Budget<'a> {
    model: &'a Model,
    /// The id as written (an alias stays an alias).
    name: String,
    profile: Profile,
    window: u64,
    warn_at: f64,
    max_tokens: Option<(&'a Node, u64)>,
    /// `thinking.budget_tokens` with manual thinking.
    thinking_budget: Option<u64>,
    size_limit: u64,
}

impl<'a> Budget<'a> {
    fn new(ctx: &Context<'a>, model: &'a Model) -> Self {
        let root = ctx.payload.root;
        let ratio = ctx.options.context_warning_ratio.clamp(0.0, 1.0);
        let max_tokens = match ctx.payload.kind {
            PayloadKind::CountTokens => None,
            _ => root.get("max_tokens").and_then(|n| Some((n, n.as_u64()?))),
        };
        let thinking = root.get("thinking");
        let thinking_budget = thinking
            .filter(|t| t.get("type").and_then(Node::as_str) == Some("enabled"))
            .and_then(|t| t.get("budget_tokens"))
            .and_then(Node::as_u64);
        Budget {
            model,
            name: ctx.payload.model_id().unwrap_or(&model.id).to_owned(),
            profile: Profile::for_model(Some(model)),
            window: model.context_window,
            warn_at: ratio * model.context_window as f64,
            max_tokens,
            thinking_budget,
            size_limit: ctx.payload.dialect.max_body_bytes(),
        }
    }

    /// "claude-opus-5's 1,000,000-token context window".
    fn window_phrase(&self) -> String {
        format!(
            "{}'s {}-token context window",
            self.name,
            thousands(self.window)
        )
    }

    /// The middle estimate the trimming fixes aim at.
    fn trim_target(&self) -> u64 {
        let mut target = (self.warn_at * TRIM_SLACK) as u64;
        if let (true, Some((_, max))) = (self.profile.combined_window, self.max_tokens) {
            target = target.min(self.window.saturating_sub(max));
        }
        target
    }

    /// True when the byte bound `bound` (never below the real estimate) does not rule out
    /// every window and size finding, so the text must be counted.
    fn window_in_question(&self, ctx: &Context<'_>, bound: Band) -> bool {
        let output = self.max_tokens.map_or(0, |(_, m)| m);
        bound.mid as f64 >= self.warn_at
            || bound.low > self.window
            || bound.mid + output > self.window
            || self.near_size_limit(ctx)
    }

    /// The smallest prefix `uncached-prefix` reports.
    fn min_prefix(&self) -> u64 {
        self.model.min_cache_tokens.max(LARGE_PREFIX)
    }

    fn near_size_limit(&self, ctx: &Context<'_>) -> bool {
        let bytes = ctx.payload.body_bytes;
        matches!(
            ctx.payload.kind,
            PayloadKind::Messages | PayloadKind::CountTokens
        ) && bytes <= self.size_limit
            && bytes as f64 >= ctx.options.context_warning_ratio * self.size_limit as f64
    }
}

/// A bound of the estimate's low and middle ends from the body's size, with one light walk
/// and no estimate. A text has no more o200k tokens than bytes, and its bytes are
/// part of the body's; the JSON text the estimate builds for tool definitions and inputs is
/// at most twice the bytes it was written in (YAML drops the quotes JSON adds, and JSON
/// escapes quotes and backslashes a YAML plain scalar leaves bare); a message is at least 29
/// bytes of JSON, which bounds its framing; images and tools add at most their tier's or
/// table's largest cost. `None` when the body holds documents, whose pages are not bounded
/// by their bytes.
fn quick_bound(root: &Node, body_bytes: u64, profile: &Profile) -> Option<Band> {
    let mut media = 0u64;
    let mut documents = false;
    crate::syntax::walk(root, |node| match block_kind(node) {
        Some("image") => media += u64::from(profile.image.max_tokens),
        Some("document") => documents = true,
        _ => {}
    });
    if documents {
        return None;
    }
    let tools = root
        .get("tools")
        .and_then(Node::as_array)
        .map_or(0, <[Node]>::len) as u64;
    let priced = profile
        .tool_definitions
        .iter()
        .map(|&(_, t)| t)
        .max()
        .unwrap_or(0);
    let fixed = media
        + profile
            .tool_prompt_any
            .high
            .max(profile.tool_prompt_auto.high)
        + tools * priced;
    let text = 2.0 * body_bytes as f64;
    let messages = body_bytes.div_ceil(29);
    Some(Band::new(
        (text * profile.factors.low).ceil() as u64 + messages * profile.message.low + fixed,
        (text * profile.factors.mid).ceil() as u64 + messages * profile.message.mid + fixed,
        0,
    ))
}

/// "~1,234 tokens (1,000-1,500)".
fn band_phrase(band: Band) -> String {
    if band.low == band.high {
        format!("{} tokens", thousands(band.mid))
    } else {
        format!(
            "~{} tokens ({}-{})",
            thousands(band.mid),
            thousands(band.low),
            thousands(band.high)
        )
    }
}

fn percent(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        0
    } else {
        (part as f64 * 100.0 / whole as f64).round() as u64
    }
}

/// What dominates the estimate: its largest kind and its largest message, as shares.
fn dominant(ctx: &Context<'_>, outline: &Outline) -> String {
    let est = &outline.est;
    let total = est.input().mid;
    let mut parts = Vec::new();
    if let Some(&(kind, band)) = est.total.largest().first() {
        let what = match kind {
            Kind::Images => counted(u64::from(est.images), "image"),
            Kind::Documents if est.pdf_pages > 0 => format!(
                "documents ({})",
                counted(u64::from(est.pdf_pages), "PDF page")
            ),
            Kind::Documents => "documents".into(),
            Kind::Text => "message text".into(),
            Kind::Tools => "tool definitions, calls and results".into(),
            Kind::System => "the system prompt".into(),
            Kind::Thinking => "thinking blocks".into(),
        };
        parts.push(format!(
            "{what} = {}% of the estimate",
            percent(band.mid, total)
        ));
    }
    let largest = outline
        .messages
        .iter()
        .enumerate()
        .max_by_key(|(_, m)| m.mid);
    if let Some((index, tokens)) = largest
        && outline.messages.len() > 1
    {
        parts.push(format!(
            "the largest message, `{}`, = {}%",
            ctx.payload.api_path(&format!("messages.{index}")),
            percent(tokens.mid, total)
        ));
    }
    parts.join(", ")
}

/// The range findings about the whole conversation point at: the `messages` key.
fn messages_range(root: &Node) -> TextRange {
    root.member("messages")
        .map_or(root.range.head(1), |m| m.key_range)
}

fn report_window(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    budget: &Budget<'_>,
    outline: &Outline,
    over: bool,
) {
    let est = &outline.est;
    let input = est.input();
    let root = ctx.payload.root;
    let margin = format!(
        "the estimate's margin is {:.2}-{:.2}x o200k tokens for this tokenizer",
        budget.profile.factors.low, budget.profile.factors.high
    );
    let (rule, message) = if over {
        (
            &CONTEXT_WINDOW_EXCEEDED,
            format!(
                "the estimated input, {}, is over {} even at the low end ({margin}): the API answers 400 `prompt is too long: {} tokens > {} maximum`; {}",
                band_phrase(input),
                budget.window_phrase(),
                input.low,
                budget.window,
                dominant(ctx, outline)
            ),
        )
    } else {
        let known = est.known();
        let not_sized = if est.unsized_images > 0 {
            format!(
                " (not counting {} whose size is not known here)",
                counted(u64::from(est.unsized_images), "image")
            )
        } else {
            String::new()
        };
        let answer = if known.mid > budget.window {
            "probably over it: the API answers 400 `prompt is too long` unless the input counts at the low end"
        } else {
            "the API may answer 400 `prompt is too long`, and the next turn will"
        };
        (
            &CONTEXT_WINDOW_NEAR,
            format!(
                "the estimated input, {}{not_sized}, is {}% of {} (warning from {}%; {margin}): {answer}; {}",
                band_phrase(known),
                percent(known.mid, budget.window),
                budget.window_phrase(),
                percent(budget.warn_at as u64, budget.window),
                dominant(ctx, outline)
            ),
        )
    };
    let fix = trim::drop_oldest_turns(root, outline, budget.trim_target()).and_then(|plan| {
        let array = root.get("messages")?;
        let items = array.as_array()?;
        let edits = vec![Edit::remove_elements(array, &items[plan.first..=plan.last])?];
        let goal = if plan.reaches_target {
            ""
        } else {
            "; not enough alone"
        };
        Some(Fix::unsafe_(
            format!(
                "Drop messages {}-{}, the oldest turns after the first user message (saves ~{} tokens{goal})",
                plan.first,
                plan.last,
                thousands(plan.saves.mid)
            ),
            edits,
        ))
    });
    sink.report_fix(rule, messages_range(root), message, fix);
}

/// The text of block `b` of message `m` (0 for a string `content`), when it is a string the
/// `oversized-block` fix can shorten: a string `content`, a text block's `text`, or the
/// longest text of a `tool_result`. Found by index, as the outline asks for each block larger
/// than those before it.
fn text_of(root: &Node, m: usize, b: usize) -> Option<&Node> {
    let content = message_content(root, m)?;
    let text = match &content.value {
        Value::String(_) => Some(content),
        Value::Array(blocks) => {
            let block = blocks.get(b)?;
            match block_kind(block)? {
                "text" => block.get("text"),
                "tool_result" => tool_result_text(block),
                _ => None,
            }
        }
        _ => None,
    };
    text.filter(|n| n.as_str().is_some())
}

/// The `content` of message `m`.
fn message_content(root: &Node, m: usize) -> Option<&Node> {
    root.get("messages")?.as_array()?.get(m)?.get("content")
}

/// The largest text or `tool_result` text of the conversation, with its tokens and its path.
fn largest_text<'a>(root: &'a Node, outline: &Outline) -> Option<(&'a Node, Band, String)> {
    let (m, b, tokens) = outline.largest_block?;
    let node = text_of(root, m, b)?;
    let path = match message_content(root, m)?.value {
        Value::String(_) => format!("messages.{m}.content"),
        _ => format!("messages.{m}.content.{b}"),
    };
    Some((node, tokens, path))
}

fn tool_result_text(block: &Node) -> Option<&Node> {
    let content = block.get("content")?;
    match &content.value {
        Value::String(_) => Some(content),
        Value::Array(items) => items
            .iter()
            .filter(|b| block_kind(b) == Some("text"))
            .filter_map(|b| b.get("text"))
            .max_by_key(|t| t.as_str().map_or(0, str::len)),
        _ => None,
    }
}

fn report_oversized_block(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    budget: &Budget<'_>,
    outline: &Outline,
) {
    let total = outline.est.input();
    let Some((node, tokens, path)) = largest_text(ctx.payload.root, outline) else {
        return;
    };
    if (tokens.mid as f64) < OVERSIZED_SHARE * total.mid as f64 {
        return;
    }
    let text = node.as_str().unwrap_or("");
    let need = total.mid.saturating_sub(budget.trim_target());
    // Cut what the request needs, but keep at least a tenth of the block.
    let cut_tokens = need.min(tokens.mid * 9 / 10);
    let fraction = cut_tokens as f64 / tokens.mid.max(1) as f64;
    // A text this tool already cut is not cut again: fixing twice must equal fixing once.
    let already_cut = text.contains(trim::CUT_MARKER);
    let fix = trim::truncate(text, fraction, cut_tokens)
        .filter(|_| !already_cut)
        .map(|cut| {
            Fix::unsafe_(
                format!(
                    "Cut the middle of this text, keeping its head and tail (saves ~{} tokens)",
                    thousands(cut_tokens)
                ),
                vec![Edit::replace_value(node, json!(cut))],
            )
        });
    let message = format!(
        "`{}` alone is {} = {}% of the estimated input ({}) for {}",
        ctx.payload.api_path(&path),
        band_phrase(tokens),
        percent(tokens.mid, total.mid),
        band_phrase(total),
        budget.window_phrase()
    );
    sink.report_fix(&OVERSIZED_BLOCK, node.range, message, fix);
}

fn report_old_images(ctx: &Context<'_>, sink: &mut Sink<'_>, budget: &Budget<'_>, est: &Estimate) {
    let root = ctx.payload.root;
    let Some(old) = trim::old_images(root, &budget.profile, KEEP_IMAGES_IN_LAST) else {
        return;
    };
    let total = est.input();
    let count = old.blocks.len() as u64;
    let edits = old
        .blocks
        .iter()
        .map(|image| {
            let mut placeholder = json!({"type": "text", "text": IMAGE_PLACEHOLDER});
            if let Some(cache) = image.get("cache_control").and_then(Node::to_json) {
                placeholder["cache_control"] = cache;
            }
            Edit::replace_value(image, placeholder)
        })
        .collect();
    let fix = Fix::unsafe_(
        format!(
            "Replace the {} older than the last {KEEP_IMAGES_IN_LAST} messages with a text placeholder (saves ~{} tokens)",
            counted(count, "image"),
            thousands(old.saves.mid)
        ),
        edits,
    );
    let message = format!(
        "{} in messages 0-{} (older than the last {KEEP_IMAGES_IN_LAST} messages) cost {} = {}% of the estimated input ({}) for {}",
        counted(count, "image"),
        old.newest,
        band_phrase(old.saves),
        percent(old.saves.mid, total.mid),
        band_phrase(total),
        budget.window_phrase()
    );
    let at = old
        .blocks
        .first()
        .map_or(messages_range(root), |b| b.range.head(1));
    sink.report_fix(&OLD_IMAGES, at, message, Some(fix));
}

fn report_output_room(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    budget: &Budget<'_>,
    outline: &Outline,
) {
    let est = &outline.est;
    let Some((node, max_tokens)) = budget.max_tokens else {
        return;
    };
    // Over the model's output limit, `max-tokens-over-limit` reports it first.
    let model = budget.model;
    if max_tokens > model.max_output.max(model.batch_max_output.unwrap_or(0)) {
        return;
    }
    let input = est.known();
    let window = budget.window;
    if budget.profile.combined_window {
        let severity = if input.low + max_tokens > window {
            super::Severity::Error
        } else if input.mid + max_tokens > window {
            super::Severity::Warning
        } else {
            return;
        };
        let fits = window.saturating_sub(input.high).min(model.max_output);
        let fix = (fits > 0).then(|| {
            Fix::unsafe_(
                format!("Lower `max_tokens` to {fits}, what fits beside the high estimate"),
                vec![Edit::replace_value(node, json!(fits))],
            )
        });
        let shown = if severity == super::Severity::Error {
            input.low
        } else {
            input.mid
        };
        let message = format!(
            "the estimated input, {}, plus `max_tokens` {} is over {}, and {} checks input and output together: the API answers 400 `input length and `max_tokens` exceed context limit: {shown} + {max_tokens} > {window}, decrease input length or `max_tokens` and try again`; {}",
            band_phrase(input),
            thousands(max_tokens),
            budget.window_phrase(),
            budget.name,
            dominant(ctx, outline)
        );
        sink.report_at(severity, &INPUT_PLUS_MAX_TOKENS, node.range, message, fix);
        return;
    }
    // An input already over the window by the middle estimate is `context-window-near`'s.
    let room = window.saturating_sub(input.mid);
    if input.mid + max_tokens <= window || room == 0 {
        return;
    }
    let thinking = match budget.thinking_budget {
        Some(b) if b >= room => format!(
            "; thinking (`budget_tokens` {}) alone may fill that room and leave no answer",
            thousands(b)
        ),
        _ => String::new(),
    };
    let message = format!(
        "the estimated input, {}, leaves about {} tokens of {} for output, less than `max_tokens` {}: the API accepts the request, but the response stops with stop_reason `model_context_window_exceeded` when the window is full{thinking}",
        band_phrase(input),
        thousands(room),
        budget.window_phrase(),
        thousands(max_tokens)
    );
    sink.report(&OUTPUT_ROOM_SHORT, node.range, message);
}

fn report_size(ctx: &Context<'_>, sink: &mut Sink<'_>, budget: &Budget<'_>, est: &Estimate) {
    if !budget.near_size_limit(ctx) {
        return;
    }
    let bytes = ctx.payload.body_bytes;
    let media_tokens = est.total.get(Kind::Images) + est.total.get(Kind::Documents);
    let message = format!(
        "the body is {} of the {} {} accepts ({}%): {} of it is base64 media ({}, {}) that costs {}, and the estimated input is {} for {}; a little more and it answers 413 `request_too_large`. Media sent by URL or Files API `file_id` costs the same tokens and almost no bytes",
        human_size(bytes),
        human_size(budget.size_limit),
        ctx.payload.dialect.name(),
        percent(bytes, budget.size_limit),
        human_size(est.media_bytes),
        counted(u64::from(est.images), "image"),
        counted(u64::from(est.pdf_pages), "PDF page"),
        band_phrase(media_tokens),
        band_phrase(est.input()),
        budget.window_phrase()
    );
    sink.report(
        &REQUEST_SIZE_NEAR_LIMIT,
        ctx.payload.root.range.head(1),
        message,
    );
}

/// True when no `cache_control` appears anywhere in the request.
fn uncached(root: &Node) -> bool {
    let mut found = false;
    crate::syntax::walk(root, |node| {
        found |= node.member("cache_control").is_some();
    });
    !found
}

/// Where a breakpoint ending the static prefix goes: the last block that may carry
/// `cache_control` in the last message before the final one, else in `system`, else in
/// `tools`. Also says what the prefix is made of.
fn breakpoint(root: &Node) -> Option<(&Node, String)> {
    let previous = conversation::messages(root).rev().nth(1);
    let cacheable = |b: &&Node| {
        !matches!(block_kind(b), Some("thinking" | "redacted_thinking"))
            && b.get("text").and_then(Node::as_str) != Some("")
            && b.as_object().is_some()
    };
    if let Some(previous) = previous {
        let what = format!("the tools, system prompt and messages 0-{}", previous.index);
        match previous.content.map(|c| &c.value) {
            Some(Value::String(_)) => return Some((previous.content?, what)),
            Some(Value::Array(blocks)) => {
                if let Some(block) = blocks.iter().rev().find(cacheable) {
                    return Some((block, what));
                }
            }
            _ => {}
        }
    }
    if let Some(system) = root.get("system") {
        match &system.value {
            Value::String(_) => return Some((system, "the tools and system prompt".into())),
            Value::Array(blocks) => {
                if let Some(block) = blocks.iter().rev().find(cacheable) {
                    return Some((block, "the tools and system prompt".into()));
                }
            }
            _ => {}
        }
    }
    let tool = root.get("tools")?.as_array()?.last()?;
    Some((tool, "the tool definitions".into()))
}

/// Reports the uncached prefix from `floor`, an estimate whose texts are counted by their
/// [`PieceBound`](crate::tokens::estimate::PieceBound): never above the real count.
fn report_uncached_prefix(root: &Node, sink: &mut Sink<'_>, budget: &Budget<'_>, floor: &Sums) {
    let cached = floor.prefix();
    if cached.low < budget.min_prefix() {
        return;
    }
    let Some((node, what)) = breakpoint(root) else {
        return;
    };
    let marker = json!({"type": "ephemeral"});
    let edit = match &node.value {
        // A string `system` or message `content` becomes one text block carrying the marker.
        Value::String(text) => Edit::replace_value(
            node,
            json!([{"type": "text", "text": text, "cache_control": marker}]),
        ),
        _ => Edit::insert_member(node, "cache_control", marker),
    };
    let message = format!(
        "{what} (at least {} tokens) are sent without `cache_control`: a breakpoint at their end would cache them for the requests that repeat them (reads cost 0.1x, the first write 1.25x); {} caches prefixes of {}+ tokens",
        thousands(cached.low),
        budget.name,
        thousands(budget.model.min_cache_tokens)
    );
    let fix = Fix::unsafe_(
        format!(
            "Add a cache breakpoint here (caches at least {} tokens)",
            thousands(cached.low)
        ),
        vec![edit],
    );
    sink.report_fix(&UNCACHED_PREFIX, node.range.head(1), message, Some(fix));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Payload;
    use crate::facts::{Dialect, Facts};
    use crate::rules::Options;
    use crate::syntax::json::parse;
    use crate::tokens::estimate::estimate;

    fn options(ratio: f64) -> Options {
        Options {
            today: jiff::civil::date(2026, 11, 25),
            api_version: Default::default(),
            default_model: None,
            context_warning_ratio: ratio,
            betas: Vec::new(),
        }
    }

    fn run(body: &str, body_bytes: u64, ratio: f64) -> Vec<(&'static str, String)> {
        run_fixes(body, body_bytes, ratio)
            .into_iter()
            .map(|(name, message, _)| (name, message))
            .collect()
    }

    fn run_fixes(body: &str, body_bytes: u64, ratio: f64) -> Vec<(&'static str, String, bool)> {
        let root = parse(body, 0).root.unwrap();
        let payload = Payload {
            root: &root,
            kind: PayloadKind::Messages,
            dialect: Dialect::FirstParty,
            path: String::new(),
            body_bytes,
            call: None,
            stored: false,
        };
        let facts = Facts::builtin();
        let model = payload.model_id().and_then(|id| facts.get(id));
        let options = options(ratio);
        crate::rules::testing::findings_of(&payload, facts, model, &options, "", check)
            .into_iter()
            .map(|f| (f.rule.name, f.message, f.fix.is_some()))
            .collect()
    }

    #[test]
    fn a_text_already_cut_is_not_cut_again() {
        let body = |text: &str| {
            format!(
                r#"{{"model": "claude-haiku-4-5", "max_tokens": 100, "messages": [{{"role": "user", "content": "{text}"}}]}}"#
            )
        };
        let long = "lorem ipsum dolor sit amet ".repeat(8000);
        let fresh = run_fixes(&body(&long), body(&long).len() as u64, 0.2);
        assert_eq!(fresh[1].0, "oversized-block");
        assert!(fresh[1].2);
        let cut = format!(
            "{long}[... 9 characters (~2 tokens) {} ...]",
            trim::CUT_MARKER
        );
        let again = run_fixes(&body(&cut), body(&cut).len() as u64, 0.2);
        assert_eq!(again[1].0, "oversized-block");
        assert!(!again[1].2, "offered a second cut");
    }

    #[test]
    fn a_body_near_the_size_limit_is_explained_in_bytes_and_tokens() {
        let body = format!(
            r#"{{"model": "claude-opus-5", "max_tokens": 1024, "messages": [{{"role": "user", "content": [{{"type": "image", "source": {{"type": "base64", "media_type": "image/png", "data": "{}"}}}}]}}]}}"#,
            crate::tokens::media::tests::png(1000, 1000) + &"A".repeat(1 << 20)
        );
        let mb = 1024 * 1024;
        let found = run(&body, 30 * mb, 0.9);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "request-size-near-limit");
        assert_eq!(
            found[0].1,
            "the body is 30.0 MB of the 32.0 MB the Claude API accepts (94%): 1.0 MB of it is base64 media (1 image, 0 PDF pages) that costs 1,296 tokens, and the estimated input is ~1,300 tokens (1,296-1,304) for claude-opus-5's 1,000,000-token context window; a little more and it answers 413 `request_too_large`. Media sent by URL or Files API `file_id` costs the same tokens and almost no bytes"
        );
        // Under the ratio, or over the limit (`request-too-large` reports that): nothing.
        assert!(run(&body, 20 * mb, 0.9).is_empty());
        assert!(run(&body, 33 * mb, 0.9).is_empty());
    }

    #[test]
    fn the_warning_ratio_comes_from_the_options() {
        let body = format!(
            r#"{{"model": "claude-haiku-4-5", "max_tokens": 100, "messages": [{{"role": "user", "content": "{}"}}]}}"#,
            "lorem ipsum dolor sit amet ".repeat(8000)
        );
        assert!(run(&body, body.len() as u64, 0.9).is_empty());
        let found = run(&body, body.len() as u64, 0.2);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[1].0, "oversized-block");
        assert_eq!(found[0].0, "context-window-near");
        assert!(
            found[0].1.contains("% of claude-haiku-4-5's 200,000-token context window (warning from 20%; the estimate's margin is 1.00-1.50x o200k tokens for this tokenizer)"),
            "{}",
            found[0].1
        );
    }

    #[test]
    fn images_of_unknown_size_never_make_a_warning_alone() {
        let url =
            r#"{"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}},"#;
        let body = format!(
            r#"{{"model": "claude-opus-5", "max_tokens": 1024, "messages": [{{"role": "user", "content": [{}{{"type": "text", "text": "Which differ?"}}]}}]}}"#,
            url.repeat(300)
        );
        // 300 x 4,784 assumed tokens would be 144% of the window.
        assert!(run(&body, body.len() as u64, 0.9).is_empty());
    }

    #[test]
    fn a_body_over_the_size_limit_is_left_to_request_too_large() {
        let body = format!(
            r#"{{"model": "claude-haiku-4-5", "max_tokens": 100, "messages": [{{"role": "user", "content": "{}"}}]}}"#,
            "lorem ipsum dolor sit amet ".repeat(40_000)
        );
        assert_eq!(
            run(&body, body.len() as u64, 0.9)[0].0,
            "context-window-exceeded"
        );
        assert!(run(&body, 33 * 1024 * 1024, 0.9).is_empty());
    }

    #[test]
    fn the_quick_bound_is_never_below_the_byte_bound() {
        let profile = Profile::for_model(Facts::builtin().get("claude-haiku-4-5"));
        let json = r#"{"model": "claude-haiku-4-5", "max_tokens": 10, "tools": [{"name": "f", "description": "say \"hi\"", "input_schema": {"type": "object"}}, {"type": "bash_20250124", "name": "bash"}], "messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "f", "input": {"q": "x"}}]}]}"#;
        let yaml = "model: claude-haiku-4-5\nmax_tokens: 10\ntools:\n- name: f\n  description: say \"hi\" \\ back\n  input_schema: {type: object, properties: {a: {type: string}}}\nmessages:\n- role: user\n  content: a\n- role: assistant\n  content:\n  - {type: tool_use, id: t, name: f, input: {q: x, r: [1, 2, 3]}}\n";
        let trees = [
            (
                json.len(),
                crate::syntax::json::parse(json, 0).root.unwrap(),
            ),
            (
                yaml.len(),
                crate::syntax::yaml::parse(yaml)
                    .into_iter()
                    .next()
                    .and_then(|d| d.root)
                    .unwrap(),
            ),
        ];
        for (bytes, root) in &trees {
            let quick = quick_bound(root, *bytes as u64, &profile).unwrap();
            let bound = estimate(root, &profile, &mut ByteBound);
            assert!(
                quick.low >= bound.input().low,
                "{quick:?} {:?}",
                bound.input()
            );
            assert!(
                quick.mid >= bound.known().mid,
                "{quick:?} {:?}",
                bound.input()
            );
        }
    }

    #[test]
    fn nothing_without_a_known_model() {
        let body = r#"{"model": "my-proxy", "max_tokens": 100000000, "messages": [{"role": "user", "content": "Hi"}]}"#;
        assert!(run(body, body.len() as u64, 0.0).is_empty());
    }
}
