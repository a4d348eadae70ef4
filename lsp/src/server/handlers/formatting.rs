//! `textDocument/formatting`: the same output as `dvm fmt`
//! (`dvm_compiler::fmt::format_source`), as one whole-document edit. A
//! file with syntax errors is not formatted (no edits; its diagnostics are
//! already published). Requests run on big-stack threads, which the
//! formatter's recursive builder needs for deeply nested files.

use dvm_compiler::db::RootDatabase;
use dvm_compiler::diag::FileName;
use tower_lsp_server::ls_types as lsp;

/// The formatted text of a document, or `None` when it cannot be
/// formatted (a syntax error, or the formatter's safety check refused).
pub fn format_text(path: &std::path::Path, text: &str) -> Option<String> {
    let name: FileName = path.to_string_lossy().as_ref().into();
    dvm_compiler::fmt::format_source(&name, text).ok()
}

pub fn handle(
    db: &RootDatabase,
    params: lsp::DocumentFormattingParams,
) -> Option<Vec<lsp::TextEdit>> {
    let doc = super::doc(db, &params.text_document.uri)?;
    let formatted = format_text(&doc.path, &doc.text)?;
    if formatted == *doc.text {
        return Some(Vec::new());
    }
    let index = doc.index();
    let whole = dvm_compiler::syntax::ast::Span::new(0, doc.text.len());
    Some(vec![lsp::TextEdit {
        range: index.range(whole),
        new_text: formatted,
    }])
}
