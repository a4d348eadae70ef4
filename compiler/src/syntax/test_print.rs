//! Test support: a compact S-expression rendering of a syntax tree and of
//! diagnostics, for snapshots, and for the formatter's check that its
//! output is the same tree. Owns nothing else.
//!
//! ```text
//! { a.b = f x; }                 →   (attrs (a.b = (app f x)))
//! { p : [Int | Null] = [ ]; }    →   (attrs (p : [(| Int Null)] = []))
//! kind "K" { a : Int ? 1 }       →   (kind "K" (record (a Int ? 1)))
//! ```
//!
//! Types: a name as itself, `"lit"` quoted, `[T]`, `(| A B)`, `(-> A B)`,
//! `(app F A)`, `(paren T)`, `(record (a T) (b ?: T) (c T ? e) (... T))`;
//! a pattern field `name:T?e`; `ERROR` for a broken type.

use crate::syntax::ast::*;
use std::fmt::Write;

/// Renders `e`; with `spans`, every expression is followed by `@start..end`.
pub fn sexp(e: &Expr, spans: bool) -> String {
    let mut out = String::new();
    Printer {
        out: &mut out,
        spans,
    }
    .expr(e);
    out
}

/// One line per diagnostic: code, span, message, then its labels and help.
#[cfg(test)]
pub fn diags(errors: &[crate::diag::Diagnostic]) -> String {
    let mut out = String::new();
    for d in errors {
        let span = d
            .primary
            .as_ref()
            .map(|l| format!("{:?}", l.span))
            .unwrap_or_default();
        let _ = write!(out, "{} {span}: {}", d.code, d.message);
        if let Some(l) = &d.primary
            && !l.message.is_empty()
        {
            let _ = write!(out, " [{}]", l.message);
        }
        for l in &d.secondary {
            let _ = write!(out, " (+{:?} {})", l.span, l.message);
        }
        if let Some(h) = &d.help {
            let _ = write!(out, " help: {h}");
        }
        out.push('\n');
    }
    out
}

struct Printer<'o> {
    out: &'o mut String,
    spans: bool,
}

