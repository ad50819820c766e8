//! Which sentences can hold a leaf's match, found for every leaf in one pass.
//!
//! Most leaves need words that most sentences lack ("over time", "erasure",
//! "supervisory authority"). At compile time each leaf gets a condition on literals
//! that every sentence holding a match meets: `over` and `time`, or `erasure`, and so
//! on, combined with "and" (a sequence needs each of its parts) and "or" (an
//! alternation needs one of its branches). One Aho-Corasick automaton over all the
//! literals finds, per document, the sentences where each literal occurs; a leaf's
//! regex then only runs on the sentences that meet its condition (see
//! `Evaluator::leaf_matches`), so a leaf whose vocabulary does not occur together in a
//! sentence costs nothing.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rayon::prelude::*;
use regex_syntax::hir::{Class, Hir, HirKind};

use crate::span::ProseRange;

/// The most strings a finite piece of a pattern is expanded to.
const MAX_SET: usize = 64;
/// The most characters a class may have to count as a choice of literals.
const MAX_CLASS: usize = 8;
/// Words shorter than this occur in nearly every sentence: a sequence does not
/// require them when it requires something else (see [`is_common`]).
const SHORT: usize = 3;

/// A condition on the literals a sentence holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Need<L> {
    /// One of these literals.
    AnyOf(Vec<L>),
    /// Every one of these conditions.
    All(Vec<Need<L>>),
    /// At least one of these conditions.
    Any(Vec<Need<L>>),
}

/// A string that every match of a piece of a pattern holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Literal {
    /// Lower-cased (ASCII) unless `exact_case`.
    text: Vec<u8>,
    /// Only this case of its ASCII letters matches: the pattern keeps their case
    /// (`(?-i:AT)`). Otherwise any case does. Only a text with ASCII letters has it.
    exact_case: bool,
}

/// The literals of every leaf, in one automaton.
#[derive(Debug)]
pub struct Prefilter {
    automaton: Option<AhoCorasick>,
    /// For each literal, its text if only that case of it counts: the automaton
    /// finds every case, and such a find is compared with it.
    exact_texts: Vec<Option<Box<[u8]>>>,
    /// For each leaf: the condition every sentence with a match meets, if one is
    /// known (else the leaf runs over every sentence).
    conditions: Conditions,
}

/// Every leaf's condition, written out in one array in prefix order: checking a
/// document against hundreds of them reads memory in order, and needs no allocation
/// for each part (on many short policies, walking conditions kept as trees of their
/// own was a tenth of the time).
#[derive(Debug, Default)]
struct Conditions {
    steps: Vec<Step>,
    /// The literals of the `AnyOf` steps, each step's together.
    literals: Vec<u32>,
    /// Where each leaf's condition starts, if it has one.
    starts: Vec<Option<Start>>,
}

/// Where a condition starts in `steps`, and how deeply it nests (one literal choice
/// is 1): the most bit sets checking it holds at a time.
#[derive(Clone, Copy, Debug)]
struct Start {
    step: u32,
    depth: u32,
}

/// A part of a condition; `All` and `Any` are followed by their parts.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// One of `literals[from..to]`.
    AnyOf { from: u32, to: u32 },
    /// Every one of the next `parts` conditions, whose steps end before `end`.
    All { parts: u32, end: u32 },
    /// At least one of the next `parts` conditions, whose steps end before `end`.
    Any { parts: u32, end: u32 },
}

impl Conditions {
    fn of(needs: &[Option<Need<usize>>]) -> Conditions {
        let mut conditions = Conditions::default();
        for need in needs {
            let start = need.as_ref().map(|need| {
                let step = conditions.steps.len() as u32;
                let depth = conditions.push(need) as u32;
                Start { step, depth }
            });
            conditions.starts.push(start);
        }
        conditions
    }

    /// Writes out `need`, and says how deeply it nests.
    fn push(&mut self, need: &Need<usize>) -> usize {
        match need {
            Need::AnyOf(literals) => {
                let from = self.literals.len() as u32;
                self.literals.extend(literals.iter().map(|&l| l as u32));
                let to = self.literals.len() as u32;
                self.steps.push(Step::AnyOf { from, to });
                1
            }
            Need::All(parts) | Need::Any(parts) => {
                let at = self.steps.len();
                self.steps.push(Step::All { parts: 0, end: 0 });
                let depth = parts.iter().map(|part| self.push(part)).max().unwrap_or(0);
                let (parts, end) = (parts.len() as u32, self.steps.len() as u32);
                self.steps[at] = match need {
                    Need::All(_) => Step::All { parts, end },
                    _ => Step::Any { parts, end },
                };
                depth + 1
            }
        }
    }

    /// Where the leaf's condition starts, if it has one.
    fn start(&self, leaf: usize) -> Option<Start> {
        self.starts.get(leaf).copied().flatten()
    }

    /// The step after the condition that starts at `at` and its parts.
    fn after(&self, at: usize) -> usize {
        match self.steps[at] {
            Step::AnyOf { .. } => at + 1,
            Step::All { end, .. } | Step::Any { end, .. } => end as usize,
        }
    }
}

/// Per document: the sentences each literal occurs in (inside a single sentence).
#[derive(Debug)]
pub struct Occurrences {
    sentences_of: Vec<Sentences>,
    /// The words (of 64 sentences each) of the bit sets over the sentences that hold
    /// any literal: after an edit, only those around the sentences that changed.
    words: std::ops::Range<usize>,
    /// The literals that occur at all, as a bit set: a condition none of whose
    /// choices occur is met nowhere, found without looking at any sentence.
    present: Vec<u64>,
}

