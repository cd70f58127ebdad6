//! The one way text about an analysed file leaves the tool: [`Redactor`] (invariant 8).
//!
//! A redactor is built once per analysed file from every key found in it: in the text as
//! written ([`secrets::scan_text`]: values, object keys, comments, unquoted text, headers) and
//! in its decoded strings ([`secrets::scan`]: keys written with escapes). Whatever leaves goes
//! through it: the analysis redacts its messages, fix titles and discovery notes; each front
//! end then passes everything it writes through it once more, at its one exit (the CLI's report
//! and notes, `count`, the language server's transport, the MCP tools' answers).
//!
//! Two checks cover every key: the key patterns (any whole key, even one this file never
//! held), and every run of [`RUN`] characters of a known key's secret part (a key cut short
//! by a syntax error's quote, an excerpt, a truncated label).

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashSet;

use crate::rules::secrets::{self, Secret, is_key_char};
use crate::syntax::TextRange;

/// The shortest run of a key's secret part that is hidden wherever it appears: shorter than
/// any run worth anything, long enough that unrelated text never matches by chance.
pub(crate) const RUN: usize = 8;

/// The most distinct keys whose runs are looked for; past it, keys are still found whole by
/// their pattern (a file of a million keys must not cost a million keys' runs in memory).
const MAX_KEYS: usize = 4096;

/// Every key of one analysed file (or, merged, of a whole run), and the redaction of any text
/// against them.
#[derive(Clone, Default)]
pub struct Redactor {
    /// The distinct keys, as found.
    keys: Vec<Secret>,
    /// Where keys are written in the analysed text, sorted: [`Self::mask_source`] hides these
    /// bytes even when a key is written with escapes.
    ranges: Vec<TextRange>,
    /// Every run of [`RUN`] bytes of each key's hidden part.
    runs: FxHashSet<[u8; RUN]>,
}

/// Never the keys themselves: a redactor printed for debugging must not show what it hides.
impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("keys", &self.keys.len())
            .field("ranges", &self.ranges)
            .finish_non_exhaustive()
    }
}

/// A part of some text that shows key material.
enum Shown {
    /// A whole key.
    Key(Secret),
    /// A run of a known key's secret part (a key cut short, or a fragment of one).
    Run,
}

impl Redactor {
    /// The redactor for `text` (a file as written) and `found`, its keys: those written in it
    /// ([`secrets::scan_text`]) and those of its decoded strings ([`secrets::scan`], located
    /// in `text` when written verbatim).
    pub fn new(text: &str, found: impl IntoIterator<Item = Secret>) -> Self {
        let mut redactor = Self::default();
        for secret in found {
            redactor.ranges.push(secret.locate(text));
            redactor.learn(secret);
        }
        redactor.ranges.sort();
        redactor.ranges.dedup();
        redactor
    }

    /// The redactor for text that was not analysed (`count`'s files, a client's messages):
    /// the keys written in it.
    pub fn of_text(text: &str) -> Self {
        Self::new(text, secrets::scan_text(text))
    }

    /// True when no key was found.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Where keys are written in the analysed text.
    pub fn ranges(&self) -> &[TextRange] {
        &self.ranges
    }

    /// Adds `other`'s keys (not its ranges, which are in another text): one redactor for
    /// everything a run or a session has seen.
    pub fn merge(&mut self, other: &Redactor) {
        for secret in &other.keys {
            self.learn(secret.clone());
        }
    }

    fn learn(&mut self, secret: Secret) {
        if self.keys.len() >= MAX_KEYS || self.keys.iter().any(|k| k.key == secret.key) {
            return;
        }
        let (head, _) = secret.shown();
        let bytes = secret.key.as_bytes();
        for at in head..(bytes.len() + 1).saturating_sub(RUN) {
            let mut run = [0; RUN];
            run.copy_from_slice(&bytes[at..at + RUN]);
            self.runs.insert(run);
        }
        self.keys.push(secret);
    }

