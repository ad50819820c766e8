//! `--checklist`: every rule's outcome for a file, with the sentence that met it or
//! the lines where its findings are.

use std::io::{self, Write};

use crate::diagnostic::{FileReport, Status};
use crate::report::Style;
use crate::rules::Catalog;

/// Where a rule's quote and notes start, under its status.
const INDENT: usize = 11;
/// Characters of a quote shown at most: one line of the report, or two with
/// `--verbose`.
const QUOTE_CHARS: usize = 80;
const QUOTE_CHARS_VERBOSE: usize = 160;

fn quote(text: &str, most: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= most {
        return format!("“{flat}”");
    }
    let cut: String = flat.chars().take(most).collect();
    format!("“{}…”", cut.trim_end())
}

/// Every rule's outcome, with the quote that satisfied it or where it is missing.
pub(super) fn write(
    report: &FileReport,
    rules: &Catalog,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{}: checklist", report.path)?;
    let most = if style.verbose {
        QUOTE_CHARS_VERBOSE
    } else {
        QUOTE_CHARS
    };
    let indent = " ".repeat(INDENT);
    // Notes repeat (one fact settles many rules): after the first, a reference back.
    let mut noted: Vec<(&str, &str)> = Vec::new();
    for outcome in &report.rules {
        let title = rules.get(&outcome.rule).map_or("", |r| r.title.as_str());
        let status = match outcome.status {
            Status::Pass => "met",
            Status::Fail => "missing",
            Status::NotApplicable => "n/a",
            Status::Suppressed => "silenced",
        };
        writeln!(out, "  {status:<8} {:<30} {title}", outcome.rule)?;
        if let Some(evidence) = &outcome.evidence {
            let line = evidence.span.location.start.line;
            writeln!(out, "{indent}{} (line {line})", quote(&evidence.text, most))?;
        }
        if let Some(note) = &outcome.note {
            match noted.iter().find(|(text, _)| text == note) {
                Some((_, first)) if !style.verbose => {
                    let kind = note
                        .split_once(": ")
                        .map_or(note.as_str(), |(kind, _)| kind);
                    writeln!(out, "{indent}{kind}: as under {first} above")?;
                }
                _ => {
                    writeln!(out, "{indent}{note}")?;
                    noted.push((note, &outcome.rule));
                }
            }
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
    write_services(report, out)
}

/// The third-party services the site loads, each with whether the policy names it.
fn write_services(report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
    if report.services.is_empty() {
        return Ok(());
    }
    writeln!(out, "  services the site loads:")?;
    for service in &report.services {
        let status = if service.named { "named" } else { "unnamed" };
        let named = match &service.named_at {
            Some(at) => format!("named at line {}; ", at.span.location.start.line),
            None if service.named => "named in another file of the notice; ".to_string(),
            None => String::new(),
        };
        // Invariant: a service is listed because a page loads it.
        let first = &service.loaded_at[0];
        writeln!(
            out,
            "  {status:<8} {} ({}, {}): {named}loaded by {}, line {}",
            service.name, service.kind, service.company, first.path, first.span.location.start.line
        )?;
    }
    Ok(())
}
