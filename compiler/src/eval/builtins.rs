//! The builtins: Nix's pure core (`builtins.*` and the top-level aliases)
//! with Nix's semantics, plus the file readers restricted to the project
//! root. Each is a [`PrimOp`] of fixed arity; partial application is the
//! machine's business. Builtins that return collections stay lazy where
//! Nix is (`map`, `genList`, `mapAttrs` build thunks, not values).
//!
//! Knows values and the evaluator's public API; no syntax, no salsa
//! except through `Evaluator::db` for reading files.

use super::ops::{self, coerce_to_string, compare, equal};
use super::{Attrs, EResult, EvalError, Evaluator, PrimOpApp, Thunk, ThunkState, Value};
use crate::codes::eval as codes;
use crate::intern::Sym;
use crate::source::FileContents;
use std::cmp::Ordering;
use std::path::Path;
use std::rc::Rc;

pub type PrimFn = fn(&mut Evaluator<'_>, &[Thunk]) -> EResult<Value>;

pub struct PrimOp {
    pub name: &'static str,
    pub arity: usize,
    pub func: PrimFn,
}

macro_rules! prim {
    ($name:literal, $arity:literal, $f:expr) => {
        PrimOp {
            name: $name,
            arity: $arity,
            func: $f,
        }
    };
}

pub static PRIMOPS: &[PrimOp] = &[
    prim!("abort", 1, abort),
    prim!("add", 2, |ev, a| arith(
        ev,
        a,
        crate::syntax::ast::BinaryOp::Add
    )),
    prim!("addErrorContext", 2, |ev, a| ev.force(&a[1])),
    prim!("all", 2, all),
    prim!("any", 2, any),
    prim!("attrNames", 1, attr_names),
    prim!("attrValues", 1, attr_values),
    prim!("baseNameOf", 1, base_name_of),
    prim!("bitAnd", 2, |ev, a| bits(ev, a, "bitAnd", |x, y| x & y)),
    prim!("bitOr", 2, |ev, a| bits(ev, a, "bitOr", |x, y| x | y)),
    prim!("bitXor", 2, |ev, a| bits(ev, a, "bitXor", |x, y| x ^ y)),
    prim!("catAttrs", 2, cat_attrs),
    prim!("ceil", 1, |ev, a| round(ev, a, "ceil", f64::ceil)),
    prim!("compareVersions", 2, compare_versions),
    prim!("concatLists", 1, concat_lists),
    prim!("concatMap", 2, concat_map),
    prim!("concatStringsSep", 2, concat_strings_sep),
    prim!("deepSeq", 2, deep_seq),
    prim!("dirOf", 1, dir_of),
    prim!("div", 2, |ev, a| arith(
        ev,
        a,
        crate::syntax::ast::BinaryOp::Div
    )),
    prim!("elem", 2, elem),
    prim!("elemAt", 2, elem_at),
    prim!("filter", 2, filter),
    prim!("floor", 1, |ev, a| round(ev, a, "floor", f64::floor)),
    prim!("foldl'", 3, foldl),
    prim!("fromJSON", 1, from_json),
    prim!("fromTOML", 1, from_toml),
    prim!("functionArgs", 1, function_args),
    prim!("genList", 2, gen_list),
    prim!("genericClosure", 1, generic_closure),
    prim!("getAttr", 2, get_attr),
    prim!("groupBy", 2, group_by),
    prim!("hasAttr", 2, has_attr),
    prim!("hashString", 2, hash_string),
    prim!("head", 1, head),
    prim!("import", 1, import),
    prim!("intersectAttrs", 2, intersect_attrs),
    prim!("isAttrs", 1, |ev, a| is(ev, a, |v| matches!(
        v,
        Value::Attrs(_)
    ))),
    prim!("isBool", 1, |ev, a| is(ev, a, |v| matches!(
        v,
        Value::Bool(_)
    ))),
    prim!("isFloat", 1, |ev, a| is(ev, a, |v| matches!(
        v,
        Value::Float(_)
    ))),
    prim!("isFunction", 1, |ev, a| is(ev, a, |v| matches!(
        v,
        Value::Lambda(_) | Value::PrimOp(_)
    ))),
    prim!("isInt", 1, |ev, a| is(ev, a, |v| matches!(
        v,
        Value::Int(_)
    ))),
    prim!("isList", 1, |ev, a| is(ev, a, |v| matches!(
        v,
        Value::List(_)
    ))),
    prim!("kindOf", 1, kind_of),
    prim!("isNull", 1, |ev, a| is(ev, a, |v| matches!(v, Value::Null))),
    prim!("isPath", 1, |ev, a| is(ev, a, |v| matches!(
        v,
        Value::Path(_)
    ))),
    prim!("isString", 1, |ev, a| is(ev, a, |v| matches!(
        v,
        Value::Str(_)
    ))),
    prim!("length", 1, length),
    prim!("lessThan", 2, |ev, a| {
        let (x, y) = (ev.force(&a[0])?, ev.force(&a[1])?);
        Ok(Value::Bool(compare(ev, &x, &y)? == Ordering::Less))
    }),
    prim!("listToAttrs", 1, list_to_attrs),
    prim!("map", 2, map),
    prim!("mapAttrs", 2, map_attrs),
    prim!("match", 2, regex_match),
    prim!("mul", 2, |ev, a| arith(
        ev,
        a,
        crate::syntax::ast::BinaryOp::Mul
    )),
    prim!("parseDrvName", 1, parse_drv_name),
    prim!("partition", 2, partition),
    prim!("pathExists", 1, path_exists),
    prim!("readFile", 1, read_file),
    prim!("removeAttrs", 2, remove_attrs),
    prim!("replaceStrings", 3, replace_strings),
    prim!("seq", 2, |ev, a| {
        ev.force(&a[0])?;
        ev.force(&a[1])
    }),
    prim!("sort", 2, sort),
    prim!("split", 2, regex_split),
    prim!("splitVersion", 1, split_version),
    prim!("stringLength", 1, |ev, a| {
        let s = want_str(ev, &a[0], "stringLength")?;
        Ok(Value::Int(s.len() as i64))
    }),
    prim!("sub", 2, |ev, a| arith(
        ev,
        a,
        crate::syntax::ast::BinaryOp::Sub
    )),
    prim!("substring", 3, substring),
    prim!("tail", 1, tail),
    prim!("throw", 1, throw),
    prim!("toJSON", 1, to_json),
    prim!("toString", 1, to_string),
    prim!("trace", 2, trace),
    prim!("tryEval", 1, try_eval),
    prim!("typeOf", 1, |ev, a| Ok(Value::str(
        ev.force(&a[0])?.type_name()
    ))),
    prim!("unsafeDiscardStringContext", 1, |ev, a| ev.force(&a[0])),
    prim!("zipAttrsWith", 2, zip_attrs_with),
];

fn primop(name: &str) -> Option<&'static PrimOp> {
    PRIMOPS.iter().find(|p| p.name == name)
}

