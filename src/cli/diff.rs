//! `policylint diff`: what a revision of a policy newly meets or breaks. Both
//! revisions are linted with the same settings (those of the new file's path), then
//! their reports are compared (`report::diff`).

mod git;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use policylint::linters::Linters;
use policylint::plan::NoticeJob;
use policylint::report::diff::{DiffFormat, DiffReport, FileDiff, Side};
use policylint::{FileReport, Format, Severity, input};

use super::inputs::RunSettings;
use super::{exit_code, print_all};

#[derive(Args)]
pub struct DiffArgs {
    /// The old and the new revision of a policy (two files); with --git, the files
    /// or folders to look in (default: this folder).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Compare every policy file changed since this git revision (a commit, branch or
    /// tag, such as HEAD~1 or main) with the files as they are now.
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiffFormat,
    #[command(flatten)]
    pub settings: RunSettings,
    /// Exit 1 when a requirement becomes missing, or a new finding appears, at or above
    /// this severity (default: the configuration's, else error).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
}

/// What to compare: the old revision's text (if the file existed) and the new file
/// (if it still exists), each named as a reader should see it.
struct Pair {
    old: Option<(Side, Vec<u8>)>,
    new: Option<(Side, PathBuf)>,
}

pub fn diff(args: DiffArgs) -> miette::Result<ExitCode> {
    let mut linters = args.settings.linters()?;
    let fail_on = args
        .fail_on
        .or(linters.config().and_then(|c| c.fail_on))
        .unwrap_or(Severity::Error);
    let pairs = match &args.git {
        Some(revision) => git_pairs(revision, &args.paths, &linters)?,
        None => vec![file_pair(&args.paths, args.settings.max_file_size)?],
    };

    // The new revisions are linted as `lint` lints them (notices and all)...
    let new_paths: Vec<PathBuf> = pairs
        .iter()
        .filter_map(|p| p.new.as_ref().map(|(_, path)| path.clone()))
        .collect();
    let new_reports = if new_paths.is_empty() {
        Vec::new()
    } else {
        let jobs = args.settings.plan(&new_paths, &mut linters)?;
        args.settings.run(jobs)
    };
    // ...and each old revision with the settings of the path it now has.
    let mut linted = Vec::new();
    for pair in pairs {
        let old = match pair.old {
            Some((side, bytes)) => {
                let path = pair
                    .new
                    .as_ref()
                    .map_or_else(|| PathBuf::from(&side.path), |(_, path)| path.clone());
                Some((side, lint_old(&mut linters, &args.settings, &path, bytes)?))
            }
            None => None,
        };
        linted.push((old, pair.new));
    }
    let catalog = linters.catalog()?;
    let mut files = Vec::new();
    for (old, new) in &linted {
        let new = match new {
            Some((side, path)) => {
                let shown = path.display().to_string();
                // Invariant: every new path was planned, and so has its report.
                let report = new_reports
                    .iter()
                    .find(|r| r.path == shown)
                    .ok_or_else(|| miette::miette!("{shown} was not linted"))?;
                Some((side.clone(), report))
            }
            None => None,
        };
        let old = old.as_ref().map(|(side, report)| (side.clone(), report));
        files.push(FileDiff::compare(old, new, &catalog));
    }

    let report = DiffReport { files, fail_on };
    let mut text = Vec::new();
    report
        .write(args.format, &mut text)
        .map_err(|e| miette::miette!("cannot write the comparison: {e}"))?;
    print_all(&String::from_utf8_lossy(&text))?;
    let summary = report.summary();
    Ok(exit_code(summary.unreadable > 0, summary.regressions > 0))
}

