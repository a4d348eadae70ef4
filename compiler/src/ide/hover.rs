//! Hover: what is under the cursor, as Markdown: the type of the
//! expression (from the static checker's table), the doc comment of the
//! binding a name refers to, and for an attribute of a kind's record the
//! field's declared type and description.
//!
//! Knows nothing of LSP; the answer is a span and Markdown text.

use super::cursor::{self, record_of};
use super::index::name_index;
use crate::db::{self, Db, SourceFile};
use crate::eval::Dim;
use crate::hir::Ir;
use crate::syntax::ast::Span;
use crate::types::infer::{self, EField, STy};

#[derive(Clone, Debug, PartialEq)]
pub struct HoverInfo {
    /// What the hover is about (a name, an expression).
    pub span: Span,
    pub markdown: String,
}

/// The hover at `offset`, if there is anything to say.
pub fn hover(db: &dyn Db, file: SourceFile, offset: u32) -> Option<HoverInfo> {
    let text = super::text_of(db, file);
    let offset = super::clamp_offset(&text, offset);
    let located = cursor::locate(db, file, offset);
    if let Some((name, span, field)) = &located.on_key {
        return Some(HoverInfo {
            span: *span,
            markdown: match field {
                Some(f) => field_markdown(f),
                None => {
                    let ty = binding_value_type(db, file, *span).unwrap_or(STy::Unknown);
                    let doc = binding_doc(db, file, offset);
                    with_doc(format!("{name} : {}", type_text(&ty)), doc)
                }
            },
        });
    }
    let step = located.innermost()?.clone();
    let lowered = db::lower(db, file);
    let inference = infer::infer(db, file);
    let ty = inference
        .types
        .get(step.id.0 as usize)
        .cloned()
        .unwrap_or(STy::Unknown);
    let index = name_index(db, file);
    // A name: show it with its type and its binding's doc.
    if let Some(d) = index.def_at(offset) {
        let def = &index.defs[d];
        let span = index
            .uses
            .iter()
            .find(|u| u.span.start <= offset && offset <= u.span.end)
            .map(|u| u.span)
            .unwrap_or(def.span);
        let ty = match lowered.module.get(step.id) {
            Ir::Var { .. } => ty,
            // On a binding's name: the bound value's type.
            _ => binding_value_type(db, file, def.span).unwrap_or(ty),
        };
        return Some(HoverInfo {
            span,
            markdown: with_doc(
                format!("{} : {}", def.name, type_text(&ty)),
                def.doc.clone(),
            ),
        });
    }
    match lowered.module.get(step.id) {
        Ir::Global(g) => {
            return Some(HoverInfo {
                span: step.span,
                markdown: with_doc(
                    format!("{g} : {}", type_text(&ty)),
                    prelude_doc(db, g.as_str()),
                ),
            });
        }
        Ir::Error => return None,
        _ => {}
    }
    // A value under a typed field: say what the field expects.
    let expected = step.expected.as_ref().map(|e| e.display());
    let mut md = format!("```dvm\n{}\n```", type_text(&ty));
    if let (Some(e), Some(f)) = (expected, step.field) {
        md.push_str(&format!("\n\n`{f}` expects `{e}`"));
        if let Some(r) = located
            .steps
            .iter()
            .rev()
            .nth(1)
            .and_then(|p| p.expected.as_ref())
            .and_then(record_of)
            && let Some(doc) = r.field(f).and_then(|fd| fd.doc.clone())
        {
            md.push_str("\n\n");
            md.push_str(&doc);
        }
    }
    Some(HoverInfo {
        span: step.span,
        markdown: md,
    })
}

/// The doc comment of a built-in kind, from the prelude that defines it.
pub fn prelude_doc(db: &dyn Db, name: &str) -> Option<String> {
    prelude_binding(db, name)?.1
}

/// The prelude's binding of a built-in kind: its name's span and doc.
pub(crate) fn prelude_binding(db: &dyn Db, name: &str) -> Option<(Span, Option<String>)> {
    if !crate::hir::lower::BUILTIN_KINDS.contains(&name) {
        return None;
    }
    let file = db.file(&crate::embedded::path(crate::embedded::PRELUDE));
    let index = name_index(db, file);
    let def = index.defs.iter().find(|d| &*d.name == name)?;
    Some((def.span, def.doc.clone()))
}

fn binding_doc(db: &dyn Db, file: SourceFile, offset: u32) -> Option<String> {
    let index = name_index(db, file);
    index.def_at(offset).and_then(|d| index.defs[d].doc.clone())
}

/// The type of the value bound at a binding name's span.
fn binding_value_type(db: &dyn Db, file: SourceFile, name: Span) -> Option<STy> {
    let lowered = db::lower(db, file);
    let inference = infer::infer(db, file);
    let (id, _) = lowered
        .source_map
        .key_spans
        .iter()
        .find(|(_, k)| **k == name)?;
    inference.types.get(id.0 as usize).cloned()
}

fn field_markdown(f: &EField) -> String {
    let opt = if f.optional { " ?" } else { "" };
    let default = if f.has_default {
        " (has a default)"
    } else {
        ""
    };
    with_doc(
        format!("{}{opt} : {}{default}", f.name, f.ty.display()),
        f.doc.as_deref().map(str::to_string),
    )
}

fn with_doc(signature: String, doc: Option<String>) -> String {
    let mut md = format!("```dvm\n{signature}\n```");
    if let Some(d) = doc.filter(|d| !d.trim().is_empty()) {
        md.push_str("\n\n");
        md.push_str(d.trim_end());
    }
    md
}

/// An inferred type as it would be written.
pub fn type_text(t: &STy) -> String {
    let mut out = String::new();
    write_type(t, &mut out, 0);
    out
}

fn write_type(t: &STy, out: &mut String, depth: usize) {
    if depth > 3 {
        out.push('…');
        return;
    }
    match t {
        STy::Unknown => out.push_str("Any"),
        STy::Null => out.push_str("Null"),
        STy::Bool => out.push_str("Bool"),
        STy::Int => out.push_str("Int"),
        STy::Float => out.push_str("Float"),
        STy::Str => out.push_str("String"),
        STy::Path => out.push_str("Path"),
        STy::Unit(d) => out.push_str(match d {
            Dim::Duration => "Duration",
            Dim::Memory => "Memory",
            Dim::Cpu => "Cpu",
            Dim::Pending => "Duration | Cpu",
        }),
        STy::Secret => out.push_str("Secret"),
        STy::List(e) => {
            out.push('[');
            write_type(e, out, depth + 1);
            out.push(']');
        }
        STy::Record(r) => {
            if r.fields.is_empty() {
                out.push_str("{ }");
                return;
            }
            out.push_str("{ ");
            let mut fields: Vec<_> = r.fields.iter().collect();
            fields.sort_by_key(|(n, _)| n.as_str());
            for (i, (n, ft)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if i >= 4 {
                    out.push('…');
                    break;
                }
                out.push_str(n.as_str());
                out.push_str(" : ");
                write_type(ft, out, depth + 1);
            }
            out.push_str(" }");
        }
        STy::Function(r) => {
            out.push_str("Any -> ");
            write_type(r, out, depth + 1);
        }
        STy::Kind(k) => {
            out.push_str("kind ");
            out.push_str(k.name.as_str());
        }
        STy::Object(k) => out.push_str(k.name.as_str()),
        STy::Template(k) => {
            out.push_str("Template ");
            out.push_str(k.name.as_str());
        }
    }
}
