//! The subcommands: each a thin layer over the library.

pub mod catalog;
pub mod diff;
pub mod init;
pub mod inputs;
pub mod lint;
pub mod lsp;
pub mod report;
pub mod test;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use policylint::RuleSet;

/// Exit code: findings at or above `--fail-on`, or failed rule tests.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: something could not run or a file could not be linted.
pub const EXIT_TROUBLE: u8 = 2;

/// The exit code of a run: [`EXIT_TROUBLE`] when something could not run or a file
/// could not be linted, else [`EXIT_FINDINGS`] when something failed, else success.
pub fn exit_code(trouble: bool, failed: bool) -> ExitCode {
    if trouble {
        ExitCode::from(EXIT_TROUBLE)
    } else if failed {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

#[derive(Args)]
pub struct RuleSelection {
    /// Built-in packs to use, comma-separated (exactly these; default: the
    /// configuration's packs, else core).
    #[arg(long, value_delimiter = ',')]
    pub pack: Vec<String>,
    /// Extra folders of custom rules (YAML), added to the packs.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

#[derive(Args)]
pub struct RuleArgs {
    #[command(flatten)]
    pub selection: RuleSelection,
}

/// Loads exactly the packs selected (none when none is) and the rule folders.
pub fn load_rules(selection: &RuleSelection) -> miette::Result<RuleSet> {
    let mut packs = selection.pack.clone();
    packs.sort();
    packs.dedup();
    Ok(RuleSet::load(&packs, &selection.rule_dirs)?)
}

/// Writes a report to `target`, or to standard output when there is none. A reader of
/// standard output that went away (`| head`) is not an error: the exit code counts.
pub fn write_output(
    target: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> miette::Result<()> {
    let written = match target {
        None => {
            let mut out = io::stdout().lock();
            write(&mut out).and_then(|()| out.flush())
        }
        Some(path) => std::fs::File::create(path).and_then(|file| {
            let mut out = io::BufWriter::new(file);
            write(&mut out)?;
            out.flush()
        }),
    };
    match (written, target) {
        (Err(e), None) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        (Err(e), Some(path)) => Err(miette::miette!("cannot write {}: {e}", path.display())),
        (Err(e), None) => Err(miette::miette!("cannot write the report: {e}")),
        (Ok(()), _) => Ok(()),
    }
}

/// Writes to standard output; a reader that went away (`| head`) is not an error.
pub fn print_all(text: &str) -> miette::Result<()> {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(miette::miette!("{e}")),
        _ => Ok(()),
    }
}
