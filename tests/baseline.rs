//! Baselines through the command line: `lint --write-baseline` records the findings,
//! `lint --baseline` reports only new ones, across edits elsewhere in the file.

mod common;

use std::path::{Path, PathBuf};

use common::{TODAY, policylint};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

const CLEAN: &str = include_str!("fixtures/clean.md");

/// The clean policy with a placeholder in "Sharing" and no word on children (a
/// missing statement, anchored at the title).
fn policy() -> String {
    let text = CLEAN
        .replace(
            "our hosting provider and our payment processor.",
            "our hosting provider and [Company Name].",
        )
        .replace(
            "## Children\n\nOur service is not directed to children under 13, and we do not knowingly collect data from them.\n\n",
            "",
        );
    assert_ne!(text, CLEAN);
    assert!(!text.contains("children"));
    text
}

struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new(policy: &str) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("policy.md"), policy).unwrap();
        Workspace { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn edit(&self, change: impl FnOnce(String) -> String) {
        let path = self.path("policy.md");
        let before = std::fs::read_to_string(&path).unwrap();
        let after = change(before.clone());
        assert_ne!(after, before, "the edit changed nothing");
        std::fs::write(path, after).unwrap();
    }

    /// `policylint lint` run inside the workspace, on `policy.md`.
    fn lint(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        policylint()
            .current_dir(self.dir.path())
            .args(["lint", "--today", TODAY])
            .args(args)
            .arg("policy.md")
            .assert()
    }

    fn write_baseline(&self) {
        self.lint(&["--format", "short", "--write-baseline", "baseline.json"])
            .code(0)
            .stderr(contains("baseline.json"));
    }

    fn baseline(&self) -> Value {
        let text = std::fs::read_to_string(self.path("baseline.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// The `short` lines of the findings not in the baseline, and the exit code.
    fn new_findings(&self) -> (Vec<String>, i32) {
        let output = self
            .lint(&["--format", "short", "--baseline", "baseline.json"])
            .get_output()
            .clone();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let lines = stdout
            .lines()
            .filter(|l| l.starts_with("policy.md:"))
            .map(str::to_string)
            .collect();
        (lines, output.status.code().unwrap())
    }

    fn json(&self, args: &[&str]) -> Value {
        let output = self
            .lint(&[&["--format", "json"], args].concat())
            .get_output()
            .clone();
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

fn rules_of(report: &Value) -> Vec<String> {
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_baseline_records_the_findings_and_then_hides_them() {
    let ws = Workspace::new(&policy());
    ws.lint(&["--format", "short"])
        .code(1)
        .stdout(contains("core/placeholder"))
        .stdout(contains("core/children"));
    ws.write_baseline();

    let baseline = ws.baseline();
    assert_eq!(baseline["version"], 1);
    let findings = baseline["findings"].as_array().unwrap();
    let recorded: Vec<(&str, &str, u64)> = findings
        .iter()
        .map(|f| {
            assert_eq!(f["fingerprint"].as_str().unwrap().len(), 16);
            assert!(!f["message"].as_str().unwrap().is_empty());
            (
                f["rule"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        recorded,
        [
            ("core/children", "policy.md", 1),
            ("core/placeholder", "policy.md", 1)
        ]
    );

    let (shown, code) = ws.new_findings();
    assert_eq!(shown, Vec::<String>::new());
    assert_eq!(code, 0);
    ws.lint(&["--baseline", "baseline.json"])
        .code(0)
        .stdout(contains(
            "1 file linted: 0 errors, 0 warnings, 0 info; 2 findings in the baseline not shown",
        ));
    let json = ws.json(&["--baseline", "baseline.json"]);
    assert_eq!(json["summary"]["baselined"], 2);
    assert_eq!(rules_of(&json), Vec::<String>::new());
    // A rule whose every finding is in the baseline is not reported as failing.
    let placeholder = json["files"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["rule"] == "core/placeholder")
        .unwrap()
        .clone();
    assert_eq!(placeholder["status"], "suppressed");
}

#[test]
fn edits_elsewhere_in_the_file_bring_no_new_findings() {
    let ws = Workspace::new(&policy());
    let before = ws.json(&[]);
    ws.write_baseline();
    ws.edit(|text| {
        text.replace(
            "Last updated: October 1, 2026.\n",
            "Last updated: October 1, 2026.\n\nThis policy explains what we do with your data and why.\n",
        )
        .replace(
            "You can block or delete cookies in your browser settings.",
            "You can block or delete cookies in your browser settings, and we honour Do Not Track.",
        )
        .replace("## Sharing", "## Payments\n\nCards are handled by our payment processor.\n\n## Sharing")
    });
    let (shown, code) = ws.new_findings();
    assert_eq!(shown, Vec::<String>::new());
    assert_eq!(code, 0);

    // The findings did move: both are reported further down without the baseline.
    let after = ws.json(&[]);
    let line = |report: &Value, rule: &str| {
        report["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == rule)
            .map(|d| d["span"]["start"]["offset"].as_u64().unwrap())
            .unwrap()
    };
    assert!(line(&after, "core/placeholder") > line(&before, "core/placeholder"));
    let fingerprints = |report: &Value| {
        report["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["fingerprint"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(fingerprints(&after), fingerprints(&before));
}

#[test]
fn renumbered_sections_keep_their_findings() {
    let numbered = policy()
        .replace("## Sharing", "## 3. Sharing")
        .replace("## Retention", "## 4. Retention");
    let ws = Workspace::new(&numbered);
    ws.write_baseline();
    ws.edit(|text| {
        text.replace(
            "## 3. Sharing",
            "## 3. Payments\n\nCards go to our payment processor.\n\n## 4. Sharing",
        )
        .replace("## 4. Retention", "## 5. Retention")
    });
    assert_eq!(ws.new_findings(), (Vec::new(), 0));
}

#[test]
fn a_new_violation_is_the_only_finding_shown() {
    let ws = Workspace::new(&policy());
    ws.write_baseline();
    ws.edit(|text| {
        text.replace(
            "Email privacy@acme.example with any question about this policy.",
            "Email privacy@acme.example with any question about this policy.\n\nOr write to us at [Company Address].",
        )
    });
    let (shown, code) = ws.new_findings();
    assert_eq!(code, 1);
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(shown[0].contains("error core/placeholder"), "{shown:?}");
    let line = std::fs::read_to_string(ws.path("policy.md"))
        .unwrap()
        .lines()
        .position(|l| l.contains("[Company Address]"))
        .unwrap()
        + 1;
    assert!(
        shown[0].starts_with(&format!("policy.md:{line}:")),
        "{shown:?}"
    );
    ws.lint(&["--baseline", "baseline.json"])
        .code(1)
        .stdout(contains(
            "1 error, 0 warnings, 0 info; 2 findings in the baseline not shown",
        ));
}

#[test]
fn the_same_text_changed_is_a_new_finding() {
    let ws = Workspace::new(&policy());
    ws.write_baseline();
    ws.edit(|text| text.replace("[Company Name]", "[Company Legal Name]"));
    let (shown, code) = ws.new_findings();
    assert_eq!(code, 1);
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(shown[0].contains("core/placeholder"));
}

#[test]
fn copies_are_counted() {
    let twice = policy().replace(
        "We do not sell your personal information.",
        "We do not sell your personal information. Questions go to [Company Name].",
    );
    let ws = Workspace::new(&twice);
    ws.write_baseline();
    let placeholder = ws.baseline()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "core/placeholder")
        .unwrap()
        .clone();
    assert_eq!(placeholder["count"], 2);
    assert_eq!(ws.new_findings(), (Vec::new(), 0));

    // A third copy in the same section is new; the first two stay hidden.
    ws.edit(|text| {
        text.replace(
            "Questions go to [Company Name].",
            "Questions go to [Company Name]. Complaints go to [Company Name] too.",
        )
    });
    let (shown, code) = ws.new_findings();
    assert_eq!(code, 1);
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(shown[0].contains("core/placeholder"));
    ws.lint(&["--baseline", "baseline.json"])
        .stdout(contains("; 3 findings in the baseline not shown"));

    // With a copy removed, both that remain are hidden.
    ws.edit(|text| text.replacen("[Company Name]", "Acme", 1));
    assert_eq!(ws.new_findings(), (Vec::new(), 0));
}

#[test]
fn a_missing_statement_stays_known_when_its_anchor_moves() {
    let ws = Workspace::new(&policy());
    let anchor = |report: &Value| {
        report["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "core/children")
            .map(|d| d["span"]["start"]["line"].as_u64().unwrap())
            .unwrap()
    };
    assert_eq!(anchor(&ws.json(&[])), 1);
    ws.write_baseline();
    // The title it was anchored at is now further down and says something else.
    ws.edit(|text| {
        format!(
            "This page is maintained by the Acme legal team.\n\n{}",
            text.replace("# Acme Privacy Policy", "# Acme Privacy Notice")
        )
    });
    assert!(anchor(&ws.json(&[])) > 1);
    assert_eq!(ws.new_findings(), (Vec::new(), 0));
}

#[test]
fn a_baseline_is_per_file() {
    let ws = Workspace::new(&policy());
    ws.write_baseline();
    std::fs::copy(ws.path("policy.md"), ws.path("other.md")).unwrap();
    policylint()
        .current_dir(ws.dir.path())
        .args(["lint", "--today", TODAY, "--format", "short"])
        .args(["--baseline", "baseline.json", "policy.md", "./other.md"])
        .assert()
        .code(1)
        .stdout(contains("other.md:").count(2))
        .stdout(contains("policy.md:").not());
    // `./policy.md` is the same path as `policy.md`.
    policylint()
        .current_dir(ws.dir.path())
        .args([
            "lint",
            "--today",
            TODAY,
            "--baseline",
            "baseline.json",
            "./policy.md",
        ])
        .assert()
        .code(0);
}

#[test]
fn the_same_file_for_both_reports_against_the_old_and_records_the_new() {
    let ws = Workspace::new(&policy());
    ws.write_baseline();
    ws.edit(|text| text.replace("[Company Name]", "Acme") + "\nTODO: add the DPO.\n");
    ws.lint(&[
        "--format",
        "short",
        "--baseline",
        "baseline.json",
        "--write-baseline",
        "baseline.json",
    ])
    .code(0)
    .stdout(contains("core/placeholder an editing note").count(1))
    .stdout(contains("core/children").not());
    let rules: Vec<String> = ws.baseline()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules, ["core/children", "core/placeholder"]);
    assert_eq!(ws.new_findings(), (Vec::new(), 0));
}

#[test]
fn bad_baselines_are_errors_that_name_the_file() {
    let ws = Workspace::new(&policy());
    let cases: [(&str, Option<&str>, &str, &str); 5] = [
        (
            "absent.json",
            None,
            "cannot read the baseline absent.json",
            "write the baseline first",
        ),
        (
            "broken.json",
            Some("{\"version\": 1, \"findings\": ["),
            "the baseline broken.json is not a policylint baseline",
            "write the baseline again",
        ),
        (
            "other.json",
            Some("{\"version\": 1, \"items\": []}"),
            "the baseline other.json is not a policylint baseline",
            "write the baseline again",
        ),
        (
            "future.json",
            Some("{\"version\": 2, \"findings\": []}"),
            "the baseline future.json has version 2, but this policylint reads version 1",
            "write the baseline again",
        ),
        (
            "policy.md",
            None,
            "the baseline policy.md is not a policylint baseline",
            "write the baseline again",
        ),
    ];
    for (name, text, says, remedy) in cases {
        if let Some(text) = text {
            std::fs::write(ws.path(name), text).unwrap();
        }
        let output = ws
            .lint(&["--baseline", name])
            .code(2)
            .stdout("")
            .get_output()
            .clone();
        let stderr = unwrapped(&output.stderr);
        assert!(stderr.contains(says), "{stderr}");
        let help = format!("{remedy}: policylint lint --write-baseline {name} PATHS");
        assert!(stderr.contains(&help), "{stderr}");
    }
}

#[test]
fn a_file_that_is_not_a_baseline_is_not_overwritten() {
    let ws = Workspace::new(&policy());
    let before = std::fs::read(ws.path("policy.md")).unwrap();
    let output = ws
        .lint(&["--write-baseline", "policy.md"])
        .code(2)
        .get_output()
        .clone();
    let stderr = unwrapped(&output.stderr);
    assert!(
        stderr
            .contains("policy.md exists and is not a policylint baseline, so it is left as it is"),
        "{stderr}"
    );
    assert!(
        stderr.contains("remove the file, or write the baseline to another file"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(ws.path("policy.md")).unwrap(), before);
}

#[test]
fn no_baseline_is_written_when_a_file_could_not_be_linted() {
    let ws = Workspace::new(&policy());
    ws.write_baseline();
    let before = std::fs::read(ws.path("baseline.json")).unwrap();
    policylint()
        .current_dir(ws.dir.path())
        .args([
            "lint",
            "--today",
            TODAY,
            "--write-baseline",
            "baseline.json",
        ])
        .args(["policy.md", "missing.md"])
        .assert()
        .code(2)
        .stderr(contains("baseline.json not written"));
    assert_eq!(std::fs::read(ws.path("baseline.json")).unwrap(), before);
    assert_no_temporary_files(ws.dir.path());
}

#[test]
fn a_baseline_is_written_in_a_folder_atomically_and_diffs_well() {
    let ws = Workspace::new(&policy());
    std::fs::create_dir(ws.path("ci")).unwrap();
    ws.lint(&["--write-baseline", "ci/baseline.json"]).code(0);
    let text = std::fs::read_to_string(ws.path("ci/baseline.json")).unwrap();
    assert!(text.ends_with("}\n"));
    // One key per line, so a change is a line in a diff.
    assert!(
        text.lines()
            .any(|l| l.trim() == "\"rule\": \"core/children\",")
    );
    assert_no_temporary_files(&ws.path("ci"));
    // Written again from the same findings, it is the same, byte for byte.
    ws.lint(&["--write-baseline", "ci/baseline.json"]).code(0);
    assert_eq!(
        std::fs::read_to_string(ws.path("ci/baseline.json")).unwrap(),
        text
    );
}

#[test]
fn sarif_carries_the_fingerprints() {
    let ws = Workspace::new(&policy());
    let json = ws.json(&[]);
    let output = ws.lint(&["--format", "sarif"]).get_output().clone();
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let diagnostics = json["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(results.len(), diagnostics.len());
    for (result, diagnostic) in results.iter().zip(diagnostics) {
        assert_eq!(
            result["partialFingerprints"]["policylintFingerprint/v1"],
            diagnostic["fingerprint"]
        );
    }
}

fn assert_no_temporary_files(dir: &Path) {
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".policylint-baseline"))
        .collect();
    assert_eq!(names, Vec::<String>::new());
}

/// An error as miette prints it, with its wrapped lines joined again.
fn unwrapped(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let mut joined = String::new();
    for line in text.lines() {
        let line = line.trim_start_matches([' ', '│', '×']).trim_end();
        if line.is_empty() {
            continue;
        }
        // A line broken at a hyphen goes on without a space.
        if !joined.is_empty() && !joined.ends_with('-') {
            joined.push(' ');
        }
        joined.push_str(line);
    }
    joined
}

#[test]
fn a_baselined_finding_hides_the_gaps_merged_into_it() {
    // With core and gdpr, core's missing retention period is merged into gdpr's.
    let ws = Workspace::new("# Policy\n\nWe care about privacy. Write to privacy@example.com.\n");
    let before = ws.json(&["--pack", "core,gdpr"]);
    let merged = before["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "gdpr/retention-period")
        .expect("a gdpr retention finding");
    assert_eq!(
        merged["merged"],
        serde_json::json!(["core/retention-period"])
    );
    ws.lint(&[
        "--pack",
        "core,gdpr",
        "--format",
        "short",
        "--write-baseline",
        "baseline.json",
    ])
    .code(0);
    let after = ws.json(&["--pack", "core,gdpr", "--baseline", "baseline.json"]);
    assert!(rules_of(&after).is_empty(), "{:?}", rules_of(&after));
    // No outcome is left failing with nothing shown for it.
    for outcome in after["files"][0]["rules"].as_array().unwrap() {
        assert_ne!(outcome["status"], "fail", "{outcome}");
    }
    let core = after["files"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["rule"] == "core/retention-period")
        .unwrap();
    assert_eq!(core["status"], "suppressed");
}
