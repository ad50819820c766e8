//! Annotated fixture policies: files that say, next to their own text, where a rule
//! must report and where it must not. Used by `policylint test DIRS`.
//!
//! ```text
//! <!-- expect: acme/sale -->        a finding of acme/sale on the next line with text
//! <!-- ok: acme/sale, core/contact --> no finding of either rule on the next line
//! <!-- expect-file: acme/sale -->   at least one finding of acme/sale in the file
//! <!-- ok-file: acme/sale -->       no finding of acme/sale in the file
//! ```
//!
//! In Markdown and HTML they are comments; in plain text, lines of their own without
//! the comment markers (like suppression directives). An optional `-- reason` may
//! follow the rule ids.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{Diagnostic, FileReport, Status};
use crate::document::directives::scan_markers;
use crate::document::source::{self, SourceText};
use crate::document::{Format, Markers};
use crate::engine::Linter;
use crate::span::{LineIndex, SourceSpan};
use crate::walk::Input;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnnotationKind {
    /// A finding of the rule on the next line with text.
    Expect,
    /// No finding of the rule on the next line with text.
    Ok,
    /// At least one finding of the rule anywhere in the file.
    ExpectFile,
    /// No finding of the rule anywhere in the file.
    OkFile,
}

impl AnnotationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AnnotationKind::Expect => "expect",
            AnnotationKind::Ok => "ok",
            AnnotationKind::ExpectFile => "expect-file",
            AnnotationKind::OkFile => "ok-file",
        }
    }
}

/// One annotation, where it is written and what it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    pub kind: AnnotationKind,
    pub rules: Vec<String>,
    /// The whole comment (or line) in the source text.
    pub span: SourceSpan,
    /// The 1-based line the annotation is written on (where it ends).
    pub line: usize,
    /// For `expect` and `ok`: the line it is about, the first line after it that
    /// has text and is not itself an annotation. `None` when no such line follows.
    pub target: Option<usize>,
}

static IN_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern.
    Regex::new(
        r"<!--\s*(expect-file|ok-file|expect|ok)\s*:((?:[^-]|-[^-])*?)(?:--((?:[^-]|-[^-])*?))?-->",
    )
    .expect("valid regex")
});

static ON_A_LINE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern.
    Regex::new(
        r"(?m)^[ \t]*(expect-file|ok-file|expect|ok)[ \t]*:([^\r\n]*?)(?:--([^\r\n]*))?[ \t]*\r?$",
    )
    .expect("valid regex")
});

/// The annotations in a fixture's text, in order. A .docx holds none: its text has
/// no place for them.
pub fn scan(text: &str, format: Format) -> Vec<Annotation> {
    let lines = LineIndex::new(text);
    let mut found: Vec<Annotation> = scan_markers(text, format, &IN_COMMENT, &ON_A_LINE)
        .into_iter()
        .map(|marker| Annotation {
            kind: match marker.keyword {
                "expect" => AnnotationKind::Expect,
                "ok" => AnnotationKind::Ok,
                "expect-file" => AnnotationKind::ExpectFile,
                _ => AnnotationKind::OkFile,
            },
            rules: marker.rules,
            line: lines.position(text, marker.span.end).line,
            span: marker.span,
            target: None,
        })
        .collect();
    let annotated: Vec<usize> = found.iter().map(|a| a.line).collect();
    for a in &mut found {
        if matches!(a.kind, AnnotationKind::Expect | AnnotationKind::Ok) {
            a.target = text_line_after(text, &lines, a.line, &annotated);
        }
    }
    found
}

/// The first line after `line` that has text and holds no annotation.
fn text_line_after(
    text: &str,
    lines: &LineIndex,
    line: usize,
    annotated: &[usize],
) -> Option<usize> {
    let last = lines.position(text, text.len()).line;
    (line + 1..=last).find(|&n| {
        let span = lines.line_span(text, n);
        !annotated.contains(&n) && !text[span.start..span.end].trim().is_empty()
    })
}

/// One annotated rule that did not hold, or could not be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixtureFailure {
    pub path: String,
    /// The line the failure is about: the annotated line for `expect` and `ok`, the
    /// annotation itself otherwise.
    pub line: usize,
    pub rule: String,
    pub kind: AnnotationKind,
    /// What the annotation asked for.
    pub expected: String,
    /// What linting found instead.
    pub found: String,
}

