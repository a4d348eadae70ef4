//! Types: the static checker ([`infer`]) and the diagnostics both it and
//! the run-time checks produce ([`report`]).
//!
//! dvm checks types twice, with one message format: statically where the
//! checker can see them (an annotated binding, a kind applied to a literal
//! record, a template's fields, even inside functions never called), and at
//! run time at every annotation and kind boundary (`eval::contract`). Both
//! build their diagnostics with [`report`], so an error found both ways
//! reads the same and is shown once.

pub mod display;
pub mod infer;
pub mod report;

use crate::db::{self, Db, SourceFile};
use crate::diag::Diagnostic;
use infer::{Node, NodeLoc, Problem};

/// The static type errors of one file, as diagnostics.
pub fn type_diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let inference = infer::infer(db, file);
    let place = |l: &NodeLoc| {
        let lowered = db::lower(db, l.file);
        let sm = &lowered.source_map;
        let span = match l.node {
            Node::Expr(e) => sm.span(e),
            Node::Key(e) => sm.key_span(e),
            Node::Ty(t) => sm.type_span(t),
            Node::Field(t) => match sm.field_name_spans.get(&t) {
                Some(n) => n.to(sm.type_span(t)),
                None => sm.type_span(t),
            },
        };
        (db::display_name(db, l.file), span)
    };
    let at = |l: &NodeLoc| Some(place(l));
    let by = |l: &Option<NodeLoc>| l.as_ref().map(place);
    fn r(p: &Option<(crate::diag::FileName, crate::syntax::ast::Span)>) -> report::At<'_> {
        p.as_ref().map(|(f, s)| (f, *s))
    }
    inference
        .problems
        .iter()
        .map(|p| match p {
            Problem::Mismatch {
                path,
                expected,
                found,
                at: a,
                by: b,
            } => report::mismatch(path, expected, found, r(&at(a)), r(&by(b))),
            Problem::NotInEnum {
                path,
                members,
                found,
                at: a,
                by: b,
            } => {
                let members: Vec<&str> = members.iter().map(String::as_str).collect();
                report::not_in_enum(path, &members, found, r(&at(a)), r(&by(b)))
            }
            Problem::UnknownField {
                owner,
                field,
                fields,
                at: a,
                declared,
            } => {
                let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
                report::unknown_field(owner, field, &fields, r(&at(a)), r(&by(declared)))
            }
            Problem::MissingField {
                owner,
                field,
                field_ty,
                at: a,
                declared,
            } => report::missing_field(owner, field, field_ty, r(&at(a)), r(&by(declared))),
        })
        .collect()
}
