//! The model table: ids, aliases, limits, capabilities and lifecycle, loaded from
//! `data/models.toml` (invariant 6: facts are data, each entry with its source).

use jiff::civil::Date;
use serde::Deserialize;

/// Which tokenizer a model counts with; it sets the token estimate's calibration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tokenizer {
    /// Claude 3 through Sonnet 4.6 (the retired Claude 2 and 1 models are filed here too:
    /// no estimate is made for a model the API no longer serves).
    #[serde(rename = "claude-3")]
    Claude3,
    /// Opus 4.7, Mythos Preview, Sonnet 5 and later: about 1.0-1.35x more tokens.
    #[serde(rename = "claude-47")]
    Claude47,
}

/// How images are downscaled before they are priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageTier {
    /// Long edge up to 1568 px.
    Standard,
    /// Long edge up to 2576 px (Claude 4.7 and later).
    HighRes,
}

/// What a model does with `temperature`, `top_p` and `top_k` (under API version 2023-06-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sampling {
    /// All three accepted, in any combination.
    Full,
    /// `temperature` and `top_p` may not both be set.
    Exclusive,
    /// Deprecated: a non-default value is a 400.
    DefaultOnly,
}

/// The values of `thinking.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThinkingType {
    /// Manual extended thinking with `budget_tokens`.
    Enabled,
    /// The model decides; steered with `output_config.effort`.
    Adaptive,
    /// Thinking switched off.
    Disabled,
    /// Thinking only between tool calls.
    BetweenTools,
}

impl ThinkingType {
    /// Reads a `thinking.type` value; `None` for one the API does not define.
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "enabled" => ThinkingType::Enabled,
            "adaptive" => ThinkingType::Adaptive,
            "disabled" => ThinkingType::Disabled,
            "between_tools" => ThinkingType::BetweenTools,
            _ => return None,
        })
    }

    /// The value as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ThinkingType::Enabled => "enabled",
            ThinkingType::Adaptive => "adaptive",
            ThinkingType::Disabled => "disabled",
            ThinkingType::BetweenTools => "between_tools",
        }
    }
}

/// The values of `output_config.effort`, from least to most (the order matters: an unsupported
/// level is replaced by the highest supported one below it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effort {
    /// `low`
    Low,
    /// `medium`
    Medium,
    /// `high`
    High,
    /// `xhigh`
    Xhigh,
    /// `max`
    Max,
}

impl Effort {
    /// Reads an `output_config.effort` value; `None` for one the API does not define.
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "low" => Effort::Low,
            "medium" => Effort::Medium,
            "high" => Effort::High,
            "xhigh" => Effort::Xhigh,
            "max" => Effort::Max,
            _ => return None,
        })
    }

    /// The value as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Effort::Low => "low",
            Effort::Medium => "medium",
            Effort::High => "high",
            Effort::Xhigh => "xhigh",
            Effort::Max => "max",
        }
    }
}

