//! Legal probes for the GDPR pack: short notices written for one provision each, and
//! the outcome the provision calls for (pass, fail or not applicable). Each test
//! names the provision it checks.

mod common;

use std::sync::OnceLock;

use policylint::{FileReport, Format, Linter};

/// The gdpr pack alone, compiled once for the probes without declared facts.
fn gdpr() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| linter(&[]))
}

fn linter(facts: &[(&str, bool)]) -> Linter {
    common::linter_with(&["gdpr"], facts)
}

/// A probe notice and what the pack made of it.
struct Probe {
    text: String,
    report: FileReport,
}

fn lint(text: &str) -> Probe {
    Probe {
        text: text.to_string(),
        report: gdpr().lint("probe.md", text.to_string(), Format::Markdown),
    }
}

fn lint_with(facts: &[(&str, bool)], text: &str) -> Probe {
    Probe {
        text: text.to_string(),
        report: linter(facts).lint("probe.md", text.to_string(), Format::Markdown),
    }
}

#[track_caller]
fn assert_status(probe: &Probe, rule: &str, want: &str) {
    let got = common::status(&probe.report, rule);
    assert_eq!(got, want, "{rule} on {:?}", probe.text);
}

/// The note an outcome carries (what was assumed or declared).
fn note(probe: &Probe, rule: &str) -> String {
    common::note(&probe.report, rule)
}

// --- Art. 13(2)(d), 14(2)(e) and 77: a supervisory authority, not the EDPB -------------

#[test]
fn art_77_a_complaint_to_the_edpb_alone_is_not_a_complaint_to_a_supervisory_authority() {
    let report = lint(
        "# Privacy\n\nIf you think we misuse your data, you may complain to the European Data Protection Board (EDPB).\n",
    );
    assert_status(&report, "gdpr/complaint", "fail");
}

#[test]
fn art_77_a_complaint_to_a_national_authority_passes() {
    let report = lint(
        "# Privacy\n\nYou have the right to lodge a complaint with the data protection authority of the country where you live, such as the CNIL in France.\n",
    );
    assert_status(&report, "gdpr/complaint", "pass");
}

// --- Art. 13(1)(a) and 4(7): the controller's identity, whoever the controller is ------

#[test]
fn art_13_1_a_a_natural_person_as_controller_passes() {
    let report = lint(
        "# Privacy\n\nThis app is built and run by Jane Doe, who is responsible for your data. Write to jane@example.org.\n",
    );
    assert_status(&report, "gdpr/controller-identity", "pass");
}

#[test]
fn art_13_1_a_a_university_as_controller_passes() {
    let report = lint(
        "# Privacy\n\n## Controller\n\nThe controller within the meaning of the GDPR is:\n\nUniversity of Utopia\n\nCampus Road 1, 12345 Utopia, Germany\n",
    );
    assert_status(&report, "gdpr/controller-identity", "pass");
    assert_status(&report, "gdpr/controller-legal-name", "pass");
}

#[test]
fn art_13_1_a_an_association_ev_as_controller_passes() {
    let report =
        lint("# Privacy\n\nFreunde des Stadtparks e.V. (\"we\", \"us\") runs this website.\n");
    assert_status(&report, "gdpr/controller-identity", "pass");
    assert_status(&report, "gdpr/controller-legal-name", "pass");
}

#[test]
fn art_13_1_a_a_polish_sp_z_o_o_as_controller_passes() {
    let report = lint(
        "# Privacy\n\nPrzykład Sp. z o.o., ul. Długa 1, 00-001 Warszawa, is the controller of your personal data.\n",
    );
    assert_status(&report, "gdpr/controller-identity", "pass");
    assert_status(&report, "gdpr/controller-legal-name", "pass");
}

#[test]
fn art_13_1_a_a_brand_is_an_identity_and_only_the_legal_form_rule_asks_for_more() {
    let report = lint(
        "# Privacy\n\nAcme (\"we\", \"us\") runs this website and is the controller of your data.\n",
    );
    assert_status(&report, "gdpr/controller-identity", "pass");
    assert_status(&report, "gdpr/controller-legal-name", "fail");
}

