//! The salsa database: its inputs ([`SourceFile`], [`Settings`]) and the
//! tracked queries from text up.
//!
//! Queries, and why they are split so:
//! - [`parse`] per file: the syntax tree and syntax errors.
//! - [`lower`] per file: resolved IR plus source map (spans, name errors).
//! - [`module`] per file: only the position-free IR, so an edit that moves
//!   text without changing meaning produces an equal value and salsa skips
//!   every dependent query.
//! - [`evaluate`] per request (entry file + attribute path): the deeply
//!   forced value and every diagnostic. Files it imports are read through
//!   [`Db::file`], so editing any of them invalidates it.
//!
//! The CLI and the LSP share this database. This module reads no files
//! itself: [`crate::source::SourceLoader`] does.

use crate::diag::{Diagnostic, FileName};
use crate::hir::{self, Lowered, Module};
use crate::source::{FileContents, SourceLoader};
use crate::syntax::{self, ast};
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// One source file: its absolute path and what reading it gave.
#[salsa::input(debug)]
pub struct SourceFile {
    #[returns(ref)]
    pub path: PathBuf,
    #[returns(ref)]
    pub contents: FileContents,
}

/// A value given on the command line for the entry function's arguments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ArgValue {
    /// `--arg NAME EXPR`: source text of an expression.
    Expr(String),
    /// `--argstr NAME STR`
    Str(String),
}

/// Settings that affect evaluation.
#[salsa::input(debug)]
pub struct Settings {
    /// `-I` entries then `DVM_PATH` entries, in lookup order. An entry is a
    /// directory, or `name=dir` binding a prefix.
    #[returns(ref)]
    pub search_path: Vec<String>,
    /// `--arg`/`--argstr` values, by name.
    #[returns(ref)]
    pub args: Vec<(String, ArgValue)>,
}

#[salsa::db]
pub trait Db: salsa::Database {
    /// The input for an absolute path, created (and read) on first use.
    fn file(&self, path: &Path) -> SourceFile;
    fn settings(&self) -> Settings;
}

#[salsa::db]
#[derive(Clone)]
pub struct RootDatabase {
    storage: salsa::Storage<Self>,
    files: Arc<Mutex<FxHashMap<PathBuf, SourceFile>>>,
    loader: Arc<dyn SourceLoader>,
    settings: Arc<OnceLock<Settings>>,
}

#[salsa::db]
impl salsa::Database for RootDatabase {}

impl RootDatabase {
    pub fn new(loader: Arc<dyn SourceLoader>) -> RootDatabase {
        RootDatabase::with_storage(loader, salsa::Storage::default())
    }

    /// A database that reports every query it executes to `log` (tests
    /// assert incrementality this way).
    pub fn with_execution_log(
        loader: Arc<dyn SourceLoader>,
        log: Arc<Mutex<Vec<String>>>,
    ) -> RootDatabase {
        let storage = salsa::Storage::new(Some(Box::new(move |event: salsa::Event| {
            if let salsa::EventKind::WillExecute { database_key } = event.kind
                && let Ok(mut log) = log.lock()
            {
                log.push(format!("{database_key:?}"));
            }
        })));
        RootDatabase::with_storage(loader, storage)
    }

    fn with_storage(loader: Arc<dyn SourceLoader>, storage: salsa::Storage<Self>) -> RootDatabase {
        RootDatabase {
            storage,
            files: Arc::default(),
            loader,
            settings: Arc::default(),
        }
    }

    /// Sets the text of a file (an editor buffer, `--expr`, `--arg`).
    pub fn set_text(&mut self, path: &Path, text: &str) -> SourceFile {
        use salsa::Setter;
        let file = self.file(path);
        file.set_contents(self)
            .to(FileContents::Text(Arc::from(text)));
        file
    }

    pub fn set_search_path(&mut self, entries: Vec<String>) {
        use salsa::Setter;
        let s = self.settings();
        s.set_search_path(self).to(entries);
    }

    pub fn set_args(&mut self, args: Vec<(String, ArgValue)>) {
        use salsa::Setter;
        let s = self.settings();
        s.set_args(self).to(args);
    }
}