impl Prefilter {
    /// `patterns` are the leaves' regexes, compiled case-insensitively.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Prefilter {
        // Reading the patterns is independent work: on all cores.
        let patterns: Vec<&str> = patterns.into_iter().collect();
        Prefilter::from_needs(patterns.par_iter().map(|p| required(p)).collect())
    }

    /// From what every match of each leaf contains ([`required_by`]), in leaf order.
    pub fn from_needs(required: Vec<Option<Need<Literal>>>) -> Prefilter {
        let mut literals: Vec<Literal> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut intern = |lit: Literal| -> usize {
            *index.entry(lit.clone()).or_insert_with(|| {
                literals.push(lit);
                literals.len() - 1
            })
        };
        // A condition met by a single letter rules out almost nothing, and its
        // letters would be found all through the text: such a leaf has none.
        let needs: Vec<Option<Need<usize>>> = required
            .into_iter()
            .map(|need| Some(need.filter(|n| !n.is_met_by_a_letter())?.map(&mut intern)))
            .collect();
        // Standard semantics with overlapping search report every occurrence, so
        // "data" is seen inside "personal data" too. A failure to build (it cannot
        // happen with this few literals) only turns the prefilter off.
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(literals.iter().map(|l| &l.text))
            .ok();
        let conditions = if automaton.is_some() {
            Conditions::of(&needs)
        } else {
            Conditions::default()
        };
        Prefilter {
            automaton,
            exact_texts: literals
                .into_iter()
                .map(|l| l.exact_case.then(|| l.text.into_boxed_slice()))
                .collect(),
            conditions,
        }
    }

    fn literal_count(&self) -> usize {
        self.exact_texts.len()
    }

    /// Whether the automaton's find is an occurrence of its literal: in the case
    /// the literal asks for, if it asks for one.
    fn is_occurrence(&self, found: &aho_corasick::Match, prose: &str) -> bool {
        match &self.exact_texts[found.pattern().as_usize()] {
            Some(text) => prose.as_bytes()[found.range()] == **text,
            None => true,
        }
    }

    /// Finds every literal in the prose, by sentence. A long text is scanned in parts
    /// on all cores (every rule waits for the scan), each part a run of whole
    /// sentences, and each literal's sentences joined after.
    pub fn scan(&self, prose: &str, sentences: &[ProseRange]) -> Occurrences {
        let parts = parts_of(sentences, rayon::current_num_threads());
        self.scan_parts(prose, sentences, parts)
    }

    /// Finds every literal in the prose, on this thread.
    pub fn scan_on_one_core(&self, prose: &str, sentences: &[ProseRange]) -> Occurrences {
        // Fewer than two parts: the text is scanned whole.
        self.scan_parts(prose, sentences, Vec::new())
    }

    /// Finds every literal in the prose, each of `parts` (runs of sentences that
    /// cover them all, in order) on a core of its own; with fewer than two parts, the
    /// whole text on this thread.
    fn scan_parts(
        &self,
        prose: &str,
        sentences: &[ProseRange],
        parts: Vec<std::ops::Range<usize>>,
    ) -> Occurrences {
        let Some(automaton) = &self.automaton else {
            return Occurrences::new(self.no_sentences());
        };
        if parts.len() < 2 {
            let all = 0..sentences.len();
            return Occurrences::new(self.scan_part(automaton, prose, sentences, all));
        }
        let found: Vec<Vec<Sentences>> = parts
            .into_par_iter()
            .map(|part| self.scan_part(automaton, prose, sentences, part))
            .collect();
        let joined = (0..self.literal_count())
            .into_par_iter()
            .map(|literal| {
                Sentences::joined(found.iter().map(|part| &part[literal]), sentences.len())
            })
            .collect();
        Occurrences::new(joined)
    }

    /// The sentences each literal occurs in, of the sentences `part` (indices).
    fn scan_part(
        &self,
        automaton: &AhoCorasick,
        prose: &str,
        sentences: &[ProseRange],
        part: std::ops::Range<usize>,
    ) -> Vec<Sentences> {
        let mut sentences_of = self.no_sentences();
        let (Some(first), Some(last)) = (sentences.get(part.start), sentences[..part.end].last())
        else {
            return sentences_of;
        };
        let input = aho_corasick::Input::new(prose).span(first.start..last.end);
        // Matches come in order of where they end, so nearly in order of where they
        // start: the sentence is stepped forward, and searched for only when a match
        // starts before the current one.
        let mut i = part.start;
        for m in automaton.find_overlapping_iter(input) {
            if sentences.get(i).is_none_or(|s| m.start() < s.start) {
                i = sentences.partition_point(|s| s.end <= m.start());
            } else {
                while sentences.get(i).is_some_and(|s| s.end <= m.start()) {
                    i += 1;
                }
            }
            let Some(s) = sentences.get(i) else {
                continue;
            };
            if s.start <= m.start() && m.end() <= s.end && self.is_occurrence(&m, prose) {
                sentences_of[m.pattern().as_usize()].add(i as u32, sentences.len());
            }
        }
        sentences_of
    }

    /// Finds every literal in some of the sentences (indices, ascending).
    pub fn scan_some(&self, prose: &str, sentences: &[ProseRange], some: &[u32]) -> Occurrences {
        let mut sentences_of = self.no_sentences();
        if let Some(automaton) = &self.automaton {
            for &i in some {
                let s = sentences[i as usize];
                let sentence = &prose[s.start..s.end];
                for m in automaton.find_overlapping_iter(sentence) {
                    if self.is_occurrence(&m, sentence) {
                        sentences_of[m.pattern().as_usize()].add(i, sentences.len());
                    }
                }
            }
        }
        Occurrences::new(sentences_of)
    }

    fn no_sentences(&self) -> Vec<Sentences> {
        vec![Sentences::List(Vec::new()); self.literal_count()]
    }

    /// The sentences (indices, ascending) that may hold a match of `leaf`, or `None`
    /// when any sentence may.
    pub fn candidates(&self, leaf: usize, found: &Occurrences) -> Option<Vec<u32>> {
        let start = self.conditions.start(leaf)?;
        Some(found.meeting(&self.conditions, start))
    }

    /// The sentences that may hold a match of `leaf`, of the `count` sentences that
    /// `found` was scanned from, as a set.
    pub fn candidate_set(&self, leaf: usize, found: &Occurrences, count: usize) -> SentenceSet {
        let Some(start) = self.conditions.start(leaf) else {
            return SentenceSet::every(count);
        };
        if let Some(list) = found.single_list(&self.conditions, start) {
            return SentenceSet::of(list, count);
        }
        let mut bits = vec![0u64; count.div_ceil(64)];
        found.mark_meeting(&self.conditions, start, &mut bits[found.words.clone()]);
        SentenceSet::with_bits(bits)
    }
}

/// Some of a document's sentences, a bit each: those a leaf may match in and that
/// are not searched yet. Rules ask about a leaf unit by unit, not always in order, and
/// only the sentences of the units asked about are searched (a rule that needs two
/// statements in one sentence searches for the second only where the first is).
#[derive(Clone, Debug, Default)]
pub struct SentenceSet {
    /// Bit `i % 64` of word `i / 64` for sentence `i`.
    bits: Vec<u64>,
    /// Bit `w % 64` of word `w / 64` for each word `w` of `bits` that is not empty:
    /// the next member of a sparse set in a long document is found 4 096 sentences
    /// at a time, not 64.
    summary: Vec<u64>,
    /// How many are in the set.
    len: usize,
}

impl SentenceSet {
    /// These sentences (indices below `count`).
    pub fn of(sentences: &[u32], count: usize) -> SentenceSet {
        let mut bits = vec![0u64; count.div_ceil(64)];
        for &s in sentences {
            set(&mut bits, s);
        }
        SentenceSet::with_bits(bits)
    }

    /// Every one of `count` sentences.
    pub fn every(count: usize) -> SentenceSet {
        let mut bits = vec![u64::MAX; count.div_ceil(64)];
        if let Some(last) = bits.last_mut()
            && !count.is_multiple_of(64)
        {
            *last = (1u64 << (count % 64)) - 1;
        }
        SentenceSet::with_bits(bits)
    }

    fn with_bits(bits: Vec<u64>) -> SentenceSet {
        let mut summary = vec![0u64; bits.len().div_ceil(64)];
        let mut len = 0;
        for (word, &b) in bits.iter().enumerate() {
            if b != 0 {
                summary[word / 64] |= 1 << (word % 64);
                len += b.count_ones() as usize;
            }
        }
        SentenceSet { bits, summary, len }
    }

    /// How many sentences are in the set.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first sentence in the set at `from` or after.
    pub fn first_from(&self, from: usize) -> Option<u32> {
        let word = from / 64;
        let rest = self.bits.get(word)? & (u64::MAX << (from % 64));
        if rest != 0 {
            return Some((word * 64) as u32 + rest.trailing_zeros());
        }
        // The next word that is not empty, from the summary.
        let next = word + 1;
        let mut group = next / 64;
        let mut words = self.summary.get(group)? & (u64::MAX << (next % 64));
        while words == 0 {
            group += 1;
            words = *self.summary.get(group)?;
        }
        let word = group * 64 + words.trailing_zeros() as usize;
        Some((word * 64) as u32 + self.bits[word].trailing_zeros())
    }

    /// Whether any sentence `within` is in the set (looking only there).
    pub fn any_within(&self, within: std::ops::Range<usize>) -> bool {
        self.words_within(within)
            .any(|(word, mask)| self.bits[word] & mask != 0)
    }

