//! Deep forcing of a value into plain data (`serde_json::Value`), as
//! `nix-instantiate --eval --strict --json` prints it: keys sorted by name,
//! paths as absolute text, functions an error naming where they sit.

use super::{EResult, Error, EvalError, Evaluator, Value};
use crate::codes::eval as codes;
use crate::data::Data;
use crate::intern::Sym;

pub fn to_json(ev: &mut Evaluator<'_>, v: Value) -> EResult<Data> {
    let mut errors = Errors {
        found: Vec::new(),
        failures: 0,
        max: 1,
    };
    let j = convert(ev, v, &mut Vec::new(), &mut errors);
    match errors.found.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(j),
    }
}

/// Like [`to_json`], but goes on past a failing attribute or element and
/// returns every independent error (at most `max`), so that a file with
/// three broken fields reports three.
pub fn to_json_all(
    ev: &mut Evaluator<'_>,
    v: Value,
    max: usize,
) -> Result<crate::data::Data, Vec<Error>> {
    let mut errors = Errors {
        found: Vec::new(),
        failures: 0,
        max,
    };
    let j = convert(ev, v, &mut Vec::new(), &mut errors);
    if errors.found.is_empty() {
        Ok(j)
    } else {
        Err(errors.found)
    }
}

/// Errors found so far, without repeats. `failures` counts repeats too, so
/// a value that fails the same way everywhere still stops the walk.
struct Errors {
    found: Vec<Error>,
    failures: usize,
    max: usize,
}

impl Errors {
    fn record(&mut self, e: Error) {
        self.failures += 1;
        let same = |x: &Error| x.code == e.code && x.primary == e.primary && x.message == e.message;
        if self.found.iter().any(same) {
            return;
        }
        // Errors with no location of their own (a builtin in the output)
        // are folded into the first of their code: one line, with a count.
        if e.primary.is_none()
            && let Some(first) = self
                .found
                .iter_mut()
                .find(|x| x.code == e.code && x.primary.is_none())
        {
            let first = std::rc::Rc::make_mut(first);
            first.elided_like += 1;
            return;
        }
        self.found.push(e);
    }
    fn full(&self) -> bool {
        self.found.len() >= self.max || self.failures >= self.max * 4
    }
}

fn convert(ev: &mut Evaluator<'_>, v: Value, path: &mut Vec<String>, errors: &mut Errors) -> Data {
    if errors.full() {
        return Data::Null;
    }
    // Deep (or cyclic, like `builtins.builtins`) values end at the depth
    // limit like any other recursion.
    if let Err(e) = ev.enter() {
        errors.record(e);
        return Data::Null;
    }
    let res = convert_inner(ev, v, path, errors);
    ev.depth -= 1;
    match res {
        Ok(j) => j,
        Err(e) => {
            errors.record(e);
            Data::Null
        }
    }
}

