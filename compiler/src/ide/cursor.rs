//! Where a cursor is in the IR: the chain of expressions from the file's
//! root down to the innermost one that covers an offset, each with the type
//! the context expects of it and the attribute name it sits under.
//!
//! The expected type flows down the way the static checker checks it
//! ([`crate::types::infer`]): the argument of a kind (or template) is that
//! kind's record; a field of an expected record has the field's type; an
//! element of an expected list has the element type; the body of a
//! `let`/`with`/`assert` and the branches of an `if` keep their parent's;
//! the value of `x : K = …` for a kind `K` expects `K`.
//! Completion reads the innermost record's fields from it, hover a
//! field's description.
//!
//! Example: at `|` in `App { workspace = Workspace { l| }; }` the chain is
//! `App {…}` application → its record (expects `App`) → the
//! `Workspace {…}` application (expects `Workspace`, under `workspace`) →
//! its record (expects `Workspace`).
//!
//! Knows nothing of LSP; offsets are byte offsets into the file's text.

use crate::db::{self, Db, SourceFile};
use crate::hir::{AttrsIr, ExprId, Ir, Key, Slot, SourceMap};
use crate::intern::Sym;
use crate::syntax::ast::Span;
use crate::types::infer::{self, EField, ERecord, ETy, STy};
use std::sync::Arc;

/// One expression on the way to the cursor.
#[derive(Clone, Debug)]
pub struct Step {
    pub id: ExprId,
    pub span: Span,
    /// What the context expects of this expression, when known.
    pub expected: Option<ETy>,
    /// The attribute this expression is the value of (`l` in `l = e;`).
    pub field: Option<Sym>,
}

/// The cursor's place: the chain of expressions, and when the cursor is on
/// an attribute name (`port` in `port = 80;`), that attribute.
#[derive(Clone, Debug, Default)]
pub struct Located {
    pub steps: Vec<Step>,
    /// The attribute name under the cursor, its span, and the field of the
    /// expected record it names (when the record is typed).
    pub on_key: Option<(Sym, Span, Option<EField>)>,
}

impl Located {
    pub fn innermost(&self) -> Option<&Step> {
        self.steps.last()
    }
}

/// The record type an expected type asks for, through aliases; a union
/// gives its first record-like member.
pub fn record_of(t: &ETy) -> Option<Arc<ERecord>> {
    match t.resolved() {
        ETy::Kind(k) => Some(k.record.clone()),
        ETy::Record(r) => Some(r.clone()),
        ETy::Union(ms) => ms.iter().find_map(record_of),
        _ => None,
    }
}

/// The type of field `name` in an expected record.
pub fn field_type(r: &ERecord, name: Sym) -> Option<ETy> {
    match r.field(name) {
        Some(f) => Some(f.ty.clone()),
        None => r.rest.clone(),
    }
}

fn hit(s: Span, offset: u32) -> bool {
    s.start <= offset && offset <= s.end && s != Span::default()
}

/// The chain of expressions covering `offset` in `file`.
pub fn locate(db: &dyn Db, file: SourceFile, offset: u32) -> Located {
    let lowered = db::lower(db, file);
    let module = &lowered.module;
    let sm = &lowered.source_map;
    let inference = infer::infer(db, file);
    let ty = |id: ExprId| inference.types.get(id.0 as usize).cloned();
    let mut out = Located::default();
    let mut cur = Step {
        id: module.root,
        span: sm.span(module.root),
        expected: None,
        field: None,
    };
    if !hit(cur.span, offset) {
        return out;
    }
    // A chain is at most as long as the tree is deep; the bound only
    // guards against a malformed IR.
    for _ in 0..module.exprs.len().max(1) {
        let mut children = children(module.get(cur.id), cur.expected.as_ref(), &ty, module);
        // `x : Workspace = { … }`: the annotation's kind is expected.
        if let (Ir::Annotated { .. }, Some(STy::Object(k))) = (module.get(cur.id), ty(cur.id)) {
            for c in &mut children {
                c.1 = Some(ETy::Kind(k.clone()));
            }
        }
        out.steps.push(cur.clone());
        let mut next: Option<Step> = None;
        for (child, expected, field) in children {
            if let Some(name) = field {
                let key = sm.key_spans.get(&child).copied();
                if let Some(k) = key
                    && hit(k, offset)
                    && !hit(sm.span(child), offset)
                {
                    let parent_record = cur.expected.as_ref().and_then(record_of);
                    let f = parent_record.and_then(|r| r.field(name).cloned());
                    out.on_key = Some((name, k, f));
                    return out;
                }
            }
            let span = sm.span(child);
            if hit(span, offset) {
                // Prefer the smallest child that covers the cursor.
                if next
                    .as_ref()
                    .is_none_or(|n| span_len(span) < span_len(n.span))
                {
                    next = Some(Step {
                        id: child,
                        span,
                        expected,
                        field,
                    });
                }
            }
        }
        match next {
            Some(n) => cur = n,
            None => return out,
        }
    }
    out
}

fn span_len(s: Span) -> u32 {
    s.end.saturating_sub(s.start)
}

type Child = (ExprId, Option<ETy>, Option<Sym>);