#[test]
fn art_13_1_a_a_policy_that_only_says_we_names_no_controller() {
    let report = lint(
        "# Privacy\n\nWe take your privacy seriously. We collect your email address to send you news.\n",
    );
    assert_status(&report, "gdpr/controller-identity", "fail");
}

// --- Art. 20(1): portability only for consent or contract --------------------------------

#[test]
fn art_20_1_portability_does_not_apply_when_only_legitimate_interests_are_relied_on() {
    let report = lint(
        "# Privacy\n\nWe process your usage data solely on the basis of our legitimate interests in keeping the service secure.\n",
    );
    assert_status(&report, "gdpr/right-portability", "not-applicable");
}

#[test]
fn art_20_1_portability_applies_when_consent_is_relied_on() {
    let report = lint("# Privacy\n\nWe send the newsletter on the basis of your consent.\n");
    assert_status(&report, "gdpr/right-portability", "fail");
}

#[test]
fn art_20_1_portability_applies_when_the_policy_names_no_basis() {
    let report = lint("# Privacy\n\nWe collect your email address.\n");
    assert_status(&report, "gdpr/right-portability", "fail");
    assert!(note(&report, "gdpr/right-portability").starts_with("not known"));
}

#[test]
fn art_20_1_portability_does_not_apply_when_declared_so() {
    let report = lint_with(
        &[("consent-or-contract-basis", false)],
        "# Privacy\n\nWe send the newsletter on the basis of your consent.\n",
    );
    assert_status(&report, "gdpr/right-portability", "not-applicable");
}

// --- Art. 21(1) to (3): objection for legitimate interests, public task, marketing ------

#[test]
fn art_21_objection_does_not_apply_when_only_consent_is_relied_on() {
    let report =
        lint("# Privacy\n\nWe process your personal data only on the basis of your consent.\n");
    assert_status(&report, "gdpr/right-objection", "not-applicable");
    assert_status(&report, "gdpr/objection-explicit", "not-applicable");
}

#[test]
fn art_21_objection_applies_when_legitimate_interests_are_relied_on() {
    let report = lint(
        "# Privacy\n\nWe analyse how the app is used on the basis of our legitimate interest in improving it.\n",
    );
    assert_status(&report, "gdpr/right-objection", "fail");
}

#[test]
fn art_21_2_opting_out_of_the_companys_marketing_is_the_right_to_object_to_it() {
    let report = lint(
        "# Privacy\n\nWe send offers by email. You can opt out of our marketing emails at any time.\n",
    );
    assert_status(&report, "gdpr/right-objection", "pass");
}

// --- Art. 21(4): the right to object explicitly and separately ---------------------------

#[test]
fn art_21_4_a_right_to_object_in_its_own_section_passes() {
    let report = lint(
        "# Privacy\n\nWe rely on our legitimate interest in preventing fraud.\n\n## Your right to object\n\nYou can object at any time to processing based on our legitimate interests, and to direct marketing, by writing to privacy@example.com.\n",
    );
    assert_status(&report, "gdpr/right-objection", "pass");
    assert_status(&report, "gdpr/objection-explicit", "pass");
}

#[test]
fn art_21_4_a_right_to_object_buried_in_a_list_of_rights_fails() {
    let report = lint(
        "# Privacy\n\nWe rely on our legitimate interest in preventing fraud. You have the rights of access, rectification, erasure, restriction, objection and data portability.\n",
    );
    assert_status(&report, "gdpr/right-objection", "pass");
    assert_status(&report, "gdpr/objection-explicit", "fail");
}

// --- Art. 13(1)(f): transfers only where applicable, and which safeguard -----------------

#[test]
fn art_13_1_f_a_notice_whose_data_stays_in_the_eea_is_not_failed_for_transfers() {
    let report =
        lint("# Privacy\n\nAll personal data is stored on our servers in Frankfurt, Germany.\n");
    for rule in [
        "gdpr/international-transfers",
        "gdpr/transfer-safeguards",
        "gdpr/safeguards-copy",
    ] {
        assert_status(&report, rule, "not-applicable");
    }
}

