//! From checked YAML to compiled rules: regexes built once, shared across rules.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use regex::{Regex, RegexBuilder};
use serde_saphyr::Spanned;

use super::macros;
use super::schema::{
    FactSpec, MatcherSpec, Measure, MetricSpec, ReferenceSpec, RuleSpec, Scope, TermsSpec,
};
use super::services::Category;
use super::{
    Clause, DateCheck, Denial, Examples, Fact, Forbid, Hint, Leaf, Leaves, Metric,
    REGEX_SIZE_LIMIT, Rule, RuleError, RuleFile, RuleSet, SectionPattern, ServiceCheck, When,
    source_range,
};
use crate::diagnostic::Reference;

/// A compiled matcher; leaves refer to [`RuleSet::leaves`].
#[derive(Debug, Clone)]
pub enum Matcher {
    Leaf(usize),
    All(Vec<Matcher>),
    Any(Vec<Matcher>),
    /// At least `n` of the parts, each anywhere in the unit.
    AtLeast {
        n: usize,
        parts: Vec<Matcher>,
    },
    Not(Box<Matcher>),
    /// The first part, with every other part within `within` words of it.
    Near {
        within: usize,
        parts: Vec<Matcher>,
    },
}

impl Matcher {
    /// Adds the leaves this matcher reads to `out`.
    pub fn add_leaves(&self, out: &mut Vec<usize>) {
        match self {
            Matcher::Leaf(leaf) => out.push(*leaf),
            Matcher::All(parts)
            | Matcher::Any(parts)
            | Matcher::AtLeast { parts, .. }
            | Matcher::Near { parts, .. } => parts.iter().for_each(|p| p.add_leaves(out)),
            Matcher::Not(inner) => inner.add_leaves(out),
        }
    }
}

/// What rules may refer to besides themselves.
pub(super) struct Referable<'a> {
    pub lists: &'a BTreeMap<String, Vec<String>>,
    pub facts: &'a BTreeMap<String, RuleFile>,
    /// Every rule id that exists, loaded or not (for `supersedes`).
    pub known_ids: &'a HashSet<String>,
}

