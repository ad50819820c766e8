//! The compliance matrix: each policy against each requirement (rule), grouped by
//! law (pack), with a score per law and per policy. The Markdown report is written
//! from it; the HTML report embeds its grouping and rule metadata and computes the
//! same marks in the page from the JSON contract.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::diagnostic::{FileReport, Outcome, Reference, Severity, Status};
use crate::rules::settings::DEFAULT_PACK;
use crate::rules::{Catalog, RuleInfo};
use crate::span::Position;

/// What a policy's cell for one requirement says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The policy says it (the rule passed).
    Given,
    /// The policy does not give the statement the rule asks for (the rule failed).
    Missing,
    /// The policy's wording needs fixing: it says something it must not, or a date
    /// it gives is too old (a rule that asks for no statement failed).
    ToFix,
    /// The requirement does not apply to this service.
    NotApplicable,
    /// It failed, and a `policylint-disable` comment in the file silenced it.
    Suppressed,
    /// The rule was not run on this file (a configuration gave it other rules), or
    /// the file could not be linted.
    NotRun,
}

impl Mark {
    pub fn of(outcome: Option<&Outcome>, rule: &RuleInfo) -> Mark {
        match outcome.map(|o| o.status) {
            Some(Status::Pass) => Mark::Given,
            Some(Status::Fail) if rule.asks_for_statement => Mark::Missing,
            Some(Status::Fail) => Mark::ToFix,
            Some(Status::NotApplicable) => Mark::NotApplicable,
            Some(Status::Suppressed) => Mark::Suppressed,
            None => Mark::NotRun,
        }
    }

    /// The word shown with the icon (never colour alone).
    pub fn word(self) -> &'static str {
        match self {
            Mark::Given => "given",
            Mark::Missing => "missing",
            Mark::ToFix => "to fix",
            Mark::NotApplicable => "not applicable",
            Mark::Suppressed => "suppressed",
            Mark::NotRun => "not run",
        }
    }
}

/// How many requirements of a law (or of all laws) a policy gives, misses, and so on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    pub given: usize,
    pub missing: usize,
    pub to_fix: usize,
    pub not_applicable: usize,
    pub suppressed: usize,
    pub not_run: usize,
}

impl Score {
    fn count(&mut self, mark: Mark) {
        match mark {
            Mark::Given => self.given += 1,
            Mark::Missing => self.missing += 1,
            Mark::ToFix => self.to_fix += 1,
            Mark::NotApplicable => self.not_applicable += 1,
            Mark::Suppressed => self.suppressed += 1,
            Mark::NotRun => self.not_run += 1,
        }
    }

    fn add(&mut self, other: Score) {
        self.given += other.given;
        self.missing += other.missing;
        self.to_fix += other.to_fix;
        self.not_applicable += other.not_applicable;
        self.suppressed += other.suppressed;
        self.not_run += other.not_run;
    }

    pub fn total(&self) -> usize {
        self.given
            + self.missing
            + self.to_fix
            + self.not_applicable
            + self.suppressed
            + self.not_run
    }
}

/// A law: the rules of one pack, in the catalog's order.
#[derive(Debug, Serialize)]
pub struct Law<'a> {
    pub pack: &'a str,
    /// How a reader names it: "GDPR", "CCPA"; a custom pack keeps its own name.
    pub name: String,
    pub description: &'a str,
    #[serde(serialize_with = "rule_ids")]
    pub rules: Vec<&'a RuleInfo>,
}

fn rule_ids<S: serde::Serializer>(rules: &[&RuleInfo], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(rules.iter().map(|r| r.id.as_str()))
}

/// A failed requirement of one policy (a statement missing, or text to fix), for the
/// list under the Markdown table.
#[derive(Debug)]
pub struct Gap<'a> {
    pub law: &'a Law<'a>,
    pub rule: &'a RuleInfo,
    /// Where the finding points, when there is one.
    pub position: Option<Position>,
    /// The rule whose finding reports this gap too.
    pub merged_into: Option<&'a str>,
    pub mark: Mark,
}

/// Every policy against every requirement of the run's catalog.
pub struct Matrix<'a> {
    pub laws: Vec<Law<'a>>,
    pub reports: &'a [FileReport],
    outcomes: Vec<HashMap<&'a str, &'a Outcome>>,
}

