//! Syntax: text → [`ast::Parse`] (logos lexer, chumsky parser with error
//! recovery). Knows nothing of salsa, names, types or evaluation.
pub mod ast;
pub mod lexer;
pub mod parser;

pub use parser::parse;