#[salsa::db]
impl Db for RootDatabase {
    fn file(&self, path: &Path) -> SourceFile {
        let mut files = match self.files.lock() {
            Ok(f) => f,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(f) = files.get(path) {
            return *f;
        }
        let contents = if crate::embedded::contains(path) {
            match crate::embedded::lookup(path) {
                Some(text) => FileContents::Text(Arc::from(text)),
                None => FileContents::Missing,
            }
        } else {
            self.loader.load(path)
        };
        let f = SourceFile::new(self, path.to_path_buf(), contents);
        files.insert(path.to_path_buf(), f);
        f
    }
    fn settings(&self) -> Settings {
        *self
            .settings
            .get_or_init(|| Settings::new(self, Vec::new(), Vec::new()))
    }
}

/// The name a file is shown under in diagnostics.
pub fn display_name(db: &dyn Db, file: SourceFile) -> FileName {
    display_path(file.path(db))
}

/// A path as the user would write it: relative to the working directory
/// when that is short (below it, `.` for itself, or at most two `..` up),
/// else absolute.
pub fn display_path(path: &Path) -> FileName {
    if let Some(shown) = crate::embedded::display(path) {
        return Arc::from(shown);
    }
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| pathdiff::diff_paths(path, cwd))
        .filter(|rel| {
            rel.components()
                .take_while(|c| matches!(c, std::path::Component::ParentDir))
                .count()
                <= 2
        });
    let shown = match relative {
        Some(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Some(rel) => rel,
        None => path.to_path_buf(),
    };
    // Virtual files (`<expr>`, `<arg x>`) show their bare name.
    match shown.file_name().and_then(|n| n.to_str()) {
        Some(n) if n.starts_with('<') => Arc::from(n),
        _ => Arc::from(shown.to_string_lossy().as_ref()),
    }
}

/// The syntax tree of a file and its syntax errors. A file that cannot be
/// read parses as an error node with the reason as its diagnostic.
#[salsa::tracked(returns(ref))]
pub fn parse(db: &dyn Db, file: SourceFile) -> ast::Parse {
    let name = display_name(db, file);
    match file.contents(db) {
        FileContents::Text(text) => syntax::parse(&name, text),
        other => ast::Parse {
            root: ast::Expr {
                kind: ast::ExprKind::Error,
                span: ast::Span::default(),
            },
            errors: vec![crate::eval::unreadable(&name, other)],
        },
    }
}

/// Resolved IR and source map of a file.
#[salsa::tracked(returns(ref))]
pub fn lower(db: &dyn Db, file: SourceFile) -> Lowered {
    let parsed = parse(db, file);
    let name = display_name(db, file);
    let dir = file
        .path(db)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    hir::lower::lower(&parsed.root, &name, &dir)
}

/// The position-free IR of a file (see the module doc for why it is split).
#[salsa::tracked(returns(ref))]
pub fn module(db: &dyn Db, file: SourceFile) -> Arc<Module> {
    lower(db, file).module.clone()
}

/// Every syntax, name and static type diagnostic of one file.
pub fn file_diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let mut out = parse(db, file).errors.clone();
    out.extend(lower(db, file).source_map.diagnostics.iter().cloned());
    // Types are checked only in files that parse and resolve: a broken
    // tree would only give follow-on errors.
    if !out.iter().any(Diagnostic::is_error) {
        out.extend(crate::types::type_diagnostics(db, file));
    }
    out
}

/// Resolves `<a/b>` against the `-I`/`DVM_PATH` entries, then the
/// embedded stdlib: `a/b.dvm`, else `a/b` (a directory means its
/// `main.dvm`, as for `import`).
pub fn resolve_search_path(db: &dyn Db, text: &str) -> Option<PathBuf> {
    let settings = db.settings();
    for entry in settings.search_path(db) {
        let candidate = match entry.split_once('=') {
            Some((prefix, dir)) => {
                if text == prefix {
                    PathBuf::from(dir)
                } else if let Some(rest) =
                    text.strip_prefix(prefix).and_then(|r| r.strip_prefix('/'))
                {
                    Path::new(dir).join(rest)
                } else {
                    continue;
                }
            }
            None => Path::new(entry).join(text),
        };
        let with_ext = PathBuf::from(format!("{}.dvm", candidate.display()));
        for c in [with_ext, candidate.clone()] {
            let f = db.file(&c);
            match f.contents(db) {
                FileContents::Missing => {}
                _ => return Some(c),
            }
        }
    }
    crate::embedded::search(text)
}

