//! Build contexts: a Service's `build` directory packed as a deterministic
//! tar (sorted entries, fixed times and owners), the body of the Engine
//! API's build call, and its digest, which stands for the image in the
//! config hash. The only module that reads the user's build files.

use crate::desired::hex;
use crate::errors::Failure;
use dvm_compiler::codes::realise as codes;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A packed context and its sha256.
pub struct Context {
    pub tar: Vec<u8>,
    pub digest: String,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        if matches!(name.as_deref(), Some(".git") | Some("target")) {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.is_file() {
            out.push(p);
        }
    }
    Ok(())
}

/// Packs `dir`.
pub fn pack(dir: &str) -> Result<Context, Failure> {
    let fail = |e: std::io::Error| {
        Failure::new(
            codes::BUILD_FAILED,
            format!("cannot read the build context {dir}: {e}"),
        )
    };
    let root = Path::new(dir);
    if !root.join("Dockerfile").is_file() {
        return Err(Failure::new(
            codes::BUILD_FAILED,
            format!("the build context {dir} has no Dockerfile"),
        ));
    }
    let mut files = Vec::new();
    walk(root, &mut files).map_err(fail)?;
    let mut builder = tar::Builder::new(Vec::new());
    builder.mode(tar::HeaderMode::Deterministic);
    for f in &files {
        let rel = f.strip_prefix(root).unwrap_or(f);
        builder.append_path_with_name(f, rel).map_err(fail)?;
    }
    let tar = builder.into_inner().map_err(fail)?;
    let digest = hex(&Sha256::digest(&tar));
    Ok(Context { tar, digest })
}
