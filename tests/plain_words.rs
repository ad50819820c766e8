//! What a reader is told is written in words: no message, label, help or note of the
//! linter, in any output and with every built-in pack, shows a regular expression
//! ("\bchild(?:ren)?\b", "[^@]+", "a|b"). The readers are lawyers and policy authors.

mod common;

use common::{TODAY, policylint};
use policylint::RuleSet;
use policylint::rules::builtin_packs;
use regex::Regex;
use std::sync::OnceLock;

const PACKS: &str = "core,gdpr,ccpa,caloppa,coppa";
const PATHS: [&str; 2] = ["examples/policies/", "tests/fixtures"];

/// The piece of `text` that is regular-expression syntax, if any.
fn regex_syntax(text: &str) -> Option<String> {
    let syntax = Regex::new(concat!(
        r"\\[bBsSdDwW.]",             // \b, \s, \d, \w, \.
        r"|\(\?[:i!=<P]",             // (?:, (?i), lookarounds, named groups
        r"|\[\^",                     // [^…]
        r"|\.[*+]",                   // .*, .+
        r"|\{\d+,\d*\}",              // {2,5}
        r"|\w\|\w",                   // a|b
        r"|`[^`]*\w\s*\|\s*\w[^`]*`", // `a | b`
    ))
    .unwrap();
    syntax.find(text).map(|m| m.as_str().to_string())
}

fn assert_plain(texts: impl IntoIterator<Item = (String, String)>) -> usize {
    let mut checked = 0;
    let mut found = Vec::new();
    for (place, text) in texts {
        checked += 1;
        if let Some(piece) = regex_syntax(&text) {
            found.push(format!("{place}: `{piece}` in {text:?}"));
        }
    }
    assert!(
        found.is_empty(),
        "regular expressions shown to readers:\n{}",
        found.join("\n")
    );
    checked
}

/// The reports of one run over the paths: JSON, short, and human with the checklist.
struct Reports {
    json: String,
    short: String,
    human: String,
}

/// One run writes all three (linting with every pack takes a while).
fn reports() -> &'static Reports {
    static REPORTS: OnceLock<Reports> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("report.json");
        let short = dir.path().join("report.txt");
        let out = policylint()
            .current_dir(common::repo())
            .args(["lint", "--today", TODAY, "--pack", PACKS, "--checklist"])
            .args(["--format", "json", "--output", json.to_str().unwrap()])
            .args(["--format", "short", "--output", short.to_str().unwrap()])
            .args(["--format", "human"])
            .args(PATHS)
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 2), "{out:?}");
        Reports {
            json: std::fs::read_to_string(json).unwrap(),
            short: std::fs::read_to_string(short).unwrap(),
            human: String::from_utf8(out.stdout).unwrap(),
        }
    })
}

#[test]
fn the_detector_knows_regular_expressions_from_prose() {
    for syntax in [
        r"\bchild(?:ren)?\b",
        r"(?i)privacy",
        "[^@]+@",
        "as long as .* necessary",
        "`retain|keep`",
        "data|information",
        r"\s+",
    ] {
        assert!(regex_syntax(syntax).is_some(), "{syntax}");
    }
    for prose in [
        "The policy does not say how long personal data is kept.",
        "declare the fact `collects-personal-data` to settle it",
        r#"e.g. "Settings > Account" (Art. 6(1)(f) GDPR)"#,
        "# Send Large Files for FREE. AnySize,AnyFile,AnyWhere | AnySend",
        "Flesch–Kincaid grade 15.2: the years of schooling the whole text asks of a reader (limit 14)",
    ] {
        assert_eq!(regex_syntax(prose), None, "{prose}");
    }
}

