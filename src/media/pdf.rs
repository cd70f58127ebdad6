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
//!
//! For the token estimate, [`contents`] also reads what the pages show: the text of each
//! content stream (the strings its text objects, `BT ... ET`, draw; streams stored plain or
//! with `/FlateDecode` only) and the number of image XObjects. Fonts, images, metadata and
//! cross-reference streams are never decoded.

use std::collections::{HashMap, HashSet};

use memchr::memmem;
use miniz_oxide::inflate::decompress_to_vec_zlib_with_limit;

/// Longest token kept; longer ones are of no interest and are only skipped.
const MAX_TOKEN: usize = 24;

/// A `/Count` above this is garbage, not a page tree.
const MAX_PLAUSIBLE_COUNT: u64 = 10_000_000;

/// The most bytes one content stream is kept or decoded to; a larger one is not read.
const MAX_STREAM_BYTES: usize = 8 << 20;

/// The most text kept from one PDF: enough to estimate its tokens within the API's limits.
const MAX_TEXT_BYTES: usize = 4 << 20;

/// What a PDF's bytes say about its content, for the token estimate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Contents {
    /// The page-count estimate, as [`count_pages`] gives it.
    pub pages: u64,
    /// The text its content streams draw (lossily decoded; hex strings as their bytes), cut
    /// at a few MB.
    pub text: String,
    /// Image XObjects: pages that show an image are rasterised with it.
    pub images: u64,
    /// Content streams read: 0 when the text could not be seen (other filters, compressed
    /// object streams), so an empty `text` says nothing.
    pub streams_read: u64,
}

/// Counts the pages of a PDF fed to it in chunks of any size.
#[derive(Debug, Default)]
pub(crate) struct PageCounter {
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
    /// What the content streams show, when the caller asked for it.
    content: Option<ContentReader>,
}

/// What [`contents`] reads besides the pages.
#[derive(Debug, Default)]
struct ContentReader {
    /// The current object's dictionary says it is an image XObject.
    image: bool,
    /// The current object's stream is not a page's content (a font, metadata, an object or
    /// cross-reference stream) or is encoded with a filter other than `/FlateDecode`.
    not_content: bool,
    /// The current object's stream is `/FlateDecode`d.
    flate: bool,
    /// The bytes of the stream being read, `None` when it is not kept.
    stream: Option<Vec<u8>>,
    found: Contents,
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
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A counter that also reads the text and images of the pages ([`contents`]).
    fn reading_content() -> Self {
        Self {
            content: Some(ContentReader::default()),
            ..Self::default()
        }
    }

    /// Feeds the next chunk of the file.
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
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
                name if name.starts_with(b"/") => {
                    if let Some(reader) = &mut self.content {
                        reader.name(name);
                    }
                    Token::Other
                }
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
                    if let Some(reader) = &mut self.content {
                        reader.enter_stream();
                    }
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
        if let Some(reader) = &mut self.content {
            reader.end_object();
        }
    }

    /// Skips stream data from `bytes[start..]`, keeping it when the stream is content;
    /// returns where reading resumes.
    fn skip_stream(&mut self, bytes: &[u8], start: usize) -> usize {
        let end = self.find_stream_end(bytes, start);
        if let Some(reader) = &mut self.content {
            reader.keep(&bytes[start..end], self.state == State::Normal);
        }
        end
    }

    /// Where the stream data in `bytes[start..]` ends (after `endstream`), or the end of the
    /// chunk; leaves the stream state when it found the end.
    fn find_stream_end(&mut self, bytes: &[u8], start: usize) -> usize {
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
    pub(crate) fn estimate(mut self) -> u64 {
        self.end_token();
        self.commit();
        self.pages_found()
    }

    fn pages_found(&self) -> u64 {
        let objects = self.pages.len() as u64 + self.loose_pages;
        match self.tree_counts.values().max() {
            Some(&count) if objects > 0 => objects.min(count),
            Some(&count) => count,
            None => objects,
        }
    }
}

