//! Which configuration governs a file: the nearest one found upward from its directory (cached
//! per directory), or the one `--config` names.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::layers::{Flags, Shared};
use super::{Config, ConfigError, PYPROJECT, PYPROJECT_TABLE};
use crate::sdk_pin::PinFinder;
use crate::settings::Settings;

/// The file names looked for in each directory, in this order; `pyproject.toml` counts only
/// when it has a `[tool.claude-preflight]` table, so a Python project's own pyproject does not
/// hide a configuration further up.
pub(crate) const FILE_NAMES: [&str; 3] =
    ["claude-preflight.toml", ".claude-preflight.toml", PYPROJECT];

/// `path` made absolute against the current directory, with `.` and `..` resolved lexically
/// (without touching the file system, so a path that does not exist yet works too).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The configuration governing a directory, if any, or the error reading it.
type Lookup = Result<Option<Arc<Config>>, ConfigError>;

/// Finds the configuration of each file and its settings. Each directory's lookup is cached,
/// so a walk over 10,000 files reads each configuration file once; the cache is shared by
/// threads.
///
/// The API version in force comes from `--api-version`, else the configuration's
/// `api-version`, else the Anthropic SDK pinned in the file's workspace ([`crate::sdk_pin`]),
/// else it stays unknown.
#[derive(Debug)]
pub(crate) struct Resolver {
    flags: Flags,
    /// The `--config` file, used for every file instead of discovery.
    explicit: Option<Arc<Config>>,
    /// The settings of files no configuration governs.
    defaults: Shared,
    /// Directory → the configuration that governs it.
    cache: Mutex<HashMap<PathBuf, Lookup>>,
    /// Directory → the API version of the SDK its workspace pins.
    pins: PinFinder,
}

impl Resolver {
    /// A resolver that discovers configuration files, or uses `config` for every file.
    pub(crate) fn new(flags: Flags, config: Option<&Path>) -> Result<Self, ConfigError> {
        let explicit = match config {
            Some(path) => {
                let path = normalize(path);
                match Config::read(&path, &flags)? {
                    Some(config) => Some(Arc::new(config)),
                    None => {
                        return Err(ConfigError {
                            path,
                            position: None,
                            message: format!("it has no `[tool.{PYPROJECT_TABLE}]` table"),
                        });
                    }
                }
            }
            None => None,
        };
        Ok(Self {
            defaults: Shared::new(flags.defaults()),
            flags,
            explicit,
            cache: Mutex::new(HashMap::new()),
            pins: PinFinder::new(),
        })
    }

    /// The configuration that governs files in `dir`: the nearest one at or above it.
    pub(crate) fn config_for_dir(&self, dir: &Path) -> Lookup {
        if let Some(config) = &self.explicit {
            return Ok(Some(Arc::clone(config)));
        }
        let dir = normalize(dir);
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let mut visited = Vec::new();
        let mut current = Some(dir.as_path());
        let lookup = loop {
            let Some(here) = current else {
                break Ok(None);
            };
            if let Some(known) = cache.get(here) {
                break known.clone();
            }
            visited.push(here.to_owned());
            if let Some(found) = self.read_dir(here) {
                break found;
            }
            current = here.parent();
        };
        for dir in visited {
            cache.insert(dir, lookup.clone());
        }
        lookup
    }

    /// The configuration file in `dir` itself, if it has one.
    fn read_dir(&self, dir: &Path) -> Option<Lookup> {
        FILE_NAMES.iter().find_map(|name| {
            let path = dir.join(name);
            // Anything by that name but a directory is read, so that a FIFO or a device is
            // reported rather than passed over.
            if !path.exists() || path.is_dir() {
                return None;
            }
            Config::read(&path, &self.flags)
                .transpose()
                .map(|found| found.map(|c| Some(Arc::new(c))))
        })
    }

    /// The configuration that governs `path`: the one found from its directory.
    pub(crate) fn config_for(&self, path: &Path) -> Lookup {
        let path = normalize(path);
        self.config_for_dir(path.parent().unwrap_or(&path))
    }

    /// Notes about the manifests skipped so far (see [`PinFinder::take_notes`]).
    pub(crate) fn take_notes(&self) -> Vec<String> {
        self.pins.take_notes()
    }

