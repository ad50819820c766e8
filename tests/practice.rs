//! Policy versus practice: the services a page loads against the names the policy
//! gives (`core/undisclosed-service`, `core/analytics-provider`, `--site`).

mod common;

use std::fs;

use common::{TODAY, json_outcome, policylint, repo};
use policylint::{Format, Linter, RuleSet};
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/practice";
const RULES: &str = "core/undisclosed-service,core/analytics-provider";

fn lint_json(args: &[&str]) -> Value {
    let out = policylint()
        .args(["lint", "--format", "json", "--no-config", "--today", TODAY])
        .args(["--select", RULES])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (rule, severity, the source text the finding points at) of each finding.
fn findings(file: &Value, source: &str) -> Vec<(String, String, String)> {
    file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let start = d["span"]["start"]["offset"].as_u64().unwrap() as usize;
            let end = d["span"]["end"]["offset"].as_u64().unwrap() as usize;
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                source[start..end].to_string(),
            )
        })
        .collect()
}

/// The start tag in `source` that begins with `start`.
fn tag(source: &str, start: &str) -> String {
    let at = source.find(start).unwrap();
    let end = at + source[at..].find('>').unwrap() + 1;
    source[at..end].to_string()
}

#[test]
fn a_policy_page_naming_only_google_analytics_gets_findings_at_the_pixel_the_video_and_the_fonts() {
    let path = format!("{FIXTURES}/policy-page.html");
    let source = fs::read_to_string(repo().join(&path)).unwrap();
    let json = lint_json(&[&path]);
    let file = &json["files"][0];
    let undisclosed = "core/undisclosed-service".to_string();
    assert_eq!(
        findings(file, &source),
        [
            (
                undisclosed.clone(),
                "info".into(),
                tag(
                    &source,
                    "<link rel=\"stylesheet\" href=\"https://fonts.googleapis.com"
                )
            ),
            (
                undisclosed.clone(),
                "error".into(),
                tag(&source, "<img height=\"1\"")
            ),
            (undisclosed, "warning".into(), tag(&source, "<iframe")),
        ]
    );
    let messages: Vec<&str> = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(messages[1].starts_with(
        "The site loads Meta Pixel (Facebook Pixel), an advertising service of Meta Platforms"
    ));
    assert!(
        messages[2].starts_with("The site loads YouTube, an embedded media service of Google LLC")
    );
    // The second label is at the policy's section on analytics and third parties.
    let label = &file["diagnostics"][1]["labels"][0];
    let heading = &source[label["span"]["start"]["offset"].as_u64().unwrap() as usize
        ..label["span"]["end"]["offset"].as_u64().unwrap() as usize];
    assert_eq!(heading, "Analytics and third parties");

    // Google Analytics passes, with the sentence that names it as evidence.
    let named = "We use Google Analytics to count visits and to see which pages are read.";
    for rule in ["core/undisclosed-service", "core/analytics-provider"] {
        assert_eq!(
            json_outcome(file, rule)["evidence"]["text"],
            named,
            "{rule}"
        );
    }
    assert_eq!(
        json_outcome(file, "core/undisclosed-service")["status"],
        "fail"
    );
    assert_eq!(
        json_outcome(file, "core/analytics-provider")["status"],
        "pass"
    );

    let services: Vec<(&str, bool)> = file["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["named"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        services,
        [
            ("google-fonts", false),
            ("google-analytics", true),
            ("meta-pixel", false),
            ("youtube", false)
        ]
    );
}

#[test]
fn the_services_of_a_page_in_json_match_the_snapshot() {
    let json = lint_json(&[&format!("{FIXTURES}/policy-page.html")]);
    insta::assert_json_snapshot!("practice_services", json["files"][0]["services"]);
}

