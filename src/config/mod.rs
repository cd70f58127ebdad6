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

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;

use crate::extract::PayloadKind;
use crate::facts::api::ApiVersion;
use crate::facts::{Facts, Model};
use crate::rules::{self, Severity};
use crate::sdk_pin::PinFinder;
use crate::settings::{Selector, Settings};
use crate::small_file::read_small_file;
use crate::syntax::{ColumnUnit, LineIndex};

/// The file names looked for in each directory, in this order; `pyproject.toml` counts only
/// when it has a `[tool.claude-preflight]` table, so a Python project's own pyproject does not
/// hide a configuration further up.
pub const FILE_NAMES: [&str; 3] = ["claude-preflight.toml", ".claude-preflight.toml", PYPROJECT];

const PYPROJECT: &str = "pyproject.toml";

/// The table of `pyproject.toml` that holds the configuration.
const PYPROJECT_TABLE: &str = "claude-preflight";

/// What the command line (or an editor's settings) sets on top of every configuration file.
#[derive(Debug, Clone)]
pub struct Flags {
    /// "Today", for lifecycle dates (the real date, or a fixed one in tests).
    pub today: Date,
    /// `--select`: replaces the configuration's `select` when given.
    pub select: Option<Vec<Selector>>,
    /// `--ignore`: added to the configuration's `ignore`.
    pub ignore: Vec<Selector>,
    /// `--model`: the model assumed for bodies that name none, over the configuration's.
    pub model: Option<String>,
    /// `--api-version`: the API version in force, over the configuration's.
    pub api_version: Option<ApiVersion>,
    /// Per-rule severities (an editor's settings), over the configuration's `[rules]`;
    /// `None` switches the rule off.
    pub severities: HashMap<&'static str, Option<Severity>>,
    /// The context warning ratio (an editor's settings), over the configuration's.
    pub context_warning_ratio: Option<f64>,
}

impl Flags {
    /// Flags that set nothing but the date.
    pub fn new(today: Date) -> Self {
        Self {
            today,
            select: None,
            ignore: Vec::new(),
            model: None,
            api_version: None,
            severities: HashMap::new(),
            context_warning_ratio: None,
        }
    }

    /// Applies the flags on top of settings resolved from a configuration.
    fn apply(&self, settings: &mut Settings) {
        if let Some(select) = &self.select {
            settings.rules.select = Some(select.clone());
        }
        settings.rules.ignore.extend(self.ignore.iter().cloned());
        if let Some(model) = &self.model {
            settings.options.default_model = Some(model.clone());
        }
        if let Some(version) = self.api_version {
            settings.options.api_version = version;
        }
        settings.rules.severities.extend(
            self.severities
                .iter()
                .map(|(name, severity)| (*name, *severity)),
        );
        if let Some(ratio) = self.context_warning_ratio {
            settings.options.context_warning_ratio = ratio;
        }
    }

    /// The settings of a file no configuration governs.
    fn defaults(&self) -> Settings {
        let mut settings = Settings::new(self.today);
        self.apply(&mut settings);
        settings
    }
}

/// Settings many files share, in the variants a workspace's SDK pin selects: the API version
/// the command line or the configuration sets wins over the pin; only when they leave it
/// unknown does the pinned SDK's version apply. Built once, so files share one allocation.
#[derive(Debug, Clone)]
struct Shared {
    /// As configured.
    configured: Arc<Settings>,
    /// With the version of an SDK pinned to each known API version (the configured ones when
    /// the configuration sets a version).
    pinned: HashMap<ApiVersion, Arc<Settings>>,
}

impl Shared {
    fn new(settings: Settings) -> Self {
        let configured = Arc::new(settings);
        let variant = |version: ApiVersion| {
            if configured.options.api_version == ApiVersion::UNKNOWN {
                let mut pinned = Settings::clone(&configured);
                pinned.options.api_version = version;
                Arc::new(pinned)
            } else {
                Arc::clone(&configured)
            }
        };
        Self {
            pinned: ApiVersion::all().map(|v| (v, variant(v))).collect(),
            configured,
        }
    }

    /// The settings for a file whose workspace pins an SDK that sends `pinned`.
    fn get(&self, pinned: Option<ApiVersion>) -> Arc<Settings> {
        Arc::clone(
            pinned
                .and_then(|v| self.pinned.get(&v))
                .unwrap_or(&self.configured),
        )
    }
}

