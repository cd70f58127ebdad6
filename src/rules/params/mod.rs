//! Top-level parameters whose values the schema cannot judge alone: stop sequences, metadata,
//! service tier, inference geography, speed, structured-output formats, containers, MCP
//! servers, and beta-only fields against the betas a Bedrock body lists (reference §1.2, §1.4,
//! §1.5, §8.4, §10 rows 26 and 39). `output_config.effort` belongs to the thinking family.

mod beta_fields;
mod metadata;
mod output_format;
mod skills_and_servers;
mod stop_sequences;
mod values;

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::extract::PayloadKind;
use crate::facts::params;
use crate::syntax::Member;

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

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    if !payload.kind.is_request() || payload.root.as_object().is_none() {
        return;
    }
    stop_sequences::check_stop_sequences(ctx, sink);
    metadata::check_metadata(ctx, sink);
    values::check_service_tier(ctx, sink);
    values::check_inference_geo(ctx, sink);
    values::check_speed(ctx, sink);
    output_format::check_output_format(ctx, sink);
    output_format::check_deprecated_output_format(ctx, sink);
    skills_and_servers::check_container(ctx, sink);
    skills_and_servers::check_mcp_servers(ctx, sink);
    beta_fields::check_betas(ctx, sink);
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
