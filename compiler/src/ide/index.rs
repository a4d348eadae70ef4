//! The name index of one file: every variable binding with the span of its
//! name, every use of a variable with the binding it refers to, and the
//! ranges in which each binding is visible (for completion).
//!
//! Lowering resolves names to frame slots and keeps no spans of bindings;
//! the IDE needs spans both ways (definition, references, rename), so this
//! walks the syntax tree with the same scoping rules as
//! [`crate::hir::lower`]: a `let` and a `rec { … }` bind their static
//! attributes (the first key of a path) for their values and body; a lambda
//! binds its parameter, pattern fields and `@` name for its defaults and
//! body; `inherit x;` inside a `let`/`rec` names the `x` outside it; a
//! `with` binds nothing lexically (lexical names win over it). A type name
//! that is not a base type may name a variable (a kind held in a `let`).
//!
//! Example: in `let a = 1; f = x: a + x; in f 2`, the index holds the
//! bindings `a`, `f` (scope: the whole `let`) and `x` (scope: the lambda),
//! and uses `a` → `a`, `x` → `x`, `f` → `f`.
//!
//! It knows nothing of values or types; it never panics on a broken tree
//! (an `Error` node binds and uses nothing).

use crate::db::{self, Db, SourceFile};
use crate::syntax::ast::{self, AttrKey, Binding, ExprKind, Param, Span, StrPart, TypeExpr};
use std::sync::Arc;

/// What introduces a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingKind {
    /// `let x = …;` (also `inherit`ed names in a `let`).
    Let,
    /// A static attribute of a `rec { … }`.
    Rec,
    /// `x: …`
    Param,
    /// `{ x, … }: …`
    PatternField,
    /// `{ … }@x: …`
    At,
}

/// One variable binding.
#[derive(Clone, Debug, PartialEq)]
pub struct Def {
    pub name: Arc<str>,
    /// The span of the name where it is bound.
    pub span: Span,
    pub kind: BindingKind,
    /// The `## …` comment above the binding.
    pub doc: Option<String>,
    /// How the value is given, for going to where it comes from.
    pub value: DefValue,
}

/// Where a binding's value comes from, when the tree says so.
#[derive(Clone, Debug, PartialEq)]
pub enum DefValue {
    /// `x = e;` (the span of `e`).
    Expr(Span),
    /// `inherit (import <p>) x;` or `inherit (import ./f.dvm) x;`: the
    /// import's target, as a path literal (resolved) or a search path.
    ImportedAttr { target: ImportTarget },
    /// A parameter, an `inherit` from something else, a nested path.
    Other,
}

/// What an `import` reads, as written.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportTarget {
    /// An absolute path (a path literal resolved against the file's
    /// directory).
    Path(String),
    /// `<a/b>`
    Search(String),
}

/// One use of a variable (or of a kind through a type name).
#[derive(Clone, Debug, PartialEq)]
pub struct Use {
    pub span: Span,
    /// Index into [`NameIndex::defs`].
    pub def: usize,
}

/// A range of text and the bindings visible in it (besides those of
/// enclosing ranges).
#[derive(Clone, Debug, PartialEq)]
pub struct ScopeRange {
    pub span: Span,
    pub defs: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct NameIndex {
    pub defs: Vec<Def>,
    pub uses: Vec<Use>,
    pub scopes: Vec<ScopeRange>,
    /// `import e` applications whose argument is a literal: span of the
    /// argument and its target.
    pub imports: Vec<(Span, ImportTarget)>,
    /// Names of `inherit x;` (without a source): each is a use of `x` and
    /// also an attribute (or binding) name, so renaming it changes more.
    pub inherit_keys: Vec<Span>,
}

impl NameIndex {
    /// The binding a name at `offset` is, or refers to.
    pub fn def_at(&self, offset: u32) -> Option<usize> {
        let hit = |s: Span| s.start <= offset && offset <= s.end;
        if let Some(u) = self.uses.iter().find(|u| hit(u.span)) {
            return Some(u.def);
        }
        self.defs.iter().position(|d| hit(d.span))
    }

    /// Every binding visible at `offset`, innermost first (a shadowed name
    /// appears once, for its innermost binding).
    pub fn visible_at(&self, offset: u32) -> Vec<usize> {
        let mut ranges: Vec<&ScopeRange> = self
            .scopes
            .iter()
            .filter(|s| s.span.start <= offset && offset <= s.span.end)
            .collect();
        ranges.sort_by_key(|s| std::cmp::Reverse(s.span.start));
        let mut out: Vec<usize> = Vec::new();
        for r in ranges {
            for &d in &r.defs {
                let name = &self.defs[d].name;
                if !out.iter().any(|&o| &self.defs[o].name == name) {
                    out.push(d);
                }
            }
        }
        out
    }
}

/// The name index of a file (see the module doc).
#[salsa::tracked(returns(ref))]
pub fn name_index(db: &dyn Db, file: SourceFile) -> NameIndex {
    let parsed = db::parse(db, file);
    let dir = file
        .path(db)
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(|| std::path::PathBuf::from("/"));
    let mut w = Walker {
        out: NameIndex::default(),
        frames: Vec::new(),
        dir,
    };
    w.expr(&parsed.root);
    w.out
}

struct Walker {
    out: NameIndex,
    /// Bindings in scope, innermost last: `(name, def)`.
    frames: Vec<Vec<(Arc<str>, usize)>>,
    dir: std::path::PathBuf,
}

impl Walker {
    fn lookup(&self, name: &str, skip: usize) -> Option<usize> {
        let n = self.frames.len().saturating_sub(skip);
        self.frames[..n]
            .iter()
            .rev()
            .find_map(|f| f.iter().find(|(n, _)| &**n == name).map(|(_, d)| *d))
    }

