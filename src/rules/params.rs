//! Top-level parameters whose values the schema cannot judge alone: stop sequences, metadata,
//! service tier, inference geography, speed, structured-output formats, containers, MCP
//! servers, and beta-only fields against the betas a Bedrock body lists (reference §1.2, §1.4,
//! §1.5, §8.4, §10 rows 26 and 39). `output_config.effort` belongs to the thinking family.

use std::sync::LazyLock;

use serde_json::{Value as Json, json};

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::extract::PayloadKind;
use crate::facts::Dialect;
use crate::facts::api;
use crate::facts::betas;
use crate::facts::params::{self, ParamKind, STRUCTURED_OUTPUTS_BETA};
use crate::facts::request_schema;
use crate::fix::{Edit, Fix};
use crate::syntax::{Member, Node, Value};
use crate::words::did_you_mean;
use crate::words::{and_list, describe};

declare_rules! {
    family: "params";
    prefix: "N";
    /// ## What it does
    /// Reports an entry of `stop_sequences` that is empty or only whitespace.
    ///
    /// ## Why
    /// The API answers 400 `stop_sequences: each stop sequence must be non-empty` for `""`
    /// and `stop_sequences: each stop sequence must contain non-whitespace` for `"\n"` or
    /// `" "` (a common way to try to stop at the end of a line).
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "stop_sequences": ["END", "\n"], "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes the entry (safe: the request cannot be sent with it).
    INVALID_STOP_SEQUENCE { code: "101", name: "invalid-stop-sequence", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports `metadata` keys other than `user_id`, and a `user_id` longer than 256
    /// characters.
    ///
    /// ## Why
    /// `metadata` is a closed object with one field: the API answers 400
    /// `metadata.<key>: Extra inputs are not permitted` for anything else (session ids, tags,
    /// the OpenAI habit of free-form metadata), and rejects a `user_id` over {api.messages.max_user_id_chars} characters.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "metadata": {"user_id": "u-42", "session": "s-7"}, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Renames a near-miss of `user_id` (`userId`, `user`), or removes the key (unsafe: what
    /// it held is lost).
    INVALID_METADATA { code: "102", name: "invalid-metadata", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a `metadata.user_id` that looks like an email address.
    ///
    /// ## Why
    /// The API docs ask for an opaque identifier (a UUID or a hash) and never a name, email
    /// address or phone number: the id is stored with the request to help detect abuse.
    ///
    /// ## Example
    /// ```json
    /// {"metadata": {"user_id": "jane.doe@example.com"}}
    /// ```
    PERSONAL_USER_ID { code: "103", name: "personal-user-id", severity: Info, fix: None }

    /// ## What it does
    /// Reports a `service_tier` other than `auto` or `standard_only`, naming the Claude value
    /// closest to OpenAI's `default`, `flex`, `priority` and `scale`.
    ///
    /// ## Why
    /// The API answers 400 `service_tier: Input should be 'auto' or 'standard_only'`. `auto`
    /// (the default) uses Priority Tier capacity when the organization has it;
    /// `standard_only` never does.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "service_tier": "flex", "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Replaces the value with the Claude value meant (unsafe: check the tier is the one you
    /// want).
    INVALID_SERVICE_TIER { code: "104", name: "invalid-service-tier", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports an `inference_geo` other than the documented `global` and `us`.
    ///
    /// ## Why
    /// The docs list two values, `global` (the default) and `us`; the SDKs type the field as a
    /// plain string, so other regions may exist for some organizations. A value outside the
    /// documented ones is likely a typo (`US`, `usa`) or a region that a workspace's allowed
    /// inference geographies refuse. A warning, since the full list is not published.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "inference_geo": "US", "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Lowercases `US` and `GLOBAL` (unsafe: check the region is the one you want).
    INVALID_INFERENCE_GEO { code: "105", name: "invalid-inference-geo", severity: Warning, fix: Unsafe }

    /// ## What it does
    /// Reports `inference_geo` on a model released before Claude Opus 4.6 (Haiku 4.5,
    /// Sonnet 4.5, Opus 4.5 and older).
    ///
    /// ## Why
    /// Inference geography is supported only on Claude Opus 4.6 and later models; older
    /// models answer 400 (platform docs, "Data residency").
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-haiku-4-5", "max_tokens": 1024, "inference_geo": "us", "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes `inference_geo` (unsafe: the request may then be served outside the region
    /// you asked for; pick a newer model if the region matters).
    INFERENCE_GEO_UNSUPPORTED { code: "106", name: "inference-geo-unsupported", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a `speed` other than `standard` or `fast`.
    ///
    /// ## Why
    /// The API answers 400 `speed: Input should be 'standard' or 'fast'`.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "speed": "turbo", "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Replaces a near-miss (`Fast`, `standart`) with the value meant (unsafe).
    INVALID_SPEED { code: "107", name: "invalid-speed", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports an `output_config.format` that is not `{"type": "json_schema", "schema":
    /// {...}}`: OpenAI's `json_object` and `text` types, OpenAI's `json_schema` wrapper
    /// (`{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}`), a missing or
    /// string-encoded `schema`, and keys the format does not have.
    ///
    /// ## Why
    /// The format is a tagged union with one member: the API answers 400, e.g.
    /// `output_config.format: Input tag 'json_object' found using 'type' does not match any
    /// of the expected tags: 'json_schema'` or
    /// `output_config.format.json_schema: Extra inputs are not permitted`.
    ///
    /// ## Example
    /// ```json
    /// {"output_config": {"format": {"type": "json_schema", "json_schema": {"name": "person", "schema": {"type": "object"}}}}}
    /// ```
    ///
    /// ## Fix
    /// Unwraps OpenAI's `json_schema` wrapper, parses a schema written as a JSON string,
    /// and removes a `text` format, which is the default (safe: same meaning). Removes other
    /// unknown keys (unsafe).
    INVALID_OUTPUT_FORMAT { code: "108", name: "invalid-output-format", severity: Error, fix: Mixed }

    /// ## What it does
    /// Reports the top-level `output_format`, the beta name of `output_config.format`.
    ///
    /// ## Why
    /// Structured outputs are generally available as `output_config.format`. The old
    /// `output_format` field works only with the `structured-outputs-2025-11-13` beta and
    /// only for a transition period; without the beta the API answers 400
    /// `output_format: Extra inputs are not permitted`.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "output_format": {"type": "json_schema", "schema": {"type": "object"}}, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Moves the value to `output_config.format` (safe: same meaning). When both are set,
    /// removes `output_format` (unsafe: check which of the two you meant).
    DEPRECATED_OUTPUT_FORMAT { code: "109", name: "deprecated-output-format", severity: Warning, fix: Mixed }

    /// ## What it does
    /// Reports a `container` object with more than {api.messages.max_skills} skills, or a skill without `skill_id`
    /// or `type`, or with a `type` other than `anthropic` or `custom`.
    ///
    /// ## Why
    /// A request takes at most {api.messages.max_skills} skills (platform docs, "Skills guide"), and each skill is
    /// `{"skill_id", "type", "version"?}`: the API answers 400, e.g.
    /// `container.skills.0.skill_id: Field required`.
    ///
    /// ## Example
    /// ```json
    /// {"container": {"skills": [{"type": "anthropic"}]}}
    /// ```
    INVALID_CONTAINER { code: "110", name: "invalid-container", severity: Error, fix: None }

    /// ## What it does
    /// Reports more than 20 `mcp_servers`, and a server without `type`, `name` or `url`, or
    /// with a `type` other than `url`.
    ///
    /// ## Why
    /// The MCP connector takes at most {api.messages.max_mcp_servers} servers per request, each
    /// `{"type": "url", "name", "url", "authorization_token"?, "tool_configuration"?}`: the
    /// API answers 400, e.g. `mcp_servers.0.url: Field required`.
    ///
    /// ## Example
    /// ```json
    /// {"mcp_servers": [{"type": "url", "url": "https://mcp.example.com/sse"}]}
    /// ```
    INVALID_MCP_SERVER { code: "111", name: "invalid-mcp-server", severity: Error, fix: None }

    /// ## What it does
    /// Reports a beta-only field (`mcp_servers`, `context_management`, `compaction`,
    /// `fallbacks`, `thread`, ...) in a body whose `anthropic_beta` list (Amazon Bedrock
    /// InvokeModel) does not enable it.
    ///
    /// ## Why
    /// Beta fields exist only on the beta endpoint with their beta: without it the API
    /// answers 400 `<field>: Extra inputs are not permitted`. A JSON file does not show the
    /// `anthropic-beta` header of a first-party request, so only bodies that list their betas
    /// themselves are checked; any version of the field's beta counts. Betas declared in the
    /// configuration (`betas = [...]`) or in the file (`# anthropic-beta: ...`) count as sent.
    ///
    /// ## Example
    /// ```json
    /// {"anthropic_version": "{api.platform.bedrock.body_version}", "anthropic_beta": ["pdfs-2024-09-25"], "max_tokens": 1024, "context_management": {"edits": []}, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Adds the beta to `anthropic_beta` (unsafe: it turns on a beta feature).
    MISSING_BETA { code: "112", name: "missing-beta", severity: Warning, fix: Unsafe }

    /// ## What it does
    /// Reports deprecated values in a body's `anthropic_beta` list: `prompt-caching-2024-07-31`,
    /// `pdfs-2024-09-25`, `token-counting-2024-11-01`, `extended-cache-ttl-2025-04-11`,
    /// `message-batches-2024-09-24` and the other values the SDKs deprecate, and betas of
    /// retired models (`context-1m-2025-08-07`, `output-128k-2025-02-19`).
    ///
    /// ## Why
    /// The features are generally available (or their models retired): the API still
    /// accepts the values, but they do nothing and the SDKs are removing them.
    /// `structured-outputs-2025-11-13` is kept while the body still uses `output_format`.
    ///
    /// ## Example
    /// ```json
    /// {"anthropic_version": "{api.platform.bedrock.body_version}", "anthropic_beta": ["prompt-caching-2024-07-31"], "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes the value (safe).
    DEPRECATED_BETA { code: "113", name: "deprecated-beta", severity: Warning, fix: Safe }
}

/// The values of `service_tier`, from the schema.
static SERVICE_TIERS: LazyLock<Vec<&str>> =
    LazyLock::new(|| request_schema::values("service_tier"));
/// OpenAI's service tiers and the Claude value closest in meaning: OpenAI's default and
/// priority processing is Claude's `auto` (the default), flex processing has no Claude
/// counterpart beyond never using priority capacity.
const OPENAI_SERVICE_TIERS: &[(&str, &str)] = &[
    ("default", "auto"),
    ("priority", "auto"),
    ("scale", "auto"),
    ("flex", "standard_only"),
];
/// The documented values of `inference_geo` (the schema's `examples`: the set is open).
static INFERENCE_GEOS: LazyLock<Vec<&str>> =
    LazyLock::new(|| request_schema::values("inference_geo"));
/// "`global` (the default) and `us`": the documented values of `inference_geo`.
fn documented_geos() -> String {
    let list = and_list(&INFERENCE_GEOS);
    match request_schema::default("inference_geo") {
        Some(default) => {
            let quoted = format!("`{default}`");
            list.replacen(&quoted, &format!("{quoted} (the default)"), 1)
        }
        None => list,
    }
}
/// The values of `speed`, from the schema.
static SPEEDS: LazyLock<Vec<&str>> = LazyLock::new(|| request_schema::values("speed"));

/// Checks one payload.
pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    if !payload.kind.is_request() || payload.root.as_object().is_none() {
        return;
    }
    check_stop_sequences(ctx, sink);
    check_metadata(ctx, sink);
    check_service_tier(ctx, sink);
    check_inference_geo(ctx, sink);
    check_speed(ctx, sink);
    check_output_format(ctx, sink);
    check_deprecated_output_format(ctx, sink);
    check_container(ctx, sink);
    check_mcp_servers(ctx, sink);
    check_betas(ctx, sink);
}

/// The top-level member `name` when this payload takes it and its value is written out.
/// Members a count_tokens body does not take are left to `count-tokens-parameter`.
fn field<'a>(ctx: &Context<'a>, name: &str) -> Option<&'a Member> {
    let member = ctx.payload.root.member(name)?;
    let taken = ctx.payload.kind != PayloadKind::CountTokens
        || params::param(name).is_none_or(|p| p.count_tokens);
    (taken && !member.value.is_unknown()).then_some(member)
}

/// The API's (pydantic's) rendering of a choice of literals: `'auto' or 'standard_only'`.
fn choices(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// A fix that replaces `node` with the string `to`.
fn replace_with(node: &Node, to: &str) -> Fix {
    Fix::unsafe_(
        format!("Replace with `{to}`"),
        vec![Edit::replace_value(node, json!(to))],
    )
}

fn check_stop_sequences(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "stop_sequences") else {
        return;
    };
    let Some(items) = member.value.as_array() else {
        return;
    };
    let api = ctx.payload.api_path("stop_sequences");
    for item in items {
        let Some(text) = item.as_str() else {
            continue;
        };
        let (what, answer) = if text.is_empty() {
            ("this stop sequence is empty", "must be non-empty")
        } else if text.trim().is_empty() {
            (
                "this stop sequence is only whitespace",
                "must contain non-whitespace",
            )
        } else {
            continue;
        };
        sink.report_fix(
            &INVALID_STOP_SEQUENCE,
            item.range,
            format!("{what}: the API answers 400 `{api}: each stop sequence {answer}`"),
            Some(Fix::safe(
                "Remove this stop sequence",
                vec![Edit::remove_element(&member.value, item)],
            )),
        );
    }
}

fn check_metadata(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "metadata") else {
        return;
    };
    let metadata = &member.value;
    let Some(members) = metadata.as_object() else {
        return;
    };
    for extra in members.iter().filter(|m| m.key != "user_id") {
        let key = extra.key.as_str();
        let mut message = format!(
            "`metadata` takes only `user_id`: the API answers 400 `{}: Extra inputs are not permitted`",
            ctx.payload.api_path(&format!("metadata.{key}"))
        );
        let fix = match did_you_mean(key, ["user_id"]) {
            Some(to) if metadata.get(to).is_none() => {
                message.push_str("; did you mean `user_id`?");
                Fix::unsafe_(
                    format!("Rename `{key}` to `user_id`"),
                    vec![Edit::rename_key(extra, to)],
                )
            }
            _ => Fix::unsafe_(
                format!("Remove `metadata.{key}`"),
                vec![Edit::remove_member(metadata, extra)],
            ),
        };
        sink.report_fix(&INVALID_METADATA, extra.key_range, message, Some(fix));
    }
    let Some(user_id) = metadata.get("user_id") else {
        return;
    };
    let Some(id) = user_id.as_str() else {
        return;
    };
    let chars = id.chars().count();
    let max = api::limits().messages.max_user_id_chars;
    if chars > max {
        sink.report(
            &INVALID_METADATA,
            user_id.range,
            format!(
                "`{}` is {chars} characters long: the API accepts at most {max} and answers 400",
                ctx.payload.api_path("metadata.user_id")
            ),
        );
    }
    if looks_like_email(id) {
        sink.report(
            &PERSONAL_USER_ID,
            user_id.range,
            format!(
                "`{}` looks like an email address: the API docs ask for an opaque id (a UUID or a hash), never a name or an email address",
                ctx.payload.api_path("metadata.user_id")
            ),
        );
    }
}

/// True for `local@domain.tld`.
fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.trim().split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !local.contains(char::is_whitespace)
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

fn check_service_tier(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "service_tier") else {
        return;
    };
    let node = &member.value;
    let Some(tier) = node.as_str().filter(|t| !SERVICE_TIERS.contains(t)) else {
        return;
    };
    let answer = format!(
        "the API answers 400 `{}: Input should be {}`",
        ctx.payload.api_path("service_tier"),
        choices(&SERVICE_TIERS)
    );
    let (message, fix) = match OPENAI_SERVICE_TIERS.iter().find(|(o, _)| *o == tier) {
        Some(&(_, claude)) => (
            format!(
                "`{tier}` is an OpenAI service tier: {answer}; the closest Claude value is `{claude}`"
            ),
            Some(replace_with(node, claude)),
        ),
        None => match did_you_mean(tier, SERVICE_TIERS.iter().copied()) {
            Some(meant) => (
                format!("`{tier}` is not a service tier: {answer}; did you mean `{meant}`?"),
                Some(replace_with(node, meant)),
            ),
            None => (format!("`{tier}` is not a service tier: {answer}"), None),
        },
    };
    sink.report_fix(&INVALID_SERVICE_TIER, node.range, message, fix);
}

fn check_inference_geo(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "inference_geo") else {
        return;
    };
    let node = &member.value;
    if matches!(node.value, Value::Null) {
        return;
    }
    if let Some(model) = ctx.model
        && !model.inference_geo
    {
        sink.report_fix(
            &INFERENCE_GEO_UNSUPPORTED,
            member.key_range,
            format!(
                "{} does not take `inference_geo`: only Claude Opus 4.6 and later models do, and the API answers 400 on older ones",
                model.name
            ),
            Some(Fix::unsafe_(
                "Remove `inference_geo`",
                vec![Edit::remove_member(ctx.payload.root, member)],
            )),
        );
        return;
    }
    let Some(geo) = node.as_str().filter(|g| !INFERENCE_GEOS.contains(g)) else {
        return;
    };
    let lower = geo.to_lowercase();
    let documented = format!("the documented values are {}", documented_geos());
    let (message, fix) = if INFERENCE_GEOS.contains(&lower.as_str()) {
        (
            format!("`{geo}` is not a documented `inference_geo`: {documented}, in lower case"),
            Some(replace_with(node, &lower)),
        )
    } else {
        (
            format!(
                "`{geo}` is not a documented `inference_geo`: {documented}; the API may answer 400, and a workspace's allowed inference geographies may refuse it"
            ),
            None,
        )
    };
    sink.report_fix(&INVALID_INFERENCE_GEO, node.range, message, fix);
}

