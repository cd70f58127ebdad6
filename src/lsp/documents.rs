//! Open documents: their text in a rope, edited in arrival order, and the analysed snapshot
//! of their latest version.
//!
//! Every change bumps the document's *generation* (a counter shared by all documents, so a
//! closed and reopened document never reuses one). Analysis results carry the generation they
//! were computed for; a result whose generation is no longer the document's is stale and is
//! dropped. Settings reloads bump every generation, so results computed under old settings
//! are dropped the same way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::convert::{self, Encoding};
use crate::analyze::Analysis;
use crate::extract::files::{self, FileKind};
use crate::extract::{self, Hints, Payload};
use crate::settings::Settings;
use crate::syntax::LineIndex;
use crate::tokens::calibration::Profile;
use crate::tokens::estimate::{Estimate, TokenCache};

pub use crate::analyze::{model_id_of, model_of};

/// One open document.
#[derive(Debug)]
pub struct Document {
    /// The file it is saved as, when the URI is a `file:` URI.
    pub path: Option<PathBuf>,
    /// The format it is analysed as; `None` for a language this server does not check.
    pub kind: Option<FileKind>,
    /// The client's version of the text.
    pub version: i32,
    /// Bumped on every change and settings reload.
    pub generation: u64,
    rope: Rope,
    snapshot: Option<Arc<Snapshot>>,
    /// Token counts of the texts seen in this document, kept across edits so an edit
    /// recounts only what changed.
    tokens: Arc<Mutex<TokenCache>>,
}

impl Document {
    /// The current text, shared with the document (cloning a rope is O(1)).
    pub fn rope(&self) -> Rope {
        self.rope.clone()
    }

    /// The document's token cache, shared with its snapshots.
    pub fn tokens(&self) -> Arc<Mutex<TokenCache>> {
        self.tokens.clone()
    }

    /// The analysed snapshot, when it is of the current generation.
    pub fn current_snapshot(&self) -> Option<Arc<Snapshot>> {
        self.snapshot
            .clone()
            .filter(|s| s.generation == self.generation)
    }
}

/// The open documents, by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Uri, Document>,
    generations: u64,
}

/// Why a change could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeError {
    /// The client changed a document it never opened (or already closed).
    NotOpen,
}

impl Documents {
    fn next_generation(&mut self) -> u64 {
        self.generations += 1;
        self.generations
    }

    /// Opens (or reopens) a document; returns its generation.
    pub fn open(&mut self, uri: Uri, language_id: &str, version: i32, text: &str) -> u64 {
        let path = file_path(&uri);
        let kind = path
            .as_deref()
            .and_then(FileKind::from_path)
            .or_else(|| FileKind::from_language(language_id));
        let generation = self.next_generation();
        self.open.insert(
            uri,
            Document {
                path,
                kind,
                version,
                generation,
                rope: Rope::from_str(text),
                snapshot: None,
                tokens: Arc::default(),
            },
        );
        generation
    }

    /// Applies `changes` in order (a change without a range replaces the whole text) and
    /// takes `version`; returns the new generation. Positions out of range are clamped as the
    /// protocol asks (a column past a line's end is its end; a line past the last is the end).
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Result<u64, ChangeError> {
        let generation = self.next_generation();
        let document = self.open.get_mut(uri).ok_or(ChangeError::NotOpen)?;
        for change in changes {
            match change.range {
                None => document.rope = Rope::from_str(&change.text),
                Some(range) => {
                    let start = convert::rope_char(&document.rope, range.start, encoding);
                    let end = convert::rope_char(&document.rope, range.end, encoding).max(start);
                    document.rope.remove(start..end);
                    document.rope.insert(start, &change.text);
                }
            }
        }
        document.version = version;
        document.generation = generation;
        // Stale now: free its text before the next analysis makes another copy.
        document.snapshot = None;
        Ok(generation)
    }

    /// Closes a document; true when it was open.
    pub fn close(&mut self, uri: &Uri) -> bool {
        self.open.remove(uri).is_some()
    }

    /// A document, when open.
    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    /// Gives every document a new generation (after a settings change) and returns their
    /// URIs with it, to analyse them again.
    pub fn invalidate_all(&mut self) -> Vec<(Uri, u64)> {
        let mut uris: Vec<Uri> = self.open.keys().cloned().collect();
        uris.sort();
        uris.into_iter()
            .map(|uri| {
                let generation = self.next_generation();
                if let Some(document) = self.open.get_mut(&uri) {
                    document.generation = generation;
                }
                (uri, generation)
            })
            .collect()
    }

    /// True when `generation` is still the document's current one.
    pub fn is_current(&self, uri: &Uri, generation: u64) -> bool {
        self.open
            .get(uri)
            .is_some_and(|d| d.generation == generation)
    }

    /// Keeps `snapshot` as the document's analysis when it is still current.
    pub fn store(&mut self, uri: &Uri, snapshot: &Arc<Snapshot>) {
        if let Some(document) = self.open.get_mut(uri)
            && document.generation == snapshot.generation
        {
            document.snapshot = Some(Arc::clone(snapshot));
        }
    }
}

