//! Open documents: their text, edited in arrival order, and the analysed snapshot of their
//! latest version.
//!
//! A document's text and line index are shared with its snapshot and edited in place once
//! the snapshot is no longer needed, so a 32 MB document is not copied for every keystroke;
//! and the parse of the last analysis is kept and patched for each edit when the edit is
//! provably local ([`incremental`]), so the next analysis need not parse it again.
//!
//! Every change bumps the document's *generation* (a counter shared by all documents, so a
//! closed and reopened document never reuses one). Analysis results carry the generation they
//! were computed for; a result whose generation is no longer the document's is stale and is
//! dropped. Settings reloads bump every generation, so results computed under old settings
//! are dropped the same way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::convert::{Converter, Encoding};
use super::incremental::{self, Edit};
use crate::analyze::Analysis;
use crate::extract::files::{self, FileKind};
use crate::extract::siblings::Siblings;
use crate::extract::{self, Hints, Payload};
use crate::settings::Settings;
use crate::syntax::LineIndex;
use crate::tokens::calibration::Profile;
use crate::tokens::estimate::{Estimate, TokenCache, estimate};

pub(crate) use crate::analyze::{model_id_of, model_of};

/// One open document.
#[derive(Debug)]
pub(crate) struct Document {
    /// The file it is saved as, when the URI is a `file:` URI.
    pub path: Option<PathBuf>,
    /// The format it is analysed as; `None` for a language this server does not check.
    pub kind: Option<FileKind>,
    /// The client's version of the text.
    pub version: i32,
    /// Bumped on every change and settings reload.
    pub generation: u64,
    text: Arc<String>,
    index: Arc<LineIndex>,
    /// The parse of `text`, when known without parsing: the last analysis's, patched for
    /// every edit since.
    parsed: Option<Vec<files::Document>>,
    snapshot: Option<Arc<Snapshot>>,
    /// Token counts of the texts seen in this document, kept across edits so an edit
    /// recounts only what changed.
    tokens: Arc<Mutex<TokenCache>>,
}

/// What an analysis of a document's current version starts from.
#[derive(Debug)]
pub(crate) struct Source {
    /// The text (shared with the document until it is edited again).
    pub text: Arc<String>,
    /// Its line index.
    pub index: Arc<LineIndex>,
    /// Its parse, when the document had it.
    pub parsed: Option<Vec<files::Document>>,
}

impl Document {
    /// The current text (the tests compare it with a fresh parse).
    #[cfg(test)]
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// What an analysis of the current version needs: the text and index, shared, and the
    /// kept parse, handed over (the analysis keeps it in its snapshot, and the next edit takes
    /// it back from there).
    pub(crate) fn source(&mut self) -> Source {
        Source {
            text: Arc::clone(&self.text),
            index: Arc::clone(&self.index),
            parsed: self.parsed.take(),
        }
    }

    /// The document's token cache, shared with its snapshots.
    pub(crate) fn tokens(&self) -> Arc<Mutex<TokenCache>> {
        self.tokens.clone()
    }

    /// The analysed snapshot, when it is of the current generation.
    pub(crate) fn current_snapshot(&self) -> Option<Arc<Snapshot>> {
        self.snapshot
            .clone()
            .filter(|s| s.generation == self.generation)
    }

    /// Applies one change: the text and index are edited in place (copied first only when an
    /// analysis or request still reads them), and the kept parse is patched or dropped.
    fn apply(&mut self, change: TextDocumentContentChangeEvent, encoding: Encoding) {
        let Some(range) = change.range else {
            self.text = Arc::new(roomy(change.text));
            self.index = Arc::new(LineIndex::new(&self.text));
            self.parsed = None;
            return;
        };
        let replaced = Converter::new(&self.text, &self.index, encoding)
            .text_range(range)
            .to_range();
        let edit = Edit {
            start: replaced.start,
            end: replaced.end,
            inserted: change.text.len(),
        };
        if Arc::strong_count(&self.text) > 1 {
            // A request still reads the text: edit a copy (with room, copied once).
            let mut copy = String::with_capacity(self.text.len() + room(self.text.len()));
            copy.push_str(&self.text);
            self.text = Arc::new(copy);
        }
        Arc::make_mut(&mut self.text).replace_range(replaced.clone(), &change.text);
        Arc::make_mut(&mut self.index).edit(replaced, &change.text);
        if let (Some(parsed), Some(kind)) = (&mut self.parsed, self.kind)
            && !incremental::patch(parsed, kind, &self.text, edit)
        {
            self.parsed = None;
        }
    }

