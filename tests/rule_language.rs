//! The rule language, one behaviour at a time, on small custom rules.

use std::collections::BTreeMap;

use policylint::diagnostic::FileReport;
use policylint::rules::RuleFile;
use policylint::{Format, Linter, RuleSet};

fn lint_with(rule_yaml: &str, policy: &str) -> FileReport {
    let file = RuleFile::new("t", "rule", "t/rule.yaml".into(), rule_yaml.into());
    let mut lists = BTreeMap::new();
    lists.insert(
        "analytics".to_string(),
        vec!["Google Analytics".to_string(), "Mixpanel".to_string()],
    );
    let rules = RuleSet::from_files(&[file], &lists).expect("rule compiles");
    Linter::new(rules, "2026-11-23".parse().unwrap()).lint("p.md", policy.into(), Format::Markdown)
}

fn status(report: &FileReport) -> String {
    serde_json::to_value(report.rules[0].status)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

fn quoted(report: &FileReport, i: usize) -> &str {
    let s = report.diagnostics[i].span.location;
    &report.source[s.start.offset..s.end.offset]
}

const HEAD: &str = "title: T\nseverity: warning\nmessage: M\n";

#[test]
fn when_unmatched_is_not_applicable_and_matched_adds_a_label() {
    let rule = format!("{HEAD}when:\n  terms: [analytics]\nrequire:\n  terms: '@analytics'\n");
    assert_eq!(
        status(&lint_with(&rule, "# P\n\nWe sell nothing.\n")),
        "not-applicable"
    );
    let report = lint_with(&rule, "# P\n\nWe use analytics tools.\n");
    assert_eq!(status(&report), "fail");
    let label = report.diagnostics[0]
        .labels
        .iter()
        .find(|l| l.message.contains("applies because"))
        .unwrap();
    assert_eq!(
        &report.source[label.span.location.start.offset..label.span.location.end.offset],
        "analytics"
    );
    assert_eq!(
        status(&lint_with(
            &rule,
            "# P\n\nWe use analytics from **Google** Analytics.\n"
        )),
        "pass"
    );
}

#[test]
fn scopes_decide_whether_parts_must_meet() {
    let doc = "# Data\n\nWe keep logs.\n\nThey go after 30 days.\n\n# Other\n\nNothing.\n";
    let rule = |scope: &str| {
        format!(
            "{HEAD}require:\n  scope: {scope}\n  all:\n    - terms: [logs]\n    - pattern: '{{duration}}'\n"
        )
    };
    assert_eq!(status(&lint_with(&rule("sentence"), doc)), "fail");
    assert_eq!(status(&lint_with(&rule("paragraph"), doc)), "fail");
    assert_eq!(status(&lint_with(&rule("section"), doc)), "pass");
    assert_eq!(status(&lint_with(&rule("document"), doc)), "pass");
}

#[test]
fn near_counts_words_between() {
    let rule = format!(
        "{HEAD}require:\n  near:\n    within: 2\n    all:\n      - terms: [contact]\n      - pattern: '{{email}}'\n"
    );
    assert_eq!(status(&lint_with(&rule, "Contact us at a@b.co.")), "pass");
    assert_eq!(
        status(&lint_with(
            &rule,
            "Contact us, our team, or others at a@b.co."
        )),
        "fail"
    );
}

#[test]
fn not_and_any_compose() {
    let rule = format!(
        "{HEAD}require:\n  all:\n    - any: [{{terms: [sell]}}, {{terms: [rent]}}]\n    - not: {{terms: [never, not]}}\n"
    );
    assert_eq!(status(&lint_with(&rule, "We rent lists.")), "pass");
    assert_eq!(status(&lint_with(&rule, "We never sell data.")), "fail");
}

#[test]
fn forbid_reports_each_match_unless_excused_in_the_same_unit() {
    let rule = format!(
        "{HEAD}forbid:\n  - pattern: 'as long as necessary'\n    unless: {{pattern: '{{duration}}'}}\n    message: vague\n"
    );
    let report = lint_with(
        &rule,
        "Kept as long as necessary. Also as long as necessary. Or as long as necessary, at most 2 years.",
    );
    assert_eq!(report.diagnostics.len(), 2);
    assert_eq!(report.diagnostics[0].message, "vague");
    assert_eq!(quoted(&report, 1), "as long as necessary");
}

#[test]
fn missing_statement_anchors_at_hint_then_section_then_title() {
    let base = format!("{HEAD}section: retention\nrequire:\n  pattern: '{{duration}}'\n");
    let with_hint = format!("{base}hint:\n  - terms: [retain]\n    message: nearly\n");
    let doc = "# Policy\n\nIntro.\n\n## Data retention\n\nWe retain data.\n";
    let report = lint_with(&with_hint, doc);
    assert_eq!(quoted(&report, 0), "retain");
    assert_eq!(report.diagnostics[0].labels[0].message, "nearly");
    assert_eq!(quoted(&lint_with(&base, doc), 0), "Data retention");
    let report = lint_with(&base, "# Policy\n\nIntro.\n\n## Contact\n\nHi.\n");
    assert_eq!(quoted(&report, 0), "Policy");
    assert!(
        report.diagnostics[0].labels[0]
            .message
            .contains("no heading matches `retention`")
    );
}

#[test]
fn terms_ignore_case_apostrophes_hyphens_and_markup() {
    let rule = format!("{HEAD}require:\n  terms: [\"you're opted-in\"]\n");
    assert_eq!(
        status(&lint_with(&rule, "Now You’re **opted‑in**.")),
        "pass"
    );
    assert_eq!(status(&lint_with(&rule, "You are opted in.")), "fail");
}

#[test]
fn patterns_match_whole_words_only() {
    let rule = format!("{HEAD}require:\n  pattern: 'retain'\n");
    assert_eq!(status(&lint_with(&rule, "We retained it.")), "fail");
    assert_eq!(status(&lint_with(&rule, "We retain it.")), "pass");
}

#[test]
fn sentences_do_not_cross_blocks() {
    let rule = format!("{HEAD}require:\n  all: [{{terms: [keep]}}, {{pattern: '{{duration}}'}}]\n");
    assert_eq!(
        status(&lint_with(&rule, "- We keep data\n- 30 days\n")),
        "fail"
    );
    assert_eq!(
        status(&lint_with(&rule, "- We keep data 30 days\n")),
        "pass"
    );
}

#[test]
fn strict_loading_rejects_misplaced_keys_and_empty_matchers() {
    let cases = [
        format!("{HEAD}require:\n  all:\n    - scope: sentence\n      terms: [x]\n"),
        format!("{HEAD}require:\n  terms: [x]\n  message: no\n"),
        format!("{HEAD}require:\n  terms: [x]\n  pattern: y\n"),
        format!("{HEAD}require: {{}}\n"),
        format!("{HEAD}require:\n  near: {{within: 3, all: [{{terms: [x]}}]}}\n"),
        "title: T\nseverity: fatal\nmessage: M\nrequire:\n  terms: [x]\n".to_string(),
    ];
    for yaml in cases {
        let file = RuleFile::new("t", "rule", "t/rule.yaml".into(), yaml.clone());
        assert!(
            RuleSet::from_files(&[file], &BTreeMap::new()).is_err(),
            "{yaml}"
        );
    }
}
