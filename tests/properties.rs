//! Property tests for robustness: any bytes in any format read without panic into a
//! document whose ranges are ordered, nested and on character boundaries, whose
//! prose-to-source map never runs backwards, and whose positions stay inside the file.
//! Rule files and configurations of any text load or fail with an error, never panic.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::docx_of_texts;
use common::invariants::check_document;
use policylint::config::{Config, OnDisk};
use policylint::document::{ReadOptions, docx};
use policylint::rules::RuleFile;
use policylint::{Document, Format, RuleSet};
use proptest::prelude::*;

const FORMATS: [Format; 4] = [Format::Markdown, Format::Html, Format::Text, Format::Docx];

/// Text that is mostly markup: the characters parsers branch on.
const MARKUP: &str =
    "[a-zA-Z0-9 <>/=&;#!*_`~\\[\\]()|>:.\\-\"'\n\r\t\u{a0}é’中😀\u{feff}\u{0}\u{fffd}]{0,300}";

/// Reads bytes as a format; a refusal is an error message, never an empty one.
fn read(bytes: Vec<u8>, format: Format) -> Option<Document> {
    match Document::read(bytes, format, &ReadOptions::default()) {
        Ok(doc) => Some(doc),
        Err(message) => {
            assert!(!message.trim().is_empty());
            None
        }
    }
}

/// Pieces of HTML and Markdown that move prose around: links, entities, chrome.
const LINKS: &[&str] = &[
    "<p>",
    "</p>",
    "<a href=\"mailto:p@x.org\">write to us</a>",
    "<a href=\"mailto:q@x.org\">q@x.org</a>",
    "[write](mailto:m@x.org) ",
    "We keep data. ",
    "&amp;",
    "&#8217;",
    "<br>",
    "<h2>Rights</h2>",
    "<nav>menu</nav>",
    "<li>",
    "<td>",
    "é",
    "\n",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn links_map_forwards_but_for_their_addresses(
        parts in prop::collection::vec(0..LINKS.len(), 0..50),
    ) {
        let text: String = parts.into_iter().map(|i| LINKS[i]).collect();
        for format in [Format::Html, Format::Markdown] {
            check_document(&Document::parse(text.clone(), format));
        }
    }

    #[test]
    fn any_bytes_in_any_format_read_or_are_refused(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        for format in FORMATS {
            if let Some(doc) = read(bytes.clone(), format) {
                check_document(&doc);
            }
        }
    }

    #[test]
    fn markup_heavy_text_keeps_every_invariant(text in MARKUP) {
        for format in FORMATS {
            if let Some(doc) = read(text.clone().into_bytes(), format) {
                check_document(&doc);
            }
        }
    }

    #[test]
    fn utf16_with_a_bom_reads_as_the_same_text_at_file_offsets(
        text in "[a-zA-Z \n<>&é’中😀]{1,120}",
        big_endian in any::<bool>(),
    ) {
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        let file_len = bytes.len();
        let doc = read(bytes, Format::Text).expect("UTF-16 with a BOM is read");
        prop_assert_eq!(doc.source(), text.as_str());
        check_document(&doc);
        for sentence in &doc.sentences {
            let location = doc.locate(doc.to_source(*sentence));
            for offset in [location.start.offset, location.end.offset] {
                // Past the BOM, on a code unit, inside the file.
                prop_assert!((2..=file_len).contains(&offset) && offset % 2 == 0);
            }
        }
    }

    #[test]
    fn docx_paragraphs_are_lines_of_the_text(
        paragraphs in prop::collection::vec("[a-zA-Z .,&<>é’]{0,40}", 0..12),
    ) {
        let read_back = docx::paragraphs(&docx_of_texts(&paragraphs)).unwrap();
        let texts: Vec<&str> = read_back.iter().map(|p| p.text.as_str()).collect();
        prop_assert_eq!(&texts, &paragraphs);
        if let Some(doc) = read(docx_of_texts(&paragraphs), Format::Docx) {
            check_document(&doc);
            for block in &doc.blocks {
                let location = doc.locate(doc.to_source(block.range));
                let line = &paragraphs[location.start.line - 1];
                prop_assert!(line.contains(doc.text(block.range)));
            }
        }
    }

    #[test]
    fn any_text_as_a_rule_file_compiles_or_is_an_error(text in "[a-z:\\- \n\\[\\]{}'\"*&|^$().?+0-9]{0,200}") {
        let file = RuleFile::new("prop", "rule", "prop/rule.yaml".into(), text);
        if let Err(e) = RuleSet::from_files(&[file], &BTreeMap::new()) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn any_text_as_a_configuration_loads_or_is_an_error(text in "[a-z:\\- \n\\[\\]{}'\"*&/.0-9]{0,200}") {
        if let Err(e) = Config::parse("policylint.yaml", &text, PathBuf::from("/nowhere"), &OnDisk) {
            prop_assert!(!e.to_string().is_empty());
        }
    }
}
