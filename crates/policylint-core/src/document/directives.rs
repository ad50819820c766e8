//! Suppression directives written in the policy itself:
//!
//! ```text
//! <!-- policylint-disable core/cookies -- reason -->      until a matching enable
//! <!-- policylint-enable core/cookies -->
//! <!-- policylint-disable-next-line core/contact -- reason -->
//! <!-- policylint-disable-file core/children -- reason -->
//! ```
//!
//! In Markdown and HTML they are comments; in plain text, lines of their own without
//! the comment markers. Several rule ids may be given, separated by commas or spaces.

use std::sync::LazyLock;

use regex::Regex;

use super::{Format, Markers};
use crate::span::SourceSpan;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    Disable,
    Enable,
    DisableNextLine,
    DisableFile,
}

/// One directive, where it is written and what it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// The whole comment (or line) in the source.
    pub span: SourceSpan,
}

static IN_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern.
    Regex::new(r"<!--\s*policylint-(disable-next-line|disable-file|disable|enable)\b((?:[^-]|-[^-])*?)(?:--((?:[^-]|-[^-])*?))?-->")
        .expect("valid regex")
});

static ON_A_LINE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern.
    Regex::new(r"(?m)^[ \t]*policylint-(disable-next-line|disable-file|disable|enable)\b([^\r\n]*?)(?:--([^\r\n]*))?[ \t]*\r?$")
        .expect("valid regex")
});

/// The directives in a source text, in order.
pub fn scan(source: &str, format: Format) -> Vec<Directive> {
    scan_markers(source, format, &IN_COMMENT, &ON_A_LINE)
        .into_iter()
        .map(|marker| Directive {
            kind: match marker.keyword {
                "disable" => DirectiveKind::Disable,
                "enable" => DirectiveKind::Enable,
                "disable-next-line" => DirectiveKind::DisableNextLine,
                _ => DirectiveKind::DisableFile,
            },
            rules: marker.rules,
            reason: marker.reason,
            span: marker.span,
        })
        .collect()
}

/// A marker that names rules, written as a comment in Markdown and HTML or as a line
/// of its own in plain text: suppression directives and test annotations alike.
pub struct Marker<'s> {
    pub keyword: &'s str,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// The whole comment (or line, without its line break).
    pub span: SourceSpan,
}

/// The markers in a source text, in order. Both patterns capture the keyword (group
/// 1), the rule list (2) and an optional reason after `--` (3).
pub fn scan_markers<'s>(
    source: &'s str,
    format: Format,
    in_comment: &Regex,
    on_a_line: &Regex,
) -> Vec<Marker<'s>> {
    let pattern = match format.info().markers {
        Markers::Comment => in_comment,
        Markers::Line => on_a_line,
        Markers::None => return Vec::new(),
    };
    pattern
        .captures_iter(source)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let rules = caps
                .get(2)
                .map_or("", |m| m.as_str())
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect();
            let reason = caps
                .get(3)
                .map(|m| m.as_str().trim().to_string())
                .filter(|r| !r.is_empty());
            let end = whole.end() - usize::from(whole.as_str().ends_with('\r'));
            Some(Marker {
                keyword: caps.get(1)?.as_str(),
                rules,
                reason,
                span: SourceSpan::new(whole.start(), end),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_in_markdown_and_html() {
        let src = "a <!-- policylint-disable core/cookies, core/children -- vendor page -->\n<!--policylint-enable core/cookies-->\n<!-- policylint-disable-next-line core/contact -->";
        let found = scan(src, Format::Markdown);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].kind, DirectiveKind::Disable);
        assert_eq!(found[0].rules, vec!["core/cookies", "core/children"]);
        assert_eq!(found[0].reason.as_deref(), Some("vendor page"));
        assert_eq!(found[1].rules, vec!["core/cookies"]);
        assert_eq!(found[2].kind, DirectiveKind::DisableNextLine);
        assert_eq!(
            &src[found[0].span.start..found[0].span.end],
            "<!-- policylint-disable core/cookies, core/children -- vendor page -->"
        );
    }

    #[test]
    fn lines_of_their_own_in_text() {
        let src = "Intro.\r\npolicylint-disable-file core/children -- adults only\r\nWe talk about policylint-disable core/x in a sentence.\n";
        let found = scan(src, Format::Text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, DirectiveKind::DisableFile);
        assert_eq!(found[0].reason.as_deref(), Some("adults only"));
        assert_eq!(
            &src[found[0].span.start..found[0].span.end],
            "policylint-disable-file core/children -- adults only"
        );
    }
}
