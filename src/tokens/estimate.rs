//! The offline estimate: a pure function of the payload tree and a model [`Profile`].
//!
//! It runs in three steps. The walk lists every priced piece of the request (a text, a JSON
//! tool input, an image, a PDF, a fixed overhead) with the message and block it belongs to.
//! The texts are then counted with the o200k BPE by a [`Measurer`]: [`TokenCache`] counts each
//! distinct text once and remembers it, so re-estimating after an edit counts only the changed
//! texts (misses are counted in parallel); [`ByteBound`] counts no text at all and takes each
//! text's byte length, an upper bound of its BPE count (every token is at least one byte), so
//! checks that only need to know a request is far from its window skip the BPE entirely. Last,
//! the counts are scaled by the tokenizer generation's factors and summed per block, message
//! and [`Kind`]. Base64 data is never tokenized as text.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::hash::Hasher;

use bpe_openai::byte_pair_encoding::BytePairEncoding;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};

use super::calibration::Profile;
use super::{Band, Breakdown, Kind, media};
use crate::extract::conversation::{self, block_kind};
use crate::facts::blocks::block_type;
use crate::syntax::{Node, TextRange, Value};

/// Counts what the estimate cannot price from structure alone.
pub(crate) trait Measurer {
    /// The o200k token counts of `texts`, in order; a measurer that caches by content takes
    /// their cache keys from `keys`.
    fn count(&mut self, texts: &[&str], keys: &Keys) -> Vec<u64>;
    /// What a base64 PDF holds, when it can be read.
    fn pdf(&mut self, base64: &str) -> Option<PdfMeasure>;
}

/// What a PDF holds, as the estimate prices it: small enough to cache per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PdfMeasure {
    /// Its pages (0 when they cannot be counted).
    pub pages: u32,
    /// The o200k count of the text its pages draw.
    pub text_tokens: u64,
    /// Whether that text could be read: when not, pages are priced at the flat figures.
    pub text_read: bool,
    /// Its images.
    pub images: u32,
}

/// Reads a base64 PDF and counts its text with `measurer`.
fn measure_pdf(measurer: &mut impl Measurer, base64: &str) -> Option<PdfMeasure> {
    let contents = media::pdf_contents(base64)?;
    let text_tokens = if contents.text.is_empty() {
        0
    } else {
        measurer.count(&[&contents.text], &Keys::default())[0]
    };
    Some(PdfMeasure {
        pages: u32::try_from(contents.pages).unwrap_or(u32::MAX),
        text_tokens,
        text_read: contents.streams_read > 0,
        images: u32::try_from(contents.images).unwrap_or(u32::MAX),
    })
}

/// Takes each text's UTF-8 length as its token count: an upper bound of the o200k count with
/// no BPE run, for checks that only need to know a request is far from its window.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ByteBound;

impl Measurer for ByteBound {
    fn count(&mut self, texts: &[&str], _: &Keys) -> Vec<u64> {
        texts.iter().map(|t| t.len() as u64).collect()
    }

    fn pdf(&mut self, base64: &str) -> Option<PdfMeasure> {
        measure_pdf(self, base64)
    }
}

/// Takes a lower bound of each text's o200k count without running the BPE: the o200k
/// pre-tokenizer never puts whitespace inside a piece (only at its start, or in pieces of
/// whitespace alone), never mixes digits with other characters and keeps at most three digits
/// together, and every piece is at least one token. So a text has at least as many tokens as
/// it has runs of non-whitespace characters, counting a run's digits in groups of three.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PieceBound;

/// The lower bound [`PieceBound`] takes for one text.
pub(crate) fn piece_lower_bound(text: &str) -> u64 {
    let mut pieces = 0u64;
    // Within the current run of non-whitespace: its digit pieces so far, the digits of the
    // current digit group, and whether it has anything but digits.
    let (mut digit_pieces, mut digits, mut other) = (0u64, 0u64, false);
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            digits += 1;
            continue;
        }
        digit_pieces += digits.div_ceil(3);
        digits = 0;
        if c.is_whitespace() {
            pieces += digit_pieces + u64::from(other);
            (digit_pieces, other) = (0, false);
        } else {
            other = true;
        }
    }
    pieces
}

impl Measurer for PieceBound {
    fn count(&mut self, texts: &[&str], _: &Keys) -> Vec<u64> {
        texts.iter().map(|t| piece_lower_bound(t)).collect()
    }

    fn pdf(&mut self, base64: &str) -> Option<PdfMeasure> {
        measure_pdf(self, base64)
    }
}

/// Texts shorter than this are counted directly instead of through the cache: hashing and a
/// map lookup cost about as much as the BPE.
const UNCACHED_BELOW: usize = 64;

/// Below this many uncounted bytes the misses are counted on one thread.
const PARALLEL_FROM: usize = 256 * 1024;

/// o200k counts of texts and what PDFs hold, by content hash, so that re-estimating a
/// document after an edit counts only what changed. The language server keeps one per open
/// document; entries no estimate used are dropped once they outnumber the live ones.
#[derive(Debug, Default, Clone)]
pub(crate) struct TokenCache {
    texts: FxHashMap<(u64, usize), Entry<u64>>,
    /// [`piece_lower_bound`] of texts, for [`TokenCache::pieces`].
    pieces: FxHashMap<(u64, usize), Entry<u64>>,
    pdfs: FxHashMap<(u64, usize), Entry<Option<PdfMeasure>>>,
    epoch: u32,
    /// Texts counted (cache misses) since the cache was made: tests and benchmarks read it.
    pub counted: u64,
}

#[derive(Debug, Clone, Copy)]
struct Entry<T> {
    value: T,
    epoch: u32,
}

/// Drops the entries of `map` not used in `epoch` once they outnumber the used ones. A pass
/// that used none keeps them: an analysis of a broken text, or one that counted nothing, must
/// not cost the next one a count of every text.
fn sweep_map<T>(map: &mut FxHashMap<(u64, usize), Entry<T>>, epoch: u32) {
    let live = map.values().filter(|e| e.epoch == epoch).count();
    if live > 0 && map.len() > 2 * live + 64 {
        map.retain(|_, e| e.epoch == epoch);
    }
}

fn key(text: &str) -> (u64, usize) {
    let mut hasher = FxHasher::default();
    hasher.write(text.as_bytes());
    (hasher.finish(), text.len())
}

/// The cache keys of the texts a measurer counts ([`key`]), computed on first use and kept:
/// a walk's texts are counted for the estimate and again for the `uncached-prefix` floor, and
/// on a 32 MB conversation hashing every text twice cost a sixth of an analysis.
#[derive(Debug, Default)]
pub(crate) struct Keys(OnceCell<Vec<(u64, usize)>>);

impl Keys {
    /// The keys of `texts`: the same texts every time it is asked.
    fn of(&self, texts: &[&str]) -> &[(u64, usize)] {
        let keys = self
            .0
            .get_or_init(|| texts.iter().map(|t| key(t)).collect());
        debug_assert_eq!(keys.len(), texts.len());
        keys
    }
}

