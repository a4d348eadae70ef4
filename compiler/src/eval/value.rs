//! Run-time values, thunks and frames.
//!
//! A [`Value`] is a cheap handle (16 bytes; compound values are behind
//! `Rc`). A [`Thunk`] is a value not computed yet: four states as in
//! jrsonnet — waiting (code + frame), pending (being computed; forcing it
//! again is infinite recursion), done, failed (the error is kept). Values
//! known up front are stored as `Thunk::Ready` without an allocation.
//!
//! A [`Frame`] is one environment record (see `hir` for how variables
//! address slots). Frames of `let`/`rec` hold thunks that hold the frame, an
//! `Rc` cycle; the evaluator registers such frames and clears them when the
//! evaluation ends, so nothing leaks across evaluations.
//!
//! This module knows nothing of syntax or salsa; the only code it refers
//! to is [`crate::hir`] by id.

use super::LoadedModule;
use crate::hir::{ExprId, LambdaIr};
use crate::intern::Sym;
use smallvec::SmallVec;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

#[derive(Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    /// An absolute, normalised path.
    Path(Rc<str>),
    Attrs(Rc<Attrs>),
    List(Rc<[Thunk]>),
    Lambda(Rc<Closure>),
    PrimOp(Rc<PrimOpApp>),
    /// A unit literal or arithmetic on them (`5s`, `512Mi`), see
    /// [`UnitValue`].
    Unit(Rc<UnitValue>),
    /// A kind: a typed object constructor (`Workspace`, or one made with
    /// `kind "X" { … }`).
    Kind(Rc<super::types::KindDef>),
    /// `secret "NAME"`, or a string with secrets interpolated: never text.
    Secret(Rc<[crate::data::SecretPart]>),
}

/// The dimension of a unit value (language.md §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dim {
    /// Normal form: milliseconds.
    Duration,
    /// Normal form: bytes.
    Memory,
    /// Normal form: milli-cores.
    Cpu,
    /// `10m` with no type yet: minutes or milli-cores.
    Pending,
}

impl Dim {
    pub fn name(self) -> &'static str {
        match self {
            Dim::Duration => "duration",
            Dim::Memory => "memory",
            Dim::Cpu => "cpu",
            Dim::Pending => "unit",
        }
    }
}

/// A unit value: its dimension, its normal form and its text (the
/// literal as written, or a normal rendering after arithmetic).
#[derive(Clone, Debug, PartialEq)]
pub struct UnitValue {
    pub dim: Dim,
    pub normal: i64,
    pub text: Rc<str>,
}

impl Value {
    /// The type's name as `builtins.typeOf` spells it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "string",
            Value::Path(_) => "path",
            Value::Attrs(_) => "set",
            Value::List(_) => "list",
            Value::Lambda(_) | Value::PrimOp(_) | Value::Kind(_) => "lambda",
            Value::Unit(u) => u.dim.name(),
            Value::Secret(_) => "secret",
        }
    }
    /// The type's name for messages ("a string", "an integer").
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a Boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Str(_) => "a string",
            Value::Path(_) => "a path",
            Value::Attrs(a) => match &a.meta {
                Some(m) if m.template => "a template",
                Some(_) => "an object",
                None => "a set",
            },
            Value::Kind(_) => "a kind",
            Value::Secret(_) => "a secret",
            Value::List(_) => "a list",
            Value::Lambda(_) => "a function",
            Value::PrimOp(_) => "a built-in function",
            Value::Unit(u) => match u.dim {
                Dim::Duration => "a duration",
                Dim::Memory => "a memory size",
                Dim::Cpu => "a CPU amount",
                Dim::Pending => "a unit literal",
            },
        }
    }
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }
    pub fn string(s: String) -> Value {
        Value::Str(Rc::from(s))
    }
}

/// An attribute set: entries sorted by symbol id (fast lookup and merge);
/// sort by name text ([`Attrs::sorted_by_name`]) for anything user-visible.
#[derive(Default)]
pub struct Attrs {
    pub entries: Vec<(Sym, Thunk)>,
    /// Names whose value came from `x += e;` in a record literal: a deep
    /// merge appends them to the left side's value (language.md §4).
    /// Sorted; empty for almost every set.
    pub appends: Vec<Sym>,
    /// Set when a kind built this set: an object, or a template.
    pub meta: Option<Rc<super::types::ObjMeta>>,
}

