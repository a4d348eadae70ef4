//! The in-process LSP harness: fixtures as data (`//- /path` starts a
//! file, `$0` marks the cursor), a server over an in-memory file system,
//! requests through the `LspService` (a `tower::Service`), and answers
//! rendered as short text for snapshots.

#![allow(dead_code)]

use dvm_lsp::convert::LineIndex;
use futures::StreamExt;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower::{Service, ServiceExt};
use tower_lsp_server::jsonrpc::Request;
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::{ClientSocket, LspService};

pub struct Fixture {
    pub files: Vec<(PathBuf, String)>,
    /// The file holding `$0` and the cursor's offset.
    pub cursor: Option<(PathBuf, usize)>,
}

/// Parses `//- /path` sections; a fixture without one is `/p/main.dvm`.
pub fn fixture(text: &str) -> Fixture {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut cursor = None;
    let mut current: Option<(PathBuf, String)> = None;
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("//- ") {
            if let Some(f) = current.take() {
                files.push(f);
            }
            current = Some((PathBuf::from(path.trim()), String::new()));
            continue;
        }
        let cur = current.get_or_insert_with(|| (PathBuf::from("/p/main.dvm"), String::new()));
        cur.1.push_str(line);
    }
    if let Some(f) = current.take() {
        files.push(f);
    }
    for (path, text) in &mut files {
        if let Some(i) = text.find("$0") {
            text.replace_range(i..i + 2, "");
            cursor = Some((path.clone(), i));
        }
    }
    Fixture { files, cursor }
}

pub fn uri(path: &std::path::Path) -> lsp::Uri {
    lsp::Uri::from_file_path(path).expect("fixture paths are absolute")
}

pub struct Server {
    pub service: LspService<dvm_lsp::server::Backend>,
    pub socket: ClientSocket,
    pub fixture: Fixture,
    next_id: i64,
    versions: std::collections::HashMap<PathBuf, i32>,
}

impl Server {
    /// A server over the fixture's files, initialized, with the cursor's
    /// file (or the first) opened.
    pub async fn start(text: &str) -> Server {
        let fixture = fixture(text);
        let loader = dvm_compiler::source::MemoryLoader::new(fixture.files.clone());
        let (service, socket) = dvm_lsp::service(Arc::new(loader));
        let mut s = Server {
            service,
            socket,
            fixture,
            next_id: 1,
            versions: Default::default(),
        };
        s.request(
            "initialize",
            json!({ "capabilities": {}, "rootUri": "file:///p" }),
        )
        .await;
        s.notify("initialized", json!({})).await;
        let (path, text) = match &s.fixture.cursor {
            Some((p, _)) => {
                let text = s
                    .fixture
                    .files
                    .iter()
                    .find(|(q, _)| q == p)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
                (p.clone(), text)
            }
            None => s.fixture.files[0].clone(),
        };
        s.open(&path, &text).await;
        s
    }

    pub async fn request(&mut self, method: &'static str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let req = Request::build(method).params(params).id(id).finish();
        let resp = self
            .service
            .ready()
            .await
            .expect("service ready")
            .call(req)
            .await
            .expect("no transport error");
        let resp = resp.expect("a request gets a response");
        serde_json::to_value(&resp).expect("responses serialise")
    }

    /// The `result` of a request (`null` for an error).
    pub async fn result(&mut self, method: &'static str, params: Value) -> Value {
        let v = self.request(method, params).await;
        v.get("result").cloned().unwrap_or(Value::Null)
    }

    pub async fn notify(&mut self, method: &'static str, params: Value) {
        let req = Request::build(method).params(params).finish();
        let _ = self
            .service
            .ready()
            .await
            .expect("service ready")
            .call(req)
            .await;
    }

