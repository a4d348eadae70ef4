//! The language conformance corpus (`tests/lang/`, see its README): every
//! `eval-okay` case must print its expected JSON; every `eval-fail` and
//! `parse-fail` case must fail with diagnostics whose rendering is a
//! reviewed insta snapshot. Runs the real `dvm` binary, as a user would.

mod common;

use common::{Run, dvm_in};
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lang")
}

fn cases(prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.starts_with(prefix) && n.ends_with(".dvm"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn dvm(args: &[&str]) -> Run {
    dvm_in(&corpus(), args)
}

/// JSON equality where numbers compare by value (`1` equals `1.0`, as Nix
/// prints whole floats without a dot).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn eval_okay() {
    let names = cases("eval-okay-");
    assert!(
        names.len() >= 150,
        "the corpus has only {} okay cases",
        names.len()
    );
    let mut failures = Vec::new();
    for name in &names {
        let exp_path = corpus().join(name.replace(".dvm", ".exp.json"));
        let expected: serde_json::Value = match std::fs::read_to_string(&exp_path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: no readable expectation: {e}"));
                continue;
            }
        };
        let run = dvm(&["eval", name, "-o", "json"]);
        if run.code != Some(0) {
            failures.push(format!("{name}: exit {:?}\n{}", run.code, run.stderr));
            continue;
        }
        match serde_json::from_str::<serde_json::Value>(&run.stdout) {
            Ok(actual) if same(&actual, &expected) => {}
            Ok(actual) => failures.push(format!(
                "{name}:\n  expected {expected}\n  got      {actual}"
            )),
            Err(e) => failures.push(format!("{name}: output is not JSON ({e}): {}", run.stdout)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}

fn snapshot_failures(prefix: &str, min: usize, code_prefix: Option<&str>) {
    let names = cases(prefix);
    assert!(names.len() >= min, "only {} {prefix} cases", names.len());
    let mut problems = Vec::new();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(corpus().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for name in &names {
            let run = dvm(&["eval", name]);
            if run.code != Some(1) {
                problems.push(format!("{name}: expected exit 1, got {:?}", run.code));
            }
            if !run.stdout.is_empty() {
                problems.push(format!(
                    "{name}: printed a value on failure: {}",
                    run.stdout
                ));
            }
            if let Some(p) = code_prefix
                && !run.stderr.contains(&format!("[{p}"))
            {
                problems.push(format!("{name}: no {p}xx diagnostic in:\n{}", run.stderr));
            }
            if run.stderr.contains("panicked") || run.stderr.contains("crashed") {
                problems.push(format!("{name}: crashed:\n{}", run.stderr));
            }
            let snap = name.trim_end_matches(".dvm").to_string();
            insta::assert_snapshot!(snap, run.stderr);
        }
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn eval_fail() {
    snapshot_failures("eval-fail-", 40, None);
}

#[test]
fn parse_fail() {
    snapshot_failures("parse-fail-", 25, Some("E00"));
}

/// Inputs the fuzzer once broke dvm with (`tests/fuzz-regressions/`): each
/// must end, with a value or with diagnostics, never a crash or a hang.
#[test]
fn fuzz_regressions_end_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    assert!(!names.is_empty());
    for path in names {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dvm"))
            .arg("eval")
            .arg(&path)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run dvm: {e}"));
        let started = std::time::Instant::now();
        let status = loop {
            if let Ok(Some(status)) = child.try_wait() {
                break status;
            }
            // Generous: a hang, not a slow machine, is what this catches.
            if started.elapsed() > std::time::Duration::from_secs(60) {
                let _ = child.kill();
                panic!("{} did not finish", path.display());
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
        }
        assert!(
            matches!(status.code(), Some(0 | 1)),
            "{}: exit {:?}\n{stderr}",
            path.display(),
            status.code()
        );
        assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
    }
}
