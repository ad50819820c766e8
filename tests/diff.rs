//! `policylint diff`: two revisions of a policy compared, as two files or against a
//! git revision; the output formats, the exit codes, and clear errors for bad input.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TODAY, policylint};
use predicates::str::contains;
use serde_json::Value;

const OLD: &str = "tests/fixtures/diff/policy-v1.md";
const NEW: &str = "tests/fixtures/diff/policy-v2.md";

/// `policylint diff` of the two fixture revisions, with the given extra arguments.
fn diff_fixtures(args: &[&str]) -> assert_cmd::assert::Assert {
    policylint()
        .args(["diff", "--no-config", "--today", TODAY, OLD, NEW])
        .args(args)
        .assert()
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

/// Standard error on one line: the error box's borders and line breaks taken out.
fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone())
        .unwrap()
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The requirements of the JSON output's first file: (rule, change).
fn changes(json: &Value) -> Vec<(String, String)> {
    json["files"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_string(),
                r["change"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn change_of(json: &Value, rule: &str) -> Option<String> {
    changes(json)
        .into_iter()
        .find(|(r, _)| r == rule)
        .map(|(_, change)| change)
}

#[test]
fn human_output_groups_the_changes_in_plain_words() {
    // v2 drops the retention period, adds a contact and changes the date.
    let assert = diff_fixtures(&[]).code(1);
    let text = stdout(&assert);
    insta::assert_snapshot!("human", text);
    let missing = text.find("Now missing (1)").expect("a now-missing group");
    let given = text.find("Now given (1)").expect("a now-given group");
    let evidence = text.find("Evidence changed").expect("an evidence group");
    assert!(missing < given && given < evidence, "{text}");
    assert!(
        text.contains("at tests/fixtures/diff/policy-v2.md:35"),
        "{text}"
    );
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("```text\n{text}```")),
        "the README's sample of `policylint diff` is not this output:\n{text}"
    );
}

#[test]
fn markdown_output_is_one_table_for_a_pull_request_comment() {
    let assert = diff_fixtures(&["--format", "markdown"]).code(1);
    let text = stdout(&assert);
    insta::assert_snapshot!("markdown", text);
    let rows = text.lines().filter(|l| l.starts_with("| ")).count();
    // The header row, a row per changed requirement, and a row per new or gone
    // finding that no requirement row already says (the findings of the missing
    // retention period and of the contact are said by those rows).
    let json: Value = serde_json::from_str(&stdout(&diff_fixtures(&["--format", "json"]))).unwrap();
    let file = &json["files"][0];
    let unexplained = ["new_findings", "gone_findings"]
        .iter()
        .flat_map(|key| file[*key].as_array().unwrap())
        .filter(|f| f["explained"] == false)
        .count();
    assert_eq!(unexplained, 1, "the new editing note");
    assert_eq!(rows, 1 + changes(&json).len() + unexplained, "{text}");
}

#[test]
fn json_output_says_each_requirement_change_and_finding_change() {
    let assert = diff_fixtures(&["--format", "json"]).code(1);
    let text = stdout(&assert);
    insta::assert_snapshot!("json", text);
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["fail_on"], "error");
    assert_eq!(
        change_of(&json, "core/retention-period").as_deref(),
        Some("now-missing")
    );
    assert_eq!(
        change_of(&json, "core/contact").as_deref(),
        Some("now-given")
    );
    assert_eq!(
        change_of(&json, "core/last-updated").as_deref(),
        Some("evidence-changed")
    );
    let file = &json["files"][0];
    let retention = &file["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "core/retention-period")
        .unwrap();
    assert_eq!(retention["before"], "pass");
    assert_eq!(retention["after"], "fail");
    assert!(
        retention["old_evidence"]["text"]
            .as_str()
            .unwrap()
            .contains("30 days")
    );
    // The finding of the missing retention period is new; that of the missing
    // contact is gone.
    let rules = |key: &str| -> Vec<String> {
        file[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    // The new editing note is a new finding; the "[Company Name]" placeholder in
    // both revisions moved up with the retention section gone, and is neither.
    assert_eq!(
        rules("new_findings"),
        vec![
            "core/retention-period".to_string(),
            "core/placeholder".to_string()
        ]
    );
    assert_eq!(file["new_findings"][1]["message"], "an editing note");
    assert_eq!(file["new_findings"][1]["explained"], false);
    assert_eq!(rules("gone_findings"), vec!["core/contact".to_string()]);
    let summary = &json["summary"];
    assert_eq!(summary["now_missing"], 1);
    assert_eq!(summary["now_given"], 1);
    // The retention period, and the editing note in a requirement already failing.
    assert_eq!(summary["regressions"], 2);
    let listed = changes(&json).len() as u64;
    assert_eq!(
        listed + summary["unchanged"].as_u64().unwrap(),
        file_rule_count(),
        "every requirement is listed or counted unchanged"
    );
}

/// How many rules the core pack lints with.
fn file_rule_count() -> u64 {
    let assert = policylint()
        .args([
            "lint",
            "--no-config",
            "--today",
            TODAY,
            "--format",
            "json",
            NEW,
        ])
        .assert();
    let json: Value = serde_json::from_str(&stdout(&assert)).unwrap();
    json["files"][0]["rules"].as_array().unwrap().len() as u64
}

#[test]
fn the_same_text_twice_changes_nothing_and_exits_0() {
    let assert = policylint()
        .args(["diff", "--no-config", "--today", TODAY, OLD, OLD])
        .assert()
        .code(0);
    let text = stdout(&assert);
    assert!(text.contains("Requirements: none changed"), "{text}");
    assert!(text.contains("No regression"), "{text}");
}

#[test]
fn only_regressions_at_or_above_fail_on_fail_the_run() {
    // The new revision loses its security section: a warning-level requirement.
    let dir = tempfile::tempdir().unwrap();
    let old_text = std::fs::read_to_string(common::repo().join(OLD)).unwrap();
    let new_text = old_text.replace(
        "## Security\n\nWe protect your data with encryption in transit and at rest, and access controls for our staff.\n\n",
        "",
    );
    assert_ne!(new_text, old_text);
    let (old, new) = (dir.path().join("old.md"), dir.path().join("new.md"));
    std::fs::write(&old, &old_text).unwrap();
    std::fs::write(&new, &new_text).unwrap();
    let run = |args: &[&str]| {
        policylint()
            .args(["diff", "--no-config", "--today", TODAY])
            .arg(&old)
            .arg(&new)
            .args(args)
            .assert()
    };
    let assert = run(&[]).code(0);
    assert!(stdout(&assert).contains("core/security"));
    run(&["--fail-on", "warning"]).code(1);
    // The reverse change gives the requirement back: never a regression.
    policylint()
        .args(["diff", "--no-config", "--today", TODAY, "--fail-on", "info"])
        .arg(&new)
        .arg(&old)
        .assert()
        .code(0)
        .stdout(contains("Now given (1)"));
}

/// Runs git in `dir`, failing the test if it fails.
fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Reviewer",
            "-c",
            "user.email=reviewer@example.com",
        ])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// `policylint diff --git ARGS` run in `dir`.
fn git_diff(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    policylint()
        .current_dir(dir)
        .args(["diff", "--no-config", "--today", TODAY, "--git"])
        .args(args)
        .assert()
}

fn has_git() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        eprintln!("skipped: git is not installed");
    }
    found
}

