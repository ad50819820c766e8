//! `policylint lint`: lint files and write the reports.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use policylint::Severity;
use policylint::baseline::Baseline;
use policylint::report::{self, OutputFormat, Style, Summary};

mod stream;

use super::inputs::RunSettings;
use super::{EXIT_TROUBLE, exit_code, write_output};

#[derive(Args)]
pub struct LintArgs {
    /// Files or directories to lint; `-` reads standard input.
    #[arg(required = true, value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Output format (repeatable: each `--format` pairs with the `--output` in the same
    /// place; one format may go without `--output`, to standard output).
    #[arg(long, value_enum)]
    pub format: Vec<OutputFormat>,
    /// Write the report of the matching `--format` to this file instead of standard
    /// output.
    #[arg(long, value_name = "FILE")]
    pub output: Vec<PathBuf>,
    #[command(flatten)]
    pub settings: RunSettings,
    /// Exit 1 when a finding at or above this severity is reported (default: error).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// In human output, list every rule's outcome with the text that satisfied it.
    #[arg(long)]
    pub checklist: bool,
    /// In human output, give each finding's whole help, what was assumed and the
    /// references (by default: the first sentence of the help).
    #[arg(long)]
    pub verbose: bool,
    /// Report only findings that this baseline file (from --write-baseline) does not
    /// record; the exit code counts only those.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in this baseline file (replacing an earlier
    /// baseline); the run then exits 0 unless a file could not be linted.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

pub fn lint(args: LintArgs) -> miette::Result<ExitCode> {
    let targets = output_targets(&args.format, &args.output)?;
    if args.checklist && !targets.iter().any(|(f, _)| *f == OutputFormat::Human) {
        return Err(miette::miette!(
            help = "JSON output always lists every rule's outcome under `rules`",
            "--checklist goes with --format human"
        ));
    }
    if args.verbose && !targets.iter().any(|(f, _)| *f == OutputFormat::Human) {
        return Err(miette::miette!(
            help = "the other formats always carry each finding's whole help and references",
            "--verbose goes with --format human"
        ));
    }
    let known = read_baseline(args.baseline.as_deref(), args.write_baseline.as_deref())?;
    let mut linters = args.settings.linters()?;
    // One file is linted on all cores; many files are linted in parallel instead.
    if let [only] = args.paths.as_slice()
        && (only.as_os_str() == "-" || only.is_file())
    {
        linters = linters.one_document_at_a_time();
    }
    // The exit code's threshold is the command line's alone to use; the rest of the
    // run's settings are layered in the library, as the editor layers them.
    let fail_on = args
        .fail_on
        .or(linters.config().and_then(|c| c.fail_on))
        .unwrap_or(Severity::Error);

    let jobs = args.settings.plan(&args.paths, &mut linters)?;
    // Reports follow the order of the paths given, directories in sorted order; the
    // files themselves are linted in parallel.
    if let [(format, target)] = targets.as_slice()
        && format.streams()
    {
        let target = target.as_deref();
        return stream::lint_streamed(&args, &jobs, *format, target, known.as_ref(), fail_on);
    }
    let mut reports = args.settings.run(jobs);
    let recorded = args.write_baseline.as_ref().map(|_| Baseline::of(&reports));
    if let Some(known) = &known {
        known.hide_known(&mut reports);
    }

    let catalog = linters.catalog()?;
    for (format, target) in &targets {
        let style = Style {
            color: target.is_none()
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none(),
            width: 100,
            checklist: args.checklist,
            verbose: args.verbose,
        };
        write_output(target.as_deref(), |out| {
            report::write(*format, &reports, &catalog, style, out)
        })?;
    }

    let summary = Summary::of(&reports);
    if let (Some(path), Some(recorded)) = (&args.write_baseline, recorded) {
        return write_baseline(path, &recorded, &summary);
    }
    Ok(exit_code(
        summary.unreadable > 0 || reports.is_empty(),
        summary.at_or_above(fail_on) > 0,
    ))
}

/// Pairs each format with its output file; a format without one (at most one) goes
/// to standard output. No format at all means human output to standard output.
fn output_targets(
    formats: &[OutputFormat],
    outputs: &[PathBuf],
) -> miette::Result<Vec<(OutputFormat, Option<PathBuf>)>> {
    if outputs.len() > formats.len().max(1) {
        return Err(miette::miette!(
            help = "write `--format FORMAT --output FILE` for each file",
            "{} --output files but {} --format",
            outputs.len(),
            formats.len()
        ));
    }
    let formats = if formats.is_empty() {
        &[OutputFormat::Human][..]
    } else {
        formats
    };
    if formats.len() > outputs.len() + 1 {
        return Err(miette::miette!(
            help = "give every format but one an --output file",
            "only one format can go to standard output"
        ));
    }
    Ok(formats
        .iter()
        .enumerate()
        .map(|(i, f)| (*f, outputs.get(i).cloned()))
        .collect())
}

/// The baseline to hide known findings with, if any; and, before any work is done,
/// whether the file `--write-baseline` names may be replaced.
fn read_baseline(
    read: Option<&std::path::Path>,
    write: Option<&std::path::Path>,
) -> miette::Result<Option<Baseline>> {
    if let Some(path) = write {
        Baseline::check_replaceable(path).map_err(baseline_error)?;
    }
    read.map(Baseline::read).transpose().map_err(baseline_error)
}

fn baseline_error(e: policylint::baseline::BaselineError) -> miette::Report {
    miette::miette!(help = e.help(), "{e}")
}

/// Records the findings; writing a baseline accepts them, so the run succeeds. It
/// fails, and the file is left as it was, when a file could not be linted.
fn write_baseline(
    path: &std::path::Path,
    recorded: &Baseline,
    summary: &Summary,
) -> miette::Result<ExitCode> {
    if summary.unreadable > 0 || summary.files == 0 {
        // A baseline without the files that could not be read would hide too little.
        eprintln!(
            "baseline {} not written: not every file could be linted",
            path.display()
        );
        return Ok(ExitCode::from(EXIT_TROUBLE));
    }
    recorded.write(path).map_err(baseline_error)?;
    eprintln!(
        "baseline {}: {} recorded",
        path.display(),
        match recorded.len() {
            1 => "1 finding".to_string(),
            n => format!("{n} findings"),
        }
    );
    Ok(ExitCode::SUCCESS)
}