impl Printer<'_> {
    fn s(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn expr(&mut self, e: &Expr) {
        self.kind(&e.kind);
        if self.spans {
            let _ = write!(self.out, "@{:?}", e.span);
        }
    }

    fn kind(&mut self, k: &ExprKind) {
        match k {
            ExprKind::Error => self.s("ERROR"),
            ExprKind::Int(n) => {
                let _ = write!(self.out, "{n}");
            }
            ExprKind::Float(f) => {
                let _ = write!(self.out, "{f:?}");
            }
            ExprKind::Unit {
                number,
                text,
                suffix,
            } => {
                let _ = write!(self.out, "(unit {text} {number:?} {suffix})");
            }
            ExprKind::Str(parts) => match parts.as_slice() {
                [] => self.s("\"\""),
                [StrPart::Lit(s)] => {
                    let _ = write!(self.out, "{s:?}");
                }
                _ => {
                    self.s("(str");
                    self.parts(parts);
                    self.s(")");
                }
            },
            ExprKind::Path(parts) => {
                self.s("(path");
                self.parts(parts);
                self.s(")");
            }
            ExprKind::SearchPath(p) => {
                let _ = write!(self.out, "<{p}>");
            }
            ExprKind::Var(n) => self.s(n),
            ExprKind::Select {
                expr,
                path,
                default,
            } => {
                self.s("(. ");
                self.expr(expr);
                self.s(" ");
                self.path(path);
                if let Some(d) = default {
                    self.s(" (or ");
                    self.expr(d);
                    self.s(")");
                }
                self.s(")");
            }
            ExprKind::HasAttr { expr, path } => {
                self.s("(? ");
                self.expr(expr);
                self.s(" ");
                self.path(path);
                self.s(")");
            }
            ExprKind::Apply { func, arg } => {
                self.s("(app ");
                self.expr(func);
                self.s(" ");
                self.expr(arg);
                self.s(")");
            }
            ExprKind::Unary { op, expr } => {
                self.s(match op {
                    UnaryOp::Neg => "(neg ",
                    UnaryOp::Not => "(not ",
                });
                self.expr(expr);
                self.s(")");
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let _ = write!(self.out, "({} ", op.symbol());
                self.expr(lhs);
                self.s(" ");
                self.expr(rhs);
                self.s(")");
            }
            ExprKind::If { cond, then, else_ } => {
                self.s("(if ");
                self.expr(cond);
                self.s(" ");
                self.expr(then);
                self.s(" ");
                self.expr(else_);
                self.s(")");
            }
            ExprKind::Assert { cond, body } => {
                self.s("(assert ");
                self.expr(cond);
                self.s(" ");
                self.expr(body);
                self.s(")");
            }
            ExprKind::With { env, body } => {
                self.s("(with ");
                self.expr(env);
                self.s(" ");
                self.expr(body);
                self.s(")");
            }
            ExprKind::Let { bindings, body } => {
                self.s("(let");
                self.bindings(bindings);
                self.s(" ");
                self.expr(body);
                self.s(")");
            }
            ExprKind::Attrs { rec, bindings } => {
                self.s(if *rec { "(rec-attrs" } else { "(attrs" });
                self.bindings(bindings);
                self.s(")");
            }
            ExprKind::List(items) => {
                self.s("[");
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        self.s(" ");
                    }
                    self.expr(e);
                }
                self.s("]");
            }
            ExprKind::Kind { name, fields, .. } => {
                let _ = write!(self.out, "(kind {name:?} ");
                self.ty(fields);
                self.s(")");
            }
            ExprKind::Lambda { param, body } => {
                self.s("(fn ");
                match param {
                    Param::Ident(n, _) => self.s(n),
                    Param::Pattern {
                        fields,
                        ellipsis,
                        at,
                        ..
                    } => {
                        self.s("{");
                        for (i, f) in fields.iter().enumerate() {
                            if i > 0 {
                                self.s(" ");
                            }
                            self.s(&f.name);
                            if let Some(t) = &f.ty {
                                self.s(":");
                                self.ty(t);
                            }
                            if let Some(d) = &f.default {
                                self.s("?");
                                self.expr(d);
                            }
                        }
                        if *ellipsis {
                            self.s(if fields.is_empty() { "..." } else { " ..." });
                        }
                        self.s("}");
                        if let Some((n, _)) = at {
                            let _ = write!(self.out, "@{n}");
                        }
                    }
                }
                self.s(" ");
                self.expr(body);
                self.s(")");
            }
        }
    }

    fn parts(&mut self, parts: &[StrPart]) {
        for p in parts {
            self.s(" ");
            match p {
                StrPart::Lit(s) => {
                    let _ = write!(self.out, "{s:?}");
                }
                StrPart::Interp(e) => {
                    self.s("${");
                    self.expr(e);
                    self.s("}");
                }
            }
        }
    }

    fn path(&mut self, path: &[AttrKey]) {
        for (i, k) in path.iter().enumerate() {
            if i > 0 {
                self.s(".");
            }
            match k {
                AttrKey::Ident(n, _) => self.s(n),
                AttrKey::Str(parts, _) => match parts.as_slice() {
                    [] => self.s("\"\""),
                    [StrPart::Lit(s)] => {
                        let _ = write!(self.out, "{s:?}");
                    }
                    _ => {
                        self.s("(str");
                        self.parts(parts);
                        self.s(")");
                    }
                },
                AttrKey::Dynamic(e, _) => {
                    self.s("${");
                    self.expr(e);
                    self.s("}");
                }
            }
        }
    }

    fn bindings(&mut self, bindings: &[Binding]) {
        for b in bindings {
            self.s(" (");
            match b {
                Binding::Attr {
                    path,
                    ty,
                    value,
                    append,
                    doc,
                    span,
                } => {
                    self.path(path);
                    if let Some(t) = ty {
                        self.s(" : ");
                        self.ty(t);
                    }
                    self.s(if *append { " += " } else { " = " });
                    self.expr(value);
                    if let Some(d) = doc {
                        let _ = write!(self.out, " #doc {d:?}");
                    }
                    if self.spans {
                        let _ = write!(self.out, " @{span:?}");
                    }
                }
                Binding::TypeDecl {
                    name,
                    ty,
                    doc,
                    span,
                    ..
                } => {
                    let _ = write!(self.out, "type {name} = ");
                    self.ty(ty);
                    if let Some(d) = doc {
                        let _ = write!(self.out, " #doc {d:?}");
                    }
                    if self.spans {
                        let _ = write!(self.out, " @{span:?}");
                    }
                }
                Binding::Inherit { from, names, span } => {
                    self.s("inherit");
                    if let Some(f) = from {
                        self.s(" (");
                        self.expr(f);
                        self.s(")");
                    }
                    for n in names {
                        self.s(" ");
                        self.path(std::slice::from_ref(n));
                    }
                    if self.spans {
                        let _ = write!(self.out, " @{span:?}");
                    }
                }
            }
            self.s(")");
        }
    }
    fn ty(&mut self, t: &TypeExpr) {
        match t {
            TypeExpr::Error(_) => self.s("ERROR"),
            TypeExpr::Name(n, _) => self.s(n),
            TypeExpr::Literal(l, _) => {
                let _ = write!(self.out, "{l:?}");
            }
            TypeExpr::List(t, _) => {
                self.s("[");
                self.ty(t);
                self.s("]");
            }
            TypeExpr::Paren(t, _) => {
                self.s("(paren ");
                self.ty(t);
                self.s(")");
            }
            TypeExpr::Union(members, _) => {
                self.s("(|");
                for m in members {
                    self.s(" ");
                    self.ty(m);
                }
                self.s(")");
            }
            TypeExpr::Function { param, result, .. } => {
                self.s("(-> ");
                self.ty(param);
                self.s(" ");
                self.ty(result);
                self.s(")");
            }
            TypeExpr::Apply { func, arg, .. } => {
                self.s("(app ");
                self.ty(func);
                self.s(" ");
                self.ty(arg);
                self.s(")");
            }
            TypeExpr::Record { fields, rest, .. } => {
                self.s("(record");
                for f in fields {
                    let plain = f
                        .name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_'-".contains(c));
                    if plain {
                        let _ = write!(self.out, " ({}", f.name);
                    } else {
                        let _ = write!(self.out, " ({:?}", f.name);
                    }
                    self.s(if f.optional { " ?: " } else { " " });
                    self.ty(&f.ty);
                    if let Some(d) = &f.default {
                        self.s(" ? ");
                        self.expr(d);
                    }
                    if let Some(d) = &f.doc {
                        let _ = write!(self.out, " #doc {d:?}");
                    }
                    if self.spans {
                        let _ = write!(self.out, " @{:?}", f.span);
                    }
                    self.s(")");
                }
                if let Some(r) = rest {
                    self.s(" (... ");
                    self.ty(r);
                    self.s(")");
                }
                self.s(")");
            }
        }
        if self.spans {
            let _ = write!(self.out, "@{:?}", t.span());
        }
    }
}
