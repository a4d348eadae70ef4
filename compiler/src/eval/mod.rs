//! The evaluator: a lazy, call-by-need machine over [`crate::hir`].
//!
//! Abstract machine: `eval(expr, env)` computes the weak head normal form
//! of node `expr` in frame `env`. Anything not needed right away becomes a
//! [`Thunk`] (node + frame) forced at most once; forcing a thunk that is
//! being forced is infinite recursion, reported with the thunk's span.
//! Variables are `(up, slot)` frame addresses fixed by lowering; only names
//! under `with` are looked up by name. A depth counter bounds nested calls
//! and forcings; exceeding it is a diagnostic that shows the call chain,
//! never a stack overflow (the caller runs evaluation on a thread with a
//! large stack, [`crate::EVAL_STACK_BYTES`]).
//!
//! Files come only through the salsa db ([`crate::db::module`]); each file
//! is evaluated at most once per evaluation, and an import cycle names
//! every file in it. The machine knows nothing of the CLI or rendering:
//! it returns values and [`EvalError`]s.

pub mod builtins;
pub mod contract;
pub mod error;
pub mod ops;
pub mod output;
pub mod types;
pub mod value;
pub mod why;

use crate::codes::eval as codes;
use crate::db::{self, Db, SourceFile};
use crate::diag::{Diagnostic, FileName};
use crate::hir::{AttrsIr, ExprId, Ir, Key, LambdaIr, Lit, Module, ParamIr, Part, Slot, SourceMap};
use crate::intern::Sym;
use crate::source::FileContents;
use crate::syntax::ast::{BinaryOp, Span};
pub use error::{EResult, Error, EvalError};
use error::{add_trace, at_if_unset};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::{Rc, Weak};
use std::sync::Arc;
pub use value::{Attrs, Closure, Dim, Env, Frame, PrimOpApp, Thunk, ThunkState, UnitValue, Value};

/// Nested calls and forcings allowed before evaluation stops with a
/// depth-limit diagnostic.
pub const MAX_DEPTH: usize = 10_000;

/// One file's code as the machine uses it.
pub struct LoadedModule {
    pub file: SourceFile,
    pub name: FileName,
    pub dir: PathBuf,
    pub module: Arc<Module>,
    pub source_map: Arc<SourceMap>,
    pub text: Option<Arc<str>>,
}

impl LoadedModule {
    fn span(&self, id: ExprId) -> Span {
        self.source_map.span(id)
    }
}

pub struct Evaluator<'db> {
    pub db: &'db dyn Db,
    modules: FxHashMap<SourceFile, Rc<LoadedModule>>,
    /// The value of each imported file, forced at most once.
    imports: FxHashMap<SourceFile, Thunk>,
    /// Files whose top-level value is being computed, for cycle reports.
    importing: Vec<SourceFile>,

    depth: usize,
    /// Thunks of `let`/`rec` frames (they form `Rc` cycles with their
    /// frame); cleared when the evaluator is dropped.
    rec_thunks: Vec<Weak<RefCell<ThunkState>>>,
    rec_thunks_compacted_at: usize,
    globals: FxHashMap<Sym, Value>,
    builtins_set: Option<Value>,
    /// The project root: `readFile`/`pathExists` stay below it.
    pub root: PathBuf,
    /// `builtins.trace` messages, in order.
    pub traces: Vec<Diagnostic>,
    /// Optional budget of evaluation steps (fuzzing); `None` is unlimited.
    pub fuel: Option<u64>,
    /// Steps taken, so that a long evaluation checks every few thousand
    /// steps whether an edit cancelled it (the language server's
    /// snapshots unwind with `salsa::Cancelled` then).
    steps: u32,
    /// Values of `builtins.name` already looked up.
    builtin_cache: FxHashMap<Sym, Value>,
    sym_builtins: Sym,
    /// Compiled regular expressions of `match`/`split`, by source.
    pub regex_cache: FxHashMap<String, regex::Regex>,
    /// When set, forcing to data keeps functions (as
    /// [`crate::data::Data::Function`] handles into this list) instead of
    /// failing: graph resolution calls them back.
    pub kept_functions: Option<Vec<Value>>,
    /// Where each attribute's value came from, kept only for `dvm why`.
    pub provenance: Option<why::Provenance>,
    /// Largest string and list a single operation may build, so that
    /// doubling loops end in a diagnostic instead of exhausting memory.
    pub limits: Limits,
}

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_string_bytes: usize,
    pub max_list_len: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_string_bytes: 1 << 30,
            max_list_len: 1 << 27,
        }
    }
}

impl Drop for Evaluator<'_> {
    fn drop(&mut self) {
        // Break the `Rc` cycles of `let`/`rec` frames so they are freed.
        for weak in self.rec_thunks.drain(..) {
            if let Some(cell) = weak.upgrade()
                && let Ok(mut state) = cell.try_borrow_mut()
            {
                *state = ThunkState::Pending(None);
            }
        }
        for (_, thunk) in self.imports.drain() {
            if let Thunk::Lazy(cell) = thunk
                && let Ok(mut state) = cell.try_borrow_mut()
            {
                *state = ThunkState::Pending(None);
            }
        }
    }
}

/// Evaluates `entry` (calling it with the `--arg`s if it is a function),
/// selects `attr_path`, forces the result deeply and converts it to JSON
/// data. Returns every diagnostic of every file involved.
pub fn evaluate(db: &dyn Db, entry: SourceFile, attr_path: &[String]) -> db::EvalOutput {
    evaluate_with(db, entry, attr_path, None, Limits::default())
}

/// [`evaluate`] with a step budget and size limits (the fuzzer, and the
/// LSP later, bound runaway evaluations this way).
pub fn evaluate_with(
    db: &dyn Db,
    entry: SourceFile,
    attr_path: &[String],
    fuel: Option<u64>,
    limits: Limits,
) -> db::EvalOutput {
    let mut ev = Evaluator::new(db, project_root(db, entry));
    ev.fuel = fuel;
    ev.limits = limits;
    let result = ev.eval_entry(entry, attr_path);
    let (value, diagnostics) = finish(&mut ev, entry, result);
    db::EvalOutput {
        value: value.map(Arc::new),
        diagnostics,
    }
}

