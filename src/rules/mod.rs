//! Rules: pure functions of (payload, facts, options) → findings (invariant 3).
//!
//! One file per family. Each declares its rules with `declare_rules!` and exposes
//! `check(&Context, &mut Sink)`; `FAMILIES` runs them in order. A rule never sees the host
//! language and skips `Unknown` values without a finding.

/// The conversation view lives with the payloads (`extract`), below both rules and tokens.
pub(crate) use crate::extract::conversation;
pub mod docs;
pub(crate) mod registry;

pub(crate) mod batch;
pub(crate) mod caching;
pub(crate) mod content;
pub(crate) mod context;
pub(crate) mod http;
pub(crate) mod media;
pub(crate) mod models;
pub(crate) mod openai;
pub(crate) mod params;
pub(crate) mod prefill;
pub(crate) mod request;
pub(crate) mod roles;
pub(crate) mod runtime;
pub(crate) mod sampling;
pub(crate) mod schema;
pub(crate) mod secrets;
pub(crate) mod syntax;
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod thinking;
pub(crate) mod tool_pairing;
pub(crate) mod tools;

use std::sync::Mutex;

use jiff::civil::Date;

use crate::extract::files::Document;
use crate::extract::{BatchLine, Payload};
use crate::facts::api::ApiVersion;
use crate::facts::{Facts, Model};
use crate::fix::Fix;
use crate::syntax::TextRange;
use crate::tokens::estimate::TokenCache;
pub use registry::{FixKind, Rule, Severity};

/// Everything a rule may consult besides the payload: no I/O, no clock, no globals.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// "Today", for lifecycle dates; the CLI passes the real date, tests a fixed one.
    pub today: Date,
    /// The API version in force.
    pub api_version: ApiVersion,
    /// The model assumed when a payload names none (Bedrock and Vertex bodies).
    pub default_model: Option<String>,
    /// The share of the model's context window (0 to 1) above which an estimated input size
    /// is worth a warning: estimates have an error margin, so a request near the limit may
    /// already be over it. Set by `context-warning-ratio` in the configuration.
    pub context_warning_ratio: f64,
    /// Betas the request files declare they are sent with (configuration `betas`, or an
    /// `anthropic-beta:` comment in the file): a JSON or YAML file cannot show the header.
    pub betas: Vec<String>,
}

/// The default `context-warning-ratio`: warn once an estimate passes 90% of the window.
pub(crate) const DEFAULT_CONTEXT_WARNING_RATIO: f64 = 0.9;

impl Options {
    /// Defaults for `today`: API version unknown, no default model, the default warning ratio.
    pub(crate) fn new(today: Date) -> Self {
        Self {
            today,
            api_version: ApiVersion::UNKNOWN,
            default_model: None,
            context_warning_ratio: DEFAULT_CONTEXT_WARNING_RATIO,
            betas: Vec::new(),
        }
    }
}

/// What a rule sees: one payload and the facts.
pub(crate) struct Context<'a> {
    /// The payload under check.
    pub payload: &'a Payload<'a>,
    /// The model table (built-in plus configured models).
    pub facts: &'a Facts,
    /// The model the payload is for, when known.
    pub model: Option<&'a Model>,
    /// Options.
    pub options: &'a Options,
    /// Token counts of texts already seen (the language server keeps one per open document,
    /// so an edit recounts only the texts it changed; the command line starts one per file).
    pub tokens: &'a Mutex<TokenCache>,
    /// The keys written in the file's text, and where their markers are (the payload's
    /// strings copied verbatim from the text are not searched again).
    pub written: &'a secrets::Written<'a>,
    /// The keys in the decoded strings of the document's tree, with its root: they were found
    /// for redaction already, and a payload that is the whole tree is not searched again.
    pub root_keys: Option<(&'a crate::syntax::Node, &'a [secrets::Secret])>,
}

/// One problem a rule found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    /// The rule that found it.
    pub rule: &'static Rule,
    /// Where it is in the host file.
    pub range: TextRange,
    /// What the API would answer, and why.
    pub message: String,
    /// A structural fix, if one is certain enough to offer.
    pub fix: Option<Fix>,
    /// A severity other than the rule's default, e.g. a warning for a version-dependent
    /// problem while the API version is unknown.
    pub severity: Option<Severity>,
}

/// Which rules run; the rest are skipped before they do any work.
pub(crate) trait RuleFilter: Sync {
    /// True when `rule` is switched on.
    fn is_enabled(&self, rule: &Rule) -> bool;
}

