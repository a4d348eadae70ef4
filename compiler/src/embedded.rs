//! Sources shipped inside the binary: the prelude that defines the
//! built-in kinds, and the stdlib (`<stdlib/…>`, the last place a search
//! path is looked up, so `-I`/`DVM_PATH` entries can shadow it).
//!
//! Embedded files live under the virtual directory [`ROOT`]; the db serves
//! them from here instead of asking the [`crate::source::SourceLoader`],
//! and diagnostics show them as `<dvm>/stdlib/deps/main.dvm`.

use std::path::{Path, PathBuf};

/// The virtual directory embedded files appear under.
pub const ROOT: &str = "/__dvm_embedded__";

/// The prelude: the built-in kinds of objects.md, with a description per
/// field (hover, `dvm doc`).
pub const PRELUDE: &str = "prelude/kinds.dvm";

/// `(path below ROOT, text)` of every embedded file.
pub const FILES: &[(&str, &str)] = &[
    (PRELUDE, include_str!("types/prelude.dvm")),
    (
        "stdlib/deps/main.dvm",
        include_str!("../../stdlib/deps/main.dvm"),
    ),
    (
        "stdlib/workspaces/main.dvm",
        include_str!("../../stdlib/workspaces/main.dvm"),
    ),
    (
        "stdlib/kinds/main.dvm",
        include_str!("../../stdlib/kinds/main.dvm"),
    ),
];

/// The absolute (virtual) path of an embedded file.
pub fn path(rel: &str) -> PathBuf {
    Path::new(ROOT).join(rel)
}

/// The text of an embedded file, by its virtual path.
pub fn lookup(path: &Path) -> Option<&'static str> {
    let rel = path.strip_prefix(ROOT).ok()?;
    let rel = rel.to_str()?;
    FILES.iter().find(|(p, _)| *p == rel).map(|(_, t)| *t)
}

/// Whether a path is inside the embedded directory.
pub fn contains(path: &Path) -> bool {
    path.starts_with(ROOT)
}

/// `<a/b>` in the embedded stdlib: `a/b.dvm` or `a/b/main.dvm`.
pub fn search(text: &str) -> Option<PathBuf> {
    let candidates = [format!("{text}.dvm"), format!("{text}/main.dvm")];
    candidates
        .into_iter()
        .find(|c| FILES.iter().any(|(p, _)| p == c))
        .map(|c| path(&c))
}

/// How an embedded file is named in messages.
pub fn display(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(ROOT).ok()?;
    Some(format!("<dvm>/{}", rel.display()))
}

/// The virtual path of an embedded file from its display name.
pub fn from_display(name: &str) -> Option<PathBuf> {
    name.strip_prefix("<dvm>/").map(path)
}