    /// Takes back the parse of the current snapshot, when it is of the current text and
    /// nothing else reads the snapshot; drops the snapshot either way (it is about to be
    /// stale, and it holds the text, which the edit would otherwise have to copy).
    fn reclaim_parse(&mut self) {
        let Some(snapshot) = self.snapshot.take() else {
            return;
        };
        if snapshot.generation != self.generation || self.parsed.is_some() {
            return;
        }
        if let Ok(snapshot) = Arc::try_unwrap(snapshot) {
            self.parsed = Some(snapshot.parsed);
        }
    }
}

/// `text` with room for the edits to come: a text read off a message fills its allocation
/// exactly, so the first keystroke in a 32 MB document would allocate 64 MB and copy the
/// text while the old one is still held, the largest moment of an edit. An eighth more is
/// room for a day of typing, and pages never written take no memory.
fn roomy(mut text: String) -> String {
    text.reserve_exact(room(text.len()));
    text
}

/// The room [`roomy`] leaves after a text of `len` bytes.
fn room(len: usize) -> usize {
    len / 8
}

/// The open documents, by URI.
#[derive(Debug, Default)]
pub(crate) struct Documents {
    open: HashMap<Uri, Document>,
    generations: u64,
}

/// Why a change could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChangeError {
    /// The client changed a document it never opened (or already closed).
    NotOpen,
}

impl Documents {
    fn next_generation(&mut self) -> u64 {
        self.generations += 1;
        self.generations
    }

    /// Opens (or reopens) a document; returns its generation.
    pub(crate) fn open(&mut self, uri: Uri, language_id: &str, version: i32, text: String) -> u64 {
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
                index: Arc::new(LineIndex::new(&text)),
                text: Arc::new(roomy(text)),
                parsed: None,
                snapshot: None,
                tokens: Arc::default(),
            },
        );
        generation
    }

    /// Applies `changes` in order (a change without a range replaces the whole text) and
    /// takes `version`; returns the new generation. Positions out of range are clamped as the
    /// protocol asks (a column past a line's end is its end; a line past the last is the end).
    pub(crate) fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Result<u64, ChangeError> {
        let generation = self.next_generation();
        let document = self.open.get_mut(uri).ok_or(ChangeError::NotOpen)?;
        document.reclaim_parse();
        for change in changes {
            document.apply(change, encoding);
        }
        document.version = version;
        document.generation = generation;
        Ok(generation)
    }

    /// Closes a document; true when it was open.
    pub(crate) fn close(&mut self, uri: &Uri) -> bool {
        self.open.remove(uri).is_some()
    }

    /// A document, when open (the tests look at it without editing).
    #[cfg(test)]
    pub(crate) fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    /// A document, when open, to hand its [`Source`] to an analysis.
    pub(crate) fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    /// Gives the documents `which` picks a new generation (after a settings change, or a
    /// change on disk to a module beside them) and returns their URIs with it, to analyse
    /// them again.
    pub(crate) fn invalidate(&mut self, which: impl Fn(&Uri) -> bool) -> Vec<(Uri, u64)> {
        let mut uris: Vec<Uri> = self.open.keys().filter(|u| which(u)).cloned().collect();
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
    pub(crate) fn is_current(&self, uri: &Uri, generation: u64) -> bool {
        self.open
            .get(uri)
            .is_some_and(|d| d.generation == generation)
    }

    /// Keeps `snapshot` as the document's analysis when it is still current.
    pub(crate) fn store(&mut self, uri: &Uri, snapshot: &Arc<Snapshot>) {
        if let Some(document) = self.open.get_mut(uri)
            && document.generation == snapshot.generation
        {
            document.snapshot = Some(Arc::clone(snapshot));
        }
    }
}

/// The file a `file:` URI names.
pub(crate) fn file_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// What an analysis of one version of a document found, with the text it was computed on:
/// every request about that version (actions, hovers, hints) reads it, so ranges always
/// match the text they were found in.
#[derive(Debug)]
pub(crate) struct Snapshot {
    /// The client's version of the text.
    pub version: i32,
    /// The document generation it was computed for.
    pub generation: u64,
    /// The text.
    pub text: Arc<String>,
    /// Its line index.
    pub index: Arc<LineIndex>,
    /// The format it was analysed as.
    pub kind: Option<FileKind>,
    /// The path given to the analysis (it picks count_tokens bodies by name).
    pub path: String,
    /// The settings it was analysed with, or why the configuration could not be used.
    pub settings: Result<Arc<Settings>, String>,
    /// The diagnostics.
    pub analysis: Analysis,
    /// The file's documents, as the analysis parsed them (hovers, hints and completion read
    /// the tree; the next edit patches it).
    parsed: Vec<files::Document>,
    tokens: Arc<Mutex<TokenCache>>,
    estimates: OnceLock<Vec<Estimate>>,
}

