//! Legal probes for the core, CalOPPA and COPPA packs: each a sentence or two of our
//! own, with the provision it tests named in the test, and the outcome the law asks
//! for (pass, fail or not applicable). The review behind them is in
//! docs/legal.md.

mod common;

use policylint::diagnostic::{Reference, ReferenceKind};
use policylint::{FileReport, Format, RuleSet, Severity};

use common::{linter_with as linter, note};

fn lint(packs: &[&str], text: &str) -> FileReport {
    linter(packs, &[]).lint("probe.md", text.to_string(), Format::Markdown)
}

fn lint_with(packs: &[&str], facts: &[(&str, bool)], text: &str) -> FileReport {
    linter(packs, facts).lint("probe.md", text.to_string(), Format::Markdown)
}

/// The findings that report `rule` (its own, or merged into another's).
fn findings<'a>(report: &'a FileReport, rule: &str) -> Vec<&'a policylint::Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.reports(rule))
        .collect()
}

/// The line of the source a finding starts on.
fn finding_line<'a>(report: &'a FileReport, d: &policylint::Diagnostic) -> &'a str {
    common::line_at(&report.source, d.span.bytes.start)
}

// ---------------------------------------------------------------------------
// core/retention-period and core/vague-retention: does the policy give the period?

const RETENTION: &[&str] = &["core"];

/// GDPR Art. 13(2)(a) asks for the period or the criteria. A policy that gives a
/// period for some data passes; the vague sentence beside it is its own finding.
#[test]
fn gdpr_13_2_a_a_period_and_a_vague_sentence_pass_and_the_vague_sentence_is_flagged() {
    let text = "# Privacy\n\nChat transcripts are deleted after 90 days.\n\nWe keep all other data for as long as necessary to provide the service.\n";
    let report = lint(RETENTION, text);
    assert_eq!(common::status(&report, "core/retention-period"), "pass");
    assert_eq!(common::status(&report, "core/vague-retention"), "fail");
    let vague = findings(&report, "core/vague-retention");
    assert_eq!(vague.len(), 1, "{vague:?}");
    assert!(
        finding_line(&report, vague[0]).contains("as long as necessary"),
        "{:?}",
        finding_line(&report, vague[0])
    );
    assert_eq!(vague[0].severity, Severity::Warning);
}

/// GDPR Art. 13(2)(a), WP260 rev.01 Annex: a lone "as long as necessary" gives
/// neither period nor criteria; the requirement fails at that sentence, once.
#[test]
fn gdpr_13_2_a_only_a_vague_sentence_fails_the_requirement_at_that_sentence() {
    let text = "# Privacy\n\nWe collect your email address.\n\nWe keep your information for as long as necessary to fulfil the purposes described here.\n";
    let report = lint(RETENTION, text);
    assert_eq!(common::status(&report, "core/retention-period"), "fail");
    assert_eq!(
        common::status(&report, "core/vague-retention"),
        "not-applicable"
    );
    let missing = findings(&report, "core/retention-period");
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(finding_line(&report, missing[0]).contains("as long as necessary"));
    // One problem, one finding at that sentence.
    assert_eq!(
        report
            .diagnostics
            .iter()
            .filter(|d| finding_line(&report, d).contains("as long as necessary"))
            .count(),
        1
    );
}

/// GDPR Art. 13(2)(a) and CCPA §1798.100(a)(3): "the criteria used to determine
/// that period" count when the reader can apply them (the event that ends
/// retention, the limitation period); a list of kinds of data with their periods is
/// a retention statement. WP260 rev.01 Annex: the reader must be able to work out
/// the period for their own situation, so a list of the factors the company weighs
/// ("amount, nature and sensitivity") is not.
#[test]
fn gdpr_13_2_a_criteria_and_ending_events_are_a_retention_statement() {
    for text in [
        "We keep your profile while your account is active and delete it when you close your account.",
        "To set the retention period we consider the purposes and the statutory limitation periods for claims.",
        "We use the friend's address only to send the card and delete it once the card has been sent.",
        "If you leave a comment, the comment and its metadata are retained indefinitely.",
        "# Retention\n\nInvoices: 10 years. Account data: until account deletion. Server logs: 7 days.",
        "# How long we keep data\n\n- Support tickets: 2 years after closing\n- Backups: 30 days\n",
    ] {
        let report = lint(RETENTION, text);
        assert_eq!(
            common::status(&report, "core/retention-period"),
            "pass",
            "{text}"
        );
    }
    for text in [
        "We do not store your payment card details.",
        "If we learn that a child under 13 has given us personal data, we will delete it.",
        "Cookies expire after 2 years.",
        "We will respond to requests to our privacy officer about retention within 30 days.",
        "To determine the retention period, we consider the amount, nature and sensitivity of the data and the purposes for which we process it.",
        "# Cookies\n\nPreference cookie data: 1 year.",
    ] {
        let report = lint(RETENTION, text);
        assert_eq!(
            common::status(&report, "core/retention-period"),
            "fail",
            "{text}"
        );
    }
}

