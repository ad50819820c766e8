//! Legal probes for the ccpa pack: short policies of our own, each testing one
//! condition of the CCPA (Cal. Civ. Code §1798.100 et seq.) or its regulations
//! (Cal. Code Regs. tit. 11, §7000 et seq.), with the provision named in the test.
//! Each probe asserts what a lawyer reading the text would conclude: the rule
//! passes, fails, or does not apply.

mod common;

use policylint::{FileReport, Format};

fn lint_with(text: &str, facts: &[(&str, bool)]) -> FileReport {
    common::linter_with(&["ccpa"], facts).lint("probe.md", text.to_string(), Format::Markdown)
}

fn lint(text: &str) -> FileReport {
    lint_with(text, &[])
}

/// The status of `rule` on `text`, with the outcome's note in the failure message.
fn status(report: &FileReport, rule: &str) -> String {
    common::status(report, rule)
}

use common::note;

#[track_caller]
fn assert_status(text: &str, rule: &str, want: &str) {
    let report = lint(text);
    assert_eq!(
        status(&report, rule),
        want,
        "{rule} on {text:?} (note: {})",
        note(&report, rule)
    );
}

// --- Opt-out of sale or sharing: §7011(e)(2)(D), §7011(e)(3)(F), §7025 ---

#[test]
fn s7011_e3f_and_7025_a_business_that_neither_sells_nor_shares_gets_no_opt_out_signal_error() {
    let text = "We do not sell or share your personal information, and we have not done so \
                in the past 12 months.";
    assert_status(text, "ccpa/opt-out-signal", "not-applicable");
    assert_status(text, "ccpa/right-to-opt-out", "not-applicable");
    assert_status(text, "ccpa/opt-out-of-sharing", "not-applicable");
    assert_status(text, "ccpa/minors-under-16", "not-applicable");
    // Declared, the same.
    let report = lint_with("We value your privacy.", &[("sells-or-shares", false)]);
    assert_eq!(status(&report, "ccpa/opt-out-signal"), "not-applicable");
}

#[test]
fn s7011_e2d_a_business_that_sells_but_does_not_share_and_describes_the_opt_out_of_sale_passes() {
    let text = "We sell the names and postal addresses of our customers to catalog companies. \
                We do not share personal information for cross-context behavioral advertising. \
                You have the right to opt out of the sale of your personal information: click \
                \"Do Not Sell My Personal Information\" at the bottom of any page.";
    assert_status(text, "ccpa/right-to-opt-out", "pass");
    // No sharing, so no opt-out of sharing is owed.
    assert_status(text, "ccpa/opt-out-of-sharing", "not-applicable");
}

#[test]
fn s7011_e2d_a_business_that_shares_must_say_the_opt_out_covers_sharing() {
    let text = "We allow advertising networks to collect cookie identifiers on our site for \
                interest-based advertising. You can opt out of the sale of your personal \
                information by emailing privacy@example.com.";
    // The opt-out is explained (the annotated item) ...
    assert_status(text, "ccpa/right-to-opt-out", "pass");
    // ... but not for sharing, which the CPRA added.
    assert_status(text, "ccpa/opt-out-of-sharing", "fail");
}

#[test]
fn s7011_e2d_an_opt_out_of_marketing_emails_is_not_the_opt_out_of_sale() {
    let text = "We sell email addresses to marketing partners. You may opt out of our \
                marketing emails at any time.";
    assert_status(text, "ccpa/right-to-opt-out", "fail");
}

#[test]
fn s7011_e2d_silence_on_selling_leaves_the_fact_unknown_and_says_what_to_declare() {
    let report = lint("We use cookies to remember your preferences.");
    assert_eq!(status(&report, "ccpa/right-to-opt-out"), "fail");
    let note = note(&report, "ccpa/right-to-opt-out");
    assert!(note.starts_with("not known: "), "{note}");
    assert!(note.contains("--fact sells-or-shares=no"), "{note}");
}

#[test]
fn s7011_e1d_a_sale_denial_alone_answers_sale_but_not_sharing() {
    let text = "We do not sell your personal information.";
    assert_status(text, "ccpa/sold-shared", "pass");
    assert_status(text, "ccpa/shared-for-advertising", "fail");
}

// --- Categories collected and sources: §7011(e)(1)(A)–(B), §7001(e) ---