/// The file a `file:` URI names.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// What an analysis of one version of a document found, with the text it was computed on:
/// every request about that version (actions, hovers, hints) reads it, so ranges always
/// match the text they were found in.
#[derive(Debug)]
pub struct Snapshot {
    /// The client's version of the text.
    pub version: i32,
    /// The document generation it was computed for.
    pub generation: u64,
    /// The text.
    pub text: String,
    /// Its line index.
    pub index: LineIndex,
    /// The format it was analysed as.
    pub kind: Option<FileKind>,
    /// The path given to the analysis (it picks count_tokens bodies by name).
    pub path: String,
    /// The settings it was analysed with, or why the configuration could not be used.
    pub settings: Result<Arc<Settings>, String>,
    /// The diagnostics.
    pub analysis: Analysis,
    parsed: OnceLock<Vec<files::Document>>,
    tokens: Arc<Mutex<TokenCache>>,
    estimates: OnceLock<Vec<Estimate>>,
}

impl Snapshot {
    /// Analyses `text`. Without a kind or settings nothing is analysed.
    pub fn analyse(
        version: i32,
        generation: u64,
        text: String,
        kind: Option<FileKind>,
        path: &Path,
        settings: Result<Arc<Settings>, String>,
        tokens: Arc<Mutex<TokenCache>>,
    ) -> Self {
        let path = path.display().to_string();
        let analysis = match (&settings, kind) {
            (Ok(settings), Some(kind)) => crate::analyze::analyze(&text, kind, &path, settings),
            _ => Analysis::default(),
        };
        Self {
            version,
            generation,
            index: LineIndex::new(&text),
            text,
            kind,
            path,
            settings,
            analysis,
            parsed: OnceLock::new(),
            tokens,
            estimates: OnceLock::new(),
        }
    }

    /// The token estimate of each of [`Snapshot::payloads`], in the same order (computed on
    /// first use, through the document's cache).
    pub fn estimates(&self) -> &[Estimate] {
        self.estimates.get_or_init(|| {
            let Ok(settings) = &self.settings else {
                return Vec::new();
            };
            let mut cache = self
                .tokens
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            self.payloads()
                .iter()
                .map(|payload| {
                    let profile = Profile::for_model(model_of(payload, settings));
                    cache.estimate(payload.root, &profile)
                })
                .collect()
        })
    }

    /// The file's documents (parsed on first use: only hovers, hints and completion need the
    /// tree after the analysis).
    pub fn documents(&self) -> &[files::Document] {
        self.parsed.get_or_init(|| match self.kind {
            Some(kind) => files::parse(&self.text, kind),
            None => Vec::new(),
        })
    }

    /// Every request payload in the file, with the settings that apply to it.
    pub fn payloads(&self) -> Vec<Payload<'_>> {
        let Ok(settings) = &self.settings else {
            return Vec::new();
        };
        let mut hints = Hints::from_path(&self.path);
        hints.declared = settings.declared_kind;
        self.documents()
            .iter()
            .filter_map(|d| Some((d.root.as_ref()?, d.body_bytes)))
            .flat_map(|(root, bytes)| {
                extract::discover(root, bytes, &hints, &settings.facts).payloads
            })
            .filter(|p| p.kind.is_request())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn uri() -> Uri {
        "file:///project/req.json".parse().unwrap()
    }

    fn edit(range: (u32, u32, u32, u32), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0, range.1),
                Position::new(range.2, range.3),
            )),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn changes_apply_in_order_with_generations() {
        let mut docs = Documents::default();
        let first = docs.open(uri(), "json", 1, "{\r\n  \"é\": 1\r\n}");
        assert_eq!(docs.get(&uri()).unwrap().kind, Some(FileKind::Json));
        let changes = vec![edit((1, 7, 1, 8), "2"), edit((1, 2, 1, 5), "\"ab\"")];
        let second = docs.change(&uri(), 2, changes, Encoding::Utf16).unwrap();
        assert!(second > first);
        assert!(!docs.is_current(&uri(), first));
        let document = docs.get(&uri()).unwrap();
        assert_eq!(document.rope().to_string(), "{\r\n  \"ab\": 2\r\n}");
        assert_eq!(document.version, 2);
    }

    #[test]
    fn changes_to_unopened_documents_are_refused() {
        let mut docs = Documents::default();
        let result = docs.change(&uri(), 2, vec![edit((0, 0, 0, 0), "x")], Encoding::Utf8);
        assert_eq!(result, Err(ChangeError::NotOpen));
    }

    #[test]
    fn language_ids_give_a_kind_when_the_name_does_not() {
        let mut docs = Documents::default();
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        // What VS Code, Neovim (filetypes), Helix (language ids) and Eglot (`:language-id`)
        // send for the languages the shipped editor configurations attach to.
        let expected = [
            ("json", FileKind::Json),
            ("jsonc", FileKind::Json),
            ("jsonl", FileKind::JsonLines),
            ("yaml", FileKind::Yaml),
            ("python", FileKind::Python),
            ("javascript", FileKind::JavaScript),
            ("javascriptreact", FileKind::JavaScript),
            ("typescript", FileKind::TypeScript),
            ("typescriptreact", FileKind::Tsx),
            ("shellscript", FileKind::Shell),
            ("sh", FileKind::Shell),
            ("bash", FileKind::Shell),
            ("zsh", FileKind::Shell),
            ("markdown", FileKind::Markdown),
        ];
        for (language_id, kind) in expected {
            docs.open(untitled.clone(), language_id, 1, "");
            assert_eq!(
                docs.get(&untitled).unwrap().kind,
                Some(kind),
                "{language_id}"
            );
        }
        let text: Uri = "file:///notes.txt".parse().unwrap();
        docs.open(text.clone(), "plaintext", 1, "");
        assert_eq!(docs.get(&text).unwrap().kind, None);
    }
}