fn primop_value(p: &'static PrimOp) -> Value {
    Value::PrimOp(Rc::new(PrimOpApp {
        op: p,
        args: Vec::new(),
    }))
}

/// A top-level global other than `builtins`.
pub fn lookup(name: &str) -> Option<Value> {
    primop(name)
        .or_else(|| DVM_GLOBALS.iter().find(|p| p.name == name))
        .map(primop_value)
}

/// dvm's own top-level functions (language.md §4, §6); not in
/// `builtins`, so that `builtins` stays Nix's set (plus `kindOf`).
pub static DVM_GLOBALS: &[PrimOp] = &[prim!("secret", 1, secret), prim!("Template", 2, template)];

/// `template.extend`, reached by selecting `extend` on a template.
pub static EXTEND: PrimOp = prim!("extend", 2, extend);

/// `secret "NAME"`
fn secret(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let name = match ev.force(&a[0])? {
        Value::Str(s) => s,
        other => return wrong("secret", "a string (the secret's name)", &other),
    };
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    if !valid {
        return EvalError::new(
            codes::BAD_INPUT,
            format!("`{name}` is not a valid secret name"),
        )
        .help("secret names use letters, digits, `_`, `-` and `.`: `secret \"PG_PASSWORD\"`")
        .err();
    }
    Ok(Value::Secret(Rc::from(vec![
        crate::data::SecretPart::Secret(Box::from(&*name)),
    ])))
}

/// `Template Kind { … }`
fn template(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let kind = match ev.force(&a[0])? {
        Value::Kind(k) => k,
        other => {
            return EvalError::new(
                crate::codes::types::BAD_TEMPLATE,
                format!("`Template` needs a kind, but this is {}", other.describe()),
            )
            .help("write `Template Workspace { … }`")
            .err();
        }
    };
    let lit = super::contract::lit_of(&a[1]);
    let fields = ev.force(&a[1])?;
    let Value::Attrs(fields) = fields else {
        return wrong("Template", "a set of fields", &fields);
    };
    let cx = super::types::CheckCx {
        lit,
        expected_by: kind.loc.clone(),
        partial: true,
        ..Default::default()
    };
    ev.build_object(&kind, &fields, &cx, None)
}

fn extend(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    match ev.force(&a[0])? {
        Value::Attrs(t) if t.meta.as_ref().is_some_and(|m| m.template) => {
            ev.merge_template(&t, a[1].clone(), None, true)
        }
        other => wrong("extend", "a template", &other),
    }
}

/// `builtins.kindOf v`: the kind's name of an object or template, else null.
fn kind_of(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    Ok(match ev.force(&a[0])? {
        Value::Attrs(o) => match &o.meta {
            Some(m) => Value::str(m.kind.name.as_str()),
            None => Value::Null,
        },
        Value::Kind(k) => Value::str(k.name.as_str()),
        _ => Value::Null,
    })
}

/// The `builtins` set; `own` is the thunk that will hold the set itself
/// (`builtins.builtins`).
pub fn builtins_set(own: Thunk) -> Value {
    let mut entries: Vec<(Sym, Thunk)> = PRIMOPS
        .iter()
        .map(|p| (Sym::new(p.name), Thunk::Ready(primop_value(p))))
        .collect();
    entries.push((Sym::new("true"), Thunk::Ready(Value::Bool(true))));
    entries.push((Sym::new("false"), Thunk::Ready(Value::Bool(false))));
    entries.push((Sym::new("null"), Thunk::Ready(Value::Null)));
    entries.push((Sym::new("langVersion"), Thunk::Ready(Value::Int(6))));
    entries.push((Sym::new("builtins"), own));
    Value::Attrs(Rc::new(Attrs::from_unsorted(entries)))
}

// ---- argument helpers ------------------------------------------------------

fn wrong<T>(name: &str, what: &str, v: &Value) -> EResult<T> {
    if let Value::Secret(_) = v {
        return super::ops::secret_as_text(v, &format!("`{name}` would read it as text"));
    }
    EvalError::new(
        codes::TYPE_MISMATCH,
        format!("`{name}` expects {what}, but got {}", v.describe()),
    )
    .label(format!("this is {}", v.describe()))
    .err()
}

