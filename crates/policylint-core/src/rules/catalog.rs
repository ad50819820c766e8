//! What reports say about rules: each rule's metadata as the run configured it,
//! without its compiled matchers. A run whose files use several rule sets (an
//! `overrides:` entry, a notice with other packs) reports from one catalog, built
//! from the rule sets it linted with, never from rules loaded again without the
//! configuration.

use crate::diagnostic::{Reference, Severity};
use crate::rules::{PackInfo, RuleSet};

/// A rule as reports describe it.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleInfo {
    /// `pack/file-stem`.
    pub id: String,
    pub pack: String,
    pub title: String,
    /// The severity as configured (`severity:` in the configuration).
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub references: Vec<Reference>,
    /// Whether the rule asks the policy to give a statement (`require`); a rule that
    /// only checks the wording of what is there (`forbid`, a date's age) does not, and
    /// its failure is text to fix rather than a statement missing.
    pub asks_for_statement: bool,
}

/// The rules and packs of a run, for the reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    pub rules: Vec<RuleInfo>,
    pub packs: Vec<PackInfo>,
}

impl Catalog {
    /// The rules of one (configured) rule set.
    pub fn of(rules: &RuleSet) -> Catalog {
        Catalog {
            rules: rules
                .rules
                .iter()
                .map(|rule| RuleInfo {
                    id: rule.id.clone(),
                    pack: rule.pack.clone(),
                    title: rule.title.clone(),
                    severity: rule.severity,
                    message: rule.general_message(),
                    help: rule.help.clone(),
                    references: rule.references.clone(),
                    asks_for_statement: rule.require.is_some(),
                })
                .collect(),
            packs: rules.packs.clone(),
        }
    }

    /// Adds the rules and packs of `other` that this catalog does not have yet: a
    /// rule already here keeps its metadata.
    pub fn add(&mut self, other: &Catalog) {
        for rule in &other.rules {
            if self.get(&rule.id).is_none() {
                self.rules.push(rule.clone());
            }
        }
        for pack in &other.packs {
            if !self.packs.iter().any(|p| p.name == pack.name) {
                self.packs.push(pack.clone());
            }
        }
        self.packs.sort_by(|a, b| a.name.cmp(&b.name));
    }

    pub fn get(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }
}