fn check_speed(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "speed") else {
        return;
    };
    let node = &member.value;
    let Some(speed) = node.as_str().filter(|s| !SPEEDS.contains(s)) else {
        return;
    };
    let mut message = format!(
        "`{speed}` is not a speed: the API answers 400 `{}: Input should be {}`",
        ctx.payload.api_path("speed"),
        choices(&SPEEDS)
    );
    let lower = speed.to_lowercase();
    let meant = SPEEDS
        .iter()
        .copied()
        .find(|s| *s == lower)
        .or_else(|| did_you_mean(speed, SPEEDS.iter().copied()));
    let fix = meant.map(|meant| {
        message.push_str(&format!("; did you mean `{meant}`?"));
        replace_with(node, meant)
    });
    sink.report_fix(&INVALID_SPEED, node.range, message, fix);
}

fn check_output_format(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(config) = field(ctx, "output_config") else {
        return;
    };
    let config = &config.value;
    let Some(member) = config.member("format") else {
        return;
    };
    let format = &member.value;
    let Some(members) = format.as_object() else {
        return;
    };
    let api = |rest: &str| ctx.payload.api_path(&format!("output_config.format{rest}"));
    if let Some(wrapper) = format.member("json_schema") {
        let inner = wrapper
            .value
            .get("schema")
            .filter(|s| s.as_object().is_some());
        let fix = inner.and_then(Node::to_json).map(|schema| {
            Fix::safe(
                "Unwrap OpenAI's `json_schema` into `{\"type\": \"json_schema\", \"schema\": ...}`",
                vec![Edit::replace_value(
                    format,
                    json!({"type": "json_schema", "schema": schema}),
                )],
            )
        });
        sink.report_fix(
            &INVALID_OUTPUT_FORMAT,
            wrapper.key_range,
            format!(
                "this is OpenAI's `response_format` shape: the API answers 400 `{}: Extra inputs are not permitted`; Claude takes the schema directly: `{{\"type\": \"json_schema\", \"schema\": {{...}}}}`",
                api(".json_schema")
            ),
            fix,
        );
        return;
    }
    match format.get("type").map(|t| (t, &t.value)) {
        None => {
            let fix = format
                .get("schema")
                .filter(|s| s.as_object().is_some())
                .map(|_| {
                    Fix::safe(
                        "Add `\"type\": \"json_schema\"`",
                        vec![Edit::insert_member(format, "type", json!("json_schema"))],
                    )
                });
            sink.report_fix(
                &INVALID_OUTPUT_FORMAT,
                format.range.head(1),
                format!(
                    "`output_config.format` has no `type`: the API answers 400 `{}: Field required`; the only type is `json_schema`",
                    api(".type")
                ),
                fix,
            );
        }
        Some((type_node, Value::String(kind))) if kind != "json_schema" => {
            report_format_type(ctx, sink, config, member, type_node, kind);
            return;
        }
        Some(_) => {}
    }
    check_format_schema(ctx, sink, format);
    for extra in members
        .iter()
        .filter(|m| m.key != "type" && m.key != "schema")
    {
        sink.report_fix(
            &INVALID_OUTPUT_FORMAT,
            extra.key_range,
            format!(
                "`{}` is not a field of the `json_schema` format: the API answers 400 `{}: Extra inputs are not permitted`",
                extra.key,
                api(&format!(".{}", extra.key))
            ),
            Some(Fix::unsafe_(
                format!("Remove `{}`", extra.key),
                vec![Edit::remove_member(format, extra)],
            )),
        );
    }
}

