//! An estimate of a PDF's page count from its bytes, without a PDF library.
//!
//! A small tokenizer walks the file's objects (`12 0 obj ... endobj`), skipping strings,
//! comments and stream contents, and notes two things: the objects whose dictionary says
//! `/Type /Page` (not `/Pages`), and the `/Count` of each page-tree node (`/Type /Pages`). An
//! object defined again by an incremental update counts once, as its last definition says. The
//! estimate is the number of page objects, capped by the largest page-tree `/Count` (orphaned
//! page objects that an editor left behind are not pages).
//!
//! It is an estimate, and a low one when in doubt: PDF 1.5 files that keep their objects in
//! compressed object streams show neither, and count as 0 pages. A rule that compares it with a
//! limit therefore never reports a PDF that is within the limit.

use std::collections::{HashMap, HashSet};

use memchr::memmem;

/// Longest token kept; longer ones are of no interest and are only skipped.
const MAX_TOKEN: usize = 24;

/// A `/Count` above this is garbage, not a page tree.
const MAX_PLAUSIBLE_COUNT: u64 = 10_000_000;

/// Counts the pages of a PDF fed to it in chunks of any size.
#[derive(Debug, Default)]
pub struct PageCounter {
    state: State,
    token: Vec<u8>,
    token_too_long: bool,
    /// The last two tokens, the most recent last.
    recent: [Token; 2],
    /// The object being read, by number.
    object: Option<u64>,
    object_is_page: bool,
    object_is_tree: bool,
    object_count: Option<u64>,
    /// Page objects by number.
    pages: HashSet<u64>,
    /// Page dictionaries outside any object (none in a well-formed file).
    loose_pages: u64,
    /// The `/Count` of each page-tree node, by object number.
    tree_counts: HashMap<u64, u64>,
    /// The end of the previous chunk while inside a stream, for an `endstream` split across
    /// two chunks.
    carry: Vec<u8>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    #[default]
    Normal,
    Comment,
    /// Inside a literal string `( ... )`, with its nesting depth.
    String {
        depth: u32,
        escaped: bool,
    },
    /// Inside stream data, looking for `endstream`.
    Stream,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Token {
    Int(u64),
    Type,
    Page,
    Pages,
    Count,
    #[default]
    Other,
}

impl PageCounter {
    /// A counter that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next chunk of the file.
    pub fn feed(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match self.state {
                State::Stream => {
                    i = self.skip_stream(bytes, i);
                    continue;
                }
                State::Comment => {
                    if b == b'\r' || b == b'\n' {
                        self.state = State::Normal;
                    }
                }
                State::String { depth, escaped } => {
                    self.state = match (escaped, b) {
                        (true, _) => State::String {
                            depth,
                            escaped: false,
                        },
                        (false, b'\\') => State::String {
                            depth,
                            escaped: true,
                        },
                        (false, b'(') => State::String {
                            depth: depth + 1,
                            escaped: false,
                        },
                        (false, b')') if depth == 1 => State::Normal,
                        (false, b')') => State::String {
                            depth: depth - 1,
                            escaped: false,
                        },
                        _ => State::String { depth, escaped },
                    };
                }
                State::Normal => self.normal(b),
            }
            i += 1;
        }
    }