/// Every rule on: what tests use.
#[cfg(test)]
pub(crate) struct AllRules;

#[cfg(test)]
impl RuleFilter for AllRules {
    fn is_enabled(&self, _: &Rule) -> bool {
        true
    }
}

/// Collects findings, dropping those of rules that are switched off.
pub(crate) struct Sink<'f> {
    filter: &'f dyn RuleFilter,
    findings: Vec<Finding>,
    /// Ranges of problems that rules switched off by the configuration found: still a
    /// problem that has its own rule, so the generic schema error must not stand in for it.
    silenced: Vec<TextRange>,
}

impl<'f> Sink<'f> {
    /// A sink that keeps the findings of the rules `filter` enables.
    pub(crate) fn new(filter: &'f dyn RuleFilter) -> Self {
        Self {
            filter,
            findings: Vec::new(),
            silenced: Vec::new(),
        }
    }

    /// True when `rule` is on: rules with costly checks ask before doing the work.
    pub(crate) fn enabled(&self, rule: &Rule) -> bool {
        self.filter.is_enabled(rule)
    }

    /// Reports a finding without a fix.
    pub(crate) fn report(
        &mut self,
        rule: &'static Rule,
        range: TextRange,
        message: impl Into<String>,
    ) {
        self.report_fix(rule, range, message, None);
    }

    /// Reports a finding with an optional fix.
    pub(crate) fn report_fix(
        &mut self,
        rule: &'static Rule,
        range: TextRange,
        message: impl Into<String>,
        fix: Option<Fix>,
    ) {
        self.push(rule, range, message.into(), fix, None);
    }

    /// Reports a finding at `severity` instead of the rule's default: a version- or
    /// model-dependent problem is a warning while the version or model is unknown (the message
    /// must then name the cases in which the API rejects it).
    pub(crate) fn report_at(
        &mut self,
        severity: Severity,
        rule: &'static Rule,
        range: TextRange,
        message: impl Into<String>,
        fix: Option<Fix>,
    ) {
        self.push(rule, range, message.into(), fix, Some(severity));
    }

    fn push(
        &mut self,
        rule: &'static Rule,
        range: TextRange,
        message: String,
        fix: Option<Fix>,
        severity: Option<Severity>,
    ) {
        if self.filter.is_enabled(rule) {
            self.findings.push(Finding {
                rule,
                range,
                message,
                fix,
                severity,
            });
        } else {
            self.silenced.push(range);
        }
    }

    /// The ranges of every problem a dedicated rule found so far, including rules switched
    /// off: a generic finding over one of them would report the same problem again.
    pub(crate) fn covered(&self) -> impl Iterator<Item = TextRange> + '_ {
        self.findings
            .iter()
            .map(|f| f.range)
            .chain(self.silenced.iter().copied())
    }

    /// Takes the findings.
    pub(crate) fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    /// An empty sink with the same rules on, for checks run on another thread.
    fn fork(&self) -> Sink<'f> {
        Sink::new(self.filter)
    }

    /// Adds what a [`Sink::fork`] found after what this one found: as if its checks had run
    /// here, at this point.
    fn append(&mut self, other: Sink<'f>) {
        self.findings.extend(other.findings);
        self.silenced.extend(other.silenced);
    }
}

/// A rule family: its rules and the function that checks a payload for them.
pub(crate) struct Family {
    /// The family's name (its file under `src/rules/`).
    pub name: &'static str,
    /// Its rules.
    pub rules: &'static [&'static Rule],
    /// Checks one payload.
    pub check: fn(&Context<'_>, &mut Sink<'_>),
    /// What else it checks besides payloads.
    pub scope: Scope,
}