/// A format `type` other than `json_schema`.
fn report_format_type(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    config: &Node,
    member: &Member,
    type_node: &Node,
    kind: &str,
) {
    let answer = format!(
        "the API answers 400 `{}: Input tag '{kind}' found using 'type' does not match any of the expected tags: 'json_schema'`",
        ctx.payload.api_path("output_config.format")
    );
    let (message, fix) = match kind {
        "text" => (
            format!(
                "`text` is OpenAI's default format: {answer}; plain text is Claude's default, so `format` can go"
            ),
            Some(Fix::safe(
                "Remove the `text` format",
                vec![Edit::remove_member(config, member)],
            )),
        ),
        "json_object" => (
            format!(
                "`json_object` is OpenAI's JSON mode: {answer}; Claude needs the schema: `{{\"type\": \"json_schema\", \"schema\": {{...}}}}`"
            ),
            None,
        ),
        _ => (format!("`{kind}` is not a format type: {answer}"), None),
    };
    sink.report_fix(&INVALID_OUTPUT_FORMAT, type_node.range, message, fix);
}

/// The `schema` of a `json_schema` format: present, and a JSON Schema object.
fn check_format_schema(ctx: &Context<'_>, sink: &mut Sink<'_>, format: &Node) {
    let api = ctx.payload.api_path("output_config.format.schema");
    let Some(schema) = format.get("schema") else {
        sink.report(
            &INVALID_OUTPUT_FORMAT,
            format.range.head(1),
            format!("the `json_schema` format has no `schema`: the API answers 400 `{api}: Field required`"),
        );
        return;
    };
    match &schema.value {
        Value::Object(_) | Value::Unknown => {}
        Value::String(text) => {
            let parsed = serde_json::from_str::<Json>(text)
                .ok()
                .filter(Json::is_object);
            let fix = parsed.map(|object| {
                Fix::safe(
                    "Parse the string into the schema object it holds",
                    vec![Edit::replace_value(schema, object)],
                )
            });
            sink.report_fix(
                &INVALID_OUTPUT_FORMAT,
                schema.range,
                format!("`schema` is a string: it must be a JSON Schema object, not JSON text; the API answers 400 `{api}: Input should be a valid dictionary`"),
                fix,
            );
        }
        _ => sink.report(
            &INVALID_OUTPUT_FORMAT,
            schema.range,
            format!(
                "`schema` is {}: it must be a JSON Schema object; the API answers 400 `{api}: Input should be a valid dictionary`",
                describe(schema)
            ),
        ),
    }
}