impl TokenCache {
    /// An empty cache.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// How many texts and PDFs it remembers.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.texts.len() + self.pdfs.len()
    }

    /// Starts a pass (an estimate, or a whole analysis of a file): entries touched from now
    /// on are live.
    pub(crate) fn begin(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
    }

    /// Ends a pass: drops the entries it did not use once they outnumber the used ones, so an
    /// open document's cache stays the size of its texts however long it is edited.
    pub(crate) fn sweep(&mut self) {
        sweep_map(&mut self.texts, self.epoch);
        sweep_map(&mut self.pieces, self.epoch);
        sweep_map(&mut self.pdfs, self.epoch);
    }

    /// A [`PieceBound`] that remembers its bounds here: the bound reads every character of a
    /// text, which on a large conversation costs more than hashing it.
    pub(crate) fn pieces(&mut self) -> CachedPieceBound<'_> {
        CachedPieceBound(self)
    }
}

/// [`PieceBound`] through a [`TokenCache`]: the same bounds, each distinct text's computed
/// once ([`TokenCache::pieces`]).
pub(crate) struct CachedPieceBound<'c>(&'c mut TokenCache);

impl Measurer for CachedPieceBound<'_> {
    fn count(&mut self, texts: &[&str], keys: &Keys) -> Vec<u64> {
        let epoch = self.0.epoch;
        let keys = keys.of(texts);
        texts
            .iter()
            .zip(keys)
            .map(|(text, &key)| {
                if text.len() < UNCACHED_BELOW {
                    return piece_lower_bound(text);
                }
                let entry = self.0.pieces.entry(key).or_insert_with(|| Entry {
                    value: piece_lower_bound(text),
                    epoch,
                });
                entry.epoch = epoch;
                entry.value
            })
            .collect()
    }

    fn pdf(&mut self, base64: &str) -> Option<PdfMeasure> {
        measure_pdf(&mut PieceBound, base64)
    }
}

/// Pieces longer than this (the pre-tokenizer's pieces are words, numbers, runs of
/// punctuation or of spaces) are counted in stretches of this many bytes.
///
/// The BPE backtracks over and over on long runs of punctuation: a megabyte of `-` (a log's
/// separator line, pasted into a prompt) took 1.6 s to count, sixteen times a megabyte of
/// letters. A long piece is nearly always such a run, and its stretches are alike, so each
/// distinct stretch is counted once and the piece costs about what its first stretch does. A
/// cut can change how the tokens on either side of it merge, by a token or so per stretch: the
/// counts of long runs stay within 1% of the exact ones (tested on runs of `-`, `=`, `*`, `.`
/// and letters). A text with no piece this long (all ordinary text) is counted exactly.
pub(crate) const STRETCH: usize = 4096;

/// The o200k BPE count of one text, with pieces longer than [`STRETCH`] counted by stretches.
pub(crate) fn o200k(text: &str) -> u64 {
    let tokenizer = bpe_openai::o200k_base();
    tokenizer
        .split(text)
        .map(|piece| {
            if piece.len() <= STRETCH {
                tokenizer.bpe.count(piece.as_bytes()) as u64
            } else {
                repeated(&tokenizer.bpe, piece)
                    .unwrap_or_else(|| by_stretches(&tokenizer.bpe, piece))
            }
        })
        .sum()
}

/// The shortest block, in characters, that [`repeated`] tries.
const BLOCK_CHARS: usize = 64;
/// The longest: 1024 characters cost the BPE under a millisecond even when it backtracks.
const MAX_BLOCK_CHARS: usize = 1024;

/// The count of a long piece that is one character repeated (a line of `-`, `=` or `#`, a run
/// of one letter), counted arithmetically: the BPE writes a long run of one character as
/// its longest token for that character over and over, so the count is linear in the length
/// once a block holds whole tokens. A block of [`BLOCK_CHARS`] characters (doubled up to
/// [`MAX_BLOCK_CHARS`] until two blocks count exactly twice one) gives the count of every
/// whole block; the rest, with two blocks beside it, by the BPE. Such a piece costs one scan
/// and three short BPE runs instead of a BPE run over a [`STRETCH`] on which it backtracks.
/// `None` for any other piece, or a character whose runs never count linearly.
fn repeated(bpe: &BytePairEncoding, piece: &str) -> Option<u64> {
    let width = piece.chars().next()?.len_utf8();
    let bytes = piece.as_bytes();
    let uniform = match width {
        1 => bytes.iter().all(|&b| b == bytes[0]),
        _ => {
            bytes.len().is_multiple_of(width)
                && bytes.chunks_exact(width).all(|c| c == &bytes[..width])
        }
    };
    if !uniform {
        return None;
    }
    let mut block = BLOCK_CHARS * width;
    while block <= MAX_BLOCK_CHARS * width && 2 * block <= bytes.len() {
        let one = bpe.count(&bytes[..block]) as u64;
        if bpe.count(&bytes[..2 * block]) as u64 == 2 * one {
            // The rest is counted with two whole blocks before it: a token longer than a
            // block may span the rest and the block beside it.
            let whole = (bytes.len() / block - 2) as u64;
            let rest = 2 * block + bytes.len() % block;
            return Some(whole * one + bpe.count(&bytes[..rest]) as u64);
        }
        block *= 2;
    }
    None
}

/// The count of a long piece: the sum of its stretches' counts, each distinct stretch counted
/// once.
fn by_stretches(bpe: &BytePairEncoding, piece: &str) -> u64 {
    let mut counted: FxHashMap<&str, u64> = FxHashMap::default();
    let mut total = 0;
    let mut rest = piece;
    while !rest.is_empty() {
        let mut cut = STRETCH.min(rest.len());
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (stretch, tail) = rest.split_at(cut);
        total += *counted
            .entry(stretch)
            .or_insert_with(|| bpe.count(stretch.as_bytes()) as u64);
        rest = tail;
    }
    total
}

impl Measurer for TokenCache {
    fn count(&mut self, texts: &[&str], keys: &Keys) -> Vec<u64> {
        let epoch = self.epoch;
        let mut counts = vec![0; texts.len()];
        let mut misses: Vec<(usize, (u64, usize))> = Vec::new();
        for (i, (text, &k)) in texts.iter().zip(keys.of(texts)).enumerate() {
            if text.len() < UNCACHED_BELOW {
                counts[i] = o200k(text);
                continue;
            }
            match self.texts.get_mut(&k) {
                Some(entry) => {
                    entry.epoch = epoch;
                    counts[i] = entry.value;
                }
                None => misses.push((i, k)),
            }
        }
        let miss_bytes: usize = misses.iter().map(|(_, (_, len))| len).sum();
        let counted: Vec<u64> = if miss_bytes >= PARALLEL_FROM {
            misses.par_iter().map(|&(i, _)| o200k(texts[i])).collect()
        } else {
            misses.iter().map(|&(i, _)| o200k(texts[i])).collect()
        };
        self.counted += misses.len() as u64;
        for (&(i, k), value) in misses.iter().zip(counted) {
            counts[i] = value;
            self.texts.insert(k, Entry { value, epoch });
        }
        counts
    }

