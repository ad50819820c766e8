//! The documentation names what the built-in packs hold: the README's pack table
//! counts their rules and its table of core rules is made from the rules (a failing
//! test prints the table to paste), rules/README.md lists every fact,
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

/// The rows of the Markdown table whose header row starts with `header`, header and
/// separator rows left out.
fn table_rows<'a>(page: &'a str, header: &str) -> Vec<&'a str> {
    page.lines()
        .skip_while(|line| !line.starts_with(header))
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .collect()
}

/// The README's table of core rules, as the rules say it: id, severity and title.
fn core_rule_table(rules: &RuleSet) -> String {
    let mut table = String::from("| rule | severity | title |\n|---|---|---|\n");
    for rule in rules.rules.iter().filter(|r| r.pack == "core") {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            rule.id,
            rule.severity.as_str(),
            rule.title.replace('|', "\\|")
        ));
    }
    table
}

#[test]
fn the_readme_counts_each_packs_rules() {
    let readme = read("README.md");
    let rules = all_rules();
    let rows = table_rows(&readme, "| pack | rules |");
    let packs = builtin_packs();
    for pack in &packs {
        let count = rules.rules.iter().filter(|r| r.pack == *pack).count();
        let row = format!("| `{pack}` | {count} |");
        assert!(
            rows.iter().any(|r| r.starts_with(&row)),
            "README.md's pack table has no row `{row}`"
        );
    }
    assert_eq!(
        rows.len(),
        packs.len(),
        "README.md's pack table has a row for each built-in pack, and no other"
    );
}

#[test]
fn the_readme_lists_the_core_rules_as_the_rules_say() {
    let readme = read("README.md");
    let expected = core_rule_table(&all_rules());
    let header = expected.lines().next().unwrap_or_default();
    let actual: Vec<&str> = table_rows(&readme, header);
    let wanted: Vec<&str> = expected.lines().skip(2).collect();
    assert!(
        actual == wanted,
        "README.md's table of core rules is not what the rules say (id, severity, title); \
         replace the table after \"The `core` pack:\" with:\n\n{expected}"
    );
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
        .arg("examples/policies/anysend.md")
        .output()
        .unwrap();
    let actual = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        example,
        actual.trim_end(),
        "regenerate the example with the command at the top of docs/json-output.md"
    );
}
