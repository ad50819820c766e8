//! Re-linting an edited document with what linting the previous version left (its
//! blocks' sentences and the rules' matches: what the language server does on each
//! pause in typing) gives exactly the report of linting the edited text afresh.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use policylint::editing::Earlier;
use policylint::rules::RuleFile;
use policylint::{FileReport, Format, Linter, RuleSet};
use proptest::prelude::*;

fn all_packs() -> RuleSet {
    let packs: Vec<String> = ["core", "gdpr", "ccpa", "caloppa", "coppa"]
        .iter()
        .map(|p| p.to_string())
        .collect();
    RuleSet::load(&packs, &[]).expect("the built-in packs load")
}

/// As the editor lints: each document's rules checked on all cores.
fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        Linter::new(all_packs(), "2026-11-23".parse().expect("a date")).with_parallel_rules_from(0)
    })
}

/// The rules checked one after another on one thread, to lint afresh with.
fn linter_in_turn() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        Linter::new(all_packs(), "2026-11-23".parse().expect("a date"))
            .with_parallel_rules_from(usize::MAX)
    })
}

fn policy() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join("policies");
    std::fs::read_to_string(dir.join("anysend.md")).expect("the example is readable")
}

/// The report of linting `text` afresh, with nothing from an earlier version.
fn fresh_with(linter: &Linter, text: &str) -> FileReport {
    let today = linter.today();
    linter
        .lint_edited("p.md", text.to_string(), Format::Markdown, today, None)
        .0
}

fn fresh(text: &str) -> FileReport {
    fresh_with(linter_in_turn(), text)
}

fn first_with(linter: &Linter, text: &str) -> Option<Earlier> {
    let today = linter.today();
    linter
        .lint_edited("p.md", text.to_string(), Format::Markdown, today, None)
        .1
}

fn first(text: &str) -> Option<Earlier> {
    first_with(linter(), text)
}

fn again_with(
    linter: &Linter,
    text: &str,
    earlier: &Option<Earlier>,
) -> (FileReport, Option<Earlier>) {
    let today = linter.today();
    linter.lint_edited(
        "p.md",
        text.to_string(),
        Format::Markdown,
        today,
        earlier.as_ref(),
    )
}

fn again(text: &str, earlier: &Option<Earlier>) -> (FileReport, Option<Earlier>) {
    again_with(linter(), text, earlier)
}

/// Everything a report says, as JSON, so that a difference shows where it is.
fn said(report: &FileReport) -> String {
    serde_json::to_string_pretty(&(&report.diagnostics, &report.rules)).expect("serialisable")
}

