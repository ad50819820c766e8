//! Rules: loading YAML packs (built in or from folders), checking them strictly, and
//! compiling them once per run into matchers the engine evaluates.

pub mod catalog;
mod compile;
mod leaf;
pub mod macros;
pub mod schema;
pub mod services;
pub mod settings;
mod source;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use jiff::civil::Date;
use miette::{Diagnostic, NamedSource};
use regex::Regex;
use std::sync::Arc;
use thiserror::Error;

pub use catalog::{Catalog, RuleInfo};
pub use compile::Matcher;
pub use leaf::{Alphabet, Leaf, Leaves};
pub(crate) use leaf::{REGEX_SIZE_LIMIT, SharedCache};
pub use schema::Measure;
pub use schema::Scope;
pub use source::holds_rule_files;
pub use source::{PackInfo, RuleFile, RuleText, builtin_packs};

use crate::diagnostic::{Reference, Severity};
use crate::practice::Detector;
use settings::{Level, RuleSettings, rule_glob};

/// A rule file that could not be loaded: the author's bug, reported like a compiler
/// error with the file, line and column.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum RuleError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidRule>),
    #[error("unknown pack `{name}`")]
    #[diagnostic(code(policylint::pack), help("available packs: {available}"))]
    UnknownPack { name: String, available: String },
    #[error("cannot read rules from {path}: {message}")]
    #[diagnostic(
        code(policylint::rules_io),
        help("pass a folder of YAML rule files to --rules")
    )]
    Io { path: PathBuf, message: String },
    #[error("unknown fact `{name}`; the facts are: {known}")]
    #[diagnostic(code(policylint::fact), help("facts are defined in rules/facts/"))]
    UnknownFact { name: String, known: String },
}

/// A mistake inside a rule file, with the place it is at.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(policylint::rule))]
pub struct InvalidRule {
    message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: miette::SourceSpan,
    label: String,
    #[help]
    help: Option<String>,
}

/// A condition evaluated on each unit (sentence, paragraph, ...) of a scope.
#[derive(Clone, Debug)]
pub struct Clause {
    pub scope: Scope,
    pub matcher: Matcher,
}

#[derive(Clone, Debug)]
pub struct Forbid {
    pub clause: Clause,
    /// A match is excused when this also matches in the same scope unit.
    pub unless: Option<Matcher>,
    pub message: Option<String>,
}

/// Which section heading a missing statement belongs under.
#[derive(Clone, Debug)]
pub struct SectionPattern {
    pub regex: Regex,
    /// As the rule author wrote it (for messages).
    pub written: String,
}

/// Anchors a missing-statement finding; reports nothing itself.
#[derive(Clone, Debug)]
pub struct Hint {
    pub matcher: Matcher,
    /// The label shown at the anchor.
    pub message: Option<String>,
}

#[derive(Clone, Debug)]
pub struct DateCheck {
    pub cue: Matcher,
    /// The leaf that finds dates (the `{date}` macro).
    pub date_leaf: usize,
    pub max_age_months: u32,
}

#[derive(Clone, Debug, Default)]
pub struct Examples {
    pub pass: Vec<String>,
    pub fail: Vec<String>,
    pub today: Option<Date>,
}

/// A compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// `pack/file-stem`.
    pub id: String,
    pub pack: String,
    /// Where the rule was read from (for messages).
    pub path: String,
    pub title: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub references: Vec<Reference>,
    pub section: Option<SectionPattern>,
    pub when: Option<When>,
    pub require: Option<Clause>,
    pub forbid: Vec<Forbid>,
    pub hints: Vec<Hint>,
    pub date: Option<DateCheck>,
    pub metrics: Vec<Metric>,
    /// Each third-party service the site loads must be named by the policy.
    pub services: Option<ServiceCheck>,
    /// Ids of rules that ask for the same statement: a gap both find is reported as
    /// this rule's finding.
    pub supersedes: Vec<String>,
    pub examples: Examples,
}

/// When a rule applies.
#[derive(Clone, Debug)]
pub enum When {
    /// Something the text mentions.
    Text(Clause),
    /// A fact about the service (index into [`RuleSet::facts`]).
    Fact(usize),
    /// The site loads a service of one of these categories, or (`or`) the text
    /// mentions something.
    SiteLoads {
        categories: Vec<services::Category>,
        or: Option<Clause>,
    },
}

/// How a rule checks that the policy names the services the site loads.
#[derive(Clone, Debug, Default)]
pub struct ServiceCheck {
    /// The severity of an unnamed service of a category; others take the rule's.
    pub severity: BTreeMap<services::Category, Severity>,
    /// The severity of an unnamed service marked `disclosure: optional`.
    pub optional: Option<Severity>,
}

