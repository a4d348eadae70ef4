//! Tests of the lexer and parser through [`crate::syntax::parse`].
//!
//! Each snapshot lists inputs and what they parse to, one case per block:
//! the tree as an S-expression ([`test_print`]) and the diagnostics (code,
//! span, message, labels, help). Precedence cases were compared with
//! `nix-instantiate --parse` (Nix 2.8); string cases with
//! `nix-instantiate --eval`.

use super::ast::*;
use super::test_print::{diags, sexp};
use crate::diag::FileName;

fn parse(src: &str) -> Parse {
    let file: FileName = "test.dvm".into();
    super::parse(&file, src)
}

/// Renders each case as `src` / tree / errors, for one snapshot per topic.
fn check(cases: &[&str]) -> String {
    render(cases, false)
}

fn check_spans(cases: &[&str]) -> String {
    render(cases, true)
}

fn render(cases: &[&str], spans: bool) -> String {
    let mut out = String::new();
    for src in cases {
        let p = parse(src);
        out.push_str(&format!("> {src}\n{}\n", sexp(&p.root, spans)));
        out.push_str(&diags(&p.errors));
        out.push('\n');
    }
    out
}

/// Height of a tree, without recursion.
fn depth(e: &Expr) -> usize {
    let mut max = 0;
    let mut stack = vec![(e, 1usize)];
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        let d = d + 1;
        match &e.kind {
            ExprKind::Str(parts) | ExprKind::Path(parts) => {
                for p in parts {
                    if let StrPart::Interp(e) = p {
                        stack.push((e, d));
                    }
                }
            }
            ExprKind::Select {
                expr,
                path,
                default,
            } => {
                stack.push((expr, d));
                dynamic_keys(path, d, &mut stack);
                if let Some(x) = default {
                    stack.push((x, d));
                }
            }
            ExprKind::HasAttr { expr, path } => {
                stack.push((expr, d));
                dynamic_keys(path, d, &mut stack);
            }
            ExprKind::Apply { func: a, arg: b }
            | ExprKind::Binary { lhs: a, rhs: b, .. }
            | ExprKind::Assert { cond: a, body: b }
            | ExprKind::With { env: a, body: b } => {
                stack.push((a, d));
                stack.push((b, d));
            }
            ExprKind::Unary { expr, .. } => stack.push((expr, d)),
            ExprKind::If { cond, then, else_ } => {
                stack.extend([(&**cond, d), (&**then, d), (&**else_, d)]);
            }
            ExprKind::Let { bindings, body } => {
                stack.push((body, d));
                for b in bindings {
                    match b {
                        Binding::Attr { value, .. } => stack.push((value, d)),
                        Binding::Inherit { from: Some(f), .. } => stack.push((f, d)),
                        _ => {}
                    }
                }
            }
            ExprKind::Attrs { bindings, .. } => {
                for b in bindings {
                    match b {
                        Binding::Attr { value, .. } => stack.push((value, d)),
                        Binding::Inherit { from: Some(f), .. } => stack.push((f, d)),
                        _ => {}
                    }
                }
            }
            ExprKind::List(items) => stack.extend(items.iter().map(|e| (e, d))),
            ExprKind::Lambda { body, param } => {
                stack.push((body, d));
                if let Param::Pattern { fields, .. } = param {
                    stack.extend(
                        fields
                            .iter()
                            .filter_map(|f| f.default.as_ref())
                            .map(|e| (e, d)),
                    );
                }
            }
            _ => {}
        }
    }
    max
}

#[test]
fn precedence_matches_nix() {
    // Each checked against `nix-instantiate --parse --expr 'with {}; (…)'`.
    insta::assert_snapshot!(check(&[
        "-f x",
        "a ? b.c ++ d",
        "!a == b",
        "a // b // c",
        "a & b // c & d",
        "f x.y or z",
        "a -> b -> c",
        "1 - -1",
        "x: y: x + y",
        "a + !b + c",
        "a * !b + c",
        "a ? b ? c",
        "-a ? b",
        "!a ? b",
        "a - -b ++ c",
        "! a && b || c",
        "a || b && c -> d",
        "1 + 2 * 3 - 4 / 5",
        "a ++ b ++ c",
        "a < b == c",
        "a == (b < c)",
        "a.b.c or d.e or f",
        "f or",
        "f x or y",
        "[ f x or y ]",
        "[ a.b or c ]",
        "if a then b else c d",
        "f -1",
    ]));
}

