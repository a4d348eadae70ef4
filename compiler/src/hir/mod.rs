//! The lowered form of one file: an arena of [`Ir`] nodes in which every
//! variable is already resolved, plus a [`SourceMap`] from node to span.
//!
//! Terminology: a *frame* is one runtime environment record created by a
//! `let`, a `rec { … }`, a lambda call, a `with` or a file's top level. A
//! variable is `Var { up, slot }`: walk `up` frames outwards, take slot
//! `slot`. Only names under a `with` that no lexical binding provides are
//! looked up by name at run time ([`Ir::WithVar`]).
//!
//! Example: in `let a = 1; f = x: a + x; in f 2`, the `let` makes a frame
//! with slots `[a, f]`; the lambda makes a frame `[x]`; inside the lambda
//! body `a` is `Var { up: 1, slot: 0 }` and `x` is `Var { up: 0, slot: 0 }`.
//!
//! The module holds no byte offsets, so an edit that only moves text leaves
//! it equal and salsa can skip everything downstream; offsets live in the
//! [`SourceMap`]. This module knows nothing of values or evaluation.

pub mod lower;
#[cfg(test)]
mod tests;

use crate::diag::Diagnostic;
use crate::intern::Sym;
use crate::syntax::ast::{BinaryOp, Span, UnaryOp};
use std::sync::Arc;

/// Index of a node in [`Module::exprs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExprId(pub u32);

/// Index of a type in [`Module::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TyId(pub u32);

#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub exprs: Vec<Ir>,
    /// Every type written in the file (annotations, `type` declarations,
    /// kind declarations), names already resolved.
    pub types: Vec<TyIr>,
    pub root: ExprId,
}

impl Module {
    pub fn get(&self, id: ExprId) -> &Ir {
        &self.exprs[id.0 as usize]
    }
    pub fn ty(&self, id: TyId) -> &TyIr {
        self.types.get(id.0 as usize).unwrap_or(&TyIr::Error)
    }
}

/// The base types of `language.md` §3.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BaseTy {
    Int,
    Float,
    Number,
    Bool,
    String,
    Path,
    Null,
    Any,
    Duration,
    Memory,
    Cpu,
    Secret,
}

impl BaseTy {
    pub const ALL: [(&'static str, BaseTy); 12] = [
        ("Int", BaseTy::Int),
        ("Float", BaseTy::Float),
        ("Number", BaseTy::Number),
        ("Bool", BaseTy::Bool),
        ("String", BaseTy::String),
        ("Path", BaseTy::Path),
        ("Null", BaseTy::Null),
        ("Any", BaseTy::Any),
        ("Duration", BaseTy::Duration),
        ("Memory", BaseTy::Memory),
        ("Cpu", BaseTy::Cpu),
        ("Secret", BaseTy::Secret),
    ];
    pub fn from_name(name: &str) -> Option<BaseTy> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, t)| *t == self)
            .map(|(n, _)| *n)
            .unwrap_or("Any")
    }
}

/// A type with its names resolved. Kinds are values, so a kind named in a
/// type is either a builtin one or a variable that must hold a kind when
/// the type is used.
#[derive(Clone, Debug, PartialEq)]
pub enum TyIr {
    /// A type that failed to parse or resolve (its diagnostic exists);
    /// accepts anything.
    Error,
    Base(BaseTy),
    /// A built-in kind or shared type by name (`Workspace`, `Port`).
    Builtin(Sym),
    /// A variable that must hold a kind (`FeatureFlag = kind "…" {…}`).
    Var {
        up: u32,
        slot: u32,
        name: Sym,
    },
    /// `"tcp"`
    Literal(Arc<str>),
    /// `[T]`
    List(TyId),
    Record(Box<RecordTyIr>),
    /// `T | U`
    Union(Box<[TyId]>),
    /// `T -> U`
    Function(TyId, TyId),
    /// `Template K`
    Template(TyId),
    /// A use of `type name = …;`: the declaration's type, with its name
    /// kept for messages.
    Alias {
        name: Sym,
        target: TyId,
    },
}