fn convert_inner(
    ev: &mut Evaluator<'_>,
    v: Value,
    path: &mut Vec<String>,
    errors: &mut Errors,
) -> EResult<Data> {
    let res: EResult<Data> = (|| {
        Ok(match v {
            Value::Null => Data::Null,
            Value::Bool(b) => Data::Bool(b),
            Value::Int(i) => Data::Int(i),
            Value::Float(f) => match f.is_finite() {
                true => Data::Float(f),
                false => {
                    return EvalError::new(
                        codes::NOT_JSON,
                        format!("{f} cannot be written as JSON"),
                    )
                    .help(at_path(path))
                    .err();
                }
            },
            Value::Str(s) => Data::Str(Box::from(&*s)),
            Value::Path(p) => Data::Str(Box::from(&*p)),
            Value::Unit(u) => {
                if u.dim == super::Dim::Pending {
                    return EvalError::new(
                        codes::UNIT,
                        format!("`{}` could be minutes or milli-cores", u.text),
                    )
                    .help(format!(
                        "give it a type, or write it unambiguously (e.g. `600s`); {}",
                        at_path(path)
                    ))
                    .err();
                }
                Data::Int(u.normal)
            }
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, t) in items.iter().enumerate() {
                    path.push(format!("[{i}]"));
                    match ev.force(t) {
                        Ok(x) => out.push(convert(ev, x, path, errors)),
                        Err(e) => errors.record(e),
                    }
                    path.pop();
                }
                Data::List(out.into_boxed_slice())
            }
            Value::Attrs(a)
                if a.get(Sym::new("__toString")).is_some()
                    || a.get(Sym::new("outPath")).is_some() =>
            {
                let mut s = String::new();
                super::ops::coerce_to_string(ev, &Value::Attrs(a), &mut s, false)?;
                Data::Str(s.into_boxed_str())
            }
            Value::Attrs(a) => {
                let meta = a.meta.clone();
                let mut out = Vec::with_capacity(a.len());
                for (k, t) in a.sorted_by_name() {
                    path.push(k.as_str().to_string());
                    match ev.force(&t) {
                        // A kind may declare a function field (a
                        // dependency's `exports`): it prints as a
                        // placeholder rather than failing the output.
                        Ok(Value::Lambda(_) | Value::PrimOp(_))
                            if meta.is_some() && ev.kept_functions.is_none() =>
                        {
                            out.push((k, Data::Function(0)));
                        }
                        Ok(x) => {
                            let j = convert(ev, x, path, errors);
                            out.push((k, j));
                        }
                        Err(e) => errors.record(e),
                    }
                    path.pop();
                }
                match meta {
                    None => Data::Attrs(out.into_boxed_slice()),
                    Some(m) => {
                        let source = |l: &super::types::Loc| crate::data::Source {
                            file: l.file.clone(),
                            span: l.span,
                        };
                        Data::Object(Box::new(crate::data::ObjectData {
                            kind: m.kind.name,
                            template: m.template,
                            fields: out.into_boxed_slice(),
                            source: m.site.as_ref().map(source),
                            field_sources: m
                                .field_sites
                                .iter()
                                .map(|(k, l)| (*k, source(l)))
                                .collect(),
                        }))
                    }
                }
            }
            Value::Secret(parts) => Data::Secret(parts.iter().cloned().collect()),
            f @ (Value::Lambda(_) | Value::PrimOp(_) | Value::Kind(_))
                if let Some(kept) = &mut ev.kept_functions =>
            {
                kept.push(f);
                Data::Function((kept.len() - 1) as u32)
            }
            Value::Kind(k) => {
                return EvalError::new(
                    codes::NOT_JSON,
                    format!("cannot convert the kind `{}` to JSON", k.name),
                )
                .help(format!(
                    "build an object with it: `{} {{ … }}`; {}",
                    k.name,
                    at_path(path)
                ))
                .err();
            }
            Value::Lambda(c) => {
                let m = &c.env.module;
                return EvalError::new(codes::NOT_JSON, "cannot convert a function to JSON")
                    .label("the output contains this function")
                    .at(&m.name, m.source_map.span(c.lambda.id))
                    .help(at_path(path))
                    .err();
            }
            Value::PrimOp(p) => {
                return EvalError::new(
                    codes::NOT_JSON,
                    format!("cannot convert the builtin `{}` to JSON", p.op.name),
                )
                .help(at_path(path))
                .err();
            }
        })
    })();
    res
}

fn at_path(path: &[String]) -> String {
    if path.is_empty() {
        return "the value itself is a function; call it or select an attribute with `-A`".into();
    }
    let mut s = String::from("it is at `");
    for (i, p) in path.iter().enumerate() {
        if i > 0 && !p.starts_with('[') {
            s.push('.');
        }
        s.push_str(p);
    }
    s.push('`');
    s
}

/// Compact JSON text as Nix's `toJSON` writes it: control characters
/// other than `\n \r \t` as `\u00XX` (serde_json writes `\b`, `\f`).
pub fn nix_json_text(j: &Data) -> String {
    struct NixFormatter;
    impl serde_json::ser::Formatter for NixFormatter {
        fn write_char_escape<W: ?Sized + std::io::Write>(
            &mut self,
            writer: &mut W,
            escape: serde_json::ser::CharEscape,
        ) -> std::io::Result<()> {
            use serde_json::ser::CharEscape;
            match escape {
                CharEscape::Backspace => writer.write_all(b"\\u0008"),
                CharEscape::FormFeed => writer.write_all(b"\\u000c"),
                other => serde_json::ser::CompactFormatter.write_char_escape(writer, other),
            }
        }
    }
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, NixFormatter);
    if serde::Serialize::serialize(j, &mut ser).is_err() {
        return j.to_json_string();
    }
    String::from_utf8(out).unwrap_or_else(|_| j.to_json_string())
}