fn want_str(ev: &mut Evaluator<'_>, t: &Thunk, name: &str) -> EResult<Rc<str>> {
    match ev.force(t)? {
        Value::Str(s) => Ok(s),
        other => wrong(name, "a string", &other),
    }
}

fn want_int(ev: &mut Evaluator<'_>, t: &Thunk, name: &str) -> EResult<i64> {
    match ev.force(t)? {
        Value::Int(i) => Ok(i),
        other => wrong(name, "an integer", &other),
    }
}

fn want_list(ev: &mut Evaluator<'_>, t: &Thunk, name: &str) -> EResult<Rc<[Thunk]>> {
    match ev.force(t)? {
        Value::List(l) => Ok(l),
        other => wrong(name, "a list", &other),
    }
}

fn want_attrs(ev: &mut Evaluator<'_>, t: &Thunk, name: &str) -> EResult<Rc<Attrs>> {
    match ev.force(t)? {
        Value::Attrs(a) => Ok(a),
        other => wrong(name, "a set", &other),
    }
}

fn want_fn(ev: &mut Evaluator<'_>, t: &Thunk, name: &str) -> EResult<Value> {
    match ev.force(t)? {
        v @ (Value::Lambda(_) | Value::PrimOp(_) | Value::Attrs(_)) => Ok(v),
        other => wrong(name, "a function", &other),
    }
}

fn want_bool(v: Value, name: &str) -> EResult<bool> {
    match v {
        Value::Bool(b) => Ok(b),
        other => wrong(name, "a function returning a Boolean", &other),
    }
}

/// A path-like argument (path or string) as text.
fn want_path_text(ev: &mut Evaluator<'_>, t: &Thunk, name: &str) -> EResult<String> {
    match ev.force(t)? {
        Value::Path(p) => Ok(p.to_string()),
        Value::Str(s) => Ok(s.to_string()),
        v @ Value::Attrs(_) => {
            let mut out = String::new();
            coerce_to_string(ev, &v, &mut out, false)?;
            Ok(out)
        }
        other => wrong(name, "a path", &other),
    }
}

fn list(items: Vec<Thunk>) -> Value {
    Value::List(Rc::from(items))
}

fn attrs_of(entries: Vec<(&str, Value)>) -> Value {
    Value::Attrs(Rc::new(Attrs::from_unsorted(
        entries
            .into_iter()
            .map(|(k, v)| (Sym::new(k), Thunk::Ready(v)))
            .collect(),
    )))
}

fn call1(f: &Value, x: Thunk) -> Thunk {
    Thunk::deferred(ThunkState::Apply(f.clone(), x))
}

// ---- the builtins ------------------------------------------------------------

fn abort(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let v = ev.force(&a[0])?;
    let mut msg = String::new();
    coerce_to_string(ev, &v, &mut msg, true)?;
    EvalError::new(codes::ABORT, format!("evaluation aborted: {msg}"))
        .label("aborted here")
        .err()
}

fn throw(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let v = ev.force(&a[0])?;
    let mut msg = String::new();
    coerce_to_string(ev, &v, &mut msg, true)?;
    let mut e = EvalError::new(codes::THROW, msg).label("thrown here");
    e.catchable = true;
    e.err()
}

fn arith(ev: &mut Evaluator<'_>, a: &[Thunk], op: crate::syntax::ast::BinaryOp) -> EResult<Value> {
    let x = ev.force(&a[0])?;
    let y = ev.force(&a[1])?;
    ops::arith(op, x, y)
}

fn bits(ev: &mut Evaluator<'_>, a: &[Thunk], name: &str, f: fn(i64, i64) -> i64) -> EResult<Value> {
    let x = want_int(ev, &a[0], name)?;
    let y = want_int(ev, &a[1], name)?;
    Ok(Value::Int(f(x, y)))
}

fn round(ev: &mut Evaluator<'_>, a: &[Thunk], name: &str, f: fn(f64) -> f64) -> EResult<Value> {
    match ev.force(&a[0])? {
        Value::Int(i) => Ok(Value::Int(i)),
        Value::Float(x) => {
            let r = f(x);
            if !r.is_finite() || r.abs() > i64::MAX as f64 {
                return EvalError::new(
                    codes::OVERFLOW,
                    format!("`{name} {x}` does not fit in an integer"),
                )
                .err();
            }
            Ok(Value::Int(r as i64))
        }
        other => wrong(name, "a number", &other),
    }
}

fn is(ev: &mut Evaluator<'_>, a: &[Thunk], f: fn(&Value) -> bool) -> EResult<Value> {
    let v = ev.force(&a[0])?;
    Ok(Value::Bool(f(&v)))
}

