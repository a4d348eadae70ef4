//! `textDocument/completion`: relative paths (listed from disk,
//! [`crate::ide::paths`]), else the compiler's completion
//! ([`dvm_compiler::ide::completion`]).

use crate::convert;
use dvm_compiler::db::RootDatabase;
use tower_lsp_server::ls_types as lsp;

pub fn handle(db: &RootDatabase, params: lsp::CompletionParams) -> Option<lsp::CompletionResponse> {
    let p = params.text_document_position;
    let (doc, offset) = super::at(db, &p.text_document.uri, p.position)?;
    let index = doc.index();
    if let Some(dir) = doc.path.parent()
        && let Some((start, entries)) = crate::ide::paths::complete(&doc.text, offset as usize, dir)
    {
        let range = index.range(dvm_compiler::syntax::ast::Span::new(start, offset as usize));
        let items = entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| convert::path_item(e.label, e.is_dir, range, i))
            .collect();
        return Some(lsp::CompletionResponse::Array(items));
    }
    let items: Vec<lsp::CompletionItem> =
        dvm_compiler::ide::completion::completion(db, doc.file, offset)
            .iter()
            .enumerate()
            .map(|(i, c)| convert::completion_item(c, &index, i))
            .collect();
    Some(lsp::CompletionResponse::Array(items))
}
