//! Which `anthropic-version` a request is sent with (design: "API version matters").
//!
//! The version decides whether `temperature`, `top_p` and `top_k` exist at all (reference
//! §1.2, §1.3). A request file does not say which version it goes out under, except a Bedrock
//! or Vertex body's `anthropic_version`; otherwise the configuration says, or the SDK the
//! workspace pins: `data/api.toml` records the first major of each SDK that sends each
//! version (reference §0, §1.1). This module holds those facts as pure functions: the file
//! system is read by [`crate::sdk_pin`].

use crate::facts::api::{ApiVersion, SdkMajors};
use crate::syntax::Node;

/// The API version in force for one request body: its own `anthropic_version` (Bedrock and
/// Vertex bodies carry it), else `configured` (the options' version: configuration, SDK pin).
///
/// A Bedrock or Vertex body version behaves like the version `data/api.toml` says (they
/// predate the removal of the sampling parameters); any other `bedrock-` or `vertex-` value is
/// taken for the same.
pub(crate) fn in_force(body: &Node, configured: ApiVersion) -> ApiVersion {
    let platform = |prefix: &str| {
        let p = &crate::facts::api::limits().platform;
        [&p.bedrock, &p.vertex]
            .into_iter()
            .filter_map(|p| p.body_version.as_deref())
            .find(|v| v.starts_with(prefix))
            .and_then(ApiVersion::of_body_version)
    };
    match body.get("anthropic_version").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("bedrock-") => platform("bedrock-").unwrap_or_default(),
        Some(v) if v.starts_with("vertex-") => platform("vertex-").unwrap_or_default(),
        Some(v) => ApiVersion::parse(v).unwrap_or(configured),
        None => configured,
    }
}

/// An official Anthropic SDK whose version decides the API version it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sdk {
    /// PyPI `anthropic`.
    Python,
    /// npm `@anthropic-ai/sdk`.
    TypeScript,
}

impl Sdk {
    /// The package name as its registry spells it.
    pub(crate) fn package(self) -> &'static str {
        match self {
            Sdk::Python => "anthropic",
            Sdk::TypeScript => "@anthropic-ai/sdk",
        }
    }

    /// This SDK's entry in a version's first majors.
    fn major(self, majors: SdkMajors) -> u64 {
        match self {
            Sdk::Python => majors.python,
            Sdk::TypeScript => majors.typescript,
        }
    }

    /// The versions this SDK sends, oldest first, each with the first major that sends it
    /// and the first that no longer does (`None`: still the newest).
    fn eras(self) -> Vec<(Version, Option<Version>, ApiVersion)> {
        let sent: Vec<(u64, ApiVersion)> = ApiVersion::all()
            .filter_map(|v| Some((self.major(v.facts()?.sdk?), v)))
            .collect();
        sent.iter()
            .enumerate()
            .map(|(i, &(major, version))| {
                let next = sent.get(i + 1).map(|&(next, _)| [next, 0, 0]);
                ([major, 0, 0], next, version)
            })
            .collect()
    }

    /// The API version a released SDK version (`2.14.0`, `0.40.1`, `1.0.0-beta.2`) sends;
    /// `None` when the text is not a version. A pre-release counts with its release line.
    pub(crate) fn release_api_version(self, version: &str) -> Option<ApiVersion> {
        let major = *partial(version.trim())?.first()?;
        Some(self.api_version_of_major(major))
    }

    fn api_version_of_major(self, major: u64) -> ApiVersion {
        self.eras()
            .into_iter()
            .rfind(|&(first, _, _)| first[0] <= major)
            .map_or(ApiVersion::UNKNOWN, |(_, _, version)| version)
    }

    /// The API version every version a range admits sends; `None` when the range admits
    /// versions on both sides of the change (`>=1.0,<3` for Python, `*`), admits none, or cannot
    /// be read (a URL, a git reference, a dist-tag).
    pub(crate) fn range_api_version(self, range: &str, syntax: RangeSyntax) -> Option<ApiVersion> {
        let intervals = parse_range(range, syntax)?;
        let mut admitted = self.eras().into_iter().filter(|&(first, next, _)| {
            let era = Interval {
                lo: first,
                hi: next,
            };
            intervals.iter().any(|i| !i.intersect(era).is_empty())
        });
        match (admitted.next(), admitted.next()) {
            (Some((_, _, version)), None) => Some(version),
            _ => None,
        }
    }
}