    /// The parts of `text` that show key material, in order and apart: whole keys by their
    /// pattern, then runs of known keys outside them.
    fn shown(&self, text: &str) -> Vec<(TextRange, Shown)> {
        let whole = secrets::scan_text(text);
        let mut parts: Vec<(TextRange, Shown)> = Vec::new();
        let bytes = text.as_bytes();
        let mut keys = whole.into_iter().peekable();
        let mut at = 0;
        while at < bytes.len() {
            if self.runs.is_empty() && keys.peek().is_none() {
                break;
            }
            if let Some(key) = keys.next_if(|k| k.range.start as usize <= at) {
                at = key.range.end as usize;
                parts.push((key.range, Shown::Key(key)));
                continue;
            }
            let limit = keys.peek().map_or(bytes.len(), |k| k.range.start as usize);
            let Some(window) = bytes.get(at..at + RUN).filter(|_| at + RUN <= limit) else {
                at = limit.max(at + 1);
                continue;
            };
            if let Some(last) = window.iter().rposition(|&b| !is_key_char(b)) {
                at += last + 1;
                continue;
            }
            if !self.runs.contains(window) {
                at += 1;
                continue;
            }
            // Overlapping runs make one part.
            match parts.last_mut() {
                Some((range, Shown::Run)) if range.end as usize >= at => {
                    *range = TextRange::new(range.start as usize, at + RUN);
                }
                _ => parts.push((TextRange::new(at, at + RUN), Shown::Run)),
            }
            at += 1;
        }
        parts
    }

    /// `text` for a message: each whole key by its redacted form (`sk-ant-api03…XyZ9`), each
    /// run of a known key by `…`.
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let parts = self.shown(text);
        if parts.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut from = 0;
        for (range, part) in parts {
            out.push_str(&text[from..range.start as usize]);
            match part {
                Shown::Key(secret) => out.push_str(&secret.redacted()),
                Shown::Run => out.push('…'),
            }
            from = range.end as usize;
        }
        out.push_str(&text[from..]);
        Cow::Owned(out)
    }

    /// `text` with key material masked byte for byte (`*`), so offsets, columns and lengths do
    /// not move: whole keys keep their kind prefix and last four characters, runs are hidden
    /// whole. For source text, reports and protocol messages.
    pub fn mask<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.mask_with(text, &[])
    }

    /// The analysed text itself with its keys masked: [`Self::mask`], and the bytes of every
    /// key range (a key written with escapes has all its string's key characters hidden).
    pub fn mask_source<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.mask_with(text, &self.ranges)
    }

    fn mask_with<'t>(&self, text: &'t str, ranges: &[TextRange]) -> Cow<'t, str> {
        let mut hidden: Vec<std::ops::Range<usize>> = Vec::new();
        for range in ranges {
            let Some(written) = text.get(range.to_range()) else {
                continue;
            };
            let start = range.start as usize;
            let (head, tail) = match secrets::scan_text(written).as_slice() {
                [key] if key.range.len() == written.len() => key.shown(),
                _ => (0, 0),
            };
            hidden.push(start + head..range.end as usize - tail);
        }
        for (range, part) in self.shown(text) {
            let (head, tail) = match &part {
                Shown::Key(secret) => secret.shown(),
                Shown::Run => (0, 0),
            };
            hidden.push(range.start as usize + head..range.end as usize - tail);
        }
        if hidden.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut bytes = text.as_bytes().to_vec();
        for range in hidden {
            for b in &mut bytes[range] {
                if is_key_char(*b) {
                    *b = b'*';
                }
            }
        }
        // Only ASCII bytes were replaced with ASCII, so the text is still UTF-8.
        Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        )
    }
}

/// Every key a client has sent in a session of the language server or the MCP server (in a
/// document's text, an edit, a tool's input): nothing the server sends back shows them. Shared
/// by the two directions of the server's transport.
#[derive(Debug, Clone, Default)]
pub(crate) struct Keys(Arc<Mutex<Redactor>>);

