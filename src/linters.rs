//! The linters of a run or of an editor's workspace: the configuration file first,
//! the command line on top; one linter per distinct set of rule settings, compiled
//! once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use crate::config::{Config, RuleSettings};
use crate::dates::DateOrder;
use crate::document::{HtmlOptions, ReadOptions};
use crate::engine::{LanguageCheck, Linter};
use crate::rules::RuleSet;

/// What the command line says about rules, layered over the configuration.
#[derive(Clone, Debug, Default)]
pub struct RuleFlags {
    /// Exactly these packs, when given.
    pub packs: Vec<String>,
    /// Added to the configuration's folders.
    pub rule_dirs: Vec<PathBuf>,
    /// Replaces the configuration's `select`, when given.
    pub select: Vec<String>,
    /// Added to the configuration's `ignore`.
    pub ignore: Vec<String>,
    /// Override the configuration's facts.
    pub facts: Vec<(String, bool)>,
}

/// Run-wide linter options.
#[derive(Clone, Copy, Debug)]
pub struct LinterOptions {
    pub today: Date,
    pub date_order: DateOrder,
    pub keep_chrome: bool,
    pub language: LanguageCheck,
}

/// Builds and keeps the linters of one run.
pub struct Linters {
    config: Option<Config>,
    flags: RuleFlags,
    options: LinterOptions,
    built: HashMap<RuleSettings, Arc<Linter>>,
}

impl Linters {
    pub fn new(config: Option<Config>, flags: RuleFlags, options: LinterOptions) -> Linters {
        Linters {
            config,
            flags,
            options,
            built: HashMap::new(),
        }
    }

    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// The rule settings for one file (or for standard input, by its name).
    pub fn settings_for(&self, file: &Path) -> RuleSettings {
        let mut settings = match &self.config {
            Some(config) => config.settings_for(file),
            None => RuleSettings {
                packs: vec![crate::config::DEFAULT_PACK.to_string()],
                ..RuleSettings::default()
            },
        };
        let flags = &self.flags;
        if !flags.packs.is_empty() {
            settings.packs = flags.packs.clone();
        }
        settings.rule_dirs.extend(flags.rule_dirs.iter().cloned());
        if !flags.select.is_empty() {
            settings.select = flags.select.clone();
        }
        settings.ignore.extend(flags.ignore.iter().cloned());
        settings
            .facts
            .extend(flags.facts.iter().map(|(k, v)| (k.clone(), *v)));
        settings.normalise()
    }

    /// The linter for these settings, compiled on first use.
    pub fn linter(&mut self, settings: &RuleSettings) -> miette::Result<Arc<Linter>> {
        if let Some(linter) = self.built.get(settings) {
            return Ok(Arc::clone(linter));
        }
        let mut rules = RuleSet::load(&settings.packs, &settings.rule_dirs)?;
        rules.configure(settings);
        let facts: Vec<(String, bool)> = settings
            .facts
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        let options = &self.options;
        let linter = Linter::new(rules, options.today)
            .with_date_order(options.date_order)
            .with_read_options(ReadOptions {
                html: HtmlOptions {
                    keep_chrome: options.keep_chrome,
                },
            })
            .with_language_check(options.language)
            .with_facts(&facts)
            .map_err(|e| miette::miette!(help = "facts are defined in rules/facts/", "{e}"))?;
        let linter = Arc::new(linter);
        self.built.insert(settings.clone(), Arc::clone(&linter));
        Ok(linter)
    }

    /// A rule set holding every rule any file of the run used, for the reports' rule
    /// titles and metadata.
    pub fn catalog(&self) -> miette::Result<Arc<RuleSetHolder>> {
        let mut linters = self.built.values();
        match (linters.next(), linters.next()) {
            (Some(only), None) => Ok(Arc::new(RuleSetHolder::Linter(Arc::clone(only)))),
            _ => {
                let mut packs: Vec<String> =
                    self.built.keys().flat_map(|s| s.packs.clone()).collect();
                packs.sort();
                packs.dedup();
                let mut dirs: Vec<PathBuf> = self
                    .built
                    .keys()
                    .flat_map(|s| s.rule_dirs.clone())
                    .collect();
                dirs.sort();
                dirs.dedup();
                if packs.is_empty() && dirs.is_empty() {
                    packs.push(crate::config::DEFAULT_PACK.to_string());
                }
                Ok(Arc::new(RuleSetHolder::Owned(RuleSet::load(
                    &packs, &dirs,
                )?)))
            }
        }
    }
}

/// A rule set, borrowed from the run's only linter or loaded for the reports.
pub enum RuleSetHolder {
    Linter(Arc<Linter>),
    Owned(RuleSet),
}

impl RuleSetHolder {
    pub fn rules(&self) -> &RuleSet {
        match self {
            RuleSetHolder::Linter(linter) => linter.rules(),
            RuleSetHolder::Owned(rules) => rules,
        }
    }
}
