//! The request against the JSON Schemas that ship in `schemas/`: every field's type, every
//! block's shape, closed objects. The family runs last and reports only what no dedicated rule
//! reported at the same place, so one mistake gives one finding.
//!
//! Errors are mapped back through the schema's evaluation path, so each finding sits on the exact
//! key or value and quotes the API's own pydantic-style message, with the union tags the API puts
//! in its paths (`tools.0.custom.input_schema`, `messages.1.content.0.thinking.cache_control`).
//! Two annotations in the schema drive this: `x-api-tag` on a union member (the tag the API adds
//! to the path) and `x-api-discriminator` on a union keyed on `type` (its noun in messages).
//!
//! Cost: the validator reads the payload tree in place (the `instance` module), and decides validity with
//! a `oneOf` form of the schema that it dispatches on `type`; only an invalid payload pays for
//! the `if`/`then` form that lists errors.

use std::collections::HashSet;

mod instance;
mod load;
mod locate;
mod message;

use load::{BATCH_ENVELOPE, COUNT_TOKENS, Compiled, MESSAGES};
use message::{Findings, describe};

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::extract::PayloadKind;
use crate::syntax::TextRange;

declare_rules! {
    family: "schema";
    prefix: "V";
    /// ## What it does
    /// Checks a request against the JSON Schema of the Messages API that ships with
    /// claude-preflight (`schemas/messages-request.schema.json`, and its count_tokens and
    /// Message Batches companions): the type of every field; the shape of every message,
    /// content block, image and document source, tool, `tool_choice`, `thinking`,
    /// `output_config` and `cache_control` object; allowed values; and keys the API does not
    /// know. It reports only what no dedicated rule already reported at the same place.
    ///
    /// ## Why
    /// The API validates the whole body before anything else and rejects a wrong type or an
    /// unknown key with 400 `invalid_request_error` and a pydantic-style message such as
    /// `stream: Input should be a valid boolean` or
    /// `messages.0.content.0.text.cache: Extra inputs are not permitted`. Each finding quotes
    /// the message the API would answer, with the path it would name.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "model": "claude-opus-5",
    ///   "max_tokens": 1024,
    ///   "stream": "yes",
    ///   "cache_control": {"type": "persistent"},
    ///   "messages": [{"role": "user", "content": "Hello"}]
    /// }
    /// ```
    /// reports `stream: Input should be a valid boolean` on `"yes"`, and
    /// `cache_control: Input tag 'persistent' found using 'type' does not match any of the
    /// expected tags: 'ephemeral'` on `"persistent"`.
    SCHEMA_VIOLATION { code: "101", name: "schema-violation", severity: Error, fix: None }
}

/// Where the schemas are published; their `$id`s start with it.
pub(crate) const SCHEMA_BASE: &str =
    "https://raw.githubusercontent.com/claude-preflight/claude-preflight/main/schemas/";

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if sink.enabled(&SCHEMA_VIOLATION) {
        report(ctx, violations(ctx, Walks::ValidityFirst), sink);
    }
}

/// What the schema finds wrong with a payload, described, before the findings of other
/// families are taken out of it: for each error, the object it is about and its findings.
pub(crate) type Violations = Vec<(Option<TextRange>, Findings)>;

/// How [`violations`] walks a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Walks {
    /// The quick validity check first, and the errors listed only when it fails: the cheaper
    /// way for the valid payloads most are.
    ValidityFirst,
    /// The errors listed at once: one walk where an invalid payload takes two. Beside the
    /// other families the walk is off the critical path when the payload is valid (listing no
    /// errors costs a third more than the check), and saves a whole walk when it is not.
    ListingOnly,
}

/// Validates one payload against its schema and describes each error: the long walk of this
/// family, a pure function of the payload, which [`super::check`] runs beside the other
/// families on a large payload. Empty when the payload is valid or has no schema (the quick
/// check and the listing agree on validity: `load`'s tests hold them to the published
/// schema's verdict).
pub(crate) fn violations(ctx: &Context<'_>, walks: Walks) -> Violations {
    let payload = ctx.payload;
    // A Text Completions body gets one finding (`text-completions-body`), not one per field.
    if crate::extract::text_completions_prompt(payload.root).is_some() {
        return Vec::new();
    }
    let schema: &Compiled = match payload.kind {
        PayloadKind::Messages | PayloadKind::BatchItem => &MESSAGES,
        PayloadKind::CountTokens => &COUNT_TOKENS,
        PayloadKind::Batch => &BATCH_ENVELOPE,
        // Not a body: `rules::check` runs only the model checks on it.
        PayloadKind::ModelReference => return Vec::new(),
    };
    if walks == Walks::ValidityFirst && schema.fast.is_valid(payload.root) {
        return Vec::new();
    }
    // Described one at a time: an error carries a copy of the value it is about.
    schema
        .full()
        .iter_errors(payload.root)
        .map(|error| describe(payload, schema, &error))
        .collect()
}

