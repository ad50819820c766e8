//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod invariants;

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

/// The given packs with declared facts, as `--pack` and `--fact` would load them.
pub fn linter_with(packs: &[&str], facts: &[(&str, bool)]) -> Linter {
    let packs: Vec<String> = packs.iter().map(|p| p.to_string()).collect();
    let rules = RuleSet::load(&packs, &[]).expect("built-in packs load");
    let facts: Vec<(String, bool)> = facts.iter().map(|(n, v)| (n.to_string(), *v)).collect();
    Linter::new(rules, TODAY.parse().unwrap())
        .with_facts(&facts)
        .expect("known facts")
}

/// The note a rule's outcome carries (what was assumed or declared), or "".
pub fn note(report: &FileReport, rule: &str) -> String {
    report
        .rules
        .iter()
        .find(|o| o.rule == rule)
        .and_then(|o| o.note.clone())
        .unwrap_or_default()
}

pub fn lint_markdown(text: &str) -> FileReport {
    core_linter().lint("test.md", text.to_string(), Format::Markdown)
}

pub fn lint_example(name: &str) -> FileReport {
    let path = repo().join("examples").join("policies").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    core_linter().lint(&format!("examples/policies/{name}"), text, Format::Markdown)
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

/// A .docx whose body holds `paragraphs`, each made by [`docx_paragraph`].
pub fn docx(paragraphs: &[String]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    write!(
        zip,
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}</w:body></w:document>"#,
        paragraphs.concat()
    )
    .unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

/// A .docx with one unstyled paragraph per text.
pub fn docx_of_texts(texts: &[impl AsRef<str>]) -> Vec<u8> {
    let paragraphs: Vec<String> = texts
        .iter()
        .map(|t| docx_paragraph(None, t.as_ref()))
        .collect();
    docx(&paragraphs)
}

/// A Word paragraph of plain text (escaped for XML), with a paragraph style such as
/// "Heading1" if given.
pub fn docx_paragraph(style: Option<&str>, text: &str) -> String {
    let style = style.map_or(String::new(), |s| {
        format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#)
    });
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(r#"<w:p>{style}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

/// The outcome of `rule` in a file of a JSON report.
pub fn json_outcome<'a>(file: &'a serde_json::Value, rule: &str) -> &'a serde_json::Value {
    file["rules"]
        .as_array()
        .expect("a linted file has outcomes")
        .iter()
        .find(|o| o["rule"] == rule)
        .unwrap_or_else(|| panic!("no outcome of {rule}"))
}
