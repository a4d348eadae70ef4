//! The only place the compiler reads the file system: [`SourceLoader`]
//! turns a path into [`FileContents`]. The real loader reads disk; tests
//! use [`MemoryLoader`]. Everything above sees files only through the db.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Files larger than this are refused with a clear error instead of being
/// read: no configuration is that big, and reading it would stall the LSP.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What reading a path gave.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FileContents {
    Text(Arc<str>),
    Missing,
    Directory,
    /// Not valid UTF-8; the offset of the first bad byte.
    NotUtf8 {
        valid_up_to: usize,
    },
    TooLarge {
        bytes: u64,
    },
    /// Any other I/O failure (permissions, …), as the OS describes it.
    Unreadable(String),
}

impl FileContents {
    pub fn text(&self) -> Option<&Arc<str>> {
        match self {
            FileContents::Text(t) => Some(t),
            _ => None,
        }
    }
}

pub trait SourceLoader: Send + Sync {
    fn load(&self, path: &Path) -> FileContents;
}

/// Reads from disk.
pub struct DiskLoader;

impl SourceLoader for DiskLoader {
    fn load(&self, path: &Path) -> FileContents {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileContents::Missing,
            Err(e) => return FileContents::Unreadable(e.to_string()),
        };
        if meta.is_dir() {
            return FileContents::Directory;
        }
        if meta.len() > MAX_FILE_BYTES {
            return FileContents::TooLarge { bytes: meta.len() };
        }
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(s) => FileContents::Text(Arc::from(s)),
                Err(e) => FileContents::NotUtf8 {
                    valid_up_to: e.utf8_error().valid_up_to(),
                },
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileContents::Missing,
            Err(e) => FileContents::Unreadable(e.to_string()),
        }
    }
}

/// An in-memory file system for tests: `path → text`; a path that is a
/// prefix of a stored path counts as a directory.
#[derive(Default)]
pub struct MemoryLoader {
    files: Mutex<Vec<(PathBuf, Arc<str>)>>,
}

impl MemoryLoader {
    pub fn new(files: impl IntoIterator<Item = (PathBuf, String)>) -> MemoryLoader {
        MemoryLoader {
            files: Mutex::new(files.into_iter().map(|(p, t)| (p, Arc::from(t))).collect()),
        }
    }
}

impl SourceLoader for MemoryLoader {
    fn load(&self, path: &Path) -> FileContents {
        let files = match self.files.lock() {
            Ok(f) => f,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some((_, t)) = files.iter().find(|(p, _)| p == path) {
            return FileContents::Text(t.clone());
        }
        if files.iter().any(|(p, _)| p.starts_with(path)) {
            return FileContents::Directory;
        }
        FileContents::Missing
    }
}
