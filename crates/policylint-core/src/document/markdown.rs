//! Markdown through pulldown-cmark, with the source offset of every event.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::html::{self, HtmlOptions};
use super::{BlockKind, DocumentBuilder};
use crate::span::SourceSpan;

struct OpenList {
    ordered: bool,
    items: usize,
    first_block: usize,
}

pub(super) fn parse(source: &str, builder: &mut DocumentBuilder, html_options: HtmlOptions) {
    let base = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &source[base..];
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let span = |r: std::ops::Range<usize>| SourceSpan::new(base + r.start, base + r.end);

    let mut containers: Vec<BlockKind> = Vec::new();
    let mut strong = 0usize;
    let mut hidden = 0usize; // inside an image or front matter: not prose
    let mut lists: Vec<OpenList> = Vec::new();
    let mut links: Vec<(String, usize)> = Vec::new();
    let mut inline_mailto: Option<(String, SourceSpan, usize)> = None;
    // Raw HTML blocks are read as HTML when they end.
    let mut html_block: Option<SourceSpan> = None;

    let kind = |containers: &[BlockKind]| {
        containers
            .iter()
            .rev()
            .copied()
            .find(|k| *k != BlockKind::Paragraph)
            .unwrap_or(BlockKind::Paragraph)
    };

    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let here = span(range);
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {
                    builder.end_block();
                    containers.push(BlockKind::Paragraph);
                }
                Tag::Heading { level, .. } => {
                    builder.end_block();
                    containers.push(BlockKind::Heading(level as u8));
                }
                Tag::Item => {
                    builder.end_block();
                    if let Some(list) = lists.last_mut() {
                        list.items += 1;
                    }
                    containers.push(BlockKind::ListItem);
                }
                Tag::TableCell => {
                    builder.end_block();
                    containers.push(BlockKind::TableCell);
                }
                Tag::List(start) => {
                    builder.end_block();
                    lists.push(OpenList {
                        ordered: start.is_some(),
                        items: 0,
                        first_block: builder.blocks.len(),
                    });
                }
                Tag::Strong => strong += 1,
                Tag::Image { .. } | Tag::MetadataBlock(_) => hidden += 1,
                Tag::Link { dest_url, .. } => {
                    links.push((dest_url.to_string(), builder.prose.len()))
                }
                Tag::HtmlBlock => {
                    builder.end_block();
                    html_block = Some(SourceSpan::new(here.start, here.start));
                }
                Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::FootnoteDefinition(_)
                | Tag::Table(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition => builder.end_block(),
                Tag::Emphasis | Tag::Strikethrough | Tag::Superscript | Tag::Subscript => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell => {
                    builder.end_block();
                    containers.pop();
                }
                TagEnd::List(_) => {
                    builder.end_block();
                    if let Some(list) = lists.pop() {
                        mark_lone_numbered_item(builder, &list);
                    }
                }
                TagEnd::Strong => strong = strong.saturating_sub(1),
                TagEnd::Image | TagEnd::MetadataBlock(_) => hidden = hidden.saturating_sub(1),
                TagEnd::Link => {
                    if let Some((dest, text_start)) = links.pop() {
                        add_mailto_target(
                            builder,
                            kind(&containers),
                            &dest,
                            text_start,
                            here,
                            strong > 0,
                        );
                    }
                }
                TagEnd::HtmlBlock => {
                    if let Some(block) = html_block.take() {
                        html::parse(source, block, builder, html_options);
                    }
                }
                TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::FootnoteDefinition
                | TagEnd::Table
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::DefinitionList
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition => builder.end_block(),
                TagEnd::Emphasis
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript => {}
            },
            Event::Text(text) if hidden == 0 => {
                builder.push_text(kind(&containers), &text, here, strong > 0);
            }
            Event::Code(text) if hidden == 0 => {
                // The span covers the backticks; map the code itself byte for byte.
                let inner = source[here.start..here.end].find(&*text).map_or(here, |i| {
                    SourceSpan::new(here.start + i, here.start + i + text.len())
                });
                builder.push_text(kind(&containers), &text, inner, strong > 0);
            }
            Event::Html(_) => {
                if let Some(block) = html_block.as_mut() {
                    block.end = block.end.max(here.end);
                    if block.start == block.end || here.start < block.start {
                        block.start = here.start;
                    }
                }
            }
            Event::SoftBreak => builder.line_break(here, false),
            Event::HardBreak => builder.line_break(here, true),
            Event::InlineHtml(html) if is_line_break_tag(&html) => builder.line_break(here, true),
            // An inline `<a href="mailto:...">` works like a Markdown mailto link.
            Event::InlineHtml(html) => {
                if let Some(address) = INLINE_MAILTO.captures(&html).and_then(|c| c.get(1)) {
                    let start = here.start + address.start();
                    let at = SourceSpan::new(start, start + address.len());
                    inline_mailto = Some((address.as_str().to_string(), at, builder.prose.len()));
                } else if html.trim().eq_ignore_ascii_case("</a>")
                    && let Some((address, at, text_start)) = inline_mailto.take()
                    && !builder.prose[text_start..].contains(&address)
                {
                    let kind = kind(&containers);
                    builder.push_text(kind, " ", SourceSpan::new(here.end, here.end), strong > 0);
                    builder.push_text(kind, &address, at, strong > 0);
                }
            }
            Event::Rule => builder.end_block(),
            _ => {}
        }
    }
}

