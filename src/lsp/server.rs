//! The language server: documents in, diagnostics and editor features out.
//!
//! Ordering: tower-lsp-server runs several handlers at once, and a handler that awaits may be
//! overtaken by a later one. So every `didOpen`/`didChange`/`didClose` touches the documents
//! synchronously, before its first await: the handler futures are first polled in arrival
//! order, so the edits land in the text in the order the client sent them.
//!
//! Analysis: each change schedules an analysis after a short debounce. When it wakes and the
//! document has changed again, it does nothing (the later change has its own); when its result
//! comes back for a generation that is no longer current, the result is dropped. Publishing is
//! serialised and never goes back to an older generation, so the last diagnostics a client
//! sees are always those of the last version. Clients that pull diagnostics
//! (`textDocument/diagnostic`) get no pushes.
//!
//! Robustness: analysis runs on the blocking pool inside `catch_unwind`; a panic becomes an
//! error answer (or a logged message for pushes), never a dead server. [`CatchPanic`] does the
//! same for every handler.

use std::collections::HashMap;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::task::{Context, Poll};

use futures::FutureExt;
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Request, Response, Result};
use tower_lsp_server::ls_types::notification::{DidChangeWatchedFiles, Notification};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};
use tower_service::Service;

use super::convert::{Converter, Encoding};
use super::documents::{self, ChangeError, Documents, Snapshot};
use super::options::Options;
use super::summary::{Summary, SummaryParams};
use super::{actions, completion, diagnostics, hover, inlay, locate_error, memory, summary};
use crate::config::{self, Resolver};
use crate::extract::files::FileKind;
use crate::extract::hosts::HOSTS;
use crate::extract::siblings;
use crate::settings::Settings;

/// What the client said it can do, and the settings in force.
#[derive(Debug, Clone)]
struct Session {
    encoding: Encoding,
    /// The client pulls diagnostics: none are pushed.
    pull: bool,
    /// The client accepts `workspace/diagnostic/refresh`.
    refresh: bool,
    /// The client takes versioned `documentChanges` in workspace edits.
    document_changes: bool,
    /// The client lets the server register file watchers.
    watch_registration: bool,
    /// The workspace root, for documents that are not files yet.
    root: Option<PathBuf>,
    /// `initializationOptions`.
    init_settings: Value,
    /// The latest `workspace/didChangeConfiguration` settings.
    changed_settings: Value,
    options: Options,
    /// The settings' problems, as last shown.
    problems: Vec<String>,
    /// Finds each file's configuration; an error when the `config` setting names a file that
    /// cannot be used.
    resolver: std::result::Result<Arc<Resolver>, String>,
}

impl Session {
    fn new() -> Self {
        let options = Options::new(today());
        Self {
            encoding: Encoding::Utf16,
            pull: false,
            refresh: false,
            document_changes: false,
            watch_registration: false,
            root: None,
            init_settings: Value::Null,
            changed_settings: Value::Null,
            problems: Vec::new(),
            resolver: Resolver::new(options.flags.clone(), None)
                .map(Arc::new)
                .map_err(|e| e.to_string()),
            options,
        }
    }

    /// Reads the settings again and starts a fresh resolver (so configuration files are read
    /// again too); returns the settings' problems that were not there before (the others
    /// were shown already).
    fn configure(&mut self) -> Vec<String> {
        let layers = [&self.init_settings, &self.changed_settings];
        let (options, problems) = Options::from_layers(&layers, today());
        let fresh = problems
            .iter()
            .filter(|p| !self.problems.contains(p))
            .cloned()
            .collect();
        self.problems = problems;
        let config = options.config.as_ref().map(|path| match &self.root {
            Some(root) if path.is_relative() => root.join(path),
            _ => path.clone(),
        });
        self.resolver = Resolver::new(options.flags.clone(), config.as_deref())
            .map(Arc::new)
            .map_err(|e| e.to_string());
        self.options = options;
        fresh
    }

