//! What a run lints: the paths it is given turned into jobs (folders walked with the
//! configuration's include and exclude, the files of a notice gathered into one job),
//! each with the linter its settings call for. The command line and the editor plan
//! alike, so a notice is linted as one document in both.

use std::cell::Cell;
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::config::{RuleSettings, same_file};
use crate::diagnostic::FileReport;
use crate::document::{Document, Format, ReadOptions, SourceText};
use crate::engine::{self, Linter};
use crate::input;
use crate::linters::Linters;
use crate::walk::{self, Input};

/// One unit of work: a file, standard input, or the files of one notice.
pub enum Job {
    /// Standard input, read as if it were the file of this name.
    Stdin(PathBuf, Arc<Linter>),
    File(Input, Arc<Linter>),
    /// A file read while its linter was built: the document (or why it could not be
    /// read), until the job runs.
    ReadAhead(Input, Arc<Linter>, Box<Mutex<Option<Read>>>),
    Notice(NoticeJob),
    Unreadable(walk::InputError),
}

impl Job {
    /// Lints the job's files: their reports, in the order the run named them.
    pub fn run(&self, max_file_size: u64) -> Vec<FileReport> {
        match self {
            Job::Stdin(name, linter) => vec![lint_stdin(linter, name, max_file_size)],
            Job::File(input, linter) => vec![lint_file(linter, input, max_file_size)],
            Job::ReadAhead(input, linter, read) => {
                // Taken once; a job run again reads its file again.
                match read.lock().ok().and_then(|mut read| read.take()) {
                    Some(read) => vec![lint_read(linter, input, read)],
                    None => vec![lint_file(linter, input, max_file_size)],
                }
            }
            Job::Notice(notice) => notice.lint(max_file_size),
            Job::Unreadable(e) => vec![FileReport::failed(
                e.path.display().to_string(),
                e.message.clone(),
            )],
        }
    }
}

/// A notice's files, linted together; only those the run named are reported, in the
/// order the run named them.
pub struct NoticeJob {
    linter: Arc<Linter>,
    /// Every member, each with its place among the reports the run asked for.
    members: Vec<(Input, Option<usize>)>,
    asked: usize,
}

/// A file read into a document, or its failed report.
type Read = Result<Document, Box<FileReport>>;

/// Turns the paths given into jobs. `-` is standard input, read as `stdin_name`.
/// Files of at most `max_file_size` bytes are read.
pub fn plan(
    paths: &[PathBuf],
    stdin_name: &Path,
    linters: &mut Linters,
    max_file_size: u64,
) -> miette::Result<Vec<Job>> {
    let mut jobs = Vec::new();
    // For each notice of the configuration: the index of its job, once there is one.
    let mut notice_jobs: HashMap<usize, usize> = HashMap::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let settings = linters.settings_for(stdin_name);
            jobs.push(Job::Stdin(
                stdin_name.to_path_buf(),
                linters.linter(&settings)?,
            ));
            continue;
        }
        for item in walk_with_config(path, linters) {
            let input = match item {
                Ok(input) => input,
                Err(e) => {
                    jobs.push(Job::Unreadable(e));
                    continue;
                }
            };
            let notice = linters.config().and_then(|c| c.notice_of(&input.path));
            let Some(notice) = notice else {
                let settings = linters.settings_for(&input.path);
                jobs.push(file_job(input, &settings, linters, max_file_size)?);
                continue;
            };
            if let Some(&at) = notice_jobs.get(&notice)
                && let Job::Notice(job) = &mut jobs[at]
            {
                job.mark_shown(&input);
                continue;
            }
            let mut job = NoticeJob::new(linters, notice)?;
            job.mark_shown(&input);
            notice_jobs.insert(notice, jobs.len());
            jobs.push(Job::Notice(job));
        }
    }
    Ok(jobs)
}

/// A file's job. When its linter is still to be built (the rules loaded and
/// compiled, as for a run's first file), the file is read and parsed meanwhile on
/// another thread: one long policy would otherwise wait for the rules to load, and
/// reading it uses one core while loading them leaves one free. An error in the rules
/// is still reported before any file's report.
fn file_job(
    input: Input,
    settings: &RuleSettings,
    linters: &mut Linters,
    max_file_size: u64,
) -> miette::Result<Job> {
    if linters.is_built(settings) {
        return Ok(Job::File(input, linters.linter(settings)?));
    }
    let options = linters.read_options();
    let (linter, read) = std::thread::scope(|scope| {
        let reading = scope.spawn(|| read_file(&input, &options, max_file_size));
        let linter = linters.linter(settings);
        let read = reading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (linter, read)
    });
    Ok(Job::ReadAhead(
        input,
        linter?,
        Box::new(Mutex::new(Some(read))),
    ))
}

/// The policy files at `path`; a folder is walked with the configuration's include
/// and exclude, and a folder whose every file they leave out is an error.
fn walk_with_config(path: &Path, linters: &Linters) -> Vec<Result<Input, walk::InputError>> {
    let walked = path.is_dir();
    let mut found = walk::collect(std::slice::from_ref(&path.to_path_buf()));
    if walked && let Some(config) = linters.config() {
        let before = found.iter().filter(|f| f.is_ok()).count();
        found.retain(|f| {
            f.as_ref()
                .map_or(true, |input| config.walks_into(&input.path))
        });
        if before > 0 && found.iter().all(|f| f.is_err()) {
            found.push(Err(walk::InputError {
                path: path.to_path_buf(),
                message: format!(
                    "every policy file here is left out by the include and exclude of {}",
                    config.path.display()
                ),
            }));
        }
    }
    found
}

