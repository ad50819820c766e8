#![no_main]
//! Any text as a rule file: a rule set or an error with a place, never a panic. A rule
//! that compiles is then run on a small policy.

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use policylint::rules::RuleFile;
use policylint::{Format, Linter, RuleSet};

const POLICY: &str = "# Privacy\n\nWe keep your data for 30 days. Contact privacy@example.com.\n\nLast updated: 1 March 2026.\n";

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let file = RuleFile::new("fuzz", "rule", "fuzz/rule.yaml".into(), text.to_string());
    let lists = BTreeMap::from([(
        "things".to_string(),
        vec!["data".to_string(), "email".to_string()],
    )]);
    match RuleSet::from_files(&[file], &lists) {
        Ok(rules) => {
            let linter = Linter::new(rules, jiff::civil::date(2026, 11, 1));
            for format in [Format::Markdown, Format::Text] {
                policylint_fuzz::check_report(&linter.lint("policy", POLICY.into(), format));
            }
        }
        // Rendering the error exercises its spans into the file.
        Err(e) => policylint_fuzz::render(&e),
    }
});
