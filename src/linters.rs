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
use crate::engine::{LanguageCheck, Linter, PARALLEL_RULES_FROM};
use crate::practice::Site;
use crate::rules::{Catalog, RuleSet};
use crate::site::scan_site;

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

/// What the command line (or the editor's start-up) says about the run; each given
/// value wins over the configuration's.
#[derive(Clone, Copy, Debug, Default)]
pub struct OptionFlags {
    pub today: Option<Date>,
    pub date_order: Option<DateOrder>,
    pub language: Option<LanguageCheck>,
    /// `--keep-chrome`: on, whatever the configuration says.
    pub keep_chrome: bool,
}

impl LinterOptions {
    /// The flags over the configuration over the defaults; the current date when
    /// neither gives one.
    pub fn layered(config: Option<&Config>, flags: OptionFlags) -> LinterOptions {
        LinterOptions {
            today: flags
                .today
                .or(config.and_then(|c| c.today))
                .unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
            date_order: flags
                .date_order
                .or(config.and_then(|c| c.date_order))
                .unwrap_or_default(),
            keep_chrome: flags.keep_chrome || config.and_then(|c| c.keep_chrome) == Some(true),
            language: flags
                .language
                .or(config.and_then(|c| c.lang))
                .unwrap_or_default(),
        }
    }

    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            html: HtmlOptions {
                keep_chrome: self.keep_chrome,
            },
        }
    }
}

/// Builds and keeps the linters of one run: rules compiled once per distinct set of
/// packs and rule folders, configured (select, ignore, severities) per file.
pub struct Linters {
    config: Option<Config>,
    flags: RuleFlags,
    options: LinterOptions,
    compiled: HashMap<(Vec<String>, Vec<PathBuf>), Arc<RuleSet>>,
    built: HashMap<RuleSettings, Arc<Linter>>,
    /// Pages of the site the policies are compared with: the configuration's
    /// `site:`, then `--site`.
    site_paths: Vec<PathBuf>,
    /// The pages scanned, per catalogue of services (rule folders may add services).
    sites: HashMap<Vec<PathBuf>, Arc<Site>>,
    /// The prose length from which a document's rules are checked on all cores.
    parallel_rules_from: usize,
}

impl Linters {
    pub fn new(config: Option<Config>, flags: RuleFlags, options: LinterOptions) -> Linters {
        let site_paths = config.as_ref().map(|c| c.site.clone()).unwrap_or_default();
        Linters {
            config,
            flags,
            options,
            compiled: HashMap::new(),
            built: HashMap::new(),
            site_paths,
            sites: HashMap::new(),
            parallel_rules_from: PARALLEL_RULES_FROM,
        }
    }

    /// For a run that lints one document at a time (one file named on the command
    /// line, or the editor's documents as they change): the cores are not busy with
    /// other files, so each document's rules are checked on all of them, however
    /// short it is. Call before the first linter is built.
    pub fn one_document_at_a_time(mut self) -> Linters {
        self.parallel_rules_from = 0;
        self
    }

    /// Compares the policies with these pages too (`--site`).
    pub fn with_site(mut self, paths: &[PathBuf]) -> Linters {
        self.site_paths.extend(paths.iter().cloned());
        self
    }

    /// The site's pages scanned with the catalogue of `rules`, on first use; none
    /// when no loaded rule compares policies with their site.
    fn site(&mut self, rules: &RuleSet, rule_dirs: &[PathBuf]) -> miette::Result<Arc<Site>> {
        let Some(detector) = rules.detector.as_deref() else {
            return Ok(Arc::default());
        };
        if self.site_paths.is_empty() {
            return Ok(Arc::default());
        }
        if let Some(site) = self.sites.get(rule_dirs) {
            return Ok(Arc::clone(site));
        }
        let site = Arc::new(scan_site(&self.site_paths, detector)?);
        self.sites.insert(rule_dirs.to_vec(), Arc::clone(&site));
        Ok(site)
    }

    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// How the run reads files into documents.
    pub fn read_options(&self) -> ReadOptions {
        self.options.read_options()
    }

    /// The rule settings for one file (or for standard input, by its name).
    pub fn settings_for(&self, file: &Path) -> RuleSettings {
        let settings = match &self.config {
            Some(config) => config.settings_for(file),
            None => RuleSettings::default(),
        };
        self.layer_flags(settings)
    }

    /// The run's settings before any `overrides:` entry: what the reports describe.
    pub fn base_settings(&self) -> RuleSettings {
        let settings = match &self.config {
            Some(config) => config.base.clone(),
            None => RuleSettings::default(),
        };
        self.layer_flags(settings)
    }

    /// The command line over the configuration's settings.
    fn layer_flags(&self, mut settings: RuleSettings) -> RuleSettings {
        if self.config.is_none() {
            settings.packs = vec![crate::config::DEFAULT_PACK.to_string()];
        }
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

    /// The rules of these packs and folders, compiled on first use.
    fn compiled(&mut self, settings: &RuleSettings) -> miette::Result<Arc<RuleSet>> {
        let key = (settings.packs.clone(), settings.rule_dirs.clone());
        if let Some(rules) = self.compiled.get(&key) {
            return Ok(Arc::clone(rules));
        }
        let rules = Arc::new(RuleSet::load(&settings.packs, &settings.rule_dirs)?);
        self.compiled.insert(key, Arc::clone(&rules));
        Ok(rules)
    }

    /// Whether the linter for these settings is built already.
    pub fn is_built(&self, settings: &RuleSettings) -> bool {
        self.built.contains_key(settings)
    }

    /// The linter for these settings, built on first use.
    pub fn linter(&mut self, settings: &RuleSettings) -> miette::Result<Arc<Linter>> {
        if let Some(linter) = self.built.get(settings) {
            return Ok(Arc::clone(linter));
        }
        let rules = self.compiled(settings)?.configured(settings);
        let site = self.site(&rules, &settings.rule_dirs)?;
        let facts: Vec<(String, bool)> = settings
            .facts
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        let options = &self.options;
        let linter = Linter::new(rules, options.today)
            .with_date_order(options.date_order)
            .with_read_options(options.read_options())
            .with_language_check(options.language)
            .with_site(site)
            .with_parallel_rules_from(self.parallel_rules_from)
            .with_facts(&facts)?;
        let linter = Arc::new(linter);
        self.built.insert(settings.clone(), Arc::clone(&linter));
        Ok(linter)
    }

    /// What the reports say about the run's rules: the rules as the run's base
    /// settings configure them, then any rule only a file's `overrides:` entry
    /// brought in, as that entry configures it. An override never changes what is
    /// said of a rule that the base settings load.
    pub fn catalog(&mut self) -> miette::Result<Catalog> {
        let base = self.base_settings();
        let mut catalog = Catalog::of(&self.compiled(&base)?.configured(&base));
        let mut others: Vec<(&RuleSettings, &Arc<Linter>)> = self.built.iter().collect();
        // In a stable order, so that the same run always describes a rule alike.
        others.sort_by_key(|(settings, _)| format!("{settings:?}"));
        for (_, linter) in others {
            catalog.add(&Catalog::of(linter.rules()));
        }
        Ok(catalog)
    }
}
