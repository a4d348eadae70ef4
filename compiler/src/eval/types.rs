//! Run-time types: what a [`crate::hir::TyIr`] evaluates to, kinds
//! ([`KindDef`]) and the tag an object carries ([`ObjMeta`]).
//!
//! A type is evaluated where it is written, so a kind named by a variable
//! is looked up then, and the defaults of a record type become thunks of
//! that frame (shared by every value checked against it). Aliases stay
//! lazy ([`Ty::Named`]) so that a recursive type (`type Tree = { children
//! : [Tree] }`) costs nothing until a value needs it.
//!
//! This module only describes types; checking values against them is
//! [`super::contract`].

use super::value::{Env, Thunk};
use crate::diag::FileName;
use crate::hir::{BaseTy, TyId};
use crate::intern::Sym;
use crate::syntax::ast::Span;
use crate::types::display::{Shape, TypeText, type_text};
use std::cell::OnceCell;
use std::rc::Rc;
use std::sync::Arc;

/// A place in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loc {
    pub file: FileName,
    pub span: Span,
}

#[derive(Clone)]
pub enum Ty {
    Any,
    Base(BaseTy),
    /// `"tcp"`: exactly this string.
    Literal(Rc<str>),
    List(Rc<Ty>),
    Record(Rc<RecordTy>),
    Union(Rc<[Ty]>),
    Function(Rc<(Ty, Ty)>),
    /// An object of this kind.
    Kind(Rc<KindDef>),
    /// A template of this kind, or any function (language.md §4).
    Template(Rc<KindDef>),
    /// A `type` alias, evaluated on first use.
    Named(Rc<NamedTy>),
}

/// A use of a `type` alias: its name and, once needed, its type.
pub struct NamedTy {
    pub name: Sym,
    pub target: TyId,
    pub env: Env,
    pub resolved: OnceCell<Ty>,
}

pub struct RecordTy {
    /// In source order.
    pub fields: Vec<FieldTy>,
    /// `... : T`; `None` makes the record closed.
    pub rest: Option<Ty>,
}

pub struct FieldTy {
    pub name: Sym,
    pub ty: Ty,
    pub optional: bool,
    pub default: Option<Thunk>,
    pub doc: Option<Arc<str>>,
    /// Where the field's type is written (for "expected because of this").
    pub loc: Option<Loc>,
}

impl FieldTy {
    pub fn required(&self) -> bool {
        !self.optional && self.default.is_none()
    }
}

impl RecordTy {
    pub fn field(&self, name: Sym) -> Option<&FieldTy> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A kind: a name and the closed record type of its fields.
pub struct KindDef {
    pub name: Sym,
    pub fields: Rc<RecordTy>,
    /// Where `kind "…" { … }` is written.
    pub loc: Option<Loc>,
}

/// What marks a set as an object or a template.
pub struct ObjMeta {
    pub kind: Rc<KindDef>,
    pub template: bool,
    /// The kind application or template call that built it.
    pub site: Option<Loc>,
    /// Where each field's value was written, when known; sorted by name.
    pub field_sites: Vec<(Sym, Loc)>,
}

/// The context of a check: where the value was written, where the
/// expectation comes from, and whether the check is partial (inside a
/// template, every field is optional at every depth).
#[derive(Clone, Default)]
pub struct CheckCx {
    pub value_at: Option<Loc>,
    /// The literal that produced the value, when known: gives the spans
    /// of the fields and elements inside it.
    pub lit: Option<super::contract::LitRef>,
    pub expected_by: Option<Loc>,
    /// `ports[0].container`: where in the checked value this is.
    pub path: Rc<str>,
    pub partial: bool,
}

impl Ty {
    /// The type as it would be written.
    pub fn display(&self) -> String {
        type_text(self)
    }
}

impl TypeText for Ty {
    fn shape(&self) -> Shape<'_, Ty> {
        match self {
            Ty::Any => Shape::Name("Any"),
            Ty::Base(b) => Shape::Name(b.name()),
            Ty::Literal(s) => Shape::Literal(s),
            Ty::List(t) => Shape::List(t),
            Ty::Record(r) => Shape::Record {
                fields: r
                    .fields
                    .iter()
                    .map(|f| (f.name.as_str(), f.optional, &f.ty))
                    .collect(),
                rest: r.rest.as_ref(),
            },
            Ty::Union(ms) => Shape::Union(ms.iter().collect()),
            Ty::Function(f) => Shape::Function(&f.0, &f.1),
            Ty::Kind(k) => Shape::Name(k.name.as_str()),
            Ty::Template(k) => Shape::Template(k.name.as_str()),
            Ty::Named(n) => Shape::Name(n.name.as_str()),
        }
    }
}