#[test]
fn art_13_1_f_a_declared_absence_of_transfers_settles_a_silent_notice() {
    let text = "# Privacy\n\nWe collect your email address to send the newsletter.\n";
    let silent = lint(text);
    assert_status(&silent, "gdpr/international-transfers", "fail");
    assert!(note(&silent, "gdpr/international-transfers").starts_with("not known"));
    let declared = lint_with(&[("transfers-outside-eea", false)], text);
    assert_status(&declared, "gdpr/international-transfers", "not-applicable");
    assert_status(&declared, "gdpr/transfer-safeguards", "not-applicable");
}

#[test]
fn art_13_1_f_appropriate_safeguards_without_a_named_mechanism_fail() {
    let report = lint(
        "# Privacy\n\n## International transfers\n\nWhen we transfer your data outside the EEA, we put appropriate safeguards in place to protect it.\n",
    );
    assert_status(&report, "gdpr/international-transfers", "pass");
    assert_status(&report, "gdpr/transfer-safeguards", "fail");
}

#[test]
fn art_13_1_f_standard_contractual_clauses_with_a_copy_pass() {
    let report = lint(
        "# Privacy\n\n## International transfers\n\nWe transfer data to our host in the United States under the European Commission's standard contractual clauses; ask privacy@example.com for a copy.\n",
    );
    assert_status(&report, "gdpr/transfer-safeguards", "pass");
    assert_status(&report, "gdpr/safeguards-copy", "pass");
}

#[test]
fn art_13_1_f_standard_contractual_clauses_without_a_copy_are_a_separate_finding() {
    let report = lint(
        "# Privacy\n\n## International transfers\n\nWe transfer data to our host in the United States under the European Commission's standard contractual clauses.\n",
    );
    assert_status(&report, "gdpr/transfer-safeguards", "pass");
    assert_status(&report, "gdpr/safeguards-copy", "fail");
}

#[test]
fn art_13_1_f_an_adequacy_decision_passes_and_needs_no_copy() {
    let report = lint(
        "# Privacy\n\nSome of our providers are in Canada, which the European Commission has found to offer an adequate level of protection in an adequacy decision.\n",
    );
    assert_status(&report, "gdpr/transfer-safeguards", "pass");
    assert_status(&report, "gdpr/safeguards-copy", "pass");
}

// --- Art. 27 and 3(2): a representative only for controllers outside the Union ----------

#[test]
fn art_27_an_eu_established_controller_needs_no_representative() {
    let report = lint(
        "# Privacy\n\nExample GmbH, Musterstraße 1, 10115 Berlin, Germany, is the controller.\n",
    );
    assert_status(&report, "gdpr/eu-representative", "not-applicable");
}

#[test]
fn art_27_a_group_abroad_whose_eu_subsidiary_is_the_controller_needs_no_representative() {
    let report = lint(
        "# Privacy\n\nAcme Inc. is headquartered in the United States. For people in the EEA, the controller is Acme Europe B.V., Herengracht 1, 1015 BA Amsterdam, Netherlands.\n",
    );
    assert_status(&report, "gdpr/eu-representative", "not-applicable");
}

#[test]
fn art_27_a_controller_based_outside_the_eu_with_no_representative_fails() {
    let report = lint(
        "# Privacy\n\nAcme Inc. is based in the United States and offers its app worldwide.\n",
    );
    assert_status(&report, "gdpr/eu-representative", "fail");
}

// --- Art. 26(2): the essence of a joint-controller arrangement ---------------------------

#[test]
fn art_26_2_joint_controllers_without_the_essence_of_their_arrangement_fail() {
    let report = lint(
        "# Privacy\n\n## Our fan page\n\nWe and the social network are joint controllers for the statistics of our fan page.\n",
    );
    assert_status(&report, "gdpr/joint-controllers", "fail");
}

#[test]
fn art_26_2_joint_controllers_with_the_essence_of_their_arrangement_pass() {
    let report = lint(
        "# Privacy\n\n## Our fan page\n\nWe and the social network are joint controllers for the statistics of our fan page. We have agreed that the social network answers requests about them; you can exercise your rights against either of us.\n",
    );
    assert_status(&report, "gdpr/joint-controllers", "pass");
}

#[test]
fn art_26_2_does_not_apply_without_joint_controllers() {
    let report = lint("# Privacy\n\nExample GmbH is the controller.\n");
    assert_status(&report, "gdpr/joint-controllers", "not-applicable");
}

// --- Art. 13(1)(c), 6(1) and 9(2): the legal basis, per purpose and for special data ------