    /// The settings for a document at `path` (a document that is not a file yet is taken to
    /// be in the workspace root).
    fn settings_for(&self, path: Option<&Path>) -> std::result::Result<Arc<Settings>, String> {
        let resolver = self.resolver.as_ref().map_err(Clone::clone)?;
        let path = match path {
            Some(path) => path.to_owned(),
            None => self
                .root
                .clone()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("untitled"),
        };
        resolver.settings_for(&path).map_err(|e| e.to_string())
    }
}

/// Today's date in the local time zone (settings may fix another, for tests).
fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// State shared by every handler and background task.
#[derive(Debug)]
struct Shared {
    documents: Mutex<Documents>,
    session: RwLock<Arc<Session>>,
    /// One analysis at a time: a request and a scheduled analysis of the same version share
    /// one result instead of computing it twice.
    analysis: tokio::sync::Mutex<()>,
    analyser: Analyser,
    /// The generation last published per document; held while publishing, so publishes are
    /// ordered and never go backwards.
    published: tokio::sync::Mutex<HashMap<Uri, u64>>,
    /// Problems with the initialization options, shown once the client is initialized.
    pending_problems: Mutex<Vec<String>>,
}

/// The server backend.
#[derive(Debug, Clone)]
pub(crate) struct Backend {
    client: Client,
    shared: Arc<Shared>,
}

/// The file names whose change reloads the configuration.
const WATCHED: [&str; 3] = config::FILE_NAMES;

impl Backend {
    /// A backend talking to `client`.
    pub(crate) fn new(client: Client) -> Self {
        Self {
            client,
            shared: Arc::new(Shared {
                documents: Mutex::new(Documents::default()),
                session: RwLock::new(Arc::new(Session::new())),
                analysis: tokio::sync::Mutex::new(()),
                analyser: Analyser::start(),
                published: tokio::sync::Mutex::new(HashMap::new()),
                pending_problems: Mutex::new(Vec::new()),
            }),
        }
    }

    fn documents(&self) -> MutexGuard<'_, Documents> {
        self.shared
            .documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn session(&self) -> Arc<Session> {
        Arc::clone(
            &self
                .shared
                .session
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    fn update_session(&self, change: impl FnOnce(&mut Session) -> Vec<String>) -> Vec<String> {
        let mut guard = self
            .shared
            .session
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let mut session = Session::clone(&guard);
        let problems = change(&mut session);
        *guard = Arc::new(session);
        problems
    }

    async fn show_problems(&self, problems: Vec<String>) {
        for problem in problems {
            self.client
                .show_message(
                    MessageType::WARNING,
                    format!("claude-preflight settings: {problem}"),
                )
                .await;
        }
    }

    /// The analysed snapshot of the document's current version (computed now when the
    /// scheduled analysis has not run yet); `None` when the document is not open.
    async fn snapshot(&self, uri: &Uri) -> Result<Option<Arc<Snapshot>>> {
        let _one_at_a_time = self.shared.analysis.lock().await;
        let (source, version, generation, kind, path, tokens) = {
            let mut documents = self.documents();
            let Some(document) = documents.get_mut(uri) else {
                return Ok(None);
            };
            if let Some(snapshot) = document.current_snapshot() {
                return Ok(Some(snapshot));
            }
            (
                document.source(),
                document.version,
                document.generation,
                document.kind,
                document.path.clone(),
                document.tokens(),
            )
        };
        let session = self.session();
        let shown = path.clone().unwrap_or_else(|| PathBuf::from(uri.as_str()));
        let job = move || {
            let settings = session.settings_for(path.as_deref());
            let release = source.parsed.is_none() && source.text.len() >= memory::RELEASE_FROM;
            let snapshot =
                Snapshot::analyse(version, generation, source, kind, &shown, settings, tokens);
            if release {
                memory::release();
            }
            snapshot
        };
        let outcome = self.shared.analyser.run(job).await?;
        let snapshot = Arc::new(outcome.map_err(|panic| {
            internal_error(format!(
                "the analysis failed (please report this): {}",
                panic_message(panic.as_ref())
            ))
        })?);
        self.documents().store(uri, &snapshot);
        Ok(Some(snapshot))
    }

    /// Schedules the analysis of generation `generation` of a document, when diagnostics are
    /// pushed.
    fn schedule(&self, uri: Uri, generation: u64) {
        let session = self.session();
        if session.pull {
            return;
        }
        let debounce = session.options.debounce;
        let backend = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(debounce).await;
            if !backend.documents().is_current(&uri, generation) {
                return;
            }
            match backend.snapshot(&uri).await {
                Ok(Some(snapshot)) => backend.publish(&uri, snapshot).await,
                Ok(None) => {}
                Err(error) => {
                    backend
                        .client
                        .log_message(MessageType::ERROR, error.message)
                        .await;
                }
            }
        });
    }