#[test]
fn s7011_e1a_categories_listed_without_identifiers_pass() {
    let text = "## Information we collect\n\nThese are the categories of personal data we \
                may collect: usage data, device information and the email address you give \
                us.";
    assert_status(text, "ccpa/categories-collected", "pass");
    // Statutory names without "identifiers" also meet the naming rule.
    let text = "## Categories we collect\n\n- Commercial information, such as your orders.\n\
                - Internet or other electronic network activity information, such as pages \
                you view.";
    assert_status(text, "ccpa/categories-collected", "pass");
    assert_status(text, "ccpa/category-names", "pass");
}

#[test]
fn s7011_e1a_own_groupings_pass_the_item_and_get_the_naming_finding() {
    let text = "## Information we collect\n\nWe collect account data, usage data and device \
                data, such as your IP address.";
    assert_status(text, "ccpa/categories-collected", "pass");
    assert_status(text, "ccpa/category-names", "fail");
}

#[test]
fn s7001e_directly_from_you_is_a_category_of_sources() {
    let text = "We collect personal information directly from you when you create an \
                account.";
    assert_status(text, "ccpa/sources", "pass");
    assert_status(
        "We may combine data with information from various sources.",
        "ccpa/sources",
        "fail",
    );
}

// --- Sensitive personal information: §7011(e)(1)(K), §7011(e)(2)(E), §7027(m) ---

#[test]
fn s7011_e1k_a_statement_on_sensitive_personal_information_is_present() {
    let text = "We use sensitive personal information only to provide the services you \
                request and to keep your account secure; we do not use it to infer \
                characteristics about you.";
    assert_status(text, "ccpa/sensitive-data-use", "pass");
    // Used only for the permitted purposes: no right to limit is owed.
    assert_status(text, "ccpa/right-to-limit", "not-applicable");
    assert_status(
        "We do not collect sensitive personal information.",
        "ccpa/sensitive-data-use",
        "pass",
    );
}

#[test]
fn s7011_e1k_a_statement_on_sensitive_personal_information_is_absent() {
    let text = "## Categories\n\nWe collect identifiers and sensitive personal information \
                (your account log-in and password).";
    assert_status(text, "ccpa/sensitive-data-use", "fail");
}

#[test]
fn s7011_e2e_use_beyond_the_permitted_purposes_needs_the_right_to_limit() {
    let text = "We use precise geolocation, which is sensitive personal information, to \
                show you personalized ads.";
    assert_status(text, "ccpa/right-to-limit", "fail");
    let text = format!(
        "{text} You have the right to limit our use of your sensitive personal information."
    );
    assert_status(&text, "ccpa/right-to-limit", "pass");
}

// --- Financial incentives: §7016, Civ. Code §1798.125(b) ---

#[test]
fn s7016_a_loyalty_program_without_its_notice_of_financial_incentive_fails() {
    let text = "Join our loyalty program to earn points on every purchase; we use your \
                purchase history to send you offers.";
    let report = lint(text);
    assert_eq!(status(&report, "ccpa/financial-incentive"), "fail");
    assert!(note(&report, "ccpa/financial-incentive").starts_with("assumed: "));
}

#[test]
fn s7016_a_loyalty_program_with_its_notice_of_financial_incentive_passes() {
    let text = "Members of our rewards program give us their email address and purchase \
                history. Notice of financial incentive: we estimate the value of a member's \
                data at about $5 a year, which equals the rewards we give. You may withdraw \
                at any time.";
    assert_status(text, "ccpa/financial-incentive", "pass");
}

#[test]
fn s7016_no_program_no_notice_needed() {
    assert_status(
        "We collect your name and email address to send you receipts.",
        "ccpa/financial-incentive",
        "not-applicable",
    );
    assert_status(
        "We do not offer loyalty programs or other financial incentives.",
        "ccpa/financial-incentive",
        "not-applicable",
    );
    // A general mention of what the law permits describes no program.
    assert_status(
        "We may offer you financial incentives permitted by the CCPA that can result in \
         different prices.",
        "ccpa/financial-incentive",
        "not-applicable",
    );
}

// --- Shine the Light: Civ. Code §1798.83 ---

