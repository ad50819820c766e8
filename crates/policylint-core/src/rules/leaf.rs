//! The leaf regexes that matchers share: checked when the rules load, compiled when
//! first searched.
//!
//! Compiling every leaf took most of the time it takes to load the built-in packs
//! (0.4 of 0.65 s), though linting one short draft searches only some of them. So a
//! leaf is compiled on first use. The one error that compiling can give after the
//! pattern parses is a pattern too large for [`REGEX_SIZE_LIMIT`]; so that it is still
//! reported when the rules load, a leaf whose automaton could come near the limit (by
//! a bound worked out from the parsed pattern) is compiled right away.
//!
//! A leaf has two regexes, each compiled on first use: one for any text, and one for
//! text made only of ASCII characters and the typographic ones that policies use
//! throughout ([`Alphabet::Plain`]), as nearly every sentence of a policy in English
//! is. The second keeps of each character class only its members in that alphabet
//! (`\w`, `[^.]` and case folding reach far beyond it), which cannot change what it
//! finds in such text, and its automata are a fraction of the size: about a sixth of
//! the time to compile and of the memory, and fewer states for its lazy DFAs to build.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, RwLock};

use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, Match, meta};
use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};
use regex_syntax::utf8::Utf8Sequences;

use crate::prefilter::{Literal, Need, Prefilter, required_by};

/// The literals every match of a leaf contains (see [`required_by`]).
type Literals = Need<Literal>;

/// Limits on what one pattern may compile to, so a huge rule fails cleanly.
pub(crate) const REGEX_SIZE_LIMIT: usize = 32 * 1024 * 1024;

/// A leaf's shared search cache, with the regex it was made for.
#[derive(Debug)]
pub(crate) struct SharedCache {
    pub(crate) regex: Arc<meta::Regex>,
    pub(crate) cache: meta::Cache,
}

impl SharedCache {
    pub(crate) fn of(leaf: &Leaf, alphabet: Alphabet) -> SharedCache {
        let regex = leaf.regex(alphabet);
        let cache = regex.create_cache();
        SharedCache { regex, cache }
    }
}

/// The text a leaf's regex is compiled for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alphabet {
    /// Any text.
    Unicode,
    /// Text made only of ASCII characters and [`TYPOGRAPHIC`] ones.
    Plain,
}

/// The characters outside ASCII that run all through policies written in English:
/// typographic quotes, dashes and spaces, bullets, and signs such as © and §. Text
/// with no other character is [`Alphabet::Plain`].
pub const TYPOGRAPHIC: &[char] = &[
    '\u{a0}', '\u{a7}', '\u{a9}', '\u{ab}', '\u{ad}', '\u{ae}', '\u{b0}', '\u{b6}', '\u{b7}',
    '\u{bb}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}',
    '\u{2014}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2020}', '\u{2021}', '\u{2022}',
    '\u{2023}', '\u{2026}', '\u{202f}', '\u{2032}', '\u{2033}', '\u{2043}', '\u{20ac}', '\u{2122}',
    '\u{2192}', '\u{2500}', '\u{25aa}', '\u{25cf}', '\u{25e6}', '\u{feff}', '\u{a3}',
];

impl Alphabet {
    /// The alphabet of `text`: plain if it holds no character outside ASCII but
    /// [`TYPOGRAPHIC`] ones.
    pub fn of(text: &str) -> Alphabet {
        if text.is_ascii()
            || text
                .chars()
                .all(|c| c.is_ascii() || TYPOGRAPHIC.contains(&c))
        {
            Alphabet::Plain
        } else {
            Alphabet::Unicode
        }
    }
}

/// A leaf's regex for one alphabet, and the scratch memory of its searches.
#[derive(Debug, Default)]
struct Compiled {
    /// Built on first use (for any text, when the leaf is made if it could be too
    /// large); dropped by [`Leaf::release`].
    regex: RwLock<Option<Arc<meta::Regex>>>,
    /// The scratch memory of the regex's searches (its lazy DFA's states), shared by
    /// the threads in turn: each thread's own would build the same states again.
    /// Made on first use, with the regex it was made for (a regex dropped and built
    /// again needs a cache of its own); dropped by [`Leaf::release`].
    shared_cache: Mutex<Option<SharedCache>>,
}

