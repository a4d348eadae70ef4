//! The static type checker: one pass over a file's position-free IR that
//! infers a type for every expression it can ([`STy`], the table hover
//! reads) and checks, before anything is evaluated, every place where an
//! expected type is visible: an annotated binding, a kind applied to a
//! record literal, `Template K { … }`, a template's call or `.extend`, a
//! typed pattern default, a kind field's default. Function bodies are
//! checked whether or not anything calls them.
//!
//! It is gradual: a type it cannot know is [`STy::Unknown`] and never an
//! error; only a value that is certainly wrong is reported (the run-time
//! checks catch the rest, with the same messages).
//!
//! How it works, in two steps over the IR:
//! 1. *Bindings*: a walk with a model of the evaluator's frames records,
//!    for every variable (and every type naming a variable), which
//!    expression or parameter defines it ([`Def`]).
//! 2. *Inference*: `infer(id)` computes a node's type on demand, memoised,
//!    following variables to their definitions (a cycle gives `Unknown`),
//!    imports to the imported file's inferred root type (a salsa query per
//!    file), and `Apply` of kinds and templates to objects.
//!
//! Results hold no byte offsets: errors name nodes ([`NodeLoc`]), and
//! [`crate::types::type_diagnostics`] turns them into spans. So an edit
//! that only moves text re-runs nothing here.

use crate::db::{self, Db, SourceFile};
use crate::eval::Dim;
use crate::hir::{AttrsIr, BaseTy, ExprId, Ir, Key, Lit, Module, ParamIr, Slot, TyId, TyIr};
use crate::intern::Sym;
use crate::types::display::{Shape, TypeText, type_text};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// A node of some file, standing for a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NodeLoc {
    pub file: SourceFile,
    pub node: Node,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// An expression's span.
    Expr(ExprId),
    /// The binding name of a binding's value.
    Key(ExprId),
    /// A type's span.
    Ty(TyId),
    /// A record type field: its name through its type.
    Field(TyId),
}

/// The inferred type of an expression.
#[derive(Clone, Debug, PartialEq)]
pub enum STy {
    Unknown,
    Null,
    Bool,
    Int,
    Float,
    Str,
    Path,
    Unit(Dim),
    Secret,
    List(Arc<STy>),
    Record(Arc<SRecord>),
    /// A function and what it returns.
    Function(Arc<STy>),
    /// A kind (the constructor itself).
    Kind(Arc<SKind>),
    /// An object built by a kind.
    Object(Arc<SKind>),
    Template(Arc<SKind>),
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct SRecord {
    /// Sorted by symbol.
    pub fields: Vec<(Sym, STy)>,
}

/// A kind as the checker knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct SKind {
    pub name: Sym,
    pub record: Arc<ERecord>,
    pub loc: NodeLoc,
}

/// An expected type (what an annotation or a kind field asks for).
#[derive(Clone, Debug, PartialEq)]
pub enum ETy {
    Any,
    Base(BaseTy),
    Literal(Arc<str>),
    List(Arc<ETy>),
    Record(Arc<ERecord>),
    Union(Arc<[ETy]>),
    Function(Arc<(ETy, ETy)>),
    Kind(Arc<SKind>),
    Template(Arc<SKind>),
    /// An alias: its name, and its type.
    Named(Sym, Arc<ETy>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ERecord {
    pub fields: Vec<EField>,
    pub rest: Option<ETy>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EField {
    pub name: Sym,
    pub ty: ETy,
    pub optional: bool,
    pub has_default: bool,
    pub doc: Option<Arc<str>>,
    pub loc: NodeLoc,
}

impl EField {
    pub fn required(&self) -> bool {
        !self.optional && !self.has_default
    }
}

impl ERecord {
    pub fn field(&self, name: Sym) -> Option<&EField> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A type error found statically, with nodes instead of spans.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    Mismatch {
        path: String,
        expected: String,
        found: String,
        at: NodeLoc,
        by: Option<NodeLoc>,
    },
    NotInEnum {
        path: String,
        members: Vec<String>,
        found: String,
        at: NodeLoc,
        by: Option<NodeLoc>,
    },
    UnknownField {
        owner: String,
        field: String,
        fields: Vec<String>,
        at: NodeLoc,
        declared: Option<NodeLoc>,
    },
    MissingField {
        owner: String,
        field: String,
        field_ty: String,
        at: NodeLoc,
        declared: Option<NodeLoc>,
    },
}

/// The result of checking one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Inference {
    /// The type of the file's value.
    pub root: STy,
    /// The type of every expression, by [`ExprId`].
    pub types: Vec<STy>,
    pub problems: Vec<Problem>,
}

/// What defines a variable.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Def {
    Expr(ExprId),
    /// `inherit (from) name;`
    InheritFrom(ExprId, Sym),
    /// A pattern field, with its annotation.
    Param(Option<TyId>),
    Unknown,
}

/// One frame of the evaluator, as the binder models it.
enum Frame {
    Slots(Vec<Def>),
    /// A `with` (one slot, looked up by name only).
    With,
}

/// Infers and checks one file. `prelude` is the built-in kinds (absent
/// while checking the prelude itself).
pub fn infer_file(db: &dyn Db, file: SourceFile) -> Inference {
    let module = db::module(db, file).clone();
    let mut cx = Infer {
        db,
        file,
        module: &module,
        defs: FxHashMap::default(),
        ty_defs: FxHashMap::default(),
        types: vec![None; module.exprs.len()],
        in_progress: vec![false; module.exprs.len()],
        problems: Vec::new(),
    };
    let mut frames = vec![Frame::Slots(Vec::new())];
    cx.bind(module.root, &mut frames);
    let root = cx.infer(module.root);
    // Check everything, including code no one calls.
    for i in 0..module.exprs.len() {
        cx.check_node(ExprId(i as u32));
    }
    for i in 0..module.exprs.len() {
        cx.infer(ExprId(i as u32));
    }
    Inference {
        root,
        types: cx
            .types
            .into_iter()
            .map(|t| t.unwrap_or(STy::Unknown))
            .collect(),
        problems: cx.problems,
    }
}

struct Infer<'a> {
    db: &'a dyn Db,
    file: SourceFile,
    module: &'a Module,
    defs: FxHashMap<ExprId, Def>,
    ty_defs: FxHashMap<TyId, Def>,
    types: Vec<Option<STy>>,
    in_progress: Vec<bool>,
    problems: Vec<Problem>,
}

