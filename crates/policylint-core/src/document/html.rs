//! HTML through the html5gum tokenizer, which gives every token its byte span.
//!
//! Prose is the visible text. Scripts, styles and other invisible elements are
//! skipped; site chrome (navigation, page header and footer, asides, cookie banners)
//! is skipped unless asked for. Character references are decoded and map back to the
//! bytes that wrote them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use html5gum::emitters::default::DefaultEmitter;
use html5gum::{Token, Tokenizer};
use regex::Regex;

use super::{BlockKind, DocumentBuilder};
use crate::span::SourceSpan;

/// What to read from an HTML page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HtmlOptions {
    /// Keep navigation, page headers and footers, asides and cookie banners.
    pub keep_chrome: bool,
}

/// Never visible as text.
const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object",
];
/// Site chrome: around the policy, not part of it.
const CHROME: &[&str] = &["nav", "header", "footer", "aside"];
/// Elements that hold the whole page or its main content: never chrome by a mark.
const PAGE_WRAPPERS: &[&str] = &["html", "body", "main", "article"];
/// Elements whose start or end ends a block of prose.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "option",
    "select",
    "button",
    "label",
];
/// Elements that never have content or an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// An id, class, role or label that marks a cookie banner or other chrome.
/// An id or class that marks the page's main content.
static CONTENT_MARK: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern.
    Regex::new(r"(?i)content|main|article|post|entry|policy|privacy|legal|terms")
        .expect("valid regex")
});

static CHROME_MARK: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern.
    Regex::new(r"(?i)cookie[-_ ]?(?:banner|consent|notice|bar|popup|law|policy-banner)|consent[-_ ]?(?:banner|manager)|gdpr[-_ ]?banner|^(?:navigation|banner|contentinfo)$|onetrust|cookiebot")
        .expect("valid regex")
});

struct Open {
    name: String,
    hidden: bool,
    kind: Option<BlockKind>,
    strong: bool,
    /// Marked as the page's content (`<main>`, `<article>`, class "content"...).
    content: bool,
    /// `mailto:` address and its span, and where the link's prose started.
    mailto: Option<(String, SourceSpan, usize)>,
}

fn kind_of(name: &str) -> Option<BlockKind> {
    match name {
        "h1" | "title" => Some(BlockKind::Heading(1)),
        "h2" => Some(BlockKind::Heading(2)),
        "h3" => Some(BlockKind::Heading(3)),
        "h4" => Some(BlockKind::Heading(4)),
        "h5" => Some(BlockKind::Heading(5)),
        "h6" => Some(BlockKind::Heading(6)),
        "li" | "dd" | "dt" => Some(BlockKind::ListItem),
        "td" | "th" => Some(BlockKind::TableCell),
        _ => None,
    }
}

struct Reader<'s, 'b, 'd> {
    source: &'s str,
    builder: &'b mut DocumentBuilder<'d>,
    options: HtmlOptions,
    stack: Vec<Open>,
    /// How many of each element are open: a stray end tag is refused in O(1).
    open_count: HashMap<String, usize>,
    hidden: usize,
    strong: usize,
    content_depth: usize,
    /// Open `<pre>` elements: line endings inside them are kept.
    preformatted: usize,
    kinds: Vec<BlockKind>,
}