impl Compiled {
    fn is_compiled(&self) -> bool {
        (self.regex.read())
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    fn regex(&self, build: impl FnOnce() -> meta::Regex) -> Arc<meta::Regex> {
        if let Some(regex) = &*self.regex.read().unwrap_or_else(PoisonError::into_inner) {
            return Arc::clone(regex);
        }
        let mut slot = self.regex.write().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(slot.get_or_insert_with(|| Arc::new(build())))
    }

    fn release(&self) {
        if let Ok(mut cache) = self.shared_cache.try_lock() {
            *cache = None;
            // Dropped while the cache is held, so no search pairs the cache of one
            // build with another.
            *self.regex.write().unwrap_or_else(PoisonError::into_inner) = None;
        }
    }

    fn holds_cache(&self) -> bool {
        self.shared_cache.lock().is_ok_and(|cache| cache.is_some())
    }
}

/// A regex that matchers share, run once per document.
///
/// Leaves are searched inside one sentence at a time with [`Input::span`]: a match
/// never leaves its sentence, while `\b`, `^` and `$` still see the characters
/// around it.
#[derive(Debug)]
pub struct Leaf {
    /// The regex source after macro expansion.
    pub pattern: String,
    multi_line: bool,
    /// The regex for any text.
    unicode: Compiled,
    /// The regex for plain text ([`Alphabet::Plain`]).
    plain: Compiled,
    /// For `pattern` leaves: the same regex made to end on a word boundary, built on
    /// first use. When the first match ends inside a word ("sell" in "sells" for
    /// `sell|sells`), the search is retried from the same place with it, which
    /// backtracks into a later alternative.
    ending_on_word: Option<OnceLock<Option<meta::Regex>>>,
}

impl Leaf {
    /// A rule's `pattern` (macros expanded): case-insensitive, `^` and `$` at line
    /// ends, with the word-end retry.
    pub fn pattern(pattern: String) -> Result<Leaf, String> {
        Leaf::made(pattern, false).map(|(leaf, _)| leaf)
    }

    /// A `terms` list as one regex: case-insensitive; its phrases are whole words
    /// already, so it needs no retry.
    pub fn terms(pattern: String) -> Result<Leaf, String> {
        Leaf::made(pattern, true).map(|(leaf, _)| leaf)
    }

    /// A `pattern` leaf or (if `terms`) a `terms` leaf, if its pattern parses and
    /// compiles within the size limit (compiled now only if it could be too large
    /// to), with what every match of it contains, for [`Leaves::with_needs`]: the
    /// pattern is parsed once for both.
    pub(crate) fn made(pattern: String, terms: bool) -> Result<(Leaf, Option<Literals>), String> {
        let multi_line = !terms;
        let hir = parse(&pattern, multi_line);
        let mut regex = None;
        if hir
            .as_ref()
            .is_none_or(|hir| nfa_size_bound(hir) > REGEX_SIZE_LIMIT / 2)
        {
            // Also how a pattern that does not parse gets the regex crate's message.
            regex = Some(Arc::new(leaf_regex(&pattern, multi_line)?));
        }
        let need = hir.as_ref().and_then(required_by);
        let leaf = Leaf {
            pattern,
            multi_line,
            unicode: Compiled {
                regex: RwLock::new(regex),
                shared_cache: Mutex::new(None),
            },
            plain: Compiled::default(),
            ending_on_word: (!terms).then(OnceLock::new),
        };
        Ok((leaf, need))
    }

    /// Whether a regex of the leaf is compiled yet.
    pub fn is_compiled(&self) -> bool {
        self.unicode.is_compiled() || self.plain.is_compiled()
    }

    /// Whether the leaf's regex for `alphabet` is compiled yet.
    pub fn is_compiled_for(&self, alphabet: Alphabet) -> bool {
        self.compiled(alphabet).is_compiled()
    }

    fn compiled(&self, alphabet: Alphabet) -> &Compiled {
        match alphabet {
            Alphabet::Unicode => &self.unicode,
            Alphabet::Plain => &self.plain,
        }
    }

