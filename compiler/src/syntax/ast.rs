//! The syntax tree: what the parser produces and what lowering consumes.
//!
//! Owns the shape of every expression form of `language.md` §1–§2 and of
//! the type syntax of §3 ([`TypeExpr`], annotations, `type` declarations,
//! `kind` declarations), each node with the byte span it was parsed from.
//! It knows nothing of salsa, names, the meaning of types or evaluation: a
//! type here is only what was written (`Port`, `Workspace` and `Int` are all
//! just names). A node the parser could not make sense of is
//! [`ExprKind::Error`] (or [`TypeExpr::Error`]); its diagnostic is already
//! in the parse result, so later stages skip it silently.

use std::fmt;

/// A half-open byte range `[start, end)` into one file's text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start.min(u32::MAX as usize) as u32,
            end: end.min(u32::MAX as usize) as u32,
        }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn with_end(self, end: u32) -> Span {
        Span {
            start: self.start,
            end,
        }
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// An identifier as written. Interning happens in lowering, not here.
pub type Name = std::sync::Arc<str>;

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// Placeholder for a part that failed to parse (its diagnostic exists).
    Error,
    Int(i64),
    Float(f64),
    /// `500ms`, `512Mi`, `10m`: the number as written and its suffix.
    Unit {
        number: f64,
        text: Name,
        suffix: Name,
    },
    /// `"…"` and `''…''` (indentation already stripped, escapes decoded).
    Str(Vec<StrPart>),
    /// `./a/b`, `/abs`, `a/b`, possibly with `${…}` parts. The literal text is
    /// kept as written; lowering resolves it against the file's directory.
    Path(Vec<StrPart>),
    /// `<stdlib/deps>`: the text between the brackets.
    SearchPath(Name),
    Var(Name),
    /// `e.a.b` and `e.a.b or d`.
    Select {
        expr: Box<Expr>,
        path: Vec<AttrKey>,
        default: Option<Box<Expr>>,
    },
    /// `e ? a.b`
    HasAttr {
        expr: Box<Expr>,
        path: Vec<AttrKey>,
    },
    Apply {
        func: Box<Expr>,
        arg: Box<Expr>,
    },
    Unary {
        op: UnaryOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        else_: Box<Expr>,
    },
    Assert {
        cond: Box<Expr>,
        body: Box<Expr>,
    },
    With {
        env: Box<Expr>,
        body: Box<Expr>,
    },
    Let {
        bindings: Vec<Binding>,
        body: Box<Expr>,
    },
    Attrs {
        rec: bool,
        bindings: Vec<Binding>,
    },
    List(Vec<Expr>),
    Lambda {
        param: Param,
        body: Box<Expr>,
    },
    /// `kind "FeatureFlag" { enabled : Bool, rollout : Int ? 100 }`: a new
    /// kind; `fields` is the record type between the braces (or
    /// [`TypeExpr::Error`]).
    Kind {
        name: Name,
        /// The span of the string literal, quotes included.
        name_span: Span,
        fields: TypeExpr,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    Lit(String),
    Interp(Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `!x`
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `++`
    Concat,
    Mul,
    Div,
    Add,
    Sub,
    /// `//`
    Update,
    /// `&` (dvm's deep merge, precedence of `//`)
    Merge,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    /// `->`
    Impl,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Concat => "++",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Update => "//",
            BinaryOp::Merge => "&",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
            BinaryOp::Impl => "->",
        }
    }
}

/// One key of an attribute path: `a`, `"a b"`, `${e}`.
#[derive(Clone, Debug, PartialEq)]
pub enum AttrKey {
    Ident(Name, Span),
    /// A quoted key; static when it has no interpolation.
    Str(Vec<StrPart>, Span),
    /// `${e}`
    Dynamic(Box<Expr>, Span),
}

impl AttrKey {
    pub fn span(&self) -> Span {
        match self {
            AttrKey::Ident(_, s) | AttrKey::Str(_, s) | AttrKey::Dynamic(_, s) => *s,
        }
    }
    /// The key's text when it is known without evaluation.
    pub fn static_name(&self) -> Option<Name> {
        match self {
            AttrKey::Ident(n, _) => Some(n.clone()),
            AttrKey::Str(parts, _) => match parts.as_slice() {
                [] => Some(Name::from("")),
                [StrPart::Lit(s)] => Some(Name::from(s.as_str())),
                _ => None,
            },
            AttrKey::Dynamic(e, _) => match &e.kind {
                ExprKind::Str(parts) => match parts.as_slice() {
                    [] => Some(Name::from("")),
                    [StrPart::Lit(s)] => Some(Name::from(s.as_str())),
                    _ => None,
                },
                _ => None,
            },
        }
    }
}

