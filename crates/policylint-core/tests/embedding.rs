//! The library as an embedder uses it: built-in packs and rules given as text, facts,
//! typed errors, and re-linting a document as it is edited.

use policylint_core::rules::{Alphabet, RuleText};
use policylint_core::{Format, Linter, RuleError, RuleSet, Status};

const TODAY: &str = "2026-11-23";

fn status(report: &policylint_core::FileReport, rule: &str) -> Status {
    report
        .rules
        .iter()
        .find(|o| o.rule == rule)
        .unwrap_or_else(|| panic!("no outcome for {rule}"))
        .status
}

/// A rule of the embedder's own, kept as text, that uses a list and a built-in fact.
fn own_rules() -> Vec<RuleText> {
    vec![
        RuleText {
            folder: "lists".into(),
            name: "newsletter-words".into(),
            yaml: "terms: [newsletter, mailing list]\n".into(),
        },
        RuleText {
            folder: "acme".into(),
            name: "unsubscribe".into(),
            yaml: "title: Says how to unsubscribe
severity: warning
message: The policy does not say how to unsubscribe from the newsletter.
when:
  fact: asks-for-data
require:
  scope: sentence
  all:
    - terms: [unsubscribe, opt out]
    - terms: \"@newsletter-words\"
examples:
  pass:
    - \"You can unsubscribe from our newsletter with the link in every email.\"
  fail:
    - \"We send a newsletter.\"
"
            .into(),
        },
    ]
}

#[test]
fn rules_given_as_text_run_beside_a_built_in_pack() {
    let rules = RuleSet::load_with(&["core".to_string()], &[], &own_rules()).unwrap();
    assert!(rules.get("acme/unsubscribe").is_some());
    assert!(rules.get("core/contact").is_some());
    let linter = Linter::new(rules, TODAY.parse().unwrap())
        .with_facts(&[("asks-for-data".into(), true)])
        .unwrap();
    let without = "# Privacy\n\nWe send a newsletter to those who ask for it.\n";
    let with = "# Privacy\n\nYou can unsubscribe from our newsletter at any time.\n";
    let report = linter.lint("a.md", without.into(), Format::Markdown);
    assert_eq!(status(&report, "acme/unsubscribe"), Status::Fail);
    let report = linter.lint("b.md", with.into(), Format::Markdown);
    assert_eq!(status(&report, "acme/unsubscribe"), Status::Pass);

    let linter = Linter::new(
        RuleSet::load_with(&[], &[], &own_rules()).unwrap(),
        TODAY.parse().unwrap(),
    )
    .with_facts(&[("asks-for-data".into(), false)])
    .unwrap();
    let report = linter.lint("a.md", without.into(), Format::Markdown);
    assert_eq!(status(&report, "acme/unsubscribe"), Status::NotApplicable);
}

#[test]
fn errors_are_typed() {
    let broken = RuleText {
        folder: "acme".into(),
        name: "broken".into(),
        yaml: "title: x\nseverity: loud\nmessage: m\n".into(),
    };
    let err = RuleSet::load_with(&[], &[], &[broken]).unwrap_err();
    assert!(matches!(err, RuleError::Invalid(_)), "{err:?}");
    assert!(err.to_string().contains("`loud`"), "{err}");

    let err = RuleSet::load(&["nope".to_string()], &[]).unwrap_err();
    assert!(matches!(err, RuleError::UnknownPack { .. }), "{err:?}");

    let rules = RuleSet::load(&["core".to_string()], &[]).unwrap();
    let err = Linter::new(rules, TODAY.parse().unwrap())
        .with_facts(&[("no-such-fact".into(), true)])
        .err()
        .unwrap();
    assert!(matches!(err, RuleError::UnknownFact { ref name, .. } if name == "no-such-fact"));
}

#[test]
fn re_linting_an_edit_is_one_call_and_agrees_with_a_fresh_lint() {
    let rules = RuleSet::load(&["core".to_string()], &[]).unwrap();
    let linter = Linter::new(rules, TODAY.parse().unwrap());
    let today = TODAY.parse().unwrap();
    let first = "# Privacy\n\nWe collect your email address.\n\nWe keep it for 30 days.\n";
    let (report, earlier) = linter.lint_edited("p.md", first.into(), Format::Markdown, today, None);
    assert_eq!(status(&report, "core/contact"), Status::Fail);
    let second = format!("{first}\nWrite to privacy@example.com with any question.\n");
    let (edited, _) = linter.lint_edited(
        "p.md",
        second.clone(),
        Format::Markdown,
        today,
        earlier.as_ref(),
    );
    let fresh = linter.lint("p.md", second, Format::Markdown);
    assert_eq!(status(&edited, "core/contact"), Status::Pass);
    assert_eq!(edited.diagnostics, fresh.diagnostics);
    assert_eq!(edited.rules, fresh.rules);
}

#[test]
fn regexes_are_compiled_on_first_search_or_all_at_once_when_asked() {
    let rules = RuleSet::load(&["core".to_string()], &[]).unwrap();
    let leaves = std::sync::Arc::clone(&rules.leaves);
    let in_use = rules.leaves_in_use();
    let linter = Linter::new(rules, TODAY.parse().unwrap());
    let compiled = || {
        in_use
            .iter()
            .filter(|&&leaf| leaves[leaf].is_compiled())
            .count()
    };
    // Only a leaf that could be too large is compiled when the rules load.
    let at_load = compiled();
    assert!(at_load * 20 < in_use.len(), "{at_load} of {}", in_use.len());

    // A short text compiles some more of them, not all.
    let text = "# Privacy\n\nWe keep your email address.\n";
    linter.lint("a.md", text.into(), Format::Markdown);
    let after_lint = compiled();
    assert!(
        after_lint > at_load && after_lint < in_use.len(),
        "{after_lint}"
    );

    // Asked to stop at once, it compiles nothing more; else all of them.
    linter.compile_regexes(|| false);
    assert_eq!(compiled(), after_lint);
    let asked = std::cell::Cell::new(0);
    linter.compile_regexes(|| {
        asked.set(asked.get() + 1);
        true
    });
    assert!((in_use.iter()).all(|&leaf| leaves[leaf].is_compiled_for(Alphabet::Plain)));
    assert_eq!(asked.get(), in_use.len(), "asked before each leaf");
    // The regexes for any text are left for the sentences that need them (the short
    // text above needs none): only those compiled when the rules loaded are.
    let for_any_text = (in_use.iter())
        .filter(|&&leaf| leaves[leaf].is_compiled_for(Alphabet::Unicode))
        .count();
    assert_eq!(for_any_text, at_load);
}