fn all(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "all")?;
    for x in want_list(ev, &a[1], "all")?.iter() {
        let r = ev.apply(f.clone(), x.clone())?;
        if !want_bool(r, "all")? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

fn any(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "any")?;
    for x in want_list(ev, &a[1], "any")?.iter() {
        let r = ev.apply(f.clone(), x.clone())?;
        if want_bool(r, "any")? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn attr_names(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let s = want_attrs(ev, &a[0], "attrNames")?;
    Ok(list(
        s.sorted_by_name()
            .into_iter()
            .map(|(k, _)| Thunk::Ready(Value::str(k.as_str())))
            .collect(),
    ))
}

fn attr_values(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let s = want_attrs(ev, &a[0], "attrValues")?;
    Ok(list(
        s.sorted_by_name().into_iter().map(|(_, t)| t).collect(),
    ))
}

fn base_name_of(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let v = ev.force(&a[0])?;
    let mut s = String::new();
    coerce_to_string(ev, &v, &mut s, false)?;
    let trimmed = s.strip_suffix('/').unwrap_or(&s);
    let base = match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    };
    Ok(Value::str(base))
}

fn dir_of(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let v = ev.force(&a[0])?;
    let is_path = matches!(v, Value::Path(_));
    let mut s = String::new();
    coerce_to_string(ev, &v, &mut s, false)?;
    let dir = match s.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => s[..i].to_string(),
        None => ".".to_string(),
    };
    Ok(if is_path {
        Value::Path(Rc::from(dir.as_str()))
    } else {
        Value::string(dir)
    })
}

fn cat_attrs(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let name = Sym::new(&want_str(ev, &a[0], "catAttrs")?);
    let mut out = Vec::new();
    for t in want_list(ev, &a[1], "catAttrs")?.iter() {
        let s = want_attrs(ev, t, "catAttrs")?;
        if let Some(v) = s.get(name) {
            out.push(v.clone());
        }
    }
    Ok(list(out))
}

/// Nix's version components: runs of digits or of other non-separator
/// characters, split at `.` and `-`.
fn version_components(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_digit = false;
    for c in s.chars() {
        if c == '.' || c == '-' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let d = c.is_ascii_digit();
        if !cur.is_empty() && d != cur_digit {
            out.push(std::mem::take(&mut cur));
        }
        cur_digit = d;
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn component_lt(c1: &str, c2: &str) -> bool {
    let n1: Option<u64> = c1
        .parse()
        .ok()
        .filter(|_| c1.chars().all(|c| c.is_ascii_digit()));
    let n2: Option<u64> = c2
        .parse()
        .ok()
        .filter(|_| c2.chars().all(|c| c.is_ascii_digit()));
    match (n1, n2) {
        (Some(a), Some(b)) => a < b,
        _ if c1.is_empty() && n2.is_some() => true,
        _ if c1 == "pre" && c2 != "pre" => true,
        _ if c2 == "pre" => false,
        (Some(_), None) => false,
        (None, Some(_)) => true,
        _ => c1 < c2,
    }
}

fn compare_versions(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let v1 = version_components(&want_str(ev, &a[0], "compareVersions")?);
    let v2 = version_components(&want_str(ev, &a[1], "compareVersions")?);
    let n = v1.len().max(v2.len());
    for i in 0..n {
        let c1 = v1.get(i).map(String::as_str).unwrap_or("");
        let c2 = v2.get(i).map(String::as_str).unwrap_or("");
        if component_lt(c1, c2) {
            return Ok(Value::Int(-1));
        }
        if component_lt(c2, c1) {
            return Ok(Value::Int(1));
        }
    }
    Ok(Value::Int(0))
}

fn split_version(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let s = want_str(ev, &a[0], "splitVersion")?;
    Ok(list(
        version_components(&s)
            .into_iter()
            .map(|c| Thunk::Ready(Value::string(c)))
            .collect(),
    ))
}

fn concat_lists(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let mut out = Vec::new();
    for t in want_list(ev, &a[0], "concatLists")?.iter() {
        out.extend(want_list(ev, t, "concatLists")?.iter().cloned());
        ev.check_list(out.len())?;
    }
    Ok(list(out))
}

fn concat_map(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "concatMap")?;
    let mut out = Vec::new();
    for t in want_list(ev, &a[1], "concatMap")?.iter() {
        let r = ev.apply(f.clone(), t.clone())?;
        match r {
            Value::List(l) => {
                out.extend(l.iter().cloned());
                ev.check_list(out.len())?;
            }
            other => return wrong("concatMap", "a function returning a list", &other),
        }
    }
    Ok(list(out))
}

fn concat_strings_sep(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let sep = want_str(ev, &a[0], "concatStringsSep")?;
    let mut out = String::new();
    for (i, t) in want_list(ev, &a[1], "concatStringsSep")?.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        let v = ev.force(t)?;
        coerce_to_string(ev, &v, &mut out, false)?;
        ev.check_string(out.len())?;
    }
    Ok(Value::string(out))
}

