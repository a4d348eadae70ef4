//! Completion at an offset, decided from the text just before the cursor
//! and the chain of IR nodes around it ([`super::cursor`]):
//!
//! - after `<` of a search path: the embedded stdlib's modules;
//! - in a string of a `uses` list (or in the list): the dependency
//!   instance names visible from there;
//! - in a string whose field expects an enum: its members;
//! - at an attribute name in a record a kind expects (`Workspace { l|`):
//!   the kind's fields not yet written, with their types and descriptions;
//!   after `a.b.` there, the fields of that nested record;
//! - after `field =` where the field expects an enum: its members, quoted;
//! - elsewhere in an expression: the names in scope, then the builtins.
//!
//! Relative paths after `import` need the file system and are completed by
//! the language server. Knows nothing of LSP.

use super::cursor::{self, record_of};
use super::index::{BindingKind, name_index};
use super::instances::instances;
use crate::db::{self, Db, SourceFile};
use crate::hir::{Ir, Lit};
use crate::intern::Sym;
use crate::syntax::ast::Span;
use crate::types::infer::ETy;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Variable,
    Function,
    Field,
    EnumMember,
    Instance,
    Kind,
    Builtin,
    Module,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// A type or a short description.
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// What replaces [`Completion::replace`].
    pub insert: String,
    pub replace: Span,
}