/// What checking one fixture file gave.
#[derive(Clone, Debug, Default)]
pub struct FixtureResult {
    /// Annotated (annotation, rule) pairs checked, failures included.
    pub checked: usize,
    pub failures: Vec<FixtureFailure>,
    /// Why nothing in the file was checked (no annotations, a .docx).
    pub warning: Option<String>,
    /// Why the file could not be checked at all (unreadable, not text).
    pub error: Option<String>,
}

/// Lints a fixture with the linter's rules and checks each annotation against the
/// findings. Only annotated rules on annotated lines are judged; other findings are
/// not.
pub fn check_file(linter: &Linter, input: &Input) -> FixtureResult {
    let path = input.path.display().to_string();
    let failed = |message: String| FixtureResult {
        error: Some(message),
        ..FixtureResult::default()
    };
    if input.format.info().markers == Markers::None {
        return FixtureResult {
            warning: Some(
                "a .docx file cannot hold annotations; nothing in it was checked (write \
                 fixtures as .md, .txt or .html)"
                    .into(),
            ),
            ..FixtureResult::default()
        };
    }
    let bytes = match std::fs::read(&input.path) {
        Ok(bytes) => bytes,
        Err(e) => return failed(format!("cannot read: {e}")),
    };
    let mut text = match source::decode(bytes, input.format) {
        Ok(text) => text,
        Err(message) => return failed(message),
    };
    let annotations = scan(&text.text, input.format);
    if annotations.is_empty() {
        return FixtureResult {
            warning: Some(
                "no annotations; nothing in it was checked (write `<!-- expect: RULE -->` \
                 before a line, or `<!-- expect-file: RULE -->`)"
                    .into(),
            ),
            ..FixtureResult::default()
        };
    }
    if input.format.info().markers == Markers::Line {
        blank_out(&mut text, &annotations);
    }
    let Ok(doc) = linter.read_text(&path, text, input.format, None) else {
        return failed("no policy text besides the annotations".into());
    };
    let report = linter.lint_document(&path, doc);
    judge(linter, &path, &annotations, &report)
}

