//! Globs in .gitignore style, relative to the configuration's directory (see the module docs of
//! [`crate::config`]).

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use toml::Spanned;

use super::error::{ConfigError, Source};

/// Globs in .gitignore style (see the module docs).
#[derive(Debug, Clone)]
pub(super) struct Globs {
    /// Globs with a `/`: matched against the path relative to the configuration's directory.
    anchored: GlobSet,
    /// Globs without one: matched against a file or directory name.
    names: GlobSet,
}

/// Where a path lies as globs see it.
pub(super) enum Place {
    /// Under the configuration's directory: the relative path, `/`-separated.
    Inside(String),
    /// Elsewhere (a `--config` file in another directory): only the name can match.
    Outside(String),
}

impl Globs {
    /// Compiles the globs of `key`, each an error at its place when it cannot match.
    pub(super) fn new(
        patterns: &[Spanned<String>],
        key: &str,
        source: &Source,
    ) -> Result<Self, ConfigError> {
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

    /// True when there are no globs.
    pub(super) fn is_empty(&self) -> bool {
        self.anchored.is_empty() && self.names.is_empty()
    }

    /// True when `rel` (relative, `/`-separated) itself matches.
    fn matches_itself(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.anchored.is_match(rel) || self.names.is_match(name)
    }

    /// True when the path matches, or (`within`) any directory above it inside the
    /// configuration's directory does.
    pub(super) fn matches(&self, place: &Place, within: bool) -> bool {
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::tests::parse;

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

    /// Where these globs differ from what `ignore::gitignore` would do with the same lines,
    /// the configuration's meaning wins: each case below is one `gitignore` reads otherwise.
    #[test]
    fn edge_cases_keep_their_meaning() {
        let config = parse(
            r##"exclude = ["out/", "!keep", "#hash", "trail ", "./*.gen.json", "count_tokens/**", "a/**/b", "**/x.json"]"##,
        )
        .unwrap();
        let excluded = |rel: &str| config.excludes(&Path::new("/project").join(rel));
        assert!(excluded("out"), "a trailing `/` also matches a file");
        assert!(excluded("x/out"), "and the glob still matches at any depth");
        assert!(
            excluded("!keep"),
            "a leading `!` is a character, not a negation"
        );
        assert!(!excluded("keep"));
        assert!(
            excluded("#hash"),
            "a leading `#` is a character, not a comment"
        );
        assert!(excluded("trail "), "a trailing space is kept");
        assert!(!excluded("trail"));
        assert!(
            excluded("deep/a.gen.json"),
            "a leading `./` is dropped, leaving a name glob"
        );
        assert!(excluded("count_tokens/a/b.json"), "`/**` matches inside");
        assert!(
            !excluded("count_tokens"),
            "`/**` does not match the directory itself"
        );
        assert!(excluded("a/b"), "`/**/` matches zero directories");
        assert!(excluded("a/c/d/b"));
        assert!(!excluded("x/a/b"), "a glob with a `/` is anchored");
        assert!(excluded("deep/x.json"), "`**/` matches at any depth");
        assert!(
            !config.excludes(Path::new("/elsewhere/x.json")),
            "outside the directory, only globs without `/` match"
        );
        assert!(config.excludes(Path::new("/elsewhere/!keep")));
        let within = parse(r#"include = ["out/", "a/**/b"]"#).unwrap();
        let included = |rel: &str| within.includes(&Path::new("/project").join(rel));
        assert!(
            included("out/x.req"),
            "a matching directory matches what it holds"
        );
        assert!(included("y/out/z/x.req"));
        assert!(included("a/c/b/x.req"));
        assert!(!included("a/c/x.req"));
        assert_eq!(
            parse(r#"exclude = ["/"]"#)
                .map(|_| ())
                .unwrap_err()
                .to_string(),
            "/project/claude-preflight.toml:1:12: an empty glob in `exclude` matches nothing"
        );
    }
}
