//! The Anthropic SDK version a workspace pins, and so the `anthropic-version` its requests are
//! sent with when the configuration does not say (design: "API version matters").
//!
//! From a file's directory upward, the nearest directory whose manifests or lockfiles mention
//! PyPI `anthropic` or npm `@anthropic-ai/sdk` decides. In that directory the lockfiles
//! (`poetry.lock`, `uv.lock`, `package-lock.json`, `pnpm-lock.yaml`: the versions installed)
//! win over the manifests (`requirements*.txt`, `pyproject.toml`, `package.json`: the versions
//! allowed). The pin is known only when every version found sends the same API version
//! ([`crate::facts::api_version::Sdk`]); a range such as `>=1.0,<3` that spans the change, an
//! unpinned name, or two SDKs that disagree leave it unknown, and a directory above is not
//! consulted then: the nearest mention is the one that ships with the code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::facts::api::ApiVersion;
use crate::facts::api_version::{RangeSyntax, Sdk};
use crate::small_file::{SmallFileError, read_small_file};

/// What the files of one directory say about the API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pin {
    /// Every SDK version found sends this API version.
    Known(ApiVersion),
    /// An SDK is mentioned, but its versions send different API versions, or cannot be read.
    Ambiguous,
}

impl Pin {
    /// The pin a range gives.
    fn of_range(sdk: Sdk, range: &str, syntax: RangeSyntax) -> Pin {
        sdk.range_api_version(range, syntax)
            .map_or(Pin::Ambiguous, Pin::Known)
    }

    /// The pin a resolved (installed) version gives.
    fn of_release(sdk: Sdk, version: &str) -> Pin {
        sdk.release_api_version(version)
            .map_or(Pin::Ambiguous, Pin::Known)
    }

    /// The API version, when known.
    pub(crate) fn api_version(self) -> Option<ApiVersion> {
        match self {
            Pin::Known(version) => Some(version),
            Pin::Ambiguous => None,
        }
    }
}

/// All of `pins` together: known when they agree; `None` when there are none.
fn combine(pins: impl IntoIterator<Item = Pin>) -> Option<Pin> {
    pins.into_iter()
        .reduce(|a, b| if a == b { a } else { Pin::Ambiguous })
}

/// Finds the pin of each directory's workspace; each directory is looked at once, and the
/// cache is shared by threads.
#[derive(Debug, Default)]
pub(crate) struct PinFinder {
    cache: Mutex<HashMap<PathBuf, Option<ApiVersion>>>,
    /// Files skipped because they are not small regular files, and why.
    notes: Mutex<Vec<String>>,
}

impl PinFinder {
    /// An empty finder.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The notes about files skipped so far, each once.
    pub(crate) fn take_notes(&self) -> Vec<String> {
        std::mem::take(&mut *self.notes.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The API version the SDK pinned for `dir` (absolute, normalised) sends; `None` when no
    /// directory at or above it mentions an SDK, or the nearest one is ambiguous.
    pub(crate) fn api_version_for_dir(&self, dir: &Path) -> Option<ApiVersion> {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let mut visited = Vec::new();
        let mut current = Some(dir);
        let found = loop {
            let Some(here) = current else {
                break None;
            };
            if let Some(known) = cache.get(here) {
                break *known;
            }
            visited.push(here.to_owned());
            if let Some(pin) = pin_in_dir(
                here,
                &mut self.notes.lock().unwrap_or_else(PoisonError::into_inner),
            ) {
                break pin.api_version();
            }
            current = here.parent();
        };
        for dir in visited {
            cache.insert(dir, found);
        }
        found
    }
}

/// What the lockfiles, else the manifests, in `dir` itself say; `None` when none of them
/// mentions an SDK. A file that is not a small regular file is skipped, with a note in
/// `notes` saying why.
pub(crate) fn pin_in_dir(dir: &Path, notes: &mut Vec<String>) -> Option<Pin> {
    let mut read_path = |path: &Path| match read_small_file(path) {
        Ok(text) => Some(text),
        Err(SmallFileError::Missing(_)) => None,
        Err(error) => {
            notes.push(format!(
                "{}: not read for the SDK version: {error}",
                path.display()
            ));
            None
        }
    };
    let locks = [
        read_path(&dir.join("poetry.lock")).and_then(|t| python_lock(&t)),
        read_path(&dir.join("uv.lock")).and_then(|t| python_lock(&t)),
        read_path(&dir.join("package-lock.json")).and_then(|t| package_lock(&t)),
        read_path(&dir.join("pnpm-lock.yaml")).and_then(|t| pnpm_lock(&t)),
    ];
    if let Some(pin) = combine(locks.into_iter().flatten()) {
        return Some(pin);
    }
    let mut requirement_files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("requirements") && n.ends_with(".txt"))
        })
        .collect();
    requirement_files.sort();
    let mut manifests: Vec<Pin> = requirement_files
        .iter()
        .filter_map(|path| requirements(&read_path(path)?))
        .collect();
    manifests.extend(read_path(&dir.join("pyproject.toml")).and_then(|t| pyproject(&t)));
    manifests.extend(read_path(&dir.join("package.json")).and_then(|t| package_json(&t)));
    combine(manifests)
}

