//! What the API accepts, as data: models, limits and platform dialects (invariant 6).

pub(crate) mod api;
pub(crate) mod api_text;
pub(crate) mod api_version;
pub(crate) mod betas;
pub(crate) mod blocks;
pub(crate) mod dialect;
pub(crate) mod model_id;
pub(crate) mod models;
pub(crate) mod params;
pub(crate) mod request_schema;
pub(crate) mod sdk;
pub(crate) mod tools;

use std::sync::{Arc, LazyLock};

pub(crate) use dialect::Dialect;
pub(crate) use models::{Lifecycle, Model, ModelTable};

/// The facts rules are checked against: the built-in model table plus the models a
/// configuration adds.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    models: Vec<Arc<Model>>,
}

/// How a model id was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdForm {
    /// A first-party id or alias.
    FirstParty,
    /// An Amazon Bedrock InvokeModel id, possibly with an inference-profile prefix: it names
    /// the model in the URL, never in a body.
    Bedrock,
    /// An id that "Claude in Amazon Bedrock" (Bedrock's Messages-API endpoint) takes in the
    /// body's `model`, e.g. `anthropic.claude-opus-5`.
    BedrockMessages,
    /// A Google Cloud Vertex AI id.
    Vertex,
}

/// A known id close to one the table does not know: what the writer most likely meant.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Suggestion<'a> {
    /// The model meant.
    pub model: &'a Model,
    /// The first-party id to write: the model's id or alias that is spelt most like the input
    /// (dated when the input has a date, dateless when it has none).
    pub id: &'a str,
}

static BUILTIN: LazyLock<Facts> = LazyLock::new(|| {
    let table: ModelTable =
        toml::from_str(models::BUILTIN_MODELS).expect("data/models.toml is checked by a test");
    Facts {
        models: table.models.into_iter().map(Arc::new).collect(),
    }
});

/// How close (Jaro-Winkler on normalised ids after `claude-`) an unreadable id must be to a
/// known one to be taken for a misspelling of it, unless it is a few edits away.
const MIN_SIMILARITY: f64 = 0.9;

/// Edits (Damerau-Levenshtein on normalised ids after `claude-`) that still count as a
/// misspelling; at most one per three characters of the input.
const MAX_TYPO_EDITS: usize = 2;

