//! Constants a source file imports from a module beside it, one hop: `from .config import
//! MODEL`, `from config import MODEL`, `import { MODEL } from "./config"`.
//!
//! The module is read from the file's own directory (a regular file of at most 1 MB, through
//! `small_file`), parsed once per analysis, and only its top-level names bound exactly once,
//! to a string, number or boolean literal, are used (`MODEL = "..."`,
//! `export const MODEL = "..."`). Its own imports are never followed, so there is no cycle to
//! break. A value read this way is written in the importing file as a name: its node is at
//! that name, and `analyze` says in each finding about it where the value is set, without a
//! fix (the fix belongs in the other file).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::files::FileKind;
use super::javascript::{self, Flavor};
use super::python;
use crate::small_file::read_small_file;
use crate::syntax::{LineIndex, TextRange, Value};

/// A constant of a module: its value and where it is set.
#[derive(Debug, Clone)]
pub(crate) struct Constant {
    /// The literal's value.
    pub value: Value,
    /// Where it is set, as a finding names it: "config.py, line 3".
    pub origin: String,
}

/// A module's constants, by the name another file imports each as.
type Module = HashMap<String, Constant>;

/// A value of a request read from a module beside its file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Imported {
    /// Where the name is written in the request's file.
    pub range: TextRange,
    /// The name the module gives it (`MODEL` of `import { MODEL as model }`).
    pub name: String,
    /// Where the value is set ([`Constant::origin`]).
    pub origin: String,
}

/// The modules beside one file, read on first use.
#[derive(Debug, Default)]
pub(crate) struct Siblings {
    /// The file's directory; `None` for a text with no place on disk.
    dir: Option<PathBuf>,
    /// Each module's constants by name, once read (`None`: absent or unreadable).
    modules: RefCell<HashMap<String, Option<Rc<Module>>>>,
}

impl Siblings {
    /// No modules: a text that is not a file on disk (a fence, a test).
    pub(crate) fn none() -> Self {
        Self::default()
    }

    /// The modules beside the file at `path` (as the CLI or the editor names it); none for
    /// standard input (`-`).
    pub(crate) fn of(path: &str) -> Self {
        let dir = (!path.is_empty() && path != "-")
            .then(|| Path::new(path).parent())
            .flatten()
            .map(|dir| match dir.as_os_str().is_empty() {
                true => PathBuf::from("."),
                false => dir.to_owned(),
            });
        Self {
            dir,
            modules: RefCell::default(),
        }
    }

    /// The constant `name` of the first of `files` (names in the directory, in the order the
    /// language looks for them) that exists.
    pub(crate) fn constant(&self, files: &[String], name: &str) -> Option<Constant> {
        let dir = self.dir.as_ref()?;
        for file in files {
            let module = self
                .modules
                .borrow_mut()
                .entry(file.clone())
                .or_insert_with(|| read(&dir.join(file), file).map(Rc::new))
                .clone();
            if let Some(module) = module {
                return module.get(name).cloned();
            }
        }
        None
    }
}

/// The kinds of file whose constants another file may import: a change to one of these on
/// disk can change the findings of the files beside it (the language server analyses them
/// again).
pub(crate) const MODULE_KINDS: [FileKind; 4] = [
    FileKind::Python,
    FileKind::JavaScript,
    FileKind::TypeScript,
    FileKind::Tsx,
];

/// The constants of the module at `path`, named `file` in origins.
fn read(path: &Path, file: &str) -> Option<Module> {
    let kind = FileKind::from_path(path)?;
    let text = read_small_file(path).ok()?;
    let found: Vec<(String, Value, TextRange)> = match kind {
        FileKind::Python => python::constants(&text),
        FileKind::JavaScript => javascript::constants(&text, Flavor::JavaScript),
        FileKind::TypeScript => javascript::constants(&text, Flavor::TypeScript),
        FileKind::Tsx => javascript::constants(&text, Flavor::Tsx),
        _ => return None,
    };
    let lines = LineIndex::new(&text);
    Some(
        found
            .into_iter()
            .map(|(name, value, range)| {
                let line = lines.line_of(range.start as usize) + 1;
                let origin = format!("{file}, line {line}");
                (name, Constant { value, origin })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_literal_constants_of_modules_beside_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let py = "import os\nMODEL = \"claude-opus-5\"\nMAX = 1024\nTWICE = 1\nTWICE = 2\nKEY = os.environ[\"K\"]\ndef f():\n    LOCAL = 1\n";
        std::fs::write(dir.path().join("config.py"), py).unwrap();
        let ts = "export const MODEL = \"claude-sonnet-5\";\nconst HIDDEN = 1;\nexport let STREAM = true;\n";
        std::fs::write(dir.path().join("settings.ts"), ts).unwrap();
        std::fs::create_dir(dir.path().join("dir.py")).unwrap();
        let main = dir.path().join("main.py");
        let siblings = Siblings::of(main.to_str().unwrap());
        let py_files = ["config.py".to_owned()];
        let model = siblings.constant(&py_files, "MODEL").unwrap();
        assert_eq!(model.value, Value::String("claude-opus-5".into()));
        assert_eq!(model.origin, "config.py, line 2");
        assert_eq!(
            siblings.constant(&py_files, "MAX").unwrap().value,
            Value::Number(1024.into())
        );
        for name in ["TWICE", "KEY", "LOCAL", "os", "f", "ABSENT"] {
            assert!(siblings.constant(&py_files, name).is_none(), "{name}");
        }
        let ts_files = ["settings.js".to_owned(), "settings.ts".to_owned()];
        let model = siblings.constant(&ts_files, "MODEL").unwrap();
        assert_eq!(model.origin, "settings.ts, line 1");
        assert_eq!(
            siblings.constant(&ts_files, "STREAM").unwrap().value,
            Value::Bool(true)
        );
        // Not exported, so not importable.
        assert!(siblings.constant(&ts_files, "HIDDEN").is_none());
        // A directory is not read; standard input has no directory.
        assert!(siblings.constant(&["dir.py".into()], "X").is_none());
        assert!(Siblings::of("-").constant(&py_files, "MODEL").is_none());
    }
}