#[test]
fn s1798_83_disclosure_for_direct_marketing_is_a_note_when_the_right_is_not_explained() {
    let text = "We may rent our mailing lists of customer names and addresses to other \
                companies for their direct marketing purposes.";
    let report = lint(text);
    assert_eq!(status(&report, "ccpa/shine-the-light"), "fail");
    let finding = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "ccpa/shine-the-light")
        .expect("a finding");
    assert_eq!(finding.severity, policylint::Severity::Info);
    let text = format!(
        "{text} California residents may request a list of the third parties that received \
         their personal information for direct marketing purposes by emailing \
         privacy@example.com."
    );
    assert_status(&text, "ccpa/shine-the-light", "pass");
    assert_status(
        "We do not share personal information with third parties for their own marketing.",
        "ccpa/shine-the-light",
        "not-applicable",
    );
}

// --- Rights as the regulations and the annotators read them: §7011(e)(2)(A)–(C) ---

#[test]
fn s7011_e2a_to_c_a_rights_list_counts() {
    let text = "## Your California privacy rights\n\nYou have the right to:\n\n- Access the \
                personal information we hold about you.\n- Delete the personal information \
                we maintain about you.\n- Correct inaccurate personal information we hold \
                about you.";
    for rule in [
        "ccpa/right-to-know",
        "ccpa/right-to-delete",
        "ccpa/right-to-correct",
    ] {
        assert_status(text, rule, "pass");
    }
    // What the right to know covers is a finding of its own.
    assert_status(text, "ccpa/right-to-know-scope", "fail");
}

#[test]
fn s7011_e2c_a_right_tied_only_to_the_gdpr_is_not_the_ccpa_right() {
    let text = "## Rights of EEA residents\n\nUnder the GDPR you have the right to request that \
                we rectify inaccurate personal data.";
    assert_status(text, "ccpa/right-to-correct", "fail");
}

// --- Contact: §7011(e)(3)(J) ---

#[test]
fn s7011_e3j_a_help_page_is_not_a_contact() {
    assert_status(
        "If you have questions about your account, you can find answers by going to \
         https://support.example.com/accounts/answer/1234.",
        "ccpa/contact",
        "fail",
    );
    assert_status(
        "Questions about this policy? Email privacy@example.com.",
        "ccpa/contact",
        "pass",
    );
}

// --- Requests: §7011(e)(3)(A)–(B), Civ. Code §1798.130(a)(1), §7020 ---

#[test]
fn s7011_e3a_one_method_explains_how_to_ask_and_two_are_asked_for_separately() {
    let text = "To exercise your rights, email privacy@example.com.";
    assert_status(text, "ccpa/request-methods", "pass");
    assert_status(text, "ccpa/two-request-methods", "fail");
}

// --- Right to limit, read as the annotators and a lawyer read it: §7011(e)(2)(E),
// Civ. Code §1798.121(a) ---

#[test]
fn s7011_e2e_a_right_to_object_to_the_use_of_sensitive_personal_information_is_the_right_to_limit()
{
    let text = "Right to object to the use of sensitive personal information: you may object \
                to our use of your health information and other sensitive personal information.";
    assert_status(text, "ccpa/right-to-limit", "pass");
}

#[test]
fn s7011_e2e_a_right_to_limit_the_use_of_personal_information_covers_the_sensitive_kind() {
    assert_status(
        "If you would like us to limit our use of your personal information, email \
         privacy@example.com with your request.",
        "ccpa/right-to-limit",
        "pass",
    );
    // A practice of the business is not a consumer's right ...
    assert_status(
        "We limit the use of your personal information to the employees who need it.",
        "ccpa/right-to-limit",
        "fail",
    );
    // ... nor is a device's ad-tracking setting, nor a right given only under the GDPR.
    assert_status(
        "You can limit the use of your advertising identifier for ads in your device settings.",
        "ccpa/right-to-limit",
        "fail",
    );
    assert_status(
        "Under the GDPR, residents of the EEA may ask us to restrict our use of their \
         personal data.",
        "ccpa/right-to-limit",
        "fail",
    );
}

#[test]
fn s7027_m_collecting_sensitive_data_as_permitted_by_law_does_not_excuse_the_right_to_limit() {
    // "As permitted or required by law" is not a limit to the purposes of §7027(m): the
    // fact stays unknown and the rule applies.
    let text = "We may, as permitted or required by law, also collect and process sensitive \
                information about you, such as your health information.";
    let report = lint(text);
    assert_eq!(status(&report, "ccpa/right-to-limit"), "fail");
    assert!(
        note(&report, "ccpa/right-to-limit").starts_with("not known: "),
        "{}",
        note(&report, "ccpa/right-to-limit")
    );
    // Used only for the permitted purposes: no right to limit is owed.
    assert_status(
        "We use sensitive personal information only for the purposes permitted by \
         section 7027(m) of the CCPA regulations.",
        "ccpa/right-to-limit",
        "not-applicable",
    );
}

