//! The end of the human report: what matters most first (how many policies miss a
//! required statement, and which statements are missing most often), then the
//! counts by severity, then the files that could not be linted, and where to read
//! more about a rule.

use std::io::{self, Write};

use crate::diagnostic::{FileReport, Severity, Status};
use crate::report::{Style, Summary};
use crate::rules::Catalog;

use super::{plural, summary_line};

/// Rows of the table of missing statements shown at most.
const MOST_OFTEN: usize = 5;

/// How the summary names a severity to someone who is not an engineer.
fn weight(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "required",
        Severity::Warning => "recommended",
        Severity::Info => "suggested",
    }
}

/// A statement that policies leave out: the rule that asks for it, in how many
/// policies it is missing, and its highest severity.
struct Missing<'a> {
    rule: &'a str,
    policies: usize,
    severity: Severity,
}

/// The statements missing from the linted policies, the weightiest first, then the
/// most often missing; rules in the order the catalog has them otherwise.
fn missing_statements<'a>(linted: &[&'a FileReport], rules: &Catalog) -> Vec<Missing<'a>> {
    let mut missing: Vec<Missing> = Vec::new();
    for report in linted {
        let mut seen: Vec<&str> = Vec::new();
        for d in report.diagnostics.iter().filter(|d| d.missing_statement) {
            let found = missing.iter_mut().find(|m| m.rule == d.rule);
            match found {
                Some(m) => {
                    m.severity = m.severity.max(d.severity);
                    if !seen.contains(&d.rule.as_str()) {
                        m.policies += 1;
                    }
                }
                None => missing.push(Missing {
                    rule: &d.rule,
                    policies: 1,
                    severity: d.severity,
                }),
            }
            seen.push(&d.rule);
        }
    }
    let order = |rule: &str| {
        rules
            .rules
            .iter()
            .position(|r| r.id == rule)
            .unwrap_or(usize::MAX)
    };
    missing.sort_by(|a, b| {
        (b.severity, b.policies)
            .cmp(&(a.severity, a.policies))
            .then_with(|| order(a.rule).cmp(&order(b.rule)))
            .then_with(|| a.rule.cmp(b.rule))
    });
    missing
}

/// How many of the policies miss a statement of this severity.
fn policies_missing(linted: &[&FileReport], severity: Severity) -> usize {
    linted
        .iter()
        .filter(|r| {
            r.diagnostics
                .iter()
                .any(|d| d.missing_statement && d.severity == severity)
        })
        .count()
}

/// "4 of 5 policies miss a required statement; 5 of 5 miss a recommended one."
fn headline(linted: &[&FileReport]) -> String {
    let required = policies_missing(linted, Severity::Error);
    let recommended = policies_missing(linted, Severity::Warning);
    let total = linted.len();
    if total == 1 {
        let count = |severity| {
            linted[0]
                .diagnostics
                .iter()
                .filter(|d| d.missing_statement && d.severity == severity)
                .count()
        };
        let applied = linted[0]
            .rules
            .iter()
            .any(|o| o.status != Status::NotApplicable);
        return match (count(Severity::Error), count(Severity::Warning)) {
            (0, 0) if !applied => "No rule applied to the policy.".into(),
            (0, 0) => "The policy has every required and recommended statement.".into(),
            (0, w) => format!(
                "The policy has every required statement, but misses {}.",
                plural(w, "recommended one", "recommended ones")
            ),
            (e, 0) => format!(
                "The policy misses {}.",
                plural(e, "required statement", "required statements")
            ),
            (e, w) => format!(
                "The policy misses {} and {}.",
                plural(e, "required statement", "required statements"),
                plural(w, "recommended one", "recommended ones")
            ),
        };
    }
    let mut line = match required {
        0 => format!("None of the {total} policies misses a required statement"),
        n => format!("{n} of {total} policies miss a required statement"),
    };
    match recommended {
        0 => line.push_str(", and none misses a recommended one."),
        n => line.push_str(&format!("; {n} of {total} miss a recommended one.")),
    }
    line
}

