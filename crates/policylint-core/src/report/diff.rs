//! Comparing two revisions of a policy for a review: which requirements the new
//! revision newly meets or no longer meets, which became (not) applicable, whose
//! supporting text changed, and which findings are new or gone. Both revisions are
//! linted with the same settings; this module only compares their reports.
//!
//! A finding is recognised across the two revisions by its fingerprint (see
//! [`crate::fingerprint`]), so a finding that merely moved is neither new nor gone.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Evidence, FileReport, Severity, Status};
use crate::fingerprint::normalise;
use crate::rules::Catalog;

mod render;

/// Bumped when a field of the JSON output is removed or changes meaning; new fields
/// may appear at any time (docs/diff.md).
pub const DIFF_JSON_VERSION: u32 = 1;

/// The output formats of a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum DiffFormat {
    /// Plain words for policy authors, grouped by kind of change.
    Human,
    /// A compact table for a pull request comment.
    Markdown,
    /// The documented JSON shape (docs/diff.md).
    Json,
}

/// One revision of a file: its path, and the git revision it was read at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Side {
    pub path: String,
    /// The git revision the text comes from; `None` for a file as it is on disk.
    pub revision: Option<String>,
}

impl Side {
    /// A file as it is on disk.
    pub fn file(path: impl Into<String>) -> Side {
        Side {
            path: path.into(),
            revision: None,
        }
    }

    /// A file as it was at a git revision.
    pub fn at_revision(path: impl Into<String>, revision: impl Into<String>) -> Side {
        Side {
            path: path.into(),
            revision: Some(revision.into()),
        }
    }

    /// How a reader names it: `policy.md`, or `policy.md at HEAD~1`.
    pub fn describe(&self) -> String {
        match &self.revision {
            Some(revision) => format!("{} at {revision}", self.path),
            None => self.path.clone(),
        }
    }
}

/// How a requirement changed between the revisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// It was met (or did not apply, or the file did not exist) and now fails.
    NowMissing,
    /// It failed (or the file did not exist) and is now met.
    NowGiven,
    /// It applied and now does not (a fact or the text says it does not).
    NowNotApplicable,
    /// It did not apply and is now met.
    NowApplicable,
    /// It now fails, but a `policylint-disable` comment in the file silences it.
    NowSilenced,
    /// It is met in both, by different text.
    EvidenceChanged,
}

impl Change {
    /// Every kind, in the order reports list them.
    pub const ALL: [Change; 6] = [
        Change::NowMissing,
        Change::NowGiven,
        Change::EvidenceChanged,
        Change::NowNotApplicable,
        Change::NowApplicable,
        Change::NowSilenced,
    ];

    /// How the summary line counts it: "1 now missing".
    pub fn label(self) -> &'static str {
        match self {
            Change::NowMissing => "now missing",
            Change::NowGiven => "now given",
            Change::NowNotApplicable => "now not applicable",
            Change::NowApplicable => "now applicable",
            Change::NowSilenced => "now silenced",
            Change::EvidenceChanged => "with changed evidence",
        }
    }

    /// The heading of the group in human and Markdown output.
    pub fn heading(self) -> &'static str {
        match self {
            Change::NowMissing => "Now missing",
            Change::NowGiven => "Now given",
            Change::NowNotApplicable => "Now not applicable",
            Change::NowApplicable => "Now applicable and given",
            Change::NowSilenced => "Now silenced by a policylint-disable comment",
            Change::EvidenceChanged => "Evidence changed",
        }
    }

    /// The kind of change between two statuses (`None`: the file did not exist on
    /// that side), or `None` when the requirement did not change.
    fn between(before: Option<Status>, after: Option<Status>) -> Option<Change> {
        use Status::*;
        match (before, after) {
            (before, after) if before == after => None,
            (_, Some(Fail)) => Some(Change::NowMissing),
            (Some(NotApplicable), Some(Pass)) => Some(Change::NowApplicable),
            (_, Some(Pass)) => Some(Change::NowGiven),
            (Some(_), Some(NotApplicable)) => Some(Change::NowNotApplicable),
            (_, Some(Suppressed)) => Some(Change::NowSilenced),
            // The file is gone: what it met is no longer met anywhere.
            (Some(Pass), None) => Some(Change::NowMissing),
            // A new file's rule that does not apply, or a gone file's rule that was
            // not met: nothing a reviewer needs to weigh.
            (None, Some(NotApplicable)) | (Some(_), None) | (None, None) => None,
        }
    }
}

/// A quotation of a revision's text: what it says, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    pub text: String,
    pub line: usize,
    pub column: usize,
}

