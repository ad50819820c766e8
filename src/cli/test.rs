//! `policylint test`: run the rules' own examples, and check annotated fixture
//! policies in the folders given.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rayon::prelude::*;

use policylint::fixtures::{self, FixtureResult};
use policylint::walk::{self, Input};
use policylint::{Linter, rules};

use super::{RuleSelection, exit_code, load_rules};

#[derive(Args)]
pub struct TestArgs {
    /// Folders of rule files (loaded as with --rules) and annotated fixture policies
    /// (.md .txt .html), walked.
    #[arg(value_name = "DIRS")]
    pub dirs: Vec<PathBuf>,
    /// Built-in packs to load, comma-separated (exactly these). Default: `core`, or
    /// none when DIRS hold rules.
    #[arg(long, value_delimiter = ',')]
    pub pack: Vec<String>,
    /// Extra folders of custom rules (YAML), added to the packs.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

/// What the folders given hold: rule folders to load and fixtures to check.
struct TestInputs {
    rule_dirs: Vec<PathBuf>,
    fixtures: Vec<Input>,
}

fn sort_dirs(dirs: &[PathBuf]) -> miette::Result<TestInputs> {
    let mut inputs = TestInputs {
        rule_dirs: Vec::new(),
        fixtures: Vec::new(),
    };
    for dir in dirs {
        if !dir.is_dir() {
            return Err(miette::miette!(
                help = "give folders of rule files and annotated fixture policies",
                "{}: not a folder",
                dir.display()
            ));
        }
        let has_rules = rules::holds_rule_files(dir);
        if has_rules {
            inputs.rule_dirs.push(dir.clone());
        }
        let mut has_fixtures = false;
        for found in walk::collect(std::slice::from_ref(dir)) {
            match found {
                Ok(input) => {
                    has_fixtures = true;
                    inputs.fixtures.push(input);
                }
                // A folder of rules alone has no policies, and needs none.
                Err(e) if e.path == *dir => {}
                Err(e) => {
                    return Err(miette::miette!("{}: {}", e.path.display(), e.message));
                }
            }
        }
        if !has_rules && !has_fixtures {
            return Err(miette::miette!(
                help = "a test folder holds rule files (.yaml) and/or fixture policies \
                        (.md .txt .html) with <!-- expect: RULE --> annotations",
                "{}: nothing to test in this folder",
                dir.display()
            ));
        }
    }
    Ok(inputs)
}

pub fn test_rules(args: TestArgs) -> miette::Result<ExitCode> {
    let inputs = sort_dirs(&args.dirs)?;
    // Rules brought in DIRS are tested on their own unless --pack asks for built-in
    // packs too: the built-in examples are the project's to test, and take seconds.
    let pack = if !args.pack.is_empty() {
        args.pack.clone()
    } else if inputs.rule_dirs.is_empty() {
        vec!["core".to_string()]
    } else {
        Vec::new()
    };
    let mut rule_dirs = args.rule_dirs.clone();
    rule_dirs.extend(inputs.rule_dirs.iter().cloned());
    let rules = load_rules(&RuleSelection { pack, rule_dirs })?;
    let count = rules.rules.len();
    let linter = Linter::new(rules, jiff::ZonedDateTime::now().date());
    let run = policylint::examples::run(&linter);
    let checked: Vec<(&Input, FixtureResult)> = inputs
        .fixtures
        .par_iter()
        .map(|input| (input, fixtures::check_file(&linter, input)))
        .collect();

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
    let mut fixture_checks = 0;
    let mut fixture_failures = 0;
    let mut unreadable = 0;
    for (input, result) in &checked {
        let path = input.path.display();
        for f in &result.failures {
            let rule = if f.rule.is_empty() { "-" } else { &f.rule };
            writeln!(
                out,
                "FAIL {}:{}: {} ({}): expected {}; found {}",
                f.path,
                f.line,
                rule,
                f.kind.as_str(),
                f.expected,
                f.found
            )
            .map_err(io_err)?;
        }
        if let Some(warning) = &result.warning {
            writeln!(out, "warning: {path}: {warning}").map_err(io_err)?;
        }
        if let Some(error) = &result.error {
            writeln!(out, "error: {path}: {error}").map_err(io_err)?;
            unreadable += 1;
        }
        fixture_checks += result.checked;
        fixture_failures += result.failures.len();
    }

    let example_passed = run.checked - run.failures.len();
    let fixture_passed = fixture_checks - fixture_failures;
    writeln!(
        out,
        "{count} rules, {} examples, {} fixture files with {fixture_checks} annotated checks",
        run.checked,
        checked.len()
    )
    .map_err(io_err)?;
    writeln!(
        out,
        "examples: {example_passed} passed, {} failed",
        run.failures.len()
    )
    .map_err(io_err)?;
    writeln!(
        out,
        "fixtures: {fixture_passed} passed, {fixture_failures} failed"
    )
    .map_err(io_err)?;
    let failed = run.failures.len() + fixture_failures;
    writeln!(
        out,
        "{} passed, {failed} failed",
        example_passed + fixture_passed
    )
    .map_err(io_err)?;
    Ok(exit_code(unreadable > 0, failed > 0))
}