#[test]
fn the_human_output_points_at_the_tags() {
    let out = policylint()
        .args(["lint", "--no-config", "--today", TODAY, "--select", RULES])
        .arg(format!("{FIXTURES}/policy-page.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("practice_human", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_markdown_policy_is_compared_with_the_pages_given_with_site() {
    let policy = format!("{FIXTURES}/policy.md");
    let page = format!("{FIXTURES}/site/index.html");
    let source = fs::read_to_string(repo().join(&policy)).unwrap();
    let page_source = fs::read_to_string(repo().join(&page)).unwrap();
    let json = lint_json(&[&policy, "--site", &format!("{FIXTURES}/site")]);
    let file = &json["files"][0];
    let found = findings(file, &source);
    // Every finding is at the section where the services belong, in the policy.
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found
            .iter()
            .all(|(_, _, text)| text == "Analytics and third parties")
    );
    let pixel = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("Meta Pixel"))
        .unwrap();
    assert_eq!(pixel["severity"], "error");
    let line = page_source
        .lines()
        .position(|l| l.contains("facebook.com/tr"))
        .unwrap()
        + 1;
    assert!(
        pixel["message"]
            .as_str()
            .unwrap()
            .ends_with(&format!("It is loaded by {page}, line {line}.")),
        "{}",
        pixel["message"]
    );
    // The JSON says where the page loads each service, with exact positions.
    let youtube = file["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "youtube")
        .unwrap();
    let at = &youtube["loaded_at"][0];
    assert_eq!(at["path"], page.as_str());
    let start = at["span"]["start"]["offset"].as_u64().unwrap() as usize;
    let end = at["span"]["end"]["offset"].as_u64().unwrap() as usize;
    assert_eq!(&page_source[start..end], tag(&page_source, "<iframe"));
}

#[test]
fn without_a_site_the_rule_does_not_apply_and_says_why() {
    let json = lint_json(&[&format!("{FIXTURES}/policy.md")]);
    let file = &json["files"][0];
    let undisclosed = json_outcome(file, "core/undisclosed-service");
    assert_eq!(undisclosed["status"], "not-applicable");
    assert!(
        undisclosed["note"].as_str().unwrap().contains("--site"),
        "{undisclosed}"
    );
    assert!(file.get("services").is_none(), "no site, no list");
    // analytics-provider is decided by the text, as before.
    assert_eq!(
        json_outcome(file, "core/analytics-provider")["status"],
        "pass"
    );
}

#[test]
fn a_page_that_loads_analytics_makes_analytics_provider_apply_to_a_silent_policy() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("index.html");
    fs::write(
        &page,
        r#"<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>"#,
    )
    .unwrap();
    let policy = dir.path().join("policy.md");
    fs::write(
        &policy,
        "# Privacy\n\nWe collect your email address to send receipts.\n",
    )
    .unwrap();
    let json = lint_json(&[policy.to_str().unwrap(), "--site", page.to_str().unwrap()]);
    let provider = json_outcome(&json["files"][0], "core/analytics-provider");
    assert_eq!(provider["status"], "fail");
    assert!(
        provider["note"]
            .as_str()
            .unwrap()
            .contains("Google Analytics"),
        "{provider}"
    );
}

/// A temporary folder with custom rules (`rules/`) that hold one service, Acme
/// Widgets, detected by `hosts` (a YAML list).
fn custom_service_detected_by(hosts: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let services = dir.path().join("rules/services");
    fs::create_dir_all(&services).unwrap();
    fs::write(
        services.join("ours.yaml"),
        format!("- id: acme-widgets\n  name: Acme Widgets\n  company: Acme Corp\n  category: support-chat\n  detect:\n    hosts: {hosts}\n  names: [Acme Widgets]\n"),
    )
    .unwrap();
    dir
}

#[test]
fn a_services_folder_in_custom_rules_adds_services() {
    let dir = custom_service_detected_by("[widgets.acme-chat.example]");
    let page = dir.path().join("privacy.html");
    fs::write(
        &page,
        "<!doctype html><h1>Privacy</h1><p>We keep your data safe.</p><script src=\"https://cdn.widgets.acme-chat.example/w.js\"></script>",
    )
    .unwrap();
    let json = lint_json(&[
        page.to_str().unwrap(),
        "--rules",
        dir.path().join("rules").to_str().unwrap(),
    ]);
    let file = &json["files"][0];
    assert_eq!(file["services"][0]["id"], "acme-widgets");
    assert!(
        file["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Acme Widgets, a support chat service of Acme Corp")
    );
}

