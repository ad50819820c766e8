//! `--format human`: each finding rendered by miette with its source line and
//! underline, help and references; then a summary line.

use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Report};

use super::excerpt::Excerpt;

use super::{Style, Summary};
use crate::diagnostic::{Diagnostic, FileReport, Severity, Status};
use crate::rules::Catalog;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(super) fn summary_line(summary: &Summary) -> String {
    let f = &summary.findings;
    let mut line = format!(
        "{} linted: {}, {}, {}",
        plural(summary.files - summary.unreadable, "file", "files"),
        plural(f.error, "error", "errors"),
        plural(f.warning, "warning", "warnings"),
        plural(f.info, "info", "info"),
    );
    if summary.baselined > 0 {
        line.push_str(&format!(
            "; {} in the baseline not shown",
            plural(summary.baselined, "finding", "findings")
        ));
    }
    if summary.unreadable > 0 {
        line.push_str(&format!(
            "; {} could not be linted",
            plural(summary.unreadable, "file", "files")
        ));
    }
    line
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// The finding as miette renders it, with spans into `excerpt`. Labels outside the
/// excerpt become notes under the help.
fn to_miette(d: &Diagnostic, excerpt: &Excerpt) -> MietteDiagnostic {
    let span = |s: &crate::diagnostic::Span| excerpt.span(s.bytes.start, s.bytes.end);
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    let primary_label = d
        .labels
        .iter()
        .find(|l| l.span == d.span)
        .map(|l| l.message.clone());
    if let Some(at) = span(&d.span) {
        labels.push(LabeledSpan::new_primary_with_span(
            primary_label.or(Some("here".into())),
            at,
        ));
    }
    for label in d.labels.iter().filter(|l| l.span != d.span) {
        match span(&label.span) {
            Some(at) => labels.push(LabeledSpan::new_with_span(Some(label.message.clone()), at)),
            None => notes.push(format!(
                "line {}: {}",
                label.span.location.start.line, label.message
            )),
        }
    }
    let mut help = d.help.clone().unwrap_or_default();
    for note in notes {
        if !help.is_empty() {
            help.push('\n');
        }
        help.push_str(&note);
    }
    if !d.references.is_empty() {
        if !help.is_empty() {
            help.push('\n');
        }
        help.push_str("references:");
        for reference in d.references.iter() {
            help.push_str("\n- ");
            help.push_str(&reference.to_line());
        }
    }
    let mut diagnostic = MietteDiagnostic::new(d.message.clone())
        .with_code(d.rule.clone())
        .with_severity(severity(d.severity))
        .with_labels(labels);
    if !help.is_empty() {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// "3 met, 1 missing, 0 not applicable": how the file fared against every rule.
fn tally(report: &FileReport) -> String {
    let count = |s: Status| report.rules.iter().filter(|o| o.status == s).count();
    let mut line = format!(
        "{}: {} met, {} missing, {} not applicable",
        report.path,
        count(Status::Pass),
        count(Status::Fail),
        count(Status::NotApplicable)
    );
    let suppressed = count(Status::Suppressed);
    if suppressed > 0 {
        line.push_str(&format!(", {suppressed} suppressed"));
    }
    line
}

const QUOTE_CHARS: usize = 160;

fn quote(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= QUOTE_CHARS {
        return format!("“{flat}”");
    }
    let cut: String = flat.chars().take(QUOTE_CHARS).collect();
    format!("“{}…”", cut.trim_end())
}

/// Every rule's outcome, with the quote that satisfied it or where it is missing.
fn checklist(report: &FileReport, rules: &Catalog, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}: checklist", report.path)?;
    for outcome in &report.rules {
        let title = rules.get(&outcome.rule).map_or("", |r| r.title.as_str());
        let status = match outcome.status {
            Status::Pass => "met",
            Status::Fail => "missing",
            Status::NotApplicable => "n/a",
            Status::Suppressed => "silenced",
        };
        writeln!(out, "  {status:<8} {:<30} {title}", outcome.rule)?;
        let indent = " ".repeat(11);
        if let Some(evidence) = &outcome.evidence {
            let line = evidence.span.location.start.line;
            writeln!(out, "{indent}{} (line {line})", quote(&evidence.text))?;
        }
        if let Some(note) = &outcome.note {
            writeln!(out, "{indent}{note}")?;
        }
        if outcome.status == Status::Fail {
            let lines: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.reports(&outcome.rule))
                .map(|d| d.span.location.start.line.to_string())
                .collect();
            writeln!(out, "{indent}see line {}", lines.join(", "))?;
        }
    }
    Ok(())
}

pub(super) fn write(
    reports: &[FileReport],
    rules: &Catalog,
    summary: &Summary,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    for report in reports {
        if let Some(error) = &report.error {
            writeln!(out, "error: {}: {error}\n", report.path)?;
            continue;
        }
        for d in &report.diagnostics {
            let excerpt = Excerpt::new(
                &report.path,
                &report.source,
                (d.span.bytes.start, d.span.bytes.end),
            );
            let rendered = Report::new(to_miette(d, &excerpt)).with_source_code(excerpt);
            let mut text = String::new();
            handler
                .render_report(&mut text, rendered.as_ref())
                .map_err(io::Error::other)?;
            writeln!(out, "{text}")?;
        }
        if style.checklist {
            checklist(report, rules, out)?;
        }
        writeln!(out, "{}\n", tally(report))?;
    }
    writeln!(out, "{}", summary_line(summary))
}
