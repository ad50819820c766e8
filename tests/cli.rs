//! The command line: exit codes, bad input and bad rules.

mod common;

use common::{TODAY, policylint};
use predicates::prelude::*;
use predicates::str::contains;

const CLEAN: &str = include_str!("fixtures/clean.md");

fn write(dir: &std::path::Path, name: &str, text: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn clean_policy_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write(dir.path(), "clean.md", CLEAN.as_bytes());
    policylint()
        .args(["lint", "--today", TODAY, &clean])
        .assert()
        .code(0)
        .stdout(contains("1 file linted: 0 errors, 0 warnings, 0 info"));
}

#[test]
fn findings_exit_1_and_fail_on_sets_the_threshold() {
    policylint()
        .args(["lint", "--today", TODAY, "examples/policies/"])
        .assert()
        .code(1);
    // An outdated date is only a warning.
    let dir = tempfile::tempdir().unwrap();
    let old = write(
        dir.path(),
        "old.md",
        CLEAN.replace("2026", "2020").as_bytes(),
    );
    policylint()
        .args(["lint", "--today", TODAY, &old])
        .assert()
        .code(0);
    policylint()
        .args(["lint", "--today", TODAY, "--fail-on", "warning", &old])
        .assert()
        .code(1)
        .stdout(contains("core/outdated"));
}

#[test]
fn missing_path_exits_2_but_other_files_are_still_linted() {
    policylint()
        .args([
            "lint",
            "--today",
            TODAY,
            "--format",
            "short",
            "no/such/file.md",
            "examples/policies/plesk.md",
        ])
        .assert()
        .code(2)
        .stdout(contains(
            "no/such/file.md: error: no such file or directory",
        ))
        .stdout(contains("examples/policies/plesk.md:"));
    // Reports keep the order of the paths given.
    let out = policylint()
        .args([
            "lint",
            "--today",
            TODAY,
            "--format",
            "short",
            "examples/policies/plesk.md",
            "no/such/file.md",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.find("examples/policies/plesk.md:").unwrap() < text.find("no/such/file.md").unwrap()
    );
}

#[test]
fn directory_without_policies_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.pdf", b"%PDF");
    policylint()
        .args(["lint", &dir.path().display().to_string()])
        .assert()
        .code(2)
        .stdout(contains(
            "no policy files (.md, .markdown, .txt, .text, .html, .htm, .xhtml, .docx) in this directory",
        ));
}

#[test]
fn non_utf8_and_empty_files_are_clear_per_file_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "latin1.md", b"Caf\xe9 policy");
    write(dir.path(), "empty.txt", b"");
    write(dir.path(), "good.md", CLEAN.as_bytes());
    policylint()
        .args([
            "lint",
            "--today",
            TODAY,
            "--format",
            "json",
            &dir.path().display().to_string(),
        ])
        .assert()
        .code(2)
        .stdout(contains("not valid UTF-8 (first bad byte at offset 3)"))
        .stdout(contains("the file is empty"))
        .stdout(contains("\"unreadable\": 2"))
        .stdout(contains("good.md"));
}

#[test]
fn unsupported_file_type_named_explicitly_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "policy.pdf", b"%PDF");
    policylint()
        .args(["lint", &pdf])
        .assert()
        .code(2)
        .stdout(contains("unsupported file type"));
}

#[test]
fn stdin_is_linted_under_its_given_name() {
    policylint()
        .args([
            "lint",
            "--today",
            TODAY,
            "--format",
            "short",
            "--stdin-filename",
            "draft.md",
            "-",
        ])
        .write_stdin("# Policy\n\nWe keep data for as long as necessary.\n")
        .assert()
        .code(1)
        .stdout(contains("draft.md:3:"))
        .stdout(contains("core/retention-period"));
}

#[test]
fn a_rule_file_with_an_unknown_key_names_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("mine");
    std::fs::create_dir(&rules).unwrap();
    write(
        &rules,
        "typo.yaml",
        b"title: t\nseverity: error\nmessage: m\nrequire:\n  patern: 'x'\n",
    );
    policylint()
        .args([
            "lint",
            "--rules",
            &rules.display().to_string(),
            "examples/policies/plesk.md",
        ])
        .assert()
        .code(2)
        .stderr(contains("typo.yaml:5:3"))
        .stderr(contains("unknown field `patern`"));
}