#[test]
fn art_13_1_c_several_purposes_and_one_basis_are_flagged() {
    let report = lint(
        "# Privacy\n\nWe use your data to provide the service, to send our newsletter, to analyse how the app is used and to prevent fraud. All processing is based on your consent.\n",
    );
    assert_status(&report, "gdpr/legal-basis", "pass");
    assert_status(&report, "gdpr/basis-per-purpose", "fail");
}

#[test]
fn art_13_1_c_several_purposes_with_their_bases_pass() {
    let report = lint(
        "# Privacy\n\nWe use your data to provide the service, to send our newsletter and to prevent fraud. We send the newsletter with your consent; we provide the service to perform our contract with you; fraud prevention rests on our legitimate interest in a secure service.\n",
    );
    assert_status(&report, "gdpr/basis-per-purpose", "pass");
}

#[test]
fn art_9_2_health_data_with_no_condition_fails() {
    let report = lint(
        "# Privacy\n\nThe app records your heart rate and other health data to show your progress, on the basis of your consent.\n",
    );
    assert_status(&report, "gdpr/special-category-condition", "fail");
}

#[test]
fn art_9_2_health_data_with_explicit_consent_passes() {
    let report = lint(
        "# Privacy\n\nThe app records your heart rate and other health data only with your explicit consent (Art. 9(2)(a) GDPR).\n",
    );
    assert_status(&report, "gdpr/special-category-condition", "pass");
}

#[test]
fn art_9_a_denial_of_special_data_is_not_processing_it() {
    let report = lint(
        "# Privacy\n\nWe do not collect health data or any other special categories of personal data.\n",
    );
    assert_status(&report, "gdpr/special-category-condition", "not-applicable");
}

// --- Art. 13(1)(d): legitimate interests given, and named --------------------------------

#[test]
fn art_13_1_d_legitimate_interests_relied_on_without_the_interest_is_a_separate_finding() {
    let report = lint(
        "# Privacy\n\nWe may process your data because the processing is in our legitimate interests and is not overridden by your rights.\n",
    );
    assert_status(&report, "gdpr/legitimate-interests", "pass");
    assert_status(&report, "gdpr/legitimate-interests-named", "fail");
}

// --- Items that apply only where there is something to disclose --------------------------

#[test]
fn art_13_2_f_a_notice_silent_on_automated_decisions_is_not_failed() {
    let report = lint("# Privacy\n\nWe collect your email address to send the newsletter.\n");
    assert_status(&report, "gdpr/automated-decisions", "not-applicable");
    assert_status(&report, "gdpr/automated-decisions-logic", "not-applicable");
}

#[test]
fn art_13_2_f_profiling_described_without_its_logic_is_a_separate_finding() {
    let report = lint(
        "# Privacy\n\n## Marketing\n\nWe carry out profiling to understand your interests and send you offers.\n",
    );
    assert_status(&report, "gdpr/automated-decisions", "pass");
    assert_status(&report, "gdpr/automated-decisions-logic", "fail");
}

#[test]
fn art_14_data_only_from_the_person_needs_no_source_or_categories() {
    let report = lint(
        "# Privacy\n\nWe only process the information you provide when you fill in our contact form.\n",
    );
    assert_status(&report, "gdpr/data-source", "not-applicable");
    assert_status(&report, "gdpr/data-categories", "not-applicable");
}

#[test]
fn art_14_2_f_data_from_partners_needs_its_source() {
    let report = lint(
        "# Privacy\n\nWe receive your name and order details from the shop where you bought the product.\n",
    );
    assert_status(&report, "gdpr/data-source", "pass");
}

#[test]
fn art_13_2_e_a_service_that_asks_for_no_data_has_no_statutory_requirement_to_state() {
    let report = lint(
        "# Privacy\n\nWe only count visits to our website; we never ask you for any information.\n",
    );
    assert_status(&report, "gdpr/statutory-requirement", "not-applicable");
}

#[test]
fn art_13_2_e_a_form_with_no_word_on_whether_it_is_required_fails() {
    let report = lint("# Privacy\n\nWhen you register you give us your name and email address.\n");
    assert_status(&report, "gdpr/statutory-requirement", "fail");
}

// --- False alarms and wrong passes found on real wording ------------------------------

