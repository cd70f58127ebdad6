//! Base64 read in place: checked against the standard alphabet (with padding) without decoding,
//! then decoded a block at a time, only where a reader asks.

use std::borrow::Cow;
use std::io::{self, BufRead, Read, Seek, SeekFrom};

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Decodes data the scan already accepted. Trailing bits are allowed (Python's decoder, which
/// the API is assumed to use, ignores them) and padding is not checked again.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Base64 characters decoded per block: 1024 characters make 768 bytes.
const BLOCK_CHARS: usize = 1024;
const BLOCK_BYTES: u64 = 768;

/// Character classes of the standard alphabet.
const OTHER: u8 = 0;
const ALPHABET: u8 = 1;
const PADDING: u8 = 2;
const WHITESPACE: u8 = 3;

static CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() || c == b'+' || c == b'/' {
            ALPHABET
        } else if c == b'=' {
            PADDING
        } else if c.is_ascii_whitespace() {
            WHITESPACE
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

/// Why a character cannot be where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BadChar {
    /// Not in the standard alphabet (`-` and `_` are the URL-safe alphabet's).
    Outside,
    /// A `=` where padding cannot be: too many of them, or padding a complete group.
    Padding,
    /// Data after the `=` padding that ends the encoding (two encodings glued together).
    AfterPadding,
}

/// What keeps a base64 string from decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flaw {
    /// A character that cannot be there, at byte `offset` of the string, `len` bytes long.
    Char {
        /// Byte offset in the string.
        offset: usize,
        /// Length of the character in bytes (UTF-8).
        len: usize,
        /// Why it cannot be there.
        why: BadChar,
    },
    /// The string ends in the middle of a group of four: `missing` is how many `=` complete
    /// it (1 or 2), 0 when no padding can (a group with a single character).
    Length {
        /// The `=` that would complete the last group.
        missing: usize,
    },
}

/// What a scan of a base64 string found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scan {
    /// The first problem that keeps it from decoding.
    pub flaw: Option<Flaw>,
    /// Byte offset of the first whitespace character: lenient decoders skip it, strict ones
    /// refuse it.
    pub whitespace: Option<usize>,
    /// Alphabet characters and padding, whitespace not counted.
    pub encoded_len: usize,
    /// Trailing `=`.
    pub padding: usize,
}

impl Scan {
    /// The number of bytes the string decodes to (exact when there is no flaw).
    pub(crate) fn decoded_len(&self) -> u64 {
        (self.encoded_len as u64 * 3 / 4).saturating_sub(self.padding as u64)
    }
}

/// Checks `data` against the standard base64 alphabet with padding, in one pass over its bytes.
pub(crate) fn scan(data: &str) -> Scan {
    let bytes = data.as_bytes();
    let mut result = Scan {
        flaw: None,
        whitespace: None,
        encoded_len: 0,
        padding: 0,
    };
    let bad = |offset: usize, why| Flaw::Char {
        offset,
        len: data[offset..].chars().next().map_or(1, char::len_utf8),
        why,
    };
    for (i, &b) in bytes.iter().enumerate() {
        match CLASS[b as usize] {
            ALPHABET if result.padding > 0 => {
                result.flaw = Some(bad(i, BadChar::AfterPadding));
                return result;
            }
            ALPHABET => result.encoded_len += 1,
            PADDING => {
                let data_chars = result.encoded_len - result.padding;
                // Padding completes a group of two or three characters, with two or one `=`.
                let allowed = match data_chars % 4 {
                    2 => 2,
                    3 => 1,
                    _ => 0,
                };
                if result.padding >= allowed {
                    result.flaw = Some(bad(i, BadChar::Padding));
                    return result;
                }
                result.padding += 1;
                result.encoded_len += 1;
            }
            WHITESPACE => {
                result.whitespace.get_or_insert(i);
            }
            _ => {
                result.flaw = Some(bad(i, BadChar::Outside));
                return result;
            }
        }
    }
    // A `=` where it cannot be was caught above, so the padding never exceeds what the last
    // group needs; what remains is a group left short.
    let missing = match (result.encoded_len - result.padding) % 4 {
        0 => None,
        1 => Some(0),
        2 => (result.padding < 2).then(|| 2 - result.padding),
        _ => (result.padding == 0).then_some(1),
    };
    result.flaw = missing.map(|missing| Flaw::Length { missing });
    result
}

