//! The engine: applies every compiled rule to a document and says, per rule, whether
//! the policy passes, fails (with findings where a reader would look) or whether the
//! rule does not apply. Rules are data: nothing here knows any particular rule.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use jiff::ToSpan;
use jiff::civil::Date;
use rayon::prelude::*;

use crate::dates::{self, DateOrder};
use crate::diagnostic::{
    Diagnostic, Evidence, FileReport, Label, Outcome, References, Severity, Span, Status,
};
use crate::document::directives::{Directive, DirectiveKind};
use crate::document::{Document, Format, ReadOptions, SourceText, Splits};
use crate::fingerprint::{Identity, fingerprint};
use crate::gaps;
use crate::matcher::{Evaluator, MAX_PROSE, Memo, matches_whole_words};
use crate::metrics::TextStats;
use crate::practice::{Detector, Site};
use crate::rules::{
    Alphabet, DateCheck, Denial, Fact, Measure, Metric, Rule, RuleError, RuleSet, When,
};
use crate::span::ProseRange;

mod anchoring;
mod findings;
mod measures;
mod site;
mod suppression;

use anchoring::missing;
use findings::{Finding, MISSING, Place, diagnostic, evidence_for, file_note};
use measures::{language_of, language_sample, latest_cued_date, measure};
use site::{NO_SITE, SiteView};
use suppression::Suppressions;

/// Whether to check that a policy is in English before applying the (English) rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum LanguageCheck {
    /// Detect the language; a policy in another language gets one info finding
    /// (`lang: auto`).
    #[default]
    #[serde(rename = "auto")]
    #[cfg_attr(feature = "clap", value(name = "auto"))]
    Detect,
    /// Apply the rules whatever the text looks like (`--lang en`, `lang: en`).
    #[serde(rename = "en")]
    #[cfg_attr(feature = "clap", value(name = "en"))]
    AssumeEnglish,
}

/// Ids of the findings the linter makes about a file itself, not from a rule.
pub const ENCODING_NOTE: &str = "policylint/encoding";
pub const LANGUAGE_NOTE: &str = "policylint/language";
pub const UNUSED_SUPPRESSION: &str = "policylint/unused-suppression";

/// How much prose the language detector reads.
const LANGUAGE_SAMPLE_BYTES: usize = 20_000;
/// Below this many words the language is not judged (short texts fool detectors).
const LANGUAGE_MIN_WORDS: usize = 40;

/// The prose length from which a notice's rules are checked on all cores. Each rule
/// searches the leaves it reads only in the units it asks about, and a leaf's
/// searches are shared by the rules: searching every leaf of a long document through,
/// in parallel, did three to four times the work. (Many short files are linted in
/// parallel already.)
pub const PARALLEL_RULES_FROM: usize = 1 << 20;

/// Prose (bytes) from which rules checked on all cores are taken up costliest first.
/// On a 50 MB document that took 0.3 s off 3.4: the costliest rule no longer runs
/// alone at the end. Working out the order takes a pass over every leaf, which for a
/// 100 KB document cost more than it saved (re-lint after an edit 2.7 → 3.5 ms).
const COSTLIEST_FIRST_FROM: usize = 1 << 20;

/// Lints documents with a rule set compiled once.
pub struct Linter {
    rules: RuleSet,
    /// The leaves the loaded rules can read ([`RuleSet::leaves_in_use`]).
    leaves_in_use: Vec<usize>,
    /// The prose length from which a notice's rules are checked on all cores.
    parallel_rules_from: usize,
    /// Declared facts: index into the rule set's facts, and the value.
    facts: HashMap<usize, bool>,
    today: Date,
    date_order: DateOrder,
    read: ReadOptions,
    language: LanguageCheck,
    /// Pages of the site the policies are compared with (`--site`).
    site: Arc<Site>,
}

fn empty(path: &str) -> Box<FileReport> {
    Box::new(FileReport::failed(
        path.to_string(),
        "the file is empty: there is no policy text to lint".into(),
    ))
}

/// Why a document with too much prose is not linted.
const TOO_LONG: &str = "the policy has 4 GiB of text or more, which is more than policylint can read in one file; split it into several files";

