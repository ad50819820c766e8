//! `policylint report`: the compliance report, each policy against each requirement
//! grouped by law, as one self-contained HTML page, Markdown or JSON. It informs;
//! `policylint lint` is what gates a build.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use policylint::report::{self, ReportFormat, Summary};

use super::inputs::RunSettings;
use super::{exit_code, write_output};

#[derive(Args)]
pub struct ReportArgs {
    /// Files or directories to report on; `-` reads standard input.
    #[arg(required = true, value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// The report's format.
    #[arg(long, value_enum, default_value = "html")]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub settings: RunSettings,
}

pub fn report(args: ReportArgs) -> miette::Result<ExitCode> {
    if args.format == ReportFormat::Html && args.output.is_none() && io::stdout().is_terminal() {
        return Err(miette::miette!(
            help = "give --output report.html, then open that file in a browser",
            "the HTML report is a page, not text for the terminal"
        ));
    }
    let mut linters = args.settings.linters()?;
    let jobs = args.settings.plan(&args.paths, &mut linters)?;
    let reports = args.settings.run(jobs);
    let catalog = linters.catalog()?;

    write_output(args.output.as_deref(), |out| {
        report::write_compliance(args.format, &reports, &catalog, out)
    })?;
    if let Some(path) = &args.output {
        eprintln!("report written to {}", path.display());
    }
    let summary = Summary::of(&reports);
    Ok(exit_code(
        summary.unreadable > 0 || reports.is_empty(),
        false,
    ))
}