    fn pdf(&mut self, base64: &str) -> Option<PdfMeasure> {
        let k = key(base64);
        let epoch = self.epoch;
        if let Some(entry) = self.pdfs.get_mut(&k) {
            entry.epoch = epoch;
            return entry.value;
        }
        let value = measure_pdf(self, base64);
        self.pdfs.insert(k, Entry { value, epoch });
        value
    }
}

/// One content block's tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockEstimate {
    /// Its index in `content`; `None` for a string `content`.
    pub index: Option<usize>,
    /// Where it is written.
    pub range: TextRange,
    /// Its `type` (`text` for a string `content`): borrowed for the API's own types, so a
    /// long conversation's estimate allocates no type names.
    pub block_type: Cow<'static, str>,
    /// Its tokens (its message's breakdown by kind holds them too).
    pub tokens: Band,
}

/// One message's tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageEstimate {
    /// Its index in `messages`.
    pub index: usize,
    /// Where it is written.
    pub range: TextRange,
    /// Its `role`, when written as a literal (borrowed for the API's two roles).
    pub role: Option<Cow<'static, str>>,
    /// Its blocks.
    pub blocks: Vec<BlockEstimate>,
    /// Its tokens, blocks and framing together.
    pub tokens: Breakdown,
}

/// A request's estimated input tokens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Estimate {
    /// The top-level `system`.
    pub system: Breakdown,
    /// Tool definitions and the tool-use system prompt.
    pub tools: Breakdown,
    /// Every message.
    pub messages: Vec<MessageEstimate>,
    /// Everything.
    pub total: Breakdown,
    /// Image blocks, wherever they are.
    pub images: u32,
    /// Images whose size is not known here (URL, file, unreadable data): priced at the tier's
    /// largest.
    pub unsized_images: u32,
    /// What those images are assumed to cost (nothing in the low estimate, the tier's largest
    /// in the others): warnings leave it out, as they leave out nothing else.
    pub assumed: Band,
    /// PDF pages counted.
    pub pdf_pages: u32,
    /// PDFs whose page count is not known here: counted as one page.
    pub unpaged_documents: u32,
    /// Bytes of text counted.
    pub text_bytes: u64,
    /// Bytes of base64 image and document data: what the body's size goes on without it
    /// costing text tokens.
    pub media_bytes: u64,
    /// Values the source computes at run time: not counted.
    pub unknown_values: u32,
}

impl Estimate {
    /// The total input tokens.
    pub fn input(&self) -> Band {
        self.total.total()
    }

    /// The total without what is assumed for images of unknown size: what warnings are
    /// judged by, so that a guess alone never makes one.
    pub fn known(&self) -> Band {
        self.input().saturating_sub(self.assumed)
    }

    /// Sets the total: the system prompt, the tools and `messages`, every message together.
    fn total_with(&mut self, messages: &Breakdown) {
        let mut total = Breakdown::default();
        total.merge(&self.system);
        total.merge(&self.tools);
        total.merge(messages);
        self.total = total;
    }
}

/// Estimates the input tokens of the request `root` for a model with `profile`.
pub(crate) fn estimate(root: &Node, profile: &Profile, measurer: &mut dyn Measurer) -> Estimate {
    Walked::new(root, profile).estimate(measurer)
}

/// The sums of an [`Estimate`] that checks against thresholds read, without the estimate of
/// each message and block: what a bound ([`ByteBound`], [`PieceBound`]) is taken for. Equal
/// to the same sums of [`Walked::estimate`] with the same measurer ([`Walked::sums`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Sums {
    /// The top-level `system`.
    pub system: Breakdown,
    /// Tool definitions and the tool-use system prompt.
    pub tools: Breakdown,
    /// Every message but the last.
    pub earlier_messages: Breakdown,
    /// The last message.
    pub last_message: Breakdown,
    /// What images of unknown size are assumed to cost ([`Estimate::assumed`]).
    pub assumed: Band,
}

impl Sums {
    /// The total input tokens ([`Estimate::input`]).
    pub(crate) fn input(&self) -> Band {
        self.system.total()
            + self.tools.total()
            + self.earlier_messages.total()
            + self.last_message.total()
    }

    /// The total without what is assumed for images of unknown size ([`Estimate::known`]).
    pub(crate) fn known(&self) -> Band {
        self.input().saturating_sub(self.assumed)
    }

    /// Tools, system and every message but the last: the static prefix a cache breakpoint on
    /// the last turn's predecessor would cover.
    pub(crate) fn prefix(&self) -> Band {
        self.tools.total() + self.system.total() + self.earlier_messages.total()
    }
}

/// A request walked once: its priced pieces, which any [`Measurer`] can then count. A check
/// that needs a bound, the estimate and a floor of one request walks it once, not three
/// times (on a 32 MB conversation the walks cost more than counting through the cache).
pub(crate) struct Walked<'a> {
    root: &'a Node,
    profile: &'a Profile,
    pieces: Vec<Piece<'a>>,
    /// The JSON texts that [`Cost::Json`] pieces index.
    json: Vec<String>,
    /// The estimate's fields the walk fills: media, images, values known only at run time.
    est: Estimate,
    /// The messages walked.
    messages: usize,
    /// The cache keys of the texts, for every measurer that counts them.
    keys: Keys,
}

impl<'a> Walked<'a> {
    /// Walks the request `root` for a model with `profile`.
    pub(crate) fn new(root: &'a Node, profile: &'a Profile) -> Self {
        let messages = conversation::messages(root).len();
        let mut walk = Walk {
            profile,
            // A message's framing and its text, at least: no growing on long conversations.
            pieces: Vec::with_capacity(2 * messages + 16),
            slot: Slot::System,
            live: true,
            est: Estimate::default(),
            json: Vec::new(),
            messages: 0,
        };
        walk.request(root);
        let Walk {
            pieces, json, est, ..
        } = walk;
        Self {
            root,
            profile,
            pieces,
            json,
            est,
            messages,
            keys: Keys::default(),
        }
    }

    /// The estimate, with every message and block, its texts counted by `measurer`.
    pub(crate) fn estimate(&self, measurer: &mut dyn Measurer) -> Estimate {
        let mut est = self.est.clone();
        est.messages = messages_of(self.root);
        self.price(measurer, &mut est, |est, slot, kind, band| {
            let target = match slot {
                Slot::System => &mut est.system,
                Slot::Tools => &mut est.tools,
                Slot::Message(m, b) => {
                    let message = &mut est.messages[m];
                    if let Some(b) = b {
                        message.blocks[b].tokens += band;
                    }
                    &mut message.tokens
                }
            };
            target.add(kind, band);
        });
        let mut messages = Breakdown::default();
        for message in &est.messages {
            messages.merge(&message.tokens);
        }
        est.total_with(&messages);
        est
    }