impl Keys {
    /// Adds the keys written in `message`, from the client.
    pub(crate) fn learn(&self, message: &[u8]) {
        let found = Redactor::of_text(&String::from_utf8_lossy(message));
        if !found.is_empty() {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .merge(&found);
        }
    }

    /// `message`, to the client, with every key masked byte for byte (a frame's length holds).
    pub(crate) fn mask(&self, message: Vec<u8>) -> Vec<u8> {
        let Ok(text) = std::str::from_utf8(&message) else {
            return message;
        };
        let keys = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match keys.mask(text) {
            Cow::Owned(masked) => masked.into_bytes(),
            Cow::Borrowed(_) => message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::secrets::tests::anthropic_key;
    use crate::syntax::{Node, Value};

    /// A redactor for a file holding `key` in a string.
    fn holding(key: &str) -> Redactor {
        Redactor::of_text(&format!("{{\"k\": \"{key}\"}}"))
    }

    #[test]
    fn messages_show_whole_keys_redacted_and_cut_keys_and_fragments_as_ellipses() {
        let key = anthropic_key();
        let redactor = holding(&key);
        let message = format!("`{key}` and `{}…` and `{}`", &key[..30], &key[40..64]);
        assert_eq!(
            redactor.redact(&message),
            "`sk-ant-api03…XyZ9` and `sk-ant-api03……` and `…`"
        );
        assert!(matches!(redactor.redact("no key here"), Cow::Borrowed(_)));
        // A key this file never held is still found whole by its pattern.
        let other = key.replace("Xq7", "Wp3");
        assert_eq!(
            Redactor::default().redact(&format!("({other})")),
            "(sk-ant-api03…XyZ9)"
        );
    }

    #[test]
    fn masking_keeps_every_offset() {
        let key = anthropic_key();
        let redactor = holding(&key);
        let text = format!("a {key} b {} c", &key[20..50]);
        let masked = redactor.mask(&text);
        assert_eq!(masked.len(), text.len());
        let shown = format!("sk-ant-api03{}XyZ9", "*".repeat(key.len() - 16));
        assert_eq!(masked, format!("a {shown} b {} c", "*".repeat(30)));
        // Runs shorter than RUN are not key material; the shown prefix is not either.
        let short = format!("{} sk-ant-api03", &key[20..20 + RUN - 1]);
        assert!(matches!(redactor.mask(&short), Cow::Borrowed(_)));
    }

    #[test]
    fn source_masking_covers_keys_written_with_escapes() {
        let key = anthropic_key();
        // The second key starts with an escape: only its decoded string shows it whole.
        let escaped = format!("\\u0073{}", &key[1..]);
        let text = format!("{{\"k\": \"{key}\", \"é\": \"{escaped}\"}}");
        let string_start = text.rfind("\"\\u").unwrap();
        let decoded = secrets::scan(&Node::new(
            TextRange::new(string_start, text.len() - 1),
            Value::String(key.clone()),
        ));
        let redactor = Redactor::new(&text, secrets::scan_text(&text).into_iter().chain(decoded));
        let masked = redactor.mask_source(&text);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked.chars().count(), text.chars().count());
        let shown = format!("sk-ant-api03{}XyZ9", "*".repeat(key.len() - 16));
        assert!(masked.contains(&format!("\"k\": \"{shown}\"")), "{masked}");
        let all = "*".repeat(escaped.len() - 1);
        assert!(
            masked.ends_with(&format!("\"é\": \"\\{all}\"}}")),
            "{masked}"
        );
        assert!(!format!("{redactor:?}").contains(&key[13..30]));
    }

    #[test]
    fn merged_redactors_know_every_key_once() {
        let key = anthropic_key();
        let mut all = Redactor::default();
        all.merge(&holding(&key));
        all.merge(&holding(&key));
        assert_eq!(all.keys.len(), 1);
        assert!(all.ranges().is_empty());
        assert_eq!(all.redact(&key[30..60]), "…");
    }
}