    fn use_name(&mut self, name: &str, span: Span, skip: usize) {
        if let Some(def) = self.lookup(name, skip) {
            self.out.uses.push(Use { span, def });
        }
    }

    fn def(&mut self, d: Def) -> usize {
        self.out.defs.push(d);
        self.out.defs.len() - 1
    }

    fn import_target(&self, e: &ast::Expr) -> Option<ImportTarget> {
        match &e.kind {
            ExprKind::Path(parts) => match parts.as_slice() {
                [StrPart::Lit(p)] => Some(ImportTarget::Path(crate::hir::lower::resolve_path(
                    &self.dir, p,
                ))),
                _ => None,
            },
            ExprKind::SearchPath(p) => Some(ImportTarget::Search(p.to_string())),
            _ => None,
        }
    }

    /// `import <p>` / `import ./f.dvm` (possibly in parentheses).
    fn imported(&self, e: &ast::Expr) -> Option<ImportTarget> {
        match &e.kind {
            ExprKind::Apply { func, arg } => match &func.kind {
                ExprKind::Var(n) if &**n == "import" && self.lookup("import", 0).is_none() => {
                    self.import_target(arg)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The bindings a `let` or `rec` list makes, in order, first
    /// occurrence of each name.
    fn binding_defs(&mut self, bindings: &[Binding], kind: BindingKind) -> Vec<(Arc<str>, usize)> {
        let mut frame: Vec<(Arc<str>, usize)> = Vec::new();
        for b in bindings {
            match b {
                Binding::Attr {
                    path, value, doc, ..
                } => {
                    let Some(first) = path.first() else { continue };
                    let Some(name) = first.static_name() else {
                        continue;
                    };
                    if frame.iter().any(|(n, _)| *n == name) {
                        continue;
                    }
                    let value = if path.len() == 1 {
                        DefValue::Expr(value.span)
                    } else {
                        DefValue::Other
                    };
                    let d = self.def(Def {
                        name: name.clone(),
                        span: first.span(),
                        kind,
                        doc: doc.clone(),
                        value,
                    });
                    frame.push((name, d));
                }
                Binding::Inherit { from, names, .. } => {
                    let target = from.as_deref().and_then(|f| self.imported(f));
                    for key in names {
                        let Some(name) = key.static_name() else {
                            continue;
                        };
                        if frame.iter().any(|(n, _)| *n == name) {
                            continue;
                        }
                        let value = match &target {
                            Some(t) => DefValue::ImportedAttr { target: t.clone() },
                            None => DefValue::Other,
                        };
                        let d = self.def(Def {
                            name: name.clone(),
                            span: key.span(),
                            kind,
                            doc: None,
                            value,
                        });
                        frame.push((name, d));
                    }
                }
                Binding::TypeDecl { .. } => {}
            }
        }
        frame
    }

    /// Walks the values of a binding list. `skip` is how many frames an
    /// `inherit x;` skips (1 when the list made a frame).
    fn binding_values(&mut self, bindings: &[Binding], skip: usize) {
        for b in bindings {
            match b {
                Binding::Attr {
                    path, ty, value, ..
                } => {
                    self.keys(path);
                    if let Some(t) = ty {
                        self.ty(t);
                    }
                    self.expr(value);
                }
                Binding::Inherit { from, names, .. } => match from {
                    Some(f) => self.expr(f),
                    None => {
                        for key in names {
                            if let Some(name) = key.static_name() {
                                self.use_name(&name, key.span(), skip);
                                self.out.inherit_keys.push(key.span());
                            }
                        }
                    }
                },
                Binding::TypeDecl { ty, .. } => self.ty(ty),
            }
        }
    }

    fn keys(&mut self, path: &[AttrKey]) {
        for k in path {
            match k {
                AttrKey::Ident(..) => {}
                AttrKey::Str(parts, _) => self.parts(parts),
                AttrKey::Dynamic(e, _) => self.expr(e),
            }
        }
    }

    fn parts(&mut self, parts: &[StrPart]) {
        for p in parts {
            if let StrPart::Interp(e) = p {
                self.expr(e);
            }
        }
    }

    fn scope(&mut self, span: Span, frame: &[(Arc<str>, usize)]) {
        self.out.scopes.push(ScopeRange {
            span,
            defs: frame.iter().map(|(_, d)| *d).collect(),
        });
    }

    fn ty(&mut self, t: &TypeExpr) {
        match t {
            TypeExpr::Error(_) | TypeExpr::Literal(..) => {}
            TypeExpr::Name(n, span) => {
                if crate::hir::BaseTy::from_name(n).is_none() {
                    self.use_name(n, *span, 0);
                }
            }
            TypeExpr::List(inner, _) | TypeExpr::Paren(inner, _) => self.ty(inner),
            TypeExpr::Record { fields, rest, .. } => {
                for f in fields {
                    self.ty(&f.ty);
                    if let Some(d) = &f.default {
                        self.expr(d);
                    }
                }
                if let Some(r) = rest {
                    self.ty(r);
                }
            }
            TypeExpr::Union(ms, _) => {
                for m in ms {
                    self.ty(m);
                }
            }
            TypeExpr::Function { param, result, .. } => {
                self.ty(param);
                self.ty(result);
            }
            TypeExpr::Apply { func, arg, .. } => {
                self.ty(func);
                self.ty(arg);
            }
        }
    }

    fn expr(&mut self, e: &ast::Expr) {
        match &e.kind {
            ExprKind::Error
            | ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Unit { .. }
            | ExprKind::SearchPath(_) => {}
            ExprKind::Str(parts) | ExprKind::Path(parts) => self.parts(parts),
            ExprKind::Var(name) => self.use_name(name, e.span, 0),
            ExprKind::Select {
                expr,
                path,
                default,
            } => {
                self.expr(expr);
                self.keys(path);
                if let Some(d) = default {
                    self.expr(d);
                }
            }
            ExprKind::HasAttr { expr, path } => {
                self.expr(expr);
                self.keys(path);
            }
            ExprKind::Apply { func, arg } => {
                if let ExprKind::Var(n) = &func.kind
                    && &**n == "import"
                    && self.lookup("import", 0).is_none()
                    && let Some(t) = self.import_target(arg)
                {
                    self.out.imports.push((arg.span, t));
                }
                self.expr(func);
                self.expr(arg);
            }
            ExprKind::Unary { expr, .. } => self.expr(expr),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::If { cond, then, else_ } => {
                self.expr(cond);
                self.expr(then);
                self.expr(else_);
            }
            ExprKind::Assert { cond, body } => {
                self.expr(cond);
                self.expr(body);
            }
            ExprKind::With { env, body } => {
                self.expr(env);
                self.expr(body);
            }
            ExprKind::Let { bindings, body } => {
                let frame = self.binding_defs(bindings, BindingKind::Let);
                self.scope(e.span, &frame);
                self.frames.push(frame);
                self.binding_values(bindings, 1);
                self.expr(body);
                self.frames.pop();
            }
            ExprKind::Attrs { rec, bindings } => {
                if *rec {
                    let frame = self.binding_defs(bindings, BindingKind::Rec);
                    self.scope(e.span, &frame);
                    self.frames.push(frame);
                    self.binding_values(bindings, 1);
                    self.frames.pop();
                } else {
                    self.binding_values(bindings, 0);
                }
            }
            ExprKind::List(items) => {
                for i in items {
                    self.expr(i);
                }
            }
            ExprKind::Lambda { param, body } => {
                let mut frame = Vec::new();
                match param {
                    Param::Ident(n, span) => {
                        let d = self.def(Def {
                            name: n.clone(),
                            span: *span,
                            kind: BindingKind::Param,
                            doc: None,
                            value: DefValue::Other,
                        });
                        frame.push((n.clone(), d));
                    }
                    Param::Pattern { fields, at, .. } => {
                        for f in fields {
                            let span = Span {
                                start: f.span.start,
                                end: f.span.start.saturating_add(f.name.len() as u32),
                            };
                            let d = self.def(Def {
                                name: f.name.clone(),
                                span,
                                kind: BindingKind::PatternField,
                                doc: None,
                                value: DefValue::Other,
                            });
                            frame.push((f.name.clone(), d));
                        }
                        if let Some((n, span)) = at {
                            let d = self.def(Def {
                                name: n.clone(),
                                span: *span,
                                kind: BindingKind::At,
                                doc: None,
                                value: DefValue::Other,
                            });
                            frame.push((n.clone(), d));
                        }
                    }
                }
                self.scope(e.span, &frame);
                self.frames.push(frame);
                if let Param::Pattern { fields, .. } = param {
                    for f in fields {
                        if let Some(t) = &f.ty {
                            self.ty(t);
                        }
                        if let Some(d) = &f.default {
                            self.expr(d);
                        }
                    }
                }
                self.expr(body);
                self.frames.pop();
            }
            ExprKind::Kind { fields, .. } => self.ty(fields),
        }
    }
}