/// The file `import path` reads: a directory means its `main.dvm`.
pub fn import_target(db: &dyn Db, path: &Path) -> SourceFile {
    let file = db.file(path);
    if let FileContents::Directory = file.contents(db) {
        return db.file(&path.join("main.dvm"));
    }
    file
}

/// What to evaluate: an entry file and an attribute path into its value.
#[salsa::interned(debug)]
pub struct EvalRequest {
    #[returns(copy)]
    pub entry: SourceFile,
    #[returns(ref)]
    pub attr_path: Vec<String>,
}

/// The result of an evaluation: the deeply forced value (absent when it
/// failed) and every diagnostic of every file involved, sorted.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalOutput {
    pub value: Option<Arc<crate::data::Data>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The resolved graph of an entry file (absent when evaluation or
/// resolution failed) and every diagnostic of every stage.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphOutput {
    pub graph: Option<Arc<crate::graph::Graph>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Evaluates an entry file and resolves it into the graph; like
/// [`evaluate`], it must run on a thread with a large stack.
#[salsa::tracked(returns(ref))]
pub fn graph(db: &dyn Db, entry: SourceFile) -> GraphOutput {
    crate::eval::evaluate_graph(db, entry)
}

/// Evaluates a request. Must run on a thread with a large stack (see
/// [`crate::EVAL_STACK_BYTES`]): evaluation recurses, bounded by a depth
/// limit that is reported as a diagnostic.
#[salsa::tracked(returns(ref))]
pub fn evaluate<'db>(db: &'db dyn Db, request: EvalRequest<'db>) -> EvalOutput {
    crate::eval::evaluate(db, request.entry(db), request.attr_path(db))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemoryLoader;

    /// A query that depends only on the position-free IR, standing for
    /// everything downstream of lowering (type checking, the graph).
    #[salsa::tracked]
    fn ir_size(db: &dyn Db, file: SourceFile) -> usize {
        module(db, file).exprs.len()
    }

    fn setup() -> (RootDatabase, Arc<Mutex<Vec<String>>>) {
        let loader = MemoryLoader::new([
            (
                "/p/main.dvm".into(),
                "{ a = import ./lib.dvm; }".to_string(),
            ),
            ("/p/lib.dvm".into(), "let x = 20; in x + 1".to_string()),
        ]);
        let log = Arc::new(Mutex::new(Vec::new()));
        (
            RootDatabase::with_execution_log(Arc::new(loader), log.clone()),
            log,
        )
    }

    fn value(db: &RootDatabase) -> String {
        let main = db.file(Path::new("/p/main.dvm"));
        let out = evaluate(db, EvalRequest::new(db, main, Vec::new()));
        out.value
            .as_ref()
            .map(|v| v.to_json_string())
            .unwrap_or_default()
    }

    fn executed(log: &Mutex<Vec<String>>) -> Vec<String> {
        let mut l = log
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default();
        l.iter_mut()
            .for_each(|q| *q = q.split('(').next().unwrap_or_default().to_string());
        l
    }

    #[test]
    fn editing_an_import_reevaluates() {
        let (mut db, _) = setup();
        assert_eq!(value(&db), r#"{"a":21}"#);
        db.set_text(Path::new("/p/lib.dvm"), "let x = 40; in x + 2");
        assert_eq!(value(&db), r#"{"a":42}"#);
    }

    #[test]
    fn nothing_reruns_without_an_edit() {
        let (db, log) = setup();
        value(&db);
        executed(&log);
        value(&db);
        assert_eq!(executed(&log), Vec::<String>::new());
    }

    #[test]
    fn whitespace_edit_stops_at_lowering() {
        let (mut db, log) = setup();
        let lib = db.file(Path::new("/p/lib.dvm"));
        ir_size(&db, lib);
        executed(&log);
        db.set_text(
            Path::new("/p/lib.dvm"),
            "let  x = 20;\n in   x + 1 # same meaning",
        );
        ir_size(&db, lib);
        let ran = executed(&log);
        assert!(ran.contains(&"parse".to_string()), "{ran:?}");
        assert!(ran.contains(&"lower".to_string()), "{ran:?}");
        assert!(!ran.contains(&"ir_size".to_string()), "{ran:?}");
        // A real change does reach it.
        db.set_text(Path::new("/p/lib.dvm"), "let x = 20; in x + 1 + 1");
        ir_size(&db, lib);
        assert!(executed(&log).contains(&"ir_size".to_string()));
    }
}
