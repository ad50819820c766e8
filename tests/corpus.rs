//! Every policy of the shared research corpus lints without an error with every
//! built-in pack, every rule's outcome is the same as with its own pack alone, each
//! gap is reported once, and every position agrees with its byte offset; and checking
//! the rules on all cores does not change a report. The corpus is skipped when it is
//! not beside the repository (it is not part of it).

mod common;

use std::path::PathBuf;

use policylint::rules::builtin_packs;
use policylint::{Format, Linter, RuleSet};
use rayon::prelude::*;

/// Checking the rules on all cores (the default for documents of 1 MiB of prose or
/// more), where they share each leaf's searches and each searches it only in the
/// units it asks about, in whatever order the threads take, gives the same report, to
/// the last field, as checking them one after another on one thread: on the example
/// policies, and on every policy of the corpus when it is present.
#[test]
fn rules_checked_in_parallel_find_what_rules_checked_in_turn_find() {
    let today = common::TODAY.parse().unwrap();
    let rules = RuleSet::load(&builtin_packs(), &[]).expect("built-in packs load");
    let in_turn = Linter::new(rules.clone(), today).with_parallel_rules_from(usize::MAX);
    let in_parallel = Linter::new(rules, today).with_parallel_rules_from(0);
    let examples = common::repo().join("examples").join("policies");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(paths.len() >= 5);
    match common::shared_corpus() {
        Some(corpus) => {
            for folder in CORPUS_FOLDERS {
                if let Ok(entries) = std::fs::read_dir(corpus.join(folder)) {
                    paths.extend(entries.map(|e| e.unwrap().path()));
                }
            }
        }
        None => eprintln!("../shared/corpus is not present: the example policies only"),
    }
    paths.par_iter().for_each(|path| {
        let format = Format::from_path(path).unwrap_or(Format::Text);
        let bytes = std::fs::read(path).unwrap();
        let name = path.display().to_string();
        let one_thread = in_turn.lint_bytes(&name, bytes.clone(), format);
        let all_cores = in_parallel.lint_bytes(&name, bytes, format);
        assert_eq!(
            format!("{one_thread:?}"),
            format!("{all_cores:?}"),
            "{name}"
        );
    });
}

/// A document of more than 1 MiB of prose has its rules taken up costliest first, as
/// far as where their leaves' literals occur tells; the report is the same, to the last
/// field, as with the rules checked one after another. Its leaves then drop their
/// regexes and the states their searches built.
#[test]
fn a_long_document_checked_costliest_rule_first_finds_what_rules_checked_in_turn_find() {
    let today = common::TODAY.parse().unwrap();
    let rules = RuleSet::load(&builtin_packs(), &[]).expect("built-in packs load");
    let in_turn = Linter::new(rules.clone(), today).with_parallel_rules_from(usize::MAX);
    let by_default = Linter::new(rules, today);
    let examples = common::repo().join("examples").join("policies");
    let mut policies: Vec<String> = std::fs::read_dir(examples)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    policies.sort();
    let mut text = String::new();
    // Each copy under a heading of its own, so that findings name different sections.
    for copy in 0.. {
        if text.len() > 1_300_000 {
            break;
        }
        for policy in &policies {
            text.push_str(&format!("# Copy {copy}\n\n{policy}\n\n"));
        }
    }
    // Both linters share the compiled leaves, with their regexes and search states.
    let leaves = &by_default.rules().leaves;
    let one_thread = in_turn.lint("long.md", text.clone(), Format::Markdown);
    assert!(
        leaves
            .iter()
            .any(|leaf| leaf.holds_cache() && leaf.is_compiled()),
        "rules checked in turn keep their leaves' regexes and search states for the next document"
    );
    let all_cores = by_default.lint("long.md", text, Format::Markdown);
    assert!(!one_thread.diagnostics.is_empty());
    assert_eq!(format!("{one_thread:?}"), format!("{all_cores:?}"));
    assert!(
        !leaves
            .iter()
            .any(|leaf| leaf.holds_cache() || leaf.is_compiled()),
        "a long document's leaves drop their regexes and search states once checked"
    );
}

/// The corpus folders with policies, each of one format.
const CORPUS_FOLDERS: [&str; 6] = [
    "opp115/text",
    "goppc150/text",
    "opp115/html",
    "gt200/md",
    "c3pa/html",
    "seeds",
];

#[test]
fn corpus_policies_lint_with_every_pack_and_exact_positions() {
    let Some(corpus) = common::shared_corpus() else {
        eprintln!("skipped: ../shared/corpus is not present");
        return;
    };
    let today = common::TODAY.parse().unwrap();
    let packs = builtin_packs();
    let all = Linter::new(
        RuleSet::load(&packs, &[]).expect("built-in packs load"),
        today,
    );
    let alone: Vec<Linter> = packs
        .iter()
        .map(|p| Linter::new(RuleSet::load(std::slice::from_ref(p), &[]).unwrap(), today))
        .collect();
    let mut paths = Vec::new();
    for folder in CORPUS_FOLDERS {
        if let Ok(entries) = std::fs::read_dir(corpus.join(folder)) {
            paths.extend(entries.map(|e| e.unwrap().path()));
        }
    }
    // Two cores: lint in parallel, check each report as it comes.
    let linted = paths
        .par_iter()
        .map(|path| {
            let format = Format::from_path(path).unwrap_or(Format::Text);
            let bytes = std::fs::read(path).unwrap();
            let name = path.display().to_string();
            let report = all.lint_bytes(&name, bytes.clone(), format);
            assert_eq!(report.error, None, "{name}");
            assert_eq!(report.rules.len(), all.rules().rules.len());
            // Every rule's outcome is its own: the same as with its pack alone.
            for linter in &alone {
                let own = linter.lint_bytes(&name, bytes.clone(), format);
                for outcome in &own.rules {
                    let together = report.rules.iter().find(|o| o.rule == outcome.rule);
                    assert_eq!(
                        together.map(|o| (o.status, &o.note)),
                        Some((outcome.status, &outcome.note)),
                        "{name}: {}",
                        outcome.rule
                    );
                }
            }
            // Each gap once: no finding is the same gap as a finding of a rule that
            // supersedes its rule.
            for a in &report.diagnostics {
                for b in &report.diagnostics {
                    let same_gap = (a.missing_statement && b.missing_statement)
                        || a.span.bytes == b.span.bytes;
                    assert!(
                        !(same_gap && all.rules().supersedes(&b.rule, &a.rule)),
                        "{name}: {} and {} report one gap twice",
                        a.rule,
                        b.rule
                    );
                }
            }
            for d in &report.diagnostics {
                let (bytes, location) = (d.span.bytes, d.span.location);
                assert_position(
                    &report.source,
                    bytes.start,
                    location.start.line,
                    location.start.column,
                );
                assert_position(
                    &report.source,
                    bytes.end,
                    location.end.line,
                    location.end.column,
                );
            }
        })
        .count();
    assert!(linted > 0, "the corpus folder holds no policies");
}

/// Line and column worked out the slow, obvious way from the decoded text.
fn assert_position(text: &str, offset: usize, line: usize, column: usize) {
    let before = &text[..offset];
    let lines = before.matches('\n').count() + before.matches('\r').count()
        - before.matches("\r\n").count();
    assert_eq!(line, lines + 1, "line at {offset}");
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let bom = usize::from(line_start == 0 && text.starts_with('\u{feff}') && offset > 0);
    assert_eq!(
        column,
        text[line_start..offset].chars().count() + 1 - bom,
        "column at {offset}"
    );
}
