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
fn annotations_and_type_declarations_lower_like_plain_code() {
    for (typed, plain) in [
        ("let a : Int = 1; in a", "let a = 1; in a"),
        (
            "let type Port = Int; p : Port = 1; q = p; in q",
            "let p = 1; q = p; in q",
        ),
        (
            "rec { type T = [String]; a.b : T = [ ]; c = a; }",
            "rec { a.b = [ ]; c = a; }",
        ),
        ("{ xs : [Int] += [ 1 ]; }", "{ xs += [ 1 ]; }"),
        (
            "{ name : String, port : Int ? 8080, ... }@a: [ name port a ]",
            "{ name, port ? 8080, ... }@a: [ name port a ]",
        ),
        ("{ t : { a : Int ? undefinedInAType } }: t", "{ t }: t"),
    ] {
        let (t, p) = (lowered(typed), lowered(plain));
        assert_eq!(t.module, p.module, "{typed}");
        assert!(t.source_map.diagnostics.is_empty(), "{typed}");
    }
}

#[test]
fn type_declarations_are_not_variables() {
    // `Port` names a type, not a value: using it as one is undefined.
    insta::assert_snapshot!(diags("let type Port = Int; in Port"), @"E0101 24..28: undefined variable `Port` [not defined in this scope]");
    // A declaration does not clash with an attribute of the same name.
    insta::assert_snapshot!(diags("{ type a = Int; a = 1; }"), @"");
}

#[test]
fn kind_declarations_are_not_supported_yet() {
    let src = "{ FeatureFlag = kind \"FeatureFlag\" { enabled : Bool, rollout : Int ? 100 }; }";
    insta::assert_snapshot!(diags(src), @"E0105 16..34: kind declarations are not supported yet [kind `FeatureFlag` is declared here] help: the type checker will add kinds; until then, use a function with defaults, `{ a, b ? 1 }: { inherit a b; }`");
}