/// The document, or a failed report when it holds no prose to lint, or too much.
fn with_policy_text(path: &str, doc: Document) -> Result<Document, Box<FileReport>> {
    if doc.prose().len() > MAX_PROSE {
        return Err(Box::new(FileReport::failed(
            path.to_string(),
            TOO_LONG.into(),
        )));
    }
    if doc.prose().trim().is_empty() {
        return Err(Box::new(FileReport::failed(
            path.to_string(),
            "no policy text: the file holds only white space, markup, scripts or site chrome"
                .into(),
        )));
    }
    Ok(doc)
}

/// Reads a file's bytes into a document as a linter with these options would
/// ([`Linter::read`]), before any linter is built: a run reads its first file while
/// the rules load. A file with no policy text to lint is its own failed report.
pub fn read_document(
    path: &str,
    bytes: Vec<u8>,
    format: Format,
    options: &ReadOptions,
) -> Result<Document, Box<FileReport>> {
    if bytes.is_empty() {
        return Err(empty(path));
    }
    match Document::read(bytes, format, options) {
        Ok(doc) => with_policy_text(path, doc),
        Err(message) => Err(Box::new(FileReport::failed(path.to_string(), message))),
    }
}

impl Linter {
    pub fn new(rules: RuleSet, today: Date) -> Linter {
        Linter {
            leaves_in_use: rules.leaves_in_use(),
            parallel_rules_from: PARALLEL_RULES_FROM,
            rules,
            today,
            date_order: DateOrder::default(),
            read: ReadOptions::default(),
            language: LanguageCheck::default(),
            facts: HashMap::new(),
            site: Arc::default(),
        }
    }

    /// Checks the rules of a notice with at least `bytes` of prose on all cores
    /// (default [`PARALLEL_RULES_FROM`]); a shorter one is checked on the thread that
    /// lints it. The findings are the same either way.
    pub fn with_parallel_rules_from(mut self, bytes: usize) -> Linter {
        self.parallel_rules_from = bytes;
        self
    }

    /// Compares every policy with these pages of its site (`--site`), besides the
    /// policy's own page when it is HTML.
    pub fn with_site(mut self, site: Arc<Site>) -> Linter {
        self.site = site;
        self
    }

    /// The service catalogue, when a loaded rule compares policies with their site.
    pub fn detector(&self) -> Option<&Detector> {
        self.rules.detector.as_deref()
    }

    /// Declares facts about the service (`--fact NAME=yes`); an unknown name is an
    /// error that lists the facts there are.
    pub fn with_facts(mut self, facts: &[(String, bool)]) -> Result<Linter, RuleError> {
        for (name, value) in facts {
            let Some(i) = self.rules.fact(name) else {
                let known: Vec<&str> = self.rules.facts.iter().map(|f| f.name.as_str()).collect();
                return Err(RuleError::UnknownFact {
                    name: name.clone(),
                    known: if known.is_empty() {
                        "(none)".to_string()
                    } else {
                        known.join(", ")
                    },
                });
            };
            self.facts.insert(i, *value);
        }
        Ok(self)
    }

    pub fn with_read_options(mut self, read: ReadOptions) -> Linter {
        self.read = read;
        self
    }

    pub fn with_language_check(mut self, language: LanguageCheck) -> Linter {
        self.language = language;
        self
    }

    pub fn with_date_order(mut self, order: DateOrder) -> Linter {
        self.date_order = order;
        self
    }