    /// Takes the sentences `within` out of the set, onto `into`, in order.
    pub fn take_within(&mut self, within: std::ops::Range<usize>, into: &mut Vec<u32>) {
        for (word, mask) in self.words_within(within) {
            let mut taken = self.bits[word] & mask;
            self.bits[word] &= !mask;
            if self.bits[word] == 0 {
                self.summary[word / 64] &= !(1 << (word % 64));
            }
            self.len -= taken.count_ones() as usize;
            while taken != 0 {
                into.push((word * 64) as u32 + taken.trailing_zeros());
                taken &= taken - 1;
            }
        }
        if self.len == 0 {
            self.bits = Vec::new();
            self.summary = Vec::new();
        }
    }

    /// The words of the bit set that hold the sentences `within`, each with a mask of
    /// the bits that do.
    fn words_within(
        &self,
        within: std::ops::Range<usize>,
    ) -> impl Iterator<Item = (usize, u64)> + use<> {
        let end = within.end.min(self.bits.len() * 64);
        let start = within.start.min(end);
        (start / 64..end.div_ceil(64)).map(move |word| {
            let from = start.max(word * 64) - word * 64;
            let to = end.min(word * 64 + 64) - word * 64;
            let mask = (u64::MAX << from) & (u64::MAX >> (64 - to));
            (word, mask)
        })
    }

    /// The sentences in the set, in order.
    pub fn to_list(&self) -> Vec<u32> {
        members(&self.bits, &(0..self.bits.len()))
    }
}

/// The sentences one literal occurs in: a list while it is short, a bit set over all
/// the document's sentences once the list would take more memory (a word in one
/// sentence in 32 or more). A common word's occurrences in a long document otherwise
/// take 4 bytes a sentence.
#[derive(Clone, Debug)]
enum Sentences {
    /// Ascending.
    List(Vec<u32>),
    /// Bit `i % 64` of word `i / 64` for sentence `i`.
    Bits(Vec<u64>),
}

impl Sentences {
    /// Notes that the literal occurs in `sentence` (given in ascending order), of
    /// `count` sentences.
    fn add(&mut self, sentence: u32, count: usize) {
        match self {
            Sentences::List(list) => {
                if list.last() == Some(&sentence) {
                    return;
                }
                list.push(sentence);
                if list.len() * 32 >= count {
                    let mut bits = vec![0u64; count.div_ceil(64)];
                    for &s in list.iter() {
                        set(&mut bits, s);
                    }
                    *self = Sentences::Bits(bits);
                }
            }
            Sentences::Bits(bits) => set(bits, sentence),
        }
    }

    /// One literal's sentences from the parts of a text scanned apart (in order), of
    /// `count` sentences: kept as the scan of the whole text would keep them.
    fn joined<'s>(parts: impl Iterator<Item = &'s Sentences> + Clone, count: usize) -> Sentences {
        let lists: Option<Vec<&Vec<u32>>> = parts
            .clone()
            .map(|part| match part {
                Sentences::List(list) => Some(list),
                Sentences::Bits(_) => None,
            })
            .collect();
        if let Some(lists) = lists {
            let total: usize = lists.iter().map(|list| list.len()).sum();
            if total * 32 < count {
                return Sentences::List(lists.into_iter().flatten().copied().collect());
            }
        }
        let words = count.div_ceil(64);
        let mut bits = vec![0u64; words];
        for part in parts {
            part.mark(&mut bits, &(0..words));
        }
        Sentences::Bits(bits)
    }

    /// The first and the last sentence, if any.
    fn bounds(&self) -> Option<(u32, u32)> {
        match self {
            Sentences::List(list) => Some((*list.first()?, *list.last()?)),
            Sentences::Bits(bits) => {
                let first = bits.iter().position(|&w| w != 0)?;
                let last = bits.iter().rposition(|&w| w != 0)?;
                Some((
                    (first * 64) as u32 + bits[first].trailing_zeros(),
                    (last * 64) as u32 + 63 - bits[last].leading_zeros(),
                ))
            }
        }
    }

    /// Marks the sentences in `marks`, a bit set over the words `words` of the
    /// document's sentences, which holds them all.
    fn mark(&self, marks: &mut [u64], words: &std::ops::Range<usize>) {
        match self {
            Sentences::List(list) => {
                for &sentence in list {
                    let word = sentence as usize / 64 - words.start;
                    marks[word] |= 1u64 << (sentence % 64);
                }
            }
            Sentences::Bits(bits) => {
                let ours = &bits[words.clone()];
                marks.iter_mut().zip(ours).for_each(|(m, b)| *m |= b);
            }
        }
    }
}

/// Text shorter than this is scanned for literals in one part: joining each
/// literal's sentences from parts costs about a millisecond.
const SCAN_PART_BYTES: usize = 1 << 20;

/// Runs of whole sentences (indices) of about equal length, one per core, none
/// shorter than [`SCAN_PART_BYTES`] (one run for a short text).
fn parts_of(sentences: &[ProseRange], cores: usize) -> Vec<std::ops::Range<usize>> {
    let (Some(first), Some(last)) = (sentences.first(), sentences.last()) else {
        return Vec::new();
    };
    let length = last.end.saturating_sub(first.start);
    let count = cores.min(length / SCAN_PART_BYTES).max(1);
    let mut parts = Vec::with_capacity(count);
    let mut start = 0;
    for k in 1..count {
        let until = first.start + length / count * k;
        let end = sentences.partition_point(|s| s.end <= until).max(start);
        parts.push(start..end);
        start = end;
    }
    parts.push(start..sentences.len());
    parts.retain(|part| !part.is_empty());
    parts
}

fn set(bits: &mut [u64], sentence: u32) {
    bits[sentence as usize / 64] |= 1u64 << (sentence % 64);
}

/// The members of a bit set over `words`, ascending.
fn members(marks: &[u64], words: &std::ops::Range<usize>) -> Vec<u32> {
    let mut all = Vec::new();
    for (i, &word) in marks.iter().enumerate() {
        let mut rest = word;
        while rest != 0 {
            all.push(((words.start + i) * 64) as u32 + rest.trailing_zeros());
            rest &= rest - 1;
        }
    }
    all
}

impl Occurrences {
    fn new(mut sentences_of: Vec<Sentences>) -> Occurrences {
        let bounds: Vec<Option<(u32, u32)>> = sentences_of.iter().map(Sentences::bounds).collect();
        let first = bounds.iter().flatten().map(|b| b.0).min();
        let last = bounds.iter().flatten().map(|b| b.1).max();
        let words = match (first, last) {
            (Some(first), Some(last)) => first as usize / 64..last as usize / 64 + 1,
            _ => 0..0,
        };
        let mut present = vec![0u64; sentences_of.len().div_ceil(64)];
        for (literal, found) in bounds.iter().enumerate() {
            if found.is_some() {
                present[literal / 64] |= 1 << (literal % 64);
            }
        }
        // Lists grow by doubling: keep only what they hold.
        for found in &mut sentences_of {
            if let Sentences::List(list) = found {
                list.shrink_to_fit();
            }
        }
        Occurrences {
            sentences_of,
            words,
            present,
        }
    }

    fn is_present(&self, literal: usize) -> bool {
        self.present[literal / 64] & (1 << (literal % 64)) != 0
    }

    /// The sentences (ascending) that meet the condition that starts at `start`.
    fn meeting(&self, conditions: &Conditions, start: Start) -> Vec<u32> {
        if let Some(list) = self.single_list(conditions, start) {
            return list.to_vec();
        }
        let mut marks = vec![0u64; self.words.len()];
        self.mark_meeting(conditions, start, &mut marks);
        members(&marks, &self.words)
    }