/// Everything a static check of one value needs to say where it is.
#[derive(Clone)]
struct Cx {
    path: String,
    by: Option<NodeLoc>,
    partial: bool,
}

const MAX_TYPE_DEPTH: usize = 8;

impl<'a> Infer<'a> {
    fn loc(&self, node: Node) -> NodeLoc {
        NodeLoc {
            file: self.file,
            node,
        }
    }

    // ---- step 1: bindings ---------------------------------------------

    fn lookup(frames: &[Frame], up: u32, slot: u32) -> Def {
        let Some(i) = frames.len().checked_sub(1 + up as usize) else {
            return Def::Unknown;
        };
        match &frames[i] {
            Frame::Slots(defs) => defs.get(slot as usize).copied().unwrap_or(Def::Unknown),
            Frame::With => Def::Unknown,
        }
    }

    fn slot_def(slot: &Slot) -> Def {
        match slot {
            Slot::Expr(id) => Def::Expr(*id),
            Slot::InheritFrom { from, name } => Def::InheritFrom(*from, *name),
            Slot::Nested(_) => Def::Unknown,
        }
    }

    fn bind_slot(&mut self, slot: &Slot, frames: &mut Vec<Frame>) {
        match slot {
            Slot::Expr(id) => self.bind(*id, frames),
            Slot::InheritFrom { from, .. } => self.bind(*from, frames),
            Slot::Nested(a) => self.bind_attrs(a, frames),
        }
    }

    fn bind_attrs(&mut self, a: &AttrsIr, frames: &mut Vec<Frame>) {
        if a.rec {
            let defs = a.statics.iter().map(|(_, s)| Self::slot_def(s)).collect();
            frames.push(Frame::Slots(defs));
        }
        for (_, s) in a.statics.iter() {
            self.bind_slot(s, frames);
        }
        for (k, s) in a.dynamics.iter() {
            self.bind(*k, frames);
            self.bind_slot(s, frames);
        }
        if a.rec {
            frames.pop();
        }
    }

    fn bind_ty(&mut self, id: TyId, frames: &mut Vec<Frame>) {
        match self.module.ty(id) {
            TyIr::Var { up, slot, .. } => {
                let d = Self::lookup(frames, *up, *slot);
                self.ty_defs.insert(id, d);
            }
            TyIr::List(t) | TyIr::Template(t) => self.bind_ty(*t, frames),
            TyIr::Function(p, r) => {
                self.bind_ty(*p, frames);
                self.bind_ty(*r, frames);
            }
            TyIr::Union(ms) => {
                for m in ms.iter() {
                    self.bind_ty(*m, frames);
                }
            }
            TyIr::Record(r) => {
                for f in r.fields.iter() {
                    self.bind_ty(f.ty, frames);
                    if let Some(d) = f.default {
                        self.bind(d, frames);
                    }
                }
                if let Some(t) = r.rest {
                    self.bind_ty(t, frames);
                }
            }
            TyIr::Error
            | TyIr::Base(_)
            | TyIr::Builtin(_)
            | TyIr::Literal(_)
            | TyIr::Alias { .. } => {}
        }
    }

