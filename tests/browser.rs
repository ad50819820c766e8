//! The compliance report in a real browser: headless Chromium opens the page from
//! disk, offline, and a cell is selected with the keyboard and with the mouse; the
//! details panel must show the evidence or the finding of that cell.
//!
//! scripts/report_page.mjs drives Chromium with playwright-core (installed by .ci/run
//! into target/ci-tools). Without Chromium, node or playwright-core the tests say they
//! are skipped, and why.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TODAY, json_outcome, policylint, repo};
use serde_json::Value;

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Why the browser tests cannot run here, if they cannot.
fn missing_tool() -> Option<String> {
    if !chromium().is_file() {
        return Some(format!(
            "Chromium is not installed at {} (apt-get install chromium)",
            chromium().display()
        ));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("node is not installed".into());
    }
    let playwright = std::env::var_os("PLAYWRIGHT_CORE").map_or_else(
        || repo().join("target/ci-tools/node_modules/playwright-core"),
        PathBuf::from,
    );
    if !playwright.join("package.json").is_file() {
        return Some(format!(
            "playwright-core is not installed in {} (npm install --prefix target/ci-tools \
             --no-package-lock playwright-core)",
            playwright.display()
        ));
    }
    None
}

fn write_report(paths: &[&str], output: &Path) {
    let out = policylint()
        .arg("report")
        .args(paths)
        .args(["--pack", "core,gdpr,ccpa", "--no-config", "--today", TODAY])
        .arg("--output")
        .arg(output)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Selects the cell of `rule` for the `policy`-th file; the panel as the page shows
/// it after the keyboard and after a click.
fn select(report: &Path, policy: usize, rule: &str) -> Value {
    let out = Command::new("node")
        .arg(repo().join("scripts/report_page.mjs"))
        .arg("select")
        .arg(report)
        .arg(policy.to_string())
        .arg(rule)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the driver prints JSON")
}

fn lint_json(path: &str) -> Value {
    let out = policylint()
        .args(["lint", path, "--format", "json", "--pack", "core,gdpr,ccpa"])
        .args(["--no-config", "--today", TODAY])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The panel shows `path:line:column` of the span's start.
fn assert_shows_place(panel: &Value, how: &str, path: &str, span: &Value) {
    let start = &span["start"];
    let place = format!("{path}:{}:{}", start["line"], start["column"]);
    assert!(
        panel["where"]
            .as_array()
            .unwrap()
            .contains(&Value::from(place.clone())),
        "{how}: {place} not in {panel}"
    );
}

#[test]
fn the_evidence_of_a_given_requirement_shows_in_the_panel() {
    if let Some(why) = missing_tool() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("one.html");
    write_report(&["examples/policies/putio.md"], &page);
    let json = lint_json("examples/policies/putio.md");
    let file = &json["files"][0];
    // A requirement the policy gives: its evidence sentence, and where it is.
    let given = file["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["status"] == "pass" && o["evidence"].is_object())
        .expect("putio.md gives some requirement");
    let rule = given["rule"].as_str().unwrap();
    let shown = select(&page, 0, rule);
    assert_eq!(
        shown["requests"],
        Value::Array(vec![]),
        "the page loaded nothing"
    );
    assert_eq!(shown["errors"], Value::Array(vec![]));
    assert_eq!(shown["cells"], file["rules"].as_array().unwrap().len());
    for how in ["keyboard", "clicked"] {
        let panel = &shown[how];
        assert_eq!(panel["status"], "\u{2713} given", "{how}: {panel}");
        assert_eq!(panel["evidence"], given["evidence"]["text"], "{how}");
        assert_shows_place(
            panel,
            how,
            "examples/policies/putio.md",
            &given["evidence"]["span"],
        );
        assert_eq!(panel["focused"], "item selected", "{how}");
    }
}

#[test]
fn the_finding_of_a_missing_requirement_shows_in_the_matrix_panel() {
    if let Some(why) = missing_tool() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("all.html");
    write_report(&["examples/policies/"], &page);
    let json = lint_json("examples/policies/");
    let files = json["files"].as_array().unwrap();
    let policy = 3;
    let file = &files[policy];
    let failed = json_outcome(file, "gdpr/controller-identity");
    assert_eq!(failed["status"], "fail", "the example is still a gap");
    let finding = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "gdpr/controller-identity")
        .unwrap();
    let shown = select(&page, policy, "gdpr/controller-identity");
    assert_eq!(shown["requests"], Value::Array(vec![]));
    assert_eq!(shown["errors"], Value::Array(vec![]));
    let rules = file["rules"].as_array().unwrap().len();
    assert_eq!(
        shown["cells"],
        files.len() * rules,
        "a cell per policy and rule"
    );
    for how in ["keyboard", "clicked"] {
        let panel = &shown[how];
        assert_eq!(panel["status"], "\u{2717} missing", "{how}: {panel}");
        assert_eq!(panel["finding"], finding["message"], "{how}");
        assert_eq!(panel["title"], "Names the controller", "{how}");
        assert_shows_place(panel, how, file["path"].as_str().unwrap(), &finding["span"]);
        assert_eq!(panel["focused"], "cell s-missing selected", "{how}");
    }
}

#[test]
fn the_services_a_policy_page_loads_are_listed_under_its_checklist() {
    if let Some(why) = missing_tool() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("practice.html");
    let policy = "tests/fixtures/practice/policy-page.html";
    write_report(&[policy], &page);
    let shown = select(&page, 0, "core/undisclosed-service");
    let json = lint_json(policy);
    let services = json["files"][0]["services"].as_array().unwrap();
    for view in ["clicked", "keyboard"] {
        let rows = shown[view]["services"].as_array().unwrap();
        assert_eq!(rows.len(), services.len(), "{view}: {shown}");
        for (row, service) in rows.iter().zip(services) {
            let cells: Vec<&str> = row
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            assert!(
                cells[0].starts_with(service["name"].as_str().unwrap()),
                "{cells:?}"
            );
            let named = service["named"].as_bool().unwrap();
            assert_eq!(cells[2].contains("not named"), !named, "{cells:?}");
            let at = &service["loaded_at"][0];
            let place = format!(
                "{}:{}",
                at["path"].as_str().unwrap(),
                at["span"]["start"]["line"]
            );
            assert!(cells[3].contains(&place), "{cells:?} lacks {place}");
        }
        // The panel shows every finding of the rule, one per service not named.
        let findings: Vec<&str> = shown[view]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert_eq!(findings.len(), 3, "{view}: {shown}");
        assert!(findings[1].contains("Meta Pixel"), "{findings:?}");
    }
    assert!(shown["requests"].as_array().unwrap().is_empty());
}