/// Evaluates `entry` and resolves its value into the object graph
/// (objects.md), calling back into the evaluator for `exports`
/// functions. The diagnostics are those of evaluation and of resolution.
pub fn evaluate_graph(db: &dyn Db, entry: SourceFile) -> db::GraphOutput {
    let mut ev = Evaluator::new(db, project_root(db, entry));
    ev.kept_functions = Some(Vec::new());
    let result = ev.eval_entry(entry, &[]);
    let kept = ev.kept_functions.take().unwrap_or_default();
    let (value, mut diagnostics) = finish(&mut ev, entry, result);
    let Some(data) = value else {
        return db::GraphOutput {
            graph: None,
            diagnostics,
        };
    };
    // A value that holds no ecosystem is not a platform (a library of
    // templates): say so once, and `dvm check` checks it as code only.
    if !crate::graph::is_platform(&data) {
        diagnostics.push(
            Diagnostic::error(
                crate::codes::graph::ROOT_NOT_ECOSYSTEM,
                "the value of this file is not an ecosystem",
            )
            .with_help(
                "a platform file's value is `Ecosystem { … }`, or a record of them keyed by name",
            ),
        );
        return db::GraphOutput {
            graph: None,
            diagnostics,
        };
    }
    let mut calls = EvalCalls { ev: &mut ev, kept };
    let resolved = crate::graph::resolve(&data, &default_ecosystem_name(db, entry), &mut calls);
    diagnostics.extend(resolved.diagnostics);
    crate::diag::normalize(&mut diagnostics);
    db::GraphOutput {
        graph: resolved.graph.map(Arc::new),
        diagnostics,
    }
}

/// An ecosystem's name when nothing else names it: the directory of a
/// `main.dvm`, else the file's name without `.dvm`.
fn default_ecosystem_name(db: &dyn Db, entry: SourceFile) -> String {
    let path = entry.path(db);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "main"
        && let Some(dir) = path.parent().and_then(|d| d.file_name())
    {
        return dir.to_string_lossy().into_owned();
    }
    stem
}

/// The graph resolver's way back into the evaluator.
struct EvalCalls<'a, 'db> {
    ev: &'a mut Evaluator<'db>,
    kept: Vec<Value>,
}

impl crate::graph::Calls for EvalCalls<'_, '_> {
    fn call(&mut self, func: u32, arg: crate::data::Data) -> Result<crate::data::Data, Diagnostic> {
        let Some(f) = self.kept.get(func as usize).cloned() else {
            return Err(Diagnostic::error(
                codes::INTERNAL,
                "internal error: unknown function handle",
            ));
        };
        let arg = data_value(&arg);
        self.ev
            .apply(f, Thunk::Ready(arg))
            .and_then(|v| output::to_json(self.ev, v))
            .map_err(|e| e.into_diagnostic())
    }
}

/// Plain data back into a value (the arguments the resolver passes).
fn data_value(d: &crate::data::Data) -> Value {
    use crate::data::Data;
    match d {
        Data::Null | Data::Function(_) => Value::Null,
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(i) => Value::Int(*i),
        Data::Float(f) => Value::Float(*f),
        Data::Str(s) => Value::str(s),
        Data::Secret(parts) => Value::Secret(parts.iter().cloned().collect()),
        Data::List(items) => Value::List(
            items
                .iter()
                .map(|i| Thunk::Ready(data_value(i)))
                .collect::<Vec<_>>()
                .into(),
        ),
        Data::Attrs(_) | Data::Object(_) => {
            let entries = d
                .fields()
                .unwrap_or_default()
                .iter()
                .map(|(k, v)| (*k, Thunk::Ready(data_value(v))))
                .collect();
            Value::Attrs(Rc::new(Attrs::from_unsorted(entries)))
        }
    }
}

