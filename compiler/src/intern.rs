//! Interned identifiers: every attribute name and variable name the
//! evaluator sees is a [`Sym`], a pointer to one process-wide copy of the
//! text.
//!
//! Lowering interns the names it finds in the source; the evaluator interns
//! names it builds at run time (`listToAttrs`, `fromJSON`, dynamic keys).
//! Comparing, hashing and ordering a `Sym` look only at the pointer (an
//! integer operation); `as_str` is free. The ordering is by address: stable
//! for the life of the process, which is all lookups and merges need;
//! anything a user sees sorts by text instead. The table only grows: names
//! are few compared to values, and a `Sym` stays valid for the life of the
//! process, so salsa results may hold them.

use rustc_hash::FxHashMap;
use std::sync::{Mutex, OnceLock};

/// A thin pointer (8 bytes) to the one interned copy of a name.
#[derive(Clone, Copy)]
pub struct Sym(&'static String);

type Table = FxHashMap<&'static str, &'static String>;

fn table() -> &'static Mutex<Table> {
    static TABLE: OnceLock<Mutex<Table>> = OnceLock::new();
    TABLE.get_or_init(Mutex::default)
}

impl Sym {
    pub fn new(text: &str) -> Sym {
        let mut set = match table().lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(s) = set.get(text) {
            return Sym(s);
        }
        let leaked: &'static String = Box::leak(Box::new(text.to_owned()));
        set.insert(leaked, leaked);
        Sym(leaked)
    }
    pub fn as_str(self) -> &'static str {
        self.0
    }
    fn addr(self) -> usize {
        std::ptr::from_ref::<String>(self.0) as usize
    }
}

impl PartialEq for Sym {
    fn eq(&self, other: &Sym) -> bool {
        // Interned: equal text is the same entry.
        self.addr() == other.addr()
    }
}

impl Eq for Sym {}

impl std::hash::Hash for Sym {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.addr().hash(state)
    }
}

impl PartialOrd for Sym {
    fn partial_cmp(&self, other: &Sym) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Sym {
    fn cmp(&self, other: &Sym) -> std::cmp::Ordering {
        self.addr().cmp(&other.addr())
    }
}

impl std::fmt::Debug for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl std::fmt::Display for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Sym;

    #[test]
    fn same_text_same_symbol() {
        let a = Sym::new("port");
        let b = Sym::new(&String::from("port"));
        assert_eq!(a, b);
        assert_ne!(a, Sym::new("host"));
        assert_eq!(Sym::new(""), Sym::new(""));
        assert_eq!(a.as_str(), "port");
    }
}
