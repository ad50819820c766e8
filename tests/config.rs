//! The configuration file, `policylint init`, --select/--ignore and notices, through
//! the binary.

mod common;

use std::path::Path;

use common::{TODAY, repo};
use predicates::prelude::*;
use predicates::str::contains;

/// The binary, run in `dir`.
fn policylint_in(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("policylint").unwrap();
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn clean_policy() -> String {
    std::fs::read_to_string(repo().join("tests/fixtures/clean.md")).unwrap()
}

/// The clean policy without its cookie section: fails `core/cookies` only.
fn policy_without_cookies() -> String {
    let clean = clean_policy();
    let start = clean.find("## Cookies").unwrap();
    let end = clean.find("## Sharing").unwrap();
    format!("{}{}", &clean[..start], &clean[end..])
}

fn json_in(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = policylint_in(dir)
        .args(["lint", "--today", TODAY, "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// The rule ids of a file's findings.
fn rules_found(report: &serde_json::Value, file: usize) -> Vec<String> {
    report["files"][file]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

/// A rule's outcome on a file.
fn outcome(report: &serde_json::Value, file: usize, rule: &str) -> serde_json::Value {
    report["files"][file]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["rule"] == rule)
        .unwrap_or_else(|| panic!("{rule} did not run"))
        .clone()
}

/// The rule ids that ran on a file.
fn rules_run(report: &serde_json::Value, file: usize) -> Vec<String> {
    report["files"][file]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn configuration_is_discovered_from_a_folder_above() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policies/privacy.md", &policy_without_cookies());
    let report = json_in(&dir.path().join("policies"), &["privacy.md"]);
    assert_eq!(rules_found(&report, 0), ["core/cookies"]);

    write(
        dir.path(),
        "policylint.yaml",
        "severity:\n  core/cookies: off\n",
    );
    let report = json_in(&dir.path().join("policies"), &["privacy.md"]);
    assert!(rules_found(&report, 0).is_empty());
    assert!(!rules_run(&report, 0).contains(&"core/cookies".to_string()));

    // --no-config and --config choose explicitly.
    let report = json_in(&dir.path().join("policies"), &["--no-config", "privacy.md"]);
    assert_eq!(rules_found(&report, 0), ["core/cookies"]);
    write(
        dir.path(),
        "strict.yaml",
        "severity:\n  core/cookies: error\n",
    );
    policylint_in(&dir.path().join("policies"))
        .args([
            "lint",
            "--today",
            TODAY,
            "--config",
            "../strict.yaml",
            "privacy.md",
        ])
        .assert()
        .code(1)
        .stdout(contains("error").and(contains("core/cookies")));
}

#[test]
fn errors_in_the_configuration_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "privacy.md", &clean_policy());
    for (config, line, what) in [
        (
            "packs: [core]\nfail-on: error\nseverty: {}\n",
            "3",
            "unknown field",
        ),
        ("packs: [core, gdrp]\n", "1", "unknown pack `gdrp`"),
        (
            "severity:\n  core/no-such-rule: off\n",
            "2",
            "no rule matches",
        ),
        ("fail-on: sometimes\n", "1", "sometimes"),
        (
            "notices:\n  - files: [privacy.md, missing.md]\n",
            "2",
            "missing.md",
        ),
    ] {
        write(dir.path(), "policylint.yaml", config);
        let out = policylint_in(dir.path())
            .args(["lint", "privacy.md"])
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let stderr = String::from_utf8_lossy(&out);
        assert!(stderr.contains("policylint.yaml"), "{config}: {stderr}");
        assert!(stderr.contains(what), "{config}: {stderr}");
        // miette shows the offending line with its number.
        assert!(
            stderr.contains(&format!(" {line} │")),
            "{config}: expected line {line} in {stderr}"
        );
    }
}

#[test]
fn overrides_add_packs_and_settings_for_matching_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policies/eu/privacy.md", &clean_policy());
    write(dir.path(), "policies/us/privacy.md", &clean_policy());
    write(
        dir.path(),
        "policylint.yaml",
        "packs: [core]\noverrides:\n  - files: ['policies/eu/**']\n    packs: [gdpr]\n",
    );
    let report = json_in(dir.path(), &["policies"]);
    assert!(report["files"][0]["path"].as_str().unwrap().contains("eu"));
    let eu = rules_run(&report, 0);
    let us = rules_run(&report, 1);
    assert!(eu.iter().any(|r| r.starts_with("gdpr/")), "{eu:?}");
    assert!(!us.iter().any(|r| r.starts_with("gdpr/")), "{us:?}");
    assert!(us.iter().any(|r| r.starts_with("core/")));
    // The packs of the run are listed, for tools that show rule metadata.
    let packs: Vec<&str> = report["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(packs, ["core", "gdpr"]);
}

#[test]
fn include_and_exclude_decide_what_a_walk_picks_up() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policies/privacy.md", &clean_policy());
    write(
        dir.path(),
        "policies/privacy.html",
        "<h1>Privacy</h1><p>x</p>",
    );
    write(dir.path(), "policies/archive/2019.md", "# Old\n\nTBD\n");
    write(
        dir.path(),
        "policylint.yaml",
        "include: ['**/*.md']\nexclude: ['policies/archive/**']\n",
    );
    let report = json_in(dir.path(), &["policies"]);
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["policies/privacy.md"]);
    // A file named on the command line is linted whatever the globs say.
    let report = json_in(dir.path(), &["policies/archive/2019.md"]);
    assert_eq!(report["files"].as_array().unwrap().len(), 1);
    // A walk that keeps nothing says so.
    write(dir.path(), "policylint.yaml", "exclude: ['policies/**']\n");
    policylint_in(dir.path())
        .args(["lint", "policies"])
        .assert()
        .code(2)
        .stdout(contains("left out by the include and exclude"));
}

