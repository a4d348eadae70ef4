//! Garbage in, no panic and no hang out: random cuts of a real platform
//! file (half-typed code), non-ASCII text, CRLF, stale and repeated
//! versions, requests at positions past the end of lines and files,
//! unknown and non-file URIs, closing what was never opened. Every request
//! must be answered (a result, or `ContentModified` when an edit overtook
//! it) within the timeout, and no handler may panic.

mod common;

use common::*;
use serde_json::{Value, json};
use std::time::Duration;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SOURCE: &str = include_str!("../../examples/customer-platform/main.dvm");

const SNIPPETS: &[&str] = &[
    "",
    "{",
    "}",
    "\"",
    "${",
    "''",
    "let",
    "in",
    "Workspace { l",
    "uses = [ \"",
    "<stdlib/",
    "./",
    "é",
    "😀",
    "\r\n",
    "\t",
    "#",
    "/*",
    "= ;",
    "inherit",
    "kind \"X\" {",
    ": Int",
    "a.b.c",
    "x: x",
    "{ a, b ? }:",
    "import ./nope.dvm",
    "rec {",
    "with",
];

fn garbage(rng: &mut Rng) -> String {
    let mut text = String::new();
    let chars: Vec<char> = SOURCE.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let a = rng.below(chars.len());
        let b = (a + rng.below(400)).min(chars.len());
        text.extend(&chars[a..b]);
        text.push_str(SNIPPETS[rng.below(SNIPPETS.len())]);
    }
    text
}

const METHODS: &[&str] = &[
    "textDocument/hover",
    "textDocument/completion",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/rename",
    "textDocument/prepareRename",
    "textDocument/documentSymbol",
    "textDocument/formatting",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_edits_and_positions_never_panic_or_hang() {
    let mut s = Server::start("//- /p/main.dvm\n{ }\n//- /p/lib.dvm\n{ a = 1; }\n").await;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let uris = [
        "file:///p/main.dvm",
        "file:///p/lib.dvm",
        "file:///p/never-seen.dvm",
        "file:///p",
        "untitled:Untitled-1",
    ];
    let mut version = 1;
    let mut answered = 0;
    // Drain server → client messages so publishing never blocks.
    let socket = std::mem::replace(
        &mut s.socket,
        tower_lsp_server::LspService::new(|_| Dummy).1,
    );
    let drain = tokio::spawn(async move {
        use futures::StreamExt;
        let mut socket = socket;
        while socket.next().await.is_some() {}
    });
    for round in 0..600 {
        let uri = uris[rng.below(uris.len())];
        match rng.below(6) {
            0 | 1 => {
                version += 1;
                // Sometimes an old version arrives late: it must be ignored.
                let v = if rng.below(5) == 0 {
                    version - 3
                } else {
                    version
                };
                s.notify(
                    "textDocument/didChange",
                    json!({ "textDocument": { "uri": uri, "version": v },
                            "contentChanges": [ { "text": garbage(&mut rng) } ] }),
                )
                .await;
            }
            2 => {
                s.notify(
                    "textDocument/didOpen",
                    json!({ "textDocument": { "uri": uri, "languageId": "dvm", "version": version, "text": garbage(&mut rng) } }),
                )
                .await;
            }
            3 if round % 7 == 0 => {
                s.notify(
                    "textDocument/didClose",
                    json!({ "textDocument": { "uri": uri } }),
                )
                .await;
            }
            _ => {
                let method = METHODS[rng.below(METHODS.len())];
                let line = [0, 1, 5, 40, 10_000, u32::MAX as usize][rng.below(6)];
                let character = [0, 1, 3, 17, 200, u32::MAX as usize][rng.below(6)];
                let new_name = ["x", "not a name", "", "é"][rng.below(4)];
                let mut params = json!({
                    "textDocument": { "uri": uri },
                    "position": { "line": line, "character": character },
                    "newName": new_name,
                    "options": { "tabSize": 2, "insertSpaces": true },
                });
                if method == "textDocument/references" {
                    params["context"] = json!({ "includeDeclaration": true });
                }
                let answer =
                    tokio::time::timeout(Duration::from_secs(30), s.request(method, params))
                        .await
                        .unwrap_or_else(|_| panic!("{method} hung"));
                check_answer(method, &answer);
                if answer.get("result").is_some_and(|r| !r.is_null()) {
                    answered += 1;
                }
            }
        }
    }
    // Enough requests got a real answer for the run to mean something.
    assert!(answered > 20, "only {answered} non-empty answers");
    assert_eq!(
        dvm_lsp::server::main_loop::BUGS.load(std::sync::atomic::Ordering::Relaxed),
        0,
        "a handler panicked (see stderr)"
    );
    drain.abort();
}

fn check_answer(method: &str, answer: &Value) {
    if let Some(err) = answer.get("error") {
        let code = err["code"].as_i64().unwrap_or(0);
        // ContentModified, or a refused rename (invalid params).
        assert!(
            code == -32801 || (code == -32602 && method == "textDocument/rename"),
            "{method}: unexpected error {err}"
        );
    } else {
        assert!(
            answer.get("result").is_some(),
            "{method}: no result: {answer}"
        );
    }
}

struct Dummy;
impl tower_lsp_server::LanguageServer for Dummy {
    async fn initialize(
        &self,
        _: tower_lsp_server::ls_types::InitializeParams,
    ) -> tower_lsp_server::jsonrpc::Result<tower_lsp_server::ls_types::InitializeResult> {
        Ok(Default::default())
    }
    async fn shutdown(&self) -> tower_lsp_server::jsonrpc::Result<()> {
        Ok(())
    }
}