/// The two rules must agree on what a period or a criterion is: core/vague-retention
/// repeats core/retention-period's `require` as its `when`.
#[test]
fn vague_retention_applies_exactly_where_retention_period_is_met() {
    let read = |name: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(common::repo().join("rules/core").join(name)).unwrap();
        serde_saphyr::from_str(&text).unwrap()
    };
    let period = read("retention-period.yaml");
    let vague = read("vague-retention.yaml");
    assert_eq!(period["require"], vague["when"]);
}

// ---------------------------------------------------------------------------
// CalOPPA, Cal. Bus. & Prof. Code §22575(b)

const CALOPPA: &[&str] = &["core", "caloppa"];

/// §22575(b)(5): the Do Not Track disclosure is owed "if the operator engages in
/// that collection". A site that says it tracks no one across sites does not fail.
#[test]
fn caloppa_22575_b5_no_tracking_across_sites_means_do_not_track_does_not_fail() {
    let report = lint(
        CALOPPA,
        "We collect your email address to send receipts. We do not track visitors over time or across third-party websites, and we do not allow other companies to do so.",
    );
    assert_eq!(
        common::status(&report, "caloppa/do-not-track"),
        "not-applicable"
    );
    assert!(
        note(&report, "caloppa/do-not-track").contains("tracks-across-sites"),
        "{}",
        note(&report, "caloppa/do-not-track")
    );
    assert!(findings(&report, "caloppa/do-not-track").is_empty());
}

/// §22575(b)(5): a site that tracks across sites must say how it answers the signal.
#[test]
fn caloppa_22575_b5_interest_based_ads_without_a_dnt_answer_fail() {
    let report = lint(
        CALOPPA,
        "Our advertising partners use cookies to show you interest-based ads on other websites.",
    );
    assert_eq!(common::status(&report, "caloppa/do-not-track"), "fail");
    let answered = lint(
        CALOPPA,
        "Our advertising partners use cookies to show you interest-based ads on other websites. We do not respond to Do Not Track signals.",
    );
    assert_eq!(common::status(&answered, "caloppa/do-not-track"), "pass");
}