    /// Publishes a snapshot's diagnostics, unless the document has changed since (the result
    /// is stale) or a later one was already published. The snapshot is let go before the
    /// diagnostics are sent: the client's next edit, which may come as soon as they arrive,
    /// then finds no other holder and takes the snapshot's parse back to patch it, instead of
    /// copying the text and parsing it again.
    async fn publish(&self, uri: &Uri, snapshot: Arc<Snapshot>) {
        let mut published = self.shared.published.lock().await;
        if !self.documents().is_current(uri, snapshot.generation)
            || published
                .get(uri)
                .is_some_and(|&g| g >= snapshot.generation)
        {
            return;
        }
        published.insert(uri.clone(), snapshot.generation);
        let converter = Converter::new(&snapshot.text, &snapshot.index, self.session().encoding);
        let items = diagnostics::of_snapshot(&snapshot, &converter);
        let version = snapshot.version;
        drop(snapshot);
        self.client
            .publish_diagnostics(uri.clone(), items, Some(version))
            .await;
    }

    /// Analyses every open document again (settings or configuration changed).
    async fn reanalyse_all(&self) {
        self.reanalyse(|_| true).await;
    }

    /// Analyses again the open documents beside the modules `changed` on disk (saved in the
    /// editor or changed outside it), except those modules: their constants reach the files
    /// that import them (`extract::siblings`), which are read from disk.
    async fn modules_changed(&self, changed: &[&Uri]) {
        let dirs: Vec<PathBuf> = changed
            .iter()
            .filter_map(|uri| documents::file_path(uri))
            .filter(|path| {
                FileKind::from_path(path).is_some_and(|kind| siblings::MODULE_KINDS.contains(&kind))
            })
            .filter_map(|path| Some(path.parent()?.to_owned()))
            .collect();
        if dirs.is_empty() {
            return;
        }
        self.reanalyse(|uri| {
            !changed.contains(&uri)
                && documents::file_path(uri).is_some_and(|path| {
                    path.parent()
                        .is_some_and(|dir| dirs.iter().any(|d| d == dir))
                })
        })
        .await;
    }