#[test]
fn git_mode_compares_every_changed_policy_file_with_the_revision() {
    if !has_git() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let v1 = std::fs::read_to_string(common::repo().join(OLD)).unwrap();
    let v2 = std::fs::read_to_string(common::repo().join(NEW)).unwrap();
    std::fs::create_dir(root.join("policies")).unwrap();
    std::fs::write(root.join("policies/privacy.md"), &v1).unwrap();
    std::fs::write(root.join("policies/same.md"), &v2).unwrap();
    std::fs::write(root.join("policies/retired.md"), &v2).unwrap();
    std::fs::write(root.join("notes.rs"), "fn main() {}\n").unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "first"]);
    // One policy edited, one deleted, one new and not yet added; a file that is no
    // policy changed too.
    std::fs::write(root.join("policies/privacy.md"), &v2).unwrap();
    std::fs::remove_file(root.join("policies/retired.md")).unwrap();
    std::fs::write(root.join("policies/cookies.md"), &v1).unwrap();
    std::fs::write(root.join("notes.rs"), "fn main() { }\n").unwrap();

    let assert = git_diff(root, &["HEAD", "--format", "json"]).code(1);
    let json: Value = serde_json::from_str(&stdout(&assert)).unwrap();
    let files: Vec<(String, String)> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let side = if f["new"].is_null() {
                &f["old"]
            } else {
                &f["new"]
            };
            (
                side["path"].as_str().unwrap().to_string(),
                f["change"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        files,
        vec![
            s("policies/cookies.md", "added"),
            s("policies/privacy.md", "modified"),
            s("policies/retired.md", "deleted"),
        ]
    );
    let by_path = |path: &str| {
        json["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["new"]["path"] == path || f["old"]["path"] == path)
            .unwrap()
            .clone()
    };
    let edited = by_path("policies/privacy.md");
    assert_eq!(edited["old"]["revision"], "HEAD");
    let edited = serde_json::json!({"files": [edited]});
    assert_eq!(
        change_of(&edited, "core/retention-period").as_deref(),
        Some("now-missing")
    );
    assert_eq!(
        change_of(&edited, "core/contact").as_deref(),
        Some("now-given")
    );
    // A new file is compared with nothing: what it says is given, what it lacks missing.
    let added = serde_json::json!({"files": [by_path("policies/cookies.md")]});
    assert_eq!(
        change_of(&added, "core/contact").as_deref(),
        Some("now-missing")
    );
    assert_eq!(
        change_of(&added, "core/security").as_deref(),
        Some("now-given")
    );
    // A deleted file no longer gives what it gave.
    let deleted = serde_json::json!({"files": [by_path("policies/retired.md")]});
    assert_eq!(
        change_of(&deleted, "core/contact").as_deref(),
        Some("now-missing")
    );

    // The paths narrow the comparison; the human output names the revision.
    let assert = git_diff(root, &["HEAD", "policies/privacy.md"]).code(1);
    let text = stdout(&assert);
    insta::assert_snapshot!("git_human", text);
    assert!(!text.contains("cookies.md"), "{text}");

    // Committed, nothing differs from HEAD.
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "second"]);
    git_diff(root, &["HEAD"])
        .code(0)
        .stdout(contains("No policy file changed."));
    // A renamed file is compared with its old self: nothing changed.
    git(
        root,
        &["mv", "policies/privacy.md", "policies/privacy-policy.md"],
    );
    let assert = git_diff(root, &["HEAD", "--format", "json"]).code(0);
    let json: Value = serde_json::from_str(&stdout(&assert)).unwrap();
    let renamed = &json["files"][0];
    assert_eq!(json["files"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(renamed["old"]["path"], "policies/privacy.md");
    assert_eq!(renamed["new"]["path"], "policies/privacy-policy.md");
    assert_eq!(renamed["change"], "modified");
    assert_eq!(json["summary"]["unchanged"], file_rule_count());
    assert_eq!(json["summary"]["new_findings"], 0);
    git(
        root,
        &["mv", "policies/privacy-policy.md", "policies/privacy.md"],
    );
    // Against the first commit, from a subfolder: paths as seen from there.
    let assert = git_diff(&root.join("policies"), &["HEAD~1"]).code(1);
    let text = stdout(&assert);
    assert!(
        text.contains("privacy.md, compared with privacy.md at HEAD~1"),
        "{text}"
    );
}

#[test]
fn git_mode_errors_are_clear_and_exit_2() {
    if !has_git() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        policylint()
            .current_dir(dir.path())
            .args(["diff", "--no-config", "--today", TODAY])
            .args(args)
            .assert()
            .code(2)
    };
    let assert = run(&["--git", "HEAD"]);
    assert!(
        stderr(&assert).contains("is not in a git repository"),
        "{}",
        stderr(&assert)
    );

    git(dir.path(), &["init", "-q"]);
    std::fs::write(
        dir.path().join("policy.md"),
        "# Policy\n\nWe collect nothing.\n",
    )
    .unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    for revision in ["no-such-branch", "--output=x"] {
        let assert = run(&[&format!("--git={revision}")]);
        assert!(
            stderr(&assert).contains(&format!("`{revision}` is not a revision")),
            "{}",
            stderr(&assert)
        );
    }
    let assert = run(&["--git", "HEAD", "missing-folder"]);
    assert!(stderr(&assert).contains("missing-folder: no such file or folder"));

    // Without git on the PATH.
    let empty = tempfile::tempdir().unwrap();
    let assert = policylint()
        .current_dir(dir.path())
        .env("PATH", empty.path())
        .args(["diff", "--no-config", "--git", "HEAD"])
        .assert()
        .code(2);
    assert!(
        stderr(&assert).contains("git is not installed"),
        "{}",
        stderr(&assert)
    );
}