fn project_root(db: &dyn Db, entry: SourceFile) -> PathBuf {
    entry
        .path(db)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// Collects every diagnostic of an evaluation: each file's syntax, name
/// and static type errors, then the run-time errors (without repeats of
/// static ones, and none after syntax errors). The value is kept only
/// when there is no error.
fn finish(
    ev: &mut Evaluator<'_>,
    entry: SourceFile,
    result: Result<crate::data::Data, Vec<Error>>,
) -> (Option<crate::data::Data>, Vec<Diagnostic>) {
    let db = ev.db;
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut files: Vec<SourceFile> = ev.modules.keys().copied().collect();
    if !files.contains(&entry) {
        files.push(entry);
    }
    for f in files {
        // An unreadable import is reported at its `import`; only the entry
        // file's own read error stands alone.
        if f != entry && f.contents(db).text().is_none() {
            continue;
        }
        diagnostics.extend(db::file_diagnostics(db, f));
    }
    // Evaluating a tree recovered from syntax errors gives follow-on errors
    // that only repeat them; report the syntax errors alone then.
    let syntax_broken = diagnostics
        .iter()
        .any(|d| d.is_error() && d.code.starts_with("E00"));
    // An error the static checker found is found again at run time (same
    // code, same place): report it once.
    let known: Vec<(&'static str, Option<crate::diag::Label>, String)> = diagnostics
        .iter()
        .map(|d| (d.code, d.primary.clone(), d.message.clone()))
        .collect();
    let value = match result {
        Ok(v) => Some(v),
        Err(errors) => {
            for e in errors {
                let seen = known
                    .iter()
                    .any(|(c, p, m)| *c == e.code && (*p == e.primary || *m == e.message));
                if !e.silent && !syntax_broken && !seen {
                    diagnostics.push(e.into_diagnostic());
                }
            }
            None
        }
    };
    let has_error = diagnostics.iter().any(Diagnostic::is_error);
    crate::diag::normalize(&mut diagnostics);
    let mut all = std::mem::take(&mut ev.traces);
    all.extend(diagnostics);
    (if has_error { None } else { value }, all)
}

impl<'db> Evaluator<'db> {
    pub fn new(db: &'db dyn Db, root: PathBuf) -> Evaluator<'db> {
        Evaluator {
            db,
            modules: FxHashMap::default(),
            imports: FxHashMap::default(),
            importing: Vec::new(),
            depth: 0,
            rec_thunks: Vec::new(),
            rec_thunks_compacted_at: 1024,
            globals: FxHashMap::default(),
            builtins_set: None,
            root,
            traces: Vec::new(),
            fuel: None,
            steps: 0,
            regex_cache: FxHashMap::default(),
            builtin_cache: FxHashMap::default(),
            sym_builtins: Sym::new("builtins"),
            limits: Limits::default(),
            kept_functions: None,
            provenance: None,
        }
    }

    /// Independent errors reported in one run at most.
    const MAX_ERRORS: usize = 50;

    fn eval_entry(
        &mut self,
        entry: SourceFile,
        attr_path: &[String],
    ) -> Result<crate::data::Data, Vec<Error>> {
        let value = self.entry_value(entry, attr_path).map_err(|e| vec![e])?;
        output::to_json_all(self, value, Self::MAX_ERRORS)
    }

    pub(crate) fn entry_value(
        &mut self,
        entry: SourceFile,
        attr_path: &[String],
    ) -> EResult<Value> {
        let thunk = self.import_file(entry, true)?;
        let mut value = self.force(&thunk)?;
        if matches!(value, Value::Lambda(_)) {
            value = self.auto_call(value)?;
        }
        for (i, key) in attr_path.iter().enumerate() {
            let Value::Attrs(attrs) = &value else {
                return EvalError::new(
                    codes::ATTR_PATH,
                    format!(
                        "`{}` is {}, not a set, so `{key}` cannot be selected",
                        shown_path(&attr_path[..i]),
                        value.describe()
                    ),
                )
                .err();
            };
            let Some(t) = attrs.get(Sym::new(key)) else {
                let names: Vec<&str> = attrs.entries.iter().map(|(k, _)| k.as_str()).collect();
                let mut e = EvalError::new(
                    codes::ATTR_PATH,
                    format!(
                        "attribute path `{}` does not exist",
                        shown_path(&attr_path[..=i])
                    ),
                );
                if let Some(close) = crate::diag::did_you_mean(key, names) {
                    e = e.help(format!("did you mean `{close}`?"));
                }
                return e.err();
            };
            let t = t.clone();
            value = self.force(&t)?;
        }
        Ok(value)
    }

    /// Calls the entry function with `--arg`/`--argstr` values, as Nix's
    /// auto-call does: only the arguments its pattern names are passed.
    fn auto_call(&mut self, func: Value) -> EResult<Value> {
        let Value::Lambda(closure) = &func else {
            return Ok(func);
        };
        let ParamIr::Pattern {
            fields, ellipsis, ..
        } = &closure.lambda.param
        else {
            return Ok(func);
        };
        let settings = self.db.settings();
        let mut entries = Vec::new();
        for (name, arg) in settings.args(self.db) {
            let sym = Sym::new(name);
            if !*ellipsis && !fields.iter().any(|f| f.name == sym) {
                continue;
            }
            let thunk = match arg {
                db::ArgValue::Str(s) => Thunk::Ready(Value::str(s)),
                db::ArgValue::Expr(_) => {
                    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
                    let file = self.db.file(&cwd.join(format!("<arg {name}>")));
                    self.import_file(file, false)?
                }
            };
            entries.push((sym, thunk));
        }
        let arg = Thunk::Ready(Value::Attrs(Rc::new(Attrs::from_unsorted(entries))));
        self.apply(func, arg)
    }

    // ---- files -------------------------------------------------------

    fn load(&mut self, file: SourceFile) -> Rc<LoadedModule> {
        if let Some(m) = self.modules.get(&file) {
            return m.clone();
        }
        let lowered = db::lower(self.db, file);
        let module = db::module(self.db, file).clone();
        let dir = file
            .path(self.db)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        let m = Rc::new(LoadedModule {
            file,
            name: db::display_name(self.db, file),
            dir,
            module,
            source_map: lowered.source_map.clone(),
            text: file.contents(self.db).text().cloned(),
        });
        self.modules.insert(file, m.clone());
        m
    }

    /// The (lazy) value of a file, evaluated once per evaluation. The entry
    /// file's read errors are reported by the parse query; an imported
    /// file's become an error at the `import` that asked for it.
    pub fn import_file(&mut self, file: SourceFile, entry: bool) -> EResult<Thunk> {
        if let Some(t) = self.imports.get(&file) {
            let t = t.clone();
            if let Some(pos) = self.importing.iter().position(|f| *f == file) {
                return Err(self.import_cycle(pos));
            }
            return Ok(t);
        }
        if file.contents(self.db).text().is_none() {
            let name = db::display_name(self.db, file);
            let d = unreadable(&name, file.contents(self.db));
            let mut e = EvalError::new(d.code, d.message).label("imported here");
            e.help = d.help;
            e.silent = entry;
            return e.err();
        }
        let module = self.load(file);
        let root = module.module.root;
        let env = Rc::new(Frame::root(module));
        let thunk = Thunk::new(root, env);
        self.imports.insert(file, thunk.clone());
        // Force the top level now, tracking the import chain for cycles.
        self.importing.push(file);
        let res = self.force(&thunk);
        self.importing.pop();
        res?;
        Ok(thunk)
    }

    fn import_cycle(&self, pos: usize) -> Error {
        let files: Vec<String> = self.importing[pos..]
            .iter()
            .map(|f| db::display_name(self.db, *f).to_string())
            .collect();
        let mut chain = files.join(" → ");
        chain.push_str(" → ");
        chain.push_str(&files[0]);
        let e = EvalError::new(codes::IMPORT_CYCLE, format!("import cycle: {chain}"))
            .label("this import closes the cycle")
            .help(
                "break the cycle: move what both files need into a third file that imports neither",
            );
        Rc::new(e)
    }

    /// Resolves `<a/b>` (see [`db::resolve_search_path`]).
    fn search_path(&mut self, text: &str) -> Option<PathBuf> {
        db::resolve_search_path(self.db, text)
    }

    // ---- the machine -----------------------------------------------------

    /// Fails when a string of `len` bytes would exceed the limit.
    pub fn check_string(&self, len: usize) -> EResult<()> {
        if len > self.limits.max_string_bytes {
            return EvalError::new(
                codes::TOO_BIG,
                format!(
                    "a string of {len} bytes exceeds the limit of {} bytes",
                    self.limits.max_string_bytes
                ),
            )
            .label("this builds the string")
            .err();
        }
        Ok(())
    }

    /// Fails when a list of `len` elements would exceed the limit.
    pub fn check_list(&self, len: usize) -> EResult<()> {
        if len > self.limits.max_list_len {
            return EvalError::new(
                codes::TOO_BIG,
                format!(
                    "a list of {len} elements exceeds the limit of {}",
                    self.limits.max_list_len
                ),
            )
            .label("this builds the list")
            .err();
        }
        Ok(())
    }

    /// Enters one level of nesting (undone with `self.depth -= 1`); on
    /// error the depth is left unchanged.
    fn enter(&mut self) -> EResult<()> {
        if self.depth >= MAX_DEPTH {
            return EvalError::new(
                codes::DEPTH_LIMIT,
                format!("evaluation went deeper than {MAX_DEPTH} nested calls"),
            )
            .label("the limit was reached here")
            .help("this is usually a function that calls itself without a base case")
            .err();
        }
        if let Some(fuel) = &mut self.fuel {
            if *fuel == 0 {
                return EvalError::new(codes::OUT_OF_FUEL, "evaluation step budget exhausted")
                    .err();
            }
            *fuel -= 1;
        }
        self.steps = self.steps.wrapping_add(1);
        if self.steps.is_multiple_of(4096) {
            self.db.unwind_if_revision_cancelled();
        }
        self.depth += 1;
        Ok(())
    }

    pub fn force(&mut self, thunk: &Thunk) -> EResult<Value> {
        let cell = match thunk {
            Thunk::Ready(v) => return Ok(v.clone()),
            Thunk::Lazy(cell) => cell,
        };
        {
            let st = cell.borrow();
            match &*st {
                ThunkState::Done(v) => return Ok(v.clone()),
                ThunkState::Failed(e) => return Err(e.clone()),
                ThunkState::Pending(site) => {
                    let mut e = EvalError::new(codes::INFINITE_RECURSION, "infinite recursion: this value depends on itself")
                        .label("needed while computing this value")
                        .help("a binding must not need its own value to compute it (e.g. `let x = x; in x`)");
                    if let Some((m, id)) = site {
                        e = e.at(&m.name, m.span(*id));
                    }
                    return e.err();
                }
                _ => {}
            }
        };
        // Enter before marking the thunk pending: a depth-limit error must
        // not leave it looking like infinite recursion.
        self.enter()?;
        let state = {
            let mut st = cell.borrow_mut();
            let site = match &*st {
                ThunkState::Waiting(id, env) => Some((env.module.clone(), *id)),
                ThunkState::Checked(c) => contract::lit_of(&c.0),
                _ => None,
            };
            std::mem::replace(&mut *st, ThunkState::Pending(site))
        };
        let res = match state {
            ThunkState::Waiting(id, env) => self.eval(id, &env),
            ThunkState::Apply(f, arg) => self.apply(f, arg),
            ThunkState::ApplyThunk(f, arg) => self.force(&f).and_then(|f| self.apply(f, arg)),
            ThunkState::Apply2(call) => {
                let (f, a, b) = *call;
                self.apply(f, a).and_then(|g| self.apply(g, b))
            }
            ThunkState::Select(t, name) => self.force(&t).and_then(|v| self.select_one(v, name)),
            ThunkState::Checked(c) => {
                let (t, ty, cx) = *c;
                self.force_checked(&t, &ty, &cx)
            }
            ThunkState::Done(_) | ThunkState::Failed(_) | ThunkState::Pending(_) => EvalError::new(
                codes::INTERNAL,
                "internal error: thunk in an unexpected state",
            )
            .err(),
        };
        self.depth -= 1;
        let res = match res {
            Err(e) if e.code == codes::INFINITE_RECURSION => {
                let site = match &*cell.borrow() {
                    ThunkState::Pending(Some((m, id))) => Some(location(m, *id)),
                    _ => None,
                };
                match site {
                    Some(site) => Err(add_trace(e, || format!("needed by the value at {site}"))),
                    None => Err(e),
                }
            }
            other => other,
        };
        *cell.borrow_mut() = match &res {
            Ok(v) => ThunkState::Done(v.clone()),
            Err(e) => ThunkState::Failed(e.clone()),
        };
        res
    }

    /// A thunk for `id` in `env`, or the value itself when it is cheap and
    /// needs no frame (literals, variables).
    fn thunk(&mut self, id: ExprId, env: &Env) -> Thunk {
        match env.module.module.get(id) {
            Ir::Lit(l) => Thunk::Ready(lit_value(l)),
            Ir::Var { up, slot } => match lookup(env, *up, *slot) {
                Some(t) => t,
                None => Thunk::new(id, env.clone()),
            },
            Ir::Lambda(l) => Thunk::Ready(Value::Lambda(Rc::new(Closure {
                lambda: l.clone(),
                env: env.clone(),
            }))),
            Ir::Binary { op, lhs, rhs } => match self.speculate(*op, *lhs, *rhs, env) {
                Some(v) => Thunk::Ready(v),
                None => Thunk::new(id, env.clone()),
            },
            _ => Thunk::new(id, env.clone()),
        }
    }

    /// Computes `lhs op rhs` now instead of allocating a thunk, when both
    /// sides are literals or already-computed variables holding numbers and
    /// the operation succeeds. Pure, cheap and total on that domain, so
    /// laziness cannot be observed; any failure (overflow, division by
    /// zero) falls back to a thunk so the error stays where Nix puts it.
    fn speculate(&self, op: BinaryOp, lhs: ExprId, rhs: ExprId, env: &Env) -> Option<Value> {
        let known = |id: ExprId| -> Option<Value> {
            match env.module.module.get(id) {
                Ir::Lit(l @ (Lit::Int(_) | Lit::Float(_))) => Some(lit_value(l)),
                Ir::Var { up, slot } => match lookup_ref(env, *up, *slot)?.peek()? {
                    v @ (Value::Int(_) | Value::Float(_)) => Some(v),
                    _ => None,
                },
                _ => None,
            }
        };
        let (l, r) = (known(lhs)?, known(rhs)?);
        match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                ops::arith(op, l, r).ok()
            }
            BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::Eq
            | BinaryOp::Ne => {
                let (x, y) = match (&l, &r) {
                    (Value::Int(a), Value::Int(b)) => (*a as f64, *b as f64),
                    (Value::Int(a), Value::Float(b)) => (*a as f64, *b),
                    (Value::Float(a), Value::Int(b)) => (*a, *b as f64),
                    (Value::Float(a), Value::Float(b)) => (*a, *b),
                    _ => return None,
                };
                if let (Value::Int(a), Value::Int(b)) = (&l, &r) {
                    let c = a.cmp(b);
                    return Some(Value::Bool(match op {
                        BinaryOp::Lt => c.is_lt(),
                        BinaryOp::Le => c.is_le(),
                        BinaryOp::Gt => c.is_gt(),
                        BinaryOp::Ge => c.is_ge(),
                        BinaryOp::Eq => c.is_eq(),
                        _ => c.is_ne(),
                    }));
                }
                Some(Value::Bool(match op {
                    BinaryOp::Lt => x < y,
                    BinaryOp::Le => x <= y,
                    BinaryOp::Gt => x > y,
                    BinaryOp::Ge => x >= y,
                    BinaryOp::Eq => x == y,
                    _ => x != y,
                }))
            }
            _ => None,
        }
    }

    pub fn eval(&mut self, id: ExprId, env: &Env) -> EResult<Value> {
        let res = self.eval_inner(id, env, &env.module);
        res.map_err(|e| at_if_unset(e, &env.module.name, env.module.span(id)))
    }

    fn eval_inner(&mut self, id: ExprId, env: &Env, m: &Rc<LoadedModule>) -> EResult<Value> {
        match m.module.get(id) {
            Ir::Error => {
                let mut e = EvalError::new(
                    codes::SYNTAX_OR_NAME,
                    "cannot evaluate code that has errors",
                );
                e.silent = true;
                e.err()
            }
            Ir::Lit(l) => Ok(lit_value(l)),
            Ir::Unit {
                number,
                text,
                suffix,
            } => ops::unit_literal(*number, text, suffix),
            Ir::SearchPath(text) => match self.search_path(text) {
                Some(p) => Ok(Value::Path(Rc::from(
                    crate::hir::lower::normalize_path(&p).as_str(),
                ))),
                None => EvalError::new(
                    codes::SEARCH_PATH,
                    format!("`<{text}>` was not found in the search path"),
                )
                .label("not found")
                .help("add a directory with `-I DIR` or the `DVM_PATH` environment variable")
                .err(),
            },
            Ir::Var { up, slot } => match lookup_ref(env, *up, *slot) {
                Some(t) => self.force(t),
                None => EvalError::new(codes::INTERNAL, "internal error: unbound slot").err(),
            },
            Ir::Global(name) => self.global(*name),
            Ir::WithVar { name, withs } => {
                for up in withs.iter() {
                    let Some(t) = lookup(env, *up, 0) else {
                        continue;
                    };
                    let v = self.force(&t)?;
                    if let Value::Attrs(a) = &v {
                        if let Some(t) = a.get(*name) {
                            let t = t.clone();
                            return self.force(&t);
                        }
                    } else {
                        return EvalError::new(
                            codes::TYPE_MISMATCH,
                            format!("`with` needs a set, but this is {}", v.describe()),
                        )
                        .err();
                    }
                }
                EvalError::new(
                    codes::UNDEFINED_WITH,
                    format!("undefined variable `{name}`"),
                )
                .label("not defined here, and no enclosing `with` has it")
                .err()
            }
            Ir::Select {
                expr,
                path,
                default,
            } => {
                // `builtins.name` is looked up once per evaluation, not by
                // searching the builtins set each time.
                let mut keys: &[Key] = path;
                let mut v = match (m.module.get(*expr), path.first()) {
                    (Ir::Global(g), Some(Key::Static(k))) if *g == self.sym_builtins => {
                        match self.builtin(*k) {
                            Some(v) => {
                                keys = &path[1..];
                                v
                            }
                            None => self.eval(*expr, env)?,
                        }
                    }
                    _ => self.eval(*expr, env)?,
                };
                for key in keys.iter() {
                    let name = self.key(key, env)?;
                    match &v {
                        Value::Attrs(a) => match a.get(name) {
                            Some(t) => {
                                let t = t.clone();
                                v = self.force(&t)?;
                            }
                            None if let Some(method) = template_method(a, &v, name) => {
                                v = method;
                            }
                            None => {
                                if let Some(d) = default {
                                    return self.eval(*d, env);
                                }
                                return Err(missing_attr(a, name));
                            }
                        },
                        other => {
                            if let Some(d) = default {
                                return self.eval(*d, env);
                            }
                            return EvalError::new(
                                codes::TYPE_MISMATCH,
                                format!(
                                    "cannot select `{name}`: the value is {}, not a set",
                                    other.describe()
                                ),
                            )
                            .err();
                        }
                    }
                }
                Ok(v)
            }
            Ir::HasAttr { expr, path } => {
                // Intermediate values are forced; the last one is not.
                let mut v = self.eval(*expr, env)?;
                for (i, key) in path.iter().enumerate() {
                    let name = self.key(key, env)?;
                    let found = match &v {
                        Value::Attrs(a) => a.get(name).cloned(),
                        _ => None,
                    };
                    match found {
                        None => return Ok(Value::Bool(false)),
                        Some(_) if i + 1 == path.len() => return Ok(Value::Bool(true)),
                        Some(t) => v = self.force(&t)?,
                    }
                }
                Ok(Value::Bool(true))
            }
            Ir::Apply { func, args } => {
                let mut f = self.eval(*func, env)?;
                let mut rest: &[ExprId] = args;
                while let Some((first, tail)) = rest.split_first() {
                    // A builtin given all its arguments at once is called
                    // directly, without building partial applications.
                    if let Value::PrimOp(p) = &f
                        && p.args.is_empty()
                        && p.op.arity <= rest.len()
                    {
                        let op = p.op;
                        let call_args: smallvec::SmallVec<[Thunk; 3]> = rest[..op.arity]
                            .iter()
                            .map(|a| self.thunk(*a, env))
                            .collect();
                        self.enter()?;
                        let res = (op.func)(self, &call_args);
                        self.depth -= 1;
                        f = res.map_err(|e| at_if_unset(e, &m.name, m.span(id)))?;
                        rest = &rest[op.arity..];
                        continue;
                    }
                    let a = self.thunk(*first, env);
                    let site = types::Loc {
                        file: m.name.clone(),
                        span: m.span(id),
                    };
                    f = self
                        .apply_at(f, a, Some(site))
                        .map_err(|e| at_if_unset(e, &m.name, m.span(id)))?;
                    rest = tail;
                }
                Ok(f)
            }
            Ir::Unary { op, expr } => {
                let v = self.eval(*expr, env)?;
                ops::unary(*op, v)
            }
            Ir::Binary { op, lhs, rhs } => ops::binary(self, *op, *lhs, *rhs, env),
            Ir::If { cond, then, else_ } => {
                let c = self.eval(*cond, env)?;
                match c {
                    Value::Bool(true) => self.eval(*then, env),
                    Value::Bool(false) => self.eval(*else_, env),
                    other => EvalError::new(
                        codes::TYPE_MISMATCH,
                        format!(
                            "the condition of `if` must be a Boolean, but it is {}",
                            other.describe()
                        ),
                    )
                    .err()
                    .map_err(|e| at_if_unset(e, &m.name, m.span(*cond))),
                }
            }
            Ir::Assert { cond, body } => {
                let c = self.eval(*cond, env)?;
                match c {
                    Value::Bool(true) => self.eval(*body, env),
                    Value::Bool(false) => {
                        let mut e = EvalError::new(codes::ASSERTION, "assertion failed")
                            .label("this condition is false")
                            .at(&m.name, m.span(*cond));
                        e.catchable = true;
                        e.err()
                    }
                    other => EvalError::new(
                        codes::TYPE_MISMATCH,
                        format!(
                            "an assertion must be a Boolean, but it is {}",
                            other.describe()
                        ),
                    )
                    .label("this is not a Boolean")
                    .at(&m.name, m.span(*cond))
                    .err(),
                }
            }
            Ir::With { env: w, body } => {
                let frame = Frame::new(env, 1);
                let frame = Rc::new(frame);
                frame.set(0, self.thunk(*w, env));
                self.eval(*body, &frame)
            }
            Ir::Let { slots, body } => {
                let frame = Rc::new(Frame::new(env, slots.len()));
                for (i, slot) in slots.iter().enumerate() {
                    let t = self.slot_thunk(slot, &frame);
                    let t = self.breakable(t);
                    frame.set(i, t);
                }
                self.eval(*body, &frame)
            }
            Ir::Attrs(attrs) => self.attrs(attrs, env),
            Ir::List(items) => {
                let items: Vec<Thunk> = items.iter().map(|i| self.thunk(*i, env)).collect();
                Ok(Value::List(Rc::from(items)))
            }
            Ir::Lambda(l) => Ok(Value::Lambda(Rc::new(Closure {
                lambda: l.clone(),
                env: env.clone(),
            }))),
            Ir::Annotated { expr, ty } => {
                let v = self.eval(*expr, env)?;
                let t = self.eval_type(*ty, env)?;
                let cx = types::CheckCx {
                    value_at: None,
                    lit: Some((m.clone(), *expr)),
                    expected_by: Some(types::Loc {
                        file: m.name.clone(),
                        span: m.source_map.type_span(*ty),
                    }),
                    path: Rc::from(""),
                    partial: false,
                };
                self.check(v, &t, &cx)
            }
            Ir::Kind { name, fields, .. } => {
                let loc = types::Loc {
                    file: m.name.clone(),
                    span: m.span(id),
                };
                let record = match self.eval_type(*fields, env)? {
                    types::Ty::Record(r) => r,
                    _ => Rc::new(types::RecordTy {
                        fields: Vec::new(),
                        rest: None,
                    }),
                };
                Ok(Value::Kind(Rc::new(types::KindDef {
                    name: Sym::new(name),
                    fields: record,
                    loc: Some(loc),
                })))
            }
            Ir::Interp { parts, path } => {
                let literal: usize = parts
                    .iter()
                    .map(|p| match p {
                        Part::Lit(s) => s.len(),
                        Part::Interp(_) => 16,
                    })
                    .sum();
                let mut out = String::with_capacity(literal);
                // Pieces before and between secrets, once one is met.
                let mut secret: Vec<crate::data::SecretPart> = Vec::new();
                for part in parts.iter() {
                    match part {
                        Part::Lit(s) => out.push_str(s),
                        Part::Interp(e) => {
                            let v = self.eval(*e, env)?;
                            if let Value::Secret(p) = &v
                                && !*path
                            {
                                if !out.is_empty() {
                                    secret.push(crate::data::SecretPart::Text(Box::from(
                                        std::mem::take(&mut out).as_str(),
                                    )));
                                }
                                secret.extend(p.iter().cloned());
                                continue;
                            }
                            ops::coerce_to_string(self, &v, &mut out, false)
                                .map_err(|err| at_if_unset(err, &m.name, m.span(*e)))?;
                            self.check_string(out.len())?;
                        }
                    }
                }
                if !secret.is_empty() {
                    if !out.is_empty() {
                        secret.push(crate::data::SecretPart::Text(Box::from(out.as_str())));
                    }
                    return Ok(Value::Secret(Rc::from(secret)));
                }
                if *path {
                    Ok(Value::Path(Rc::from(
                        crate::hir::lower::normalize_path(Path::new(&out)).as_str(),
                    )))
                } else {
                    Ok(Value::Str(Rc::from(out)))
                }
            }
        }
    }

    /// Makes a thunk that goes into a `let`/`rec`/default frame breakable:
    /// such a thunk may hold the frame that holds it (a closure, a set of
    /// thunks), an `Rc` cycle. It is registered so that dropping the
    /// evaluator clears it; a ready compound value is first put in a cell.
    fn breakable(&mut self, t: Thunk) -> Thunk {
        let cell = match t {
            Thunk::Lazy(cell) => cell,
            Thunk::Ready(
                v @ (Value::Lambda(_) | Value::Attrs(_) | Value::List(_) | Value::PrimOp(_)),
            ) => Rc::new(RefCell::new(ThunkState::Done(v))),
            ready @ Thunk::Ready(_) => return ready,
        };
        self.rec_thunks.push(Rc::downgrade(&cell));
        if self.rec_thunks.len() >= self.rec_thunks_compacted_at {
            self.rec_thunks.retain(|w| w.strong_count() > 0);
            self.rec_thunks_compacted_at = (self.rec_thunks.len() * 2).max(1024);
        }
        Thunk::Lazy(cell)
    }

    fn key(&mut self, key: &Key, env: &Env) -> EResult<Sym> {
        match key {
            Key::Static(s) => Ok(*s),
            Key::Dynamic(e) => {
                let v = self.eval(*e, env)?;
                match v {
                    Value::Str(s) => Ok(Sym::new(&s)),
                    other => EvalError::new(
                        codes::TYPE_MISMATCH,
                        format!(
                            "an attribute name must be a string, but this is {}",
                            other.describe()
                        ),
                    )
                    .err(),
                }
            }
        }
    }

    fn slot_thunk(&mut self, slot: &Slot, env: &Env) -> Thunk {
        match slot {
            Slot::Expr(e) => self.thunk(*e, env),
            Slot::InheritFrom { from, name } => {
                let from = self.thunk(*from, env);
                Thunk::deferred(ThunkState::Select(from, *name))
            }
            Slot::Nested(attrs) => match self.attrs(attrs, env) {
                Ok(v) => Thunk::Ready(v),
                Err(e) => Thunk::deferred(ThunkState::Failed(e)),
            },
        }
    }

    fn attrs(&mut self, attrs: &AttrsIr, env: &Env) -> EResult<Value> {
        let env = if attrs.rec {
            Rc::new(Frame::new(env, attrs.statics.len()))
        } else {
            env.clone()
        };
        let mut entries = Vec::with_capacity(attrs.statics.len() + attrs.dynamics.len());
        for (i, (name, slot)) in attrs.statics.iter().enumerate() {
            let mut t = self.slot_thunk(slot, &env);
            if attrs.rec {
                t = self.breakable(t);
                env.set(i, t.clone());
            }
            entries.push((*name, t));
        }
        if attrs.dynamics.is_empty() {
            let mut set = Attrs::from_sorted(entries);
            set.appends = attrs.appends.to_vec();
            let set = Rc::new(set);
            self.prov_literal(&set, attrs, &env);
            return Ok(Value::Attrs(set));
        }
        for (key, slot) in attrs.dynamics.iter() {
            let k = self.eval(*key, &env)?;
            let name = match k {
                Value::Null => continue,
                Value::Str(s) => Sym::new(&s),
                other => {
                    return EvalError::new(
                        codes::TYPE_MISMATCH,
                        format!(
                            "an attribute name must be a string, but this is {}",
                            other.describe()
                        ),
                    )
                    .err()
                    .map_err(|e| at_if_unset(e, &env.module.name, env.module.span(*key)));
                }
            };
            if entries.iter().any(|(n, _)| *n == name) {
                return EvalError::new(
                    crate::codes::names::DUPLICATE_ATTRIBUTE,
                    format!("attribute `{name}` is defined twice"),
                )
                .label("this dynamic name is already defined")
                .at(&env.module.name, env.module.span(*key))
                .err();
            }
            let t = self.slot_thunk(slot, &env);
            entries.push((name, t));
        }
        entries.sort_by_key(|(k, _)| *k);
        let mut set = Attrs::from_sorted(entries);
        set.appends = attrs.appends.to_vec();
        let set = Rc::new(set);
        self.prov_literal(&set, attrs, &env);
        Ok(Value::Attrs(set))
    }

    fn global(&mut self, name: Sym) -> EResult<Value> {
        if let Some(v) = self.globals.get(&name) {
            return Ok(v.clone());
        }
        let v = if name.as_str() == "builtins" {
            self.builtins_value()
        } else if crate::hir::lower::BUILTIN_KINDS.contains(&name.as_str()) {
            let prelude = self
                .db
                .file(&crate::embedded::path(crate::embedded::PRELUDE));
            let thunk = self.import_file(prelude, false)?;
            let kinds = self.force(&thunk)?;
            self.select_one(kinds, name)?
        } else {
            match builtins::lookup(name.as_str()) {
                Some(v) => v,
                None => {
                    return EvalError::new(
                        codes::INTERNAL,
                        format!("internal error: unknown global `{name}`"),
                    )
                    .err();
                }
            }
        };
        self.globals.insert(name, v.clone());
        Ok(v)
    }

    /// `builtins.name`, cached.
    fn builtin(&mut self, name: Sym) -> Option<Value> {
        if let Some(v) = self.builtin_cache.get(&name) {
            return Some(v.clone());
        }
        let Value::Attrs(set) = self.builtins_value() else {
            return None;
        };
        let v = set.get(name)?.peek()?;
        self.builtin_cache.insert(name, v.clone());
        Some(v)
    }

    pub fn builtins_value(&mut self) -> Value {
        if let Some(v) = &self.builtins_set {
            return v.clone();
        }
        // `builtins.builtins` is the set itself: a cycle, registered so
        // that dropping the evaluator breaks it.
        let own = Rc::new(RefCell::new(ThunkState::Pending(None)));
        let v = builtins::builtins_set(Thunk::Lazy(own.clone()));
        *own.borrow_mut() = ThunkState::Done(v.clone());
        let _ = self.breakable(Thunk::Lazy(own));
        self.builtins_set = Some(v.clone());
        v
    }

    /// Selects one attribute of a value (for deferred `inherit (e) x;`).
    fn select_one(&mut self, v: Value, name: Sym) -> EResult<Value> {
        match &v {
            Value::Attrs(a) => match a.get(name) {
                Some(t) => {
                    let t = t.clone();
                    self.force(&t)
                }
                None => template_method(a, &v, name).ok_or_else(|| missing_attr(a, name)),
            },
            other => EvalError::new(
                codes::TYPE_MISMATCH,
                format!(
                    "cannot inherit `{name}`: the value is {}, not a set",
                    other.describe()
                ),
            )
            .err(),
        }
    }

    /// Calls `func` with one argument.
    pub fn apply(&mut self, func: Value, arg: Thunk) -> EResult<Value> {
        self.apply_at(func, arg, None)
    }

    /// Calls `func` with one argument; `site` is the call, where an object
    /// built by a kind or template records it was made.
    fn apply_at(&mut self, func: Value, arg: Thunk, site: Option<types::Loc>) -> EResult<Value> {
        match func {
            Value::Lambda(c) => self.call_lambda(&c, arg),
            Value::Kind(k) => self.apply_kind(&k, arg, site),
            Value::Attrs(t) if t.meta.as_ref().is_some_and(|m| m.template) => {
                self.merge_template(&t, arg, site, false)
            }
            Value::PrimOp(p) => {
                let mut args = Vec::with_capacity(p.op.arity);
                args.extend(p.args.iter().cloned());
                args.push(arg);
                if args.len() < p.op.arity {
                    return Ok(Value::PrimOp(Rc::new(PrimOpApp { op: p.op, args })));
                }
                self.enter()?;
                let res = (p.op.func)(self, &args);
                self.depth -= 1;
                res
            }
            Value::Attrs(a) => {
                let Some(functor) = a.get(Sym::new("__functor")) else {
                    return EvalError::new(
                        codes::NOT_A_FUNCTION,
                        "attempt to call a set that has no `__functor`",
                    )
                    .label("this is a set, not a function")
                    .err();
                };
                let functor = functor.clone();
                let f = self.force(&functor)?;
                let inner = self.apply(f, Thunk::Ready(Value::Attrs(a.clone())))?;
                self.apply(inner, arg)
            }
            other => EvalError::new(
                codes::NOT_A_FUNCTION,
                format!(
                    "attempt to call something which is not a function but {}",
                    other.describe()
                ),
            )
            .label("this is called as a function")
            .err(),
        }
    }

    fn call_lambda(&mut self, c: &Closure, arg: Thunk) -> EResult<Value> {
        let lambda = &c.lambda;
        let m = &c.env.module;
        let frame = match &lambda.param {
            ParamIr::Ident(_) => {
                let frame = Rc::new(Frame::new(&c.env, 1));
                frame.set(0, arg);
                frame
            }
            ParamIr::Pattern {
                fields,
                ellipsis,
                at,
            } => {
                let v = self.force(&arg)?;
                let Value::Attrs(given) = &v else {
                    return EvalError::new(
                        codes::TYPE_MISMATCH,
                        format!(
                            "this function takes a set of arguments, but was called with {}",
                            v.describe()
                        ),
                    )
                    .secondary(&m.name, m.span(lambda.id), "the function is defined here")
                    .err();
                };
                let frame = Rc::new(Frame::new(&c.env, fields.len() + usize::from(at.is_some())));
                for (i, field) in fields.iter().enumerate() {
                    let name = &field.name;
                    let ty = match field.ty {
                        Some(ty) => Some((ty, self.eval_type(ty, &frame)?)),
                        None => None,
                    };
                    let check = |ev: &mut Self, t: Thunk, lit| match &ty {
                        Some((id, ty)) => {
                            let cx = types::CheckCx {
                                value_at: None,
                                lit,
                                expected_by: Some(types::Loc {
                                    file: m.name.clone(),
                                    span: m.source_map.type_span(*id),
                                }),
                                path: Rc::from(name.as_str()),
                                partial: false,
                            };
                            ev.checked(t, ty, cx)
                        }
                        None => t,
                    };
                    match given.get(*name) {
                        Some(t) => {
                            let lit = contract::lit_of(t);
                            let t = check(self, t.clone(), lit);
                            frame.set(i, t)
                        }
                        None => match field.default {
                            Some(d) => {
                                let t = self.thunk(d, &frame);
                                let t = check(self, t, Some((m.clone(), d)));
                                let t = self.breakable(t);
                                frame.set(i, t);
                            }
                            None => {
                                return EvalError::new(
                                    codes::MISSING_ARGUMENT,
                                    format!(
                                        "{} called without required argument `{name}`",
                                        lambda_name(lambda)
                                    ),
                                )
                                .label("this call does not pass it")
                                .secondary(
                                    &m.name,
                                    m.span(lambda.id),
                                    "the function is defined here",
                                )
                                .err();
                            }
                        },
                    }
                }
                if !ellipsis {
                    for (k, _) in given.entries.iter() {
                        if !fields.iter().any(|f| f.name == *k) {
                            let mut e = EvalError::new(
                                codes::UNEXPECTED_ARGUMENT,
                                format!(
                                    "{} called with unexpected argument `{k}`",
                                    lambda_name(lambda)
                                ),
                            )
                            .label("this call passes it")
                            .secondary(
                                &m.name,
                                m.span(lambda.id),
                                "the function is defined here",
                            );
                            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                            e = match crate::diag::did_you_mean(k.as_str(), names) {
                                Some(close) => e.help(format!("did you mean `{close}`?")),
                                None => {
                                    e.help("add `...` to the pattern to accept other arguments")
                                }
                            };
                            return e.err();
                        }
                    }
                }
                if at.is_some() {
                    frame.set(fields.len(), Thunk::Ready(v.clone()));
                }
                frame
            }
        };
        self.enter()?;
        let res = self.eval(lambda.body, &frame);
        self.depth -= 1;
        res.map_err(|e| {
            if e.catchable {
                return e;
            }
            add_trace(e, || {
                format!(
                    "while calling {} defined at {}",
                    lambda_name(lambda),
                    location(m, lambda.id)
                )
            })
        })
    }
}

fn lambda_name(l: &LambdaIr) -> String {
    match l.name {
        Some(n) if !n.as_str().is_empty() => format!("function `{n}`"),
        _ => "anonymous function".to_string(),
    }
}

/// `file:line:col` of a node.
fn location(m: &LoadedModule, id: ExprId) -> String {
    let span = m.span(id);
    match m.file_text() {
        Some(text) => {
            let (line, col) = line_col(&text, span.start as usize);
            format!("{}:{line}:{col}", m.name)
        }
        None => m.name.to_string(),
    }
}

impl LoadedModule {
    fn file_text(&self) -> Option<Arc<str>> {
        self.text.clone()
    }
}

pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map(|p| p + 1)
        .unwrap_or(0);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, col)
}

