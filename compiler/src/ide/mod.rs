//! IDE features over the compiler, as plain data: byte offsets into a
//! file's text and absolute paths, never editor positions or LSP types
//! (the language server converts at its edge).
//!
//! One file per feature: [`diagnostics`], [`hover`], [`definition`],
//! [`references`] (and rename), [`completion`], [`symbols`]. They share
//! [`index`] (bindings and uses of variables, over the syntax tree),
//! [`cursor`] (the chain of IR nodes at an offset, with expected types) and
//! [`instances`] (dependency instance names and the `uses` that name them).
//!
//! Every entry point takes a `&dyn Db` snapshot and runs salsa queries, so
//! it may unwind with `salsa::Cancelled` when an edit lands; the caller
//! catches that. Nothing here panics on any input or offset.

pub mod completion;
pub mod cursor;
pub mod definition;
pub mod diagnostics;
pub mod hover;
pub mod index;
pub mod instances;
pub mod references;
pub mod symbols;
#[cfg(test)]
mod tests;

use crate::syntax::ast::Span;
use std::path::PathBuf;

/// A place in some file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileSpan {
    pub path: PathBuf,
    pub span: Span,
}

/// The absolute path a diagnostic's file name stands for (names are shown
/// relative to the working directory when short; embedded files as
/// `<dvm>/…`). `None` for command-line text (`<expr>`).
pub fn path_of_display(name: &str) -> Option<PathBuf> {
    if let Some(p) = crate::embedded::from_display(name) {
        return Some(p);
    }
    if name.starts_with('<') {
        return None;
    }
    let p = std::path::Path::new(name);
    if p.is_absolute() {
        return Some(p.to_path_buf());
    }
    let cwd = std::env::current_dir().ok()?;
    Some(PathBuf::from(crate::hir::lower::normalize_path(
        &cwd.join(p),
    )))
}

/// Whether a byte is part of an identifier (`a-b'` are Nix identifiers).
pub fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'\'')
}

/// The text of a file, empty when it cannot be read.
pub(crate) fn text_of(db: &dyn crate::db::Db, file: crate::db::SourceFile) -> std::sync::Arc<str> {
    match file.contents(db).text() {
        Some(t) => t.clone(),
        None => std::sync::Arc::from(""),
    }
}

/// The largest char boundary at or below `offset`, within the text.
pub fn clamp_offset(text: &str, offset: u32) -> u32 {
    let mut o = (offset as usize).min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o as u32
}