/// A PEP 508 requirement (`anthropic[bedrock]>=2.0; python_version >= "3.9"`) when it names
/// PyPI `anthropic`.
fn pep508(requirement: &str) -> Option<Pin> {
    let requirement = requirement.trim();
    let name_end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(requirement.len());
    // PEP 503 normalisation folds case and `-`/`_`/`.` runs; `anthropic` has no separators.
    if !requirement[..name_end].eq_ignore_ascii_case(Sdk::Python.package()) {
        return None;
    }
    let mut rest = requirement[name_end..].trim_start();
    if let Some(after) = rest.strip_prefix('[') {
        rest = after.split_once(']').map_or("", |(_, r)| r).trim_start();
    }
    let rest = rest.split(';').next().unwrap_or_default().trim();
    if rest.starts_with('@') {
        // A direct URL: no version to read.
        return Some(Pin::Ambiguous);
    }
    let spec = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(rest);
    Some(Pin::of_range(Sdk::Python, spec, RangeSyntax::Pep440))
}

/// A pip requirements file: one requirement a line, `#` comments, `\` continuations, option
/// lines (`-r`, `-e`, `--index-url`) and per-requirement options (`--hash`) skipped.
fn requirements(text: &str) -> Option<Pin> {
    let joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
    combine(joined.lines().filter_map(|line| {
        let line = match line.find('#') {
            Some(0) => "",
            Some(i) if line[..i].ends_with([' ', '\t']) => &line[..i],
            _ => line,
        };
        let line = line.split(" --").next().unwrap_or_default().trim();
        if line.is_empty() || line.starts_with('-') {
            return None;
        }
        pep508(line)
    }))
}

/// `pyproject.toml`: PEP 621 `dependencies` and `optional-dependencies`, PEP 735
/// `dependency-groups`, and Poetry's `dependencies`, `dev-dependencies` and group dependencies.
fn pyproject(text: &str) -> Option<Pin> {
    let doc: toml::Table = toml::from_str(text).ok()?;
    let strings = |value: Option<&toml::Value>| -> Vec<String> {
        value
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let tables = |value: Option<&toml::Value>| -> Vec<toml::Value> {
        value
            .and_then(toml::Value::as_table)
            .into_iter()
            .flat_map(|t| t.values().cloned())
            .collect()
    };
    let project = doc.get("project");
    let mut requirements = strings(project.and_then(|p| p.get("dependencies")));
    for group in tables(project.and_then(|p| p.get("optional-dependencies")))
        .iter()
        .chain(&tables(doc.get("dependency-groups")))
    {
        requirements.extend(strings(Some(group)));
    }
    let poetry = doc.get("tool").and_then(|t| t.get("poetry"));
    let mut poetry_tables: Vec<toml::Value> = ["dependencies", "dev-dependencies"]
        .iter()
        .filter_map(|key| poetry.and_then(|p| p.get(*key)).cloned())
        .collect();
    for group in tables(poetry.and_then(|p| p.get("group"))) {
        poetry_tables.extend(group.get("dependencies").cloned());
    }
    let poetry_pins = poetry_tables.iter().filter_map(|table| {
        let (_, constraint) = table
            .as_table()?
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(Sdk::Python.package()))?;
        Some(poetry_constraint(constraint))
    });
    combine(
        requirements
            .iter()
            .filter_map(|r| pep508(r))
            .chain(poetry_pins)
            .collect::<Vec<_>>(),
    )
}

