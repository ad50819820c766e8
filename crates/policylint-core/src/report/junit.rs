//! `--format junit`: JUnit XML, for CI systems that show test reports
//! (docs/output-formats.md).
//!
//! One `<testsuite>` per file (its name is the path) and one `<testcase>` per rule
//! outcome (classname the path, name the rule id): a failed rule has a `<failure>`
//! listing its findings, a rule that did not apply is `<skipped>`, a passed rule is an
//! empty test case. A finding the linter makes itself (`policylint/encoding`, ...) is a
//! failed test case of its own. A file that could not be linted is a suite with one
//! test case, `lint`, in `<error>`.

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::escape::escape;

use crate::diagnostic::{Diagnostic, FileReport, Outcome, Severity, Status};

/// What one test case says.
enum Case<'a> {
    Passed {
        name: &'a str,
        note: Option<&'a str>,
    },
    Failed {
        name: &'a str,
        findings: Vec<&'a Diagnostic>,
        note: Option<&'a str>,
    },
    Skipped {
        name: &'a str,
        message: String,
    },
    Error {
        name: &'a str,
        message: &'a str,
    },
}

#[derive(Clone, Copy, Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn of(cases: &[Case]) -> Counts {
        let mut counts = Counts {
            tests: cases.len(),
            ..Counts::default()
        };
        for case in cases {
            match case {
                Case::Passed { .. } => {}
                Case::Failed { .. } => counts.failures += 1,
                Case::Skipped { .. } => counts.skipped += 1,
                Case::Error { .. } => counts.errors += 1,
            }
        }
        counts
    }

    fn add(&mut self, other: Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }

    fn attributes(&self) -> String {
        format!(
            r#"tests="{}" failures="{}" errors="{}" skipped="{}""#,
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

/// Whether XML 1.0 cannot hold the character at all (most C0 controls).
fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}')
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Characters XML 1.0 cannot hold become U+FFFD.
fn xml_chars(text: &str) -> Cow<'_, str> {
    let bad = forbidden_in_xml;
    if text.chars().any(bad) {
        Cow::Owned(text.replace(bad, "\u{fffd}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Text content.
fn text(raw: &str) -> String {
    escape(xml_chars(raw)).into_owned()
}

/// An attribute value: line breaks and tabs as references, since a parser would
/// turn them into spaces.
fn attr(raw: &str) -> String {
    escape(xml_chars(raw))
        .replace('\n', "&#10;")
        .replace('\t', "&#9;")
}

fn status_name(status: Status) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn outcome_case<'a>(outcome: &'a Outcome, report: &'a FileReport) -> Case<'a> {
    let name = outcome.rule.as_str();
    let note = outcome.note.as_deref();
    match outcome.status {
        Status::Pass => Case::Passed { name, note },
        Status::Fail => Case::Failed {
            name,
            findings: report
                .diagnostics
                .iter()
                .filter(|d| d.reports(&outcome.rule))
                .collect(),
            note,
        },
        // Not applicable, or any other status (a failure silenced in the file).
        status => {
            let status = match status {
                Status::NotApplicable => "not applicable".to_string(),
                other => status_name(other),
            };
            Case::Skipped {
                name,
                message: match note {
                    Some(note) => format!("{status}: {note}"),
                    None => status,
                },
            }
        }
    }
}

fn cases(report: &FileReport) -> Vec<Case<'_>> {
    if let Some(error) = &report.error {
        return vec![Case::Error {
            name: "lint",
            message: error,
        }];
    }
    let mut cases: Vec<Case> = report
        .rules
        .iter()
        .map(|outcome| outcome_case(outcome, report))
        .collect();
    // Findings of no rule that ran: the linter's own notes about the file.
    let mut others: Vec<&str> = Vec::new();
    for d in &report.diagnostics {
        let has_outcome = report.rules.iter().any(|o| o.rule == d.rule);
        if !has_outcome && !others.contains(&d.rule.as_str()) {
            others.push(&d.rule);
        }
    }
    cases.extend(others.into_iter().map(|name| {
        Case::Failed {
            name,
            findings: report
                .diagnostics
                .iter()
                .filter(|d| d.rule == name)
                .collect(),
            note: None,
        }
    }));
    cases
}

fn write_failure(findings: &[&Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    let severity = findings
        .iter()
        .map(|d| d.severity)
        .max()
        .unwrap_or(Severity::Error);
    let message = match findings {
        [] => "failed".to_string(),
        [one] => one.message.clone(),
        [first, ..] => format!("{} findings: {}", findings.len(), first.message),
    };
    let body: Vec<String> = findings
        .iter()
        .map(|d| {
            let start = d.span.location.start;
            format!("{}:{}: {}", start.line, start.column, d.message)
        })
        .collect();
    writeln!(
        out,
        r#"      <failure message="{}" type="{}">{}</failure>"#,
        attr(&message),
        severity.as_str(),
        text(&body.join("\n"))
    )
}

fn write_case(path: &str, case: &Case, out: &mut dyn Write) -> io::Result<()> {
    let (name, note) = match case {
        Case::Passed { name, note } | Case::Failed { name, note, .. } => (*name, *note),
        Case::Skipped { name, .. } | Case::Error { name, .. } => (*name, None),
    };
    let open = format!(
        r#"    <testcase classname="{}" name="{}""#,
        attr(path),
        attr(name)
    );
    if let (Case::Passed { .. }, None) = (case, note) {
        return writeln!(out, "{open}/>");
    }
    writeln!(out, "{open}>")?;
    match case {
        Case::Passed { .. } => {}
        Case::Failed { findings, .. } => write_failure(findings, out)?,
        Case::Skipped { message, .. } => {
            writeln!(out, r#"      <skipped message="{}"/>"#, attr(message))?;
        }
        Case::Error { message, .. } => {
            writeln!(out, r#"      <error message="{}"/>"#, attr(message))?;
        }
    }
    if let Some(note) = note {
        writeln!(out, "      <system-out>{}</system-out>", text(note))?;
    }
    writeln!(out, "    </testcase>")
}

pub(super) fn write(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let suites: Vec<(&FileReport, Vec<Case>)> = reports.iter().map(|r| (r, cases(r))).collect();
    let mut total = Counts::default();
    for (_, cases) in &suites {
        total.add(Counts::of(cases));
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="policylint" {}>"#,
        total.attributes()
    )?;
    for (report, cases) in &suites {
        let counts = Counts::of(cases);
        writeln!(
            out,
            r#"  <testsuite name="{}" {}>"#,
            attr(&report.path),
            counts.attributes()
        )?;
        for case in cases {
            write_case(&report.path, case, out)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(
            text("a < b & \"c\"\u{1}"),
            "a &lt; b &amp; &quot;c&quot;\u{fffd}"
        );
        assert_eq!(attr("x\ny\t'z'"), "x&#10;y&#9;&apos;z&apos;");
    }

    #[test]
    fn unreadable_file_is_an_error_case() {
        let report = FileReport::failed("a&b.md".into(), "cannot read: <gone>".into());
        let mut out = Vec::new();
        write(&[report], &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(xml.contains(
            r#"<testsuites name="policylint" tests="1" failures="0" errors="1" skipped="0">"#
        ));
        assert!(xml.contains(
            r#"<testcase classname="a&amp;b.md" name="lint">
      <error message="cannot read: &lt;gone&gt;"/>"#
        ));
    }
}
