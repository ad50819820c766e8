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
