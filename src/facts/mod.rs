//! What the API accepts, as data: models, limits and platform dialects (invariant 6).

pub mod blocks;
pub mod dialect;
pub mod models;
pub mod params;

use std::sync::{Arc, LazyLock};

pub use dialect::Dialect;
pub use models::{Lifecycle, Model, ModelTable};

/// The facts rules are checked against: the built-in model table plus the models a
/// configuration adds.
#[derive(Debug, Clone)]
pub struct Facts {
    models: Vec<Arc<Model>>,
}

/// How a model id was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdForm {
    /// A first-party id or alias.
    FirstParty,
    /// An Amazon Bedrock id, possibly with an inference-profile prefix.
    Bedrock,
    /// A Google Cloud Vertex AI id.
    Vertex,
}

static BUILTIN: LazyLock<Facts> = LazyLock::new(|| {
    let table: ModelTable =
        toml::from_str(models::BUILTIN_MODELS).expect("data/models.toml is checked by a test");
    Facts {
        models: table.models.into_iter().map(Arc::new).collect(),
    }
});

/// Bedrock cross-region inference-profile prefixes (`us.anthropic.claude-...`).
const BEDROCK_PROFILES: &[&str] = &["global.", "us.", "eu.", "jp.", "au.", "apac.", "us-gov."];

impl Facts {
    /// The built-in facts.
    pub fn builtin() -> &'static Facts {
        &BUILTIN
    }

    /// The built-in facts plus `extra` models (configured proxies, fine-tunes, ARNs); an
    /// extra model with an id the table has replaces the built-in entry.
    pub fn with_models(extra: Vec<Model>) -> Facts {
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
    pub fn models(&self) -> impl Iterator<Item = &Model> {
        self.models.iter().map(|m| m.as_ref())
    }

    /// Finds the model an id names, in any of its forms.
    pub fn resolve(&self, id: &str) -> Option<(&Model, IdForm)> {
        if let Some(m) = self.models().find(|m| m.ids().any(|i| i == id)) {
            return Some((m, IdForm::FirstParty));
        }
        let bedrock = BEDROCK_PROFILES
            .iter()
            .find_map(|p| id.strip_prefix(p))
            .unwrap_or(id);
        if let Some(m) = self
            .models()
            .find(|m| m.bedrock.iter().any(|b| b == bedrock))
        {
            return Some((m, IdForm::Bedrock));
        }
        self.models()
            .find(|m| m.vertex.iter().any(|v| v == id))
            .map(|m| (m, IdForm::Vertex))
    }

    /// True when `id` looks like a Claude model id, known or not (`claude-…`,
    /// `anthropic.claude-…`, a configured model): the evidence that a file is a Claude request.
    pub fn looks_like_claude(&self, id: &str) -> bool {
        let bare = BEDROCK_PROFILES
            .iter()
            .find_map(|p| id.strip_prefix(p))
            .unwrap_or(id);
        bare.starts_with("claude")
            || bare.starts_with("anthropic.claude")
            || self.resolve(id).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses() {
        assert!(Facts::builtin().models().count() > 0);
    }
}
