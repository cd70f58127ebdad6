//! What a tool is asked to look at: text with a language or file name, or a path to read.
//! Paths are read only when they name a regular file no larger than [`MAX_BYTES`]; the
//! settings are resolved as `check` resolves them (the nearest configuration file above the
//! file, or above the name the text is given), afresh on every call so an edited
//! configuration counts at once.

use std::path::Path;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::config::{Flags, Resolver};
use crate::extract::files::FileKind;
use crate::settings::Settings;
use crate::small_file::{SmallFileError, read_capped};

/// The most bytes a tool reads or takes: the API's own limit on a request body (32 MB), so
/// every request the API could accept fits.
pub(crate) const MAX_BYTES: u64 = 32 * 1024 * 1024;

/// The languages error messages name (each also has other spellings: see [`Source::language`]).
const LANGUAGES: &str =
    "json, jsonc, jsonl, yaml, python, javascript, typescript, tsx, sh, markdown or ipynb";

/// Where the payload is: `text` (with a `language` or a `file_name`), or a `path`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub(crate) struct Source {
    /// The text to look at: a request body (JSON, JSONC, JSON Lines, YAML), or code that sends
    /// one (Python, JavaScript, TypeScript, shell, Markdown, a notebook's JSON). Give
    /// `language` or `file_name` with it. Not with `path`.
    pub text: Option<String>,
    /// The language of `text`: an editor's language id (`json`, `jsonc`, `yaml`, `python`,
    /// `javascript`, `typescript`, `typescriptreact`, `shellscript`, `markdown`, `jupyter`)
    /// or a file extension (`jsonl`, `yml`, `py`, `js`, `ts`, `tsx`, `sh`, `md`, `ipynb`).
    /// Over the extension of `file_name` or `path` when both are given.
    pub language: Option<String>,
    /// The file name `text` is checked under (`requests/chat.json`): its extension gives the
    /// language, its directory the configuration file that applies.
    pub file_name: Option<String>,
    /// A file to read instead of `text`, relative to the server's working directory: a
    /// regular file of at most 32 MiB. Only read, never written.
    pub path: Option<String>,
}

/// A source made ready: its bytes, format, name and settings.
#[derive(Debug)]
pub(crate) struct Input {
    /// The bytes (UTF-8 for text; a file as read).
    pub bytes: Vec<u8>,
    /// Its format.
    pub kind: FileKind,
    /// The name findings are reported under: the path, the file name, or `-`.
    pub display: String,
    /// The settings in force for it.
    pub settings: Arc<Settings>,
}

impl Source {
    /// Reads or takes the input, or says in one sentence what is wrong with the request.
    pub(crate) fn load(self, today: jiff::civil::Date) -> Result<Input, String> {
        let (bytes, display) = match (self.text, self.path) {
            (Some(_), Some(_)) => return Err("give `text` or `path`, not both".into()),
            (None, None) => {
                return Err(
                    "nothing to look at: give `text` (with `language` or `file_name`) or `path`"
                        .into(),
                );
            }
            (Some(text), None) => {
                if text.len() as u64 > MAX_BYTES {
                    return Err(too_large("`text`", text.len() as u64));
                }
                (
                    text.into_bytes(),
                    self.file_name.unwrap_or_else(|| "-".into()),
                )
            }
            (None, Some(path)) => {
                if self.file_name.is_some() {
                    return Err(
                        "`file_name` names `text`; a `path` is checked under its own name".into(),
                    );
                }
                (read(Path::new(&path))?, path)
            }
        };
        let kind = match &self.language {
            Some(language) => language_kind(language)?,
            None => FileKind::from_path(Path::new(&display)).ok_or_else(|| {
                format!("cannot tell the language of `{display}` from its name: give `language` ({LANGUAGES})")
            })?,
        };
        let resolver = Resolver::new(Flags::new(today), None).map_err(|e| e.to_string())?;
        let settings = resolver
            .settings_for(Path::new(&display))
            .map_err(|e| e.to_string())?;
        Ok(Input {
            bytes,
            kind,
            display,
            settings,
        })
    }
}

/// The format a `language` names: a language id, else an extension.
fn language_kind(language: &str) -> Result<FileKind, String> {
    let lower = language.trim().to_ascii_lowercase();
    FileKind::from_language(&lower)
        .or_else(|| FileKind::from_extension(lower.trim_start_matches('.')))
        .ok_or_else(|| format!("`{language}` is not a language this server reads ({LANGUAGES})"))
}