impl Facts {
    /// The built-in facts.
    pub(crate) fn builtin() -> &'static Facts {
        &BUILTIN
    }

    /// The built-in facts plus `extra` models (configured proxies, fine-tunes, ARNs); an
    /// extra model with an id the table has replaces the built-in entry.
    pub(crate) fn with_models(extra: Vec<Model>) -> Facts {
        let mut models: Vec<Arc<Model>> = extra.into_iter().map(Arc::new).collect();
        models.extend(
            BUILTIN
                .models
                .iter()
                .filter(|m| !models.iter().any(|e| e.id == m.id))
                .cloned()
                .collect::<Vec<_>>(),
        );
        Facts { models }
    }

    /// Every known model.
    pub(crate) fn models(&self) -> impl Iterator<Item = &Model> {
        self.models.iter().map(|m| m.as_ref())
    }

    /// The model with first-party id or alias `id`.
    pub(crate) fn get(&self, id: &str) -> Option<&Model> {
        self.models().find(|m| m.ids().any(|i| i == id))
    }

    /// Finds the model an id names, in any of its forms: first-party, Bedrock (with or
    /// without an inference-profile prefix) or Vertex. Exact: see [`Facts::suggest`] for ids
    /// that are almost right.
    pub(crate) fn resolve(&self, id: &str) -> Option<(&Model, IdForm)> {
        if let Some(m) = self.get(id) {
            return Some((m, IdForm::FirstParty));
        }
        let bare = model_id::strip_profile(id);
        if let Some(m) = self
            .models()
            .find(|m| m.bedrock_messages.iter().any(|b| b == bare))
        {
            return Some((m, IdForm::BedrockMessages));
        }
        if let Some(m) = self.models().find(|m| m.bedrock.iter().any(|b| b == bare)) {
            return Some((m, IdForm::Bedrock));
        }
        self.models()
            .find(|m| m.vertex.iter().any(|v| v == id))
            .map(|m| (m, IdForm::Vertex))
    }

    /// True when `id` looks like a Claude model id, known or not (`claude-…`,
    /// `anthropic.claude-…`, in any case, a configured model): the evidence that a file is a
    /// Claude request.
    pub(crate) fn looks_like_claude(&self, id: &str) -> bool {
        model_id::normalize(id).starts_with("claude") || self.resolve(id).is_some()
    }

    /// The model to suggest in place of `model` on `today`: `model` itself while it is active,
    /// else the first active model down its chain of replacements (a retired id is never the
    /// one to write). `None` when the chain ends before an active model.
    pub(crate) fn in_service<'a>(
        &'a self,
        model: &'a Model,
        today: jiff::civil::Date,
    ) -> Option<&'a Model> {
        let mut current = model;
        // A bounded walk: a table with a cycle of replacements must not hang.
        for _ in 0..=self.models.len() {
            if current.lifecycle(today) == Lifecycle::Active {
                return Some(current);
            }
            current = self.get(current.replacement.as_deref()?)?;
        }
        None
    }

    /// The model an unknown id most likely means, as a first-party id.
    ///
    /// First the id is read into family, version and date, so that invented spellings
    /// (`claude-sonnet-4.5`, `claude-3.5-sonnet`, `claude-4-sonnet`, a Bedrock id without its
    /// exact suffix) find their model. Then a known id with words added
    /// (`claude-opus-4-5-thinking`) gives that id. Last, string similarity catches typos
    /// (`claude-sonet-4-6`). `None` when nothing is close. The model may be retired: callers
    /// say so and point at its replacement.
    pub(crate) fn suggest(&self, id: &str) -> Option<Suggestion<'_>> {
        let candidates = || {
            self.models()
                .flat_map(|model| model.ids().map(move |id| Suggestion { model, id }))
        };
        if let Some(wanted) = model_id::IdParts::parse(id) {
            let rank = |parts: &model_id::IdParts, s: &Suggestion<'_>| {
                (
                    wanted.date.is_some() && parts.date == wanted.date,
                    parts.date.is_some() == wanted.date.is_some(),
                    s.model.launched,
                )
            };
            let found = first_max_by_key(candidates().filter_map(|s| {
                let parts = model_id::IdParts::parse(s.id)?;
                parts.same_model(&wanted).then(|| (rank(&parts, &s), s))
            }));
            if found.is_some() {
                return found;
            }
        }
        let wanted = model_id::normalize(id);
        // A known id followed by words of its own (`claude-opus-4-5-thinking`): the longest.
        // Numbers after it would make another version (`claude-2-5-sonnet` is not Claude 2).
        let extended = first_max_by_key(candidates().filter_map(|s| {
            let known = model_id::normalize(s.id);
            let rest = wanted.strip_prefix(known.as_str())?;
            let words_only = rest.starts_with('-') && !rest.bytes().any(|b| b.is_ascii_digit());
            words_only.then_some((known.len(), s))
        }));
        if extended.is_some() {
            return extended;
        }
        // A typo. Every id starts with `claude`, so only what follows it is compared.
        let wanted_tail = model_tail(&wanted);
        first_max_by_key(candidates().filter_map(|s| {
            let known = model_id::normalize(s.id);
            let known_tail = model_tail(&known);
            let score = strsim::jaro_winkler(wanted_tail, known_tail);
            let edits = strsim::damerau_levenshtein(wanted_tail, known_tail);
            let close =
                score >= MIN_SIMILARITY || edits <= MAX_TYPO_EDITS.min(wanted_tail.len() / 3);
            // Scores compare as integers: only their order matters.
            close.then_some(((score * 1e6) as u64, s))
        }))
    }
}

/// A normalised id without its leading `claude-`, the part in which ids differ.
fn model_tail(normalized: &str) -> &str {
    normalized
        .strip_prefix("claude")
        .map_or(normalized, |rest| rest.trim_start_matches('-'))
}