#[test]
fn run_settings_come_from_the_configuration_and_the_command_line_wins() {
    let dir = tempfile::tempdir().unwrap();
    // Clean but for an info finding (cookies) and a date that is old on 2026-11-23.
    let policy = policy_without_cookies().replace("October 1, 2026", "October 1, 2020");
    write(dir.path(), "privacy.md", &policy);
    write(dir.path(), "policylint.yaml", "today: 2026-11-23\n");
    let report = json_in(dir.path(), &["privacy.md"]);
    assert!(rules_found(&report, 0).contains(&"core/outdated".to_string()));
    write(dir.path(), "policylint.yaml", "today: 2021-01-01\n");
    let out = policylint_in(dir.path())
        .args(["lint", "--format", "json", "privacy.md"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!rules_found(&report, 0).contains(&"core/outdated".to_string()));

    // fail-on: info makes the cookie info finding fail the run; --fail-on error wins.
    write(
        dir.path(),
        "policylint.yaml",
        "today: 2021-01-01\nfail-on: info\n",
    );
    policylint_in(dir.path())
        .args(["lint", "privacy.md"])
        .assert()
        .code(1);
    policylint_in(dir.path())
        .args(["lint", "--fail-on", "error", "privacy.md"])
        .assert()
        .code(0);
}

#[test]
fn facts_in_the_configuration_decide_where_applicable_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "privacy.md", &clean_policy());
    write(
        dir.path(),
        "policylint.yaml",
        "packs: [core, gdpr]\nfacts:\n  dpo-appointed: yes\n",
    );
    let report = json_in(dir.path(), &["privacy.md"]);
    let dpo = outcome(&report, 0, "gdpr/dpo-contact");
    assert_eq!(dpo["status"], "fail");
    assert!(dpo["note"].as_str().unwrap().contains("declared"));
    // The command line overrides it.
    let report = json_in(dir.path(), &["--fact", "dpo-appointed=no", "privacy.md"]);
    let dpo = outcome(&report, 0, "gdpr/dpo-contact");
    assert_eq!(dpo["status"], "not-applicable");
}

#[test]
fn select_and_ignore_choose_rules_from_the_command_line_and_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "privacy.md", &policy_without_cookies());
    let report = json_in(
        dir.path(),
        &["--select", "core/cookies,core/contact", "privacy.md"],
    );
    let mut run = rules_run(&report, 0);
    run.sort();
    assert_eq!(run, ["core/contact", "core/cookies"]);
    let report = json_in(dir.path(), &["--ignore", "core/c*", "privacy.md"]);
    let run = rules_run(&report, 0);
    assert!(!run.iter().any(|r| r.starts_with("core/c")), "{run:?}");
    assert!(run.contains(&"core/security".to_string()));

    write(dir.path(), "policylint.yaml", "select: ['core/cookies']\n");
    assert_eq!(
        rules_run(&json_in(dir.path(), &["privacy.md"]), 0),
        ["core/cookies"]
    );
    // --select replaces the configuration's selection.
    assert_eq!(
        rules_run(
            &json_in(dir.path(), &["--select", "core/contact", "privacy.md"]),
            0
        ),
        ["core/contact"]
    );

    policylint_in(dir.path())
        .args(["lint", "--ignore", "core/no-such-rule", "privacy.md"])
        .assert()
        .code(2)
        .stderr(contains("--ignore: `core/no-such-rule` matches no rule"));

    // A custom pack's rule in the configuration is checked against the rule folders
    // of the run, which may come from the command line.
    write(
        dir.path(),
        "policylint.yaml",
        "severity:\n  acme/own-rule: off\n",
    );
    policylint_in(dir.path())
        .args(["lint", "privacy.md"])
        .assert()
        .code(2)
        .stderr(contains("`acme/own-rule` matches no rule"));
    write(
        dir.path(),
        "acme/acme/own-rule.yaml",
        "title: Names Acme\nseverity: error\nmessage: Acme is not named.\nrequire:\n  terms: [Acme]\nexamples:\n  pass: [Acme]\n  fail: [Nobody]\n",
    );
    policylint_in(dir.path())
        .args(["lint", "--today", TODAY, "--rules", "acme", "privacy.md"])
        .assert()
        .success();
}

