//! Operators, equality, ordering, string coercion, deep merge and unit
//! literals: the value-level semantics shared by the machine and the
//! builtins. Nix's rules unless `language.md` says otherwise (integer
//! overflow is an error; floats print in shortest form).

use super::{EResult, EvalError, Evaluator, Thunk, Value};
use crate::codes::eval as codes;
use crate::hir::ExprId;
use crate::syntax::ast::{BinaryOp, UnaryOp};
use std::cmp::Ordering;
use std::rc::Rc;

use super::value::{Attrs, Dim, Env, UnitValue};

pub fn unary(op: UnaryOp, v: Value) -> EResult<Value> {
    match (op, v) {
        (UnaryOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
        (UnaryOp::Neg, Value::Int(i)) => match i.checked_neg() {
            Some(n) => Ok(Value::Int(n)),
            None => EvalError::new(codes::OVERFLOW, format!("integer overflow in `-({i})`"))
                .label("the result does not fit in a 64-bit integer")
                .help("dvm integers are 64-bit and never wrap; use floats for larger numbers")
                .err(),
        },
        (UnaryOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
        (UnaryOp::Not, v) => type_error("`!` needs a Boolean", &v),
        (UnaryOp::Neg, v) => type_error("`-` needs a number", &v),
    }
}

fn type_error<T>(what: &str, v: &Value) -> EResult<T> {
    EvalError::new(
        codes::TYPE_MISMATCH,
        format!("{what}, but this is {}", v.describe()),
    )
    .label(format!("this is {}", v.describe()))
    .err()
}

fn overflow<T>(op: &str, a: i64, b: i64) -> EResult<T> {
    EvalError::new(
        codes::OVERFLOW,
        format!("integer overflow in `{a} {op} {b}`"),
    )
    .label("the result does not fit in a 64-bit integer")
    .help("dvm integers are 64-bit and never wrap; use floats for larger numbers")
    .err()
}

pub fn binary(
    ev: &mut Evaluator<'_>,
    op: BinaryOp,
    lhs: ExprId,
    rhs: ExprId,
    env: &Env,
) -> EResult<Value> {
    // Short-circuiting operators evaluate the right side only when needed.
    match op {
        BinaryOp::And | BinaryOp::Or | BinaryOp::Impl => {
            let l = as_bool(ev.eval(lhs, env)?, op)?;
            let short = match op {
                BinaryOp::And => (!l).then_some(false),
                BinaryOp::Or => l.then_some(true),
                _ => (!l).then_some(true),
            };
            if let Some(v) = short {
                return Ok(Value::Bool(v));
            }
            let r = ev.eval(rhs, env)?;
            let m = env.module.clone();
            return as_bool(r, op)
                .map(Value::Bool)
                .map_err(|e| super::error::at_if_unset(e, &m.name, m.span(rhs)));
        }
        _ => {}
    }
    let l = ev.eval(lhs, env)?;
    let r = ev.eval(rhs, env)?;
    binary_values(ev, op, l, r)
}

fn as_bool(v: Value, op: BinaryOp) -> EResult<bool> {
    match v {
        Value::Bool(b) => Ok(b),
        other => type_error(&format!("`{}` needs Booleans", op.symbol()), &other),
    }
}

pub fn binary_values(ev: &mut Evaluator<'_>, op: BinaryOp, l: Value, r: Value) -> EResult<Value> {
    use Value::*;
    match op {
        BinaryOp::Add => match (l, r) {
            (Int(a), Int(b)) => a
                .checked_add(b)
                .map(Int)
                .map_or_else(|| overflow("+", a, b), Ok),
            (Str(a), Str(b)) => {
                ev.check_string(a.len() + b.len())?;
                Ok(Value::string(format!("{a}{b}")))
            }
            (Path(a), Str(b)) => Ok(Value::Path(Rc::from(
                crate::hir::lower::normalize_path(std::path::Path::new(&format!("{a}{b}")))
                    .as_str(),
            ))),
            (Path(a), Path(b)) => Ok(Value::Path(Rc::from(
                crate::hir::lower::normalize_path(std::path::Path::new(&format!("{a}{b}")))
                    .as_str(),
            ))),
            (Str(a), Path(b)) => Ok(Value::string(format!("{a}{b}"))),
            (Str(a), r @ Attrs(_)) => {
                let mut out = a.to_string();
                coerce_to_string(ev, &r, &mut out, false)?;
                Ok(Value::string(out))
            }
            (l @ Attrs(_), Str(b)) => {
                let mut out = String::new();
                coerce_to_string(ev, &l, &mut out, false)?;
                out.push_str(&b);
                Ok(Value::string(out))
            }
            (l @ (Str(_) | Path(_)), r) | (l, r @ (Str(_) | Path(_))) => EvalError::new(
                codes::TYPE_MISMATCH,
                format!("cannot add {} to {}", r.describe(), l.describe()),
            )
            .label("`+` adds two numbers or joins two strings")
            .help("convert the number first: `toString n`")
            .err(),
            (l, r) => arith(op, l, r),
        },
        BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => arith(op, l, r),
        BinaryOp::Concat => match (l, r) {
            (List(a), List(b)) => {
                if a.is_empty() {
                    return Ok(List(b));
                }
                if b.is_empty() {
                    return Ok(List(a));
                }
                ev.check_list(a.len() + b.len())?;
                let mut v: Vec<Thunk> = Vec::with_capacity(a.len() + b.len());
                v.extend(a.iter().cloned());
                v.extend(b.iter().cloned());
                Ok(List(Rc::from(v)))
            }
            (List(_), r) => type_error("`++` needs lists", &r),
            (l, _) => type_error("`++` needs lists", &l),
        },
        BinaryOp::Update => match (l, r) {
            (Attrs(a), Attrs(b)) => {
                if a.is_empty() {
                    return Ok(Attrs(b));
                }
                if b.is_empty() {
                    return Ok(Attrs(a));
                }
                Ok(Attrs(Rc::new(a.update(&b))))
            }
            (Attrs(_), r) => type_error("`//` needs sets", &r),
            (l, _) => type_error("`//` needs sets", &l),
        },
        BinaryOp::Merge => deep_merge(ev, l, r),
        BinaryOp::Eq => Ok(Bool(equal(ev, &l, &r)?)),
        BinaryOp::Ne => Ok(Bool(!equal(ev, &l, &r)?)),
        BinaryOp::Lt => Ok(Bool(compare(ev, &l, &r)? == Ordering::Less)),
        BinaryOp::Le => Ok(Bool(compare(ev, &l, &r)? != Ordering::Greater)),
        BinaryOp::Gt => Ok(Bool(compare(ev, &l, &r)? == Ordering::Greater)),
        BinaryOp::Ge => Ok(Bool(compare(ev, &l, &r)? != Ordering::Less)),
        BinaryOp::And | BinaryOp::Or | BinaryOp::Impl => {
            let a = as_bool(l, op)?;
            let b = as_bool(r, op)?;
            Ok(Bool(match op {
                BinaryOp::And => a && b,
                BinaryOp::Or => a || b,
                _ => !a || b,
            }))
        }
    }
}

/// `+ - * /` on numbers.
pub fn arith(op: BinaryOp, l: Value, r: Value) -> EResult<Value> {
    use Value::*;
    let sym = op.symbol();
    if matches!(l, Unit(_)) || matches!(r, Unit(_)) {
        return unit_arith(op, &l, &r);
    }
    match (l, r) {
        (Int(a), Int(b)) => {
            let res = match op {
                BinaryOp::Add => a.checked_add(b),
                BinaryOp::Sub => a.checked_sub(b),
                BinaryOp::Mul => a.checked_mul(b),
                _ => {
                    if b == 0 {
                        return div_zero();
                    }
                    a.checked_div(b)
                }
            };
            match res {
                Some(v) => Ok(Int(v)),
                None => overflow(sym, a, b),
            }
        }
        (a @ (Int(_) | Float(_)), b @ (Int(_) | Float(_))) => {
            let (x, y) = (as_f64(&a), as_f64(&b));
            Ok(Float(match op {
                BinaryOp::Add => x + y,
                BinaryOp::Sub => x - y,
                BinaryOp::Mul => x * y,
                _ => {
                    if y == 0.0 {
                        return div_zero();
                    }
                    x / y
                }
            }))
        }
        (a @ (Int(_) | Float(_)), b) => {
            type_error(&format!("`{sym}` needs numbers"), &b).map(|_: ()| a)
        }
        (a, _) => type_error(&format!("`{sym}` needs numbers"), &a),
    }
}

fn div_zero<T>() -> EResult<T> {
    EvalError::new(codes::DIVISION_BY_ZERO, "division by zero")
        .label("the divisor is zero")
        .err()
}

fn as_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

/// Deep equality, as Nix's `==`: numbers across int/float, lists and sets
/// element by element, functions never equal.
/// E0405: a secret used where its text would be needed.
pub fn secret_as_text<T>(v: &Value, why: &str) -> EResult<T> {
    let name = match v {
        Value::Secret(parts) => parts
            .iter()
            .find_map(|p| match p {
                crate::data::SecretPart::Secret(n) => Some(n.to_string()),
                _ => None,
            })
            .unwrap_or_default(),
        _ => String::new(),
    };
    EvalError::new(
        crate::codes::types::SECRET_AS_TEXT,
        format!("the secret `{name}` cannot be used as text: {why}"),
    )
    .label("this is a secret")
    .help("pass the secret itself, or interpolate it into a string (`\"…${s}…\"`), which stays secret")
    .err()
}

pub fn equal(ev: &mut Evaluator<'_>, l: &Value, r: &Value) -> EResult<bool> {
    use Value::*;
    if let Secret(_) = l {
        return secret_as_text(l, "comparing it would reveal its value");
    }
    if let Secret(_) = r {
        return secret_as_text(r, "comparing it would reveal its value");
    }
    Ok(match (l, r) {
        (Null, Null) => true,
        (Bool(a), Bool(b)) => a == b,
        (Int(a), Int(b)) => a == b,
        (Int(_) | Float(_), Int(_) | Float(_)) => as_f64(l) == as_f64(r),
        (Str(a), Str(b)) => a == b,
        (Path(a), Path(b)) => a == b,
        (Unit(a), Unit(b)) => a.dim == b.dim && a.normal == b.normal,
        (List(a), List(b)) => {
            if a.len() != b.len() {
                return Ok(false);
            }
            if Rc::ptr_eq(a, b) {
                return Ok(true);
            }
            for (x, y) in a.iter().zip(b.iter()) {
                let x = ev.force(x)?;
                let y = ev.force(y)?;
                if !equal(ev, &x, &y)? {
                    return Ok(false);
                }
            }
            true
        }
        (Attrs(a), Attrs(b)) => {
            if Rc::ptr_eq(a, b) {
                return Ok(true);
            }
            if a.len() != b.len() {
                return Ok(false);
            }
            for ((ka, ta), (kb, tb)) in a.entries.iter().zip(b.entries.iter()) {
                if ka != kb {
                    return Ok(false);
                }
                let x = ev.force(ta)?;
                let y = ev.force(tb)?;
                if !equal(ev, &x, &y)? {
                    return Ok(false);
                }
            }
            true
        }
        _ => false,
    })
}

/// Ordering for `<` and `sort`-style comparisons: numbers, strings,
/// paths, and lists lexicographically.
pub fn compare(ev: &mut Evaluator<'_>, l: &Value, r: &Value) -> EResult<Ordering> {
    use Value::*;
    match (l, r) {
        (Int(a), Int(b)) => Ok(a.cmp(b)),
        (Int(_) | Float(_), Int(_) | Float(_)) => {
            Ok(as_f64(l).partial_cmp(&as_f64(r)).unwrap_or(Ordering::Equal))
        }
        (Str(a), Str(b)) => Ok(a.as_bytes().cmp(b.as_bytes())),
        (Path(a), Path(b)) => Ok(a.as_bytes().cmp(b.as_bytes())),
        (Unit(a), Unit(b)) if a.dim == b.dim && a.dim != Dim::Pending => {
            Ok(a.normal.cmp(&b.normal))
        }
        (List(a), List(b)) => {
            for (x, y) in a.iter().zip(b.iter()) {
                let x = ev.force(x)?;
                let y = ev.force(y)?;
                match compare(ev, &x, &y)? {
                    Ordering::Equal => {}
                    o => return Ok(o),
                }
            }
            Ok(a.len().cmp(&b.len()))
        }
        _ => EvalError::new(
            codes::INCOMPARABLE,
            format!("cannot compare {} with {}", l.describe(), r.describe()),
        )
        .label("these values have no order")
        .help("`<`, `<=`, `>`, `>=` compare numbers, strings, paths and lists")
        .err(),
    }
}

/// Appends `v` as text to `out`. `more` is `toString`'s wider coercion
/// (numbers, Booleans, null, lists); interpolation uses the narrow one.
pub fn coerce_to_string(
    ev: &mut Evaluator<'_>,
    v: &Value,
    out: &mut String,
    more: bool,
) -> EResult<()> {
    match v {
        Value::Str(s) => out.push_str(s),
        Value::Path(p) => out.push_str(p),
        Value::Attrs(a) => {
            if let Some(f) = a.get(crate::intern::Sym::new("__toString")) {
                let f = f.clone();
                let f = ev.force(&f)?;
                let r = ev.apply(f, Thunk::Ready(v.clone()))?;
                return coerce_to_string(ev, &r, out, more);
            }
            if let Some(p) = a.get(crate::intern::Sym::new("outPath")) {
                let p = p.clone();
                let p = ev.force(&p)?;
                return coerce_to_string(ev, &p, out, more);
            }
            return cannot_coerce(v);
        }
        Value::Int(i) if more => out.push_str(&i.to_string()),
        Value::Unit(u) if more => out.push_str(&u.text),
        Value::Float(f) if more => out.push_str(&format_float(*f)),
        Value::Bool(b) if more => {
            if *b {
                out.push('1')
            }
        }
        Value::Null if more => {}
        Value::List(items) if more => {
            // As Nix: a space after every element but the last, except
            // after an empty list.
            for (i, t) in items.iter().enumerate() {
                let x = ev.force(t)?;
                coerce_to_string(ev, &x, out, more)?;
                let empty_list = matches!(&x, Value::List(l) if l.is_empty());
                if i + 1 < items.len() && !empty_list {
                    out.push(' ');
                }
                ev.check_string(out.len())?;
            }
        }
        _ => return cannot_coerce(v),
    }
    Ok(())
}

fn cannot_coerce<T>(v: &Value) -> EResult<T> {
    if let Value::Secret(_) = v {
        return secret_as_text(v, "it would become text here");
    }
    let help = match v {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Null | Value::Unit(_) => {
            "convert it first with `toString`"
        }
        _ => "only strings, paths and sets with `__toString` or `outPath` become text here",
    };
    EvalError::new(
        codes::COERCE,
        format!("cannot coerce {} to a string", v.describe()),
    )
    .label(format!("this is {}", v.describe()))
    .help(help)
    .err()
}

/// Floats print in their shortest round-tripping form (`1.5`, not Nix's
/// `1.500000`).
pub fn format_float(f: f64) -> String {
    format!("{f}")
}

/// `a & b`: sets merge field by field, recursively; otherwise the right
/// side wins.
pub fn deep_merge(ev: &mut Evaluator<'_>, l: Value, r: Value) -> EResult<Value> {
    match (&l, &r) {
        (Value::Attrs(a), Value::Attrs(b)) => {
            let mut out: Vec<(crate::intern::Sym, Thunk)> = Vec::with_capacity(a.len() + b.len());
            let mut appends = Vec::new();
            let (mut i, mut j) = (0, 0);
            let (ea, eb) = (&a.entries, &b.entries);
            while i < ea.len() || j < eb.len() {
                let ord = match (ea.get(i), eb.get(j)) {
                    (Some(x), Some(y)) => x.0.cmp(&y.0),
                    (Some(_), None) => Ordering::Less,
                    _ => Ordering::Greater,
                };
                match ord {
                    Ordering::Less => {
                        if a.is_append(ea[i].0) {
                            appends.push(ea[i].0);
                        }
                        out.push(ea[i].clone());
                        i += 1;
                    }
                    Ordering::Greater => {
                        if b.is_append(eb[j].0) {
                            appends.push(eb[j].0);
                        }
                        out.push(eb[j].clone());
                        j += 1;
                    }
                    Ordering::Equal => {
                        let key = ea[i].0;
                        let x = ev.force(&ea[i].1)?;
                        let y = ev.force(&eb[j].1)?;
                        let merged = if b.is_append(key) {
                            if a.is_append(key) {
                                // Two appends concatenate and stay an append,
                                // so `&` is associative.
                                appends.push(key);
                            }
                            append(ev, x, y)?
                        } else {
                            deep_merge(ev, x, y)?
                        };
                        out.push((key, Thunk::Ready(merged)));
                        i += 1;
                        j += 1;
                    }
                }
            }
            let mut set = Attrs::from_sorted(out);
            set.appends = appends;
            let set = Rc::new(set);
            ev.prov_merge(&set, a, b, false);
            // An object merged stays an object of its kind (checked again);
            // a template stays a template.
            match a.meta.as_ref().or(b.meta.as_ref()) {
                Some(meta) => ev.rebuild(&meta.clone(), &set),
                None => Ok(Value::Attrs(set)),
            }
        }
        _ => Ok(r),
    }
}

/// A unit literal without an expected type: unambiguous suffixes fix the
/// dimension (`ms s h d` duration; `Ki … T` memory); `m` stays pending
/// until a type decides (printing it pending is an error).
pub fn unit_literal(number: f64, text: &str, suffix: &str) -> EResult<Value> {
    let (dim, factor): (Dim, f64) = match suffix {
        "ms" => (Dim::Duration, 1.0),
        "s" => (Dim::Duration, 1_000.0),
        "h" => (Dim::Duration, 3_600_000.0),
        "d" => (Dim::Duration, 86_400_000.0),
        "Ki" => (Dim::Memory, 1024.0),
        "Mi" => (Dim::Memory, 1024.0 * 1024.0),
        "Gi" => (Dim::Memory, 1024.0 * 1024.0 * 1024.0),
        "Ti" => (Dim::Memory, 1024.0 * 1024.0 * 1024.0 * 1024.0),
        "K" => (Dim::Memory, 1e3),
        "M" => (Dim::Memory, 1e6),
        "G" => (Dim::Memory, 1e9),
        "T" => (Dim::Memory, 1e12),
        // Minutes or milli-cores; the normal form kept is the number itself.
        "m" => (Dim::Pending, 1.0),
        other => {
            return EvalError::new(codes::UNIT, format!("unknown unit `{other}`"))
                .help("units are ms s m h d (durations), Ki Mi Gi Ti K M G T (memory), m (milli-cores)")
                .err();
        }
    };
    let v = number * factor;
    if v.fract() != 0.0 || !v.is_finite() || v.abs() > i64::MAX as f64 {
        return EvalError::new(
            codes::UNIT,
            format!("`{text}` is not a whole number of the unit's normal form"),
        )
        .label("this has a fraction of the smallest unit")
        .help("durations are whole milliseconds, memory whole bytes, CPU whole milli-cores")
        .err();
    }
    Ok(Value::Unit(Rc::new(UnitValue {
        dim,
        normal: v as i64,
        text: Rc::from(text),
    })))
}

/// The text of a computed unit value: the largest suffix that is exact.
fn unit_text(dim: Dim, normal: i64) -> String {
    let table: &[(&str, i64)] = match dim {
        Dim::Duration => &[("d", 86_400_000), ("h", 3_600_000), ("s", 1_000), ("ms", 1)],
        Dim::Memory => &[
            ("Ti", 1 << 40),
            ("Gi", 1 << 30),
            ("Mi", 1 << 20),
            ("Ki", 1 << 10),
        ],
        Dim::Cpu | Dim::Pending => &[("m", 1)],
    };
    for (suffix, factor) in table {
        if normal != 0 && normal % factor == 0 {
            return format!("{}{suffix}", normal / factor);
        }
    }
    match dim {
        Dim::Memory => normal.to_string(),
        Dim::Duration => format!("{normal}ms"),
        _ => format!("{normal}m"),
    }
}

fn unit(dim: Dim, normal: i64) -> Value {
    Value::Unit(Rc::new(UnitValue {
        dim,
        normal,
        text: Rc::from(unit_text(dim, normal).as_str()),
    }))
}

fn pending_unit<T>(u: &UnitValue) -> EResult<T> {
    EvalError::new(
        codes::UNIT,
        format!("`{}` could be minutes or milli-cores", u.text),
    )
    .label("the unit `m` is ambiguous here")
    .help("give it a type (`Duration` reads minutes, `Cpu` milli-cores), or write `600s` / `0.5` cores")
    .err()
}

/// Arithmetic where at least one side is a unit value.
fn unit_arith(op: BinaryOp, l: &Value, r: &Value) -> EResult<Value> {
    let sym = op.symbol();
    for side in [l, r] {
        if let Value::Unit(u) = side
            && u.dim == Dim::Pending
        {
            return pending_unit(u);
        }
    }
    let checked = |res: Option<i64>, a: i64, b: i64| match res {
        Some(v) => Ok(v),
        None => overflow(sym, a, b),
    };
    match (op, l, r) {
        (BinaryOp::Add | BinaryOp::Sub, Value::Unit(a), Value::Unit(b)) if a.dim == b.dim => {
            let res = if op == BinaryOp::Add {
                a.normal.checked_add(b.normal)
            } else {
                a.normal.checked_sub(b.normal)
            };
            Ok(unit(a.dim, checked(res, a.normal, b.normal)?))
        }
        (BinaryOp::Mul, Value::Unit(a), Value::Int(n)) | (BinaryOp::Mul, Value::Int(n), Value::Unit(a)) => {
            Ok(unit(a.dim, checked(a.normal.checked_mul(*n), a.normal, *n)?))
        }
        (BinaryOp::Div, Value::Unit(a), Value::Int(n)) => {
            if *n == 0 {
                return div_zero();
            }
            Ok(unit(a.dim, checked(a.normal.checked_div(*n), a.normal, *n)?))
        }
        _ => EvalError::new(
            codes::UNIT,
            format!("cannot apply `{sym}` to {} and {}", l.describe(), r.describe()),
        )
        .label("these units do not combine")
        .help("units of one type add and subtract (`5s + 500ms`); a unit multiplies or divides by an integer")
        .err(),
    }
}

/// `x += e` applied under a merge: lists concatenate, strings join;
/// anything else is an error naming both sides.
fn append(ev: &mut Evaluator<'_>, l: Value, r: Value) -> EResult<Value> {
    match (&l, &r) {
        (Value::List(_), Value::List(_)) => binary_values(ev, BinaryOp::Concat, l, r),
        (Value::Str(a), Value::Str(b)) => {
            ev.check_string(a.len() + b.len())?;
            Ok(Value::string(format!("{a}{b}")))
        }
        _ => EvalError::new(
            codes::TYPE_MISMATCH,
            format!(
                "`+=` appends a list to a list or a string to a string, not {} to {}",
                r.describe(),
                l.describe()
            ),
        )
        .label("this append does not fit the value it extends")
        .err(),
    }
}