    /// Analyses again the open documents `which` picks.
    async fn reanalyse(&self, which: impl Fn(&Uri) -> bool) {
        let invalidated = self.documents().invalidate(which);
        if invalidated.is_empty() {
            return;
        }
        let session = self.session();
        if !session.pull {
            for (uri, generation) in invalidated {
                self.schedule(uri, generation);
            }
        } else if session.refresh
            && let Err(error) = self.client.workspace_diagnostic_refresh().await
        {
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!("workspace/diagnostic/refresh failed: {}", error.message),
                )
                .await;
        }
    }

    /// `claude-preflight/summary`: each request's size against its model's window.
    pub(crate) async fn summary(&self, params: SummaryParams) -> Result<Summary> {
        let (snapshot, encoding) = self.request_snapshot(&params.text_document.uri).await?;
        let converter = Converter::new(&snapshot.text, &snapshot.index, encoding);
        Ok(summary::summary(&snapshot, &converter))
    }

    /// The snapshot a request about `uri` reads, with a converter for it: an error answer for
    /// a document that is not open.
    async fn request_snapshot(&self, uri: &Uri) -> Result<(Arc<Snapshot>, Encoding)> {
        match self.snapshot(uri).await? {
            Some(snapshot) => Ok((snapshot, self.session().encoding)),
            None => Err(Error::invalid_params(format!(
                "{} is not open",
                uri.as_str()
            ))),
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// The thread every analysis runs on. One long-lived thread, not the blocking pool: the
/// allocator gives each thread its own arena and keeps what is freed there, so analyses of a
/// 32 MB document spread over the pool's threads held several copies of its memory at once
/// (433 MB peak while editing, against 158 MB on one thread; `benches/lsp.rs`).
#[derive(Debug)]
struct Analyser {
    jobs: std::result::Result<std::sync::mpsc::Sender<Job>, String>,
}

impl Analyser {
    fn start() -> Self {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let started = std::thread::Builder::new()
            .name("claude-preflight-analysis".into())
            .spawn(move || queue.into_iter().for_each(|job| job()));
        Self {
            jobs: started
                .map(|_| jobs)
                .map_err(|e| format!("cannot start the analysis thread: {e}")),
        }
    }

    /// Runs `job` on the analysis thread; a panic in it comes back as the `Err` of the inner
    /// result.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<std::thread::Result<T>> {
        let jobs = self.jobs.as_ref().map_err(|e| internal_error(e.clone()))?;
        let (answer, outcome) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(catch_unwind(AssertUnwindSafe(job)));
        });
        jobs.send(job)
            .map_err(|_| internal_error("the analysis thread has stopped".into()))?;
        outcome
            .await
            .map_err(|_| internal_error("the analysis thread has stopped".into()))
    }
}

fn internal_error(message: String) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: message.into(),
        data: None,
    }
}

/// The message a panic carried.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".into()
    }
}

