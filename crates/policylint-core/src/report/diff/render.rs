//! Writing a comparison: plain words for policy authors, a table for a pull request
//! comment, or the JSON shape documented in docs/diff.md.

use std::io::{self, Write};

use serde::Serialize;

use super::{
    Change, DIFF_JSON_VERSION, DiffFormat, DiffReport, DiffSummary, FileChange, FileDiff,
    FindingChange, RequirementChange,
};
use crate::diagnostic::Severity;

/// Quotations longer than this many characters are cut (a whole section can be the
/// text that meets a requirement).
const QUOTE_CHARS: usize = 160;

/// Writes the comparison in `format`.
pub(super) fn write(
    format: DiffFormat,
    report: &DiffReport,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        DiffFormat::Human => human(report, out),
        DiffFormat::Markdown => markdown(report, out),
        DiffFormat::Json => json(report, out),
    }
}

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    fail_on: Severity,
    files: &'a [FileDiff],
    summary: DiffSummary,
}

fn json(report: &DiffReport, out: &mut dyn Write) -> io::Result<()> {
    let output = Output {
        version: DIFF_JSON_VERSION,
        fail_on: report.fail_on,
        files: &report.files,
        summary: report.summary(),
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

/// The text quoted, cut to a readable length, on one line.
fn quote(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(QUOTE_CHARS) {
        Some((cut, _)) => format!("\u{201c}{}\u{2026}\u{201d}", &one_line[..cut]),
        None => format!("\u{201c}{one_line}\u{201d}"),
    }
}

/// "1 requirement" or "3 requirements".
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What the file's comparison is between, in plain words.
fn title(file: &FileDiff) -> String {
    match (&file.old, &file.new, file.change) {
        (_, Some(new), FileChange::Added) => format!("{}: a new file", new.describe()),
        (Some(old), _, FileChange::Deleted) => format!("{}: deleted", old.describe()),
        (Some(old), Some(new), _) => {
            format!("{}, compared with {}", new.describe(), old.describe())
        }
        _ => file.shown().describe(),
    }
}

/// Where to look for a requirement in the new revision, as `path:line`.
fn place(file: &FileDiff, requirement: &RequirementChange) -> Option<String> {
    let new = file.new.as_ref()?;
    let at = requirement.at?;
    Some(format!("{}:{}", new.path, at.line))
}

/// Where a finding is: new findings in the new revision, gone ones in the old
/// (`policy.md:5 at HEAD~1`).
fn finding_place(file: &FileDiff, finding: &FindingChange, new: bool) -> String {
    let side = if new { &file.new } else { &file.old };
    match side {
        Some(side) => {
            let at = side
                .revision
                .as_ref()
                .map_or(String::new(), |r| format!(" at {r}"));
            format!("{}:{}{at}", side.path, finding.line)
        }
        None => format!("line {}", finding.line),
    }
}

/// The one-line summary of the whole comparison.
fn summary_line(summary: &DiffSummary) -> String {
    let mut parts = Vec::new();
    for kind in Change::ALL {
        let n = summary.count(kind);
        if n > 0 {
            parts.push(format!("{n} {}", kind.label()));
        }
    }
    if parts.is_empty() {
        parts.push("none changed".to_string());
    }
    parts.push(format!("{} unchanged", summary.unchanged));
    format!("Requirements: {}", parts.join(", "))
}

fn regressions_line(report: &DiffReport, summary: &DiffSummary) -> String {
    let level = report.fail_on.as_str();
    match summary.regressions {
        0 => format!(
            "No regression (no requirement now missing and no new finding of severity {level} or above)."
        ),
        n => format!(
            "{} (a requirement now missing or a new finding, of severity {level} or above).",
            plural(n, "regression", "regressions")
        ),
    }
}

fn human(report: &DiffReport, out: &mut dyn Write) -> io::Result<()> {
    let summary = report.summary();
    if report.files.is_empty() {
        writeln!(out, "No policy file changed.")?;
        return Ok(());
    }
    for file in &report.files {
        writeln!(out, "{}", title(file))?;
        if let Some(error) = &file.error {
            writeln!(out, "  Could not compare: {error}")?;
            writeln!(out)?;
            continue;
        }
        for kind in Change::ALL {
            let changes: Vec<&RequirementChange> = file.changes(kind).collect();
            if changes.is_empty() {
                continue;
            }
            writeln!(out)?;
            writeln!(out, "  {} ({})", kind.heading(), changes.len())?;
            for requirement in changes {
                writeln!(
                    out,
                    "    {} ({}, {})",
                    requirement.title,
                    requirement.rule,
                    requirement.severity.as_str()
                )?;
                match place(file, requirement) {
                    Some(place) => writeln!(out, "      at {place}")?,
                    None if file.change == FileChange::Deleted => {
                        writeln!(out, "      the file was deleted")?
                    }
                    None => {}
                }
                if let Some(old) = &requirement.old_evidence {
                    writeln!(out, "      before: {}", quote(&old.text))?;
                }
                if let Some(new) = &requirement.new_evidence {
                    writeln!(out, "      now:    {}", quote(&new.text))?;
                }
                if let Some(note) = &requirement.note
                    && matches!(kind, Change::NowNotApplicable | Change::NowApplicable)
                {
                    writeln!(out, "      {note}")?;
                }
            }
        }
        let groups = [
            ("Other new findings", &file.new_findings, true),
            (
                "Other findings no longer reported",
                &file.gone_findings,
                false,
            ),
        ];
        for (heading, findings, new) in groups {
            let shown: Vec<&FindingChange> = findings.iter().filter(|f| !f.explained).collect();
            if shown.is_empty() {
                continue;
            }
            writeln!(out)?;
            writeln!(out, "  {heading} ({})", shown.len())?;
            for finding in shown {
                writeln!(
                    out,
                    "    {} ({}, {})",
                    finding.title,
                    finding.rule,
                    finding.severity.as_str()
                )?;
                writeln!(
                    out,
                    "      at {}: {}",
                    finding_place(file, finding, new),
                    finding.message
                )?;
            }
        }
        writeln!(out)?;
        writeln!(
            out,
            "  {} unchanged.",
            plural(file.unchanged, "requirement", "requirements")
        )?;
        writeln!(out)?;
    }
    writeln!(out, "{}.", summary_line(&summary))?;
    if summary.unreadable > 0 {
        writeln!(
            out,
            "{} could not be compared.",
            plural(summary.unreadable, "file", "files")
        )?;
    }
    writeln!(out, "{}", regressions_line(report, &summary))
}

/// Text safe in a Markdown table cell: no line breaks, pipes or HTML tags.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
}

fn markdown(report: &DiffReport, out: &mut dyn Write) -> io::Result<()> {
    let summary = report.summary();
    writeln!(out, "### Policy review")?;
    writeln!(out)?;
    writeln!(out, "{}.", summary_line(&summary))?;
    writeln!(out)?;
    if report.files.is_empty() {
        writeln!(out, "No policy file changed.")?;
        return Ok(());
    }
    for file in &report.files {
        writeln!(out, "**{}**", cell(&title(file)))?;
        writeln!(out)?;
        if let Some(error) = &file.error {
            writeln!(out, "Could not compare: {}", cell(error))?;
            writeln!(out)?;
            continue;
        }
        let findings: Vec<(&FindingChange, bool)> = file
            .new_findings
            .iter()
            .map(|f| (f, true))
            .chain(file.gone_findings.iter().map(|f| (f, false)))
            .filter(|(f, _)| !f.explained)
            .collect();
        if !file.requirements.is_empty() || !findings.is_empty() {
            writeln!(out, "| Change | Requirement | Where | Text |")?;
            writeln!(out, "|---|---|---|---|")?;
        }
        for kind in Change::ALL {
            for requirement in file.changes(kind) {
                let mut text = Vec::new();
                if let Some(old) = &requirement.old_evidence {
                    text.push(format!("before: {}", cell(&quote(&old.text))));
                }
                if let Some(new) = &requirement.new_evidence {
                    text.push(format!("now: {}", cell(&quote(&new.text))));
                }
                writeln!(
                    out,
                    "| {} | {} (`{}`, {}) | {} | {} |",
                    kind.heading(),
                    cell(&requirement.title),
                    requirement.rule,
                    requirement.severity.as_str(),
                    place(file, requirement).map_or(String::new(), |p| format!("`{p}`")),
                    text.join("<br>")
                )?;
            }
        }
        for (finding, new) in findings {
            writeln!(
                out,
                "| {} | {} (`{}`, {}) | `{}` | {} |",
                if new { "New finding" } else { "Finding gone" },
                cell(&finding.title),
                finding.rule,
                finding.severity.as_str(),
                finding_place(file, finding, new),
                cell(&finding.message),
            )?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "{} unchanged.",
            plural(file.unchanged, "requirement", "requirements")
        )?;
        writeln!(out)?;
    }
    writeln!(out, "{}", regressions_line(report, &summary))
}
