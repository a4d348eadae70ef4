//! Run-time type checks: evaluating types, checking values against them,
//! building objects with kinds, templates and their calls.
//!
//! Checks are contracts in Nickel's sense and stay lazy: checking a record
//! checks its field names (unknown, missing) at once and wraps each field's
//! thunk in a [`ThunkState::Checked`] that checks the field's value when it
//! is forced; a list wraps its elements the same way. So an object can
//! refer to itself, and every field is still checked before it is printed.
//! A value may be converted on the way: a pending unit (`10m`) becomes the
//! duration or CPU amount the type asks for, a kind-typed field given a
//! plain record builds the object, defaults are filled in.
//!
//! Where a value was written is found from the literal that produced it
//! ([`CheckCx::lit`]): a record literal's fields and a list literal's
//! elements give the spans of the values inside, so an error points at the
//! misspelt key even when its value was a literal computed up front.
//!
//! Every error is built by [`crate::types::report`], as the static
//! checker's are.

use super::types::{CheckCx, FieldTy, KindDef, Loc, NamedTy, ObjMeta, RecordTy, Ty};
use super::value::{Attrs, Dim, Thunk, ThunkState, UnitValue, Value};
use super::{EResult, Env, EvalError, Evaluator, LoadedModule};
use crate::codes::types as codes;
use crate::diag::Diagnostic;
use crate::hir::{BaseTy, ExprId, Ir, Slot, TyId, TyIr};
use crate::intern::Sym;
use crate::types::report;
use std::cell::OnceCell;
use std::rc::Rc;

/// A literal in the source: the module and the node.
pub type LitRef = (Rc<LoadedModule>, ExprId);

impl EvalError {
    /// A run-time error from a diagnostic built by [`report`].
    pub fn from_diagnostic(d: Diagnostic) -> EvalError {
        let mut e = EvalError::new(d.code, d.message);
        e.primary = d.primary;
        e.secondary = d.secondary;
        e.help = d.help;
        e.notes = d.notes;
        e
    }
}

fn fail<T>(d: Diagnostic) -> EResult<T> {
    EvalError::from_diagnostic(d).err()
}

/// The literal a thunk will compute, if it has not run yet.
pub fn lit_of(t: &Thunk) -> Option<LitRef> {
    match t {
        Thunk::Lazy(cell) => match &*cell.try_borrow().ok()? {
            ThunkState::Waiting(id, env) => Some((env.module.clone(), *id)),
            ThunkState::Checked(c) => lit_of(&c.0),
            _ => None,
        },
        Thunk::Ready(_) => None,
    }
}

/// Looks through annotations to the literal node itself.
fn literal_node(lit: &LitRef) -> &Ir {
    let (m, mut id) = (&lit.0, lit.1);
    loop {
        match m.module.get(id) {
            Ir::Annotated { expr, .. } => id = *expr,
            other => return other,
        }
    }
}

