//! Which rules run on a file, and how: what the configuration and the command line
//! decide about rules, as plain data the rule set is configured with.

use std::collections::BTreeMap;
use std::path::PathBuf;

use globset::Glob;
use serde::Deserialize;

use crate::diagnostic::Severity;

/// The pack that runs when neither the configuration nor the command line names one.
pub const DEFAULT_PACK: &str = "core";

/// A rule's severity as configured: one of the three, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// Which rules run on a file, and how: the packs, custom rule folders, rule
/// selection, severities and facts. Files with equal settings share one linter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RuleSettings {
    pub packs: Vec<String>,
    pub rule_dirs: Vec<PathBuf>,
    /// Rule ids or globs (`gdpr/*`): when not empty, only these rules run.
    pub select: Vec<String>,
    /// Rule ids or globs that do not run.
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Level>,
    pub facts: BTreeMap<String, bool>,
}

impl RuleSettings {
    /// The packs, sorted and without repeats (the order packs are named in does not
    /// change what runs).
    pub fn normalise(mut self) -> RuleSettings {
        self.packs.sort();
        self.packs.dedup();
        self
    }
}

/// A glob over rule ids, where `*` also crosses the `/` between pack and name.
pub fn rule_glob(pattern: &str) -> Result<globset::GlobMatcher, globset::Error> {
    Ok(Glob::new(pattern)?.compile_matcher())
}