/// Sets the API version a workspace's SDK pin gives, unless one is configured already.
fn apply_pin(settings: &mut Settings, pinned: Option<ApiVersion>) {
    if settings.options.api_version == ApiVersion::UNKNOWN
        && let Some(version) = pinned
    {
        settings.options.api_version = version;
    }
}

/// A configuration file that cannot be used, and where the problem is: `check` reports it and
/// exits 2 rather than silently checking with other settings than the ones written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The configuration file.
    pub path: PathBuf,
    /// 1-based line and column (in characters) of the problem, when it has a place.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(
                f,
                "{}:{line}:{column}: {}",
                self.path.display(),
                self.message
            ),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The text of a configuration file, to turn byte spans into error positions.
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> ConfigError {
        let position = span.map(|span| {
            let p = LineIndex::new(self.text).position(self.text, span.start, ColumnUnit::Char);
            (p.line as usize + 1, p.column as usize + 1)
        });
        ConfigError {
            path: self.path.to_owned(),
            position,
            message: message.into(),
        }
    }

    fn toml_error(&self, error: &toml::de::Error) -> ConfigError {
        self.error(error.span(), error.message().trim_end())
    }
}

/// A rule's level in `[rules]`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Level {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl Level {
    fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Hint => Some(Severity::Hint),
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// `kind` in an override: what the files' bodies are.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    Messages,
    CountTokens,
}

impl From<RawKind> for PayloadKind {
    fn from(raw: RawKind) -> Self {
        match raw {
            RawKind::Messages => PayloadKind::Messages,
            RawKind::CountTokens => PayloadKind::CountTokens,
        }
    }
}

type RuleLevels = BTreeMap<Spanned<String>, Level>;

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    model: Option<String>,
    api_version: Option<ApiVersion>,
    context_warning_ratio: Option<Spanned<f64>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    rules: RuleLevels,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    models: Vec<RawModel>,
    /// Betas every request is sent with (the header a data file cannot show).
    #[serde(default)]
    betas: Vec<String>,
}

/// One `[[overrides]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    files: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    rules: RuleLevels,
    model: Option<String>,
    api_version: Option<ApiVersion>,
    kind: Option<RawKind>,
}

/// One `[[models]]` entry as written: a model this tool does not know (a proxy name, a
/// fine-tune, a Bedrock ARN) that behaves like one it does.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawModel {
    id: Spanned<String>,
    like: Spanned<String>,
    name: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    context_window: Option<Spanned<u64>>,
    max_output: Option<Spanned<u64>>,
    min_cache_tokens: Option<u64>,
    #[serde(default)]
    bedrock: Vec<String>,
    #[serde(default)]
    vertex: Vec<String>,
    deprecated: Option<Spanned<toml::Value>>,
    retired: Option<Spanned<toml::Value>>,
    replacement: Option<String>,
}

/// `pyproject.toml`: only `[tool.claude-preflight]` is read; everything else is its owners'.
#[derive(Debug, Deserialize)]
struct Pyproject {
    tool: Option<PyprojectTool>,
}

#[derive(Debug, Deserialize)]
struct PyprojectTool {
    #[serde(rename = "claude-preflight")]
    preflight: Option<RawConfig>,
}

/// Globs in .gitignore style (see the module docs).
#[derive(Debug, Clone)]
struct Globs {
    /// Globs with a `/`: matched against the path relative to the configuration's directory.
    anchored: GlobSet,
    /// Globs without one: matched against a file or directory name.
    names: GlobSet,
}

/// Where a path lies as globs see it.
enum Place {
    /// Under the configuration's directory: the relative path, `/`-separated.
    Inside(String),
    /// Elsewhere (a `--config` file in another directory): only the name can match.
    Outside(String),
}

