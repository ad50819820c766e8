//! `--format human`, for the people who write and review policies: each finding
//! rendered by miette with the line it is on and an underline, and a one-sentence
//! help; with `--verbose`, the whole help, what was assumed and the references.
//! Then each file's tally, and a summary that starts with what matters most.

mod checklist;
mod help_line;
mod summary;

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

/// The finding as miette renders it, with spans into `excerpt`: the message, the
/// label at the finding and the first sentence of the help. With `verbose`, also the
/// other labels (what made the rule apply, what was assumed; those outside the
/// excerpt as notes under the help), the whole help and the references.
fn to_miette(d: &Diagnostic, excerpt: &Excerpt, verbose: bool) -> MietteDiagnostic {
    let span = |s: &crate::diagnostic::Span| excerpt.span(s.bytes.start, s.bytes.end);
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    let primary_label = d
        .labels
        .iter()
        .find(|l| l.span == d.span && l.path.is_none())
        .map(|l| l.message.clone());
    if let Some(at) = span(&d.span) {
        labels.push(LabeledSpan::new_primary_with_span(
            primary_label.or(Some("here".into())),
            at,
        ));
    }
    let others = d.labels.iter().filter(|l| l.span != d.span);
    for label in others.filter(|_| verbose) {
        if let Some(path) = &label.path {
            notes.push(format!(
                "{path}, line {}: {}",
                label.span.location.start.line, label.message
            ));
            continue;
        }
        match span(&label.span) {
            Some(at) => labels.push(LabeledSpan::new_with_span(Some(label.message.clone()), at)),
            None => notes.push(format!(
                "line {}: {}",
                label.span.location.start.line, label.message
            )),
        }
    }
    let mut help = match &d.help {
        Some(help) if verbose => help.clone(),
        Some(help) => help_line::help_line(help),
        None => String::new(),
    };
    for note in notes {
        if !help.is_empty() {
            help.push('\n');
        }
        help.push_str(&note);
    }
    if verbose && !d.references.is_empty() {
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
                // Without --verbose, only the lines of the finding itself.
                usize::from(style.verbose),
            );
            let rendered =
                Report::new(to_miette(d, &excerpt, style.verbose)).with_source_code(excerpt);
            let mut text = String::new();
            handler
                .render_report(&mut text, rendered.as_ref())
                .map_err(io::Error::other)?;
            writeln!(out, "{text}")?;
        }
        if style.checklist {
            checklist::write(report, rules, style, out)?;
        }
        writeln!(out, "{}\n", tally(report))?;
    }
    summary::write(reports, rules, summary, style, out)
}