/// Estimates the page count of a whole PDF given as consecutive chunks.
pub(crate) fn count_pages<C: AsRef<[u8]>>(chunks: impl IntoIterator<Item = C>) -> u64 {
    let mut counter = PageCounter::new();
    for chunk in chunks {
        counter.feed(chunk.as_ref());
    }
    counter.estimate()
}

/// Reads the pages, text and images of a whole PDF given as consecutive chunks.
pub(crate) fn contents<C: AsRef<[u8]>>(chunks: impl IntoIterator<Item = C>) -> Contents {
    let mut counter = PageCounter::reading_content();
    for chunk in chunks {
        counter.feed(chunk.as_ref());
    }
    counter.end_token();
    counter.commit();
    let pages = counter.pages_found();
    let mut found = counter.content.take().unwrap_or_default().found;
    found.pages = pages;
    found
}

impl ContentReader {
    /// Notes a name in the current object's dictionary.
    fn name(&mut self, name: &[u8]) {
        match name {
            b"/Image" => self.image = true,
            b"/FlateDecode" => self.flate = true,
            // Fonts, metadata, object and cross-reference streams, embedded files, colour
            // profiles, and every filter this does not decode.
            b"/Length1" | b"/Length2" | b"/Length3" | b"/FontFile" | b"/Type1C"
            | b"/CIDFontType0C" | b"/OpenType" | b"/Metadata" | b"/ObjStm" | b"/XRef"
            | b"/EmbeddedFile" | b"/Alternate" | b"/DecodeParms" | b"/DCTDecode"
            | b"/JPXDecode" | b"/LZWDecode" | b"/ASCII85Decode" | b"/ASCIIHexDecode"
            | b"/RunLengthDecode" | b"/CCITTFaxDecode" | b"/JBIG2Decode" | b"/Crypt" => {
                self.not_content = true;
            }
            _ => {}
        }
    }

    fn enter_stream(&mut self) {
        if self.image {
            self.found.images += 1;
        }
        let keep = !self.image && !self.not_content;
        self.stream = keep.then(Vec::new);
    }

    /// Keeps `bytes` of the stream; `ended`: they end with `endstream`.
    fn keep(&mut self, bytes: &[u8], ended: bool) {
        if let Some(stream) = &mut self.stream {
            if stream.len() + bytes.len() > MAX_STREAM_BYTES + 16 {
                self.stream = None;
            } else {
                stream.extend_from_slice(bytes);
            }
        }
        if ended && let Some(stream) = self.stream.take() {
            self.read_stream(&stream);
        }
    }

    /// Decodes one kept stream (its data then `endstream`) and adds the text it draws.
    fn read_stream(&mut self, kept: &[u8]) {
        let data = kept.strip_suffix(b"endstream").unwrap_or(kept);
        let data = data.strip_prefix(b"\r\n").unwrap_or(data);
        let data = data.strip_prefix(b"\n").unwrap_or(data);
        let decoded = if self.flate {
            // The end of line before `endstream` is not data, but a zlib stream may end in a
            // byte that looks like one.
            let trimmed = data.strip_suffix(b"\n").unwrap_or(data);
            let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
            let Some(decoded) = [trimmed, data]
                .into_iter()
                .find_map(|d| decompress_to_vec_zlib_with_limit(d, MAX_STREAM_BYTES).ok())
            else {
                return;
            };
            decoded
        } else {
            data.to_vec()
        };
        let room = MAX_TEXT_BYTES.saturating_sub(self.found.text.len());
        if let Some(text) = drawn_text(&decoded, room) {
            self.found.streams_read += 1;
            self.found.text.push_str(&text);
        }
    }

    fn end_object(&mut self) {
        self.image = false;
        self.not_content = false;
        self.flate = false;
        self.stream = None;
    }
}