impl Globs {
    fn new(patterns: &[Spanned<String>], key: &str, source: &Source) -> Result<Self, ConfigError> {
        let mut anchored = GlobSetBuilder::new();
        let mut names = GlobSetBuilder::new();
        for pattern in patterns {
            let written = pattern.get_ref().as_str();
            let trimmed = written.trim_end_matches('/');
            let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
            let (set, glob) = match trimmed.strip_prefix('/') {
                Some(rest) => (&mut anchored, rest),
                None if trimmed.contains('/') => (&mut anchored, trimmed),
                None => (&mut names, trimmed),
            };
            if glob.is_empty() {
                return Err(source.error(
                    Some(pattern.span()),
                    format!("an empty glob in `{key}` matches nothing"),
                ));
            }
            let glob = GlobBuilder::new(glob)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    source.error(
                        Some(pattern.span()),
                        format!("invalid glob `{written}` in `{key}`: {}", e.kind()),
                    )
                })?;
            set.add(glob);
        }
        let build = |set: GlobSetBuilder| {
            set.build().map_err(|e| {
                source.error(
                    None,
                    format!("the globs in `{key}` cannot be compiled: {e}"),
                )
            })
        };
        Ok(Self {
            anchored: build(anchored)?,
            names: build(names)?,
        })
    }

    fn is_empty(&self) -> bool {
        self.anchored.is_empty() && self.names.is_empty()
    }

    /// True when `rel` (relative, `/`-separated) itself matches.
    fn matches_itself(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.anchored.is_match(rel) || self.names.is_match(name)
    }

    /// True when the path matches, or (`within`) any directory above it inside the
    /// configuration's directory does.
    fn matches(&self, place: &Place, within: bool) -> bool {
        match place {
            Place::Outside(name) => self.names.is_match(name),
            Place::Inside(rel) if within => rel
                .match_indices('/')
                .map(|(i, _)| &rel[..i])
                .chain([rel.as_str()])
                .any(|prefix| self.matches_itself(prefix)),
            Place::Inside(rel) => self.matches_itself(rel),
        }
    }
}

/// What the top level or one override sets.
#[derive(Debug, Clone, Default)]
struct Layer {
    severities: Vec<(&'static str, Option<Severity>)>,
    model: Option<String>,
    api_version: Option<ApiVersion>,
    kind: Option<PayloadKind>,
}

impl Layer {
    fn new(
        rules: RuleLevels,
        model: Option<String>,
        api_version: Option<ApiVersion>,
        kind: Option<RawKind>,
        source: &Source,
    ) -> Result<Self, ConfigError> {
        let severities = rules
            .into_iter()
            .map(|(name, level)| match rules::find(name.get_ref()) {
                Some(rule) => Ok((rule.name, level.severity())),
                None => {
                    let hint = suggestion(name.get_ref(), rules::all().map(|r| r.name));
                    Err(source.error(
                        Some(name.span()),
                        format!(
                            "unknown rule `{}` in `rules`{hint}; `claude-preflight rules` lists them",
                            name.get_ref()
                        ),
                    ))
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            severities,
            model,
            api_version,
            kind: kind.map(PayloadKind::from),
        })
    }

    fn apply(&self, settings: &mut Settings) {
        for &(name, severity) in &self.severities {
            settings.rules.severities.insert(name, severity);
        }
        if let Some(model) = &self.model {
            settings.options.default_model = Some(model.clone());
        }
        if let Some(version) = self.api_version {
            settings.options.api_version = version;
        }
        if let Some(kind) = self.kind {
            settings.declared_kind = Some(kind);
        }
    }
}

/// One `[[overrides]]` entry.
#[derive(Debug, Clone)]
struct Override {
    files: Globs,
    layer: Layer,
}

/// One configuration file, parsed and checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
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
    pub fn parse(path: &Path, text: &str, flags: &Flags) -> Result<Config, ConfigError> {
        let source = Source { path, text };
        let raw: RawConfig = toml::from_str(text).map_err(|e| source.toml_error(&e))?;
        Config::build(raw, &source, flags)
    }