#[test]
fn json_messages_labels_helps_and_notes_are_plain() {
    let value: serde_json::Value = serde_json::from_str(&reports().json).unwrap();
    let mut texts = Vec::new();
    for file in value["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        for d in file["diagnostics"].as_array().unwrap() {
            let rule = d["rule"].as_str().unwrap();
            let place = format!("{path} {rule}");
            texts.push((place.clone(), d["message"].as_str().unwrap().to_string()));
            if let Some(help) = d["help"].as_str() {
                texts.push((place.clone(), help.to_string()));
            }
            for label in d["labels"].as_array().unwrap() {
                texts.push((
                    place.clone(),
                    label["message"].as_str().unwrap().to_string(),
                ));
            }
        }
        for outcome in file["rules"].as_array().unwrap() {
            if let Some(note) = outcome["note"].as_str() {
                let place = format!("{path} {}", outcome["rule"]);
                texts.push((place, note.to_string()));
            }
        }
    }
    // Every pack finds something in these policies: the test reads real findings.
    assert!(assert_plain(texts) > 500);
}

#[test]
fn short_output_is_plain() {
    let lines = reports()
        .short
        .lines()
        .map(|line| ("short".to_string(), line.to_string()));
    assert!(assert_plain(lines) > 500);
}

/// The human report without the policies' own text: the lines quoted from the
/// source (`12 │ …`) and the checklist's quotes (`“…”`).
fn human_own_words(text: &str) -> Vec<(String, String)> {
    let source_line = Regex::new(r"^\s*\d+ │").unwrap();
    text.lines()
        .filter(|line| !source_line.is_match(line) && !line.trim_start().starts_with('“'))
        .map(|line| ("human".to_string(), line.to_string()))
        .collect()
}

/// With `--verbose` the report shows the JSON's helps and labels in full (checked
/// above); the default report shortens the helps and adds the summary.
#[test]
fn human_output_is_plain() {
    assert!(assert_plain(human_own_words(&reports().human)) > 1000);
}

#[test]
fn every_rule_and_fact_of_the_built_in_packs_is_described_in_words() {
    let rules = RuleSet::load(&builtin_packs(), &[]).unwrap();
    let mut texts: Vec<(String, String)> = Vec::new();
    for rule in &rules.rules {
        let mut own: Vec<&str> = vec![&rule.title, &rule.message];
        own.extend(rule.help.as_deref());
        own.extend(rule.references.iter().map(|r| r.text.as_str()));
        own.extend(rule.hints.iter().filter_map(|h| h.message.as_deref()));
        own.extend(rule.forbid.iter().filter_map(|f| f.message.as_deref()));
        own.extend(rule.metrics.iter().filter_map(|m| m.message.as_deref()));
        texts.extend(own.into_iter().map(|t| (rule.id.clone(), t.to_string())));
    }
    for fact in &rules.facts {
        let mut own: Vec<&str> = vec![&fact.description, &fact.if_yes, &fact.if_no];
        own.extend(fact.denial.as_ref().map(|d| d.if_unknown.as_str()));
        texts.extend(own.into_iter().map(|t| (fact.name.clone(), t.to_string())));
    }
    assert!(assert_plain(texts) > 300);
}

/// `explain` adds to the rule's fields (checked above) its own sentences: where a
/// missing statement is shown, when the rule applies. One rule of each pack that has
/// them all.
#[test]
fn explain_describes_rules_in_words() {
    let rules = RuleSet::load(&builtin_packs(), &[]).unwrap();
    for pack in builtin_packs() {
        let Some(rule) = rules
            .rules
            .iter()
            .filter(|r| r.pack == pack)
            .max_by_key(|r| (r.section.is_some(), r.when.is_some()))
        else {
            continue;
        };
        let out = policylint().args(["explain", &rule.id]).output().unwrap();
        assert!(out.status.success(), "{}: {out:?}", rule.id);
        let text = String::from_utf8(out.stdout).unwrap();
        // The rule's own examples are policy text, not the linter's words.
        let own = text.split("\nPasses:\n").next().unwrap();
        let own = own.split("\nFails:\n").next().unwrap();
        assert!(own.contains("Where a missing statement is shown"), "{own}");
        let lines = own.lines().map(|l| (rule.id.clone(), l.to_string()));
        assert_plain(lines);
    }
}