    /// The compiled regex for text in `alphabet` (compiled now if this is its first
    /// use).
    pub fn regex(&self, alphabet: Alphabet) -> Arc<meta::Regex> {
        self.compiled(alphabet).regex(|| {
            let plain_hir = match alphabet {
                Alphabet::Unicode => None,
                Alphabet::Plain => {
                    parse(&self.pattern, self.multi_line).map(|hir| plain_only(&hir))
                }
            };
            // The bound checked when the leaf was made keeps the size limit from being
            // reached; were it reached all the same, the regex is built without it
            // rather than the search failing.
            let build = |limit| {
                let builder = regex_builder(self.multi_line, limit);
                match &plain_hir {
                    Some(hir) => builder.build_from_hir(hir).ok(),
                    None => builder.build(&self.pattern).ok(),
                }
            };
            build(Some(REGEX_SIZE_LIMIT))
                .or_else(|| build(None))
                .expect("the pattern parsed when the rules were loaded")
        })
    }

    /// The shared scratch memory of the searches of the regex for `alphabet`, if no
    /// other thread is using it: `None` inside until a search makes it.
    pub(crate) fn shared_cache(
        &self,
        alphabet: Alphabet,
    ) -> Option<MutexGuard<'_, Option<SharedCache>>> {
        self.compiled(alphabet).shared_cache.try_lock().ok()
    }

    /// Drops the compiled regexes and the scratch memory their searches built (the
    /// states of the lazy DFAs), unless a thread is searching with them; the next
    /// search builds them again. Each leaf a document reaches holds both, up to a few
    /// MB: a long document reaches nearly every leaf, and releases each once the last
    /// of its rules that reads it is checked.
    pub fn release(&self) {
        self.unicode.release();
        self.plain.release();
    }

    /// Whether the leaf holds scratch memory for its searches.
    pub fn holds_cache(&self) -> bool {
        self.unicode.holds_cache() || self.plain.holds_cache()
    }

    /// The match of the word-end regex that starts at `start` and ends by `end`, if
    /// the leaf has one.
    pub fn match_to_word_end(&self, prose: &str, start: usize, end: usize) -> Option<Match> {
        let regex = self
            .ending_on_word
            .as_ref()?
            .get_or_init(|| ending_on_word(&self.pattern, self.multi_line))
            .as_ref()?;
        regex.find(Input::new(prose).span(start..end).anchored(Anchored::Yes))
    }
}

fn parse(pattern: &str, multi_line: bool) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .multi_line(multi_line)
        .build()
        .parse(pattern)
        .ok()
}

/// The pattern as it matches in plain text ([`Alphabet::Plain`]): each character
/// class keeps only its members in that alphabet. Such text holds no other
/// character, so no match there is lost, and an alternative that needed one fails
/// there either way.
fn plain_only(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut plain = ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]);
            plain.union(&ClassUnicode::new(
                TYPOGRAPHIC.iter().map(|&c| ClassUnicodeRange::new(c, c)),
            ));
            let mut class = class.clone();
            class.intersect(&plain);
            Hir::class(Class::Unicode(class))
        }
        // In UTF-8 patterns a class of bytes holds only ASCII bytes.
        HirKind::Class(Class::Bytes(_))
        | HirKind::Empty
        | HirKind::Literal(_)
        | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(repetition) => Hir::repetition(Repetition {
            sub: Box::new(plain_only(&repetition.sub)),
            ..repetition.clone()
        }),
        HirKind::Capture(capture) => Hir::capture(Capture {
            sub: Box::new(plain_only(&capture.sub)),
            ..capture.clone()
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(plain_only).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(plain_only).collect()),
    }
}

/// `pattern` followed by an ASCII word boundary. Built from the parsed pattern, not by
/// appending to its text, which a trailing `# comment` under `(?x)` would swallow.
fn ending_on_word(pattern: &str, multi_line: bool) -> Option<meta::Regex> {
    let hir = Hir::concat(vec![
        parse(pattern, multi_line)?,
        Hir::look(Look::WordAscii),
    ]);
    // Its searches are anchored, so a literal prefilter would never be used.
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .auto_prefilter(false),
        )
        .build_from_hir(&hir)
        .ok()
}

/// Without the regex's own literal prefilter: the sentences a leaf searches already
/// hold the literals it needs (`prefilter.rs`), so its own search for them gained
/// nothing, and finding them when compiling was a seventh of the compile time.
fn regex_builder(multi_line: bool, size_limit: Option<usize>) -> meta::Builder {
    let mut builder = meta::Regex::builder();
    builder
        .syntax(
            syntax::Config::new()
                .case_insensitive(true)
                .multi_line(multi_line),
        )
        .configure(
            meta::Config::new()
                .nfa_size_limit(size_limit)
                .auto_prefilter(false),
        );
    builder
}

