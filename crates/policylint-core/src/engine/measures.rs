//! Checks of the text itself rather than of a statement: measures with a limit
//! (readability), the policy's stated date, and its language.

use super::*;

/// A metric over its limit, as a finding.
pub(super) fn measure(
    rule: &Rule,
    metric: &Metric,
    ctx: &DocContext,
    member: usize,
) -> Option<Finding> {
    let doc = ctx.eval.document();
    let stats = ctx.stats();
    let title = doc.title().map_or(ProseRange::new(0, 0), |b| b.range);
    let message = metric
        .message
        .clone()
        .unwrap_or_else(|| rule.message.clone());
    let (at, label) = match metric.measure {
        Measure::FleschKincaidGrade => {
            let grade = stats.flesch_kincaid_grade();
            if grade <= metric.max {
                return None;
            }
            let label = format!(
                "Flesch–Kincaid grade {grade:.1}: the years of schooling the whole text asks of a reader (limit {})",
                metric.max
            );
            (title, label)
        }
        Measure::SentenceWords => {
            let long: Vec<&(ProseRange, usize)> = stats
                .sentence_words
                .iter()
                .filter(|(_, words)| *words as f64 > metric.max)
                .collect();
            let &&(at, words) = long.iter().max_by_key(|(_, words)| *words)?;
            let longer = match long.len() {
                1 => "1 sentence is".to_string(),
                n => format!("{n} sentences are"),
            };
            let label = format!("{words} words; {longer} longer than {} words", metric.max);
            (at, label)
        }
        Measure::TermDensity => {
            let leaf = metric.terms_leaf?;
            let matches = ctx.eval.leaf_matches(leaf);
            if stats.words == 0 {
                return None;
            }
            let density = matches.len() as f64 * 100.0 / stats.words as f64;
            if density <= metric.max {
                return None;
            }
            let label = format!(
                "{density:.1} per 100 words (limit {}); {} in all, the first here",
                metric.max,
                matches.len()
            );
            (matches.first()?.range(), label)
        }
    };
    let at = Place { member, range: at };
    Some(Finding {
        message,
        at,
        labels: vec![(label, at)],
        // A measure of the whole text, wherever it is shown.
        whole_document_about: Some(
            match metric.measure {
                Measure::FleschKincaidGrade => "flesch-kincaid-grade",
                Measure::SentenceWords => "sentence-words",
                Measure::TermDensity => "term-density",
            }
            .to_string(),
        ),
        severity: None,
        tag: None,
        elsewhere: Vec::new(),
    })
}

/// The latest date that follows a cue in the same sentence.
pub(super) fn latest_cued_date(
    check: &DateCheck,
    eval: &Evaluator,
    order: DateOrder,
) -> Option<(Date, ProseRange)> {
    let doc = eval.document();
    // Copied out: the cue below may read the same leaf.
    let dates: Vec<ProseRange> = eval
        .leaf_matches(check.date_leaf)
        .iter()
        .map(|m| m.range())
        .collect();
    let mut latest: Option<(Date, ProseRange)> = None;
    for at in dates {
        let Some(sentence) = doc.sentence_at(at.start) else {
            continue;
        };
        let cued = eval
            .first(&check.cue, ProseRange::new(sentence.start, at.start))
            .is_some();
        if !cued {
            continue;
        }
        if let Some(date) = dates::parse(doc.text(at), order)
            && latest.is_none_or(|(d, _)| date > d)
        {
            latest = Some((date, at));
        }
    }
    latest
}

/// The start of the prose that its language is told from.
pub(super) fn language_sample(prose: &str) -> &str {
    let mut end = prose.len().min(LANGUAGE_SAMPLE_BYTES);
    while !prose.is_char_boundary(end) {
        end -= 1;
    }
    &prose[..end]
}

/// The language of a policy that is reliably not English, by its English name, as an
/// earlier version of it was told when its start is unchanged: as someone edits past
/// the start, the language stays what it was.
pub(super) fn language_of(doc: &Document, earlier: Option<&Memo>) -> Option<&'static str> {
    let told_before = earlier.and_then(|memo| {
        memo.language
            .as_ref()
            .filter(|(sample, _)| sample == language_sample(doc.prose()))
            .map(|&(_, language)| language)
    });
    told_before.unwrap_or_else(|| other_language(doc))
}

/// The language of a policy that is reliably not English, by its English name.
fn other_language(doc: &Document) -> Option<&'static str> {
    let sample = language_sample(doc.prose());
    // A few sentences are not enough to tell a language reliably.
    sample.split_whitespace().nth(LANGUAGE_MIN_WORDS - 1)?;
    let info = whatlang::detect(sample)?;
    (info.is_reliable() && info.lang() != whatlang::Lang::Eng).then(|| info.lang().eng_name())
}
