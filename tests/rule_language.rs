//! The rule language, one behaviour at a time, on small custom rules.

use std::collections::BTreeMap;

use policylint::diagnostic::FileReport;
use policylint::rules::RuleFile;
use policylint::{Format, Linter, RuleSet};

fn lint_with(rule_yaml: &str, policy: &str) -> FileReport {
    let file = RuleFile::new("t", "rule", "t/rule.yaml".into(), rule_yaml.into());
    let mut lists = BTreeMap::new();
    lists.insert(
        "analytics".to_string(),
        vec!["Google Analytics".to_string(), "Mixpanel".to_string()],
    );
    let rules = RuleSet::from_files(&[file], &lists).expect("rule compiles");
    Linter::new(rules, "2026-11-23".parse().unwrap()).lint("p.md", policy.into(), Format::Markdown)
}

fn status(report: &FileReport) -> String {
    serde_json::to_value(report.rules[0].status)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

fn quoted(report: &FileReport, i: usize) -> &str {
    let s = report.diagnostics[i].span.location;
    &report.source[s.start.offset..s.end.offset]
}

const HEAD: &str = "title: T\nseverity: warning\nmessage: M\n";

#[test]
fn when_unmatched_is_not_applicable_and_matched_adds_a_label() {
    let rule = format!("{HEAD}when:\n  terms: [analytics]\nrequire:\n  terms: '@analytics'\n");
    assert_eq!(
        status(&lint_with(&rule, "# P\n\nWe sell nothing.\n")),
        "not-applicable"
    );
    let report = lint_with(&rule, "# P\n\nWe use analytics tools.\n");
    assert_eq!(status(&report), "fail");
    let label = report.diagnostics[0]
        .labels
        .iter()
        .find(|l| l.message.contains("applies because"))
        .unwrap();
    assert_eq!(
        &report.source[label.span.location.start.offset..label.span.location.end.offset],
        "analytics"
    );
    assert_eq!(
        status(&lint_with(
            &rule,
            "# P\n\nWe use analytics from **Google** Analytics.\n"
        )),
        "pass"
    );
}

#[test]
fn scopes_decide_whether_parts_must_meet() {
    let doc = "# Data\n\nWe keep logs.\n\nThey go after 30 days.\n\n# Other\n\nNothing.\n";
    let rule = |scope: &str| {
        format!(
            "{HEAD}require:\n  scope: {scope}\n  all:\n    - terms: [logs]\n    - pattern: '{{duration}}'\n"
        )
    };
    assert_eq!(status(&lint_with(&rule("sentence"), doc)), "fail");
    assert_eq!(status(&lint_with(&rule("paragraph"), doc)), "fail");
    assert_eq!(status(&lint_with(&rule("section"), doc)), "pass");
    assert_eq!(status(&lint_with(&rule("document"), doc)), "pass");
}

#[test]
fn near_counts_words_between() {
    let rule = format!(
        "{HEAD}require:\n  near:\n    within: 2\n    all:\n      - terms: [contact]\n      - pattern: '{{email}}'\n"
    );
    assert_eq!(status(&lint_with(&rule, "Contact us at a@b.co.")), "pass");
    assert_eq!(
        status(&lint_with(
            &rule,
            "Contact us, our team, or others at a@b.co."
        )),
        "fail"
    );
}

#[test]
fn not_and_any_compose() {
    let rule = format!(
        "{HEAD}require:\n  all:\n    - any: [{{terms: [sell]}}, {{terms: [rent]}}]\n    - not: {{terms: [never, not]}}\n"
    );
    assert_eq!(status(&lint_with(&rule, "We rent lists.")), "pass");
    assert_eq!(status(&lint_with(&rule, "We never sell data.")), "fail");
}

#[test]
fn forbid_reports_each_match_unless_excused_in_the_same_unit() {
    let rule = format!(
        "{HEAD}forbid:\n  - pattern: 'as long as necessary'\n    unless: {{pattern: '{{duration}}'}}\n    message: vague\n"
    );
    let report = lint_with(
        &rule,
        "Kept as long as necessary. Also as long as necessary. Or as long as necessary, at most 2 years.",
    );
    assert_eq!(report.diagnostics.len(), 2);
    assert_eq!(report.diagnostics[0].message, "vague");
    assert_eq!(quoted(&report, 1), "as long as necessary");
}

#[test]
fn missing_statement_anchors_at_hint_then_section_then_title() {
    let base = format!("{HEAD}section: retention\nrequire:\n  pattern: '{{duration}}'\n");
    let with_hint = format!("{base}hint:\n  - terms: [retain]\n    message: nearly\n");
    let doc = "# Policy\n\nIntro.\n\n## Data retention\n\nWe retain data.\n";
    let report = lint_with(&with_hint, doc);
    assert_eq!(quoted(&report, 0), "retain");
    assert_eq!(report.diagnostics[0].labels[0].message, "nearly");
    assert_eq!(quoted(&lint_with(&base, doc), 0), "Data retention");
    let report = lint_with(&base, "# Policy\n\nIntro.\n\n## Contact\n\nHi.\n");
    assert_eq!(quoted(&report, 0), "Policy");
    assert!(
        report.diagnostics[0].labels[0]
            .message
            .contains("no section heading is about this")
    );
}

#[test]
fn terms_ignore_case_apostrophes_hyphens_and_markup() {
    let rule = format!("{HEAD}require:\n  terms: [\"you're opted-in\"]\n");
    assert_eq!(
        status(&lint_with(&rule, "Now You’re **opted‑in**.")),
        "pass"
    );
    assert_eq!(status(&lint_with(&rule, "You are opted in.")), "fail");
}

#[test]
fn patterns_match_whole_words_only() {
    let rule = format!("{HEAD}require:\n  pattern: 'retain'\n");
    assert_eq!(status(&lint_with(&rule, "We retained it.")), "fail");
    assert_eq!(status(&lint_with(&rule, "We retain it.")), "pass");
}

#[test]
fn sentences_do_not_cross_blocks() {
    let rule = format!("{HEAD}require:\n  all: [{{terms: [keep]}}, {{pattern: '{{duration}}'}}]\n");
    assert_eq!(
        status(&lint_with(&rule, "- We keep data\n- 30 days\n")),
        "fail"
    );
    assert_eq!(
        status(&lint_with(&rule, "- We keep data 30 days\n")),
        "pass"
    );
}

#[test]
fn strict_loading_rejects_misplaced_keys_and_empty_matchers() {
    let cases = [
        format!("{HEAD}require:\n  all:\n    - scope: sentence\n      terms: [x]\n"),
        format!("{HEAD}require:\n  terms: [x]\n  message: no\n"),
        format!("{HEAD}require:\n  terms: [x]\n  pattern: y\n"),
        format!("{HEAD}require: {{}}\n"),
        format!("{HEAD}require:\n  near: {{within: 3, all: [{{terms: [x]}}]}}\n"),
        "title: T\nseverity: fatal\nmessage: M\nrequire:\n  terms: [x]\n".to_string(),
    ];
    for yaml in cases {
        let file = RuleFile::new("t", "rule", "t/rule.yaml".into(), yaml.clone());
        assert!(
            RuleSet::from_files(&[file], &BTreeMap::new()).is_err(),
            "{yaml}"
        );
    }
}

/// A folder of custom rules: (relative path, YAML) pairs.
fn rule_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const DPO_FACT: &str = "description: A data protection officer is appointed.\ninfer:\n  terms: [data protection officer, DPO]\nif-yes: a data protection officer is mentioned\nif-no: no data protection officer is mentioned\n";
const DPO_RULE: &str = "title: DPO contact\nseverity: warning\nmessage: No DPO contact.\nwhen:\n  fact: dpo\nrequire:\n  all: [{terms: [data protection officer, DPO]}, {pattern: '{email}'}]\n";

fn lint_dir(dir: &tempfile::TempDir, facts: &[(String, bool)], policy: &str) -> FileReport {
    let rules = RuleSet::load(&[], &[dir.path().to_path_buf()]).expect("rules load");
    Linter::new(rules, "2026-11-23".parse().unwrap())
        .with_facts(facts)
        .expect("known facts")
        .lint("p.md", policy.into(), Format::Markdown)
}

#[test]
fn an_undeclared_fact_is_inferred_and_the_outcome_says_so() {
    let dir = rule_dir(&[
        ("facts/dpo.yaml", DPO_FACT),
        ("acme/dpo-contact.yaml", DPO_RULE),
    ]);
    let silent = lint_dir(&dir, &[], "# P\n\nWe sell nothing.\n");
    assert_eq!(status(&silent), "not-applicable");
    assert_eq!(
        silent.rules[0].note.as_deref(),
        Some(
            "assumed: no data protection officer is mentioned (declare --fact dpo=yes if that is wrong)"
        )
    );
    let mentioned = lint_dir(&dir, &[], "# P\n\nWe have appointed a DPO.\n");
    assert_eq!(status(&mentioned), "fail");
    assert!(
        mentioned.diagnostics[0]
            .labels
            .iter()
            .any(|l| l.message == "assumed: a data protection officer is mentioned")
    );
}

#[test]
fn a_declared_fact_wins_over_the_text() {
    let dir = rule_dir(&[
        ("facts/dpo.yaml", DPO_FACT),
        ("acme/dpo-contact.yaml", DPO_RULE),
    ]);
    let yes = lint_dir(&dir, &[("dpo".into(), true)], "# P\n\nWe sell nothing.\n");
    assert_eq!(status(&yes), "fail");
    assert_eq!(yes.rules[0].note.as_deref(), Some("declared: dpo=yes"));
    let no = lint_dir(&dir, &[("dpo".into(), false)], "# P\n\nOur DPO is Ann.\n");
    assert_eq!(status(&no), "not-applicable");
    assert_eq!(no.rules[0].note.as_deref(), Some("declared: dpo=no"));
    let rules = RuleSet::load(&[], &[dir.path().to_path_buf()]).unwrap();
    let err = Linter::new(rules, "2026-11-23".parse().unwrap())
        .with_facts(&[("dpp".into(), true)])
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.starts_with("unknown fact `dpp`; the facts are: "),
        "{err}"
    );
    assert!(
        err.contains("dpo-appointed") && err.contains(", dpo"),
        "{err}"
    );
}

