//! `dvm doc TARGET…`: finds each target (a file, a directory's main.dvm,
//! a search path `<stdlib/deps>`, or `<builtins>` for the built-in kinds),
//! asks the compiler's doc generator for its Markdown reference and prints
//! them in order on stdout. Definitions without a doc comment are listed
//! on stderr as warnings. Knows the CLI conventions, not how references
//! are made (`dvm_compiler::doc`).

use crate::cli::{InputArgs, entry_path, finish_output, new_db, print_text, report};
use dvm_compiler::db::{display_name, resolve_search_path};
use dvm_compiler::source::FileContents;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct DocArgs {
    /// Files, directories (their main.dvm) or search paths such as
    /// `<stdlib/deps>`; `<builtins>` documents the built-in kinds.
    #[arg(value_name = "TARGET", required = true)]
    targets: Vec<String>,
    #[command(flatten)]
    input: InputArgs,
}

pub fn run(args: DocArgs) -> u8 {
    let db = new_db(&args.input);
    let mut pages = Vec::new();
    let mut failed = false;
    for target in &args.targets {
        let path = match target.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
            Some("builtins") => dvm_compiler::embedded::path(dvm_compiler::embedded::PRELUDE),
            Some(search) => match resolve_search_path(&db, search) {
                Some(p) => p,
                None => {
                    eprintln!(
                        "error: `{target}` is not on the search path (the -I entries, DVM_PATH, then the stdlib in the binary)"
                    );
                    failed = true;
                    continue;
                }
            },
            None => entry_path(Some(&PathBuf::from(target))),
        };
        let file = dvm_compiler::db::import_target(&db, &path);
        let name = display_name(&db, file);
        let FileContents::Text(text) = file.contents(&db) else {
            eprintln!("error: cannot read `{name}`");
            failed = true;
            continue;
        };
        let title = if target.starts_with('<') {
            target.clone()
        } else {
            name.to_string()
        };
        match dvm_compiler::doc::reference(&title, &name, text) {
            Ok(r) => {
                if !r.undocumented.is_empty() {
                    eprintln!(
                        "warning: {title}: no doc comment on {}",
                        r.undocumented.join(", ")
                    );
                }
                pages.push(r.markdown);
            }
            Err(diags) => {
                report(&db, &diags);
                failed = true;
            }
        }
    }
    if failed {
        return 1;
    }
    finish_output(print_text(&pages.join("\n")))
}
