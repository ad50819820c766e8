//! The command line and the editor read files and configure rules the same way: the
//! configuration's read options reach the language server, a notice's member is
//! linted with its other files in the editor too, an `overrides:` entry for other
//! files does not change what a report says about the rules, and rules are compiled
//! once per set of packs and folders.

mod common;

use std::path::Path;
use std::sync::Arc;

use policylint::Format;
use policylint::linters::{LinterOptions, Linters, RuleFlags};
use policylint::lsp::{linting, workspace};
use policylint::plan::{self, Job};

/// A page whose only contact address is in the site's footer, which is read only
/// with `keep-chrome`.
const FOOTER_CONTACT: &str = "<!doctype html>\n<html><head><title>Privacy</title></head><body>\n\
<main><h1>Privacy Policy</h1>\n<p>We collect your email address to send you the newsletter you ask for.</p></main>\n\
<footer><p>Questions about privacy? Write to privacy@example.com.</p></footer>\n\
</body></html>\n";

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `core/contact`'s status as the language server sees the page in `dir`.
fn editor_contact_status(dir: &Path) -> String {
    let setup = workspace::build_linter(Some(dir), &RuleFlags::default()).unwrap();
    let page = dir.join("privacy.html");
    let linter = setup.workspace.linter_for(Some(&page)).unwrap();
    let (report, _) = linting::lint_text(
        &linter,
        &page.display().to_string(),
        FOOTER_CONTACT.to_string(),
        Format::Html,
        None,
    );
    common::status(&report, "core/contact")
}

/// `rule`'s status as `policylint lint FILE` in `dir` sees it.
fn command_line_status(dir: &Path, file: &str, rule: &str) -> String {
    let out = common::policylint()
        .current_dir(dir)
        .args(["lint", "--format", "json", "--today", common::TODAY, file])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let outcome = json["files"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["rule"] == rule)
        .unwrap()
        .clone();
    outcome["status"].as_str().unwrap().to_string()
}

#[test]
fn the_language_server_reads_pages_with_the_configured_keep_chrome() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "privacy.html", FOOTER_CONTACT);
    write(dir.path(), "policylint.yaml", "packs: [core]\n");
    assert_eq!(editor_contact_status(dir.path()), "fail");
    assert_eq!(
        command_line_status(dir.path(), "privacy.html", "core/contact"),
        "fail"
    );

    write(
        dir.path(),
        "policylint.yaml",
        "packs: [core]\nkeep-chrome: true\n",
    );
    assert_eq!(editor_contact_status(dir.path()), "pass");
    assert_eq!(
        command_line_status(dir.path(), "privacy.html", "core/contact"),
        "pass"
    );
}

/// The SARIF rule descriptors of `policylint lint --format sarif .` in `dir`.
fn sarif_rules(dir: &Path) -> serde_json::Value {
    let out = common::policylint()
        .current_dir(dir)
        .args(["lint", "--format", "sarif", "--today", common::TODAY, "."])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    sarif["runs"][0]["tool"]["driver"]["rules"].clone()
}

#[test]
fn an_override_for_other_files_does_not_change_the_reports_rule_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let clean = std::fs::read_to_string(common::repo().join("tests/fixtures/clean.md")).unwrap();
    write(dir.path(), "privacy.md", &clean);
    write(dir.path(), "drafts/next.md", &clean);
    let base = "packs: [core]\nignore: [core/children]\nseverity:\n  core/cookies: error\n";
    write(dir.path(), "policylint.yaml", base);
    let without = sarif_rules(dir.path());

    let with_override = format!(
        "{base}overrides:\n  - files: [\"drafts/**\"]\n    severity:\n      core/security: off\n"
    );
    write(dir.path(), "policylint.yaml", &with_override);
    let with = sarif_rules(dir.path());

    assert_eq!(without, with);
    let rules = with.as_array().unwrap();
    assert!(!rules.iter().any(|r| r["id"] == "core/children"));
    let cookies = rules.iter().find(|r| r["id"] == "core/cookies").unwrap();
    assert_eq!(cookies["defaultConfiguration"]["level"], "error");
}

/// The command line's linters for the core pack, without a configuration file.
fn core_linters(keep_chrome: bool) -> Linters {
    let options = LinterOptions {
        today: common::TODAY.parse().unwrap(),
        date_order: Default::default(),
        keep_chrome,
        language: Default::default(),
    };
    let flags = RuleFlags {
        packs: vec!["core".into()],
        ..RuleFlags::default()
    };
    Linters::new(None, flags, options)
}