#[test]
fn an_unknown_fact_in_a_rule_is_a_load_error() {
    let dir = rule_dir(&[
        ("facts/dpo.yaml", DPO_FACT),
        ("acme/x.yaml", &DPO_RULE.replace("fact: dpo", "fact: dop")),
    ]);
    let err = RuleSet::load(&[], &[dir.path().to_path_buf()]).unwrap_err();
    assert!(err.to_string().contains("unknown fact `dop`"));
}

const GENERAL: &str = "title: A\nseverity: warning\nmessage: general\nreferences: [Law A]\nrequire:\n  pattern: '{duration}'\n";
const SPECIFIC: &str = "title: B\nseverity: error\nmessage: specific\nreferences: [Law B]\nsupersedes: [a/keep]\nrequire:\n  all: [{terms: [keep]}, {pattern: '{duration}'}]\n";

#[test]
fn a_superseding_rule_and_the_rule_it_supersedes_keep_their_own_outcomes() {
    let dir = rule_dir(&[("a/keep.yaml", GENERAL), ("b/keep.yaml", SPECIFIC)]);
    let rules = RuleSet::load(&[], &[dir.path().to_path_buf()]).unwrap();
    let ids: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec!["a/keep", "b/keep"]);
    assert_eq!(
        rules.superseded,
        vec![("a/keep".to_string(), "b/keep".to_string())]
    );
    // Each rule cites only its own law until their findings are merged.
    let texts = |r: &policylint::rules::Rule| -> Vec<String> {
        r.references.iter().map(|r| r.text.clone()).collect()
    };
    assert_eq!(texts(&rules.rules[0]), vec!["Law A"]);
    assert_eq!(texts(&rules.rules[1]), vec!["Law B"]);

    // The general rule is met, the specific one is not: each says so.
    let report = lint_dir(&dir, &[], "# P\n\nLogs go after 30 days.\n");
    let outcome = |id: &str| report.rules.iter().find(|o| o.rule == id).unwrap();
    assert_eq!(
        serde_json::to_value(outcome("a/keep").status).unwrap(),
        "pass"
    );
    assert_eq!(
        serde_json::to_value(outcome("b/keep").status).unwrap(),
        "fail"
    );
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].rule, "b/keep");
    assert!(report.diagnostics[0].merged.is_empty());

    // Both miss the statement: one finding, the specific rule's, citing both laws,
    // at the higher severity, naming the merged rule; both outcomes are failures.
    let report = lint_dir(&dir, &[], "# P\n\nWe like privacy.\n");
    assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
    let d = &report.diagnostics[0];
    assert_eq!(d.rule, "b/keep");
    assert_eq!(d.merged, vec!["a/keep"]);
    assert_eq!(d.severity, policylint::diagnostic::Severity::Error);
    let cited: Vec<&str> = d.references.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(cited, vec!["Law B", "Law A"]);
    assert!(d.reports("a/keep") && d.reports("b/keep"));
    let outcome = |id: &str| report.rules.iter().find(|o| o.rule == id).unwrap();
    assert_eq!(
        serde_json::to_value(outcome("a/keep").status).unwrap(),
        "fail"
    );
    assert_eq!(outcome("a/keep").merged_into.as_deref(), Some("b/keep"));
    assert_eq!(outcome("b/keep").merged_into, None);

    let bad = rule_dir(&[(
        "b/keep.yaml",
        "title: B\nseverity: error\nmessage: m\nsupersedes: [a/nope]\nrequire:\n  pattern: x\n",
    )]);
    let err = RuleSet::load(&[], &[bad.path().to_path_buf()]).unwrap_err();
    assert!(err.to_string().contains("`a/nope` is not a known rule"));
}