    /// What the context rules read of the estimate, its texts counted by `measurer`: the
    /// estimate without its per-message list (on a long conversation that list was the largest
    /// thing an analysis built, rebuilt on every keystroke), with each message's total (one
    /// band where the list had six per message and per block) and the largest block `eligible`
    /// takes, found while the pieces are priced.
    pub(crate) fn outline(
        &self,
        measurer: &mut dyn Measurer,
        eligible: impl Fn(usize, usize) -> bool,
    ) -> Outline {
        let mut outline = Outline {
            est: self.est.clone(),
            messages: vec![Band::ZERO; self.messages],
            largest_block: None,
        };
        let Outline {
            est,
            messages: totals,
            largest_block,
        } = &mut outline;
        let mut messages = Breakdown::default();
        // The block being priced: a block's pieces come one after another.
        let mut block: Option<(usize, usize, Band)> = None;
        self.price(measurer, est, |est, slot, kind, band| match slot {
            Slot::System => est.system.add(kind, band),
            Slot::Tools => est.tools.add(kind, band),
            Slot::Message(m, b) => {
                messages.add(kind, band);
                totals[m] += band;
                if block.is_some_and(|(at, on, _)| (at, Some(on)) != (m, b)) {
                    keep_larger(largest_block, block.take(), &eligible);
                }
                if let Some(b) = b {
                    block.get_or_insert((m, b, Band::ZERO)).2 += band;
                }
            }
        });
        keep_larger(largest_block, block, &eligible);
        est.total_with(&messages);
        outline
    }

    /// The sums alone, its texts counted by `measurer`.
    pub(crate) fn sums(&self, measurer: &mut dyn Measurer) -> Sums {
        let last = self.messages.checked_sub(1);
        let mut sums = Sums::default();
        let mut est = self.est.clone();
        self.price(measurer, &mut est, |_, slot, kind, band| {
            let target = match slot {
                Slot::System => &mut sums.system,
                Slot::Tools => &mut sums.tools,
                Slot::Message(m, _) if Some(m) == last => &mut sums.last_message,
                Slot::Message(..) => &mut sums.earlier_messages,
            };
            target.add(kind, band);
        });
        sums.assumed = est.assumed;
        sums
    }

    /// Counts the pieces' texts with `measurer`, measures their PDFs (filling `est`'s PDF
    /// fields) and hands each piece's band to `add`, in order.
    fn price(
        &self,
        measurer: &mut dyn Measurer,
        est: &mut Estimate,
        mut add: impl FnMut(&mut Estimate, Slot, Kind, Band),
    ) {
        let texts: Vec<&str> = self
            .pieces
            .iter()
            .filter_map(|p| match &p.cost {
                Cost::Text(t) => Some(*t),
                Cost::Json(i) => Some(self.json[*i].as_str()),
                _ => None,
            })
            .collect();
        est.text_bytes = texts.iter().map(|t| t.len() as u64).sum();
        let mut counts = measurer.count(&texts, &self.keys).into_iter();
        for piece in &self.pieces {
            let band = match piece.cost {
                Cost::Text(_) | Cost::Json(_) => {
                    self.profile.factors.scale(counts.next().unwrap_or(0))
                }
                Cost::Fixed(band) => band,
                Cost::Pdf(data) => {
                    let measure = data.and_then(|d| measurer.pdf(d));
                    pdf_band(self.profile, measure, est)
                }
            };
            let band = if piece.live {
                band
            } else {
                Band::new(0, 0, band.high)
            };
            add(est, piece.slot, piece.kind, band);
        }
    }
}

/// The estimate as the context rules read it ([`Walked::outline`]).
pub(crate) struct Outline {
    /// The estimate, its `messages` left empty.
    pub(crate) est: Estimate,
    /// Each message's tokens, in order.
    pub(crate) messages: Vec<Band>,
    /// The eligible block with the most tokens (the first of equals): its message's index,
    /// its own (0 for a string `content`) and its tokens.
    pub(crate) largest_block: Option<(usize, usize, Band)>,
}

/// Keeps `block` as `largest` when it has more tokens (by the middle estimate) and is
/// `eligible`: the first of equals stays.
fn keep_larger(
    largest: &mut Option<(usize, usize, Band)>,
    block: Option<(usize, usize, Band)>,
    eligible: impl Fn(usize, usize) -> bool,
) {
    if let Some((m, b, band)) = block
        && largest.is_none_or(|(_, _, best)| band.mid > best.mid)
        && eligible(m, b)
    {
        *largest = Some((m, b, band));
    }
}

/// Every message of the request `root` and its blocks, with no tokens yet: the slots
/// [`Walk::request`] numbers.
fn messages_of(root: &Node) -> Vec<MessageEstimate> {
    conversation::messages(root)
        .map(|message| MessageEstimate {
            index: message.index,
            range: message.node.range,
            role: message.role.map(|role| named(role, ["user", "assistant"])),
            blocks: match message.content.map(|c| (&c.value, c)) {
                Some((Value::String(_), content)) => vec![BlockEstimate {
                    index: None,
                    range: content.range,
                    block_type: Cow::Borrowed("text"),
                    tokens: Band::default(),
                }],
                Some((Value::Array(blocks), _)) => blocks
                    .iter()
                    .enumerate()
                    .map(|(b, block)| BlockEstimate {
                        index: Some(b),
                        range: block.range,
                        block_type: match block_kind(block) {
                            Some(kind) => named(kind, block_type(kind).map(|t| t.name)),
                            None => Cow::Borrowed("unknown"),
                        },
                        tokens: Band::default(),
                    })
                    .collect(),
                _ => Vec::new(),
            },
            tokens: Breakdown::default(),
        })
        .collect()
}

/// `text` as one of the `known` names, borrowed, or as its own copy.
fn named(text: &str, known: impl IntoIterator<Item = &'static str>) -> Cow<'static, str> {
    match known.into_iter().find(|name| *name == text) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(text.to_owned()),
    }
}

impl TokenCache {
    /// Estimates `root` with this cache: only texts it has not seen are counted.
    pub(crate) fn estimate(&mut self, root: &Node, profile: &Profile) -> Estimate {
        self.begin();
        let est = estimate(root, profile, self);
        self.sweep();
        est
    }
}

/// Where a piece's tokens go.
#[derive(Debug, Clone, Copy)]
enum Slot {
    System,
    Tools,
    /// A message (its framing) or one of its blocks.
    Message(usize, Option<usize>),
}

/// What a piece costs.
enum Cost<'a> {
    /// Text counted with the BPE.
    Text(&'a str),
    /// JSON text built from the tree (tool inputs and definitions), by index into the walk's
    /// buffer.
    Json(usize),
    /// A count that needs no BPE.
    Fixed(Band),
    /// A PDF, by its base64 data when it is inline: priced from what the measurer reads in it.
    Pdf(Option<&'a str>),
}

struct Piece<'a> {
    slot: Slot,
    kind: Kind,
    cost: Cost<'a>,
    /// False for thinking the API strips from earlier turns: only the high end counts it.
    live: bool,
}

struct Walk<'a> {
    profile: &'a Profile,
    pieces: Vec<Piece<'a>>,
    slot: Slot,
    live: bool,
    est: Estimate,
    json: Vec<String>,
    /// The messages walked.
    messages: usize,
}