    /// Parses the `[tool.claude-preflight]` table of a `pyproject.toml`; `None` when it has
    /// none. A pyproject that is not valid TOML is an error only when it mentions
    /// `claude-preflight`: otherwise it is not ours to judge.
    pub fn parse_pyproject(
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
    pub fn read(path: &Path, flags: &Flags) -> Result<Option<Config>, ConfigError> {
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
    pub fn settings_for(&self, file: &Path, pinned: Option<ApiVersion>) -> Arc<Settings> {
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
    pub fn excludes(&self, path: &Path) -> bool {
        !self.exclude.is_empty() && self.exclude.matches(&self.place(path), false)
    }

    /// True when `file` (absolute), or a directory above it, matches `include`: a walk checks
    /// it even though its extension is not one of the request-file extensions.
    pub fn includes(&self, file: &Path) -> bool {
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

/// A `[[models]]` entry: the facts of the model it is `like`, with its own id and the facts
/// it sets. Aliases, cloud ids and lifecycle dates are its own, never copied: they belong to
/// the other model.
fn extra_model(raw: RawModel, source: &Source) -> Result<Model, ConfigError> {
    let builtin = Facts::builtin();
    let Some((like, _)) = builtin.resolve(raw.like.get_ref()) else {
        let hint = suggestion(raw.like.get_ref(), builtin.models().flat_map(Model::ids));
        return Err(source.error(
            Some(raw.like.span()),
            format!(
                "`like` names no known model: `{}`{hint}; it takes the id of a model whose facts are copied",
                raw.like.get_ref()
            ),
        ));
    };
    if raw.id.get_ref().trim().is_empty() {
        return Err(source.error(Some(raw.id.span()), "`id` is empty"));
    }
    let positive = |value: Option<Spanned<u64>>, key: &str| match value {
        Some(v) if *v.get_ref() == 0 => {
            Err(source.error(Some(v.span()), format!("`{key}` must be at least 1")))
        }
        Some(v) => Ok(Some(*v.get_ref())),
        None => Ok(None),
    };
    let mut model = like.clone();
    model.id = raw.id.into_inner();
    model.name = raw.name.unwrap_or_else(|| model.id.clone());
    model.aliases = raw.aliases;
    if let Some(window) = positive(raw.context_window, "context-window")? {
        model.context_window = window;
    }
    if let Some(max) = positive(raw.max_output, "max-output")? {
        model.max_output = max;
    }
    if let Some(min) = raw.min_cache_tokens {
        model.min_cache_tokens = min;
    }
    model.bedrock = raw.bedrock;
    model.vertex = raw.vertex;
    model.deprecated = date(raw.deprecated, "deprecated", source)?;
    model.retired = date(raw.retired, "retired", source)?;
    model.replacement = raw.replacement;
    model.source = format!(
        "configured in {} (like `{}`)",
        source.path.display(),
        like.id
    );
    Ok(model)
}

/// " (did you mean `x`?)" when one of `known` is close to `name`, else nothing.
fn suggestion<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    crate::words::did_you_mean(name, known)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// A date written as a TOML date (`2027-01-01`) or as a string (`"2027-01-01"`, as in
/// `data/models.toml`).
fn date(
    value: Option<Spanned<toml::Value>>,
    key: &str,
    source: &Source,
) -> Result<Option<Date>, ConfigError> {
    let Some(value) = value else {
        return Ok(None);
    };
    let parsed = match value.get_ref() {
        toml::Value::String(text) => text.parse::<Date>().ok(),
        toml::Value::Datetime(datetime) if datetime.time.is_none() => datetime
            .date
            .and_then(|d| Date::new(i16::try_from(d.year).ok()?, d.month as i8, d.day as i8).ok()),
        _ => None,
    };
    match parsed {
        Some(date) => Ok(Some(date)),
        None => Err(source.error(
            Some(value.span()),
            format!(
                "`{key}` is a date written YYYY-MM-DD, not {}",
                value.get_ref()
            ),
        )),
    }
}

/// `path` made absolute against the current directory, with `.` and `..` resolved lexically
/// (without touching the file system, so a path that does not exist yet works too).
pub fn normalize(path: &Path) -> PathBuf {
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

type Lookup = Result<Option<Arc<Config>>, ConfigError>;

/// Finds the configuration of each file and its settings. Each directory's lookup is cached,
/// so a walk over 10,000 files reads each configuration file once; the cache is shared by
/// threads.
///
/// The API version in force comes from `--api-version`, else the configuration's
/// `api-version`, else the Anthropic SDK pinned in the file's workspace ([`crate::sdk_pin`]),
/// else it stays unknown.
#[derive(Debug)]
pub struct Resolver {
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
    pub fn new(flags: Flags, config: Option<&Path>) -> Result<Self, ConfigError> {
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
    pub fn config_for_dir(&self, dir: &Path) -> Lookup {
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
    pub fn config_for(&self, path: &Path) -> Lookup {
        let path = normalize(path);
        self.config_for_dir(path.parent().unwrap_or(&path))
    }

    /// Notes about the manifests skipped so far (see [`PinFinder::take_notes`]).
    pub fn take_notes(&self) -> Vec<String> {
        self.pins.take_notes()
    }

    /// The settings for `file`.
    pub fn settings_for(&self, file: &Path) -> Result<Arc<Settings>, ConfigError> {
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
    pub fn is_excluded(&self, path: &Path) -> Result<bool, ConfigError> {
        let path = normalize(path);
        Ok(self.config_for(&path)?.is_some_and(|c| c.excludes(&path)))
    }

    /// True when the configuration governing `file` includes it in a walk although its
    /// extension is not a request-file extension.
    pub fn is_included(&self, file: &Path) -> Result<bool, ConfigError> {
        let file = normalize(file);
        Ok(self.config_for(&file)?.is_some_and(|c| c.includes(&file)))
    }
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
    use crate::rules::RuleFilter;
    use crate::rules::openai::OPENAI_PARAMETER;
    use crate::rules::syntax::DUPLICATE_KEY;

    fn flags() -> Flags {
        Flags::new(jiff::civil::date(2026, 11, 25))
    }

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/project/claude-preflight.toml"), text, &flags())
    }

    fn error(text: &str) -> String {
        parse(text).map(|_| ()).unwrap_err().to_string()
    }

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

    #[test]
    fn overrides_apply_by_glob_in_order() {
        let config = parse(
            r#"
model = "claude-opus-5"
[rules]
duplicate-key = "error"

[[overrides]]
files = ["count/**/*.json"]
kind = "count_tokens"
api-version = "2026-10-21"

[[overrides]]
files = ["legacy", "*.old.json"]
model = "claude-sonnet-4-5"
rules = { duplicate-key = "hint", openai-parameter = "off" }
"#,
        )
        .unwrap();
        let at = |rel: &str| config.settings_for(&Path::new("/project").join(rel), None);
        let count = at("count/a/b.json");
        assert_eq!(count.declared_kind, Some(PayloadKind::CountTokens));
        assert_eq!(count.options.api_version, new());
        assert_eq!(
            count.options.default_model.as_deref(),
            Some("claude-opus-5")
        );
        assert_eq!(
            at("count/b.yaml").declared_kind,
            None,
            "`*.json` does not match YAML"
        );
        assert_eq!(
            at("other/count/b.json").declared_kind,
            None,
            "a glob with `/` is anchored"
        );
        for rel in ["legacy/a.json", "deep/legacy/x/a.json", "deep/r.old.json"] {
            let legacy = at(rel);
            assert_eq!(
                legacy.options.default_model.as_deref(),
                Some("claude-sonnet-4-5"),
                "{rel}"
            );
            assert_eq!(
                legacy.rules.severity(&DUPLICATE_KEY),
                Some(Severity::Hint),
                "{rel}"
            );
            assert!(!legacy.rules.is_enabled(&OPENAI_PARAMETER), "{rel}");
        }
        let plain = at("plain.json");
        assert_eq!(plain.rules.severity(&DUPLICATE_KEY), Some(Severity::Error));
        assert!(
            Arc::ptr_eq(&plain, &at("other.json")),
            "unmatched files share the base"
        );
    }

    #[test]
    fn rule_levels_select_ignore_and_flags_on_top() {
        let text = "select = [\"syntax\", \"O1\"]\nignore = [\"S001\"]\n[rules]\nduplicate-key = \"info\"\nO101 = \"warning\"\n";
        let file = Path::new("/project/a.json");
        let settings = parse(text).unwrap().settings_for(file, None);
        assert_eq!(
            settings.rules.severity(&DUPLICATE_KEY),
            Some(Severity::Info)
        );
        assert_eq!(
            settings.rules.severity(&OPENAI_PARAMETER),
            Some(Severity::Warning)
        );
        assert_eq!(settings.rules.severity(&rules::syntax::SYNTAX_ERROR), None);
        assert_eq!(
            settings.rules.severity(&rules::request::MISSING_MODEL),
            None
        );
        let mut cli = flags();
        cli.select = Some(vec![
            Selector::parse("request").unwrap(),
            Selector::parse("duplicate-key").unwrap(),
        ]);
        cli.ignore = vec![Selector::parse("missing-model").unwrap()];
        cli.model = Some("claude-opus-5".into());
        cli.api_version = Some(old());
        let path = Path::new("/project/claude-preflight.toml");
        let settings = Config::parse(path, text, &cli)
            .unwrap()
            .settings_for(file, None);
        assert_eq!(
            settings.rules.severity(&DUPLICATE_KEY),
            Some(Severity::Info)
        );
        assert_eq!(settings.rules.severity(&OPENAI_PARAMETER), None);
        assert_eq!(
            settings.rules.severity(&rules::request::MISSING_MODEL),
            None
        );
        assert_eq!(
            settings.rules.severity(&rules::request::MISSING_MESSAGES),
            Some(Severity::Error)
        );
        assert_eq!(
            settings.options.default_model.as_deref(),
            Some("claude-opus-5")
        );
        assert_eq!(settings.options.api_version, old());
    }

    #[test]
    fn include_and_exclude_globs() {
        let config = parse("include = [\"*.req\", \"requests/raw\"]\nexclude = [\"vendor\", \"/generated/*.json\", \"./out/\"]\n").unwrap();
        let p = |rel: &str| Path::new("/project").join(rel);
        assert!(config.excludes(&p("vendor")));
        assert!(config.excludes(&p("a/vendor")));
        assert!(config.excludes(&p("generated/a.json")));
        assert!(config.excludes(&p("out")));
        assert!(
            !config.excludes(&p("generated/deep/a.json")),
            "`*` does not cross `/`"
        );
        assert!(
            !config.excludes(&p("a/generated/a.json")),
            "a leading `/` anchors"
        );
        assert!(config.includes(&p("x/y.req")));
        assert!(config.includes(&p("requests/raw/a/b.txt")));
        assert!(!config.includes(&p("requests/other.txt")));
        assert!(
            config.includes(Path::new("/elsewhere/z.req")),
            "names match outside the directory"
        );
        assert!(!config.includes(Path::new("/elsewhere/requests/raw/b.txt")));
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
    fn extra_models_copy_the_facts_of_their_like() {
        let config = parse(
            r#"
[[models]]
id = "my-proxy/claude"
like = "claude-sonnet-4-5"
aliases = ["proxy-claude"]
context-window = 100000

[[models]]
id = "arn:aws:bedrock:us-east-1:123:provisioned-model/abc"
like = "claude-opus-5"
deprecated = 2026-10-01
retired = "2027-01-01"
"#,
        )
        .unwrap();
        let facts = &config.settings.facts;
        let (proxy, _) = facts.resolve("proxy-claude").unwrap();
        let like = Facts::builtin().resolve("claude-sonnet-4-5").unwrap().0;
        assert_eq!(proxy.id, "my-proxy/claude");
        assert_eq!(proxy.name, "my-proxy/claude");
        assert_eq!(proxy.context_window, 100_000);
        assert_eq!(proxy.max_output, like.max_output);
        assert_eq!(proxy.sampling, like.sampling);
        assert_eq!(
            (proxy.deprecated, proxy.retired),
            (None, None),
            "lifecycle is not copied"
        );
        assert!(proxy.bedrock.is_empty());
        assert_eq!(
            proxy.source,
            "configured in /project/claude-preflight.toml (like `claude-sonnet-4-5-20250929`)"
        );
        let (arn, _) = facts
            .resolve("arn:aws:bedrock:us-east-1:123:provisioned-model/abc")
            .unwrap();
        assert_eq!(arn.deprecated, Some(jiff::civil::date(2026, 10, 1)));
        assert_eq!(arn.retired, Some(jiff::civil::date(2027, 1, 1)));
        assert!(facts.looks_like_claude("proxy-claude"));
        assert_eq!(
            facts.resolve("claude-sonnet-4-5").unwrap().0.id,
            "claude-sonnet-4-5-20250929"
        );
        assert_eq!(
            error("[[models]]\nid = \"x\"\nlike = \"claude-opus-5x\"\n"),
            "/project/claude-preflight.toml:3:8: `like` names no known model: `claude-opus-5x` (did you mean `claude-opus-5`?); it takes the id of a model whose facts are copied"
        );
        assert_eq!(
            error("[[models]]\nid = \"x\"\nlike = \"claude-opus-5\"\nmax-output = 0\n"),
            "/project/claude-preflight.toml:4:14: `max-output` must be at least 1"
        );
        assert_eq!(
            error("[[models]]\nid = \"x\"\nlike = \"claude-opus-5\"\nretired = \"2027-13-01\"\n"),
            "/project/claude-preflight.toml:4:11: `retired` is a date written YYYY-MM-DD, not \"2027-13-01\""
        );
        assert_eq!(
            error(
                "[[models]]\nid = \"x\"\nlike = \"claude-opus-5\"\ndeprecated = 2027-01-01T10:00:00\n"
            ),
            "/project/claude-preflight.toml:4:14: `deprecated` is a date written YYYY-MM-DD, not 2027-01-01T10:00:00"
        );
        assert_eq!(
            error("[[models]]\nid = \"x\"\n"),
            "/project/claude-preflight.toml:1:1: missing field `like`"
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
            serde_json::from_str(include_str!("../schemas/config.schema.json")).unwrap();
        assert!(jsonschema::meta::is_valid(&schema));
        let validator = jsonschema::draft202012::new(&schema).unwrap();
        let as_json = |text: &str| {
            serde_json::to_value(toml::from_str::<toml::Table>(text).unwrap()).unwrap()
        };
        let readme = include_str!("../README.md");
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
