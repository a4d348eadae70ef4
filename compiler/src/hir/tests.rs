//! Tests of lowering through [`super::lower::lower`]: what the syntax of
//! types (not checked yet) lowers to.
//!
//! The module is position-free, so "lowers exactly as unannotated code"
//! is checked by comparing modules: `let a : Int = 1; in a` and
//! `let a = 1; in a` must give equal [`Module`](super::Module)s.

use super::Lowered;
use super::lower::lower;
use crate::diag::FileName;
use std::path::Path;

fn lowered(src: &str) -> Lowered {
    let file: FileName = "test.dvm".into();
    let parsed = crate::syntax::parse(&file, src);
    assert!(parsed.errors.is_empty(), "{src}: {:?}", parsed.errors);
    lower(&parsed.root, &file, Path::new("/p"))
}

/// Diagnostics as `code span: message [label] help: …`, one per line.
fn diags(src: &str) -> String {
    crate::syntax::test_print::diags(&lowered(src).source_map.diagnostics)
}

#[test]
fn type_names_resolve_or_are_reported() {
    // Aliases, base types, kinds (built-in or in a variable) resolve.
    let ok = [
        "let a : Int = 1; in a",
        "let type Port = Int; p : Port = 1; q = p; in q",
        "rec { type T = [String]; a.b : T = [ ]; c = a; }",
        "{ name : String, port : Int ? 8080, ... }@a: [ name port a ]",
        "let F = kind \"F\" { on : Bool }; f : F = F { on = true; }; in f",
        "let w : Template Workspace = Template Workspace { }; in w",
        "let type Tree = { children : [Tree] }; in 1",
        "let type A = B; type B = Int; x : A = 1; in x",
    ];
    for src in ok {
        let l = lowered(src);
        assert!(
            l.source_map.diagnostics.is_empty(),
            "{src}: {:?}",
            l.source_map.diagnostics
        );
    }
    insta::assert_snapshot!(diags("let p : Integer = 1; in p"), @"E0106 8..15: unknown type `Integer` [no type, kind or alias has this name] help: did you mean `Int`?");
    insta::assert_snapshot!(diags("let type A = B; type B = A; in 1"), @r"
    E0107 21..22: type `B` is defined as itself [this alias never reaches a real type] help: an alias may refer to itself only inside a record or list type
    ");
    insta::assert_snapshot!(diags("Project { }"), @"W0102 0..7: `Project` is a deprecated name for `Domain` [builds a `Domain`] help: write `Domain` instead");
}

#[test]
fn type_declarations_are_not_variables() {
    // `Port` names a type, not a value: using it as one is undefined.
    insta::assert_snapshot!(diags("let type Port = Int; in Port"), @"E0101 24..28: undefined variable `Port` [not defined in this scope]");
    // A declaration does not clash with an attribute of the same name.
    insta::assert_snapshot!(diags("{ type a = Int; a = 1; }"), @"");
}