/// Strings at least this long made only of base64 characters are opaque data (encrypted
/// content, signatures) inside JSON that is otherwise counted as text.
const OPAQUE_FROM: usize = 128;

impl<'a> Walk<'a> {
    fn push(&mut self, kind: Kind, cost: Cost<'a>) {
        self.pieces.push(Piece {
            slot: self.slot,
            kind,
            cost,
            live: self.live || kind != Kind::Thinking,
        });
    }

    fn text(&mut self, kind: Kind, node: Option<&'a Node>) {
        match node.map(|n| &n.value) {
            Some(Value::String(s)) if !s.is_empty() => self.push(kind, Cost::Text(s)),
            Some(Value::Unknown) => self.est.unknown_values += 1,
            _ => {}
        }
    }

    fn json(&mut self, kind: Kind, nodes: &[&'a Node]) {
        let mut out = String::new();
        let mut opaque = 0u64;
        for node in nodes {
            write_json(node, &mut out, &mut opaque, &mut self.est.unknown_values);
        }
        if !out.is_empty() {
            self.json.push(out);
            self.push(kind, Cost::Json(self.json.len() - 1));
        }
        if opaque > 0 {
            self.push(kind, Cost::Fixed(opaque_cost(opaque)));
        }
    }

    fn request(&mut self, root: &'a Node) {
        self.slot = Slot::System;
        match root.get("system").map(|s| &s.value) {
            Some(Value::String(s)) if !s.is_empty() => self.push(Kind::System, Cost::Text(s)),
            Some(Value::Array(blocks)) => {
                for block in blocks {
                    self.block(block, Kind::System);
                }
            }
            Some(Value::Unknown) => self.est.unknown_values += 1,
            _ => {}
        }
        self.slot = Slot::Tools;
        self.tools(root);
        // `messages=history` or `**kwargs` built at run time: not counted, and said so.
        if let Some(members) = root.as_object() {
            let run_time = members
                .iter()
                .filter(|m| m.is_spread() || (m.key == "messages" && m.value.is_unknown()));
            self.est.unknown_values += run_time.count() as u32;
        }
        let live = live_thinking_turn(root);
        for message in conversation::messages(root) {
            let m = self.messages;
            self.messages += 1;
            self.slot = Slot::Message(m, None);
            self.push(Kind::Text, Cost::Fixed(self.profile.message));
            self.live = Some(message.index) == live || message.role != Some("assistant");
            let Some(content) = message.content else {
                continue;
            };
            match &content.value {
                Value::String(s) => {
                    self.slot = Slot::Message(m, Some(0));
                    if !s.is_empty() {
                        self.push(Kind::Text, Cost::Text(s));
                    }
                }
                Value::Array(blocks) => {
                    for (b, block) in blocks.iter().enumerate() {
                        self.slot = Slot::Message(m, Some(b));
                        self.block(block, Kind::Text);
                    }
                }
                Value::Unknown => self.est.unknown_values += 1,
                _ => {}
            }
        }
        self.live = true;
    }

    fn tools(&mut self, root: &'a Node) {
        let Some(tools) = root.get("tools").and_then(Node::as_array) else {
            return;
        };
        if tools.is_empty() {
            return;
        }
        let forced = root
            .get("tool_choice")
            .and_then(|c| c.get("type"))
            .and_then(Node::as_str)
            .is_some_and(|t| t == "any" || t == "tool");
        let prompt = if forced {
            self.profile.tool_prompt_any
        } else {
            self.profile.tool_prompt_auto
        };
        self.push(Kind::Tools, Cost::Fixed(prompt));
        for tool in tools {
            let priced = tool
                .get("type")
                .and_then(Node::as_str)
                .and_then(|t| self.profile.tool_definition(t));
            match priced {
                Some(tokens) => self.push(Kind::Tools, Cost::Fixed(Band::exact(tokens))),
                None => self.json(Kind::Tools, &[tool]),
            }
        }
    }

    /// One content block; `text_kind` is the kind its text counts as (message text, system,
    /// tool results, documents).
    fn block(&mut self, block: &'a Node, text_kind: Kind) {
        if block.is_unknown() {
            self.est.unknown_values += 1;
            return;
        }
        let Some(kind) = block_kind(block) else {
            return self.json(text_kind, &[block]);
        };
        match kind {
            "text" => self.text(text_kind, block.get("text")),
            "image" => self.image(block.get("source")),
            "document" => self.document(block),
            "search_result" => {
                self.text(Kind::Documents, block.get("title"));
                self.text(Kind::Documents, block.get("source"));
                self.content(block.get("content"), Kind::Documents);
            }
            "thinking" => self.text(Kind::Thinking, block.get("thinking")),
            "redacted_thinking" => {
                if let Some(data) = block.get("data").and_then(Node::as_str) {
                    self.push(Kind::Thinking, Cost::Fixed(opaque_cost(data.len() as u64)));
                }
            }
            "tool_use" | "server_tool_use" | "mcp_tool_use" => {
                let parts: Vec<&Node> = ["name", "input"]
                    .iter()
                    .filter_map(|k| block.get(k))
                    .collect();
                self.json(Kind::Tools, &parts);
            }
            "tool_result" | "mcp_tool_result" => self.content(block.get("content"), Kind::Tools),
            other if other.ends_with("_tool_result") => {
                self.content(block.get("content"), Kind::Tools)
            }
            _ => {
                let parts: Vec<&Node> = block
                    .as_object()
                    .unwrap_or(&[])
                    .iter()
                    .filter(|m| m.key != "type" && m.key != "cache_control")
                    .map(|m| &m.value)
                    .collect();
                self.json(text_kind, &parts);
            }
        }
    }

    /// A `content` that is a string or an array of blocks (tool results, documents, search
    /// results); an object (server tool results) is counted as JSON.
    fn content(&mut self, content: Option<&'a Node>, text_kind: Kind) {
        match content.map(|c| (&c.value, c)) {
            Some((Value::String(s), _)) if !s.is_empty() => self.push(text_kind, Cost::Text(s)),
            Some((Value::Array(blocks), _)) => {
                for block in blocks {
                    self.block(block, text_kind);
                }
            }
            Some((Value::Object(_), node)) => self.json(text_kind, &[node]),
            Some((Value::Unknown, _)) => self.est.unknown_values += 1,
            _ => {}
        }
    }

    fn image(&mut self, source: Option<&'a Node>) {
        self.est.images += 1;
        let data = source
            .filter(|s| s.get("type").and_then(Node::as_str) == Some("base64"))
            .and_then(|s| s.get("data"))
            .and_then(Node::as_str);
        self.est.media_bytes += data.map_or(0, |d| d.len() as u64);
        let limits = &self.profile.image;
        let band = match data.and_then(media::image_size) {
            Some((w, h)) => Band::exact(media::image_tokens(w, h, limits)),
            None => {
                self.est.unsized_images += 1;
                let max = u64::from(limits.max_tokens);
                self.est.assumed += Band::new(0, max, max);
                Band::new(0, max, max)
            }
        };
        self.push(Kind::Images, Cost::Fixed(band));
    }

    fn document(&mut self, block: &'a Node) {
        self.text(Kind::Documents, block.get("title"));
        self.text(Kind::Documents, block.get("context"));
        let Some(source) = block.get("source") else {
            return;
        };
        match source.get("type").and_then(Node::as_str) {
            Some("text") => self.text(Kind::Documents, source.get("data")),
            Some("content") => self.content(source.get("content"), Kind::Documents),
            Some("base64") => {
                let data = source.get("data").and_then(Node::as_str);
                self.est.media_bytes += data.map_or(0, |d| d.len() as u64);
                self.push(Kind::Documents, Cost::Pdf(data));
            }
            Some(_) => self.push(Kind::Documents, Cost::Pdf(None)),
            None => {}
        }
    }
}

/// Prices a PDF from what its pages hold (README, "Token estimates"): the text they draw,
/// scaled like any text; in the middle estimate the tier's largest image for each page with
/// an image, in the high one for every page (the API rasterises each page). A PDF whose text
/// cannot be read is priced at the flat per-page figures, one whose pages cannot be counted
/// as one such page. Counts its pages in `est`.
fn pdf_band(profile: &Profile, measure: Option<PdfMeasure>, est: &mut Estimate) -> Band {
    let page = profile.pdf_page;
    match measure.filter(|m| m.pages > 0) {
        Some(m) => {
            est.pdf_pages += m.pages;
            let n = u64::from(m.pages);
            if m.text_read {
                let image = u64::from(profile.image.max_tokens);
                let image_pages = u64::from(m.images).min(n);
                profile.factors.scale(m.text_tokens) + Band::new(0, image_pages * image, n * image)
            } else {
                Band::new(page.low * n, page.mid * n, page.high * n)
            }
        }
        None => {
            est.pdf_pages += 1;
            est.unpaged_documents += 1;
            page
        }
    }
}

/// Opaque data (redacted thinking, encrypted results) the model reads decoded: its tokens are
/// not knowable here. Low: none; mid: a token per 4 decoded bytes; high: one per 2.
fn opaque_cost(base64_len: u64) -> Band {
    let decoded = base64_len * 3 / 4;
    Band::new(0, decoded / 4, decoded / 2)
}

/// The index of the assistant message whose thinking the API keeps: the last assistant
/// message when the conversation ends with it or with the tool results that answer it (a
/// tool-use loop). Thinking in every other assistant turn is stripped (reference §9).
fn live_thinking_turn(root: &Node) -> Option<usize> {
    let mut from_the_end = conversation::messages(root).rev();
    let last = from_the_end.next()?;
    if last.role == Some("assistant") {
        return Some(last.index);
    }
    let previous = from_the_end.next()?;
    (previous.role == Some("assistant") && last.has_block("tool_result")).then_some(previous.index)
}

/// Writes `node` as compact JSON, with opaque base64-like strings left out (their length is
/// added to `opaque`) and run-time values as `null`.
fn write_json(node: &Node, out: &mut String, opaque: &mut u64, unknown: &mut u32) {
    match &node.value {
        Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json_string(&m.key, out);
                out.push(':');
                write_json(&m.value, out, opaque, unknown);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out, opaque, unknown);
            }
            out.push(']');
        }
        Value::String(s) if is_opaque(s) => {
            *opaque += s.len() as u64;
            out.push_str("\"\"");
        }
        Value::String(s) => push_json_string(s, out),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
        Value::Unknown => {
            *unknown += 1;
            out.push_str("null");
        }
    }
}

