//! `check --watch`: check, then check again whenever a file under the paths changes, until
//! interrupted. Changes come from the operating system (inotify, FSEvents, ...) through the
//! `notify` crate; only files `check` would read, and configuration files, start a new run.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use super::EXIT_FAILURE;
use crate::extract::files::FileKind;

/// Changes that arrive this soon after one belong to the same save (editors write a file in
/// several steps) and start one run, not several.
const SETTLE: Duration = Duration::from_millis(100);

/// Files that change what is checked although they are not checked themselves.
const CONFIG_FILES: [&str; 3] = [
    "claude-preflight.toml",
    ".claude-preflight.toml",
    "pyproject.toml",
];

/// Runs `check` now and after every change under `paths`; returns only when watching fails.
pub(super) fn run(paths: &[PathBuf], mut check: impl FnMut() -> u8) -> u8 {
    let (sender, changes) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(sender) {
        Ok(watcher) => watcher,
        Err(error) => {
            eprintln!("error: cannot watch for changes: {error}");
            return EXIT_FAILURE;
        }
    };
    for path in paths {
        if let Err(error) = watcher.watch(path, RecursiveMode::Recursive) {
            eprintln!("error: cannot watch {}: {error}", path.display());
            return EXIT_FAILURE;
        }
    }
    loop {
        check();
        eprintln!("watching for changes (Ctrl-C stops)");
        let Some(changed) = next_change(&changes) else {
            return EXIT_FAILURE;
        };
        eprintln!("\n{} changed: checking again", changed.display());
    }
}

/// Waits for a change that matters and for the changes right after it to settle; returns the
/// first changed path, `None` when the watcher is gone.
fn next_change(changes: &mpsc::Receiver<notify::Result<notify::Event>>) -> Option<PathBuf> {
    let first = loop {
        if let Some(path) = relevant(changes.recv().ok()?) {
            break path;
        }
    };
    while changes.recv_timeout(SETTLE).is_ok() {}
    Some(first)
}

/// The path of an event that should start a new run.
fn relevant(event: notify::Result<notify::Event>) -> Option<PathBuf> {
    let event = event.ok()?;
    if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
        return None;
    }
    event.paths.into_iter().find(|p| matters(p))
}

/// True for a file `check` reads or a configuration file.
fn matters(path: &Path) -> bool {
    let is_config = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| CONFIG_FILES.contains(&n));
    is_config || FileKind::from_path(path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_checked_and_configuration_files_matter() {
        assert!(matters(Path::new("a/req.json")));
        assert!(matters(Path::new("a/claude-preflight.toml")));
        assert!(!matters(Path::new("a/.req.json.swp")));
        assert!(!matters(Path::new("target/debug/build.rs.o")));
    }
}
