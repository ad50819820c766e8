//! The compliance report in Markdown: a compact table for a pull-request comment or
//! a GitHub job summary (per law, how many requirements each policy gives, misses,
//! or need not give), then each policy's missing requirements with file:line.

use std::io::{self, Write};

use super::matrix::{Mark, Matrix, Score};

pub fn write(matrix: &Matrix, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Privacy policy compliance report")?;
    writeln!(out)?;
    let requirements: usize = matrix.laws.iter().map(|l| l.rules.len()).sum();
    let laws: Vec<&str> = matrix.laws.iter().map(|l| l.name.as_str()).collect();
    writeln!(
        out,
        "{} checked against {} of {}. Each cell: requirements given / missing / not applicable (and text to fix, when a rule on wording fails).",
        plural(matrix.reports.len(), "policy", "policies"),
        plural(requirements, "requirement", "requirements"),
        laws.join(", ")
    )?;
    writeln!(out)?;

    write!(out, "| Policy |")?;
    for law in &matrix.laws {
        write!(out, " {} |", cell_text(&law.name))?;
    }
    writeln!(out)?;
    write!(out, "|---|")?;
    for _ in &matrix.laws {
        write!(out, "---|")?;
    }
    writeln!(out)?;
    for (policy, report) in matrix.reports.iter().enumerate() {
        write!(out, "| `{}` |", cell_text(&report.path))?;
        if report.error.is_some() {
            for _ in &matrix.laws {
                write!(out, " not linted |")?;
            }
            writeln!(out)?;
            continue;
        }
        for law in &matrix.laws {
            write!(out, " {} |", score_cell(matrix.score(policy, law)))?;
        }
        writeln!(out)?;
    }

    let unreadable: Vec<_> = matrix
        .reports
        .iter()
        .filter_map(|r| r.error.as_ref().map(|e| (&r.path, e)))
        .collect();
    if !unreadable.is_empty() {
        writeln!(out)?;
        writeln!(out, "### Not linted")?;
        writeln!(out)?;
        for (path, error) in unreadable {
            writeln!(out, "- `{}`: {}", inline_text(path), inline_text(error))?;
        }
    }

    let with_gaps: Vec<usize> = (0..matrix.reports.len())
        .filter(|&p| !matrix.gaps(p).is_empty())
        .collect();
    if !with_gaps.is_empty() {
        writeln!(out)?;
        writeln!(out, "### Missing requirements and text to fix")?;
        for policy in with_gaps {
            let report = &matrix.reports[policy];
            let gaps = matrix.gaps(policy);
            // Folded, so that a comment on many policies stays short.
            writeln!(out)?;
            let to_fix = gaps.iter().filter(|g| g.mark == Mark::ToFix).count();
            let missing = gaps.len() - to_fix;
            let counts = match (missing, to_fix) {
                (m, 0) => format!("{m} missing"),
                (0, t) => format!("{t} to fix"),
                (m, t) => format!("{m} missing, {t} to fix"),
            };
            writeln!(
                out,
                "<details><summary><code>{}</code>: {counts}</summary>",
                html_text(&report.path),
            )?;
            writeln!(out)?;
            for gap in gaps {
                let place = match gap.position {
                    Some(at) => format!("`{}:{}`", inline_text(&report.path), at.line),
                    None => format!("`{}`", inline_text(&report.path)),
                };
                let merged = gap
                    .merged_into
                    .map(|rule| format!(" (reported with `{rule}`)"))
                    .unwrap_or_default();
                let kind = if gap.mark == Mark::ToFix {
                    " (text to fix)"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "- {}: {} (`{}`){kind}{merged}, {place}",
                    gap.law.name,
                    inline_text(&gap.rule.title),
                    gap.rule.id
                )?;
            }
            writeln!(out)?;
            writeln!(out, "</details>")?;
        }
    }
    write_services(matrix, out)?;
    writeln!(out)?;
    writeln!(
        out,
        "_policylint checks what a policy says, not what a service does: a full score is not legal advice._"
    )
}

/// Per policy compared with its site: the services loaded, and those not named.
fn write_services(matrix: &Matrix, out: &mut dyn Write) -> io::Result<()> {
    let compared: Vec<_> = matrix
        .reports
        .iter()
        .filter(|r| !r.services.is_empty())
        .collect();
    if compared.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "### Third-party services the site loads")?;
    writeln!(out)?;
    for report in compared {
        let named = report.services.iter().filter(|s| s.named).count();
        let unnamed: Vec<String> = report
            .services
            .iter()
            .filter(|s| !s.named)
            .map(|s| format!("{} ({})", inline_text(&s.name), s.kind))
            .collect();
        let rest = if unnamed.is_empty() {
            String::new()
        } else {
            format!("; not named: {}", unnamed.join(", "))
        };
        writeln!(
            out,
            "- `{}`: {} loaded, {named} named{rest}",
            inline_text(&report.path),
            plural(report.services.len(), "service", "services"),
        )?;
    }
    Ok(())
}

fn score_cell(score: Score) -> String {
    let mut cell = format!(
        "{} / {} / {}",
        score.given, score.missing, score.not_applicable
    );
    if score.to_fix > 0 {
        cell.push_str(&format!(" ({} to fix)", score.to_fix));
    }
    if score.suppressed > 0 {
        cell.push_str(&format!(" ({} suppressed)", score.suppressed));
    }
    if score.not_run > 0 {
        cell.push_str(&format!(" ({} not run)", score.not_run));
    }
    cell
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Text inside a table cell: a `|` would end the cell, a line break the row.
fn cell_text(text: &str) -> String {
    inline_text(text).replace('|', "\\|")
}

/// Text on one line, with backquotes that would break a code span turned to quotes.
fn inline_text(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('`', "'")
}

/// Text inside an HTML element of the Markdown (the folded list's summary).
fn html_text(text: &str) -> String {
    inline_text(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
