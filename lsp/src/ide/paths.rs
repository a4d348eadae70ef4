//! Completion of relative paths (`import ./lib/` → the `.dvm` files and
//! directories there), listing the directory next to the file.
//!
//! Decided from the text before the cursor: a token that starts with `./`
//! or `../`. Hidden entries are left out; directories come first, then
//! `.dvm` files, each sorted by name.

use std::path::Path;

/// One entry to offer.
#[derive(Clone, Debug, PartialEq)]
pub struct PathCompletion {
    /// What to insert (a directory ends in `/`).
    pub label: String,
    pub is_dir: bool,
}

/// The byte offset where the typed file name starts (after the last `/`)
/// and the entries that match, or `None` when the cursor is not in a
/// relative path.
pub fn complete(
    text: &str,
    offset: usize,
    file_dir: &Path,
) -> Option<(usize, Vec<PathCompletion>)> {
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let mut start = offset;
    while start > 0 {
        let b = bytes[start - 1];
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/') {
            start -= 1;
        } else {
            break;
        }
    }
    let token = text.get(start..offset)?;
    if !(token.starts_with("./") || token.starts_with("../")) {
        return None;
    }
    let slash = token.rfind('/')?;
    let (dir_part, typed) = (&token[..=slash], &token[slash + 1..]);
    let dir = file_dir.join(dir_part);
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).ok()?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !name.starts_with(typed) {
            continue;
        }
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir {
            dirs.push(format!("{name}/"));
        } else if name.ends_with(".dvm") {
            files.push(name);
        }
    }
    dirs.sort();
    files.sort();
    let out = dirs
        .into_iter()
        .map(|label| PathCompletion {
            label,
            is_dir: true,
        })
        .chain(files.into_iter().map(|label| PathCompletion {
            label,
            is_dir: false,
        }))
        .collect();
    Some((start + slash + 1, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_directories_then_dvm_files_after_a_relative_prefix() {
        let dir = std::env::temp_dir().join(format!("dvm-paths-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for d in ["lib/deep", "lib/.hidden", "lab"] {
            std::fs::create_dir_all(dir.join(d)).unwrap_or_else(|e| panic!("{e}"));
        }
        for f in ["lib/a.dvm", "lib/b.txt", "lib/c.dvm", "top.dvm"] {
            std::fs::write(dir.join(f), "{ }").unwrap_or_else(|e| panic!("{e}"));
        }
        let text = "import ./lib/";
        let (start, entries) =
            complete(text, text.len(), &dir).unwrap_or_else(|| panic!("a path context"));
        let labels: Vec<&str> = entries.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(start, text.len());
        assert_eq!(labels, ["deep/", "a.dvm", "c.dvm"]);
        let text = "import ./l";
        let (start, entries) =
            complete(text, text.len(), &dir).unwrap_or_else(|| panic!("a path context"));
        let labels: Vec<&str> = entries.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(start, "import ./".len());
        assert_eq!(labels, ["lab/", "lib/"]);
        // Not a path: no answer.
        assert_eq!(complete("let x = lib", 11, &dir), None);
        // Past the end of the text: clamped.
        assert!(complete("./", 99, &dir).is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