    /// The one list of sentences that a condition on a single literal met in few
    /// sentences comes to, if it is one.
    fn single_list(&self, conditions: &Conditions, start: Start) -> Option<&[u32]> {
        if let Step::AnyOf { from, to } = conditions.steps[start.step as usize]
            && let [one] = conditions.literals[from as usize..to as usize]
            && let Sentences::List(list) = &self.sentences_of[one as usize]
        {
            return Some(list);
        }
        None
    }

    /// Marks the sentences that meet the condition that starts at `start` in
    /// `marks`, a bit set over the words `self.words` of the document's sentences
    /// (unions and intersections a word, 64 sentences, at a time), which it clears
    /// first.
    fn mark_meeting(&self, conditions: &Conditions, start: Start, marks: &mut [u64]) {
        // The bit sets of its parts: one for each level below the top.
        let levels = start.depth.saturating_sub(1) as usize;
        let mut parts = vec![0u64; self.words.len() * levels];
        if !self.mark_step(conditions, start.step as usize, marks, &mut parts) {
            marks.fill(0);
        }
    }

    /// Marks the sentences that meet the condition at step `at` in `marks`, with
    /// `parts` for the bit sets of its parts. `false` when the literals that occur
    /// cannot meet it in any sentence, found on the way (after an edit most
    /// conditions are met by none of the few sentences scanned); `marks` then holds
    /// nothing of use. Each part of the condition is looked at once.
    fn mark_step(
        &self,
        conditions: &Conditions,
        at: usize,
        marks: &mut [u64],
        parts: &mut [u64],
    ) -> bool {
        match conditions.steps[at] {
            Step::AnyOf { from, to } => {
                let mut met = false;
                for &literal in &conditions.literals[from as usize..to as usize] {
                    let literal = literal as usize;
                    if self.is_present(literal) {
                        if !met {
                            marks.fill(0);
                            met = true;
                        }
                        self.sentences_of[literal].mark(marks, &self.words);
                    }
                }
                met
            }
            Step::Any { parts: count, .. } => {
                let (part_marks, below) = parts.split_at_mut(marks.len());
                let mut met = false;
                let mut part = at + 1;
                for _ in 0..count {
                    if self.mark_step(conditions, part, part_marks, below) {
                        if met {
                            marks
                                .iter_mut()
                                .zip(&*part_marks)
                                .for_each(|(m, o)| *m |= o);
                        } else {
                            marks.copy_from_slice(part_marks);
                            met = true;
                        }
                    }
                    part = conditions.after(part);
                }
                met
            }
            Step::All { parts: count, .. } => {
                let mut part = at + 1;
                if count == 0 || !self.mark_step(conditions, part, marks, parts) {
                    return false;
                }
                let (part_marks, below) = parts.split_at_mut(marks.len());
                for _ in 1..count {
                    if marks.iter().all(|&m| m == 0) {
                        break;
                    }
                    part = conditions.after(part);
                    if !self.mark_step(conditions, part, part_marks, below) {
                        return false;
                    }
                    marks
                        .iter_mut()
                        .zip(&*part_marks)
                        .for_each(|(m, o)| *m &= o);
                }
                true
            }
        }
    }
}

impl<L> Need<L> {
    fn map<M>(self, f: &mut impl FnMut(L) -> M) -> Need<M> {
        match self {
            Need::AnyOf(literals) => Need::AnyOf(literals.into_iter().map(f).collect()),
            Need::All(needs) => Need::All(needs.into_iter().map(|n| n.map(f)).collect()),
            Need::Any(needs) => Need::Any(needs.into_iter().map(|n| n.map(f)).collect()),
        }
    }

    /// Whether the condition is met when the literals that `holds` are present.
    fn is_met_by(&self, holds: &impl Fn(&L) -> bool) -> bool {
        match self {
            Need::AnyOf(literals) => literals.iter().any(holds),
            Need::All(needs) => needs.iter().all(|n| n.is_met_by(holds)),
            Need::Any(needs) => needs.iter().any(|n| n.is_met_by(holds)),
        }
    }
}

impl Need<Literal> {
    /// The length of the shortest literal the condition can be met with.
    fn shortest(&self) -> usize {
        match self {
            Need::AnyOf(literals) => literals.iter().map(|l| l.text.len()).min().unwrap_or(0),
            Need::All(needs) => needs.iter().map(Need::shortest).max().unwrap_or(0),
            Need::Any(needs) => needs.iter().map(Need::shortest).min().unwrap_or(0),
        }
    }

    /// Whether a single letter or digit meets the condition.
    fn is_met_by_a_letter(&self) -> bool {
        self.is_met_by(&|l: &Literal| matches!(l.text.as_slice(), [b] if b.is_ascii_alphanumeric()))
    }

    /// Whether nearly every sentence meets the condition: [common](is_common)
    /// literals meet it.
    fn is_common(&self) -> bool {
        self.is_met_by(&is_common)
    }
}

/// Whether a literal occurs in nearly every sentence: a short word ("of", "we"), or
/// the commonest punctuation. A short literal with other punctuation ("(", "@", a
/// quotation mark) is rare in prose, and worth requiring; so is one with a capital
/// letter that must be one ("AT", "SE"), since prose mostly writes short words in
/// lower case.
fn is_common(literal: &Literal) -> bool {
    let text = &literal.text;
    text.len() < SHORT
        && !(literal.exact_case && text.iter().any(u8::is_ascii_uppercase))
        && text
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b.is_ascii_whitespace() || b".,'-".contains(b))
}

/// A condition on literals that every sentence holding a match of `pattern` (compiled
/// case-insensitively) meets; `None` when the pattern has none (a match may be made
/// of classes only).
pub fn required(pattern: &str) -> Option<Need<Literal>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .multi_line(true)
        .build()
        .parse(pattern)
        .ok()?;
    required_by(&hir)
}

/// What every match of the parsed pattern `hir` contains, if anything is known.
pub fn required_by(hir: &Hir) -> Option<Need<Literal>> {
    analyse(hir).required
}

/// What is known about the strings a piece of a pattern matches.
struct Pieces {
    /// Every string it matches, when they are few.
    exact: Option<Vec<Literal>>,
    /// What each of its matches contains.
    required: Option<Need<Literal>>,
}

impl Pieces {
    /// What each match contains, from its exact strings when it has nothing better.
    fn needed(self) -> Option<Need<Literal>> {
        self.required.or_else(|| self.exact.and_then(any_of))
    }
}

fn analyse(hir: &Hir) -> Pieces {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Pieces {
            exact: Some(vec![Literal::empty()]),
            required: None,
        },
        // The pattern is parsed case-insensitively: a letter in a literal is one
        // whose case the pattern keeps.
        HirKind::Literal(lit) => exact(vec![Literal::new(lit.0.to_vec(), true)]),
        HirKind::Class(class) => match class_members(class) {
            Some(members) => exact(members),
            None => Pieces {
                exact: None,
                required: None,
            },
        },
        HirKind::Capture(capture) => analyse(&capture.sub),
        HirKind::Repetition(rep) => {
            if rep.min == 0 {
                let exact = (rep.max == Some(0)).then(|| vec![Literal::empty()]);
                return Pieces {
                    exact,
                    required: None,
                };
            }
            let sub = analyse(&rep.sub);
            // Every match holds the first few repeats in a row ("xxx" for `x{3,}`).
            let repeated = |times: u32| {
                let set = sub.exact.as_ref()?;
                (0..times).try_fold(vec![Literal::empty()], |product, _| concat(&product, set))
            };
            let exact = (rep.max == Some(rep.min) && rep.min <= 3)
                .then(|| repeated(rep.min))
                .flatten();
            let required = repeated(rep.min.min(3))
                .and_then(any_of)
                .or_else(|| sub.needed());
            Pieces { exact, required }
        }
        HirKind::Concat(parts) => concatenation(parts, Literal::empty()),
        HirKind::Alternation(branches) => alternation(branches.iter().map(analyse)),
    }
}

