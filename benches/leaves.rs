//! Which leaf patterns of the built-in packs cost the most to search. Every leaf is
//! searched through every sentence that may hold it (what the prefilter leaves), in
//! each policy, one leaf at a time on one core; the table lists the costliest leaves,
//! their share of the time, their matches, and the rules that read them. The place to start when a rule change
//! makes linting slower. Each leaf's first searches also build its automaton's
//! states, so a few small policies show that cost more than a large folder does.
//!
//! `cargo bench --bench leaves` (the example policies) or
//! `cargo bench --bench leaves -- FOLDER [COUNT]` (the policies in a folder; COUNT
//! rows, 25 by default).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use policylint::matcher::Evaluator;
use policylint::{Document, Format, RuleSet};

fn main() {
    // `cargo bench` passes `--bench`; the rest are ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let folder = args.first().map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policies"),
        PathBuf::from,
    );
    let rows: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(25);

    let packs: Vec<String> = ["core", "gdpr", "ccpa", "caloppa", "coppa"]
        .map(String::from)
        .into();
    let rules = RuleSet::load(&packs, &[]).expect("the built-in packs load");
    let leaves = &rules.leaves;

    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{} cannot be read: {e}", folder.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| Format::from_path(p).is_some_and(|f| f != Format::Docx))
        .collect();
    files.sort();

    let mut time = vec![Duration::ZERO; leaves.len()];
    let mut matches = vec![0usize; leaves.len()];
    let mut prose_bytes = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipped (not UTF-8): {}", path.display());
            continue;
        };
        let format = Format::from_path(path).expect("filtered above");
        let doc = Document::parse(text, format);
        prose_bytes += doc.prose().len();
        let eval = Evaluator::reusing(&doc, leaves, None);
        for (leaf, spent) in time.iter_mut().enumerate() {
            let start = Instant::now();
            matches[leaf] += eval.leaf_matches(leaf).len();
            *spent += start.elapsed();
        }
    }

    let total: Duration = time.iter().sum();
    println!(
        "{} leaves, {} policies, {:.2} MB of prose, {:.2} s searching ({:.2} MB/s of prose)\n",
        leaves.len(),
        files.len(),
        prose_bytes as f64 / 1e6,
        total.as_secs_f64(),
        prose_bytes as f64 / 1e6 / total.as_secs_f64().max(1e-9),
    );
    println!("| rank | seconds | share | running share | matches | rules | pattern |");
    println!("|---|---|---|---|---|---|---|");
    let mut order: Vec<usize> = (0..leaves.len()).collect();
    order.sort_by_key(|&leaf| std::cmp::Reverse(time[leaf]));
    let mut running = Duration::ZERO;
    for (rank, &leaf) in order.iter().take(rows).enumerate() {
        running += time[leaf];
        let readers: Vec<&str> = rules
            .rules
            .iter()
            .filter(|rule| rules.leaves_of(rule).binary_search(&leaf).is_ok())
            .map(|rule| rule.id.as_str())
            .collect();
        let pattern: String = leaves[leaf]
            .pattern
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(90)
            .collect();
        println!(
            "| {} | {:.3} | {:.1}% | {:.1}% | {} | {} | `{}` |",
            rank + 1,
            time[leaf].as_secs_f64(),
            share(time[leaf], total),
            share(running, total),
            matches[leaf],
            readers.join(", "),
            pattern.replace('|', "\\|").replace('`', "'"),
        );
    }
}

fn share(part: Duration, total: Duration) -> f64 {
    100.0 * part.as_secs_f64() / total.as_secs_f64().max(1e-9)
}
