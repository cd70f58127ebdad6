//! The wire between the client and tower-lsp-server, with malformed messages filtered out.
//!
//! tower-lsp-server reads frames with tokio-util's `FramedRead`, which ends the stream after
//! the first decoding error: one malformed message (bad JSON, a body that is not a JSON-RPC
//! message, a broken header) would stop the server. So the input is framed here first. A
//! malformed message is answered with the JSON-RPC error it deserves (`-32700` parse error,
//! `-32600` invalid request, `id: null`) and never reaches the server; well-formed frames are
//! passed on unchanged. The server's output comes back through here too, frame by frame, so
//! the error answers are written between whole frames.

use std::borrow::Cow;
use std::io;

use serde::Deserialize;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Id;

/// The longest header line accepted (a client sends two short ones).
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// The largest body accepted: far above the API's 32 MB request limit, and under the 4 GiB
/// that byte ranges can address.
const MAX_BODY: usize = 1 << 30;

/// One frame read off the wire.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A body, whatever it holds.
    Body(Vec<u8>),
    /// A header block that cannot be read, and why.
    BadHeader(String),
    /// The end of the input.
    End,
}

/// Reads one `Content-Length`-framed message.
pub async fn read_frame<R: AsyncBufRead + Unpin>(reader: &mut R) -> io::Result<Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut problem = None;
    let mut started = false;
    loop {
        let mut line = Vec::new();
        let read = (&mut *reader)
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .await?;
        if read == 0 {
            return Ok(if started {
                Frame::BadHeader("the input ended inside a header".into())
            } else {
                Frame::End
            });
        }
        if !line.ends_with(b"\n") && read as u64 == MAX_HEADER_LINE {
            problem.get_or_insert_with(|| "a header line is too long".to_owned());
            started = true;
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !started {
                continue;
            }
            break;
        }
        started = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length =
                    Some(value.trim().parse().map_err(|_| {
                        format!("`Content-Length: {}` is not a length", value.trim())
                    }));
            }
            Some(_) => {}
            None => {
                problem.get_or_insert_with(|| format!("`{text}` is not a header"));
            }
        }
    }
    if let Some(problem) = problem {
        return Ok(Frame::BadHeader(problem));
    }
    match length {
        None => Ok(Frame::BadHeader("the header has no Content-Length".into())),
        Some(Err(problem)) => Ok(Frame::BadHeader(problem)),
        Some(Ok(length)) if length > MAX_BODY => Ok(Frame::BadHeader(format!(
            "a body of {length} bytes is over the {MAX_BODY}-byte limit"
        ))),
        Some(Ok(length)) => {
            let mut body = vec![0; length];
            reader.read_exact(&mut body).await?;
            Ok(Frame::Body(body))
        }
    }
}

/// Frames a body for the wire.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

/// What tower-lsp-server needs of a message to accept it: `jsonrpc` is `"2.0"`, `method` (if
/// any) is a string and `id` (if any) an integer, a string or null. Everything else (`params`,
/// `result`, `error`) is skipped without being built.
#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(borrow)]
    jsonrpc: Cow<'a, str>,
    #[serde(default, borrow)]
    #[expect(dead_code, reason = "read only to check that it is a string")]
    method: Option<Cow<'a, str>>,
    #[serde(default)]
    #[expect(dead_code, reason = "read only to check its type")]
    id: Option<Id>,
}

/// The error answer a body deserves, or `None` when the server can take it.
pub fn check(body: &[u8]) -> Option<Vec<u8>> {
    let (code, message) = match std::str::from_utf8(body) {
        Err(error) => (
            -32700,
            format!("Parse error: the message is not UTF-8 ({error})"),
        ),
        Ok(text) => match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Err(error) => (-32700, format!("Parse error: {error}")),
            Ok(_) => match serde_json::from_str::<Probe<'_>>(text) {
                Ok(probe) if probe.jsonrpc == "2.0" => return None,
                Ok(_) => (
                    -32600,
                    "Invalid request: `jsonrpc` must be \"2.0\"".to_owned(),
                ),
                Err(error) => (-32600, format!("Invalid request: {error}")),
            },
        },
    };
    Some(error_answer(code, &message))
}