/// Reads a regular file of at most [`MAX_BYTES`].
fn read(path: &Path) -> Result<Vec<u8>, String> {
    let shown = path.display();
    read_capped(path, MAX_BYTES).map_err(|error| match error {
        SmallFileError::NotRegular => format!("`{shown}` is not a regular file"),
        SmallFileError::TooLarge { size, .. } => too_large(&format!("`{shown}`"), size),
        SmallFileError::Missing(e) | SmallFileError::Io(e) => format!("cannot read `{shown}`: {e}"),
    })
}

fn too_large(what: &str, bytes: u64) -> String {
    format!(
        "{what} is {bytes} bytes, over the {} MiB this server reads (the API's own limit on a request)",
        MAX_BYTES / (1024 * 1024)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> jiff::civil::Date {
        jiff::civil::date(2026, 12, 3)
    }

    fn text(text: &str, language: Option<&str>, file_name: Option<&str>) -> Source {
        Source {
            text: Some(text.into()),
            language: language.map(Into::into),
            file_name: file_name.map(Into::into),
            path: None,
        }
    }

    #[test]
    fn languages_are_ids_or_extensions() {
        let kind = |l| text("{}", Some(l), None).load(today()).map(|i| i.kind);
        assert_eq!(kind("typescriptreact"), Ok(FileKind::Tsx));
        assert_eq!(kind("TSX"), Ok(FileKind::Tsx));
        assert_eq!(kind("py"), Ok(FileKind::Python));
        assert_eq!(kind("ipynb"), Ok(FileKind::Notebook));
        assert_eq!(kind(".py"), Ok(FileKind::Python));
        // Not an extension (it once panicked, made into a path extension).
        assert_eq!(
            kind("text/plain"),
            Err("`text/plain` is not a language this server reads (json, jsonc, jsonl, yaml, python, javascript, typescript, tsx, sh, markdown or ipynb)".into())
        );
        assert_eq!(
            kind("cobol"),
            Err("`cobol` is not a language this server reads (json, jsonc, jsonl, yaml, python, javascript, typescript, tsx, sh, markdown or ipynb)".into())
        );
    }

    #[test]
    fn the_file_name_names_the_text() {
        let input = text("a: 1", None, Some("prompts/chat.yaml"))
            .load(today())
            .unwrap();
        assert_eq!(
            (input.kind, input.display.as_str()),
            (FileKind::Yaml, "prompts/chat.yaml")
        );
        let input = text("{}", Some("json"), None).load(today()).unwrap();
        assert_eq!(input.display, "-");
        assert_eq!(
            text("{}", None, Some("notes.txt"))
                .load(today())
                .unwrap_err(),
            "cannot tell the language of `notes.txt` from its name: give `language` (json, jsonc, jsonl, yaml, python, javascript, typescript, tsx, sh, markdown or ipynb)"
        );
    }

    #[test]
    fn text_and_path_are_exclusive_and_one_is_needed() {
        let both = Source {
            path: Some("Cargo.toml".into()),
            ..text("{}", Some("json"), None)
        };
        assert_eq!(
            both.load(today()).unwrap_err(),
            "give `text` or `path`, not both"
        );
        assert_eq!(
            Source::default().load(today()).unwrap_err(),
            "nothing to look at: give `text` (with `language` or `file_name`) or `path`"
        );
    }

    #[test]
    fn only_regular_files_under_the_cap_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| Source {
            path: Some(dir.path().join(name).display().to_string()),
            ..Source::default()
        };
        let error = path("").load(today()).unwrap_err();
        assert!(error.ends_with("` is not a regular file"), "{error}");
        let error = path("missing.json").load(today()).unwrap_err();
        assert!(
            error.starts_with("cannot read `") && error.contains("missing.json`: "),
            "{error}"
        );
        let big = dir.path().join("big.json");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_BYTES + 1)
            .unwrap();
        let error = path("big.json").load(today()).unwrap_err();
        assert!(
            error.ends_with("big.json` is 33554433 bytes, over the 32 MiB this server reads (the API's own limit on a request)"),
            "{error}"
        );
        std::fs::write(dir.path().join("ok.json"), "{}").unwrap();
        let input = path("ok.json").load(today()).unwrap();
        assert_eq!(
            (input.bytes.as_slice(), input.kind),
            (&b"{}"[..], FileKind::Json)
        );
    }
}