fn push_json_string(s: &str, out: &mut String) {
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str(s),
    }
}

fn is_opaque(s: &str) -> bool {
    s.len() >= OPAQUE_FROM
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Facts;
    use crate::syntax::json::parse;
    use crate::tokens::media::tests::{pdf, pdf_with, png};

    fn tree(text: &str) -> Node {
        parse(text, 0).root.expect("a value")
    }

    fn profile(model: &str) -> Profile {
        Profile::for_model(Facts::builtin().get(model))
    }

    fn est(text: &str, model: &str) -> Estimate {
        estimate(&tree(text), &profile(model), &mut TokenCache::new())
    }

    /// [`Walked::sums`] gives exactly [`Walked::estimate`]'s sums, for each measurer the context rules give
    /// it, on requests with system, tools, images of unknown size, thinking and no messages.
    #[test]
    fn sums_are_the_estimates_sums() {
        let bodies = [
            r#"{"messages": []}"#,
            r#"{"messages": [{"role": "user", "content": "Hello, world!"}]}"#,
            r#"{"system": "Be brief.", "tools": [{"name": "f", "input_schema": {"type": "object"}}],
                "messages": [
                {"role": "user", "content": [{"type": "text", "text": "Look at this."},
                    {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}]},
                {"role": "assistant", "content": [{"type": "thinking", "thinking": "Hmm, a picture.", "signature": "x"},
                    {"type": "tool_use", "id": "t1", "name": "f", "input": {"q": 1}}]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "42 apples"}]}]}"#,
        ];
        for body in bodies {
            let root = tree(body);
            let profile = profile("claude-haiku-4-5");
            let measurers: [&mut dyn Measurer; 3] =
                [&mut ByteBound, &mut PieceBound, &mut TokenCache::new()];
            for measurer in measurers {
                let walked = Walked::new(&root, &profile);
                let full = walked.estimate(measurer);
                let sums = walked.sums(measurer);
                let earlier = full.messages.len().saturating_sub(1);
                let prefix = full.tools.total()
                    + full.system.total()
                    + full.messages[..earlier]
                        .iter()
                        .map(|m| m.tokens.total())
                        .sum::<Band>();
                assert_eq!(sums.input(), full.input(), "{body}");
                assert_eq!(sums.known(), full.known(), "{body}");
                assert_eq!(sums.prefix(), prefix, "{body}");
                assert_eq!(
                    (sums.system, sums.tools),
                    (full.system, full.tools),
                    "{body}"
                );
            }
        }
        let root = tree(bodies[2]);
        let sums = Walked::new(&root, &profile("claude-haiku-4-5")).sums(&mut ByteBound);
        assert_ne!(sums.assumed, Band::ZERO);
        assert_ne!(sums.last_message, Breakdown::default());
    }

    /// The outline is the estimate without its list: the same totals, each message's total,
    /// and the largest block the list would give (the first of equals, among the blocks the
    /// predicate takes).
    #[test]
    fn the_outline_is_the_estimate_without_its_list() {
        let bodies = [
            r#"{"messages": []}"#,
            r#"{"system": "Be brief.", "messages": [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hello"}]}"#,
            r#"{"tools": [{"name": "f", "input_schema": {"type": "object"}}], "messages": [
                {"role": "user", "content": [{"type": "text", "text": "Look at this picture of mine."},
                    {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}},
                    {"type": "text", "text": ""}]},
                {"role": "assistant", "content": [{"type": "thinking", "thinking": "Hmm, a picture.", "signature": "x"},
                    {"type": "tool_use", "id": "t1", "name": "f", "input": {"q": 1}}]},
                {"role": "user"},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "42 apples"}]}]}"#,
        ];
        for body in bodies {
            let root = tree(body);
            let profile = profile("claude-haiku-4-5");
            let walked = Walked::new(&root, &profile);
            let full = walked.estimate(&mut TokenCache::new());
            let mut blocks = Vec::new();
            for message in &full.messages {
                for (b, block) in message.blocks.iter().enumerate() {
                    blocks.push((message.index, b, block.tokens));
                }
            }
            for parity in [0, 1] {
                let eligible = |m: usize, b: usize| (m + b) % 2 == parity;
                let outline = walked.outline(&mut TokenCache::new(), eligible);
                assert_eq!(outline.est.total, full.total, "{body}");
                assert_eq!(outline.est.input(), full.input(), "{body}");
                assert_eq!(
                    (outline.est.system, outline.est.tools),
                    (full.system, full.tools)
                );
                assert!(outline.est.messages.is_empty());
                let totals: Vec<Band> = full.messages.iter().map(|m| m.tokens.total()).collect();
                assert_eq!(outline.messages, totals, "{body}");
                let mut best: Option<(usize, usize, Band)> = None;
                for &(m, b, band) in blocks.iter().filter(|(m, b, _)| eligible(*m, *b)) {
                    if best.is_none_or(|(_, _, t)| band.mid > t.mid) {
                        best = Some((m, b, band));
                    }
                }
                // A block with no piece (an empty text) is not seen by the outline: it costs
                // nothing, so it is never the largest unless nothing else is eligible.
                if best.is_some_and(|(_, _, t)| t.mid > 0) {
                    assert_eq!(outline.largest_block, best, "{body} {parity}");
                }
            }
        }
    }

    #[test]
    fn text_is_counted_with_o200k_times_the_generation_factor() {
        assert_eq!(o200k("Hello, world!"), 4);
        let e = est(
            r#"{"messages": [{"role": "user", "content": "Hello, world!"}]}"#,
            "claude-haiku-4-5",
        );
        // 4 o200k tokens x (1.0, 1.2, 1.5), plus message framing (0, 4, 8).
        assert_eq!(e.messages[0].blocks[0].tokens, Band::new(4, 5, 6));
        assert_eq!(e.input(), Band::new(4, 9, 14));
        let e = est(
            r#"{"messages": [{"role": "user", "content": "Hello, world!"}]}"#,
            "claude-opus-5",
        );
        assert_eq!(e.messages[0].blocks[0].tokens, Band::new(4, 7, 8));
    }

    #[test]
    fn images_are_priced_from_their_header_and_never_tokenized() {
        let body = format!(
            r#"{{"messages": [{{"role": "user", "content": [
                {{"type": "image", "source": {{"type": "base64", "media_type": "image/png", "data": "{}"}}}},
                {{"type": "image", "source": {{"type": "url", "url": "https://example.com/a.png"}}}},
                {{"type": "text", "text": "Compare them."}}]}}]}}"#,
            png(1920, 1080)
        );
        let e = est(&body, "claude-haiku-4-5");
        let blocks = &e.messages[0].blocks;
        assert_eq!(blocks[0].tokens, Band::exact(1560));
        assert_eq!(blocks[1].tokens, Band::new(0, 1568, 1568));
        // The images' bands are their blocks' whole bands, and the message's images.
        assert_eq!(
            e.messages[0].tokens.get(Kind::Images),
            Band::exact(1560) + Band::new(0, 1568, 1568)
        );
        assert_eq!((e.images, e.unsized_images), (2, 1));
        let high = est(&body, "claude-opus-5");
        assert_eq!(high.messages[0].blocks[0].tokens, Band::exact(2691));
        // Only "Compare them." was tokenized.
        assert_eq!(e.text_bytes, "Compare them.".len() as u64);
    }

    #[test]
    fn a_long_pdf_of_short_pages_is_priced_by_its_text_and_an_image_costs_more() {
        let request = |data: String| {
            format!(
                r#"{{"messages": [{{"role": "user", "content": [{{"type": "document", "source": {{"type": "base64", "media_type": "application/pdf", "data": "{data}"}}}}]}}]}}"#
            )
        };
        let line = "This page holds a single line of text.";
        let plain = est(&request(pdf_with(101, line, 0)), "claude-haiku-4-5");
        assert_eq!(plain.pdf_pages, 101);
        let tokens = plain.input();
        // About ten tokens a page, not the 2,330 of a flat figure: 118% of the window before.
        assert!(tokens.mid < 2_000, "{tokens:?}");
        assert!(tokens.low > 101 * 5, "{tokens:?}");
        assert!(
            tokens.high >= 101 * 1568,
            "every page may be rasterised: {tokens:?}"
        );
        let pictured = est(&request(pdf_with(101, line, 1)), "claude-haiku-4-5").input();
        assert_eq!(pictured.mid, tokens.mid + 1568, "one page with an image");
        assert_eq!((pictured.low, pictured.high), (tokens.low, tokens.high));
    }

    #[test]
    fn pdfs_are_priced_from_their_pages() {
        let body = format!(
            r#"{{"messages": [{{"role": "user", "content": [
                {{"type": "document", "source": {{"type": "base64", "media_type": "application/pdf", "data": "{}"}}}},
                {{"type": "document", "source": {{"type": "url", "url": "https://example.com/a.pdf"}}}},
                {{"type": "document", "source": {{"type": "text", "media_type": "text/plain", "data": "Plain text."}}, "title": "Notes"}}]}}]}}"#,
            pdf(3)
        );
        let e = est(&body, "claude-haiku-4-5");
        let docs: Vec<Band> = e.messages[0].blocks.iter().map(|b| b.tokens).collect();
        // "Hello Hello Hello " is 4 o200k tokens; every page may be rasterised (high).
        assert_eq!(docs[0], Band::new(4, 5, 6 + 3 * 1568));
        // A PDF not in the body: one page at the flat figures.
        assert_eq!(docs[1], Band::new(330, 2330, 4568));
        // "Notes" (1 o200k token) and "Plain text." (3).
        assert_eq!(docs[2], Band::new(4, 6, 7));
        assert_eq!((e.pdf_pages, e.unpaged_documents), (4, 1));
    }

    #[test]
    fn tools_add_the_documented_system_prompt() {
        let body = r#"{"tools": [
            {"name": "get_weather", "description": "Weather.", "input_schema": {"type": "object"}},
            {"type": "bash_20250124", "name": "bash"}],
          "messages": [{"role": "user", "content": "Hi"}]}"#;
        let e = est(body, "claude-opus-5");
        let definition = o200k(
            r#"{"name":"get_weather","description":"Weather.","input_schema":{"type":"object"}}"#,
        );
        let scaled = profile("claude-opus-5").factors.scale(definition);
        assert_eq!(e.tools.get(Kind::Tools), Band::exact(286 + 325) + scaled);
        let forced = est(
            &body.replace(
                "\"tools\"",
                "\"tool_choice\": {\"type\": \"any\"}, \"tools\"",
            ),
            "claude-opus-5",
        );
        assert_eq!(
            forced.tools.get(Kind::Tools),
            Band::exact(406 + 325) + scaled
        );
    }

    #[test]
    fn only_the_live_turns_thinking_counts_except_in_the_high_estimate() {
        let body = r#"{"messages": [
            {"role": "user", "content": "Q1"},
            {"role": "assistant", "content": [{"type": "thinking", "thinking": "Earlier reasoning here.", "signature": "s"}, {"type": "text", "text": "A1"}]},
            {"role": "user", "content": "Q2"},
            {"role": "assistant", "content": [{"type": "thinking", "thinking": "Current reasoning here.", "signature": "s"}, {"type": "tool_use", "id": "t", "name": "f", "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": "42"}]}]}"#;
        let e = est(body, "claude-haiku-4-5");
        let earlier = e.messages[1].blocks[0].tokens;
        let current = e.messages[3].blocks[0].tokens;
        assert_eq!((earlier.low, earlier.mid), (0, 0));
        assert!(earlier.high > 0);
        assert!(current.low > 0 && current.mid > 0);
        assert_eq!(e.messages[4].blocks[0].tokens, Band::new(1, 2, 2));
    }

    #[test]
    fn opaque_strings_in_json_are_not_tokenized() {
        let blob = "QUJD".repeat(100);
        let body = format!(
            r#"{{"messages": [{{"role": "assistant", "content": [{{"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": [{{"type": "web_search_result", "url": "https://a.example", "title": "A", "encrypted_content": "{blob}"}}]}}]}}]}}"#
        );
        let e = est(&body, "claude-haiku-4-5");
        assert!(e.text_bytes < 200, "{}", e.text_bytes);
        let tools = e.messages[0].blocks[0].tokens;
        assert!(tools.high >= 150, "{tools:?}");
    }

    #[test]
    fn run_time_values_are_skipped_and_counted() {
        let mut root = tree(r#"{"messages": [{"role": "user", "content": "x"}]}"#);
        if let Value::Object(members) = &mut root.value {
            members[0].value = Node::new(TextRange::default(), Value::Unknown);
        }
        let e = estimate(&root, &profile("claude-opus-5"), &mut ByteBound);
        // `messages` built at run time: nothing in it is counted, and that it is not is.
        assert_eq!(e.unknown_values, 1);
        assert!(e.messages.is_empty());
    }

    #[test]
    fn the_cache_counts_only_changed_texts() {
        let long = |s: &str| s.repeat(40);
        let body = |last: &str| {
            format!(
                r#"{{"system": "{}", "messages": [{{"role": "user", "content": "{}"}}, {{"role": "assistant", "content": "{}"}}, {{"role": "user", "content": "{}"}}]}}"#,
                long("system "),
                long("first "),
                long("second "),
                long(last)
            )
        };
        let profile = profile("claude-opus-5");
        let mut cache = TokenCache::new();
        let first = cache.estimate(&tree(&body("third ")), &profile);
        assert_eq!(cache.counted, 4);
        let again = cache.estimate(&tree(&body("third ")), &profile);
        assert_eq!(cache.counted, 4);
        assert_eq!(first, again);
        let edited = cache.estimate(&tree(&body("edited ")), &profile);
        assert_eq!(cache.counted, 5);
        let fresh = estimate(&tree(&body("edited ")), &profile, &mut TokenCache::new());
        assert_eq!(edited, fresh);
    }

    #[test]
    fn long_runs_are_counted_by_stretches_within_two_percent() {
        let exact = |text: &str| bpe_openai::o200k_base().count(text) as u64;
        let within = |estimate: u64, exact: u64| estimate.abs_diff(exact) * 50 <= exact;
        for unit in ["-", "=", "*", ".", "-=", "-=*", "a", "abc", "é", "😀"] {
            // A sample the exact BPE counts in a moment, and a megabyte of the same run, whose
            // exact count is sixteen samples' (a run's count grows linearly).
            let sample = unit.repeat(64 * 1024 / unit.len());
            let (estimate, exact_sample) = (o200k(&sample), exact(&sample));
            assert!(
                within(estimate, exact_sample),
                "{unit:?}: {estimate} for {exact_sample}"
            );
            let big = sample.repeat(16);
            let estimate = o200k(&big);
            assert!(
                within(estimate, 16 * exact_sample),
                "{unit:?}: {estimate} for 16 x {exact_sample}"
            );
        }
        // No piece of ordinary text is that long: its count is exact.
        let prose = "The quick brown fox, 1234 times: jumps over the lazy dog!\n--- é 😀 ---\n";
        for text in [
            prose.to_owned(),
            prose.repeat(4000),
            format!("{} x", "-".repeat(STRETCH)),
        ] {
            assert_eq!(o200k(&text), exact(&text));
        }
    }

    #[test]
    fn runs_of_one_character_are_counted_exactly() {
        let bpe = &bpe_openai::o200k_base().bpe;
        for unit in ["-", "=", "*", ".", "#", "~", " ", "a", "0", "é", "😀"] {
            for chars in [17, 31, 47, 63, 3 * STRETCH + 17].map(|rest| STRETCH + rest) {
                let run = unit.repeat(chars);
                assert_eq!(
                    repeated(bpe, &run),
                    Some(bpe.count(run.as_bytes()) as u64),
                    "{chars} x {unit:?}"
                );
            }
        }
        // Anything else goes by stretches.
        assert_eq!(repeated(bpe, &"-=".repeat(STRETCH)), None);
        assert_eq!(repeated(bpe, &format!("{}x", "-".repeat(STRETCH))), None);
    }

    #[test]
    fn the_piece_bound_is_never_above_the_bpe_count() {
        let texts = [
            "",
            "Hello, world!",
            "   leading and trailing   ",
            "1234567 12 1 x1y22z333 3.14159",
            "don't stop-believing; it's 2026!!!",
            "日本語のテキストと English mixed, नमस्ते दुनिया",
            "line one\nline two\r\n\ttabbed",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}",
            "🎉🎉 emoji 🎉 and ١٢٣٤٥ numerals",
        ];
        for text in texts {
            assert!(
                piece_lower_bound(text) <= o200k(text),
                "{text:?}: {} > {}",
                piece_lower_bound(text),
                o200k(text)
            );
        }
        assert_eq!(piece_lower_bound("one two three"), 3);
        assert_eq!(piece_lower_bound("1234567"), 3);
        assert_eq!(piece_lower_bound("a1234"), 3);
        assert_eq!(piece_lower_bound("  "), 0);
    }

    #[test]
    fn the_byte_bound_is_never_below_the_bpe_count() {
        let body = r#"{"system": "You are terse.", "messages": [{"role": "user", "content": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 日本語 🎉"}]}"#;
        let profile = profile("claude-opus-5");
        let exact = estimate(&tree(body), &profile, &mut TokenCache::new());
        let bound = estimate(&tree(body), &profile, &mut ByteBound);
        for kind in Kind::ALL {
            let (e, b) = (exact.total.get(kind), bound.total.get(kind));
            assert!(
                b.low >= e.low && b.mid >= e.mid && b.high >= e.high,
                "{kind:?}"
            );
        }
    }
}
