//! Every built-in rule carries examples that must pass and must fail, and they do.

mod common;

use policylint::rules::builtin_packs;
use policylint::{Linter, RuleSet};

/// Each pack alone, so that rules another pack supersedes are tested too.
fn each_pack() -> Vec<RuleSet> {
    builtin_packs()
        .into_iter()
        .map(|pack| RuleSet::load(&[pack], &[]).expect("built-in pack loads"))
        .collect()
}

#[test]
fn every_rule_example_gives_the_promised_result() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for rules in each_pack() {
        let linter = Linter::new(rules, common::TODAY.parse().unwrap());
        let run = policylint::examples::run(&linter);
        checked += run.checked;
        failures.extend(run.failures.iter().map(|f| {
            format!(
                "{} expected {:?}: {:?} gave {:?}",
                f.rule, f.expected, f.example, f.findings
            )
        }));
    }
    assert!(checked > 400, "only {checked} examples ran");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_is_documented_and_has_two_pass_and_two_fail_examples() {
    for rules in each_pack() {
        for rule in &rules.rules {
            assert!(
                rule.examples.pass.len() >= 2,
                "{}: fewer than 2 pass examples",
                rule.id
            );
            assert!(
                rule.examples.fail.len() >= 2,
                "{}: fewer than 2 fail examples",
                rule.id
            );
            assert!(
                rule.help.as_deref().is_some_and(|h| h.len() > 40),
                "{}: no help",
                rule.id
            );
            assert!(!rule.references.is_empty(), "{}: no references", rule.id);
        }
    }
}

/// Where the official texts of the laws the built-in packs cite are published.
const LAW_SITES: [&str; 4] = [
    "https://eur-lex.europa.eu/",
    "https://leginfo.legislature.ca.gov/",
    "https://cppa.ca.gov/",
    "https://www.ecfr.gov/",
];

#[test]
fn every_built_in_reference_says_its_kind_and_where_to_read_it() {
    use policylint::diagnostic::ReferenceKind;
    for rules in each_pack() {
        for rule in &rules.rules {
            for reference in &rule.references {
                let what = format!("{}: {}", rule.id, reference.text);
                let kind = reference.kind.unwrap_or_else(|| panic!("{what}: no kind"));
                let url = reference
                    .url
                    .as_deref()
                    .unwrap_or_else(|| panic!("{what}: no url"));
                assert!(url.starts_with("https://"), "{what}: {url}");
                // A notice duty is read in the law itself.
                if kind == ReferenceKind::Requires {
                    assert!(
                        LAW_SITES.iter().any(|site| url.starts_with(site)),
                        "{what}: a requirement cited from {url}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_pack_has_a_version_and_description() {
    for rules in each_pack() {
        for pack in &rules.packs {
            assert_ne!(pack.version, "unversioned", "{}", pack.name);
            assert!(!pack.description.is_empty(), "{}", pack.name);
        }
    }
}

#[test]
fn a_wrong_example_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mail.yaml"),
        "title: t\nseverity: error\nmessage: m\nrequire:\n  pattern: '{email}'\nexamples:\n  pass: ['no address here']\n  fail: ['a@b.co']\n",
    )
    .unwrap();
    let rules = RuleSet::load(&[], &[dir.path().to_path_buf()]).unwrap();
    let run = policylint::examples::run(&Linter::new(rules, common::TODAY.parse().unwrap()));
    assert_eq!(run.checked, 2);
    assert_eq!(run.failures.len(), 2);
}
