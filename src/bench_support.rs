//! What the benches in `benches/` time below the API: the token estimate over a body parsed
//! before timing, from a cold or a warm cache, and the token counter alone. A bench links the
//! library as any user does, so this is `pub`; it is hidden from the docs and is not API
//! (ARCHITECTURE.md, "Public API"): thin wrappers, so that what they wrap stays private.

use crate::facts::Facts;
use crate::syntax::{Node, json};
use crate::tokens::estimate::{Keys, Measurer};
use crate::tokens::{Estimate, Profile, TokenCache};

/// A JSON body parsed before timing.
pub struct Tree(Node);

impl Tree {
    /// `text` parsed as one JSON body; `None` when it holds no value.
    pub fn parse_json(text: &str) -> Option<Self> {
        json::parse(text, 0).root.map(Self)
    }
}

/// What the estimate knows of one model (its tokenizer's calibration, image limits).
pub struct Model(Profile);

impl Model {
    /// The model `id` of the built-in table (an unknown id gets the default profile).
    pub fn builtin(id: &str) -> Self {
        Self(Profile::for_model(Facts::builtin().get(id)))
    }
}

/// The token cache the language server keeps per document.
#[derive(Clone, Default)]
pub struct Cache(TokenCache);

impl Cache {
    /// The estimate of `tree` for `model`, counting only texts this cache has not seen.
    pub fn estimate(&mut self, tree: &Tree, model: &Model) -> Estimate {
        self.0.estimate(&tree.0, &model.0)
    }

    /// The o200k count of `text`, as the estimate counts a text.
    pub fn count(&mut self, text: &str) -> u64 {
        self.0.count(&[text], &Keys::default())[0]
    }
}
