//! The top-level fields of a Messages body (reference §1.2, §1.4, §9.1, §11) and what each
//! one is: GA, beta-only, sampling, cloud-only, or an SDK option that never belongs in JSON.

/// What a top-level field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamKind {
    /// A GA body field.
    Ga,
    /// `temperature`, `top_p`, `top_k`: GA under 2023-06-01, removed in 2026-10-21.
    Sampling,
    /// Accepted only on the beta endpoint with the named beta.
    Beta(&'static str),
    /// Only in Bedrock / Vertex bodies.
    Cloud,
    /// An SDK call option: the SDK sends it elsewhere (a header, the URL), never in the body.
    SdkOnly(&'static str),
}

/// One top-level field.
#[derive(Debug)]
pub(crate) struct Param {
    /// The field's name.
    pub name: &'static str,
    /// What it is.
    pub kind: ParamKind,
    /// Whether a count_tokens body takes it too.
    pub count_tokens: bool,
}

const fn p(name: &'static str, kind: ParamKind, count_tokens: bool) -> Param {
    Param {
        name,
        kind,
        count_tokens,
    }
}

use ParamKind::*;

/// The deprecated beta that still enables the top-level `output_format`.
pub(crate) const STRUCTURED_OUTPUTS_BETA: &str = "structured-outputs-2025-11-13";

/// Every top-level field the API or the SDKs know.
pub(crate) static PARAMS: &[Param] = &[
    p("model", Ga, true),
    p("max_tokens", Ga, false),
    p("messages", Ga, true),
    p("system", Ga, true),
    p("stop_sequences", Ga, false),
    p("stream", Ga, false),
    p("metadata", Ga, false),
    p("tools", Ga, true),
    p("tool_choice", Ga, true),
    p("thinking", Ga, true),
    p("output_config", Ga, true),
    p("cache_control", Ga, true),
    p("container", Ga, false),
    p("diagnostics", Ga, false),
    p("inference_geo", Ga, false),
    p("service_tier", Ga, false),
    p("speed", Ga, true),
    p("temperature", Sampling, false),
    p("top_p", Sampling, false),
    p("top_k", Sampling, false),
    p("mcp_servers", Beta("mcp-client-2025-11-20"), true),
    p(
        "context_management",
        Beta("context-management-2025-06-27"),
        true,
    ),
    p("output_format", Beta(STRUCTURED_OUTPUTS_BETA), true),
    p("compaction", Beta("compact-2026-09-04"), false),
    p(
        "billing_policy",
        Beta("user-profiles-billing-2026-10-01"),
        false,
    ),
    p("fallbacks", Beta("server-side-fallback-2026-07-01"), false),
    p(
        "fallback_credit_token",
        Beta("fallback-credit-2026-07-01"),
        false,
    ),
    p("thread", Beta("message-threads-2026-08-12"), false),
    p("anthropic_version", Cloud, true),
    p("anthropic_beta", Cloud, true),
    p("user_profile_id", Cloud, false),
    p(
        "betas",
        SdkOnly("the SDK sends `betas` as the `anthropic-beta` header"),
        true,
    ),
    p(
        "extra_body",
        SdkOnly(
            "the SDK merges `extra_body` into the body; in raw JSON write its members at the top level",
        ),
        true,
    ),
    p(
        "extra_headers",
        SdkOnly("the SDK sends `extra_headers` as HTTP headers"),
        true,
    ),
    p(
        "extra_query",
        SdkOnly("the SDK sends `extra_query` as URL query parameters"),
        true,
    ),
    p("timeout", SdkOnly("`timeout` is a client setting"), true),
    p(
        "workspace_id",
        SdkOnly("the SDK sends `workspace_id` as the `anthropic-workspace-id` header"),
        true,
    ),
];

/// Looks up a top-level field by name.
pub(crate) fn param(name: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.name == name)
}