/// §22575(b)(5): silence about tracking does not excuse the duty; the rule runs and
/// says which fact settles it. Declared "no", it does not apply.
#[test]
fn caloppa_22575_b5_silence_runs_the_rule_and_names_the_fact_to_declare() {
    let text = "We collect your email address to send receipts.";
    let report = lint(CALOPPA, text);
    assert_eq!(common::status(&report, "caloppa/do-not-track"), "fail");
    let said = findings(&report, "caloppa/do-not-track")
        .iter()
        .map(|d| {
            d.labels
                .iter()
                .map(|l| l.message.clone())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        said.contains("tracks-across-sites")
            || note(&report, "caloppa/do-not-track").contains("tracks-across-sites"),
        "{said}"
    );
    let declared = lint_with(CALOPPA, &[("tracks-across-sites", false)], text);
    assert_eq!(
        common::status(&declared, "caloppa/do-not-track"),
        "not-applicable"
    );
}

/// §22575(b)(2): the review process is described only "if the operator maintains" one;
/// a site without accounts, profiles or any access or correction is not asked.
#[test]
fn caloppa_22575_b2_no_accounts_means_no_review_process_is_asked_for() {
    let report = lint(
        CALOPPA,
        "This site shows our opening hours. We read the e-mails you send us and answer them.",
    );
    assert_eq!(
        common::status(&report, "caloppa/review-process"),
        "not-applicable"
    );
    let accounts = lint(
        CALOPPA,
        "Create an account to save your favourites. We collect your email address.",
    );
    assert_eq!(common::status(&accounts, "caloppa/review-process"), "fail");
}

/// §22575(b) lists seven items; none of them is the operator's contact details, so
/// core/contact must not cite it.
#[test]
fn caloppa_22575_b_does_not_ask_for_contact_details() {
    let rules = RuleSet::load(&["core".to_string()], &[]).unwrap();
    let contact = rules.get("core/contact").unwrap();
    assert!(
        contact.references.iter().all(|r| !r.text.contains("22575")),
        "{:?}",
        contact.references
    );
}

/// Cal. Bus. & Prof. Code §22581: minors who can post are told how to remove what
/// they posted; a note, since the duty depends on facts the policy may not show.
#[test]
fn caloppa_22581_minors_who_post_are_told_how_to_remove_it_as_a_note() {
    let report = lint(
        CALOPPA,
        "Teens under 18 may join our forums and post reviews. We moderate posts for spam.",
    );
    assert_eq!(
        common::status(&report, "caloppa/minors-content-removal"),
        "fail"
    );
    assert!(
        findings(&report, "caloppa/minors-content-removal")
            .iter()
            .all(|d| d.severity == Severity::Info)
    );
    let adults = lint(CALOPPA, "You must be 18 or older to use this service.");
    assert_eq!(
        common::status(&adults, "caloppa/minors-content-removal"),
        "not-applicable"
    );
}

// ---------------------------------------------------------------------------
// COPPA, 16 C.F.R. Part 312 as amended in 2025

const COPPA: &[&str] = &["core", "coppa"];

/// §312.2 "operator", §312.3: the duties that follow from collecting personal
/// information from children do not bind a child-directed service that collects none.
#[test]
fn coppa_312_3_a_childrens_service_that_collects_nothing_fails_no_operator_duty() {
    let report = lint(
        COPPA,
        "Our drawing app is designed for children aged 4 to 8. We do not collect any personal information from children: drawings stay on the device.",
    );
    for rule in [
        "coppa/parental-consent",
        "coppa/parental-rights",
        "coppa/retention-policy",
        "coppa/operator-contact",
        "coppa/use-and-disclosure",
        "coppa/separate-disclosure-consent",
    ] {
        assert_eq!(common::status(&report, rule), "not-applicable", "{rule}");
        assert!(
            note(&report, rule).contains("collects-from-children"),
            "{rule}"
        );
    }
    // §312.4(d)(2): "what information the operator collects": none is an answer.
    assert_ne!(
        common::status(&report, "coppa/information-collected"),
        "fail"
    );
}

/// §312.3: a service for children that does not say what it collects is not excused;
/// the rules run and say which fact to declare.
#[test]
fn coppa_312_3_a_childrens_service_silent_on_collection_is_checked_and_told_the_fact() {
    let report = lint(
        COPPA,
        "Our puzzle app is designed for children aged 6 to 12. Have fun!",
    );
    assert_eq!(common::status(&report, "coppa/operator-contact"), "fail");
    assert!(
        note(&report, "coppa/operator-contact").contains("collects-from-children"),
        "{}",
        note(&report, "coppa/operator-contact")
    );
}

/// A general-audience site that does not knowingly collect from children is not
/// bound by the operator duties either.
#[test]
fn coppa_312_2_a_general_audience_site_is_not_an_operator_for_children() {
    let report = lint(
        COPPA,
        "We sell garden tools. Our site is not directed to children, and we do not knowingly collect personal information from children under 13.",
    );
    for rule in [
        "coppa/operator-contact",
        "coppa/parental-rights",
        "coppa/retention-policy",
        "coppa/information-collected",
    ] {
        assert_eq!(common::status(&report, rule), "not-applicable", "{rule}");
    }
}

/// §312.5(c)(7): a persistent identifier collected only to support internal operations
/// needs no prior consent; relying on that exception is not an error.
#[test]
fn coppa_312_5_c_7_internal_operations_exception_is_not_a_consent_error() {
    let report = lint(
        COPPA,
        "This game is made for kids under 13. We collect only a persistent identifier, a device ID, to support the internal operations of the game, such as saving progress and keeping the app secure. We do not use it for behavioral advertising, to build a profile or to contact a child.",
    );
    assert_eq!(common::status(&report, "coppa/parental-consent"), "pass");
    assert!(
        findings(&report, "coppa/parental-consent")
            .iter()
            .all(|d| d.severity != Severity::Error)
    );
}

/// §312.4(d) does not list the consent method (§312.5 is the operator's duty, told to
/// the parent in the direct notice): a missing method is a note, never an error.
#[test]
fn coppa_312_4_d_the_consent_method_is_good_practice_not_a_notice_error() {
    let report = lint(
        COPPA,
        "Our app is designed for children aged 6 to 12. When a child signs up we collect a nickname. Parents must consent before their child can play.",
    );
    assert_eq!(common::status(&report, "coppa/parental-consent"), "fail");
    let found = findings(&report, "coppa/parental-consent");
    assert!(!found.is_empty());
    assert!(found.iter().all(|d| d.severity == Severity::Info));
    let rules = RuleSet::load(&["coppa".to_string()], &[]).unwrap();
    let consent = rules.get("coppa/parental-consent").unwrap();
    assert!(
        consent
            .references
            .iter()
            .all(|r| r.kind == Some(ReferenceKind::Practice))
    );
}

/// §312.10 and §312.4(d)(2) as amended: the retention policy gives the business need
/// and a timeframe for deletion, and never "indefinitely".
#[test]
fn coppa_312_10_retention_needs_a_reason_and_a_deletion_timeframe() {
    let base = "Our app is designed for children aged 6 to 12. When a child signs up we collect a nickname.";
    let no_reason = lint(
        COPPA,
        &format!("{base} Accounts are deleted after 12 months of inactivity."),
    );
    assert_eq!(common::status(&no_reason, "coppa/retention-policy"), "fail");
    let both = lint(
        COPPA,
        &format!(
            "{base} We keep a child's progress while the account is open, to let the child continue the game. We delete it within 30 days after the parent closes the account."
        ),
    );
    assert_eq!(common::status(&both, "coppa/retention-policy"), "pass");
    let forever = lint(
        COPPA,
        &format!("{base} We may retain children's information indefinitely for research."),
    );
    assert_eq!(
        common::status(&forever, "coppa/indefinite-retention"),
        "fail"
    );
}

/// §312.5(a)(2) as amended: disclosure to third parties that is not integral to the
/// service needs a separate consent; saying so in the policy is good practice (info).
#[test]
fn coppa_312_5_a_2_disclosure_to_advertisers_without_separate_consent_is_noted() {
    let base = "This game is made for kids under 13. When a child signs up we collect a nickname.";
    let report = lint(
        COPPA,
        &format!("{base} We share children's information with advertising partners."),
    );
    assert_eq!(
        common::status(&report, "coppa/separate-disclosure-consent"),
        "fail"
    );
    assert!(
        findings(&report, "coppa/separate-disclosure-consent")
            .iter()
            .all(|d| d.severity == Severity::Info)
    );
    let separate = lint(
        COPPA,
        &format!(
            "{base} A parent can consent to the collection and use of the child's information without consenting to its disclosure to advertising partners; we ask for that separately."
        ),
    );
    assert_eq!(
        common::status(&separate, "coppa/separate-disclosure-consent"),
        "pass"
    );
}

/// §312.4(d) as amended: the persistent-identifier item ((d)(3) in the amended text)
/// and the audio-file item ((d)(4)) apply where the policy says it relies on them.
#[test]
fn coppa_312_4_d_2025_items_for_identifiers_and_audio_apply_when_mentioned() {
    let ids = lint(
        COPPA,
        "This game is made for kids under 13. We collect persistent identifiers to support the internal operations of the game.",
    );
    assert_eq!(common::status(&ids, "coppa/persistent-identifiers"), "fail");
    let audio = lint(
        COPPA,
        "This game is made for kids under 13. When a child asks the app a question out loud, we use the voice recording only to answer it, and we delete the recording immediately afterwards.",
    );
    assert_eq!(common::status(&audio, "coppa/audio-files"), "pass");
    let neither = lint(COPPA, "This game is made for kids under 13. Have fun!");
    assert_eq!(
        common::status(&neither, "coppa/persistent-identifiers"),
        "not-applicable"
    );
    assert_eq!(
        common::status(&neither, "coppa/audio-files"),
        "not-applicable"
    );
}

/// §312.4(d) as amended: the parents' review-and-delete item is no longer (d)(3).
#[test]
fn coppa_312_4_d_parents_rights_are_not_cited_as_d_3() {
    let rules = RuleSet::load(&["coppa".to_string()], &[]).unwrap();
    let rights = rules.get("coppa/parental-rights").unwrap();
    assert!(
        rights
            .references
            .iter()
            .all(|r| !r.text.starts_with("16 C.F.R. §312.4(d)(3)")),
        "{:?}",
        rights.references
    );
    assert!(rights.references.iter().any(|r| r.text.contains("(d)(5)")));
}

// ---------------------------------------------------------------------------
// References: what each provision asks of the notice

fn refs(pack: &str, id: &str) -> Vec<Reference> {
    let rules = RuleSet::load(&[pack.to_string()], &[]).unwrap();
    rules.get(id).unwrap().references.clone()
}

/// GDPR Art. 5(1)(f) and 32, 16 C.F.R. §312.8, Cal. Civ. Code §1798.81.5(b) require
/// security, not a description of it: cited as good practice, and the help says so.
#[test]
fn security_laws_are_cited_as_good_practice_not_a_notice_duty() {
    let security = refs("core", "core/security");
    assert!(
        security
            .iter()
            .all(|r| r.kind == Some(ReferenceKind::Practice))
    );
    let rules = RuleSet::load(&["core".to_string()], &[]).unwrap();
    let help = rules.get("core/security").unwrap().help.clone().unwrap();
    assert!(help.contains("good practice"), "{help}");
}

/// GDPR Art. 13(3) and 14(4) are about further processing for a new purpose, not
/// about notice of changes to the policy.
#[test]
fn gdpr_13_3_is_not_cited_for_changes_to_the_policy() {
    for id in ["core/change-notice", "core/policy-changes"] {
        assert!(
            refs("core", id).iter().all(|r| !r.text.contains("13(3)")),
            "{id}"
        );
    }
}

/// WP260 rev.01 is an Article 29 Working Party guideline that the EDPB endorsed.
#[test]
fn wp260_is_named_as_an_article_29_working_party_guideline() {
    for id in [
        "core/last-updated",
        "core/retention-period",
        "core/change-notice",
    ] {
        let wp260: Vec<_> = refs("core", id)
            .into_iter()
            .filter(|r| r.text.contains("WP260"))
            .collect();
        assert!(!wp260.is_empty(), "{id}");
        for r in wp260 {
            assert!(
                r.text.contains("Article 29 Working Party") && !r.text.contains("EDPB Guidelines"),
                "{id}: {}",
                r.text
            );
        }
    }
}

/// GDPR Art. 13(1)(e) allows categories of recipients and CalOPPA §22575(b)(6) asks
/// only whether others track: naming the analytics provider is good practice (info).
#[test]
fn naming_the_analytics_provider_is_good_practice() {
    let rules = RuleSet::load(&["core".to_string()], &[]).unwrap();
    let rule = rules.get("core/analytics-provider").unwrap();
    assert_eq!(rule.severity, Severity::Info);
    assert!(
        rule.references
            .iter()
            .all(|r| r.kind == Some(ReferenceKind::Practice))
    );
    assert!(
        rule.help
            .as_deref()
            .unwrap()
            .contains("categories of recipients")
    );
}

/// Every reference of the core, CalOPPA and COPPA rules says what kind of authority it
/// is and where to read it.
#[test]
fn every_reference_has_a_kind_and_an_official_address() {
    let packs: Vec<String> = ["core", "caloppa", "coppa"]
        .iter()
        .map(|p| p.to_string())
        .collect();
    let rules = RuleSet::load(&packs, &[]).unwrap();
    for rule in &rules.rules {
        assert!(!rule.references.is_empty(), "{}", rule.id);
        for r in &rule.references {
            assert!(r.kind.is_some(), "{}: {}", rule.id, r.text);
            let url = r
                .url
                .as_deref()
                .unwrap_or_else(|| panic!("{}: {}", rule.id, r.text));
            let official = [
                "https://eur-lex.europa.eu/",
                "https://leginfo.legislature.ca.gov/",
                "https://cppa.ca.gov/",
                "https://www.ecfr.gov/",
                "https://ec.europa.eu/",
                "https://edpb.europa.eu/",
                "https://marketingplatform.google.com/",
                "https://www.ftc.gov/",
            ];
            assert!(
                official.iter().any(|o| url.starts_with(o)),
                "{}: {url}",
                rule.id
            );
        }
    }
}

// ---------------------------------------------------------------------------
// False alarms in core, CalOPPA and COPPA found on real wording.

const ALL_US: &[&str] = &["core", "caloppa", "coppa"];

/// GDPR Art. 13(2)(b) (core cites it) and CCPA §1798.130(a)(5)(A): rights named as
/// nouns or in a list are a way to see, correct and delete one's data.
#[test]
fn core_rights_named_as_nouns_or_in_a_list_are_access_correction_and_deletion() {
    for text in [
        "You can ask us for access to, correction or deletion of your data.",
        "You have the right to access your data and to have it rectified or erased.",
        "Members have the right of access (Art. 15), rectification (Art. 16) and erasure (Art. 17).",
    ] {
        let report = lint(&["core"], text);
        for rule in ["core/user-access", "core/user-edit", "core/user-deletion"] {
            assert_eq!(common::status(&report, rule), "pass", "{rule}: {text}");
        }
    }
}

/// COPPA §312.6(a) in a children's notice: the parent who can review the child's data
/// and have it deleted is the user told how.
#[test]
fn core_a_parent_who_can_review_and_delete_the_childs_data_is_told_how() {
    let report = lint(
        &["core"],
        "A parent can review the child's information and have it deleted at any time by emailing privacy@example.com.",
    );
    assert_eq!(common::status(&report, "core/user-access"), "pass");
    assert_eq!(common::status(&report, "core/user-deletion"), "pass");
    // deletion on discovery is not a way for anyone to delete their data
    let found = lint(
        &["core"],
        "If we learn that we have collected data from a child under 13, we will delete it.",
    );
    assert_eq!(common::status(&found, "core/user-deletion"), "fail");
}

/// A service that collects no personal data owes no retention period, security
/// description, sharing statement or access, correction and deletion process
/// (GDPR Art. 13 and CalOPPA §22575 apply to personal data collected).
#[test]
fn core_a_service_that_collects_no_personal_data_owes_none_of_the_data_duties() {
    let report = lint(
        ALL_US,
        "# Privacy for Tile Town\n\nTile Town is a puzzle game for children. We do not collect any personal information. The game has no accounts, no chat, no advertising and no analytics. Nothing a child does in the game leaves the device.\n",
    );
    for rule in [
        "core/retention-period",
        "core/security",
        "core/user-access",
        "core/user-edit",
        "core/user-deletion",
        "core/third-party-sharing",
        "caloppa/third-parties",
    ] {
        assert_eq!(common::status(&report, rule), "not-applicable", "{rule}");
        assert!(
            note(&report, rule).contains("collects-personal-data"),
            "{rule}"
        );
    }
    assert_eq!(
        common::status(&report, "core/analytics-provider"),
        "not-applicable"
    );
    // a policy that collects data is checked
    let collects = lint(
        &["core"],
        "We collect your email address to send you receipts.",
    );
    assert_eq!(common::status(&collects, "core/security"), "fail");
}

/// "Puzzle Pals is a game for children": the service is directed to children (COPPA
/// §312.2), and core/children hears who it is meant for.
#[test]
fn coppa_312_2_a_game_for_children_is_directed_to_children() {
    let report = lint(
        COPPA,
        "# Privacy\n\nTile Town is a puzzle game for children. We care about children's privacy.\n",
    );
    assert_eq!(
        common::status(&report, "coppa/information-collected"),
        "fail"
    );
    assert_eq!(common::status(&report, "core/children"), "pass");
    let shop = lint(
        &["core"],
        "Our shop is a toy shop for children; kids can put toys on a wish list.",
    );
    assert_eq!(common::status(&shop, "core/children"), "pass");
}

/// A denial of analytics is not a use of analytics.
#[test]
fn core_a_denial_of_analytics_does_not_ask_for_a_provider() {
    for text in [
        "# Privacy\n\n## Analytics\n\nWe do not use any analytics tools.\n",
        "# Privacy\n\nThe app has no advertising and no analytics.\n",
    ] {
        let report = lint(&["core"], text);
        assert_eq!(
            common::status(&report, "core/analytics-provider"),
            "not-applicable",
            "{text}"
        );
    }
}

/// CalOPPA §22575(b)(3) and core: material changes announced to parents say the
/// policy may change.
#[test]
fn core_material_changes_announced_say_the_policy_may_change() {
    let report = lint(
        &["core"],
        "If we make material changes, we will tell parents by email before they take effect.",
    );
    assert_eq!(common::status(&report, "core/policy-changes"), "pass");
}

/// CalOPPA §22575(b)(1): recipients named with what they do, or a processor named
/// by its kind and working on the operator's behalf, name the categories.
#[test]
fn caloppa_22575_b1_recipients_named_by_kind_or_name_pass() {
    for text in [
        "We collect your email address. Our web host, Example Hosting GmbH, processes data on our behalf.",
        "We collect your address. Your data is passed to PayPal (payments) and to our shipping carrier.",
        "We collect your email address. Our email service provider, Mailchimp, sends the newsletter for us.",
        "We keep patient records. Your records are shared with the laboratories that test your samples and with your health insurer for billing.",
    ] {
        let report = lint(CALOPPA, text);
        assert_eq!(
            common::status(&report, "caloppa/third-parties"),
            "pass",
            "{text}"
        );
    }
}

/// CalOPPA §22575(b)(6): "no third party can track you on our site" answers whether
/// others may track.
#[test]
fn caloppa_22575_b6_no_third_party_can_track_you_answers_the_question() {
    let report = lint(
        CALOPPA,
        "We collect your email address. We use no cookies, and no third party can track you on our site.",
    );
    assert_eq!(
        common::status(&report, "caloppa/third-party-tracking"),
        "pass"
    );
}

/// CalOPPA §22575(b)(2): a right of access and rectification, or a parent's review of
/// the child's information, is a process to review and request changes.
#[test]
fn caloppa_22575_b2_rights_of_access_and_a_parents_review_are_a_process() {
    for text in [
        "Register to order. You have the right to access your data and to have it rectified.",
        "Members log in to see match reports. Members have the right of access, rectification and erasure.",
        "Create an account to play. A parent can review the child's information and have it deleted by emailing us.",
    ] {
        let report = lint(CALOPPA, text);
        assert_eq!(
            common::status(&report, "caloppa/review-process"),
            "pass",
            "{text}"
        );
    }
}

/// CalOPPA §22575(b)(1): data processed names what is collected.
#[test]
fn caloppa_22575_b1_data_processed_names_the_categories_collected() {
    let report = lint(
        CALOPPA,
        "We process your application (name, contact details, certificates, grades) to decide on your admission.",
    );
    assert_eq!(
        common::status(&report, "caloppa/categories-collected"),
        "pass"
    );
}

/// The CalOPPA pack also holds §22581 (minors), which is not CalOPPA; statutory
/// provisions that define what the notice must describe are cited as requirements.
#[test]
fn caloppa_pack_names_22581_and_statutory_definitions_are_requirements() {
    let pack = std::fs::read_to_string(common::repo().join("rules/caloppa/pack.yaml")).unwrap();
    assert!(pack.contains("§22581"));
    for (pack, id, cite) in [
        ("caloppa", "caloppa/categories-collected", "§22577(a)"),
        ("coppa", "coppa/audio-files", "§312.5(c)(9)"),
        ("coppa", "coppa/parental-rights", "§312.6(a)"),
        ("coppa", "coppa/persistent-identifiers", "§312.2"),
    ] {
        let r = refs(pack, id);
        let found = r.iter().find(|r| r.text.contains(cite)).expect(cite);
        assert_eq!(found.kind, Some(ReferenceKind::Requires), "{id} {cite}");
    }
}
