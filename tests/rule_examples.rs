//! Every built-in rule carries examples that must pass and must fail, and they do.

mod common;

use policylint::rules::builtin_packs;
use policylint::{Linter, RuleSet};

fn all_builtin() -> RuleSet {
    RuleSet::load(&builtin_packs(), &[]).expect("built-in packs load")
}

#[test]
fn every_rule_example_gives_the_promised_result() {
    let linter = Linter::new(all_builtin(), common::TODAY.parse().unwrap());
    let run = policylint::examples::run(&linter);
    assert!(run.checked > 0);
    let failures: Vec<String> = run
        .failures
        .iter()
        .map(|f| {
            format!(
                "{} expected {:?}: {:?} gave {:?}",
                f.rule, f.expected, f.example, f.findings
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_is_documented_and_has_two_pass_and_two_fail_examples() {
    for rule in &all_builtin().rules {
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
