//! The documentation names what the built-in packs hold: the README's pack table
//! counts their rules and lists the core rules, rules/README.md lists every fact,
//! docs/legal.md has a row for every rule, and docs/json-output.md shows real output.

mod common;

use policylint::RuleSet;
use policylint::rules::builtin_packs;

fn read(path: &str) -> String {
    std::fs::read_to_string(common::repo().join(path)).unwrap()
}

fn all_rules() -> RuleSet {
    RuleSet::load(&builtin_packs(), &[]).expect("built-in packs load")
}

#[test]
fn the_readme_counts_each_packs_rules_and_lists_the_core_rules() {
    let readme = read("README.md");
    let rules = all_rules();
    for pack in builtin_packs() {
        let count = rules.rules.iter().filter(|r| r.pack == pack).count();
        let row = format!("| `{pack}` | {count} |");
        assert!(readme.contains(&row), "README.md has no row `{row}`");
    }
    for rule in rules.rules.iter().filter(|r| r.pack == "core") {
        assert!(
            readme.contains(&format!("`{}`", rule.id)),
            "README.md does not list {}",
            rule.id
        );
    }
}

#[test]
fn the_rule_language_guide_lists_every_built_in_fact() {
    let guide = read("rules/README.md");
    for fact in &all_rules().facts {
        assert!(
            guide.contains(&format!("| `{}` |", fact.name)),
            "rules/README.md has no row for the fact {}",
            fact.name
        );
    }
}

#[test]
fn the_legal_review_has_a_row_for_every_rule() {
    let legal = read("docs/legal.md");
    // A row's first cell names its rule (or several rules that share the row).
    let first_cells: Vec<&str> = legal
        .lines()
        .filter_map(|line| line.strip_prefix("| ")?.split(" | ").next())
        .collect();
    for rule in &all_rules().rules {
        let name = format!("`{}`", rule.id);
        assert!(
            first_cells.iter().any(|cell| cell.contains(&name)),
            "docs/legal.md has no row for {}",
            rule.id
        );
    }
}

#[test]
fn the_json_contract_example_is_the_real_output() {
    let page = read("docs/json-output.md");
    let example = page
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("docs/json-output.md has a JSON example");
    let output = common::policylint()
        .args(["lint", "--format", "json", "--today", common::TODAY])
        .arg("examples/anysend.md")
        .output()
        .unwrap();
    let actual = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        example,
        actual.trim_end(),
        "regenerate the example with the command at the top of docs/json-output.md"
    );
}
