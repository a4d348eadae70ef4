//! dvm's compiler: text → syntax tree → resolved IR → values (and, with
//! the types-and-graph work, the resolved object graph).
//!
//! Pipeline: [`syntax::parse`] (logos + chumsky, with recovery) gives a
//! tree and syntax errors; [`hir::lower`] resolves every name to a frame
//! slot and merges attribute paths; [`eval`] runs the lazy machine over the
//! IR. [`db`] holds the salsa database that caches each stage per file;
//! the CLI and the LSP share it. [`diag`] is the one diagnostic type every
//! stage returns; [`codes`] the catalogue `dvm explain` prints.
//!
//! Architecture invariant: the compiler reads files only through
//! [`source::SourceLoader`], talks to no engine and renders nothing.

pub mod codes;
pub mod data;
pub mod db;
pub mod diag;
pub mod doc;
pub mod embedded;
pub mod eval;
pub mod fmt;
pub mod graph;
pub mod hir;
pub mod ide;
pub mod intern;
pub mod source;
pub mod syntax;
pub mod types;

/// Stack size for threads that evaluate: the machine recurses (bounded by
/// [`eval::MAX_DEPTH`]), so it gets a large stack rather than the default
/// 8 MiB. Only touched pages use memory.
pub const EVAL_STACK_BYTES: usize = 1 << 30;