/// A leaf's regex: case-insensitive, with the size limit that keeps a huge rule from
/// exhausting memory. The error is the `regex` crate's, which shows where the pattern
/// is wrong.
fn leaf_regex(pattern: &str, multi_line: bool) -> Result<meta::Regex, String> {
    regex_builder(multi_line, Some(REGEX_SIZE_LIMIT))
        .build(pattern)
        .map_err(|e| {
            regex::RegexBuilder::new(pattern)
                .case_insensitive(true)
                .multi_line(multi_line)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .err()
                .map_or_else(|| e.to_string(), |e| e.to_string())
        })
}

/// More bytes than either automaton compiled from `hir` (forward, or reversed to find
/// where matches start) takes: every state and transition counted generously, with no
/// sharing. Each copy of a repeated part, and each byte sequence of a character class
/// in UTF-8, adds its own states, as they do in the automaton.
fn nfa_size_bound(hir: &Hir) -> usize {
    // What every automaton has whatever its pattern (its byte classes, start states).
    const FIXED: usize = 4096;
    FIXED.saturating_add(parts_size_bound(hir))
}

fn parts_size_bound(hir: &Hir) -> usize {
    const STATE: usize = 64;
    const TRANSITION: usize = 16;
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => STATE,
        HirKind::Literal(literal) => literal.0.len() * (STATE + TRANSITION),
        HirKind::Class(Class::Bytes(class)) => STATE + class.ranges().len() * TRANSITION,
        HirKind::Class(Class::Unicode(class)) => {
            let sequences: usize = class
                .ranges()
                .iter()
                .map(|r| Utf8Sequences::new(r.start(), r.end()).count())
                .sum();
            // A sequence is at most four byte ranges, each a state and a transition,
            // joined by a union that names it.
            STATE + sequences * (4 * (STATE + TRANSITION) + TRANSITION)
        }
        HirKind::Repetition(repetition) => {
            let copies = match repetition.max {
                Some(max) => max.max(1),
                None => repetition.min.saturating_add(1),
            };
            let copy = parts_size_bound(&repetition.sub) + 2 * STATE + 2 * TRANSITION;
            (copies as usize).saturating_mul(copy).saturating_add(STATE)
        }
        HirKind::Capture(capture) => parts_size_bound(&capture.sub) + 2 * STATE,
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts
            .iter()
            .map(|part| parts_size_bound(part) + STATE + TRANSITION)
            .fold(2 * STATE, usize::saturating_add),
    }
}

/// The leaf regexes of a rule set, with the literals that let a document skip them.
#[derive(Debug)]
pub struct Leaves {
    leaves: Vec<Leaf>,
    prefilter: Prefilter,
    /// Tells compiled rule sets apart, so that matches remembered under one set are
    /// never reused under another.
    id: u64,
}

impl Leaves {
    pub fn new(leaves: Vec<Leaf>) -> Leaves {
        let prefilter = Prefilter::new(leaves.iter().map(|l| l.pattern.as_str()));
        Leaves::with_prefilter(leaves, prefilter)
    }

    /// The leaves, with what every match of each contains (from [`Leaf::made`]).
    pub(crate) fn with_needs(leaves: Vec<Leaf>, needs: Vec<Option<Literals>>) -> Leaves {
        Leaves::with_prefilter(leaves, Prefilter::from_needs(needs))
    }