/// What is known about a sequence of pieces, preceded by `before` (known exactly).
fn concatenation(parts: &[Hir], before: Literal) -> Pieces {
    // Runs of exactly known pieces are joined into longer literals ("over time" from
    // "over" and " time" when the space is literal).
    let mut needs: Vec<Need<Literal>> = Vec::new();
    let mut run: Option<Vec<Literal>> = Some(vec![before]);
    let mut all_exact = true;
    for part in parts {
        let piece = match (&run, part.kind()) {
            (Some(prefix), HirKind::Alternation(branches))
                if prefix.iter().all(|p| !p.text.is_empty()) =>
            {
                // Text known exactly before a group of alternatives is put into each
                // of them. The parser lifts a prefix that all the alternatives share
                // out of them ("Do Not Track|DNT" becomes "D(?:o Not Track|NT)"):
                // put back, "dnt" is needed whole instead of "nt". Each string of the
                // prefix goes before each alternative as a literal of its own (an
                // alternation of them would be merged into a class, which is not
                // read).
                let piece = alternation(prefix.iter().flat_map(|p| {
                    branches.iter().map(|branch| match branch.kind() {
                        HirKind::Concat(parts) => concatenation(parts, p.clone()),
                        _ => concatenation(std::slice::from_ref(branch), p.clone()),
                    })
                }));
                run = Some(vec![Literal::empty()]);
                piece
            }
            _ => analyse(part),
        };
        match piece.exact {
            Some(set) => {
                run = match run.take() {
                    Some(prefix) => match concat(&prefix, &set) {
                        Some(joined) => Some(joined),
                        None => {
                            needs.extend(any_of(prefix));
                            all_exact = false;
                            Some(set)
                        }
                    },
                    None => Some(set),
                };
            }
            None => {
                all_exact = false;
                if let Some(prefix) = run.take() {
                    needs.extend(any_of(prefix));
                }
                needs.extend(piece.required);
            }
        }
    }
    let exact = if all_exact { run.clone() } else { None };
    needs.extend(run.and_then(any_of));
    Pieces {
        exact,
        required: all_of(needs),
    }
}

/// What is known about an alternation, from what is known about its branches.
fn alternation(pieces: impl Iterator<Item = Pieces>) -> Pieces {
    let mut exact = Some(Vec::new());
    let mut needs = Some(Vec::new());
    for piece in pieces {
        exact = match (exact, &piece.exact) {
            (Some(mut all), Some(set)) => {
                all.extend(set.iter().cloned());
                (all.len() <= MAX_SET).then_some(all)
            }
            _ => None,
        };
        needs = match (needs, piece.needed()) {
            (Some(mut all), Some(need)) => {
                all.push(need);
                Some(all)
            }
            _ => None,
        };
    }
    Pieces {
        exact: exact.map(dedup),
        required: needs.and_then(any_branch),
    }
}

/// A sequence's condition: each of its parts' conditions, leaving out those met by
/// common literals ("of", "a"), which nearly every sentence holds, unless nothing
/// else is known.
fn all_of(needs: Vec<Need<Literal>>) -> Option<Need<Literal>> {
    let mut flat = Vec::new();
    for need in needs {
        match need {
            Need::All(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    let (mut rare, common): (Vec<_>, Vec<_>) = flat.into_iter().partition(|n| !n.is_common());
    if rare.is_empty() {
        rare.extend(common.into_iter().max_by_key(Need::shortest));
    }
    match rare.len() {
        0 => None,
        1 => rare.pop(),
        _ => Some(Need::All(rare)),
    }
}

/// An alternation's condition: one of its branches' conditions. Branches that are
/// plain choices of literals are merged into one choice.
fn any_branch(needs: Vec<Need<Literal>>) -> Option<Need<Literal>> {
    let mut literals = Vec::new();
    let mut others = Vec::new();
    for need in needs {
        match need {
            Need::AnyOf(set) => literals.extend(set),
            Need::Any(inner) => {
                for need in inner {
                    match need {
                        Need::AnyOf(set) => literals.extend(set),
                        other => others.push(other),
                    }
                }
            }
            other => others.push(other),
        }
    }
    if !literals.is_empty() {
        others.push(Need::AnyOf(dedup(literals)));
    }
    match others.len() {
        0 => None,
        1 => others.pop(),
        _ => Some(Need::Any(others)),
    }
}

fn exact(set: Vec<Literal>) -> Pieces {
    let set = dedup(set);
    Pieces {
        required: any_of(set.clone()),
        exact: Some(set),
    }
}

/// One of the strings, unless one of them is empty (an empty string is in every text).
fn any_of(set: Vec<Literal>) -> Option<Need<Literal>> {
    non_empty(set).map(Need::AnyOf)
}

/// The set, unless one of its strings is empty (an empty string is in every text).
fn non_empty(set: Vec<Literal>) -> Option<Vec<Literal>> {
    (!set.is_empty() && set.iter().all(|s| !s.text.is_empty())).then_some(set)
}

/// Sorted, without repeats.
fn dedup(mut set: Vec<Literal>) -> Vec<Literal> {
    set.sort();
    set.dedup();
    set
}

/// Every string of `a` followed by every string of `b`, if there are not too many.
fn concat(a: &[Literal], b: &[Literal]) -> Option<Vec<Literal>> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            out.push(x.followed_by(y));
        }
    }
    Some(dedup(out))
}

/// The characters of a small class, as UTF-8 strings: in any case if the class
/// holds both cases of each of its ASCII letters (as a case-insensitive letter
/// does), else each in its own case.
fn class_members(class: &Class) -> Option<Vec<Literal>> {
    let mut members = Vec::new();
    match class {
        Class::Unicode(c) => {
            for range in c.iter() {
                for ch in range.start()..=range.end() {
                    if members.len() >= MAX_CLASS {
                        return None;
                    }
                    members.push(ch.to_string().into_bytes());
                }
            }
        }
        Class::Bytes(c) => {
            for range in c.iter() {
                for b in range.start()..=range.end() {
                    if members.len() >= MAX_CLASS {
                        return None;
                    }
                    members.push(vec![b]);
                }
            }
        }
    }
    let exact_case = members.iter().any(|m: &Vec<u8>| match m.as_slice() {
        [b] if b.is_ascii_lowercase() => !members.contains(&vec![b.to_ascii_uppercase()]),
        [b] if b.is_ascii_uppercase() => !members.contains(&vec![b.to_ascii_lowercase()]),
        _ => false,
    });
    Some(dedup(
        members
            .into_iter()
            .map(|m| Literal::new(m, exact_case))
            .collect(),
    ))
}

impl Literal {
    /// `text`, in `exact_case` if it has ASCII letters, else in any case.
    fn new(text: Vec<u8>, exact_case: bool) -> Literal {
        if exact_case && has_letters(&text) {
            Literal {
                text,
                exact_case: true,
            }
        } else {
            Literal {
                text: text.to_ascii_lowercase(),
                exact_case: false,
            }
        }
    }

    fn empty() -> Literal {
        Literal::new(Vec::new(), false)
    }

    /// This text, then `next`: in exact case only if both parts with letters are.
    fn followed_by(&self, next: &Literal) -> Literal {
        let keeps_case = |l: &Literal| l.exact_case || !has_letters(&l.text);
        let mut text = self.text.clone();
        text.extend_from_slice(&next.text);
        Literal::new(text, keeps_case(self) && keeps_case(next))
    }
}

