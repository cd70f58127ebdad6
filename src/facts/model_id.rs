//! Model ids as people write them. An id is read into its parts (family, version, snapshot
//! date), so that an invented or misspelt id (`claude-sonnet-4.5`, `claude-3.5-sonnet`,
//! `claude-4-sonnet`) can be matched to the model it means whatever the word order and
//! separators, and ids are normalised for string similarity when they cannot be read.

/// Bedrock cross-region inference-profile prefixes (`us.anthropic.claude-...`).
pub(crate) const BEDROCK_PROFILES: &[&str] =
    &["global.", "us.", "eu.", "jp.", "au.", "apac.", "us-gov."];

/// The family words that appear in Claude ids.
const FAMILIES: &[&str] = &["opus", "sonnet", "haiku", "fable", "mythos", "instant"];

/// `id` without a Bedrock inference-profile prefix (`us.`, `global.`, ...), as written.
pub(crate) fn strip_profile(id: &str) -> &str {
    BEDROCK_PROFILES
        .iter()
        .find_map(|p| id.strip_prefix(p))
        .unwrap_or(id)
}

/// `id` lowercased and trimmed, without a Bedrock profile or `anthropic.` prefix, with `.`,
/// `@`, `_`, `:` and spaces turned into `-`: the spelling-insensitive form two ids are
/// compared in.
pub(crate) fn normalize(id: &str) -> String {
    let lower = id.trim().to_ascii_lowercase();
    let bare = strip_profile(&lower);
    let bare = bare.strip_prefix("anthropic.").unwrap_or(bare);
    bare.chars()
        .map(|c| match c {
            '.' | '@' | '_' | ':' | ' ' => '-',
            c => c,
        })
        .collect()
}

/// What an id names, whatever its spelling: `claude-3-5-sonnet-20241022`,
/// `claude-sonnet-3.5` and `anthropic.claude-3-5-sonnet-20241022-v2:0` have the same family
/// and version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IdParts {
    /// `opus`, `sonnet`, `haiku`, `fable`, `mythos`, `instant`, or none (`claude-2.1`).
    pub family: Option<&'static str>,
    /// Major and minor version; a minor of 0 is dropped (`claude-opus-4-0` is version 4).
    pub version: Vec<u8>,
    /// The snapshot date, `YYYYMMDD`.
    pub date: Option<u32>,
    /// The id says `preview`.
    pub preview: bool,
}

impl IdParts {
    /// Reads an id; `None` when it does not start with `claude` after its platform prefix,
    /// has a word that is not part of Claude ids, or says neither a version nor `preview`.
    pub(crate) fn parse(id: &str) -> Option<IdParts> {
        let normalized = normalize(id);
        let rest = normalized.strip_prefix("claude")?;
        let mut parts = IdParts::default();
        for token in rest.split('-').filter(|t| !t.is_empty()) {
            if let Some(family) = FAMILIES.iter().find(|f| **f == token) {
                if parts.family.replace(family).is_some() {
                    return None;
                }
            } else if token.bytes().all(|b| b.is_ascii_digit()) {
                match token.len() {
                    8 if parts.date.is_none() => parts.date = token.parse().ok(),
                    1 | 2 if parts.date.is_none() && parts.version.len() < 2 => {
                        parts.version.push(token.parse().ok()?)
                    }
                    _ => return None,
                }
            } else if token == "preview" {
                parts.preview = true;
            } else if token
                .strip_prefix('v')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            {
                // A platform version suffix (`-v1:0`, `-v2@...`): the rest is not the model's.
                break;
            } else if token != "latest" {
                return None;
            }
        }
        if parts.version.len() == 2 && parts.version[1] == 0 {
            parts.version.pop();
        }
        (!parts.version.is_empty() || parts.preview).then_some(parts)
    }

    /// True when both name the same model, snapshot dates aside.
    pub(crate) fn same_model(&self, other: &IdParts) -> bool {
        self.family == other.family
            && self.version == other.version
            && self.preview == other.preview
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(family: Option<&'static str>, version: &[u8], date: Option<u32>) -> IdParts {
        IdParts {
            family,
            version: version.to_vec(),
            date,
            preview: false,
        }
    }

    #[test]
    fn reads_every_spelling_of_one_model() {
        let sonnet_35 = parts(Some("sonnet"), &[3, 5], None);
        for id in [
            "claude-3-5-sonnet",
            "claude-3.5-sonnet",
            "claude-sonnet-3.5",
            "Claude-3-5-Sonnet-Latest",
            "claude_3_5_sonnet",
        ] {
            assert_eq!(IdParts::parse(id), Some(sonnet_35.clone()), "{id}");
        }
        assert_eq!(
            IdParts::parse("us.anthropic.claude-3-5-sonnet-20241022-v2:0"),
            Some(parts(Some("sonnet"), &[3, 5], Some(20241022)))
        );
        assert_eq!(
            IdParts::parse("claude-opus-4-0"),
            Some(parts(Some("opus"), &[4], None))
        );
        assert_eq!(
            IdParts::parse("claude-4-opus-20250514"),
            Some(parts(Some("opus"), &[4], Some(20250514)))
        );
        assert_eq!(
            IdParts::parse("claude-2.1"),
            Some(parts(None, &[2, 1], None))
        );
        assert_eq!(
            IdParts::parse("claude-instant-1.2"),
            Some(parts(Some("instant"), &[1, 2], None))
        );
        assert_eq!(
            IdParts::parse("claude-haiku-4-5@20251001"),
            Some(parts(Some("haiku"), &[4, 5], Some(20251001)))
        );
        let preview = IdParts::parse("claude-mythos-preview").unwrap();
        assert!(preview.preview && preview.version.is_empty());
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for id in [
            "gpt-4o",
            "claude",
            "claude-sonnet",
            "claude-sonet-4-6",
            "claude-opus-4-5-thinking",
            "claude-1-2-3",
            "claude-opus-sonnet-4",
            "anthropic/claude-3.5-sonnet",
        ] {
            assert_eq!(IdParts::parse(id), None, "{id}");
        }
    }

    #[test]
    fn normalizes_case_separators_and_prefixes() {
        assert_eq!(normalize(" Claude-Sonnet-4.5 "), "claude-sonnet-4-5");
        assert_eq!(
            normalize("global.anthropic.claude-opus-4-6-v1"),
            "claude-opus-4-6-v1"
        );
        assert_eq!(
            normalize("claude-haiku-4-5@20251001"),
            "claude-haiku-4-5-20251001"
        );
        assert_eq!(
            strip_profile("us-gov.anthropic.claude-opus-5"),
            "anthropic.claude-opus-5"
        );
    }
}