    /// Compiles the regexes for plain text ([`Alphabet::Plain`]) of the leaves the
    /// loaded rules can read, one after another, which are otherwise compiled when
    /// first searched; stops as soon as `keep_going` says so. For a caller with time
    /// to spare before the first document, such as the language server after it
    /// starts. (One core: a lint running meanwhile keeps the others.) The regexes for
    /// any text are left to be compiled when first searched: only the few sentences
    /// with other characters need them, and they take five to six times the time and
    /// memory.
    pub fn compile_regexes(&self, keep_going: impl Fn() -> bool) {
        for &leaf in &self.leaves_in_use {
            if !keep_going() {
                return;
            }
            self.rules.leaves[leaf].regex(Alphabet::Plain);
        }
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Every rule's evaluation, in the order of the rules, checked on all cores and
    /// taken up costliest first: a costly rule started last would run on one core
    /// while the others wait. A rule's cost is taken to be the sentences its leaves
    /// may match in (those that hold their literals), and every sentence for a rule
    /// that measures the text. Unless what was found is to be `remember`ed for the
    /// next version, once the last rule that reads a leaf is checked, the leaf drops
    /// its regex and search states (the next document, if any, is unlikely to be as
    /// long, and builds again the few it needs) and its matches in these documents.
    fn check_costliest_first(
        &self,
        contexts: &[DocContext],
        site: &SiteView,
        today: Date,
        remember: bool,
    ) -> Vec<Evaluation> {
        let sentences: Vec<usize> = (self.leaves_in_use.par_iter())
            .map(|&leaf| (contexts.iter()).map(|c| c.eval.count_left(leaf)).sum())
            .collect();
        let mut sentences_of_leaf = vec![0; self.rules.leaves.len()];
        for (&leaf, &n) in self.leaves_in_use.iter().zip(&sentences) {
            sentences_of_leaf[leaf] = n;
        }
        // A rule with a measure (reading ease, say) reads every sentence.
        let every_sentence: usize = (contexts.iter())
            .map(|c| c.eval.document().sentences.len())
            .sum();
        let mut order: Vec<(usize, usize)> = (self.rules.rules.iter().enumerate())
            .map(|(i, rule)| {
                let searched: usize = (self.rules.leaves_of(rule).iter())
                    .map(|&leaf| sentences_of_leaf[leaf])
                    .sum();
                let measured = if rule.metrics.is_empty() {
                    0
                } else {
                    every_sentence
                };
                (searched + measured, i)
            })
            .collect();
        order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        // How many rules still to check read each leaf.
        let readers: Vec<AtomicUsize> = (0..self.rules.leaves.len())
            .map(|_| AtomicUsize::new(0))
            .collect();
        for rule in &self.rules.rules {
            for leaf in self.rules.leaves_of(rule) {
                readers[leaf].fetch_add(1, Ordering::Relaxed);
            }
        }
        let mut checked: Vec<(usize, Evaluation)> = (order.into_iter().par_bridge())
            .map(|(_, i)| {
                let rule = &self.rules.rules[i];
                let checked = self.check(rule, contexts, site, today);
                // A long document reaches nearly every leaf, and what each holds
                // would stay to the end: about 170 MB on a 50 MB file. An editor's
                // next version would build it all again, so there it stays.
                if !remember {
                    for leaf in self.rules.leaves_of(rule) {
                        if readers[leaf].fetch_sub(1, Ordering::AcqRel) == 1 {
                            self.rules.leaves[leaf].release();
                            contexts.iter().for_each(|c| c.eval.forget(leaf));
                        }
                    }
                }
                (i, checked)
            })
            .collect();
        checked.sort_by_key(|(i, _)| *i);
        checked.into_iter().map(|(_, e)| e).collect()
    }

    pub fn today(&self) -> Date {
        self.today
    }

    /// Lints one source text. Empty input is the file's error, not a pass.
    pub fn lint(&self, path: &str, source: String, format: Format) -> FileReport {
        self.lint_bytes(path, source.into_bytes(), format)
    }

    /// Lints a file's bytes: decoded (or unpacked, for .docx) as its format says.
    pub fn lint_bytes(&self, path: &str, bytes: Vec<u8>, format: Format) -> FileReport {
        match self.read(path, bytes, format) {
            Ok(doc) => self.lint_document(path, doc),
            Err(report) => *report,
        }
    }

    /// How this linter reads files into documents (`keep-chrome`, ...).
    pub fn read_options(&self) -> &ReadOptions {
        &self.read
    }

    /// Reads a file's bytes into a document; a file with no policy text to lint is
    /// its own failed report.
    pub fn read(
        &self,
        path: &str,
        bytes: Vec<u8>,
        format: Format,
    ) -> Result<Document, Box<FileReport>> {
        read_document(path, bytes, format, &self.read)
    }

    /// Reads text that is already Unicode (an editor's buffer, a fixture with its
    /// annotations blanked out) into a document, with the same options and checks as
    /// [`Linter::read`]; the blocks `earlier` split unchanged are not split again.
    pub fn read_text(
        &self,
        path: &str,
        source: SourceText,
        format: Format,
        earlier: Option<&Splits>,
    ) -> Result<Document, Box<FileReport>> {
        if source.text.trim().is_empty() {
            return Err(empty(path));
        }
        with_policy_text(
            path,
            Document::from_source_reusing(source, format, &self.read, earlier),
        )
    }

    pub fn lint_document(&self, path: &str, doc: Document) -> FileReport {
        self.lint_document_on(path, doc, self.today)
    }

    /// Lints as if today were `today` (rule examples carry their own date).
    pub(crate) fn lint_document_on(&self, path: &str, doc: Document, today: Date) -> FileReport {
        let mut reports = self.lint_members(vec![(path.to_string(), doc)], today);
        // Invariant: one report per member.
        reports.remove(0)
    }

    /// Lints several files that together form one notice (a privacy policy and its
    /// cookie policy, say) as one document: a statement anywhere in the notice
    /// satisfies a rule; findings point into their own files; a missing statement is
    /// reported in the first file. Returns a report per member, in order.
    pub fn lint_notice(&self, members: Vec<(String, Document)>) -> Vec<FileReport> {
        self.lint_members(members, self.today)
    }

    /// Lints a new version of a document as someone edits it: the sentences it shares
    /// with the version `earlier` was made from are not searched again. Returns the
    /// memo to pass for the next version ([`Linter::lint_edited`] is the public call).
    pub(crate) fn relint(
        &self,
        path: &str,
        doc: Document,
        today: Date,
        earlier: Option<&Memo>,
    ) -> (FileReport, Memo) {
        let (mut reports, mut memos) =
            self.lint_remembering(vec![(path.to_string(), doc)], today, &[earlier], true);
        // Invariant: one report and one memo per member.
        (reports.remove(0), memos.remove(0))
    }

    fn lint_members(&self, members: Vec<(String, Document)>, today: Date) -> Vec<FileReport> {
        self.lint_remembering(members, today, &[], false).0
    }

    /// Lints the members of a notice, reusing the matches in each member's `earlier`
    /// memo, and returns the reports with, if asked to `remember`, a memo per member.
    fn lint_remembering(
        &self,
        members: Vec<(String, Document)>,
        today: Date,
        earlier: &[Option<&Memo>],
        remember: bool,
    ) -> (Vec<FileReport>, Vec<Memo>) {
        let evals: Vec<Evaluator> = members
            .iter()
            .enumerate()
            .map(|(i, (_, doc))| {
                Evaluator::reusing(doc, &self.rules.leaves, earlier.get(i).copied().flatten())
            })
            .collect();

        let mut reports: Vec<FileReport> = members
            .iter()
            .map(|(path, _)| FileReport {
                path: path.clone(),
                // Moved in from the document at the end.
                source: String::new(),
                diagnostics: Vec::new(),
                rules: Vec::with_capacity(self.rules.rules.len()),
                error: None,
                services: Vec::new(),
                baselined: 0,
            })
            .collect();
        // A long notice (or any, when one is linted at a time) has its rules checked
        // on all cores; they share its evaluator, and what each finds does not depend
        // on the order.
        let readable = |doc: &Document| doc.prose().len() <= MAX_PROSE;
        let readable_prose: usize = (members.iter())
            .filter(|(_, doc)| readable(doc))
            .map(|(_, doc)| doc.prose().len())
            .sum();
        let on_all_cores = readable_prose >= self.parallel_rules_from;
        // Members in another language are not read by the (English) rules. The
        // language is told while, if the rules are checked on all cores, where the
        // literals occur is found: every rule waits for that.
        let detect = matches!(self.language, LanguageCheck::Detect);
        let (told, ()) = rayon::join(
            || {
                (members.iter().enumerate())
                    .map(|(i, (_, doc))| {
                        (detect && readable(doc))
                            .then(|| language_of(doc, earlier.get(i).copied().flatten()))
                    })
                    .collect::<Vec<_>>()
            },
            || {
                if on_all_cores {
                    (evals.par_iter().zip(&members))
                        .filter(|(_, (_, doc))| readable(doc))
                        .for_each(|(eval, _)| eval.find_literals());
                }
            },
        );
        let mut active = Vec::new();
        let mut languages = vec![None; members.len()];
        for (i, (_, doc)) in members.iter().enumerate() {
            if doc.prose().len() > MAX_PROSE {
                reports[i].error = Some(TOO_LONG.into());
                continue;
            }
            if let Some(note) = doc.decoding_note() {
                reports[i].diagnostics.push(file_note(
                    doc,
                    ENCODING_NOTE,
                    note.to_string(),
                    "Save the page as UTF-8, or declare its encoding with <meta charset=\"...\">.",
                ));
            }
            languages[i] = told[i];
            let language = told[i].flatten();
            match language {
                Some(language) => reports[i].diagnostics.push(file_note(
                    doc,
                    LANGUAGE_NOTE,
                    format!("the policy reads as {language}; the rules are written for English, so none was applied"),
                    "Lint the English version of the policy, or pass --lang en to apply the English rules anyway.",
                )),
                None => active.push(i),
            }
        }
        let contexts: Vec<DocContext> = active
            .iter()
            .map(|&i| DocContext {
                eval: &evals[i],
                inferred: self.rules.facts.iter().map(|_| OnceLock::new()).collect(),
                denied: self.rules.facts.iter().map(|_| OnceLock::new()).collect(),
                stats: OnceLock::new(),
            })
            .collect();
        let checked_members: Vec<(&str, &Document)> = active
            .iter()
            .map(|&i| (members[i].0.as_str(), &members[i].1))
            .collect();
        let site = SiteView::new(self.detector(), &self.site, &checked_members);
        let mut suppressions: Vec<Suppressions> = members
            .iter()
            .map(|(_, doc)| Suppressions::new(doc))
            .collect();
        let checked_in_parallel: Vec<Evaluation> = if !on_all_cores || contexts.is_empty() {
            Vec::new()
        } else if readable_prose >= COSTLIEST_FIRST_FROM {
            self.check_costliest_first(&contexts, &site, today, remember)
        } else {
            (self.rules.rules.par_iter())
                .map(|rule| self.check(rule, &contexts, &site, today))
                .collect()
        };
        let mut checked_in_parallel = checked_in_parallel.into_iter();
        for rule in &self.rules.rules {
            let checked = if contexts.is_empty() {
                Evaluation::not_applicable(None)
            } else if let Some(checked) = checked_in_parallel.next() {
                checked
            } else {
                self.check(rule, &contexts, &site, today)
            };
            let mut found: Vec<Vec<Diagnostic>> = vec![Vec::new(); members.len()];
            for finding in checked.findings {
                let member = active[finding.at.member];
                found[member].push(diagnostic(&members[member].1, rule, finding));
            }
            let total: usize = found.iter().map(Vec::len).sum();
            let kept: Vec<Vec<Diagnostic>> = found
                .into_iter()
                .enumerate()
                .map(|(i, diagnostics)| {
                    diagnostics
                        .into_iter()
                        .filter(|d| !suppressions[i].suppresses(&rule.id, d))
                        .collect()
                })
                .collect();
            let status = if total > 0 && kept.iter().all(Vec::is_empty) {
                Status::Suppressed
            } else {
                checked.status
            };
            let evidence = checked.evidence.map(|at| (active[at.member], at.range));
            for (i, diagnostics) in kept.into_iter().enumerate() {
                let mut note = checked.note.clone();
                if !active.contains(&i) {
                    note = None;
                }
                let evidence = match evidence {
                    Some((member, range)) if member == i => {
                        Some(evidence_for(&members[i].1, range))
                    }
                    Some((member, _)) => {
                        let elsewhere = format!("met in {}", members[member].0);
                        note = Some(match note {
                            Some(note) => format!("{note}; {elsewhere}"),
                            None => elsewhere,
                        });
                        None
                    }
                    None => None,
                };
                reports[i].rules.push(Outcome {
                    rule: rule.id.clone(),
                    status: if active.contains(&i) {
                        status
                    } else {
                        Status::NotApplicable
                    },
                    evidence,
                    note,
                    merged_into: None,
                });
                reports[i].diagnostics.extend(diagnostics);
            }
        }
        if self.rules.rules.iter().any(Rule::reads_site) {
            for (k, &i) in active.iter().enumerate() {
                reports[i].services = site.report(k, &members[i].1);
            }
        }
        drop(site);
        gaps::merge_superseded(&mut reports, &self.rules);
        for (i, report) in reports.iter_mut().enumerate() {
            if active.contains(&i) {
                report
                    .diagnostics
                    .extend(suppressions[i].unused(&members[i].1, &self.rules));
            }
            report
                .diagnostics
                .sort_by(|a: &Diagnostic, b: &Diagnostic| {
                    (a.span.bytes.start, &a.rule).cmp(&(b.span.bytes.start, &b.rule))
                });
        }
        drop(contexts);
        let memos = if remember {
            evals
                .into_iter()
                .zip(languages)
                .map(|(eval, language)| {
                    let doc = eval.document();
                    let sample = language_sample(doc.prose()).to_string();
                    let mut memo = eval.into_memo();
                    memo.language = language.map(|language| (sample, language));
                    memo
                })
                .collect()
        } else {
            drop(evals);
            Vec::new()
        };
        for (report, (_, doc)) in reports.iter_mut().zip(members) {
            report.source = doc.into_source();
        }
        (reports, memos)
    }

    fn check(
        &self,
        rule: &Rule,
        members: &[DocContext],
        site: &SiteView,
        today: Date,
    ) -> Evaluation {
        let mut checked = Evaluation::default();
        // Said on every finding when the rule applies only because a fact is unknown.
        let mut unsettled = None;
        let trigger = match &rule.when {
            None => None,
            Some(When::Text(when)) => match find_in(members, |eval| eval.find(when)) {
                Some(at) => Some((at, "the rule applies because this is mentioned".to_string())),
                None => return Evaluation::not_applicable(None),
            },
            Some(When::SiteLoads { categories, or }) => match (site.first_of(categories), or) {
                (Some(loaded), _) => {
                    checked.note = Some(loaded);
                    None
                }
                (None, Some(text)) => match find_in(members, |eval| eval.find(text)) {
                    Some(at) => {
                        Some((at, "the rule applies because this is mentioned".to_string()))
                    }
                    None => return Evaluation::not_applicable(None),
                },
                (None, None) => {
                    return Evaluation::not_applicable(Some(if site.known {
                        let kinds: Vec<&str> = categories.iter().map(|c| c.name()).collect();
                        format!(
                            "the site loads no service of these kinds: {}",
                            kinds.join(", ")
                        )
                    } else {
                        NO_SITE.to_string()
                    }));
                }
            },
            Some(When::Fact(i)) => {
                let fact = &self.rules.facts[*i];
                match self.fact(*i, members) {
                    FactValue::Declared(true) => {
                        checked.note = Some(format!("declared: {}=yes", fact.name));
                        None
                    }
                    FactValue::Declared(false) => {
                        return Evaluation::not_applicable(Some(format!(
                            "declared: {}=no",
                            fact.name
                        )));
                    }
                    FactValue::No => {
                        return Evaluation::not_applicable(Some(format!(
                            "assumed: {} (declare --fact {}=yes if that is wrong)",
                            fact.if_no, fact.name
                        )));
                    }
                    FactValue::Unknown(unknown) => {
                        checked.note = Some(format!(
                            "not known: {unknown}, so the rule applies (declare --fact {name}=yes or --fact {name}=no to settle it)",
                            name = fact.name
                        ));
                        unsettled = Some(format!(
                            "The rule applies because {unknown}; declare the fact `{}` to settle it.",
                            fact.name
                        ));
                        None
                    }
                    FactValue::Yes(at) => {
                        checked.note = Some(format!(
                            "assumed: {} (declare --fact {}=no if that is wrong)",
                            fact.if_yes, fact.name
                        ));
                        Some((at, format!("assumed: {}", fact.if_yes)))
                    }
                }
            }
        };
        let findings = &mut checked.findings;

        let mut forbidden: Vec<(Place, Option<String>)> = Vec::new();
        for (member, ctx) in members.iter().enumerate() {
            forbidden.extend(
                forbidden_matches(rule, ctx.eval)
                    .into_iter()
                    .map(|(range, message)| (Place { member, range }, message)),
            );
        }
        if let Some(require) = &rule.require {
            match find_in(members, |eval| eval.find(require)) {
                Some(at) => checked.evidence = Some(at),
                None => findings.push(missing(rule, members, &mut forbidden)),
            }
        }
        findings.extend(forbidden.into_iter().map(|(at, message)| Finding {
            message: message.unwrap_or_else(|| rule.message.clone()),
            at,
            labels: Vec::new(),
            whole_document_about: None,
            severity: None,
            tag: None,
            elsewhere: Vec::new(),
        }));

        let mut compared = false;
        if let Some(check) = &rule.services
            && site.known
        {
            let (unnamed, named, note) = site.check(rule, check, members);
            compared = !site.loads_nothing();
            findings.extend(unnamed);
            checked.evidence = checked.evidence.or(named);
            checked.note = Some(match checked.note.take() {
                Some(earlier) => format!("{earlier}; {note}"),
                None => note,
            });
        }

        let mut dated = false;
        if let Some(check) = &rule.date
            && let Some((date, at)) = members
                .iter()
                .enumerate()
                .filter_map(|(member, ctx)| {
                    latest_cued_date(check, ctx.eval, self.date_order)
                        .map(|(date, range)| (date, Place { member, range }))
                })
                .max_by_key(|(date, _)| *date)
        {
            dated = true;
            let oldest_allowed = today
                .checked_sub((check.max_age_months as i64).months())
                .unwrap_or(Date::MIN);
            if date < oldest_allowed {
                findings.push(Finding {
                    message: rule.message.clone(),
                    at,
                    labels: vec![(
                        format!(
                            "dated {date}: more than {} months before {}",
                            check.max_age_months, today
                        ),
                        at,
                    )],
                    whole_document_about: None,
                    severity: None,
                    tag: None,
                    elsewhere: Vec::new(),
                });
            } else if checked.evidence.is_none() {
                checked.evidence = Some(at);
            }
        }

        for metric in &rule.metrics {
            for (member, ctx) in members.iter().enumerate() {
                if let Some(finding) = measure(rule, metric, ctx, member) {
                    findings.push(finding);
                }
            }
        }

        if let Some((at, label)) = trigger {
            for f in findings.iter_mut().filter(|f| f.at.member == at.member) {
                f.labels.push((label.clone(), at));
            }
        }
        if let Some(unsettled) = unsettled {
            for f in findings.iter_mut() {
                f.message = format!("{} {unsettled}", f.message);
            }
        }
        let only_a_date_check = rule.require.is_none()
            && rule.forbid.is_empty()
            && rule.metrics.is_empty()
            && rule.services.is_none();
        let only_a_site_check = rule.require.is_none()
            && rule.forbid.is_empty()
            && rule.metrics.is_empty()
            && rule.date.is_none()
            && rule.services.is_some();
        checked.status = if !checked.findings.is_empty() {
            Status::Fail
        } else if only_a_date_check && !dated {
            Status::NotApplicable
        } else if only_a_site_check && !compared {
            if !site.known {
                checked.note = Some(NO_SITE.to_string());
            }
            Status::NotApplicable
        } else {
            Status::Pass
        };
        checked
    }

    /// A fact's value for the documents linted together: declared, or inferred from
    /// the first that says it holds, else from any that says it does not.
    fn fact(&self, i: usize, members: &[DocContext]) -> FactValue<'_> {
        if let Some(&value) = self.facts.get(&i) {
            return FactValue::Declared(value);
        }
        let fact = &self.rules.facts[i];
        let holds = members.iter().enumerate().find_map(|(member, ctx)| {
            ctx.inferred_fact(i, fact)
                .map(|range| Place { member, range })
        });
        match (holds, &fact.denial) {
            (Some(at), _) => FactValue::Yes(at),
            (None, None) => FactValue::No,
            (None, Some(denial)) => {
                if members.iter().any(|ctx| ctx.denies(i, denial)) {
                    FactValue::No
                } else {
                    FactValue::Unknown(&denial.if_unknown)
                }
            }
        }
    }
}