/// `OLD NEW`: two files of the same format.
fn file_pair(paths: &[PathBuf], max_file_size: u64) -> miette::Result<Pair> {
    let [old, new] = paths else {
        return Err(miette::miette!(
            help = "write `policylint diff OLD NEW` with the old and the new file, or `policylint diff --git REV` to compare with a git revision",
            "diff compares two files; {} given",
            paths.len()
        ));
    };
    for path in [old, new] {
        if path.is_dir() {
            return Err(miette::miette!(
                help = "to compare every policy file in a folder with an earlier revision, use `policylint diff --git REV FOLDER`",
                "{} is a folder; diff compares two files",
                path.display()
            ));
        }
        if !path.is_file() {
            return Err(miette::miette!(
                help = "check the spelling of the path",
                "{}: no such file",
                path.display()
            ));
        }
    }
    let format = |path: &Path| {
        Format::from_path(path).ok_or_else(|| {
            miette::miette!(
                help = format!("policylint reads {}", Format::supported()),
                "{} is not a file type policylint reads",
                path.display()
            )
        })
    };
    if format(old)? != format(new)? {
        return Err(miette::miette!(
            help = "compare two revisions of the same document, both saved in the same format (both .md, say)",
            "{} and {} are in different formats",
            old.display(),
            new.display()
        ));
    }
    let bytes = input::read_file(old, max_file_size)
        .map_err(|e| miette::miette!("{}: {e}", old.display()))?;
    Ok(Pair {
        old: Some((Side::file(old.display().to_string()), bytes)),
        new: Some((Side::file(new.display().to_string()), new.clone())),
    })
}

/// `--git REV [PATHS]`: every policy file under the paths that changed since the
/// revision, with its text at the revision.
fn git_pairs(revision: &str, paths: &[PathBuf], linters: &Linters) -> miette::Result<Vec<Pair>> {
    let repo = git::Repo::open(Path::new("."))?;
    repo.check_revision(revision)?;
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    for path in &paths {
        if !path.exists() {
            return Err(miette::miette!(
                help = "give files or folders of the working tree",
                "{}: no such file or folder",
                path.display()
            ));
        }
    }
    let is_policy = |path: &Path| {
        Format::from_path(path).is_some() && linters.config().is_none_or(|c| c.walks_into(path))
    };
    let mut pairs = Vec::new();
    for change in repo.changes(revision, &paths)? {
        let old = change.old.filter(|p| is_policy(&repo.local(p)));
        let new = change.new.filter(|p| is_policy(&repo.local(p)));
        if old.is_none() && new.is_none() {
            continue;
        }
        let old = match old {
            Some(path) => {
                let local = repo.local(&path).display().to_string();
                let bytes = repo.show(revision, &path)?;
                Some((Side::at_revision(local, revision), bytes))
            }
            None => None,
        };
        let new = new.map(|path| {
            let local = repo.local(&path);
            (Side::file(local.display().to_string()), local)
        });
        pairs.push(Pair { old, new });
    }
    Ok(pairs)
}

/// Lints the old revision's bytes as the file at `path` is linted: with its settings,
/// its format, and, in a notice, with the notice's other files as they are now.
fn lint_old(
    linters: &mut Linters,
    settings: &RunSettings,
    path: &Path,
    bytes: Vec<u8>,
) -> miette::Result<FileReport> {
    let shown = path.display().to_string();
    let bytes = match input::read_limited(&bytes[..], settings.max_file_size, bytes.len() as u64) {
        Ok(bytes) => bytes,
        Err(e) => return Ok(FileReport::failed(shown, e.to_string())),
    };
    // Checked when the pair was made: the path is of a format policylint reads.
    let format = Format::from_path(path).unwrap_or(Format::Text);
    if let Some(notice) = NoticeJob::of_file(linters, path)? {
        // A notice member stands in as text; a Word file or a text that is not UTF-8
        // is linted alone below.
        if format != Format::Docx
            && let Ok(text) = String::from_utf8(bytes.clone())
            && let Some(report) = notice.lint_edited(text, settings.max_file_size)
        {
            return Ok(report);
        }
    }
    let linter = linters.linter(&linters.settings_for(path))?;
    Ok(linter.lint_bytes(&shown, bytes, format))
}