/// What a family checks besides each payload: `analyze` runs these for every family, so no
/// family is wired into it by hand.
#[derive(Clone, Copy)]
pub(crate) struct Scope {
    /// Every document of a file, whether or not it holds a request.
    pub document: Option<fn(&Document, &mut Sink<'_>)>,
    /// Every document that holds a request, before its payloads are checked.
    pub request_document: Option<fn(&Document, &mut Sink<'_>)>,
    /// The request lines of a JSON Lines file, together.
    pub file_lines: Option<fn(&[BatchLine<'_>], &mut Sink<'_>)>,
}

impl Scope {
    /// Payloads only.
    pub(crate) const PAYLOAD: Scope = Scope {
        document: None,
        request_document: None,
        file_lines: None,
    };
}

/// Every family, in the order they run. The schema family runs last: it drops the generic
/// schema errors that a dedicated rule already reported.
pub(crate) static FAMILIES: &[Family] = &[
    Family {
        name: "syntax",
        rules: syntax::RULES,
        check: syntax::check,
        scope: Scope {
            request_document: Some(syntax::check_document),
            ..Scope::PAYLOAD
        },
    },
    Family {
        name: "request",
        rules: request::RULES,
        check: request::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "openai",
        rules: openai::RULES,
        check: openai::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "roles",
        rules: roles::RULES,
        check: roles::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "content",
        rules: content::RULES,
        check: content::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "models",
        rules: models::RULES,
        check: models::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "thinking",
        rules: thinking::RULES,
        check: thinking::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "sampling",
        rules: sampling::RULES,
        check: sampling::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "prefill",
        rules: prefill::RULES,
        check: prefill::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "tools",
        rules: tools::RULES,
        check: tools::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "pairing",
        rules: tool_pairing::RULES,
        check: tool_pairing::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "params",
        rules: params::RULES,
        check: params::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "batch",
        rules: batch::RULES,
        check: batch::check,
        scope: Scope {
            file_lines: Some(batch::check_lines),
            ..Scope::PAYLOAD
        },
    },
    Family {
        name: "secrets",
        rules: secrets::RULES,
        check: secrets::check,
        scope: Scope {
            document: Some(secrets::check_document),
            ..Scope::PAYLOAD
        },
    },
    Family {
        name: "caching",
        rules: caching::RULES,
        check: caching::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "media",
        rules: media::RULES,
        check: media::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "context",
        rules: context::RULES,
        check: context::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "http",
        rules: http::RULES,
        check: http::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "runtime",
        rules: runtime::RULES,
        check: runtime::check,
        scope: Scope::PAYLOAD,
    },
    Family {
        name: "schema",
        rules: schema::RULES,
        check: schema::check,
        scope: Scope::PAYLOAD,
    },
];

/// Every rule, family by family.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    FAMILIES.iter().flat_map(|f| f.rules.iter().copied())
}

/// Finds a rule by name or code.
pub fn find(name_or_code: &str) -> Option<&'static Rule> {
    all().find(|r| r.name == name_or_code || r.has_code(name_or_code))
}

/// From this size on, work over a whole payload or text runs side by side, each part on its own
/// core: a payload's two long walks, the context family's (it prices every text) and the schema
/// validation, and a text's two searches (`analyze`: declared betas and written keys). On the
/// largest request of the language-server benchmark each walk took about a third of the
/// analysis; on a small payload a second thread costs more than it saves.
pub(crate) const SIDE_BY_SIDE_FROM: u64 = 1 << 20;

/// Runs every family over one payload; a model reference (no body, only a model and a few
/// fields) gets just the model checks and the sampling ranges.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if ctx.payload.kind == crate::extract::PayloadKind::ModelReference {
        models::check(ctx, sink);
        sampling::check_ranges(ctx, sink);
    } else if ctx.payload.body_bytes < SIDE_BY_SIDE_FROM {
        in_turn(ctx, sink);
    } else {
        side_by_side(ctx, sink);
    }
}

/// Runs every family, one after the other.
fn in_turn(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for family in FAMILIES {
        (family.check)(ctx, sink);
    }
}

/// Where the `context` and `schema` families stand in [`FAMILIES`], the first before the
/// second (a test keeps it so: otherwise [`side_by_side`] runs the families in turn).
fn context_and_schema() -> Option<(usize, usize)> {
    let position = |name: &str| FAMILIES.iter().position(|f| f.name == name);
    let (context, schema) = (position("context")?, position("schema")?);
    (context < schema).then_some((context, schema))
}

