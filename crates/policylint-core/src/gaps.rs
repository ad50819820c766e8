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
    let findings = merged(findings, &rules.superseded);
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

/// The findings left once each is merged into the finding that reports its gap, in
/// their order; `superseded` as [`RuleSet::superseded`].
fn merged(
    findings: Vec<(usize, Diagnostic)>,
    superseded: &[(String, String)],
) -> Vec<(usize, Diagnostic)> {
    let order = merge_order(&findings, superseded);
    let mut findings: Vec<Option<(usize, Diagnostic)>> = findings.into_iter().map(Some).collect();
    for (from, into) in order {
        let Some((_, merged)) = findings[from].take() else {
            continue;
        };
        let Some((_, target)) = findings[into].as_mut() else {
            continue;
        };
        merge_into(target, merged);
    }
    findings.into_iter().flatten().collect()
}

/// Makes `target` report `merged`'s gap too: the higher severity, and the rules and
/// references of both.
fn merge_into(target: &mut Diagnostic, merged: Diagnostic) {
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

/// The merges, in order: each finding (its index) that another finding (its index)
/// also reports. At each step the first finding that can merge does, into the first
/// finding that reports it and that no finding of the same gap supersedes, so chains
/// end at the most specific rule. A merge changes no finding's rule or gap, so which
/// finding reports which is worked out once, and a merge only takes its finding out.
fn merge_order(
    findings: &[(usize, Diagnostic)],
    superseded: &[(String, String)],
) -> Vec<(usize, usize)> {
    let n = findings.len();
    // The findings of each rule, in order.
    let mut of_rule: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, (_, d)) in findings.iter().enumerate() {
        of_rule.entry(d.rule.as_str()).or_default().push(i);
    }
    // `reported_by[i]`: the findings that report finding `i` (ascending);
    // `reports[j]`: the findings that finding `j` reports.
    let mut reported_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut reports: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, a) in findings.iter().enumerate() {
        let first = superseded.partition_point(|(old, _)| old.as_str() < a.1.rule.as_str());
        for (old, new) in &superseded[first..] {
            if *old != a.1.rule {
                break;
            }
            for &j in of_rule.get(new.as_str()).into_iter().flatten() {
                if j != i && same_gap(a, &findings[j]) {
                    reported_by[i].push(j);
                    reports[j].push(i);
                }
            }
        }
        reported_by[i].sort_unstable();
    }
    // How many findings still in the list report each one.
    let mut above: Vec<usize> = reported_by.iter().map(Vec::len).collect();
    let mut alive = vec![true; n];
    let mut order = Vec::new();
    loop {
        let next = (0..n).filter(|&from| alive[from]).find_map(|from| {
            reported_by[from]
                .iter()
                .find(|&&into| alive[into] && above[into] == 0)
                .map(|&into| (from, into))
        });
        let Some((from, into)) = next else {
            return order;
        };
        order.push((from, into));
        alive[from] = false;
        for &i in &reports[from] {
            above[i] -= 1;
        }
    }
}

/// Two findings are one gap when both say a statement is missing (wherever in a
/// notice they are anchored), or both point at the same text of the same file (a
/// vague sentence that one rule reports and the other anchors its gap at).
fn same_gap((a_file, a): &(usize, Diagnostic), (b_file, b): &(usize, Diagnostic)) -> bool {
    (a.missing_statement && b.missing_statement)
        || (a_file == b_file && a.span.bytes == b.span.bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Reference, References, Severity, Span};
    use crate::span::{Location, Position, SourceSpan};

    /// The merges as first written: at each step the whole list is searched again
    /// for the first finding that can merge.
    fn merged_one_at_a_time(
        mut findings: Vec<(usize, Diagnostic)>,
        superseded: &[(String, String)],
    ) -> Vec<(usize, Diagnostic)> {
        let supersedes = |a: &str, b: &str| {
            superseded
                .binary_search_by(|(old, new)| (old.as_str(), new.as_str()).cmp(&(b, a)))
                .is_ok()
        };
        let reports = |i: usize, a: &(usize, Diagnostic), j: usize, b: &(usize, Diagnostic)| {
            i != j && same_gap(a, b) && supersedes(&b.1.rule, &a.1.rule)
        };
        loop {
            let next = findings.iter().enumerate().find_map(|(i, a)| {
                findings
                    .iter()
                    .enumerate()
                    .filter(|&(j, b)| reports(i, a, j, b))
                    .find(|&(j, b)| {
                        !findings
                            .iter()
                            .enumerate()
                            .any(|(k, c)| reports(j, b, k, c))
                    })
                    .map(|(j, _)| (i, j))
            });
            let Some((from, into)) = next else {
                return findings;
            };
            let (_, merged) = findings.remove(from);
            let into = if from < into { into - 1 } else { into };
            merge_into(&mut findings[into].1, merged);
        }
    }

    fn finding(
        member: usize,
        rule: String,
        at: usize,
        missing: bool,
        severity: Severity,
    ) -> (usize, Diagnostic) {
        let position = Position {
            offset: at,
            line: 1,
            column: at + 1,
        };
        let diagnostic = Diagnostic {
            references: References(vec![Reference {
                text: format!("reference of {rule}"),
                kind: None,
                url: None,
            }]),
            rule,
            severity,
            message: String::new(),
            help: None,
            span: Span {
                bytes: SourceSpan::new(at, at + 1),
                location: Location {
                    start: position,
                    end: position,
                },
            },
            labels: Vec::new(),
            fingerprint: String::new(),
            merged: Vec::new(),
            missing_statement: missing,
        };
        (member, diagnostic)
    }

    #[test]
    fn merges_as_the_search_from_the_start_after_every_merge_did() {
        let mut next = crate::testing::random_below(0x51_7cc1_b727_220a_u64);
        let severities = [Severity::Info, Severity::Warning, Severity::Error];
        let mut merges = 0;
        for _ in 0..20000 {
            // Rules r0..r5; a rule may supersede rules named before it, and through
            // chains, as the loaded rule set lists them.
            let rules = 2 + next(5);
            let direct: Vec<Vec<bool>> = (0..rules)
                .map(|new| (0..rules).map(|old| old < new && next(3) == 0).collect())
                .collect();
            let mut superseded = Vec::new();
            for (new, row) in direct.iter().enumerate() {
                let mut reach = row.clone();
                for old in (0..new).rev() {
                    if reach[old] {
                        for (r, &d) in reach.iter_mut().zip(&direct[old]) {
                            *r |= d;
                        }
                    }
                }
                for (old, &r) in reach.iter().enumerate() {
                    if r {
                        superseded.push((format!("r{old}"), format!("r{new}")));
                    }
                }
            }
            superseded.sort();
            let findings: Vec<(usize, Diagnostic)> = (0..1 + next(12))
                .map(|_| {
                    finding(
                        next(2),
                        format!("r{}", next(rules)),
                        next(3),
                        next(2) == 0,
                        severities[next(3)],
                    )
                })
                .collect();
            let expected = merged_one_at_a_time(findings.clone(), &superseded);
            let got = merged(findings.clone(), &superseded);
            assert_eq!(
                got, expected,
                "findings {findings:?}, superseded {superseded:?}"
            );
            merges += findings.len() - got.len();
        }
        // The cases merge often enough to mean something.
        assert!(merges > 1000, "{merges} merges");
    }
}
