//! The machine formats (`jsonl`, `sarif`, `github`, `junit`): a snapshot of each on
//! example policies, and a check that each parses the way its consumers read it
//! (docs/output-formats.md).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{TODAY, docx_of_texts, policylint, repo};
use quick_xml::events::Event;
use serde_json::Value;

const EXAMPLES: [&str; 2] = ["putio", "anysend"];

/// Standard output of `policylint lint --today TODAY --format FORMAT PATHS...`, run in
/// `dir`.
fn lint_in(dir: &Path, format: &str, paths: &[&str]) -> String {
    let mut args = vec!["lint", "--today", TODAY, "--format", format];
    args.extend_from_slice(paths);
    let out = policylint().current_dir(dir).args(&args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn lint(format: &str, paths: &[&str]) -> String {
    lint_in(&repo(), format, paths)
}

/// The tool's version, written into SARIF, redacted so a release does not change the
/// snapshots.
fn redact_version(sarif: &str) -> String {
    let version = format!(r#""version": "{}""#, env!("CARGO_PKG_VERSION"));
    assert_eq!(sarif.matches(&version).count(), 1, "one driver version");
    sarif.replace(&version, r#""version": "[version]""#)
}

#[test]
fn jsonl_output() {
    for name in EXAMPLES {
        let text = lint("jsonl", &[&format!("examples/policies/{name}.md")]);
        insta::assert_snapshot!(format!("jsonl_{name}"), text);
    }
}

#[test]
fn sarif_output() {
    for name in EXAMPLES {
        let text = lint("sarif", &[&format!("examples/policies/{name}.md")]);
        insta::assert_snapshot!(format!("sarif_{name}"), redact_version(&text));
    }
}

#[test]
fn github_output() {
    for name in EXAMPLES {
        let text = lint("github", &[&format!("examples/policies/{name}.md")]);
        insta::assert_snapshot!(format!("github_{name}"), text);
    }
}

#[test]
fn junit_output() {
    for name in EXAMPLES {
        let text = lint("junit", &[&format!("examples/policies/{name}.md")]);
        insta::assert_snapshot!(format!("junit_{name}"), text);
    }
}

/// Every example, a fixture with a linter note (`policylint/encoding`), one in
/// another language (`policylint/language`), and a path that does not exist.
const MIXED: [&str; 4] = [
    "examples/policies/",
    "tests/fixtures/formats/policy-1252.html",
    "tests/fixtures/formats/policy-de.md",
    "missing.md",
];

#[test]
fn jsonl_lines_are_json_records_ending_with_the_summary() {
    let text = lint("jsonl", &MIXED);
    assert!(text.ends_with('\n'));
    let records: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let kinds: Vec<&str> = records
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.last(), Some(&"summary"));
    assert_eq!(kinds.iter().filter(|k| **k == "summary").count(), 1);

    // The same findings and files as the JSON document, in the same order.
    let json: Value = serde_json::from_str(&lint("json", &MIXED)).unwrap();
    let mut expected = Vec::new();
    for file in json["files"].as_array().unwrap() {
        if !file["error"].is_null() {
            expected.push(serde_json::json!({
                "type": "error", "path": file["path"], "error": file["error"],
            }));
        }
        for d in file["diagnostics"].as_array().unwrap() {
            let mut record = serde_json::json!({"type": "diagnostic", "path": file["path"]});
            record
                .as_object_mut()
                .unwrap()
                .extend(d.as_object().unwrap().clone());
            expected.push(record);
        }
    }
    let mut summary = serde_json::json!({"type": "summary"});
    summary
        .as_object_mut()
        .unwrap()
        .extend(json["summary"].as_object().unwrap().clone());
    expected.push(summary);
    assert_eq!(records, expected);
    assert!(kinds.contains(&"error"));
    assert!(text.contains(r#""rule":"policylint/encoding""#));
}

fn sarif_validator() -> jsonschema::Validator {
    let path = repo().join("tests/schema/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(text: &str) -> Value {
    let log: Value = serde_json::from_str(text).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
    log
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let log = assert_valid_sarif(&lint("sarif", &MIXED));
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"policylint/encoding") && ids.contains(&"policylint/language"));
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 1);
    assert_eq!(
        notifications[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "missing.md"
    );

    // The schema is enforced: a log that breaks it is reported.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!sarif_validator().is_valid(&broken));
}

#[test]
fn sarif_of_every_pack_validates() {
    let log = assert_valid_sarif(&lint_in(
        &repo(),
        "sarif",
        &[
            "--pack",
            "core,gdpr,ccpa,caloppa,coppa",
            "examples/policies/",
        ],
    ));
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn sarif_paths_are_uri_references_and_docx_has_no_byte_offsets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("my policy #2.docx"),
        docx_of_texts(&[
            "Privacy Policy",
            "We keep your data for as long as necessary.",
        ]),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("café.md"),
        "# Privacy\n\nWe keep your data for as long as necessary.\n",
    )
    .unwrap();
    let log = assert_valid_sarif(&lint_in(
        dir.path(),
        "sarif",
        &["my policy #2.docx", "café.md"],
    ));
    let mut regions: BTreeMap<String, Value> = BTreeMap::new();
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        regions.insert(uri.to_string(), location["region"].clone());
    }
    let uris: Vec<&str> = regions.keys().map(String::as_str).collect();
    assert_eq!(uris, ["caf%C3%A9.md", "my%20policy%20%232.docx"]);
    assert!(regions["caf%C3%A9.md"].get("byteOffset").is_some());
    assert!(
        regions["my%20policy%20%232.docx"]
            .get("byteOffset")
            .is_none()
    );
    assert!(
        regions["my%20policy%20%232.docx"]
            .get("startLine")
            .is_some()
    );
}

#[test]
fn github_lines_are_workflow_commands_with_escaped_values() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("draft, v2: final.md"),
        "# Privacy\n\nWe keep your data for as long as necessary.\n",
    )
    .unwrap();
    let text = lint_in(dir.path(), "github", &["draft, v2: final.md", "gone.md"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|c| line.starts_with(c)),
            "{line}"
        );
    }
    assert!(lines[0].contains(" file=draft%2C v2%3A final.md,line=1,col=3,"));
    assert!(text.contains(",title=core/retention-period::"));
    assert_eq!(
        lines.last(),
        Some(&"::error file=gone.md::no such file or directory")
    );

    // One line per finding, as in the JSON document.
    let json: Value = serde_json::from_str(&lint("json", &MIXED)).unwrap();
    let findings = &json["summary"]["findings"];
    let total: u64 = ["error", "warning", "info"]
        .iter()
        .map(|s| findings[s].as_u64().unwrap())
        .sum();
    let github = lint("github", &MIXED);
    assert_eq!(github.lines().count() as u64, total + 1);
    assert_eq!(
        github
            .lines()
            .filter(|l| l.starts_with("::notice "))
            .count() as u64,
        findings["info"].as_u64().unwrap()
    );
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn attribute(e: &quick_xml::events::BytesStart, name: &str) -> String {
    e.attributes()
        .map(Result::unwrap)
        .find(|a| a.key.as_ref() == name)
        .unwrap_or_else(|| panic!("no {name} attribute"))
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .unwrap()
        .into_owned()
}