/// Reads the HTML in `source[range]` into `builder`.
pub(super) fn parse(
    source: &str,
    range: SourceSpan,
    builder: &mut DocumentBuilder,
    options: HtmlOptions,
) {
    let mut reader = Reader {
        source,
        builder,
        options,
        stack: Vec::new(),
        open_count: HashMap::new(),
        hidden: 0,
        strong: 0,
        content_depth: 0,
        preformatted: 0,
        kinds: Vec::new(),
    };
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    // Script and style content is raw text, not markup.
    emitter.naively_switch_states(true);
    let base = range.start;
    let at = |s: html5gum::Span<usize>| SourceSpan::new(base + s.start, base + s.end);
    let input = blank_oversized_tags(&source[range.start..range.end]);
    for token in Tokenizer::new_with_emitter(input.as_ref(), emitter) {
        match token {
            Ok(Token::StartTag(tag)) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let attr = |key: &str| {
                    tag.attributes
                        .get(key.as_bytes())
                        .map(|v| (String::from_utf8_lossy(&v.value).into_owned(), at(v.span)))
                };
                // The page's own wrappers are never chrome, whatever their classes say:
                // a site builder marks `<body>` with state flags such as
                // "sqs-cookie-banner-v2-enabled", which would hide the whole page.
                let marked_chrome = !PAGE_WRAPPERS.contains(&name.as_str())
                    && ["id", "class", "role", "aria-label"]
                        .iter()
                        .filter_map(|k| attr(k))
                        .any(|(v, _)| CHROME_MARK.is_match(&v));
                let content = matches!(name.as_str(), "main" | "article")
                    || ["id", "class"]
                        .iter()
                        .filter_map(|k| attr(k))
                        .any(|(v, _)| CONTENT_MARK.is_match(&v));
                let mailto = attr("href").and_then(|(href, span)| {
                    let address = href
                        .trim()
                        .strip_prefix("mailto:")?
                        .split('?')
                        .next()?
                        .trim()
                        .to_string();
                    (!address.is_empty()).then_some((address, span))
                });
                reader.start(&name, tag.self_closing, marked_chrome, content, mailto);
            }
            Ok(Token::EndTag(tag)) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                reader.end(&name, at(tag.span));
            }
            Ok(Token::String(text)) => {
                if reader.hidden == 0 {
                    let decoded = String::from_utf8_lossy(&text.value);
                    reader.text(&decoded, at(text.span));
                }
            }
            // Comments, doctypes and parse errors carry no prose.
            Ok(_) | Err(_) => {}
        }
    }
    reader.builder.end_block();
}

impl Reader<'_, '_, '_> {
    fn chrome(&self, name: &str, marked: bool) -> bool {
        if self.options.keep_chrome {
            return false;
        }
        // A header inside the content is the policy's own header (title, date).
        marked || (CHROME.contains(&name) && !(name == "header" && self.content_depth > 0))
    }

    fn start(
        &mut self,
        name: &str,
        self_closing: bool,
        marked: bool,
        content: bool,
        mailto: Option<(String, SourceSpan)>,
    ) {
        if name == "br" {
            if self.hidden == 0 {
                let at = self.builder_end();
                self.builder.line_break(SourceSpan::new(at, at), true);
            }
            return;
        }
        if BLOCKS.contains(&name) {
            self.builder.end_block();
        }
        if VOID.contains(&name) || self_closing {
            return;
        }
        let hidden = INVISIBLE.contains(&name) || self.chrome(name, marked);
        let kind = kind_of(name);
        let strong = matches!(name, "b" | "strong");
        self.hidden += usize::from(hidden);
        self.strong += usize::from(strong);
        self.content_depth += usize::from(content);
        self.preformatted += usize::from(name == "pre");
        if let Some(kind) = kind {
            self.kinds.push(kind);
        }
        let prose_start = self.builder.prose.len();
        *self.open_count.entry(name.to_string()).or_default() += 1;
        self.stack.push(Open {
            name: name.to_string(),
            hidden,
            kind,
            strong,
            content,
            mailto: mailto.map(|(a, s)| (a, s, prose_start)),
        });
    }

    fn end(&mut self, name: &str, span: SourceSpan) {
        if BLOCKS.contains(&name) || name == "br" {
            self.builder.end_block();
        }
        if self.open_count.get(name).copied().unwrap_or(0) == 0 {
            return; // a stray end tag
        }
        while let Some(open) = self.stack.pop() {
            if let Some(n) = self.open_count.get_mut(&open.name) {
                *n -= 1;
            }
            self.hidden -= usize::from(open.hidden);
            self.strong -= usize::from(open.strong);
            self.content_depth -= usize::from(open.content);
            self.preformatted -= usize::from(open.name == "pre");
            if open.kind.is_some() {
                self.kinds.pop();
            }
            if let Some((address, at, prose_start)) = &open.mailto
                && self.hidden == 0
                && !self.builder.prose[*prose_start..].contains(address.as_str())
            {
                self.add_address(address, *at, span);
            }
            if open.name == name {
                break;
            }
        }
    }

    /// A `mailto:` link counts as an email address even when its text says "write to us".
    fn add_address(&mut self, address: &str, attribute: SourceSpan, end_tag: SourceSpan) {
        let kind = self.kind();
        let raw = &self.source[attribute.start..attribute.end];
        let exact = raw
            .find(address)
            .map(|i| SourceSpan::new(attribute.start + i, attribute.start + i + address.len()));
        self.builder.push_text(
            kind,
            " ",
            SourceSpan::new(end_tag.start, end_tag.start),
            false,
        );
        self.builder
            .push_text(kind, address, exact.unwrap_or(attribute), false);
    }

    fn kind(&self) -> BlockKind {
        self.kinds.last().copied().unwrap_or(BlockKind::Paragraph)
    }

    fn builder_end(&self) -> usize {
        self.builder.last_source_end
    }

    /// Text, aligned with its source so decoded references map to their bytes.
    ///
    /// A line ending in the source of a paragraph is white space, as a browser shows
    /// it: a space in the prose (mapped to the line ending's bytes), so that a
    /// sentence wrapped over several source lines stays one sentence. Only inside
    /// `<pre>` does a line ending stay a line ending.
    fn text(&mut self, decoded: &str, span: SourceSpan) {
        let kind = self.kind();
        let strong = self.strong > 0;
        let raw = &self.source[span.start..span.end];
        for (piece, at) in align(raw, decoded, span.start) {
            if self.preformatted > 0 || !piece.contains(['\n', '\r']) {
                self.builder.push_text(kind, piece, at, strong);
                continue;
            }
            let verbatim = &self.source[at.start..at.end] == piece;
            if !verbatim {
                // A line ending decoded from "\r\n": one space for both bytes.
                self.builder.push_text(kind, " ", at, strong);
                continue;
            }
            let mut from = 0;
            for (i, c) in piece
                .char_indices()
                .filter(|(_, c)| matches!(c, '\n' | '\r'))
            {
                if i > from {
                    let text = &piece[from..i];
                    let start = at.start + from;
                    self.builder.push_text(
                        kind,
                        text,
                        SourceSpan::new(start, start + text.len()),
                        strong,
                    );
                }
                let start = at.start + i;
                let end = start + c.len_utf8();
                self.builder
                    .push_text(kind, " ", SourceSpan::new(start, end), strong);
                from = i + c.len_utf8();
            }
            if from < piece.len() {
                let start = at.start + from;
                self.builder.push_text(
                    kind,
                    &piece[from..],
                    SourceSpan::new(start, at.end),
                    strong,
                );
            }
        }
    }
}