fn check_deprecated_output_format(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "output_format") else {
        return;
    };
    let root = ctx.payload.root;
    let config = root.get("output_config");
    let format = config.and_then(|c| c.member("format"));
    if format.is_some_and(|f| !matches!(f.value.value, Value::Null)) {
        sink.report_fix(
            &DEPRECATED_OUTPUT_FORMAT,
            member.key_range,
            "`output_format` is the deprecated beta name of `output_config.format`, and both are set: keep one",
            Some(Fix::unsafe_(
                "Remove `output_format`",
                vec![Edit::remove_member(root, member)],
            )),
        );
        return;
    }
    let value = member.value.to_json();
    let edits = match (config, format, value) {
        (None, _, Some(value)) => Some(vec![
            Edit::rename_key(member, "output_config"),
            Edit::replace_value(&member.value, json!({ "format": value })),
        ]),
        (Some(_), Some(null), Some(value)) => Some(vec![
            Edit::replace_value(&null.value, value),
            Edit::remove_member(root, member),
        ]),
        (Some(config), None, Some(value)) if config.as_object().is_some() => Some(vec![
            Edit::insert_member(config, "format", value),
            Edit::remove_member(root, member),
        ]),
        _ => None,
    };
    sink.report_fix(
        &DEPRECATED_OUTPUT_FORMAT,
        member.key_range,
        format!(
            "`output_format` is the deprecated beta name of `output_config.format`: the API takes it only with the `{STRUCTURED_OUTPUTS_BETA}` beta, for a transition period, and otherwise answers 400 `{}: Extra inputs are not permitted`",
            ctx.payload.api_path("output_format")
        ),
        edits.map(|edits| Fix::safe("Move it to `output_config.format`", edits)),
    );
}