/// How a manifest writes version ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeSyntax {
    /// PEP 440 specifiers (`requirements.txt`, PEP 621 `dependencies`): `>=1.0,<3`, `~=2.1`,
    /// `==2.*`.
    Pep440,
    /// Poetry constraints: PEP 440 plus `^2.1`, `~2.1`, a bare version (exact), `||`.
    Poetry,
    /// npm semver ranges (`package.json`): `^1.2.0`, `~0.40`, `1.x`, `>=0.30 <2`, `1 - 2`,
    /// `||`.
    Npm,
}

/// A version as three numbers; missing trailing parts are zero.
type Version = [u64; 3];

/// The versions from `lo` (included) to `hi` (excluded; `None`: no upper bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Interval {
    lo: Version,
    hi: Option<Version>,
}

impl Interval {
    const ALL: Interval = Interval {
        lo: [0, 0, 0],
        hi: None,
    };

    fn is_empty(self) -> bool {
        self.hi.is_some_and(|hi| hi <= self.lo)
    }

    fn intersect(self, other: Interval) -> Interval {
        let hi = match (self.hi, other.hi) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Interval {
            lo: self.lo.max(other.lo),
            hi,
        }
    }
}

/// A version as written in a range or a lockfile: its release numbers up to the first
/// wildcard or pre-/post-release tail (`1.x` → `[1]`, `*` → `[]`, `2.0.0rc1` → `[2, 0, 0]`,
/// `v1.2.3-beta` → `[1, 2, 3]`, `1!2.0` → `[2, 0]`: the epoch is dropped); `None` when it is not
/// a version.
fn partial(text: &str) -> Option<Vec<u64>> {
    let text = text.split_once('!').map_or(text, |(_, release)| release);
    let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
    let text = text.split(['-', '+']).next().unwrap_or(text);
    let mut parts = Vec::new();
    for piece in text.split('.') {
        if matches!(piece, "x" | "X" | "*") {
            return Some(parts);
        }
        if parts.len() == 3 {
            // PEP 440 allows more release parts (`1.2.3.4`); they never move a major boundary.
            continue;
        }
        let digits_end = piece
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(piece.len());
        if digits_end == 0 {
            // `1.0.post1`: the tail ends the release; a text that starts so is no version.
            if parts.is_empty() {
                return None;
            }
            break;
        }
        parts.push(piece[..digits_end].parse().ok()?);
        if digits_end != piece.len() {
            // A pre-release or post-release tail (`2.0.0rc1`, `1.0.post1`) ends the release.
            break;
        }
    }
    (!parts.is_empty()).then_some(parts)
}

fn padded(parts: &[u64]) -> Version {
    let mut v = [0; 3];
    for (slot, part) in v.iter_mut().zip(parts) {
        *slot = *part;
    }
    v
}

/// The first version past every version that starts with `parts[..=index]`.
fn bump(parts: &[u64], index: usize) -> Option<Version> {
    if parts.is_empty() {
        return None;
    }
    let index = index.min(parts.len() - 1);
    let mut v = padded(&parts[..=index]);
    v[index] = v[index].saturating_add(1);
    Some(v)
}

/// The next version after `v` (its next patch).
fn next(v: Version) -> Version {
    [v[0], v[1], v[2].saturating_add(1)]
}

/// The versions a range admits, as a union of intervals; `None` when it cannot be read.
fn parse_range(range: &str, syntax: RangeSyntax) -> Option<Vec<Interval>> {
    let range = range.trim();
    let alternatives: Vec<&str> = match syntax {
        RangeSyntax::Pep440 => vec![range],
        RangeSyntax::Poetry => range.split("||").flat_map(|a| a.split('|')).collect(),
        RangeSyntax::Npm => range.split("||").collect(),
    };
    alternatives
        .into_iter()
        .map(|alternative| parse_conjunction(alternative.trim(), syntax))
        .collect()
}

/// One alternative: comparators that must all hold.
fn parse_conjunction(text: &str, syntax: RangeSyntax) -> Option<Interval> {
    if syntax == RangeSyntax::Npm
        && let Some((from, to)) = text.split_once(" - ")
    {
        let from = partial(from.trim())?;
        let to = partial(to.trim())?;
        let hi = if to.len() < 3 {
            bump(&to, to.len().saturating_sub(1))
        } else {
            Some(next(padded(&to)))
        };
        return Some(Interval {
            lo: padded(&from),
            hi,
        });
    }
    let mut interval = Interval::ALL;
    for comparator in comparators(text, syntax) {
        interval = interval.intersect(parse_comparator(&comparator, syntax)?);
    }
    Some(interval)
}

