//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use policylint::{FileReport, Format, Linter, RuleSet};

pub const TODAY: &str = "2026-11-23";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the repository root.
pub fn policylint() -> assert_cmd::Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_policylint"));
    cmd.current_dir(repo()).env("NO_COLOR", "1");
    assert_cmd::Command::from_std(cmd)
}

/// The core pack, compiled once for all tests in a binary.
pub fn core_linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        let rules = RuleSet::load(&["core".to_string()], &[]).expect("built-in rules load");
        Linter::new(rules, TODAY.parse().unwrap())
    })
}

pub fn lint_markdown(text: &str) -> FileReport {
    core_linter().lint("test.md", text.to_string(), Format::Markdown)
}

pub fn lint_example(name: &str) -> FileReport {
    let path = repo().join("examples").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    core_linter().lint(&format!("examples/{name}"), text, Format::Markdown)
}

pub fn status(report: &FileReport, rule: &str) -> String {
    let outcome = report
        .rules
        .iter()
        .find(|o| o.rule == rule)
        .unwrap_or_else(|| panic!("no outcome for {rule}"));
    serde_json::to_value(outcome.status)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

/// The source line a byte offset is on.
pub fn line_at(source: &str, offset: usize) -> &str {
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    &source[start..end]
}

pub fn shared_corpus() -> Option<PathBuf> {
    let dir = repo().join("../shared/corpus");
    Path::new(&dir).is_dir().then_some(dir)
}
