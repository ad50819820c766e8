//! `policylint rules` and `policylint explain`: what the rules are.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use policylint::RuleSet;
use policylint::rules::When;

use super::{RuleArgs, load_rules, print_all};

#[derive(Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. core/retention-period.
    pub rule: String,
    /// Folders of custom rules, to explain one of them.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

pub fn list_rules(args: RuleArgs) -> miette::Result<ExitCode> {
    let mut selection = args.selection;
    if selection.pack.is_empty() {
        selection
            .pack
            .push(policylint::config::DEFAULT_PACK.to_string());
    }
    let rules = load_rules(&selection)?;
    let mut text = String::new();
    for pack in &rules.packs {
        text.push_str(&format!(
            "{} {}: {}\n",
            pack.name, pack.version, pack.description
        ));
        for rule in rules.rules.iter().filter(|r| r.pack == pack.name) {
            let (id, severity) = (&rule.id, rule.severity.as_str());
            text.push_str(&format!("  {id:<32} {severity:<8} {}\n", rule.title));
            if !rule.references.is_empty() {
                let texts: Vec<&str> = rule.references.iter().map(|r| r.text.as_str()).collect();
                text.push_str(&format!("  {:<41} {}\n", "", texts.join("; ")));
            }
        }
    }
    for (old, new) in &rules.superseded {
        text.push_str(&format!(
            "{old} is superseded by {new}: a gap both find is one finding, of {new}\n"
        ));
    }
    print_all(&text)?;
    Ok(ExitCode::SUCCESS)
}

pub fn explain(args: ExplainArgs) -> miette::Result<ExitCode> {
    // The rule may be in any pack, and a superseded rule is explained too.
    let pack = args.rule.split('/').next().unwrap_or_default().to_string();
    let packs: Vec<String> = policylint::rules::builtin_packs()
        .into_iter()
        .filter(|p| *p == pack)
        .collect();
    let rules = RuleSet::load(&packs, &args.rule_dirs)?;
    let Some(rule) = rules.get(&args.rule) else {
        return Err(miette::miette!(
            help = "`policylint rules --pack PACK` lists the rule ids",
            "no rule `{}`",
            args.rule
        ));
    };
    let version = rules
        .packs
        .iter()
        .find(|p| p.name == rule.pack)
        .map_or("unversioned", |p| p.version.as_str());
    let mut text = format!(
        "{}: {}\n\nseverity: {}\npack: {} {}\ndefined in: {}\n\nWhen it fails: {}\n",
        rule.id,
        rule.title,
        rule.severity.as_str(),
        rule.pack,
        version,
        rule.path,
        rule.general_message()
    );
    if let Some(help) = &rule.help {
        text.push_str(&format!("\nHow to fix it: {help}\n"));
    }
    if !rule.references.is_empty() {
        text.push_str("\nReferences:\n");
        for reference in &rule.references {
            text.push_str(&format!("  - {}\n", reference.to_line()));
        }
    }
    if rule.section.is_some() {
        // The heading pattern is for rule authors, in the rule file; readers get words.
        text.push_str(
            "\nWhere a missing statement is shown: under the first heading about this subject (`section:` in the rule file).\n",
        );
    }
    if let Some(When::Fact(i)) = &rule.when {
        let fact = &rules.facts[*i];
        let otherwise = match &fact.denial {
            Some(denial) => format!(
                "no when {}; when the text says neither ({}), not known, and the rule applies",
                fact.if_no, denial.if_unknown
            ),
            None => format!("otherwise no ({})", fact.if_no),
        };
        text.push_str(&format!(
            "\nApplies only when: {}\n  Fact `{name}`: declare it with --fact {name}=yes or --fact {name}=no (or `facts:` in policylint.yaml). Undeclared, it is inferred from the text: yes when {}; {otherwise}.\n",
            fact.description.trim(),
            fact.if_yes,
            name = fact.name,
        ));
    }
    if !rule.supersedes.is_empty() {
        text.push_str(&format!(
            "\nSupersedes: {} (each keeps its own outcome; a gap both find is reported once, as this rule's finding)\n",
            rule.supersedes.join(", ")
        ));
    }
    for (heading, examples) in [
        ("Passes", &rule.examples.pass),
        ("Fails", &rule.examples.fail),
    ] {
        if examples.is_empty() {
            continue;
        }
        text.push_str(&format!("\n{heading}:\n"));
        for example in examples {
            text.push_str(&format!("  - {}\n", example.replace('\n', "\n    ")));
        }
    }
    print_all(&text)?;
    Ok(ExitCode::SUCCESS)
}
