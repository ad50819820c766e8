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