#[test]
fn a_notice_of_several_files_is_linted_as_one_document() {
    let dir = tempfile::tempdir().unwrap();
    // The privacy policy says nothing on cookies; the cookie policy does, and it has a
    // placeholder, which is reported in its own file.
    write(dir.path(), "policies/privacy.md", &policy_without_cookies());
    write(
        dir.path(),
        "policies/cookies.md",
        "# Cookie policy\n\nWe use cookies to keep you signed in. You can block or delete cookies in your browser settings.\n\nQuestions: [email address].\n",
    );
    // Alone, the privacy policy lacks a cookie statement.
    let report = json_in(dir.path(), &["policies/privacy.md"]);
    assert_eq!(rules_found(&report, 0), ["core/cookies"]);

    write(
        dir.path(),
        "policylint.yaml",
        "notices:\n  - name: Acme notice\n    files: [policies/privacy.md, policies/cookies.md]\n",
    );
    let report = json_in(dir.path(), &["policies"]);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["path"], "policies/cookies.md");
    assert_eq!(files[1]["path"], "policies/privacy.md");
    // The cookie statement in cookies.md satisfies the rule for privacy.md too.
    assert!(!rules_found(&report, 1).contains(&"core/cookies".to_string()));
    let cookies = outcome(&report, 1, "core/cookies");
    assert_eq!(cookies["status"], "pass");
    assert!(cookies["note"].as_str().unwrap().contains("cookies.md"));
    // The placeholder is reported in its own file, on its own line.
    let placeholder: Vec<&serde_json::Value> = files[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "core/placeholder")
        .collect();
    assert_eq!(placeholder.len(), 1);
    assert_eq!(placeholder[0]["span"]["start"]["line"], 5);
    // Statements the cookie policy lacks are met in the privacy policy: no missing
    // statement is reported in cookies.md.
    assert_eq!(rules_found(&report, 0), ["core/placeholder"]);

    // Naming one member lints the notice as a whole and reports that member only.
    let report = json_in(dir.path(), &["policies/privacy.md"]);
    assert_eq!(report["files"].as_array().unwrap().len(), 1);
    assert!(rules_found(&report, 0).is_empty());
}

#[test]
fn a_statement_missing_from_the_whole_notice_is_reported_in_its_first_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "privacy.md", &policy_without_cookies());
    write(
        dir.path(),
        "california.md",
        "# California notice\n\nWe do not sell your personal information.\n",
    );
    write(
        dir.path(),
        "policylint.yaml",
        "notices:\n  - files: [privacy.md, california.md]\n",
    );
    let report = json_in(dir.path(), &["california.md", "privacy.md"]);
    let files = report["files"].as_array().unwrap();
    let by_path = |p: &str| files.iter().position(|f| f["path"] == p).unwrap();
    assert_eq!(
        rules_found(&report, by_path("privacy.md")),
        ["core/cookies"]
    );
    assert!(rules_found(&report, by_path("california.md")).is_empty());
}

#[test]
fn init_writes_a_starter_configuration_and_never_overwrites_one() {
    let dir = tempfile::tempdir().unwrap();
    policylint_in(dir.path())
        .arg("init")
        .assert()
        .success()
        .stdout(contains("policylint.yaml"));
    let written = std::fs::read_to_string(dir.path().join("policylint.yaml")).unwrap();
    assert!(written.contains("packs: [core]"));
    // The starter file is a working configuration.
    write(dir.path(), "privacy.md", &clean_policy());
    policylint_in(dir.path())
        .args(["lint", "--today", TODAY, "privacy.md"])
        .assert()
        .success();
    // A second init refuses, and the file is untouched.
    std::fs::write(dir.path().join("policylint.yaml"), "packs: [gdpr]\n").unwrap();
    policylint_in(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("policylint.yaml")).unwrap(),
        "packs: [gdpr]\n"
    );
}