impl Attrs {
    pub fn from_sorted(entries: Vec<(Sym, Thunk)>) -> Attrs {
        Attrs {
            entries,
            appends: Vec::new(),
            meta: None,
        }
    }
    pub fn is_append(&self, key: Sym) -> bool {
        !self.appends.is_empty() && self.appends.binary_search(&key).is_ok()
    }
    /// Builds from unsorted entries; a later duplicate key wins.
    pub fn from_unsorted(mut entries: Vec<(Sym, Thunk)>) -> Attrs {
        entries.reverse();
        entries.sort_by_key(|(k, _)| *k);
        entries.dedup_by_key(|(k, _)| *k);
        Attrs::from_sorted(entries)
    }
    pub fn get(&self, key: Sym) -> Option<&Thunk> {
        self.entries
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|i| &self.entries[i].1)
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Entries in name order, as Nix lists them.
    pub fn sorted_by_name(&self) -> Vec<(Sym, Thunk)> {
        let mut v = self.entries.clone();
        v.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        v
    }
    /// `self // other`: other's entries win.
    pub fn update(&self, other: &Attrs) -> Attrs {
        let (a, b) = (&self.entries, &other.entries);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => {
                    out.push(a[i].clone());
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(b[j].clone());
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    out.push(b[j].clone());
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        Attrs::from_sorted(out)
    }
}

/// A lambda with the frame it closes over.
pub struct Closure {
    pub lambda: Arc<LambdaIr>,
    pub env: Env,
}

/// A builtin, possibly partly applied.
pub struct PrimOpApp {
    pub op: &'static super::builtins::PrimOp,
    pub args: Vec<Thunk>,
}

/// One environment record. `module` is the file whose code runs in it.
pub struct Frame {
    /// Most frames are a lambda's one or two parameters: kept inline, so a
    /// call allocates once.
    pub slots: SmallVec<[OnceCell<Thunk>; 2]>,
    pub parent: Option<Env>,
    pub module: Rc<LoadedModule>,
}

pub type Env = Rc<Frame>;

impl Frame {
    pub fn new(parent: &Env, size: usize) -> Frame {
        Frame {
            slots: (0..size).map(|_| OnceCell::new()).collect(),
            parent: Some(parent.clone()),
            module: parent.module.clone(),
        }
    }
    pub fn root(module: Rc<LoadedModule>) -> Frame {
        Frame {
            slots: SmallVec::new(),
            parent: None,
            module,
        }
    }
    pub fn set(&self, slot: usize, thunk: Thunk) {
        if let Some(cell) = self.slots.get(slot) {
            let _ = cell.set(thunk);
        }
    }
}

#[derive(Clone)]
pub enum Thunk {
    Ready(Value),
    Lazy(Rc<RefCell<ThunkState>>),
}

pub enum ThunkState {
    Waiting(ExprId, Env),
    /// Built-in deferred work (e.g. one element of `map f xs`): apply
    /// `func` to `arg` when forced.
    Apply(Value, Thunk),
    /// Apply the value of the first thunk to the second when forced.
    ApplyThunk(Thunk, Thunk),
    /// Apply a function to two arguments when forced (`mapAttrs`,
    /// `zipAttrsWith`: one allocation per element instead of two).
    Apply2(Box<(Value, Thunk, Thunk)>),
    /// Select an attribute of a thunk's value when forced
    /// (`inherit (e) x;`, `mapAttrs`).
    Select(Thunk, Sym),
    /// Check the first thunk's value against a type when forced (a field
    /// of an object, an element of a typed list): contracts are lazy.
    Checked(Box<(Thunk, super::types::Ty, super::types::CheckCx)>),
    /// Being computed; the node and module, for the infinite-recursion
    /// error's span.
    Pending(Option<(Rc<LoadedModule>, ExprId)>),
    Done(Value),
    Failed(Rc<super::EvalError>),
}

impl Thunk {
    pub fn new(expr: ExprId, env: Env) -> Thunk {
        Thunk::Lazy(Rc::new(RefCell::new(ThunkState::Waiting(expr, env))))
    }
    pub fn deferred(state: ThunkState) -> Thunk {
        Thunk::Lazy(Rc::new(RefCell::new(state)))
    }
    /// The value if already known, without forcing.
    pub fn peek(&self) -> Option<Value> {
        match self {
            Thunk::Ready(v) => Some(v.clone()),
            Thunk::Lazy(cell) => match &*cell.borrow() {
                ThunkState::Done(v) => Some(v.clone()),
                _ => None,
            },
        }
    }
}
