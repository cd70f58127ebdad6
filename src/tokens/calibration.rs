//! The estimate's calibration, loaded from `data/tokens.toml` (facts are data, each with its
//! source), and the [`Profile`] it gives for one model.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use jiff::civil::Date;
use serde::Deserialize;

use super::Band;
use crate::facts::Model;
use crate::facts::models::{ImageTier, Tokenizer};

/// Multipliers from o200k tokens to a tokenizer generation's tokens.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Factors {
    /// The smallest plausible ratio (errors are judged by it).
    pub low: f64,
    /// The best guess.
    pub mid: f64,
    /// The largest plausible ratio.
    pub high: f64,
    /// Where the numbers come from.
    pub source: String,
}

impl Factors {
    /// `o200k` tokens as this generation's tokens.
    pub(crate) fn scale(&self, o200k: u64) -> Band {
        let at = |f: f64| (o200k as f64 * f).ceil() as u64;
        Band::new(at(self.low), at(self.mid), at(self.high))
    }
}

/// An image tier's downscaling limits.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImageLimits {
    /// The longest edge, in pixels, after downscaling.
    pub max_edge: u32,
    /// The most 28x28 patches (tokens) an image costs.
    pub max_tokens: u32,
    /// Where the numbers come from.
    #[serde(default)]
    pub source: String,
}

/// Per-page PDF costs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PdfCosts {
    /// Tokens per page, low end.
    pub page_low: u64,
    /// Tokens per page, best guess (text and page image together).
    pub page_mid: u64,
    /// Text tokens per page, high end (the page image is added to it).
    pub page_text_high: u64,
    /// Where the numbers come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

/// The tool-use system prompt of some models.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ToolPrompt {
    /// First-party ids of the models (aliases resolve to them).
    pub models: Vec<String>,
    /// Tokens with `tool_choice` `auto` or `none`.
    pub auto: u64,
    /// Tokens with `tool_choice` `any` or `tool`.
    pub any: u64,
}

/// An Anthropic-defined tool whose definition has a documented price.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ToolDefinition {
    /// The start of its `type` (`bash_` for `bash_20250124`).
    pub prefix: String,
    /// Tokens on models before Claude 4.7's tokenizer.
    pub tokens: u64,
    /// Tokens on models with the Claude 4.7 tokenizer.
    pub tokens_claude_47: u64,
    /// Where the numbers come from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

/// Framing tokens per message.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MessageFraming {
    /// Low end.
    pub low: u64,
    /// Best guess.
    pub mid: u64,
    /// High end.
    pub high: u64,
}

/// Which models check input and output together against the window.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WindowRule {
    /// Models launched before this day add `max_tokens` to the input when they check it.
    pub combined_before: Date,
    /// Where the rule comes from.
    #[cfg_attr(not(test), expect(dead_code, reason = "provenance, which tests check"))]
    pub source: String,
}

/// The whole calibration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Calibration {
    /// Factors by tokenizer generation (`claude-3`, `claude-47`).
    pub tokenizer: BTreeMap<String, Factors>,
    /// Image limits by tier (`standard`, `high-res`).
    pub image: BTreeMap<String, ImageLimits>,
    /// PDF page costs.
    pub pdf: PdfCosts,
    /// Tool-use system prompts by model.
    pub tool_prompt: Vec<ToolPrompt>,
    /// Priced Anthropic-defined tools.
    pub tool_definition: Vec<ToolDefinition>,
    /// Message framing.
    pub message: MessageFraming,
    /// The window-check rule.
    pub window: WindowRule,
}

/// The calibration shipped in the binary.
pub(crate) const BUILTIN_CALIBRATION: &str = include_str!("../../data/tokens.toml");

static BUILTIN: LazyLock<Calibration> = LazyLock::new(|| {
    toml::from_str(BUILTIN_CALIBRATION).expect("data/tokens.toml is checked by a test")
});

impl Calibration {
    /// The built-in calibration.
    pub(crate) fn builtin() -> &'static Calibration {
        &BUILTIN
    }

    fn factors(&self, tokenizer: Tokenizer) -> &Factors {
        let name = match tokenizer {
            Tokenizer::Claude3 => "claude-3",
            Tokenizer::Claude47 => "claude-47",
        };
        &self.tokenizer[name]
    }

    fn image_limits(&self, tier: ImageTier) -> ImageLimits {
        let name = match tier {
            ImageTier::Standard => "standard",
            ImageTier::HighRes => "high-res",
        };
        self.image[name].clone()
    }

    /// The tool-use system prompt for `model`: exact when the table lists it, else the
    /// smallest, mean and largest listed values.
    fn tool_prompt(&self, model: Option<&Model>) -> (Band, Band) {
        if let Some(row) = model.and_then(|m| {
            self.tool_prompt
                .iter()
                .find(|r| m.ids().any(|id| r.models.iter().any(|x| x == id)))
        }) {
            return (Band::exact(row.auto), Band::exact(row.any));
        }
        let spread = |values: Vec<u64>| {
            let low = values.iter().copied().min().unwrap_or(0);
            let high = values.iter().copied().max().unwrap_or(0);
            let mid = values.iter().sum::<u64>() / values.len().max(1) as u64;
            Band::new(low, mid, high)
        };
        (
            spread(self.tool_prompt.iter().map(|r| r.auto).collect()),
            spread(self.tool_prompt.iter().map(|r| r.any).collect()),
        )
    }

    /// The profile the estimate uses for `model`; for an unknown model, the newest
    /// generation (Claude 4.7 tokenizer, high-resolution images).
    pub(crate) fn profile(&self, model: Option<&Model>) -> Profile {
        let tokenizer = model.map_or(Tokenizer::Claude47, |m| m.tokenizer);
        let tier = model.map_or(ImageTier::HighRes, |m| m.image_tier);
        let (tool_prompt_auto, tool_prompt_any) = self.tool_prompt(model);
        let image = self.image_limits(tier);
        Profile {
            factors: self.factors(tokenizer).clone(),
            tokenizer,
            pdf_page: Band::new(
                self.pdf.page_low,
                self.pdf.page_mid,
                self.pdf.page_text_high + u64::from(image.max_tokens),
            ),
            image,
            tool_prompt_auto,
            tool_prompt_any,
            tool_definitions: self
                .tool_definition
                .iter()
                .map(|d| {
                    let tokens = match tokenizer {
                        Tokenizer::Claude3 => d.tokens,
                        Tokenizer::Claude47 => d.tokens_claude_47,
                    };
                    (d.prefix.clone(), tokens)
                })
                .collect(),
            message: Band::new(self.message.low, self.message.mid, self.message.high),
            combined_window: model
                .and_then(|m| m.launched)
                .is_some_and(|day| day < self.window.combined_before),
        }
    }
}

