//! The writer: one thread owns the database and applies document changes
//! in order; everything else works on snapshots (clones of the database).
//!
//! - Edits arrive as whole texts with the editor's version (full document
//!   sync), so an edit that reaches the writer late is recognised by its
//!   older version and dropped: order never depends on how the protocol
//!   layer schedules notifications.
//! - After a burst of edits (everything queued is applied first) the
//!   writer hands a snapshot to a diagnostics job on its own thread and
//!   goes back to waiting. It never keeps a clone: salsa's write waits for
//!   every clone to drop, and cancels them (they unwind with
//!   `salsa::Cancelled` at their next query, or within a few thousand
//!   evaluation steps).
//! - Diagnostics are published in two phases: syntax, names and types of
//!   the open files first (fast), then evaluation and the graph. A
//!   publisher task drops results of an older revision and clears files
//!   whose diagnostics went away.
//!
//! Requests ([`Analysis::run`]) get a snapshot from the writer and run on
//! a fresh thread with the evaluator's large stack and a timeout; a
//! cancelled request answers `ContentModified`, a panic is logged and
//! answered empty.

use crate::convert::{self, LineIndex};
use dvm_compiler::db::{Db, RootDatabase};
use dvm_compiler::diag::Diagnostic;
use dvm_compiler::ide::diagnostics as ide_diag;
use dvm_compiler::source::{DiskLoader, FileContents, SourceLoader};
use std::collections::{BTreeMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types as lsp;

/// Panics caught since the process started (each is a bug, logged to
/// stderr and answered empty); tests assert it stays 0.
pub static BUGS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How long a request may run before it is answered empty.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

enum Msg {
    /// An open document's whole text (didOpen, didChange).
    Document {
        path: PathBuf,
        version: i32,
        text: String,
    },
    /// didClose: the file is read from disk again.
    Close {
        path: PathBuf,
    },
    /// A file changed or was deleted on disk.
    Reload {
        path: PathBuf,
    },
    SetRoot(Option<PathBuf>),
    Snapshot(tokio::sync::oneshot::Sender<RootDatabase>),
}

/// The handle the protocol side holds: sends edits to the writer, asks
/// it for snapshots.
#[derive(Clone)]
pub struct Analysis {
    tx: mpsc::Sender<Msg>,
}

/// Why a request got no answer.
pub enum RunError {
    /// An edit arrived while it ran.
    Cancelled,
    /// It panicked (a bug: logged) or ran out of time.
    Failed,
}

impl Analysis {
    /// Starts the writer thread and the publisher task (on the current
    /// tokio runtime).
    pub fn start(client: Option<Client>, loader: Arc<dyn SourceLoader>) -> Analysis {
        let (tx, rx) = mpsc::channel();
        let (pub_tx, pub_rx) = tokio::sync::mpsc::unbounded_channel();
        if let Some(client) = client {
            tokio::spawn(publisher(client, pub_rx));
        }
        let db = RootDatabase::new(loader.clone());
        let spawned = std::thread::Builder::new()
            .name("dvm-lsp-writer".into())
            .spawn(move || writer(db, rx, pub_tx, loader));
        if let Err(e) = spawned {
            eprintln!("dvm lsp: cannot start the writer thread: {e}");
        }
        Analysis { tx }
    }

    pub fn document(&self, path: PathBuf, version: i32, text: String) {
        let _ = self.tx.send(Msg::Document {
            path,
            version,
            text,
        });
    }

    pub fn close(&self, path: PathBuf) {
        let _ = self.tx.send(Msg::Close { path });
    }

    pub fn reload(&self, path: PathBuf) {
        let _ = self.tx.send(Msg::Reload { path });
    }

    pub fn set_root(&self, root: Option<PathBuf>) {
        let _ = self.tx.send(Msg::SetRoot(root));
    }

    async fn snapshot(&self) -> Option<RootDatabase> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.tx.send(Msg::Snapshot(tx)).ok()?;
        rx.await.ok()
    }

    /// Runs `f` on a snapshot, off the protocol's threads.
    pub async fn run<T: Send + 'static>(
        &self,
        what: &'static str,
        f: impl FnOnce(&RootDatabase) -> T + Send + 'static,
    ) -> Result<T, RunError> {
        let Some(db) = self.snapshot().await else {
            return Err(RunError::Failed);
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        let spawned = std::thread::Builder::new()
            .name(format!("dvm-lsp-{what}"))
            .stack_size(dvm_compiler::EVAL_STACK_BYTES)
            .spawn(move || {
                let out = catch(|| f(&db));
                drop(db);
                let _ = tx.send(out);
            });
        if let Err(e) = spawned {
            eprintln!("dvm lsp: cannot start a thread for {what}: {e}");
            return Err(RunError::Failed);
        }
        match tokio::time::timeout(REQUEST_TIMEOUT, rx).await {
            Ok(Ok(Caught::Done(v))) => Ok(v),
            Ok(Ok(Caught::Cancelled)) => Err(RunError::Cancelled),
            Ok(Ok(Caught::Panicked(msg))) => {
                eprintln!("dvm lsp: bug: {what} panicked: {msg}");
                Err(RunError::Failed)
            }
            Ok(Err(_)) => Err(RunError::Failed),
            Err(_) => {
                eprintln!("dvm lsp: {what} took longer than {REQUEST_TIMEOUT:?}; answered empty");
                Err(RunError::Failed)
            }
        }
    }
}