impl Quote {
    fn of(evidence: &Evidence) -> Quote {
        Quote {
            text: evidence.text.clone(),
            line: evidence.span.location.start.line,
            column: evidence.span.location.start.column,
        }
    }
}

/// A place in the new revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    pub line: usize,
    pub column: usize,
}

/// A requirement (a rule's outcome) that changed between the revisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequirementChange {
    pub rule: String,
    pub title: String,
    /// The rule's severity as the run configured it.
    pub severity: Severity,
    pub change: Change,
    /// The outcome in the old revision; `None` when the file did not exist.
    pub before: Option<Status>,
    /// The outcome in the new revision; `None` when the file no longer exists.
    pub after: Option<Status>,
    /// The text that met the requirement in the old revision.
    pub old_evidence: Option<Quote>,
    /// The text that meets it in the new revision.
    pub new_evidence: Option<Quote>,
    /// Where to look in the new revision: the text that meets the requirement, or
    /// where the finding that reports it missing points.
    pub at: Option<Place>,
    /// What the new revision's outcome assumed or was told (a fact), if anything:
    /// often why a requirement now applies or not.
    pub note: Option<String>,
}

/// A finding present in one revision only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingChange {
    pub rule: String,
    /// The rule's title.
    pub title: String,
    pub severity: Severity,
    pub message: String,
    /// Where it is, in the revision that has it (the new one for a new finding, the
    /// old one for a gone finding).
    pub line: usize,
    pub column: usize,
    pub fingerprint: String,
    /// Whether a listed requirement change already says it (a finding that reports a
    /// requirement now missing, say); human and Markdown output leave those out.
    pub explained: bool,
}

impl FindingChange {
    fn of(finding: &Diagnostic, explained: bool, catalog: &Catalog) -> FindingChange {
        FindingChange {
            rule: finding.rule.clone(),
            title: catalog
                .get(&finding.rule)
                .map_or_else(|| finding.rule.clone(), |r| r.title.clone()),
            severity: finding.severity,
            message: finding.message.clone(),
            line: finding.span.location.start.line,
            column: finding.span.location.start.column,
            fingerprint: finding.fingerprint.clone(),
            explained,
        }
    }
}

/// Whether the file was changed, added or deleted between the revisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileChange {
    Modified,
    Added,
    Deleted,
}

/// The comparison of one file's two revisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileDiff {
    /// The old revision; `None` for a file that is new.
    pub old: Option<Side>,
    /// The new revision; `None` for a file that was deleted.
    pub new: Option<Side>,
    pub change: FileChange,
    /// Why the revisions could not be compared (a revision could not be linted).
    pub error: Option<String>,
    /// The requirements that changed, in the order of the rules.
    pub requirements: Vec<RequirementChange>,
    /// How many requirements did not change.
    pub unchanged: usize,
    pub new_findings: Vec<FindingChange>,
    pub gone_findings: Vec<FindingChange>,
}

impl FileDiff {
    /// Compares the reports of the old and new revision (either may be absent: a file
    /// added or deleted). Rules are described from `catalog`.
    pub fn compare(
        old: Option<(Side, &FileReport)>,
        new: Option<(Side, &FileReport)>,
        catalog: &Catalog,
    ) -> FileDiff {
        let change = match (&old, &new) {
            (None, Some(_)) => FileChange::Added,
            (Some(_), None) => FileChange::Deleted,
            _ => FileChange::Modified,
        };
        let mut diff = FileDiff {
            old: old.as_ref().map(|(side, _)| side.clone()),
            new: new.as_ref().map(|(side, _)| side.clone()),
            change,
            error: None,
            requirements: Vec::new(),
            unchanged: 0,
            new_findings: Vec::new(),
            gone_findings: Vec::new(),
        };
        let old = old.map(|(_, report)| report);
        let new = new.map(|(_, report)| report);
        let errors: Vec<String> = [("old", old), ("new", new)]
            .into_iter()
            .filter_map(|(which, report)| {
                let error = report?.error.as_ref()?;
                Some(format!("the {which} revision could not be linted: {error}"))
            })
            .collect();
        if !errors.is_empty() {
            diff.error = Some(errors.join("; "));
            return diff;
        }
        diff.compare_requirements(old, new, catalog);
        diff.compare_findings(old, new, catalog);
        diff
    }