/// Valid base64, ready to be decoded lazily.
#[derive(Debug, Clone)]
pub(crate) struct Encoded<'a> {
    chars: Cow<'a, [u8]>,
    decoded_len: u64,
}

impl<'a> Encoded<'a> {
    /// The data a scan accepted; `None` when it found a flaw. Whitespace is dropped (one copy,
    /// made only when there is some).
    pub(crate) fn new(data: &'a str, scan: &Scan) -> Option<Self> {
        if scan.flaw.is_some() {
            return None;
        }
        let chars = match scan.whitespace {
            None => Cow::Borrowed(data.as_bytes()),
            Some(_) => Cow::Owned(
                data.bytes()
                    .filter(|&b| CLASS[b as usize] != WHITESPACE)
                    .collect(),
            ),
        };
        Some(Self {
            chars,
            decoded_len: scan.decoded_len(),
        })
    }

    /// The number of decoded bytes, known without decoding.
    pub(crate) fn decoded_len(&self) -> u64 {
        self.decoded_len
    }

    /// A reader over the decoded bytes that decodes only the blocks it reads.
    pub(crate) fn reader(&self) -> Reader<'_> {
        Reader {
            chars: &self.chars,
            len: self.decoded_len,
            pos: 0,
            block: Vec::with_capacity(BLOCK_BYTES as usize),
            block_index: None,
        }
    }

    /// The first `n` decoded bytes (fewer when the data is shorter).
    pub(crate) fn head(&self, n: usize) -> Vec<u8> {
        let mut head = Vec::with_capacity(n);
        // The data is valid, so decoding cannot fail; a short read only means short data.
        let _ = self.reader().take(n as u64).read_to_end(&mut head);
        head
    }

    /// The decoded bytes in consecutive chunks of about 48 KB, for scans of the whole file.
    pub(crate) fn chunks(&self) -> impl Iterator<Item = Vec<u8>> + '_ {
        const CHUNK_CHARS: usize = 64 * BLOCK_CHARS;
        self.chars.chunks(CHUNK_CHARS).map(|chunk| {
            let mut out = Vec::with_capacity(chunk.len() / 4 * 3);
            // Chunks are whole groups of four of valid data: decoding cannot fail.
            let _ = ENGINE.decode_vec(chunk, &mut out);
            out
        })
    }
}

/// Reads decoded bytes out of base64, a 768-byte block at a time, seeking without decoding
/// what it skips (a JPEG's metadata before its frame header, say).
#[derive(Debug)]
pub(crate) struct Reader<'e> {
    chars: &'e [u8],
    len: u64,
    pos: u64,
    block: Vec<u8>,
    block_index: Option<u64>,
}

impl Reader<'_> {
    fn load(&mut self) -> io::Result<()> {
        let index = self.pos / BLOCK_BYTES;
        if self.block_index != Some(index) {
            let start = (index as usize).saturating_mul(BLOCK_CHARS);
            let end = start.saturating_add(BLOCK_CHARS).min(self.chars.len());
            self.block.clear();
            if start < end {
                ENGINE
                    .decode_vec(&self.chars[start..end], &mut self.block)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            }
            self.block_index = Some(index);
        }
        Ok(())
    }
}

