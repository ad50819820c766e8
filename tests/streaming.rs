//! `--format jsonl` alone streams a record per file as files finish: the records,
//! their order, the summary, the exit code and baselines are those of the run that
//! collects every report first (jsonl beside another format).

mod common;

use std::path::Path;

use common::{TODAY, policylint};

const CLEAN: &str = include_str!("fixtures/clean.md");

/// Many small policies: clean ones, ones with findings in different places, an empty
/// file (an error record) and a plain-text one.
fn corpus(dir: &Path) {
    for i in 0..240 {
        let (name, text) = match i % 6 {
            0 => (format!("p{i:03}.md"), CLEAN.to_string()),
            1 => (
                format!("p{i:03}.md"),
                CLEAN.replace("our payment processor", "[Company Name]"),
            ),
            2 => (
                format!("p{i:03}.md"),
                format!("# Policy {i}\n\nWe collect your e-mail address. TODO: finish.\n"),
            ),
            3 => (
                format!("p{i:03}.txt"),
                format!("PRIVACY POLICY {i}\n\nWe keep data for as long as necessary.\n"),
            ),
            4 if i % 48 == 4 => (format!("p{i:03}.md"), String::new()),
            _ => (
                format!("sub/p{i:03}.md"),
                CLEAN.replace("## Children", &format!("## Children of {i}")),
            ),
        };
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn lint(dir: &Path, args: &[&str]) -> (Vec<u8>, Option<i32>) {
    let output = policylint()
        .current_dir(dir)
        .args([
            "lint",
            "--no-config",
            "--today",
            TODAY,
            "--pack",
            "core,gdpr",
        ])
        .args(args)
        .arg(".")
        .output()
        .unwrap();
    (output.stdout, output.status.code())
}

#[test]
fn streamed_records_match_the_collected_ones_in_content_and_order() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let (streamed, streamed_code) = lint(dir.path(), &["--format", "jsonl"]);
    let json = dir.path().join("report.json.out");
    let (collected, collected_code) = lint(
        dir.path(),
        &[
            "--format",
            "json",
            "--output",
            json.to_str().unwrap(),
            "--format",
            "jsonl",
        ],
    );
    assert_eq!(streamed_code, Some(2), "the empty file is an error");
    assert_eq!(streamed_code, collected_code);
    let streamed = String::from_utf8(streamed).unwrap();
    assert_eq!(streamed, String::from_utf8(collected).unwrap());

    // And they are the JSON report's diagnostics, file by file in its order.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let mut expected = Vec::new();
    for file in report["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        if let Some(error) = file["error"].as_str() {
            expected.push(format!("error {path} {error}"));
        }
        for d in file["diagnostics"].as_array().unwrap() {
            expected.push(format!("diagnostic {path} {}", d["fingerprint"]));
        }
    }
    let records: Vec<serde_json::Value> = streamed
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (summary, records) = records.split_last().unwrap();
    let got: Vec<String> = records
        .iter()
        .map(|r| match r["type"].as_str().unwrap() {
            "error" => format!(
                "error {} {}",
                r["path"].as_str().unwrap(),
                r["error"].as_str().unwrap()
            ),
            _ => format!(
                "diagnostic {} {}",
                r["path"].as_str().unwrap(),
                r["fingerprint"]
            ),
        })
        .collect();
    assert!(
        got.len() > 240,
        "every policy but the clean ones has findings"
    );
    assert_eq!(got, expected);
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["files"], 240);
    assert_eq!(summary["unreadable"], report["summary"]["unreadable"]);
    assert_eq!(summary["findings"], report["summary"]["findings"]);
}

#[test]
fn a_streamed_run_writes_and_reads_baselines_as_a_collected_one() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    // The empty file would stop a baseline being written.
    std::fs::remove_file(dir.path().join("p004.md")).unwrap();
    std::fs::remove_file(dir.path().join("p052.md")).unwrap();
    std::fs::remove_file(dir.path().join("p100.md")).unwrap();
    std::fs::remove_file(dir.path().join("p148.md")).unwrap();
    std::fs::remove_file(dir.path().join("p196.md")).unwrap();
    let other = dir.path().join("other.json.out");
    let other = other.to_str().unwrap();
    let (_, code) = lint(
        dir.path(),
        &["--format", "jsonl", "--write-baseline", "streamed.baseline"],
    );
    assert_eq!(code, Some(0));
    let (_, code) = lint(
        dir.path(),
        &[
            "--format",
            "json",
            "--output",
            other,
            "--format",
            "jsonl",
            "--write-baseline",
            "collected.baseline",
        ],
    );
    assert_eq!(code, Some(0));
    let streamed = std::fs::read_to_string(dir.path().join("streamed.baseline")).unwrap();
    assert!(streamed.contains("core/placeholder"));
    assert_eq!(
        streamed,
        std::fs::read_to_string(dir.path().join("collected.baseline")).unwrap()
    );

    // A new finding in one file: only it is reported, by both kinds of run.
    std::fs::write(
        dir.path().join("p000.md"),
        CLEAN.replace("our payment processor", "lorem ipsum"),
    )
    .unwrap();
    let baseline = ["--baseline", "streamed.baseline"];
    let (streamed, streamed_code) = lint(
        dir.path(),
        &[&["--format", "jsonl"][..], &baseline].concat(),
    );
    let (collected, collected_code) = lint(
        dir.path(),
        &[
            &["--format", "json", "--output", other, "--format", "jsonl"][..],
            &baseline,
        ]
        .concat(),
    );
    let streamed = String::from_utf8(streamed).unwrap();
    assert_eq!(streamed, String::from_utf8(collected).unwrap());
    assert_eq!(streamed_code, collected_code);
    let findings: Vec<&str> = streamed
        .lines()
        .filter(|l| l.contains(r#""type":"diagnostic""#))
        .collect();
    assert_eq!(findings.len(), 1, "{streamed}");
    assert!(findings[0].contains("p000.md"));
    assert!(streamed.lines().last().unwrap().contains(r#""baselined":"#));
}
