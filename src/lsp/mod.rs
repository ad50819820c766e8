//! `policylint lsp`: a language server. Editors send the text of open policies; the
//! server lints each one when the typing pauses and publishes the findings, explains
//! them on hover and offers quick fixes that write suppression directives.
//!
//! The main loop only reads messages and answers them; linting happens on a
//! background thread ([`linting::Worker`]).

pub mod actions;
pub mod convert;
pub mod linting;
pub mod transport;
pub mod workspace;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::select;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, LogMessage, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidChangeWatchedFilesRegistrationOptions,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern,
    HoverParams, HoverProviderCapability, InitializeParams, InitializeResult, LogMessageParams,
    MessageType, PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde::de::DeserializeOwned;

use crate::document::Format;
use crate::linters::RuleFlags;
use convert::Utf16Index;
use linting::{Job, Linted, Worker};
use workspace::Workspace;

/// How long typing must pause before a changed document is linted again.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// The files whose change rebuilds the linter: the configuration and rule files.
pub const WATCHED: [&str; 2] = ["**/policylint.yaml", "**/*.yaml"];

/// Serves on standard input and output until the client says `exit`. Returns whether
/// the client shut the server down first (the exit code is 0 then, else 1).
pub fn run_stdio(choice: RuleFlags) -> Result<bool, String> {
    let (connection, writer) =
        transport::stdio().map_err(|e| format!("cannot start the language server: {e}"))?;
    let clean = serve(connection, choice);
    writer.join();
    clean
}