    pub async fn open(&mut self, path: &std::path::Path, text: &str) {
        self.versions.insert(path.to_path_buf(), 1);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri(path), "languageId": "dvm", "version": 1, "text": text } }),
        )
        .await;
    }

    pub async fn change(&mut self, path: &std::path::Path, text: &str) {
        let v = self.versions.entry(path.to_path_buf()).or_insert(1);
        *v += 1;
        let version = *v;
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri(path), "version": version },
                    "contentChanges": [ { "text": text } ] }),
        )
        .await;
    }

    /// Waits for the next `dvm/checked` and returns every diagnostic
    /// published before it, the last per file.
    pub async fn diagnostics(&mut self) -> std::collections::BTreeMap<String, Value> {
        let mut out = std::collections::BTreeMap::new();
        loop {
            let next = tokio::time::timeout(Duration::from_secs(60), self.socket.next()).await;
            let Ok(Some(msg)) = next else {
                panic!("no dvm/checked within 60 s");
            };
            let v = serde_json::to_value(&msg).unwrap_or(Value::Null);
            match v.get("method").and_then(Value::as_str) {
                Some("textDocument/publishDiagnostics") => {
                    let params = &v["params"];
                    let uri = params["uri"].as_str().unwrap_or_default().to_string();
                    out.insert(uri, params["diagnostics"].clone());
                }
                Some("dvm/checked") => return out,
                _ => {}
            }
        }
    }

    /// The cursor as an LSP position in its file.
    pub fn cursor(&self) -> (lsp::Uri, lsp::Position) {
        let (path, offset) = self.fixture.cursor.clone().expect("fixture has $0");
        let text = self.text(&path);
        let pos = LineIndex::new(&text).position(offset as u32);
        (uri(&path), pos)
    }

    pub fn text(&self, path: &std::path::Path) -> String {
        self.fixture
            .files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    }

    pub fn at_cursor(&self) -> Value {
        let (uri, pos) = self.cursor();
        json!({ "textDocument": { "uri": uri }, "position": pos })
    }
}

/// A URI as a path, the embedded files' cache directory shown as `<tmp>`.
pub fn shown(uri: &str) -> String {
    let path = uri.trim_start_matches("file://");
    let tmp = std::env::temp_dir();
    let tmp = tmp.to_string_lossy();
    match path.strip_prefix(tmp.trim_end_matches('/')) {
        Some(rest) => format!("<tmp>{rest}"),
        None => path.to_string(),
    }
}

/// `L:C-L:C` (1-based lines and columns) of an LSP range.
pub fn range(r: &Value) -> String {
    let p = |v: &Value| {
        format!(
            "{}:{}",
            v["line"].as_u64().unwrap_or(0) + 1,
            v["character"].as_u64().unwrap_or(0) + 1
        )
    };
    format!("{}-{}", p(&r["start"]), p(&r["end"]))
}

/// Diagnostics as lines: `file L:C-L:C severity code message`.
pub fn render_diagnostics(all: &std::collections::BTreeMap<String, Value>) -> String {
    let mut out = String::new();
    for (uri, diags) in all {
        let name = uri.trim_start_matches("file://");
        out.push_str(&format!("{name}:\n"));
        for d in diags.as_array().into_iter().flatten() {
            let sev = match d["severity"].as_u64() {
                Some(1) => "error",
                Some(2) => "warning",
                _ => "other",
            };
            out.push_str(&format!(
                "  {} {sev} {}: {}\n",
                range(&d["range"]),
                d["code"].as_str().unwrap_or(""),
                d["message"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', "\n      ")
            ));
            for r in d["relatedInformation"].as_array().into_iter().flatten() {
                out.push_str(&format!(
                    "      related {} {}: {}\n",
                    shown(r["location"]["uri"].as_str().unwrap_or("")),
                    range(&r["location"]["range"]),
                    r["message"].as_str().unwrap_or("")
                ));
            }
        }
    }
    out
}

/// Completion items as lines: `label  (kind) detail`.
pub fn render_completion(v: &Value) -> String {
    let items = v
        .as_array()
        .cloned()
        .or_else(|| v["items"].as_array().cloned())
        .unwrap_or_default();
    let mut out = String::new();
    for i in items {
        out.push_str(&format!(
            "{} [{}] {}{}\n",
            i["label"].as_str().unwrap_or(""),
            i["kind"].as_u64().unwrap_or(0),
            i["detail"].as_str().unwrap_or(""),
            match i["documentation"]["value"].as_str() {
                Some(d) => format!(" — {}", d.lines().next().unwrap_or("")),
                None => String::new(),
            }
        ));
    }
    out
}

/// Locations as lines: `path L:C-L:C`.
pub fn render_locations(v: &Value) -> String {
    let list = match v {
        Value::Array(a) => a.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    };
    list.iter()
        .map(|l| {
            format!(
                "{} {}\n",
                shown(l["uri"].as_str().unwrap_or("")),
                range(&l["range"])
            )
        })
        .collect()
}