impl Rule {
    /// The message where no one finding is meant (the rule catalogue, `explain`,
    /// SARIF rule descriptions): a services rule's placeholders in general words.
    pub fn general_message(&self) -> String {
        match self.services {
            Some(_) => services::general_message(&self.message),
            None => self.message.clone(),
        }
    }

    /// Whether the rule compares the policy with what the site loads.
    pub fn reads_site(&self) -> bool {
        self.services.is_some() || matches!(self.when, Some(When::SiteLoads { .. }))
    }
}

/// A fact about the service that decides whether "where applicable" rules apply.
#[derive(Clone, Debug)]
pub struct Fact {
    pub name: String,
    pub description: String,
    /// Undeclared, the fact is true when this matches the text.
    pub infer: Clause,
    pub if_yes: String,
    pub if_no: String,
    /// What makes the fact false when the text says so; without it, a text that
    /// does not say the fact holds makes it false.
    pub denial: Option<Denial>,
}

impl Fact {
    /// Adds the leaves that telling this fact from the text reads to `out`.
    pub fn add_leaves(&self, out: &mut Vec<usize>) {
        self.infer.matcher.add_leaves(out);
        if let Some(denial) = &self.denial {
            denial.infer_no.matcher.add_leaves(out);
        }
    }
}

/// The text that makes a fact false, and what to say when the text settles neither
/// way.
#[derive(Clone, Debug)]
pub struct Denial {
    pub infer_no: Clause,
    /// "the policy does not say whether personal information is sold".
    pub if_unknown: String,
}

/// A measure of the text with a limit.
#[derive(Clone, Debug)]
pub struct Metric {
    pub measure: Measure,
    pub max: f64,
    pub terms_leaf: Option<usize>,
    pub message: Option<String>,
}

/// The list of product names that name no third-party service ("Google Chrome").
const OTHER_PRODUCTS: &str = "other-products";

/// Every selected rule, compiled once, and the regexes they share.
#[derive(Clone, Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Leaf regexes, deduplicated across rules; matchers refer to them by index.
    pub leaves: Arc<Leaves>,
    /// Every defined fact, whether a loaded rule uses it or not.
    pub facts: Vec<Fact>,
    /// (superseded rule, a rule that supersedes it, directly or through a chain),
    /// sorted, for loaded rules: a gap both report is one finding, of the
    /// superseding rule.
    pub superseded: Vec<(String, String)>,
    /// The loaded packs, with their metadata.
    pub packs: Vec<PackInfo>,
    /// The service catalogue, ready to search pages: loaded only when a rule compares
    /// the policy with what the site loads.
    pub detector: Option<Arc<Detector>>,
}

impl RuleSet {
    /// Whether rule `a` supersedes rule `b`, directly or through a chain.
    pub fn supersedes(&self, a: &str, b: &str) -> bool {
        self.superseded
            .binary_search_by(|(old, new)| (old.as_str(), new.as_str()).cmp(&(b, a)))
            .is_ok()
    }

    /// Loads exactly the named built-in packs, plus every pack in `rule_dirs`.
    pub fn load(packs: &[String], rule_dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
        RuleSet::load_with(packs, rule_dirs, &[])
    }