/// A char boundary at or after `at` (wrapping to the start).
fn boundary(text: &str, at: usize) -> usize {
    let at = at % (text.len() + 1);
    (at..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

#[test]
fn edits_that_move_repeat_and_remove_sentences_relint_as_afresh() {
    let original = policy();
    let mut memo = first(&original);
    let paragraphs: Vec<&str> = original.split("\n\n").collect();
    let mut swapped = paragraphs.clone();
    swapped.swap(2, paragraphs.len() - 2);
    let edits = [
        // A word typed in the middle of a sentence.
        original.replacen("privacy", "privacy policy", 1),
        // The same sentence twice, and a paragraph moved.
        format!("{original}\n\n{}\n", paragraphs[3]),
        // Three times: a sentence's matches copied to more than two places.
        format!("{original}\n\n{0}\n\n{0}\n", paragraphs[3]),
        swapped.join("\n\n"),
        // A sentence removed, and a contact added.
        original.replacen(paragraphs[4], "", 1),
        format!("{original}\n\nWrite to privacy@example.com or call +1 415 555 0100.\n"),
        // Back to where it started.
        original.clone(),
        String::new(),
        original.clone(),
    ];
    for edited in edits {
        let (report, next) = again(&edited, &memo);
        assert_eq!(said(&report), said(&fresh(&edited)));
        memo = next;
    }
}

/// A document of more than 1 MiB of prose: its rules are taken up costliest first, and
/// when it is linted again after an edit, the literals of the leaves the first lint
/// did not search are found while rules run on all cores. Its leaves keep what they
/// built for the edit.
#[test]
fn a_long_document_relints_as_afresh() {
    let policy = policy();
    let mut original = String::new();
    for copy in 0.. {
        if original.len() > 1_300_000 {
            break;
        }
        original.push_str(&format!("# Copy {copy}\n\n{policy}\n\n"));
    }
    // A linter of its own, so that no other test compiles or drops its leaves.
    let linter =
        Linter::new(all_packs(), "2026-11-23".parse().expect("a date")).with_parallel_rules_from(0);
    let memo = first_with(&linter, &original);
    // Kept for the next version, the leaves keep their regexes and search states
    // too (a long document linted once drops them): an edit builds none again.
    assert!((linter.rules().leaves.iter()).any(|leaf| leaf.is_compiled() && leaf.holds_cache()));
    let edited = original.replacen("privacy", "privacy policy", 1);
    let (report, _) = again_with(&linter, &edited, &memo);
    assert!(!report.diagnostics.is_empty());
    assert_eq!(said(&report), said(&fresh(&edited)));
}

#[test]
fn the_language_is_told_again_only_when_the_start_changes() {
    let french = "# Politique de confidentialité\n\n\
        Nous recueillons votre nom, votre adresse électronique et votre numéro de \
        téléphone lorsque vous créez un compte sur notre site. Nous utilisons ces \
        informations pour gérer votre compte, répondre à vos questions et améliorer \
        nos services. Nous ne vendons jamais vos données personnelles à des tiers. \
        Vous pouvez demander à tout moment la suppression de vos données en nous \
        écrivant. Nous conservons vos données pendant la durée de votre compte.\n";
    let english = policy();
    let reads_as_french = |report: &FileReport| {
        report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("reads as French"))
    };
    let memo = first(french);
    // Edited after its start: still French, as afresh.
    let longer = format!("{french}\nMerci de votre confiance.\n");
    let (report, memo) = again(&longer, &memo);
    assert!(reads_as_french(&report));
    assert_eq!(said(&report), said(&fresh(&longer)));
    // Its start replaced by an English policy: the rules apply again.
    let (report, memo) = again(&english, &memo);
    assert!(!reads_as_french(&report));
    assert_eq!(said(&report), said(&fresh(&english)));
    // And back.
    let (report, _) = again(french, &memo);
    assert!(reads_as_french(&report));
}

#[test]
fn a_sentence_is_reused_only_with_the_same_neighbours() {
    // The heading "SEE “ABOUT.”N" at the end, and then the sentence "SEE “ABOUT.”"
    // followed by "Next": the same characters in a row, but not the same sentence.
    let yaml = "title: T\nseverity: warning\nmessage: M\nforbid:\n  - pattern: 'ABOUT\\.”\\w*'\n";
    let file = RuleFile::new("t", "rule", "t/rule.yaml".into(), yaml.into());
    let rules = RuleSet::from_files(&[file], &BTreeMap::new()).expect("the rule compiles");
    let linter = Linter::new(rules, "2026-11-23".parse().expect("a date"));
    let before = "# P\n\nSome text.\n\n# SEE “ABOUT.”N\n";
    let after = "# P\n\nSome text.\n\nSEE “ABOUT.”Next thing.\n";
    let (report, _) = again_with(&linter, after, &first_with(&linter, before));
    assert_eq!(said(&report), said(&fresh_with(&linter, after)));
    assert_eq!(report.diagnostics.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_edits_relint_as_afresh(
        edits in prop::collection::vec((any::<usize>(), 0usize..40, "([a-z .\n@”。é]|# |\n\n[A-Z]){0,12}"), 1..4)
    ) {
        let mut text = policy();
        let mut memo = first(&text);
        for (at, cut, insert) in edits {
            let start = boundary(&text, at);
            let end = boundary(&text, start + cut).max(start);
            text.replace_range(start..end, &insert);
            let (report, next) = again(&text, &memo);
            prop_assert_eq!(said(&report), said(&fresh(&text)));
            memo = next;
        }
    }
}