#[test]
fn a_gap_found_in_different_files_of_a_notice_is_one_finding() {
    let dir = rule_dir(&[
        (
            "a/keep.yaml",
            &GENERAL.replace(
                "pattern: '{duration}'",
                "pattern: '{duration}'\nsection: storage",
            ),
        ),
        (
            "b/keep.yaml",
            &SPECIFIC.replace("supersedes", "section: erasure\nsupersedes"),
        ),
    ]);
    let rules = RuleSet::load(&[], &[dir.path().to_path_buf()]).unwrap();
    let linter = Linter::new(rules, "2026-11-23".parse().unwrap());
    let doc = |text: &str| policylint::Document::parse(text.to_string(), Format::Markdown);
    // Each rule anchors its missing statement at its own section, in another file.
    let reports = linter.lint_notice(vec![
        ("a.md".into(), doc("# A\n\n## Erasure\n\nAsk us.\n")),
        ("b.md".into(), doc("# B\n\n## Storage\n\nOn servers.\n")),
    ]);
    let findings: Vec<(&str, &str, &[String])> = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics
                .iter()
                .map(move |d| (r.path.as_str(), d.rule.as_str(), d.merged.as_slice()))
        })
        .collect();
    assert_eq!(
        findings,
        vec![("a.md", "b/keep", &["a/keep".to_string()][..])]
    );
    for report in &reports {
        let general = report.rules.iter().find(|o| o.rule == "a/keep").unwrap();
        assert_eq!(
            general.merged_into.as_deref(),
            Some("b/keep"),
            "{}",
            report.path
        );
    }
}

