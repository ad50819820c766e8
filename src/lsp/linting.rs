//! Linting open documents off the main loop, so that reading messages never waits for
//! a lint: one background thread, fed the latest text of each document.

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::thread;

use crossbeam_channel::{Receiver, Sender, unbounded};
use lsp_types::Uri;

use super::convert::{self, Utf16Index};
use crate::diagnostic::FileReport;
use crate::document::Format;
use crate::editing::Earlier;
use crate::engine::Linter;
use crate::input::DEFAULT_MAX_FILE_SIZE;
use crate::plan::NoticeJob;

/// A document's text as linted, with everything hovers and quick fixes need.
pub struct Linted {
    pub version: i32,
    pub report: FileReport,
    pub index: Utf16Index,
    pub diagnostics: Vec<lsp_types::Diagnostic>,
    pub linter: Arc<Linter>,
}

/// Lints an editor's text, reusing what the lint of its previous version found
/// ([`Linter::lint_edited`]), against today's date rather than the server's start
/// date: editors stay open for days.
pub fn lint_text(
    linter: &Linter,
    path: &str,
    text: String,
    format: Format,
    earlier: Option<&Earlier>,
) -> (FileReport, Option<Earlier>) {
    let today = jiff::ZonedDateTime::now().date();
    linter.lint_edited(path, text, format, today, earlier)
}

/// Lints one version of a document and converts the findings: what each keystroke
/// costs, once the typing pauses.
pub fn lint_version(
    linter: Arc<Linter>,
    uri: &Uri,
    version: i32,
    text: String,
    format: Format,
    notice: Option<&NoticeJob>,
    earlier: Option<&Earlier>,
) -> (Linted, Option<Earlier>) {
    let path = super::workspace::file_path(uri)
        .map_or_else(|| uri.as_str().to_string(), |p| p.display().to_string());
    // A bug in a rule or parser must not take the editor's diagnostics down with it.
    let (report, memo) = panic::catch_unwind(AssertUnwindSafe(|| match notice {
        // A notice is linted whole, its other files as saved: nothing to reuse.
        Some(notice) => {
            let report = notice
                .lint_edited(text.clone(), DEFAULT_MAX_FILE_SIZE)
                .unwrap_or_else(|| {
                    FileReport::failed(path.clone(), "not a member of its notice".into())
                });
            (report, None)
        }
        None => lint_text(&linter, &path, text.clone(), format, earlier),
    }))
    .unwrap_or_else(|_| {
        let mut failed = FileReport::failed(
            path.clone(),
            "policylint failed on this text (an internal error); the command line shows the same with `policylint lint`".into(),
        );
        failed.source = text;
        (failed, None)
    });
    let index = Utf16Index::new(&report.source);
    let diagnostics = convert::diagnostics(&report, &index, uri, linter.rules());
    let linted = Linted {
        version,
        report,
        index,
        diagnostics,
        linter,
    };
    (linted, memo)
}

/// The memos of the documents linted last, so that a pause in typing re-lints only
/// the sentences that changed. A few documents are remembered, the latest first.
#[derive(Default)]
struct Memos {
    latest: Vec<(String, Earlier)>,
}

impl Memos {
    /// How many documents are remembered (a 100 KB policy's memo is about a megabyte).
    const KEPT: usize = 8;

    fn take(&mut self, uri: &str) -> Option<Earlier> {
        let i = self.latest.iter().position(|(u, _)| u == uri)?;
        Some(self.latest.remove(i).1)
    }

    fn keep(&mut self, uri: &str, memo: Earlier) {
        self.latest.insert(0, (uri.to_string(), memo));
        self.latest.truncate(Self::KEPT);
    }
}

/// A document version to lint.
pub struct Job {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
    pub format: Format,
    pub linter: Arc<Linter>,
    /// The configuration's notice the document is a member of, if any.
    pub notice: Option<NoticeJob>,
}

/// The background thread that lints.
pub struct Worker {
    jobs: Sender<Job>,
    pub results: Receiver<(Uri, Linted)>,
}

impl Worker {
    pub fn start() -> std::io::Result<Worker> {
        let (jobs, queue) = unbounded::<Job>();
        let (done, results) = unbounded();
        thread::Builder::new()
            .name("policylint-lint".into())
            .spawn(move || {
                let mut memos = Memos::default();
                while let Ok(first) = queue.recv() {
                    // Of several queued versions of a document only the last matters.
                    let mut latest: HashMap<String, Job> = HashMap::new();
                    for job in std::iter::once(first).chain(queue.try_iter()) {
                        latest.insert(job.uri.as_str().to_string(), job);
                    }
                    for job in latest.into_values() {
                        let uri = job.uri;
                        let earlier = memos.take(uri.as_str());
                        let (linted, memo) = lint_version(
                            job.linter,
                            &uri,
                            job.version,
                            job.text,
                            job.format,
                            job.notice.as_ref(),
                            earlier.as_ref(),
                        );
                        if let Some(memo) = memo {
                            memos.keep(uri.as_str(), memo);
                        }
                        if done.send((uri, linted)).is_err() {
                            return;
                        }
                    }
                }
            })?;
        Ok(Worker { jobs, results })
    }

    pub fn submit(&self, job: Job) {
        // The thread only ends when this sender is dropped.
        self.jobs.send(job).ok();
    }
}