fn lookup(env: &Env, up: u32, slot: u32) -> Option<Thunk> {
    lookup_ref(env, up, slot).cloned()
}

fn lookup_ref(env: &Env, up: u32, slot: u32) -> Option<&Thunk> {
    let mut frame = env;
    for _ in 0..up {
        frame = frame.parent.as_ref()?;
    }
    frame.slots.get(slot as usize)?.get()
}

pub fn lit_value(l: &Lit) -> Value {
    match l {
        Lit::Null => Value::Null,
        Lit::Bool(b) => Value::Bool(*b),
        Lit::Int(i) => Value::Int(*i),
        Lit::Float(f) => Value::Float(*f),
        Lit::Str(s) => Value::Str(Rc::from(&**s)),
        Lit::Path(p) => Value::Path(Rc::from(&**p)),
    }
}

/// `t.extend` on a template `t` (language.md §4), found when the
/// template has no field of that name.
fn template_method(a: &Attrs, v: &Value, name: Sym) -> Option<Value> {
    let template = a.meta.as_ref().is_some_and(|m| m.template);
    (template && name.as_str() == "extend").then(|| {
        Value::PrimOp(Rc::new(PrimOpApp {
            op: &builtins::EXTEND,
            args: vec![Thunk::Ready(v.clone())],
        }))
    })
}