/// The literal of field `name` inside a record literal.
fn field_lit(lit: &Option<LitRef>, name: Sym) -> Option<LitRef> {
    let lit = lit.as_ref()?;
    match literal_node(lit) {
        Ir::Attrs(a) => {
            let i = a.statics.binary_search_by_key(&name, |(k, _)| *k).ok()?;
            match &a.statics[i].1 {
                Slot::Expr(id) => Some((lit.0.clone(), *id)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The literal of element `i` of a list literal.
fn element_lit(lit: &Option<LitRef>, i: usize) -> Option<LitRef> {
    let lit = lit.as_ref()?;
    match literal_node(lit) {
        Ir::List(items) => items.get(i).map(|id| (lit.0.clone(), *id)),
        _ => None,
    }
}

fn lit_loc(lit: &LitRef) -> Loc {
    Loc {
        file: lit.0.name.clone(),
        span: lit.0.span(lit.1),
    }
}

/// Where the binding name of a field literal is written.
fn key_loc(lit: &LitRef) -> Loc {
    Loc {
        file: lit.0.name.clone(),
        span: lit.0.source_map.key_span(lit.1),
    }
}

fn at(l: &Option<Loc>) -> report::At<'_> {
    l.as_ref().map(|l| (&l.file, l.span))
}

impl CheckCx {
    /// Where the checked value was written.
    fn value_loc(&self) -> Option<Loc> {
        self.lit
            .as_ref()
            .map(lit_loc)
            .or_else(|| self.value_at.clone())
    }
    fn child(&self, lit: Option<LitRef>, path: String, expected_by: Option<Loc>) -> CheckCx {
        CheckCx {
            value_at: lit.as_ref().map(lit_loc).or_else(|| self.value_loc()),
            lit,
            expected_by,
            path: Rc::from(path),
            partial: self.partial,
        }
    }
}

/// How a value is described in a type error ("a string", "a `Service`
/// object"); the static checker uses the same words.
pub fn found(v: &Value) -> String {
    match v {
        Value::Attrs(a) => match &a.meta {
            Some(m) if m.template => format!("a template of `{}`", m.kind.name),
            Some(m) => format!("a `{}` object", m.kind.name),
            None => "a set".to_string(),
        },
        other => other.describe().to_string(),
    }
}

fn same_kind(a: &KindDef, b: &KindDef) -> bool {
    std::ptr::eq(a, b) || (a.name == b.name && a.loc == b.loc)
}

impl<'db> Evaluator<'db> {
    /// Evaluates a written type in the frame where it is written.
    pub fn eval_type(&mut self, id: TyId, env: &Env) -> EResult<Ty> {
        let m = env.module.clone();
        let ty = match m.module.ty(id) {
            TyIr::Error | TyIr::Base(BaseTy::Any) => Ty::Any,
            TyIr::Base(b) => Ty::Base(*b),
            TyIr::Builtin(name) => Ty::Kind(self.builtin_kind(*name)?),
            TyIr::Var { up, slot, name } => {
                let v = match super::lookup(env, *up, *slot) {
                    Some(t) => self.force(&t)?,
                    None => Value::Null,
                };
                match v {
                    Value::Kind(k) => Ty::Kind(k),
                    other => {
                        return EvalError::new(
                            codes::NOT_A_KIND,
                            format!("`{name}` is used as a type, but it is {}", other.describe()),
                        )
                        .label("a type must be a base type, a kind or a `type` alias")
                        .at(&m.name, m.source_map.type_span(id))
                        .help("declare a kind with `kind \"Name\" { … }`, or a record shape with `type Name = { … };`")
                        .err();
                    }
                }
            }
            TyIr::Literal(s) => Ty::Literal(Rc::from(s.as_ref())),
            TyIr::List(t) => Ty::List(Rc::new(self.eval_type(*t, env)?)),
            TyIr::Record(r) => Ty::Record(Rc::new(self.eval_record_type(r, env)?)),
            TyIr::Union(members) => {
                let mut out = Vec::with_capacity(members.len());
                for t in members.iter() {
                    out.push(self.eval_type(*t, env)?);
                }
                Ty::Union(Rc::from(out))
            }
            TyIr::Function(p, r) => {
                let p = self.eval_type(*p, env)?;
                let r = self.eval_type(*r, env)?;
                Ty::Function(Rc::new((p, r)))
            }
            TyIr::Template(k) => match self.eval_type(*k, env)? {
                Ty::Kind(k) => Ty::Template(k),
                other => {
                    return EvalError::new(
                        codes::BAD_TEMPLATE,
                        format!("`Template` needs a kind, not `{}`", other.display()),
                    )
                    .at(&m.name, m.source_map.type_span(id))
                    .err();
                }
            },
            TyIr::Alias { name, target } => Ty::Named(Rc::new(NamedTy {
                name: *name,
                target: *target,
                env: env.clone(),
                resolved: OnceCell::new(),
            })),
        };
        Ok(ty)
    }

    fn eval_record_type(&mut self, r: &crate::hir::RecordTyIr, env: &Env) -> EResult<RecordTy> {
        let m = env.module.clone();
        let mut fields = Vec::with_capacity(r.fields.len());
        for f in r.fields.iter() {
            let ty = self.eval_type(f.ty, env)?;
            let default = f.default.map(|d| {
                let t = self.thunk(d, env);
                self.breakable(t)
            });
            let type_span = m.source_map.type_span(f.ty);
            let span = match m.source_map.field_name_spans.get(&f.ty) {
                Some(name) => name.to(type_span),
                None => type_span,
            };
            fields.push(FieldTy {
                name: f.name,
                ty,
                optional: f.optional,
                default,
                doc: f.doc.clone(),
                loc: Some(Loc {
                    file: m.name.clone(),
                    span,
                }),
            });
        }
        let rest = match r.rest {
            Some(t) => Some(self.eval_type(t, env)?),
            None => None,
        };
        Ok(RecordTy { fields, rest })
    }

    fn resolve_named(&mut self, n: &NamedTy) -> EResult<Ty> {
        if let Some(t) = n.resolved.get() {
            return Ok(t.clone());
        }
        let t = self.eval_type(n.target, &n.env)?;
        let _ = n.resolved.set(t.clone());
        Ok(t)
    }

    /// Wraps a thunk so that its value is checked when forced.
    pub fn checked(&mut self, t: Thunk, ty: &Ty, cx: CheckCx) -> Thunk {
        if matches!(ty, Ty::Any) {
            return t;
        }
        Thunk::deferred(ThunkState::Checked(Box::new((t, ty.clone(), cx))))
    }

    /// Forces a checked thunk (see [`ThunkState::Checked`]).
    pub fn force_checked(&mut self, t: &Thunk, ty: &Ty, cx: &CheckCx) -> EResult<Value> {
        let v = self.force(t)?;
        self.check(v, ty, cx)
    }

    /// Checks `v` against `ty`; returns the value, converted where the
    /// type says so (units, defaults, objects built from plain records).
    pub fn check(&mut self, v: Value, ty: &Ty, cx: &CheckCx) -> EResult<Value> {
        match ty {
            Ty::Any => Ok(v),
            Ty::Named(n) => {
                let t = self.resolve_named(n)?;
                self.check(v, &t, cx)
            }
            Ty::Base(b) => self.check_base(v, *b, cx),
            Ty::Literal(s) => match &v {
                Value::Str(x) if **x == **s => Ok(v),
                _ => self.mismatch(&v, ty, cx),
            },
            Ty::List(elem) => {
                let Value::List(items) = &v else {
                    return self.mismatch(&v, ty, cx);
                };
                if matches!(**elem, Ty::Any) {
                    return Ok(v);
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, t) in items.iter().enumerate() {
                    let lit = element_lit(&cx.lit, i).or_else(|| lit_of(t));
                    let child = cx.child(lit, format!("{}[{i}]", cx.path), cx.expected_by.clone());
                    out.push(self.checked(t.clone(), elem, child));
                }
                Ok(Value::List(Rc::from(out)))
            }
            Ty::Record(r) => {
                let Value::Attrs(a) = &v else {
                    return self.mismatch(&v, ty, cx);
                };
                let checked = Rc::new(self.check_record(a, r, None, cx)?);
                self.prov_after_check(&checked, a, r);
                Ok(Value::Attrs(checked))
            }
            Ty::Union(members) => {
                for m in members.iter() {
                    if self.matches(&v, m)? {
                        return self.check(v, m, cx);
                    }
                }
                let strings: Option<Vec<&str>> = members
                    .iter()
                    .map(|m| match m {
                        Ty::Literal(s) => Some(&**s),
                        _ => None,
                    })
                    .collect();
                if let (Some(strings), Value::Str(s)) = (strings, &v) {
                    return fail(report::not_in_enum(
                        &cx.path,
                        &strings,
                        s,
                        at(&cx.value_loc()),
                        at(&cx.expected_by),
                    ));
                }
                self.mismatch(&v, ty, cx)
            }
            Ty::Function(_) => match &v {
                Value::Lambda(_) | Value::PrimOp(_) | Value::Kind(_) => Ok(v),
                Value::Attrs(a) if a.meta.as_ref().is_some_and(|m| m.template) => Ok(v),
                _ => self.mismatch(&v, ty, cx),
            },
            Ty::Kind(k) => {
                let Value::Attrs(a) = &v else {
                    return self.mismatch(&v, ty, cx);
                };
                match &a.meta {
                    Some(m) if !m.template && same_kind(&m.kind, k) => Ok(v),
                    Some(_) => self.mismatch(&v, ty, cx),
                    None if cx.partial => {
                        let checked = Rc::new(self.check_record(a, &k.fields, Some(k), cx)?);
                        self.prov_after_check(&checked, a, &k.fields);
                        Ok(Value::Attrs(checked))
                    }
                    None => self.build_object(k, a, cx, None),
                }
            }
            Ty::Template(k) => match &v {
                Value::Lambda(_) | Value::PrimOp(_) => Ok(v),
                Value::Attrs(a) => match &a.meta {
                    Some(m) if m.template && same_kind(&m.kind, k) => Ok(v),
                    _ => self.mismatch(&v, ty, cx),
                },
                _ => self.mismatch(&v, ty, cx),
            },
        }
    }

    fn mismatch<T>(&self, v: &Value, ty: &Ty, cx: &CheckCx) -> EResult<T> {
        fail(report::mismatch(
            &cx.path,
            &ty.display(),
            &found(v),
            at(&cx.value_loc()),
            at(&cx.expected_by),
        ))
    }

    fn check_base(&mut self, v: Value, b: BaseTy, cx: &CheckCx) -> EResult<Value> {
        let ok = match (&v, b) {
            (_, BaseTy::Any) => true,
            (Value::Int(_), BaseTy::Int | BaseTy::Number | BaseTy::Float) => true,
            (Value::Float(_), BaseTy::Float | BaseTy::Number) => true,
            (Value::Bool(_), BaseTy::Bool) => true,
            (Value::Str(_), BaseTy::String) => true,
            (Value::Path(_), BaseTy::Path) => true,
            (Value::Null, BaseTy::Null) => true,
            (Value::Secret(_), BaseTy::Secret) => true,
            (Value::Unit(u), BaseTy::Duration) if u.dim == Dim::Duration => true,
            (Value::Unit(u), BaseTy::Memory) if u.dim == Dim::Memory => true,
            (Value::Unit(u), BaseTy::Cpu) if u.dim == Dim::Cpu => true,
            _ => false,
        };
        if ok {
            return Ok(v);
        }
        // Conversions: a pending `10m` read as minutes or milli-cores, a
        // bare number of cores.
        match (&v, b) {
            (Value::Unit(u), BaseTy::Duration) if u.dim == Dim::Pending => {
                return self.repend(u, Dim::Duration, 60_000, cx);
            }
            (Value::Unit(u), BaseTy::Cpu) if u.dim == Dim::Pending => {
                return self.repend(u, Dim::Cpu, 1, cx);
            }
            (Value::Int(n), BaseTy::Cpu) => {
                if let Some(milli) = n.checked_mul(1000) {
                    return Ok(Value::Unit(Rc::new(UnitValue {
                        dim: Dim::Cpu,
                        normal: milli,
                        text: Rc::from(n.to_string()),
                    })));
                }
            }
            (Value::Float(x), BaseTy::Cpu) => {
                let milli = x * 1000.0;
                if milli.fract() == 0.0 && milli.is_finite() && milli.abs() < i64::MAX as f64 {
                    return Ok(Value::Unit(Rc::new(UnitValue {
                        dim: Dim::Cpu,
                        normal: milli as i64,
                        text: Rc::from(x.to_string()),
                    })));
                }
            }
            _ => {}
        }
        self.mismatch(&v, &Ty::Base(b), cx)
    }

    fn repend(&mut self, u: &UnitValue, dim: Dim, factor: i64, cx: &CheckCx) -> EResult<Value> {
        match u.normal.checked_mul(factor) {
            Some(normal) => Ok(Value::Unit(Rc::new(UnitValue {
                dim,
                normal,
                text: u.text.clone(),
            }))),
            None => self.mismatch(&Value::Unit(Rc::new(u.clone())), &Ty::Base(BaseTy::Int), cx),
        }
    }

    /// Whether `v` has the shape of `ty` at its top level: how a union
    /// picks its member.
    fn matches(&mut self, v: &Value, ty: &Ty) -> EResult<bool> {
        Ok(match (ty, v) {
            (Ty::Any, _) => true,
            (Ty::Named(n), _) => {
                let t = self.resolve_named(n)?;
                return self.matches(v, &t);
            }
            (Ty::Base(b), _) => match (v, b) {
                (Value::Unit(u), BaseTy::Duration | BaseTy::Cpu) if u.dim == Dim::Pending => true,
                (Value::Int(_) | Value::Float(_), BaseTy::Cpu) => true,
                _ => self.check_base(v.clone(), *b, &CheckCx::default()).is_ok(),
            },
            (Ty::Literal(s), Value::Str(x)) => **s == **x,
            (Ty::List(_), Value::List(_)) => true,
            (Ty::Record(r), Value::Attrs(a)) => record_shape(r, a),
            (Ty::Function(_), Value::Lambda(_) | Value::PrimOp(_) | Value::Kind(_)) => true,
            (Ty::Kind(k), Value::Attrs(a)) => match &a.meta {
                Some(m) => !m.template && same_kind(&m.kind, k),
                None => record_shape(&k.fields, a),
            },
            (Ty::Template(_), Value::Lambda(_) | Value::PrimOp(_)) => true,
            (Ty::Template(k), Value::Attrs(a)) => a
                .meta
                .as_ref()
                .is_some_and(|m| m.template && same_kind(&m.kind, k)),
            _ => false,
        })
    }

    /// Checks a set against a record type: names now, values lazily.
    fn check_record(
        &mut self,
        a: &Attrs,
        r: &RecordTy,
        kind: Option<&Rc<KindDef>>,
        cx: &CheckCx,
    ) -> EResult<Attrs> {
        let owner = kind.map(|k| k.name.as_str()).unwrap_or("");
        let kind_loc = kind.and_then(|k| k.loc.clone()).or(cx.expected_by.clone());
        let prefix = |name: &str| -> String {
            match (cx.path.is_empty(), kind) {
                (true, Some(k)) => format!("{}.{name}", k.name),
                (true, None) => name.to_string(),
                (false, _) => format!("{}.{name}", cx.path),
            }
        };
        let mut entries: Vec<(Sym, Thunk)> = Vec::with_capacity(a.len() + r.fields.len());
        for (name, t) in a.entries.iter() {
            let lit = field_lit(&cx.lit, *name).or_else(|| lit_of(t));
            let (fty, expected_by) = match r.field(*name) {
                Some(f) => (f.ty.clone(), f.loc.clone()),
                None => match &r.rest {
                    Some(rest) => (rest.clone(), cx.expected_by.clone()),
                    None => {
                        let names: Vec<&str> = r.fields.iter().map(|f| f.name.as_str()).collect();
                        let place = lit.as_ref().map(key_loc).or_else(|| cx.value_loc());
                        return fail(report::unknown_field(
                            owner,
                            name.as_str(),
                            &names,
                            at(&place),
                            at(&kind_loc),
                        ));
                    }
                },
            };
            let child = cx.child(lit, prefix(name.as_str()), expected_by);
            entries.push((*name, self.checked(t.clone(), &fty, child)));
        }
        if !cx.partial {
            for f in r.fields.iter() {
                if a.get(f.name).is_some() {
                    continue;
                }
                if f.required() {
                    return fail(report::missing_field(
                        owner,
                        f.name.as_str(),
                        &f.ty.display(),
                        at(&cx.value_loc()),
                        at(&f.loc),
                    ));
                }
                if let Some(d) = &f.default {
                    let child = CheckCx {
                        value_at: f.loc.clone(),
                        lit: lit_of(d),
                        expected_by: f.loc.clone(),
                        path: Rc::from(prefix(f.name.as_str())),
                        partial: false,
                    };
                    entries.push((f.name, self.checked(d.clone(), &f.ty, child)));
                }
            }
        }
        entries.sort_by_key(|(k, _)| *k);
        let mut out = Attrs::from_sorted(entries);
        out.appends = a.appends.clone();
        Ok(out)
    }

    /// Provenance of a checked set: its source's, plus the defaults.
    fn prov_after_check(&mut self, out: &Rc<Attrs>, from: &Attrs, r: &RecordTy) {
        if self.provenance.is_none() {
            return;
        }
        let defaults: Vec<(Sym, Loc)> = r
            .fields
            .iter()
            .filter(|f| f.default.is_some() && from.get(f.name).is_none())
            .filter_map(|f| f.loc.clone().map(|l| (f.name, l)))
            .collect();
        self.prov_checked(out, from, &defaults);
    }

    /// Builds an object of kind `k` from a set (`Kind { … }`), or, when
    /// the check is partial, a template of it (fields checked, none
    /// required). `inherited_sites`: where a template's fields were written.
    pub fn build_object(
        &mut self,
        k: &Rc<KindDef>,
        a: &Attrs,
        cx: &CheckCx,
        inherited_sites: Option<&[(Sym, Loc)]>,
    ) -> EResult<Value> {
        let mut out = self.check_record(a, &k.fields, Some(k), cx)?;
        out.meta = Some(Rc::new(ObjMeta {
            kind: k.clone(),
            template: cx.partial,
            site: cx.value_at.clone().or_else(|| cx.value_loc()),
            field_sites: field_sites(&cx.lit, a, inherited_sites),
        }));
        let out = Rc::new(out);
        self.prov_after_check(&out, a, &k.fields);
        Ok(Value::Attrs(out))
    }

    /// Applies a kind to an argument thunk: forces it, builds the object.
    pub fn apply_kind(&mut self, k: &Rc<KindDef>, arg: Thunk, site: Option<Loc>) -> EResult<Value> {
        let lit = lit_of(&arg);
        let v = self.force(&arg)?;
        let cx = CheckCx {
            value_at: site,
            lit,
            expected_by: k.loc.clone(),
            path: Rc::from(""),
            partial: false,
        };
        match &v {
            Value::Attrs(a) => self.build_object(k, a, &cx, None),
            other => fail(report::mismatch(
                "",
                k.name.as_str(),
                &found(other),
                at(&cx.value_loc()),
                at(&k.loc),
            )),
        }
    }

    /// Merges a record into a template (deeply, with `+=` appends): a
    /// call (`tpl { … }`) builds the object, `tpl.extend { … }` (when
    /// `extend`) gives a template with more defaults.
    pub fn merge_template(
        &mut self,
        tpl: &Rc<Attrs>,
        arg: Thunk,
        site: Option<Loc>,
        extend: bool,
    ) -> EResult<Value> {
        let Some(meta) = tpl.meta.clone() else {
            return EvalError::new(codes::BAD_TEMPLATE, "internal error: not a template").err();
        };
        let lit = lit_of(&arg);
        let v = self.force(&arg)?;
        let Value::Attrs(given) = &v else {
            return fail(report::mismatch(
                "",
                &format!("{} fields", meta.kind.name),
                &found(&v),
                at(&lit.as_ref().map(lit_loc).or(site)),
                at(&meta.site),
            ));
        };
        let merged = self.merge_plain(tpl, given)?;
        let cx = CheckCx {
            value_at: site,
            lit,
            expected_by: meta.kind.loc.clone(),
            path: Rc::from(""),
            partial: extend,
        };
        self.build_object(&meta.kind, &merged, &cx, Some(&meta.field_sites))
    }

    /// Deep merge of two sets, ignoring their object tags.
    fn merge_plain(&mut self, l: &Attrs, r: &Attrs) -> EResult<Rc<Attrs>> {
        let l = self.strip(l);
        let r = self.strip(r);
        match super::ops::deep_merge(self, Value::Attrs(l), Value::Attrs(r))? {
            Value::Attrs(m) => Ok(m),
            _ => Ok(Rc::new(Attrs::default())),
        }
    }

    /// A copy of a set without its object tag.
    fn strip(&mut self, a: &Attrs) -> Rc<Attrs> {
        let mut s = Attrs::from_sorted(a.entries.clone());
        s.appends = a.appends.clone();
        let s = Rc::new(s);
        self.prov_checked(&s, a, &[]);
        s
    }

    /// After `obj & rec`: the merged set is built again as the left side's
    /// kind (an object stays an object, a template a template).
    pub fn rebuild(&mut self, meta: &Rc<ObjMeta>, merged: &Attrs) -> EResult<Value> {
        let cx = CheckCx {
            value_at: meta.site.clone(),
            lit: None,
            expected_by: meta.kind.loc.clone(),
            path: Rc::from(""),
            partial: meta.template,
        };
        self.build_object(&meta.kind, merged, &cx, Some(&meta.field_sites))
    }

    /// A built-in kind by name, from the embedded prelude.
    pub fn builtin_kind(&mut self, name: Sym) -> EResult<Rc<KindDef>> {
        match self.global(name)? {
            Value::Kind(k) => Ok(k),
            _ => EvalError::new(
                crate::codes::eval::INTERNAL,
                format!("internal error: `{name}` is not a built-in kind"),
            )
            .err(),
        }
    }
}

/// Whether a set fits a record type's field names (for unions).
fn record_shape(r: &RecordTy, a: &Attrs) -> bool {
    let names_ok = r.rest.is_some() || a.entries.iter().all(|(k, _)| r.field(*k).is_some());
    names_ok
        && r.fields
            .iter()
            .all(|f| !f.required() || a.get(f.name).is_some())
}

/// Where each field of an object was written: the literal's keys first,
/// then what a template knew.
fn field_sites(
    lit: &Option<LitRef>,
    a: &Attrs,
    inherited: Option<&[(Sym, Loc)]>,
) -> Vec<(Sym, Loc)> {
    let mut out: Vec<(Sym, Loc)> = Vec::new();
    for (name, t) in a.entries.iter() {
        if let Some(l) = field_lit(lit, *name).or_else(|| lit_of(t)) {
            out.push((*name, key_loc(&l)));
        } else if let Some((_, l)) = inherited.and_then(|i| i.iter().find(|(n, _)| n == name)) {
            out.push((*name, l.clone()));
        }
    }
    out.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    out
}