/// Whether the text has an ASCII letter, the only characters whose case is told apart.
fn has_letters(text: &[u8]) -> bool {
    text.iter().any(u8::is_ascii_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The condition written out: `a|b` one of, `a & b` both, `[..]` a group, `=AT`
    /// a literal in that case only.
    fn show(need: &Need<Literal>) -> String {
        match need {
            Need::AnyOf(set) => set
                .iter()
                .map(|l| {
                    let case = if l.exact_case { "=" } else { "" };
                    format!("{case}{}", String::from_utf8_lossy(&l.text))
                })
                .collect::<Vec<_>>()
                .join("|"),
            Need::All(needs) => needs
                .iter()
                .map(|n| format!("[{}]", show(n)))
                .collect::<Vec<_>>()
                .join(" & "),
            Need::Any(needs) => needs
                .iter()
                .map(|n| format!("[{}]", show(n)))
                .collect::<Vec<_>>()
                .join(" | "),
        }
    }

    fn needs(pattern: &str) -> Option<String> {
        required(pattern).as_ref().map(show)
    }

    #[test]
    fn a_sequence_needs_each_of_its_long_parts() {
        assert_eq!(
            needs(r"(?:data|you)(?-u:\b)[^.]{0,60}?(?-u:\b)over\s+time").as_deref(),
            Some("[data|you] & [over] & [time]")
        );
        // "of" and "to" are in nearly every sentence: not worth looking up.
        assert_eq!(
            needs(r"right\s+to\s+be\s+forgotten").as_deref(),
            Some("[right] & [forgotten]")
        );
        // With nothing longer, the longest short part is still needed.
        assert_eq!(needs(r"to\s+a").as_deref(), Some("to"));
    }

    #[test]
    fn short_punctuation_is_needed_but_not_short_words() {
        // A name, then '("' and "we": the bracket and the quotation mark are rare in
        // prose, "we" is not.
        assert_eq!(
            needs(r#"[A-Z]\w*[^(]{0,60}?\(\s*["“]\s*we"#).as_deref(),
            Some("[(] & [\"|“]")
        );
        // The commonest punctuation is left out like a short word.
        assert_eq!(needs(r"data\s*,\s*-\s*we").as_deref(), Some("data"));
        assert_eq!(needs(r"\w+@\w+\s+or").as_deref(), Some("@"));
    }

    #[test]
    fn a_prefix_the_parser_lifts_out_of_branches_is_needed_with_them() {
        // Parsed, these become "d(?:o\s+not\s+track|nt)" and "d(?:ata…|po)": the
        // lifted "d" is put back, so "dnt" is needed whole, not "nt" (in half of all
        // sentences).
        assert_eq!(
            needs(r"(?:\bDo\s+Not\s+Track\b|\bDNT\b)").as_deref(),
            Some("[[not] & [track|trac\u{212a}]] | [dnt]")
        );
        assert_eq!(
            needs(r"\bdata\s+protection\s+officer\b|\bDPO\b").as_deref(),
            Some("[[data] & [protection] & [officer]] | [dpo]")
        );
        // A prefix of several strings goes before each branch, even when they are
        // more single characters than a class is read for.
        assert_eq!(
            needs(r"(?:an|the)(?:\s+owner|x)").as_deref(),
            Some("[[the] & [owner]] | [anx|owner|thex]")
        );
        assert_eq!(
            needs(r"(?:[0-7]|8)(?:ab|cd)").as_deref(),
            Some("0ab|0cd|1ab|1cd|2ab|2cd|3ab|3cd|4ab|4cd|5ab|5cd|6ab|6cd|7ab|7cd|8ab|8cd")
        );
    }

    #[test]
    fn every_branch_must_contribute() {
        assert_eq!(
            needs(r"deletion|right\s+to\s+be\s+forgotten").as_deref(),
            Some("[[right] & [forgotten]] | [deletion]")
        );
        assert_eq!(
            needs(r"deletion|erasure|[0-9]+ month").as_deref(),
            Some(" month|deletion|erasure|era\u{17f}ure")
        );
        assert_eq!(needs(r"deletion|[0-9]+"), None);
    }

    #[test]
    fn case_folding_keeps_unusual_forms() {
        // (?i)s also matches U+017F LATIN SMALL LETTER LONG S.
        let Some(Need::AnyOf(set)) = required("sale") else {
            panic!("a literal needs itself");
        };
        assert!(set.contains(&Literal::new(b"sale".to_vec(), false)));
        assert!(set.contains(&Literal::new("\u{17f}ale".into(), false)));
    }

    #[test]
    fn repeats_require_the_first_few_in_a_row() {
        assert_eq!(needs(r"x{3,}").as_deref(), Some("xxx"));
        assert_eq!(needs(r"\bx{5,}\b").as_deref(), Some("xxx"));
        assert_eq!(needs(r"(?:ab){2,4}").as_deref(), Some("abab"));
        assert_eq!(needs(r"[*#]{2}").as_deref(), Some("##|#*|*#|**"));
        // Too many strings to list: one repeat is required.
        assert_eq!(
            needs(r"(?:one|two|three|four|five){3,}").as_deref(),
            Some("five|four|one|three|two")
        );
    }

    #[test]
    fn optional_pieces_are_not_required() {
        assert_eq!(needs(r"(?:opt)?\s+"), None);
        assert_eq!(needs(r"[a-z0-9.]+@[a-z]+").as_deref(), Some("@"));
    }

    /// Occurrences with these sentences per literal, each kept as a list or, if
    /// `dense`, as a bit set over 256 sentences.
    fn occurrences(lists: Vec<Vec<u32>>, dense: bool) -> Occurrences {
        let keep = |list: Vec<u32>| {
            if dense {
                let mut bits = vec![0u64; 4];
                list.iter().for_each(|&s| set(&mut bits, s));
                Sentences::Bits(bits)
            } else {
                Sentences::List(list)
            }
        };
        Occurrences::new(lists.into_iter().map(keep).collect())
    }

    /// The sentences that meet `need`.
    fn meeting(found: &Occurrences, need: &Need<usize>) -> Vec<u32> {
        let conditions = Conditions::of(&[Some(need.clone())]);
        found.meeting(&conditions, conditions.start(0).expect("a condition"))
    }

    /// Whether the literals that occur can meet `need` in some sentence.
    fn can_meet(found: &Occurrences, need: &Need<usize>) -> bool {
        let conditions = Conditions::of(&[Some(need.clone())]);
        let words = found.words.len();
        let mut marks = vec![0u64; words];
        let depth = conditions.start(0).expect("a condition").depth as usize;
        let mut parts = vec![0u64; words * depth];
        found.mark_step(&conditions, 0, &mut marks, &mut parts)
    }

    #[test]
    fn unions_and_intersections_of_sentence_lists() {
        // The same sentences whether each literal's are kept as a list or as bits.
        for dense in [false, true] {
            let found = occurrences(
                vec![vec![0, 63, 64, 200], vec![1, 64, 130, 200], vec![5]],
                dense,
            );
            assert_eq!(found.words, 0..4);
            assert_eq!(
                meeting(&found, &Need::AnyOf(vec![0, 1])),
                vec![0, 1, 63, 64, 130, 200]
            );
            assert_eq!(
                meeting(&found, &Need::AnyOf(vec![1])),
                vec![1, 64, 130, 200]
            );
            let both = Need::All(vec![Need::AnyOf(vec![0]), Need::AnyOf(vec![1])]);
            assert_eq!(meeting(&found, &both), vec![64, 200]);
            let either = Need::Any(vec![both, Need::AnyOf(vec![2])]);
            assert_eq!(meeting(&found, &either), vec![5, 64, 200]);
            let none = Need::All(vec![Need::AnyOf(vec![2]), Need::AnyOf(vec![0])]);
            assert_eq!(meeting(&found, &none), Vec::<u32>::new());
        }

        // Only the words around the sentences with literals are looked at (after an
        // edit, the sentences that changed), whichever way they are kept.
        for dense in [false, true] {
            let later = occurrences(vec![vec![130, 200], vec![200, 201], Vec::new()], dense);
            assert_eq!(later.words, 2..4);
            let both = Need::All(vec![Need::AnyOf(vec![0]), Need::AnyOf(vec![1])]);
            assert_eq!(meeting(&later, &both), vec![200]);
            assert_eq!(
                meeting(&later, &Need::AnyOf(vec![0, 1])),
                vec![130, 200, 201]
            );
            assert_eq!(meeting(&later, &Need::AnyOf(vec![2, 1])), vec![200, 201]);
            assert_eq!(meeting(&later, &Need::AnyOf(vec![0])), vec![130, 200]);
            // A literal that occurs nowhere meets nothing, alone or with others.
            assert!(!can_meet(&later, &Need::AnyOf(vec![2])));
            let either = Need::Any(vec![Need::AnyOf(vec![2]), Need::AnyOf(vec![0])]);
            assert!(can_meet(&later, &either));
            assert_eq!(meeting(&later, &either), vec![130, 200]);
            let both = Need::All(vec![Need::AnyOf(vec![2]), Need::AnyOf(vec![0])]);
            assert!(!can_meet(&later, &both));
            assert_eq!(meeting(&later, &both), Vec::<u32>::new());
        }
        let nothing = occurrences(vec![Vec::new(), Vec::new()], false);
        assert_eq!(
            meeting(&nothing, &Need::AnyOf(vec![0, 1])),
            Vec::<u32>::new()
        );
    }

    #[test]
    fn nested_conditions_meet_the_sentences_each_would_alone() {
        // Random conditions up to four deep over five literals, and random sentences
        // holding them, kept as lists or bits and scanned in part: the sentences
        // marked are those where the condition holds, sentence by sentence.
        let mut next = crate::testing::random_below(0x2545_f491_4f6c_dd1d_u64);
        fn random_need(next: &mut impl FnMut(usize) -> usize, depth: usize) -> Need<usize> {
            let parts = |next: &mut dyn FnMut(usize) -> usize| 1 + next(3);
            match if depth == 0 { 0 } else { next(3) } {
                0 => Need::AnyOf((0..1 + next(3)).map(|_| next(5)).collect()),
                1 => Need::All(
                    (0..parts(next))
                        .map(|_| random_need(next, depth - 1))
                        .collect(),
                ),
                _ => Need::Any(
                    (0..parts(next))
                        .map(|_| random_need(next, depth - 1))
                        .collect(),
                ),
            }
        }
        for _ in 0..2_000 {
            // Within the 256 sentences `occurrences` keeps bits for.
            let (first, count) = (next(2) * 64, 1 + next(190));
            let lists: Vec<Vec<u32>> = (0..5)
                .map(|_| {
                    let every = 1 + next(12);
                    (first..first + count)
                        .filter(|_| next(every) == 0)
                        .map(|s| s as u32)
                        .collect()
                })
                .collect();
            let found = occurrences(lists.clone(), next(2) == 0);
            let need = random_need(&mut next, 3);
            let expected: Vec<u32> = (0..400)
                .filter(|s| need.is_met_by(&|&l: &usize| lists[l].contains(s)))
                .collect();
            assert_eq!(meeting(&found, &need), expected, "{need:?} over {lists:?}");
            // Giving up early never loses a sentence.
            assert!(can_meet(&found, &need) || expected.is_empty());
        }
    }

    #[test]
    fn a_literal_in_many_sentences_is_kept_as_a_bit_set() {
        let mut found = Sentences::List(Vec::new());
        for sentence in [3, 3, 40, 99] {
            found.add(sentence, 1000);
        }
        assert!(matches!(&found, Sentences::List(list) if list == &[3, 40, 99]));
        assert_eq!(found.bounds(), Some((3, 99)));
        // The 32nd sentence of 1 000 turns the list into bits.
        for sentence in 100..128 {
            found.add(sentence, 1000);
        }
        assert!(matches!(&found, Sentences::List(list) if list.len() == 31));
        found.add(128, 1000);
        let Sentences::Bits(bits) = &found else {
            panic!("still a list: {found:?}");
        };
        assert_eq!(bits.len(), 16);
        found.add(999, 1000);
        found.add(999, 1000);
        assert_eq!(found.bounds(), Some((3, 999)));
        let words = 0..16;
        let mut marks = vec![0u64; 16];
        found.mark(&mut marks, &words);
        let mut expected = vec![3, 40, 99];
        expected.extend(100..129);
        expected.push(999);
        assert_eq!(members(&marks, &words), expected);
    }

    #[test]
    fn occurrences_are_counted_per_sentence() {
        let prose = "We keep data. Over time it goes. Nothing here. Time is over.";
        let sentences = vec![
            ProseRange::new(0, 13),
            ProseRange::new(14, 32),
            ProseRange::new(33, 46),
            ProseRange::new(47, 60),
        ];
        let prefilter = Prefilter::new(["over\\s+time", "data", "[0-9]+", "time|data"]);
        let found = prefilter.scan(prose, &sentences);
        // Both words, in the second and the last sentence.
        assert_eq!(prefilter.candidates(0, &found), Some(vec![1, 3]));
        assert_eq!(prefilter.candidates(1, &found), Some(vec![0]));
        assert_eq!(prefilter.candidates(2, &found), None);
        assert_eq!(prefilter.candidates(3, &found), Some(vec![0, 1, 3]));
    }

    /// A word, and which sentences (by number) hold it.
    type WordIn<'w> = (&'w str, fn(usize) -> bool);

    /// 300 sentences ("Sentence 7 alpha here."), each holding the words whose test
    /// holds for its number.
    fn sentences_holding(words: &[WordIn]) -> (String, Vec<ProseRange>) {
        let mut prose = String::new();
        let mut sentences = Vec::new();
        for i in 0..300 {
            let start = prose.len();
            prose.push_str(&format!("Sentence {i}"));
            for (word, here) in words {
                if here(i) {
                    prose.push_str(&format!(" {word} here"));
                }
            }
            prose.push('.');
            sentences.push(ProseRange::new(start, prose.len()));
            prose.push(' ');
        }
        (prose, sentences)
    }

    #[test]
    fn a_text_scanned_in_parts_gives_what_it_gives_whole() {
        // 300 sentences, words in some of them: "alpha" often enough to be kept as
        // bits, "beta" rarely, "gamma" in a run that a part may end inside.
        let (prose, sentences) = sentences_holding(&[
            ("alpha", |i| i % 3 == 0),
            ("beta", |i| i % 90 == 1),
            ("gamma", |i| (140..160).contains(&i)),
        ]);
        let prefilter = Prefilter::new(["alpha", "beta", "gamma", "delta"]);
        let whole = prefilter.scan_parts(&prose, &sentences, std::iter::once(0..300).collect());
        assert!(matches!(whole.sentences_of[0], Sentences::Bits(_)));
        assert!(matches!(whole.sentences_of[1], Sentences::List(_)));
        for parts in [
            vec![0..150, 150..300],
            vec![0..1, 1..2, 2..299, 299..300],
            vec![0..100, 100..145, 145..155, 155..300],
        ] {
            let apart = prefilter.scan_parts(&prose, &sentences, parts.clone());
            assert_eq!(format!("{apart:?}"), format!("{whole:?}"), "{parts:?}");
        }
        // Parts of about equal length, none shorter than a megabyte.
        assert_eq!(
            parts_of(&sentences, 2),
            std::iter::once(0..300).collect::<Vec<_>>()
        );
        let long: Vec<ProseRange> = (0..400)
            .map(|i| ProseRange::new(i * 10_000, i * 10_000 + 9_000))
            .collect();
        assert_eq!(parts_of(&long, 2), vec![0..200, 200..400]);
        // 4 MB: no more than three parts, whatever the cores.
        assert_eq!(parts_of(&long, 8), vec![0..133, 133..266, 266..400]);
        assert_eq!(parts_of(&[], 2), Vec::<std::ops::Range<usize>>::new());
    }

    #[test]
    fn sentences_are_taken_out_of_a_set_in_order_within_a_range() {
        let members = [3, 64, 65, 127, 130, 191, 250];
        let mut set = SentenceSet::of(&members, 260);
        assert_eq!(set.first_from(0), Some(3));
        assert_eq!(set.first_from(66), Some(127));
        assert_eq!(set.first_from(251), None);
        let mut taken = Vec::new();
        set.take_within(60..130, &mut taken);
        assert_eq!(taken, [64, 65, 127]);
        set.take_within(60..130, &mut taken);
        assert_eq!(taken, [64, 65, 127], "nothing more there");
        assert_eq!(set.first_from(4), Some(130));
        assert_eq!(set.to_list(), [3, 130, 191, 250]);
        assert!(set.any_within(0..4) && set.any_within(130..131));
        assert!(!set.any_within(4..130) && !set.any_within(131..191) && !set.any_within(7..7));
        set.take_within(0..usize::MAX, &mut taken);
        assert_eq!(taken, [64, 65, 127, 3, 130, 191, 250]);
        assert!(set.is_empty());
        assert_eq!(set.first_from(0), None);
        assert_eq!(
            SentenceSet::every(130).to_list(),
            (0..130).collect::<Vec<u32>>()
        );
        assert_eq!(SentenceSet::every(128).to_list().len(), 128);
        assert!(SentenceSet::every(0).is_empty());
        assert_eq!(SentenceSet::default().first_from(0), None);
    }

    #[test]
    fn candidates_are_the_sentences_holding_the_words_in_any_form_they_are_kept() {
        // 300 sentences: "alpha" in every other one and "gamma" in every seventh (kept
        // as bit sets), "beta" in every fiftieth (kept as a list).
        let (prose, sentences) = sentences_holding(&[
            ("Alpha", |i| i % 2 == 0),
            ("beta", |i| i % 50 == 0),
            ("gamma", |i| i % 7 == 0),
        ]);
        let prefilter = Prefilter::new(["alpha", "beta", r"alpha.*gamma", r"beta|gamma"]);
        let found = prefilter.scan(&prose, &sentences);
        let holding = |test: &dyn Fn(u32) -> bool| (0..300).filter(|&i| test(i)).collect();
        let expected: [Vec<u32>; 4] = [
            holding(&|i| i % 2 == 0),
            holding(&|i| i % 50 == 0),
            holding(&|i| i % 2 == 0 && i % 7 == 0),
            holding(&|i| i % 50 == 0 || i % 7 == 0),
        ];
        for (leaf, expected) in expected.iter().enumerate() {
            assert_eq!(prefilter.candidates(leaf, &found).as_ref(), Some(expected));
        }
        assert!(matches!(found.sentences_of[1], Sentences::List(_)));
        assert!(matches!(found.sentences_of[0], Sentences::Bits(_)));

        // Scanning some sentences (after an edit) finds the same among those.
        let some: Vec<u32> = (100..140).collect();
        let found = prefilter.scan_some(&prose, &sentences, &some);
        for (leaf, expected) in expected.iter().enumerate() {
            let among: Vec<u32> = expected
                .iter()
                .copied()
                .filter(|i| some.contains(i))
                .collect();
            assert_eq!(prefilter.candidates(leaf, &found), Some(among));
        }
    }

    #[test]
    fn letters_whose_case_the_pattern_keeps_are_needed_in_that_case() {
        assert_eq!(
            needs(r"\b[a-z]+\s+(?-i:AT)\s+[a-z]+").as_deref(),
            Some("=AT")
        );
        assert_eq!(needs(r"(?-i:GmbH|AG)\b").as_deref(), Some("=AG|=GmbH"));
        // A class with both cases of its letters is a letter in any case.
        assert_eq!(needs(r"(?-i:[Ss][Ee])").as_deref(), Some("se"));
        assert_eq!(needs(r"(?-i:[SZ]ALE)").as_deref(), Some("=SALE|=ZALE"));
        assert_eq!(needs(r"(?-i:[SZ])ale").as_deref(), Some("sale|zale"));
        // Joined to letters in any case, letters in one case are read in any.
        assert_eq!(needs(r"x(?-i:AT)").as_deref(), Some("xat"));
        assert_eq!(needs(r"(?-i:AT)\.com").as_deref(), Some("at.com"));
        assert_eq!(needs(r"(?-i:AT)\.\s").as_deref(), Some("=AT."));
        // A short word with a capital that must be one is rare in prose: needed
        // beside a longer word, where the same word in any case is not.
        assert_eq!(
            needs(r"(?-i:We)\s+offer").as_deref(),
            Some("[=We] & [offer]")
        );
        assert_eq!(needs(r"we\s+offer").as_deref(), Some("offer"));
        // A prefix put back into alternatives keeps its case, or lack of it.
        assert_eq!(
            needs(r"(?-i:D(?:o\s+Not\s+Track|NT))").as_deref(),
            Some("[[=Do] & [=Not] & [=Track]] | [=DNT]")
        );
        assert_eq!(
            needs(r"(?-i:D)(?:o\s+Not\s+Track|NT)").as_deref(),
            Some("[[not] & [track|trac\u{212a}]] | [dnt]")
        );
    }

    #[test]
    fn a_literal_in_one_case_occurs_only_in_that_case() {
        // "AT" in every third sentence, "at" in every other.
        let (prose, sentences) =
            sentences_holding(&[("AT", |i| i % 3 == 0), ("at", |i| i % 2 == 0)]);
        let prefilter = Prefilter::new([r"(?-i:AT)\s+here", r"at\s+here"]);
        let found = prefilter.scan(&prose, &sentences);
        let holding = |test: &dyn Fn(u32) -> bool| (0..300).filter(|&i| test(i)).collect();
        let in_capitals: Vec<u32> = holding(&|i| i % 3 == 0);
        let in_any_case: Vec<u32> = holding(&|i| i % 3 == 0 || i % 2 == 0);
        assert_eq!(prefilter.candidates(0, &found), Some(in_capitals.clone()));
        assert_eq!(prefilter.candidates(1, &found), Some(in_any_case));
        let some: Vec<u32> = (100..140).collect();
        let found = prefilter.scan_some(&prose, &sentences, &some);
        let among: Vec<u32> = in_capitals
            .into_iter()
            .filter(|i| some.contains(i))
            .collect();
        assert_eq!(prefilter.candidates(0, &found), Some(among));
    }

    #[test]
    fn a_condition_met_by_one_letter_is_dropped() {
        // "Ltd" or "V" as a word: "v" is found in most sentences, so the leaf is
        // searched everywhere rather than its letters looked for everywhere.
        let prefilter = Prefilter::new([r"Ltd|V(?-u:\b)", r"Ltd|GmbH"]);
        let prose = "Acme Ltd. We value you.";
        let sentences = vec![ProseRange::new(0, 9), ProseRange::new(10, 23)];
        let found = prefilter.scan(prose, &sentences);
        assert_eq!(prefilter.candidates(0, &found), None);
        assert_eq!(prefilter.candidates(1, &found), Some(vec![0]));
        assert_eq!(
            prefilter.literal_count(),
            2,
            "only ltd and gmbh are looked for"
        );
    }
}