/// `fixAll` as this server names it.
pub(crate) fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.claude-preflight")
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let capabilities = &params.capabilities;
        let workspace = capabilities.workspace.as_ref();
        let pull = capabilities
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        #[allow(deprecated, reason = "rootUri is how older clients name the root")]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .map(|folder| &folder.uri)
            .or(params.root_uri.as_ref())
            .and_then(documents::file_path);
        let encoding = Encoding::negotiate(
            capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let init_settings = params.initialization_options.unwrap_or(Value::Null);
        let problems = self.update_session(|session| {
            session.encoding = encoding;
            session.pull = pull;
            session.refresh = workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                == Some(true);
            session.document_changes = workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                == Some(true);
            session.watch_registration = workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                == Some(true);
            session.root = root;
            session.init_settings = init_settings;
            session.configure()
        });
        // Shown once the client is ready for messages.
        *self
            .shared
            .pending_problems
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = problems;
        Ok(InitializeResult {
            capabilities: capabilities_for(encoding, pull),
            server_info: Some(ServerInfo {
                name: diagnostics::SOURCE.into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let problems = std::mem::take(
            &mut *self
                .shared
                .pending_problems
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        self.show_problems(problems).await;
        if self.session().watch_registration {
            let watchers = watched_globs()
                .into_iter()
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob),
                    kind: None,
                })
                .collect();
            let registration = Registration {
                id: "claude-preflight-config".into(),
                method: DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            };
            if let Err(error) = self.client.register_capability(vec![registration]).await {
                self.client
                    .log_message(
                        MessageType::WARNING,
                        format!(
                            "cannot watch configuration files and modules ({}); reopen documents after editing claude-preflight.toml",
                            error.message
                        ),
                    )
                    .await;
            }
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let generation =
            self.documents()
                .open(item.uri.clone(), &item.language_id, item.version, item.text);
        self.schedule(item.uri, generation);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let encoding = self.session().encoding;
        // Synchronously, before any await: edits apply in arrival order.
        let changed = self.documents().change(
            &uri,
            params.text_document.version,
            params.content_changes,
            encoding,
        );
        match changed {
            Ok(generation) => self.schedule(uri, generation),
            Err(ChangeError::NotOpen) => {
                self.client
                    .log_message(
                        MessageType::WARNING,
                        format!("ignored a change to {}, which is not open", uri.as_str()),
                    )
                    .await;
            }
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if !self.documents().close(&uri) || self.session().pull {
            return;
        }
        let mut published = self.shared.published.lock().await;
        published.remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if params.settings.is_null() {
            return;
        }
        let problems = self.update_session(|session| {
            session.changed_settings = params.settings;
            session.configure()
        });
        self.show_problems(problems).await;
        self.reanalyse_all().await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.modules_changed(&[&params.text_document.uri]).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let config_changed = params.changes.iter().any(|change| {
            documents::file_path(&change.uri)
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .is_some_and(|name| WATCHED.contains(&name.as_str()))
        });
        if config_changed {
            let problems = self.update_session(Session::configure);
            self.show_problems(problems).await;
            self.reanalyse_all().await;
            return;
        }
        let changed: Vec<&Uri> = params.changes.iter().map(|change| &change.uri).collect();
        self.modules_changed(&changed).await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some(snapshot) = self.snapshot(&uri).await? else {
            return Ok(full_report(None, Vec::new()));
        };
        if !self.documents().is_current(&uri, snapshot.generation) {
            // Changed while it was analysed: ask the client to pull again.
            return Err(Error {
                code: ErrorCode::ServerError(-32802),
                message: "the document changed during the analysis".into(),
                data: Some(serde_json::json!({ "retriggerRequest": true })),
            });
        }
        let result_id = snapshot.generation.to_string();
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                }),
            ));
        }
        let converter = Converter::new(&snapshot.text, &snapshot.index, self.session().encoding);
        let items = diagnostics::of_snapshot(&snapshot, &converter);
        Ok(full_report(Some(result_id), items))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let (snapshot, encoding) = self.request_snapshot(&params.text_document.uri).await?;
        let session = self.session();
        let target = actions::Target {
            uri: &params.text_document.uri,
            snapshot: &snapshot,
            converter: Converter::new(&snapshot.text, &snapshot.index, encoding),
            versioned: session.document_changes,
        };
        let found = actions::actions(&target, params.range, params.context.only.as_deref());
        Ok((!found.is_empty()).then_some(found))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let (snapshot, encoding) = self.request_snapshot(&position.text_document.uri).await?;
        let converter = Converter::new(&snapshot.text, &snapshot.index, encoding);
        Ok(hover::hover(&snapshot, &converter, position.position))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let (snapshot, encoding) = self.request_snapshot(&params.text_document.uri).await?;
        let converter = Converter::new(&snapshot.text, &snapshot.index, encoding);
        Ok(Some(inlay::hints(&snapshot, &converter, params.range)))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if params.command != locate_error::COMMAND {
            return Err(Error::invalid_params(format!(
                "no command `{}`",
                params.command
            )));
        }
        let (Some(Value::String(uri)), Some(Value::String(error))) =
            (params.arguments.first(), params.arguments.get(1))
        else {
            return Err(Error::invalid_params(
                "arguments: [document uri, error text]",
            ));
        };
        let uri: Uri = uri
            .parse()
            .map_err(|_| Error::invalid_params(format!("not a URI: {uri}")))?;
        let (snapshot, encoding) = self.request_snapshot(&uri).await?;
        let converter = Converter::new(&snapshot.text, &snapshot.index, encoding);
        let location = locate_error::locate_error(&uri, &snapshot, &converter, error);
        Ok(location.and_then(|l| serde_json::to_value(l).ok()))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let position = params.text_document_position;
        let (snapshot, encoding) = self.request_snapshot(&position.text_document.uri).await?;
        let converter = Converter::new(&snapshot.text, &snapshot.index, encoding);
        let items = completion::complete(&snapshot, &converter, position.position);
        Ok((!items.is_empty()).then_some(CompletionResponse::Array(items)))
    }
}

fn full_report(
    result_id: Option<String>,
    items: Vec<Diagnostic>,
) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
        },
    ))
}

/// The files whose change on disk the server is told of: the configuration files, and the
/// modules whose constants other files import (`extract::siblings`).
fn watched_globs() -> Vec<String> {
    let modules = HOSTS
        .iter()
        .filter(|host| siblings::MODULE_KINDS.contains(&host.kind))
        .flat_map(|host| host.extensions)
        .map(|ext| format!("**/*.{ext}"));
    WATCHED
        .iter()
        .map(|name| format!("**/{name}"))
        .chain(modules)
        .collect()
}