/// Splits an alternative into comparators, joining an operator written apart from its version
/// (`>= 1.0`).
fn comparators(text: &str, syntax: RangeSyntax) -> Vec<String> {
    let pieces: Vec<&str> = match syntax {
        RangeSyntax::Pep440 => text.split(',').collect(),
        RangeSyntax::Poetry => text.split([',', ' ', '\t']).collect(),
        RangeSyntax::Npm => text.split([' ', '\t']).collect(),
    };
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for piece in pieces.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        pending.push_str(piece);
        if piece.chars().all(|c| "<>=!~^".contains(c)) {
            continue;
        }
        out.push(std::mem::take(&mut pending));
    }
    if !pending.is_empty() {
        out.push(pending);
    }
    out
}

/// One comparator (`>=1.2`, `^0.40`, `~=2.1`, `==2.*`, `1.x`).
fn parse_comparator(text: &str, syntax: RangeSyntax) -> Option<Interval> {
    const OPERATORS: [&str; 11] = [
        "===", "~=", "==", "!=", ">=", "<=", "~>", ">", "<", "=", "^",
    ];
    let (op, rest) = OPERATORS
        .iter()
        .find_map(|op| text.strip_prefix(op).map(|rest| (*op, rest)))
        .or_else(|| text.strip_prefix('~').map(|rest| ("~", rest)))
        .unwrap_or(("", text));
    let rest = rest.trim();
    if matches!(rest, "*" | "x" | "X" | "") && matches!(op, "" | "==" | "=") {
        return Some(Interval::ALL);
    }
    let parts = partial(rest)?;
    // npm reads a partial version as "any version starting so" (`1.2` = `>=1.2.0 <1.3.0`);
    // PEP 440 and Poetry pad it with zeros (`==1.2` = `==1.2.0`).
    let wildcard =
        parts.len() < 3 && (syntax == RangeSyntax::Npm || rest.ends_with(['*', 'x', 'X']));
    let last = parts.len().saturating_sub(1);
    let lo = padded(&parts);
    let interval = |lo: Version, hi: Option<Version>| Some(Interval { lo, hi });
    match op {
        "!=" => Some(Interval::ALL),
        "===" => interval(lo, Some(next(lo))),
        "" | "=" | "==" if wildcard => interval(lo, bump(&parts, last)),
        "" if syntax == RangeSyntax::Pep440 => None,
        "" | "=" | "==" => interval(lo, Some(next(lo))),
        ">=" => interval(lo, None),
        ">" if wildcard => interval(bump(&parts, last)?, None),
        ">" => interval(next(lo), None),
        "<" => interval([0, 0, 0], Some(lo)),
        "<=" if wildcard => interval([0, 0, 0], bump(&parts, last)),
        "<=" => interval([0, 0, 0], Some(next(lo))),
        "^" => {
            let first_nonzero = parts.iter().position(|&p| p != 0).unwrap_or(last);
            interval(lo, bump(&parts, first_nonzero))
        }
        "~" | "~>" if syntax != RangeSyntax::Pep440 => {
            interval(lo, bump(&parts, if parts.len() >= 2 { 1 } else { 0 }))
        }
        "~=" if parts.len() >= 2 && syntax != RangeSyntax::Npm => {
            interval(lo, bump(&parts, parts.len() - 2))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions() -> (ApiVersion, ApiVersion) {
        let v = |name| ApiVersion::parse(name).unwrap();
        (v("2023-06-01"), v("2026-10-21"))
    }

    fn py(range: &str) -> Option<ApiVersion> {
        Sdk::Python.range_api_version(range, RangeSyntax::Pep440)
    }

    fn poetry(range: &str) -> Option<ApiVersion> {
        Sdk::Python.range_api_version(range, RangeSyntax::Poetry)
    }

    fn npm(range: &str) -> Option<ApiVersion> {
        Sdk::TypeScript.range_api_version(range, RangeSyntax::Npm)
    }

    #[test]
    fn released_versions() {
        let (old, new) = versions();
        assert_eq!(Sdk::Python.release_api_version("2.14.0"), Some(new));
        assert_eq!(Sdk::Python.release_api_version("2.0.0rc1"), Some(new));
        assert_eq!(Sdk::Python.release_api_version("1.17.0"), Some(old));
        assert_eq!(Sdk::Python.release_api_version("0.125.0"), Some(old));
        assert_eq!(Sdk::TypeScript.release_api_version("1.0.0"), Some(new));
        assert_eq!(
            Sdk::TypeScript.release_api_version("1.0.0-beta.3"),
            Some(new)
        );
        assert_eq!(Sdk::TypeScript.release_api_version("0.137.0"), Some(old));
        assert_eq!(Sdk::Python.release_api_version("1.0.post1"), Some(old));
        assert_eq!(Sdk::Python.release_api_version("1!2.0"), Some(new));
        assert_eq!(Sdk::TypeScript.release_api_version("link:../sdk"), None);
        assert_eq!(Sdk::TypeScript.release_api_version("*"), None);
    }

    #[test]
    fn pep440_specifiers() {
        let (old, new) = versions();
        assert_eq!(py("==2.3.0"), Some(new));
        assert_eq!(py(">=2.0"), Some(new));
        assert_eq!(py(">=2.0.0, <3"), Some(new));
        assert_eq!(py("<2"), Some(old));
        assert_eq!(py("<2.0.0,>=0.40"), Some(old));
        assert_eq!(py("~=1.17"), Some(old));
        assert_eq!(py("~=2.1"), Some(new));
        assert_eq!(py("~=1.17.0"), Some(old));
        assert_eq!(py("==1.*"), Some(old));
        assert_eq!(py("==2.*"), Some(new));
        assert_eq!(py("<=1.99"), Some(old));
        assert_eq!(py(">1.99"), None, "1.99.1 and 2.x both match");
        assert_eq!(py("!=1.5,>=2"), Some(new));
        assert_eq!(py("===2.1.0"), Some(new));
        // Spanning both sides, unpinned, empty or unreadable.
        assert_eq!(py(">=1.0,<3"), None);
        assert_eq!(py(">=0.40"), None);
        assert_eq!(py(""), None);
        assert_eq!(py("2.1.0"), None, "a bare version is not PEP 440");
        assert_eq!(py(">=3,<2"), None, "admits nothing");
        assert_eq!(py("~=2"), None, "`~=` needs two parts");
    }

    #[test]
    fn poetry_constraints() {
        let (old, new) = versions();
        assert_eq!(poetry("^2.1"), Some(new));
        assert_eq!(poetry("^1.17"), Some(old));
        assert_eq!(poetry("^0.40"), Some(old));
        assert_eq!(poetry("~1.17"), Some(old));
        assert_eq!(poetry("2.1.0"), Some(new));
        assert_eq!(poetry("1.2"), Some(old));
        assert_eq!(poetry(">=2.0 <3.0"), Some(new));
        assert_eq!(poetry("^1.0 || ^2.0"), None);
        assert_eq!(poetry("^2.0 | ^3.0"), Some(new));
        assert_eq!(poetry("*"), None);
        assert_eq!(poetry("2.*"), Some(new));
    }

    #[test]
    fn npm_ranges() {
        let (old, new) = versions();
        assert_eq!(npm("^1.2.0"), Some(new));
        assert_eq!(npm("^0.137.0"), Some(old));
        assert_eq!(npm("~0.40"), Some(old));
        assert_eq!(npm("0.x"), Some(old));
        assert_eq!(npm("1.x"), Some(new));
        assert_eq!(npm("1"), Some(new));
        assert_eq!(npm("0"), Some(old));
        assert_eq!(npm("1.14.0"), Some(new));
        assert_eq!(npm("v0.30.1"), Some(old));
        assert_eq!(npm(">= 1.0.0"), Some(new));
        assert_eq!(npm(">0"), Some(new), "npm's `>0` is `>=1.0.0`");
        assert_eq!(npm("<=0"), Some(old), "npm's `<=0` is `<1.0.0`");
        assert_eq!(npm(">=0.30 <1"), Some(old));
        assert_eq!(npm("0.30.0 - 0.40"), Some(old));
        assert_eq!(npm("0.30.0 - 1"), None);
        assert_eq!(npm("^0.40.0 || ^1.0.0"), None);
        assert_eq!(npm("1.0.0-beta.1"), Some(new));
        assert_eq!(npm("*"), None);
        assert_eq!(npm(""), None);
        assert_eq!(npm("latest"), None);
        assert_eq!(npm("workspace:*"), None);
        assert_eq!(npm("github:anthropics/anthropic-sdk-typescript"), None);
    }
}
