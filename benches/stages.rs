//! The stages of a lint, in process: parsing each format, the engine with every pack
//! on a ~100 KB policy (the budget for re-linting as someone types), and writing each
//! output format. `cargo bench --bench stages`; the whole-process figures come from
//! scripts/bench.sh.

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::{Bencher, black_box};
use policylint::report::{self, OutputFormat, Style};
use policylint::rules::{Catalog, builtin_packs};
use policylint::{Document, FileReport, Format, Linter, RuleSet};

fn main() {
    divan::main();
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example policies, one after another, to about 100 KB of Markdown.
fn policy_100kb() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut names: Vec<PathBuf> = std::fs::read_dir(repo().join("examples").join("policies"))
            .expect("examples/policies/ is readable")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        names.sort();
        let mut text = String::new();
        while text.len() < 100_000 {
            for name in &names {
                text.push_str(&std::fs::read_to_string(name).expect("example is readable"));
                text.push_str("\n\n");
            }
        }
        text
    })
}

/// The same policy as an HTML page.
fn as_html(markdown: &str) -> String {
    let mut html = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Privacy</title></head>\
         <body><nav><a href=\"/\">Home</a></nav><main>\n",
    );
    for block in markdown.split("\n\n") {
        let block = block.replace('&', "&amp;").replace('<', "&lt;");
        match block
            .strip_prefix("## ")
            .or_else(|| block.strip_prefix("# "))
        {
            Some(heading) => html.push_str(&format!("<h2>{heading}</h2>\n")),
            None => html.push_str(&format!("<p>{block}</p>\n")),
        }
    }
    html.push_str("</main><footer>© Example</footer></body></html>\n");
    html
}

/// The same policy as plain text.
fn as_text(markdown: &str) -> String {
    markdown
        .replace("**", "")
        .replace("## ", "")
        .replace("# ", "")
}

fn all_packs() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        let rules = RuleSet::load(&builtin_packs(), &[]).expect("built-in packs load");
        Linter::new(rules, "2026-11-23".parse().expect("a date"))
    })
}

#[divan::bench(args = ["markdown", "html", "text"])]
fn parse(bencher: Bencher, format: &str) {
    let (text, format) = match format {
        "markdown" => (policy_100kb().to_string(), Format::Markdown),
        "html" => (as_html(policy_100kb()), Format::Html),
        _ => (as_text(policy_100kb()), Format::Text),
    };
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .with_inputs(|| text.clone())
        .bench_values(|text| Document::parse(text, format));
}

/// Re-linting a 100 KB policy with every pack: parse, rules, findings.
#[divan::bench]
fn relint_all_packs_100kb(bencher: Bencher) {
    let linter = all_packs();
    let text = policy_100kb();
    bencher
        .counter(divan::counter::BytesCount::of_str(text))
        .with_inputs(|| text.to_string())
        .bench_values(|text| linter.lint("policy.md", text, Format::Markdown));
}

/// The rules alone on a parsed 100 KB policy.
#[divan::bench]
fn engine_all_packs_100kb(bencher: Bencher) {
    let linter = all_packs();
    let text = policy_100kb();
    bencher
        .with_inputs(|| Document::parse(text.to_string(), Format::Markdown))
        .bench_values(|doc| linter.lint_document("policy.md", doc));
}

/// Ten reports of the 100 KB policy.
fn reports() -> &'static [FileReport] {
    static REPORTS: OnceLock<Vec<FileReport>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        (0..10)
            .map(|i| {
                all_packs().lint(
                    &format!("policy{i}.md"),
                    policy_100kb().to_string(),
                    Format::Markdown,
                )
            })
            .collect()
    })
}

#[divan::bench(args = ["human", "short", "json", "jsonl", "sarif", "github", "junit"])]
fn write_report(bencher: Bencher, format: &str) {
    let format = match format {
        "human" => OutputFormat::Human,
        "short" => OutputFormat::Short,
        "json" => OutputFormat::Json,
        "jsonl" => OutputFormat::Jsonl,
        "sarif" => OutputFormat::Sarif,
        "github" => OutputFormat::Github,
        _ => OutputFormat::Junit,
    };
    let reports = reports();
    let catalog = Catalog::of(all_packs().rules());
    let style = Style {
        color: false,
        width: 100,
        checklist: false,
        verbose: false,
    };
    bencher.bench(|| {
        let mut out = Vec::new();
        report::write(format, reports, &catalog, style, &mut out).expect("writing to memory");
        black_box(out.len())
    });
}