impl NoticeJob {
    /// The configuration's notice number `notice`, none of its files asked for yet.
    fn new(linters: &mut Linters, notice: usize) -> miette::Result<NoticeJob> {
        // Invariant: `notice` indexes the configuration's notices.
        let files = linters
            .config()
            .map(|c| c.notices[notice].files.clone())
            .unwrap_or_default();
        // The whole notice is read with the settings of its first file.
        let settings = linters.settings_for(&files[0]);
        Ok(NoticeJob {
            linter: linters.linter(&settings)?,
            members: files
                .iter()
                .map(|f| {
                    let format = Format::from_path(f).unwrap_or(Format::Text);
                    let input = Input {
                        path: f.clone(),
                        format,
                    };
                    (input, None)
                })
                .collect(),
            asked: 0,
        })
    }

    /// The notice `file` belongs to, with `file` the one member asked for; `None`
    /// when the configuration puts it in no notice.
    pub fn of_file(linters: &mut Linters, file: &Path) -> miette::Result<Option<NoticeJob>> {
        let Some(notice) = linters.config().and_then(|c| c.notice_of(file)) else {
            return Ok(None);
        };
        let mut job = NoticeJob::new(linters, notice)?;
        let format = Format::from_path(file).unwrap_or(Format::Text);
        job.mark_shown(&Input {
            path: file.to_path_buf(),
            format,
        });
        Ok(Some(job))
    }

    /// Marks a member as asked for, under the path the run named it by.
    fn mark_shown(&mut self, input: &Input) {
        let wanted = std::path::absolute(&input.path).unwrap_or_else(|_| input.path.clone());
        let member = self
            .members
            .iter_mut()
            .find(|(member, shown)| shown.is_none() && same_file(&member.path, &wanted));
        if let Some((member, shown)) = member {
            member.path = input.path.clone();
            *shown = Some(self.asked);
            self.asked += 1;
        }
    }

    /// Lints the notice from its files on disk.
    pub fn lint(&self, max_file_size: u64) -> Vec<FileReport> {
        self.lint_reading(|_, input, _| read_file(input, self.linter.read_options(), max_file_size))
    }

    /// Lints the notice with `text` (an editor's buffer, saved or not) standing for
    /// the one member asked for, the others read from disk: that member's report.
    pub fn lint_edited(&self, text: String, max_file_size: u64) -> Option<FileReport> {
        let edited = self.members.iter().position(|(_, shown)| shown.is_some())?;
        let text = Cell::new(Some(text));
        let mut reports = self.lint_reading(|i, input, path| match text.take() {
            Some(text) if i == edited => {
                self.linter
                    .read_text(path, SourceText::utf8(text), input.format, None)
            }
            kept => {
                text.set(kept);
                read_file(input, self.linter.read_options(), max_file_size)
            }
        });
        reports.pop()
    }

    /// Reads each member with `read` (given its index, input and path) and lints
    /// those that could be read as one notice; returns the reports of the members
    /// asked for, in the order asked.
    fn lint_reading(
        &self,
        read: impl Fn(usize, &Input, &str) -> Result<Document, Box<FileReport>>,
    ) -> Vec<FileReport> {
        let mut documents = Vec::new();
        let mut reports: Vec<(usize, FileReport)> = Vec::new();
        for (i, (input, shown)) in self.members.iter().enumerate() {
            let path = input.path.display().to_string();
            match (read(i, input, &path), shown) {
                (Ok(doc), _) => documents.push((path, doc, *shown)),
                (Err(report), Some(at)) => reports.push((*at, *report)),
                (Err(_), None) => {}
            }
        }
        let shown: Vec<Option<usize>> = documents.iter().map(|(_, _, shown)| *shown).collect();
        let linted = self.linter.lint_notice(
            documents
                .into_iter()
                .map(|(path, doc, _)| (path, doc))
                .collect(),
        );
        reports.extend(
            linted
                .into_iter()
                .zip(shown)
                .filter_map(|(report, shown)| Some((shown?, report))),
        );
        reports.sort_by_key(|(at, _)| *at);
        reports.into_iter().map(|(_, report)| report).collect()
    }

    /// The linter the notice is read and linted with.
    pub fn linter(&self) -> &Arc<Linter> {
        &self.linter
    }
}

fn lint_file(linter: &Linter, input: &Input, max_file_size: u64) -> FileReport {
    lint_read(
        linter,
        input,
        read_file(input, linter.read_options(), max_file_size),
    )
}

/// The report of a file read (or not) into a document.
fn lint_read(linter: &Linter, input: &Input, read: Read) -> FileReport {
    match read {
        Ok(doc) => linter.lint_document(&input.path.display().to_string(), doc),
        Err(report) => *report,
    }
}

/// Reads a file from disk into a document with these options.
fn read_file(input: &Input, options: &ReadOptions, max_file_size: u64) -> Read {
    let path = input.path.display().to_string();
    input::read_file(&input.path, max_file_size)
        .map_err(|e| Box::new(FileReport::failed(path.clone(), e.to_string())))
        .and_then(|bytes| engine::read_document(&path, bytes, input.format, options))
}

fn lint_stdin(linter: &Linter, name: &Path, max_file_size: u64) -> FileReport {
    let path = name.display().to_string();
    // Checked when the arguments were read: the name's extension is a known format.
    let format = Format::from_path(name).unwrap_or(Format::Markdown);
    match input::read_limited(io::stdin().lock(), max_file_size, 0) {
        Ok(bytes) => linter.lint_bytes(&path, bytes, format),
        Err(input::ReadError::Io(e)) => {
            FileReport::failed(path, format!("cannot read standard input: {e}"))
        }
        Err(e) => FileReport::failed(path, e.to_string()),
    }
}
