//! `textDocument/hover`: the type, doc comment or field description at
//! the cursor ([`dvm_compiler::ide::hover`]) as Markdown.

use dvm_compiler::db::RootDatabase;
use tower_lsp_server::ls_types as lsp;

pub fn handle(db: &RootDatabase, params: lsp::HoverParams) -> Option<lsp::Hover> {
    let p = params.text_document_position_params;
    let (doc, offset) = super::at(db, &p.text_document.uri, p.position)?;
    let info = dvm_compiler::ide::hover::hover(db, doc.file, offset)?;
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: info.markdown,
        }),
        range: Some(doc.index().range(info.span)),
    })
}
