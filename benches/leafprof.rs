use std::time::Instant;
use policylint::rules::builtin_packs;
use policylint::{Document, Format, RuleSet};
use policylint::matcher::Evaluator;
use policylint::document::ReadOptions;

fn main() {
    let rules = RuleSet::load(&builtin_packs(), &[]).unwrap();
    let n = rules.leaves.len();
    println!("leaves: {n}");
    let mut files = Vec::new();
    for dir in ["/work/shared/corpus/opp115/text", "/work/shared/corpus/opp115/html", "/work/shared/corpus/goppc150/text"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            files.push(p);
        }
    }
    let mut per_leaf = vec![0f64; n];
    let mut parse = 0.0;
    let mut total_bytes = 0;
    let mut lint = 0.0;
    let linter = policylint::Linter::new(RuleSet::load(&builtin_packs(), &[]).unwrap(), "2026-11-29".parse().unwrap());
    for p in &files {
        let bytes = std::fs::read(p).unwrap();
        total_bytes += bytes.len();
        let format = Format::from_path(p).unwrap();
        let t = Instant::now();
        let doc = Document::read(bytes.clone(), format, &ReadOptions::default()).unwrap();
        parse += t.elapsed().as_secs_f64();
        let ev = Evaluator::new(&doc, &rules.leaves);
        for i in 0..n {
            let t = Instant::now();
            ev.leaf_matches(i);
            per_leaf[i] += t.elapsed().as_secs_f64();
        }
        let t = Instant::now();
        let _ = linter.lint_bytes("x", bytes, format);
        lint += t.elapsed().as_secs_f64();
    }
    let sum: f64 = per_leaf.iter().sum();
    println!("bytes {total_bytes} parse {parse:.3}s all-leaves {sum:.3}s lint_bytes {lint:.3}s");
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|a, b| per_leaf[*b].partial_cmp(&per_leaf[*a]).unwrap());
    for &i in idx.iter().take(40) {
        let s = rules.leaves[i].regex.as_str();
        println!("{:8.3}s {:4} {}", per_leaf[i], i, &s[..s.len().min(150)]);
    }
}
