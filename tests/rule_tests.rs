//! `policylint test DIRS`: custom rules tested by their examples and by annotated
//! fixture policies.

mod common;

use std::path::Path;

use common::policylint;
use predicates::prelude::*;
use predicates::str::contains;

/// A rule that forbids promising perfect security.
const SECURE_RULE: &str = "title: No promise of perfect security\nseverity: error\nmessage: Do not promise perfect security.\nforbid:\n  - terms: [100% secure, completely secure]\nexamples:\n  pass: ['We encrypt data at rest.']\n  fail: ['Your data is 100% secure.']\n";

/// A rule that requires a statement about sale, missing ones anchored at "partners".
const SALE_RULE: &str = "title: Says whether data is sold\nseverity: warning\nmessage: The policy does not say whether personal data is sold.\nrequire:\n  terms: [do not sell, we sell]\nhint:\n  - terms: [partners]\nexamples:\n  pass: ['We do not sell data.']\n  fail: ['We share data with partners.']\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A test folder `acme/` holding both rules and a fixture that passes.
fn passing_folder(root: &Path) -> String {
    let dir = root.join("acme");
    write(&dir, "secure.yaml", SECURE_RULE);
    write(&dir, "sale.yaml", SALE_RULE);
    write(
        &dir,
        "policy.md",
        "# Privacy\n\nWe collect your email address.\n\n<!-- expect: acme/secure -->\nYour data is completely secure.\n\n<!-- ok: acme/secure, acme/sale -->\nWe encrypt data at rest.\n\n<!-- expect: acme/sale -->\nWe share data with partners.\n",
    );
    dir.display().to_string()
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

#[test]
fn rules_and_fixtures_in_a_folder_pass() {
    let root = tempfile::tempdir().unwrap();
    let dir = passing_folder(root.path());
    let assert = policylint().args(["test", &dir]).assert().code(0);
    let out = stdout_of(&assert);
    // Only the folder's own rules load: 2 rules, 4 examples, 4 annotated checks.
    assert!(
        out.contains("2 rules, 4 examples, 1 fixture files with 4 annotated checks"),
        "{out}"
    );
    assert!(out.contains("examples: 4 passed, 0 failed"), "{out}");
    assert!(out.contains("fixtures: 4 passed, 0 failed"), "{out}");
    assert!(out.ends_with("8 passed, 0 failed\n"), "{out}");
    assert!(!out.contains("FAIL"), "{out}");
}

#[test]
fn failing_annotations_name_file_line_rule_and_what_was_found() {
    let root = tempfile::tempdir().unwrap();
    let dir = passing_folder(root.path());
    let policy = write(
        Path::new(&dir),
        "bad.md",
        "# Privacy\n\nWe collect your email address.\n\n<!-- ok: acme/secure -->\nYour data is 100% secure.\n\n<!-- expect: acme/secure -->\n\nWe encrypt data at rest.\n",
    );
    let assert = policylint().args(["test", &dir]).assert().code(1);
    let out = stdout_of(&assert);
    assert!(
        out.contains(&format!(
            "FAIL {policy}:6: acme/secure (ok): expected no finding on this line; found 6:14 \"Do not promise perfect security.\""
        )),
        "{out}"
    );
    // Blank lines between an annotation and its line are skipped.
    assert!(
        out.contains(&format!(
            "FAIL {policy}:10: acme/secure (expect): expected a finding on this line; found none here; the rule reports on line 6"
        )),
        "{out}"
    );
    assert!(out.contains("fixtures: 4 passed, 2 failed"), "{out}");
    assert!(out.ends_with("8 passed, 2 failed\n"), "{out}");
}

#[test]
fn an_unknown_rule_in_an_annotation_fails_with_its_line() {
    let root = tempfile::tempdir().unwrap();
    let dir = passing_folder(root.path());
    let policy = write(
        Path::new(&dir),
        "typo.md",
        "# Privacy\n\n<!-- expect: acme/secur -->\nYour data is 100% secure.\n\n<!-- expect-file: core/contact -->\n",
    );
    let assert = policylint().args(["test", &dir]).assert().code(1);
    let out = stdout_of(&assert);
    assert!(
        out.contains(&format!(
            "FAIL {policy}:3: acme/secur (expect): expected a rule that runs; found no such rule loaded"
        )),
        "{out}"
    );
    // A built-in rule is not loaded when the folder brings rules and --pack is not given.
    assert!(
        out.contains(&format!(
            "FAIL {policy}:6: core/contact (expect-file): expected a rule that runs; found no such rule loaded (the built-in pack `core` loads with --pack core)"
        )),
        "{out}"
    );
}

#[test]
fn text_fixtures_use_lines_of_their_own() {
    let root = tempfile::tempdir().unwrap();
    let dir = passing_folder(root.path());
    let policy = write(
        Path::new(&dir),
        "policy.txt",
        "PRIVACY\n\nexpect: acme/secure\nYour data is completely secure.\nok: acme/secure\nWe encrypt data at rest.\n\nexpect-file: acme/sale -- the words do not sell appear only in this line\nexpect: acme/sale\nWe share data with partners.\n\nexpect: acme/secure\nWe encrypt backups too.\n",
    );
    let assert = policylint().args(["test", &dir]).assert().code(1);
    let out = stdout_of(&assert);
    assert!(
        out.contains(&format!(
            "FAIL {policy}:13: acme/secure (expect): expected a finding on this line; found none here; the rule reports on line 4"
        )),
        "{out}"
    );
    // Annotation lines are not policy text: "do not sell" in one does not satisfy
    // acme/sale, so expect-file holds.
    assert!(out.contains("fixtures: 8 passed, 1 failed"), "{out}");
    assert_eq!(out.matches("FAIL").count(), 1, "{out}");
}

#[test]
fn file_level_annotations() {
    let root = tempfile::tempdir().unwrap();
    let dir = passing_folder(root.path());
    write(
        Path::new(&dir),
        "whole.html",
        "<html><body><!-- expect-file: acme/sale --><!-- ok-file: acme/secure --><h1>Privacy</h1><p>We share data with partners.</p></body></html>",
    );
    policylint()
        .args(["test", &dir])
        .assert()
        .code(0)
        .stdout(contains("fixtures: 6 passed, 0 failed"));
    let policy = write(
        Path::new(&dir),
        "whole.html",
        "<html><body>\n<!-- ok-file: acme/sale -->\n<!-- expect-file: acme/secure -->\n<h1>Privacy</h1><p>We share data with partners.</p></body></html>",
    );
    let assert = policylint().args(["test", &dir]).assert().code(1);
    let out = stdout_of(&assert);
    assert!(
        out.contains(&format!(
            "FAIL {policy}:2: acme/sale (ok-file): expected no finding in this file; found 4:"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "FAIL {policy}:3: acme/secure (expect-file): expected a finding in this file; found no finding (outcome: pass)"
        )),
        "{out}"
    );
}

#[test]
fn a_fixture_without_annotations_is_a_warning_not_a_pass() {
    let root = tempfile::tempdir().unwrap();
    let dir = passing_folder(root.path());
    let plain = write(Path::new(&dir), "plain.md", "# Privacy\n\nWe share data.\n");
    policylint()
        .args(["test", &dir])
        .assert()
        .code(0)
        .stdout(contains(format!(
            "warning: {plain}: no annotations; nothing in it was checked"
        )));
}

#[test]
fn folders_mixed_with_rules_and_packs() {
    let root = tempfile::tempdir().unwrap();
    let rules = root.path().join("acme");
    write(&rules, "secure.yaml", SECURE_RULE);
    let fixtures = root.path().join("fixtures");
    write(
        &fixtures,
        "policy.md",
        "# Privacy\n\n<!-- expect: acme/secure -->\nYour data is 100% secure.\n\n<!-- expect-file: core/contact -->\n",
    );
    let rules = rules.display().to_string();
    let fixtures = fixtures.display().to_string();
    // Fixtures only in DIRS: the core pack loads as with --rules alone, so its
    // examples run too and core/contact is known.
    let assert = policylint()
        .args(["test", "--rules", &rules, &fixtures])
        .assert()
        .code(0);
    let out = stdout_of(&assert);
    assert!(out.contains("fixtures: 2 passed, 0 failed"), "{out}");
    let rule_count: usize = out
        .lines()
        .find_map(|l| l.split_once(" rules, "))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap();
    assert!(rule_count > 10, "{out}");
    // Rules in DIRS and --pack core: the same, named explicitly.
    policylint()
        .args(["test", "--pack", "core", &rules, &fixtures])
        .assert()
        .code(0)
        .stdout(contains("fixtures: 2 passed, 0 failed"));
}

#[test]
fn bad_input_exits_2() {
    let root = tempfile::tempdir().unwrap();
    policylint()
        .args(["test", "no/such/folder"])
        .assert()
        .code(2)
        .stderr(contains("no/such/folder: not a folder"));
    let empty = root.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    write(&empty, "notes.pdf", "x");
    policylint()
        .args(["test", &empty.display().to_string()])
        .assert()
        .code(2)
        .stderr(contains("nothing to test in this folder"));
    let broken = root.path().join("broken");
    write(&broken, "a.yaml", "title: A\nseverity: fatal\nmessage: m\n");
    policylint()
        .args(["test", &broken.display().to_string()])
        .assert()
        .code(2)
        .stderr(contains("a.yaml"));
    // A fixture that cannot be read as text is reported, and the run exits 2.
    let dir = passing_folder(root.path());
    let binary = write(Path::new(&dir), "zeros.txt", "\0\0\0\0<!-- x -->");
    policylint()
        .args(["test", &dir])
        .assert()
        .code(2)
        .stdout(contains(format!("error: {binary}:")));
}

#[test]
fn the_example_custom_rules_pass_as_the_readme_shows() {
    policylint()
        .args(["test", "examples/custom-rules/"])
        .assert()
        .code(0)
        .stdout(
            contains("2 rules")
                .and(contains("fixtures: 5 passed, 0 failed"))
                .and(contains("FAIL").not())
                .and(contains("warning").not()),
        );
}