    fn bind(&mut self, id: ExprId, frames: &mut Vec<Frame>) {
        let module = self.module;
        match module.get(id) {
            Ir::Var { up, slot } => {
                let d = Self::lookup(frames, *up, *slot);
                self.defs.insert(id, d);
            }
            Ir::Error
            | Ir::Lit(_)
            | Ir::Unit { .. }
            | Ir::SearchPath(_)
            | Ir::Global(_)
            | Ir::WithVar { .. } => {}
            Ir::Select {
                expr,
                path,
                default,
            } => {
                self.bind(*expr, frames);
                for k in path.iter() {
                    if let Key::Dynamic(k) = k {
                        self.bind(*k, frames);
                    }
                }
                if let Some(d) = default {
                    self.bind(*d, frames);
                }
            }
            Ir::HasAttr { expr, path } => {
                self.bind(*expr, frames);
                for k in path.iter() {
                    if let Key::Dynamic(k) = k {
                        self.bind(*k, frames);
                    }
                }
            }
            Ir::Apply { func, args } => {
                self.bind(*func, frames);
                for a in args.iter() {
                    self.bind(*a, frames);
                }
            }
            Ir::Unary { expr, .. } => self.bind(*expr, frames),
            Ir::Binary { lhs, rhs, .. } => {
                self.bind(*lhs, frames);
                self.bind(*rhs, frames);
            }
            Ir::If { cond, then, else_ } => {
                self.bind(*cond, frames);
                self.bind(*then, frames);
                self.bind(*else_, frames);
            }
            Ir::Assert { cond, body } => {
                self.bind(*cond, frames);
                self.bind(*body, frames);
            }
            Ir::With { env, body } => {
                self.bind(*env, frames);
                frames.push(Frame::With);
                self.bind(*body, frames);
                frames.pop();
            }
            Ir::Let { slots, body } => {
                frames.push(Frame::Slots(slots.iter().map(Self::slot_def).collect()));
                for s in slots.iter() {
                    self.bind_slot(s, frames);
                }
                self.bind(*body, frames);
                frames.pop();
            }
            Ir::Attrs(a) => self.bind_attrs(a, frames),
            Ir::List(items) => {
                for i in items.iter() {
                    self.bind(*i, frames);
                }
            }
            Ir::Lambda(l) => {
                let defs = match &l.param {
                    ParamIr::Ident(_) => vec![Def::Unknown],
                    ParamIr::Pattern { fields, at, .. } => {
                        let mut d: Vec<Def> = fields.iter().map(|f| Def::Param(f.ty)).collect();
                        if at.is_some() {
                            d.push(Def::Unknown);
                        }
                        d
                    }
                };
                frames.push(Frame::Slots(defs));
                if let ParamIr::Pattern { fields, .. } = &l.param {
                    for f in fields.iter() {
                        if let Some(t) = f.ty {
                            self.bind_ty(t, frames);
                        }
                        if let Some(d) = f.default {
                            self.bind(d, frames);
                        }
                    }
                }
                self.bind(l.body, frames);
                frames.pop();
            }
            Ir::Interp { parts, .. } => {
                for p in parts.iter() {
                    if let crate::hir::Part::Interp(e) = p {
                        self.bind(*e, frames);
                    }
                }
            }
            Ir::Annotated { expr, ty } => {
                self.bind(*expr, frames);
                self.bind_ty(*ty, frames);
            }
            Ir::Kind { fields, .. } => self.bind_ty(*fields, frames),
        }
    }

    // ---- step 2: inference --------------------------------------------

    fn infer(&mut self, id: ExprId) -> STy {
        let i = id.0 as usize;
        if let Some(Some(t)) = self.types.get(i) {
            return t.clone();
        }
        if self.in_progress.get(i).copied().unwrap_or(true) {
            return STy::Unknown;
        }
        self.in_progress[i] = true;
        let t = self.infer_inner(id);
        self.in_progress[i] = false;
        self.types[i] = Some(t.clone());
        t
    }

    fn def_type(&mut self, d: Def) -> STy {
        match d {
            Def::Expr(e) => self.infer(e),
            Def::InheritFrom(from, name) => {
                let t = self.infer(from);
                select(&t, name)
            }
            Def::Param(Some(ty)) => {
                let e = self.ety(ty, 0);
                from_expected(&e)
            }
            Def::Param(None) | Def::Unknown => STy::Unknown,
        }
    }

