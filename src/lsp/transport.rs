//! The wire between the client and the server: a framing layer that never loses the stream.
//!
//! A reader of `Content-Length` frames (tower-lsp-server's codec ends the stream after the
//! first decoding error: one malformed message would stop the server) that always finds the
//! next message: after a header it cannot read, after a `Content-Length` that is too short
//! (the rest of the body is skipped up to the next header), too long (the body ends where a
//! header begins: a header line can never be part of a JSON text, whose strings hold no raw
//! line breaks) or far too large (no memory is reserved for it; its bytes are skipped). Each
//! body is then checked in full and parsed ([`validate::check`]). A malformed message is
//! answered with the JSON-RPC error it deserves (`-32700` parse error, `-32600` invalid
//! request) and never reaches the server; the others are handed to it as parsed
//! ([`super::dispatch`]), with lone surrogates replaced. Everything for the client leaves
//! through one [`Outbox`], frame by frame, so the error answers are written between whole
//! frames.
//!
//! This is also the language server's one exit for key material (invariant 8): every key a
//! client's message holds joins the session's [`Keys`], and every frame to the client, answers
//! and notifications alike, is masked through them ([`crate::redact::Redactor::mask`], byte
//! for byte, so its `Content-Length` holds).

use std::io;

use memchr::memchr;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::validate;
use crate::redact::Keys;

/// The longest header line accepted (a client sends two short ones).
const MAX_HEADER_LINE: usize = 8 * 1024;

/// The largest body accepted: far above the API's 32 MB request limit, and under the 4 GiB
/// that byte ranges can address.
const MAX_BODY: u64 = 1 << 30;

/// The most memory reserved for a body before its bytes arrive: a `Content-Length` is a claim,
/// and the body grows as bytes come.
const RESERVE: usize = 1 << 20;

/// How many bytes are read from the input at a time.
const CHUNK: usize = 64 * 1024;

/// The header that starts every message, matched without regard to case.
const CONTENT_LENGTH: &[u8] = b"content-length";

/// One frame read off the wire.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A body, whatever it holds.
    Body(Vec<u8>),
    /// Bytes that are not a message (a broken header, a body cut short), and why.
    Broken(String),
    /// The end of the input.
    End,
}

/// Reads `Content-Length`-framed messages, finding the next one after any damage.
pub struct FrameReader<R> {
    input: R,
    /// Bytes read and not yet consumed.
    pending: Vec<u8>,
    /// Bytes of a body too large to keep that are still to be skipped.
    skip: u64,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    /// A reader of `input`.
    pub fn new(input: R) -> Self {
        Self {
            input,
            pending: Vec::new(),
            skip: 0,
        }
    }

    /// Reads more input into `pending`; false at the end of the input.
    async fn fill(&mut self) -> io::Result<bool> {
        self.pending.reserve(CHUNK);
        Ok(self.input.read_buf(&mut self.pending).await? > 0)
    }

    /// Reads the next frame.
    pub async fn read_frame(&mut self) -> io::Result<Frame> {
        if self.skip > 0 {
            let skip = std::mem::take(&mut self.skip);
            // Whatever it held was answered when its header was read.
            let _ = self.read_body(skip, false).await?;
        }
        let length = match self.read_header().await? {
            Ok(length) => length,
            Err(frame) => return Ok(frame),
        };
        if length > MAX_BODY {
            self.skip = length;
            return Ok(Frame::Broken(format!(
                "a body of {length} bytes is over the {MAX_BODY}-byte limit"
            )));
        }
        self.read_body(length, true).await
    }

