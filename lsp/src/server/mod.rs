//! The protocol side: [`Backend`] implements tower-lsp-server's
//! `LanguageServer`. Notifications that change documents go to the writer
//! ([`main_loop`]); requests run a handler ([`handlers`]) on a snapshot.
//!
//! Only this module and `convert.rs` know LSP types.

pub mod handlers;
pub mod main_loop;

use crate::convert;
use main_loop::{Analysis, RunError};
use std::sync::Arc;
use tower_lsp_server::jsonrpc::{self, Result};
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::{Client, LanguageServer};

pub struct Backend {
    analysis: Analysis,
}

impl Backend {
    pub fn new(client: Client, loader: Arc<dyn dvm_compiler::source::SourceLoader>) -> Backend {
        let analysis = Analysis::start(Some(client.clone()), loader);
        Backend { analysis }
    }

    async fn run<T: Send + 'static>(
        &self,
        what: &'static str,
        f: impl FnOnce(&dvm_compiler::db::RootDatabase) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        match self.analysis.run(what, f).await {
            Ok(v) => Ok(v),
            Err(e) => e.answer(),
        }
    }
}

fn root_of(params: &lsp::InitializeParams) -> Option<std::path::PathBuf> {
    if let Some(folders) = &params.workspace_folders
        && let Some(f) = folders.first()
    {
        return convert::path_of(&f.uri);
    }
    #[allow(deprecated)]
    params.root_uri.as_ref().and_then(convert::path_of)
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> Result<lsp::InitializeResult> {
        self.analysis.set_root(root_of(&params));
        Ok(lsp::InitializeResult {
            capabilities: lsp::ServerCapabilities {
                text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
                    lsp::TextDocumentSyncKind::FULL,
                )),
                hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
                completion_provider: Some(lsp::CompletionOptions {
                    trigger_characters: Some(vec!["\"".into(), "<".into(), "/".into(), "{".into()]),
                    ..Default::default()
                }),
                definition_provider: Some(lsp::OneOf::Left(true)),
                references_provider: Some(lsp::OneOf::Left(true)),
                rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                document_symbol_provider: Some(lsp::OneOf::Left(true)),
                document_formatting_provider: Some(lsp::OneOf::Left(true)),
                ..Default::default()
            },
            server_info: Some(lsp::ServerInfo {
                name: "dvm".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {}

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let d = params.text_document;
        if let Some(path) = convert::path_of(&d.uri) {
            self.analysis.document(path, d.version, d.text);
        }
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let d = params.text_document;
        // Full sync: the last change holds the whole text.
        let Some(change) = params.content_changes.into_iter().next_back() else {
            return;
        };
        if change.range.is_some() {
            eprintln!("dvm lsp: ignored an incremental change (the server asks for full sync)");
            return;
        }
        if let Some(path) = convert::path_of(&d.uri) {
            self.analysis.document(path, d.version, change.text);
        }
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        if let Some(path) = convert::path_of(&params.text_document.uri) {
            self.analysis.close(path);
        }
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        for change in params.changes {
            if let Some(path) = convert::path_of(&change.uri) {
                self.analysis.reload(path);
            }
        }
    }

    async fn hover(&self, params: lsp::HoverParams) -> Result<Option<lsp::Hover>> {
        self.run("hover", move |db| handlers::hover::handle(db, params))
            .await
    }

    async fn goto_definition(
        &self,
        params: lsp::GotoDefinitionParams,
    ) -> Result<Option<lsp::GotoDefinitionResponse>> {
        self.run("definition", move |db| {
            handlers::definition::handle(db, params)
        })
        .await
    }

    async fn references(&self, params: lsp::ReferenceParams) -> Result<Option<Vec<lsp::Location>>> {
        self.run("references", move |db| {
            handlers::references::handle(db, params)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> Result<Option<lsp::PrepareRenameResponse>> {
        self.run("prepare-rename", move |db| {
            handlers::rename::prepare(db, params)
        })
        .await
    }

    async fn rename(&self, params: lsp::RenameParams) -> Result<Option<lsp::WorkspaceEdit>> {
        match self
            .analysis
            .run("rename", move |db| handlers::rename::handle(db, params))
            .await
        {
            Ok(Ok(edit)) => Ok(edit),
            Ok(Err(reason)) => Err(jsonrpc::Error::invalid_params(reason)),
            Err(e @ (RunError::Cancelled | RunError::Failed)) => e.answer(),
        }
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> Result<Option<lsp::CompletionResponse>> {
        self.run("completion", move |db| {
            handlers::completion::handle(db, params)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> Result<Option<lsp::DocumentSymbolResponse>> {
        self.run("symbols", move |db| handlers::symbols::handle(db, params))
            .await
    }

    async fn formatting(
        &self,
        params: lsp::DocumentFormattingParams,
    ) -> Result<Option<Vec<lsp::TextEdit>>> {
        self.run("formatting", move |db| {
            handlers::formatting::handle(db, params)
        })
        .await
    }
}