/// One model, as the API serves it (and as Bedrock and Vertex name it).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// The first-party API id, e.g. `claude-opus-4-5-20251101`.
    pub id: String,
    /// Other first-party ids that point at this model, e.g. `claude-opus-4-5` (for the retired
    /// Claude 1 and Instant families: the sibling versions retired with it).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The display name, e.g. "Claude Opus 4.5".
    pub name: String,
    /// Maximum input tokens.
    pub context_window: u64,
    /// Maximum `max_tokens` on the synchronous Messages API.
    pub max_output: u64,
    /// Maximum `max_tokens` in a Message Batches request sent with the
    /// [`BATCH_OUTPUT_BETA`] beta, for the models that offer it.
    #[serde(default)]
    pub batch_max_output: Option<u64>,
    /// Tokenizer generation.
    pub tokenizer: Tokenizer,
    /// Image downscaling tier.
    pub image_tier: ImageTier,
    /// The `thinking.type` values the model accepts.
    #[serde(default)]
    pub thinking: Vec<ThinkingType>,
    /// The `output_config.effort` values the model accepts (empty: no effort parameter).
    #[serde(default)]
    pub effort: Vec<Effort>,
    /// Whether a final assistant message (prefill) is accepted.
    pub prefill: bool,
    /// Sampling-parameter behaviour.
    pub sampling: Sampling,
    /// Whether `role: "system"` entries in `messages` are accepted.
    pub mid_conversation_system: bool,
    /// Whether `tool_choice` `any` / `tool` is accepted.
    pub forced_tool_choice: bool,
    /// Tool types (`tools[].type`) the model refuses, where the reference is sure of it, e.g.
    /// `computer_20251124` on Opus 5.5.
    #[serde(default)]
    pub unsupported_tools: Vec<String>,

    /// Whether the `inference_geo` parameter is accepted (Claude Opus 4.6 and later; older
    /// models answer 400). Defaults to accepted, so a configured model raises no false alarm.
    #[serde(default = "accepted")]
    pub inference_geo: bool,
    /// Shortest prefix, in tokens, that a cache breakpoint actually caches.
    pub min_cache_tokens: u64,
    /// First-party launch date.
    #[serde(default)]
    pub launched: Option<Date>,
    /// When the deprecation was announced (requests still work). May be absent for a
    /// deprecated model whose notice date is not known: a future `retired` day says it too.
    #[serde(default)]
    pub deprecated: Option<Date>,
    /// End of life: from this day the API answers 404. Anthropic assigns it when it
    /// deprecates a model, so a model with a future `retired` day is deprecated.
    #[serde(default)]
    pub retired: Option<Date>,
    /// The model to move to (a first-party id of a model that outlives this one).
    #[serde(default)]
    pub replacement: Option<String>,
    /// Amazon Bedrock InvokeModel ids, without an inference-profile prefix. They name the
    /// model in the URL, never in a body.
    #[serde(default)]
    pub bedrock: Vec<String>,
    /// The ids "Claude in Amazon Bedrock" (Bedrock's Messages-API endpoint) takes in the body's
    /// `model`, e.g. `anthropic.claude-opus-5`.
    #[serde(default)]
    pub bedrock_messages: Vec<String>,
    /// Google Cloud Vertex AI model ids.
    #[serde(default)]
    pub vertex: Vec<String>,
    /// Where each fact above comes from.
    pub source: String,
}

/// The default of capability flags the table may leave out: accepted.
fn accepted() -> bool {
    true
}

/// Where a model stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// Served and not deprecated.
    Active,
    /// Served until the given end-of-life date.
    Deprecated(Option<Date>),
    /// No longer served: requests fail with 404 since the given date.
    Retired(Date),
}

impl Model {
    /// The model's lifecycle stage on `today`, on the Claude API (Bedrock and Vertex retire
    /// models on their own schedules).
    ///
    /// Retired from its `retired` day on; deprecated from its `deprecated` day, or, when that
    /// day is not known, as soon as it has a retirement day (Anthropic assigns one only when it
    /// deprecates a model).
    pub fn lifecycle(&self, today: Date) -> Lifecycle {
        match (self.retired, self.deprecated) {
            (Some(retired), _) if retired <= today => Lifecycle::Retired(retired),
            (retired, Some(deprecated)) if deprecated <= today => Lifecycle::Deprecated(retired),
            (Some(retired), None) => Lifecycle::Deprecated(Some(retired)),
            _ => Lifecycle::Active,
        }
    }

    /// Every first-party id that names this model (its id, then its aliases).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// The parsed model table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ModelTable {
    /// Every model, current, deprecated and retired.
    #[serde(rename = "model")]
    pub models: Vec<Model>,
}

/// The model table shipped in the binary.
pub(crate) const BUILTIN_MODELS: &str = include_str!("../../data/models.toml");

/// The beta that raises `max_tokens` in Message Batches requests to a model's
/// `batch_max_output` (reference §7.1).
pub(crate) const BATCH_OUTPUT_BETA: &str = "output-300k-2026-03-24";