fn declared(e: &quick_xml::events::BytesStart) -> Counts {
    let number = |name| attribute(e, name).parse().unwrap();
    Counts {
        tests: number("tests"),
        failures: number("failures"),
        errors: number("errors"),
        skipped: number("skipped"),
    }
}

#[test]
fn junit_parses_as_xml_with_the_right_counts() {
    let xml = lint("junit", &MIXED);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut root, mut root_declared) = (Counts::default(), None);
    let mut suites: Vec<(String, Counts, Counts)> = Vec::new();
    let mut failure_messages = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let (Event::Start(e) | Event::Empty(e)) = &event else {
            if event == Event::Eof {
                break;
            }
            continue;
        };
        let element = e.name();
        if element.as_ref() == "testsuites" {
            root_declared = Some(declared(e));
            continue;
        }
        if element.as_ref() == "testsuite" {
            suites.push((attribute(e, "name"), declared(e), Counts::default()));
            continue;
        }
        let suite = suites.last_mut().map(|s| &mut s.2);
        match element.as_ref() {
            "testcase" => {
                let (name, _, counted) = suites.last_mut().unwrap();
                assert_eq!(&attribute(e, "classname"), name);
                counted.tests += 1;
                root.tests += 1;
            }
            "failure" => {
                failure_messages.push(attribute(e, "message"));
                suite.unwrap().failures += 1;
                root.failures += 1;
            }
            "error" => {
                suite.unwrap().errors += 1;
                root.errors += 1;
            }
            "skipped" => {
                suite.unwrap().skipped += 1;
                root.skipped += 1;
            }
            _ => {}
        }
    }
    assert_eq!(root_declared, Some(root));
    for (name, declared, counted) in &suites {
        assert_eq!(declared, counted, "{name}");
    }

    // A suite per file, in order; the missing file is one test in error.
    let json: Value = serde_json::from_str(&lint("json", &MIXED)).unwrap();
    let files = json["files"].as_array().unwrap();
    let names: Vec<&str> = suites.iter().map(|s| s.0.as_str()).collect();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(names, paths);
    let missing = &suites.last().unwrap().2;
    assert_eq!((missing.tests, missing.errors), (1, 1));
    // Each linted file: one test per rule outcome, plus the linter's own notes.
    for (file, (_, _, counted)) in files.iter().zip(&suites) {
        let outcomes = file["rules"].as_array().unwrap();
        let failed = outcomes.iter().filter(|o| o["status"] == "fail").count();
        let notes: std::collections::BTreeSet<&str> = file["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap())
            .filter(|id| id.starts_with("policylint/"))
            .collect();
        if file["error"].is_null() {
            assert_eq!(counted.tests, outcomes.len() + notes.len());
            assert_eq!(counted.failures, failed + notes.len());
        }
    }
    // Escaped text reads back as written.
    assert!(
        failure_messages
            .iter()
            .any(|m| m.contains("children's data"))
    );
}
