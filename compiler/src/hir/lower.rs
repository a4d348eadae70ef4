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
//! Types are not checked yet, so lowering ignores them: an annotated
//! binding or pattern field lowers as an unannotated one, a `type`
//! declaration lowers to nothing (it is neither an attribute nor a
//! variable), and a `kind` declaration is error E0105 rather than a kind
//! that checks nothing.

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
];

/// Lowers a parsed file. `dir` is the directory relative paths resolve
/// against.
pub fn lower(root: &ast::Expr, file: &FileName, dir: &Path) -> Lowered {
    let mut cx = LowerCtx {
        exprs: Vec::new(),
        spans: Vec::new(),
        diagnostics: Vec::new(),
        scopes: vec![Scope::Frame(FxHashMap::default())],
        file: file.clone(),
        dir: dir.to_path_buf(),
    };
    let root = cx.expr(root, None);
    Lowered {
        module: Arc::new(Module {
            exprs: cx.exprs,
            root,
        }),
        source_map: Arc::new(SourceMap {
            spans: cx.spans,
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
}

enum Pending<'a> {
    Expr(&'a ast::Expr),
    Inherit { name: Sym, span: Span },
    InheritFrom { from: &'a ast::Expr, name: Sym },
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
                    Ir::Attrs(Box::new(self.attrs(pending, false, 0)))
                }
            }
            ExprKind::List(items) => Ir::List(items.iter().map(|i| self.expr(i, None)).collect()),
            ExprKind::Lambda { param, body } => return self.lambda(e, param, body, name_hint),
            ExprKind::Kind {
                name, name_span, ..
            } => {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::KIND_UNSUPPORTED,
                        "kind declarations are not supported yet",
                    )
                    .at(
                        &self.file,
                        Span {
                            start: span.start,
                            end: name_span.end,
                        },
                        format!("kind `{name}` is declared here"),
                    )
                    .with_help(
                        "the type checker will add kinds; until then, use a function with \
                         defaults, `{ a, b ? 1 }: { inherit a b; }`",
                    ),
                );
                Ir::Error
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
                    ..
                } => {
                    if path.is_empty() {
                        continue;
                    }
                    self.insert_path(&mut acc, path, value, *append);
                }
                // Types are not checked yet: an alias is neither an
                // attribute nor a variable, so it lowers to nothing.
                Binding::TypeDecl { .. } => {}
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
        value: &'a ast::Expr,
        append: bool,
    ) {
        let (first, rest) = (&path[0], &path[1..]);
        let leaf = |value: &'a ast::Expr| Pending::Expr(value);
        match first.static_name() {
            Some(name) => {
                let name = Sym::new(&name);
                if rest.is_empty() {
                    self.insert_static(acc, name, first.span(), leaf(value), append);
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
                    acc.dynamics.push((first, leaf(value)));
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
            .map(|(name, _, value)| (name, self.slot(value, name, skip)))
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
        let attrs = self.attrs(pending, true, 1);
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
        let attrs = self.attrs(
            PendingAttrs {
                statics: pending.statics,
                dynamics: Vec::new(),
                appends: pending.appends,
            },
            true,
            1,
        );
        let body = self.expr(body, None);
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
                    .map(|f| {
                        (
                            Sym::new(&f.name),
                            f.default.as_ref().map(|d| self.expr(d, None)),
                        )
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