/// Reports the schema's errors on one payload where no other family's finding names the
/// problem already.
pub(crate) fn report(ctx: &Context<'_>, violations: Violations, sink: &mut Sink<'_>) {
    if violations.is_empty() {
        return;
    }
    // A store's own fields are not sent (`request::store_fields`).
    let taken: Vec<TextRange> = sink
        .covered()
        .chain(super::request::store_fields(ctx.payload).map(|m| m.key_range))
        .collect();
    let mut seen = HashSet::new();
    for (about, findings) in violations {
        // A dedicated finding anywhere in the object the error is about already names the
        // problem (e.g. an image block in `system`: the schema would add "`text` is missing").
        if about.is_some_and(|about| taken.iter().any(|&t| about.contains_range(t))) {
            continue;
        }
        for (range, message) in findings {
            if taken.iter().any(|&t| overlaps(t, range)) || !seen.insert((range, message.clone())) {
                continue;
            }
            sink.report(&SCHEMA_VIOLATION, range, message);
        }
    }
}

/// True when two ranges share a byte, or one lies inside the other (an empty range included).
fn overlaps(a: TextRange, b: TextRange) -> bool {
    (a.start < b.end && b.start < a.end) || a.contains_range(b) || b.contains_range(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Payload;
    use crate::facts::Dialect;
    use crate::rules::Options;
    use crate::syntax::{Member, Node, Value, json};

    pub(super) fn parse(text: &str) -> Node {
        let parse = json::parse(text, 0);
        assert!(parse.errors.is_empty(), "{:?}", parse.errors);
        parse.root.expect("a value")
    }

    /// Runs this family alone over `root` as a payload of `kind`, after `before` (findings of
    /// earlier families); returns `(text at the range, message)` of each schema finding, in
    /// source order.
    fn run_with(
        text: &str,
        root: &Node,
        kind: PayloadKind,
        before: &[TextRange],
    ) -> Vec<(String, String)> {
        let payload = Payload {
            root,
            kind,
            dialect: Dialect::FirstParty,
            path: String::new(),
            body_bytes: text.len() as u64,
            call: None,
            stored: false,
        };
        let options = Options::new(jiff::civil::date(2026, 11, 25));
        let mut findings = crate::rules::testing::findings_of(
            &payload,
            crate::facts::Facts::builtin(),
            None,
            &options,
            text,
            |ctx, sink| {
                for &range in before {
                    sink.report(&crate::rules::request::UNKNOWN_PARAMETER, range, "earlier");
                }
                check(ctx, sink);
            },
        );
        findings.sort_by_key(|f| f.range);
        findings
            .into_iter()
            .filter(|f| f.rule == &SCHEMA_VIOLATION)
            .map(|f| (text[f.range.to_range()].to_owned(), f.message))
            .collect()
    }

    fn run(text: &str) -> Vec<(String, String)> {
        run_with(text, &parse(text), PayloadKind::Messages, &[])
    }

    /// An error on an object too large to copy into the error (`instance::COPIED_UP_TO`) gives
    /// the finding it gives on a small one.
    #[test]
    fn an_unknown_key_on_a_large_request_reads_as_on_a_small_one() {
        let body = |text: &str| {
            format!(
                r#"{{"model": "claude-opus-5", "max_tokens": 1, "messages": [{{"role": "user", "content": "{text}"}}], "n": 1}}"#
            )
        };
        let large = run(&body(&"word ".repeat(20_000)));
        assert_eq!(large, run(&body("word")));
        assert_eq!(large.len(), 1);
        assert_eq!(large[0].0, "\"n\"");
    }

    /// The node at a JSON pointer of the tree (objects by key, arrays by index).
    fn at<'a>(node: &'a mut Node, pointer: &str) -> &'a mut Node {
        pointer
            .split('/')
            .skip(1)
            .fold(node, |node, step| match &mut node.value {
                Value::Object(members) => {
                    &mut members
                        .iter_mut()
                        .rev()
                        .find(|m| m.key == step)
                        .expect(step)
                        .value
                }
                Value::Array(items) => &mut items[step.parse::<usize>().expect("an index")],
                _ => panic!("no {step} under a scalar"),
            })
    }

    fn make_unknown(root: &mut Node, pointer: &str) {
        at(root, pointer).value = Value::Unknown;
    }

    /// Adds a `**spread` member to the object at `pointer`.
    fn add_spread(root: &mut Node, pointer: &str) {
        let object = at(root, pointer);
        let start = object.range.start as usize + 1;
        let Value::Object(members) = &mut object.value else {
            panic!("not an object")
        };
        members.push(Member {
            key: String::new(),
            key_range: TextRange::empty(start),
            value: Node::new(TextRange::new(start, start + 1), Value::Unknown),
        });
    }

    const BASE: &str = r#""model": "claude-opus-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]"#;

    fn body(extra: &str) -> String {
        format!("{{{BASE}, {extra}}}")
    }

    fn one(findings: Vec<(String, String)>) -> (String, String) {
        assert_eq!(findings.len(), 1, "{findings:#?}");
        findings.into_iter().next().expect("one finding")
    }

    #[test]
    fn valid_requests_give_nothing() {
        assert_eq!(
            run(&body(r#""stream": true, "metadata": {"user_id": "u1"}"#)),
            vec![]
        );
    }

    #[test]
    fn wrong_type_is_reported_on_the_value() {
        assert_eq!(
            one(run(&body(r#""stream": "yes""#))),
            (
                r#""yes""#.into(),
                "`stream` should be a boolean, not a string: the API answers 400 `stream: Input should be a valid boolean`".into()
            )
        );
    }

    #[test]
    fn extra_key_is_reported_on_the_key_with_the_union_tag() {
        let text = body(
            r#""system": [{"type": "text", "text": "x", "cache_control": {"type": "ephemeral", "scope": "global"}}]"#,
        );
        assert_eq!(
            one(run(&text)),
            (
                r#""scope""#.into(),
                "`scope` is not a field of an `ephemeral` cache control: the API answers 400 `system.0.cache_control.ephemeral.scope: Extra inputs are not permitted`".into()
            )
        );
    }

    #[test]
    fn a_key_only_system_messages_take_is_extra_on_user_messages() {
        let text = r#"{"model": "claude-opus-5", "max_tokens": 1, "messages": [{"role": "user", "content": "Hi", "clear_at": "never"}]}"#;
        assert_eq!(
            one(run(text)),
            (
                r#""clear_at""#.into(),
                "`clear_at` is not a field of a `user` or `assistant` message: the API answers 400 `messages.0.clear_at: Extra inputs are not permitted`".into()
            )
        );
    }

    #[test]
    fn missing_field_is_reported_on_the_opening_brace() {
        let text = body(r#""tools": [{"name": "t"}]"#);
        let (range, message) = one(run(&text));
        assert_eq!(range, "{");
        assert_eq!(
            message,
            "`input_schema` is missing from a custom tool: the API answers 400 `tools.0.custom.input_schema: Field required`"
        );
    }

    #[test]
    fn unknown_and_missing_union_tags_use_the_discriminator_wording() {
        let text =
            body(r#""tool_choice": {"type": "required"}, "thinking": {"budget_tokens": 2048}"#);
        assert_eq!(
            run(&text),
            vec![
                (
                    r#""required""#.into(),
                    "`required` is not a tool choice type: the API answers 400 `tool_choice: Input tag 'required' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`".into()
                ),
                (
                    "{".into(),
                    "a thinking config has no `type`: the API answers 400 `thinking: Unable to extract tag using discriminator 'type'`".into()
                ),
            ]
        );
    }

    #[test]
    fn limits_use_the_api_wording() {
        let long = "u".repeat(257);
        let servers = vec![r#"{"type": "url", "name": "s", "url": "https://mcp.example.com"}"#; 21]
            .join(", ");
        let text = body(&format!(
            r#""metadata": {{"user_id": "{long}"}}, "mcp_servers": [{servers}], "thinking": {{"type": "enabled", "budget_tokens": 512}}"#
        ));
        let messages: Vec<String> = run(&text).into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            messages,
            vec![
                "`user_id` has 257 characters: the API answers 400 `metadata.user_id: String should have at most 256 characters`",
                "`mcp_servers` has 21 items: the API answers 400 `mcp_servers: List should have at most 20 items after validation, not 21`",
                "`budget_tokens` is 512: the API answers 400 `thinking.enabled.budget_tokens: Input should be greater than or equal to 1024`",
            ]
        );
    }

    #[test]
    fn enum_and_pattern_values_are_named() {
        let text = body(
            r#""service_tier": "flex", "messages": [{"role": "assistant", "content": [{"type": "tool_use", "id": "call:1", "name": "t", "input": {}}]}]"#,
        );
        assert_eq!(
            run(&text),
            vec![
                (
                    r#""flex""#.into(),
                    "`flex` is not a valid `service_tier`: the API answers 400 `service_tier: Input should be 'auto' or 'standard_only'`".into()
                ),
                (
                    r#""call:1""#.into(),
                    "`call:1` is not a valid `id`: the API answers 400 `messages.0.content.0.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`".into()
                ),
            ]
        );
    }

    #[test]
    fn root_required_fields_are_left_to_the_request_family() {
        let text = r#"{"model": "claude-opus-5", "messages": [{"role": "user", "content": "Hi"}]}"#;
        assert_eq!(run(text), vec![]);
    }

    #[test]
    fn count_tokens_bodies_need_no_max_tokens_but_are_checked() {
        let text = r#"{"model": "claude-opus-5", "speed": "turbo", "messages": [{"role": "user", "content": "Hi"}]}"#;
        let root = parse(text);
        assert_eq!(
            run_with(text, &root, PayloadKind::CountTokens, &[]),
            vec![(
                r#""turbo""#.into(),
                "`turbo` is not a valid `speed`: the API answers 400 `speed: Input should be 'standard' or 'fast'`".into()
            )]
        );
    }

    #[test]
    fn batch_envelope_checks_only_the_envelope() {
        let text = r#"{"requests": [{"custom_id": "a b", "params": {"max_tokens": "x"}}, {"custom_id": "c", "params": 5, "extra": 1}]}"#;
        let root = parse(text);
        assert_eq!(
            run_with(text, &root, PayloadKind::Batch, &[]),
            vec![
                (
                    r#""a b""#.into(),
                    "`a b` is not a valid `custom_id`: the API answers 400 `requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`".into()
                ),
                (
                    "5".into(),
                    "`params` should be an object, not a number: the API answers 400 `requests.1.params: Input should be a valid object`".into()
                ),
                (
                    r#""extra""#.into(),
                    "`extra` is not a field of a batch request: the API answers 400 `requests.1.extra: Extra inputs are not permitted`".into()
                ),
            ]
        );
    }

    #[test]
    fn findings_of_earlier_families_win() {
        let text = body(r#""stream": "yes", "top_k": -1"#);
        let root = parse(text.as_str());
        let stream = root.get("stream").expect("stream").range;
        // An earlier finding on the member (key through value) contains the schema error's range.
        let member = root.member("stream").expect("stream").range();
        let findings = run_with(&text, &root, PayloadKind::Messages, &[member]);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].0, "-1");
        // A finding inside the value's range also takes it.
        let inside = TextRange::new(stream.start as usize + 1, stream.start as usize + 2);
        assert_eq!(
            run_with(&text, &root, PayloadKind::Messages, &[inside]).len(),
            1
        );
    }

    #[test]
    fn a_key_written_twice_is_checked_at_its_last_value() {
        // The API keeps the last value; the earlier one is the `duplicate-key` rule's concern.
        assert_eq!(run(&body(r#""stream": "yes", "stream": true"#)), vec![]);
        assert_eq!(
            one(run(&body(r#""stream": true, "stream": "yes""#))).0,
            r#""yes""#
        );
    }

    #[test]
    fn unknown_values_silence_what_they_could_change() {
        let text = body(
            r#""stream": "later", "tools": [{"type": "t", "name": "n"}], "system": [{"type": "text", "text": "x", "clear": 1}]"#,
        );
        let mut root = parse(&text);
        // The value itself, and an object's `type` (which selects its shape).
        make_unknown(&mut root, "/stream");
        make_unknown(&mut root, "/tools/0/type");
        make_unknown(&mut root, "/system/0/type");
        assert_eq!(run_with(&text, &root, PayloadKind::Messages, &[]), vec![]);
    }

    #[test]
    fn unknown_roles_and_spreads_silence_their_object_only() {
        let text = r#"{"model": "claude-opus-5", "max_tokens": 1, "stream": 1, "tools": [{"name": "t"}], "messages": [{"role": "user", "content": "Hi", "clear_at": "never"}]}"#;
        let mut root = parse(text);
        make_unknown(&mut root, "/messages/0/role");
        add_spread(&mut root, "/tools/0");
        assert_eq!(
            one(run_with(text, &root, PayloadKind::Messages, &[])),
            (
                "1".into(),
                "`stream` should be a boolean, not a number: the API answers 400 `stream: Input should be a valid boolean`".into()
            )
        );
    }

    #[test]
    fn unknown_elements_silence_counts() {
        let servers = vec![r#"{"type": "url", "name": "s", "url": "u"}"#; 21].join(", ");
        let text = body(&format!(r#""mcp_servers": [{servers}]"#));
        let mut root = parse(&text);
        make_unknown(&mut root, "/mcp_servers/3");
        assert_eq!(run_with(&text, &root, PayloadKind::Messages, &[]), vec![]);
    }
}
