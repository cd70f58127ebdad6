//! A configuration's errors, placed at the line and column of the text they are about.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::syntax::{ColumnUnit, LineIndex};

/// A configuration file that cannot be used, and where the problem is: `check` reports it and
/// exits 2 rather than silently checking with other settings than the ones written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigError {
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
pub(super) struct Source<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
}

impl Source<'_> {
    /// An error at `span` (a byte range of the text), or at no place.
    pub(super) fn error(
        &self,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> ConfigError {
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

    /// TOML's error, at its place.
    pub(super) fn toml_error(&self, error: &toml::de::Error) -> ConfigError {
        self.error(error.span(), error.message().trim_end())
    }
}

/// " (did you mean `x`?)" when one of `known` is close to `name`, else nothing.
pub(super) fn suggestion<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    crate::words::did_you_mean(name, known)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}
