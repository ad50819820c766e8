//! Each input format on a small fixture: the findings, their exact positions, and the
//! human output's underline, as snapshots. Also the edge cases of reading files.

mod common;

use common::{TODAY, docx, docx_paragraph, policylint};
use predicates::prelude::*;
use predicates::str::contains;

const FIXTURES: [&str; 6] = [
    "policy.html",
    "policy-1252.html",
    "policy.md",
    "policy.txt",
    "policy-utf16.txt",
    "policy-de.md",
];

fn run_in(dir: &std::path::Path, args: &[&str]) -> String {
    let out = policylint().current_dir(dir).args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn fixtures_human_and_json() {
    let dir = common::repo().join("tests/fixtures/formats");
    for name in FIXTURES {
        let human = run_in(&dir, &["lint", "--today", TODAY, "--checklist", name]);
        insta::assert_snapshot!(format!("formats_human_{name}"), human);
        let json = run_in(&dir, &["lint", "--today", TODAY, "--format", "json", name]);
        insta::assert_snapshot!(format!("formats_json_{name}"), json);
    }
}

#[test]
fn word_documents_report_paragraph_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let body = [
        docx_paragraph(Some("Title"), "Acme Privacy Policy"),
        docx_paragraph(None, "Last updated: October 1, 2026."),
        docx_paragraph(Some("Heading1"), "Retention"),
        docx_paragraph(
            None,
            "We keep your data for as long as necessary & no longer.",
        ),
        docx_paragraph(Some("Heading1"), "Contact"),
        docx_paragraph(None, "Email privacy@acme.example."),
    ];
    std::fs::write(dir.path().join("policy.docx"), docx(&body)).unwrap();
    let human = run_in(dir.path(), &["lint", "--today", TODAY, "policy.docx"]);
    insta::assert_snapshot!("formats_human_policy.docx", human);
    let short = run_in(
        dir.path(),
        &["lint", "--today", TODAY, "--format", "short", "policy.docx"],
    );
    // Paragraph 4, character 23: "as long as necessary".
    assert!(
        short.contains("policy.docx:4:23: error core/retention-period"),
        "{short}"
    );
}

#[test]
fn a_corrupt_docx_is_a_clear_error_and_other_files_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.docx"), b"this is not a zip").unwrap();
    std::fs::write(dir.path().join("good.md"), "# P\n\nEmail a@b.co.\n").unwrap();
    policylint()
        .current_dir(dir.path())
        .args([
            "lint", "--today", TODAY, "--format", "short", "bad.docx", "good.md",
        ])
        .assert()
        .code(2)
        .stdout(contains("bad.docx: error: not a Word document"))
        .stdout(contains("good.md:"));
}

#[test]
fn deeply_nested_and_malformed_html_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut html = String::from("<p>Email privacy@acme.example.</p></div></span>");
    html.push_str(&"<div>".repeat(100_000));
    html.push_str("<p>We delete logs after 30 days.<p>Unclosed <b>bold");
    std::fs::write(dir.path().join("deep.html"), html).unwrap();
    policylint()
        .current_dir(dir.path())
        .args(["lint", "--today", TODAY, "--checklist", "deep.html"])
        .assert()
        .code(1)
        .stdout(contains("“We delete logs after 30 days.”"));
}

#[test]
fn lang_en_applies_the_rules_to_any_text() {
    let dir = common::repo().join("tests/fixtures/formats");
    policylint()
        .current_dir(&dir)
        .args([
            "lint",
            "--today",
            TODAY,
            "--lang",
            "en",
            "--format",
            "short",
            "policy-de.md",
        ])
        .assert()
        .code(1)
        .stdout(contains("core/contact"));
}

#[test]
fn html_chrome_is_kept_on_request() {
    let dir = common::repo().join("tests/fixtures/formats");
    let without = run_in(
        &dir,
        &["lint", "--today", TODAY, "--format", "json", "policy.html"],
    );
    assert!(!without.contains("nav@acme.example"));
    let with = run_in(
        &dir,
        &[
            "lint",
            "--today",
            TODAY,
            "--keep-chrome",
            "--checklist",
            "policy.html",
        ],
    );
    assert!(with.contains("met"), "{with}");
}

#[test]
fn short_english_texts_are_not_taken_for_another_language() {
    policylint()
        .args(["lint", "--format", "short", "-"])
        .write_stdin("If you have a complaint about how we use your data, please contact us at privacy@example.com.")
        .assert()
        .stdout(predicates::str::contains("policylint/language").not())
        .stdout(contains("core/retention-period"));
}