fn capabilities_for(encoding: Encoding, pull: bool) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, fix_all_kind()]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![locate_error::COMMAND.into()],
            ..ExecuteCommandOptions::default()
        }),
        inlay_hint_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into()]),
            ..CompletionOptions::default()
        }),
        diagnostic_provider: pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(diagnostics::SOURCE.into()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        ..ServerCapabilities::default()
    }
}

/// Wraps the LSP service so that a panic in any handler answers the request with an internal
/// error (and drops a notification) instead of unwinding through the transport and killing
/// the server.
#[derive(Debug)]
pub(crate) struct CatchPanic<S>(pub S);

type Answer<E> = Pin<Box<dyn Future<Output = std::result::Result<Option<Response>, E>> + Send>>;

impl<S> Service<Request> for CatchPanic<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = Answer<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let id = request.id().cloned();
        let method = request.method().to_owned();
        let answer = move |panic: Box<dyn std::any::Any + Send>| {
            id.map(|id| {
                Response::from_error(
                    id,
                    internal_error(format!(
                        "claude-preflight failed on `{method}` (please report this): {}",
                        panic_message(panic.as_ref())
                    )),
                )
            })
        };
        match catch_unwind(AssertUnwindSafe(|| self.0.call(request))) {
            Ok(future) => Box::pin(
                AssertUnwindSafe(future)
                    .catch_unwind()
                    .map(|outcome| outcome.unwrap_or_else(|panic| Ok(answer(panic)))),
            ),
            Err(panic) => Box::pin(std::future::ready(Ok(answer(panic)))),
        }
    }
}

/// Notes that the client asked to shut down, as the request arrives: the handler itself may
/// never run when `exit` follows at once (exit cancels pending requests), but the exit status
/// must still be 0.
#[derive(Debug)]
pub(crate) struct NoteShutdown<S> {
    /// The service.
    pub inner: S,
    /// Set when a `shutdown` request arrives.
    pub requested: Arc<AtomicBool>,
}

impl<S: Service<Request>> Service<Request> for NoteShutdown<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.method() == "shutdown" {
            self.requested.store(true, Ordering::SeqCst);
        }
        self.inner.call(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::jsonrpc::Id;

    /// A service whose handlers panic, one while being called and one while running.
    struct Panicking;

    impl Service<Request> for Panicking {
        type Response = Option<Response>;
        type Error = ();
        type Future = Answer<()>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<std::result::Result<(), ()>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: Request) -> Self::Future {
            if request.method() == "early" {
                panic!("broken before the future");
            }
            Box::pin(async { panic!("broken inside the future") })
        }
    }

    #[tokio::test]
    async fn a_panicking_analysis_is_caught_and_the_thread_lives_on() {
        let analyser = Analyser::start();
        let panicked = analyser.run(|| -> u32 { panic!("broken rule") }).await;
        let panic = panicked.unwrap().unwrap_err();
        assert_eq!(panic_message(panic.as_ref()), "broken rule");
        assert_eq!(analyser.run(|| 2 + 2).await.unwrap().unwrap(), 4);
    }

    #[tokio::test]
    async fn panics_become_error_answers() {
        let mut service = CatchPanic(Panicking);
        for (method, message) in [
            ("early", "broken before the future"),
            ("late", "broken inside the future"),
        ] {
            let request = Request::build(method).id(7).finish();
            let response = service.call(request).await.unwrap().unwrap();
            let (id, result) = response.into_parts();
            assert_eq!(id, Id::Number(7));
            let error = result.unwrap_err();
            assert_eq!(error.code, ErrorCode::InternalError);
            assert_eq!(
                error.message,
                format!("claude-preflight failed on `{method}` (please report this): {message}")
            );
        }
        let notification = Request::build("late").finish();
        assert_eq!(service.call(notification).await, Ok(None));
    }
}
