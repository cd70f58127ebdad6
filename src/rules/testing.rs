//! Test helpers for rule families: analyse a request end to end, apply a rule's fixes and
//! re-check, and run one family over a tree holding `Unknown` values (which the JSON parser
//! never produces, but code hosts will).

use jiff::civil::date;

use super::{
    AllRules, ApiVersion, Context, DEFAULT_CONTEXT_WARNING_RATIO, Finding, Options, Rule, Sink,
};
use crate::analyze::{Diagnostic, analyze};
use crate::extract::files::FileKind;
use crate::extract::{Payload, PayloadKind};
use crate::facts::{Dialect, Facts, Model};
use crate::fix::apply::apply_fixes;
use crate::rules::secrets::Written;
use crate::settings::Settings;
use crate::syntax::{Node, Value, json};

/// The diagnostics of a JSON request, every rule on, on 2026-11-25.
pub(crate) fn diagnostics(text: &str) -> Vec<Diagnostic> {
    analyze(
        text,
        FileKind::Json,
        "request.json",
        &Settings::new(date(2026, 11, 25)),
    )
    .diagnostics
}

/// Applies the fixes of every `rule` finding (safe and unsafe) and returns the new text.
pub(crate) fn apply_rule_fixes(text: &str, rule: &Rule) -> String {
    let diagnostics = diagnostics(text);
    let fixes: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .filter_map(|d| d.fix.as_ref())
        .collect();
    assert!(!fixes.is_empty(), "no `{}` fix in:\n{text}", rule.name);
    let (fixed, applied) = apply_fixes(text, fixes.iter().copied());
    assert_eq!(applied, fixes.len(), "some `{}` fixes clashed", rule.name);
    fixed
}

/// Parses `text` as JSON, turns every string `"$unknown"` into `Unknown`, and runs `check` over
/// it as a first-party Messages body: the codes and messages found.
pub(crate) fn check_with_unknowns(
    text: &str,
    check: fn(&Context<'_>, &mut Sink<'_>),
) -> Vec<(&'static str, String)> {
    let mut root = json::parse(text, 0).root.expect("test JSON parses");
    mark_unknowns(&mut root);
    let payload = Payload {
        root: &root,
        kind: PayloadKind::Messages,
        dialect: Dialect::FirstParty,
        path: String::new(),
        body_bytes: text.len() as u64,
        call: None,
        stored: false,
    };
    let options = Options {
        today: date(2026, 11, 25),
        api_version: ApiVersion::UNKNOWN,
        default_model: None,
        context_warning_ratio: DEFAULT_CONTEXT_WARNING_RATIO,
        betas: Vec::new(),
    };
    let model = payload
        .model_id()
        .and_then(|id| Facts::builtin().resolve(id))
        .map(|(m, _)| m);
    findings_of(&payload, Facts::builtin(), model, &options, text, check)
        .into_iter()
        .map(|f| (f.rule.code, f.message))
        .collect()
}

/// The findings `check` makes of `payload` (written in `text`) with every rule on: `facts`,
/// `model`, `options`, a fresh token cache, and the keys written in `text`.
pub(crate) fn findings_of(
    payload: &Payload<'_>,
    facts: &Facts,
    model: Option<&Model>,
    options: &Options,
    text: &str,
    check: impl FnOnce(&Context<'_>, &mut Sink<'_>),
) -> Vec<Finding> {
    let ctx = Context {
        payload,
        facts,
        model,
        options,
        tokens: &Default::default(),
        written: &Written::of(text),
        root_keys: None,
    };
    let mut sink = Sink::new(&AllRules);
    check(&ctx, &mut sink);
    sink.into_findings()
}

fn mark_unknowns(node: &mut Node) {
    match &mut node.value {
        Value::String(s) if s == "$unknown" => node.value = Value::Unknown,
        Value::Object(members) => members.iter_mut().for_each(|m| mark_unknowns(&mut m.value)),
        Value::Array(items) => items.iter_mut().for_each(mark_unknowns),
        _ => {}
    }
}
