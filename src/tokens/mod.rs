//! Token estimates (design "Tokens"): where a request's input tokens go, offline, and (opt-in)
//! exactly through the count_tokens endpoint.
//!
//! There is no public tokenizer for Claude 3 and later, so [`estimate`] counts text with the
//! o200k BPE and multiplies by a calibration band per tokenizer generation; images are priced
//! from their decoded header size, PDFs per page, tools with the documented tool-use system
//! prompt. Every figure is a [`Band`]: rules judge errors by its low end, so an estimate that
//! runs high never makes a false error. The calibration lives in `data/tokens.toml`.

pub(crate) mod calibration;
pub(crate) mod estimate;
pub(crate) mod exact;
pub(crate) mod media;
pub(crate) mod trim;

use std::ops::{Add, AddAssign};

pub(crate) use calibration::Profile;
pub(crate) use estimate::{Estimate, TokenCache};

/// A token count as a band: the API's count is expected to lie between `low` and `high`, and
/// `mid` is the best single guess.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Band {
    /// The smallest count the API is expected to give: errors are judged by it.
    pub low: u64,
    /// The best guess: shown, and used for warnings.
    pub mid: u64,
    /// The largest count the API is expected to give.
    pub high: u64,
}

impl Band {
    /// No tokens.
    pub const ZERO: Band = Band {
        low: 0,
        mid: 0,
        high: 0,
    };

    /// A count known exactly (images of known size, documented fixed overheads).
    pub const fn exact(tokens: u64) -> Band {
        Band {
            low: tokens,
            mid: tokens,
            high: tokens,
        }
    }

    /// A count between `low` and `high` with `mid` as the guess.
    pub const fn new(low: u64, mid: u64, high: u64) -> Band {
        Band { low, mid, high }
    }

    /// True when every end is zero.
    pub fn is_zero(self) -> bool {
        self == Band::ZERO
    }

    /// The band with each end lowered by `other`'s (never below zero): what is left after
    /// removing a part.
    pub fn saturating_sub(self, other: Band) -> Band {
        Band {
            low: self.low.saturating_sub(other.low),
            mid: self.mid.saturating_sub(other.mid),
            high: self.high.saturating_sub(other.high),
        }
    }
}

impl Add for Band {
    type Output = Band;
    fn add(self, other: Band) -> Band {
        Band {
            low: self.low + other.low,
            mid: self.mid + other.mid,
            high: self.high + other.high,
        }
    }
}

impl AddAssign for Band {
    fn add_assign(&mut self, other: Band) {
        *self = *self + other;
    }
}

impl std::iter::Sum for Band {
    fn sum<I: Iterator<Item = Band>>(iter: I) -> Band {
        iter.fold(Band::ZERO, Add::add)
    }
}

/// What the tokens are spent on: the columns of `count` and the parts findings name when they
/// say what dominates an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The top-level `system` prompt.
    System,
    /// Tool definitions, the tool-use system prompt, `tool_use` inputs and `tool_result` text.
    Tools,
    /// Message text.
    Text,
    /// Images, wherever they appear (also inside `tool_result`).
    Images,
    /// Documents (PDFs, plain-text and custom-content documents, search results).
    Documents,
    /// `thinking` and `redacted_thinking` blocks sent back.
    Thinking,
}

impl Kind {
    /// Every kind, in the order `count` shows them.
    pub const ALL: [Kind; 6] = [
        Kind::System,
        Kind::Tools,
        Kind::Text,
        Kind::Images,
        Kind::Documents,
        Kind::Thinking,
    ];

    /// The name in tables, JSON and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::System => "system",
            Kind::Tools => "tools",
            Kind::Text => "text",
            Kind::Images => "images",
            Kind::Documents => "documents",
            Kind::Thinking => "thinking",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Tokens split by [`Kind`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Breakdown {
    by_kind: [Band; 6],
}

impl Breakdown {
    /// The tokens of one kind.
    pub fn get(&self, kind: Kind) -> Band {
        self.by_kind[kind.index()]
    }

    /// Adds `tokens` to `kind`.
    pub fn add(&mut self, kind: Kind, tokens: Band) {
        self.by_kind[kind.index()] += tokens;
    }

    /// Every kind together.
    pub fn total(&self) -> Band {
        self.by_kind.iter().copied().sum()
    }

    /// Adds every kind of `other`.
    pub fn merge(&mut self, other: &Breakdown) {
        for kind in Kind::ALL {
            self.add(kind, other.get(kind));
        }
    }

    /// The kinds with tokens, largest (by `mid`) first.
    pub fn largest(&self) -> Vec<(Kind, Band)> {
        let mut kinds: Vec<(Kind, Band)> = Kind::ALL
            .iter()
            .map(|&k| (k, self.get(k)))
            .filter(|(_, b)| b.mid > 0)
            .collect();
        kinds.sort_by(|a, b| b.1.mid.cmp(&a.1.mid).then(a.0.cmp(&b.0)));
        kinds
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_add_and_subtract_per_end() {
        let a = Band::new(1, 2, 3);
        let b = Band::exact(5);
        assert_eq!(a + b, Band::new(6, 7, 8));
        assert_eq!(b.saturating_sub(a), Band::new(4, 3, 2));
        assert_eq!(a.saturating_sub(b), Band::ZERO);
        assert_eq!([a, b].into_iter().sum::<Band>(), Band::new(6, 7, 8));
    }

    #[test]
    fn breakdown_orders_the_largest_kinds_first() {
        let mut b = Breakdown::default();
        b.add(Kind::Text, Band::exact(10));
        b.add(Kind::Images, Band::exact(30));
        b.add(Kind::Text, Band::exact(5));
        assert_eq!(b.total(), Band::exact(45));
        assert_eq!(
            b.largest(),
            vec![
                (Kind::Images, Band::exact(30)),
                (Kind::Text, Band::exact(15))
            ]
        );
    }
}