#[test]
fn a_bad_regex_unknown_list_or_macro_is_reported_at_its_line() {
    let cases: [(&str, &str, &str); 4] = [
        (
            "require:\n  pattern: 'a(b'\n",
            ":5:12",
            "invalid regex in pattern",
        ),
        (
            "require:\n  terms: '@no-such-list'\n",
            ":5:10",
            "unknown list `@no-such-list`",
        ),
        (
            "require:\n  pattern: '{nope}'\n",
            ":5:12",
            "unknown macro `{nope}`",
        ),
        ("hint:\n  - terms: [x]\n", ":1:1", "has nothing to check"),
    ];
    for (body, at, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        let text = format!("title: t\nseverity: error\nmessage: m\n{body}");
        write(dir.path(), "bad.yaml", text.as_bytes());
        policylint()
            .args(["rules", "--rules", &dir.path().display().to_string()])
            .assert()
            .code(2)
            .stderr(contains(format!("bad.yaml{at}")))
            .stderr(contains(message));
    }
}

#[test]
fn unknown_pack_and_bad_today_are_usage_errors() {
    policylint()
        .args(["lint", "--pack", "nope", "examples/policies/"])
        .assert()
        .code(2)
        .stderr(contains("unknown pack `nope`"))
        .stderr(contains(
            "available packs: caloppa, ccpa, coppa, core, gdpr",
        ));
    policylint()
        .args(["lint", "--today", "23/11/2026", "examples/policies/"])
        .assert()
        .code(2)
        .stderr(contains("write it as YYYY-MM-DD"));
}

#[test]
fn checklist_shows_every_outcome_with_its_evidence() {
    policylint()
        .args([
            "lint",
            "--today",
            TODAY,
            "--checklist",
            "examples/policies/pythonanywhere.md",
        ])
        .assert()
        .code(0)
        .stdout(contains("met      core/retention-period"))
        .stdout(contains(
            "“These logs are deleted at least every 30 days, and frequently faster.” (line 17)",
        ))
        .stdout(contains(
            "examples/policies/pythonanywhere.md: 12 met, 5 missing, 1 not applicable",
        ));
    policylint()
        .args([
            "lint",
            "--checklist",
            "--format",
            "json",
            "examples/policies/",
        ])
        .assert()
        .code(2)
        .stderr(contains("--checklist goes with --format human"));
    policylint()
        .args([
            "lint",
            "--verbose",
            "--format",
            "sarif",
            "examples/policies/",
        ])
        .assert()
        .code(2)
        .stderr(contains("--verbose goes with --format human"));
}

#[test]
fn rules_lists_ids_severities_and_titles() {
    policylint().args(["rules"]).assert().code(0).stdout(
        contains("core/retention-period")
            .and(contains("error"))
            .and(contains("States how long personal data is kept")),
    );
}

#[test]
fn custom_rules_run_beside_the_pack_and_test_checks_their_examples() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("acme");
    std::fs::create_dir(&pack).unwrap();
    write(
        &pack,
        "dpo.yaml",
        b"title: Names the DPO\nseverity: warning\nmessage: No data protection officer is named.\nrequire:\n  terms: [data protection officer]\nexamples:\n  pass: ['Our data protection officer is Ann.']\n  fail: ['Nothing here.']\n",
    );
    let rules = pack.display().to_string();
    policylint()
        .args([
            "lint",
            "--today",
            TODAY,
            "--format",
            "short",
            "--rules",
            &rules,
            "examples/policies/plesk.md",
        ])
        .assert()
        .code(1)
        .stdout(contains("acme/dpo"));
    policylint()
        .args(["test", "--pack", "core", "--rules", &rules])
        .assert()
        .code(0)
        .stdout(contains("0 failed"));
}