pub(crate) fn children(
    ir: &Ir,
    expected: Option<&ETy>,
    ty: &dyn Fn(ExprId) -> Option<STy>,
    module: &crate::hir::Module,
) -> Vec<Child> {
    let plain = |id: &ExprId| (*id, None, None);
    let keep = |id: &ExprId| (*id, expected.cloned(), None);
    match ir {
        Ir::Error
        | Ir::Lit(_)
        | Ir::Unit { .. }
        | Ir::SearchPath(_)
        | Ir::Var { .. }
        | Ir::Global(_)
        | Ir::WithVar { .. }
        | Ir::Kind { .. } => Vec::new(),
        Ir::Select {
            expr,
            path,
            default,
        } => {
            let mut v = vec![plain(expr)];
            v.extend(path.iter().filter_map(|k| match k {
                Key::Dynamic(e) => Some(plain(e)),
                Key::Static(_) => None,
            }));
            v.extend(default.iter().map(plain));
            v
        }
        Ir::HasAttr { expr, path } => {
            let mut v = vec![plain(expr)];
            v.extend(path.iter().filter_map(|k| match k {
                Key::Dynamic(e) => Some(plain(e)),
                Key::Static(_) => None,
            }));
            v
        }
        Ir::Apply { func, args } => {
            let mut v = vec![plain(func)];
            let func_ty = ty(*func);
            for (i, a) in args.iter().enumerate() {
                let e = match (&func_ty, i) {
                    (Some(STy::Kind(k) | STy::Template(k)), 0) => Some(ETy::Kind(k.clone())),
                    (Some(STy::Function(r)), 0) => match (&**r, module.get(*func)) {
                        (STy::Template(k), Ir::Select { path, .. }) if matches!(path.last(), Some(Key::Static(n)) if n.as_str() == "extend") => {
                            Some(ETy::Kind(k.clone()))
                        }
                        _ => None,
                    },
                    (_, 1) => match (module.get(*func), ty(args[0])) {
                        (Ir::Global(g), Some(STy::Kind(k))) if g.as_str() == "Template" => {
                            Some(ETy::Kind(k))
                        }
                        _ => None,
                    },
                    _ => None,
                };
                v.push((*a, e, None));
            }
            v
        }
        Ir::Unary { expr, .. } => vec![plain(expr)],
        Ir::Binary { lhs, rhs, .. } => vec![plain(lhs), plain(rhs)],
        Ir::If { cond, then, else_ } => vec![plain(cond), keep(then), keep(else_)],
        Ir::Assert { cond, body } => vec![plain(cond), keep(body)],
        Ir::With { env, body } => vec![plain(env), keep(body)],
        Ir::Let { slots, body } => {
            let mut v = Vec::new();
            for s in slots.iter() {
                slot_children(s, None, None, &mut v);
            }
            v.push(keep(body));
            v
        }
        Ir::Attrs(a) => {
            let mut v = Vec::new();
            attrs_children(a, expected, &mut v);
            v
        }
        Ir::List(items) => {
            let elem = match expected.map(ETy::resolved) {
                Some(ETy::List(e)) => Some((**e).clone()),
                _ => None,
            };
            items.iter().map(|i| (*i, elem.clone(), None)).collect()
        }
        Ir::Lambda(l) => {
            let mut v: Vec<Child> = Vec::new();
            if let crate::hir::ParamIr::Pattern { fields, .. } = &l.param {
                v.extend(fields.iter().filter_map(|f| f.default.as_ref().map(plain)));
            }
            v.push(plain(&l.body));
            v
        }
        Ir::Interp { parts, .. } => parts
            .iter()
            .filter_map(|p| match p {
                crate::hir::Part::Interp(e) => Some(plain(e)),
                crate::hir::Part::Lit(_) => None,
            })
            .collect(),
        Ir::Annotated { expr, .. } => vec![keep(expr)],
    }
}

fn attrs_children(a: &AttrsIr, expected: Option<&ETy>, out: &mut Vec<Child>) {
    let record = expected.and_then(record_of);
    for (name, slot) in a.statics.iter() {
        let fty = record.as_ref().and_then(|r| field_type(r, *name));
        slot_children(slot, fty, Some(*name), out);
    }
    for (k, slot) in a.dynamics.iter() {
        out.push((*k, None, None));
        slot_children(slot, None, None, out);
    }
}

fn slot_children(slot: &Slot, expected: Option<ETy>, field: Option<Sym>, out: &mut Vec<Child>) {
    match slot {
        Slot::Expr(id) => out.push((*id, expected, field)),
        Slot::InheritFrom { from, .. } => out.push((*from, None, None)),
        Slot::Nested(inner) => attrs_children(inner, expected.as_ref(), out),
    }
}

/// The static attribute names a record literal already has.
pub fn present_fields(a: &AttrsIr) -> Vec<Sym> {
    a.statics.iter().map(|(n, _)| *n).collect()
}

/// The span of an attribute's name, for a value reached through `field`.
pub fn key_span(sm: &SourceMap, id: ExprId) -> Option<Span> {
    sm.key_spans.get(&id).copied()
}
