//! Fix application (the input picks its kind as in `analyze`): safe fixes never break a file
//! that parses (its documents have no syntax error after them, whether or not they were taken
//! as requests before: a fix can make one a request), and running the fixes again ends within a
//! few runs (each run fixes what it was shown; a chain takes one run per link). In a file that
//! is already broken the error count says little (each edit changes how the parser recovers),
//! so there only the second check holds.
#![no_main]

use claude_preflight::analyze::{analyze, fix_until_stable};
use claude_preflight::fix::Applicability;
use claude_preflight::fuzzing::syntax_errors;
use claude_preflight_fuzz::{assert_ranges, settings, split_kind};
use libfuzzer_sys::fuzz_target;

/// How many more fix runs a chain of revealed findings may take before it counts as endless.
const MAX_RUNS: usize = 8;

fuzz_target!(|data: &[u8]| {
    let Some((kind, path, file)) = split_kind(data) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(file) else {
        return;
    };
    let settings = settings();
    let analysis = analyze(text, kind, path, &settings);
    let before = syntax_errors(text, kind);
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
        before > 0 || syntax_errors(&fixed, kind) == 0,
        "the fixes broke the syntax: {} syntax errors after:\n{fixed}",
        syntax_errors(&fixed, kind)
    );
    // A run fixes only the findings it was shown; what its fixes reveal waits for the next
    // run, so a chain takes one run per link. The chain ends: within a few runs one applies
    // nothing, and leaves the text as it was.
    let (mut text, mut analysis) = (fixed, analysis);
    for _ in 0..MAX_RUNS {
        let (again, after, reapplied) = fix_until_stable(
            text.clone(),
            analysis,
            kind,
            path,
            &settings,
            Applicability::Safe,
        );
        if reapplied == 0 {
            assert_eq!(
                again, text,
                "a fix run that applied nothing changed the text"
            );
            return;
        }
        assert_ranges(&again, &after);
        (text, analysis) = (again, after);
    }
    panic!("fixes were still applied after {MAX_RUNS} more runs:\n{text}");
});