#[test]
fn a_notice_member_is_compared_with_the_notice_s_other_files() {
    // The contact is in the notice's other file: neither revision lacks it.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("policylint.yaml"),
        "notices:\n  - files: [privacy.md, contact.md]\n",
    )
    .unwrap();
    let v1 = std::fs::read_to_string(common::repo().join(OLD)).unwrap();
    let without_retention = v1.replace(
        "## Retention\n\nServer logs are deleted after 30 days. Account data is deleted when you close your account.\n\n",
        "",
    );
    assert_ne!(without_retention, v1);
    std::fs::write(root.join("old.md"), &v1).unwrap();
    std::fs::write(root.join("privacy.md"), &without_retention).unwrap();
    std::fs::write(
        root.join("contact.md"),
        "# Contact\n\nEmail privacy@acme.example with any question about this policy.\n",
    )
    .unwrap();
    let assert = policylint()
        .current_dir(root)
        .args([
            "diff",
            "--today",
            TODAY,
            "--format",
            "json",
            "old.md",
            "privacy.md",
        ])
        .assert()
        .code(1);
    let json: Value = serde_json::from_str(&stdout(&assert)).unwrap();
    assert_eq!(change_of(&json, "core/contact"), None, "{json}");
    assert_eq!(
        change_of(&json, "core/retention-period").as_deref(),
        Some("now-missing")
    );
}