/// Runs every family as [`in_turn`] does, with the same findings in the same order, the two
/// long walks side by side: the context family runs on another thread into a sink of its own,
/// appended where the family stands in [`FAMILIES`], and the schema is validated beside it, its
/// errors reported in the schema family's turn (the only family that reads what the others
/// found).
fn side_by_side(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some((context_at, schema_at)) = context_and_schema() else {
        return in_turn(ctx, sink);
    };
    let mut context_sink = sink.fork();
    let validate = sink.enabled(&schema::SCHEMA_VIOLATION);
    let ((), violations) = rayon::join(
        || context::check(ctx, &mut context_sink),
        || {
            for family in &FAMILIES[..context_at] {
                (family.check)(ctx, sink);
            }
            if validate {
                schema::violations(ctx, schema::Walks::ListingOnly)
            } else {
                Vec::new()
            }
        },
    );
    sink.append(context_sink);
    for family in &FAMILIES[context_at + 1..schema_at] {
        (family.check)(ctx, sink);
    }
    schema::report(ctx, violations, sink);
    for family in &FAMILIES[schema_at + 1..] {
        (family.check)(ctx, sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    /// A rename or a reordering of the two families would quietly turn the side-by-side run
    /// back into the run in turn.
    #[test]
    fn the_families_run_side_by_side_are_found() {
        assert!(context_and_schema().is_some());
    }

    /// On a payload large enough to be checked side by side, the findings are exactly those of
    /// the families run in turn, in the same order: the context family's (a window exceeded),
    /// the schema's (`stream` not a boolean), and those of the families around them; and on a
    /// valid one, where the schema's errors are listed without the quick check first, none.
    #[test]
    fn side_by_side_finds_what_in_turn_finds() {
        let words = "Preflight checks catch what the API would reject. ".repeat(24_000);
        let invalid = format!(
            r#"{{"model": "claude-haiku-4-5", "max_tokens": 1024, "stream": "yes", "n": 2, "messages": [
                {{"role": "user", "content": "{words}"}}, {{"role": "user", "content": ""}}]}}"#
        );
        let valid = format!(
            r#"{{"model": "claude-haiku-4-5", "max_tokens": 1024, "messages": [{{"role": "user", "content": "{words}"}}]}}"#
        );
        let facts = Facts::builtin();
        let model = facts.resolve("claude-haiku-4-5").map(|(m, _)| m);
        let options = Options {
            today: jiff::civil::date(2026, 11, 25),
            api_version: ApiVersion::UNKNOWN,
            default_model: None,
            context_warning_ratio: DEFAULT_CONTEXT_WARNING_RATIO,
            betas: Vec::new(),
        };
        for (text, expected) in [
            (&invalid, &["context", "schema", "openai", "content"][..]),
            (&valid, &["context"][..]),
        ] {
            assert!(text.len() as u64 > SIDE_BY_SIDE_FROM);
            let root = crate::syntax::json::parse(text, 0).root.unwrap();
            let payload = crate::extract::Payload {
                root: &root,
                kind: crate::extract::PayloadKind::Messages,
                dialect: crate::facts::Dialect::FirstParty,
                path: String::new(),
                body_bytes: text.len() as u64,
                call: None,
                stored: false,
            };
            let run = |check: fn(&Context<'_>, &mut Sink<'_>)| {
                testing::findings_of(&payload, facts, model, &options, text, check)
            };
            let (in_turn, side_by_side) = (run(in_turn), run(side_by_side));
            assert_eq!(side_by_side, in_turn);
            let mut families: Vec<&str> = in_turn.iter().map(|f| f.rule.family).collect();
            let mut expected = expected.to_vec();
            expected.sort_unstable();
            families.sort_unstable();
            families.dedup();
            assert_eq!(families, expected, "{in_turn:#?}");
        }
    }

    /// A family's letter selects that family and no other (`--select X`), and its rules'
    /// codes all start with it: `declare_rules!` writes it once per family.
    #[test]
    fn each_family_has_its_own_letter() {
        let mut letters: HashMap<char, &str> = HashMap::new();
        for family in FAMILIES {
            let mut own: HashSet<char> = family
                .rules
                .iter()
                .filter_map(|r| r.code.chars().next())
                .collect();
            assert_eq!(own.len(), 1, "family {} has codes {own:?}", family.name);
            let letter = own.drain().next().unwrap();
            assert!(
                family.rules.iter().all(|r| r.family == family.name),
                "{}",
                family.name
            );
            if let Some(other) = letters.insert(letter, family.name) {
                panic!(
                    "`{letter}` is the letter of both {other} and {}",
                    family.name
                );
            }
        }
        let secret = find("X101").expect("the old code of api-key-in-payload");
        assert_eq!((secret.name, secret.code), ("api-key-in-payload", "Y101"));
    }

    #[test]
    fn names_and_codes_are_unique_and_well_formed() {
        let mut names = HashSet::new();
        let mut codes = HashSet::new();
        for rule in all() {
            assert!(names.insert(rule.name), "duplicate name {}", rule.name);
            assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                rule.name
            );
            for alias in rule.aliases {
                assert!(codes.insert(alias), "duplicate code {alias}");
            }
            for section in ["## What it does", "## Why", "## Example"] {
                assert!(
                    rule.markdown().contains(section),
                    "{} lacks `{section}` in its docs",
                    rule.name
                );
            }
        }
    }
}