#[test]
fn rules_lists_every_gdpr_id_with_references_and_the_pack_version() {
    let ids = [
        "controller-identity",
        "controller-contact",
        "eu-representative",
        "dpo-contact",
        "purposes",
        "legal-basis",
        "legitimate-interests",
        "recipients",
        "international-transfers",
        "transfer-safeguards",
        "retention-period",
        "right-access",
        "right-rectification",
        "right-erasure",
        "right-restriction",
        "right-objection",
        "right-portability",
        "withdraw-consent",
        "complaint",
        "statutory-requirement",
        "automated-decisions",
        "data-categories",
        "data-source",
        "plain-language",
    ];
    let out = policylint()
        .args(["rules", "--pack", "gdpr"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("gdpr 0.2.0: "), "{text}");
    for id in ids {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with(&format!("gdpr/{id} ")))
            .unwrap_or_else(|| panic!("gdpr/{id} is not listed"));
        let references = text.lines().nth(line + 1).unwrap();
        assert!(references.contains("GDPR Art."), "gdpr/{id}: {references}");
    }
}

#[test]
fn explain_shows_the_fact_a_rule_depends_on_and_how_it_is_decided() {
    policylint()
        .args(["explain", "gdpr/dpo-contact"])
        .assert()
        .success()
        .stdout(contains("Applies only when:"))
        .stdout(contains(
            "--fact dpo-appointed=yes or --fact dpo-appointed=no",
        ))
        .stdout(contains(
            "Undeclared, it is inferred from the text: yes when",
        ));
}

#[test]
fn explain_an_unknown_rule_is_a_usage_error() {
    policylint()
        .args(["explain", "core/nope"])
        .assert()
        .code(2)
        .stderr(contains("no rule `core/nope`"));
}

#[test]
fn conflicting_or_repeated_inputs_are_usage_errors() {
    policylint()
        .args(["lint", "-", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(contains("can be given only once"));
    policylint()
        .args(["lint", "--stdin-filename", "x.pdf", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(contains("does not read"));
    policylint()
        .args([
            "lint",
            "--fact",
            "dpo-appointed=yes",
            "--fact",
            "dpo-appointed=no",
            "examples/policies/",
        ])
        .assert()
        .code(2)
        .stderr(contains("declared both yes and no"));
    // A pack named twice is the pack once.
    policylint()
        .args([
            "lint",
            "--pack",
            "core,core",
            "--today",
            TODAY,
            "examples/policies/plesk.md",
        ])
        .assert()
        .code(1);
}

#[test]
fn supersedes_cycles_are_load_errors() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("acme");
    std::fs::create_dir(&pack).unwrap();
    write(
        &pack,
        "a.yaml",
        b"title: A\nseverity: info\nmessage: m\nsupersedes: [acme/b]\nrequire:\n  terms: [x]\n",
    );
    write(
        &pack,
        "b.yaml",
        b"title: B\nseverity: info\nmessage: m\nsupersedes: [acme/a]\nrequire:\n  terms: [x]\n",
    );
    policylint()
        .args(["rules", "--rules", &pack.display().to_string()])
        .assert()
        .code(2)
        .stderr(contains(
            "supersedes itself through a chain of `supersedes`",
        ));
    write(
        &pack,
        "b.yaml",
        b"title: B\nseverity: info\nmessage: m\nsupersedes: [acme/b]\nrequire:\n  terms: [x]\n",
    );
    policylint()
        .args(["rules", "--rules", &pack.display().to_string()])
        .assert()
        .code(2)
        .stderr(contains("cannot supersede itself"));
}

#[test]
fn several_formats_go_to_their_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let short = dir.path().join("report.txt");
    policylint()
        .args(["lint", "--today", TODAY, "examples/policies/plesk.md"])
        .args(["--format", "json", "--output", &json.display().to_string()])
        .args([
            "--format",
            "short",
            "--output",
            &short.display().to_string(),
        ])
        .args(["--format", "human"])
        .assert()
        .code(1)
        .stdout(contains("1 file linted"));
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(value["summary"]["files"], 1);
    assert!(
        std::fs::read_to_string(&short)
            .unwrap()
            .contains("examples/policies/plesk.md:69:35: error core/retention-period")
    );
    policylint()
        .args([
            "lint",
            "--format",
            "json",
            "--format",
            "short",
            "examples/policies/plesk.md",
        ])
        .assert()
        .code(2)
        .stderr(contains("only one format can go to standard output"));
}