/// An entry of a list the schema describes: a skill of `container.skills`, an MCP server.
struct Item {
    /// The rule that reports it.
    rule: &'static super::Rule,
    /// Where the schema describes it.
    def: &'static str,
    /// "this skill".
    what: &'static str,
    /// "a skill type".
    type_name: &'static str,
    /// What the message about a wrong `type` ends with.
    note: &'static str,
}

static SKILL: Item = Item {
    rule: &INVALID_CONTAINER,
    def: "/$defs/container/properties/skills/items",
    what: "this skill",
    type_name: "a skill type",
    note: "",
};

static MCP_SERVER: Item = Item {
    rule: &INVALID_MCP_SERVER,
    def: "/$defs/mcpServer",
    what: "this MCP server",
    type_name: "an MCP server type",
    note: " (the connector reaches servers over HTTP)",
};

/// The members the schema requires of `object` (reported at its opening brace), and its
/// `type` among the schema's values.
fn check_item(sink: &mut Sink<'_>, item: &Item, object: &Node, api: &str) {
    for name in request_schema::required_at(item.def) {
        if object.get(name).is_none() {
            sink.report(
                item.rule,
                object.range.head(1),
                format!(
                    "{} has no `{name}`: the API answers 400 `{api}.{name}: Field required`",
                    item.what
                ),
            );
        }
    }
    let types = request_schema::values_at(&format!("{}/properties/type", item.def));
    if let Some(kind) = object.get("type")
        && let Some(name) = kind.as_str().filter(|k| !types.contains(k))
    {
        sink.report(
            item.rule,
            kind.range,
            format!(
                "`{name}` is not {}: the API answers 400 `{api}.type: Input should be {}`{}",
                item.type_name,
                choices(&types),
                item.note
            ),
        );
    }
}