    fn with_prefilter(leaves: Vec<Leaf>, prefilter: Prefilter) -> Leaves {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Leaves {
            leaves,
            prefilter,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    pub fn prefilter(&self) -> &Prefilter {
        &self.prefilter
    }

    pub fn id(&self) -> u64 {
        self.id
    }
}

impl std::ops::Deref for Leaves {
    type Target = [Leaf];

    fn deref(&self) -> &[Leaf] {
        &self.leaves
    }
}

#[cfg(test)]
mod tests {
    use regex_automata::nfa::thompson;

    use super::*;
    use crate::rules::{RuleSet, builtin_packs};

    /// The forward automaton and the reverse one, as the regex is compiled with them.
    fn automata_sizes(hir: &Hir) -> (usize, usize) {
        let forward = thompson::Compiler::new().build_from_hir(hir).unwrap();
        let reverse = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .reverse(true)
                    .shrink(false)
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_from_hir(hir)
            .unwrap();
        (forward.memory_usage(), reverse.memory_usage())
    }

    #[test]
    fn the_size_bound_is_above_what_every_built_in_leaf_compiles_to() {
        let packs = builtin_packs();
        let set = RuleSet::load(&packs, &[]).unwrap();
        for leaf in set.leaves.iter() {
            let hir = parse(&leaf.pattern, leaf.multi_line).unwrap();
            let (forward, reverse) = automata_sizes(&hir);
            let bound = nfa_size_bound(&hir);
            assert!(
                bound >= forward && bound >= reverse,
                "{} < {forward} or {reverse}: {}",
                bound,
                leaf.pattern
            );
        }
    }

    #[test]
    fn a_leaf_made_from_one_parse_needs_the_literals_its_pattern_needs() {
        let set = RuleSet::load(&builtin_packs(), &[]).unwrap();
        let mut with_literals = 0;
        for leaf in set.leaves.iter() {
            let (_, need) = Leaf::made(leaf.pattern.clone(), !leaf.multi_line).unwrap();
            let expected = crate::prefilter::required(&leaf.pattern);
            with_literals += usize::from(expected.is_some());
            assert_eq!(need, expected, "{}", leaf.pattern);
        }
        assert!(with_literals * 10 > set.leaves.len() * 9, "{with_literals}");
    }

    #[test]
    fn the_size_bound_holds_for_repeated_unicode_classes_and_alternatives() {
        for pattern in [
            r"\w",
            r"[^.]{0,120}?",
            r"(?:\w+\s+){0,20}?data",
            r"é|ü|ß|ſ|k|\p{Greek}+",
            r"(?:a|b|(?:c|d){3}){2,5}",
            r"^\s*(?:last\s+)?updated\b.{0,40}$",
        ] {
            let hir = parse(pattern, true).unwrap();
            let (forward, reverse) = automata_sizes(&hir);
            let bound = nfa_size_bound(&hir);
            assert!(bound >= forward && bound >= reverse, "{pattern}");
        }
    }

    #[test]
    fn one_thread_at_a_time_has_the_shared_cache() {
        let leaf = Leaf::pattern(r"\bretain\w*".into()).unwrap();
        let mut held = leaf.shared_cache(Alphabet::Unicode).expect("free at first");
        let shared = held.get_or_insert_with(|| SharedCache::of(&leaf, Alphabet::Unicode));
        let found = (shared.regex).search_with(&mut shared.cache, &Input::new("We retain it."));
        assert_eq!(found.map(|m| m.range()), Some(3..9));
        // While held, others search with a cache of their own; the regex for plain
        // text has a cache of its own.
        assert!(leaf.shared_cache(Alphabet::Unicode).is_none());
        std::thread::scope(|s| {
            s.spawn(|| assert!(leaf.shared_cache(Alphabet::Unicode).is_none()));
        });
        assert!(leaf.shared_cache(Alphabet::Plain).is_some());
        drop(held);
        assert!(leaf.holds_cache());
        assert!(leaf.shared_cache(Alphabet::Unicode).is_some());
        leaf.release();
        assert!(!leaf.holds_cache());
        assert!(!leaf.is_compiled());
        assert!(leaf.regex(Alphabet::Unicode).is_match("We retain data."));
        // Released, the regex for plain text and its cache go too.
        leaf.release();
        let mut held = leaf.shared_cache(Alphabet::Plain).expect("free");
        held.get_or_insert_with(|| SharedCache::of(&leaf, Alphabet::Plain));
        drop(held);
        leaf.release();
        assert!(!leaf.holds_cache());
        assert!(!leaf.is_compiled());
    }

    #[test]
    fn a_leaf_is_compiled_when_first_searched() {
        let leaf = Leaf::pattern(r"\bretain\w*".into()).unwrap();
        assert!(!leaf.is_compiled());
        assert!(leaf.regex(Alphabet::Plain).is_match("We retain data."));
        assert!(leaf.is_compiled());
    }

    #[test]
    fn the_regex_for_plain_text_keeps_only_plain_members_of_classes() {
        let leaf = Leaf::pattern(r"[^.]{0,3}\w+é".into()).unwrap();
        let (unicode, plain) = (leaf.regex(Alphabet::Unicode), leaf.regex(Alphabet::Plain));
        assert!(plain.memory_usage() * 4 < unicode.memory_usage());
        // Outside the alphabet they differ, which is why only plain sentences are
        // searched with it.
        assert!(unicode.is_match("xyzñé"));
        assert!(!plain.is_match("xyzñé"));
        // Typographic quotes are in it.
        let leaf = Leaf::pattern(r"\bdon[^a-z]t\b".into()).unwrap();
        assert!(leaf.regex(Alphabet::Plain).is_match("We don’t sell it."));
        // Case folding reaches "K" (the Kelvin sign) and "ſ" only in the full one.
        let leaf = Leaf::pattern(r"\bks\b".into()).unwrap();
        assert!(leaf.regex(Alphabet::Unicode).is_match("\u{212a}ſ"));
        assert!(!leaf.regex(Alphabet::Plain).is_match("\u{212a}ſ"));
        assert!(leaf.regex(Alphabet::Plain).is_match("a KS b"));
    }

    #[test]
    fn a_text_is_plain_if_it_holds_only_ascii_and_typographic_characters() {
        assert_eq!(Alphabet::of("We keep data."), Alphabet::Plain);
        assert_eq!(
            Alphabet::of("We don’t sell “data” – ever…"),
            Alphabet::Plain
        );
        assert_eq!(
            Alphabet::of("We sell no data at the café."),
            Alphabet::Unicode
        );
        assert_eq!(Alphabet::of("Kelvin \u{212a}"), Alphabet::Unicode);
        // None of the typographic characters is a letter or a digit, which case
        // folding or `\w` would pair with others.
        assert!(TYPOGRAPHIC.iter().all(|c| !c.is_alphanumeric()));
    }

    /// Every leaf of the built-in packs finds the same matches with either regex in
    /// plain text: the rules' own examples that are plain, one after another.
    #[test]
    fn every_built_in_leaf_finds_the_same_in_plain_text_with_either_regex() {
        let packs: Vec<String> = ["core", "gdpr", "ccpa", "caloppa", "coppa"]
            .map(String::from)
            .into();
        let rules = crate::rules::RuleSet::load(&packs, &[]).expect("the built-in packs load");
        let text: String = (rules.rules.iter())
            .flat_map(|rule| rule.examples.pass.iter().chain(&rule.examples.fail))
            .filter(|example| Alphabet::of(example) == Alphabet::Plain)
            .map(|example| format!("{example}\n\n"))
            .collect();
        assert!(text.len() > 50_000, "{} bytes of examples", text.len());
        let mut matches = 0;
        for leaf in rules.leaves.iter() {
            let find = |alphabet| -> Vec<(usize, usize)> {
                let regex = leaf.regex(alphabet);
                regex
                    .find_iter(&text)
                    .map(|m| (m.start(), m.end()))
                    .collect()
            };
            let found = find(Alphabet::Unicode);
            assert_eq!(find(Alphabet::Plain), found, "{}", leaf.pattern);
            matches += found.len();
        }
        assert!(matches > 10_000, "{matches} matches");
    }

    #[test]
    fn a_pattern_too_large_to_compile_is_refused_when_the_leaf_is_made() {
        let error = Leaf::pattern(r"\w{20000}".into()).unwrap_err();
        assert!(error.contains("exceeds size limit"), "{error}");
        let error = Leaf::terms(r"(?:\w{100}){300}".into()).unwrap_err();
        assert!(error.contains("exceeds size limit"), "{error}");
    }

    #[test]
    fn a_pattern_that_could_come_near_the_size_limit_is_compiled_right_away() {
        // Large for its bound, small enough to compile.
        let leaf = Leaf::pattern(r"\w{600}".into()).unwrap();
        assert!(nfa_size_bound(&parse(&leaf.pattern, true).unwrap()) > REGEX_SIZE_LIMIT / 2);
        assert!(leaf.is_compiled());
    }

    #[test]
    fn a_pattern_that_does_not_parse_gets_the_regex_crates_message() {
        let error = Leaf::pattern("a(b".into()).unwrap_err();
        assert!(error.contains("unclosed group"), "{error}");
    }
}
