//! Syntax: text → [`ast::Parse`], a tree plus every syntax error.
//!
//! [`lexer`] turns text into tokens (Nix's lexical rules plus unit
//! literals); [`parser`] turns tokens into the tree of [`ast`], recovering
//! from errors so that a file with several mistakes reports them all and
//! still yields a tree (`ExprKind::Error` where it is broken).
//!
//! Architecture invariant: this module knows nothing of salsa, names,
//! types, evaluation or files on disk; it never panics on any input, and
//! the trees it returns are at most [`parser::MAX_DEPTH`] levels deep.

pub mod ast;
pub mod lexer;
pub mod parser;

pub(crate) mod test_print;
#[cfg(test)]
mod tests;

/// Parses one file's text. `file` only labels the diagnostics.
pub fn parse(file: &crate::diag::FileName, text: &str) -> ast::Parse {
    parser::parse(file, text)
}