pub(super) fn compile_all(files: &[&RuleFile], context: &Referable) -> Result<RuleSet, RuleError> {
    let mut compiler = Compiler {
        lists: context.lists,
        leaves: Vec::new(),
        leaf_ids: HashMap::new(),
        fact_ids: HashMap::new(),
        known_ids: context.known_ids,
    };
    let mut facts = Vec::with_capacity(context.facts.len());
    for (name, file) in context.facts {
        compiler.fact_ids.insert(name.clone(), facts.len());
        facts.push(compiler.fact(name, file)?);
    }
    let mut rules = Vec::with_capacity(files.len());
    let mut seen = HashSet::new();
    for file in files {
        if !seen.insert(file.id.clone()) {
            return Err(RuleError::at(
                &file.path,
                &file.text,
                (0, 0),
                format!("rule `{}` is defined twice", file.id),
                "second definition",
                Some("rename the file: a rule's id is pack/file-stem".into()),
            ));
        }
        rules.push(compiler.rule(file)?);
    }
    // A more specific rule names the general ones it supersedes: both run and keep
    // their outcomes; the engine reports a gap they share once (src/gaps.rs).
    let mut direct = Vec::new();
    for rule in &rules {
        for old in &rule.supersedes {
            if seen.contains(old) {
                direct.push((old.clone(), rule.id.clone()));
            }
        }
    }
    let superseded = closure(&direct);
    if let Some((a, _)) = superseded.iter().find(|(old, new)| old == new) {
        let file = files.iter().find(|f| f.id == *a).copied();
        let (path, text) = file.map_or(("", ""), |f| (f.path.as_str(), f.text.as_str()));
        return Err(RuleError::at(
            path,
            text,
            (0, 0),
            format!("`{a}` supersedes itself through a chain of `supersedes`"),
            "a cycle in `supersedes`",
            Some("only the more specific rule should name the other".into()),
        ));
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(RuleSet {
        rules,
        leaves: Arc::new(compile_leaves(
            &compiler.leaves,
            files.iter().copied().chain(context.facts.values()),
        )?),
        facts,
        superseded,
        packs: Vec::new(),
        detector: None,
    })
}

/// Every (superseded, superseding) pair that a chain of direct pairs implies,
/// sorted; a rule paired with itself means a cycle.
fn closure(direct: &[(String, String)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = direct.to_vec();
    loop {
        let mut found = Vec::new();
        for (a, b) in &pairs {
            for (c, d) in &pairs {
                if b == c && !pairs.contains(&(a.clone(), d.clone())) {
                    found.push((a.clone(), d.clone()));
                }
            }
        }
        if found.is_empty() {
            break;
        }
        found.sort();
        found.dedup();
        pairs.extend(found);
    }
    pairs.sort();
    pairs.dedup();
    pairs
}

fn reference(spec: ReferenceSpec) -> Reference {
    match spec {
        ReferenceSpec::Plain(text) => Reference {
            text,
            kind: None,
            url: None,
        },
        ReferenceSpec::Detailed(r) => Reference {
            text: r.cite,
            kind: r.kind,
            url: r.url,
        },
    }
}

/// Where a matcher sits decides which extra keys it may carry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `when` and `require`: may set `scope`.
    Clause,
    /// A fact's `infer`: may set `scope`.
    Infer,
    /// An item of `forbid`: may set `scope`, `unless` and `message`.
    Forbid,
    /// A `hint` item: may set `message`.
    Hint,
    /// Inside `all`, `any`, `not`, `near` or `unless`.
    Nested,
}

struct Compiler<'a> {
    lists: &'a BTreeMap<String, Vec<String>>,
    /// The leaf regexes, made all at once (in parallel) when every rule is read.
    leaves: Vec<PendingLeaf>,
    leaf_ids: HashMap<String, usize>,
    fact_ids: HashMap<String, usize>,
    known_ids: &'a HashSet<String>,
}

/// A leaf regex to check when every rule is read, with where its rule wrote it (for
/// the error if it does not compile).
struct PendingLeaf {
    pattern: String,
    /// A `terms` list rather than a `pattern`.
    terms: bool,
    path: String,
    at: (usize, usize),
}

/// Makes the leaves on all cores (those that could be too large are compiled now, the
/// others on first use: see [`Leaf`]). A leaf that does not compile is reported at
/// its place in its rule file, found among `files`.
fn compile_leaves<'f>(
    pending: &[PendingLeaf],
    mut files: impl Iterator<Item = &'f RuleFile>,
) -> Result<Leaves, RuleError> {
    use rayon::prelude::*;
    let made: Vec<Result<_, String>> = pending
        .par_iter()
        .map(|leaf| Leaf::made(leaf.pattern.clone(), leaf.terms))
        .collect();
    let mut leaves = Vec::with_capacity(made.len());
    let mut needs = Vec::with_capacity(made.len());
    for (leaf, result) in pending.iter().zip(made) {
        match result {
            Ok((made, need)) => {
                leaves.push(made);
                needs.push(need);
            }
            Err(e) => {
                let text = files
                    .find(|f| f.path == leaf.path)
                    .map_or("", |f| f.text.as_str());
                let (message, label) = if leaf.terms {
                    ("these terms do not compile", "too large")
                } else {
                    ("invalid regex in pattern", "this pattern does not compile")
                };
                return Err(RuleError::at(
                    &leaf.path,
                    text,
                    leaf.at,
                    message,
                    label,
                    Some(e),
                ));
            }
        }
    }
    Ok(Leaves::with_needs(leaves, needs))
}

/// The rule file being compiled: its errors point into it.
struct RuleFileErrors<'f> {
    file: &'f RuleFile,
}

