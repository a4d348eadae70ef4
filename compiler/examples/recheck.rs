//! Benchmark of `dvm check` through the salsa db (issue: types and graph):
//! a cold check of a generated platform (`bench/platform/gen.py`), then
//! one-line edits of a leaf file, each followed by a re-check in the same
//! db, as the LSP will do. Prints the cold time and the distribution of
//! re-check times: the whole check (evaluation + graph) and the static
//! part alone (syntax, names, types of the edited file).
//!
//! `cargo run --release -p dvm-compiler --example recheck -- DIR [EDITS]`

use dvm_compiler::db::{self, Db, RootDatabase};
use dvm_compiler::source::DiskLoader;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let handle = std::thread::Builder::new()
        .stack_size(dvm_compiler::EVAL_STACK_BYTES)
        .spawn(run);
    if let Ok(h) = handle {
        let _ = h.join();
    }
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

fn run() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("/tmp/dvm-platform"),
    );
    let edits: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(50);
    let mut db = RootDatabase::new(Arc::new(DiskLoader));
    let entry = db.file(&dir.join("main.dvm"));
    let t = Instant::now();
    let errors = db::graph(&db, entry)
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .count();
    let cold = t.elapsed();
    println!(
        "cold check: {:.1} ms ({errors} errors)",
        cold.as_secs_f64() * 1000.0
    );

    let leaf = dir.join("domain-47.dvm");
    let text = std::fs::read_to_string(&leaf).unwrap_or_default();
    let mut full = Vec::new();
    let mut fixed = Vec::new();
    for i in 0..edits {
        // A one-line edit: one env value of one service changes.
        let edited = text.replacen("\"value-47-0-0\"", &format!("\"value-47-0-0-{i}\""), 1);
        let file = db.set_text(&leaf, &edited);
        let t = Instant::now();
        let _ = db::file_diagnostics(&db, file);
        fixed.push(t.elapsed());
        let t = Instant::now();
        let _ = db::graph(&db, entry);
        full.push(t.elapsed());
    }
    println!(
        "re-check after a one-line edit ({edits} edits): static part of the edited file p50 {:.2} ms p90 {:.2} ms; whole check (eval + graph) p50 {:.1} ms p90 {:.1} ms",
        pct(&mut fixed, 0.5),
        pct(&mut fixed, 0.9),
        pct(&mut full, 0.5),
        pct(&mut full, 0.9)
    );
}