#[test]
fn a_cycle_of_supersedes_of_any_length_is_a_load_error() {
    let rule = |next: &str| {
        format!(
            "title: T\nseverity: info\nmessage: m\nsupersedes: [{next}]\nrequire:\n  terms: [x]\n"
        )
    };
    let dir = rule_dir(&[
        ("x/a.yaml", &rule("x/b")),
        ("x/b.yaml", &rule("x/c")),
        ("x/c.yaml", &rule("x/a")),
    ]);
    let err = RuleSet::load(&[], &[dir.path().to_path_buf()]).unwrap_err();
    assert!(
        err.to_string()
            .contains("supersedes itself through a chain"),
        "{err}"
    );
}

#[test]
fn a_silenced_superseding_finding_leaves_the_other_rules_finding_in_place() {
    let dir = rule_dir(&[("a/keep.yaml", GENERAL), ("b/keep.yaml", SPECIFIC)]);
    let report = lint_dir(
        &dir,
        &[],
        "<!-- policylint-disable-file b/keep -- covered by the group policy -->\n# P\n\nWe like privacy.\n",
    );
    let rules: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.as_str()).collect();
    assert_eq!(rules, vec!["a/keep"]);
    assert!(report.diagnostics[0].merged.is_empty());
}

const SELLS_FACT: &str = "description: The business sells personal information.\ninfer:\n  terms: [we sell]\ninfer-no:\n  terms: [we do not sell]\nif-yes: the policy says personal information is sold\nif-no: the policy says personal information is not sold\nif-unknown: the policy does not say whether personal information is sold\n";
const OPT_OUT_RULE: &str = "title: Opt-out\nseverity: error\nmessage: No opt-out.\nwhen:\n  fact: sells\nrequire:\n  terms: [opt out]\n";