    /// Reads a header block; returns the body's length, or the frame to report instead.
    async fn read_header(&mut self) -> io::Result<Result<u64, Frame>> {
        let mut length: Option<Result<u64, String>> = None;
        let mut problem = None;
        let mut started = false;
        // Bytes of an over-long line dropped so far.
        let mut dropped = 0;
        // Bytes of this block read so far (still in `pending`, in case they are junk).
        let mut pos = 0;
        loop {
            let Some(newline) = memchr(b'\n', &self.pending[pos..]).map(|n| pos + n) else {
                if self.pending.len() - pos > MAX_HEADER_LINE {
                    // Too long for a header: junk, up to any header inside it.
                    if let Some(at) = header_start(&self.pending[pos..]).filter(|&at| at > 0) {
                        return Ok(Err(self.junk_before(pos + at, dropped)));
                    }
                    let drop = self.pending.len() - CONTENT_LENGTH.len();
                    self.pending.drain(..drop);
                    dropped += drop;
                    pos = 0;
                    problem.get_or_insert_with(|| "a header line is too long".to_owned());
                    started = true;
                } else if !self.fill().await? {
                    self.pending.clear();
                    return Ok(Err(if started {
                        Frame::Broken("the input ended inside a header".into())
                    } else {
                        Frame::End
                    }));
                }
                continue;
            };
            // After junk, a `Content-Length` anywhere starts the next message.
            let header = header_start(&self.pending[pos..newline]);
            if let Some(at) = header.filter(|&at| at > 0 || problem.is_some()) {
                return Ok(Err(self.junk_before(pos + at, dropped)));
            }
            let line = String::from_utf8_lossy(&self.pending[pos..newline]);
            let text = line.trim_end_matches('\r').to_owned();
            pos = newline + 1;
            if text.is_empty() {
                if !started {
                    self.pending.drain(..pos);
                    pos = 0;
                    continue;
                }
                break;
            }
            started = true;
            match text.split_once(':') {
                Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                    length = Some(value.trim().parse().map_err(|_| {
                        format!("`Content-Length: {}` is not a length", value.trim())
                    }));
                }
                Some(_) => {}
                None => {
                    problem.get_or_insert_with(|| format!("`{text}` is not a header"));
                }
            }
        }
        self.pending.drain(..pos);
        Ok(match (problem, length) {
            (Some(problem), _) | (None, Some(Err(problem))) => Err(Frame::Broken(problem)),
            (None, None) => Err(Frame::Broken("the header has no Content-Length".into())),
            (None, Some(Ok(length))) => Ok(length),
        })
    }

    /// Consumes the bytes before a header found at `at` (after `dropped` others) and reports
    /// them.
    fn junk_before(&mut self, at: usize, dropped: usize) -> Frame {
        let junk: Vec<u8> = self.pending.drain(..at).collect();
        if dropped > 0 {
            let bytes = dropped + at;
            return Frame::Broken(format!("{bytes} bytes before a header are not a message"));
        }
        let junk = String::from_utf8_lossy(&junk);
        let junk = junk.trim();
        let shown: String = junk.chars().take(80).collect();
        let more = if shown.len() < junk.len() { "…" } else { "" };
        Frame::Broken(format!("`{shown}{more}` before a header is not a message"))
    }

    /// Reads a body of `length` bytes (keeping it or not), ending it early where a header
    /// line begins.
    async fn read_body(&mut self, length: u64, keep: bool) -> io::Result<Frame> {
        let mut body = Vec::with_capacity(if keep {
            usize::try_from(length).unwrap_or(RESERVE).min(RESERVE)
        } else {
            0
        });
        // Bytes of the body already consumed and dropped (when not kept).
        let mut dropped: u64 = 0;
        loop {
            let have = dropped + body.len() as u64;
            if have == length {
                return Ok(Frame::Body(body));
            }
            if self.pending.is_empty() && !self.fill().await? {
                return Ok(Frame::Broken(format!(
                    "the input ended after {have} of the body's {length} bytes"
                )));
            }
            let take = usize::try_from(length - have)
                .unwrap_or(usize::MAX)
                .min(self.pending.len());
            // A header may have begun in the last bytes of what came before.
            let scan_from = body.len().saturating_sub(MAX_HEADER_LINE);
            body.extend(self.pending.drain(..take));
            if let Some(at) = header_line_start(&body[scan_from..]) {
                let at = scan_from + at;
                let mut rest = body.split_off(at);
                rest.append(&mut self.pending);
                self.pending = rest;
                return Ok(Frame::Broken(format!(
                    "the body ended after {} of its {length} bytes, where a header begins",
                    dropped + at as u64
                )));
            }
            if !keep && body.len() > MAX_HEADER_LINE {
                let drop = body.len() - MAX_HEADER_LINE;
                body.drain(..drop);
                dropped += drop as u64;
            }
        }
    }
}