/// Art. 13(1)(a) and 4(7): the controller may be a person or a public body, and an
/// address or a description may stand between the name and the verb.
#[test]
fn art_13_1_a_a_name_with_an_address_or_a_description_before_the_verb_is_an_identity() {
    for text in [
        "# Privacy\n\nThe controller responsible for this website is Lena Vogel, Lindenweg 4, 04109 Leipzig.\n",
        "# Privacy\n\nResponsible for this site: Tomas Horak, Nerudova 7, 118 00 Prague.\n",
        "# Privacy\n\nThe University of Graz, Universitätsplatz 3, 8010 Graz, is the controller.\n",
        "# Privacy\n\nDr. Weber's medical practice, Bahnhofstraße 2, 20095 Hamburg, is the controller.\n",
        "# Privacy\n\nThe Town Library, the public library of the Municipality of Musterdorf, Kirchweg 4, is responsible for processing your personal data.\n",
        "# Privacy\n\nThis privacy notice is issued by Fabrikam Holdings Limited, 5 Queen Street, Leeds.\n",
        "# Privacy\n\nStar Sums is operated by Clever Kids Inc., 12 Elm Street, Denver.\n",
    ] {
        assert_status(&lint(text), "gdpr/controller-identity", "pass");
    }
    // a processor named as responsible for one kind of data is not the controller
    assert_status(
        &lint(
            "# Privacy\n\nWe take card payments through Stripe, which is responsible for processing card data.\n",
        ),
        "gdpr/controller-identity",
        "fail",
    );
}

/// Art. 13(1)(a): a person is named as they are; the legal-form rule (good practice)
/// does not ask a freelancer or a dentist for a company form.
#[test]
fn art_13_1_a_a_person_named_as_one_needs_no_legal_form() {
    for text in [
        "# Privacy\n\nThis website is run by Max Berger, a freelance illustrator, Ringstraße 1, 1010 Wien.\n",
        "# Privacy\n\nYour data controller is Dr. Luca Bianchi, orthodontist, Via Verdi 2, Milano.\n",
    ] {
        assert_status(&lint(text), "gdpr/controller-legal-name", "pass");
    }
}

/// Art. 13(1)(b), 37(7): a notice that says no DPO was appointed names none; a DPO
/// reachable at the controller's address given above has contact details.
#[test]
fn art_13_1_b_no_dpo_appointed_and_a_dpo_at_the_address_above() {
    let none = lint(
        "# Privacy\n\n## Data protection officer\n\nWe have not designated a data protection officer because the law does not require us to.\n",
    );
    assert_status(&none, "gdpr/dpo-contact", "not-applicable");
    let above = lint(
        "# Privacy\n\nExample GmbH, Musterstraße 1, 10115 Berlin, is the controller.\n\n## Data protection officer\n\nOur data protection officer, Ms Jana Novak, can be reached at the postal address given above, marked for the attention of the DPO.\n",
    );
    assert_status(&above, "gdpr/dpo-contact", "pass");
    let voluntary = lint(
        "# Privacy\n\nWe are not legally required to appoint a data protection officer, but we have voluntarily appointed one who oversees our compliance.\n",
    );
    assert_status(&voluntary, "gdpr/dpo-contact", "fail");
}

/// Art. 26(2): a heading over a denial of joint controllership is no joint
/// controllership.
#[test]
fn art_26_2_a_denial_under_a_joint_controllers_heading_is_not_applicable() {
    let report = lint(
        "# Privacy\n\n## Joint controllers\n\nWe do not act as a joint controller with any other organisation.\n",
    );
    assert_status(&report, "gdpr/joint-controllers", "not-applicable");
}

/// Art. 13(2)(f): "we use no automated decision-making" is a denial, not an
/// undescribed use.
#[test]
fn art_13_2_f_a_denial_of_automated_decisions_needs_no_logic() {
    let report = lint(
        "# Privacy\n\n## Automated decisions\n\nWe use no automated decision-making and no profiling.\n",
    );
    assert_status(&report, "gdpr/automated-decisions-logic", "pass");
}