#[test]
fn a_runs_first_file_is_read_while_the_rules_load_and_linted_as_any_other() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.html", FOOTER_CONTACT);
    write(dir.path(), "b.html", FOOTER_CONTACT);
    let paths = [dir.path().join("a.html"), dir.path().join("b.html")];
    let limit = 1 << 20;
    // With the site's footer kept, as the run's read options say, the page names a
    // contact address: the file read ahead is read with those options.
    let mut linters = core_linters(true);
    let jobs = plan::plan(&paths, Path::new("stdin.md"), &mut linters, limit).unwrap();
    assert!(
        matches!(&jobs[0], Job::ReadAhead(..)),
        "read while the rules load"
    );
    assert!(matches!(&jobs[1], Job::File(..)), "read when its job runs");
    let first = jobs[0].run(limit);
    let second = jobs[1].run(limit);
    assert_eq!(common::status(&first[0], "core/contact"), "pass");
    let json = |report: &policylint::FileReport| {
        let mut json = serde_json::to_value(report).unwrap();
        json["path"] = serde_json::Value::Null;
        json
    };
    assert_eq!(json(&first[0]), json(&second[0]));
    // A job run again reads its file again.
    assert_eq!(json(&jobs[0].run(limit)[0]), json(&first[0]));

    // A file over the size limit is its own report, read ahead or not.
    let mut linters = core_linters(true);
    let jobs = plan::plan(&paths, Path::new("stdin.md"), &mut linters, 10).unwrap();
    assert!(matches!(&jobs[0], Job::ReadAhead(..)));
    for job in &jobs {
        let error = job.run(10).remove(0).error.unwrap();
        assert!(error.contains("over the size limit"), "{error}");
    }
}

#[test]
fn rules_compile_once_per_set_of_packs_and_folders() {
    let mut linters = core_linters(false);
    let base = linters.base_settings();
    let mut quieter = base.clone();
    quieter.ignore.push("core/children".into());
    let quieter = quieter.normalise();
    let a = linters.linter(&base).unwrap();
    let b = linters.linter(&quieter).unwrap();
    assert!(!Arc::ptr_eq(&a, &b), "other settings, another linter");
    assert!(b.rules().get("core/children").is_none());
    assert!(a.rules().get("core/children").is_some());
    assert!(
        Arc::ptr_eq(&a.rules().leaves, &b.rules().leaves),
        "the same packs share one compilation"
    );

    let mut more = base.clone();
    more.packs.push("gdpr".into());
    let more = more.normalise();
    let c = linters.linter(&more).unwrap();
    assert!(!Arc::ptr_eq(&a.rules().leaves, &c.rules().leaves));
}

#[test]
fn the_language_server_lints_a_notice_member_with_its_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let clean = std::fs::read_to_string(common::repo().join("tests/fixtures/clean.md")).unwrap();
    let (start, end) = (
        clean.find("## Cookies").unwrap(),
        clean.find("## Sharing").unwrap(),
    );
    let privacy = format!("{}{}", &clean[..start], &clean[end..]);
    write(dir.path(), "privacy.md", &privacy);
    write(
        dir.path(),
        "cookies.md",
        &format!("# Cookie policy\n\n{}", &clean[start..end]),
    );
    write(dir.path(), "policylint.yaml", "packs: [core]\n");
    let setup = workspace::build_linter(Some(dir.path()), &RuleFlags::default()).unwrap();
    let page = dir.path().join("privacy.md");
    let uri: lsp_types::Uri = format!("file://{}", page.display()).parse().unwrap();
    let alone = setup.workspace.notice_for(Some(&page)).unwrap();
    assert!(alone.is_none(), "no notice is configured yet");
    let linter = setup.workspace.linter_for(Some(&page)).unwrap();
    let (linted, _) = linting::lint_version(
        linter,
        &uri,
        1,
        privacy.clone(),
        Format::Markdown,
        None,
        None,
    );
    assert_eq!(common::status(&linted.report, "core/cookies"), "fail");

    write(
        dir.path(),
        "policylint.yaml",
        "packs: [core]\nnotices:\n  - name: Privacy notice\n    files: [privacy.md, cookies.md]\n",
    );
    let setup = workspace::build_linter(Some(dir.path()), &RuleFlags::default()).unwrap();
    let notice = setup
        .workspace
        .notice_for(Some(&page))
        .unwrap()
        .expect("a notice member");
    let (linted, _) = linting::lint_version(
        Arc::clone(notice.linter()),
        &uri,
        2,
        privacy.clone(),
        Format::Markdown,
        Some(&notice),
        None,
    );
    assert_eq!(common::status(&linted.report, "core/cookies"), "pass");
    assert_eq!(linted.report.path, page.display().to_string());

    // The command line agrees.
    assert_eq!(
        command_line_status(dir.path(), "privacy.md", "core/cookies"),
        "pass"
    );
}