#[test]
fn site_in_the_configuration_is_compared_and_the_command_line_adds_to_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("public")).unwrap();
    fs::write(
        dir.path().join("public/index.html"),
        r#"<iframe src="https://www.youtube.com/embed/x"></iframe>"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("extra.html"),
        r#"<script src="https://static.hotjar.com/c/hotjar-1.js"></script>"#,
    )
    .unwrap();
    fs::write(dir.path().join("policylint.yaml"), "site: [public/]\n").unwrap();
    fs::write(
        dir.path().join("policy.md"),
        "# Privacy\n\nWe keep your data safe.\n",
    )
    .unwrap();
    let ids = |extra: &[&str]| -> Vec<String> {
        let out = policylint()
            .current_dir(dir.path())
            .args([
                "lint",
                "--format",
                "json",
                "--select",
                "core/undisclosed-service",
            ])
            .args(extra)
            .arg("policy.md")
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json["files"][0]["services"]
            .as_array()
            .map(|s| {
                s.iter()
                    .map(|s| s["id"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(ids(&[]), ["youtube"]);
    assert_eq!(ids(&["--site", "extra.html"]), ["youtube", "hotjar"]);
}

#[test]
fn bad_site_paths_are_errors_that_say_what_to_give() {
    for (path, expected) in [
        ("no/such/folder", "no such file or directory"),
        ("tests/fixtures/practice/policy.md", "not an HTML page"),
    ] {
        let out = policylint()
            .args(["lint", "--no-config", "--site", path])
            .arg(format!("{FIXTURES}/policy.md"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{stderr}");
        assert!(stderr.contains("--site"), "{stderr}");
    }
}

fn undisclosed_linter() -> Linter {
    let mut rules = RuleSet::load(&["core".to_string()], &[]).unwrap();
    rules.rules.retain(|r| r.id == "core/undisclosed-service");
    Linter::new(rules, TODAY.parse().unwrap())
}

fn services_found(page: String) -> Vec<String> {
    let report = undisclosed_linter().lint("page.html", page, Format::Html);
    assert!(report.error.is_none(), "{:?}", report.error);
    report.services.iter().map(|s| s.id.clone()).collect()
}

#[test]
fn ten_megabytes_of_minified_inline_script_are_searched_for_snippets() {
    let mut script = String::with_capacity(10 << 20);
    while script.len() < 10 << 20 {
        script.push_str("var a=function(b,c){return b<c?b:c};a(1,2);");
    }
    script.push_str("fbq('init','1');");
    let page =
        format!("<!doctype html><h1>Privacy</h1><p>We name nobody.</p><script>{script}</script>");
    assert_eq!(services_found(page), ["meta-pixel"]);
}

#[test]
fn a_hundred_thousand_script_tags_are_read() {
    let mut page = String::from("<!doctype html><h1>Privacy</h1><p>We name nobody.</p>");
    for i in 0..100_000 {
        page.push_str(&format!("<script src=\"/js/{i}.js\"></script>"));
    }
    page.push_str("<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>");
    assert_eq!(services_found(page), ["hotjar"]);
}

#[test]
fn malformed_and_odd_addresses_are_skipped_without_harm() {
    let page = r#"<!doctype html><h1>Privacy</h1><p>We name nobody.</p>
<img src="http://[::1">
<img src="https://exa mple.com/%">
<img src="javascript:alert(1)">
<img src="data:image/png;base64,AAAA">
<img src="//">
<img src="https://">
<script src="https://www.google-analytics.com:99999/analytics.js"></script>
<img src="HTTPS://WWW.YOUTUBE.COM/vi/x.jpg">
<img src="https://xn--n3h.example/%F0%9F%92%A9">
<base href="::not a url::">
<iframe src="//player.vimeo.com/video/1"></iframe>"#;
    assert_eq!(services_found(page.to_string()), ["youtube", "vimeo"]);
}

#[test]
fn the_rule_catalogue_describes_the_services_rule_in_words_not_placeholders() {
    let out = policylint()
        .args(["explain", "core/undisclosed-service"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("When it fails: The site loads a third-party service, a service of another company, but the policy names neither the service nor its company."),
        "{text}"
    );
    let out = policylint()
        .args(["lint", "--no-config", "--format", "sarif"])
        .arg(repo().join("tests/fixtures/practice/policy-page.html"))
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let described = rules
        .iter()
        .find(|r| r["id"] == "core/undisclosed-service")
        .unwrap();
    let text = described["fullDescription"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("The site loads a third-party service,"),
        "{text}"
    );
    // A finding still names its own service.
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| {
        r["ruleId"] == "core/undisclosed-service"
            && r["message"]["text"].as_str().unwrap().starts_with(
                "The site loads Meta Pixel (Facebook Pixel), an advertising service of Meta",
            )
    }));
}

/// The service catalogue is read while the rules compile: a bad entry in a custom
/// `services/` folder is an error, naming the file, when a loaded rule reads the site,
/// and nothing when none does.
#[test]
fn a_bad_custom_service_is_an_error_when_a_rule_reads_the_site() {
    let dir = custom_service_detected_by("[]");
    let rules = [dir.path().join("rules")];
    let Err(error) = RuleSet::load(&["core".to_string()], &rules) else {
        panic!("core reads the site: the bad entry is an error");
    };
    let said = format!("{error:?}");
    assert!(said.contains("ours.yaml"), "{said}");
    assert!(said.contains("nothing to detect it by"), "{said}");
    let gdpr = RuleSet::load(&["gdpr".to_string()], &rules).unwrap();
    assert!(gdpr.detector.is_none());
}
