//! Configuration files: `claude-preflight.toml`, `.claude-preflight.toml`, or a
//! `[tool.claude-preflight]` table in `pyproject.toml`, found upward from each checked file's
//! directory (the nearest one wins, whole: files are not merged), or one file named with
//! `--config` for every file.
//!
//! A configuration resolves to one [`Settings`] per file: its top level, then every
//! `[[overrides]]` entry whose `files` globs match the file, in order, then the command line's
//! [`Flags`]. Globs follow .gitignore conventions, relative to the configuration's directory:
//! a glob without `/` matches a file or directory name at any depth, a glob with `/` is
//! anchored at the configuration's directory, `**` crosses directories and `*` does not, and a
//! glob that matches a directory matches everything in it. `schemas/config.schema.json`
//! describes the file for editors.

mod discovery;
mod error;
mod globs;
mod layers;
mod models;
mod raw;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;

pub(crate) use discovery::{FILE_NAMES, Resolver};
pub(crate) use error::ConfigError;
use error::Source;
use globs::{Globs, Place};
pub(crate) use layers::Flags;
use layers::{Layer, Override, Shared, apply_pin};
use models::extra_model;
use raw::{Pyproject, PyprojectTool, RawConfig};

use crate::facts::Facts;
use crate::facts::api::ApiVersion;
use crate::settings::{Selector, Settings};
use crate::small_file::read_small_file;

/// The Python project file, which holds a configuration in its `[tool.claude-preflight]`.
const PYPROJECT: &str = "pyproject.toml";

/// The table of `pyproject.toml` that holds the configuration.
const PYPROJECT_TABLE: &str = "claude-preflight";

/// One configuration file, parsed and checked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The file it was read from (the discovery tests check which file was found by it).
    #[cfg_attr(not(test), expect(dead_code))]
    pub(crate) path: PathBuf,
    /// The directory its globs are relative to (the file's own).
    pub dir: PathBuf,
    /// The top level, without the command line's flags.
    settings: Settings,
    /// The top level with the flags: what every file no override matches shares.
    base: Shared,
    /// The flags it was read with, applied over every override.
    flags: Flags,
    include: Globs,
    exclude: Globs,
    overrides: Vec<Override>,
}

impl Config {
    /// Parses a `claude-preflight.toml` or `.claude-preflight.toml` at `path` (the path names
    /// the file in errors and anchors its globs).
    pub(crate) fn parse(path: &Path, text: &str, flags: &Flags) -> Result<Config, ConfigError> {
        let source = Source { path, text };
        let raw: RawConfig = toml::from_str(text).map_err(|e| source.toml_error(&e))?;
        Config::build(raw, &source, flags)
    }

    /// Parses the `[tool.claude-preflight]` table of a `pyproject.toml`; `None` when it has
    /// none. A pyproject that is not valid TOML is an error only when it mentions
    /// `claude-preflight`: otherwise it is not ours to judge.
    pub(crate) fn parse_pyproject(
        path: &Path,
        text: &str,
        flags: &Flags,
    ) -> Result<Option<Config>, ConfigError> {
        let source = Source { path, text };
        match toml::from_str::<Pyproject>(text) {
            Ok(Pyproject {
                tool:
                    Some(PyprojectTool {
                        preflight: Some(raw),
                    }),
            }) => Config::build(raw, &source, flags).map(Some),
            Ok(_) => Ok(None),
            Err(error) if text.contains(PYPROJECT_TABLE) => Err(source.toml_error(&error)),
            Err(_) => Ok(None),
        }
    }

    /// Reads the configuration file at `path` (absolute); `None` for a pyproject without our
    /// table.
    pub(crate) fn read(path: &Path, flags: &Flags) -> Result<Option<Config>, ConfigError> {
        let text = read_small_file(path).map_err(|e| ConfigError {
            path: path.to_owned(),
            position: None,
            message: format!("cannot read it: {e}"),
        })?;
        if path.file_name().is_some_and(|n| n == PYPROJECT) {
            Config::parse_pyproject(path, &text, flags)
        } else {
            Config::parse(path, &text, flags).map(Some)
        }
    }

