//! References and rename, for variable bindings (a `let`, a `rec`
//! attribute, a parameter) and dependency instance names (a key under
//! `dependencies` and every `uses` string that names it). Both are
//! resolved lexically within one file.
//!
//! Knows nothing of LSP; answers are byte spans of the file.

use super::index::name_index;
use super::instances::instances;
use crate::db::{Db, SourceFile};
use crate::syntax::ast::Span;

/// What the cursor names, for references and rename.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A variable: its binding's name span and every use.
    Variable { def: Span, uses: Vec<Span> },
    /// An instance: its key span and every `uses` string (quotes
    /// included).
    Instance { def: Span, uses: Vec<Span> },
}

/// What the cursor is on, if it is something that can be referenced.
pub fn target(db: &dyn Db, file: SourceFile, offset: u32) -> Option<Target> {
    let inst = instances(db, file);
    if let Some(d) = inst.at(offset) {
        let uses = inst
            .uses
            .iter()
            .filter(|u| u.def == Some(d))
            .map(|u| u.span)
            .collect();
        return Some(Target::Instance {
            def: inst.defs[d].span,
            uses,
        });
    }
    let index = name_index(db, file);
    let d = index.def_at(offset)?;
    let mut uses: Vec<Span> = index
        .uses
        .iter()
        .filter(|u| u.def == d)
        .map(|u| u.span)
        .collect();
    uses.sort();
    Some(Target::Variable {
        def: index.defs[d].span,
        uses,
    })
}

/// Every reference to what is at `offset`, sorted; the declaration too
/// when `include_declaration`.
pub fn references(
    db: &dyn Db,
    file: SourceFile,
    offset: u32,
    include_declaration: bool,
) -> Vec<Span> {
    let mut out = match target(db, file, offset) {
        Some(Target::Variable { def, uses }) | Some(Target::Instance { def, uses }) => {
            let mut v = uses;
            if include_declaration {
                v.push(def);
            }
            v
        }
        None => Vec::new(),
    };
    out.sort();
    out.dedup();
    out
}

/// Why a rename cannot be done.
#[derive(Clone, Debug, PartialEq)]
pub enum RenameError {
    NothingToRename,
    InvalidName(String),
    /// A use is an `inherit x;`, whose name is also an attribute's:
    /// renaming it there would rename the attribute too.
    Inherited {
        name: String,
    },
}

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenameError::NothingToRename => {
                write!(
                    f,
                    "only a variable or a dependency instance name can be renamed"
                )
            }
            RenameError::InvalidName(n) => write!(f, "`{n}` is not a valid name here"),
            RenameError::Inherited { name } => write!(
                f,
                "`{name}` is used by `inherit {name};`, which names an attribute too; \
                 write `{name} = {name};` there first"
            ),
        }
    }
}

const KEYWORDS: &[&str] = &[
    "let", "in", "if", "then", "else", "with", "rec", "inherit", "assert", "or",
];

fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(super::is_ident_byte)
        && !KEYWORDS.contains(&name)
}

/// The edits that rename what is at `offset` to `new_name`: `(span,
/// replacement)`, sorted by position.
pub fn rename(
    db: &dyn Db,
    file: SourceFile,
    offset: u32,
    new_name: &str,
) -> Result<Vec<(Span, String)>, RenameError> {
    let text = super::text_of(db, file);
    let target = target(db, file, offset).ok_or(RenameError::NothingToRename)?;
    if !is_identifier(new_name) {
        return Err(RenameError::InvalidName(new_name.to_string()));
    }
    let mut edits: Vec<(Span, String)> = match target {
        Target::Variable { def, uses } => {
            let index = name_index(db, file);
            if uses.iter().any(|u| index.inherit_keys.contains(u)) {
                let name = text.get(def.range()).unwrap_or_default().to_string();
                return Err(RenameError::Inherited { name });
            }
            std::iter::once(def)
                .chain(uses)
                .map(|s| (s, new_name.to_string()))
                .collect()
        }
        Target::Instance { def, uses } => {
            let mut v = vec![(def, new_name.to_string())];
            for s in uses {
                // Inside the quotes.
                let quoted = text
                    .get(s.range())
                    .is_some_and(|t| t.len() >= 2 && t.starts_with('"') && t.ends_with('"'));
                let inner = if quoted {
                    Span {
                        start: s.start + 1,
                        end: s.end - 1,
                    }
                } else {
                    s
                };
                v.push((inner, new_name.to_string()));
            }
            v
        }
    };
    edits.sort_by_key(|(s, _)| *s);
    edits.dedup();
    Ok(edits)
}
