//! The few lines of a policy that a finding is shown in, cut to a readable width.
//!
//! Policies often hold a whole section on one line of thousands of characters; a
//! terminal cannot show that, and miette cannot render it. An excerpt keeps the lines
//! of the finding (and, if asked, one line of context each side), cut around the
//! finding with "…", and still reports the true line and column numbers.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Characters of one line shown at most.
const WIDTH: usize = 110;
/// Characters shown before the finding on a cut line.
const LEAD: usize = 30;
/// Lines of a long finding shown at most.
const MAX_LINES: usize = 6;

struct ExcerptLine {
    /// Where the shown window starts and ends in the source (bytes).
    source_start: usize,
    source_end: usize,
    /// Where the window starts in the excerpt text (after any "…").
    text_start: usize,
    /// The 0-based column in the source of the excerpt line's first character.
    column_base: usize,
}

/// A cut of the source that miette renders, with the source's own line numbers.
pub(super) struct Excerpt {
    name: String,
    text: String,
    first_line: usize,
    lines: Vec<ExcerptLine>,
    line_starts_in_text: Vec<usize>,
}

/// The byte ranges of all lines (without line endings) of `source`.
fn line_ranges(source: &str) -> Vec<(usize, usize)> {
    crate::span::line_spans(source)
        .map(|line| (line.start, line.end))
        .collect()
}

/// The byte offset `n` characters after `from` (or the end of `text`).
fn advance(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| from + i)
}

/// The byte offset `n` characters before `from` (not before `floor`).
fn retreat(text: &str, floor: usize, from: usize, n: usize) -> usize {
    text[floor..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(floor, |(i, _)| floor + i)
}

/// `at`, or where the next word starts when `at` is inside a word (not past
/// `limit`): a cut line starts with a whole word.
fn word_start(text: &str, floor: usize, at: usize, limit: usize) -> usize {
    if at == floor || text[floor..at].ends_with(char::is_whitespace) {
        return at;
    }
    text[at..limit]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(at, |(i, c)| at + i + c.len_utf8())
}

impl Excerpt {
    /// An excerpt around `focus` (bytes of `source`), with `context` lines before and
    /// after it.
    pub(super) fn new(name: &str, source: &str, focus: (usize, usize), context: usize) -> Excerpt {
        let all = line_ranges(source);
        let line_of = |offset: usize| {
            all.partition_point(|&(_, end)| end < offset)
                .min(all.len() - 1)
        };
        let first_focus = line_of(focus.0);
        let last_focus = line_of(focus.1).min(first_focus + MAX_LINES - 1);
        let first = first_focus.saturating_sub(context);
        let last = (last_focus + context).min(all.len() - 1);
        let mut excerpt = Excerpt {
            name: name.to_string(),
            text: String::new(),
            first_line: first,
            lines: Vec::new(),
            line_starts_in_text: Vec::new(),
        };
        for (n, &(start, end)) in all.iter().enumerate().take(last + 1).skip(first) {
            let anchor = if n == first_focus { focus.0 } else { start };
            let from = if source[start..end].chars().count() <= WIDTH || anchor == start {
                start
            } else {
                word_start(source, start, retreat(source, start, anchor, LEAD), anchor)
            };
            let to = advance(source, from, WIDTH).min(end);
            if !excerpt.lines.is_empty() {
                excerpt.text.push('\n');
            }
            excerpt.line_starts_in_text.push(excerpt.text.len());
            let cut_before = from > start;
            if cut_before {
                excerpt.text.push('…');
            }
            let text_start = excerpt.text.len();
            excerpt.text.push_str(&source[from..to]);
            if to < end {
                excerpt.text.push('…');
            }
            let column = source[start..from].chars().count();
            excerpt.lines.push(ExcerptLine {
                source_start: from,
                source_end: to,
                text_start,
                column_base: column - usize::from(cut_before),
            });
        }
        excerpt
    }

    /// Where a source offset is shown, if it is inside the excerpt.
    fn map(&self, offset: usize) -> Option<usize> {
        self.lines
            .iter()
            .find(|l| l.source_start <= offset && offset <= l.source_end)
            .map(|l| l.text_start + (offset - l.source_start))
    }

    /// The excerpt span of a source span: its start must be shown; its end is cut to
    /// what is shown.
    pub(super) fn span(&self, start: usize, end: usize) -> Option<SourceSpan> {
        let s = self.map(start)?;
        let e = self.map(end).unwrap_or_else(|| {
            // The end is past the shown part: stop at the last shown byte.
            self.lines
                .iter()
                .rev()
                .find(|l| l.source_start <= end)
                .map_or(s, |l| l.text_start + (l.source_end - l.source_start))
        });
        Some(SourceSpan::from((s, e.max(s) - s)))
    }

    fn excerpt_line_of(&self, offset: usize) -> usize {
        self.line_starts_in_text
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let k = self.excerpt_line_of(span.offset());
        let line_start = self.line_starts_in_text[k];
        let column = self.lines[k].column_base
            + self.text[line_start..span.offset().min(self.text.len())]
                .chars()
                .count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_finding_and_keep_true_positions() {
        let long = format!("{}TARGET{}", "a ".repeat(300), " b".repeat(300));
        let source = format!("first\n{long}\nlast");
        let at = source.find("TARGET").unwrap();
        let excerpt = Excerpt::new("p.md", &source, (at, at + 6), 1);
        assert!(excerpt.text.starts_with("first\n…"));
        assert!(excerpt.text.contains("TARGET"));
        assert!(excerpt.text.lines().all(|l| l.chars().count() <= WIDTH + 2));
        let span = excerpt.span(at, at + 6).unwrap();
        assert_eq!(
            &excerpt.text[span.offset()..span.offset() + span.len()],
            "TARGET"
        );
        let contents = excerpt.read_span(&span, 0, 0).unwrap();
        assert_eq!(contents.line(), 1);
        assert_eq!(contents.column(), 600);
    }
}
