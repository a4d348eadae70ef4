//! Dependency instance names (objects.md, "the scoping rule"): the
//! attributes bound under a scope's `dependencies`, and the strings of
//! `uses = [ … ]` lists that name them.
//!
//! A name in a `uses` list is looked up from the record that carries the
//! list outwards, through every enclosing record literal (workspace or
//! service, app, domain, ecosystem): the innermost `dependencies` that
//! binds it wins. This is the lexical part of the rule, over one file; the
//! graph resolver does the full lookup (and reports unknown names).
//!
//! Example: in `Ecosystem { dependencies.db = …; apps.a = App { uses = [
//! "db" ]; }; }` the string `"db"` names the instance bound at `db`.

use crate::db::{self, Db, SourceFile};
use crate::hir::{AttrsIr, ExprId, Ir, Lit, Module, Slot, SourceMap};
use crate::intern::Sym;
use crate::syntax::ast::Span;

/// One instance declaration: its name and the span of its key.
#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    pub name: Sym,
    pub span: Span,
}

/// One string of a `uses` list.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceUse {
    pub name: Sym,
    /// The string literal, quotes included.
    pub span: Span,
    /// The instance it names, by index into [`Instances::defs`].
    pub def: Option<usize>,
    /// The instances visible from here (for completion), innermost first.
    pub visible: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Instances {
    pub defs: Vec<Instance>,
    pub uses: Vec<InstanceUse>,
    /// Every `uses` list: its span and the instances visible from it.
    pub lists: Vec<(Span, Vec<usize>)>,
}

impl Instances {
    /// The instance declared or named at `offset`.
    pub fn at(&self, offset: u32) -> Option<usize> {
        let hit = |s: Span| s.start <= offset && offset <= s.end;
        if let Some(u) = self.uses.iter().find(|u| hit(u.span)) {
            return u.def;
        }
        self.defs.iter().position(|d| hit(d.span))
    }
}

/// The instances and uses of one file.
#[salsa::tracked(returns(ref))]
pub fn instances(db: &dyn Db, file: SourceFile) -> Instances {
    let lowered = db::lower(db, file);
    let mut w = Walker {
        module: &lowered.module,
        sm: &lowered.source_map,
        out: Instances::default(),
        scopes: Vec::new(),
        budget: lowered.module.exprs.len() * 2 + 16,
    };
    w.expr(lowered.module.root);
    // The IR keeps attributes in symbol order, which is not stable across
    // processes: answer in source order.
    w.out.uses.sort_by_key(|u| u.span);
    w.out.lists.sort_by_key(|(s, _)| *s);
    w.out
}

struct Walker<'a> {
    module: &'a Module,
    sm: &'a SourceMap,
    out: Instances,
    /// Instances declared by each enclosing record, innermost last.
    scopes: Vec<Vec<usize>>,
    /// Guards against revisiting: every node is visited at most once per
    /// path, and the IR is a tree, so this only bounds a malformed one.
    budget: usize,
}

impl Walker<'_> {
    fn visible(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for scope in self.scopes.iter().rev() {
            for &d in scope {
                let name = self.out.defs[d].name;
                if !out.iter().any(|&o| self.out.defs[o].name == name) {
                    out.push(d);
                }
            }
        }
        out
    }

    fn declared(&mut self, a: &AttrsIr) -> Vec<usize> {
        let mut out = Vec::new();
        let Some((_, slot)) = a.statics.iter().find(|(n, _)| n.as_str() == "dependencies") else {
            return out;
        };
        let inner: Option<&AttrsIr> = match slot {
            Slot::Nested(inner) => Some(inner),
            Slot::Expr(id) => match self.module.get(*id) {
                Ir::Attrs(inner) => Some(inner),
                _ => None,
            },
            Slot::InheritFrom { .. } => None,
        };
        for (name, slot) in inner.map(|i| i.statics.iter()).into_iter().flatten() {
            let span = match slot {
                Slot::Expr(v) => self.sm.key_span(*v),
                _ => continue,
            };
            self.out.defs.push(Instance { name: *name, span });
            out.push(self.out.defs.len() - 1);
        }
        out.sort_by_key(|&d| self.out.defs[d].span);
        out
    }

    fn uses_list(&mut self, list: ExprId) {
        let visible = self.visible();
        self.out.lists.push((self.sm.span(list), visible.clone()));
        let Ir::List(items) = self.module.get(list) else {
            return;
        };
        for item in items.iter() {
            if let Ir::Lit(Lit::Str(s)) = self.module.get(*item) {
                let name = Sym::new(s);
                let def = visible
                    .iter()
                    .copied()
                    .find(|&d| self.out.defs[d].name == name);
                self.out.uses.push(InstanceUse {
                    name,
                    span: self.sm.span(*item),
                    def,
                    visible: visible.clone(),
                });
            }
        }
    }

    fn expr(&mut self, id: ExprId) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        let module = self.module;
        if let Ir::Attrs(a) = module.get(id) {
            let declared = self.declared(a);
            self.scopes.push(declared);
            self.attrs(a);
            self.scopes.pop();
            return;
        }
        let children = super::cursor::children(module.get(id), None, &|_| None, module);
        for (c, _, _) in children {
            self.expr(c);
        }
    }

    fn attrs(&mut self, a: &AttrsIr) {
        for (name, slot) in a.statics.iter() {
            match slot {
                Slot::Expr(v) if name.as_str() == "uses" => {
                    if matches!(self.module.get(*v), Ir::List(_)) {
                        self.uses_list(*v);
                    } else {
                        self.expr(*v);
                    }
                }
                Slot::Expr(v) => self.expr(*v),
                Slot::InheritFrom { from, .. } => self.expr(*from),
                Slot::Nested(inner) => self.attrs(inner),
            }
        }
        for (k, slot) in a.dynamics.iter() {
            self.expr(*k);
            match slot {
                Slot::Expr(v) => self.expr(*v),
                Slot::InheritFrom { from, .. } => self.expr(*from),
                Slot::Nested(inner) => self.attrs(inner),
            }
        }
    }
}
