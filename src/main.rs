//! The command line: a thin layer over the library.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cli::catalog::ExplainArgs;
use cli::lint::LintArgs;
use cli::lsp::LspArgs;
use cli::{EXIT_TROUBLE, RuleArgs};

#[derive(Parser)]
#[command(
    name = "policylint",
    version,
    about = "A compliance linter for privacy policies",
    after_help = "A clean result is not legal advice and does not guarantee compliance."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint policy files (HTML, Word .docx, Markdown, text); directories are walked.
    Lint(Box<LintArgs>),
    /// A compliance report: each policy against each requirement, by law (HTML page,
    /// Markdown or JSON).
    Report(Box<cli::report::ReportArgs>),
    /// List the rules: id, severity, title.
    Rules(RuleArgs),
    /// Run every rule's own pass and fail examples, and check annotated fixtures in DIRS.
    Test(cli::test::TestArgs),
    /// What a rule checks, why, how to fix it, and its examples.
    Explain(ExplainArgs),
    /// Write a commented starter policylint.yaml (never overwrites one).
    Init(cli::init::InitArgs),
    /// Run the language server for editors (JSON-RPC on standard input and output).
    Lsp(LspArgs),
    /// Compare two revisions of a policy: requirements newly missing or given, changed
    /// evidence, new and gone findings (OLD NEW, or --git REV [PATHS]).
    Diff(Box<cli::diff::DiffArgs>),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Deeply nested documents need deep stacks in the parsers' tokenizers.
    rayon::ThreadPoolBuilder::new()
        .stack_size(16 * 1024 * 1024)
        .build_global()
        .ok();
    let result = match cli.command {
        Command::Lint(args) => cli::lint::lint(*args),
        Command::Report(args) => cli::report::report(*args),
        Command::Rules(args) => cli::catalog::list_rules(args),
        Command::Test(args) => cli::test::test_rules(args),
        Command::Explain(args) => cli::catalog::explain(args),
        Command::Init(args) => cli::init::init(args),
        Command::Lsp(args) => cli::lsp::serve(args),
        Command::Diff(args) => cli::diff::diff(*args),
    };
    match result {
        Ok(code) => code,
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}
