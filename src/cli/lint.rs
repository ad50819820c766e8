//! `policylint lint`: lint files and write the reports.

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use jiff::civil::Date;
use rayon::prelude::*;

use policylint::baseline::Baseline;
use policylint::dates::DateOrder;
use policylint::document::{HtmlOptions, ReadOptions};
use policylint::engine::LanguageCheck;
use policylint::report::{self, OutputFormat, Style, Summary};
use policylint::walk::{self, Input};
use policylint::{FileReport, Format, Linter, Severity};

use super::{EXIT_FINDINGS, EXIT_TROUBLE, RuleSelection, load_rules};

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
    pub selection: RuleSelection,
    /// Exit 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// The date that date rules measure against (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,
    /// How to read all-numeric dates with slashes such as 04/02/2021.
    #[arg(long, value_enum, default_value_t = Order::MonthDay)]
    pub date_order: Order,
    /// A fact about the service that decides "where applicable" rules, as NAME=yes or
    /// NAME=no (repeatable); undeclared facts are inferred from the text.
    #[arg(long = "fact", value_name = "NAME=yes|no", value_parser = parse_fact)]
    pub facts: Vec<(String, bool)>,
    /// HTML: also read navigation, page headers and footers, asides and cookie banners.
    #[arg(long)]
    pub keep_chrome: bool,
    /// The policy's language: `auto` skips policies that are not in English (the
    /// rules are English); `en` applies the rules anyway.
    #[arg(long, value_enum, default_value_t = Lang::Auto)]
    pub lang: Lang,
    /// In human output, list every rule's outcome with the text that satisfied it.
    #[arg(long)]
    pub checklist: bool,
    /// The name (and so the format) of what `-` reads.
    #[arg(long, value_name = "NAME", default_value = "stdin.md")]
    pub stdin_filename: PathBuf,
    /// Report only findings that this baseline file (from --write-baseline) does not
    /// record; the exit code counts only those.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in this baseline file (replacing an earlier
    /// baseline); the run then exits 0 unless a file could not be linted.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Lang {
    Auto,
    En,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Order {
    MonthDay,
    DayMonth,
}

fn parse_fact(text: &str) -> Result<(String, bool), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: write a fact as NAME=yes or NAME=no"))?;
    let value = match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" => true,
        "no" | "false" => false,
        other => return Err(format!("`{other}`: a fact is yes or no")),
    };
    Ok((name.trim().to_string(), value))
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a date; write it as YYYY-MM-DD"))
}

pub fn lint(args: LintArgs) -> miette::Result<ExitCode> {
    if args.paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(miette::miette!(
            "`-` (standard input) can be given only once"
        ));
    }
    if Format::from_path(&args.stdin_filename).is_none() {
        return Err(miette::miette!(
            help = format!("policylint reads {}", Format::SUPPORTED),
            "--stdin-filename `{}` names a file type policylint does not read",
            args.stdin_filename.display()
        ));
    }
    for (i, (name, value)) in args.facts.iter().enumerate() {
        if args.facts[..i].iter().any(|(n, v)| n == name && v != value) {
            return Err(miette::miette!("--fact {name} is declared both yes and no"));
        }
    }
    let targets = output_targets(&args.format, &args.output)?;
    if args.checklist && !targets.iter().any(|(f, _)| *f == OutputFormat::Human) {
        return Err(miette::miette!(
            help = "JSON output always lists every rule's outcome under `rules`",
            "--checklist goes with --format human"
        ));
    }
    let known = read_baseline(args.baseline.as_deref(), args.write_baseline.as_deref())?;
    let rules = load_rules(&args.selection)?;
    let today = args
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let order = match args.date_order {
        Order::MonthDay => DateOrder::MonthDay,
        Order::DayMonth => DateOrder::DayMonth,
    };
    let linter = Linter::new(rules, today)
        .with_date_order(order)
        .with_read_options(ReadOptions {
            html: HtmlOptions {
                keep_chrome: args.keep_chrome,
            },
        })
        .with_language_check(match args.lang {
            Lang::Auto => LanguageCheck::Detect,
            Lang::En => LanguageCheck::AssumeEnglish,
        })
        .with_facts(&args.facts)
        .map_err(|e| miette::miette!(help = "facts are defined in rules/facts/", "{e}"))?;

    // Reports follow the order of the paths given, directories in sorted order; the
    // files themselves are linted in parallel.
    enum Job {
        Stdin,
        File(Input),
        Unreadable(walk::InputError),
    }
    let mut jobs = Vec::new();
    for path in &args.paths {
        if path.as_os_str() == "-" {
            jobs.push(Job::Stdin);
            continue;
        }
        jobs.extend(
            walk::collect(std::slice::from_ref(path))
                .into_iter()
                .map(|found| found.map_or_else(Job::Unreadable, Job::File)),
        );
    }
    let mut reports: Vec<FileReport> = jobs
        .into_par_iter()
        .map(|job| match job {
            Job::Stdin => lint_stdin(&linter, &args.stdin_filename),
            Job::File(input) => lint_file(&linter, &input),
            Job::Unreadable(e) => FileReport::failed(e.path.display().to_string(), e.message),
        })
        .collect();
    let recorded = args.write_baseline.as_ref().map(|_| Baseline::of(&reports));
    if let Some(known) = &known {
        known.hide_known(&mut reports);
    }

    for (format, target) in &targets {
        let style = Style {
            color: target.is_none()
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none(),
            width: 100,
            checklist: args.checklist,
        };
        let written = match target {
            None => {
                let mut out = io::stdout().lock();
                report::write(*format, &reports, linter.rules(), style, &mut out)
                    .and_then(|()| out.flush())
            }
            Some(path) => std::fs::File::create(path).and_then(|file| {
                let mut out = io::BufWriter::new(file);
                report::write(*format, &reports, linter.rules(), style, &mut out)?;
                out.flush()
            }),
        };
        match (written, target) {
            // The reader went away (`| head`): nothing more to say; the exit code counts.
            (Err(e), None) if e.kind() == io::ErrorKind::BrokenPipe => {}
            (Err(e), Some(path)) => {
                return Err(miette::miette!("cannot write {}: {e}", path.display()));
            }
            (Err(e), None) => return Err(miette::miette!("cannot write the report: {e}")),
            (Ok(()), _) => {}
        }
    }

    let summary = Summary::of(&reports);
    if let (Some(path), Some(recorded)) = (&args.write_baseline, recorded) {
        return write_baseline(path, &recorded, &summary);
    }
    let fail_on = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    Ok(if summary.unreadable > 0 || reports.is_empty() {
        ExitCode::from(EXIT_TROUBLE)
    } else if summary.at_or_above(fail_on) > 0 {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
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

fn lint_file(linter: &Linter, input: &Input) -> FileReport {
    let path = input.path.display().to_string();
    match std::fs::read(&input.path) {
        Ok(bytes) => linter.lint_bytes(&path, bytes, input.format),
        Err(e) => FileReport::failed(path, format!("cannot read: {e}")),
    }
}

fn lint_stdin(linter: &Linter, name: &std::path::Path) -> FileReport {
    let path = name.display().to_string();
    // Checked when the arguments were read: the name's extension is a known format.
    let format = Format::from_path(name).unwrap_or(Format::Markdown);
    let mut bytes = Vec::new();
    match io::stdin().read_to_end(&mut bytes) {
        Ok(_) => linter.lint_bytes(&path, bytes, format),
        Err(e) => FileReport::failed(path, format!("cannot read standard input: {e}")),
    }
}