/// Where a `Content-Length` header starts in `bytes`, if one does.
fn header_start(bytes: &[u8]) -> Option<usize> {
    (0..bytes.len()).find(|&at| {
        let rest = &bytes[at..];
        rest.len() > CONTENT_LENGTH.len()
            && rest[..CONTENT_LENGTH.len()].eq_ignore_ascii_case(CONTENT_LENGTH)
            && rest[CONTENT_LENGTH.len()..]
                .iter()
                .find(|b| !matches!(b, b' ' | b'\t'))
                == Some(&b':')
    })
}

/// Where a whole `Content-Length: N` line (with its line break) starts in `bytes`: such a line
/// cannot be inside a JSON text, so a body holding one was cut short by its sender.
fn header_line_start(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(newline) = memchr(b'\n', &bytes[from..]) {
        let end = from + newline;
        let line = &bytes[from..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let digits = line.iter().rev().take_while(|b| b.is_ascii_digit()).count();
        let before = &line[..line.len() - digits];
        let before = before.trim_ascii_end();
        if digits > 0 && before.ends_with(b":") {
            let name = before[..before.len() - 1].trim_ascii_end();
            if name.len() >= CONTENT_LENGTH.len()
                && name[name.len() - CONTENT_LENGTH.len()..].eq_ignore_ascii_case(CONTENT_LENGTH)
            {
                return Some(from + name.len() - CONTENT_LENGTH.len());
            }
        }
        from = end + 1;
    }
    None
}

/// Frames a body for the wire.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

/// Frames for the client, each masked through the session's keys on its way out (invariant
/// 8): the server's answers and notifications and the transport's own error answers alike.
#[derive(Clone)]
pub(crate) struct Outbox {
    frames: mpsc::Sender<Vec<u8>>,
    keys: Keys,
}

impl Outbox {
    /// An outbox feeding `frames` (read by [`write_frames`]), masking through `keys`.
    pub(crate) fn new(frames: mpsc::Sender<Vec<u8>>, keys: Keys) -> Self {
        Self { frames, keys }
    }

    /// Sends one message body, masked and framed; false once the writer is gone.
    pub(crate) async fn send(&self, body: Vec<u8>) -> bool {
        let framed = frame(&self.keys.mask(body));
        self.frames.send(framed).await.is_ok()
    }
}

/// Reads messages from `input` and passes the well-formed ones to `server`, answering the
/// others through `outbox`; every key in a message joins the session's keys first. Returns
/// at the end of the input (closing `server`).
pub(crate) async fn forward_input<I: AsyncRead + Unpin>(
    input: I,
    server: mpsc::Sender<validate::Message>,
    outbox: Outbox,
) {
    let mut input = FrameReader::new(input);
    loop {
        let rejection = match input.read_frame().await {
            Ok(Frame::End) | Err(_) => break,
            Ok(Frame::Broken(problem)) => validate::Rejection {
                code: -32700,
                message: format!("Parse error: {problem}"),
                id: serde_json::Value::Null,
            },
            Ok(Frame::Body(body)) => {
                outbox.keys.learn(&body);
                match validate::check(&body) {
                    Err(rejection) => rejection,
                    Ok(message) => {
                        // The body is no longer needed while the server works on its message.
                        drop(body);
                        if server.send(message).await.is_err() {
                            break;
                        }
                        continue;
                    }
                }
            }
        };
        if !outbox.send(rejection.answer()).await {
            break;
        }
    }
}

/// Writes frames to the client until every sender is gone.
pub(crate) async fn write_frames<O: AsyncWrite + Unpin>(
    mut frames: mpsc::Receiver<Vec<u8>>,
    mut output: O,
) {
    while let Some(frame) = frames.recv().await {
        if output.write_all(&frame).await.is_err() || output.flush().await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(wire: &[u8]) -> Vec<Frame> {
        let mut reader = FrameReader::new(wire);
        let mut frames = Vec::new();
        loop {
            let frame = reader.read_frame().await.unwrap();
            if frame == Frame::End {
                return frames;
            }
            frames.push(frame);
        }
    }

    fn broken(problem: &str) -> Frame {
        Frame::Broken(problem.into())
    }

    #[tokio::test]
    async fn frames_and_broken_headers() {
        let wire = b"Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{}\
garbage\r\n\r\nContent-Length: x\r\n\r\ncontent-length: 1\r\n\r\n1";
        assert_eq!(
            frames(wire).await,
            [
                Frame::Body(b"{}".to_vec()),
                broken("`garbage` is not a header"),
                broken("`Content-Length: x` is not a length"),
                Frame::Body(b"1".to_vec()),
            ]
        );
        assert_eq!(
            frames(b"Content-Length: 3\r\n").await,
            [broken("the input ended inside a header")]
        );
        assert_eq!(
            frames(b"Content-Length: 3\r\n\r\n{").await,
            [broken("the input ended after 1 of the body's 3 bytes")]
        );
    }

    #[tokio::test]
    async fn the_next_header_is_found_after_any_damage() {
        // Too short: the rest of the body, then the next header on the same line.
        assert_eq!(
            frames(b"Content-Length: 2\r\n\r\n[1, 2]\r\n]Content-Length: 1\r\n\r\n7").await,
            [
                Frame::Body(b"[1".to_vec()),
                broken("`, 2]\r\n]` before a header is not a message"),
                Frame::Body(b"7".to_vec()),
            ]
        );
        // Too long: the body ends where a header line begins, even one split across reads.
        assert_eq!(
            frames(b"Content-Length: 60\r\n\r\n{\"a\": \"Content-Length: 1\"}CONTENT-LENGTH : 1\r\n\r\n7")
                .await,
            [
                broken("the body ended after 26 of its 60 bytes, where a header begins"),
                Frame::Body(b"7".to_vec()),
            ]
        );
        // Far too long: nothing is reserved, and the bytes up to the next header are skipped.
        let mut wire = b"Content-Length: 1000000000000\r\n\r\n".to_vec();
        wire.extend(vec![b'x'; 3 * CHUNK]);
        wire.extend(b"\nContent-Length: 1\r\n\r\n7");
        assert_eq!(
            frames(&wire).await,
            [
                broken("a body of 1000000000000 bytes is over the 1073741824-byte limit"),
                Frame::Body(b"7".to_vec()),
            ]
        );
        // A line too long for a header, with a header at its end.
        let mut wire = vec![b'y'; 3 * CHUNK];
        wire.extend(b"Content-Length: 1\r\n\r\n7");
        assert_eq!(
            frames(&wire).await,
            [
                broken("196608 bytes before a header are not a message"),
                Frame::Body(b"7".to_vec()),
            ]
        );
    }

    #[tokio::test]
    async fn a_header_split_across_reads_is_found() {
        let (mut client, server) = tokio::io::duplex(64);
        let reading = tokio::spawn(async move {
            let mut reader = FrameReader::new(server);
            [
                reader.read_frame().await.unwrap(),
                reader.read_frame().await.unwrap(),
            ]
        });
        for part in [
            &b"Content-Length: 30\r\n\r\n{}Content-Le"[..],
            b"ngth: 1\r\n\r\n7",
        ] {
            client.write_all(part).await.unwrap();
            tokio::task::yield_now().await;
        }
        assert_eq!(
            reading.await.unwrap(),
            [
                broken("the body ended after 2 of its 30 bytes, where a header begins"),
                Frame::Body(b"7".to_vec()),
            ]
        );
    }
}