#[test]
fn forms() {
    insta::assert_snapshot!(check(&[
        "{a}: a",
        "{ a ? 1 }@s: s",
        "s @ { a, b ? a + 1, ... }: b",
        "{ }: 1",
        "{ ... }: 1",
        "{ a, }: a",
        "let in 1",
        "let a = 1; b = a; in b",
        "let { a = 1; body = a; }",
        "rec {}",
        "rec { a = 1; b = a; }",
        "{ a.b.c = 1; \"x y\" = 2; ${z} = 3; inherit x; inherit (r) y \"z\"; }",
        "{ nvim.plugins += [ \"copilot\" ]; }",
        "{ or = 1; }.or",
        "{ inherit or; }",
        "a.${b}.\"c\"",
        "x ? \"a\".${b}",
        "[ 1 \"a\" ./p (f x) [ ] { } ]",
        "assert a; with b; c",
        "if a then b else if c then d else e",
        "type: kind: { type = 1; kind = 2; }.type",
        "f (x: x) { a = 1; }",
        "x: x.y",
    ]));
}

#[test]
fn strings() {
    insta::assert_snapshot!(check(&[
        r#""a\qb\$\${x}$${x}$$""#,
        r#""\n\t\r\\ \" \é""#,
        "\"a\r\nb\rc\"",
        r#""a ${ "b ${c}" } d""#,
        r#""${ {a="x";}.a }""#,
        r#""${"a"}b${"${"c"}"}""#,
        r#""""#,
        "''  a\n   b\n  ''",
        "''\n  a\n    b\n  ''",
        "''\n  a\n\n    b\n''",
        "'' a\n  b''",
        "''   \n  a\n''",
        "''\n\ta\n\tb''",
        "''\n  a\n  ${x} b\n ''",
        "''\n   ${x}\n  a''",
        "''\n  a\n  ''\\n''",
        "''\n  ''\\ a\n  b''",
        "''\n  a\n  ''\\n  b''",
        "''\n    a\n  ''$\n    b''",
        "''\n  a\n  \t\n  b\n''",
        "''\n  a\n    \n  b\n''",
        "''''$ ''' ''\\n ''\\t x''",
        "''\n  $${x} $''",
        "''\r\n  a\r\n  b''",
        "''''",
    ]));
}

#[test]
fn numbers_paths_units() {
    insta::assert_snapshot!(check(&[
        "[ 42 1.5 1.5e3 .5 1. 0.5e-2 ]",
        "1e3",
        "00.5",
        "[ 500ms 5s 10m 2h 7d 512Mi 10Gi 1Ki 1Ti 3K 4M 5G 6T 1.5h 0.5s ]",
        "[ 2x 10map 10m-x 1Kib 10ms' ]",
        "10m/2",
        "10m / 2",
        "2/3",
        "[ ./a ../a /abs a/b a.b/c a+b/c ./a-b_c.d ]",
        "./a/${x}/b",
        "./a${x}b/c",
        "a/${x}",
        "/${x}",
        "./${x}//y",
        "<nixpkgs> <a/b.c>",
        "a<b>c",
        "a/*b*/",
        "x:x",
        "a: a//b",
    ]));
}

#[test]
fn lexical_errors() {
    insta::assert_snapshot!(check(&[
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "1.5e400",
        "1.0e-320",
        "[ ~/x ~/${y}z ]",
        "./a/",
        "./a/${x}/",
        "{ a = €; }",
        "\"abc",
        "''abc",
        "/* x",
        "{ a = 1; } # fine\n/* open",
        "http://example.com",
        "<a/b/>",
    ]));
}