    fn infer_inner(&mut self, id: ExprId) -> STy {
        let module = self.module;
        match module.get(id) {
            Ir::Error | Ir::WithVar { .. } => STy::Unknown,
            Ir::Lit(l) => match l {
                Lit::Null => STy::Null,
                Lit::Bool(_) => STy::Bool,
                Lit::Int(_) => STy::Int,
                Lit::Float(_) => STy::Float,
                Lit::Str(_) => STy::Str,
                Lit::Path(_) => STy::Path,
            },
            Ir::Unit { suffix, .. } => STy::Unit(match &**suffix {
                "ms" | "s" | "h" | "d" => Dim::Duration,
                "m" => Dim::Pending,
                _ => Dim::Memory,
            }),
            Ir::SearchPath(_) => STy::Path,
            Ir::Var { .. } => {
                let d = self.defs.get(&id).copied().unwrap_or(Def::Unknown);
                self.def_type(d)
            }
            Ir::Global(name) => self.global(*name),
            Ir::Select {
                expr,
                path,
                default,
            } => {
                let mut t = self.infer(*expr);
                for k in path.iter() {
                    t = match k {
                        Key::Static(name) => {
                            if name.as_str() == "extend"
                                && let STy::Template(k) = &t
                            {
                                STy::Function(Arc::new(STy::Template(k.clone())))
                            } else {
                                select(&t, *name)
                            }
                        }
                        Key::Dynamic(_) => STy::Unknown,
                    };
                }
                if default.is_some() && matches!(t, STy::Unknown) {
                    return STy::Unknown;
                }
                t
            }
            Ir::HasAttr { .. } => STy::Bool,
            Ir::Apply { func, args } => {
                let mut t = self.infer(*func);
                for (i, a) in args.iter().enumerate() {
                    t = match (&t, module.get(*func)) {
                        (STy::Kind(k), _) => STy::Object(k.clone()),
                        (STy::Template(k), _) => STy::Object(k.clone()),
                        (STy::Function(r), _) => (**r).clone(),
                        (_, Ir::Global(g)) if i == 0 && g.as_str() == "import" => {
                            self.import_type(*a)
                        }
                        (_, Ir::Global(g)) if g.as_str() == "Template" && i == 1 => {
                            match self.infer(args[0]) {
                                STy::Kind(k) => STy::Template(k),
                                _ => STy::Unknown,
                            }
                        }
                        (_, Ir::Global(g)) if g.as_str() == "secret" && i == 0 => STy::Secret,
                        _ => STy::Unknown,
                    };
                }
                t
            }
            Ir::Unary { op, .. } => match op {
                crate::syntax::ast::UnaryOp::Not => STy::Bool,
                crate::syntax::ast::UnaryOp::Neg => STy::Unknown,
            },
            Ir::Binary { op, lhs, rhs } => {
                use crate::syntax::ast::BinaryOp as B;
                match op {
                    B::Eq | B::Ne | B::Lt | B::Le | B::Gt | B::Ge | B::And | B::Or | B::Impl => {
                        STy::Bool
                    }
                    B::Concat => STy::List(Arc::new(STy::Unknown)),
                    B::Update => {
                        let (l, r) = (self.infer(*lhs), self.infer(*rhs));
                        match (l, r) {
                            (STy::Record(a), STy::Record(b)) => {
                                let mut fields = a.fields.clone();
                                for (k, v) in b.fields.iter() {
                                    match fields.binary_search_by_key(k, |(n, _)| *n) {
                                        Ok(i) => fields[i].1 = v.clone(),
                                        Err(i) => fields.insert(i, (*k, v.clone())),
                                    }
                                }
                                STy::Record(Arc::new(SRecord { fields }))
                            }
                            _ => STy::Unknown,
                        }
                    }
                    B::Merge => match self.infer(*lhs) {
                        t @ (STy::Object(_) | STy::Template(_)) => t,
                        _ => STy::Unknown,
                    },
                    _ => STy::Unknown,
                }
            }
            Ir::If { then, else_, .. } => {
                let (a, b) = (self.infer(*then), self.infer(*else_));
                if a == b { a } else { STy::Unknown }
            }
            Ir::Assert { body, .. } | Ir::With { body, .. } | Ir::Let { body, .. } => {
                self.infer(*body)
            }
            Ir::Attrs(a) => {
                if !a.dynamics.is_empty() {
                    return STy::Unknown;
                }
                self.attrs_type(a)
            }
            Ir::List(items) => {
                let mut elem: Option<STy> = None;
                for i in items.iter() {
                    let t = self.infer(*i);
                    elem = match elem {
                        None => Some(t),
                        Some(e) if e == t => Some(e),
                        Some(_) => Some(STy::Unknown),
                    };
                }
                STy::List(Arc::new(elem.unwrap_or(STy::Unknown)))
            }
            Ir::Lambda(l) => {
                let r = self.infer(l.body);
                STy::Function(Arc::new(r))
            }
            Ir::Interp { path: true, .. } => STy::Path,
            Ir::Interp { parts, .. } => {
                let mut secret = false;
                for p in parts.iter() {
                    if let crate::hir::Part::Interp(e) = p
                        && self.infer(*e) == STy::Secret
                    {
                        secret = true;
                    }
                }
                if secret { STy::Secret } else { STy::Str }
            }
            Ir::Annotated { expr, ty } => {
                let e = self.ety(*ty, 0);
                match from_expected(&e) {
                    STy::Unknown => self.infer(*expr),
                    t => t,
                }
            }
            Ir::Kind { name, fields, .. } => {
                let record = match self.ety(*fields, 0) {
                    ETy::Record(r) => r,
                    _ => Arc::new(ERecord {
                        fields: Vec::new(),
                        rest: None,
                    }),
                };
                STy::Kind(Arc::new(SKind {
                    name: Sym::new(name),
                    record,
                    loc: self.loc(Node::Expr(id)),
                }))
            }
        }
    }

    fn attrs_type(&mut self, a: &AttrsIr) -> STy {
        let mut fields = Vec::with_capacity(a.statics.len());
        for (name, slot) in a.statics.iter() {
            let t = match slot {
                Slot::Expr(e) => self.infer(*e),
                Slot::InheritFrom { from, name } => {
                    let t = self.infer(*from);
                    select(&t, *name)
                }
                Slot::Nested(inner) => self.attrs_type(inner),
            };
            fields.push((*name, t));
        }
        STy::Record(Arc::new(SRecord { fields }))
    }

    fn global(&mut self, name: Sym) -> STy {
        if crate::hir::lower::BUILTIN_KINDS.contains(&name.as_str()) {
            return match prelude_kinds(self.db).get(&name) {
                Some(k) => STy::Kind(k.clone()),
                None => STy::Unknown,
            };
        }
        match name.as_str() {
            "true" | "false" => STy::Bool,
            "null" => STy::Null,
            _ => STy::Unknown,
        }
    }