/// The completions at `offset`, in the order to show them.
pub fn completion(db: &dyn Db, file: SourceFile, offset: u32) -> Vec<Completion> {
    let text = super::text_of(db, file);
    let offset = super::clamp_offset(&text, offset);
    let bytes = text.as_bytes();
    let o = offset as usize;
    // 1. `<stdlib/…`
    if let Some(start) = search_path_start(bytes, o) {
        let typed = &text[start + 1..o];
        let replace = Span::new(start + 1, o);
        let mut out: Vec<Completion> = crate::embedded::FILES
            .iter()
            .filter_map(|(p, _)| module_name(p))
            .filter(|m| m.starts_with(typed))
            .map(|m| Completion {
                label: m.clone(),
                kind: CompletionKind::Module,
                detail: Some("stdlib".into()),
                documentation: None,
                insert: m,
                replace,
            })
            .collect();
        out.sort_by(|a, b| a.label.cmp(&b.label));
        out.dedup_by(|a, b| a.label == b.label);
        return out;
    }
    let mut pstart = o;
    while pstart > 0 && super::is_ident_byte(bytes[pstart - 1]) {
        pstart -= 1;
    }
    let prefix = &text[pstart..o];
    let replace = Span::new(pstart, o);
    let before = bytes[..pstart]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    let located = cursor::locate(db, file, offset);
    let lowered = db::lower(db, file);
    let module = &lowered.module;

    // 2. An attribute name being written.
    if let Some((name, _, _)) = &located.on_key {
        let record = located
            .innermost()
            .and_then(|s| s.expected.as_ref())
            .and_then(record_of);
        let present = present(&located, module, Some(*name));
        return filter(fields(record.as_deref(), &present, replace), prefix);
    }
    let Some(step) = located.innermost().cloned() else {
        return Vec::new();
    };
    let parent = located.steps.iter().rev().nth(1).cloned();
    let inst = instances(db, file);
    let in_uses_list = |s: &cursor::Step| {
        matches!(module.get(s.id), Ir::List(_)) && s.field.is_some_and(|f| f.as_str() == "uses")
    };

    // 3. Inside a string.
    if matches!(
        module.get(step.id),
        Ir::Lit(Lit::Str(_)) | Ir::Interp { path: false, .. }
    ) && step.span.start < offset
    {
        let mut wstart = o;
        while wstart > step.span.start as usize + 1 && super::is_ident_byte(bytes[wstart - 1]) {
            wstart -= 1;
        }
        let replace = Span::new(wstart, o);
        let typed = &text[wstart..o];
        if parent.as_ref().is_some_and(in_uses_list) {
            return filter(instance_items(db, file, offset, false, replace), typed);
        }
        if let Some(e) = &step.expected {
            return filter(enum_items(e, false, replace), typed);
        }
        return Vec::new();
    }
    // 4. In a `uses` list, outside a string: quoted instance names.
    if in_uses_list(&step) || parent.as_ref().is_some_and(in_uses_list) {
        let _ = inst;
        return filter(instance_items(db, file, offset, true, replace), prefix);
    }
    // 5. In a record, where a binding starts: the expected kind's fields.
    let is_binding_list = matches!(module.get(step.id), Ir::Attrs(_) | Ir::Let { .. });
    if is_binding_list && matches!(before, Some(b'{' | b';') | None) {
        let record = step.expected.as_ref().and_then(record_of);
        let present = present(&located, module, None);
        return filter(fields(record.as_deref(), &present, replace), prefix);
    }
    // 5b. `a.b.|` where a binding starts: fields of the nested record.
    if is_binding_list && before == Some(b'.') {
        let mut path: Vec<Sym> = Vec::new();
        let mut end = pstart;
        while end > 0 && bytes[end - 1] == b'.' {
            let mut start = end - 1;
            while start > 0 && super::is_ident_byte(bytes[start - 1]) {
                start -= 1;
            }
            if start == end - 1 {
                break;
            }
            path.push(Sym::new(&text[start..end - 1]));
            end = start;
        }
        let key_start = bytes[..end]
            .iter()
            .rev()
            .find(|b| !b.is_ascii_whitespace())
            .copied();
        if matches!(key_start, Some(b'{' | b';') | None) {
            path.reverse();
            let mut record = step.expected.as_ref().and_then(record_of);
            for name in &path {
                record = record
                    .and_then(|r| cursor::field_type(&r, *name))
                    .and_then(|t| record_of(&t));
            }
            return filter(fields(record.as_deref(), &[], replace), prefix);
        }
    }
    let mut out = Vec::new();
    // 6. `field = |` with the value missing: what the field expects.
    if is_binding_list && before == Some(b'=') {
        let eq = bytes[..pstart]
            .iter()
            .rposition(|b| *b == b'=')
            .unwrap_or(0);
        let mut kend = eq;
        while kend > 0 && bytes[kend - 1].is_ascii_whitespace() {
            kend -= 1;
        }
        let mut kstart = kend;
        while kstart > 0 && super::is_ident_byte(bytes[kstart - 1]) {
            kstart -= 1;
        }
        let key = Sym::new(&text[kstart..kend]);
        if let Some(r) = step.expected.as_ref().and_then(record_of)
            && let Some(t) = cursor::field_type(&r, key)
        {
            out.extend(enum_items(&t, true, replace));
        }
    } else if let Some(e) = &step.expected {
        out.extend(enum_items(e, true, replace));
    }
    // 7. Names in scope, then builtins.
    let index = name_index(db, file);
    let inference = crate::types::infer::infer(db, file);
    for d in index.visible_at(offset) {
        let def = &index.defs[d];
        let ty = binding_type(&lowered.source_map, &inference.types, def.span);
        let kind = match (&ty, def.kind) {
            (Some(crate::types::infer::STy::Function(_)), _) => CompletionKind::Function,
            (Some(crate::types::infer::STy::Kind(_)), _) => CompletionKind::Kind,
            (_, BindingKind::Param | BindingKind::PatternField | BindingKind::At) => {
                CompletionKind::Variable
            }
            _ => CompletionKind::Variable,
        };
        out.push(Completion {
            label: def.name.to_string(),
            kind,
            detail: ty.map(|t| super::hover::type_text(&t)),
            documentation: def.doc.clone(),
            insert: def.name.to_string(),
            replace,
        });
    }
    let local: Vec<String> = out.iter().map(|c| c.label.clone()).collect();
    for g in crate::hir::lower::GLOBALS {
        // `Project` is the deprecated name of `Domain`.
        if local.iter().any(|l| l == g) || *g == "Project" {
            continue;
        }
        let kind = if crate::hir::lower::BUILTIN_KINDS.contains(g) || *g == "Template" {
            CompletionKind::Kind
        } else {
            CompletionKind::Builtin
        };
        out.push(Completion {
            label: g.to_string(),
            kind,
            detail: Some(if kind == CompletionKind::Kind {
                "kind".into()
            } else {
                "builtin".into()
            }),
            documentation: None,
            insert: g.to_string(),
            replace,
        });
    }
    filter(out, prefix)
}

