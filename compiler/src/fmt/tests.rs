//! Tests of the formatter: fixtures (`fixtures/*.dvm` → reviewed insta
//! snapshots) and a round trip over every `.dvm`/`.nix` file of the
//! repository's corpora (stdlib, examples, tests/lang, tests/check, the
//! prelude): formatting is idempotent, keeps every comment, parses to the
//! same tree (checked inside `format_source`) and evaluates to the same
//! value.

use super::{comment_texts, format_source};
use crate::db::{Db, EvalRequest, RootDatabase};
use crate::diag::FileName;
use crate::source::DiskLoader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn name(s: &str) -> FileName {
    s.into()
}

fn fmt(text: &str) -> String {
    match format_source(&name("/t.dvm"), text) {
        Ok(out) => out,
        Err(d) => format!(
            "ERROR {:?}",
            d.iter().map(|d| &d.message).collect::<Vec<_>>()
        ),
    }
}

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/fmt/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    for f in files {
        let input = std::fs::read_to_string(&f).unwrap_or_default();
        let out = fmt(&input);
        assert_eq!(fmt(&out), out, "not idempotent: {}", f.display());
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        insta::assert_snapshot!(stem, out);
    }
}

#[test]
fn small_cases() {
    let cases = [
        ("{a=1;}", "{ a = 1; }\n"),
        ("[1 2]", "[ 1 2 ]\n"),
        ("{ }", "{ }\n"),
        ("x:x", "x: x\n"),
        ("a+b*c", "a + b * c\n"),
        ("(a+b)*c", "(a + b) * c\n"),
        ("f (g x)", "f (g x)\n"),
        ("- (-1)", "-(-1)\n"),
        ("let a=1;in a", "let a = 1; in a\n"),
        ("let\na=1;in a", "let\n  a = 1;\nin\na\n"),
        ("# only a comment\n1", "# only a comment\n1\n"),
        ("1 # trailing", "1 # trailing\n"),
        ("{ a = 1; } # trailing", "{ a = 1; } # trailing\n"),
    ];
    for (input, want) in cases {
        assert_eq!(fmt(input), want, "input: {input:?}");
    }
}

#[test]
fn syntax_errors_are_not_formatted() {
    let err = format_source(&name("/t.dvm"), "{ a = ; }")
        .err()
        .unwrap_or_default();
    assert!(!err.is_empty());
    assert!(
        err.iter()
            .all(|d| d.code != crate::codes::syntax::FORMAT_UNSAFE)
    );
}

/// Every file of the corpora, relative to the repository root.
fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = vec![root.join("compiler/src/types/prelude.dvm")];
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        let mut es: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        es.sort();
        for p in es {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "dvm" || x == "nix") {
                out.push(p);
            }
        }
    }
    for d in ["stdlib", "examples", "tests/lang", "tests/check"] {
        walk(&root.join(d), &mut out);
    }
    out
}

/// The value of `path` (with `text` as its contents), as JSON, or the
/// codes and messages of its errors.
fn value_of(path: &Path, text: Option<&str>) -> String {
    let mut db = RootDatabase::new(Arc::new(DiskLoader));
    let entry = match text {
        Some(t) => db.set_text(path, t),
        None => db.file(path),
    };
    let out = crate::db::evaluate(&db, EvalRequest::new(&db, entry, Vec::new()));
    match &out.value {
        Some(v) => {
            serde_json::to_string(v.as_ref()).unwrap_or_else(|e| format!("unserializable: {e}"))
        }
        None => out
            .diagnostics
            .iter()
            .map(|d| format!("{} {}\n", d.code, d.message))
            .collect(),
    }
}

fn round_trip(files: &[PathBuf]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut formatted = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let n = name(&path.to_string_lossy());
        let out = match format_source(&n, &text) {
            Ok(out) => out,
            Err(diags) => {
                // A file that does not parse is left alone; anything else
                // is a formatter bug.
                if diags
                    .iter()
                    .any(|d| d.code == crate::codes::syntax::FORMAT_UNSAFE)
                {
                    problems.push(format!("{}: {}", path.display(), diags[0].message));
                }
                continue;
            }
        };
        formatted += 1;
        match format_source(&n, &out) {
            Ok(again) if again == out => {}
            Ok(_) => problems.push(format!("{}: not idempotent", path.display())),
            Err(_) => problems.push(format!(
                "{}: formatted text does not format",
                path.display()
            )),
        }
        if comment_texts(&n, &text) != comment_texts(&n, &out) {
            problems.push(format!("{}: comments differ", path.display()));
        }
        if value_of(path, None) != value_of(path, Some(&out)) {
            problems.push(format!("{}: value differs", path.display()));
        }
    }
    assert!(formatted > 100, "only {formatted} files were formatted");
    problems
}

#[test]
fn corpus_round_trip() {
    let files = corpus();
    // Evaluation recurses deeply: run on a thread with the CLI's stack.
    let problems = std::thread::Builder::new()
        .stack_size(crate::EVAL_STACK_BYTES)
        .spawn(move || round_trip(&files))
        .map(|h| h.join().unwrap_or_else(|_| vec!["panicked".to_string()]))
        .unwrap_or_else(|e| vec![format!("cannot start thread: {e}")]);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