    fn compare_requirements(
        &mut self,
        old: Option<&FileReport>,
        new: Option<&FileReport>,
        catalog: &Catalog,
    ) {
        // Rules in the order of the new revision, then any only the old one has.
        let mut rules: Vec<&str> = Vec::new();
        for report in new.iter().chain(old.iter()) {
            for outcome in &report.rules {
                if !rules.contains(&outcome.rule.as_str()) {
                    rules.push(&outcome.rule);
                }
            }
        }
        for rule in rules {
            let before = old.and_then(|r| r.rules.iter().find(|o| o.rule == rule));
            let after = new.and_then(|r| r.rules.iter().find(|o| o.rule == rule));
            let old_evidence = before.and_then(|o| o.evidence.as_ref());
            let new_evidence = after.and_then(|o| o.evidence.as_ref());
            let change = Change::between(before.map(|o| o.status), after.map(|o| o.status))
                .or_else(|| {
                    let (Some(was), Some(now)) = (old_evidence, new_evidence) else {
                        return None;
                    };
                    // Text that was only re-wrapped or re-cased says the same thing.
                    let same = normalise(&was.text) == normalise(&now.text);
                    let both_met = after.is_some_and(|o| o.status == Status::Pass);
                    (both_met && !same).then_some(Change::EvidenceChanged)
                });
            let Some(change) = change else {
                self.unchanged += 1;
                continue;
            };
            let info = catalog.get(rule);
            let at = match new_evidence {
                Some(evidence) => Some(Place {
                    line: evidence.span.location.start.line,
                    column: evidence.span.location.start.column,
                }),
                None => new
                    .and_then(|r| r.diagnostics.iter().find(|d| d.reports(rule)))
                    .map(|d| Place {
                        line: d.span.location.start.line,
                        column: d.span.location.start.column,
                    }),
            };
            self.requirements.push(RequirementChange {
                rule: rule.to_string(),
                title: info.map_or_else(|| rule.to_string(), |i| i.title.clone()),
                severity: info.map_or(Severity::Error, |i| i.severity),
                change,
                before: before.map(|o| o.status),
                after: after.map(|o| o.status),
                old_evidence: old_evidence.map(Quote::of),
                new_evidence: new_evidence.map(Quote::of),
                at,
                note: after.or(before).and_then(|o| o.note.clone()),
            });
        }
    }

    /// Findings whose fingerprint one revision has more often than the other.
    fn compare_findings(
        &mut self,
        old: Option<&FileReport>,
        new: Option<&FileReport>,
        catalog: &Catalog,
    ) {
        let findings = |report: Option<&FileReport>| -> Vec<Diagnostic> {
            report.map(|r| r.diagnostics.clone()).unwrap_or_default()
        };
        let (old, new) = (findings(old), findings(new));
        let listed: Vec<&str> = self.requirements.iter().map(|r| r.rule.as_str()).collect();
        let explained = |d: &Diagnostic| listed.iter().any(|rule| d.reports(rule));
        let new_findings: Vec<FindingChange> = only_in(&new, &old)
            .into_iter()
            .map(|d| FindingChange::of(d, explained(d), catalog))
            .collect();
        let gone_findings: Vec<FindingChange> = only_in(&old, &new)
            .into_iter()
            .map(|d| FindingChange::of(d, explained(d), catalog))
            .collect();
        self.new_findings = new_findings;
        self.gone_findings = gone_findings;
    }

    /// The requirements of one kind of change.
    pub fn changes(&self, kind: Change) -> impl Iterator<Item = &RequirementChange> {
        self.requirements.iter().filter(move |r| r.change == kind)
    }

    /// The side a reader looks at: the new revision, or the old one of a deleted file.
    pub fn shown(&self) -> &Side {
        // Invariant: a comparison has at least one side.
        self.new
            .as_ref()
            .or(self.old.as_ref())
            .expect("a comparison has a side")
    }
}

/// The findings of `these` that `those` does not have, counting repeats: a finding
/// that occurs twice in `these` and once in `those` is new once.
fn only_in<'a>(these: &'a [Diagnostic], those: &[Diagnostic]) -> Vec<&'a Diagnostic> {
    let mut left: HashMap<&str, usize> = HashMap::new();
    for d in those {
        *left.entry(d.fingerprint.as_str()).or_default() += 1;
    }
    these
        .iter()
        .filter(|d| match left.get_mut(d.fingerprint.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// The comparisons of a run, with the severity from which a change is a regression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffReport {
    pub files: Vec<FileDiff>,
    /// A requirement now missing, or a new finding, at or above this severity is a
    /// regression (`--fail-on`).
    pub fail_on: Severity,
}

/// What a comparison found, counted over its files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DiffSummary {
    pub files: usize,
    /// Files whose revisions could not be compared.
    pub unreadable: usize,
    pub now_missing: usize,
    pub now_given: usize,
    pub evidence_changed: usize,
    pub now_not_applicable: usize,
    pub now_applicable: usize,
    pub now_silenced: usize,
    pub unchanged: usize,
    pub new_findings: usize,
    pub gone_findings: usize,
    /// Requirements now missing and new findings (not already counted as a
    /// requirement now missing) at or above the `fail_on` severity.
    pub regressions: usize,
}

