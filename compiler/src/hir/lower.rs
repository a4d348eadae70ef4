//! Lowering: one file's syntax tree → a [`Module`] of resolved [`Ir`] plus
//! its [`SourceMap`].
//!
//! Owns name resolution (every variable becomes a slot reference, a global
//! builtin or, under `with`, a by-name lookup), the merging of nested
//! attribute paths (`a.b = 1; a.c = 2;` is one record `a`), duplicate
//! attribute detection, and resolving path literals against the file's
//! directory. It knows nothing of values, evaluation or salsa.
//!
//! Scopes mirror the frames the evaluator will build, one to one: the
//! file's top level, each `let`, `rec { … }`, lambda and `with`. `inherit x;`
//! inside a `let` or `rec` looks `x` up *outside* that scope, as in Nix.
//!
//! Types are lowered too ([`TyIr`]): a type name resolves, innermost
//! first, to a `type` alias in scope, a base type (`Int`), a variable (which
//! must hold a kind when the type is used), or a built-in kind
//! (`Workspace`); anything else is E0106 with "did you mean". Aliases are
//! scoped like the bindings they sit among (a `let`, a record) and are not
//! values. An annotated binding lowers to [`Ir::Annotated`], a `kind`
//! declaration to [`Ir::Kind`].

use super::*;
use crate::codes::names as codes;
use crate::diag::{FileName, did_you_mean};
use crate::syntax::ast::{self, AttrKey, Binding, ExprKind, StrPart};
use rustc_hash::FxHashMap;
use std::path::{Component, Path, PathBuf};

/// Names bound at the top level of every file, as in Nix (`builtins` holds
/// the rest). Lexical bindings shadow them; `with` does not.
pub const GLOBALS: &[&str] = &[
    "abort",
    "baseNameOf",
    "builtins",
    "dirOf",
    "false",
    "fromTOML",
    "import",
    "isNull",
    "map",
    "null",
    "removeAttrs",
    "secret",
    "throw",
    "toString",
    "true",
    // Kinds and templates (language.md §4, objects.md).
    "Template",
    "Ecosystem",
    "Domain",
    "Project",
    "App",
    "Workspace",
    "Service",
    "Dependency",
    "Volume",
    "Task",
    "Workflow",
    "Pipeline",
    "Job",
    "Runtime",
];

/// The built-in kinds (objects.md), defined in the embedded prelude.
pub const BUILTIN_KINDS: &[&str] = &[
    "App",
    "Dependency",
    "Domain",
    "Ecosystem",
    "Job",
    "Pipeline",
    "Runtime",
    "Service",
    "Task",
    "Volume",
    "Workflow",
    "Workspace",
];

/// Lowers a parsed file. `dir` is the directory relative paths resolve
/// against.
pub fn lower(root: &ast::Expr, file: &FileName, dir: &Path) -> Lowered {
    let mut cx = LowerCtx {
        exprs: Vec::new(),
        spans: Vec::new(),
        types: Vec::new(),
        type_spans: Vec::new(),
        key_spans: FxHashMap::default(),
        field_name_spans: FxHashMap::default(),
        type_scopes: Vec::new(),
        diagnostics: Vec::new(),
        scopes: vec![Scope::Frame(FxHashMap::default())],
        file: file.clone(),
        dir: dir.to_path_buf(),
    };
    let root = cx.expr(root, None);
    Lowered {
        module: Arc::new(Module {
            exprs: cx.exprs,
            types: cx.types,
            root,
        }),
        source_map: Arc::new(SourceMap {
            spans: cx.spans,
            type_spans: cx.type_spans,
            key_spans: cx.key_spans,
            field_name_spans: cx.field_name_spans,
            diagnostics: cx.diagnostics,
        }),
    }
}

enum Scope {
    Frame(FxHashMap<Sym, u32>),
    With,
}

