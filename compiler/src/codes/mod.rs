//! The catalogue of every diagnostic code dvm emits, with the long
//! explanation `dvm explain CODE` prints.
//!
//! Codes are stable: a code is never reused for another meaning. Ranges:
//! `E00xx` syntax, `E01xx` names and lowering, `E02xx` evaluation,
//! `E03xx` imports and files, `E04xx` types and kinds, `E06xx` graph resolution, `E07xx` realising on an engine, `E09xx` command-line
//! input; `Wxxxx` warnings.
//! Each stage's module declares its constants and their entries; this file
//! only joins them.

pub mod eval;
pub mod graph;
pub mod names;
pub mod realise;
pub mod syntax;
pub mod types;

/// One diagnostic code: its stable id, a one-line title and the long
/// explanation (with an example of the mistake and its fix).
pub struct CodeInfo {
    pub code: &'static str,
    pub title: &'static str,
    pub explanation: &'static str,
}

/// Every code, in code order.
pub fn all() -> Vec<&'static CodeInfo> {
    let mut all: Vec<&'static CodeInfo> = syntax::CODES
        .iter()
        .chain(names::CODES)
        .chain(eval::CODES)
        .chain(types::CODES)
        .chain(graph::CODES)
        .chain(realise::CODES)
        .collect();
    all.sort_by_key(|c| c.code);
    all
}

/// Looks a code up, case-insensitively (`e0101` works).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    all()
        .into_iter()
        .find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}
