//! `dvm doc`, end to end: `docs/reference.md` is exactly what `dvm doc`
//! prints for the built-in kinds and the stdlib (so the reference the guide
//! links is never stale), every stdlib definition, parameter and field has
//! a doc comment, and files, directories and errors behave as a user
//! expects. Runs the real binary.

mod common;

use common::dvm_in;
use std::path::Path;

const REFERENCE_TARGETS: &[&str] = &[
    "<builtins>",
    "<stdlib/deps>",
    "<stdlib/workspaces>",
    "<stdlib/kinds>",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_reference_is_up_to_date_and_complete() {
    let mut args = vec!["doc"];
    args.extend(REFERENCE_TARGETS);
    let run = dvm_in(root(), &args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // No "no doc comment on …" warning: everything is documented.
    assert_eq!(run.stderr, "");
    let committed = std::fs::read_to_string(root().join("docs/reference.md")).unwrap_or_default();
    assert!(
        committed == run.stdout,
        "docs/reference.md is stale; regenerate it with\n  \
         cargo run -q -- doc '<builtins>' '<stdlib/deps>' '<stdlib/workspaces>' '<stdlib/kinds>' > docs/reference.md"
    );
    for heading in [
        "# `<builtins>`",
        "## `Workspace`",
        "| `nvim.plugins` |",
        "## `postgres`",
        "| `password` | `String \\| Secret` | `\"postgres\"` |",
        "## `kafka`",
        "## `goApi`",
        "## `NvimPlugin`",
        "| `telescope` | `NvimPlugin` |",
    ] {
        assert!(run.stdout.contains(heading), "missing {heading}");
    }
}

#[test]
fn doc_of_a_file_and_of_a_directory() {
    let run = dvm_in(root(), &["doc", "examples/two-stacks/web-stack.dvm"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("# `examples/two-stacks/web-stack.dvm`\n\nOne web stack as a template")
    );
    assert!(run.stdout.contains("A function returning an `Ecosystem`."));
    assert!(
        run.stdout
            .contains("| `portBase` | `Int` | required | The first of the stack's host ports")
    );
    // A directory means its main.dvm; a missing doc comment is a warning.
    let run = dvm_in(root(), &["doc", "examples/hello"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("# `examples/hello/main.dvm`\n\nThe smallest platform")
    );
}

#[test]
fn undocumented_definitions_are_warned_about() {
    let dir = root().join("tests/stdlib");
    let run = dvm_in(&dir, &["doc", "shadow/stdlib/deps/main.dvm"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: shadow/stdlib/deps/main.dvm: no doc comment on shadowed\n"
    );
}

#[test]
fn doc_errors() {
    let run = dvm_in(root(), &["doc", "<stdlib/nope>"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("`<stdlib/nope>` is not on the search path")
    );
    assert!(run.stdout.is_empty());
    let run = dvm_in(root(), &["doc", "tests/check/fail/nothing-here.dvm"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
    assert_eq!(dvm_in(root(), &["doc"]).code, Some(2));
}

#[test]
fn the_guide_teaches_with_the_examples_that_exist() {
    let guide = std::fs::read_to_string(root().join("docs/guide.md")).unwrap_or_default();
    assert!(
        guide.contains("](reference.md)"),
        "the guide links the reference"
    );
    let mut mentioned: Vec<&str> = guide
        .split("examples/")
        .skip(1)
        .filter_map(|rest| {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))?;
            Some(&rest[..end])
        })
        .filter(|n| !n.is_empty())
        .collect();
    mentioned.sort();
    mentioned.dedup();
    for name in &mentioned {
        assert!(
            root()
                .join("examples")
                .join(name)
                .join("main.dvm")
                .is_file(),
            "the guide mentions examples/{name}, which does not exist"
        );
    }
    for name in [
        "hello",
        "customer-platform",
        "two-stacks",
        "custom-kind",
        "language-tour",
    ] {
        assert!(
            mentioned.contains(&name),
            "the guide never shows examples/{name}"
        );
    }
}