fn error_answer(code: i64, message: &str) -> Vec<u8> {
    let answer = serde_json::json!({
        "jsonrpc": "2.0",
        "error": {"code": code, "message": message},
        "id": null,
    });
    frame(answer.to_string().as_bytes())
}

/// Copies well-formed frames from `input` to `server` and sends error answers for the others
/// to `answers`; returns at the end of the input (closing `server`).
pub async fn forward_input<I, S>(input: I, mut server: S, answers: mpsc::Sender<Vec<u8>>)
where
    I: AsyncRead + Unpin,
    S: AsyncWrite + Unpin,
{
    let mut input = BufReader::new(input);
    loop {
        let answer = match read_frame(&mut input).await {
            Ok(Frame::End) | Err(_) => break,
            Ok(Frame::BadHeader(problem)) => {
                error_answer(-32700, &format!("Parse error: {problem}"))
            }
            Ok(Frame::Body(body)) => match check(&body) {
                Some(answer) => answer,
                None => {
                    // Header and body apart: a 32 MB body is not copied once more.
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    let written = server.write_all(header.as_bytes()).await;
                    if written.is_err() || server.write_all(&body).await.is_err() {
                        break;
                    }
                    continue;
                }
            },
        };
        if answers.send(answer).await.is_err() {
            break;
        }
    }
    let _ = server.shutdown().await;
}

/// Sends the server's frames, whole, to `frames`; returns when the server's output ends.
pub async fn collect_output<O: AsyncRead + Unpin>(output: O, frames: mpsc::Sender<Vec<u8>>) {
    let mut output = BufReader::new(output);
    while let Ok(Frame::Body(body)) = read_frame(&mut output).await {
        if frames.send(frame(&body)).await.is_err() {
            break;
        }
    }
}

/// Writes frames to the client until every sender is gone.
pub async fn write_frames<O: AsyncWrite + Unpin>(
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
        let mut reader = BufReader::new(wire);
        let mut frames = Vec::new();
        loop {
            let frame = read_frame(&mut reader).await.unwrap();
            if frame == Frame::End {
                return frames;
            }
            frames.push(frame);
        }
    }

    #[tokio::test]
    async fn frames_and_broken_headers() {
        let wire = b"Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{}\
garbage\r\n\r\nContent-Length: x\r\n\r\ncontent-length: 1\r\n\r\n1";
        assert_eq!(
            frames(wire).await,
            [
                Frame::Body(b"{}".to_vec()),
                Frame::BadHeader("`garbage` is not a header".into()),
                Frame::BadHeader("`Content-Length: x` is not a length".into()),
                Frame::Body(b"1".to_vec()),
            ]
        );
        assert_eq!(
            frames(b"Content-Length: 3\r\n").await,
            [Frame::BadHeader("the input ended inside a header".into())]
        );
        assert_eq!(
            frames(b"Content-Length: 99999999999\r\n\r\n").await,
            [Frame::BadHeader(
                "a body of 99999999999 bytes is over the 1073741824-byte limit".into()
            )]
        );
    }

    fn answer(body: &str) -> Option<serde_json::Value> {
        let framed = check(body.as_bytes())?;
        let start = framed.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        serde_json::from_slice(&framed[start..]).ok()
    }

    #[test]
    fn malformed_bodies_get_their_error() {
        assert_eq!(
            answer(r#"{"jsonrpc": "2.0", "method": "x", "params": [1]}"#),
            None
        );
        assert_eq!(
            answer(r#"{"jsonrpc": "2.0", "id": 3, "result": null}"#),
            None
        );
        let parse = answer(r#"{"jsonrpc": "2.0", "#).unwrap();
        assert_eq!(parse["error"]["code"], -32700);
        assert_eq!(parse["id"], serde_json::Value::Null);
        for invalid in [
            "[1, 2]",
            r#"{"jsonrpc": "1.0", "method": "x"}"#,
            r#"{"jsonrpc": "2.0", "method": 5}"#,
            r#"{"jsonrpc": "2.0", "id": 1.5, "method": "x"}"#,
        ] {
            assert_eq!(
                answer(invalid).unwrap()["error"]["code"],
                -32600,
                "{invalid}"
            );
        }
        assert_eq!(
            check(b"\xff").map(|a| String::from_utf8_lossy(&a).contains("-32700")),
            Some(true)
        );
    }
}