/// The text a content stream draws: the strings inside its text objects (`BT ... ET`), up to
/// `room` bytes; `None` when the data is not a content stream (binary, or no operators).
fn drawn_text(data: &[u8], room: usize) -> Option<String> {
    let printable = data
        .iter()
        .filter(|&&b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        .count();
    if data.is_empty() || printable * 10 < data.len() * 9 {
        return None;
    }
    let mut text = Vec::new();
    let mut in_text = false;
    let mut i = 0;
    while i < data.len() && text.len() < room {
        match data[i] {
            b'(' => {
                let (string, next) = literal_string(data, i + 1);
                if in_text {
                    text.extend(string);
                    text.push(b' ');
                }
                i = next;
            }
            b'<' if data.get(i + 1) != Some(&b'<') => {
                let end = data[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |p| i + p);
                if in_text {
                    let digits = data[i + 1..end]
                        .iter()
                        .filter(|b| b.is_ascii_hexdigit())
                        .count();
                    // A glyph code per two hex digits: each is one character of text.
                    text.extend(std::iter::repeat_n(b'x', digits / 2));
                    text.push(b' ');
                }
                i = end + 1;
            }
            b'%' => {
                i += data[i..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .unwrap_or(data.len() - i);
            }
            _ => {
                let start = i;
                while i < data.len() && data[i].is_ascii_alphabetic() {
                    i += 1;
                }
                match &data[start..i] {
                    b"BT" => in_text = true,
                    b"ET" => in_text = false,
                    _ => {}
                }
                i = i.max(start + 1);
            }
        }
    }
    text.truncate(room);
    Some(String::from_utf8_lossy(&text).into_owned())
}

/// The bytes of a literal string whose `(` ends before `start`, escapes resolved to one byte
/// each; and where the data resumes after its `)`.
fn literal_string(data: &[u8], start: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut depth = 1;
    let mut i = start;
    while i < data.len() {
        match data[i] {
            b'\\' => {
                i += 1;
                let digits = data[i..]
                    .iter()
                    .take(3)
                    .take_while(|b| (b'0'..=b'7').contains(b))
                    .count();
                out.push(data.get(i).copied().unwrap_or(b' '));
                i += digits.max(1);
                continue;
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return (out, i + 1);
                }
            }
            _ => {}
        }
        out.push(data[i]);
        i += 1;
    }
    (out, i)
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

    /// One object holding `stream` under `dict`.
    fn object(number: u32, dict: &str, stream: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "{number} 0 obj\n<< {dict} /Length {} >>\nstream\n",
            stream.len()
        )
        .into_bytes();
        out.extend(stream);
        out.extend(b"\nendstream\nendobj\n");
        out
    }

    #[test]
    fn contents_read_the_text_of_plain_and_deflated_content_streams() {
        let text = b"BT /F1 12 Tf (Hello \\(world\\)) Tj [(A) -20 (B)] TJ <48656c6c6f> Tj ET (not drawn) Tj";
        let deflated = miniz_oxide::deflate::compress_to_vec_zlib(b"BT (Deflated) Tj ET", 6);
        let mut pdf = sample(2);
        pdf.extend(object(90, "", text));
        pdf.extend(object(91, "/Filter /FlateDecode", &deflated));
        // Neither a font program nor an image is read as text.
        pdf.extend(object(92, "/Length1 20 /Filter /FlateDecode", &deflated));
        pdf.extend(object(
            93,
            "/Subtype /Image /Width 1 /Height 1",
            b"BT (pixels) Tj ET",
        ));
        pdf.extend(object(94, "/Filter /DCTDecode", b"BT (jpeg) Tj ET"));
        for size in [1, 7, 4096] {
            let found = contents(pdf.chunks(size));
            assert_eq!(found.pages, 2, "chunks of {size}");
            assert_eq!(found.images, 1);
            // The sample's two page streams hold no text object; they are read all the same.
            assert_eq!(found.streams_read, 4);
            assert_eq!(
                found.text, "Hello (world) A B xxxxx Deflated ",
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn binary_streams_and_broken_deflate_are_not_read() {
        let mut pdf = sample(1);
        pdf.extend(object(90, "", &[0xFF; 64]));
        pdf.extend(object(91, "/Filter /FlateDecode", b"not zlib"));
        let found = contents([&pdf]);
        assert_eq!(
            (found.pages, found.streams_read, found.text.as_str()),
            (1, 1, "")
        );
    }
}