#[test]
fn recovery() {
    insta::assert_snapshot!(check(&[
        "",
        "# only a comment",
        ")",
        "a }",
        "{ a = 1; } }",
        "{ a = 1;",
        "(1 + 2",
        "{ a = (1 + 2; b = 3; }",
        "{ a = [1 2; b = (3; c = 4; }",
        "\"${ a\"",
        "\"${ ( }\"",
        "{ a = ; b = 2; c 3; d = 4; e = (1 + ); }",
        "{ a = 1 b = 2; }",
        "{\n  a = 1\n  b = 2;\n}",
        "{ a = 1 }",
        "let a = 1 in a",
        "let a = 1; a",
        "{ x = let a = 1; }",
        "if a then b",
        "if a b else c",
        "assert a b",
        "a.",
        "a.b or",
        "1 +",
        "- ;",
        "( )",
        "[1 -1]",
        "[ 1 + 2 ]",
        "1 + if a then b else c",
        "f let a = 1; in a",
        "{ ..., a }: a",
        "{ a, a }: a",
        "{ a }@a: a",
        "let ${a} = 1; in 1",
        "{ inherit ${a} \"${b}\" c; }",
        "a < b < c",
        "a == b != c",
        "(a < b) < c",
        "{ a = 1; ) b = 2; }",
        "{ a.${ = 1; }",
        "{ x = { a, ..., b }: a; y = 1; }",
    ]));
}

#[test]
fn doc_comments() {
    insta::assert_snapshot!(check(&[
        "{\n  ## The port.\n  ## Must be free.\n  port = 8080;\n  # plain comment\n  host = \"x\";\n}",
        "{\n  ##no space\n  a = 1;\n  ## detached\n\n  b = 2;\n  c = 3; ## trailing, not a doc\n  d = 4;\n}",
        "let\n  ## doc on let binding\n  x = 1;\nin x",
        "{\n  ## doc\n  # breaks the run\n  a = 1;\n  ##   indented text\n  ##\n  b.c = 2;\n}",
    ]));
}

#[test]
fn spans() {
    insta::assert_snapshot!(check_spans(&[
        "{ a.b = f x; inherit y; }",
        "let x = 1; in x + 2",
        "(a)",
        "f (g x).y or z",
        "-x ? a",
        "\"a${b}c\"",
        "x: { y ? 1, ... }@z: y",
    ]));
}

#[test]
fn deep_nesting_is_capped_and_safe() {
    // Runs on the test thread's default (2 MiB) stack on purpose.
    let mut out = String::new();
    for pat in [
        "(",
        "[",
        "{a=",
        "-",
        "!",
        "a: ",
        "let in ",
        "if a then b else ",
        "\"${",
        "a ++ ",
        "a + ",
        "f ",
        "a.b or ",
        "x.${",
        "{ a ? ",
        "assert a; ",
        "let a = ",
        "{a=let b=",
        "[(",
        "''${",
        "inherit (",
    ] {
        // Not a multiple of 1000, so the root is not itself cut. The
        // bracket and operator cases get the full 100k; the rest 10k, to
        // keep the debug-build test time down.
        let n = if ["(", "[", "{a=", "-", "\"${", "a ++ "].contains(&pat) {
            100_003
        } else {
            10_003
        };
        let src = format!("{}x", pat.repeat(n));
        let p = parse(&src);
        let d = depth(&p.root);
        assert!(
            d <= super::parser::MAX_DEPTH as usize + 1,
            "{pat:?}: depth {d}"
        );
        let codes: Vec<&str> = p.errors.iter().map(|e| e.code).collect();
        out.push_str(&format!(
            "{pat:?}: depth {d}, {} errors, codes {:?}\n",
            codes.len(),
            dedup(codes)
        ));
    }
    insta::assert_snapshot!(out);
}

fn dynamic_keys<'e>(path: &'e [AttrKey], d: usize, stack: &mut Vec<(&'e Expr, usize)>) {
    for k in path {
        if let AttrKey::Dynamic(e, _) = k {
            stack.push((e, d));
        }
    }
}

fn dedup(mut v: Vec<&str>) -> Vec<&str> {
    v.sort();
    v.dedup();
    v
}

#[test]
fn exactly_at_the_depth_limit() {
    let ok = format!("{}x{}", "(".repeat(999), ")".repeat(999));
    assert!(parse(&format!("[{ok}]")).errors.is_empty());
    let deep = format!("{}x{}", "[".repeat(1001), "]".repeat(1001));
    let p = parse(&deep);
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].code, crate::codes::syntax::TOO_DEEP);
    assert!(depth(&p.root) <= 1001);
}

