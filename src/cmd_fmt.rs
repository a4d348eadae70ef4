//! `dvm fmt [--check] [FILE…]`: rewrites `.dvm` files in the canonical
//! layout, or with `--check` lists the files that would change.
//!
//! Owns the file side of formatting: which files (a directory means every
//! `.dvm` below it, sorted; no FILE means ./main.dvm), reading them,
//! writing only the ones that change, and the exit code. The layout itself
//! is `dvm_compiler::fmt`; this module decides nothing about it.

use crate::render;
use clap::Args;
use dvm_compiler::db::RootDatabase;
use dvm_compiler::diag::FileName;
use dvm_compiler::source::DiskLoader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Do not write: list the files that are not formatted, exit 1 if any.
    #[arg(long)]
    check: bool,
    /// Files or directories (every .dvm below them); default ./main.dvm.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Runs the command; the exit code: 0 ok, 1 when a file cannot be read,
/// formatted (syntax errors) or written, or with `--check` is not formatted.
pub fn run(args: FmtArgs) -> u8 {
    let roots = if args.files.is_empty() {
        vec![PathBuf::from("main.dvm")]
    } else {
        args.files.clone()
    };
    let mut files = Vec::new();
    let mut code = 0u8;
    for r in &roots {
        if r.is_dir() {
            if let Err(e) = collect(r, &mut files) {
                eprintln!("error: cannot read directory {}: {e}", r.display());
                code = 1;
            }
        } else {
            files.push(r.clone());
        }
    }
    let db = RootDatabase::new(Arc::new(DiskLoader));
    for path in files {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                code = code.max(1);
                continue;
            }
        };
        let abs = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
        let name: FileName = abs.to_string_lossy().as_ref().into();
        match dvm_compiler::fmt::format_source(&name, &text) {
            Err(diags) => {
                eprint!("{}", render::render(&db, &diags, render::color_enabled()));
                code = code.max(1);
            }
            Ok(out) if out == text => {}
            Ok(_) if args.check => {
                println!("{}", path.display());
                code = code.max(1);
            }
            Ok(out) => {
                if let Err(e) = std::fs::write(&path, out) {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    code = code.max(1);
                }
            }
        }
    }
    code
}

/// Every `.dvm` file below `dir`, sorted, skipping hidden directories and
/// `target`.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.') || n == "target");
        if p.is_dir() {
            if !hidden {
                collect(&p, out)?;
            }
        } else if p.extension().is_some_and(|x| x == "dvm") {
            out.push(p);
        }
    }
    Ok(())
}
