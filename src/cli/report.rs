//! `policylint report`: the compliance report, each policy against each requirement
//! grouped by law, as one self-contained HTML page, Markdown or JSON. It informs;
//! `policylint lint` is what gates a build.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use policylint::report::{self, ReportFormat, Summary};

use super::exit_code;
use super::inputs::RunSettings;

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

    let written = match &args.output {
        None => {
            let mut out = io::stdout().lock();
            report::write_compliance(args.format, &reports, &catalog, &mut out)
                .and_then(|()| out.flush())
        }
        Some(path) => std::fs::File::create(path).and_then(|file| {
            let mut out = io::BufWriter::new(file);
            report::write_compliance(args.format, &reports, &catalog, &mut out)?;
            out.flush()
        }),
    };
    match (written, &args.output) {
        // The reader went away (`| head`): nothing more to say.
        (Err(e), None) if e.kind() == io::ErrorKind::BrokenPipe => {}
        (Err(e), Some(path)) => {
            return Err(miette::miette!("cannot write {}: {e}", path.display()));
        }
        (Err(e), None) => return Err(miette::miette!("cannot write the report: {e}")),
        (Ok(()), Some(path)) => eprintln!("report written to {}", path.display()),
        (Ok(()), None) => {}
    }
    let summary = Summary::of(&reports);
    Ok(exit_code(
        summary.unreadable > 0 || reports.is_empty(),
        false,
    ))
}