impl DiffSummary {
    /// How many requirements changed in this way.
    pub fn count(&self, kind: Change) -> usize {
        match kind {
            Change::NowMissing => self.now_missing,
            Change::NowGiven => self.now_given,
            Change::EvidenceChanged => self.evidence_changed,
            Change::NowNotApplicable => self.now_not_applicable,
            Change::NowApplicable => self.now_applicable,
            Change::NowSilenced => self.now_silenced,
        }
    }

    fn count_mut(&mut self, kind: Change) -> &mut usize {
        match kind {
            Change::NowMissing => &mut self.now_missing,
            Change::NowGiven => &mut self.now_given,
            Change::EvidenceChanged => &mut self.evidence_changed,
            Change::NowNotApplicable => &mut self.now_not_applicable,
            Change::NowApplicable => &mut self.now_applicable,
            Change::NowSilenced => &mut self.now_silenced,
        }
    }
}

impl DiffReport {
    pub fn summary(&self) -> DiffSummary {
        let mut summary = DiffSummary {
            files: self.files.len(),
            ..DiffSummary::default()
        };
        for file in &self.files {
            if file.error.is_some() {
                summary.unreadable += 1;
            }
            for requirement in &file.requirements {
                *summary.count_mut(requirement.change) += 1;
                if requirement.change == Change::NowMissing && requirement.severity >= self.fail_on
                {
                    summary.regressions += 1;
                }
            }
            summary.unchanged += file.unchanged;
            summary.new_findings += file.new_findings.len();
            summary.gone_findings += file.gone_findings.len();
            summary.regressions += file
                .new_findings
                .iter()
                .filter(|f| !f.explained && f.severity >= self.fail_on)
                .count();
        }
        summary
    }

    /// Writes the comparison in `format`.
    pub fn write(&self, format: DiffFormat, out: &mut dyn Write) -> io::Result<()> {
        render::write(format, self, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Label, References, Span};
    use crate::span::{Location, Position, SourceSpan};

    #[test]
    fn a_change_of_status_is_named_by_what_the_new_revision_says() {
        use Status::*;
        let cases = [
            (Some(Pass), Some(Fail), Some(Change::NowMissing)),
            (Some(NotApplicable), Some(Fail), Some(Change::NowMissing)),
            (Some(Suppressed), Some(Fail), Some(Change::NowMissing)),
            (None, Some(Fail), Some(Change::NowMissing)),
            (Some(Pass), None, Some(Change::NowMissing)),
            (Some(Fail), Some(Pass), Some(Change::NowGiven)),
            (None, Some(Pass), Some(Change::NowGiven)),
            (Some(NotApplicable), Some(Pass), Some(Change::NowApplicable)),
            (
                Some(Pass),
                Some(NotApplicable),
                Some(Change::NowNotApplicable),
            ),
            (Some(Fail), Some(Suppressed), Some(Change::NowSilenced)),
            (Some(Fail), None, None),
            (None, Some(NotApplicable), None),
            (Some(Pass), Some(Pass), None),
        ];
        for (before, after, expected) in cases {
            assert_eq!(
                Change::between(before, after),
                expected,
                "{before:?} -> {after:?}"
            );
        }
    }

    fn finding(fingerprint: &str) -> Diagnostic {
        let at = Position {
            offset: 0,
            line: 1,
            column: 1,
        };
        let span = Span {
            bytes: SourceSpan::new(0, 1),
            location: Location { start: at, end: at },
        };
        Diagnostic {
            rule: "core/x".into(),
            severity: Severity::Error,
            message: "m".into(),
            help: None,
            references: References::default(),
            span,
            labels: Vec::<Label>::new(),
            fingerprint: fingerprint.into(),
            merged: Vec::new(),
            missing_statement: false,
        }
    }

    #[test]
    fn findings_are_matched_by_fingerprint_counting_repeats() {
        let old = [finding("a"), finding("b")];
        let new = [finding("b"), finding("b"), finding("c")];
        let fingerprints = |found: Vec<&Diagnostic>| -> Vec<String> {
            found.iter().map(|d| d.fingerprint.clone()).collect()
        };
        assert_eq!(fingerprints(only_in(&new, &old)), ["b", "c"]);
        assert_eq!(fingerprints(only_in(&old, &new)), ["a"]);
    }
}
