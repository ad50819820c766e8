//! Property tests: whatever the input, every prose character maps back to the source
//! bytes that wrote it, every span lies on character boundaries, and line and column
//! agree with the byte offset.

use policylint::span::ProseRange;
use policylint::{Document, Format};
use proptest::prelude::*;

const MARKDOWN: &[&str] = &[
    "We keep ",
    "data ",
    "for 30 days. ",
    "**bold** ",
    "*it* ",
    "[link](https://x.io) ",
    "[mail us](mailto:a@b.co) ",
    "&amp; ",
    "&#8217;",
    "’",
    "é",
    "中文 ",
    "\n",
    "\n\n",
    "# ",
    "## Title\n",
    "1\\. General\n",
    "- item\n",
    "  - nested\n",
    "| a | b |\n|---|---|\n| c | d |\n",
    "> quoted ",
    "<b>x</b> ",
    "<br>",
    "<div>\n<p>raw &copy; html</p>\n</div>\n\n",
    "\r\n",
    "\t",
    "\u{a0}",
    "`code` ",
    "[^1] ",
    "\n\n[^1]: a note\n",
    "line  \nbreak ",
    "e.g. ",
    "U.S. ",
    "---\n",
    "Title\n=====\n",
    "😀 ",
];

const HTML: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<h2>",
    "</h2>",
    "<li>",
    "<ul>",
    "</ul>",
    "<br>",
    "<script>var a = '<p>';</script>",
    "<style>p{}</style>",
    "<nav>menu</nav>",
    "<b>",
    "</b>",
    "<a href=\"mailto:p@x.org\">write</a>",
    "&amp;",
    "&nbsp;",
    "&#8217;",
    "&copy",
    "&bogus;",
    "We keep data. ",
    "é",
    "中文",
    "😀",
    "\r\n",
    "\n",
    "<!-- c -->",
    "</span>",
    "<td>",
    "<table>",
    "<title>T</title>",
    "<header>h</header>",
    "<p class=\"cookie-banner\">ok</p>",
    "<",
];

const TEXT: &[&str] = &[
    "We keep data. ",
    "PRIVACY\n",
    "1. General\n",
    "- item\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "\u{a0}",
    "’",
    "“x”",
    "é",
    "中文",
    "😀",
    "Title\n=====\n",
    "e.g. ",
    "No. 5 ",
    "3.5 ",
];

fn check(doc: &Document) {
    let source = doc.source();
    let prose = doc.prose();
    for (i, c) in prose.char_indices() {
        let span = doc.to_source(ProseRange::new(i, i + c.len_utf8()));
        assert!(span.start <= span.end && span.end <= source.len());
        assert!(source.is_char_boundary(span.start) && source.is_char_boundary(span.end));
        if doc.is_verbatim(i) {
            assert_eq!(
                &source[span.start..span.end],
                c.to_string(),
                "prose {i} in {prose:?}"
            );
        }
    }
    let ranges = doc
        .sentences
        .iter()
        .chain(doc.blocks.iter().map(|b| &b.range))
        .chain(doc.sections.iter().map(|s| &s.range));
    for range in ranges {
        assert!(prose.is_char_boundary(range.start) && prose.is_char_boundary(range.end));
        let span = doc.to_source(*range);
        let location = doc.locate(span);
        for p in [location.start, location.end] {
            let before = &source[..p.offset];
            let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let lines = before.matches('\n').count() + before.matches('\r').count()
                - before.matches("\r\n").count();
            assert_eq!(p.line, lines + 1);
            let bom =
                usize::from(line_start == 0 && source.starts_with('\u{feff}') && p.offset > 0);
            assert_eq!(
                p.column,
                source[line_start..p.offset].chars().count() + 1 - bom
            );
        }
    }
}

fn doc_of(pieces: &[&str], parts: Vec<usize>, format: Format) -> Document {
    let text: String = parts.into_iter().map(|i| pieces[i]).collect();
    Document::parse(text, format)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn markdown_positions(parts in prop::collection::vec(0..MARKDOWN.len(), 0..40)) {
        check(&doc_of(MARKDOWN, parts, Format::Markdown));
    }

    #[test]
    fn html_positions(parts in prop::collection::vec(0..HTML.len(), 0..60)) {
        check(&doc_of(HTML, parts, Format::Html));
    }

    #[test]
    fn text_positions(parts in prop::collection::vec(0..TEXT.len(), 0..40)) {
        check(&doc_of(TEXT, parts, Format::Text));
    }

    #[test]
    fn arbitrary_unicode_never_breaks_positions(text in "\\PC{0,200}") {
        for format in [Format::Markdown, Format::Html, Format::Text] {
            check(&Document::parse(text.clone(), format));
        }
    }
}
