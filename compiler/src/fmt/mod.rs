//! The formatter behind `dvm fmt` (and the LSP's formatting request):
//! source text → the same program in the canonical layout.
//!
//! Owns the pipeline: parse (a file with syntax errors is not formatted),
//! build a layout document from the tree and the comments ([`build`]), lay
//! it out in [`WIDTH`] columns ([`doc`]), then check the result: it must
//! parse to the same tree and keep every comment, or the original is
//! returned untouched with an error (a formatter bug must never change a
//! program). It knows nothing of files on disk, salsa or the command line.

mod build;
mod doc;
#[cfg(test)]
mod tests;

use crate::codes::syntax as codes;
use crate::diag::{Diagnostic, FileName};
use crate::syntax::{lexer, parser, test_print};

/// The line width the layout aims for.
pub const WIDTH: usize = 100;

/// Formats one file's text. `file` only labels the diagnostics. Errors are
/// the file's syntax errors, or one [`codes::FORMAT_UNSAFE`] error when the
/// formatter could not keep the program's meaning (a bug in dvm).
pub fn format_source(file: &FileName, text: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = parser::parse(file, text);
    if parsed.errors.iter().any(Diagnostic::is_error) {
        return Err(parsed.errors);
    }
    let lexed = lexer::lex(file, text);
    let comments = lexed.comments.clone();
    let mut builder = build::Builder::new(text, &lexed.tokens, &lexed.spans, comments);
    let document = builder.root(&parsed.root);
    let out = doc::print(&document, WIDTH);
    verify(file, text, &parsed.root, &out)?;
    Ok(out)
}

/// Checks that `out` means what `text` meant: the same tree (spans aside),
/// no syntax error, the same comments in the same order.
fn verify(
    file: &FileName,
    text: &str,
    root: &crate::syntax::ast::Expr,
    out: &str,
) -> Result<(), Vec<Diagnostic>> {
    let again = parser::parse(file, out);
    let problem = if again.errors.iter().any(Diagnostic::is_error) {
        Some("the formatted text does not parse")
    } else if test_print::sexp(root, false) != test_print::sexp(&again.root, false) {
        Some("the formatted text would mean something else")
    } else if comment_texts(file, text) != comment_texts(file, out) {
        Some("the formatted text would lose or reorder a comment")
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(what) => Err(vec![
            Diagnostic::error(
                codes::FORMAT_UNSAFE,
                format!("cannot format this file: {what}"),
            )
            .at(
                file,
                crate::syntax::ast::Span::new(0, 0),
                "the file was left as it is",
            )
            .with_help("this is a bug in `dvm fmt`; please report it with this file"),
        ]),
    }
}

/// Every comment's text (trailing blanks aside), in source order.
pub fn comment_texts(file: &FileName, text: &str) -> Vec<String> {
    let lexed = lexer::lex(file, text);
    lexed
        .comments
        .iter()
        .map(|c| text.get(c.range()).unwrap_or("").trim_end().to_string())
        .collect()
}
