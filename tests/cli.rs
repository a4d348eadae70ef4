//! The command line as a user meets it: bad input gets one clear error and
//! the documented exit code, never a panic; `--arg`, `--argstr`, `-A`,
//! `-I`, `--expr` and `-o yaml` do what they say; `explain` knows every
//! code.

mod common;

use common::{Run, dvm_in};
use std::path::Path;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"))
}

fn write(dir: &Path, name: &str, text: &[u8]) {
    if let Some(parent) = dir.join(name).parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
    }
    std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("write {name}: {e}"));
}

/// One error line with the code, exit 1, nothing on stdout, no panic.
fn assert_clean_failure(run: &Run, code: &str) {
    assert_eq!(run.code, Some(1), "stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
    assert!(
        run.stderr.contains(code),
        "expected {code} in: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn missing_file() {
    let d = tmp();
    let run = dvm_in(d.path(), &["eval", "nope.dvm"]);
    assert_clean_failure(&run, "E0302");
    assert_eq!(
        run.stderr.trim(),
        "error[E0302]: file `nope.dvm` does not exist"
    );
}

#[test]
fn directory_without_main() {
    let d = tmp();
    std::fs::create_dir(d.path().join("empty")).unwrap_or_else(|e| panic!("{e}"));
    let run = dvm_in(d.path(), &["eval", "empty"]);
    assert_clean_failure(&run, "E0302");
    assert!(run.stderr.contains("empty/main.dvm"), "{}", run.stderr);
}

#[test]
fn directory_means_main_dvm() {
    let d = tmp();
    write(d.path(), "app/main.dvm", b"{ ok = true; }");
    let run = dvm_in(d.path(), &["eval", "app"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "{\n  \"ok\": true\n}");
}

#[test]
fn invalid_utf8() {
    let d = tmp();
    write(d.path(), "bad.dvm", b"{ a = \"\xff\xfe\"; }");
    let run = dvm_in(d.path(), &["eval", "bad.dvm"]);
    assert_clean_failure(&run, "E0304");
    assert!(run.stderr.contains("offset 7"), "{}", run.stderr);
}

#[test]
fn huge_file_is_refused_without_reading_it() {
    let d = tmp();
    let f = std::fs::File::create(d.path().join("huge.dvm")).unwrap_or_else(|e| panic!("{e}"));
    // Sparse: 100 MB on paper, nothing on disk.
    f.set_len(100 * 1024 * 1024)
        .unwrap_or_else(|e| panic!("{e}"));
    let run = dvm_in(d.path(), &["eval", "huge.dvm"]);
    assert_clean_failure(&run, "E0305");
    assert!(run.stderr.contains("100 MiB"), "{}", run.stderr);
}

#[test]
fn file_importing_itself() {
    let d = tmp();
    write(d.path(), "self.dvm", b"(import ./self.dvm) // { a = 1; }");
    let run = dvm_in(d.path(), &["eval", "self.dvm"]);
    assert_clean_failure(&run, "E0301");
    assert!(
        run.stderr.contains("import cycle: self.dvm → self.dvm"),
        "{}",
        run.stderr
    );
}

#[test]
fn import_cycle_names_every_file() {
    let d = tmp();
    write(d.path(), "a.dvm", b"(import ./b.dvm) // { a = 1; }");
    write(d.path(), "b.dvm", b"(import ./c.dvm) // { b = 1; }");
    write(d.path(), "c.dvm", b"(import ./a.dvm) // { c = 1; }");
    let run = dvm_in(d.path(), &["eval", "a.dvm"]);
    assert_clean_failure(&run, "E0301");
    assert!(
        run.stderr
            .contains("import cycle: a.dvm → b.dvm → c.dvm → a.dvm"),
        "{}",
        run.stderr
    );
}

#[test]
fn args_attr_path_and_yaml() {
    let d = tmp();
    write(
        d.path(),
        "main.dvm",
        b"{ env ? \"dev\", replicas ? 1 }: { svc = { inherit env replicas; }; }",
    );
    let run = dvm_in(
        d.path(),
        &[
            "eval", "--argstr", "env", "prod", "--arg", "replicas", "2 + 1", "-A", "svc", "-o",
            "yaml",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "env: prod\nreplicas: 3\n");
    let missing = dvm_in(d.path(), &["eval", "-A", "svx"]);
    assert_clean_failure(&missing, "E0220");
    assert!(
        missing.stderr.contains("did you mean `svc`?"),
        "{}",
        missing.stderr
    );
}

#[test]
fn search_path_and_expr() {
    let d = tmp();
    write(d.path(), "lib/util.dvm", b"{ double = x: x * 2; }");
    write(d.path(), "lib/tools/main.dvm", b"{ name = \"tools\"; }");
    let lib = d.path().join("lib");
    let lib = lib.to_string_lossy();
    let run = dvm_in(
        d.path(),
        &[
            "eval",
            "-I",
            &lib,
            "--expr",
            "[ ((import <util>).double 21) (import <tools>).name ]",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    assert_eq!(v, serde_json::json!([42, "tools"]));
    let prefixed = dvm_in(
        d.path(),
        &[
            "eval",
            "-I",
            &format!("mylib={lib}"),
            "--expr",
            "(import <mylib/util>).double 1",
        ],
    );
    assert_eq!(prefixed.stdout.trim(), "2", "{}", prefixed.stderr);
    let missing = dvm_in(d.path(), &["eval", "--expr", "import <nowhere/x>"]);
    assert_clean_failure(&missing, "E0308");
}

#[test]
fn check_reports_every_error_and_exits_1() {
    let d = tmp();
    write(d.path(), "ok.dvm", b"{ a = 1; }");
    write(d.path(), "bad.dvm", b"{ a = b; c = d; e = 1 +; }");
    let ok = dvm_in(d.path(), &["check", "ok.dvm"]);
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    assert!(ok.stderr.is_empty(), "{}", ok.stderr);
    let bad = dvm_in(d.path(), &["check", "ok.dvm", "bad.dvm"]);
    assert_eq!(bad.code, Some(1));
    assert!(
        bad.stderr.contains("undefined variable `b`"),
        "{}",
        bad.stderr
    );
    assert!(
        bad.stderr.contains("undefined variable `d`"),
        "{}",
        bad.stderr
    );
    assert!(bad.stderr.contains("E0006"), "{}", bad.stderr);
    assert!(
        bad.stderr.contains("3 error(s), 0 warning(s)"),
        "{}",
        bad.stderr
    );
}

#[test]
fn explain_knows_every_code() {
    let d = tmp();
    let run = dvm_in(d.path(), &["explain", "E9999"]);
    assert_eq!(run.code, Some(2));
    let list = run
        .stderr
        .lines()
        .find(|l| l.starts_with("known codes: "))
        .unwrap_or_default();
    let codes: Vec<&str> = list
        .trim_start_matches("known codes: ")
        .split(", ")
        .collect();
    assert!(codes.len() >= 40, "{codes:?}");
    let mut seen = std::collections::HashSet::new();
    for code in codes {
        assert!(seen.insert(code), "{code} is listed twice");
        let run = dvm_in(d.path(), &["explain", &code.to_lowercase()]);
        assert_eq!(run.code, Some(0), "{code}");
        assert!(
            run.stdout.starts_with(&format!("{code}: ")),
            "{code}: {}",
            run.stdout
        );
        assert!(run.stdout.lines().count() >= 3, "{code} has no explanation");
    }
}

#[test]
fn usage_errors_exit_2() {
    let d = tmp();
    assert_eq!(dvm_in(d.path(), &["eval", "--nope"]).code, Some(2));
    assert_eq!(dvm_in(d.path(), &["frobnicate"]).code, Some(2));
    assert_eq!(
        dvm_in(d.path(), &["eval", "-o", "xml", "x.dvm"]).code,
        Some(2)
    );
}

/// The README's first command prints the hello example's graph.
#[test]
fn readme_graph_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = dvm_in(root, &["eval", "--graph", "-o", "yaml", "examples/hello"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(run.stdout.contains("container: dvm-hello-cache"));
    assert!(run.stdout.contains("CACHE_URL: redis://cache:6379"));
    assert!(run.stdout.contains("startOrder:"));
}

/// The README's language tour evaluates.
#[test]
fn readme_example_evaluates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = dvm_in(
        root,
        &["eval", "examples/language-tour", "--argstr", "env", "prod"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    assert_eq!(v["replicas"], 3);
    assert_eq!(v["summary"], "auth-api=8080, user-api=8081");
    assert_eq!(v["services"]["user-api"]["env"]["LOG_LEVEL"], "debug");
}
