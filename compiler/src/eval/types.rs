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
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, depth: usize) {
        if depth > 4 {
            out.push('…');
            return;
        }
        match self {
            Ty::Any => out.push_str("Any"),
            Ty::Base(b) => out.push_str(b.name()),
            Ty::Literal(s) => {
                out.push('"');
                out.push_str(s);
                out.push('"');
            }
            Ty::List(t) => {
                out.push('[');
                t.write(out, depth + 1);
                out.push(']');
            }
            Ty::Record(r) => {
                out.push_str("{ ");
                for (i, f) in r.fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    if i >= 4 {
                        out.push('…');
                        break;
                    }
                    out.push_str(f.name.as_str());
                    out.push_str(if f.optional { " ? : " } else { " : " });
                    f.ty.write(out, depth + 1);
                }
                if let Some(rest) = &r.rest {
                    if !r.fields.is_empty() {
                        out.push_str(", ");
                    }
                    out.push_str("... : ");
                    rest.write(out, depth + 1);
                }
                out.push_str(" }");
            }
            Ty::Union(members) => {
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" | ");
                    }
                    m.write(out, depth + 1);
                }
            }
            Ty::Function(f) => {
                f.0.write(out, depth + 1);
                out.push_str(" -> ");
                f.1.write(out, depth + 1);
            }
            Ty::Kind(k) => out.push_str(k.name.as_str()),
            Ty::Template(k) => {
                out.push_str("Template ");
                out.push_str(k.name.as_str());
            }
            Ty::Named(n) => out.push_str(n.name.as_str()),
        }
    }
}
