//! Provenance (`dvm why FILE attr.path`): the value at a path and every
//! definition that contributed to it, in merge order.
//!
//! Only when asked, the evaluator keeps a side table ([`Provenance`]): for
//! each set it builds (record literals, `&` merges, kind and template
//! checks, `//`), the contributions behind each attribute. A literal
//! contributes `set` or `+=` at its binding; a merge concatenates the left
//! side's contributions and the right side's, marking the left ones
//! `overridden` when the right side replaced the value; a kind adds
//! `default` for a field it filled in. Sets are keyed by address and kept
//! alive by the table, so an address is never reused while it is there.
//!
//! Example: for `goApi { nvim.plugins += [ "copilot" ]; }` the path
//! `…workspace.nvim.plugins` lists the template's `plugins = [ … ]`, the
//! Go template's `+= [ "nvim-dap-go" ]` and the call's `+= [ "copilot" ]`.

use super::types::Loc;
use super::value::{Attrs, Value};
use super::{Env, Evaluator};
use crate::db::{Db, SourceFile};
use crate::diag::Diagnostic;
use crate::hir::{AttrsIr, Slot};
use crate::intern::Sym;
use rustc_hash::FxHashMap;
use std::rc::Rc;

/// How a definition contributed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// `x = e;`
    Set,
    /// `x += e;`
    Append,
    /// A kind's default.
    Default,
    /// Set, then replaced by a later merge.
    Overridden,
}

#[derive(Clone, Debug)]
pub struct Contribution {
    pub how: How,
    pub loc: Loc,
}

type Fields = FxHashMap<Sym, Vec<Contribution>>;

#[derive(Default)]
pub struct Provenance {
    sets: FxHashMap<usize, (Rc<Attrs>, Fields)>,
}

fn key(a: &Attrs) -> usize {
    a as *const Attrs as usize
}

impl<'db> Evaluator<'db> {
    fn prov_fields(&self, a: &Attrs) -> Option<&Fields> {
        self.provenance.as_ref()?.sets.get(&key(a)).map(|(_, f)| f)
    }

    fn prov_store(&mut self, set: &Rc<Attrs>, fields: Fields) {
        if let Some(p) = &mut self.provenance {
            p.sets.insert(key(set), (set.clone(), fields));
        }
    }

    /// A record literal was built.
    pub(super) fn prov_literal(&mut self, set: &Rc<Attrs>, ir: &AttrsIr, env: &Env) {
        if self.provenance.is_none() {
            return;
        }
        let m = &env.module;
        let mut fields = Fields::default();
        for (name, slot) in ir.statics.iter() {
            if let Slot::Expr(id) = slot {
                let how = if ir.appends.contains(name) {
                    How::Append
                } else {
                    How::Set
                };
                let loc = Loc {
                    file: m.name.clone(),
                    span: m.source_map.key_span(*id).to(m.span(*id)),
                };
                fields.insert(*name, vec![Contribution { how, loc }]);
            }
        }
        self.prov_store(set, fields);
    }

    /// `l & r` (or `l // r` when `shallow`) gave `out`.
    pub(super) fn prov_merge(&mut self, out: &Rc<Attrs>, l: &Attrs, r: &Attrs, shallow: bool) {
        if self.provenance.is_none() {
            return;
        }
        let lf = self.prov_fields(l).cloned().unwrap_or_default();
        let rf = self.prov_fields(r).cloned().unwrap_or_default();
        let mut fields = Fields::default();
        for (name, _) in out.entries.iter() {
            let lc = lf.get(name).cloned().unwrap_or_default();
            let rc = rf.get(name).cloned().unwrap_or_default();
            let both_sets = matches!(
                (
                    l.get(*name).and_then(|t| t.peek()),
                    r.get(*name).and_then(|t| t.peek())
                ),
                (Some(Value::Attrs(_)), Some(Value::Attrs(_)))
            );
            let merged = match (l.get(*name).is_some(), r.get(*name).is_some()) {
                (true, true) if !shallow && (r.is_append(*name) || both_sets) => {
                    lc.into_iter().chain(rc).collect()
                }
                (true, true) => lc
                    .into_iter()
                    .map(|c| Contribution {
                        how: How::Overridden,
                        ..c
                    })
                    .chain(rc)
                    .collect(),
                (true, false) => lc,
                _ => rc,
            };
            fields.insert(*name, merged);
        }
        self.prov_store(out, fields);
    }