/// Art. 20(1): a notice whose only stated basis is a task in the public interest
/// (Art. 6(1)(e)) owes no portability notice.
#[test]
fn art_20_1_a_public_task_as_the_only_basis_is_not_applicable() {
    let report = lint(
        "# Privacy\n\nWe process applications to assess admission. The legal basis is the performance of a task carried out in the public interest (Art. 6(1)(e) GDPR).\n",
    );
    assert_status(&report, "gdpr/right-portability", "not-applicable");
    // consent named elsewhere still makes the right apply
    let both = lint(
        "# Privacy\n\nThe legal basis is the performance of a task carried out in the public interest (Art. 6(1)(e) GDPR). With your consent we also send you our newsletter.\n",
    );
    assert_status(&both, "gdpr/right-portability", "fail");
}

/// Art. 13(2)(e): the requirement and the consequence of not providing the data in one
/// sentence.
#[test]
fn art_13_2_e_a_requirement_and_its_consequence_pass() {
    let report = lint(
        "# Privacy\n\nWhen you order, you enter your name and address. You need to give us your delivery address to place an order; without it we cannot ship your parcel.\n",
    );
    assert_status(&report, "gdpr/statutory-requirement", "pass");
}

/// Art. 13(2)(b), 20 and 21: the last items of a list of rights.
#[test]
fn art_13_2_b_port_your_data_and_to_object_at_the_end_of_a_list_of_rights() {
    let report = lint(
        "# Privacy\n\nWe send newsletters with your consent and keep logs on our legitimate interests in security.\n\n## Your rights\n\nYou have the right to see, correct, delete, restrict and port your data, and to object.\n",
    );
    assert_status(&report, "gdpr/right-portability", "pass");
    assert_status(&report, "gdpr/right-objection", "pass");
}

/// Art. 13(1)(c): a purpose that consent is relied on for.
#[test]
fn art_13_1_c_consent_relied_on_for_a_newsletter_is_a_purpose() {
    let report = lint("# Privacy\n\nWe rely on your consent to send you our monthly newsletter.\n");
    assert_status(&report, "gdpr/purposes", "pass");
}

/// Art. 12(1), WP260 para. 13: "May" the month is not a hedge.
#[test]
fn art_12_1_the_month_may_is_not_a_hedge_word() {
    let report = lint(
        "# Privacy\n\nLast updated: 1 May 2026\n\nWe keep your email address to send receipts. We do not sell it.\n",
    );
    assert_status(&report, "gdpr/plain-language", "pass");
}

/// Art. 13(2)(a): a list of kinds of data with their periods is a storage statement;
/// WP260 Annex: a list of factors the company weighs is not.
#[test]
fn art_13_2_a_a_retention_list_passes_and_a_factor_list_fails() {
    let list = lint(
        "# Privacy\n\n## Storage periods\n\nInvoices: 10 years. Customer account data: until you close your account. Access logs: 14 days.\n",
    );
    assert_status(&list, "gdpr/retention-period", "pass");
    let factors = lint(
        "# Privacy\n\nTo determine the retention period, we consider the amount, nature and sensitivity of the personal data.\n",
    );
    assert_status(&factors, "gdpr/retention-period", "fail");
}

/// Art. 13(1)(d), WP260 Annex: the interest is named in the notice, not on request; a
/// citation in brackets is not the interest.
#[test]
fn art_13_1_d_interests_given_on_request_are_not_named() {
    let report = lint(
        "# Privacy\n\nWe analyse usage data on the basis of our legitimate interests (Art. 6(1)(f) GDPR), which we will explain to you on request.\n",
    );
    assert_status(&report, "gdpr/legitimate-interests-named", "fail");
    let named = lint(
        "# Privacy\n\nWe keep server logs on the basis of our legitimate interests (Art. 6(1)(f) GDPR) in detecting attacks on the site.\n",
    );
    assert_status(&named, "gdpr/legitimate-interests-named", "pass");
}

/// Art. 13(1)(f): a notice that says data is not transferred outside the EEA owes no
/// transfer information.
#[test]
fn art_13_1_f_a_passive_denial_of_transfers_is_not_applicable() {
    let report = lint(
        "# Privacy\n\nWe send you our newsletter with your consent. Data is not transferred outside the EEA.\n",
    );
    assert_status(&report, "gdpr/international-transfers", "not-applicable");
    assert_status(&report, "gdpr/transfer-safeguards", "not-applicable");
}
