//! The `dvm` binary: parses the command line and runs the command on a
//! thread with a large stack (evaluation recurses; see
//! `dvm_compiler::EVAL_STACK_BYTES`). Everything else is in `cli`.

mod cli;
mod cmd_doc;
mod cmd_fmt;
mod cmd_lsp;
mod cmd_realise;
mod render;

use std::process::ExitCode;

// Evaluation allocates many small, short-lived objects; mimalloc is much
// faster at that than the system allocator (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::parse_args();
    let worker = std::thread::Builder::new()
        .name("dvm".into())
        .stack_size(dvm_compiler::EVAL_STACK_BYTES)
        .spawn(move || cli::run(args));
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(_)) => {
            eprintln!(
                "error: dvm crashed; this is a bug, please report it with the input that caused it"
            );
            ExitCode::from(101)
        }
        Err(e) => {
            eprintln!("error: cannot start the evaluation thread: {e}");
            ExitCode::from(3)
        }
    }
}