    /// The settings for `file`.
    pub(crate) fn settings_for(&self, file: &Path) -> Result<Arc<Settings>, ConfigError> {
        let file = normalize(file);
        let config = self.config_for(&file)?;
        let pinned = self
            .pins
            .api_version_for_dir(file.parent().unwrap_or(&file));
        Ok(match config {
            Some(config) => config.settings_for(&file, pinned),
            None => self.defaults.get(pinned),
        })
    }

    /// True when the configuration governing `path` excludes it from a walk.
    pub(crate) fn is_excluded(&self, path: &Path) -> Result<bool, ConfigError> {
        let path = normalize(path);
        Ok(self.config_for(&path)?.is_some_and(|c| c.excludes(&path)))
    }

    /// True when the configuration governing `file` includes it in a walk although its
    /// extension is not a request-file extension.
    pub(crate) fn is_included(&self, file: &Path) -> Result<bool, ConfigError> {
        let file = normalize(file);
        Ok(self.config_for(&file)?.is_some_and(|c| c.includes(&file)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{flags, new, old};
    use super::*;
    use crate::facts::api::ApiVersion;
    use crate::rules::Severity;
    use crate::rules::syntax::DUPLICATE_KEY;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn temp() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = normalize(&dir.path().canonicalize().unwrap());
        (dir, root)
    }

    fn found(resolver: &Resolver, file: &Path) -> Option<PathBuf> {
        resolver.config_for(file).unwrap().map(|c| c.path.clone())
    }

    #[test]
    fn discovery_order_within_a_directory() {
        let (_guard, root) = temp();
        let resolver = || Resolver::new(flags(), None).unwrap();
        let file = root.join("a.json");
        write(
            &root,
            "pyproject.toml",
            "[tool.claude-preflight]\nmodel = \"claude-opus-5\"\n",
        );
        write(&root, ".claude-preflight.toml", "");
        write(&root, "claude-preflight.toml", "");
        assert_eq!(
            found(&resolver(), &file),
            Some(root.join("claude-preflight.toml"))
        );
        std::fs::remove_file(root.join("claude-preflight.toml")).unwrap();
        assert_eq!(
            found(&resolver(), &file),
            Some(root.join(".claude-preflight.toml"))
        );
        std::fs::remove_file(root.join(".claude-preflight.toml")).unwrap();
        assert_eq!(found(&resolver(), &file), Some(root.join("pyproject.toml")));
        let settings = resolver().settings_for(&file).unwrap();
        assert_eq!(
            settings.options.default_model.as_deref(),
            Some("claude-opus-5")
        );
    }

    #[test]
    fn nearest_wins_whole_and_pyproject_without_our_table_is_skipped() {
        let (_guard, root) = temp();
        write(
            &root,
            "claude-preflight.toml",
            "model = \"claude-opus-5\"\n[rules]\nduplicate-key = \"off\"\n",
        );
        write(
            &root,
            "sub/claude-preflight.toml",
            "api-version = \"2026-10-21\"\n",
        );
        write(
            &root,
            "py/pyproject.toml",
            "[project]\nname = \"app\"\n[tool.ruff]\nline-length = 100\n",
        );
        let resolver = Resolver::new(flags(), None).unwrap();
        let deep = root.join("sub/a/b/request.json");
        assert_eq!(
            found(&resolver, &deep),
            Some(root.join("sub/claude-preflight.toml"))
        );
        let settings = resolver.settings_for(&deep).unwrap();
        assert_eq!(settings.options.api_version, new());
        assert_eq!(settings.options.default_model, None, "files are not merged");
        assert_eq!(
            settings.rules.severity(&DUPLICATE_KEY),
            Some(Severity::Warning)
        );
        let top = resolver.settings_for(&root.join("request.json")).unwrap();
        assert_eq!(top.options.default_model.as_deref(), Some("claude-opus-5"));
        assert_eq!(top.rules.severity(&DUPLICATE_KEY), None);
        assert_eq!(
            found(&resolver, &root.join("py/x.json")),
            Some(root.join("claude-preflight.toml"))
        );
    }

    #[test]
    fn api_version_comes_from_the_flag_then_the_configuration_then_the_sdk_pin() {
        let (old, new, unknown) = (old(), new(), ApiVersion::UNKNOWN);
        let (_guard, root) = temp();
        write(&root, "requirements.txt", "anthropic==1.17.0\n");
        write(
            &root,
            "configured/claude-preflight.toml",
            "api-version = \"2026-10-21\"\n",
        );
        write(
            &root,
            "plain/claude-preflight.toml",
            "model = \"claude-opus-5\"\n[[overrides]]\nfiles = [\"count\"]\nkind = \"count_tokens\"\n",
        );
        write(
            &root,
            "plain/node/package.json",
            r#"{"dependencies": {"@anthropic-ai/sdk": "^1.0.0"}}"#,
        );
        write(&root, "plain/unpinned/requirements.txt", "anthropic\n");
        let resolver = Resolver::new(flags(), None).unwrap();
        let settings =
            |resolver: &Resolver, rel: &str| resolver.settings_for(&root.join(rel)).unwrap();
        let version = |resolver: &Resolver, rel: &str| settings(resolver, rel).options.api_version;
        assert_eq!(
            version(&resolver, "a.json"),
            old,
            "no configuration: the pin"
        );
        assert_eq!(
            version(&resolver, "configured/a.json"),
            new,
            "the configuration wins"
        );
        assert_eq!(
            version(&resolver, "plain/a.json"),
            old,
            "a configuration without a version"
        );
        assert_eq!(
            version(&resolver, "plain/count/a.json"),
            old,
            "with an override"
        );
        assert_eq!(
            version(&resolver, "plain/node/a.json"),
            new,
            "the nearest pin"
        );
        assert_eq!(
            settings(&resolver, "plain/node/a.json")
                .options
                .default_model
                .as_deref(),
            Some("claude-opus-5"),
            "the pin changes nothing else"
        );
        assert_eq!(version(&resolver, "plain/unpinned/a.json"), unknown);
        assert!(
            Arc::ptr_eq(
                &settings(&resolver, "a.json"),
                &settings(&resolver, "b.json")
            ),
            "pinned files share one allocation"
        );
        let mut cli = flags();
        cli.api_version = Some(new);
        let resolver = Resolver::new(cli, None).unwrap();
        assert_eq!(version(&resolver, "a.json"), new, "the command line wins");
        assert_eq!(version(&resolver, "plain/count/a.json"), new);
    }

    #[test]
    fn each_directory_is_looked_up_once() {
        let (_guard, root) = temp();
        let config = write(
            &root,
            "claude-preflight.toml",
            "model = \"claude-opus-5\"\n",
        );
        let resolver = Resolver::new(flags(), None).unwrap();
        let first = resolver
            .config_for(&root.join("a/b/c.json"))
            .unwrap()
            .unwrap();
        std::fs::remove_file(&config).unwrap();
        for file in ["a/b/d.json", "a/e.json", "f.json"] {
            let again = resolver.config_for(&root.join(file)).unwrap().unwrap();
            assert!(
                Arc::ptr_eq(&first, &again),
                "{file} read the configuration again"
            );
        }
        let fresh = Resolver::new(flags(), None).unwrap();
        assert!(fresh.config_for(&root.join("f.json")).unwrap().is_none());
    }

    #[test]
    fn explicit_config_overrides_discovery() {
        let (_guard, root) = temp();
        write(
            &root,
            "project/claude-preflight.toml",
            "model = \"claude-opus-5\"\n",
        );
        let explicit = write(
            &root,
            "elsewhere/ci.toml",
            "api-version = \"2023-06-01\"\nexclude = [\"*.gen.json\"]\n",
        );
        let resolver = Resolver::new(flags(), Some(&explicit)).unwrap();
        let file = root.join("project/request.json");
        assert_eq!(found(&resolver, &file), Some(explicit.clone()));
        let settings = resolver.settings_for(&file).unwrap();
        assert_eq!(settings.options.default_model, None);
        assert_eq!(settings.options.api_version, old());
        assert!(
            resolver
                .is_excluded(&root.join("project/a.gen.json"))
                .unwrap()
        );
        assert!(!resolver.is_excluded(&file).unwrap());
        let missing = root.join("missing.toml");
        let error = Resolver::new(flags(), Some(&missing)).unwrap_err();
        assert_eq!(error.path, missing);
        assert_eq!(error.position, None);
        assert!(
            error.message.starts_with("cannot read it: "),
            "{}",
            error.message
        );
        let pyproject = write(&root, "pyproject.toml", "[project]\nname = \"app\"\n");
        assert_eq!(
            Resolver::new(flags(), Some(&pyproject))
                .unwrap_err()
                .to_string(),
            format!(
                "{}: it has no `[tool.claude-preflight]` table",
                pyproject.display()
            )
        );
    }
}
