//! `anthropic-beta` values (reference §1.4, §1.5): which betas enable a beta-only body field,
//! and which values are deprecated.
//!
//! A request file rarely shows its headers, so these facts are only used where the body itself
//! lists its betas: Amazon Bedrock InvokeModel bodies carry them as `anthropic_beta`.

/// A beta value the SDKs deprecate: the API still accepts it, but it does nothing any more.
#[derive(Debug)]
pub(crate) struct DeprecatedBeta {
    /// The `anthropic-beta` value.
    pub name: &'static str,
    /// Why it is no longer needed, for the message.
    pub why: &'static str,
}

/// Deprecated beta values: `[TS]` CHANGELOG 1.9.0 "deprecate old beta header values" (the API
/// still accepts them; a later SDK release removes them), plus the two historical betas of
/// retired models (§1.5). `structured-outputs-2025-11-13` is in this list too, but it still
/// enables the deprecated `output_format` field: callers keep it while that field is used.
pub(crate) static DEPRECATED_BETAS: &[DeprecatedBeta] = &[
    DeprecatedBeta {
        name: "prompt-caching-2024-07-31",
        why: "prompt caching is generally available",
    },
    DeprecatedBeta {
        name: "pdfs-2024-09-25",
        why: "PDF support is generally available",
    },
    DeprecatedBeta {
        name: "token-counting-2024-11-01",
        why: "token counting is generally available",
    },
    DeprecatedBeta {
        name: "token-efficient-tools-2025-02-19",
        why: "the SDKs deprecate it",
    },
    DeprecatedBeta {
        name: "extended-cache-ttl-2025-04-11",
        why: "the 1-hour cache `ttl` is generally available",
    },
    DeprecatedBeta {
        name: "cache-diagnosis-2026-04-07",
        why: "`diagnostics` is generally available",
    },
    DeprecatedBeta {
        name: "ce-user-management-2026-07-13",
        why: "the SDKs deprecate it",
    },
    DeprecatedBeta {
        name: "message-batches-2024-09-24",
        why: "Message Batches no longer need a beta",
    },
    DeprecatedBeta {
        name: "structured-outputs-2025-11-13",
        why: "structured outputs are generally available as `output_config.format`",
    },
    DeprecatedBeta {
        name: "context-1m-2025-08-07",
        why: "it was the 1M-context beta of Claude Sonnet 4 and 4.5, retired on 2026-04-30",
    },
    DeprecatedBeta {
        name: "output-128k-2025-02-19",
        why: "it was the 128K-output beta of Claude 3.7 Sonnet, a retired model",
    },
];

/// The deprecated beta `name`, if it is one.
pub(crate) fn deprecated(name: &str) -> Option<&'static DeprecatedBeta> {
    DEPRECATED_BETAS.iter().find(|b| b.name == name)
}

/// Betas of another name that also enable a beta-only field: `context_management` takes the
/// `compact_20260112` edit under `compact-2026-01-12` (§1.4).
static ALSO_ENABLED_BY: &[(&str, &str)] = &[("context_management", "compact")];

/// The name of a beta without its date: `mcp-client-2025-11-20` → `mcp-client`.
pub(crate) fn family(beta: &str) -> &str {
    let bytes = beta.as_bytes();
    let dated = bytes.len() > 11
        && bytes[bytes.len() - 11] == b'-'
        && beta[beta.len() - 10..].bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if dated {
        &beta[..beta.len() - 11]
    } else {
        beta
    }
}

/// True when the beta value `sent` enables `field`, whose beta is `needed`. Any version of
/// the same beta counts (`mcp-client-2025-04-04` for `mcp-client-2025-11-20`): which versions
/// the API still honours is not known here, and a guess must not raise a false alarm.
pub(crate) fn enables(field: &str, needed: &str, sent: &str) -> bool {
    let sent = family(sent);
    sent == family(needed)
        || ALSO_ENABLED_BY
            .iter()
            .any(|&(f, beta)| f == field && beta == sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_drop_the_date_only() {
        assert_eq!(family("mcp-client-2025-11-20"), "mcp-client");
        assert_eq!(family("compact-2026-09-04"), "compact");
        assert_eq!(family("fast-mode"), "fast-mode");
        assert_eq!(family("x-2025-1-20"), "x-2025-1-20");
        assert_eq!(family("-2025-11-20"), "-2025-11-20");
    }

    #[test]
    fn any_version_of_the_beta_enables_its_field() {
        assert!(enables(
            "mcp_servers",
            "mcp-client-2025-11-20",
            "mcp-client-2025-04-04"
        ));
        assert!(enables(
            "context_management",
            "context-management-2025-06-27",
            "compact-2026-01-12"
        ));
        assert!(!enables(
            "mcp_servers",
            "mcp-client-2025-11-20",
            "compact-2026-01-12"
        ));
    }

    #[test]
    fn deprecated_values_are_beta_values() {
        for beta in DEPRECATED_BETAS {
            assert_ne!(family(beta.name), beta.name, "{} has no date", beta.name);
        }
        assert!(deprecated("pdfs-2024-09-25").is_some());
        assert!(deprecated("mcp-client-2025-11-20").is_none());
    }
}
