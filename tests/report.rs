//! `policylint report`: the Markdown table, and the HTML page read with a real HTML
//! tokenizer (well-formed, loads nothing, carries the JSON contract unchanged and
//! every rule of every loaded pack). tests/browser.rs opens the page in Chromium.

mod common;

use std::collections::BTreeSet;

use common::{TODAY, policylint, repo};
use html5gum::emitters::default::DefaultEmitter;
use html5gum::{Token, Tokenizer};
use policylint::RuleSet;
use policylint::report::html::{CATALOG_ID, DATA_ID, unescape_script_data};
use serde_json::Value;

const PACKS: &str = "core,gdpr,ccpa";

fn run_args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["examples/policies/", "--pack", PACKS, "--today", TODAY]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push("--no-config".into());
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn report(extra: &[&str]) -> String {
    let out = policylint()
        .arg("report")
        .args(run_args(extra))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn html_report() -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let out = policylint()
        .arg("report")
        .args(run_args(&["--output", path.to_str().unwrap()]))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "the page goes to the file only");
    std::fs::read_to_string(&path).unwrap()
}

/// The page's start tags (name and attributes) and the text of each `<script>` and
/// `<style>` element (by the element's id, or its tag name).
struct Page {
    tags: Vec<(String, Vec<(String, String)>)>,
    raw_text: Vec<(String, String)>,
}

const VOID: [&str; 6] = ["meta", "input", "br", "link", "img", "hr"];

/// Reads the page with html5gum; panics at a tokenizer error or an element that is
/// not closed where it should be.
fn read_page(html: &str) -> Page {
    let mut emitter = DefaultEmitter::<()>::default();
    emitter.naively_switch_states(true);
    let mut open: Vec<(String, Option<String>)> = Vec::new();
    let mut page = Page {
        tags: Vec::new(),
        raw_text: Vec::new(),
    };
    let mut text = String::new();
    for token in Tokenizer::new_with_emitter(html, emitter) {
        match token.unwrap() {
            Token::Error(e) => panic!("HTML error: {:?}", e),
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_string();
                let attrs: Vec<(String, String)> = tag
                    .attributes
                    .iter()
                    .map(|(k, v)| {
                        (
                            String::from_utf8_lossy(k).to_string(),
                            String::from_utf8_lossy(&v.value).to_string(),
                        )
                    })
                    .collect();
                let id = attrs
                    .iter()
                    .find(|(k, _)| k == "id")
                    .map(|(_, v)| v.clone());
                if !VOID.contains(&name.as_str()) {
                    open.push((name.clone(), id));
                }
                text.clear();
                page.tags.push((name, attrs));
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_string();
                let (opened, id) = open.pop().expect("an end tag without a start tag");
                assert_eq!(opened, name, "<{opened}> closed by </{name}>");
                if name == "script" || name == "style" {
                    page.raw_text
                        .push((id.unwrap_or(name), std::mem::take(&mut text)));
                }
            }
            Token::String(s) => text.push_str(&String::from_utf8_lossy(&s)),
            Token::Comment(_) | Token::Doctype(_) => {}
        }
    }
    assert!(open.is_empty(), "elements left open: {open:?}");
    page
}

impl Page {
    fn raw(&self, id: &str) -> &str {
        &self
            .raw_text
            .iter()
            .find(|(i, _)| i == id)
            .unwrap_or_else(|| panic!("no <script> or <style> {id}"))
            .1
    }

    fn json(&self, id: &str) -> Value {
        serde_json::from_str(self.raw(id)).expect("the embedded data is JSON")
    }
}

#[test]
fn markdown_of_the_examples() {
    let markdown = report(&["--format", "markdown"]);
    insta::assert_snapshot!(markdown);
}

