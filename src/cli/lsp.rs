//! `policylint lsp`: the language server, on standard input and output.

use std::process::ExitCode;

use clap::Args;

use policylint::linters::RuleFlags;
use policylint::lsp;

use super::RuleSelection;

#[derive(Args)]
pub struct LspArgs {
    #[command(flatten)]
    pub selection: RuleSelection,
}

pub fn serve(args: LspArgs) -> miette::Result<ExitCode> {
    let choice = RuleFlags {
        packs: args.selection.pack,
        rule_dirs: args.selection.rule_dirs,
        ..RuleFlags::default()
    };
    // Exit code 1 when the client exits without shutting the server down first.
    match lsp::run_stdio(choice) {
        Ok(true) => Ok(ExitCode::SUCCESS),
        Ok(false) => Ok(ExitCode::FAILURE),
        Err(e) => Err(miette::miette!("{e}")),
    }
}
