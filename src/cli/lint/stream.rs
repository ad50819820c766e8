//! One output in a format that streams (`--format jsonl`): each file's records are
//! written as soon as it and every file before it are linted, and its report is
//! dropped once written, so memory stays flat however many files a run lints.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

use policylint::Severity;
use policylint::baseline::{Baseline, Recorder};
use policylint::report::{self, OutputFormat, Summary};

use policylint::plan::Job;

use super::{LintArgs, write_baseline};
use crate::cli::exit_code;

/// How many jobs the workers may run ahead of the last one written, per worker: the
/// reports held waiting for a slow file before them.
const AHEAD_PER_WORKER: usize = 8;

pub(super) fn lint_streamed(
    args: &LintArgs,
    jobs: &[Job],
    format: OutputFormat,
    target: Option<&Path>,
    known: Option<&Baseline>,
    fail_on: Severity,
) -> miette::Result<ExitCode> {
    let mut out: Box<dyn Write> = match target {
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
        Some(path) => Box::new(io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?,
        )),
    };
    let mut known = known.map(Baseline::known);
    let mut recorder = args.write_baseline.as_ref().map(|_| Recorder::default());
    let mut summary = Summary::default();
    let mut failed: Option<io::Error> = None;
    in_order(
        jobs,
        |job| job.run(args.settings.max_file_size),
        |reports| {
            for mut report in reports {
                // The baseline records every finding; the output leaves out known ones.
                if let Some(recorder) = &mut recorder {
                    recorder.add(&report);
                }
                if let Some(known) = &mut known {
                    known.hide(&mut report);
                }
                summary.add(&report);
                if failed.is_none()
                    && let Err(e) = report::write_streamed_file(format, &report, &mut out)
                        .and_then(|()| out.flush())
                {
                    failed = Some(e);
                }
            }
        },
    );
    if failed.is_none()
        && let Err(e) =
            report::write_streamed_summary(format, &summary, &mut out).and_then(|()| out.flush())
    {
        failed = Some(e);
    }
    match (failed, target) {
        // The reader went away (`| head`): nothing more to say; the exit code counts.
        (Some(e), None) if e.kind() == io::ErrorKind::BrokenPipe => {}
        (Some(e), Some(path)) => {
            return Err(miette::miette!("cannot write {}: {e}", path.display()));
        }
        (Some(e), None) => return Err(miette::miette!("cannot write the report: {e}")),
        (None, _) => {}
    }
    if let (Some(path), Some(recorder)) = (&args.write_baseline, recorder) {
        return write_baseline(path, &recorder.finish(), &summary);
    }
    Ok(exit_code(
        summary.unreadable > 0 || summary.files == 0,
        summary.at_or_above(fail_on) > 0,
    ))
}

/// Runs `work` on every job in parallel and hands the results to `sink` in the jobs'
/// order, each as soon as it and all before it are done. Workers take jobs in order
/// and stay a bounded distance ahead of the sink, so few results wait at a time.
fn in_order<J: Sync, R: Send>(jobs: &[J], work: impl Fn(&J) -> R + Sync, mut sink: impl FnMut(R)) {
    let workers = rayon::current_num_threads().clamp(1, jobs.len().max(1));
    let ahead = workers * AHEAD_PER_WORKER;
    let next = AtomicUsize::new(0);
    // How many results the sink has taken, and a signal when it takes one.
    let written = Mutex::new(0usize);
    let progress = Condvar::new();
    let (send, receive) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let send = send.clone();
            let (next, written, progress, work) = (&next, &written, &progress, &work);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= jobs.len() {
                        break;
                    }
                    // A poisoned lock means the sink panicked; the scope reports it.
                    let Ok(mut done) = written.lock() else { break };
                    while i >= *done + ahead {
                        done = match progress.wait(done) {
                            Ok(done) => done,
                            Err(_) => return,
                        };
                    }
                    drop(done);
                    if send.send((i, work(&jobs[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut want = 0;
        for (i, result) in receive {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&want) {
                sink(result);
                want += 1;
                if let Ok(mut done) = written.lock() {
                    *done = want;
                }
                progress.notify_all();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_job_order_whatever_order_they_finish_in() {
        let jobs: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        in_order(
            &jobs,
            |&j| {
                // Early jobs take longest, so later ones finish first.
                std::thread::sleep(std::time::Duration::from_micros((200 - j) * 20));
                j * 2
            },
            |r| seen.push(r),
        );
        assert_eq!(seen, jobs.iter().map(|j| j * 2).collect::<Vec<_>>());
    }

    #[test]
    fn no_jobs_no_results() {
        let mut seen: Vec<u8> = Vec::new();
        in_order(&[] as &[u8], |&j| j, |r| seen.push(r));
        assert!(seen.is_empty());
    }
}