impl RunError {
    /// The protocol answer: `ContentModified` for a cancelled request,
    /// an empty result otherwise.
    pub fn answer<T>(self) -> jsonrpc::Result<Option<T>> {
        match self {
            RunError::Cancelled => Err(jsonrpc::Error::content_modified()),
            RunError::Failed => Ok(None),
        }
    }
}

enum Caught<T> {
    Done(T),
    Cancelled,
    Panicked(String),
}

fn catch<T>(f: impl FnOnce() -> T) -> Caught<T> {
    match std::panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => Caught::Done(v),
        Err(payload) => {
            if payload.downcast_ref::<salsa::Cancelled>().is_some() {
                Caught::Cancelled
            } else if let Some(s) = payload.downcast_ref::<&str>() {
                BUGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Caught::Panicked((*s).to_string())
            } else if let Some(s) = payload.downcast_ref::<String>() {
                BUGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Caught::Panicked(s.clone())
            } else {
                BUGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Caught::Panicked("unknown panic".into())
            }
        }
    }
}

/// `dvm/checked`: sent after every diagnostic of a revision (all stages)
/// is published, so tests and benchmarks know when a check is complete.
/// Clients may ignore it.
pub enum Checked {}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct CheckedParams {
    pub revision: u64,
}

impl lsp::notification::Notification for Checked {
    type Params = CheckedParams;
    const METHOD: &'static str = "dvm/checked";
}

/// One publication: diagnostics for some files at some revision.
struct Publish {
    revision: u64,
    /// Only some files (the fast phase): files not listed keep theirs.
    partial: bool,
    files: Vec<(lsp::Uri, Option<i32>, Vec<lsp::Diagnostic>)>,
}

async fn publisher(client: Client, mut rx: tokio::sync::mpsc::UnboundedReceiver<Publish>) {
    let mut last = 0u64;
    let mut nonempty: HashSet<lsp::Uri> = HashSet::new();
    while let Some(p) = rx.recv().await {
        if p.revision < last {
            continue;
        }
        last = p.revision;
        let listed: HashSet<lsp::Uri> = p.files.iter().map(|(u, _, _)| u.clone()).collect();
        for (uri, version, diags) in p.files {
            if diags.is_empty() {
                nonempty.remove(&uri);
            } else {
                nonempty.insert(uri.clone());
            }
            client.publish_diagnostics(uri, diags, version).await;
        }
        if !p.partial {
            let gone: Vec<lsp::Uri> = nonempty.difference(&listed).cloned().collect();
            for uri in gone {
                nonempty.remove(&uri);
                client.publish_diagnostics(uri, Vec::new(), None).await;
            }
            client
                .send_notification::<Checked>(CheckedParams {
                    revision: p.revision,
                })
                .await;
        }
    }
}

struct Writer {
    db: RootDatabase,
    loader: Arc<dyn SourceLoader>,
    /// Open documents and their versions.
    open: BTreeMap<PathBuf, i32>,
    root: Option<PathBuf>,
    revision: u64,
    /// Graph diagnostics of the last finished check, by file: shown with
    /// the fast phase until the next check replaces them.
    last_graph: Arc<Mutex<BTreeMap<PathBuf, Vec<Diagnostic>>>>,
    publish: tokio::sync::mpsc::UnboundedSender<Publish>,
}

fn writer(
    db: RootDatabase,
    rx: mpsc::Receiver<Msg>,
    publish: tokio::sync::mpsc::UnboundedSender<Publish>,
    loader: Arc<dyn SourceLoader>,
) {
    let mut w = Writer {
        db,
        loader,
        open: BTreeMap::new(),
        root: None,
        revision: 0,
        last_graph: Arc::default(),
        publish,
    };
    while let Ok(first) = rx.recv() {
        let mut changed = w.apply(first);
        // Apply everything already queued before checking once.
        while let Ok(next) = rx.try_recv() {
            changed |= w.apply(next);
        }
        if changed {
            w.revision += 1;
            w.check();
        }
    }
}

impl Writer {
    /// Applies one message; whether the files changed.
    fn apply(&mut self, msg: Msg) -> bool {
        match msg {
            Msg::Document {
                path,
                version,
                text,
            } => {
                if self.open.get(&path).is_some_and(|v| *v > version) {
                    return false;
                }
                self.open.insert(path.clone(), version);
                let file = self.db.file(&path);
                if file.contents(&self.db).text().map(|t| &**t) == Some(text.as_str()) {
                    return true;
                }
                self.db.set_text(&path, &text);
                true
            }
            Msg::Close { path } => {
                self.open.remove(&path);
                self.reload(&path);
                true
            }
            Msg::Reload { path } => {
                if self.open.contains_key(&path) {
                    return false;
                }
                self.reload(&path);
                true
            }
            Msg::SetRoot(root) => {
                self.root = root;
                // Checked with the next document.
                false
            }
            Msg::Snapshot(reply) => {
                let _ = reply.send(self.db.clone());
                false
            }
        }
    }

