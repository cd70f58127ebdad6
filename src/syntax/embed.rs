//! Text embedded in a host's quoting: a JSON body inside shell quotes, a notebook cell inside a
//! JSON string, a Markdown fence inside a list. The embedded text is decoded into a string of
//! its own, parsed there, and every range is mapped back to the host file; a fix rendered on
//! the decoded text is mapped back too, its new text quoted the way its place in the host is.

use super::tree::TextRange;

/// How text written at one place of the host is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quoting {
    /// Written as is (a quoted heredoc, a Markdown fence).
    Verbatim,
    /// Inside shell single quotes: a `'` is written `'\''`.
    ShellSingle,
    /// Inside shell double quotes: `"`, `\`, `$` and `` ` `` take a backslash.
    ShellDouble,
    /// An unquoted shell word: every shell special character takes a backslash.
    ShellWord,
    /// A heredoc whose delimiter is unquoted: `\`, `$` and `` ` `` take a backslash.
    Heredoc,
    /// Inside a JSON string (a notebook cell's source), or a YAML double-quoted one, which
    /// reads every escape JSON writes.
    JsonString,
    /// Inside a YAML single-quoted string: a `'` is written `''`. Only JSON is quoted into one
    /// (a recorded request body), where a line break is white space: it is written as a space,
    /// since a line break of its own would fold.
    YamlSingle,
    /// The lines of a YAML literal block scalar (`|`), indented by this many spaces: each line
    /// break is followed by the indentation.
    Indented(u16),
}

impl Quoting {
    /// `text` written in this quoting.
    pub(crate) fn quote(self, text: &str) -> String {
        match self {
            Quoting::Verbatim => text.to_owned(),
            Quoting::ShellSingle => text.replace('\'', r"'\''"),
            Quoting::ShellDouble => backslash(text, &['"', '\\', '$', '`']),
            Quoting::ShellWord => backslash(
                text,
                &[
                    '"', '\\', '$', '`', '\'', ' ', '\t', '\n', '|', '&', ';', '(', ')', '<', '>',
                    '*', '?', '[', ']', '{', '}', '#', '~', '!',
                ],
            ),
            Quoting::Heredoc => backslash(text, &['\\', '$', '`']),
            Quoting::JsonString => {
                let json = serde_json::to_string(text).unwrap_or_default();
                json[1..json.len() - 1].to_owned()
            }
            Quoting::YamlSingle => text.replace('\'', "''").replace(['\r', '\n'], " "),
            Quoting::Indented(indent) => {
                let mut lines = String::from("\n");
                lines.extend(std::iter::repeat_n(' ', usize::from(indent)));
                text.replace('\n', &lines)
            }
        }
    }
}

fn backslash(text: &str, special: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if special.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One stretch of decoded text and where it is written.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// Where the stretch starts in the decoded text.
    decoded: u32,
    /// Its length there.
    decoded_len: u32,
    /// Where it is written in the host.
    host: u32,
    /// Its length there.
    host_len: u32,
    /// Written byte for byte (else one escape or splice that decodes to `decoded_len` bytes).
    verbatim: bool,
    /// The quoted piece it belongs to: an edit stays within one.
    piece: u32,
}

/// Decoded text with the way back to the host.
#[derive(Debug, Clone, Default)]
pub(crate) struct Decoded {
    /// The decoded text.
    pub text: String,
    runs: Vec<Run>,
    /// The quoting of each piece.
    pieces: Vec<Quoting>,
    /// Whether a splice (`$VAR`) was written into the text.
    pub spliced: bool,
}

/// The character a splice decodes to: a private-use character no request text holds by chance.
pub(crate) const SPLICE: char = '\u{E000}';

impl Decoded {
    /// An empty text with room for `len` decoded bytes: a decoder knows its result is about as
    /// long as what is written, and a long body is not grown step by step.
    pub(crate) fn with_capacity(len: usize) -> Self {
        Self {
            text: String::with_capacity(len),
            ..Self::default()
        }
    }

    /// Starts a new quoted piece; the runs pushed next belong to it.
    pub(crate) fn piece(&mut self, quoting: Quoting) {
        self.pieces.push(quoting);
    }

    fn push_run(&mut self, decoded: &str, host: std::ops::Range<usize>, verbatim: bool) {
        if decoded.is_empty() && host.is_empty() {
            return;
        }
        if self.pieces.is_empty() {
            self.pieces.push(Quoting::Verbatim);
        }
        let piece = (self.pieces.len() - 1) as u32;
        // Consecutive verbatim runs of one piece merge.
        if let Some(last) = self.runs.last_mut()
            && verbatim
            && last.verbatim
            && last.piece == piece
            && (last.host + last.host_len) as usize == host.start
        {
            last.decoded_len += decoded.len() as u32;
            last.host_len += host.len() as u32;
            self.text.push_str(decoded);
            return;
        }
        self.runs.push(Run {
            decoded: self.text.len() as u32,
            decoded_len: decoded.len() as u32,
            host: host.start as u32,
            host_len: host.len() as u32,
            verbatim,
            piece,
        });
        self.text.push_str(decoded);
    }