fn deep_force(ev: &mut Evaluator<'_>, v: &Value) -> EResult<()> {
    match v {
        Value::List(items) => {
            for t in items.iter() {
                let x = ev.force(t)?;
                deep_force(ev, &x)?;
            }
        }
        Value::Attrs(a) => {
            for (_, t) in a.entries.iter() {
                let x = ev.force(t)?;
                deep_force(ev, &x)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn deep_seq(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let v = ev.force(&a[0])?;
    deep_force(ev, &v)?;
    ev.force(&a[1])
}

fn elem(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let x = ev.force(&a[0])?;
    for t in want_list(ev, &a[1], "elem")?.iter() {
        let y = ev.force(t)?;
        if equal(ev, &x, &y)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn elem_at(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let l = want_list(ev, &a[0], "elemAt")?;
    let i = want_int(ev, &a[1], "elemAt")?;
    match usize::try_from(i).ok().and_then(|i| l.get(i)) {
        Some(t) => {
            let t = t.clone();
            ev.force(&t)
        }
        None => EvalError::new(
            codes::INDEX,
            format!(
                "list index {i} is out of bounds (the list has {} elements)",
                l.len()
            ),
        )
        .label("no element at this index")
        .err(),
    }
}

fn filter(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "filter")?;
    let mut out = Vec::new();
    for t in want_list(ev, &a[1], "filter")?.iter() {
        let r = ev.apply(f.clone(), t.clone())?;
        if want_bool(r, "filter")? {
            out.push(t.clone());
        }
    }
    Ok(list(out))
}

fn foldl(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "foldl'")?;
    let mut acc = ev.force(&a[1])?;
    for t in want_list(ev, &a[2], "foldl'")?.iter() {
        let g = ev.apply(f.clone(), Thunk::Ready(acc))?;
        acc = ev.apply(g, t.clone())?;
    }
    Ok(acc)
}

pub fn json_to_value(j: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match j {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        J::String(s) => Value::str(s),
        J::Array(items) => list(
            items
                .iter()
                .map(|x| Thunk::Ready(json_to_value(x)))
                .collect(),
        ),
        J::Object(m) => Value::Attrs(Rc::new(Attrs::from_unsorted(
            m.iter()
                .map(|(k, v)| (Sym::new(k), Thunk::Ready(json_to_value(v))))
                .collect(),
        ))),
    }
}

fn from_json(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let s = want_str(ev, &a[0], "fromJSON")?;
    match serde_json::from_str::<serde_json::Value>(&s) {
        Ok(j) => Ok(json_to_value(&j)),
        Err(e) => EvalError::new(codes::BAD_INPUT, format!("`fromJSON`: invalid JSON: {e}")).err(),
    }
}

fn toml_to_value(t: &toml::Value) -> Value {
    match t {
        toml::Value::String(s) => Value::str(s),
        toml::Value::Integer(i) => Value::Int(*i),
        toml::Value::Float(f) => Value::Float(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::string(d.to_string()),
        toml::Value::Array(items) => list(
            items
                .iter()
                .map(|x| Thunk::Ready(toml_to_value(x)))
                .collect(),
        ),
        toml::Value::Table(m) => Value::Attrs(Rc::new(Attrs::from_unsorted(
            m.iter()
                .map(|(k, v)| (Sym::new(k), Thunk::Ready(toml_to_value(v))))
                .collect(),
        ))),
    }
}

fn from_toml(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let s = want_str(ev, &a[0], "fromTOML")?;
    match toml::from_str::<toml::Table>(&s) {
        Ok(t) => Ok(toml_to_value(&toml::Value::Table(t))),
        Err(e) => EvalError::new(
            codes::BAD_INPUT,
            format!("`fromTOML`: invalid TOML: {}", e.message()),
        )
        .err(),
    }
}

fn function_args(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    match ev.force(&a[0])? {
        Value::Lambda(c) => match &c.lambda.param {
            crate::hir::ParamIr::Pattern { fields, .. } => {
                Ok(Value::Attrs(Rc::new(Attrs::from_unsorted(
                    fields
                        .iter()
                        .map(|f| (f.name, Thunk::Ready(Value::Bool(f.default.is_some()))))
                        .collect(),
                ))))
            }
            crate::hir::ParamIr::Ident(_) => Ok(attrs_of(Vec::new())),
        },
        Value::PrimOp(_) => Ok(attrs_of(Vec::new())),
        other => wrong("functionArgs", "a function", &other),
    }
}

fn gen_list(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "genList")?;
    let n = want_int(ev, &a[1], "genList")?;
    if n < 0 {
        return EvalError::new(
            codes::INDEX,
            format!("`genList` needs a length of at least 0, got {n}"),
        )
        .err();
    }
    ev.check_list(usize::try_from(n).unwrap_or(usize::MAX))?;
    Ok(list(
        (0..n)
            .map(|i| call1(&f, Thunk::Ready(Value::Int(i))))
            .collect(),
    ))
}

fn generic_closure(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let args = want_attrs(ev, &a[0], "genericClosure")?;
    let missing = |n: &str| {
        EvalError::new(
            codes::MISSING_ATTRIBUTE,
            format!("`genericClosure` needs an attribute `{n}`"),
        )
        .err()
    };
    let Some(start) = args.get(Sym::new("startSet")).cloned() else {
        return missing("startSet");
    };
    let Some(op) = args.get(Sym::new("operator")).cloned() else {
        return missing("operator");
    };
    let op = want_fn(ev, &op, "genericClosure")?;
    let mut work: std::collections::VecDeque<Thunk> = want_list(ev, &start, "genericClosure")?
        .iter()
        .cloned()
        .collect();
    let mut seen: Vec<Value> = Vec::new();
    let mut out = Vec::new();
    let key = Sym::new("key");
    while let Some(t) = work.pop_front() {
        let item = want_attrs(ev, &t, "genericClosure")?;
        let Some(k) = item.get(key).cloned() else {
            return missing("key");
        };
        let k = ev.force(&k)?;
        let mut dup = false;
        for s in &seen {
            if compare(ev, s, &k)? == Ordering::Equal {
                dup = true;
                break;
            }
        }
        if dup {
            continue;
        }
        seen.push(k);
        out.push(t.clone());
        ev.check_list(out.len() + work.len())?;
        let next = ev.apply(op.clone(), t)?;
        match next {
            Value::List(l) => work.extend(l.iter().cloned()),
            other => return wrong("genericClosure", "an operator returning a list", &other),
        }
    }
    Ok(list(out))
}

fn get_attr(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let name = Sym::new(&want_str(ev, &a[0], "getAttr")?);
    let s = want_attrs(ev, &a[1], "getAttr")?;
    match s.get(name) {
        Some(t) => {
            let t = t.clone();
            ev.force(&t)
        }
        None => Err(super::missing_attr(&s, name)),
    }
}

fn has_attr(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let name = Sym::new(&want_str(ev, &a[0], "hasAttr")?);
    let s = want_attrs(ev, &a[1], "hasAttr")?;
    Ok(Value::Bool(s.get(name).is_some()))
}

fn group_by(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "groupBy")?;
    let mut groups: Vec<(Sym, Vec<Thunk>)> = Vec::new();
    for t in want_list(ev, &a[1], "groupBy")?.iter() {
        let k = match ev.apply(f.clone(), t.clone())? {
            Value::Str(s) => Sym::new(&s),
            other => return wrong("groupBy", "a function returning a string", &other),
        };
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, items)) => items.push(t.clone()),
            None => groups.push((k, vec![t.clone()])),
        }
    }
    Ok(Value::Attrs(Rc::new(Attrs::from_unsorted(
        groups
            .into_iter()
            .map(|(k, v)| (k, Thunk::Ready(list(v))))
            .collect(),
    ))))
}