impl Snapshot {
    /// Analyses `source`, parsing it unless its parse came with it. Without a kind or
    /// settings nothing is analysed.
    pub(crate) fn analyse(
        version: i32,
        generation: u64,
        source: Source,
        kind: Option<FileKind>,
        path: &Path,
        settings: Result<Arc<Settings>, String>,
        tokens: Arc<Mutex<TokenCache>>,
    ) -> Self {
        let path = path.display().to_string();
        let Source {
            text,
            index,
            parsed,
        } = source;
        let parsed = match (parsed, kind) {
            (Some(parsed), _) => parsed,
            (None, Some(kind)) => {
                // A document that is no file yet (`untitled:`) has no module beside it.
                let siblings = match Path::new(&path).is_absolute() {
                    true => Siblings::of(&path),
                    false => Siblings::none(),
                };
                files::parse_in(&text, kind, &siblings)
            }
            (None, None) => Vec::new(),
        };
        let analysis = match (&settings, kind) {
            (Ok(settings), Some(kind)) => {
                crate::analyze::analyze_parsed(&text, kind, &path, settings, &parsed, &tokens)
            }
            _ => Analysis::default(),
        };
        Self {
            version,
            generation,
            text,
            index,
            kind,
            path,
            settings,
            analysis,
            parsed,
            tokens,
            estimates: OnceLock::new(),
        }
    }

    /// The token estimate of each of [`Snapshot::payloads`], in the same order (computed on
    /// first use, through the document's cache).
    pub(crate) fn estimates(&self) -> &[Estimate] {
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
                    // Within the pass of the last analysis: the texts it counted stay live.
                    estimate(payload.root, &profile, &mut *cache)
                })
                .collect()
        })
    }

    /// The file's documents.
    pub(crate) fn documents(&self) -> &[files::Document] {
        &self.parsed
    }

    /// Every request payload in the file, with the settings that apply to it.
    pub(crate) fn payloads(&self) -> Vec<Payload<'_>> {
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
        let first = docs.open(uri(), "json", 1, "{\r\n  \"é\": 1\r\n}".into());
        assert_eq!(docs.get(&uri()).unwrap().kind, Some(FileKind::Json));
        let changes = vec![edit((1, 7, 1, 8), "2"), edit((1, 2, 1, 5), "\"ab\"")];
        let second = docs.change(&uri(), 2, changes, Encoding::Utf16).unwrap();
        assert!(second > first);
        assert!(!docs.is_current(&uri(), first));
        let document = docs.get(&uri()).unwrap();
        assert_eq!(document.text(), "{\r\n  \"ab\": 2\r\n}");
        assert_eq!(document.version, 2);
    }

    #[test]
    fn typing_does_not_move_the_text() {
        let mut docs = Documents::default();
        let text = format!("{{\"messages\": [\"{}\"]}}", "a".repeat(80_000));
        docs.open(uri(), "json", 1, text.clone());
        let before = docs.get(&uri()).unwrap().text().as_ptr();
        // Ten thousand keystrokes: the text grows by an eighth, in place.
        for version in 2..10_002 {
            docs.change(
                &uri(),
                version,
                vec![edit((0, 15, 0, 15), "b")],
                Encoding::Utf16,
            )
            .unwrap();
        }
        let document = docs.get(&uri()).unwrap();
        assert_eq!(document.text().len(), text.len() + 10_000);
        assert_eq!(document.text().as_ptr(), before);
        // A whole new text gets room too.
        let whole = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: text.clone(),
        };
        docs.change(&uri(), 10_002, vec![whole], Encoding::Utf16)
            .unwrap();
        let before = docs.get(&uri()).unwrap().text().as_ptr();
        docs.change(
            &uri(),
            10_003,
            vec![edit((0, 15, 0, 15), "b")],
            Encoding::Utf16,
        )
        .unwrap();
        assert_eq!(docs.get(&uri()).unwrap().text().as_ptr(), before);
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
            docs.open(untitled.clone(), language_id, 1, String::new());
            assert_eq!(
                docs.get(&untitled).unwrap().kind,
                Some(kind),
                "{language_id}"
            );
        }
        let text: Uri = "file:///notes.txt".parse().unwrap();
        docs.open(text.clone(), "plaintext", 1, String::new());
        assert_eq!(docs.get(&text).unwrap().kind, None);
    }
}
