//! Suppression directives in the policy: a finding silenced in place, with a reason,
//! and a directive that silences nothing reported.

mod common;

use common::{TODAY, policylint};
use predicates::prelude::*;
use predicates::str::contains;

fn json(file: &str) -> serde_json::Value {
    let out = policylint()
        .args(["lint", "--today", TODAY, "--format", "json", file])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn status<'a>(report: &'a serde_json::Value, rule: &str) -> &'a str {
    report["files"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["rule"] == rule)
        .unwrap()["status"]
        .as_str()
        .unwrap()
}

fn findings<'a>(report: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect()
}

#[test]
fn directives_silence_findings_in_markdown_html_and_text() {
    for file in ["policy.md", "policy.html", "policy.txt"] {
        let report = json(&format!("tests/fixtures/suppress/{file}"));
        assert_eq!(status(&report, "core/children"), "suppressed", "{file}");
        assert_eq!(
            status(&report, "core/retention-period"),
            "suppressed",
            "{file}"
        );
        assert!(
            findings(&report, "core/retention-period").is_empty(),
            "{file}"
        );
    }
}

#[test]
fn a_range_silences_only_what_lies_inside_it() {
    let report = json("tests/fixtures/suppress/policy.md");
    let placeholders = findings(&report, "core/placeholder");
    assert_eq!(placeholders.len(), 1, "{placeholders:?}");
    assert_eq!(placeholders[0]["span"]["start"]["line"], 16);
    assert_eq!(status(&report, "core/placeholder"), "fail");
}

#[test]
fn a_directive_that_silences_nothing_is_a_warning() {
    let report = json("tests/fixtures/suppress/policy.md");
    let unused = findings(&report, "policylint/unused-suppression");
    let lines: Vec<i64> = unused
        .iter()
        .map(|d| d["span"]["start"]["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![18, 19]);
    assert!(
        unused[1]["message"]
            .as_str()
            .unwrap()
            .contains("core/no-such-rule")
    );
}

#[test]
fn suppressed_rules_show_in_the_checklist() {
    policylint()
        .args([
            "lint",
            "--today",
            TODAY,
            "--checklist",
            "tests/fixtures/suppress/policy.txt",
        ])
        .assert()
        .stdout(contains("silenced core/children"))
        .stdout(contains("2 suppressed"))
        .stdout(contains("core/retention-period\n").not());
}
