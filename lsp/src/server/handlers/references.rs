//! `textDocument/references`: uses of a binding or an instance name in
//! its file ([`dvm_compiler::ide::references`]).

use dvm_compiler::db::RootDatabase;
use tower_lsp_server::ls_types as lsp;

pub fn handle(db: &RootDatabase, params: lsp::ReferenceParams) -> Option<Vec<lsp::Location>> {
    let p = params.text_document_position;
    let uri = p.text_document.uri;
    let (doc, offset) = super::at(db, &uri, p.position)?;
    let spans = dvm_compiler::ide::references::references(
        db,
        doc.file,
        offset,
        params.context.include_declaration,
    );
    if spans.is_empty() {
        return None;
    }
    let index = doc.index();
    Some(
        spans
            .into_iter()
            .map(|s| lsp::Location {
                uri: uri.clone(),
                range: index.range(s),
            })
            .collect(),
    )
}
