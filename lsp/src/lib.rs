//! dvm's language server (`dvm lsp`): the compiler's IDE features
//! (`dvm_compiler::ide`) over the Language Server Protocol, on stdio, with
//! tower-lsp-server.
//!
//! - [`server`]: the protocol side; `main_loop` owns the database (one
//!   writer, snapshots for requests), `handlers` has one file per request.
//! - [`convert`]: the only place compiler types and LSP types meet.
//! - [`ide`]: features that need the file system (path completion).
//!
//! Architecture invariant: no LSP type below `server/` and `convert.rs`;
//! the compiler's IDE layer works in byte offsets and paths. The server
//! never panics on input: a bug is logged to stderr and answered empty.

pub mod convert;
pub mod ide;
pub mod server;

use std::sync::Arc;
use tower_lsp_server::{LspService, Server};

/// The service and its client socket, over a source loader (the disk for
/// `dvm lsp`, memory in tests). Must be called inside a tokio runtime.
pub fn service(
    loader: Arc<dyn dvm_compiler::source::SourceLoader>,
) -> (LspService<server::Backend>, tower_lsp_server::ClientSocket) {
    LspService::new(move |client| server::Backend::new(client, loader))
}

/// Serves LSP on stdin/stdout until the client exits. Returns the
/// process exit code.
pub fn serve_stdio() -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the language server runtime: {e}");
            return 3;
        }
    };
    runtime.block_on(async {
        let (service, socket) = service(server::main_loop::disk_loader());
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    0
}
