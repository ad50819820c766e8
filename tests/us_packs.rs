//! The CCPA, CalOPPA and COPPA packs on policies written for them: which rules pass,
//! fail or do not apply, and what facts change.

mod common;

use policylint::{FileReport, Format, Linter, RuleSet};

fn lint(packs: &[&str], facts: &[(&str, bool)], fixture: &str) -> FileReport {
    let packs: Vec<String> = packs.iter().map(|p| p.to_string()).collect();
    let rules = RuleSet::load(&packs, &[]).expect("packs load");
    let facts: Vec<(String, bool)> = facts.iter().map(|(n, v)| (n.to_string(), *v)).collect();
    let linter = Linter::new(rules, common::TODAY.parse().unwrap())
        .with_facts(&facts)
        .expect("known facts");
    let text =
        std::fs::read_to_string(common::repo().join("tests/fixtures").join(fixture)).unwrap();
    linter.lint(fixture, text, Format::Markdown)
}

/// Asserts the status of every rule named, and that the report has no others.
fn assert_statuses(report: &FileReport, pass: &[&str], fail: &[&str], not_applicable: &[&str]) {
    for (want, rules) in [
        ("pass", pass),
        ("fail", fail),
        ("not-applicable", not_applicable),
    ] {
        for rule in rules {
            assert_eq!(
                common::status(report, rule),
                want,
                "{rule} on {}",
                report.path
            );
        }
    }
    assert_eq!(
        report.rules.len(),
        pass.len() + fail.len() + not_applicable.len(),
        "{}",
        report.path
    );
}

const CCPA: [&str; 19] = [
    "ccpa/authorized-agent",
    "ccpa/categories-collected",
    "ccpa/categories-disclosed",
    "ccpa/contact",
    "ccpa/last-updated",
    "ccpa/minors-under-16",
    "ccpa/non-discrimination",
    "ccpa/opt-out-signal",
    "ccpa/purposes",
    "ccpa/request-methods",
    "ccpa/retention-period",
    "ccpa/right-to-correct",
    "ccpa/right-to-delete",
    "ccpa/right-to-know",
    "ccpa/right-to-limit",
    "ccpa/right-to-opt-out",
    "ccpa/sold-shared",
    "ccpa/sources",
    "ccpa/verification",
];

#[test]
fn a_complete_ccpa_notice_passes_every_ccpa_rule() {
    let facts = [
        ("sells-or-shares", true),
        ("sensitive-data-beyond-permitted", true),
    ];
    assert_statuses(
        &lint(&["ccpa"], &facts, "ccpa/ccpa-complete.md"),
        &CCPA,
        &[],
        &[],
    );
    // Both facts are also inferred from its text.
    assert_statuses(
        &lint(&["ccpa"], &[], "ccpa/ccpa-complete.md"),
        &CCPA,
        &[],
        &[],
    );
}

#[test]
fn a_partial_ccpa_notice_fails_what_it_leaves_out() {
    let report = lint(&["ccpa"], &[], "ccpa/ccpa-partial.md");
    assert_statuses(
        &report,
        &[
            "ccpa/categories-collected",
            "ccpa/categories-disclosed",
            "ccpa/contact",
            "ccpa/non-discrimination",
            "ccpa/purposes",
            "ccpa/right-to-delete",
            "ccpa/right-to-know",
            "ccpa/sold-shared",
            "ccpa/sources",
        ],
        &[
            "ccpa/authorized-agent",
            "ccpa/last-updated",
            "ccpa/minors-under-16",
            "ccpa/opt-out-signal",
            "ccpa/request-methods",
            "ccpa/retention-period",
            "ccpa/right-to-correct",
            "ccpa/right-to-opt-out",
            "ccpa/verification",
        ],
        &["ccpa/right-to-limit"],
    );
    let limit = report
        .rules
        .iter()
        .find(|o| o.rule == "ccpa/right-to-limit")
        .unwrap();
    assert!(
        limit.note.as_deref().unwrap().starts_with("assumed: "),
        "{:?}",
        limit.note
    );
}

#[test]
fn a_minimal_pre_ccpa_policy_fails_most_and_facts_decide_the_rest() {
    let fail: Vec<&str> = CCPA
        .iter()
        .copied()
        .filter(|r| {
            ![
                "ccpa/purposes",
                "ccpa/minors-under-16",
                "ccpa/right-to-opt-out",
                "ccpa/right-to-limit",
            ]
            .contains(r)
        })
        .collect();
    assert_statuses(
        &lint(&["ccpa"], &[], "ccpa/ccpa-minimal.md"),
        &["ccpa/purposes"],
        &fail,
        &[
            "ccpa/minors-under-16",
            "ccpa/right-to-opt-out",
            "ccpa/right-to-limit",
        ],
    );
    let declared = lint(
        &["ccpa"],
        &[
            ("sells-or-shares", true),
            ("sensitive-data-beyond-permitted", true),
        ],
        "ccpa/ccpa-minimal.md",
    );
    for rule in [
        "ccpa/minors-under-16",
        "ccpa/right-to-opt-out",
        "ccpa/right-to-limit",
    ] {
        assert_eq!(common::status(&declared, rule), "fail", "{rule}");
    }
}

const CALOPPA: [&str; 7] = [
    "caloppa/categories-collected",
    "caloppa/change-notice",
    "caloppa/do-not-track",
    "caloppa/effective-date",
    "caloppa/review-process",
    "caloppa/third-parties",
    "caloppa/third-party-tracking",
];

const COPPA: [&str; 6] = [
    "coppa/information-collected",
    "coppa/operator-contact",
    "coppa/parental-consent",
    "coppa/parental-rights",
    "coppa/retention-policy",
    "coppa/use-and-disclosure",
];

#[test]
fn a_childrens_app_passes_caloppa_and_coppa() {
    let all: Vec<&str> = CALOPPA.iter().chain(&COPPA).copied().collect();
    assert_statuses(
        &lint(&["caloppa", "coppa"], &[], "us/kids-app.md"),
        &all,
        &[],
        &[],
    );
}

#[test]
fn coppa_does_not_apply_to_a_general_audience_site() {
    let pass: Vec<&str> = CALOPPA
        .iter()
        .copied()
        .filter(|r| !r.ends_with("do-not-track") && !r.ends_with("third-party-tracking"))
        .collect();
    assert_statuses(
        &lint(&["caloppa", "coppa"], &[], "us/general-site.md"),
        &pass,
        &["caloppa/do-not-track", "caloppa/third-party-tracking"],
        &COPPA,
    );
}

#[test]
fn every_pack_together_reports_each_gap_once_and_keeps_every_outcome() {
    let packs = ["core", "gdpr", "ccpa", "caloppa", "coppa"];
    let report = lint(&packs, &[], "ccpa/ccpa-minimal.md");
    // Every rule of every pack has its outcome, as when its pack is loaded alone.
    for pack in packs {
        let alone = lint(&[pack], &[], "ccpa/ccpa-minimal.md");
        for own in &alone.rules {
            let together = report.rules.iter().find(|o| o.rule == own.rule).unwrap();
            assert_eq!(together.status, own.status, "{}", own.rule);
        }
    }
    let retention: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.reports("core/retention-period") || d.reports("gdpr/retention-period"))
        .collect();
    assert_eq!(retention.len(), 1, "{retention:?}");
    assert_eq!(retention[0].rule, "ccpa/retention-period");
    // The one finding cites every law it stands for.
    let refs: Vec<&str> = retention[0]
        .references
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    let refs = refs.join(" ");
    assert!(refs.contains("GDPR") && refs.contains("1798.100"), "{refs}");
}
