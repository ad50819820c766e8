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

const CCPA: [&str; 28] = [
    "ccpa/authorized-agent",
    "ccpa/categories-collected",
    "ccpa/categories-disclosed",
    "ccpa/category-names",
    "ccpa/contact",
    "ccpa/disclosed-for-business-purpose",
    "ccpa/financial-incentive",
    "ccpa/last-updated",
    "ccpa/minors-under-16",
    "ccpa/non-discrimination",
    "ccpa/opt-out-of-sharing",
    "ccpa/opt-out-signal",
    "ccpa/purposes",
    "ccpa/request-methods",
    "ccpa/retention-period",
    "ccpa/right-to-correct",
    "ccpa/right-to-delete",
    "ccpa/right-to-know",
    "ccpa/right-to-know-scope",
    "ccpa/right-to-limit",
    "ccpa/right-to-opt-out",
    "ccpa/sensitive-data-use",
    "ccpa/shared-for-advertising",
    "ccpa/shine-the-light",
    "ccpa/sold-shared",
    "ccpa/sources",
    "ccpa/two-request-methods",
    "ccpa/verification",
];

/// The facts the ccpa pack's "where applicable" rules depend on.
const CCPA_FACTS: [&str; 5] = [
    "sells-or-shares",
    "shares-for-advertising",
    "sensitive-data-beyond-permitted",
    "offers-financial-incentive",
    "discloses-for-direct-marketing",
];

fn note<'r>(report: &'r FileReport, rule: &str) -> &'r str {
    report
        .rules
        .iter()
        .find(|o| o.rule == rule)
        .and_then(|o| o.note.as_deref())
        .unwrap_or_else(|| panic!("no note on {rule}"))
}

#[test]
fn a_complete_ccpa_notice_passes_every_ccpa_rule() {
    let facts: Vec<(&str, bool)> = CCPA_FACTS.iter().map(|f| (*f, true)).collect();
    assert_statuses(
        &lint(&["ccpa"], &facts, "ccpa/ccpa-complete.md"),
        &CCPA,
        &[],
        &[],
    );
    // Every fact is also inferred from its text.
    let report = lint(&["ccpa"], &[], "ccpa/ccpa-complete.md");
    assert_statuses(&report, &CCPA, &[], &[]);
    assert!(note(&report, "ccpa/financial-incentive").starts_with("assumed: "));
}

#[test]
fn a_partial_ccpa_notice_fails_what_it_leaves_out() {
    let report = lint(&["ccpa"], &[], "ccpa/ccpa-partial.md");
    assert_statuses(
        &report,
        &[
            "ccpa/categories-collected",
            "ccpa/categories-disclosed",
            "ccpa/category-names",
            "ccpa/contact",
            "ccpa/disclosed-for-business-purpose",
            "ccpa/non-discrimination",
            "ccpa/purposes",
            "ccpa/request-methods",
            "ccpa/right-to-delete",
            "ccpa/right-to-know",
            // "You can opt out of the sale ... by emailing us": the opt-out of sale is
            // explained; that it leaves out sharing is ccpa/opt-out-of-sharing's finding.
            "ccpa/right-to-opt-out",
            "ccpa/shared-for-advertising",
            "ccpa/sold-shared",
            "ccpa/sources",
        ],
        &[
            "ccpa/authorized-agent",
            "ccpa/last-updated",
            "ccpa/minors-under-16",
            "ccpa/opt-out-of-sharing",
            "ccpa/opt-out-signal",
            "ccpa/retention-period",
            "ccpa/right-to-correct",
            "ccpa/right-to-know-scope",
            // The policy never says whether sensitive personal information is used
            // beyond the permitted purposes: the right to limit is asked for, with the
            // fact to declare.
            "ccpa/right-to-limit",
            "ccpa/sensitive-data-use",
            "ccpa/two-request-methods",
            "ccpa/verification",
        ],
        &["ccpa/financial-incentive", "ccpa/shine-the-light"],
    );
    assert!(
        note(&report, "ccpa/right-to-limit").starts_with("not known: "),
        "{}",
        note(&report, "ccpa/right-to-limit")
    );
    assert!(note(&report, "ccpa/opt-out-of-sharing").starts_with("assumed: "));
}

