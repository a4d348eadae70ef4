//! `dvm fmt` as a user meets it: files are rewritten in place (only when
//! they change), `--check` lists unformatted files and exits 1, a directory
//! means every `.dvm` below it, no FILE means ./main.dvm, and a file with a
//! syntax error is reported and left untouched.

mod common;

use common::dvm_in;
use std::path::Path;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"))
}

fn write(dir: &Path, name: &str, text: &str) {
    if let Some(parent) = dir.join(name).parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
    }
    std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("write {name}: {e}"));
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
}

#[test]
fn rewrites_in_place_then_check_passes() {
    let d = tmp();
    write(d.path(), "main.dvm", "{a=1;  # one\nb=[1 2];}");
    let check = dvm_in(d.path(), &["fmt", "--check"]);
    assert_eq!(check.code, Some(1), "{}", check.stderr);
    assert_eq!(check.stdout.trim(), "main.dvm");
    assert_eq!(
        read(d.path(), "main.dvm"),
        "{a=1;  # one\nb=[1 2];}",
        "--check wrote"
    );

    let run = dvm_in(d.path(), &["fmt"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(
        read(d.path(), "main.dvm"),
        "{\n  a = 1; # one\n  b = [ 1 2 ];\n}\n"
    );

    let again = dvm_in(d.path(), &["fmt", "--check", "main.dvm"]);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert!(again.stdout.is_empty(), "{}", again.stdout);
}

#[test]
fn directory_means_every_dvm_below_it() {
    let d = tmp();
    write(d.path(), "p/a.dvm", "{ a = 1; }\n");
    write(d.path(), "p/sub/b.dvm", "[1   2]");
    write(d.path(), "p/sub/c.dvm", "x:x");
    write(d.path(), "p/notes.txt", "[1   2]");
    let check = dvm_in(d.path(), &["fmt", "--check", "p"]);
    assert_eq!(check.code, Some(1), "{}", check.stderr);
    assert_eq!(check.stdout, "p/sub/b.dvm\np/sub/c.dvm\n");
    let run = dvm_in(d.path(), &["fmt", "p"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(read(d.path(), "p/sub/b.dvm"), "[ 1 2 ]\n");
    assert_eq!(read(d.path(), "p/sub/c.dvm"), "x: x\n");
    assert_eq!(read(d.path(), "p/notes.txt"), "[1   2]");
}

#[test]
fn syntax_error_is_reported_and_file_left_alone() {
    let d = tmp();
    write(d.path(), "bad.dvm", "{ a = ; }");
    write(d.path(), "good.dvm", "[1   2]");
    let run = dvm_in(d.path(), &["fmt", "bad.dvm", "good.dvm"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("E0006"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(read(d.path(), "bad.dvm"), "{ a = ; }");
    assert_eq!(read(d.path(), "good.dvm"), "[ 1 2 ]\n");
}

#[test]
fn missing_file_fails_cleanly() {
    let d = tmp();
    let run = dvm_in(d.path(), &["fmt", "nope.dvm"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot read nope.dvm"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_stdlib_and_the_examples_are_in_canonical_layout() {
    // `examples/customer-platform` stays a copy of the spec's example, as
    // written there.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let check = dvm_in(
        root,
        &[
            "fmt",
            "--check",
            "stdlib",
            "examples/hello",
            "examples/two-stacks",
            "examples/custom-kind",
        ],
    );
    assert_eq!(check.code, Some(0), "{}{}", check.stdout, check.stderr);
}
