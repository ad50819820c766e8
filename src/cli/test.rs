//! `policylint test`: run the rules' own examples.

use std::io::{self, Write};
use std::process::ExitCode;

use policylint::Linter;

use super::{EXIT_FINDINGS, RuleArgs, load_rules};

pub fn test_rules(args: RuleArgs) -> miette::Result<ExitCode> {
    let rules = load_rules(&args.selection)?;
    let count = rules.rules.len();
    let linter = Linter::new(rules, jiff::ZonedDateTime::now().date());
    let run = policylint::examples::run(&linter);
    let mut out = io::stdout().lock();
    let io_err = |e: io::Error| miette::miette!("{e}");
    for f in &run.failures {
        let expected = match f.expected {
            policylint::examples::Expected::Pass => "pass (no finding)",
            policylint::examples::Expected::Fail => "fail (a finding)",
        };
        writeln!(out, "FAIL {} ({}): expected {expected}", f.rule, f.path).map_err(io_err)?;
        writeln!(out, "  example: {:?}", f.example).map_err(io_err)?;
        for message in &f.findings {
            writeln!(out, "  finding: {message}").map_err(io_err)?;
        }
    }
    let passed = run.checked - run.failures.len();
    writeln!(out, "{count} rules, {} examples", run.checked).map_err(io_err)?;
    writeln!(
        out,
        "examples: {passed} passed, {} failed",
        run.failures.len()
    )
    .map_err(io_err)?;
    Ok(if run.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FINDINGS)
    })
}
