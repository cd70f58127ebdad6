//! The language server's framing layer (`lsp::transport`, `lsp::validate`): reading any byte
//! stream as `Content-Length` frames never panics or loops and never yields more bytes than
//! it read; a body framed again reads back the same; and the error answer for a body the
//! server refuses is itself a message the server would take.
#![no_main]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use claude_preflight::lsp::transport::{Frame, FrameReader, frame};
use claude_preflight::lsp::validate;
use libfuzzer_sys::fuzz_target;

/// Runs a future that reads only from memory, which never waits.
fn now<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("reading from memory waited"),
    }
}

/// The frames `bytes` holds, checking that reading them ends.
fn frames(bytes: &[u8]) -> Vec<Frame> {
    let mut reader = FrameReader::new(bytes);
    let mut frames = Vec::new();
    // Every frame but the last consumes at least one byte.
    for _ in 0..=bytes.len() + 1 {
        match now(reader.read_frame()) {
            Ok(Frame::End) | Err(_) => return frames,
            Ok(frame) => frames.push(frame),
        }
    }
    panic!("reading {} bytes did not end", bytes.len());
}

fuzz_target!(|data: &[u8]| {
    let mut read = 0;
    for found in frames(data) {
        let Frame::Body(body) = found else { continue };
        read += body.len();
        assert!(read <= data.len(), "bodies longer than the input");
        assert_eq!(frames(&frame(&body)), [Frame::Body(body.clone())]);
        if let Err(rejection) = validate::check(&body) {
            let answer = rejection.answer();
            serde_json::from_slice::<serde_json::Value>(&answer)
                .expect("an error answer that is not JSON");
            assert!(
                validate::check(&answer).is_ok(),
                "an error answer the server would refuse"
            );
        }
    }
});