fn hash_string(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    use sha2::Digest;
    let algo = want_str(ev, &a[0], "hashString")?;
    let s = want_str(ev, &a[1], "hashString")?;
    let bytes = s.as_bytes();
    let digest: Vec<u8> = match &*algo {
        "md5" => md5::Md5::digest(bytes).to_vec(),
        "sha1" => sha1::Sha1::digest(bytes).to_vec(),
        "sha256" => sha2::Sha256::digest(bytes).to_vec(),
        "sha512" => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return EvalError::new(
                codes::BAD_INPUT,
                format!("`hashString`: unknown hash algorithm `{other}`"),
            )
            .help("use one of md5, sha1, sha256, sha512")
            .err();
        }
    };
    let mut hex = String::with_capacity(digest.len() * 2);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    Ok(Value::string(hex))
}

fn head(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let l = want_list(ev, &a[0], "head")?;
    match l.first() {
        Some(t) => {
            let t = t.clone();
            ev.force(&t)
        }
        None => EvalError::new(codes::INDEX, "`head` of an empty list")
            .label("this list is empty")
            .err(),
    }
}

fn tail(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let l = want_list(ev, &a[0], "tail")?;
    if l.is_empty() {
        return EvalError::new(codes::INDEX, "`tail` of an empty list")
            .label("this list is empty")
            .err();
    }
    Ok(list(l[1..].to_vec()))
}

fn import(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let text = want_path_text(ev, &a[0], "import")?;
    if !text.starts_with('/') {
        return EvalError::new(
            codes::TYPE_MISMATCH,
            format!("`import` needs a path, but got the string \"{text}\""),
        )
        .help("write a path literal such as `./file.dvm`")
        .err();
    }
    let file = crate::db::import_target(ev.db, Path::new(&*text));
    let t = ev.import_file(file, false)?;
    ev.force(&t)
}

/// Checks that `path` is under the project root (purity).
fn under_root(ev: &Evaluator<'_>, name: &str, path: &str) -> EResult<()> {
    if Path::new(path).starts_with(&ev.root) {
        return Ok(());
    }
    EvalError::new(
        codes::OUTSIDE_ROOT,
        format!(
            "`{name}` may only read files under the project root, not `{}`",
            crate::db::display_path(Path::new(path))
        ),
    )
    .label("outside the project root")
    .help(format!(
        "the project root is the entry file's directory, `{}`; copy what you need below it",
        crate::db::display_path(&ev.root)
    ))
    .err()
}

fn read_file(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let path = want_path_text(ev, &a[0], "readFile")?;
    under_root(ev, "readFile", &path)?;
    let file = ev.db.file(Path::new(&path));
    match file.contents(ev.db) {
        FileContents::Text(t) => Ok(Value::str(t)),
        other => {
            let d = super::unreadable(&crate::db::display_path(Path::new(&path)), other);
            EvalError::new(d.code, d.message).err()
        }
    }
}

fn path_exists(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let path = want_path_text(ev, &a[0], "pathExists")?;
    under_root(ev, "pathExists", &path)?;
    let file = ev.db.file(Path::new(&path));
    Ok(Value::Bool(!matches!(
        file.contents(ev.db),
        FileContents::Missing
    )))
}

fn intersect_attrs(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let x = want_attrs(ev, &a[0], "intersectAttrs")?;
    let y = want_attrs(ev, &a[1], "intersectAttrs")?;
    Ok(Value::Attrs(Rc::new(Attrs::from_sorted(
        y.entries
            .iter()
            .filter(|(k, _)| x.get(*k).is_some())
            .cloned()
            .collect(),
    ))))
}

fn length(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    Ok(Value::Int(want_list(ev, &a[0], "length")?.len() as i64))
}

fn list_to_attrs(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let (name_key, value_key) = (Sym::new("name"), Sym::new("value"));
    let mut entries: Vec<(Sym, Thunk)> = Vec::new();
    for t in want_list(ev, &a[0], "listToAttrs")?.iter() {
        let item = want_attrs(ev, t, "listToAttrs")?;
        let Some(n) = item.get(name_key).cloned() else {
            return EvalError::new(
                codes::MISSING_ATTRIBUTE,
                "`listToAttrs`: an element has no `name`",
            )
            .err();
        };
        let name = Sym::new(&want_str(ev, &n, "listToAttrs")?);
        let Some(v) = item.get(value_key).cloned() else {
            return EvalError::new(
                codes::MISSING_ATTRIBUTE,
                "`listToAttrs`: an element has no `value`",
            )
            .err();
        };
        entries.push((name, v));
    }
    // The first occurrence of a name wins, as in Nix.
    entries.sort_by_key(|(k, _)| *k);
    entries.dedup_by_key(|(k, _)| *k);
    Ok(Value::Attrs(Rc::new(Attrs::from_sorted(entries))))
}