    fn build(raw: RawConfig, source: &Source, flags: &Flags) -> Result<Config, ConfigError> {
        let mut settings = Settings::new(flags.today);
        if !raw.models.is_empty() {
            let models = raw
                .models
                .into_iter()
                .map(|m| extra_model(m, source))
                .collect::<Result<Vec<_>, _>>()?;
            settings.facts = Arc::new(Facts::with_models(models));
        }
        if let Some(ratio) = raw.context_warning_ratio {
            let value = *ratio.get_ref();
            if !(0.0..=1.0).contains(&value) {
                return Err(source.error(
                    Some(ratio.span()),
                    format!("`context-warning-ratio` is a share of the context window between 0 and 1, not {value}"),
                ));
            }
            settings.options.context_warning_ratio = value;
        }
        settings.options.betas = raw.betas;
        if let Some(select) = &raw.select {
            settings.rules.select = Some(selectors(select, "select", source)?);
        }
        settings.rules.ignore = selectors(&raw.ignore, "ignore", source)?;
        Layer::new(raw.rules, raw.model, raw.api_version, None, source)?.apply(&mut settings);
        let overrides = raw
            .overrides
            .into_iter()
            .map(|o| {
                if o.files.get_ref().is_empty() {
                    return Err(source.error(
                        Some(o.files.span()),
                        "`files` is empty: the override would apply to no file",
                    ));
                }
                Ok(Override {
                    files: Globs::new(o.files.get_ref(), "files", source)?,
                    layer: Layer::new(o.rules, o.model, o.api_version, o.kind, source)?,
                })
            })
            .collect::<Result<_, _>>()?;
        let mut base = settings.clone();
        flags.apply(&mut base);
        Ok(Config {
            path: source.path.to_owned(),
            dir: source.path.parent().map(Path::to_owned).unwrap_or_default(),
            settings,
            base: Shared::new(base),
            flags: flags.clone(),
            include: Globs::new(&raw.include, "include", source)?,
            exclude: Globs::new(&raw.exclude, "exclude", source)?,
            overrides,
        })
    }

    /// The settings for `file` (absolute): the top level, the overrides that match it in
    /// order, then the flags it was read with, then the API version of the SDK its workspace
    /// pins (`pinned`) when none of those sets one. Files no override matches share one
    /// allocation.
    pub(crate) fn settings_for(&self, file: &Path, pinned: Option<ApiVersion>) -> Arc<Settings> {
        let place = self.place(file);
        let mut matching = self
            .overrides
            .iter()
            .filter(|o| o.files.matches(&place, true))
            .peekable();
        if matching.peek().is_none() {
            return self.base.get(pinned);
        }
        let mut settings = self.settings.clone();
        for o in matching {
            o.layer.apply(&mut settings);
        }
        self.flags.apply(&mut settings);
        apply_pin(&mut settings, pinned);
        Arc::new(settings)
    }

    /// True when `path` (absolute) itself matches `exclude`; a walk prunes it.
    pub(crate) fn excludes(&self, path: &Path) -> bool {
        !self.exclude.is_empty() && self.exclude.matches(&self.place(path), false)
    }

    /// True when `file` (absolute), or a directory above it, matches `include`: a walk checks
    /// it even though its extension is not one of the request-file extensions.
    pub(crate) fn includes(&self, file: &Path) -> bool {
        !self.include.is_empty() && self.include.matches(&self.place(file), true)
    }