impl<'a> Matrix<'a> {
    pub fn new(reports: &'a [FileReport], catalog: &'a Catalog) -> Matrix<'a> {
        // Core first (what most laws share), then the packs in the catalog's order,
        // then any pack a rule names that the catalog does not list.
        let mut packs: Vec<&str> = catalog.packs.iter().map(|p| p.name.as_str()).collect();
        for rule in &catalog.rules {
            if !packs.contains(&rule.pack.as_str()) {
                packs.push(&rule.pack);
            }
        }
        packs.sort_by_key(|p| *p != DEFAULT_PACK);
        let laws = packs
            .into_iter()
            .map(|pack| {
                let info = catalog.packs.iter().find(|p| p.name == pack);
                Law {
                    pack,
                    name: info
                        .and_then(|p| p.title.clone())
                        .unwrap_or_else(|| pack.to_string()),
                    description: info.map_or("", |p| p.description.as_str()),
                    rules: catalog.rules.iter().filter(|r| r.pack == pack).collect(),
                }
            })
            .filter(|law| !law.rules.is_empty())
            .collect();
        let outcomes = reports
            .iter()
            .map(|report| report.rules.iter().map(|o| (o.rule.as_str(), o)).collect())
            .collect();
        Matrix {
            laws,
            reports,
            outcomes,
        }
    }

    /// The outcome of `rule` in the `policy`-th report, if the rule ran there.
    pub fn outcome(&self, policy: usize, rule: &str) -> Option<&'a Outcome> {
        self.outcomes[policy].get(rule).copied()
    }

    pub fn mark(&self, policy: usize, rule: &RuleInfo) -> Mark {
        Mark::of(self.outcome(policy, &rule.id), rule)
    }

    /// One policy's score in one law.
    pub fn score(&self, policy: usize, law: &Law) -> Score {
        let mut score = Score::default();
        for rule in &law.rules {
            score.count(self.mark(policy, rule));
        }
        score
    }

    /// One policy's score over every law.
    pub fn policy_score(&self, policy: usize) -> Score {
        let mut score = Score::default();
        for law in &self.laws {
            score.add(self.score(policy, law));
        }
        score
    }

    /// A law's score summed over every policy.
    pub fn law_score(&self, law: &Law) -> Score {
        let mut score = Score::default();
        for policy in 0..self.reports.len() {
            score.add(self.score(policy, law));
        }
        score
    }

    /// The failed requirements of one policy, law by law.
    pub fn gaps(&self, policy: usize) -> Vec<Gap<'_>> {
        let report = &self.reports[policy];
        let mut gaps = Vec::new();
        for law in &self.laws {
            for rule in &law.rules {
                let Some(outcome) = self.outcome(policy, &rule.id) else {
                    continue;
                };
                if outcome.status != Status::Fail {
                    continue;
                }
                let position = report
                    .diagnostics
                    .iter()
                    .find(|d| d.reports(&rule.id))
                    .map(|d| d.span.location.start);
                gaps.push(Gap {
                    law,
                    rule,
                    position,
                    merged_into: outcome.merged_into.as_deref(),
                    mark: Mark::of(Some(outcome), rule),
                });
            }
        }
        gaps
    }
}

/// What the HTML page needs besides the JSON contract: the laws in order with their
/// rules, and each rule's metadata (the JSON contract names rules by id only).
#[derive(Serialize)]
pub struct PageCatalog<'a> {
    pub laws: &'a [Law<'a>],
    pub rules: BTreeMap<&'a str, RuleMeta<'a>>,
}

#[derive(Serialize)]
pub struct RuleMeta<'a> {
    pub title: &'a str,
    pub severity: Severity,
    pub message: &'a str,
    pub help: Option<&'a str>,
    pub references: &'a [Reference],
    /// False for a rule that checks wording: its failure is text to fix.
    pub asks_for_statement: bool,
}

impl<'a> PageCatalog<'a> {
    pub fn of(matrix: &'a Matrix<'a>) -> PageCatalog<'a> {
        PageCatalog {
            laws: &matrix.laws,
            rules: matrix
                .laws
                .iter()
                .flat_map(|law| &law.rules)
                .map(|rule| {
                    (
                        rule.id.as_str(),
                        RuleMeta {
                            title: &rule.title,
                            severity: rule.severity,
                            message: &rule.message,
                            help: rule.help.as_deref(),
                            references: &rule.references,
                            asks_for_statement: rule.asks_for_statement,
                        },
                    )
                })
                .collect(),
        }
    }
}
