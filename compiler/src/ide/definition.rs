//! Go to definition: from a variable to its binding (a `let`, a `rec`
//! attribute, a function parameter or pattern field), through `inherit
//! (import …) name` to the attribute in the imported file (a template to
//! its definition), from an `import` argument to the file, and from a
//! string of a `uses` list to the dependency instance it names.
//!
//! Knows nothing of LSP; targets are absolute paths and byte spans.

use super::FileSpan;
use super::index::{DefValue, ImportTarget, name_index};
use super::instances::instances;
use crate::db::{self, Db, SourceFile};
use crate::hir::{Ir, Slot};
use crate::syntax::ast::Span;
use std::path::PathBuf;

/// Where the thing at `offset` is defined (empty when nothing is known).
pub fn definition(db: &dyn Db, file: SourceFile, offset: u32) -> Vec<FileSpan> {
    let here = file.path(db).clone();
    let index = name_index(db, file);
    let hit = |s: Span| s.start <= offset && offset <= s.end;
    if let Some((_, target)) = index.imports.iter().find(|(s, _)| hit(*s)) {
        return resolve_import(db, target)
            .map(|path| FileSpan {
                path,
                span: Span::default(),
            })
            .into_iter()
            .collect();
    }
    let inst = instances(db, file);
    if let Some(u) = inst.uses.iter().find(|u| hit(u.span)) {
        return u
            .def
            .map(|d| FileSpan {
                path: here.clone(),
                span: inst.defs[d].span,
            })
            .into_iter()
            .collect();
    }
    let Some(d) = index.def_at(offset) else {
        // A built-in kind: its declaration in the prelude.
        let text = super::text_of(db, file);
        let bytes = text.as_bytes();
        let o = super::clamp_offset(&text, offset) as usize;
        let (mut a, mut b) = (o, o);
        while a > 0 && super::is_ident_byte(bytes[a - 1]) {
            a -= 1;
        }
        while b < bytes.len() && super::is_ident_byte(bytes[b]) {
            b += 1;
        }
        let word = text.get(a..b).unwrap_or_default();
        return super::hover::prelude_binding(db, word)
            .map(|(span, _)| FileSpan {
                path: crate::embedded::path(crate::embedded::PRELUDE),
                span,
            })
            .into_iter()
            .collect();
    };
    let def = &index.defs[d];
    if let DefValue::ImportedAttr { target } = &def.value
        && let Some(path) = resolve_import(db, target)
    {
        let target_file = db::import_target(db, &path);
        if let Some(span) = top_level_attr(db, target_file, &def.name) {
            return vec![FileSpan {
                path: target_file.path(db).clone(),
                span,
            }];
        }
    }
    vec![FileSpan {
        path: here,
        span: def.span,
    }]
}

/// The file an import reads.
pub fn resolve_import(db: &dyn Db, target: &ImportTarget) -> Option<PathBuf> {
    let path = match target {
        ImportTarget::Path(p) => PathBuf::from(p),
        ImportTarget::Search(s) => db::resolve_search_path(db, s)?,
    };
    Some(db::import_target(db, &path).path(db).clone())
}

/// The span of the name of attribute `name` of a file's value, when the
/// value is a record literal (possibly under `let … in` or a function).
pub fn top_level_attr(db: &dyn Db, file: SourceFile, name: &str) -> Option<Span> {
    let lowered = db::lower(db, file);
    let module = &lowered.module;
    let mut id = module.root;
    for _ in 0..64 {
        match module.get(id) {
            Ir::Let { body, .. } | Ir::With { body, .. } | Ir::Assert { body, .. } => id = *body,
            Ir::Lambda(l) => id = l.body,
            Ir::Attrs(a) => {
                let (_, slot) = a.statics.iter().find(|(n, _)| n.as_str() == name)?;
                return match slot {
                    Slot::Expr(v) => Some(lowered.source_map.key_span(*v)),
                    _ => Some(lowered.source_map.span(id)),
                };
            }
            _ => return None,
        }
    }
    None
}