/// The first member where `find` finds something, with where it did.
fn find_in(
    members: &[DocContext],
    find: impl Fn(&Evaluator) -> Option<(ProseRange, ProseRange)>,
) -> Option<Place> {
    members
        .iter()
        .enumerate()
        .find_map(|(member, ctx)| find(ctx.eval).map(|(_, range)| Place { member, range }))
}

/// One rule's verdict on one document.
struct Evaluation {
    status: Status,
    evidence: Option<Place>,
    findings: Vec<Finding>,
    /// What was assumed to decide it.
    note: Option<String>,
}

impl Default for Evaluation {
    fn default() -> Self {
        Evaluation {
            status: Status::Pass,
            evidence: None,
            findings: Vec::new(),
            note: None,
        }
    }
}

impl Evaluation {
    fn not_applicable(note: Option<String>) -> Evaluation {
        Evaluation {
            status: Status::NotApplicable,
            note,
            ..Evaluation::default()
        }
    }
}

/// A fact's value for the documents linted together.
enum FactValue<'a> {
    Declared(bool),
    /// Inferred true from the text at this place.
    Yes(Place),
    /// Inferred false: the text says so, or (for a fact without `infer-no`) does not
    /// say it holds.
    No,
    /// The text settles neither way (what to say of it): rules that depend on the
    /// fact apply.
    Unknown(&'a str),
}