/// `{ a : T, b ? : T, c : T ? d, ... : R }`
#[derive(Clone, Debug, PartialEq)]
pub struct RecordTyIr {
    /// In source order.
    pub fields: Box<[FieldTyIr]>,
    pub rest: Option<TyId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldTyIr {
    pub name: Sym,
    pub ty: TyId,
    pub optional: bool,
    /// Evaluated lazily where the record type is evaluated.
    pub default: Option<ExprId>,
    /// The `## …` lines above the field.
    pub doc: Option<Arc<str>>,
}

/// Spans of a module's nodes and the diagnostics found while lowering
/// (undefined names, duplicate attributes).
#[derive(Clone, Debug, PartialEq)]
pub struct SourceMap {
    pub spans: Vec<Span>,
    /// Span of each type in [`Module::types`].
    pub type_spans: Vec<Span>,
    /// For the value of a record or `let` binding: the span of its name
    /// (`port` in `port = 8080;`), so errors about a field point at it.
    pub key_spans: rustc_hash::FxHashMap<ExprId, Span>,
    /// Span of the field name of each record type field, by the field's
    /// type id.
    pub field_name_spans: rustc_hash::FxHashMap<TyId, Span>,
    pub diagnostics: Vec<Diagnostic>,
}

impl SourceMap {
    pub fn span(&self, id: ExprId) -> Span {
        self.spans.get(id.0 as usize).copied().unwrap_or_default()
    }
    pub fn type_span(&self, id: TyId) -> Span {
        self.type_spans
            .get(id.0 as usize)
            .copied()
            .unwrap_or_default()
    }
    /// The binding name's span for a binding's value, else the value's.
    pub fn key_span(&self, id: ExprId) -> Span {
        self.key_spans
            .get(&id)
            .copied()
            .unwrap_or_else(|| self.span(id))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lowered {
    pub module: Arc<Module>,
    pub source_map: Arc<SourceMap>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Arc<str>),
    /// An absolute path, already resolved against the file's directory.
    Path(Arc<str>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Ir {
    /// A part that failed to parse or name-resolve; its diagnostic is in the
    /// source map. Evaluating it is an error that points there.
    Error,
    Lit(Lit),
    /// `500ms`, `512Mi`: the number and suffix as written.
    Unit {
        number: f64,
        text: Arc<str>,
        suffix: Arc<str>,
    },
    /// `<a/b>`
    SearchPath(Arc<str>),
    Var {
        up: u32,
        slot: u32,
    },
    /// A builtin bound at top level (`map`, `builtins`, `true`, …).
    Global(Sym),
    /// A name no lexical scope binds, looked up in the `with` frames that
    /// enclose it, innermost first (each `(up, 0)` holds the with's set).
    WithVar {
        name: Sym,
        withs: Box<[u32]>,
    },
    Select {
        expr: ExprId,
        path: Box<[Key]>,
        default: Option<ExprId>,
    },
    HasAttr {
        expr: ExprId,
        path: Box<[Key]>,
    },
    Apply {
        func: ExprId,
        args: Box<[ExprId]>,
    },
    Unary {
        op: UnaryOp,
        expr: ExprId,
    },
    Binary {
        op: BinaryOp,
        lhs: ExprId,
        rhs: ExprId,
    },
    If {
        cond: ExprId,
        then: ExprId,
        else_: ExprId,
    },
    Assert {
        cond: ExprId,
        body: ExprId,
    },
    /// Makes a one-slot frame holding `env`'s value, then evaluates `body`.
    With {
        env: ExprId,
        body: ExprId,
    },
    /// Makes a frame whose slots are `slots` (each evaluated lazily in the
    /// new frame), then evaluates `body` in it. Used by `let`.
    Let {
        slots: Box<[Slot]>,
        body: ExprId,
    },
    /// A record. When `rec`, a frame is made first whose slots are the
    /// static attributes' values, and every value is evaluated in it.
    Attrs(Box<AttrsIr>),
    List(Box<[ExprId]>),
    Lambda(Arc<LambdaIr>),
    /// A string with interpolations; `path` when it starts a path literal.
    Interp {
        parts: Box<[Part]>,
        path: bool,
    },
    /// `x : T = e`: `expr`'s value checked against `ty` when forced.
    Annotated {
        expr: ExprId,
        ty: TyId,
    },
    /// `kind "Name" { … }`: a new kind whose fields are the record type
    /// `fields`.
    Kind {
        name: Arc<str>,
        fields: TyId,
        doc: Option<Arc<str>>,
    },
}

/// What fills one slot of a `let`/`rec` frame or one static attribute.
#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    /// Evaluate this node lazily.
    Expr(ExprId),
    /// `inherit (from) name;`: select `name` from `from`, lazily.
    InheritFrom { from: ExprId, name: Sym },
    /// A record built from nested paths (`a.b = 1; a.c = 2;`).
    Nested(Box<AttrsIr>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AttrsIr {
    pub rec: bool,
    /// Static attributes, sorted by name symbol, no duplicates. In a `rec`
    /// record, static attribute `i` is slot `i` of the record's frame.
    pub statics: Box<[(Sym, Slot)]>,
    /// `${k} = v;`, evaluated when the record is built, in order.
    pub dynamics: Box<[(ExprId, Slot)]>,
    /// `x += e;` bindings: names whose value is an append (dvm merge).
    pub appends: Box<[Sym]>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Key {
    Static(Sym),
    Dynamic(ExprId),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(Arc<str>),
    Interp(ExprId),
}

#[derive(Clone, Debug, PartialEq)]
pub struct LambdaIr {
    pub param: ParamIr,
    pub body: ExprId,
    /// The lambda's own node, for spans in errors and call traces.
    pub id: ExprId,
    /// The name it was bound to, when obvious (`f = x: …`), for traces.
    pub name: Option<Sym>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ParamIr {
    /// `x: …`: one slot.
    Ident(Sym),
    /// `{ a, b ? d, ... }@s: …`: slot `i` is field `i` (in source order),
    /// then one more slot for `s` if present.
    Pattern {
        fields: Box<[PatFieldIr]>,
        ellipsis: bool,
        at: Option<Sym>,
    },
}

/// One field of a lambda pattern: `name`, `name ? d`, `name : T ? d`.
#[derive(Clone, Debug, PartialEq)]
pub struct PatFieldIr {
    pub name: Sym,
    pub default: Option<ExprId>,
    pub ty: Option<TyId>,
}