/// In plain text annotations are lines of prose: spaces keep them out of what rules
/// see (a rule id such as `acme/sale` would otherwise match the word "sale") while
/// every offset and line stays where it was.
fn blank_out(text: &mut SourceText, annotations: &[Annotation]) {
    let mut bytes = std::mem::take(&mut text.text).into_bytes();
    for a in annotations {
        for b in &mut bytes[a.span.start..a.span.end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Invariant: whole UTF-8 characters were replaced by ASCII spaces.
    text.text = String::from_utf8(bytes).unwrap_or_default();
}

fn judge(
    linter: &Linter,
    path: &str,
    annotations: &[Annotation],
    report: &FileReport,
) -> FixtureResult {
    let mut result = FixtureResult::default();
    for a in annotations {
        if a.rules.is_empty() {
            result.checked += 1;
            result.failures.push(FixtureFailure {
                path: path.to_string(),
                line: a.line,
                rule: String::new(),
                kind: a.kind,
                expected: format!("`{}:` followed by rule ids", a.kind.as_str()),
                found: "no rule id".into(),
            });
            continue;
        }
        for rule in &a.rules {
            result.checked += 1;
            if let Some(failure) = judge_one(linter, path, a, rule, report) {
                result.failures.push(failure);
            }
        }
    }
    result
}

fn judge_one(
    linter: &Linter,
    path: &str,
    a: &Annotation,
    rule: &str,
    report: &FileReport,
) -> Option<FixtureFailure> {
    let failure = |line: usize, expected: String, found: String| FixtureFailure {
        path: path.to_string(),
        line,
        rule: rule.to_string(),
        kind: a.kind,
        expected,
        found,
    };
    if linter.rules().get(rule).is_none() {
        return Some(failure(a.line, "a rule that runs".into(), not_loaded(rule)));
    }
    let of_rule: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.reports(rule))
        .collect();
    match a.kind {
        AnnotationKind::Expect | AnnotationKind::Ok => {
            let Some(target) = a.target else {
                return Some(failure(
                    a.line,
                    format!("a line of text after `{}:`", a.kind.as_str()),
                    "the file ends".into(),
                ));
            };
            let here: Vec<&Diagnostic> = of_rule
                .iter()
                .copied()
                .filter(|d| covers_line(d, target))
                .collect();
            match (a.kind, here.is_empty()) {
                (AnnotationKind::Expect, true) => Some(failure(
                    target,
                    "a finding on this line".into(),
                    none_here(report, rule, &of_rule),
                )),
                (AnnotationKind::Ok, false) => Some(failure(
                    target,
                    "no finding on this line".into(),
                    describe(&here),
                )),
                _ => None,
            }
        }
        AnnotationKind::ExpectFile if of_rule.is_empty() => Some(failure(
            a.line,
            "a finding in this file".into(),
            none_here(report, rule, &of_rule),
        )),
        AnnotationKind::OkFile if !of_rule.is_empty() => Some(failure(
            a.line,
            "no finding in this file".into(),
            describe(&of_rule),
        )),
        AnnotationKind::ExpectFile | AnnotationKind::OkFile => None,
    }
}

/// Whether a finding's span starts on `line` or runs over it. A span that ends at
/// the very start of a line does not reach into it.
fn covers_line(d: &Diagnostic, line: usize) -> bool {
    let start = d.span.location.start;
    let end = d.span.location.end;
    let last = if end.line > start.line && end.column == 1 {
        end.line - 1
    } else {
        end.line
    };
    start.line <= line && line <= last
}

fn describe(findings: &[&Diagnostic]) -> String {
    findings
        .iter()
        .map(|d| {
            let at = d.span.location.start;
            format!("{}:{} \"{}\"", at.line, at.column, d.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What there was instead of the expected finding: findings elsewhere, or the
/// rule's outcome.
fn none_here(report: &FileReport, rule: &str, of_rule: &[&Diagnostic]) -> String {
    if !of_rule.is_empty() {
        let lines: Vec<String> = of_rule
            .iter()
            .map(|d| d.span.location.start.line.to_string())
            .collect();
        let s = if lines.len() == 1 { "" } else { "s" };
        return format!(
            "none here; the rule reports on line{s} {}",
            lines.join(", ")
        );
    }
    let status = report.rules.iter().find(|o| o.rule == rule).map(|o| {
        let status = match o.status {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NotApplicable => "not-applicable",
            Status::Suppressed => "suppressed",
        };
        match &o.note {
            Some(note) => format!("{status}, {note}"),
            None => status.to_string(),
        }
    });
    match status {
        Some(status) => format!("no finding (outcome: {status})"),
        None => "no finding".into(),
    }
}

fn not_loaded(rule: &str) -> String {
    let pack = rule.split_once('/').map_or("", |(pack, _)| pack);
    if crate::rules::builtin_packs().iter().any(|p| p == pack) {
        format!("no such rule loaded (the built-in pack `{pack}` loads with --pack {pack})")
    } else {
        "no such rule loaded".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_name_rules_and_the_line_they_are_about() {
        let src = "# T\n\n<!-- expect: acme/a, acme/b -- why -->\n<!-- ok: acme/c -->\n\nText here.\n<!-- expect-file: acme/d -->\n<!-- ok: acme/e -->\n";
        let found = scan(src, Format::Markdown);
        assert_eq!(found.len(), 4);
        assert_eq!(found[0].kind, AnnotationKind::Expect);
        assert_eq!(found[0].rules, vec!["acme/a", "acme/b"]);
        assert_eq!((found[0].line, found[0].target), (3, Some(6)));
        assert_eq!(
            (found[1].kind, found[1].target),
            (AnnotationKind::Ok, Some(6))
        );
        assert_eq!(
            (found[2].kind, found[2].target),
            (AnnotationKind::ExpectFile, None)
        );
        assert_eq!((found[3].line, found[3].target), (8, None));
    }

    #[test]
    fn lines_of_their_own_in_text() {
        let src = "Intro.\r\nexpect: acme/a\r\nWe say ok: acme/b in a sentence.\nok-file: acme/c -- fine\n";
        let found = scan(src, Format::Text);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].line, found[0].target), (2, Some(3)));
        assert_eq!(found[1].kind, AnnotationKind::OkFile);
        assert_eq!(found[1].rules, vec!["acme/c"]);
        assert_eq!(
            &src[found[0].span.start..found[0].span.end],
            "expect: acme/a"
        );
        assert!(scan("<!-- expect: acme/a -->", Format::Docx).is_empty());
    }
}
