//! Document symbols: the outline of a file's objects — every application
//! of a kind or template (`Ecosystem { … }`, `App { … }`, `goApi { … }`),
//! named by the attribute it is bound to, nested as written.
//!
//! Example: `Ecosystem { domains.auth = Domain { apps.api = App { … }; }; }`
//! gives `Ecosystem` (the root has no attribute name) ⊃ `auth` (Domain) ⊃
//! `api` (App).
//!
//! Knows nothing of LSP; spans are byte spans of the file.

use crate::db::{self, Db, SourceFile};
use crate::hir::{ExprId, Ir, Module, SourceMap};
use crate::intern::Sym;
use crate::syntax::ast::Span;
use crate::types::infer::{self, STy};

#[derive(Clone, Debug, PartialEq)]
pub struct Symbol {
    pub name: String,
    /// The kind of the object (`App`), or `Template App`.
    pub detail: String,
    /// The kind's name, for the editor's icon.
    pub kind: String,
    /// The whole object, with the attribute name it is bound to.
    pub span: Span,
    /// The name to select: the attribute's name, or the kind's.
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// The outline of a file.
pub fn symbols(db: &dyn Db, file: SourceFile) -> Vec<Symbol> {
    let lowered = db::lower(db, file);
    let inference = infer::infer(db, file);
    let w = Walker {
        module: &lowered.module,
        sm: &lowered.source_map,
        types: &inference.types,
    };
    let mut out = Vec::new();
    let mut budget = lowered.module.exprs.len() * 2 + 16;
    w.expr(lowered.module.root, None, &mut out, &mut budget);
    out.sort_by_key(|c| c.span);
    out
}

struct Walker<'a> {
    module: &'a Module,
    sm: &'a SourceMap,
    types: &'a [STy],
}

impl Walker<'_> {
    fn expr(&self, id: ExprId, field: Option<Sym>, out: &mut Vec<Symbol>, budget: &mut usize) {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        let ir = self.module.get(id);
        if let Ir::Apply { func, .. } = ir
            && let Some(STy::Kind(k) | STy::Template(k)) = self.types.get(func.0 as usize)
        {
            let detail = match self.types.get(func.0 as usize) {
                Some(STy::Template(_)) => format!("Template {}", k.name),
                _ => k.name.as_str().to_string(),
            };
            let span = self.sm.span(id);
            let (name, selection) = match field {
                Some(f) => (
                    f.as_str().to_string(),
                    self.sm.key_spans.get(&id).copied().unwrap_or(span),
                ),
                None => (k.name.as_str().to_string(), self.sm.span(*func)),
            };
            let mut children = Vec::new();
            self.children(ir, &mut children, budget);
            children.sort_by_key(|c| c.span);
            out.push(Symbol {
                name,
                detail,
                kind: k.name.as_str().to_string(),
                span: span.to(selection),
                selection,
                children,
            });
            return;
        }
        self.children(ir, out, budget);
    }

    fn children(&self, ir: &Ir, out: &mut Vec<Symbol>, budget: &mut usize) {
        for (c, _, field) in super::cursor::children(ir, None, &|_| None, self.module) {
            self.expr(c, field, out, budget);
        }
    }
}