/// A start tag longer than this is blanked out before tokenizing: the tokenizer
/// recurses once per attribute, and no real page needs thousands of them in one tag.
const MAX_TAG_BYTES: usize = 8 * 1024;

/// The input with every start tag longer than [`MAX_TAG_BYTES`] replaced by spaces of
/// the same length, so that all offsets stay the same. Such a tag holds no prose.
/// The name of a start tag whose content is raw text (`script`, `style`).
fn raw_text_name(tag: &[u8]) -> Option<&'static str> {
    let len = tag.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    ["script", "style"]
        .into_iter()
        .find(|name| tag[..len].eq_ignore_ascii_case(name.as_bytes()))
}

/// Where the first `</name` at or after `from` starts, or the end of `bytes`.
fn end_tag_at(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut i = from;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|j| i + j) {
        let rest = &bytes[lt + 1..];
        if rest.first() == Some(&b'/')
            && rest
                .get(1..=name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        {
            return lt;
        }
        i = lt + 1;
    }
    bytes.len()
}

pub(super) fn blank_oversized_tags(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut blanked: Option<Vec<u8>> = None;
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|j| i + j) {
        if !bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        // The tag ends at the first '>' outside a quoted attribute value.
        let mut quote = None;
        let mut end = None;
        for (k, &b) in bytes[lt..].iter().enumerate().skip(1) {
            match (quote, b) {
                (None, b'"' | b'\'') => quote = Some(b),
                (Some(q), b) if b == q => quote = None,
                (None, b'>') => {
                    end = Some(lt + k + 1);
                    break;
                }
                _ => {}
            }
            if k > MAX_TAG_BYTES {
                break;
            }
        }
        match end {
            // Script and style content is not markup: "a<b" in minified code is no
            // tag, so it is skipped up to the element's end tag.
            Some(end) if end - lt <= MAX_TAG_BYTES => {
                i = raw_text_name(&bytes[lt + 1..end])
                    .map_or(end, |name| end_tag_at(bytes, end, name));
            }
            _ => {
                let stop = end.unwrap_or_else(|| {
                    memchr::memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |j| lt + j + 1)
                });
                let out = blanked.get_or_insert_with(|| bytes.to_vec());
                out[lt..stop].fill(b' ');
                i = stop;
            }
        }
    }
    match blanked {
        // Whole characters were replaced by ASCII spaces: still UTF-8.
        Some(out) => Cow::Owned(String::from_utf8(out).unwrap_or_default()),
        None => Cow::Borrowed(html),
    }
}