// --- Opt-out and sale, read as written: §7011(e)(2)(D), §7011(e)(1)(D) ---

#[test]
fn s7011_e2d_the_right_where_applicable_to_opt_out_is_the_opt_out_right() {
    let text = "We show you ads based on your activity on other sites. You have the right, \
                where applicable, to opt out of the processing of your personal data for \
                targeted advertising or its sale.";
    assert_status(text, "ccpa/right-to-opt-out", "pass");
}

#[test]
fn s7011_e1d_a_sale_in_the_business_s_own_voice_counts_under_the_name_of_a_right() {
    assert_status(
        "Right to opt out of sale or sharing: in some cases we may sell or share the \
         personal data you give us so that the ads you see match your interests.",
        "ccpa/sold-shared",
        "pass",
    );
    // A right described is not a statement either way.
    assert_status(
        "Right to know: you may ask us whether we sell your personal information.",
        "ccpa/sold-shared",
        "fail",
    );
}

// --- Rights offered to everyone: §7011(e)(2)(A)–(C) ---

#[test]
fn s7011_e2c_a_right_that_names_the_eea_only_to_include_it_is_given_to_californians_too() {
    let text = "Any individual, including those in the EEA, may ask us to correct inaccurate \
                personal information we hold about them.";
    assert_status(text, "ccpa/right-to-correct", "pass");
    let text = "Any individual, including those in the EEA, may ask us to delete the personal \
                information we hold about them.";
    assert_status(text, "ccpa/right-to-delete", "pass");
}

// --- Date: §7011(e)(4) ---

#[test]
fn s7011_e4_a_date_label_at_the_head_of_the_policy_is_the_policy_s_date() {
    assert_status(
        "# Privacy Policy\n\nDate: Sep 2026\n\nWe collect your email address.",
        "ccpa/last-updated",
        "pass",
    );
}

// --- Retention: Civ. Code §1798.100(a)(3) ---

fn lint_core_and_ccpa(text: &str) -> FileReport {
    common::linter_with(&["core", "ccpa"], &[]).lint("probe.md", text.to_string(), Format::Markdown)
}

fn findings_on_line(report: &FileReport, needle: &str) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| common::line_at(&report.source, d.span.bytes.start).contains(needle))
        .map(|d| d.rule.clone())
        .collect()
}

#[test]
fn s1798_100_a3_a_period_given_passes_and_the_vague_sentence_beside_it_is_reported_once() {
    let text = "# Privacy\n\nSupport tickets are deleted 2 years after they are closed.\n\n\
                We keep all other information for as long as necessary to provide our \
                services.\n";
    let report = lint_core_and_ccpa(text);
    assert_eq!(status(&report, "ccpa/retention-period"), "pass");
    assert_eq!(status(&report, "core/retention-period"), "pass");
    // One finding at the vague sentence, core/vague-retention's.
    let at = findings_on_line(&report, "as long as necessary");
    assert_eq!(at, vec!["core/vague-retention".to_string()], "{at:?}");
}

#[test]
fn s1798_100_a3_a_lone_vague_statement_fails_at_that_sentence_once() {
    let text = "# Privacy\n\nWe collect your email address.\n\nWe keep your personal \
                information for as long as necessary to fulfil the purposes described here.\n";
    let report = lint_core_and_ccpa(text);
    assert_eq!(status(&report, "ccpa/retention-period"), "fail");
    assert_eq!(status(&report, "core/vague-retention"), "not-applicable");
    let at = findings_on_line(&report, "as long as necessary");
    // core/retention-period's finding is merged into ccpa/retention-period's.
    assert_eq!(at, vec!["ccpa/retention-period".to_string()], "{at:?}");
    // The ccpa pack alone reports it at the same sentence.
    let alone = lint(text);
    assert_eq!(
        findings_on_line(&alone, "as long as necessary"),
        vec!["ccpa/retention-period".to_string()]
    );
}
