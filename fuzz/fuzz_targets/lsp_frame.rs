//! The language server's framing layer (`lsp::transport`): splitting any byte stream into
//! `Content-Length` frames never panics or loops, never yields more bytes than it read, and
//! the error answer for a bad body is itself a well-formed frame. Written against
//! `read_frame`, `frame` and `check`; re-point it if that API changes.
#![no_main]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use claude_preflight::lsp::transport::{Frame, check, frame, read_frame};
use libfuzzer_sys::fuzz_target;

/// Runs a future that reads only from memory, which never waits.
fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("reading from memory waited"),
    }
}

/// The body of the one frame `bytes` holds.
fn only_body(bytes: &[u8]) -> Vec<u8> {
    let mut rest = bytes;
    match now(read_frame(&mut rest)) {
        Ok(Frame::Body(body)) if rest.is_empty() => body,
        other => panic!("{other:?} from a frame we wrote, {} bytes left", rest.len()),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    loop {
        let before = rest.len();
        match now(read_frame(&mut rest)) {
            Ok(Frame::Body(body)) => {
                assert!(
                    body.len() <= before - rest.len(),
                    "a body longer than its frame"
                );
                assert_eq!(only_body(&frame(&body)), body);
                if let Some(answer) = check(&body) {
                    let answer = only_body(&answer);
                    serde_json::from_slice::<serde_json::Value>(&answer)
                        .expect("an error answer that is not JSON");
                    assert_eq!(
                        check(&answer),
                        None,
                        "an error answer the server would refuse"
                    );
                }
            }
            Ok(Frame::BadHeader(_)) => {}
            Ok(Frame::End) | Err(_) => break,
        }
        assert!(rest.len() < before, "a frame read nothing");
    }
});