    /// Appends text written as is at `host`.
    pub(crate) fn verbatim(&mut self, text: &str, host: usize) {
        self.push_run(text, host..host + text.len(), true);
    }

    /// Appends the text one escape written at `host` stands for.
    pub(crate) fn escape(&mut self, decoded: &str, host: std::ops::Range<usize>) {
        self.push_run(decoded, host, false);
    }

    /// Appends a splice written at `host`: a value known only at run time.
    pub(crate) fn splice(&mut self, host: std::ops::Range<usize>) {
        self.spliced = true;
        self.push_run(SPLICE.encode_utf8(&mut [0; 4]), host, false);
    }

    /// The run holding decoded byte `at`.
    fn run_at(&self, at: u32) -> Option<&Run> {
        let i = self
            .runs
            .partition_point(|r| r.decoded + r.decoded_len <= at);
        self.runs.get(i).filter(|r| r.decoded <= at)
    }

    /// Where decoded position `at` (a start) is in the host.
    fn start_in_host(&self, at: u32) -> u32 {
        match self.run_at(at) {
            Some(run) if run.verbatim => run.host + (at - run.decoded),
            Some(run) => run.host,
            None => self.runs.last().map_or(0, |r| r.host + r.host_len),
        }
    }

    /// Where decoded position `at` (an end) is in the host.
    fn end_in_host(&self, at: u32) -> u32 {
        if at == 0 {
            return self.start_in_host(0);
        }
        match self.run_at(at - 1) {
            Some(run) if run.verbatim => run.host + (at - run.decoded),
            Some(run) => run.host + run.host_len,
            None => self.start_in_host(at),
        }
    }

    /// A decoded range as a host range.
    pub(crate) fn to_host(&self, range: TextRange) -> TextRange {
        if range.is_empty() {
            let at = self.start_in_host(range.start);
            return TextRange { start: at, end: at };
        }
        TextRange {
            start: self.start_in_host(range.start),
            end: self.end_in_host(range.end),
        }
    }

    /// A host position as a decoded one; `None` inside an escape or outside the text.
    fn decoded_at(&self, at: u32) -> Option<u32> {
        let i = self.runs.partition_point(|r| r.host + r.host_len < at);
        let run = self.runs.get(i)?;
        if at < run.host {
            return None;
        }
        let offset = at - run.host;
        if run.verbatim {
            Some(run.decoded + offset)
        } else if offset == 0 {
            Some(run.decoded)
        } else if offset == run.host_len {
            Some(run.decoded + run.decoded_len)
        } else {
            None
        }
    }

    /// A host range as a decoded one.
    pub(crate) fn to_decoded(&self, range: TextRange) -> Option<TextRange> {
        Some(TextRange {
            start: self.decoded_at(range.start)?,
            end: self.decoded_at(range.end)?,
        })
    }

    /// The quoting a decoded range is written in, when the whole range lies in one piece.
    pub(crate) fn quoting(&self, range: TextRange) -> Option<Quoting> {
        let first = self.run_at(range.start).or_else(|| self.runs.last())?;
        let last = if range.is_empty() {
            first
        } else {
            self.run_at(range.end - 1)?
        };
        (first.piece == last.piece).then(|| self.pieces[first.piece as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_ranges_both_ways_around_escapes() {
        // Host: `"a\"b$X"` → decoded `a"b<splice>`.
        let host = r#""a\"b$X""#;
        let mut d = Decoded::default();
        d.piece(Quoting::ShellDouble);
        d.verbatim("a", 1);
        d.escape("\"", 2..4);
        d.verbatim("b", 4);
        d.splice(5..7);
        assert_eq!(d.text, format!("a\"b{SPLICE}"));
        assert!(d.spliced);
        let all = d.to_host(TextRange::new(0, d.text.len()));
        assert_eq!(&host[all.to_range()], r#"a\"b$X"#);
        assert_eq!(d.to_host(TextRange::new(1, 2)), TextRange::new(2, 4));
        assert_eq!(
            d.to_decoded(TextRange::new(2, 4)),
            Some(TextRange::new(1, 2))
        );
        assert_eq!(d.to_decoded(TextRange::new(3, 4)), None);
        assert_eq!(d.quoting(TextRange::new(0, 3)), Some(Quoting::ShellDouble));
        assert_eq!(Quoting::ShellSingle.quote("it's"), r"it'\''s");
        assert_eq!(Quoting::ShellDouble.quote("a\"$"), r#"a\"\$"#);
        assert_eq!(Quoting::JsonString.quote("x\n\"y\""), r#"x\n\"y\""#);
        assert_eq!(
            Quoting::YamlSingle.quote("{\n  \"it's\": 1}"),
            "{   \"it''s\": 1}"
        );
        assert_eq!(
            Quoting::Indented(4).quote(",\n  \"a\": 1"),
            ",\n      \"a\": 1"
        );
    }
}