fn check_container(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "container") else {
        return;
    };
    let Some(skills) = member.value.get("skills").and_then(Node::as_array) else {
        return;
    };
    let max = api::limits().messages.max_skills;
    if let Some(first_over) = skills.get(max) {
        sink.report(
            &INVALID_CONTAINER,
            first_over.range,
            format!(
                "{} skills: a request loads at most {max}, and the API answers 400",
                skills.len()
            ),
        );
    }
    for (i, skill) in skills.iter().enumerate() {
        if skill.as_object().is_none() {
            continue;
        }
        let api = ctx.payload.api_path(&format!("container.skills.{i}"));
        check_item(sink, &SKILL, skill, &api);
    }
}

fn check_mcp_servers(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "mcp_servers") else {
        return;
    };
    let Some(servers) = member.value.as_array() else {
        return;
    };
    let max = api::limits().messages.max_mcp_servers;
    if let Some(first_over) = servers.get(max) {
        sink.report(
            &INVALID_MCP_SERVER,
            first_over.range,
            format!(
                "{} MCP servers: a request takes at most {max}, and the API answers 400",
                servers.len()
            ),
        );
    }
    for (i, server) in servers.iter().enumerate() {
        if server.as_object().is_none() {
            continue;
        }
        let api = ctx.payload.api_path(&format!("mcp_servers.{i}"));
        check_item(sink, &MCP_SERVER, server, &api);
    }
}

