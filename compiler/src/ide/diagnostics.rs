//! Diagnostics for the editor, from every stage: per file, the syntax,
//! name and static type errors ([`static_diagnostics`], cheap and
//! incremental); per entry file, evaluation and graph resolution
//! ([`graph_diagnostics`]: unknown `uses` names, cycles, wiring), grouped
//! by the file each points into ([`by_file`]).
//!
//! Knows nothing of LSP: diagnostics stay [`crate::diag::Diagnostic`].

use crate::db::{self, Db, SourceFile};
use crate::diag::Diagnostic;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Syntax, name and static type diagnostics of one file.
pub fn static_diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let mut out = db::file_diagnostics(db, file);
    crate::diag::normalize(&mut out);
    out
}

/// Evaluation and graph diagnostics of an entry file (every file it
/// reaches), as `dvm check` reports them. A file whose value is not a
/// platform (a library) is checked as code only, so that error is left
/// out. Must run on a thread with a large stack
/// ([`crate::EVAL_STACK_BYTES`]).
pub fn graph_diagnostics(db: &dyn Db, entry: SourceFile) -> Vec<Diagnostic> {
    db::graph(db, entry)
        .diagnostics
        .iter()
        .filter(|d| d.code != crate::codes::graph::ROOT_NOT_ECOSYSTEM)
        .cloned()
        .collect()
}

/// Diagnostics grouped by the absolute path of their primary location;
/// one without a location goes to `fallback` (the entry file). Each
/// group is sorted and without duplicates.
pub fn by_file(
    diags: impl IntoIterator<Item = Diagnostic>,
    fallback: &std::path::Path,
) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut out: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for d in diags {
        let path = d
            .primary
            .as_ref()
            .and_then(|l| super::path_of_display(&l.file))
            .unwrap_or_else(|| fallback.to_path_buf());
        out.entry(path).or_default().push(d);
    }
    for v in out.values_mut() {
        crate::diag::normalize(v);
    }
    out
}
