//! How saved web pages are read: what of a page is prose and what is left out.
//! Each fixture under `tests/fixtures/html-reading/` is a small page built like a
//! published one, for a case where reading went wrong.

use policylint::document::{Document, Format, HtmlOptions, ReadOptions};

mod common;

fn read(name: &str, keep_chrome: bool) -> Document {
    let path = common::repo()
        .join("tests/fixtures/html-reading")
        .join(name);
    let bytes = std::fs::read(path).unwrap();
    let options = ReadOptions {
        html: HtmlOptions { keep_chrome },
    };
    Document::read(bytes, Format::Html, &options).unwrap()
}

#[test]
fn a_body_class_naming_the_cookie_banner_does_not_hide_the_page() {
    let doc = read("body-state-flags.html", false);
    let prose = doc.prose();
    assert!(prose.contains("Last updated: March 2, 2026"), "{prose}");
    assert!(prose.contains("request that we delete"), "{prose}");
    // The banner itself and the site chrome are still left out.
    assert!(!prose.contains("Accept all cookies"), "{prose}");
    assert!(!prose.contains("About us"), "{prose}");
    assert!(!prose.contains("Do Not Sell"), "{prose}");
    let kept = read("body-state-flags.html", true);
    assert!(kept.prose().contains("Do Not Sell My Personal Information"));
}

#[test]
fn a_sentence_wrapped_over_source_lines_is_one_sentence() {
    let doc = read("wrapped-source-lines.html", false);
    let sentence = doc
        .sentences
        .iter()
        .map(|&s| doc.text(s))
        .find(|s| s.starts_with("Example News"))
        .expect("the sentence");
    assert!(sentence.contains("share any"), "{sentence:?}");
    assert!(sentence.ends_with("1798.83."), "{sentence:?}");
    assert!(!sentence.contains('\n'), "{sentence:?}");
    // Each space that stands for a line ending maps to the line ending's bytes.
    let at = doc.prose().find("any ").unwrap() + "any".len();
    let span = doc.to_source(policylint::span::ProseRange::new(at, at + 1));
    assert_eq!(&doc.source()[span.start..span.end], "\n");
    // Inside <pre> a line ending stays one.
    assert!(doc.prose().contains("preformatted block\nLine two"));
}

/// Published policies fold their sections into accordions and tabs that a script
/// opens, and some print the date in a code block: a reader who clicks sees all of
/// it, so all of it is prose. What never shows as text (a `<noscript>` pixel, a
/// `<template>`) is not.
#[test]
fn collapsed_accordions_tabs_and_code_blocks_are_read() {
    let doc = read("collapsed-panels.html", false);
    let prose = doc.prose();
    assert!(prose.contains("Last updated: March 2, 2026"), "{prose}");
    assert!(
        prose.contains("correct inaccurate personal information"),
        "{prose}"
    );
    assert!(
        prose.contains("limit our use of your sensitive personal information"),
        "{prose}"
    );
    assert!(prose.contains("two years after they are closed"), "{prose}");
    assert!(!prose.contains("Tracking pixel"), "{prose}");
    assert!(!prose.contains("Template row"), "{prose}");
}
