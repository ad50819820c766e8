//! Snapshots of every output format on the example policies.

mod common;

use common::{TODAY, policylint};

fn output(args: &[&str]) -> String {
    let out = policylint().args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

const EXAMPLES: [&str; 5] = ["anysend", "plesk", "promptwatch", "putio", "pythonanywhere"];

#[test]
fn human_output() {
    for name in EXAMPLES {
        let path = format!("examples/policies/{name}.md");
        let text = output(&["lint", "--today", TODAY, "--format", "human", &path]);
        insta::assert_snapshot!(format!("human_{name}"), text);
    }
}

/// The five policies in one run: the summary counts across them.
#[test]
fn human_output_of_several_policies() {
    let text = output(&["lint", "--today", TODAY, "examples/policies/"]);
    insta::assert_snapshot!("human_examples", text);
}

/// With --verbose a finding has its whole help, what was assumed and its references.
#[test]
fn human_verbose_output() {
    let path = "examples/policies/putio.md";
    let text = output(&["lint", "--today", TODAY, "--verbose", path]);
    insta::assert_snapshot!("human_verbose_putio", text);
    let short = output(&["lint", "--today", TODAY, path]);
    assert!(text.contains("references:") && !short.contains("references:"));
    assert!(text.contains("assumed: ") && !short.contains("assumed: "));
    assert!(text.lines().count() > 2 * short.lines().count());
}

/// A policy that meets every rule and a file that cannot be read: the summary says
/// both, the unreadable file last.
#[test]
fn human_summary_of_a_clean_policy_and_an_unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::repo().join("tests/fixtures/clean.md"),
        dir.path().join("clean.md"),
    )
    .unwrap();
    std::fs::write(dir.path().join("image.txt"), b"\x00\x01 not text").unwrap();
    let out = policylint()
        .current_dir(dir.path())
        .args(["lint", "--today", TODAY, "clean.md", "image.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("human_clean_and_unreadable", text);
}

#[test]
fn json_output() {
    for name in EXAMPLES {
        let path = format!("examples/policies/{name}.md");
        let text = output(&["lint", "--today", TODAY, "--format", "json", &path]);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["version"], 1);
        insta::assert_snapshot!(format!("json_{name}"), text);
    }
}

#[test]
fn human_checklist() {
    let text = output(&[
        "lint",
        "--today",
        TODAY,
        "--checklist",
        "examples/policies/putio.md",
    ]);
    insta::assert_snapshot!("human_checklist_putio", text);
}

#[test]
fn short_output() {
    // The five policies only: examples/custom-rules/ holds rule test fixtures.
    let paths = EXAMPLES.map(|name| format!("examples/policies/{name}.md"));
    let mut args = vec!["lint", "--today", TODAY, "--format", "short"];
    args.extend(paths.iter().map(String::as_str));
    let text = output(&args);
    insta::assert_snapshot!("short_examples", text);
}

#[test]
fn explain_output() {
    let text = output(&["explain", "gdpr/dpo-contact"]);
    insta::assert_snapshot!("explain_gdpr_dpo_contact", text);
}
