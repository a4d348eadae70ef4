//! `textDocument/definition`: bindings, imported files, templates in
//! other files, dependency instances ([`dvm_compiler::ide::definition`]).

use crate::convert::{self, LineIndex};
use dvm_compiler::db::{Db, RootDatabase};
use tower_lsp_server::ls_types as lsp;

pub fn handle(
    db: &RootDatabase,
    params: lsp::GotoDefinitionParams,
) -> Option<lsp::GotoDefinitionResponse> {
    let p = params.text_document_position_params;
    let (doc, offset) = super::at(db, &p.text_document.uri, p.position)?;
    let targets = dvm_compiler::ide::definition::definition(db, doc.file, offset);
    let locations: Vec<lsp::Location> = targets
        .into_iter()
        .filter_map(|t| {
            let text = db.file(&t.path).contents(db).text().cloned()?;
            Some(lsp::Location {
                uri: convert::uri_of(&t.path)?,
                range: LineIndex::new(&text).range(t.span),
            })
        })
        .collect();
    match locations.len() {
        0 => None,
        1 => locations
            .into_iter()
            .next()
            .map(lsp::GotoDefinitionResponse::Scalar),
        _ => Some(lsp::GotoDefinitionResponse::Array(locations)),
    }
}
