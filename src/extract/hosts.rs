//! One home per host language: everything the crate needs to know about a kind of file, in one
//! table. `check` picks files by [`HostSpec::extensions`], the language server by
//! [`HostSpec::language_ids`], suppressions live in [`HostSpec::comment`]s and documents are found
//! by [`HostSpec::parse`] (which gives each its fix renderer). Adding a host is one
//! row here (ARCHITECTURE.md, "Adding a host").

use super::files::{Document, FileKind};
use super::javascript::{self, Flavor};
use super::siblings::Siblings;
use super::{langchain, markdown, notebook, python, shell};

/// What the crate knows about one kind of file.
#[derive(Debug)]
pub(crate) struct HostSpec {
    /// The kind this row describes.
    pub kind: FileKind,
    /// Its name in `check --help` and in messages.
    pub name: &'static str,
    /// The file name extensions it is read from, lower case, without the dot.
    pub extensions: &'static [&'static str],
    /// The language ids editors send for it (`typescriptreact`, `shellscript`).
    pub language_ids: &'static [&'static str],
    /// The line comment marker a suppression is written after; `None` when the host has no
    /// comments a request may carry.
    pub comment: Option<&'static str>,
    /// How its documents are found.
    pub parse: Parse,
}

/// How a host's text becomes documents.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Parse {
    /// One JSON or JSONC body.
    Json,
    /// One JSON body per line.
    JsonLines,
    /// One body per YAML document.
    Yaml,
    /// Requests found in source code, given the modules beside the file its code may import
    /// constants from; a text without a Claude word is skipped unparsed.
    Code(fn(&str, &Siblings) -> Vec<Document>),
}

/// Builds [`HOSTS`], one row per host: kind, name, extensions, language ids, comment marker,
/// and how documents are found.
macro_rules! hosts {
    ($($kind:ident $name:literal [$($ext:literal),*] [$($id:literal),*] $comment:expr, $parse:expr;)*) => {
        /// Every host, in the order of [`FileKind`]'s variants (a test checks it).
        pub(crate) const HOSTS: &[HostSpec] = &[$(HostSpec {
            kind: FileKind::$kind,
            name: $name,
            extensions: &[$($ext),*],
            language_ids: &[$($id),*],
            comment: $comment,
            parse: $parse,
        }),*];
    };
}

// A curl body is JSON in shell quotes; Markdown and notebooks embed other hosts, whose
// documents carry their own renderer, and have no comment a suppression may live in.
hosts! {
    Json "JSON" ["json", "jsonc", "har"] ["json", "jsonc"] None, Parse::Json;
    JsonLines "JSON Lines" ["jsonl", "ndjson"] ["jsonl", "jsonlines", "ndjson"] None, Parse::JsonLines;
    Yaml "YAML" ["yaml", "yml"] ["yaml"] Some("#"), Parse::Yaml;
    Python "Python" ["py", "pyi"] ["python"] Some("#"), Parse::Code(python_code);
    JavaScript "JavaScript" ["js", "mjs", "cjs", "jsx"] ["javascript", "javascriptreact"] Some("//"),
        Parse::Code(|text, siblings| javascript_code(text, Flavor::JavaScript, siblings));
    TypeScript "TypeScript" ["ts", "mts", "cts"] ["typescript"] Some("//"),
        Parse::Code(|text, siblings| javascript_code(text, Flavor::TypeScript, siblings));
    Tsx "TSX" ["tsx"] ["typescriptreact"] Some("//"), Parse::Code(|text, siblings| javascript_code(text, Flavor::Tsx, siblings));
    Shell "shell" ["sh", "bash", "zsh"] ["shellscript", "sh", "bash", "zsh"] Some("#"), Parse::Code(|text, _| shell::extract(text, None));
    Markdown "Markdown" ["md", "markdown"] ["markdown"] None, Parse::Code(|text, _| markdown::extract(text));
    Notebook "Jupyter notebooks" ["ipynb"] ["jupyter", "ipynb"] None, Parse::Code(notebook::extract);
}

/// Python code's documents: its SDK calls and the model references of its LangChain calls.
/// Notebook cells and Markdown fences run it too, so each finds what a `.py` file would.
pub(crate) fn python_code(text: &str, siblings: &Siblings) -> Vec<Document> {
    let mut documents = python::extract(text, siblings);
    documents.extend(langchain::extract(text, FileKind::Python));
    documents
}

/// JavaScript or TypeScript code's documents, as [`python_code`] for Python.
fn javascript_code(text: &str, flavor: Flavor, siblings: &Siblings) -> Vec<Document> {
    let mut documents = javascript::extract(text, flavor, siblings);
    documents.extend(langchain::extract(text, flavor.kind()));
    documents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_kinds_and_names_are_unique() {
        for (at, host) in HOSTS.iter().enumerate() {
            assert_eq!(host.kind as usize, at, "{}", host.name);
            assert_eq!(host.kind.spec().name, host.name);
        }
        let mut extensions: Vec<&str> = HOSTS.iter().flat_map(|h| h.extensions).copied().collect();
        let mut ids: Vec<&str> = HOSTS.iter().flat_map(|h| h.language_ids).copied().collect();
        let (count, ids_count) = (extensions.len(), ids.len());
        extensions.sort();
        extensions.dedup();
        ids.sort();
        ids.dedup();
        assert_eq!((extensions.len(), ids.len()), (count, ids_count));
    }
}