#[test]
fn a_fact_the_text_does_not_settle_makes_the_rule_apply_and_says_what_to_declare() {
    let dir = rule_dir(&[
        ("facts/sells.yaml", SELLS_FACT),
        ("acme/opt-out.yaml", OPT_OUT_RULE),
    ]);
    let denied = lint_dir(&dir, &[], "# P\n\nWe do not sell data.\n");
    assert_eq!(status(&denied), "not-applicable");
    assert_eq!(
        denied.rules[0].note.as_deref(),
        Some(
            "assumed: the policy says personal information is not sold (declare --fact sells=yes if that is wrong)"
        )
    );
    let silent = lint_dir(&dir, &[], "# P\n\nWe keep logs.\n");
    assert_eq!(status(&silent), "fail");
    assert_eq!(
        silent.rules[0].note.as_deref(),
        Some(
            "not known: the policy does not say whether personal information is sold, so the rule applies (declare --fact sells=yes or --fact sells=no to settle it)"
        )
    );
    assert_eq!(
        silent.diagnostics[0].message,
        "No opt-out. The rule applies because the policy does not say whether personal information is sold; declare the fact `sells` to settle it."
    );
    // A sentence that denies it is no statement that it holds, whatever words it shares.
    let denial = lint_dir(&dir, &[], "# P\n\nWe sell nothing; we do not sell data.\n");
    assert_eq!(status(&denial), "not-applicable");
    // Saying it sells wins over a denial elsewhere: the duty applies.
    let both = lint_dir(
        &dir,
        &[],
        "# P\n\nWe sell lists. We do not sell health data.\n",
    );
    assert_eq!(status(&both), "fail");
    assert!(
        both.rules[0]
            .note
            .as_deref()
            .unwrap()
            .starts_with("assumed: the policy says personal information is sold")
    );
    let declared = lint_dir(&dir, &[("sells".into(), false)], "# P\n\nWe keep logs.\n");
    assert_eq!(status(&declared), "not-applicable");

    // `if-unknown` goes with `infer-no`, and `infer-no` needs it.
    for broken in [
        SELLS_FACT.replace(
            "if-unknown: the policy does not say whether personal information is sold\n",
            "",
        ),
        SELLS_FACT.replace("infer-no:\n  terms: [we do not sell]\n", ""),
    ] {
        let dir = rule_dir(&[
            ("facts/sells.yaml", &broken),
            ("acme/opt-out.yaml", OPT_OUT_RULE),
        ]);
        let err = RuleSet::load(&[], &[dir.path().to_path_buf()]).unwrap_err();
        assert!(err.to_string().contains("if-unknown"), "{err}");
    }
}