/// A Poetry dependency value: a constraint string, a table with `version` (or a git / path /
/// url source, which gives no version), or an array of those (per-marker constraints).
fn poetry_constraint(value: &toml::Value) -> Pin {
    match value {
        toml::Value::String(range) => Pin::of_range(Sdk::Python, range, RangeSyntax::Poetry),
        toml::Value::Table(table) => match table.get("version").and_then(toml::Value::as_str) {
            Some(range) => Pin::of_range(Sdk::Python, range, RangeSyntax::Poetry),
            None => Pin::Ambiguous,
        },
        toml::Value::Array(items) => {
            combine(items.iter().map(poetry_constraint)).unwrap_or(Pin::Ambiguous)
        }
        _ => Pin::Ambiguous,
    }
}

/// `poetry.lock` and `uv.lock`: `[[package]]` tables with `name` and `version`.
fn python_lock(text: &str) -> Option<Pin> {
    let doc: toml::Table = toml::from_str(text).ok()?;
    let packages = doc.get("package")?.as_array()?;
    combine(packages.iter().filter_map(|package| {
        let name = package.get("name")?.as_str()?;
        if !name.eq_ignore_ascii_case(Sdk::Python.package()) {
            return None;
        }
        Some(match package.get("version").and_then(toml::Value::as_str) {
            Some(version) => Pin::of_release(Sdk::Python, version),
            None => Pin::Ambiguous,
        })
    }))
}

/// The dependency sections of `package.json`.
const NPM_SECTIONS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
];

/// `package.json`: the `@anthropic-ai/sdk` ranges of its dependency sections (an
/// `npm:@anthropic-ai/sdk@<range>` alias is read as its range).
fn package_json(text: &str) -> Option<Pin> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    let package = Sdk::TypeScript.package();
    let alias = format!("npm:{package}@");
    combine(
        NPM_SECTIONS
            .iter()
            .filter_map(|section| doc.get(section)?.get(package))
            .map(|range| match range.as_str() {
                Some(range) => Pin::of_range(
                    Sdk::TypeScript,
                    range.strip_prefix(alias.as_str()).unwrap_or(range),
                    RangeSyntax::Npm,
                ),
                None => Pin::Ambiguous,
            })
            .collect::<Vec<_>>(),
    )
}

/// `package-lock.json`: every installed copy of `@anthropic-ai/sdk` (lockfile v2/v3
/// `packages`, or v1's nested `dependencies`).
fn package_lock(text: &str) -> Option<Pin> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    let package = Sdk::TypeScript.package();
    let mut versions: Vec<Option<&str>> = Vec::new();
    if let Some(packages) = doc.get("packages").and_then(|p| p.as_object()) {
        let suffix = format!("node_modules/{package}");
        for (path, entry) in packages {
            if path == &suffix || path.ends_with(&format!("/{suffix}")) {
                versions.push(entry.get("version").and_then(|v| v.as_str()));
            }
        }
    } else {
        let mut stack: Vec<&serde_json::Value> = doc.get("dependencies").into_iter().collect();
        while let Some(dependencies) = stack.pop() {
            let Some(dependencies) = dependencies.as_object() else {
                continue;
            };
            for (name, entry) in dependencies {
                if name == package {
                    versions.push(entry.get("version").and_then(|v| v.as_str()));
                }
                stack.extend(entry.get("dependencies"));
            }
        }
    }
    combine(versions.into_iter().map(|version| match version {
        Some(version) => Pin::of_release(Sdk::TypeScript, version),
        None => Pin::Ambiguous,
    }))
}

