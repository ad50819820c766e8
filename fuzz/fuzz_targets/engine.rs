#![no_main]
//! Any text linted with every built-in pack, as Markdown, HTML or plain text.

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use policylint::engine::LanguageCheck;
use policylint::{Format, Linter, RuleSet};

static LINTER: LazyLock<Linter> = LazyLock::new(|| {
    let packs = ["core", "gdpr", "ccpa", "caloppa", "coppa"].map(String::from);
    let rules = RuleSet::load(&packs, &[]).expect("the built-in packs load");
    Linter::new(rules, jiff::civil::date(2026, 11, 1))
        .with_language_check(LanguageCheck::AssumeEnglish)
});

fuzz_target!(|bytes: &[u8]| {
    let Some((&selector, rest)) = bytes.split_first() else {
        return;
    };
    let format = match selector % 3 {
        0 => Format::Markdown,
        1 => Format::Html,
        _ => Format::Text,
    };
    let report = LINTER.lint("policy", String::from_utf8_lossy(rest).into_owned(), format);
    policylint_fuzz::check_report(&report);
});
