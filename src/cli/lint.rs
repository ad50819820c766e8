//! `policylint lint`: lint files and write the reports.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use jiff::civil::Date;
use rayon::prelude::*;

use policylint::baseline::Baseline;
use policylint::config::Config;
use policylint::dates::DateOrder;
use policylint::engine::LanguageCheck;
use policylint::input;
use policylint::linters::{LinterOptions, Linters, OptionFlags, RuleFlags};
use policylint::plan::plan;
use policylint::report::{self, OutputFormat, Style, Summary};
use policylint::{FileReport, Format, Severity};

mod stream;

use super::{EXIT_TROUBLE, RuleSelection, exit_code};

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
    /// Only these rules (ids or globs such as `gdpr/*`, comma-separated); replaces the
    /// configuration's `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Rules not to run (ids or globs, comma-separated); added to the configuration's
    /// `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// The configuration file (default: policylint.yaml in this folder or the nearest
    /// one above).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Do not read a configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Exit 1 when a finding at or above this severity is reported (default: error).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// The date that date rules measure against (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,
    /// How to read all-numeric dates with slashes such as 04/02/2021.
    #[arg(long, value_enum)]
    pub date_order: Option<Order>,
    /// A fact about the service that decides "where applicable" rules, as NAME=yes or
    /// NAME=no (repeatable); undeclared facts are inferred from the text.
    #[arg(long = "fact", value_name = "NAME=yes|no", value_parser = parse_fact)]
    pub facts: Vec<(String, bool)>,
    /// HTML: also read navigation, page headers and footers, asides and cookie banners.
    #[arg(long)]
    pub keep_chrome: bool,
    /// The policy's language: `auto` skips policies that are not in English (the
    /// rules are English); `en` applies the rules anyway.
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
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
    /// Skip (and report as not linted) any file larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = input::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
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

impl Order {
    fn setting(self) -> DateOrder {
        match self {
            Order::MonthDay => DateOrder::MonthDay,
            Order::DayMonth => DateOrder::DayMonth,
        }
    }
}

impl Lang {
    fn setting(self) -> LanguageCheck {
        match self {
            Lang::Auto => LanguageCheck::Detect,
            Lang::En => LanguageCheck::AssumeEnglish,
        }
    }
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

fn parse_fact(text: &str) -> Result<(String, bool), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: write a fact as NAME=yes or NAME=no"))?;
    let value = policylint::config::fact_value(value)
        .ok_or_else(|| format!("`{}`: a fact is yes or no", value.trim()))?;
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
            help = format!("policylint reads {}", Format::supported()),
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
    let config = if args.no_config {
        None
    } else if let Some(path) = &args.config {
        Some(Config::load(path)?)
    } else {
        Config::discover(Path::new("."))?
    };
    check_rule_patterns(&args, config.as_ref())?;
    // The exit code's threshold is the command line's alone to use; the rest of the
    // run's settings are layered in the library, as the editor layers them.
    let fail_on = args
        .fail_on
        .map(FailOn::severity)
        .or(config.as_ref().and_then(|c| c.fail_on))
        .unwrap_or(Severity::Error);
    let options = LinterOptions::layered(
        config.as_ref(),
        OptionFlags {
            today: args.today,
            date_order: args.date_order.map(Order::setting),
            language: args.lang.map(Lang::setting),
            keep_chrome: args.keep_chrome,
        },
    );
    let mut linters = Linters::new(
        config,
        RuleFlags {
            packs: args.selection.pack.clone(),
            rule_dirs: args.selection.rule_dirs.clone(),
            select: args.select.clone(),
            ignore: args.ignore.clone(),
            facts: args.facts.clone(),
        },
        options,
    );

    let jobs = plan(&args.paths, &args.stdin_filename, &mut linters)?;
    // Reports follow the order of the paths given, directories in sorted order; the
    // files themselves are linted in parallel.
    if let [(format, target)] = targets.as_slice()
        && format.streams()
    {
        let target = target.as_deref();
        return stream::lint_streamed(&args, &jobs, *format, target, known.as_ref(), fail_on);
    }
    let mut reports: Vec<FileReport> = jobs
        .into_par_iter()
        .flat_map_iter(|job| job.run(args.max_file_size))
        .collect();
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
        };
        let written = match target {
            None => {
                let mut out = io::stdout().lock();
                report::write(*format, &reports, &catalog, style, &mut out)
                    .and_then(|()| out.flush())
            }
            Some(path) => std::fs::File::create(path).and_then(|file| {
                let mut out = io::BufWriter::new(file);
                report::write(*format, &reports, &catalog, style, &mut out)?;
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
    Ok(exit_code(
        summary.unreadable > 0 || reports.is_empty(),
        summary.at_or_above(fail_on) > 0,
    ))
}

/// Checks that each --select and --ignore pattern names a rule.
fn check_rule_patterns(args: &LintArgs, config: Option<&Config>) -> miette::Result<()> {
    let from_config = config.map(Config::rule_patterns).unwrap_or_default();
    if args.select.is_empty() && args.ignore.is_empty() && from_config.is_empty() {
        return Ok(());
    }
    let mut dirs = args.selection.rule_dirs.clone();
    if let Some(config) = config {
        dirs.extend(config.base.rule_dirs.iter().cloned());
    }
    let ids = policylint::rules::rule_ids(&dirs)?;
    let config_name = config.map_or(String::new(), |c| c.path.display().to_string());
    for (source, pattern) in args
        .select
        .iter()
        .map(|p| ("--select".to_string(), p))
        .chain(args.ignore.iter().map(|p| ("--ignore".to_string(), p)))
        .chain(from_config.iter().map(|p| (config_name.clone(), p)))
    {
        let matcher = policylint::config::rule_glob(pattern)
            .map_err(|e| miette::miette!("{source} `{pattern}`: {e}"))?;
        if !ids.iter().any(|id| matcher.is_match(id)) {
            return Err(miette::miette!(
                help = "write a rule id such as core/retention-period, or a glob such as gdpr/*; `policylint rules` lists them (custom rules come from --rules and the configuration's `rules`)",
                "{source}: `{pattern}` matches no rule"
            ));
        }
    }
    Ok(())
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
