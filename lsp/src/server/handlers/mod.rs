//! One file per request. Each handler is a plain function from a database
//! snapshot and the request's parameters to its answer; it runs on a
//! snapshot thread ([`super::main_loop::Analysis::run`]) and may unwind
//! with `salsa::Cancelled`, which the caller turns into `ContentModified`.
//! An unknown URI or a position outside the text gives an empty answer.

pub mod completion;
pub mod definition;
pub mod formatting;
pub mod hover;
pub mod references;
pub mod rename;
pub mod symbols;

use crate::convert::{self, LineIndex};
use dvm_compiler::db::{Db, RootDatabase, SourceFile};
use std::path::PathBuf;
use std::sync::Arc;
use tower_lsp_server::ls_types as lsp;

/// A document of a request: its input, text and path.
pub struct Doc {
    pub file: SourceFile,
    pub text: Arc<str>,
    pub path: PathBuf,
}

impl Doc {
    pub fn index(&self) -> LineIndex<'_> {
        LineIndex::new(&self.text)
    }
}

/// The document a URI names, if it is a readable file.
pub fn doc(db: &RootDatabase, uri: &lsp::Uri) -> Option<Doc> {
    let path = convert::path_of(uri)?;
    let file = db.file(&path);
    let text = file.contents(db).text()?.clone();
    Some(Doc { file, text, path })
}

/// The document and the byte offset of a position in it.
pub fn at(db: &RootDatabase, uri: &lsp::Uri, pos: lsp::Position) -> Option<(Doc, u32)> {
    let d = doc(db, uri)?;
    let offset = d.index().offset(pos);
    Some((d, offset))
}