#[test]
fn bad_file_input_is_a_clear_error_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("policy.html");
    std::fs::write(&html, "<h1>Policy</h1><p>We collect nothing.</p>").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![OLD.into(), "tests/fixtures/diff/nowhere.md".into()],
            "tests/fixtures/diff/nowhere.md: no such file",
        ),
        (
            vec![OLD.into(), html.display().to_string()],
            "are in different formats",
        ),
        (vec![OLD.into()], "diff compares two files; 1 given"),
        (
            vec![OLD.into(), "tests/fixtures/diff".into()],
            "is a folder; diff compares two files",
        ),
        (
            vec!["Cargo.toml".into(), "Cargo.toml".into()],
            "is not a file type policylint reads",
        ),
    ];
    for (paths, message) in cases {
        let assert = policylint()
            .args(["diff", "--no-config", "--today", TODAY])
            .args(&paths)
            .assert()
            .code(2)
            .stdout("");
        let err = stderr(&assert);
        assert!(err.contains(message), "{paths:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_revision_that_cannot_be_linted_is_trouble() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.md");
    std::fs::write(&empty, "").unwrap();
    let assert = policylint()
        .args(["diff", "--no-config", "--today", TODAY])
        .arg(&empty)
        .arg(NEW)
        .assert()
        .code(2);
    let text = stdout(&assert);
    assert!(
        text.contains("Could not compare: the old revision could not be linted: the file is empty"),
        "{text}"
    );
}