    fn place(&self, path: &Path) -> Place {
        let slashed = |p: &Path| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        match path.strip_prefix(&self.dir) {
            Ok(rel) => Place::Inside(slashed(rel)),
            Err(_) => Place::Outside(
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
        }
    }
}

/// The selectors of `select` or `ignore`, each an error at its place when it names nothing.
fn selectors(
    texts: &[Spanned<String>],
    key: &str,
    source: &Source,
) -> Result<Vec<Selector>, ConfigError> {
    texts
        .iter()
        .map(|text| {
            Selector::parse(text.get_ref()).ok_or_else(|| {
                source.error(
                    Some(text.span()),
                    format!(
                        "`{}` in `{key}` names no rule, code or family; `claude-preflight rules` lists them",
                        text.get_ref()
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn old() -> ApiVersion {
        ApiVersion::parse("2023-06-01").unwrap()
    }

    pub(super) fn new() -> ApiVersion {
        ApiVersion::parse("2026-10-21").unwrap()
    }

    pub(super) fn flags() -> Flags {
        Flags::new(jiff::civil::date(2026, 11, 25))
    }

    pub(super) fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/project/claude-preflight.toml"), text, &flags())
    }

    pub(super) fn error(text: &str) -> String {
        parse(text).map(|_| ()).unwrap_err().to_string()
    }

    #[test]
    fn betas_are_declared() {
        assert!(parse("").unwrap().settings.options.betas.is_empty());
        assert_eq!(
            parse("betas = [\"code-execution-2025-08-25\"]")
                .unwrap()
                .settings
                .options
                .betas,
            ["code-execution-2025-08-25"]
        );
        assert!(parse("betas = \"x\"").is_err());
    }

    #[test]
    fn context_warning_ratio() {
        assert_eq!(
            parse("").unwrap().settings.options.context_warning_ratio,
            0.9
        );
        assert_eq!(
            parse("context-warning-ratio = 0.75")
                .unwrap()
                .settings
                .options
                .context_warning_ratio,
            0.75
        );
        assert_eq!(
            parse("context-warning-ratio = 1")
                .unwrap()
                .settings
                .options
                .context_warning_ratio,
            1.0
        );
        assert_eq!(
            error("\ncontext-warning-ratio = 1.5\n"),
            "/project/claude-preflight.toml:2:25: `context-warning-ratio` is a share of the context window between 0 and 1, not 1.5"
        );
    }

    #[test]
    fn unknown_rule_names_are_errors_with_their_place() {
        assert_eq!(
            error(
                "model = \"claude-opus-5\"\n\n[rules]\nopenai-parameter = \"warning\"\n  duplicate-keys = \"off\"\n"
            ),
            "/project/claude-preflight.toml:5:3: unknown rule `duplicate-keys` in `rules` (did you mean `duplicate-key`?); `claude-preflight rules` lists them"
        );
        assert_eq!(
            error("[[overrides]]\nfiles = [\"a\"]\nrules = { zzz = \"off\" }\n"),
            "/project/claude-preflight.toml:3:11: unknown rule `zzz` in `rules`; `claude-preflight rules` lists them"
        );
        assert_eq!(
            error("select = [\"request\", \"nope\"]\n"),
            "/project/claude-preflight.toml:1:22: `nope` in `select` names no rule, code or family; `claude-preflight rules` lists them"
        );
    }

    #[test]
    fn broken_files_name_the_line_and_column() {
        assert_eq!(
            error("model = \"claude-opus-5\"\nmodle = \"x\"\n"),
            "/project/claude-preflight.toml:2:1: unknown field `modle`, expected one of `model`, `api-version`, `context-warning-ratio`, `include`, `exclude`, `select`, `ignore`, `rules`, `overrides`, `models`, `betas`"
        );
        assert_eq!(
            error("api-version = \"2024-01-01\"\n"),
            "/project/claude-preflight.toml:1:15: unknown variant `2024-01-01`, expected `2023-06-01` or `2026-10-21`"
        );
        assert_eq!(
            error("[rules]\nduplicate-key = \"loud\"\n"),
            "/project/claude-preflight.toml:2:17: unknown variant `loud`, expected one of `off`, `hint`, `info`, `warning`, `error`"
        );
        assert_eq!(
            error("model = \"claude-opus-5\n"),
            "/project/claude-preflight.toml:1:23: invalid basic string, expected `\"`"
        );
        assert_eq!(
            error("exclude = [\"a[\"]\n"),
            "/project/claude-preflight.toml:1:12: invalid glob `a[` in `exclude`: unclosed character class; missing ']'"
        );
        assert_eq!(
            error("[[overrides]]\nfiles = []\n"),
            "/project/claude-preflight.toml:2:9: `files` is empty: the override would apply to no file"
        );
    }

    #[test]
    fn pyproject_errors_are_placed_in_the_whole_file() {
        let path = Path::new("/project/pyproject.toml");
        let text = "[project]\nname = \"app\"\n\n[tool.claude-preflight]\nmodel = \"claude-opus-5\"\nrules = { \"duplicate-key\" = \"of\" }\n";
        let error = Config::parse_pyproject(path, text, &flags()).unwrap_err();
        assert_eq!(error.position, Some((6, 29)));
        assert!(
            Config::parse_pyproject(path, "[project\nname = 1", &flags())
                .unwrap()
                .is_none()
        );
        let broken =
            Config::parse_pyproject(path, "[tool.claude-preflight\n", &flags()).unwrap_err();
        assert_eq!(broken.position, Some((1, 23)));
    }

    #[test]
    fn example_config_is_valid_against_the_schema() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schemas/config.schema.json")).unwrap();
        assert!(jsonschema::meta::is_valid(&schema));
        let validator = jsonschema::draft202012::new(&schema).unwrap();
        let as_json = |text: &str| {
            serde_json::to_value(toml::from_str::<toml::Table>(text).unwrap()).unwrap()
        };
        let readme = include_str!("../../README.md");
        let readme_example = readme
            .split_once("## Configuration")
            .and_then(|(_, section)| section.split_once("```toml\n"))
            .and_then(|(_, block)| block.split_once("```"))
            .map(|(toml, _)| toml)
            .unwrap();
        for example in [EXAMPLE, readme_example] {
            if let Err(e) = parse(example) {
                panic!("{e}\n{example}");
            }
            let errors: Vec<String> = validator
                .iter_errors(&as_json(example))
                .map(|e| e.to_string())
                .collect();
            assert_eq!(errors, Vec::<String>::new(), "{example}");
        }
        for bad in [
            "modle = \"x\"",
            "api-version = \"2024-01-01\"",
            "context-warning-ratio = 2",
            "[rules]\nduplicate-key = \"loud\"",
            "[[overrides]]\nrules = {}",
            "[[overrides]]\nfiles = [\"a\"]\nkind = \"batch\"",
            "[[models]]\nid = \"x\"",
            "[[models]]\nid = \"x\"\nlike = \"claude-opus-5\"\ncolour = 1",
        ] {
            assert!(parse(bad).is_err(), "the loader accepts {bad:?}");
            assert!(
                !validator.is_valid(&as_json(bad)),
                "the schema accepts {bad:?}"
            );
        }
    }

    /// A configuration that uses every key.
    const EXAMPLE: &str = r#"
model = "claude-opus-5"
api-version = "2023-06-01"
context-warning-ratio = 0.8
include = ["*.req", "prompts/requests/**"]
exclude = ["vendor", "/generated"]
select = ["ALL"]
ignore = ["duplicate-key", "O1"]

[rules]
unknown-parameter = "warning"
openai-parameter = "off"

[[overrides]]
files = ["count_tokens/**"]
kind = "count_tokens"

[[overrides]]
files = ["legacy/**/*.json"]
model = "claude-sonnet-4-5"
api-version = "2026-10-21"
kind = "messages"
rules = { missing-max-tokens = "info" }

[[models]]
id = "my-gateway/claude-fast"
like = "claude-opus-5"
name = "Gateway Opus"
aliases = ["fast"]
context-window = 200000
max-output = 32000
min-cache-tokens = 1024
bedrock = ["arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc"]
vertex = ["claude-fast@001"]
deprecated = "2026-12-01"
retired = "2027-06-01"
replacement = "claude-opus-5"
"#;
}