/// Whether a rule file asks for a statement (`require`), read from the YAML itself:
/// a failed rule that does not is text to fix, not a missing statement.
fn asks_for_statement(rule: &str) -> bool {
    let path = format!("rules/{rule}.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines().any(|l| l.starts_with("require:"))
}

/// The Markdown table's numbers are the rule outcomes of the JSON contract counted
/// by law.
#[test]
fn markdown_scores_count_the_json_outcomes() {
    let markdown = report(&["--format", "markdown"]);
    let json: Value = serde_json::from_str(&report(&["--format", "json"])).unwrap();
    let laws = [("Core", "core/"), ("GDPR", "gdpr/"), ("CCPA", "ccpa/")];
    let header = markdown
        .lines()
        .find(|l| l.starts_with("| Policy |"))
        .unwrap();
    let columns: Vec<&str> = header.split('|').map(str::trim).collect();
    let mut to_fix_seen = 0;
    for file in json["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        let row = markdown
            .lines()
            .find(|l| l.starts_with(&format!("| `{path}` |")))
            .unwrap_or_else(|| panic!("no row for {path}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        for (name, prefix) in laws {
            let count = |status: &str, statement: Option<bool>| {
                file["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|o| {
                        let rule = o["rule"].as_str().unwrap();
                        rule.starts_with(prefix)
                            && o["status"] == status
                            && statement.is_none_or(|s| asks_for_statement(rule) == s)
                    })
                    .count()
            };
            let to_fix = count("fail", Some(false));
            to_fix_seen += to_fix;
            let mut expected = format!(
                "{} / {} / {}",
                count("pass", None),
                count("fail", Some(true)),
                count("not-applicable", None)
            );
            if to_fix > 0 {
                expected.push_str(&format!(" ({to_fix} to fix)"));
            }
            let at = columns.iter().position(|c| *c == name).unwrap();
            assert_eq!(cells[at], expected, "{path} {name}");
        }
    }
    assert!(
        to_fix_seen > 0,
        "the examples have text to fix (an old date)"
    );
}

#[test]
fn html_is_well_formed_and_loads_nothing() {
    let html = html_report();
    assert!(html.starts_with("<!DOCTYPE html>"));
    let page = read_page(&html);
    for (name, attrs) in &page.tags {
        assert!(
            !["link", "img", "iframe", "object", "embed", "base", "source"]
                .contains(&name.as_str()),
            "<{name}> could load something"
        );
        for (key, value) in attrs {
            assert_ne!(key, "src", "<{name} src={value}>");
            if key == "href" {
                assert_eq!(name, "a", "href on <{name}>");
            }
        }
        if name == "meta"
            && attrs
                .iter()
                .any(|(k, v)| k == "http-equiv" && v == "Content-Security-Policy")
        {
            let policy = &attrs.iter().find(|(k, _)| k == "content").unwrap().1;
            assert!(policy.contains("default-src 'none'"), "{policy}");
        }
    }
    assert!(html.contains("Content-Security-Policy"));
    // The style sheet and the script reach no address; only the data names any (the
    // laws' official texts, shown as links).
    let style = page.raw("style");
    let script = page.raw("script");
    for code in [style, script] {
        for loader in [
            "@import",
            "url(",
            "http:",
            "https:",
            "fetch(",
            "XMLHttpRequest",
            "import(",
        ] {
            assert!(!code.contains(loader), "the page's code has `{loader}`");
        }
    }
    assert!(style.contains("@media print"));
    // The JSON data elements are data, not scripts.
    for (name, attrs) in &page.tags {
        if name == "script" && attrs.iter().any(|(k, _)| k == "id") {
            assert!(attrs.contains(&("type".into(), "application/json".into())));
        }
    }
}

#[test]
fn embedded_data_is_the_json_contract_byte_for_byte() {
    let page = read_page(&html_report());
    let lint = policylint()
        .arg("lint")
        .args(run_args(&["--format", "json"]))
        .output()
        .unwrap();
    let contract = String::from_utf8(lint.stdout).unwrap();
    assert!(contract.contains("\"version\": 1"));
    assert_eq!(unescape_script_data(page.raw(DATA_ID)), contract);
    // And `report --format json` writes the same.
    assert_eq!(report(&["--format", "json"]), contract);
}

#[test]
fn every_rule_of_every_loaded_pack_is_in_the_page_for_each_policy() {
    let page = read_page(&html_report());
    let data = page.json(DATA_ID);
    let catalog = page.json(CATALOG_ID);
    let packs: Vec<String> = PACKS.split(',').map(str::to_string).collect();
    let loaded: BTreeSet<String> = RuleSet::load(&packs, &[])
        .unwrap()
        .rules
        .iter()
        .map(|r| r.id.clone())
        .collect();
    assert!(loaded.len() > 50);
    let laws = catalog["laws"].as_array().unwrap();
    let names: Vec<&str> = laws.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Core", "CCPA", "GDPR"]);
    let in_page: BTreeSet<String> = laws
        .iter()
        .flat_map(|l| l["rules"].as_array().unwrap())
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    assert_eq!(in_page, loaded);
    for id in &loaded {
        assert!(
            catalog["rules"][id]["title"].is_string(),
            "{id} has no title"
        );
    }
    let files = data["files"].as_array().unwrap();
    assert_eq!(files.len(), 5);
    for file in files {
        let outcomes: BTreeSet<String> = file["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["rule"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(outcomes, loaded, "{}", file["path"]);
    }
}

#[test]
fn a_file_that_cannot_be_linted_is_listed_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let policy = std::fs::read_to_string(repo().join("examples/policies/putio.md")).unwrap();
    let small = dir.path().join("small.md");
    std::fs::write(&small, &policy).unwrap();
    let big = dir.path().join("big.md");
    std::fs::write(&big, policy.repeat(2)).unwrap();
    let out = policylint()
        .arg("report")
        .args([
            dir.path().to_str().unwrap(),
            "--no-config",
            "--today",
            TODAY,
        ])
        .args(["--format", "markdown", "--max-file-size"])
        .arg(std::fs::metadata(&small).unwrap().len().to_string())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let markdown = String::from_utf8(out.stdout).unwrap();
    assert!(markdown.contains("### Not linted"), "{markdown}");
    assert!(
        markdown
            .lines()
            .any(|l| l.contains("big.md") && l.contains("not linted")),
        "{markdown}"
    );
    assert!(markdown.contains("small.md` |"), "{markdown}");
}

#[test]
fn html_goes_to_standard_output_when_it_is_not_a_terminal() {
    let out = policylint()
        .args(["report", "examples/policies/putio.md", "--no-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("Compliance report: examples/policies/putio.md"));
    read_page(&html);
}