    /// The type of `import e` when `e` is a literal path or `<…>`.
    fn import_type(&mut self, arg: ExprId) -> STy {
        let path = match self.module.get(arg) {
            Ir::Lit(Lit::Path(p)) => std::path::PathBuf::from(&**p),
            Ir::SearchPath(text) => match db::resolve_search_path(self.db, text) {
                Some(p) => p,
                None => return STy::Unknown,
            },
            _ => return STy::Unknown,
        };
        let file = db::import_target(self.db, &path);
        if file == self.file || file.contents(self.db).text().is_none() {
            return STy::Unknown;
        }
        infer_root(self.db, file)
    }

    /// The expected type a written type stands for.
    fn ety(&mut self, id: TyId, depth: usize) -> ETy {
        if depth > MAX_TYPE_DEPTH {
            return ETy::Any;
        }
        let module = self.module;
        match module.ty(id) {
            TyIr::Error | TyIr::Base(BaseTy::Any) => ETy::Any,
            TyIr::Base(b) => ETy::Base(*b),
            TyIr::Builtin(name) => match prelude_kinds(self.db).get(name) {
                Some(k) => ETy::Kind(k.clone()),
                None => ETy::Any,
            },
            TyIr::Var { .. } => {
                let d = self.ty_defs.get(&id).copied().unwrap_or(Def::Unknown);
                match self.def_type(d) {
                    STy::Kind(k) => ETy::Kind(k),
                    _ => ETy::Any,
                }
            }
            TyIr::Literal(s) => ETy::Literal(s.clone()),
            TyIr::List(t) => ETy::List(Arc::new(self.ety(*t, depth + 1))),
            TyIr::Record(r) => {
                let fields = r
                    .fields
                    .iter()
                    .map(|f| EField {
                        name: f.name,
                        ty: self.ety(f.ty, depth + 1),
                        optional: f.optional,
                        has_default: f.default.is_some(),
                        doc: f.doc.clone(),
                        loc: self.loc(Node::Field(f.ty)),
                    })
                    .collect();
                let rest = r.rest.map(|t| self.ety(t, depth + 1));
                ETy::Record(Arc::new(ERecord { fields, rest }))
            }
            TyIr::Union(ms) => {
                let ms: Vec<ETy> = ms.iter().map(|m| self.ety(*m, depth + 1)).collect();
                ETy::Union(Arc::from(ms))
            }
            TyIr::Function(p, r) => {
                let p = self.ety(*p, depth + 1);
                let r = self.ety(*r, depth + 1);
                ETy::Function(Arc::new((p, r)))
            }
            TyIr::Template(k) => match self.ety(*k, depth + 1) {
                ETy::Kind(k) => ETy::Template(k),
                _ => ETy::Any,
            },
            TyIr::Alias { name, target } => {
                ETy::Named(*name, Arc::new(self.ety(*target, depth + 1)))
            }
        }
    }

    // ---- checks ---------------------------------------------------------