fn map(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "map")?;
    let l = want_list(ev, &a[1], "map")?;
    Ok(list(l.iter().map(|t| call1(&f, t.clone())).collect()))
}

fn map_attrs(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "mapAttrs")?;
    let s = want_attrs(ev, &a[1], "mapAttrs")?;
    let entries = s
        .entries
        .iter()
        .map(|(k, t)| {
            let name = Thunk::Ready(Value::str(k.as_str()));
            (
                *k,
                Thunk::deferred(ThunkState::Apply2(Box::new((f.clone(), name, t.clone())))),
            )
        })
        .collect();
    Ok(Value::Attrs(Rc::new(Attrs::from_sorted(entries))))
}

fn zip_attrs_with(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "zipAttrsWith")?;
    // Values per name, in list order; most names are in one or two sets,
    // kept inline.
    let mut groups: Vec<(Sym, smallvec::SmallVec<[Thunk; 2]>)> = Vec::new();
    for t in want_list(ev, &a[1], "zipAttrsWith")?.iter() {
        let s = want_attrs(ev, t, "zipAttrsWith")?;
        for (k, v) in s.entries.iter() {
            match groups.binary_search_by_key(k, |(g, _)| *g) {
                Ok(i) => groups[i].1.push(v.clone()),
                Err(i) => groups.insert(i, (*k, smallvec::smallvec![v.clone()])),
            }
        }
    }
    let out: Vec<(Sym, Thunk)> = groups
        .into_iter()
        .map(|(key, vs)| {
            let values = Value::List(vs.into_iter().collect());
            let name = Thunk::Ready(Value::str(key.as_str()));
            let call = Box::new((f.clone(), name, Thunk::Ready(values)));
            (key, Thunk::deferred(ThunkState::Apply2(call)))
        })
        .collect();
    Ok(Value::Attrs(Rc::new(Attrs::from_sorted(out))))
}

fn regex(ev: &mut Evaluator<'_>, re: &str, name: &str) -> EResult<regex::Regex> {
    if let Some(r) = ev.regex_cache.get(re) {
        return Ok(r.clone());
    }
    match regex::Regex::new(re) {
        Ok(r) => {
            ev.regex_cache.insert(re.to_string(), r.clone());
            Ok(r)
        }
        Err(e) => EvalError::new(
            codes::BAD_INPUT,
            format!("`{name}`: invalid regular expression: {e}"),
        )
        .err(),
    }
}

fn captures_list(caps: &regex::Captures<'_>) -> Value {
    list(
        caps.iter()
            .skip(1)
            .map(|m| {
                Thunk::Ready(match m {
                    Some(m) => Value::str(m.as_str()),
                    None => Value::Null,
                })
            })
            .collect(),
    )
}

fn regex_match(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let re = want_str(ev, &a[0], "match")?;
    let s = want_str(ev, &a[1], "match")?;
    let full = regex(ev, &format!("^(?:{re})$"), "match")?;
    Ok(match full.captures(&s) {
        Some(c) => captures_list(&c),
        None => Value::Null,
    })
}

fn regex_split(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let re = want_str(ev, &a[0], "split")?;
    let s = want_str(ev, &a[1], "split")?;
    let r = regex(ev, &re, "split")?;
    // As Nix (and Python's `re.split`): an empty match right after a
    // non-empty one is reported too.
    let mut out = Vec::new();
    let (mut last, mut pos) = (0, 0);
    while pos <= s.len() {
        let Some(c) = r.captures_at(&s, pos) else {
            break;
        };
        let Some(m) = c.get(0) else { break };
        out.push(Thunk::Ready(Value::str(&s[last..m.start()])));
        out.push(Thunk::Ready(captures_list(&c)));
        ev.check_list(out.len())?;
        last = m.end();
        pos = if m.is_empty() {
            m.end() + s[m.end()..].chars().next().map_or(1, char::len_utf8)
        } else {
            m.end()
        };
    }
    out.push(Thunk::Ready(Value::str(&s[last..])));
    Ok(list(out))
}

fn parse_drv_name(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let s = want_str(ev, &a[0], "parseDrvName")?;
    let bytes = s.as_bytes();
    let mut split = None;
    for i in 0..bytes.len() {
        if bytes[i] == b'-' && bytes.get(i + 1).is_some_and(|c| !c.is_ascii_alphabetic()) {
            split = Some(i);
            break;
        }
    }
    let (name, version) = match split {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (&*s, ""),
    };
    Ok(attrs_of(vec![
        ("name", Value::str(name)),
        ("version", Value::str(version)),
    ]))
}

fn partition(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "partition")?;
    let (mut right, mut wrong_) = (Vec::new(), Vec::new());
    for t in want_list(ev, &a[1], "partition")?.iter() {
        let r = ev.apply(f.clone(), t.clone())?;
        if want_bool(r, "partition")? {
            right.push(t.clone());
        } else {
            wrong_.push(t.clone());
        }
    }
    Ok(attrs_of(vec![
        ("right", list(right)),
        ("wrong", list(wrong_)),
    ]))
}