/// Serves one client over `connection` (standard input and output, or in memory).
pub fn serve(connection: Connection, choice: RuleFlags) -> Result<bool, String> {
    let worker = Worker::start().map_err(|e| format!("cannot start linting: {e}"))?;
    let mut server = Server {
        connection,
        worker,
        choice,
        phase: Phase::Uninitialized,
        root: None,
        linter: Err("the rules are loaded when the client initializes the server".into()),
        can_watch_files: false,
        documents: HashMap::new(),
        due: HashMap::new(),
        next_request: 0,
    };
    Ok(server.run())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

/// An open policy as the editor has it.
struct OpenDocument {
    text: String,
    version: i32,
    format: Format,
    /// The last lint of this document (possibly of an earlier version).
    linted: Option<Linted>,
}

struct Server {
    connection: Connection,
    worker: Worker,
    choice: RuleFlags,
    phase: Phase,
    root: Option<PathBuf>,
    /// The rules in force, or why none could be loaded.
    linter: Result<Arc<Workspace>, String>,
    can_watch_files: bool,
    documents: HashMap<Uri, OpenDocument>,
    /// Documents waiting to be linted, and when.
    due: HashMap<Uri, Instant>,
    next_request: i32,
}

impl Server {
    /// The main loop. Returns whether `exit` came after `shutdown`.
    fn run(&mut self) -> bool {
        let receiver = self.connection.receiver.clone();
        let results = self.worker.results.clone();
        loop {
            let wait = self
                .due
                .values()
                .min()
                .map_or(Duration::from_secs(3600), |t| {
                    t.saturating_duration_since(Instant::now())
                });
            select! {
                recv(receiver) -> message => match message {
                    Ok(message) => {
                        if let Some(clean) = self.handle(message) {
                            return clean;
                        }
                    }
                    // The client went away without `exit`.
                    Err(_) => return false,
                },
                recv(results) -> linted => {
                    if let Ok((uri, linted)) = linted {
                        self.publish(uri, linted);
                    }
                },
                default(wait) => {},
            }
            self.lint_due();
        }
    }

    /// Handles one message; `Some` when the server is to exit.
    fn handle(&mut self, message: Message) -> Option<bool> {
        match message {
            Message::Request(request) => self.on_request(request),
            Message::Notification(n) if n.method == "exit" => {
                return Some(self.phase == Phase::ShutDown);
            }
            Message::Notification(n) => self.on_notification(n),
            Message::Response(response) => {
                if let Err(e) = response.response_result {
                    self.log(
                        MessageType::WARNING,
                        format!("the editor refused a request: {}", e.message),
                    );
                }
            }
        }
        None
    }

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        let answer = match (self.phase, request.method.as_str()) {
            (Phase::Uninitialized, "initialize") => self.initialize(request),
            (Phase::Uninitialized, _) => Err((
                ErrorCode::ServerNotInitialized,
                "the server is not initialized: send `initialize` first".into(),
            )),
            (Phase::ShutDown, _) => Err((
                ErrorCode::InvalidRequest,
                "the server is shut down: only `exit` is expected".into(),
            )),
            (Phase::Running, "initialize") => Err((
                ErrorCode::InvalidRequest,
                "the server is already initialized".into(),
            )),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                self.due.clear();
                Ok(serde_json::Value::Null)
            }
            (Phase::Running, HoverRequest::METHOD) => {
                params::<HoverParams>(request).map(|p| self.hover(p))
            }
            (Phase::Running, CodeActionRequest::METHOD) => {
                params::<CodeActionParams>(request).map(|p| self.code_actions(p))
            }
            (Phase::Running, method) => Err((
                ErrorCode::MethodNotFound,
                format!("policylint does not handle `{method}`"),
            )),
        };
        let response = match answer {
            Ok(result) => Response::new_ok(id, result),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response.into());
    }

    fn initialize(&mut self, request: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        let init: InitializeParams = params(request)?;
        self.root = root_of(&init);
        self.can_watch_files = init
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        self.phase = Phase::Running;
        self.rebuild_linter();
        let capabilities = ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(true),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            ..ServerCapabilities::default()
        };
        let result = InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "policylint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        serde_json::to_value(result).map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    fn on_notification(&mut self, n: Notification) {
        if self.phase != Phase::Running {
            return;
        }
        let method = n.method.clone();
        let handled = match method.as_str() {
            "initialized" => {
                self.watch_rule_files();
                Ok(())
            }
            DidOpenTextDocument::METHOD => notification::<DidOpenTextDocumentParams>(n).map(|p| {
                let doc = p.text_document;
                if let Some(format) = workspace::format_of(&doc.uri) {
                    self.documents.insert(
                        doc.uri.clone(),
                        OpenDocument {
                            text: doc.text,
                            version: doc.version,
                            format,
                            linted: None,
                        },
                    );
                    self.due.insert(doc.uri, Instant::now());
                }
            }),
            DidChangeTextDocument::METHOD => {
                notification::<DidChangeTextDocumentParams>(n).map(|p| self.change(p))
            }
            DidSaveTextDocument::METHOD => notification::<DidSaveTextDocumentParams>(n).map(|p| {
                let uri = p.text_document.uri;
                if let Some(doc) = self.documents.get_mut(&uri) {
                    if let Some(text) = p.text {
                        doc.text = text;
                    }
                    self.due.insert(uri, Instant::now());
                }
            }),
            DidCloseTextDocument::METHOD => {
                notification::<lsp_types::DidCloseTextDocumentParams>(n).map(|p| {
                    let uri = p.text_document.uri;
                    self.due.remove(&uri);
                    if self.documents.remove(&uri).is_some() {
                        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams::new(
                            uri,
                            Vec::new(),
                            None,
                        ));
                    }
                })
            }
            DidChangeWatchedFiles::METHOD => {
                notification::<lsp_types::DidChangeWatchedFilesParams>(n).map(|_| {
                    self.rebuild_linter();
                })
            }
            // `$/cancelRequest`, `$/setTrace` and the rest: nothing to do.
            _ => Ok(()),
        };
        if let Err(problem) = handled {
            self.log(
                MessageType::WARNING,
                format!("ignored a `{method}` notification: {problem}"),
            );
        }
    }

    /// Applies edits: whole texts (the sync the server asks for) or ranges.
    fn change(&mut self, p: DidChangeTextDocumentParams) {
        let uri = p.text_document.uri;
        let Some(doc) = self.documents.get_mut(&uri) else {
            return;
        };
        for change in p.content_changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let index = Utf16Index::new(&doc.text);
                    let start = index.offset(&doc.text, range.start);
                    let end = index.offset(&doc.text, range.end).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
            }
        }
        doc.version = p.text_document.version;
        self.due.insert(uri, Instant::now() + DEBOUNCE);
    }

    /// Sends the documents whose pause is over to the linting thread.
    fn lint_due(&mut self) {
        let now = Instant::now();
        let ready: Vec<Uri> = self
            .due
            .iter()
            .filter(|(_, t)| **t <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in ready {
            self.due.remove(&uri);
            let Some(doc) = self.documents.get(&uri) else {
                continue;
            };
            let path = workspace::file_path(&uri);
            let target = match &self.linter {
                Ok(workspace) => {
                    workspace
                        .notice_for(path.as_deref())
                        .and_then(|notice| match notice {
                            Some(notice) => Ok((Arc::clone(notice.linter()), Some(notice))),
                            None => Ok((workspace.linter_for(path.as_deref())?, None)),
                        })
                }
                Err(error) => Err(error.clone()),
            };
            match target {
                Ok((linter, notice)) => self.worker.submit(Job {
                    uri,
                    version: doc.version,
                    text: doc.text.clone(),
                    format: doc.format,
                    linter,
                    notice,
                }),
                Err(error) => {
                    let message = format!("not linted: the rules could not be loaded: {error}");
                    let diagnostic = lsp_types::Diagnostic {
                        severity: Some(lsp_types::DiagnosticSeverity::ERROR),
                        source: Some(convert::SOURCE.into()),
                        message,
                        ..lsp_types::Diagnostic::default()
                    };
                    let version = Some(doc.version);
                    self.notify::<PublishDiagnostics>(PublishDiagnosticsParams::new(
                        uri,
                        vec![diagnostic],
                        version,
                    ));
                }
            }
        }
    }

    /// Publishes a lint if it is of the document's current text.
    fn publish(&mut self, uri: Uri, linted: Linted) {
        let Some(doc) = self.documents.get_mut(&uri) else {
            return;
        };
        if doc.version != linted.version {
            return;
        }
        let params =
            PublishDiagnosticsParams::new(uri, linted.diagnostics.clone(), Some(linted.version));
        doc.linted = Some(linted);
        self.notify::<PublishDiagnostics>(params);
    }

    fn hover(&self, p: HoverParams) -> serde_json::Value {
        let at = p.text_document_position_params;
        self.documents
            .get(&at.text_document.uri)
            .and_then(|doc| doc.linted.as_ref())
            .and_then(|linted| actions::hover(linted, at.position))
            .map_or(serde_json::Value::Null, |hover| {
                serde_json::to_value(hover).unwrap_or_default()
            })
    }

    fn code_actions(&self, p: CodeActionParams) -> serde_json::Value {
        let wants_quick_fixes = p.context.only.as_ref().is_none_or(|only| {
            only.iter()
                .any(|k| k.as_str().is_empty() || *k == CodeActionKind::QUICKFIX)
        });
        let uri = &p.text_document.uri;
        let Some(doc) = self.documents.get(uri) else {
            return serde_json::Value::Null;
        };
        let Some(linted) = doc.linted.as_ref().filter(|_| wants_quick_fixes) else {
            return serde_json::json!([]);
        };
        let found = actions::code_actions(linted, uri, &doc.text, doc.format, p.range);
        serde_json::to_value(found).unwrap_or_default()
    }

    /// Loads the rules again (at start and when a rule or config file changes). On
    /// an error the previous rules stay in force and the user is told.
    fn rebuild_linter(&mut self) {
        match workspace::build_linter(self.root.as_deref(), &self.choice) {
            Ok(setup) => {
                for note in setup.notes {
                    self.log(MessageType::INFO, note);
                }
                let workspace = Arc::new(setup.workspace);
                compile_in_background(&workspace);
                self.linter = Ok(workspace);
            }
            Err(error) => {
                let kept = if self.linter.is_ok() {
                    "the previous rules stay in force"
                } else {
                    "nothing is linted until they load"
                };
                self.notify::<ShowMessage>(ShowMessageParams {
                    typ: MessageType::ERROR,
                    message: format!(
                        "policylint: the rules could not be loaded ({kept}):\n{error}"
                    ),
                });
                if self.linter.is_err() {
                    self.linter = Err(error);
                }
            }
        }
        let now = Instant::now();
        for uri in self.documents.keys() {
            self.due.insert(uri.clone(), now);
        }
    }

    /// Asks the editor to report changes to configuration and rule files.
    fn watch_rule_files(&mut self) {
        if !self.can_watch_files {
            self.log(
                MessageType::INFO,
                "the editor does not watch files for servers: restart the server after changing rules".into(),
            );
            return;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: WATCHED
                .iter()
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob.to_string()),
                    kind: None,
                })
                .collect(),
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "policylint-watch-rules".into(),
                method: DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request += 1;
        let id = RequestId::from(format!("policylint-{}", self.next_request));
        self.send(Request::new(id, RegisterCapability::METHOD.into(), params).into());
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.into(), params).into());
    }

    fn log(&self, typ: MessageType, message: String) {
        self.notify::<LogMessage>(LogMessageParams { typ, message });
    }

    fn send(&self, message: Message) {
        // A client that went away is noticed by the reader; nothing to do here.
        self.connection.sender.send(message).ok();
    }
}

