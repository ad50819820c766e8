//! Running every rule's own examples: each `pass` example must produce no finding
//! from its rule, each `fail` example at least one. Used by `policylint test` and by
//! the test suite.

use crate::document::{Document, Format};
use crate::engine::Linter;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    Pass,
    Fail,
}

/// An example whose result is not the one its rule promises.
#[derive(Clone, Debug)]
pub struct ExampleFailure {
    pub rule: String,
    pub path: String,
    pub expected: Expected,
    pub example: String,
    /// The messages of the findings the example produced (empty when none).
    pub findings: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct ExampleRun {
    pub checked: usize,
    pub failures: Vec<ExampleFailure>,
}

/// An example that starts as an HTML page does (`<!doctype html>` or `<html>`) is
/// read as HTML, so a rule about what pages load can show one; any other is Markdown.
fn example_format(example: &str) -> Format {
    let start = example
        .trim_start()
        .get(..9)
        .unwrap_or("")
        .to_ascii_lowercase();
    if start.starts_with("<!doctype") || start.starts_with("<html") {
        Format::Html
    } else {
        Format::Markdown
    }
}

/// Lints each example as a small Markdown document (or HTML page) with the linter's
/// rules.
pub fn run(linter: &Linter) -> ExampleRun {
    let mut run = ExampleRun::default();
    for rule in &linter.rules().rules {
        let today = rule.examples.today.unwrap_or(linter.today());
        let cases = rule
            .examples
            .pass
            .iter()
            .map(|e| (Expected::Pass, e))
            .chain(rule.examples.fail.iter().map(|e| (Expected::Fail, e)));
        for (expected, example) in cases {
            run.checked += 1;
            let doc = Document::parse(example.clone(), example_format(example));
            let report = linter.lint_document_on("example", doc, today);
            let findings: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.reports(&rule.id))
                .map(|d| d.message.clone())
                .collect();
            let ok = match expected {
                Expected::Pass => findings.is_empty(),
                Expected::Fail => !findings.is_empty(),
            };
            if !ok {
                run.failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    path: rule.path.clone(),
                    expected,
                    example: example.clone(),
                    findings,
                });
            }
        }
    }
    run
}