/// Splits `decoded` into pieces, each with the source bytes it stands for: runs equal
/// to the source, and decoded character references or line endings.
fn align<'d>(raw: &str, decoded: &'d str, base: usize) -> Vec<(&'d str, SourceSpan)> {
    let mut pieces = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut run_start = (0, 0);
    let flush =
        |pieces: &mut Vec<(&'d str, SourceSpan)>, (ri, dj): (usize, usize), i: usize, j: usize| {
            if j > dj {
                pieces.push((&decoded[dj..j], SourceSpan::new(base + ri, base + i)));
            }
        };
    while i < raw.len() && j < decoded.len() {
        let r = raw[i..].chars().next().unwrap_or_default();
        let d = decoded[j..].chars().next().unwrap_or_default();
        if r == d && r != '&' {
            i += r.len_utf8();
            j += d.len_utf8();
            continue;
        }
        flush(&mut pieces, run_start, i, j);
        let (raw_len, dec_len) = if r == '\r' && d == '\n' {
            (if raw[i..].starts_with("\r\n") { 2 } else { 1 }, 1)
        } else if r == '&' {
            reference(&raw[i..], &decoded[j..])
        } else {
            (r.len_utf8(), d.len_utf8())
        };
        pieces.push((
            &decoded[j..j + dec_len],
            SourceSpan::new(base + i, base + i + raw_len),
        ));
        i += raw_len;
        j += dec_len;
        run_start = (i, j);
    }
    flush(&mut pieces, run_start, i, j);
    if j < decoded.len() {
        pieces.push((&decoded[j..], SourceSpan::new(base + i, base + raw.len())));
    }
    pieces
}

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern.
    Regex::new(r"^&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);?").expect("valid regex")
});

/// The lengths (source, decoded) of the character reference at the start of `raw`.
fn reference(raw: &str, decoded: &str) -> (usize, usize) {
    let first = |s: &str| s.chars().next().map_or(1, char::len_utf8);
    let Some(m) = REFERENCE.find(raw) else {
        return (1, first(decoded));
    };
    let written = m.as_str();
    // Decode the reference alone, the way the tokenizer did.
    let alone: String = Tokenizer::new(written)
        .filter_map(|t| match t {
            Ok(Token::String(s)) => Some(String::from_utf8_lossy(&s.value).into_owned()),
            _ => None,
        })
        .collect();
    if !alone.is_empty() && decoded.starts_with(&alone) {
        (written.len(), alone.len())
    } else {
        (1, first(decoded))
    }
}

#[cfg(test)]
mod tests {
    use super::{align, blank_oversized_tags};

    #[test]
    fn oversized_tags_are_blanked_in_place() {
        let html = format!("<p>a</p><a {}>t</a>", "x=\"y>\" ".repeat(2000));
        let out = blank_oversized_tags(&html);
        assert_eq!(out.len(), html.len());
        assert!(out.starts_with("<p>a</p>   "));
        assert!(out.ends_with(">t</a>"));
        assert_eq!(
            blank_oversized_tags("<p class='a>b'>ok</p>"),
            "<p class='a>b'>ok</p>"
        );
    }

    #[test]
    fn references_and_line_endings_map_to_their_bytes() {
        let raw = "A &amp; B&#8217;s\r\nend &copy x";
        let decoded = "A & B’s\nend © x";
        let pieces: Vec<(&str, &str)> = align(raw, decoded, 0)
            .into_iter()
            .map(|(d, s)| (d, &raw[s.start..s.end]))
            .collect();
        assert_eq!(
            pieces,
            vec![
                ("A ", "A "),
                ("&", "&amp;"),
                (" B", " B"),
                ("’", "&#8217;"),
                ("s", "s"),
                ("\n", "\r\n"),
                ("end ", "end "),
                ("©", "&copy"),
                (" x", " x"),
            ]
        );
    }
}