/// A small deterministic generator of token soup: never panic, always a
/// tree, spans inside the text.
#[test]
fn never_panics_on_token_soup() {
    const PIECES: &[&str] = &[
        "a",
        "b",
        "1",
        "2.5",
        "10m",
        "\"",
        "\"x${",
        "''",
        "''\n  y ",
        "${",
        "}",
        "{",
        "(",
        ")",
        "[",
        "]",
        ";",
        "=",
        "+=",
        ":",
        "@",
        ",",
        "...",
        "?",
        ".",
        "or",
        "let",
        "in",
        "if",
        "then",
        "else",
        "rec",
        "inherit",
        "with",
        "assert",
        "-",
        "!",
        "+",
        "++",
        "//",
        "&",
        "&&",
        "||",
        "->",
        "==",
        "<",
        ">=",
        "./p",
        "/x",
        "a/${",
        "<n>",
        "~/h",
        "#c\n",
        "/*",
        "*/",
        "## d\n",
        "\\",
        "$",
        "'",
        "é",
        "\u{0}",
        "9999999999999999999",
        " ",
        "\n",
    ];
    let mut seed: u64 = 0x2545F4914F6CDD1D;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let len = (next() % 40) as usize;
        let src: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let p = parse(&src);
        let check_span = |s: Span| {
            assert!(
                s.start <= s.end && s.end as usize <= src.len(),
                "{src:?}: {s:?}"
            )
        };
        check_span(p.root.span);
        for e in &p.errors {
            if let Some(l) = &e.primary {
                check_span(l.span);
            }
            assert!(e.code.starts_with("E00"), "{src:?}");
        }
    }
}

#[test]
fn every_code_is_explained() {
    use crate::codes::syntax::CODES;
    let mut seen = std::collections::HashSet::new();
    for c in CODES {
        assert!(seen.insert(c.code), "duplicate {}", c.code);
        assert!(c.code.starts_with("E00") && c.code.len() == 5);
        assert!(!c.title.is_empty());
        assert!(c.explanation.len() > 150, "{} is too short", c.code);
        assert!(c.explanation.contains("Fix"), "{} has no fix", c.code);
    }
    // Every code the syntax stage emits is in the catalogue.
    let src = include_str!("parser.rs").to_string() + include_str!("lexer.rs");
    for word in src.split(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != ':') {
        if let Some(name) = word.strip_prefix("codes::") {
            let known = CODES.iter().any(|c| code_name(c.code) == Some(name));
            assert!(known, "codes::{name} is not in CODES");
        }
    }
}

fn code_name(code: &str) -> Option<&'static str> {
    use crate::codes::syntax::*;
    let all = [
        (UNEXPECTED_TOKEN, "UNEXPECTED_TOKEN"),
        (UNEXPECTED_CHAR, "UNEXPECTED_CHAR"),
        (UNCLOSED_DELIMITER, "UNCLOSED_DELIMITER"),
        (UNEXPECTED_CLOSER, "UNEXPECTED_CLOSER"),
        (MISSING_SEMICOLON, "MISSING_SEMICOLON"),
        (MISSING_EXPR, "MISSING_EXPR"),
        (UNTERMINATED_STRING, "UNTERMINATED_STRING"),
        (UNTERMINATED_COMMENT, "UNTERMINATED_COMMENT"),
        (INT_OVERFLOW, "INT_OVERFLOW"),
        (NUMBER_RANGE, "NUMBER_RANGE"),
        (PATH_TRAILING_SLASH, "PATH_TRAILING_SLASH"),
        (HOME_PATH, "HOME_PATH"),
        (TOO_DEEP, "TOO_DEEP"),
        (DUPLICATE_FORMAL, "DUPLICATE_FORMAL"),
        (DYNAMIC_ATTR, "DYNAMIC_ATTR"),
        (CHAINED_COMPARISON, "CHAINED_COMPARISON"),
    ];
    all.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

#[test]
fn every_file_starts_with_a_module_doc() {
    for (name, text) in [
        ("mod.rs", include_str!("mod.rs")),
        ("ast.rs", include_str!("ast.rs")),
        ("lexer.rs", include_str!("lexer.rs")),
        ("parser.rs", include_str!("parser.rs")),
        ("tests.rs", include_str!("tests.rs")),
        ("test_print.rs", include_str!("test_print.rs")),
        ("codes/syntax.rs", include_str!("../codes/syntax.rs")),
    ] {
        assert!(
            text.starts_with("//!"),
            "{name} does not start with a //! doc"
        );
    }
}