impl BufRead for Reader<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.len {
            return Ok(&[]);
        }
        self.load()?;
        let offset = (self.pos % BLOCK_BYTES) as usize;
        Ok(self.block.get(offset..).unwrap_or(&[]))
    }

    fn consume(&mut self, amount: usize) {
        self.pos = self.pos.saturating_add(amount as u64);
    }
}

impl Read for Reader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl Seek for Reader<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::Current(delta) => self.pos.checked_add_signed(delta),
            SeekFrom::End(delta) => self.len.checked_add_signed(delta),
        };
        self.pos = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flaw(data: &str) -> Option<Flaw> {
        scan(data).flaw
    }

    #[test]
    fn valid_strings_have_no_flaw() {
        for data in ["", "YQ==", "YWI=", "YWJj", "YWJjZA==", "+/+/"] {
            assert_eq!(flaw(data), None, "{data}");
        }
        assert_eq!(scan("YWI=").decoded_len(), 2);
        assert_eq!(scan("YWJjZA==").decoded_len(), 4);
    }

    #[test]
    fn characters_outside_the_alphabet() {
        assert_eq!(
            flaw("YW-j"),
            Some(Flaw::Char {
                offset: 2,
                len: 1,
                why: BadChar::Outside
            })
        );
        assert_eq!(
            flaw("YWé="),
            Some(Flaw::Char {
                offset: 2,
                len: 2,
                why: BadChar::Outside
            })
        );
        assert_eq!(
            flaw("data:image/png;base64,iVBO"),
            Some(Flaw::Char {
                offset: 4,
                len: 1,
                why: BadChar::Outside
            })
        );
    }

    #[test]
    fn misplaced_padding() {
        let at = |offset, why| {
            Some(Flaw::Char {
                offset,
                len: 1,
                why,
            })
        };
        assert_eq!(flaw("YWJj="), at(4, BadChar::Padding));
        assert_eq!(flaw("YWI=="), at(4, BadChar::Padding));
        assert_eq!(flaw("YQ==YQ=="), at(4, BadChar::AfterPadding));
        assert_eq!(flaw("Y==="), at(1, BadChar::Padding));
        assert_eq!(flaw("YWJjZ="), at(5, BadChar::Padding));
    }

    #[test]
    fn missing_padding() {
        assert_eq!(flaw("YQ"), Some(Flaw::Length { missing: 2 }));
        assert_eq!(flaw("YQ="), Some(Flaw::Length { missing: 1 }));
        assert_eq!(flaw("YWI"), Some(Flaw::Length { missing: 1 }));
        assert_eq!(flaw("YWJjZ"), Some(Flaw::Length { missing: 0 }));
    }

    #[test]
    fn whitespace_is_noted_not_a_flaw() {
        let s = scan("YWJj\nZA==");
        assert_eq!(s.flaw, None);
        assert_eq!(s.whitespace, Some(4));
        let encoded = Encoded::new("YWJj\nZA==", &s).unwrap();
        assert_eq!(encoded.head(10), b"abcd");
    }

    #[test]
    fn the_reader_decodes_only_what_it_reads_and_seeks() {
        let bytes: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        let data = ENGINE.encode(&bytes);
        let s = scan(&data);
        let encoded = Encoded::new(&data, &s).unwrap();
        assert_eq!(encoded.decoded_len(), 5000);
        assert_eq!(encoded.head(5), bytes[..5]);
        let mut reader = encoded.reader();
        reader.seek(SeekFrom::Start(4000)).unwrap();
        let mut buf = [0; 1500];
        let n = reader.read(&mut buf).unwrap();
        assert!(n > 0);
        assert_eq!(buf[..n], bytes[4000..4000 + n]);
        let mut rest = Vec::new();
        reader.seek(SeekFrom::Current(-10)).unwrap();
        reader.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, bytes[4000 + n - 10..]);
        assert!(reader.seek(SeekFrom::Current(-6000)).is_err());
        let joined: Vec<u8> = encoded.chunks().flatten().collect();
        assert_eq!(joined, bytes);
    }
}