/// "Text to fix: 4 findings in 2 of 5 policies (core/placeholder, core/outdated)":
/// the findings that point at text that is wrong rather than at a missing
/// statement, the weightiest rules first.
fn text_to_fix(linted: &[&FileReport], rules: &Catalog) -> Option<String> {
    let mut findings = 0;
    let mut policies = 0;
    let mut found_by: Vec<(Severity, &str)> = Vec::new();
    for report in linted {
        let mut any = false;
        // Notes about the file itself (its language, its encoding) are no rule's.
        let of_rules = report
            .diagnostics
            .iter()
            .filter(|d| rules.get(&d.rule).is_some());
        for d in of_rules.filter(|d| !d.missing_statement) {
            findings += 1;
            any = true;
            match found_by.iter_mut().find(|(_, rule)| *rule == d.rule) {
                Some((severity, _)) => *severity = (*severity).max(d.severity),
                None => found_by.push((d.severity, &d.rule)),
            }
        }
        policies += usize::from(any);
    }
    if findings == 0 {
        return None;
    }
    // Stable: rules of the same weight stay in the order they were first found.
    found_by.sort_by_key(|&(severity, _)| std::cmp::Reverse(severity));
    let names: Vec<&str> = found_by.iter().map(|(_, rule)| *rule).collect();
    let count = plural(findings, "finding", "findings");
    Some(if linted.len() == 1 {
        format!("Text to fix: {count} ({})", names.join(", "))
    } else {
        format!(
            "Text to fix: {count} in {policies} of {} policies ({})",
            linted.len(),
            names.join(", ")
        )
    })
}

pub(super) fn write(
    reports: &[FileReport],
    rules: &Catalog,
    summary: &Summary,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let linted: Vec<&FileReport> = reports.iter().filter(|r| r.error.is_none()).collect();
    let missing = missing_statements(&linted, rules);
    if !linted.is_empty() {
        writeln!(out, "{}", headline(&linted))?;
    }
    if !missing.is_empty() {
        writeln!(
            out,
            "{}",
            if linted.len() == 1 {
                "Missing:"
            } else {
                "Missing most often, required ones first:"
            }
        )?;
        let width = missing
            .iter()
            .take(MOST_OFTEN)
            .map(|m| m.rule.chars().count())
            .max()
            .unwrap_or(0);
        for m in missing.iter().take(MOST_OFTEN) {
            let title = rules.get(m.rule).map_or("", |r| r.title.as_str());
            let share = if linted.len() == 1 {
                String::new()
            } else {
                format!("{:>2} of {}  ", m.policies, linted.len())
            };
            writeln!(
                out,
                "  {share}{:<11}  {:<width$}  {title}",
                weight(m.severity),
                m.rule
            )?;
        }
        let more = missing.len().saturating_sub(MOST_OFTEN);
        if more > 0 {
            let statements = if more == 1 { "statement" } else { "statements" };
            writeln!(out, "  and {more} more {statements}, in the findings above")?;
        }
    }
    if let Some(line) = text_to_fix(&linted, rules) {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{}", summary_line(summary))?;
    for report in reports {
        if let Some(error) = &report.error {
            writeln!(out, "Not linted: {}: {error}", report.path)?;
        }
    }
    // A rule to name in the pointer to `explain`: the first in the table, else the
    // first found (notes about a file itself are no rule's).
    let found = reports.iter().flat_map(|r| &r.diagnostics);
    let example = missing.first().map(|m| m.rule).or_else(|| {
        found
            .map(|d| d.rule.as_str())
            .find(|rule| rules.get(rule).is_some())
    });
    if let Some(example) = example {
        let custom = rules
            .get(example)
            .is_some_and(|r| !crate::rules::builtin_packs().contains(&r.pack));
        let rules_option = if custom { " --rules FOLDER" } else { "" };
        let verbose = if style.verbose {
            ""
        } else {
            ", or lint again with --verbose"
        };
        writeln!(
            out,
            "What a rule asks for, why, and the law behind it: policylint explain {example}{rules_option} (or any rule above){verbose}."
        )?;
    }
    Ok(())
}