    /// The checks a node asks for.
    fn check_node(&mut self, id: ExprId) {
        let module = self.module;
        match module.get(id) {
            Ir::Annotated { expr, ty } => {
                let e = self.ety(*ty, 0);
                let cx = Cx {
                    path: String::new(),
                    by: Some(self.loc(Node::Ty(*ty))),
                    partial: false,
                };
                self.check(*expr, &e, &cx);
            }
            Ir::Apply { func, args } => {
                let Some(first) = args.first() else { return };
                match self.infer(*func) {
                    STy::Kind(k) => self.construct(*first, &k, "", false),
                    STy::Template(k) => self.construct(*first, &k, "", true),
                    STy::Function(r) => {
                        // `t.extend { … }` checks like the template.
                        if let (STy::Template(k), Ir::Select { path, .. }) =
                            (&*r, module.get(*func))
                            && matches!(path.last(), Some(Key::Static(n)) if n.as_str() == "extend")
                        {
                            self.construct(*first, &k.clone(), "", true);
                        }
                    }
                    _ => {
                        if let Ir::Global(g) = module.get(*func)
                            && g.as_str() == "Template"
                            && let Some(second) = args.get(1)
                            && let STy::Kind(k) = self.infer(*first)
                        {
                            self.construct(*second, &k, "", true);
                        }
                    }
                }
            }
            Ir::Kind { name, fields, .. } => {
                if let TyIr::Record(r) = module.ty(*fields) {
                    for f in r.fields.iter() {
                        if let Some(d) = f.default {
                            let e = self.ety(f.ty, 0);
                            let cx = Cx {
                                path: format!("{name}.{}", f.name),
                                by: Some(self.loc(Node::Field(f.ty))),
                                partial: false,
                            };
                            self.check(d, &e, &cx);
                        }
                    }
                }
            }
            Ir::Lambda(l) => {
                if let ParamIr::Pattern { fields, .. } = &l.param {
                    for f in fields.iter() {
                        if let (Some(ty), Some(d)) = (f.ty, f.default) {
                            let e = self.ety(ty, 0);
                            let cx = Cx {
                                path: f.name.as_str().to_string(),
                                by: Some(self.loc(Node::Ty(ty))),
                                partial: false,
                            };
                            self.check(d, &e, &cx);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// `Kind { … }` (or a template's fields when `partial`).
    fn construct(&mut self, arg: ExprId, k: &Arc<SKind>, path: &str, partial: bool) {
        let cx = Cx {
            path: path.to_string(),
            by: Some(k.loc),
            partial,
        };
        match self.module.get(arg) {
            Ir::Attrs(a) if a.dynamics.is_empty() => {
                self.check_record_literal(arg, a, &k.record, Some(k), &cx);
            }
            _ => {
                let t = self.infer(arg);
                if is_certainly_not(&t, &ETy::Record(k.record.clone())) {
                    self.problems.push(Problem::Mismatch {
                        path: String::new(),
                        expected: k.name.as_str().to_string(),
                        found: found(&t),
                        at: self.loc(Node::Expr(arg)),
                        by: Some(k.loc),
                    });
                }
            }
        }
    }

    fn check_record_literal(
        &mut self,
        id: ExprId,
        a: &AttrsIr,
        r: &ERecord,
        kind: Option<&Arc<SKind>>,
        cx: &Cx,
    ) {
        let owner = kind
            .map(|k| k.name.as_str().to_string())
            .unwrap_or_default();
        let declared = kind.map(|k| k.loc).or(cx.by);
        let prefix = |name: &str| -> String {
            match (cx.path.is_empty(), kind) {
                (true, Some(k)) => format!("{}.{name}", k.name),
                (true, None) => name.to_string(),
                (false, _) => format!("{}.{name}", cx.path),
            }
        };
        let mut unknown = false;
        for (name, slot) in a.statics.iter() {
            let (fty, by) = match r.field(*name) {
                Some(f) => (f.ty.clone(), Some(f.loc)),
                None => match &r.rest {
                    Some(rest) => (rest.clone(), cx.by),
                    None => {
                        let at = match slot {
                            Slot::Expr(v) => self.loc(Node::Key(*v)),
                            _ => self.loc(Node::Expr(id)),
                        };
                        self.problems.push(Problem::UnknownField {
                            owner: owner.clone(),
                            field: name.as_str().to_string(),
                            fields: r
                                .fields
                                .iter()
                                .map(|f| f.name.as_str().to_string())
                                .collect(),
                            at,
                            declared,
                        });
                        unknown = true;
                        continue;
                    }
                },
            };
            let child = Cx {
                path: prefix(name.as_str()),
                by,
                partial: cx.partial,
            };
            match slot {
                Slot::Expr(v) => {
                    // An append (`x += e`) is checked as the list or
                    // string it adds, which has the field's type too.
                    self.check(*v, &fty, &child);
                }
                Slot::Nested(inner) => self.check_nested(id, inner, &fty, &child),
                Slot::InheritFrom { .. } => {}
            }
        }
        // The run time stops at the first unknown field, before missing
        // ones; say the same.
        if unknown || cx.partial {
            return;
        }
        for f in r.fields.iter() {
            if f.required()
                && a.statics
                    .binary_search_by_key(&f.name, |(k, _)| *k)
                    .is_err()
            {
                self.problems.push(Problem::MissingField {
                    owner: owner.clone(),
                    field: f.name.as_str().to_string(),
                    field_ty: f.ty.display(),
                    at: self.loc(Node::Expr(id)),
                    declared: Some(f.loc),
                });
            }
        }
    }

    /// `a.b = 1;` in a literal: a record without a node of its own.
    fn check_nested(&mut self, parent: ExprId, inner: &AttrsIr, ty: &ETy, cx: &Cx) {
        match ty.resolved() {
            ETy::Record(r) => self.check_record_literal(parent, inner, &r.clone(), None, cx),
            ETy::Kind(k) => {
                let k = k.clone();
                self.check_record_literal(parent, inner, &k.record, Some(&k), cx)
            }
            _ => {}
        }
    }

    /// Checks expression `id` against an expected type.
    fn check(&mut self, id: ExprId, ty: &ETy, cx: &Cx) {
        let ty = ty.resolved().clone();
        if matches!(ty, ETy::Any) {
            return;
        }
        let module = self.module;
        let node = module.get(id);
        match (&ty, node) {
            (ETy::Record(r), Ir::Attrs(a)) if a.dynamics.is_empty() => {
                self.check_record_literal(id, a, r, None, cx);
                return;
            }
            (ETy::Kind(k), Ir::Attrs(a)) if a.dynamics.is_empty() => {
                self.check_record_literal(id, a, &k.record, Some(k), cx);
                return;
            }
            (ETy::List(elem), Ir::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let child = Cx {
                        path: format!("{}[{i}]", cx.path),
                        by: cx.by,
                        partial: cx.partial,
                    };
                    self.check(*item, elem, &child);
                }
                return;
            }
            (ETy::Union(members), _) => {
                let t = self.infer(id);
                if matches!(t, STy::Unknown) {
                    return;
                }
                let literal = match node {
                    Ir::Lit(Lit::Str(s)) => Some(s.clone()),
                    _ => None,
                };
                let attrs: Option<&AttrsIr> = match node {
                    Ir::Attrs(a) if a.dynamics.is_empty() => Some(a),
                    _ => None,
                };
                for m in members.iter() {
                    if shallow_match(&t, literal.as_deref(), attrs, m.resolved()) {
                        self.check(id, m, cx);
                        return;
                    }
                }
                let strings: Option<Vec<String>> = members
                    .iter()
                    .map(|m| match m.resolved() {
                        ETy::Literal(s) => Some(s.to_string()),
                        _ => None,
                    })
                    .collect();
                if let (Some(members), Some(s)) = (strings, &literal) {
                    self.problems.push(Problem::NotInEnum {
                        path: cx.path.clone(),
                        members,
                        found: s.to_string(),
                        at: self.loc(Node::Expr(id)),
                        by: cx.by,
                    });
                    return;
                }
                // Only a certain mismatch with every member is an error.
                if members.iter().all(|m| is_certainly_not(&t, m.resolved())) {
                    self.mismatch(id, &ty, &t, cx);
                }
                return;
            }
            (ETy::Literal(s), Ir::Lit(Lit::Str(x))) => {
                if s != x {
                    self.problems.push(Problem::NotInEnum {
                        path: cx.path.clone(),
                        members: vec![s.to_string()],
                        found: x.to_string(),
                        at: self.loc(Node::Expr(id)),
                        by: cx.by,
                    });
                }
                return;
            }
            _ => {}
        }
        let t = self.infer(id);
        if is_certainly_not(&t, &ty) {
            self.mismatch(id, &ty, &t, cx);
        }
    }

    fn mismatch(&mut self, id: ExprId, ty: &ETy, t: &STy, cx: &Cx) {
        self.problems.push(Problem::Mismatch {
            path: cx.path.clone(),
            expected: ty.display(),
            found: found(t),
            at: self.loc(Node::Expr(id)),
            by: cx.by,
        });
    }
}

/// A field of a record or object type.
fn select(t: &STy, name: Sym) -> STy {
    match t {
        STy::Record(r) => match r.fields.binary_search_by_key(&name, |(k, _)| *k) {
            Ok(i) => r.fields[i].1.clone(),
            Err(_) => STy::Unknown,
        },
        STy::Object(k) | STy::Template(k) => match k.record.field(name) {
            Some(f) => from_expected(&f.ty),
            None => STy::Unknown,
        },
        _ => STy::Unknown,
    }
}

/// The inferred type a value of an expected type has.
fn from_expected(e: &ETy) -> STy {
    match e.resolved() {
        ETy::Base(b) => match b {
            BaseTy::Int => STy::Int,
            BaseTy::Float => STy::Float,
            BaseTy::Bool => STy::Bool,
            BaseTy::String => STy::Str,
            BaseTy::Path => STy::Path,
            BaseTy::Null => STy::Null,
            BaseTy::Secret => STy::Secret,
            BaseTy::Duration => STy::Unit(Dim::Duration),
            BaseTy::Memory => STy::Unit(Dim::Memory),
            BaseTy::Cpu => STy::Unit(Dim::Cpu),
            BaseTy::Number | BaseTy::Any => STy::Unknown,
        },
        ETy::Literal(_) => STy::Str,
        ETy::List(t) => STy::List(Arc::new(from_expected(t))),
        ETy::Kind(k) => STy::Object(k.clone()),
        ETy::Template(k) => STy::Template(k.clone()),
        ETy::Function(f) => STy::Function(Arc::new(from_expected(&f.1))),
        _ => STy::Unknown,
    }
}

/// How a value of an inferred type is described in an error; the same
/// words as [`crate::eval::contract::found`].
pub fn found(t: &STy) -> String {
    match t {
        STy::Unknown => "a value".into(),
        STy::Null => "null".into(),
        STy::Bool => "a Boolean".into(),
        STy::Int => "an integer".into(),
        STy::Float => "a float".into(),
        STy::Str => "a string".into(),
        STy::Path => "a path".into(),
        STy::Unit(d) => match d {
            Dim::Duration => "a duration",
            Dim::Memory => "a memory size",
            Dim::Cpu => "a CPU amount",
            Dim::Pending => "a unit literal",
        }
        .into(),
        STy::Secret => "a secret".into(),
        STy::List(_) => "a list".into(),
        STy::Record(_) => "a set".into(),
        STy::Function(_) => "a function".into(),
        STy::Kind(_) => "a kind".into(),
        STy::Object(k) => format!("a `{}` object", k.name),
        STy::Template(k) => format!("a template of `{}`", k.name),
    }
}

/// Whether a value of inferred type `t` certainly fails `e` (as the run
/// time would find).
fn is_certainly_not(t: &STy, e: &ETy) -> bool {
    let e = e.resolved();
    match (t, e) {
        (STy::Unknown, _) | (_, ETy::Any) => false,
        (_, ETy::Named(..)) => false,
        (t, ETy::Base(b)) => !matches!(
            (t, b),
            (
                STy::Int,
                BaseTy::Int | BaseTy::Float | BaseTy::Number | BaseTy::Cpu
            ) | (STy::Float, BaseTy::Float | BaseTy::Number | BaseTy::Cpu)
                | (STy::Bool, BaseTy::Bool)
                | (STy::Str, BaseTy::String)
                | (STy::Path, BaseTy::Path)
                | (STy::Null, BaseTy::Null)
                | (STy::Secret, BaseTy::Secret)
                | (STy::Unit(Dim::Duration), BaseTy::Duration)
                | (STy::Unit(Dim::Memory), BaseTy::Memory)
                | (STy::Unit(Dim::Cpu), BaseTy::Cpu)
                | (STy::Unit(Dim::Pending), BaseTy::Duration | BaseTy::Cpu)
        ),
        (STy::Str, ETy::Literal(_)) => false,
        (_, ETy::Literal(_)) => true,
        (STy::List(_), ETy::List(_)) => false,
        (_, ETy::List(_)) => true,
        (STy::Record(_) | STy::Object(_), ETy::Record(_)) => false,
        (_, ETy::Record(_)) => true,
        (_, ETy::Union(ms)) => ms.iter().all(|m| is_certainly_not(t, m)),
        (STy::Function(_) | STy::Kind(_) | STy::Template(_), ETy::Function(_)) => false,
        (_, ETy::Function(_)) => true,
        (STy::Object(a), ETy::Kind(b)) => a.name != b.name,
        (STy::Record(_), ETy::Kind(_)) => false,
        (_, ETy::Kind(_)) => true,
        (STy::Function(_), ETy::Template(_)) => false,
        (STy::Template(a), ETy::Template(b)) => a.name != b.name,
        (_, ETy::Template(_)) => true,
    }
}

/// How a union picks its member, as the run time does.
fn shallow_match(t: &STy, literal: Option<&str>, attrs: Option<&AttrsIr>, m: &ETy) -> bool {
    match (m, t) {
        (ETy::Literal(s), _) => literal == Some(&**s),
        (ETy::Record(r), STy::Record(_)) => attrs.is_none_or(|a| record_shape(r, a)),
        (ETy::Kind(k), STy::Record(_)) => attrs.is_none_or(|a| record_shape(&k.record, a)),
        _ => !is_certainly_not(t, m),
    }
}

fn record_shape(r: &ERecord, a: &AttrsIr) -> bool {
    let names_ok = r.rest.is_some() || a.statics.iter().all(|(k, _)| r.field(*k).is_some());
    names_ok
        && r.fields
            .iter()
            .all(|f| !f.required() || a.statics.binary_search_by_key(&f.name, |(k, _)| *k).is_ok())
}

impl ETy {
    /// Through aliases.
    pub fn resolved(&self) -> &ETy {
        let mut t = self;
        while let ETy::Named(_, inner) = t {
            t = inner;
        }
        t
    }

    /// The type as written; the same text as the run time's display.
    pub fn display(&self) -> String {
        type_text(self)
    }
}

impl TypeText for ETy {
    fn shape(&self) -> Shape<'_, ETy> {
        match self {
            ETy::Any => Shape::Name("Any"),
            ETy::Base(b) => Shape::Name(b.name()),
            ETy::Literal(s) => Shape::Literal(s),
            ETy::List(t) => Shape::List(t),
            ETy::Record(r) => Shape::Record {
                fields: r
                    .fields
                    .iter()
                    .map(|f| (f.name.as_str(), f.optional, &f.ty))
                    .collect(),
                rest: r.rest.as_ref(),
            },
            ETy::Union(ms) => Shape::Union(ms.iter().collect()),
            ETy::Function(f) => Shape::Function(&f.0, &f.1),
            ETy::Kind(k) => Shape::Name(k.name.as_str()),
            ETy::Template(k) => Shape::Template(k.name.as_str()),
            ETy::Named(n, _) => Shape::Name(n.as_str()),
        }
    }
}

/// The inferred type of a file's value (what `import` of it gives).
/// An import cycle types as unknown (the evaluator reports the cycle).
#[salsa::tracked(returns(clone), cycle_result = root_in_cycle)]
pub fn infer_root(db: &dyn Db, file: SourceFile) -> STy {
    infer(db, file).root.clone()
}

fn root_in_cycle(_db: &dyn Db, _id: salsa::Id, _file: SourceFile) -> STy {
    STy::Unknown
}

/// Inference of one file.
#[salsa::tracked(returns(ref), cycle_result = inference_in_cycle)]
pub fn infer(db: &dyn Db, file: SourceFile) -> Inference {
    infer_file(db, file)
}

fn inference_in_cycle(_db: &dyn Db, _id: salsa::Id, _file: SourceFile) -> Inference {
    Inference {
        root: STy::Unknown,
        types: Vec::new(),
        problems: Vec::new(),
    }
}

/// The built-in kinds, from the prelude.
#[salsa::tracked(returns(ref))]
pub fn prelude_kinds(db: &dyn Db) -> FxHashMap<Sym, Arc<SKind>> {
    let file = db.file(&crate::embedded::path(crate::embedded::PRELUDE));
    let mut out = FxHashMap::default();
    if let STy::Record(r) = &infer(db, file).root {
        for (name, t) in r.fields.iter() {
            if let STy::Kind(k) = t {
                out.insert(*name, k.clone());
            }
        }
    }
    out
}
