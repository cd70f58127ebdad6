//! The messages between the wire and the service: what tower-lsp-server's `Server::serve`
//! does, on messages [`super::transport`] has already framed and [`super::validate`] parsed.
//!
//! tower-lsp-server's own loop reads a byte stream through a codec of its own: every message
//! had to be framed again for it, copied through a pipe and parsed a second time, and its read
//! buffer kept the size of the largest message for the rest of the session (32 MB after a
//! 32 MB document was opened). Here each message is parsed once and handed to the service as
//! it is; what the service answers, and what the server sends the client on its own
//! (diagnostics, configuration requests), is serialized and framed by [`Outbox`].
//!
//! The scheduling is tower-lsp-server's: requests are called in arrival order, and up to
//! [`CONCURRENCY`] of their futures run at once, so a long request does not hold up a
//! `$/cancelRequest` or the next notification.

use futures::channel::mpsc as queue;
use futures::{SinkExt, StreamExt, future, stream};
use serde::Serialize;
use tokio::sync::mpsc;
use tower_lsp_server::ClientSocket;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_service::Service;

use super::transport::Outbox;
use super::validate::Message;

/// How many requests are served at once (tower-lsp-server's default).
const CONCURRENCY: usize = 4;

/// Requests called and waiting for a place among the [`CONCURRENCY`] running ones.
const QUEUE: usize = 100;

/// Serves `service` with the messages `inbound` yields, until the client sends `exit` or the
/// input ends; everything for the client goes to `outbox`.
pub(crate) async fn dispatch<S>(
    mut inbound: mpsc::Receiver<Message>,
    mut service: S,
    socket: ClientSocket,
    outbox: Outbox,
) where
    S: Service<Request, Response = Option<Response>>,
    S::Error: std::fmt::Display,
{
    let (client_requests, mut client_responses) = socket.split();
    let (client_requests, stop_client_requests) = stream::abortable(client_requests);
    let (mut calls, called) = queue::channel(QUEUE);
    let answers = called
        .buffer_unordered(CONCURRENCY)
        .filter_map(future::ready)
        .map(|answer: Response| body(&answer));
    let to_client = client_requests.map(|request: Request| body(&request));
    let mut outgoing = stream::select(answers, to_client);
    let write = async {
        while let Some(body) = outgoing.next().await {
            // A client that is gone reads nothing more; the input's end stops the rest.
            let _ = outbox.send(body).await;
        }
    };
    let read = async {
        while let Some(message) = inbound.recv().await {
            match message {
                Message::Request(request) => {
                    if let Err(error) = future::poll_fn(|cx| service.poll_ready(cx)).await {
                        eprintln!("claude-preflight: the server stopped: {error}");
                        break;
                    }
                    // The protocol asks the server to exit at once, and some clients keep
                    // their end open after `exit`: nothing more is read.
                    let exit = request.method() == "exit";
                    let call = service.call(request);
                    let answer = async move {
                        call.await.unwrap_or_else(|error| {
                            eprintln!("claude-preflight: a request failed: {error}");
                            None
                        })
                    };
                    if calls.send(answer).await.is_err() || exit {
                        break;
                    }
                }
                Message::Response(response) => {
                    if client_responses.send(response).await.is_err() {
                        break;
                    }
                }
            }
        }
        calls.disconnect();
        stop_client_requests.abort();
    };
    tokio::join!(write, read);
}

/// A message as the body of a frame.
fn body(message: &impl Serialize) -> Vec<u8> {
    // Requests and responses are JSON values with string keys: serializing them cannot fail.
    serde_json::to_vec(message).unwrap_or_default()
}