struct LowerCtx {
    exprs: Vec<Ir>,
    spans: Vec<Span>,
    types: Vec<TyIr>,
    type_spans: Vec<Span>,
    key_spans: FxHashMap<ExprId, Span>,
    field_name_spans: FxHashMap<TyId, Span>,
    /// `type` aliases in scope, innermost last.
    type_scopes: Vec<FxHashMap<Sym, TyId>>,
    diagnostics: Vec<Diagnostic>,
    scopes: Vec<Scope>,
    file: FileName,
    dir: PathBuf,
}

/// Attributes collected from a binding list before they become an
/// [`AttrsIr`]: nested paths are merged here.
#[derive(Default)]
struct PendingAttrs<'a> {
    statics: Vec<(Sym, Span, Pending<'a>)>,
    dynamics: Vec<(&'a AttrKey, Pending<'a>)>,
    appends: Vec<Sym>,
    /// `type Name = T;` declarations among the bindings.
    types: Vec<(&'a ast::Name, Span, &'a ast::TypeExpr)>,
}

enum Pending<'a> {
    Expr(&'a ast::Expr),
    /// `x : T = e;`
    Annotated(&'a ast::Expr, &'a ast::TypeExpr),
    Inherit {
        name: Sym,
        span: Span,
    },
    InheritFrom {
        from: &'a ast::Expr,
        name: Sym,
    },
    Nested(PendingAttrs<'a>),
}

impl LowerCtx {
    fn alloc(&mut self, ir: Ir, span: Span) -> ExprId {
        let id = ExprId(self.exprs.len() as u32);
        self.exprs.push(ir);
        self.spans.push(span);
        id
    }

    fn expr(&mut self, e: &ast::Expr, name_hint: Option<Sym>) -> ExprId {
        let span = e.span;
        let ir = match &e.kind {
            ExprKind::Error => Ir::Error,
            ExprKind::Int(i) => Ir::Lit(Lit::Int(*i)),
            ExprKind::Float(f) => Ir::Lit(Lit::Float(*f)),
            ExprKind::Unit {
                number,
                text,
                suffix,
            } => Ir::Unit {
                number: *number,
                text: text.clone(),
                suffix: suffix.clone(),
            },
            ExprKind::Str(parts) => self.string(parts, false),
            ExprKind::Path(parts) => self.path(parts),
            ExprKind::SearchPath(p) => Ir::SearchPath(p.clone()),
            ExprKind::Var(name) => self.resolve(&Sym::new(name), span, 0),
            ExprKind::Select {
                expr,
                path,
                default,
            } => {
                let expr = self.expr(expr, None);
                let path = self.keys(path);
                let default = default.as_ref().map(|d| self.expr(d, None));
                Ir::Select {
                    expr,
                    path,
                    default,
                }
            }
            ExprKind::HasAttr { expr, path } => {
                let expr = self.expr(expr, None);
                let path = self.keys(path);
                Ir::HasAttr { expr, path }
            }
            ExprKind::Apply { .. } => {
                // Flatten `f a b c` into one node with three arguments.
                let mut args = Vec::new();
                let mut head = e;
                while let ExprKind::Apply { func, arg } = &head.kind {
                    args.push(arg.as_ref());
                    head = func;
                }
                let func = self.expr(head, None);
                let args = args.into_iter().rev().map(|a| self.expr(a, None)).collect();
                Ir::Apply { func, args }
            }
            ExprKind::Unary { op, expr } => {
                let expr = self.expr(expr, None);
                Ir::Unary { op: *op, expr }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let lhs = self.expr(lhs, None);
                let rhs = self.expr(rhs, None);
                Ir::Binary { op: *op, lhs, rhs }
            }
            ExprKind::If { cond, then, else_ } => {
                let cond = self.expr(cond, None);
                let then = self.expr(then, None);
                let else_ = self.expr(else_, None);
                Ir::If { cond, then, else_ }
            }
            ExprKind::Assert { cond, body } => {
                let cond = self.expr(cond, None);
                let body = self.expr(body, None);
                Ir::Assert { cond, body }
            }
            ExprKind::With { env, body } => {
                self.diagnostics.push(
                    Diagnostic::warning(
                        codes::WITH_HIDES_NAMES,
                        "`with` hides where names come from",
                    )
                    .at(
                        &self.file,
                        Span {
                            start: span.start,
                            end: env.span.end,
                        },
                        "names below may come from this `with`",
                    )
                    .with_help(
                        "prefer `inherit (set) a b;` in a `let`, or select `set.a` explicitly",
                    ),
                );
                let env = self.expr(env, None);
                self.scopes.push(Scope::With);
                let body = self.expr(body, None);
                self.scopes.pop();
                Ir::With { env, body }
            }
            ExprKind::Let { bindings, body } => self.let_(bindings, body),
            ExprKind::Attrs { rec, bindings } => {
                let pending = self.collect(bindings);
                if *rec {
                    let attrs = self.rec_attrs(pending);
                    Ir::Attrs(Box::new(attrs))
                } else {
                    self.push_type_scope(&pending.types);
                    let attrs = self.attrs(pending, false, 0);
                    self.type_scopes.pop();
                    Ir::Attrs(Box::new(attrs))
                }
            }
            ExprKind::List(items) => Ir::List(items.iter().map(|i| self.expr(i, None)).collect()),
            ExprKind::Lambda { param, body } => return self.lambda(e, param, body, name_hint),
            ExprKind::Kind {
                name,
                fields,
                name_span,
            } => {
                let fields = self.ty(fields);
                let ir = Ir::Kind {
                    name: Arc::from(name.as_ref()),
                    fields,
                    doc: None,
                };
                // The kind's span is its head, `kind "Name"`: what a
                // "declared here" label points at.
                return self.alloc(ir, span.to(*name_span).with_end(name_span.end));
            }
        };
        self.alloc(ir, span)
    }

    fn keys(&mut self, path: &[AttrKey]) -> Box<[Key]> {
        path.iter().map(|k| self.key(k)).collect()
    }

    fn key(&mut self, key: &AttrKey) -> Key {
        if let Some(name) = key.static_name() {
            return Key::Static(Sym::new(&name));
        }
        match key {
            AttrKey::Dynamic(e, _) => Key::Dynamic(self.expr(e, None)),
            AttrKey::Str(parts, span) => {
                let ir = self.string(parts, false);
                Key::Dynamic(self.alloc(ir, *span))
            }
            AttrKey::Ident(name, _) => Key::Static(Sym::new(name)),
        }
    }

    fn string(&mut self, parts: &[StrPart], path: bool) -> Ir {
        match parts {
            [] => Ir::Lit(Lit::Str(Arc::from(""))),
            [StrPart::Lit(s)] if !path => Ir::Lit(Lit::Str(Arc::from(s.as_str()))),
            _ => Ir::Interp {
                parts: parts
                    .iter()
                    .map(|p| match p {
                        StrPart::Lit(s) => Part::Lit(Arc::from(s.as_str())),
                        StrPart::Interp(e) => Part::Interp(self.expr(e, None)),
                    })
                    .collect(),
                path,
            },
        }
    }

    fn path(&mut self, parts: &[StrPart]) -> Ir {
        let Some(StrPart::Lit(first)) = parts.first() else {
            return self.string(parts, true);
        };
        // Resolve the literal prefix now; an interpolated rest is appended
        // (and the whole normalised) at run time.
        let trailing_slash = first.ends_with('/') && parts.len() > 1;
        let mut resolved = resolve_path(&self.dir, first);
        if trailing_slash && !resolved.ends_with('/') {
            resolved.push('/');
        }
        if parts.len() == 1 {
            return Ir::Lit(Lit::Path(Arc::from(resolved.as_str())));
        }
        let mut rest = vec![StrPart::Lit(resolved)];
        rest.extend(parts[1..].iter().cloned());
        self.string(&rest, true)
    }

    /// Resolves `name` against the scopes, skipping the innermost `skip`
    /// frames (used by `inherit x;` inside a `let`/`rec`, whose value is
    /// evaluated in the new frame but names the outer `x`).
    fn resolve(&mut self, name: &Sym, span: Span, skip: usize) -> Ir {
        let mut withs = Vec::new();
        let n = self.scopes.len() - skip.min(self.scopes.len());
        for (up, scope) in self.scopes[..n].iter().rev().enumerate() {
            let up = (up + skip) as u32;
            match scope {
                Scope::Frame(names) => {
                    if let Some(&slot) = names.get(name) {
                        return Ir::Var { up, slot };
                    }
                }
                Scope::With => withs.push(up),
            }
        }
        match name.as_str() {
            "true" => return Ir::Lit(Lit::Bool(true)),
            "false" => return Ir::Lit(Lit::Bool(false)),
            "null" => return Ir::Lit(Lit::Null),
            "Project" => {
                self.diagnostics.push(
                    Diagnostic::warning(
                        codes::PROJECT_DEPRECATED,
                        "`Project` is a deprecated name for `Domain`",
                    )
                    .at(&self.file, span, "builds a `Domain`")
                    .with_help("write `Domain` instead"),
                );
                return Ir::Global(Sym::new("Domain"));
            }
            s if GLOBALS.contains(&s) => return Ir::Global(*name),
            _ => {}
        }
        if !withs.is_empty() {
            return Ir::WithVar {
                name: *name,
                withs: withs.into_boxed_slice(),
            };
        }
        let in_scope: Vec<&str> = self
            .scopes
            .iter()
            .filter_map(|s| match s {
                Scope::Frame(m) => Some(m.keys().map(|k| k.as_str())),
                Scope::With => None,
            })
            .flatten()
            .chain(GLOBALS.iter().copied())
            .collect();
        let mut diag = Diagnostic::error(
            codes::UNDEFINED_VARIABLE,
            format!("undefined variable `{name}`"),
        )
        .at(&self.file, span, "not defined in this scope");
        if let Some(close) = did_you_mean(name.as_str(), in_scope.iter().copied()) {
            diag = diag.with_help(format!("did you mean `{close}`?"));
        }
        self.diagnostics.push(diag);
        Ir::Error
    }

    /// Gathers a binding list, merging nested paths and reporting duplicates.
    fn collect<'a>(&mut self, bindings: &'a [Binding]) -> PendingAttrs<'a> {
        let mut acc = PendingAttrs::default();
        for b in bindings {
            match b {
                Binding::Attr {
                    path,
                    value,
                    append,
                    ty,
                    ..
                } => {
                    if path.is_empty() {
                        continue;
                    }
                    let leaf = match ty {
                        Some(t) => Pending::Annotated(value, t),
                        None => Pending::Expr(value),
                    };
                    self.insert_path(&mut acc, path, leaf, *append);
                }
                // An alias is neither an attribute nor a variable: it is
                // put in scope by whoever lowers the binding list.
                Binding::TypeDecl {
                    name,
                    name_span,
                    ty,
                    ..
                } => {
                    if let Some((_, prev, _)) = acc.types.iter().find(|(n, _, _)| *n == name) {
                        let prev = *prev;
                        self.duplicate(Sym::new(name), *name_span, prev);
                        continue;
                    }
                    acc.types.push((name, *name_span, ty));
                }
                Binding::Inherit { from, names, .. } => {
                    for key in names {
                        let Some(name) = key.static_name() else {
                            self.diagnostics.push(
                                Diagnostic::error(
                                    codes::DYNAMIC_INHERIT,
                                    "`inherit` needs plain names",
                                )
                                .at(
                                    &self.file,
                                    key.span(),
                                    "a dynamic name cannot be inherited",
                                ),
                            );
                            continue;
                        };
                        let name = Sym::new(&name);
                        let span = key.span();
                        let pending = match from {
                            None => Pending::Inherit { name, span },
                            Some(from) => Pending::InheritFrom { from, name },
                        };
                        self.insert_static(&mut acc, name, span, pending, false);
                    }
                }
            }
        }
        acc
    }

    fn insert_path<'a>(
        &mut self,
        acc: &mut PendingAttrs<'a>,
        path: &'a [AttrKey],
        value: Pending<'a>,
        append: bool,
    ) {
        let (first, rest) = (&path[0], &path[1..]);
        match first.static_name() {
            Some(name) => {
                let name = Sym::new(&name);
                if rest.is_empty() {
                    self.insert_static(acc, name, first.span(), value, append);
                } else {
                    let idx = match acc.statics.iter().position(|(n, _, _)| *n == name) {
                        Some(i) => i,
                        None => {
                            acc.statics.push((
                                name,
                                first.span(),
                                Pending::Nested(PendingAttrs::default()),
                            ));
                            acc.statics.len() - 1
                        }
                    };
                    self.make_nested(acc, idx);
                    let (_, prev_span, slot) = &mut acc.statics[idx];
                    if let Pending::Nested(inner) = slot {
                        let mut inner = std::mem::take(inner);
                        self.insert_path(&mut inner, rest, value, append);
                        if let Pending::Nested(slot) = &mut acc.statics[idx].2 {
                            *slot = inner;
                        }
                    } else {
                        let prev = *prev_span;
                        self.duplicate(name, first.span(), prev);
                    }
                }
            }
            None => {
                if rest.is_empty() {
                    acc.dynamics.push((first, value));
                } else {
                    let mut inner = PendingAttrs::default();
                    self.insert_path(&mut inner, rest, value, append);
                    acc.dynamics.push((first, Pending::Nested(inner)));
                }
            }
        }
    }

    /// Turns an existing static attribute whose value is a plain record
    /// literal into a `Nested` one, so that `a = { b = 1; }; a.c = 2;` merges
    /// as in Nix.
    fn make_nested(&mut self, acc: &mut PendingAttrs<'_>, idx: usize) {
        if let Pending::Expr(e) = &acc.statics[idx].2
            && let ExprKind::Attrs {
                rec: false,
                bindings,
            } = &e.kind
        {
            let inner = self.collect(bindings);
            acc.statics[idx].2 = Pending::Nested(inner);
        }
    }

    fn insert_static<'a>(
        &mut self,
        acc: &mut PendingAttrs<'a>,
        name: Sym,
        span: Span,
        value: Pending<'a>,
        append: bool,
    ) {
        if let Some(idx) = acc.statics.iter().position(|(n, _, _)| *n == name) {
            // `a.b = 1; a = { c = 2; };` merges too.
            if let (Pending::Nested(_), Pending::Expr(e)) = (&acc.statics[idx].2, &value)
                && let ExprKind::Attrs {
                    rec: false,
                    bindings,
                } = &e.kind
            {
                let extra = self.collect(bindings);
                if let Pending::Nested(existing) = &mut acc.statics[idx].2 {
                    let mut existing = std::mem::take(existing);
                    for (n, s, v) in extra.statics {
                        self.insert_static(&mut existing, n, s, v, false);
                    }
                    existing.dynamics.extend(extra.dynamics);
                    acc.statics[idx].2 = Pending::Nested(existing);
                }
                return;
            }
            let prev = acc.statics[idx].1;
            self.duplicate(name, span, prev);
            return;
        }
        if append {
            acc.appends.push(name);
        }
        acc.statics.push((name, span, value));
    }

    fn duplicate(&mut self, name: Sym, span: Span, prev: Span) {
        self.diagnostics.push(
            Diagnostic::error(
                codes::DUPLICATE_ATTRIBUTE,
                format!("attribute `{name}` is defined twice"),
            )
            .at(&self.file, span, "defined again here")
            .with_label(&self.file, prev, "first defined here")
            .with_help("remove one of the definitions, or merge them into one record"),
        );
    }

    /// Lowers collected attributes evaluated in the current scope. `skip`
    /// is the number of frames an `inherit x;` must skip (1 inside the
    /// frame of a `let`/`rec`).
    fn attrs(&mut self, pending: PendingAttrs<'_>, rec: bool, skip: usize) -> AttrsIr {
        let mut statics: Vec<(Sym, Slot)> = pending
            .statics
            .into_iter()
            .map(|(name, span, value)| {
                let slot = self.slot(value, name, skip);
                if let Slot::Expr(id) = &slot {
                    self.key_spans.insert(*id, span);
                }
                (name, slot)
            })
            .collect();
        statics.sort_by_key(|(n, _)| *n);
        let dynamics = pending
            .dynamics
            .into_iter()
            .map(|(key, value)| {
                let k = match self.key(key) {
                    Key::Dynamic(e) => e,
                    Key::Static(s) => {
                        self.alloc(Ir::Lit(Lit::Str(Arc::from(s.as_str()))), key.span())
                    }
                };
                let v = self.slot(value, Sym::new(""), skip);
                (k, v)
            })
            .collect();
        let mut appends = pending.appends;
        appends.sort();
        AttrsIr {
            rec,
            statics: statics.into_boxed_slice(),
            dynamics,
            appends: appends.into_boxed_slice(),
        }
    }

    fn slot(&mut self, value: Pending<'_>, name: Sym, skip: usize) -> Slot {
        match value {
            Pending::Expr(e) => Slot::Expr(self.expr(e, Some(name))),
            Pending::Annotated(e, t) => {
                let expr = self.expr(e, Some(name));
                let ty = self.ty(t);
                Slot::Expr(self.alloc(Ir::Annotated { expr, ty }, e.span))
            }
            Pending::Inherit { name, span } => {
                let ir = self.resolve(&name, span, skip);
                Slot::Expr(self.alloc(ir, span))
            }
            Pending::InheritFrom { from, name } => {
                let from = self.expr(from, None);
                Slot::InheritFrom { from, name }
            }
            Pending::Nested(inner) => Slot::Nested(Box::new(self.attrs(inner, false, skip))),
        }
    }

    /// The names a `let`/`rec` frame binds, sorted by symbol; slot `i` is
    /// the `i`-th of them.
    fn frame_names(pending: &PendingAttrs<'_>) -> FxHashMap<Sym, u32> {
        let mut names: Vec<Sym> = pending.statics.iter().map(|(n, _, _)| *n).collect();
        names.sort();
        names
            .into_iter()
            .enumerate()
            .map(|(i, n)| (n, i as u32))
            .collect()
    }

    fn rec_attrs(&mut self, pending: PendingAttrs<'_>) -> AttrsIr {
        self.scopes.push(Scope::Frame(Self::frame_names(&pending)));
        self.push_type_scope(&pending.types);
        let attrs = self.attrs(pending, true, 1);
        self.type_scopes.pop();
        self.scopes.pop();
        attrs
    }

    fn let_(&mut self, bindings: &[Binding], body: &ast::Expr) -> Ir {
        let pending = self.collect(bindings);
        for (key, _) in &pending.dynamics {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::DYNAMIC_IN_LET,
                    "dynamic attribute names are not allowed in `let`",
                )
                .at(&self.file, key.span(), "a `let` binding needs a plain name"),
            );
        }
        self.scopes.push(Scope::Frame(Self::frame_names(&pending)));
        self.push_type_scope(&pending.types);
        let attrs = self.attrs(
            PendingAttrs {
                statics: pending.statics,
                dynamics: Vec::new(),
                appends: pending.appends,
                types: Vec::new(),
            },
            true,
            1,
        );
        let body = self.expr(body, None);
        self.type_scopes.pop();
        self.scopes.pop();
        Ir::Let {
            slots: attrs
                .statics
                .into_vec()
                .into_iter()
                .map(|(_, s)| s)
                .collect(),
            body,
        }
    }

    fn alloc_ty(&mut self, ty: TyIr, span: Span) -> TyId {
        let id = TyId(self.types.len() as u32);
        self.types.push(ty);
        self.type_spans.push(span);
        id
    }

    /// Puts the `type` declarations of a binding list in scope: each gets
    /// an id first, so that aliases may refer to each other in any order;
    /// an alias that is only another name for itself is E0107.
    fn push_type_scope(&mut self, decls: &[(&ast::Name, Span, &ast::TypeExpr)]) {
        let mut scope = FxHashMap::default();
        let mut ids = Vec::with_capacity(decls.len());
        for (name, span, ty) in decls {
            let id = self.alloc_ty(TyIr::Error, ty.span());
            self.field_name_spans.insert(id, *span);
            scope.insert(Sym::new(name), id);
            ids.push(id);
        }
        self.type_scopes.push(scope);
        for ((name, span, ty), id) in decls.iter().zip(&ids) {
            let lowered = self.ty(ty);
            if self.alias_cycle(lowered, *id) {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::ALIAS_CYCLE,
                        format!("type `{name}` is defined as itself"),
                    )
                    .at(&self.file, *span, "this alias never reaches a real type")
                    .with_help("an alias may refer to itself only inside a record or list type"),
                );
                continue;
            }
            let resolved = self.types[lowered.0 as usize].clone();
            self.types[id.0 as usize] = resolved;
        }
    }

    /// Whether `ty`, followed through aliases only, comes back to `target`.
    fn alias_cycle(&self, mut ty: TyId, target: TyId) -> bool {
        for _ in 0..=self.types.len() {
            if ty == target {
                return true;
            }
            match &self.types[ty.0 as usize] {
                TyIr::Alias { target: t, .. } => ty = *t,
                _ => return false,
            }
        }
        true
    }

    /// Lowers a type as written.
    fn ty(&mut self, t: &ast::TypeExpr) -> TyId {
        use ast::TypeExpr as T;
        let span = t.span();
        let ir = match t {
            T::Error(_) => TyIr::Error,
            T::Paren(inner, _) => return self.ty(inner),
            T::Name(name, _) => self.type_name(name, span),
            T::Literal(text, _) => TyIr::Literal(Arc::from(text.as_ref())),
            T::List(inner, _) => TyIr::List(self.ty(inner)),
            T::Record { fields, rest, .. } => {
                let fields = fields
                    .iter()
                    .map(|f| {
                        let ty = self.ty(&f.ty);
                        self.field_name_spans.insert(ty, f.name_span);
                        FieldTyIr {
                            name: Sym::new(&f.name),
                            ty,
                            optional: f.optional,
                            default: f.default.as_ref().map(|d| self.expr(d, None)),
                            doc: f.doc.as_deref().map(Arc::from),
                        }
                    })
                    .collect();
                let rest = rest.as_ref().map(|r| self.ty(r));
                TyIr::Record(Box::new(RecordTyIr { fields, rest }))
            }
            T::Union(members, _) => TyIr::Union(members.iter().map(|m| self.ty(m)).collect()),
            T::Function { param, result, .. } => {
                let p = self.ty(param);
                let r = self.ty(result);
                TyIr::Function(p, r)
            }
            T::Apply { func, arg, .. } => match func.as_ref() {
                T::Name(n, _) if n.as_ref() == "Template" => TyIr::Template(self.ty(arg)),
                other => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::UNKNOWN_TYPE,
                            "only `Template` takes a type argument",
                        )
                        .at(&self.file, other.span(), "this type takes no argument")
                        .with_help("write `Template Kind` for a template of a kind"),
                    );
                    TyIr::Error
                }
            },
        };
        self.alloc_ty(ir, span)
    }

    fn type_name(&mut self, name: &str, span: Span) -> TyIr {
        let sym = Sym::new(name);
        for scope in self.type_scopes.iter().rev() {
            if let Some(&target) = scope.get(&sym) {
                return TyIr::Alias { name: sym, target };
            }
        }
        if let Some(base) = BaseTy::from_name(name) {
            return TyIr::Base(base);
        }
        for (up, scope) in self.scopes.iter().rev().enumerate() {
            if let Scope::Frame(names) = scope
                && let Some(&slot) = names.get(&sym)
            {
                return TyIr::Var {
                    up: up as u32,
                    slot,
                    name: sym,
                };
            }
        }
        if name == "Project" {
            return TyIr::Builtin(Sym::new("Domain"));
        }
        if BUILTIN_KINDS.contains(&name) {
            return TyIr::Builtin(sym);
        }
        let mut candidates: Vec<&str> = BaseTy::ALL.iter().map(|(n, _)| *n).collect();
        candidates.extend(BUILTIN_KINDS.iter().copied());
        for scope in &self.type_scopes {
            candidates.extend(scope.keys().map(|k| k.as_str()));
        }
        for scope in &self.scopes {
            if let Scope::Frame(names) = scope {
                candidates.extend(names.keys().map(|k| k.as_str()));
            }
        }
        let mut diag = Diagnostic::error(codes::UNKNOWN_TYPE, format!("unknown type `{name}`")).at(
            &self.file,
            span,
            "no type, kind or alias has this name",
        );
        let lower = name.to_ascii_lowercase();
        let prefix = candidates.iter().copied().find(|c| {
            let c = c.to_ascii_lowercase();
            c.len() >= 3 && (lower.starts_with(&c) || c.starts_with(&lower))
        });
        diag = match did_you_mean(name, candidates.iter().copied()).or(prefix) {
            Some(close) => diag.with_help(format!("did you mean `{close}`?")),
            None if name == "Template" => {
                diag.with_help("`Template` needs a kind: `Template Workspace`")
            }
            None => diag.with_help(
                "base types are Int Float Number Bool String Path Null Any Duration Memory Cpu Secret",
            ),
        };
        self.diagnostics.push(diag);
        TyIr::Error
    }

    fn lambda(
        &mut self,
        e: &ast::Expr,
        param: &ast::Param,
        body: &ast::Expr,
        name: Option<Sym>,
    ) -> ExprId {
        // Reserve the lambda's own id first so traces can name it.
        let id = self.alloc(Ir::Error, e.span);
        let (param, names) = match param {
            ast::Param::Ident(n, _) => {
                let s = Sym::new(n);
                (ParamIr::Ident(s), vec![s])
            }
            ast::Param::Pattern {
                fields,
                ellipsis,
                at,
                ..
            } => {
                let mut names: Vec<Sym> = fields.iter().map(|f| Sym::new(&f.name)).collect();
                let at = at.as_ref().map(|(n, _)| Sym::new(n));
                if let Some(a) = at {
                    names.push(a);
                }
                (
                    ParamIr::Pattern {
                        fields: Box::new([]),
                        ellipsis: *ellipsis,
                        at,
                    },
                    names,
                )
            }
        };
        let mut map = FxHashMap::default();
        for (i, n) in names.iter().enumerate() {
            map.entry(*n).or_insert(i as u32);
        }
        self.scopes.push(Scope::Frame(map));
        let param = match (param, &e.kind) {
            (
                ParamIr::Pattern { ellipsis, at, .. },
                ExprKind::Lambda {
                    param: ast::Param::Pattern { fields, .. },
                    ..
                },
            ) => ParamIr::Pattern {
                fields: fields
                    .iter()
                    .map(|f| PatFieldIr {
                        name: Sym::new(&f.name),
                        default: f.default.as_ref().map(|d| self.expr(d, None)),
                        ty: f.ty.as_ref().map(|t| self.ty(t)),
                    })
                    .collect(),
                ellipsis,
                at,
            },
            (p, _) => p,
        };
        let body = self.expr(body, None);
        self.scopes.pop();
        self.exprs[id.0 as usize] = Ir::Lambda(Arc::new(LambdaIr {
            param,
            body,
            id,
            name,
        }));
        id
    }
}

/// Resolves a path literal's text against `dir` and normalises it
/// lexically (`.` dropped, `..` applied), as Nix does, without touching
/// the file system.
pub fn resolve_path(dir: &Path, text: &str) -> String {
    let joined = if text.starts_with('/') {
        PathBuf::from(text)
    } else {
        dir.join(text)
    };
    normalize_path(&joined)
}

/// Lexical normalisation of an absolute path.
pub fn normalize_path(path: &Path) -> String {
    let mut out: Vec<&std::ffi::OsStr> = Vec::new();
    for c in path.components() {
        match c {
            Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(s) => out.push(s),
        }
    }
    let mut s = String::new();
    for part in out {
        s.push('/');
        s.push_str(&part.to_string_lossy());
    }
    if s.is_empty() {
        s.push('/');
    }
    s
}
