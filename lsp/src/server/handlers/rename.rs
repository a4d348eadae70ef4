//! `textDocument/prepareRename` and `textDocument/rename` for bindings
//! and instance names ([`dvm_compiler::ide::references::rename`]).

use dvm_compiler::db::RootDatabase;
use dvm_compiler::ide::references::{self, Target};
use std::collections::HashMap;
use tower_lsp_server::ls_types as lsp;

pub fn prepare(
    db: &RootDatabase,
    params: lsp::TextDocumentPositionParams,
) -> Option<lsp::PrepareRenameResponse> {
    let (doc, offset) = super::at(db, &params.text_document.uri, params.position)?;
    let target = references::target(db, doc.file, offset)?;
    // The range under the cursor: the definition or the use touched.
    let (def, uses) = match &target {
        Target::Variable { def, uses } | Target::Instance { def, uses } => (*def, uses),
    };
    let hit = |s: &dvm_compiler::syntax::ast::Span| s.start <= offset && offset <= s.end;
    let span = uses.iter().copied().find(hit).unwrap_or(def);
    Some(lsp::PrepareRenameResponse::Range(doc.index().range(span)))
}

/// The edit, or the reason it cannot be made (shown to the user).
pub fn handle(
    db: &RootDatabase,
    params: lsp::RenameParams,
) -> Result<Option<lsp::WorkspaceEdit>, String> {
    let p = params.text_document_position;
    let uri = p.text_document.uri;
    let Some((doc, offset)) = super::at(db, &uri, p.position) else {
        return Ok(None);
    };
    let edits =
        references::rename(db, doc.file, offset, &params.new_name).map_err(|e| e.to_string())?;
    let index = doc.index();
    let edits: Vec<lsp::TextEdit> = edits
        .into_iter()
        .map(|(span, new_text)| lsp::TextEdit {
            range: index.range(span),
            new_text,
        })
        .collect();
    Ok(Some(lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(uri, edits)])),
        ..Default::default()
    }))
}
