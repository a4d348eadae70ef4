//! `dvm doc`: a Markdown reference of one `.dvm` file, read from its doc
//! comments (`## …` lines above a binding, a pattern field or a kind field)
//! and from the shape of its syntax tree — no evaluation.
//!
//! What is documented: the file's own doc comment; for a file whose value
//! is a record (after `let … in`), each attribute: a function's parameters
//! (type, default, doc), a kind's fields (nested record fields as
//! `a.b`), a template's source, an object's kind, a nested record's
//! entries; for a file whose value is a function, its parameters.
//! `inherit x` takes `x`'s definition and doc from the enclosing `let`.
//! Anything a reader would want documented but is not is listed in
//! [`Reference::undocumented`], so that tests can demand full coverage.
//!
//! Knows the syntax tree and the lexer's doc-comment table; knows nothing
//! of salsa, files on disk, types' meaning or values.

use crate::diag::{Diagnostic, FileName};
use crate::syntax::ast::{AttrKey, Binding, Expr, ExprKind, Param, PatField, TypeExpr, TypeField};
use crate::syntax::{self, lexer};
use std::collections::HashMap;

/// The reference of one file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reference {
    /// The Markdown text, ending in a newline.
    pub markdown: String,
    /// Dotted names of definitions, parameters and fields without a doc
    /// comment, in file order.
    pub undocumented: Vec<String>,
}

/// The reference of `text` under the heading `title` (`<stdlib/deps>`, a
/// file name). A file with syntax errors gives those errors instead.
pub fn reference(title: &str, file: &FileName, text: &str) -> Result<Reference, Vec<Diagnostic>> {
    let parsed = syntax::parse(file, text);
    if parsed.errors.iter().any(Diagnostic::is_error) {
        return Err(parsed.errors);
    }
    let lexed = lexer::lex(file, text);
    let mut w = Writer {
        text,
        docs: &lexed.docs,
        lets: HashMap::new(),
        types: Vec::new(),
        out: String::new(),
        undocumented: Vec::new(),
    };
    w.out.push_str(&format!("# `{title}`\n\n"));
    let root = &parsed.root;
    match w.doc_at(root.span.start) {
        Some(d) => w.paragraph(&d),
        None => w.undocumented.push("(file)".to_string()),
    }
    let body = w.peel(root);
    match &body.kind {
        ExprKind::Attrs { bindings, .. } => w.record(bindings),
        ExprKind::Lambda { param, body: inner } => {
            w.function(param, inner, "");
        }
        _ => {}
    }
    w.type_decls();
    let mut markdown = w.out.trim_end().to_string();
    markdown.push('\n');
    Ok(Reference {
        markdown,
        undocumented: w.undocumented,
    })
}

struct Writer<'a> {
    text: &'a str,
    docs: &'a [(u32, String)],
    /// `let` bindings seen on the way to the value, by name: their value
    /// and doc (for `inherit`).
    lets: HashMap<String, (&'a Expr, Option<String>)>,
    /// `type` declarations of those `let`s, in file order: documented
    /// after the definitions that use them.
    types: Vec<(&'a str, Option<String>, &'a TypeExpr)>,
    out: String,
    undocumented: Vec<String>,
}

impl<'a> Writer<'a> {
    fn doc_at(&self, start: u32) -> Option<String> {
        let i = self.docs.binary_search_by_key(&start, |d| d.0).ok()?;
        self.docs.get(i).map(|d| d.1.clone())
    }