    fn normal(&mut self, b: u8) {
        match b {
            b'\0' | b'\t' | b'\n' | b'\x0C' | b'\r' | b' ' => self.end_token(),
            b'%' => {
                self.end_token();
                self.state = State::Comment;
            }
            b'(' => {
                self.end_token();
                self.push(Token::Other);
                self.state = State::String {
                    depth: 1,
                    escaped: false,
                };
            }
            b'/' => {
                self.end_token();
                self.token.push(b'/');
            }
            b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' => {
                self.end_token();
                self.push(Token::Other);
            }
            _ if self.token.len() < MAX_TOKEN => self.token.push(b),
            _ => self.token_too_long = true,
        }
    }

    fn end_token(&mut self) {
        if self.token.is_empty() {
            return;
        }
        let token = if self.token_too_long {
            Token::Other
        } else {
            match self.token.as_slice() {
                b"/Type" => Token::Type,
                b"/Page" => Token::Page,
                b"/Pages" => Token::Pages,
                b"/Count" => Token::Count,
                b"obj" => {
                    if let [Token::Int(number), Token::Int(_generation)] = self.recent {
                        self.commit();
                        self.object = Some(number);
                    }
                    Token::Other
                }
                b"endobj" => {
                    self.commit();
                    Token::Other
                }
                b"stream" => {
                    self.state = State::Stream;
                    self.carry.clear();
                    Token::Other
                }
                digits if digits.iter().all(u8::is_ascii_digit) => {
                    // At most MAX_TOKEN digits: parsing can only overflow, never fail.
                    std::str::from_utf8(digits)
                        .ok()
                        .and_then(|d| d.parse().ok())
                        .map_or(Token::Other, Token::Int)
                }
                _ => Token::Other,
            }
        };
        self.token.clear();
        self.token_too_long = false;
        match (self.recent[1], token) {
            (Token::Type, Token::Page) => match self.object {
                Some(_) => self.object_is_page = true,
                None => self.loose_pages += 1,
            },
            (Token::Type, Token::Pages) => self.object_is_tree = true,
            (Token::Count, Token::Int(n)) => self.object_count = Some(n),
            _ => {}
        }
        self.push(token);
    }

    fn push(&mut self, token: Token) {
        self.recent = [self.recent[1], token];
    }

    /// Records the object just read; a later definition of the same number replaces it.
    fn commit(&mut self) {
        if let Some(number) = self.object.take() {
            if self.object_is_page {
                self.pages.insert(number);
            } else {
                self.pages.remove(&number);
            }
            match self.object_count.filter(|&n| n <= MAX_PLAUSIBLE_COUNT) {
                Some(count) if self.object_is_tree => {
                    self.tree_counts.insert(number, count);
                }
                _ => {
                    self.tree_counts.remove(&number);
                }
            }
        }
        self.object_is_page = false;
        self.object_is_tree = false;
        self.object_count = None;
    }

    /// Skips stream data from `bytes[start..]`; returns where reading resumes.
    fn skip_stream(&mut self, bytes: &[u8], start: usize) -> usize {
        const END: &[u8] = b"endstream";
        let rest = &bytes[start..];
        let mut carry = std::mem::take(&mut self.carry);
        let carried = carry.len();
        if carried > 0 {
            carry.extend_from_slice(&rest[..rest.len().min(END.len() - 1)]);
            if let Some(at) = memmem::find(&carry, END) {
                self.leave_stream();
                return start + (at + END.len()).saturating_sub(carried);
            }
            carry.truncate(carried);
        }
        match memmem::find(rest, END) {
            Some(at) => {
                self.leave_stream();
                start + at + END.len()
            }
            None => {
                // Keep the last bytes seen, across as many short chunks as it takes.
                carry.extend_from_slice(rest);
                let keep_from = carry.len().saturating_sub(END.len() - 1);
                carry.drain(..keep_from);
                self.carry = carry;
                bytes.len()
            }
        }
    }

    fn leave_stream(&mut self) {
        self.state = State::Normal;
        self.carry.clear();
        self.push(Token::Other);
    }

    /// The page-count estimate for everything fed so far.
    pub fn estimate(mut self) -> u64 {
        self.end_token();
        self.commit();
        let objects = self.pages.len() as u64 + self.loose_pages;
        match self.tree_counts.values().max() {
            Some(&count) if objects > 0 => objects.min(count),
            Some(&count) => count,
            None => objects,
        }
    }
}

/// Estimates the page count of a whole PDF given as consecutive chunks.
pub fn count_pages<C: AsRef<[u8]>>(chunks: impl IntoIterator<Item = C>) -> u64 {
    let mut counter = PageCounter::new();
    for chunk in chunks {
        counter.feed(chunk.as_ref());
    }
    counter.estimate()
}

/// A minimal PDF with `pages` pages: a catalog, a page tree and one page object per page, each
/// page with a content stream (whose data mentions `/Type /Page`, which must not count).
#[cfg(test)]
pub(crate) fn sample(pages: usize) -> Vec<u8> {
    let mut pdf =
        b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            .to_vec();
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 3 + 2 * i)).collect();
    pdf.extend(
        format!(
            "2 0 obj\n<< /Type /Pages /Kids [{}] /Count {pages} >>\nendobj\n",
            kids.join(" ")
        )
        .bytes(),
    );
    for i in 0..pages {
        let page = 3 + 2 * i;
        pdf.extend(
            format!(
                "{page} 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents {} 0 R>>\nendobj\n{} 0 obj\n<< /Length 23 >>\nstream\n(/Type /Page) Tj endobj\nendstream\nendobj\n",
                page + 1,
                page + 1
            )
            .bytes(),
        );
    }
    pdf.extend(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n");
    pdf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_page_objects_not_page_trees_or_stream_data() {
        assert_eq!(count_pages([sample(3)]), 3);
        assert_eq!(count_pages([sample(0)]), 0);
        assert_eq!(count_pages([sample(120)]), 120);
    }

    #[test]
    fn chunk_boundaries_do_not_matter() {
        let pdf = sample(7);
        for size in [1, 2, 5, 9, 64] {
            assert_eq!(count_pages(pdf.chunks(size)), 7, "chunks of {size}");
        }
    }

    #[test]
    fn an_incremental_update_redefines_objects() {
        let mut pdf = sample(2);
        // The update rewrites page 3 0 obj: still two pages.
        pdf.extend(b"3 0 obj\n<< /Type /Page /Parent 2 0 R /Rotate 90 >>\nendobj\n%%EOF\n");
        assert_eq!(count_pages([&pdf]), 2);
        // A page deleted by an update: the tree's new /Count caps the orphaned page object.
        pdf.extend(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n%%EOF\n");
        assert_eq!(count_pages([&pdf]), 1);
    }

    #[test]
    fn strings_and_comments_are_not_read_as_dictionaries() {
        let pdf = b"%PDF-1.4\n% /Type /Page\n1 0 obj\n<< /Title (a /Type /Page \\) (nested)) >>\nendobj\n";
        assert_eq!(count_pages([pdf]), 0);
    }

    #[test]
    fn compressed_object_streams_count_as_zero() {
        let pdf = b"%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 3 /Length 9 >>\nstream\nx\x9c\x01\x02\x03\nendstream\nendobj\n";
        assert_eq!(count_pages([pdf]), 0);
    }
}