fn params<P: DeserializeOwned>(request: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(request.params).map_err(|e| {
        (
            ErrorCode::InvalidParams,
            format!("bad parameters for `{}`: {e}", request.method),
        )
    })
}

fn notification<P: DeserializeOwned>(n: Notification) -> Result<P, String> {
    serde_json::from_value(n.params).map_err(|e| format!("bad parameters: {e}"))
}

/// The workspace root: the first workspace folder, else the (older) root URI.
fn root_of(init: &InitializeParams) -> Option<PathBuf> {
    if let Some(folder) = init.workspace_folders.as_ref().and_then(|f| f.first()) {
        return workspace::file_path(&folder.uri);
    }
    #[allow(deprecated)] // Clients that predate workspace folders send only this.
    let root = init.root_uri.as_ref();
    root.and_then(workspace::file_path)
}

/// Compiles the regexes for plain text of the workspace's rules (as its root settings
/// choose them) on a thread of their own, so that they are ready by the time the first
/// document is linted (each is otherwise compiled when first searched, which would make
/// the first lint after the server starts slower). The regexes for any text, which
/// only sentences with other characters need, are left to be compiled then. A lint
/// that needs a regex being compiled waits for it. The thread stops when the workspace is replaced (the rules changed).
fn compile_in_background(workspace: &Arc<Workspace>) {
    let current = Arc::downgrade(workspace);
    // A thread that cannot be started leaves each regex to be compiled when first
    // searched.
    let _ = std::thread::Builder::new()
        .name("compile-regexes".into())
        .spawn(move || {
            let linter = current.upgrade().map(|w| w.linter_for(None));
            if let Some(Ok(linter)) = linter {
                linter.compile_regexes(|| current.strong_count() > 0);
            }
        });
}
