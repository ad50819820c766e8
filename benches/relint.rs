//! What a pause in typing costs the language server: linting a ~100 KB policy again
//! and converting the findings to protocol diagnostics, in-process. `first_lint` is
//! a document just opened; `after_an_edit` is the same policy with one word typed,
//! linted with the memo of the version before (the server's usual case).
//!
//! `cargo bench --bench relint`

use std::sync::Arc;

use policylint::lsp::linting::lint_version;
use policylint::{Format, Linter, RuleSet};

fn main() {
    divan::main();
}

/// The example policies, repeated to about 100 KB of Markdown.
fn policy() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join("policies");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/policies/ is readable")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    names.sort();
    let examples: Vec<String> = names
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("an example is readable"))
        .collect();
    let mut text = String::new();
    while text.len() < 100_000 {
        for example in &examples {
            text.push_str(example);
            text.push_str("\n\n");
        }
    }
    text
}

/// As the language server lints: one document at a time, its rules on all cores.
fn linter(packs: &[&str]) -> Arc<Linter> {
    let packs: Vec<String> = packs.iter().map(|p| p.to_string()).collect();
    let rules = RuleSet::load(&packs, &[]).expect("the built-in packs load");
    Arc::new(Linter::new(rules, "2026-11-23".parse().expect("a date")).with_parallel_rules_from(0))
}

#[divan::bench(args = [&["core"][..], &["caloppa", "ccpa", "coppa", "core", "gdpr"][..]], sample_count = 20)]
fn first_lint(bencher: divan::Bencher, packs: &[&str]) {
    let linter = linter(packs);
    let text = policy();
    let uri = "file:///bench/policy.md".parse().expect("a URI");
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| {
            lint_version(
                Arc::clone(&linter),
                &uri,
                1,
                text.clone(),
                Format::Markdown,
                None,
                None,
            )
        });
}

#[divan::bench(args = [&["core"][..], &["caloppa", "ccpa", "coppa", "core", "gdpr"][..]], sample_count = 50)]
fn after_an_edit(bencher: divan::Bencher, packs: &[&str]) {
    let linter = linter(packs);
    let text = policy();
    let uri = "file:///bench/policy.md".parse().expect("a URI");
    let (_, memo) = lint_version(
        Arc::clone(&linter),
        &uri,
        1,
        text.clone(),
        Format::Markdown,
        None,
        None,
    );
    // A word typed into a sentence half way down.
    let half = (text.len() / 2..)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let middle = text[half..].find(". ").map_or(half, |i| half + i);
    let mut edited = text.clone();
    edited.insert_str(middle, " today");
    bencher
        .counter(divan::counter::BytesCount::new(edited.len()))
        .bench(|| {
            lint_version(
                Arc::clone(&linter),
                &uri,
                2,
                edited.clone(),
                Format::Markdown,
                None,
                memo.as_ref(),
            )
        });
}