/// `anthropic_beta` in a Bedrock body: deprecated values, and beta fields it does not enable.
fn check_betas(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    // Code that sends the request may say every beta it sends (an SDK `betas` list, a curl
    // `anthropic-beta` header).
    if let Some(sent) = payload.call.and_then(|c| c.betas.as_deref()) {
        let sent: Vec<&str> = sent.iter().map(String::as_str).collect();
        check_beta_fields(ctx, sink, &sent, None);
        return;
    }
    // Otherwise only Bedrock bodies carry their betas (a body with `anthropic_beta` and an
    // `anthropic_version` that names no platform is taken as Bedrock's); Vertex AI and the
    // Claude API take them in a header this file does not show.
    if payload.dialect != Dialect::Bedrock {
        return;
    }
    let root = payload.root;
    let Some(list) = root.get("anthropic_beta") else {
        return;
    };
    let Some(items) = list.as_array() else {
        return;
    };
    let uses_output_format = root.get("output_format").is_some();
    for item in items {
        let Some(beta) = item.as_str().and_then(betas::deprecated) else {
            continue;
        };
        if beta.name == STRUCTURED_OUTPUTS_BETA && uses_output_format {
            continue;
        }
        sink.report_fix(
            &DEPRECATED_BETA,
            item.range,
            format!(
                "`{}` is a deprecated beta: {}; the API still accepts it, but it does nothing and the SDKs are removing it",
                beta.name, beta.why
            ),
            Some(Fix::safe(
                format!("Remove `{}`", beta.name),
                vec![Edit::remove_element(list, item)],
            )),
        );
    }
    let Some(sent) = items
        .iter()
        .map(Node::as_str)
        .collect::<Option<Vec<&str>>>()
    else {
        return;
    };
    check_beta_fields(ctx, sink, &sent, Some(list));
}

