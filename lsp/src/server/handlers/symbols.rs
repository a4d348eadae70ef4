//! `textDocument/documentSymbol`: the outline of ecosystems, domains,
//! apps, workspaces, services ([`dvm_compiler::ide::symbols`]).

use crate::convert;
use dvm_compiler::db::RootDatabase;
use tower_lsp_server::ls_types as lsp;

pub fn handle(
    db: &RootDatabase,
    params: lsp::DocumentSymbolParams,
) -> Option<lsp::DocumentSymbolResponse> {
    let doc = super::doc(db, &params.text_document.uri)?;
    let index = doc.index();
    let symbols = dvm_compiler::ide::symbols::symbols(db, doc.file);
    Some(lsp::DocumentSymbolResponse::Nested(
        symbols
            .iter()
            .map(|s| convert::document_symbol(s, &index))
            .collect(),
    ))
}