    fn reload(&mut self, path: &Path) {
        use salsa::Setter;
        let contents = self.loader.load(path);
        let file = self.db.file(path);
        if file.contents(&self.db) != &contents {
            file.set_contents(&mut self.db).to(contents);
        }
    }

    /// Starts a diagnostics job for the current revision on a snapshot.
    fn check(&mut self) {
        let job = Job {
            db: self.db.clone(),
            revision: self.revision,
            open: self.open.clone(),
            root_main: self.root.as_ref().map(|r| r.join("main.dvm")),
            last_graph: self.last_graph.clone(),
            publish: self.publish.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name("dvm-lsp-check".into())
            .stack_size(dvm_compiler::EVAL_STACK_BYTES)
            .spawn(move || {
                if let Caught::Panicked(msg) = catch(move || job.run()) {
                    eprintln!("dvm lsp: bug: the diagnostics job panicked: {msg}");
                }
            });
        if let Err(e) = spawned {
            eprintln!("dvm lsp: cannot start the diagnostics job: {e}");
        }
    }
}

struct Job {
    db: RootDatabase,
    revision: u64,
    open: BTreeMap<PathBuf, i32>,
    root_main: Option<PathBuf>,
    last_graph: Arc<Mutex<BTreeMap<PathBuf, Vec<Diagnostic>>>>,
    publish: tokio::sync::mpsc::UnboundedSender<Publish>,
}

impl Job {
    fn run(self) {
        let db = &self.db;
        // Phase 1: syntax, names and types of each open file, with the
        // last graph diagnostics until new ones exist.
        let statics: BTreeMap<PathBuf, Vec<Diagnostic>> = self
            .open
            .keys()
            .map(|path| {
                (
                    path.clone(),
                    ide_diag::static_diagnostics(db, db.file(path)),
                )
            })
            .collect();
        let mut first = statics.clone();
        if let Ok(last) = self.last_graph.lock() {
            for (path, diags) in first.iter_mut() {
                if let Some(g) = last.get(path) {
                    diags.extend(g.iter().cloned());
                    dvm_compiler::diag::normalize(diags);
                }
            }
        }
        self.send(&first, true);
        // Phase 2: evaluation and the graph, from each entry.
        let mut entries: Vec<PathBuf> = self.open.keys().cloned().collect();
        if let Some(main) = &self.root_main
            && !entries.contains(main)
            && db.file(main).contents(db).text().is_some()
        {
            entries.push(main.clone());
        }
        let mut graph: Vec<(PathBuf, Diagnostic)> = Vec::new();
        for entry in &entries {
            let file = db.file(entry);
            if !matches!(file.contents(db), FileContents::Text(_)) {
                continue;
            }
            for d in ide_diag::graph_diagnostics(db, file) {
                graph.push((entry.clone(), d));
            }
        }
        let mut graph_by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for (entry, d) in graph {
            for (path, ds) in ide_diag::by_file([d], &entry) {
                graph_by_file.entry(path).or_default().extend(ds);
            }
        }
        let mut all = statics;
        for (path, ds) in &graph_by_file {
            all.entry(path.clone())
                .or_default()
                .extend(ds.iter().cloned());
        }
        for ds in all.values_mut() {
            dvm_compiler::diag::normalize(ds);
        }
        if let Ok(mut last) = self.last_graph.lock() {
            *last = graph_by_file;
        }
        self.send(&all, false);
    }

    fn send(&self, files: &BTreeMap<PathBuf, Vec<Diagnostic>>, partial: bool) {
        let db = &self.db;
        let text_of = |p: &Path| db.file(p).contents(db).text().cloned();
        let mut out = Vec::new();
        for (path, diags) in files {
            // Diagnostics in the embedded stdlib are not the user's to fix.
            if dvm_compiler::embedded::contains(path) {
                continue;
            }
            let Some(uri) = convert::uri_of(path) else {
                continue;
            };
            let text = text_of(path).unwrap_or_else(|| Arc::from(""));
            let index = LineIndex::new(&text);
            let converted = diags
                .iter()
                .map(|d| convert::diagnostic(d, &index, &text_of))
                .collect();
            out.push((uri, self.open.get(path).copied(), converted));
        }
        let _ = self.publish.send(Publish {
            revision: self.revision,
            partial,
            files: out,
        });
    }
}

/// Reads a file through the disk loader (for unknown URIs).
pub fn disk_loader() -> Arc<dyn SourceLoader> {
    Arc::new(DiskLoader)
}