impl RuleFileErrors<'_> {
    /// A leaf to compile later, written at `location` of this file.
    fn pending(
        &self,
        pattern: String,
        terms: bool,
        location: &serde_saphyr::Location,
    ) -> PendingLeaf {
        PendingLeaf {
            pattern,
            terms,
            path: self.file.path.clone(),
            at: source_range(&self.file.text, location),
        }
    }

    fn error<T>(
        &self,
        location: &serde_saphyr::Location,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) -> Result<T, RuleError> {
        let at = source_range(&self.file.text, location);
        Err(RuleError::at(
            &self.file.path,
            &self.file.text,
            at,
            message,
            label,
            help,
        ))
    }
}

impl Compiler<'_> {
    fn fact(&mut self, name: &str, file: &RuleFile) -> Result<Fact, RuleError> {
        let spec: FactSpec = serde_saphyr::from_str(&file.text)
            .map_err(|e| RuleError::from_yaml(&file.path, &file.text, &e))?;
        let ctx = RuleFileErrors { file };
        let denial = match (&spec.infer_no, spec.if_unknown) {
            (Some(m), Some(if_unknown)) => Some(Denial {
                infer_no: self.clause(&ctx, m, Place::Infer)?,
                if_unknown,
            }),
            (Some(m), None) => {
                return ctx.error(
                    &m.referenced,
                    "a fact with `infer-no` needs `if-unknown`",
                    "the text may say neither",
                    Some("add `if-unknown:`, what to say when the text settles neither way, e.g. \"the policy does not say whether personal information is sold\"".into()),
                );
            }
            (None, Some(_)) => {
                return ctx.error(
                    &spec.infer.referenced,
                    "`if-unknown` is said only by a fact with `infer-no`",
                    "without `infer-no`, a text that does not match this makes the fact false",
                    Some("add `infer-no:` (the text that makes the fact false), or remove `if-unknown`".into()),
                );
            }
            (None, None) => None,
        };
        Ok(Fact {
            name: name.to_string(),
            description: spec.description,
            infer: self.clause(&ctx, &spec.infer, Place::Infer)?,
            if_yes: spec.if_yes,
            if_no: spec.if_no,
            denial,
        })
    }

    fn when(
        &mut self,
        ctx: &RuleFileErrors,
        spec: &Spanned<MatcherSpec>,
    ) -> Result<When, RuleError> {
        let m = &spec.value;
        if let Some(categories) = &m.site_loads {
            return self.site_loads(ctx, spec, categories);
        }
        let Some(fact) = &spec.value.fact else {
            return Ok(When::Text(self.clause(ctx, spec, Place::Clause)?));
        };
        let alone = m.scope.is_none()
            && m.pattern.is_none()
            && m.terms.is_none()
            && m.all.is_none()
            && m.any.is_none()
            && m.not.is_none()
            && m.near.is_none();
        if !alone {
            return ctx.error(
                &spec.referenced,
                "`fact` stands alone in `when`",
                "a fact and a matcher together",
                Some("write either `when: {fact: NAME}` or a matcher".into()),
            );
        }
        match self.fact_ids.get(&fact.value) {
            Some(&i) => Ok(When::Fact(i)),
            None => {
                let mut known: Vec<&str> = self.fact_ids.keys().map(String::as_str).collect();
                known.sort_unstable();
                ctx.error(
                    &fact.referenced,
                    format!("unknown fact `{}`", fact.value),
                    "no such fact",
                    Some(format!(
                        "facts are defined in rules/facts/NAME.yaml; known facts: {}",
                        known.join(", ")
                    )),
                )
            }
        }
    }

    /// `when: {site-loads: [CATEGORY, ...], or: MATCHER}`.
    fn site_loads(
        &mut self,
        ctx: &RuleFileErrors,
        spec: &Spanned<MatcherSpec>,
        categories: &Spanned<Vec<Category>>,
    ) -> Result<When, RuleError> {
        let m = &spec.value;
        let alone =
            m.fact.is_none() && m.kinds().iter().all(|(_, used)| !used) && m.scope.is_none();
        if !alone {
            return ctx.error(
                &spec.referenced,
                "`site-loads` goes with nothing but `or` in `when`",
                "site-loads and a matcher side by side",
                Some("put the text to look for under `or:`, e.g. `when: {site-loads: [analytics], or: {terms: [analytics]}}`".into()),
            );
        }
        if categories.value.is_empty() {
            return ctx.error(
                &categories.referenced,
                "`site-loads` needs at least one category",
                "empty list",
                Some(
                    "list categories of the service catalogue, e.g. `[analytics, session-replay]`"
                        .into(),
                ),
            );
        }
        let or = match &m.or {
            Some(or) => Some(self.clause(ctx, or, Place::Clause)?),
            None => None,
        };
        Ok(When::SiteLoads {
            categories: categories.value.clone(),
            or,
        })
    }

    fn metric(
        &mut self,
        ctx: &RuleFileErrors,
        spec: &Spanned<MetricSpec>,
    ) -> Result<Metric, RuleError> {
        let m = &spec.value;
        let terms_leaf = match (&m.terms, m.measure) {
            (Some(t), Measure::TermDensity) => {
                Some(self.leaf_terms(ctx, &t.value, &t.referenced)?)
            }
            (None, Measure::TermDensity) => {
                return ctx.error(
                    &spec.referenced,
                    "`term-density` counts `terms`, and none are given",
                    "no terms",
                    None,
                );
            }
            (Some(t), _) => {
                return ctx.error(
                    &t.referenced,
                    "only `term-density` counts `terms`",
                    "not used",
                    None,
                );
            }
            (None, _) => None,
        };
        Ok(Metric {
            measure: m.measure,
            max: m.max,
            terms_leaf,
            message: m.message.clone(),
        })
    }

    fn rule(&mut self, file: &RuleFile) -> Result<Rule, RuleError> {
        let spec: RuleSpec = serde_saphyr::from_str(&file.text)
            .map_err(|e| RuleError::from_yaml(&file.path, &file.text, &e))?;
        let ctx = RuleFileErrors { file };
        if spec.require.is_none()
            && spec.forbid.is_empty()
            && spec.date.is_none()
            && spec.metrics.is_empty()
            && spec.services.is_none()
        {
            return Err(RuleError::at(
                &file.path,
                &file.text,
                (0, 0),
                format!("rule `{}` has nothing to check", file.id),
                "no `require`, `forbid`, `date`, `metrics` or `services` here",
                Some("add a `require` (what the policy must say), a `forbid` (what it must not say), a `date` check, `metrics` or `services`".into()),
            ));
        }
        let section = match &spec.section {
            Some(s) => Some(SectionPattern {
                regex: self.regex(&ctx, &s.value, &s.referenced, "section")?,
                written: s.value.clone(),
            }),
            None => None,
        };
        let when = spec.when.as_ref().map(|m| self.when(&ctx, m)).transpose()?;
        let metrics = spec
            .metrics
            .iter()
            .map(|m| self.metric(&ctx, m))
            .collect::<Result<Vec<_>, RuleError>>()?;
        let mut supersedes = Vec::new();
        for old in &spec.supersedes {
            if old.value == file.id {
                return ctx.error(
                    &old.referenced,
                    "a rule cannot supersede itself",
                    "its own id",
                    None,
                );
            }
            if !self.known_ids.contains(&old.value) {
                return ctx.error(
                    &old.referenced,
                    format!("`{}` is not a known rule", old.value),
                    "no such rule",
                    Some("name a rule id as pack/file-stem, e.g. core/retention-period".into()),
                );
            }
            supersedes.push(old.value.clone());
        }
        let require = spec
            .require
            .as_ref()
            .map(|m| self.clause(&ctx, m, Place::Clause))
            .transpose()?;
        let forbid = spec
            .forbid
            .iter()
            .map(|m| {
                Ok(Forbid {
                    clause: self.clause(&ctx, m, Place::Forbid)?,
                    unless: m
                        .value
                        .unless
                        .as_deref()
                        .map(|u| self.matcher(&ctx, u, Place::Nested))
                        .transpose()?,
                    message: m.value.message.as_ref().map(|s| s.value.clone()),
                })
            })
            .collect::<Result<Vec<_>, RuleError>>()?;
        let hints = spec
            .hint
            .iter()
            .map(|m| {
                Ok(Hint {
                    matcher: self.matcher(&ctx, m, Place::Hint)?,
                    message: m.value.message.as_ref().map(|s| s.value.clone()),
                })
            })
            .collect::<Result<Vec<_>, RuleError>>()?;
        let date = match &spec.date {
            Some(d) => Some(DateCheck {
                cue: self.matcher(&ctx, &d.value.cue, Place::Nested)?,
                date_leaf: self.leaf_pattern(&ctx, "{date}", &d.referenced)?,
                max_age_months: d.value.max_age_months,
            }),
            None => None,
        };
        let examples = match spec.examples {
            Some(e) => {
                let today = match &e.value.today {
                    Some(t) => Some(t.value.parse().or_else(|_| {
                        ctx.error(
                            &t.referenced,
                            format!("`today` must be a date as YYYY-MM-DD, not `{}`", t.value),
                            "not a date",
                            None,
                        )
                    })?),
                    None => None,
                };
                Examples {
                    pass: e.value.pass,
                    fail: e.value.fail,
                    today,
                }
            }
            None => Examples::default(),
        };
        Ok(Rule {
            id: file.id.clone(),
            pack: file.pack.clone(),
            path: file.path.clone(),
            title: spec.title,
            severity: spec.severity,
            message: spec.message,
            help: spec.help,
            references: spec.references.into_iter().map(reference).collect(),
            section,
            when,
            require,
            forbid,
            hints,
            date,
            metrics,
            services: spec.services.map(|s| ServiceCheck {
                severity: s.value.severity,
                optional: s.value.optional,
            }),
            supersedes,
            examples,
        })
    }

    fn clause(
        &mut self,
        ctx: &RuleFileErrors,
        spec: &Spanned<MatcherSpec>,
        place: Place,
    ) -> Result<Clause, RuleError> {
        Ok(Clause {
            scope: spec
                .value
                .scope
                .as_ref()
                .map_or(Scope::default(), |s| s.value),
            matcher: self.matcher(ctx, spec, place)?,
        })
    }

    fn matcher(
        &mut self,
        ctx: &RuleFileErrors,
        spec: &Spanned<MatcherSpec>,
        place: Place,
    ) -> Result<Matcher, RuleError> {
        let m = &spec.value;
        if let Some(fact) = &m.fact {
            return ctx.error(
                &fact.referenced,
                "`fact` is only allowed alone at the top of `when`",
                "fact not allowed here",
                None,
            );
        }
        if let Some(loads) = &m.site_loads {
            return ctx.error(
                &loads.referenced,
                "`site-loads` is only allowed at the top of `when`",
                "site-loads not allowed here",
                None,
            );
        }
        if let Some(or) = &m.or {
            return ctx.error(
                &or.referenced,
                "`or` is only allowed beside `site-loads` at the top of `when`",
                "or not allowed here",
                Some("to match any of several texts, write `any: [...]`".into()),
            );
        }
        if let Some(scope) = &m.scope
            && !matches!(place, Place::Clause | Place::Forbid | Place::Infer)
        {
            return ctx.error(
                &scope.referenced,
                "`scope` is only allowed at the top of `when`, `require` or a `forbid` item",
                "scope not allowed here",
                Some("set the scope on the enclosing clause".into()),
            );
        }
        if let Some(message) = &m.message
            && !matches!(place, Place::Forbid | Place::Hint)
        {
            return ctx.error(
                &message.referenced,
                "`message` is only allowed on a `forbid` or `hint` item",
                "message not allowed here",
                None,
            );
        }
        if let Some(unless) = &m.unless
            && place != Place::Forbid
        {
            return ctx.error(
                &unless.referenced,
                "`unless` is only allowed on a `forbid` item",
                "unless not allowed here",
                None,
            );
        }
        let kinds = m.kinds();
        let used = kinds.iter().filter(|(_, set)| *set).count();
        if used != 1 {
            let what = if used == 0 { "no" } else { "more than one" };
            let names: Vec<&str> = kinds.iter().map(|(name, _)| *name).collect();
            return ctx.error(
                &spec.referenced,
                format!("this matcher has {what} kind of match"),
                format!("expected exactly one of {}", names.join(", ")),
                Some("combine several matchers with `all:` or `any:`".into()),
            );
        }
        if let Some(p) = &m.pattern {
            return Ok(Matcher::Leaf(self.leaf_pattern(
                ctx,
                &p.value,
                &p.referenced,
            )?));
        }
        if let Some(t) = &m.terms {
            return Ok(Matcher::Leaf(self.leaf_terms(
                ctx,
                &t.value,
                &t.referenced,
            )?));
        }
        let list = |this: &mut Self, items: &[Spanned<MatcherSpec>]| {
            if items.is_empty() {
                return ctx.error(
                    &spec.referenced,
                    "an empty list matches nothing",
                    "empty",
                    None,
                );
            }
            items
                .iter()
                .map(|i| this.matcher(ctx, i, Place::Nested))
                .collect::<Result<Vec<_>, _>>()
        };
        if let Some(items) = &m.all {
            return Ok(Matcher::All(list(self, items)?));
        }
        if let Some(items) = &m.any {
            return Ok(Matcher::Any(list(self, items)?));
        }
        if let Some(at_least) = &m.at_least {
            let spec = &at_least.value;
            if spec.n == 0 || spec.n as usize > spec.of.len() {
                return ctx.error(
                    &at_least.referenced,
                    format!(
                        "`at-least` asks for {} of {} matchers",
                        spec.n,
                        spec.of.len()
                    ),
                    "impossible count",
                    Some(
                        "`n` must be at least 1 and at most the number of matchers in `of`".into(),
                    ),
                );
            }
            return Ok(Matcher::AtLeast {
                n: spec.n as usize,
                parts: list(self, &spec.of)?,
            });
        }
        if let Some(inner) = &m.not {
            return Ok(Matcher::Not(Box::new(self.matcher(
                ctx,
                inner,
                Place::Nested,
            )?)));
        }
        let near = m.near.as_ref().map(|n| &n.value);
        let Some(near) = near else {
            unreachable!("exactly one kind is set, checked above")
        };
        if near.all.len() < 2 {
            return ctx.error(
                &spec.referenced,
                "`near` needs at least two matchers in `all`",
                "too few matchers",
                None,
            );
        }
        Ok(Matcher::Near {
            within: near.within as usize,
            parts: list(self, &near.all)?,
        })
    }

    /// The pattern with its macros expanded.
    fn expand(
        &self,
        ctx: &RuleFileErrors,
        pattern: &str,
        at: &serde_saphyr::Location,
        what: &str,
    ) -> Result<String, RuleError> {
        macros::expand(pattern).or_else(|unknown| {
            ctx.error(
                at,
                format!("unknown macro `{{{}}}` in {what}", unknown.name),
                "unknown macro",
                Some(format!(
                    "the macros are {}; write \\{{ for a literal brace",
                    macros::NAMES
                        .iter()
                        .map(|n| format!("{{{n}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            )
        })
    }

    fn regex(
        &mut self,
        ctx: &RuleFileErrors,
        pattern: &str,
        at: &serde_saphyr::Location,
        what: &str,
    ) -> Result<Regex, RuleError> {
        let expanded = self.expand(ctx, pattern, at, what)?;
        RegexBuilder::new(&expanded)
            .case_insensitive(true)
            .multi_line(true)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .or_else(|e| {
                ctx.error(
                    at,
                    format!("invalid regex in {what}"),
                    "this pattern does not compile",
                    Some(e.to_string()),
                )
            })
    }

    fn leaf_pattern(
        &mut self,
        ctx: &RuleFileErrors,
        pattern: &str,
        at: &serde_saphyr::Location,
    ) -> Result<usize, RuleError> {
        let key = format!("pattern:{pattern}");
        if let Some(&id) = self.leaf_ids.get(&key) {
            return Ok(id);
        }
        // Parsed (and checked) with the other leaves, in parallel: `compile_leaves`.
        let expanded = self.expand(ctx, pattern, at, "pattern")?;
        Ok(self.add_leaf(key, ctx.pending(expanded, false, at)))
    }

    fn leaf_terms(
        &mut self,
        ctx: &RuleFileErrors,
        terms: &TermsSpec,
        at: &serde_saphyr::Location,
    ) -> Result<usize, RuleError> {
        let owned;
        let terms: &[String] = match terms {
            TermsSpec::Inline(t) => t,
            TermsSpec::List(name) => {
                let Some(list) = name.strip_prefix('@') else {
                    return ctx.error(
                        at,
                        "`terms` takes a list of phrases or the name of a list as \"@name\"",
                        "neither a list nor @name",
                        Some(format!("write `terms: [{name}]` for a single phrase")),
                    );
                };
                match self.lists.get(list) {
                    Some(t) => {
                        owned = t.clone();
                        &owned
                    }
                    None => {
                        return ctx.error(
                            at,
                            format!("unknown list `@{list}`"),
                            "no such list",
                            Some(format!(
                                "lists live in rules/lists/NAME.yaml; known lists: {}",
                                self.lists.keys().cloned().collect::<Vec<_>>().join(", ")
                            )),
                        );
                    }
                }
            }
        };
        let terms: Vec<&str> = terms
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return ctx.error(at, "`terms` is empty", "no terms", None);
        }
        let source = terms_regex(&terms);
        let key = format!("terms:{source}");
        if let Some(&id) = self.leaf_ids.get(&key) {
            return Ok(id);
        }
        Ok(self.add_leaf(key, ctx.pending(source, true, at)))
    }

    fn add_leaf(&mut self, key: String, leaf: PendingLeaf) -> usize {
        let id = self.leaves.len();
        self.leaves.push(leaf);
        self.leaf_ids.insert(key, id);
        id
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Literal phrases as one regex: whole words, any run of white space between words,
/// curly and straight apostrophes alike, hyphen variants alike. Longer phrases first,
/// so "e-mail address" wins over "e-mail".
pub(crate) fn terms_regex(terms: &[&str]) -> String {
    let mut sorted: Vec<&str> = terms.to_vec();
    sorted.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    sorted.dedup();
    let alternatives: Vec<String> = sorted
        .iter()
        .map(|term| {
            let mut out = String::new();
            if term.starts_with(is_word_char) {
                out.push_str(r"(?-u:\b)");
            }
            let mut in_space = false;
            for c in term.chars() {
                if c.is_whitespace() {
                    if !in_space {
                        out.push_str(r"\s+");
                    }
                    in_space = true;
                    continue;
                }
                in_space = false;
                match c {
                    '\'' | '’' | '‘' => out.push_str("['’‘]"),
                    '-' | '‐' | '‑' | '‒' | '–' => out.push_str("[-‐‑‒–]"),
                    _ => out.push_str(&regex::escape(&c.to_string())),
                }
            }
            if term.ends_with(is_word_char) {
                out.push_str(r"(?-u:\b)");
            }
            out
        })
        .collect();
    format!("(?:{})", alternatives.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(terms: &[&str], text: &str) -> Vec<String> {
        let re = RegexBuilder::new(&terms_regex(terms))
            .case_insensitive(true)
            .build()
            .unwrap();
        re.find_iter(text).map(|m| m.as_str().to_string()).collect()
    }

    #[test]
    fn terms_match_whole_words_with_apostrophe_and_hyphen_variants() {
        assert_eq!(
            finds(&["retain"], "we retain; retained; RETAIN"),
            vec!["retain", "RETAIN"]
        );
        assert_eq!(finds(&["you're"], "You’re here"), vec!["You’re"]);
        assert_eq!(
            finds(&["e-mail"], "e‑mail or e–mail"),
            vec!["e‑mail", "e–mail"]
        );
        assert_eq!(finds(&["how long"], "how\n  long"), vec!["how\n  long"]);
        assert_eq!(
            finds(&["[Company Name]"], "Hi [company name]."),
            vec!["[company name]"]
        );
    }
}
