//! The five example policies: which core rules pass or fail, where findings land,
//! and the traps that must not count.

mod common;

use common::{TODAY, line_at, lint_example, lint_markdown, status};
use policylint::FileReport;

const FILES: [&str; 5] = [
    "pythonanywhere.md",
    "plesk.md",
    "putio.md",
    "promptwatch.md",
    "anysend.md",
];

#[test]
fn outcome_table_for_the_examples() {
    let table = [
        ("core/contact", ["pass", "pass", "fail", "fail", "pass"]),
        (
            "core/last-updated",
            ["pass", "fail", "pass", "fail", "fail"],
        ),
        (
            "core/outdated",
            [
                "fail",
                "not-applicable",
                "fail",
                "not-applicable",
                "not-applicable",
            ],
        ),
        (
            "core/retention-period",
            ["pass", "fail", "fail", "pass", "fail"],
        ),
    ];
    for (rule, expected) in table {
        for (file, want) in FILES.iter().zip(expected) {
            let report = lint_example(file);
            assert_eq!(status(&report, rule), want, "{rule} on {file}");
        }
    }
}

#[test]
fn core_pack_outcome_table_for_the_examples() {
    // "-": not asserted.
    let table = [
        (
            "core/analytics-provider",
            ["pass", "-", "pass", "pass", "fail"],
        ),
        ("core/children", ["fail", "pass", "pass", "fail", "fail"]),
        (
            "core/policy-changes",
            ["pass", "fail", "pass", "pass", "pass"],
        ),
    ];
    for (rule, expected) in table {
        for (file, want) in FILES.iter().zip(expected) {
            if want != "-" {
                assert_eq!(status(&lint_example(file), rule), want, "{rule} on {file}");
            }
        }
    }
}

#[test]
fn putio_unusable_address_is_also_an_obfuscated_contact() {
    let report = lint_example("putio.md");
    let found: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "core/obfuscated-contact")
        .map(|d| &report.source[d.span.location.start.offset..d.span.location.end.offset])
        .collect();
    assert_eq!(found, vec!["support-at-put.io"]);
}

#[test]
fn no_example_has_a_placeholder() {
    for file in FILES {
        assert_eq!(
            status(&lint_example(file), "core/placeholder"),
            "pass",
            "{file}"
        );
    }
}

fn finding_line<'a>(report: &'a FileReport, rule: &str) -> &'a str {
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} finding in {}", report.path));
    line_at(&report.source, d.span.location.start.offset)
}

#[test]
fn anysend_retention_finding_is_on_the_vague_sentence() {
    let report = lint_example("anysend.md");
    assert!(finding_line(&report, "core/retention-period").contains("as long as is necessary"));
}

#[test]
fn putio_contact_finding_is_on_the_unusable_address() {
    let report = lint_example("putio.md");
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "core/contact")
        .unwrap();
    let s = d.span.location;
    assert_eq!(
        &report.source[s.start.offset..s.end.offset],
        "support-at-put.io"
    );
}

#[test]
fn plesk_retention_finding_is_inside_its_retention_section() {
    let report = lint_example("plesk.md");
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "core/retention-period")
        .unwrap();
    let at = d.span.location.start.offset;
    let section = report
        .source
        .find("**Information Retention & Destruction**")
        .unwrap();
    let next = report
        .source
        .find("**Cross-Border Disclosure of Data**")
        .unwrap();
    assert!(
        section < at && at < next,
        "finding at {at} is outside {section}..{next}"
    );
    assert!(
        finding_line(&report, "core/retention-period").contains("for as long as it is required")
    );
}

#[test]
fn anysend_missing_date_points_at_its_last_revised_sentence() {
    let report = lint_example("anysend.md");
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "core/last-updated")
        .unwrap();
    let s = d.span.location;
    assert_eq!(&report.source[s.start.offset..s.end.offset], "last revised");
}

#[test]
fn archive_notes_are_not_the_policy_date() {
    let report = lint_markdown(
        "> *The following text is extracted from the plesk.com privacy policy that was archived on 2016-10-11.*\n\n# Privacy Policy\n\nWe collect data.\n",
    );
    assert_eq!(status(&report, "core/last-updated"), "fail");
    assert_eq!(status(&report, "core/outdated"), "not-applicable");
}

#[test]
fn a_vendor_url_is_not_a_contact() {
    let report = lint_markdown(
        "# Privacy\n\nFor more information on the privacy practices of Intercom, please visit http://docs.intercom.io/privacy. If you would like to opt out, please contact us.\n",
    );
    assert_eq!(status(&report, "core/contact"), "fail");
}

#[test]
fn a_list_of_collected_data_is_not_a_contact() {
    let report = lint_markdown(
        "# Privacy\n\nWe require customers to give us contact information, such as their name, company name, address,email address, and billing information.\n",
    );
    assert_eq!(status(&report, "core/contact"), "fail");
}

#[test]
fn cookie_lifetimes_are_not_a_retention_period() {
    let report = lint_markdown(
        "# Cookies\n\nThis may include cookies which terminate and the erase once you close your browser. Session cookies are stored for 2 hours.\n",
    );
    assert_eq!(status(&report, "core/retention-period"), "fail");
}

#[test]
fn a_recent_date_passes_outdated() {
    let report = lint_markdown("# Privacy Policy\n\nLast updated: October 1, 2026.\n");
    assert_eq!(status(&report, "core/last-updated"), "pass");
    assert_eq!(status(&report, "core/outdated"), "pass");
    let _ = TODAY;
}

#[test]
fn passing_rules_carry_their_evidence() {
    let report = lint_example("pythonanywhere.md");
    let outcome = report
        .rules
        .iter()
        .find(|o| o.rule == "core/retention-period")
        .unwrap();
    let evidence = outcome.evidence.as_ref().unwrap();
    assert_eq!(
        evidence.text,
        "These logs are deleted at least every 30 days, and frequently faster."
    );
    let s = evidence.span.location;
    assert_eq!(&report.source[s.start.offset..s.end.offset], evidence.text);
}

/// Line and column computed the slow, obvious way.
fn naive_line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, source[line_start..offset].chars().count() + 1)
}

#[test]
fn every_line_and_column_agrees_with_its_byte_offset() {
    for file in FILES {
        let report = lint_example(file);
        let mut spans = Vec::new();
        for d in &report.diagnostics {
            spans.push(d.span.location);
            spans.extend(d.labels.iter().map(|l| l.span.location));
        }
        spans.extend(
            report
                .rules
                .iter()
                .filter_map(|o| o.evidence.as_ref().map(|e| e.span.location)),
        );
        assert!(!spans.is_empty());
        for s in spans {
            for p in [s.start, s.end] {
                assert!(report.source.is_char_boundary(p.offset));
                assert_eq!(
                    naive_line_column(&report.source, p.offset),
                    (p.line, p.column),
                    "{file}"
                );
            }
            assert!(s.start.offset <= s.end.offset);
        }
    }
}
