//! Interned identifiers: every attribute name and variable name the
//! evaluator sees is a [`Sym`], a `u32` handle into one process-wide table.
//!
//! Lowering interns the names it finds in the source; the evaluator interns
//! names it builds at run time (`listToAttrs`, `fromJSON`, dynamic keys).
//! Comparing and hashing a `Sym` is an integer operation; `as_str` gives the
//! text back for output, sorting by name and messages. The table only grows:
//! names are few compared to values, and a `Sym` stays valid for the life
//! of the process, so salsa results may hold them.

use lasso::{Spur, ThreadedRodeo};
use std::sync::OnceLock;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(Spur);

fn table() -> &'static ThreadedRodeo {
    static TABLE: OnceLock<ThreadedRodeo> = OnceLock::new();
    TABLE.get_or_init(ThreadedRodeo::new)
}

impl Sym {
    pub fn new(text: &str) -> Sym {
        Sym(table().get_or_intern(text))
    }
    pub fn as_str(self) -> &'static str {
        // `ThreadedRodeo::resolve` borrows the table; the table is a static
        // that is never dropped and never removes entries.
        table().resolve(&self.0)
    }
}

impl std::fmt::Debug for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl std::fmt::Display for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