static INLINE_MAILTO: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: a constant pattern.
    Regex::new(r#"(?i)^<a\b[^>]*\bhref\s*=\s*["']?mailto:([^"'?>\s]+)"#).expect("valid regex")
});

fn is_line_break_tag(html: &str) -> bool {
    let tag = html.trim().to_ascii_lowercase();
    matches!(tag.as_str(), "<br>" | "<br/>" | "<br />")
}

/// "8. How to Contact Us" parses as an ordered list of one item; a reader sees a
/// numbered heading, so the item is handed to the fake-heading pass as a numbered line.
fn mark_lone_numbered_item(builder: &mut DocumentBuilder, list: &OpenList) {
    if !list.ordered || list.items != 1 || builder.blocks.len() != list.first_block + 1 {
        return;
    }
    let block = &mut builder.blocks[list.first_block];
    block.kind = BlockKind::Paragraph;
    block.numbered = true;
}

/// A `mailto:` link counts as an email address even when its text is "write to us":
/// the address is added to the prose, mapped to the link in the source.
fn add_mailto_target(
    builder: &mut DocumentBuilder,
    kind: BlockKind,
    dest: &str,
    text_start: usize,
    link: SourceSpan,
    strong: bool,
) {
    let Some(target) = dest.strip_prefix("mailto:") else {
        return;
    };
    let address = target.split('?').next().unwrap_or("");
    if address.is_empty() || builder.prose[text_start..].contains(address) {
        return;
    }
    builder.push_text(kind, " ", SourceSpan::new(link.end, link.end), strong);
    builder.push_text(kind, address, link, strong);
}

#[cfg(test)]
mod tests {
    use crate::document::{BlockKind, Document, Format};

    fn doc(md: &str) -> Document {
        Document::parse(md.to_string(), Format::Markdown)
    }

    #[test]
    fn prose_drops_markup_and_keeps_source_positions() {
        let d = doc("We use **Google** Analytics &amp; more.");
        assert_eq!(d.prose(), "We use Google Analytics & more.");
        let at = d.prose().find("Analytics").unwrap();
        let span = d.to_source(crate::span::ProseRange::new(at, at + 9));
        assert_eq!(&d.source()[span.start..span.end], "Analytics");
        let amp = d.prose().find('&').unwrap();
        let span = d.to_source(crate::span::ProseRange::new(amp, amp + 1));
        assert_eq!(&d.source()[span.start..span.end], "&amp;");
    }

    #[test]
    fn inline_html_mailto_counts_as_an_address() {
        let d = doc("Write to <a href=\"mailto:p@x.org\">our team</a> today.");
        assert!(d.prose().contains("our team p@x.org"), "{}", d.prose());
        let at = d.prose().find("p@x.org").unwrap();
        let span = d.to_source(crate::span::ProseRange::new(at, at + 7));
        assert_eq!(&d.source()[span.start..span.end], "p@x.org");
    }

    #[test]
    fn front_matter_and_images_are_not_prose() {
        let d = doc("---\ntitle: Privacy\n---\n\n![Logo](x.png) Hello.");
        assert_eq!(d.text(d.blocks[0].range), "Hello.");
        assert_eq!(d.blocks.len(), 1);
    }

    #[test]
    fn mailto_target_counts_as_prose() {
        let d = doc("Write to [our team](mailto:privacy@example.com).");
        assert!(d.prose().contains("privacy@example.com"));
        let at = d.prose().find("privacy@").unwrap();
        let span = d.to_source(crate::span::ProseRange::new(at, at + 19));
        assert!(d.source()[span.start..span.end].contains("privacy@example.com"));
    }

    #[test]
    fn fake_headings_become_headings() {
        let d = doc(
            "# Policy\n\n**Cookies**\n\nWe use cookies.\n\n1\\. What we collect?  \nNames and emails.\n\n8. How to Contact Us\n\nMail us.\n\nCONTACT US\n\nAgain.\n",
        );
        let headings: Vec<(&str, BlockKind)> = d
            .headings()
            .map(|(_, b)| (d.text(b.range), b.kind))
            .collect();
        assert_eq!(
            headings,
            vec![
                ("Policy", BlockKind::Heading(1)),
                ("Cookies", BlockKind::Heading(2)),
                ("1. What we collect?", BlockKind::Heading(2)),
                ("How to Contact Us", BlockKind::Heading(2)),
                ("CONTACT US", BlockKind::Heading(2)),
            ]
        );
        assert!(
            d.blocks
                .iter()
                .any(|b| d.text(b.range) == "Names and emails.")
        );
    }

    #[test]
    fn setext_headings_and_escaped_numbers() {
        let d = doc("1\\. General\n-----------\n\nText here.\n");
        let (_, h) = d.headings().next().unwrap();
        assert_eq!(d.text(h.range), "1. General");
        let span = d.to_source(h.range);
        assert_eq!(&d.source()[span.start..span.end], "1\\. General");
    }
}