    /// Like [`RuleSet::load`], with more rules, lists and facts given as text; they
    /// may use the built-in lists and facts, and the built-in packs' rules may be
    /// named in their `supersedes`.
    pub fn load_with(
        packs: &[String],
        rule_dirs: &[PathBuf],
        texts: &[RuleText],
    ) -> Result<RuleSet, RuleError> {
        let mut library = source::Library::builtin()?;
        for dir in rule_dirs {
            library.add_dir(dir)?;
        }
        for text in texts {
            library.add_text(text)?;
        }
        let mut selected: Vec<&RuleFile> = Vec::new();
        for name in packs {
            let files = library
                .builtin_pack(name)
                .ok_or_else(|| RuleError::UnknownPack {
                    name: name.clone(),
                    available: builtin_packs().join(", "),
                })?;
            selected.extend(files);
        }
        selected.extend(library.custom_rules());
        let known_ids: HashSet<String> = library.all_ids().map(str::to_string).collect();
        let context = compile::Referable {
            lists: &library.lists,
            facts: &library.facts,
            known_ids: &known_ids,
        };
        let (set, detector) = rayon::join(
            || compile::compile_all(&selected, &context),
            || detector_of(&library),
        );
        let mut set = set?;
        set.keep_detector(detector)?;
        let mut names: Vec<&str> = packs.iter().map(String::as_str).collect();
        names.extend(library.custom_rules().iter().map(|r| r.pack.as_str()));
        names.sort_unstable();
        names.dedup();
        set.packs = names
            .into_iter()
            .map(|name| {
                library
                    .packs
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| PackInfo {
                        name: name.to_string(),
                        version: "unversioned".into(),
                        description: String::new(),
                        title: None,
                    })
            })
            .collect();
        Ok(set)
    }

    /// This rule set as `settings` configure it (see [`RuleSet::configure`]),
    /// sharing the compiled regexes: configuring costs no compilation.
    pub fn configured(&self, settings: &RuleSettings) -> RuleSet {
        let mut rules = self.clone();
        rules.configure(settings);
        rules
    }

    /// Keeps the rules `settings` select and not ignore, with their configured
    /// severities (`off` drops a rule). Patterns are rule ids or globs (`gdpr/*`).
    pub fn configure(&mut self, settings: &RuleSettings) {
        let matchers = |patterns: &[String]| -> Vec<globset::GlobMatcher> {
            // Patterns were checked when the configuration or command line was read.
            patterns.iter().filter_map(|p| rule_glob(p).ok()).collect()
        };
        let select = matchers(&settings.select);
        let ignore = matchers(&settings.ignore);
        let levels: Vec<(globset::GlobMatcher, Level)> = settings
            .severity
            .iter()
            .filter_map(|(p, level)| Some((rule_glob(p).ok()?, *level)))
            .collect();
        self.rules.retain_mut(|rule| {
            if !select.is_empty() && !select.iter().any(|m| m.is_match(&rule.id)) {
                return false;
            }
            if ignore.iter().any(|m| m.is_match(&rule.id)) {
                return false;
            }
            // A rule's own entry wins over a glob that also matches it.
            let level = settings.severity.get(&rule.id).or_else(|| {
                levels
                    .iter()
                    .find(|(m, _)| m.is_match(&rule.id))
                    .map(|(_, l)| l)
            });
            match level {
                Some(level) => match level.severity() {
                    Some(severity) => {
                        rule.severity = severity;
                        // A severity set by the user holds for every finding of the
                        // rule, whatever the category of the service.
                        if let Some(check) = &mut rule.services {
                            check.severity.clear();
                        }
                        true
                    }
                    None => false,
                },
                None => true,
            }
        });
        let loaded: HashSet<&str> = self.rules.iter().map(|r| r.id.as_str()).collect();
        self.superseded
            .retain(|(old, new)| loaded.contains(old.as_str()) && loaded.contains(new.as_str()));
    }

    /// The leaves (ascending) that the loaded rules, and the facts they ask about,
    /// can read: the others are never searched.
    pub fn leaves_in_use(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self.rules.iter().flat_map(|r| self.leaves_of(r)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The leaves (ascending) that one rule, and the fact it asks about, can read.
    pub fn leaves_of(&self, rule: &Rule) -> Vec<usize> {
        let mut out = Vec::new();
        let mut fact = None;
        match &rule.when {
            Some(When::Text(clause)) => clause.matcher.add_leaves(&mut out),
            Some(When::Fact(i)) => fact = self.facts.get(*i),
            Some(When::SiteLoads { or, .. }) => {
                or.iter().for_each(|c| c.matcher.add_leaves(&mut out));
            }
            None => {}
        }
        let clauses = rule
            .require
            .iter()
            .chain(rule.forbid.iter().map(|f| &f.clause));
        clauses.for_each(|c| c.matcher.add_leaves(&mut out));
        let others = rule.forbid.iter().filter_map(|f| f.unless.as_ref());
        others
            .chain(rule.hints.iter().map(|h| &h.matcher))
            .chain(rule.date.iter().map(|d| &d.cue))
            .for_each(|m| m.add_leaves(&mut out));
        out.extend(rule.date.iter().map(|d| d.date_leaf));
        out.extend(rule.metrics.iter().filter_map(|m| m.terms_leaf));
        if let Some(fact) = fact {
            fact.add_leaves(&mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The fact with this name.
    pub fn fact(&self, name: &str) -> Option<usize> {
        self.facts.iter().position(|f| f.name == name)
    }

    /// Compiles the given rule files against the given lists (beside the built-in
    /// ones, which they replace by name) and the built-in facts (for tests and tools).
    pub fn from_files(
        files: &[RuleFile],
        lists: &BTreeMap<String, Vec<String>>,
    ) -> Result<RuleSet, RuleError> {
        let refs: Vec<&RuleFile> = files.iter().collect();
        let known_ids: HashSet<String> = files.iter().map(|f| f.id.clone()).collect();
        let builtin = source::Library::builtin()?;
        let mut all_lists = builtin.lists.clone();
        all_lists.extend(lists.iter().map(|(k, v)| (k.clone(), v.clone())));
        let context = compile::Referable {
            lists: &all_lists,
            facts: &builtin.facts,
            known_ids: &known_ids,
        };
        let mut set = compile::compile_all(&refs, &context)?;
        set.keep_detector(detector_of(&builtin))?;
        Ok(set)
    }

    /// Keeps the detector of services (or why it could not be made) when a rule
    /// needs it.
    fn keep_detector(&mut self, detector: Result<Detector, RuleError>) -> Result<(), RuleError> {
        if self.rules.iter().any(Rule::reads_site) {
            self.detector = Some(Arc::new(detector?));
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The detector of the services a page loads, from the service catalogue (and the
/// products that name no service, `rules/lists/other-products.yaml`). Made while the
/// rules compile, on another core, and dropped if no rule reads the site.
fn detector_of(library: &source::Library) -> Result<Detector, RuleError> {
    let catalogue = services::ServiceCatalogue::from_library(library)?;
    let products = library
        .lists
        .get(OTHER_PRODUCTS)
        .map_or(&[][..], Vec::as_slice);
    Ok(Detector::new(&catalogue, products))
}

/// Every rule id there is: the built-in packs' and those in `rule_dirs`.
pub fn rule_ids(rule_dirs: &[PathBuf]) -> Result<Vec<String>, RuleError> {
    let mut library = source::Library::builtin()?;
    for dir in rule_dirs {
        library.add_dir(dir)?;
    }
    Ok(library.all_ids().map(str::to_string).collect())
}

impl RuleError {
    /// An error at a byte range of a rule file.
    pub(crate) fn at(
        path: &str,
        text: &str,
        at: (usize, usize),
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) -> RuleError {
        let (shown, start, len) = crate::snippet::readable(text, at.0, at.1);
        RuleError::Invalid(Box::new(InvalidRule {
            message: crate::snippet::readable_text(message.into()),
            src: NamedSource::new(path, shown),
            span: (start, len).into(),
            label: crate::snippet::readable_text(label.into()),
            help: help.map(crate::snippet::readable_text),
        }))
    }

    pub(crate) fn from_yaml(path: &str, text: &str, err: &serde_saphyr::Error) -> RuleError {
        let at = err.location().map_or((0, 0), |l| source_range(text, &l));
        let message = yaml_message(err);
        let help = message
            .contains("unknown field")
            .then(|| "see rules/README.md for the keys a rule file may contain".to_string());
        RuleError::at(
            path,
            text,
            at,
            format!("invalid rule file: {message}"),
            message,
            help,
        )
    }
}

/// A YAML error's message without its position (the report shows the place).
pub fn yaml_message(err: &serde_saphyr::Error) -> String {
    let message = strip_yaml_prefix(&err.without_snippet().to_string());
    // The reader's safety limits stop alias bombs ("billion laughs") and deep nesting.
    match message.strip_prefix("budget breached: ") {
        Some(limit) => format!(
            "too much YAML to read ({limit}): aliases (`*name`) that repeat large anchors, or very deep nesting, expand past the safety limit; write the values out"
        ),
        None => crate::snippet::readable_text(message),
    }
}

/// "error: line 4 column 5: unknown field" → "unknown field".
fn strip_yaml_prefix(message: &str) -> String {
    let message = message.strip_prefix("error: ").unwrap_or(message);
    match message.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest.to_string(),
        _ => message.to_string(),
    }
    .lines()
    .next()
    .unwrap_or_default()
    .to_string()
}

/// The byte range a YAML location points at.
pub fn source_range(text: &str, location: &serde_saphyr::Location) -> (usize, usize) {
    let span = location.span();
    if let (Some(offset), Some(len)) = (span.byte_offset(), span.byte_len()) {
        return (offset as usize, len as usize);
    }
    // Fall back to line and column (both 1-based, column in characters).
    let line_start: usize = text
        .split_inclusive('\n')
        .take(location.line().saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let column = text[line_start.min(text.len())..]
        .char_indices()
        .nth(location.column().saturating_sub(1) as usize)
        .map_or(0, |(i, _)| i);
    (line_start + column, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_leaf_of_the_built_in_rules_is_in_use() {
        let packs: Vec<String> = builtin_packs().iter().map(|p| p.to_string()).collect();
        let set = RuleSet::load(&packs, &[]).unwrap();
        let mut reached = set.leaves_in_use();
        // Facts that no loaded rule asks about are never read.
        for fact in &set.facts {
            fact.add_leaves(&mut reached);
        }
        reached.sort_unstable();
        reached.dedup();
        assert_eq!(reached, (0..set.leaves.len()).collect::<Vec<_>>());
    }

    #[test]
    fn selecting_rules_leaves_the_others_leaves_out() {
        let packs: Vec<String> = builtin_packs().iter().map(|p| p.to_string()).collect();
        let all = RuleSet::load(&packs, &[]).unwrap();
        let one = all.configured(&RuleSettings {
            select: vec!["core/last-updated".into()],
            ..RuleSettings::default()
        });
        let (in_all, in_one) = (all.leaves_in_use(), one.leaves_in_use());
        assert!(!in_one.is_empty());
        assert!(in_one.len() * 10 < in_all.len());
        assert!(in_one.iter().all(|leaf| in_all.contains(leaf)));
    }
}