/// A binding in a `let`, a record or a `rec` record.
#[derive(Clone, Debug, PartialEq)]
pub enum Binding {
    /// `a.b.c = e;` (or `a.b += e;` when `append`); `a.b : T = e;` when
    /// annotated.
    Attr {
        path: Vec<AttrKey>,
        ty: Option<TypeExpr>,
        value: Expr,
        append: bool,
        /// The `## …` lines directly above, without the `## ` prefixes.
        doc: Option<String>,
        span: Span,
    },
    /// `inherit a b;` / `inherit (e) a b;`
    Inherit {
        from: Option<Box<Expr>>,
        names: Vec<AttrKey>,
        span: Span,
    },
    /// `type Port = Int;`: a type alias, neither an attribute nor a
    /// variable (`type` is a keyword only in this position).
    TypeDecl {
        name: Name,
        name_span: Span,
        ty: TypeExpr,
        /// The `## …` lines directly above, as for [`Binding::Attr`].
        doc: Option<String>,
        span: Span,
    },
}

impl Binding {
    pub fn span(&self) -> Span {
        match self {
            Binding::Attr { span, .. }
            | Binding::Inherit { span, .. }
            | Binding::TypeDecl { span, .. } => *span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    /// `x: …`
    Ident(Name, Span),
    /// `{ a, b ? 2, ... }@args: …` (the `@` name may come before or after).
    Pattern {
        fields: Vec<PatField>,
        ellipsis: bool,
        at: Option<(Name, Span)>,
        span: Span,
    },
}

/// One field of a lambda pattern: `name`, `name ? e`, `name : T ? e`.
#[derive(Clone, Debug, PartialEq)]
pub struct PatField {
    pub name: Name,
    pub span: Span,
    pub ty: Option<TypeExpr>,
    pub default: Option<Expr>,
}

/// A type as written (`language.md` §3). Loosest to tightest: `T -> U`
/// (right-associative), `T | U`, application `Template K`
/// (left-associative), then the atoms.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeExpr {
    /// Placeholder for a type that failed to parse (its diagnostic exists).
    Error(Span),
    /// `Int`, `Workspace`, `Port`: base types, kinds and aliases alike.
    Name(Name, Span),
    /// `"tcp"`: a string-literal member of an enum (`"tcp" | "udp"`).
    Literal(Name, Span),
    /// `[T]`
    List(Box<TypeExpr>, Span),
    /// `{ a : T, b ? : T, c : T ? e, ... : T }`; `{ ... : T }` alone is a map.
    Record {
        fields: Vec<TypeField>,
        /// `... : T`: the type of every attribute not named in `fields`.
        rest: Option<Box<TypeExpr>>,
        span: Span,
    },
    /// `T | U | V`: two or more members, flattened (parentheses keep a
    /// nested union as a member).
    Union(Vec<TypeExpr>, Span),
    /// `T -> U`
    Function {
        param: Box<TypeExpr>,
        result: Box<TypeExpr>,
        span: Span,
    },
    /// `Template Workspace`: type-level application.
    Apply {
        func: Box<TypeExpr>,
        arg: Box<TypeExpr>,
        span: Span,
    },
    /// `(T)`, kept so that a formatter can print what was written.
    Paren(Box<TypeExpr>, Span),
}

impl TypeExpr {
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Error(s)
            | TypeExpr::Name(_, s)
            | TypeExpr::Literal(_, s)
            | TypeExpr::List(_, s)
            | TypeExpr::Record { span: s, .. }
            | TypeExpr::Union(_, s)
            | TypeExpr::Function { span: s, .. }
            | TypeExpr::Apply { span: s, .. }
            | TypeExpr::Paren(_, s) => *s,
        }
    }
}

/// One named field of a record type: `a : T`, `b ? : T` (optional) or
/// `c : T ? e` (with a default, evaluated where the record is checked).
#[derive(Clone, Debug, PartialEq)]
pub struct TypeField {
    pub name: Name,
    pub name_span: Span,
    pub optional: bool,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
    /// The `## …` lines directly above the field.
    pub doc: Option<String>,
    pub span: Span,
}

/// The result of parsing one file: always a tree (possibly with `Error`
/// nodes), plus every syntax error found.
#[derive(Clone, Debug, PartialEq)]
pub struct Parse {
    pub root: Expr,
    pub errors: Vec<crate::diag::Diagnostic>,
}