pub(crate) fn missing_attr(a: &Attrs, name: Sym) -> Error {
    if name.as_str() == "extend" && a.meta.is_none() {
        return Rc::new(
            EvalError::new(
                crate::codes::types::BAD_TEMPLATE,
                "`extend` needs a template, but this is a plain set",
            )
            .help("make it a template first: `Template Workspace { … }`"),
        );
    }
    let names: Vec<&str> = a.entries.iter().map(|(k, _)| k.as_str()).collect();
    let mut e = EvalError::new(
        codes::MISSING_ATTRIBUTE,
        format!("attribute `{name}` missing"),
    )
    .label(format!("this set has no `{name}`"));
    if let Some(close) = crate::diag::did_you_mean(name.as_str(), names.iter().copied()) {
        e = e.help(format!("did you mean `{close}`?"));
    } else if names.len() <= 8 && !names.is_empty() {
        let mut sorted = names.clone();
        sorted.sort();
        e = e.help(format!("the set has: {}", sorted.join(", ")));
    }
    Rc::new(e)
}

fn shown_path(path: &[String]) -> String {
    if path.is_empty() {
        "the value".to_string()
    } else {
        path.join(".")
    }
}

/// The diagnostic for a file that could not be read as source.
pub fn unreadable(name: &FileName, contents: &FileContents) -> Diagnostic {
    use crate::codes::eval as c;
    match contents {
        FileContents::Text(_) => Diagnostic::error(c::INTERNAL, "internal error: file is readable"),
        FileContents::Missing => {
            Diagnostic::error(c::FILE_NOT_FOUND, format!("file `{name}` does not exist"))
        }
        FileContents::Directory => Diagnostic::error(
            c::IS_DIRECTORY,
            format!("`{name}` is a directory with no `main.dvm`"),
        )
        .with_help("a directory is imported through its `main.dvm`"),
        FileContents::NotUtf8 { valid_up_to } => Diagnostic::error(
            c::NOT_UTF8,
            format!("`{name}` is not valid UTF-8 (first bad byte at offset {valid_up_to})"),
        )
        .with_help("dvm source files must be UTF-8 text"),
        FileContents::TooLarge { bytes } => Diagnostic::error(
            c::TOO_LARGE,
            format!(
                "`{name}` is too large to be a source file ({} MiB; the limit is {} MiB)",
                bytes / (1024 * 1024),
                crate::source::MAX_FILE_BYTES / (1024 * 1024)
            ),
        ),
        FileContents::Unreadable(why) => {
            Diagnostic::error(c::UNREADABLE, format!("cannot read `{name}`: {why}"))
        }
    }
}