    /// The expression under `let … in`, `with … ;` and `assert … ;`,
    /// remembering the `let` bindings.
    fn peel(&mut self, mut e: &'a Expr) -> &'a Expr {
        loop {
            match &e.kind {
                ExprKind::Let { bindings, body } => {
                    for b in bindings {
                        if let Binding::Attr {
                            path, value, doc, ..
                        } = b
                            && let [key] = path.as_slice()
                            && let Some(name) = key.static_name()
                        {
                            self.lets.insert(name.to_string(), (value, doc.clone()));
                        }
                        if let Binding::TypeDecl { name, ty, doc, .. } = b {
                            self.types.push((name, doc.clone(), ty));
                        }
                    }
                    e = body;
                }
                ExprKind::With { body, .. } | ExprKind::Assert { body, .. } => e = body,
                _ => return e,
            }
        }
    }

    fn paragraph(&mut self, doc: &str) {
        self.out.push_str(doc.trim());
        self.out.push_str("\n\n");
    }

    /// Source text of a span, comments dropped and whitespace collapsed.
    fn source(&self, start: u32, end: u32) -> String {
        let raw = self.text.get(start as usize..end as usize).unwrap_or("");
        let mut out = String::new();
        for line in raw.lines() {
            out.push_str(strip_comment(line).trim());
            out.push(' ');
        }
        let collapsed: Vec<&str> = out.split_whitespace().collect();
        collapsed
            .join(" ")
            .replace("{ }", "{}")
            .replace("[ ]", "[]")
    }

    /// The entries of the file's record value.
    fn record(&mut self, bindings: &'a [Binding]) {
        for b in bindings {
            match b {
                Binding::Attr {
                    path, value, doc, ..
                } => {
                    let name = dotted(path);
                    self.entry(&name, doc.clone(), value);
                }
                Binding::Inherit {
                    from: None, names, ..
                } => {
                    for key in names {
                        let Some(name) = key.static_name() else {
                            continue;
                        };
                        match self.lets.get(name.as_ref()).cloned() {
                            Some((value, doc)) => self.entry(&name, doc, value),
                            None => {
                                self.out.push_str(&format!("## `{name}`\n\n"));
                                self.undocumented.push(name.to_string());
                            }
                        }
                    }
                }
                Binding::Inherit { from: Some(_), .. } | Binding::TypeDecl { .. } => {}
            }
        }
    }

    fn entry(&mut self, name: &str, doc: Option<String>, value: &'a Expr) {
        self.out.push_str(&format!("## `{name}`\n\n"));
        match doc {
            Some(d) => self.paragraph(&d),
            None => self.undocumented.push(name.to_string()),
        }
        let value = self.peel(value);
        match &value.kind {
            ExprKind::Lambda { param, body } => self.function(param, body, name),
            ExprKind::Kind {
                name: kind, fields, ..
            } => {
                self.out.push_str(&format!(
                    "A kind: `{kind} {{ … }}` makes a checked object.\n\n"
                ));
                self.kind_fields(fields, name);
            }
            ExprKind::Attrs { bindings, .. } => self.entries(bindings),
            _ => match template_of(value) {
                Some(what) => {
                    self.out.push_str(&format!("{what}\n\n"));
                    let code = self.text.get(value.span.range()).unwrap_or("");
                    self.out
                        .push_str(&format!("```dvm\n{}\n```\n\n", dedent(code)));
                }
                None => {
                    if let Some(kind) = object_kind(value) {
                        let a = article(&kind);
                        let a = a[..1].to_uppercase() + &a[1..];
                        self.out.push_str(&format!("{a} `{kind}` object.\n\n"));
                    }
                }
            },
        }
    }

    /// The `type` declarations: a record's fields, each member of a union
    /// of records, or the type as written.
    fn type_decls(&mut self) {
        let types = std::mem::take(&mut self.types);
        for (name, doc, ty) in types {
            self.out.push_str(&format!("## type `{name}`\n\n"));
            match doc {
                Some(d) => self.paragraph(&d),
                None => self.undocumented.push(name.to_string()),
            }
            match ty {
                TypeExpr::Record { rest: None, .. } => self.kind_fields(ty, name),
                TypeExpr::Union(members, _)
                    if members
                        .iter()
                        .all(|m| matches!(m, TypeExpr::Record { rest: None, .. })) =>
                {
                    for (i, m) in members.iter().enumerate() {
                        let lead = if i == 0 { "Either" } else { "or" };
                        self.out.push_str(&format!("{lead}:\n\n"));
                        self.kind_fields(m, name);
                    }
                }
                t => {
                    let written = self.source(t.span().start, t.span().end);
                    self.out.push_str(&format!("`{written}`\n\n"));
                }
            }
        }
    }

    /// A function: its parameters and, when it is visible, what it returns.
    fn function(&mut self, param: &'a Param, body: &'a Expr, owner: &str) {
        let result =
            object_kind(self.peel(body)).map(|k| format!(" returning {} `{k}`", article(&k)));
        let result = result.unwrap_or_default();
        match param {
            Param::Ident(arg, _) => {
                self.out
                    .push_str(&format!("A function of `{arg}`{result}.\n\n"));
            }
            Param::Pattern { fields, .. } => {
                self.out.push_str(&format!(
                    "A function{result}. Call it with a record of these parameters:\n\n"
                ));
                self.params(fields, owner);
            }
        }
    }

    fn params(&mut self, fields: &'a [PatField], owner: &str) {
        if fields.is_empty() {
            self.out.push_str("(none)\n\n");
            return;
        }
        self.out
            .push_str("| parameter | type | default | description |\n|---|---|---|---|\n");
        for f in fields {
            let ty =
                f.ty.as_ref()
                    .map(|t| code(&self.source(t.span().start, t.span().end)))
                    .unwrap_or_default();
            let default = match &f.default {
                Some(d) => code(&self.source(d.span.start, d.span.end)),
                None => "required".to_string(),
            };
            let doc = self.doc_at(f.span.start);
            if doc.is_none() {
                self.undocumented.push(join(owner, &f.name));
            }
            self.out.push_str(&format!(
                "| `{}` | {ty} | {default} | {} |\n",
                f.name,
                cell(doc.as_deref().unwrap_or(""))
            ));
        }
        self.out.push('\n');
    }

    fn kind_fields(&mut self, fields: &'a TypeExpr, owner: &str) {
        let TypeExpr::Record { fields, .. } = fields else {
            return;
        };
        self.out
            .push_str("| field | type | default | description |\n|---|---|---|---|\n");
        self.field_rows(fields, "", owner);
        self.out.push('\n');
    }

    fn field_rows(&mut self, fields: &'a [TypeField], prefix: &str, owner: &str) {
        for f in fields {
            let name = join(prefix, &f.name);
            let default = match (&f.default, f.optional) {
                (Some(d), _) => code(&self.source(d.span.start, d.span.end)),
                (None, true) => "optional".to_string(),
                (None, false) => "**required**".to_string(),
            };
            let ty = match &f.ty {
                TypeExpr::Record { rest: None, .. } => "record".to_string(),
                t => code(&self.source(t.span().start, t.span().end)),
            };
            if f.doc.is_none() {
                self.undocumented.push(join(owner, &name));
            }
            self.out.push_str(&format!(
                "| `{name}` | {ty} | {default} | {} |\n",
                cell(f.doc.as_deref().unwrap_or(""))
            ));
            if let TypeExpr::Record {
                fields: inner,
                rest: None,
                ..
            } = &f.ty
            {
                self.field_rows(inner, &name, owner);
            }
        }
    }

    /// A nested record (a catalogue): one row per entry.
    fn entries(&mut self, bindings: &'a [Binding]) {
        self.out
            .push_str("| name | what | description |\n|---|---|---|\n");
        for b in bindings {
            let Binding::Attr {
                path, value, doc, ..
            } = b
            else {
                continue;
            };
            let what = object_kind(value)
                .map(|k| format!("`{k}`"))
                .unwrap_or_default();
            let description = doc.clone().or_else(|| field_string(value, "description"));
            self.out.push_str(&format!(
                "| `{}` | {what} | {} |\n",
                dotted(path),
                cell(description.as_deref().unwrap_or(""))
            ));
        }
        self.out.push('\n');
    }
}

/// `K` when `e` is `K { … }` with a capitalised `K` (a kind applied).
fn object_kind(e: &Expr) -> Option<String> {
    let ExprKind::Apply { func, arg } = &e.kind else {
        return None;
    };
    if !matches!(arg.kind, ExprKind::Attrs { .. }) {
        return None;
    }
    match &func.kind {
        ExprKind::Var(k) if k.starts_with(|c: char| c.is_ascii_uppercase()) => Some(k.to_string()),
        _ => None,
    }
}

/// A sentence for `Template K { … }` and `t.extend { … }`.
fn template_of(e: &Expr) -> Option<String> {
    let ExprKind::Apply { func, .. } = &e.kind else {
        return None;
    };
    match &func.kind {
        ExprKind::Apply { func: t, arg: k } => match (&t.kind, &k.kind) {
            (ExprKind::Var(t), ExprKind::Var(k)) if t.as_ref() == "Template" => {
                Some(format!("A template of `{k}`:"))
            }
            _ => None,
        },
        ExprKind::Select { expr, path, .. } => match (&expr.kind, path.as_slice()) {
            (ExprKind::Var(base), [AttrKey::Ident(m, _)]) if m.as_ref() == "extend" => {
                Some(format!("A template extending `{base}`:"))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The string literal of `field` in `K { field = "…"; }`.
fn field_string(e: &Expr, field: &str) -> Option<String> {
    let ExprKind::Apply { arg, .. } = &e.kind else {
        return None;
    };
    let ExprKind::Attrs { bindings, .. } = &arg.kind else {
        return None;
    };
    bindings.iter().find_map(|b| match b {
        Binding::Attr { path, value, .. } if dotted(path) == field => match &value.kind {
            ExprKind::Str(parts) => match parts.as_slice() {
                [syntax::ast::StrPart::Lit(s)] => Some(s.clone()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    })
}

/// "a" or "an" before a kind's name.
fn article(word: &str) -> &'static str {
    if word.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn dotted(path: &[AttrKey]) -> String {
    path.iter()
        .map(|k| {
            k.static_name()
                .map(|n| n.to_string())
                .unwrap_or_else(|| "${…}".into())
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Inline code in a table cell (`|` escaped for the table).
fn code(s: &str) -> String {
    format!("`{}`", s.replace('|', "\\|"))
}

/// Prose in a table cell: one line, `|` escaped.
fn cell(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// A line without its `#` comment (a `#` inside a string is kept).
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '"' if prev != '\\' => in_string = !in_string,
            '#' if !in_string => return &line[..i],
            _ => {}
        }
        prev = c;
    }
    line
}

/// A multi-line source excerpt with the indentation of its later lines
/// made relative (its first line starts at the binding, already bare).
fn dedent(code: &str) -> String {
    let mut lines = code.lines();
    let first = lines.next().unwrap_or("").to_string();
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    // The closing line sits at the binding's indentation: keep one level
    // for the lines between.
    let base = rest
        .last()
        .map(|l| l.len() - l.trim_start().len())
        .unwrap_or(indent)
        .min(indent);
    let mut out = vec![first];
    out.extend(
        rest.iter()
            .map(|l| l.get(base..).unwrap_or(l.trim_start()).to_string()),
    );
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Reference {
        let file: FileName = std::sync::Arc::from("t.dvm");
        reference("t", &file, text).unwrap_or_default()
    }

    #[test]
    fn functions_document_their_parameters() {
        let r = doc(
            "## Things.\n{\n  ## Makes a thing.\n  thing =\n    {\n      ## Its size.\n      size : Int | Null ? null,\n      name : String,\n    }:\n    Dependency { image = name; };\n}\n",
        );
        assert_eq!(
            r.markdown,
            "# `t`\n\nThings.\n\n## `thing`\n\nMakes a thing.\n\n\
A function returning a `Dependency`. Call it with a record of these parameters:\n\n\
| parameter | type | default | description |\n|---|---|---|---|\n\
| `size` | `Int \\| Null` | `null` | Its size. |\n\
| `name` | `String` | required |  |\n"
        );
        assert_eq!(r.undocumented, vec!["thing.name"]);
    }

    #[test]
    fn kinds_document_their_fields_and_inherit_finds_let_docs() {
        let r = doc(
            "let\n  ## A flag.\n  Flag = kind \"Flag\" {\n    ## On?\n    on : Bool,\n    ## Where.\n    at ? : {\n      ## Host.\n      host : String ? \"x\" },\n  };\nin\n{ inherit Flag; }\n",
        );
        assert!(
            r.markdown.contains("## `Flag`\n\nA flag.\n\nA kind"),
            "{}",
            r.markdown
        );
        assert!(
            r.markdown
                .contains("| `on` | `Bool` | **required** | On? |"),
            "{}",
            r.markdown
        );
        assert!(
            r.markdown.contains("| `at` | record | optional | Where. |"),
            "{}",
            r.markdown
        );
        assert!(
            r.markdown
                .contains("| `at.host` | `String` | `\"x\"` | Host. |"),
            "{}",
            r.markdown
        );
        assert_eq!(r.undocumented, vec!["(file)"]);
    }

    #[test]
    fn catalogues_and_templates() {
        let r = doc(
            "## F.\n{\n  ## Base.\n  base = Template Workspace {\n    shell = \"zsh\";\n  };\n  ## Plugins.\n  plugins = {\n    a = P { description = \"The a\"; };\n  };\n  ## Plain.\n  n = 1;\n}\n",
        );
        assert!(
            r.markdown.contains(
                "A template of `Workspace`:\n\n```dvm\nTemplate Workspace {\n  shell = \"zsh\";\n}\n```"
            ),
            "{}",
            r.markdown
        );
        assert!(
            r.markdown.contains("| `a` | `P` | The a |"),
            "{}",
            r.markdown
        );
        assert!(r.undocumented.is_empty(), "{:?}", r.undocumented);
    }

    #[test]
    fn type_declarations_follow_the_definitions() {
        let r = doc(
            "## F.\nlet\n  ## A port.\n  type Port = {\n    ## Inside.\n    container : Int,\n  };\n  type Name = String;\nin\n{\n  ## P.\n  p = 1;\n}\n",
        );
        assert!(
            r.markdown.ends_with(
                "## `p`\n\nP.\n\n## type `Port`\n\nA port.\n\n\
| field | type | default | description |\n|---|---|---|---|\n\
| `container` | `Int` | **required** | Inside. |\n\n## type `Name`\n\n`String`\n"
            ),
            "{}",
            r.markdown
        );
        assert_eq!(r.undocumented, vec!["Name"]);
    }

    #[test]
    fn syntax_errors_are_returned() {
        let file: FileName = std::sync::Arc::from("t.dvm");
        assert!(reference("t", &file, "{ a = ; }").is_err());
    }
}