#[test]
fn at_least_matches_where_enough_of_its_matchers_do() {
    let rule = format!(
        "{HEAD}require:\n  scope: document\n  at-least:\n    n: 2\n    of:\n      - terms: [consent]\n      - terms: [contract]\n      - terms: [legitimate interests]\n"
    );
    assert_eq!(
        status(&lint_with(&rule, "# P\n\nWe rely on your consent.\n")),
        "fail"
    );
    let report = lint_with(
        &rule,
        "# P\n\nWe rely on your consent. For orders, on our contract with you.\n",
    );
    assert_eq!(status(&report), "pass");
    // The evidence is the first of the matches.
    assert!(
        report.rules[0]
            .evidence
            .as_ref()
            .unwrap()
            .text
            .contains("consent")
    );
    let impossible = RuleSet::from_files(
        &[RuleFile::new(
            "t",
            "rule",
            "t/rule.yaml".into(),
            format!(
                "{HEAD}require:\n  at-least:\n    n: 3\n    of: [{{terms: [a]}}, {{terms: [b]}}]\n"
            ),
        )],
        &BTreeMap::new(),
    )
    .unwrap_err();
    assert!(
        impossible
            .to_string()
            .contains("`at-least` asks for 3 of 2 matchers")
    );
}

#[test]
fn references_give_their_kind_and_address_or_stand_alone() {
    let rule = format!(
        "{HEAD}references:\n  - Plain law\n  - cite: GDPR Art. 13(2)(a)\n    kind: requires\n    url: https://eur-lex.europa.eu/eli/reg/2016/679/oj\nrequire:\n  terms: [never said]\n"
    );
    let report = lint_with(&rule, "# P\n\nNothing here.\n");
    let json = serde_json::to_value(&report.diagnostics[0]).unwrap();
    assert_eq!(
        json["references"],
        serde_json::json!(["Plain law", "GDPR Art. 13(2)(a)"])
    );
    assert_eq!(
        json["citations"],
        serde_json::json!([
            {"text": "Plain law"},
            {"text": "GDPR Art. 13(2)(a)", "kind": "requires", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"}
        ])
    );
    assert_eq!(
        report.diagnostics[0].references[1].to_line(),
        "required by: GDPR Art. 13(2)(a) <https://eur-lex.europa.eu/eli/reg/2016/679/oj>"
    );
    for (bad, says) in [
        ("    kind: law\n", "kind"),
        ("    link: https://x.example\n", "link"),
    ] {
        let yaml = format!("{HEAD}references:\n  - cite: A\n{bad}require:\n  terms: [x]\n");
        let err = RuleSet::from_files(
            &[RuleFile::new("t", "rule", "t/rule.yaml".into(), yaml)],
            &BTreeMap::new(),
        )
        .unwrap_err();
        let text = format!("{:?}", miette::Report::new(err));
        assert!(
            text.contains(says) && text.contains("t/rule.yaml"),
            "{text}"
        );
    }
}

#[test]
fn metrics_report_long_sentences_hedges_and_hard_text() {
    let rule = format!(
        "{HEAD}metrics:\n  - measure: sentence-words\n    max: 12\n  - measure: term-density\n    max: 5\n    terms: [may, might]\n  - measure: flesch-kincaid-grade\n    max: 14\n"
    );
    let easy = lint_with(
        &rule,
        "# P\n\nWe keep logs for a month. You can ask us to delete them.\n",
    );
    assert_eq!(status(&easy), "pass");
    let hard = lint_with(
        &rule,
        "# P\n\nWe may, notwithstanding anything to the contrary herein, additionally process personally identifiable information for organizational purposes. It might be shared.\n",
    );
    assert_eq!(status(&hard), "fail");
    let labels: Vec<&str> = hard
        .diagnostics
        .iter()
        .map(|d| d.labels[0].message.as_str())
        .collect();
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("16 words; 1 sentence is longer than 12 words")),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.contains("per 100 words (limit 5); 2 in all")),
        "{labels:?}"
    );
    assert!(
        labels.iter().any(|l| l.starts_with("Flesch–Kincaid grade")),
        "{labels:?}"
    );
}

