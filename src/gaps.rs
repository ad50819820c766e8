//! One finding per gap. Rules of several packs may ask for the same statement (the
//! general `core/retention-period` and the GDPR's `gdpr/retention-period`); each
//! keeps its own outcome, but when they find the same gap in a file the reader sees
//! one finding: the superseding rule's, citing the references of every rule merged
//! into it and naming them.

use crate::diagnostic::{Diagnostic, Outcome};
use crate::rules::RuleSet;

/// Merges each finding of a superseded rule into the same gap's finding of a rule
/// that supersedes it (directly or through a chain), in one file's findings, and
/// records on the superseded rules' outcomes where their gap is reported.
pub fn merge_superseded(
    diagnostics: &mut Vec<Diagnostic>,
    outcomes: &mut [Outcome],
    rules: &RuleSet,
) {
    if rules.superseded.is_empty() {
        return;
    }
    // Each round merges one finding into another; a file has few findings.
    while let Some((from, into)) = next_merge(diagnostics, rules) {
        let merged = diagnostics.remove(from);
        let into = if from < into { into - 1 } else { into };
        let target = &mut diagnostics[into];
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
    for d in diagnostics.iter() {
        for id in &d.merged {
            if let Some(outcome) = outcomes.iter_mut().find(|o| o.rule == *id) {
                outcome.merged_into = Some(d.rule.clone());
            }
        }
    }
}

/// A finding (its index) that another finding (its index) also reports.
fn next_merge(diagnostics: &[Diagnostic], rules: &RuleSet) -> Option<(usize, usize)> {
    diagnostics.iter().enumerate().find_map(|(from, a)| {
        diagnostics.iter().enumerate().find_map(|(into, b)| {
            (from != into && same_gap(a, b) && rules.supersedes(&b.rule, &a.rule))
                .then_some((from, into))
        })
    })
}

/// Two findings are one gap when both say a statement is missing, or both point at
/// the same text.
fn same_gap(a: &Diagnostic, b: &Diagnostic) -> bool {
    (a.missing_statement && b.missing_statement) || a.span.bytes == b.span.bytes
}
