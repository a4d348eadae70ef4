//! `dvm lsp`: the language server on stdin/stdout (`dvm_lsp`). Stdout
//! belongs to the protocol; logs go to stderr.

pub fn run() -> u8 {
    dvm_lsp::serve_stdio()
}