/// `pnpm-lock.yaml`: the versions in its package keys (`/@anthropic-ai/sdk/0.30.1` in lockfile
/// 5, `/@anthropic-ai/sdk@0.30.1` in 6, `'@anthropic-ai/sdk@1.2.0(zod@3.23.8)'` in 9). Read
/// as text: those keys are all it needs.
fn pnpm_lock(text: &str) -> Option<Pin> {
    let package = Sdk::TypeScript.package();
    if !text.contains(package) {
        return None;
    }
    let mut versions = Vec::new();
    for prefix in [format!("{package}@"), format!("/{package}/")] {
        for (at, _) in text.match_indices(&prefix) {
            let rest = &text[at + prefix.len()..];
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || ".+-".contains(c)))
                    .unwrap_or(rest.len());
                versions.push(Pin::of_release(Sdk::TypeScript, &rest[..end]));
            }
        }
    }
    Some(combine(versions).unwrap_or(Pin::Ambiguous))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn old() -> ApiVersion {
        ApiVersion::parse("2023-06-01").unwrap()
    }

    fn new() -> ApiVersion {
        ApiVersion::parse("2026-10-21").unwrap()
    }

    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn pin(files: &[(&str, &str)]) -> Option<Pin> {
        pin_in_dir(dir_with(files).path(), &mut Vec::new())
    }

    #[test]
    fn requirements_files() {
        let text = "# the SDK\n-r base.txt\nrequests==2.32.0\nanthropic[bedrock]==2.3.0 \\\n    --hash=sha256:abc  # pinned\n";
        assert_eq!(pin(&[("requirements.txt", text)]), Some(Pin::Known(new())));
        assert_eq!(
            pin(&[(
                "requirements-dev.txt",
                "Anthropic>=0.40,<2 ; python_version >= '3.9'\n"
            )]),
            Some(Pin::Known(old()))
        );
        assert_eq!(
            pin(&[("requirements.txt", "anthropic>=1.0,<3\n")]),
            Some(Pin::Ambiguous)
        );
        assert_eq!(
            pin(&[("requirements.txt", "anthropic\n")]),
            Some(Pin::Ambiguous),
            "unpinned"
        );
        assert_eq!(
            pin(&[(
                "requirements.txt",
                "anthropic @ https://example.com/anthropic.whl\n"
            )]),
            Some(Pin::Ambiguous)
        );
        assert_eq!(
            pin(&[(
                "requirements.txt",
                "anthropic-tools==9.0\n# anthropic==1.0\n"
            )]),
            None,
            "another package, and a comment"
        );
        assert_eq!(
            pin(&[
                ("requirements.txt", "anthropic==2.1.0\n"),
                ("requirements-old.txt", "anthropic==1.17.0\n")
            ]),
            Some(Pin::Ambiguous),
            "two files that disagree"
        );
    }

    #[test]
    fn pyproject_pep621_and_poetry() {
        let pep621 = "[project]\nname = \"app\"\ndependencies = [\"httpx\", \"anthropic~=2.4\"]\n";
        assert_eq!(pin(&[("pyproject.toml", pep621)]), Some(Pin::Known(new())));
        let optional = "[project.optional-dependencies]\nllm = [\"anthropic<2\"]\n";
        assert_eq!(
            pin(&[("pyproject.toml", optional)]),
            Some(Pin::Known(old()))
        );
        let groups = "[dependency-groups]\ndev = [\"anthropic==2.0.0\", {include-group = \"x\"}]\n";
        assert_eq!(pin(&[("pyproject.toml", groups)]), Some(Pin::Known(new())));
        let poetry = "[tool.poetry.dependencies]\npython = \"^3.11\"\nanthropic = \"^1.17\"\n";
        assert_eq!(pin(&[("pyproject.toml", poetry)]), Some(Pin::Known(old())));
        let poetry_table = "[tool.poetry.group.ai.dependencies]\nanthropic = { version = \"^2.1\", extras = [\"vertex\"] }\n";
        assert_eq!(
            pin(&[("pyproject.toml", poetry_table)]),
            Some(Pin::Known(new()))
        );
        let poetry_git = "[tool.poetry.dependencies]\nanthropic = { git = \"https://github.com/anthropics/anthropic-sdk-python\" }\n";
        assert_eq!(pin(&[("pyproject.toml", poetry_git)]), Some(Pin::Ambiguous));
        let poetry_markers = "[tool.poetry.dependencies]\nanthropic = [{ version = \"^1.0\", python = \"<3.9\" }, { version = \"^2.0\", python = \">=3.9\" }]\n";
        assert_eq!(
            pin(&[("pyproject.toml", poetry_markers)]),
            Some(Pin::Ambiguous)
        );
        assert_eq!(
            pin(&[(
                "pyproject.toml",
                "[project]\ndependencies = [\"openai>=1\"]\n"
            )]),
            None
        );
        assert_eq!(pin(&[("pyproject.toml", "not = [toml")]), None);
    }

    #[test]
    fn python_lockfiles_win_over_manifests() {
        let poetry_lock = "[[package]]\nname = \"anthropic\"\nversion = \"1.17.0\"\n\n[[package]]\nname = \"httpx\"\nversion = \"0.28.1\"\n";
        assert_eq!(
            pin(&[
                ("poetry.lock", poetry_lock),
                (
                    "pyproject.toml",
                    "[project]\ndependencies = [\"anthropic>=1.0\"]\n"
                ),
            ]),
            Some(Pin::Known(old()))
        );
        let uv_lock = "version = 1\n\n[[package]]\nname = \"anthropic\"\nversion = \"2.14.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
        assert_eq!(
            pin(&[("uv.lock", uv_lock), ("requirements.txt", "anthropic<2\n")]),
            Some(Pin::Known(new()))
        );
    }

    #[test]
    fn package_json_ranges() {
        let json =
            r#"{"name": "app", "dependencies": {"@anthropic-ai/sdk": "^1.2.0", "zod": "^3"}}"#;
        assert_eq!(pin(&[("package.json", json)]), Some(Pin::Known(new())));
        let dev = r#"{"devDependencies": {"@anthropic-ai/sdk": "~0.40.1"}}"#;
        assert_eq!(pin(&[("package.json", dev)]), Some(Pin::Known(old())));
        let alias = r#"{"dependencies": {"claude": "npm:@anthropic-ai/sdk@^1.0.0", "@anthropic-ai/sdk": "npm:@anthropic-ai/sdk@^0.30.0"}}"#;
        assert_eq!(pin(&[("package.json", alias)]), Some(Pin::Known(old())));
        let star = r#"{"dependencies": {"@anthropic-ai/sdk": "*"}}"#;
        assert_eq!(pin(&[("package.json", star)]), Some(Pin::Ambiguous));
        let other = r#"{"dependencies": {"@anthropic-ai/bedrock-sdk": "^1.1.3"}}"#;
        assert_eq!(pin(&[("package.json", other)]), None);
    }

    #[test]
    fn npm_lockfiles() {
        let v3 = r#"{"lockfileVersion": 3, "packages": {"": {"dependencies": {"@anthropic-ai/sdk": "*"}}, "node_modules/@anthropic-ai/sdk": {"version": "0.137.0"}}}"#;
        assert_eq!(
            pin(&[
                ("package-lock.json", v3),
                (
                    "package.json",
                    r#"{"dependencies": {"@anthropic-ai/sdk": "*"}}"#
                )
            ]),
            Some(Pin::Known(old()))
        );
        let nested = r#"{"lockfileVersion": 3, "packages": {"node_modules/@anthropic-ai/sdk": {"version": "1.14.0"}, "node_modules/@anthropic-ai/bedrock-sdk/node_modules/@anthropic-ai/sdk": {"version": "0.137.0"}}}"#;
        assert_eq!(pin(&[("package-lock.json", nested)]), Some(Pin::Ambiguous));
        let v1 = r#"{"lockfileVersion": 1, "dependencies": {"left-pad": {"version": "1.3.0", "dependencies": {"@anthropic-ai/sdk": {"version": "1.3.0"}}}}}"#;
        assert_eq!(pin(&[("package-lock.json", v1)]), Some(Pin::Known(new())));
    }

    #[test]
    fn pnpm_lockfiles() {
        let v9 = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      '@anthropic-ai/sdk':\n        specifier: ^1.2.0\n        version: 1.2.0(zod@3.23.8)\n\npackages:\n  '@anthropic-ai/sdk@1.2.0':\n    resolution: {integrity: sha512-x}\n";
        assert_eq!(pin(&[("pnpm-lock.yaml", v9)]), Some(Pin::Known(new())));
        let v6 = "lockfileVersion: '6.0'\npackages:\n  /@anthropic-ai/sdk@0.30.1:\n    resolution: {integrity: sha512-y}\n";
        assert_eq!(pin(&[("pnpm-lock.yaml", v6)]), Some(Pin::Known(old())));
        let v5 = "lockfileVersion: 5.4\npackages:\n  /@anthropic-ai/sdk/0.20.0:\n    resolution: {integrity: sha512-z}\n";
        assert_eq!(pin(&[("pnpm-lock.yaml", v5)]), Some(Pin::Known(old())));
        let linked = "importers:\n  .:\n    dependencies:\n      '@anthropic-ai/sdk':\n        specifier: link:../sdk\n        version: link:../sdk\n";
        assert_eq!(pin(&[("pnpm-lock.yaml", linked)]), Some(Pin::Ambiguous));
        assert_eq!(pin(&[("pnpm-lock.yaml", "lockfileVersion: '9.0'\n")]), None);
    }

    #[test]
    fn python_and_typescript_must_agree() {
        assert_eq!(
            pin(&[
                ("requirements.txt", "anthropic==2.1.0\n"),
                (
                    "package.json",
                    r#"{"dependencies": {"@anthropic-ai/sdk": "^1.0.0"}}"#
                ),
            ]),
            Some(Pin::Known(new()))
        );
        assert_eq!(
            pin(&[
                ("requirements.txt", "anthropic==2.1.0\n"),
                (
                    "package.json",
                    r#"{"dependencies": {"@anthropic-ai/sdk": "^0.40.0"}}"#
                ),
            ]),
            Some(Pin::Ambiguous)
        );
    }

    #[test]
    fn the_nearest_mention_decides_and_is_cached() {
        let dir = dir_with(&[
            ("requirements.txt", "anthropic==1.17.0\n"),
            (
                "service/package.json",
                r#"{"dependencies": {"left-pad": "1"}}"#,
            ),
            ("service/requests/a.json", "{}"),
            ("tools/requirements.txt", "anthropic>=1,<3\n"),
            ("tools/requests/b.json", "{}"),
        ]);
        let root = dir.path().canonicalize().unwrap();
        let finder = PinFinder::new();
        assert_eq!(
            finder.api_version_for_dir(&root.join("service/requests")),
            Some(old()),
            "a manifest without the SDK does not stop the search"
        );
        assert_eq!(
            finder.api_version_for_dir(&root.join("tools/requests")),
            None,
            "an ambiguous mention stops it"
        );
        std::fs::write(root.join("requirements.txt"), "anthropic==2.0.0\n").unwrap();
        assert_eq!(
            finder.api_version_for_dir(&root.join("service")),
            Some(old()),
            "each directory is read once"
        );
        assert_eq!(
            PinFinder::new().api_version_for_dir(&root.join("service")),
            Some(new())
        );
    }
}