#[test]
fn a_minimal_pre_ccpa_policy_fails_most_and_facts_decide_the_rest() {
    // "We do not sell, trade or rent your personal information": the sale is
    // denied, sharing for advertising is not, so whether the business sells or
    // shares stays unknown and the rules that depend on it run.
    let conditional = [
        "ccpa/minors-under-16",
        "ccpa/opt-out-of-sharing",
        "ccpa/opt-out-signal",
        "ccpa/right-to-limit",
        "ccpa/right-to-opt-out",
    ];
    let pass = [
        "ccpa/categories-collected",
        "ccpa/purposes",
        "ccpa/sold-shared",
    ];
    let not_applicable = [
        "ccpa/financial-incentive",
        "ccpa/right-to-know-scope",
        "ccpa/shine-the-light",
    ];
    let fail: Vec<&str> = CCPA
        .iter()
        .copied()
        .filter(|r| !pass.contains(r) && !not_applicable.contains(r))
        .collect();
    let report = lint(&["ccpa"], &[], "ccpa/ccpa-minimal.md");
    assert_statuses(&report, &pass, &fail, &not_applicable);
    for rule in conditional {
        assert!(note(&report, rule).starts_with("not known: "), "{rule}");
    }
    // Declared facts settle them.
    let declared = lint(
        &["ccpa"],
        &[
            ("sells-or-shares", false),
            ("shares-for-advertising", false),
            ("sensitive-data-beyond-permitted", false),
        ],
        "ccpa/ccpa-minimal.md",
    );
    for rule in conditional {
        assert_eq!(common::status(&declared, rule), "not-applicable", "{rule}");
    }
    let declared = lint(
        &["ccpa"],
        &[
            ("sells-or-shares", true),
            ("shares-for-advertising", true),
            ("sensitive-data-beyond-permitted", true),
        ],
        "ccpa/ccpa-minimal.md",
    );
    for rule in conditional {
        assert_eq!(common::status(&declared, rule), "fail", "{rule}");
    }
}

const CALOPPA: [&str; 8] = [
    "caloppa/categories-collected",
    "caloppa/change-notice",
    "caloppa/do-not-track",
    "caloppa/effective-date",
    "caloppa/minors-content-removal",
    "caloppa/review-process",
    "caloppa/third-parties",
    "caloppa/third-party-tracking",
];

const COPPA: [&str; 10] = [
    "coppa/audio-files",
    "coppa/indefinite-retention",
    "coppa/information-collected",
    "coppa/operator-contact",
    "coppa/parental-consent",
    "coppa/parental-rights",
    "coppa/persistent-identifiers",
    "coppa/retention-policy",
    "coppa/separate-disclosure-consent",
    "coppa/use-and-disclosure",
];

/// Rules that apply only when the policy mentions what they are about.
const WHEN_MENTIONED: [&str; 4] = [
    "caloppa/minors-content-removal",
    "coppa/audio-files",
    "coppa/persistent-identifiers",
    // the app says it tracks no one across sites (fact tracks-across-sites)
    "caloppa/do-not-track",
];

#[test]
fn a_childrens_app_passes_caloppa_and_coppa() {
    let all: Vec<&str> = CALOPPA
        .iter()
        .chain(&COPPA)
        .copied()
        .filter(|r| !WHEN_MENTIONED.contains(r))
        .collect();
    assert_statuses(
        &lint(&["caloppa", "coppa"], &[], "us/kids-app.md"),
        &all,
        &[],
        &WHEN_MENTIONED,
    );
}

#[test]
fn coppa_does_not_apply_to_a_general_audience_site() {
    let pass: Vec<&str> = CALOPPA
        .iter()
        .copied()
        .filter(|r| {
            !r.ends_with("do-not-track")
                && !r.ends_with("third-party-tracking")
                && !r.ends_with("minors-content-removal")
        })
        .collect();
    assert_statuses(
        &lint(&["caloppa", "coppa"], &[], "us/general-site.md"),
        &pass,
        &["caloppa/do-not-track", "caloppa/third-party-tracking"],
        &[&COPPA[..], &["caloppa/minors-content-removal"]].concat(),
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
