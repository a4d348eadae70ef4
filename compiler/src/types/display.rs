//! Types as text, for messages: one writer for the run-time types
//! (`eval::types::Ty`) and the static checker's expected types
//! (`infer::ETy`), so both checkers name a type the same way.
//!
//! Each type says what it looks like one level down ([`Shape`]); the
//! writer does the rest, cutting deep or wide types with `…`.

/// One level of a type.
pub enum Shape<'a, T> {
    /// `Int`, `Workspace`, an alias's name.
    Name(&'a str),
    /// `"tcp"`
    Literal(&'a str),
    List(&'a T),
    /// Fields as `(name, optional, type)`, then `... : T`.
    Record {
        fields: Vec<(&'a str, bool, &'a T)>,
        rest: Option<&'a T>,
    },
    Union(Vec<&'a T>),
    Function(&'a T, &'a T),
    /// `Template Kind`
    Template(&'a str),
}

/// A type that can be written.
pub trait TypeText: Sized {
    fn shape(&self) -> Shape<'_, Self>;
}

/// How deep a type is written before `…`.
const MAX_DEPTH: usize = 4;
/// How many fields of a record are written before `…`.
const MAX_FIELDS: usize = 4;

/// The type as it would be written.
pub fn type_text<T: TypeText>(t: &T) -> String {
    let mut out = String::new();
    write(t, &mut out, 0);
    out
}

fn write<T: TypeText>(t: &T, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        out.push('…');
        return;
    }
    match t.shape() {
        Shape::Name(n) => out.push_str(n),
        Shape::Literal(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        Shape::List(inner) => {
            out.push('[');
            write(inner, out, depth + 1);
            out.push(']');
        }
        Shape::Record { fields, rest } => {
            out.push_str("{ ");
            for (i, (name, optional, ty)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if i >= MAX_FIELDS {
                    out.push('…');
                    break;
                }
                out.push_str(name);
                out.push_str(if *optional { " ? : " } else { " : " });
                write(*ty, out, depth + 1);
            }
            if let Some(rest) = rest {
                if !fields.is_empty() {
                    out.push_str(", ");
                }
                out.push_str("... : ");
                write(rest, out, depth + 1);
            }
            out.push_str(" }");
        }
        Shape::Union(members) => {
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                write(*m, out, depth + 1);
            }
        }
        Shape::Function(p, r) => {
            write(p, out, depth + 1);
            out.push_str(" -> ");
            write(r, out, depth + 1);
        }
        Shape::Template(kind) => {
            out.push_str("Template ");
            out.push_str(kind);
        }
    }
}