/// Beta fields whose beta is not among `sent`: the body's `anthropic_beta` list (`list`, which
/// the fix extends) or the betas the code sends.
fn check_beta_fields(ctx: &Context<'_>, sink: &mut Sink<'_>, sent: &[&str], list: Option<&Node>) {
    let payload = ctx.payload;
    let source = match list {
        Some(_) => "`anthropic_beta` does not list",
        None => "the request's betas (`betas`, `anthropic-beta`) do not include",
    };
    for member in payload.root.as_object().unwrap_or_default() {
        let key = member.key.as_str();
        let Some(ParamKind::Beta(needed)) = params::param(key).map(|p| p.kind) else {
            continue;
        };
        // `output_format` has its own rule, which names the beta.
        if key == "output_format" || field(ctx, key).is_none() {
            continue;
        }
        // Betas the configuration or the file declares count as sent; the fix extends only
        // the body's own list.
        let declared = ctx.options.betas.iter().map(String::as_str);
        if sent
            .iter()
            .copied()
            .chain(declared)
            .any(|s| betas::enables(key, needed, s))
        {
            continue;
        }
        let fix = list.map(|list| {
            let mut with_beta: Vec<Json> = sent.iter().map(|s| json!(s)).collect();
            with_beta.push(json!(needed));
            Fix::unsafe_(
                format!("Add `{needed}` to `anthropic_beta`"),
                vec![Edit::replace_value(list, Json::Array(with_beta))],
            )
        });
        sink.report_fix(
            &MISSING_BETA,
            member.key_range,
            format!(
                "`{key}` is a beta field and {source} its beta (`{needed}`): without it the API answers 400 `{}: Extra inputs are not permitted`",
                payload.api_path(key)
            ),
            fix,
        );
    }
}