#[test]
fn pack_metadata_is_read_from_pack_yaml() {
    let dir = rule_dir(&[
        (
            "acme/pack.yaml",
            "version: 2.1.0\ndescription: Acme's own rules.\n",
        ),
        (
            "acme/x.yaml",
            "title: X\nseverity: info\nmessage: m\nrequire:\n  terms: [x]\n",
        ),
    ]);
    let rules = RuleSet::load(&[], &[dir.path().to_path_buf()]).unwrap();
    assert_eq!(rules.packs.len(), 1);
    assert_eq!(
        (
            rules.packs[0].name.as_str(),
            rules.packs[0].version.as_str()
        ),
        ("acme", "2.1.0")
    );
}

#[test]
fn a_pattern_alternative_that_stops_inside_a_word_gives_way_to_a_longer_one() {
    let rule = format!("{HEAD}require:\n  pattern: 'sell|sells'\n");
    assert_eq!(status(&lint_with(&rule, "We never sells data.")), "pass");
    assert_eq!(status(&lint_with(&rule, "WE NEVER SELLS DATA.")), "pass");
    // A trailing comment in verbose mode does not hide the retry's word boundary.
    let rule = format!("{HEAD}require:\n  pattern: \"(?x) sell | sells  # the verb\"\n");
    assert_eq!(status(&lint_with(&rule, "We never sells data.")), "pass");
    let rule = format!("{HEAD}require:\n  pattern: 'outside the (?:EU|European Union)'\n");
    assert_eq!(
        status(&lint_with(
            &rule,
            "We transfer data outside the European Union."
        )),
        "pass"
    );
}

#[test]
fn overlapping_forbid_matches_of_one_rule_are_one_finding() {
    let rule = format!(
        "{HEAD}forbid:\n  - pattern: '\\[[^\\]]+\\]'\n    message: brackets\n  - pattern: '(?-i:INSERT)'\n    message: insert\n"
    );
    let report = lint_with(&rule, "# P\n\nWrite to [INSERT EMAIL]. Or INSERT here.\n");
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    // The bracketed placeholder once, and the separate INSERT after it.
    assert_eq!(messages, ["brackets", "insert"]);
    assert_eq!(quoted(&report, 0), "[INSERT EMAIL]");
    assert_eq!(quoted(&report, 1), "INSERT");
}

#[test]
fn a_match_that_would_run_into_the_next_sentence_is_sought_inside_its_own() {
    // From "help", the first alternative runs on into the next sentence to reach
    // "today"; inside the first sentence the second alternative still finds the
    // address, and the next sentence is searched too.
    let rule = format!(
        "{HEAD}forbid:\n  - pattern: '\\w+\\(at\\)\\w+\\(dot\\)com[^\\n]*?today|\\w+\\(at\\)\\w+\\(dot\\)com'\n    message: disguised\n"
    );
    let report = lint_with(
        &rule,
        "# P\n\nWrite to help(at)example(dot)com. Or to sales(at)example(dot)com today.\n",
    );
    let quotes: Vec<&str> = (0..report.diagnostics.len())
        .map(|i| quoted(&report, i))
        .collect();
    assert_eq!(
        quotes,
        ["help(at)example(dot)com", "sales(at)example(dot)com today"]
    );
}
