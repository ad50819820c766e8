//! Every policy of the shared research corpus lints without an error, and every
//! position agrees with its byte offset. Skipped when the corpus is not beside the
//! repository (it is not part of it).

mod common;

use policylint::Format;

#[test]
fn corpus_policies_lint_with_exact_positions() {
    let Some(corpus) = common::shared_corpus() else {
        eprintln!("skipped: ../shared/corpus is not present");
        return;
    };
    let linter = common::core_linter();
    let mut linted = 0;
    for folder in ["opp115/text", "goppc150/text"] {
        let Ok(entries) = std::fs::read_dir(corpus.join(folder)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let report = linter.lint(&path.display().to_string(), text, Format::Text);
            assert_eq!(report.error, None, "{}", path.display());
            assert_eq!(report.rules.len(), linter.rules().rules.len());
            for d in &report.diagnostics {
                for p in [d.span.location.start, d.span.location.end] {
                    let before = &report.source[..p.offset];
                    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                    assert_eq!(p.line, before.matches('\n').count() + 1);
                    assert_eq!(
                        p.column,
                        report.source[line_start..p.offset].chars().count() + 1
                    );
                }
            }
            linted += 1;
        }
    }
    assert!(linted > 0, "the corpus folder holds no policies");
}
