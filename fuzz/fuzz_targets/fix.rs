//! Fix application (the input picks its kind as in `analyze`): safe fixes never break a file
//! that parses (no S001 syntax error after them), and once applied until stable, a second run
//! finds nothing left to apply. In a file that is already broken the error count says little
//! (each edit changes how the parser recovers), so there only the second-run check holds.
#![no_main]

use claude_preflight::analyze::{Analysis, analyze, fix_until_stable};
use claude_preflight::fix::Applicability;
use claude_preflight_fuzz::{assert_ranges, settings, split_kind};
use libfuzzer_sys::fuzz_target;

fn syntax_errors(analysis: &Analysis) -> usize {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "S001")
        .count()
}

fuzz_target!(|data: &[u8]| {
    let Some((kind, path, file)) = split_kind(data) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(file) else {
        return;
    };
    let settings = settings();
    let analysis = analyze(text, kind, path, &settings);
    let before = syntax_errors(&analysis);
    let (fixed, analysis, applied) = fix_until_stable(
        text.to_owned(),
        analysis,
        kind,
        path,
        &settings,
        Applicability::Safe,
    );
    if applied == 0 {
        return;
    }
    assert_ranges(&fixed, &analysis);
    assert!(
        before > 0 || syntax_errors(&analysis) == 0,
        "the fixes broke the syntax: {} S001 after:\n{fixed}",
        syntax_errors(&analysis)
    );
    let (again, _, reapplied) = fix_until_stable(
        fixed.clone(),
        analysis,
        kind,
        path,
        &settings,
        Applicability::Safe,
    );
    assert!(
        reapplied == 0 && again == fixed,
        "a second fix run applied {reapplied} more:\n{fixed}\n---\n{again}"
    );
});