    /// A kind or template check copied `from` into `out`, filling
    /// `defaults`.
    pub(super) fn prov_checked(&mut self, out: &Rc<Attrs>, from: &Attrs, defaults: &[(Sym, Loc)]) {
        if self.provenance.is_none() {
            return;
        }
        let mut fields = self.prov_fields(from).cloned().unwrap_or_default();
        for (name, loc) in defaults {
            fields.insert(
                *name,
                vec![Contribution {
                    how: How::Default,
                    loc: loc.clone(),
                }],
            );
        }
        self.prov_store(out, fields);
    }
}

/// What `dvm why` prints, and the diagnostics met on the way.
pub struct WhyOutput {
    pub text: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Evaluates `entry`, selects `path`, and describes where the value came
/// from.
pub fn explain(db: &dyn Db, entry: SourceFile, path: &[String]) -> WhyOutput {
    let root = entry
        .path(db)
        .parent()
        .map(|p| p.to_path_buf())
        .unwrap_or_default();
    let mut ev = Evaluator::new(db, root);
    ev.provenance = Some(Provenance::default());
    let result = (|| {
        let (last, parent) = match path.split_last() {
            Some((last, parent)) => (last, parent),
            None => return Err(Vec::new()),
        };
        let holder = ev.entry_value(entry, parent).map_err(|e| vec![e])?;
        let Value::Attrs(set) = &holder else {
            let v = ev.entry_value(entry, path).map_err(|e| vec![e])?;
            return Ok((
                super::output::to_json(&mut ev, v).map_err(|e| vec![e])?,
                Vec::new(),
            ));
        };
        let contributions = ev
            .prov_fields(set)
            .and_then(|f| f.get(&Sym::new(last)).cloned())
            .unwrap_or_default();
        let v = ev.entry_value(entry, path).map_err(|e| vec![e])?;
        let data = super::output::to_json(&mut ev, v).map_err(|e| vec![e])?;
        Ok((data, contributions))
    })();
    let (result, contributions) = match result {
        Ok((data, c)) => (Ok(data), c),
        Err(e) => (Err(e), Vec::new()),
    };
    let (value, diagnostics) = super::finish(&mut ev, entry, result);
    let Some(value) = value else {
        return WhyOutput {
            text: None,
            diagnostics,
        };
    };
    let mut text = format!("{} = {}\n", path.join("."), value.to_json_string());
    if contributions.is_empty() {
        text.push_str(
            "\n(no definition on record: the value is computed, not written as an attribute)\n",
        );
    } else {
        text.push('\n');
        for (i, c) in contributions.iter().enumerate() {
            let how = match c.how {
                How::Set => "set",
                How::Append => "+= append",
                How::Default => "default",
                How::Overridden => "overridden",
            };
            let (line, col, snippet) = describe(db, &c.loc);
            text.push_str(&format!(
                "{:>2}. {how:<10} {}:{line}:{col}\n      {snippet}\n",
                i + 1,
                c.loc.file
            ));
        }
    }
    WhyOutput {
        text: Some(text),
        diagnostics,
    }
}

/// Line, column and the source text of a place (one line, trimmed).
fn describe(db: &dyn Db, loc: &Loc) -> (usize, usize, String) {
    let path = match crate::embedded::from_display(&loc.file) {
        Some(p) => p,
        None => {
            let p = std::path::Path::new(&*loc.file);
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                std::env::current_dir().unwrap_or_default().join(p)
            }
        }
    };
    let file = db.file(&path);
    let Some(text) = file.contents(db).text() else {
        return (0, 0, String::new());
    };
    let start = (loc.span.start as usize).min(text.len());
    let end = (loc.span.end as usize).clamp(start, text.len());
    let (line, col) = super::line_col(text, start);
    let snippet = text.get(start..end).unwrap_or("");
    let first: String = snippet.lines().next().unwrap_or("").trim().to_string();
    let shown = if snippet.lines().nth(1).is_some() {
        format!("{first} …")
    } else {
        first
    };
    (line, col, shown)
}