/// What the estimate needs to know about one model.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    /// o200k → model tokens.
    pub factors: Factors,
    /// The tokenizer generation.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "tests check which generation a model gets")
    )]
    pub tokenizer: Tokenizer,
    /// Image downscaling limits.
    pub image: ImageLimits,
    /// Tokens per PDF page.
    pub pdf_page: Band,
    /// The tool-use system prompt with `tool_choice` auto/none.
    pub tool_prompt_auto: Band,
    /// The tool-use system prompt with `tool_choice` any/tool.
    pub tool_prompt_any: Band,
    /// Fixed prices of Anthropic-defined tool definitions, by `type` prefix.
    pub tool_definitions: Vec<(String, u64)>,
    /// Framing tokens per message.
    pub message: Band,
    /// True when the model checks input + `max_tokens` together against its window (older
    /// models); newer ones check the input alone.
    pub combined_window: bool,
}

impl Profile {
    /// The profile for `model` from the built-in calibration.
    pub(crate) fn for_model(model: Option<&Model>) -> Profile {
        Calibration::builtin().profile(model)
    }

    /// The documented price of an Anthropic-defined tool of type `tool_type`.
    pub(crate) fn tool_definition(&self, tool_type: &str) -> Option<u64> {
        self.tool_definitions
            .iter()
            .find(|(prefix, _)| tool_type.starts_with(prefix.as_str()))
            .map(|&(_, tokens)| tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Facts;

    #[test]
    fn the_builtin_calibration_loads_and_covers_every_generation_and_tier() {
        let c = Calibration::builtin();
        for generation in ["claude-3", "claude-47"] {
            let f = &c.tokenizer[generation];
            assert!(f.low <= f.mid && f.mid <= f.high, "{generation}");
            assert!(!f.source.is_empty());
        }
        assert_eq!(c.image["standard"].max_tokens, 1568);
        assert_eq!(c.image["high-res"].max_edge, 2576);
    }

    #[test]
    fn every_figure_cites_its_source() {
        let c = Calibration::builtin();
        let sources = [&c.pdf.source, &c.window.source]
            .into_iter()
            .chain(c.tool_definition.iter().map(|t| &t.source));
        for source in sources {
            assert!(
                source.contains('§') || source.contains("[DOCS]"),
                "{source}"
            );
        }
    }

    #[test]
    fn every_tool_prompt_row_names_a_known_model() {
        let facts = Facts::builtin();
        for row in &Calibration::builtin().tool_prompt {
            for id in &row.models {
                assert!(facts.get(id).is_some(), "{id} is not in the model table");
            }
        }
    }

    #[test]
    fn profiles_follow_the_model_table() {
        let facts = Facts::builtin();
        let opus5 = Profile::for_model(facts.get("claude-opus-5"));
        assert_eq!(opus5.tokenizer, Tokenizer::Claude47);
        assert_eq!(opus5.image.max_tokens, 4784);
        assert_eq!(opus5.tool_prompt_auto, Band::exact(286));
        assert_eq!(opus5.tool_definition("bash_20250124"), Some(325));
        assert!(!opus5.combined_window);
        let haiku = Profile::for_model(facts.get("claude-haiku-4-5"));
        assert_eq!(haiku.tool_prompt_any, Band::exact(588));
        assert_eq!(haiku.tool_definition("bash_20250124"), Some(244));
        assert_eq!(haiku.pdf_page, Band::new(330, 2330, 3000 + 1568));
        assert!(!haiku.combined_window);
        let opus41 = Profile::for_model(facts.get("claude-opus-4-1"));
        assert!(opus41.combined_window);
        let unknown = Profile::for_model(None);
        assert_eq!(unknown.tool_prompt_auto.low, 264);
        assert_eq!(unknown.tool_prompt_auto.high, 675);
    }

    #[test]
    fn factors_round_up() {
        let f = &Calibration::builtin().tokenizer["claude-3"];
        assert_eq!(f.scale(10), Band::new(10, 12, 15));
        assert_eq!(f.scale(1), Band::new(1, 2, 2));
    }
}