fn remove_attrs(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let s = want_attrs(ev, &a[0], "removeAttrs")?;
    let mut drop = Vec::new();
    for t in want_list(ev, &a[1], "removeAttrs")?.iter() {
        drop.push(Sym::new(&want_str(ev, t, "removeAttrs")?));
    }
    Ok(Value::Attrs(Rc::new(Attrs::from_sorted(
        s.entries
            .iter()
            .filter(|(k, _)| !drop.contains(k))
            .cloned()
            .collect(),
    ))))
}

fn replace_strings(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let from_l = want_list(ev, &a[0], "replaceStrings")?;
    let to_l = want_list(ev, &a[1], "replaceStrings")?;
    if from_l.len() != to_l.len() {
        return EvalError::new(
            codes::BAD_INPUT,
            "`replaceStrings`: the two lists must have the same length",
        )
        .err();
    }
    let mut from = Vec::new();
    for t in from_l.iter() {
        from.push(want_str(ev, t, "replaceStrings")?);
    }
    let s = want_str(ev, &a[2], "replaceStrings")?;
    let mut to: Vec<Option<Rc<str>>> = vec![None; to_l.len()];
    let mut out = String::with_capacity(s.len());
    let mut p = 0;
    while p <= s.len() {
        let mut found = false;
        for (i, f) in from.iter().enumerate() {
            if s[p..].starts_with(&**f) {
                found = true;
                if to[i].is_none() {
                    to[i] = Some(want_str(ev, &to_l[i], "replaceStrings")?);
                }
                if let Some(r) = &to[i] {
                    out.push_str(r);
                }
                ev.check_string(out.len())?;
                if f.is_empty() {
                    if let Some(c) = s[p..].chars().next() {
                        out.push(c);
                        p += c.len_utf8();
                    } else {
                        p += 1;
                    }
                } else {
                    p += f.len();
                }
                break;
            }
        }
        if !found {
            match s[p..].chars().next() {
                Some(c) => {
                    out.push(c);
                    p += c.len_utf8();
                }
                None => p += 1,
            }
        }
    }
    Ok(Value::string(out))
}

/// A stable merge sort whose comparator may fail (std's sorts may panic
/// on a comparator that is not a total order; user comparators can be).
fn merge_sort(
    ev: &mut Evaluator<'_>,
    items: Vec<Thunk>,
    less: &mut dyn FnMut(&mut Evaluator<'_>, &Thunk, &Thunk) -> EResult<bool>,
) -> EResult<Vec<Thunk>> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mut right = items;
    let left = right.drain(..right.len() / 2).collect::<Vec<_>>();
    let left = merge_sort(ev, left, less)?;
    let right = merge_sort(ev, right, less)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        // Take from the right only when strictly less: stability.
        if less(ev, &right[j], &left[i])? {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

fn sort(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let f = want_fn(ev, &a[0], "sort")?;
    let l = want_list(ev, &a[1], "sort")?;
    let sorted = merge_sort(ev, l.to_vec(), &mut |ev, x, y| {
        let g = ev.apply(f.clone(), x.clone())?;
        let r = ev.apply(g, y.clone())?;
        want_bool(r, "sort")
    })?;
    Ok(list(sorted))
}

fn substring(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let start = want_int(ev, &a[0], "substring")?;
    let len = want_int(ev, &a[1], "substring")?;
    let s = want_str(ev, &a[2], "substring")?;
    if start < 0 {
        return EvalError::new(
            codes::INDEX,
            format!("`substring`: negative start position {start}"),
        )
        .err();
    }
    let bytes = s.as_bytes();
    let start = (start as usize).min(bytes.len());
    let end = if len < 0 {
        bytes.len()
    } else {
        start.saturating_add(len as usize).min(bytes.len())
    };
    Ok(Value::string(
        String::from_utf8_lossy(&bytes[start..end]).into_owned(),
    ))
}

fn to_json(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let v = ev.force(&a[0])?;
    let j = super::output::to_json(ev, v)?;
    Ok(Value::string(super::output::nix_json_text(&j)))
}

fn to_string(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let v = ev.force(&a[0])?;
    match v {
        Value::Str(_) => Ok(v),
        // The common case, without an intermediate `String`.
        Value::Int(i) => Ok(Value::Str(Rc::from(itoa::Buffer::new().format(i)))),
        v => {
            let mut out = String::new();
            coerce_to_string(ev, &v, &mut out, true)?;
            Ok(Value::string(out))
        }
    }
}

fn trace(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    let v = ev.force(&a[0])?;
    let text = match &v {
        Value::Str(s) => s.to_string(),
        other => match super::output::to_json(ev, other.clone()) {
            Ok(j) => j.to_json_string(),
            Err(_) => format!("<{}>", other.type_name()),
        },
    };
    ev.traces.push(crate::diag::Diagnostic::warning(
        codes::TRACE,
        format!("trace: {text}"),
    ));
    ev.force(&a[1])
}

fn try_eval(ev: &mut Evaluator<'_>, a: &[Thunk]) -> EResult<Value> {
    match ev.force(&a[0]) {
        Ok(v) => Ok(attrs_of(vec![("success", Value::Bool(true)), ("value", v)])),
        Err(e) if e.catchable => Ok(attrs_of(vec![
            ("success", Value::Bool(false)),
            ("value", Value::Bool(false)),
        ])),
        Err(e) => Err(e),
    }
}