/// What every rule shares about one document: its matches, facts and measures,
/// each worked out once, on first use.
struct DocContext<'a> {
    eval: &'a Evaluator<'a>,
    inferred: Vec<OnceLock<Option<ProseRange>>>,
    /// Per fact, whether the text says it does not hold.
    denied: Vec<OnceLock<bool>>,
    stats: OnceLock<TextStats>,
}

impl DocContext<'_> {
    /// Where this document says what makes fact `i` true, if it does. A match in a
    /// sentence that also denies the fact ("no data is transferred outside the EEA")
    /// does not count: the sentence says the opposite.
    fn inferred_fact(&self, i: usize, fact: &Fact) -> Option<ProseRange> {
        *self.inferred[i].get_or_init(|| {
            let doc = self.eval.document();
            let denied_in = |at: ProseRange| {
                fact.denial.as_ref().is_some_and(|denial| {
                    let sentence = doc.sentence_at(at.start).unwrap_or(at);
                    self.eval
                        .first(&denial.infer_no.matcher, sentence)
                        .is_some()
                })
            };
            self.eval
                .units_that_may_match(&fact.infer.matcher, fact.infer.scope)
                .flat_map(|unit| self.eval.positions(&fact.infer.matcher, unit))
                .find(|&at| !denied_in(at))
        })
    }

    /// Whether this document says fact `i` does not hold.
    fn denies(&self, i: usize, denial: &Denial) -> bool {
        *self.denied[i].get_or_init(|| self.eval.find(&denial.infer_no).is_some())
    }

    fn stats(&self) -> &TextStats {
        self.stats
            .get_or_init(|| TextStats::of(self.eval.document()))
    }
}

/// Every `forbid` match not excused by its `unless` in the same unit, in order.
fn forbidden_matches(rule: &Rule, eval: &Evaluator) -> Vec<(ProseRange, Option<String>)> {
    let mut hits = Vec::new();
    for forbid in &rule.forbid {
        for unit in eval.units_that_may_match(&forbid.clause.matcher, forbid.clause.scope) {
            let positions = eval.positions(&forbid.clause.matcher, unit);
            if positions.is_empty() {
                continue;
            }
            if let Some(unless) = &forbid.unless
                && eval.first(unless, unit).is_some()
            {
                continue;
            }
            hits.extend(positions.into_iter().map(|p| (p, forbid.message.clone())));
        }
    }
    hits.sort_by_key(|(at, _)| *at);
    // One place, one finding: a match that overlaps an earlier one of the same rule
    // ("[INSERT EMAIL]" is both a bracketed placeholder and an "insert" note) is the
    // same problem.
    let mut kept: Vec<(ProseRange, Option<String>)> = Vec::with_capacity(hits.len());
    for hit in hits {
        match kept.last() {
            Some((last, _)) if hit.0.start < last.end || hit.0 == *last => {}
            _ => kept.push(hit),
        }
    }
    kept
}