fn filter(items: Vec<Completion>, prefix: &str) -> Vec<Completion> {
    let p = prefix.to_ascii_lowercase();
    items
        .into_iter()
        .filter(|c| c.label.to_ascii_lowercase().starts_with(&p))
        .collect()
}

/// The start of `<…` when the cursor is in an unfinished search path.
fn search_path_start(bytes: &[u8], o: usize) -> Option<usize> {
    let mut i = o;
    while i > 0 {
        let b = bytes[i - 1];
        if b == b'<' {
            return Some(i - 1);
        }
        if !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/')) {
            return None;
        }
        i -= 1;
    }
    None
}

/// `stdlib/deps/main.dvm` → `stdlib/deps`; `stdlib/x.dvm` → `stdlib/x`.
fn module_name(path: &str) -> Option<String> {
    if !path.starts_with("stdlib/") {
        return None;
    }
    let m = path
        .strip_suffix("/main.dvm")
        .or_else(|| path.strip_suffix(".dvm"))?;
    Some(m.to_string())
}

/// The attribute names already written in the innermost record.
fn present(
    located: &cursor::Located,
    module: &crate::hir::Module,
    except: Option<Sym>,
) -> Vec<Sym> {
    let Some(step) = located.innermost() else {
        return Vec::new();
    };
    match module.get(step.id) {
        Ir::Attrs(a) => cursor::present_fields(a)
            .into_iter()
            .filter(|n| Some(*n) != except)
            .collect(),
        _ => Vec::new(),
    }
}

fn fields(
    record: Option<&crate::types::infer::ERecord>,
    present: &[Sym],
    replace: Span,
) -> Vec<Completion> {
    let Some(r) = record else {
        return Vec::new();
    };
    r.fields
        .iter()
        .filter(|f| !present.contains(&f.name))
        .map(|f| Completion {
            label: f.name.as_str().to_string(),
            kind: CompletionKind::Field,
            detail: Some(f.ty.display()),
            documentation: f.doc.as_deref().map(str::to_string),
            insert: f.name.as_str().to_string(),
            replace,
        })
        .collect()
}

/// The string members of an enum type (`"go" | "rust"`), quoted when the
/// cursor is not inside a string.
fn enum_items(t: &ETy, quote: bool, replace: Span) -> Vec<Completion> {
    let mut members: Vec<String> = Vec::new();
    collect_literals(t, &mut members, 0);
    members
        .into_iter()
        .map(|m| {
            let insert = if quote { format!("\"{m}\"") } else { m.clone() };
            Completion {
                label: insert.clone(),
                kind: CompletionKind::EnumMember,
                detail: Some(t.display()),
                documentation: None,
                insert,
                replace,
            }
        })
        .collect()
}

fn collect_literals(t: &ETy, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    match t.resolved() {
        ETy::Literal(s) if !out.iter().any(|o| **o == **s) => out.push(s.to_string()),
        ETy::Union(ms) => {
            for m in ms.iter() {
                collect_literals(m, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn instance_items(
    db: &dyn Db,
    file: SourceFile,
    offset: u32,
    quote: bool,
    replace: Span,
) -> Vec<Completion> {
    let inst = instances(db, file);
    let visible = inst
        .lists
        .iter()
        .filter(|(s, _)| s.start <= offset && offset <= s.end)
        .min_by_key(|(s, _)| s.end - s.start)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    visible
        .into_iter()
        .map(|d| {
            let name = inst.defs[d].name.as_str();
            let insert = if quote {
                format!("\"{name}\"")
            } else {
                name.to_string()
            };
            Completion {
                label: insert.clone(),
                kind: CompletionKind::Instance,
                detail: Some("dependency instance".into()),
                documentation: None,
                insert,
                replace,
            }
        })
        .collect()
}

fn binding_type(
    sm: &crate::hir::SourceMap,
    types: &[crate::types::infer::STy],
    name: Span,
) -> Option<crate::types::infer::STy> {
    let (id, _) = sm.key_spans.iter().find(|(_, k)| **k == name)?;
    types.get(id.0 as usize).cloned()
}
