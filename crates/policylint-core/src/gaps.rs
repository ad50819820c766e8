//! One finding per gap. Rules of several packs may ask for the same statement (the
//! general `core/retention-period` and the GDPR's `gdpr/retention-period`); each
//! keeps its own outcome, but when they find the same gap the reader sees one
//! finding: the superseding rule's, citing the references of every rule merged into
//! it and naming them.

use crate::diagnostic::{Diagnostic, FileReport};
use crate::rules::RuleSet;

/// Merges each finding of a superseded rule into the same gap's finding of a rule
/// that supersedes it, across the files of a notice, and records on the superseded
/// rules' outcomes where their gap is reported.
pub fn merge_superseded(reports: &mut [FileReport], rules: &RuleSet) {
    if rules.superseded.is_empty() {
        return;
    }
    // Only findings of rules that supersede or are superseded can merge; take them
    // out, with the file they belong to.
    let related = |d: &Diagnostic| {
        rules
            .superseded
            .iter()
            .any(|(old, new)| *old == d.rule || *new == d.rule)
    };
    let mut findings: Vec<(usize, Diagnostic)> = Vec::new();
    for (member, report) in reports.iter_mut().enumerate() {
        let (taken, kept) = std::mem::take(&mut report.diagnostics)
            .into_iter()
            .partition(related);
        report.diagnostics = kept;
        findings.extend(taken.into_iter().map(|d: Diagnostic| (member, d)));
    }
    while let Some((from, into)) = next_merge(&findings, rules) {
        let (_, merged) = findings.remove(from);
        let into = if from < into { into - 1 } else { into };
        let target = &mut findings[into].1;
        target.severity = target.severity.max(merged.severity);
        for id in std::iter::once(merged.rule).chain(merged.merged) {
            if !target.merged.contains(&id) {
                target.merged.push(id);
            }
        }
        for reference in merged.references.0 {
            if !target.references.0.contains(&reference) {
                target.references.0.push(reference);
            }
        }
    }
    for (_, d) in &findings {
        for report in reports.iter_mut() {
            for outcome in report
                .rules
                .iter_mut()
                .filter(|o| d.merged.contains(&o.rule))
            {
                outcome.merged_into = Some(d.rule.clone());
            }
        }
    }
    for (member, d) in findings {
        reports[member].diagnostics.push(d);
    }
}

/// A finding (its index) that another finding (its index) also reports. The target
/// is one that no other finding of the same gap supersedes, so chains end at the
/// most specific rule.
fn next_merge(findings: &[(usize, Diagnostic)], rules: &RuleSet) -> Option<(usize, usize)> {
    let reports = |(i, a): (usize, &(usize, Diagnostic)), (j, b): (usize, &(usize, Diagnostic))| {
        i != j && same_gap(a, b) && rules.supersedes(&b.1.rule, &a.1.rule)
    };
    findings.iter().enumerate().find_map(|from| {
        findings
            .iter()
            .enumerate()
            .filter(|&into| reports(from, into))
            .find(|&into| {
                !findings
                    .iter()
                    .enumerate()
                    .any(|above| reports(into, above))
            })
            .map(|(into, _)| (from.0, into))
    })
}

/// Two findings are one gap when both say a statement is missing (wherever in a
/// notice they are anchored), or both point at the same text of the same file (a
/// vague sentence that one rule reports and the other anchors its gap at).
fn same_gap((a_file, a): &(usize, Diagnostic), (b_file, b): &(usize, Diagnostic)) -> bool {
    (a.missing_statement && b.missing_statement)
        || (a_file == b_file && a.span.bytes == b.span.bytes)
}