/// The item with the greatest key; the first one on ties (table order: newest first).
fn first_max_by_key<K: Ord, T>(items: impl Iterator<Item = (K, T)>) -> Option<T> {
    items
        .fold(None, |best: Option<(K, T)>, (key, item)| match best {
            Some((best_key, best_item)) if best_key >= key => Some((best_key, best_item)),
            _ => Some((key, item)),
        })
        .map(|(_, item)| item)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use jiff::civil::{Date, date};

    use super::*;

    /// The day the table was compiled; lifecycle checks of the table use it.
    const TABLE_DAY: Date = date(2026, 11, 25);

    fn facts() -> &'static Facts {
        Facts::builtin()
    }

    #[test]
    fn every_first_party_id_and_alias_is_unique() {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for model in facts().models() {
            for id in model.ids() {
                if let Some(other) = seen.insert(id, &model.id) {
                    panic!("`{id}` names both {other} and {}", model.id);
                }
            }
        }
    }

    #[test]
    fn every_platform_id_is_unique_and_distinct_from_first_party_ids() {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for model in facts().models() {
            let platform = model
                .bedrock
                .iter()
                .chain(&model.bedrock_messages)
                .chain(&model.vertex);
            for id in platform {
                if let Some(other) = seen.insert(id, &model.id) {
                    assert_eq!(
                        other, model.id,
                        "`{id}` names both {other} and {}",
                        model.id
                    );
                }
                if let Some(first_party) = facts().get(id) {
                    assert_eq!(
                        first_party.id, model.id,
                        "`{id}` is also the first-party id of {}",
                        first_party.id
                    );
                }
            }
        }
    }

    #[test]
    fn every_replacement_is_a_known_model_that_outlives_the_one_it_replaces() {
        for model in facts().models() {
            let Some(replacement) = &model.replacement else {
                assert!(
                    model.retired.is_none_or(|r| r > TABLE_DAY),
                    "{} is retired without a replacement",
                    model.id
                );
                continue;
            };
            let successor = facts()
                .get(replacement)
                .unwrap_or_else(|| panic!("{} names unknown replacement {replacement}", model.id));
            assert!(
                !matches!(successor.lifecycle(TABLE_DAY), Lifecycle::Retired(_)),
                "{} is replaced by retired {replacement}",
                model.id
            );
            assert!(
                successor.retired.is_none() || successor.retired > model.retired,
                "{replacement} retires before {} does",
                model.id
            );
        }
    }

    #[test]
    fn limits_and_dates_are_consistent() {
        for model in facts().models() {
            let id = &model.id;
            assert!(
                model.max_output <= model.context_window,
                "{id}: max_output > context_window"
            );
            if let Some(batch) = model.batch_max_output {
                assert!(
                    batch > model.max_output,
                    "{id}: batch_max_output must raise the limit"
                );
            }
            assert!(
                model.min_cache_tokens < model.context_window,
                "{id}: cache minimum"
            );
            let dates = [model.launched, model.deprecated, model.retired];
            let known: Vec<Date> = dates.iter().flatten().copied().collect();
            assert!(
                known.windows(2).all(|w| w[0] < w[1]),
                "{id}: dates out of order: {dates:?}"
            );
            assert!(
                model.deprecated.is_none() || model.retired.is_some(),
                "{id}: deprecated without end of life"
            );
            assert!(
                model.source.contains('§') || model.source.contains('['),
                "{id}: source cites nothing"
            );
            assert!(
                !model.thinking.is_empty() || model.effort.is_empty(),
                "{id}: effort without thinking"
            );
        }
    }

    /// `inference_geo` came with Claude Opus 4.6 (2026-02-05): every model launched before it
    /// rejects the parameter, every later one takes it (§1.2).
    #[test]
    fn inference_geo_starts_with_opus_4_6() {
        let opus_4_6 = date(2026, 2, 5);
        for model in facts().models() {
            let launched = model
                .launched
                .expect("every built-in model has a launch day");
            assert_eq!(
                model.inference_geo,
                launched >= opus_4_6,
                "{}: inference_geo",
                model.id
            );
        }
    }

    #[test]
    fn every_id_resolves_in_every_form() {
        for model in facts().models() {
            for id in model.ids() {
                let (found, form) = facts()
                    .resolve(id)
                    .unwrap_or_else(|| panic!("{id} does not resolve"));
                assert_eq!(
                    (found.id.as_str(), form),
                    (model.id.as_str(), IdForm::FirstParty)
                );
            }
            for id in &model.bedrock {
                for written in [
                    id.clone(),
                    format!("us.{id}"),
                    format!("global.{id}"),
                    format!("eu.{id}"),
                ] {
                    let (found, form) = facts()
                        .resolve(&written)
                        .unwrap_or_else(|| panic!("{written} does not resolve"));
                    assert_eq!(
                        (found.id.as_str(), form),
                        (model.id.as_str(), IdForm::Bedrock),
                        "{written}"
                    );
                }
            }
            for id in &model.bedrock_messages {
                for written in [id.clone(), format!("us.{id}")] {
                    let (found, form) = facts()
                        .resolve(&written)
                        .unwrap_or_else(|| panic!("{written} does not resolve"));
                    assert_eq!(
                        (found.id.as_str(), form),
                        (model.id.as_str(), IdForm::BedrockMessages),
                        "{written}"
                    );
                }
            }
            for id in &model.vertex {
                let (found, _) = facts()
                    .resolve(id)
                    .unwrap_or_else(|| panic!("{id} does not resolve"));
                assert_eq!(found.id, model.id);
            }
        }
        let at_vertex = facts()
            .resolve("claude-sonnet-4-5@20250929")
            .map(|(m, f)| (m.id.as_str(), f));
        assert_eq!(
            at_vertex,
            Some(("claude-sonnet-4-5-20250929", IdForm::Vertex))
        );
        assert!(facts().resolve("claude-sonnet-4-5@20250930").is_none());
        assert!(
            facts()
                .resolve("apac.anthropic.claude-sonnet-4-5-20250929-v1:0")
                .is_some()
        );
    }

    #[test]
    fn the_reference_model_lists_are_all_present() {
        // §7.1 (the [PY] 2.14 ids) and §7.2 (retired ids).
        let ids = [
            "claude-fable-5-2",
            "claude-mythos-5-2",
            "claude-haiku-5-5",
            "claude-sonnet-5-5",
            "claude-fable-5-1",
            "claude-opus-5-5",
            "claude-mythos-5-1",
            "claude-sonnet-5",
            "claude-fable-5",
            "claude-mythos-5",
            "claude-opus-5",
            "claude-opus-4-8",
            "claude-opus-4-7",
            "claude-mythos-preview",
            "claude-opus-4-6",
            "claude-sonnet-4-6",
            "claude-haiku-4-5-20251001",
            "claude-haiku-4-5",
            "claude-opus-4-5-20251101",
            "claude-opus-4-5",
            "claude-sonnet-4-5-20250929",
            "claude-sonnet-4-5",
            "claude-opus-4-1-20250805",
            "claude-opus-4-1",
            "claude-opus-4-20250514",
            "claude-opus-4-0",
            "claude-4-opus-20250514",
            "claude-sonnet-4-20250514",
            "claude-sonnet-4-0",
            "claude-4-sonnet-20250514",
            "claude-3-haiku-20240307",
            "claude-3-7-sonnet-20250219",
            "claude-3-7-sonnet-latest",
            "claude-3-5-haiku-20241022",
            "claude-3-5-haiku-latest",
            "claude-3-opus-20240229",
            "claude-3-opus-latest",
            "claude-3-5-sonnet-20241022",
            "claude-3-5-sonnet-20240620",
            "claude-3-5-sonnet-latest",
            "claude-3-sonnet-20240229",
            "claude-2.1",
            "claude-2.0",
            "claude-1.0",
            "claude-1.1",
            "claude-1.2",
            "claude-1.3",
            "claude-instant-1.0",
            "claude-instant-1.1",
            "claude-instant-1.2",
        ];
        for id in ids {
            assert!(facts().get(id).is_some(), "{id} is missing");
        }
    }

    #[test]
    fn lifecycle_follows_the_dates() {
        let lifecycle = |id: &str, day: Date| facts().get(id).unwrap().lifecycle(day);
        assert_eq!(lifecycle("claude-opus-5", TABLE_DAY), Lifecycle::Active);
        assert_eq!(lifecycle("claude-haiku-4-5", TABLE_DAY), Lifecycle::Active);
        let sonnet_45_end = date(2026, 11, 30);
        assert_eq!(
            lifecycle("claude-sonnet-4-5", TABLE_DAY),
            Lifecycle::Deprecated(Some(sonnet_45_end))
        );
        assert_eq!(
            lifecycle("claude-sonnet-4-5", sonnet_45_end),
            Lifecycle::Retired(sonnet_45_end)
        );
        // Mythos Preview: deprecated on 2026-06-09, end of life 2026-06-30, retired by the table day.
        let mythos_end = date(2026, 6, 30);
        assert_eq!(
            lifecycle("claude-mythos-preview", date(2026, 6, 1)),
            Lifecycle::Active
        );
        assert_eq!(
            lifecycle("claude-mythos-preview", date(2026, 6, 29)),
            Lifecycle::Deprecated(Some(mythos_end))
        );
        assert_eq!(
            lifecycle("claude-mythos-preview", TABLE_DAY),
            Lifecycle::Retired(mythos_end)
        );
        // Sonnet 4 was still active before its notice went out.
        assert_eq!(
            lifecycle("claude-sonnet-4-0", date(2026, 4, 13)),
            Lifecycle::Active
        );
        assert_eq!(
            lifecycle("claude-3-5-sonnet-latest", TABLE_DAY),
            Lifecycle::Retired(date(2025, 10, 28))
        );
    }

    fn suggestion(id: &str) -> Option<&'static str> {
        facts().suggest(id).map(|s| s.id)
    }

    #[test]
    fn suggests_the_model_an_invented_id_means() {
        let cases = [
            ("claude-sonnet-4.5", "claude-sonnet-4-5"),
            ("claude-3.5-sonnet", "claude-3-5-sonnet-latest"),
            ("claude-4-sonnet", "claude-sonnet-4-0"),
            ("claude-4.5-sonnet", "claude-sonnet-4-5"),
            ("claude-opus-4.6", "claude-opus-4-6"),
            ("claude-opus-4", "claude-opus-4-0"),
            ("claude-3-opus", "claude-3-opus-latest"),
            ("claude-haiku-3", "claude-3-haiku-20240307"),
            ("claude-sonnet-4-5-latest", "claude-sonnet-4-5"),
            ("claude-sonnet-4-5-20250930", "claude-sonnet-4-5-20250929"),
            (
                "claude-3-5-sonnet-20240620-v1:0",
                "claude-3-5-sonnet-20240620",
            ),
            ("claude-opus-4-6-20260205", "claude-opus-4-6"),
            ("Claude-Opus-5", "claude-opus-5"),
            (" claude-opus-5", "claude-opus-5"),
            ("claude-2-1", "claude-2.1"),
            ("claude-fable-5.1", "claude-fable-5-1"),
            ("us.anthropic.claude-sonnet-4-6-v1:0", "claude-sonnet-4-6"),
            ("claude-sonet-4-6", "claude-sonnet-4-6"),
            ("claude-opus-4-5-thinking", "claude-opus-4-5"),
        ];
        for (id, expected) in cases {
            assert_eq!(suggestion(id), Some(expected), "{id}");
        }
    }

    #[test]
    fn the_model_in_service_follows_replacements_past_retired_ones() {
        let today = date(2026, 12, 3);
        let in_service = |id: &str| {
            let model = facts().get(id).unwrap();
            facts().in_service(model, today).map(|m| m.id.as_str())
        };
        assert_eq!(in_service("claude-opus-5"), Some("claude-opus-5"));
        // Retired on 2026-11-30; its replacement is active.
        assert_eq!(in_service("claude-sonnet-4-5"), Some("claude-sonnet-5-5"));
        // Retired long ago, through a chain of replacements.
        let old = in_service("claude-3-5-sonnet-latest").unwrap();
        assert_eq!(
            facts().get(old).unwrap().lifecycle(today),
            Lifecycle::Active,
            "{old}"
        );
    }

    #[test]
    fn suggests_nothing_far_from_every_model() {
        for id in [
            "claude-foo",
            "claude-x",
            "claude-enterprise",
            "claude-2-5-sonnet-pro",
            "gpt-4o",
            "",
        ] {
            assert_eq!(suggestion(id), None, "{id}");
        }
    }

    #[test]
    fn configured_models_are_known_and_replace_builtin_entries() {
        let mut proxy = facts().get("claude-opus-5").unwrap().clone();
        proxy.id = "my-proxy-opus".into();
        proxy.aliases = vec![];
        proxy.bedrock_messages = vec![];
        proxy.vertex = vec![];
        let mut shorter = facts().get("claude-haiku-4-5").unwrap().clone();
        shorter.max_output = 1000;
        let facts = Facts::with_models(vec![proxy, shorter]);
        assert_eq!(
            facts.resolve("my-proxy-opus").map(|(m, _)| m.max_output),
            Some(128000)
        );
        assert_eq!(
            facts.get("claude-haiku-4-5").map(|m| m.max_output),
            Some(1000)
        );
        assert!(facts.looks_like_claude("my-proxy-opus"));
        assert_eq!(
            facts.models().count(),
            Facts::builtin().models().count() + 1
        );
    }

    #[test]
    fn claude_looking_ids() {
        for id in [
            "claude-next",
            "Claude-3-Opus",
            "us.anthropic.claude-x",
            "anthropic.claude-v2:1",
        ] {
            assert!(facts().looks_like_claude(id), "{id}");
        }
        for id in [
            "gpt-4o",
            "anthropic/claude-3.5-sonnet",
            "arn:aws:bedrock:us-east-1::foundation-model/x",
            "gemini-claude",
        ] {
            assert!(!facts().looks_like_claude(id), "{id}");
        }
    }
}
