//! Which leaf patterns of the built-in packs cost the most to search. Every leaf is
//! searched through every sentence that may hold it (what the prefilter leaves), in
//! each policy, one leaf at a time on one core; the table lists the costliest leaves,
//! their share of the time, their matches, the text searched (the sentences that hold
//! the words the leaf needs), how much of it is in sentences that do hold a match,
//! and the rules that read them. The place to start when a rule change makes linting
//! slower: a costly leaf whose searched text rarely holds a match needs words that
//! most sentences have, and would gain from a rarer word it always needs. Each leaf's
//! first searches also build its automaton's states, so a few small policies show that
//! cost more than a large folder does.
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
    // Regexes are compiled on first use: compiled here, so that compiling is not
    // counted as searching.
    for leaf in leaves.iter() {
        leaf.regex(policylint::rules::Alphabet::Unicode);
        leaf.regex(policylint::rules::Alphabet::Plain);
    }

    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{} cannot be read: {e}", folder.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| Format::from_path(p).is_some_and(|f| f != Format::Docx))
        .collect();
    files.sort();

    let mut time = vec![Duration::ZERO; leaves.len()];
    let mut matches = vec![0usize; leaves.len()];
    // Bytes of the sentences each leaf searched, and of those among them with a match.
    let mut searched = vec![0usize; leaves.len()];
    let mut holding = vec![0usize; leaves.len()];
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
        let occurrences = leaves.prefilter().scan(doc.prose(), &doc.sentences);
        for (leaf, spent) in time.iter_mut().enumerate() {
            let start = Instant::now();
            let found = eval.leaf_matches(leaf);
            *spent += start.elapsed();
            matches[leaf] += found.len();
            let candidates = leaves
                .prefilter()
                .candidates(leaf, &occurrences)
                .unwrap_or_else(|| (0..doc.sentences.len() as u32).collect());
            let mut next = found.iter().map(|m| m.range().start).peekable();
            for sentence in candidates.iter().map(|&i| doc.sentences[i as usize]) {
                let length = sentence.end - sentence.start;
                searched[leaf] += length;
                while next.next_if(|&at| at < sentence.start).is_some() {}
                if next.peek().is_some_and(|&at| at < sentence.end) {
                    holding[leaf] += length;
                }
            }
        }
    }

    let total: Duration = time.iter().sum();
    let (all_searched, all_holding): (usize, usize) = (searched.iter().sum(), holding.iter().sum());
    println!(
        "{} leaves, {} policies, {:.2} MB of prose, {:.2} s searching ({:.2} MB/s of prose)",
        leaves.len(),
        files.len(),
        prose_bytes as f64 / 1e6,
        total.as_secs_f64(),
        prose_bytes as f64 / 1e6 / total.as_secs_f64().max(1e-9),
    );
    println!(
        "{:.1} MB searched ({:.0} bytes per byte of prose), {:.0}% of it in sentences with a match\n",
        all_searched as f64 / 1e6,
        all_searched as f64 / prose_bytes.max(1) as f64,
        percent(all_holding, all_searched),
    );
    println!(
        "| rank | seconds | share | running share | matches | KB searched | with a match | rules | pattern |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
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
            "| {} | {:.3} | {:.1}% | {:.1}% | {} | {} | {:.0}% | {} | `{}` |",
            rank + 1,
            time[leaf].as_secs_f64(),
            share(time[leaf], total),
            share(running, total),
            matches[leaf],
            searched[leaf] / 1000,
            percent(holding[leaf], searched[leaf]),
            readers.join(", "),
            pattern.replace('|', "\\|").replace('`', "'"),
        );
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

fn share(part: Duration, total: Duration) -> f64 {
    100.0 * part.as_secs_f64() / total.as_secs_f64().max(1e-9)
}
