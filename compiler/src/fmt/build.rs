//! Syntax tree → layout document: the canonical layout of every form, and
//! where each comment goes.
//!
//! Owns the layout rules of `docs/decisions.md` ("The layout of `dvm fmt`")
//! and the placement of comments. It reads the tree and the source text
//! (leaves are copied as written: numbers, strings, paths, quoted keys),
//! never evaluates, and knows nothing of files or the command line.
//!
//! Comments are not in the tree: they come from the lexer's side table and
//! are handed out in source order. Before a token whose position is known
//! (a leaf, an opening or closing bracket, a keyword that starts a node)
//! every comment before it is printed on its own line; at the end of a
//! binding, a list element, a field or after an opening bracket, a comment
//! on the same source line stays at the end of that line. Parentheses are
//! not in the tree either: a parenthesised node is found by the `(`…`)`
//! token pair around it, and parentheses the precedence needs are added.

use crate::fmt::doc::{Doc, broken, cat, group, nest, text};
use crate::syntax::ast::*;
use crate::syntax::lexer::Token;
use std::collections::HashMap;

/// Binding strength of a node as an operand, loosest 0 to atoms 15 (the
/// parser's operator precedences, `language.md` §1).
mod prec {
    pub const LOOSE: u8 = 0;
    pub const NOT: u8 = 7;
    pub const HAS: u8 = 11;
    pub const NEG: u8 = 12;
    pub const APPLY: u8 = 13;
    pub const SELECT: u8 = 14;
    pub const ATOM: u8 = 15;
}

fn op_prec(op: BinaryOp) -> (u8, Assoc) {
    use BinaryOp::*;
    match op {
        Impl => (1, Assoc::Right),
        Or => (2, Assoc::Left),
        And => (3, Assoc::Left),
        Eq | Ne => (4, Assoc::None),
        Lt | Le | Gt | Ge => (5, Assoc::None),
        Update | Merge => (6, Assoc::Right),
        Add | Sub => (8, Assoc::Left),
        Mul | Div => (9, Assoc::Left),
        Concat => (10, Assoc::Right),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Assoc {
    Left,
    Right,
    None,
}

fn node_prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Lambda { .. }
        | ExprKind::Let { .. }
        | ExprKind::If { .. }
        | ExprKind::With { .. }
        | ExprKind::Assert { .. } => prec::LOOSE,
        ExprKind::Binary { op, .. } => op_prec(*op).0,
        ExprKind::Unary {
            op: UnaryOp::Not, ..
        } => prec::NOT,
        ExprKind::Unary {
            op: UnaryOp::Neg, ..
        } => prec::NEG,
        ExprKind::HasAttr { .. } => prec::HAS,
        ExprKind::Apply { .. } => prec::APPLY,
        ExprKind::Select { .. } => prec::SELECT,
        _ => prec::ATOM,
    }
}

/// A `(`…`)` token pair: the spans of both and where its inside ends.
struct ParenPair {
    open: Span,
    close: Span,
    content_end: u32,
    claimed: bool,
}

pub struct Builder<'s> {
    text: &'s str,
    comments: Vec<Span>,
    /// The next comment not printed yet.
    next: usize,
    /// The end of the last source token printed.
    last_end: usize,
    pairs: Vec<ParenPair>,
    /// Pairs by the start of their inside.
    pairs_at: HashMap<u32, Vec<usize>>,
}

impl<'s> Builder<'s> {
    pub fn new(text: &'s str, tokens: &[Token], spans: &[Span], comments: Vec<Span>) -> Self {
        let mut pairs = Vec::new();
        let mut pairs_at: HashMap<u32, Vec<usize>> = HashMap::new();
        let mut open: Vec<usize> = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            match t {
                Token::LParen => open.push(i),
                Token::RParen => {
                    if let Some(o) = open.pop()
                        && o + 1 < i
                        && let (Some(os), Some(cs), Some(first), Some(last)) = (
                            spans.get(o),
                            spans.get(i),
                            spans.get(o + 1),
                            spans.get(i - 1),
                        )
                    {
                        pairs_at.entry(first.start).or_default().push(pairs.len());
                        pairs.push(ParenPair {
                            open: *os,
                            close: *cs,
                            content_end: last.end,
                            claimed: false,
                        });
                    }
                }
                _ => {}
            }
        }
        Builder {
            text,
            comments,
            next: 0,
            last_end: 0,
            pairs,
            pairs_at,
        }
    }

    fn src(&self, span: Span) -> &'s str {
        self.text.get(span.range()).unwrap_or("")
    }

    fn comment_text(&self, c: Span) -> String {
        self.src(c).trim_end().to_string()
    }

    fn is_line_comment(&self, c: Span) -> bool {
        self.src(c).starts_with('#')
    }

    fn newlines(&self, a: usize, b: usize) -> usize {
        self.text
            .get(a..b.max(a))
            .map_or(0, |s| s.bytes().filter(|c| *c == b'\n').count())
    }

    /// The start of the next comment if it comes before `pos`, else `pos`.
    fn next_thing(&self, pos: usize) -> usize {
        match self.comments.get(self.next) {
            Some(c) if (c.start as usize) < pos => c.start as usize,
            _ => pos,
        }
    }

    /// Every comment before `pos`, each on its own line (a block comment
    /// with code after it on its line stays inline).
    fn leading(&mut self, pos: usize) -> Doc {
        let mut out = Vec::new();
        while let Some(c) = self.comments.get(self.next).copied() {
            if c.start as usize >= pos {
                break;
            }
            self.next += 1;
            out.push(text(self.comment_text(c)));
            let after = self.next_thing(pos);
            let nl = self.newlines(c.end as usize, after);
            if self.is_line_comment(c) || nl > 0 {
                out.push(Doc::Hard);
                if nl > 1 {
                    out.push(Doc::Hard);
                }
            } else {
                out.push(text(" "));
            }
            self.last_end = c.end as usize;
        }
        cat(out)
    }

    /// Comments on the same line as the last token, with only blanks and
    /// the separators in `seps` between: kept at the end of that line.
    fn trailing(&mut self, seps: &[u8]) -> Doc {
        let mut out = Vec::new();
        while let Some(c) = self.comments.get(self.next).copied() {
            let gap = self
                .text
                .get(self.last_end..c.start as usize)
                .unwrap_or("\n");
            if !gap
                .bytes()
                .all(|b| b == b' ' || b == b'\t' || seps.contains(&b))
            {
                break;
            }
            self.next += 1;
            let t = self.comment_text(c);
            if self.is_line_comment(c) {
                out.push(Doc::Suffix(format!(" {t}")));
            } else {
                out.push(text(format!(" {t}")));
            }
            self.last_end = c.end as usize;
        }
        cat(out)
    }

    /// A token at a known place, printed as `s`.
    fn token(&mut self, pos: u32, len: usize, s: &str) -> Doc {
        let lead = self.leading(pos as usize);
        self.last_end = self.last_end.max(pos as usize + len);
        cat(vec![lead, text(s)])
    }

    /// A leaf copied as written; comments inside it are part of it.
    fn verbatim(&mut self, span: Span) -> Doc {
        let lead = self.leading(span.start as usize);
        while self
            .comments
            .get(self.next)
            .is_some_and(|c| c.start < span.end)
        {
            self.next += 1;
        }
        self.last_end = self.last_end.max(span.end as usize);
        cat(vec![lead, text(self.src(span))])
    }

    /// Whether the source has a line break between `a` and the next token
    /// or comment at or before `b`: a bracket written open stays open.
    fn opened_in_source(&self, a: usize, b: usize) -> bool {
        let b = self.next_thing(b);
        self.newlines(a, b) > 0
    }

    /// A blank line in the source before the thing at `pos` (or before the
    /// comments that precede it).
    fn blank_before(&self, pos: usize) -> bool {
        self.newlines(self.last_end, self.next_thing(pos)) > 1
    }

    /// The unclaimed `(`…`)` pair around `e`, if any.
    fn pair_of(&self, e: &Expr) -> Option<usize> {
        self.pairs_at.get(&e.span.start).and_then(|v| {
            v.iter().copied().find(|&i| {
                self.pairs
                    .get(i)
                    .is_some_and(|p| !p.claimed && p.content_end >= e.span.end)
            })
        })
    }

    // -----------------------------------------------------------------------
    // Expressions

    pub fn root(&mut self, e: &Expr) -> Doc {
        let body = self.expr_at(e, prec::LOOSE, true);
        let trail = self.trailing(b";,");
        let rest = self.leading(usize::MAX);
        let rest = if matches!(&rest, Doc::Cat(v) if v.is_empty()) {
            rest
        } else {
            cat(vec![Doc::Hard, rest])
        };
        cat(vec![body, trail, rest])
    }

    /// `e` where a node of at least precedence `min` fits without
    /// parentheses.
    fn expr(&mut self, e: &Expr, min: u8) -> Doc {
        self.expr_at(e, min, false)
    }

    fn expr_at(&mut self, e: &Expr, min: u8, root: bool) -> Doc {
        if let Some(i) = self.pair_of(e) {
            let (open, close) = match self.pairs.get_mut(i) {
                Some(p) => {
                    p.claimed = true;
                    (p.open, p.close)
                }
                None => return self.bare(e, root),
            };
            let o = self.token(open.start, 1, "(");
            let inner = self.bare(e, false);
            let c = self.token(close.start, 1, ")");
            return cat(vec![o, inner, c]);
        }
        // Comments before the node go before its group, so that they do
        // not break it.
        let lead = self.leading(e.span.start as usize);
        if node_prec(e) < min {
            let inner = self.bare(e, false);
            return cat(vec![lead, text("("), inner, text(")")]);
        }
        let inner = self.bare(e, root);
        cat(vec![lead, inner])
    }

    /// Whether `e` is printed as a block that can start on the line of
    /// what comes before it (`a = {`, `f [`, `x: {`).
    fn hugs(&self, e: &Expr) -> bool {
        if self.pair_of(e).is_some() {
            return false;
        }
        match &e.kind {
            ExprKind::Attrs { .. } | ExprKind::List(_) | ExprKind::Kind { .. } => true,
            ExprKind::Str(_) => {
                let s = self.src(e.span);
                s.starts_with("''") || s.contains('\n')
            }
            _ => false,
        }
    }

    /// Whether a binding's value starts on the line of its `=`.
    fn value_hugs(&self, e: &Expr) -> bool {
        if self.hugs(e) {
            return true;
        }
        if self.pair_of(e).is_some() {
            return false;
        }
        match &e.kind {
            ExprKind::Lambda { .. } => true,
            ExprKind::Apply { .. } => {
                let (_, args) = self.apply_chain(e);
                args.last().is_some_and(|a| self.hugs(a))
            }
            ExprKind::With { body, .. } => self.value_hugs(body),
            // `base // {`: the same rule as in `binary`.
            ExprKind::Binary { op, .. } => {
                let mut operands = Vec::new();
                self.chain(e, *op, op_prec(*op).1, true, &mut operands);
                operands.len() == 2 && operands.last().is_some_and(|r| self.hugs(r))
            }
            _ => false,
        }
    }

    fn apply_chain<'e>(&self, e: &'e Expr) -> (&'e Expr, Vec<&'e Expr>) {
        let mut args = Vec::new();
        let mut f = e;
        while let ExprKind::Apply { func, arg } = &f.kind {
            args.push(&**arg);
            f = func;
            if self.pair_of(f).is_some() {
                break;
            }
        }
        args.reverse();
        (f, args)
    }

    fn bare(&mut self, e: &Expr, root: bool) -> Doc {
        match &e.kind {
            ExprKind::Error
            | ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Unit { .. }
            | ExprKind::Str(_)
            | ExprKind::Path(_)
            | ExprKind::SearchPath(_)
            | ExprKind::Var(_) => self.verbatim(e.span),
            ExprKind::Select {
                expr,
                path,
                default,
            } => {
                let mut parts = vec![self.expr(expr, prec::ATOM), text(".")];
                parts.push(self.attr_path(path));
                if let Some(d) = default {
                    parts.push(text(" or "));
                    parts.push(self.expr(d, prec::SELECT));
                }
                cat(parts)
            }
            ExprKind::HasAttr { expr, path } => {
                let base = self.expr(expr, prec::NEG);
                let p = self.attr_path(path);
                cat(vec![base, text(" ? "), p])
            }
            ExprKind::Apply { .. } => self.apply(e),
            ExprKind::Unary { op, expr } => {
                let (sym, min) = match op {
                    UnaryOp::Neg => ("-", prec::NEG),
                    UnaryOp::Not => ("!", prec::NOT),
                };
                let o = self.token(e.span.start, 1, sym);
                let inner = self.expr(expr, min);
                cat(vec![o, inner])
            }
            ExprKind::Binary { .. } => self.binary(e),
            ExprKind::If { cond, then, else_ } => self.if_(e.span, cond, then, else_),
            ExprKind::Assert { cond, body } => {
                let kw = self.token(e.span.start, 6, "assert ");
                let c = self.expr(cond, prec::LOOSE);
                let b = self.expr(body, prec::LOOSE);
                group(cat(vec![kw, c, text(";"), Doc::Line, b]))
            }
            ExprKind::With { env, body } => {
                let kw = self.token(e.span.start, 4, "with ");
                let v = self.expr(env, prec::LOOSE);
                let hug = self.value_hugs(body);
                let b = self.expr(body, prec::LOOSE);
                if hug {
                    cat(vec![kw, v, text("; "), b])
                } else {
                    group(cat(vec![kw, v, text(";"), Doc::Line, b]))
                }
            }
            ExprKind::Let { bindings, body } => self.let_(e.span, bindings, body),
            ExprKind::Attrs { rec, bindings } => self.attrs(e.span, *rec, bindings),
            ExprKind::List(items) => self.list(e.span, items),
            ExprKind::Lambda { param, body } => self.lambda(param, body, root),
            ExprKind::Kind {
                name_span, fields, ..
            } => {
                let kw = self.token(e.span.start, 4, "kind ");
                let n = self.verbatim(*name_span);
                let f = self.ty(fields);
                cat(vec![kw, n, text(" "), f])
            }
        }
    }

    fn attr_path(&mut self, path: &[AttrKey]) -> Doc {
        let mut parts = Vec::new();
        for (i, k) in path.iter().enumerate() {
            if i > 0 {
                parts.push(text("."));
            }
            parts.push(self.verbatim(k.span()));
        }
        cat(parts)
    }

    fn apply(&mut self, e: &Expr) -> Doc {
        let (f, args) = self.apply_chain(e);
        let hug_last = args.last().is_some_and(|a| self.hugs(a));
        let mut head = vec![self.expr(f, prec::APPLY)];
        let n = args.len();
        let mut rest = Vec::new();
        for (i, a) in args.into_iter().enumerate() {
            let d = self.expr(a, prec::SELECT);
            if hug_last && i + 1 == n {
                return cat(vec![
                    group(cat(vec![cat(head), nest(cat(rest))])),
                    text(" "),
                    d,
                ]);
            }
            rest.push(Doc::Line);
            rest.push(d);
        }
        head.push(nest(cat(rest)));
        group(cat(head))
    }

    fn binary(&mut self, e: &Expr) -> Doc {
        let ExprKind::Binary { op, .. } = &e.kind else {
            return self.bare(e, false);
        };
        let op = *op;
        let (p, assoc) = op_prec(op);
        // The chain of this operator: `a + b + c`, `a // b // c`.
        let mut operands: Vec<&Expr> = Vec::new();
        self.chain(e, op, assoc, true, &mut operands);
        let (lmin, rmin) = match assoc {
            Assoc::Left => (p, p + 1),
            Assoc::Right => (p + 1, p),
            Assoc::None => (p + 1, p + 1),
        };
        let n = operands.len();
        let hug = n == 2 && operands.last().is_some_and(|r| self.hugs(r));
        let mut parts = Vec::new();
        let mut tail = Vec::new();
        for (i, x) in operands.into_iter().enumerate() {
            let min = if i == 0 {
                lmin
            } else if i + 1 == n {
                rmin
            } else {
                p + 1
            };
            let d = self.expr(x, min);
            if i == 0 {
                parts.push(d);
            } else if hug {
                tail.push(text(format!(" {} ", op.symbol())));
                tail.push(d);
            } else {
                tail.push(Doc::Line);
                tail.push(text(format!("{} ", op.symbol())));
                tail.push(d);
            }
        }
        if hug {
            parts.extend(tail);
            return cat(parts);
        }
        parts.push(nest(cat(tail)));
        group(cat(parts))
    }

    /// The operands of a chain of `op` (not looking into parentheses).
    fn chain<'e>(
        &self,
        x: &'e Expr,
        op: BinaryOp,
        assoc: Assoc,
        top: bool,
        out: &mut Vec<&'e Expr>,
    ) {
        match &x.kind {
            ExprKind::Binary { op: o, lhs, rhs }
                if *o == op && (top || self.pair_of(x).is_none()) =>
            {
                if assoc == Assoc::Left {
                    self.chain(lhs, op, assoc, false, out);
                } else {
                    out.push(lhs);
                }
                if assoc == Assoc::Right {
                    self.chain(rhs, op, assoc, false, out);
                } else {
                    out.push(rhs);
                }
            }
            _ => out.push(x),
        }
    }

    fn if_(&mut self, span: Span, cond: &Expr, then: &Expr, else_: &Expr) -> Doc {
        let kw = self.token(span.start, 2, "if ");
        let c = self.expr(cond, prec::LOOSE);
        let t = self.expr(then, prec::LOOSE);
        let else_if = matches!(else_.kind, ExprKind::If { .. }) && self.pair_of(else_).is_none();
        let e = self.expr(else_, prec::LOOSE);
        let else_part = if else_if {
            cat(vec![text(" "), e])
        } else {
            nest(cat(vec![Doc::Line, e]))
        };
        group(cat(vec![
            kw,
            c,
            text(" then"),
            nest(cat(vec![Doc::Line, t])),
            Doc::Line,
            text("else"),
            else_part,
        ]))
    }

    fn lambda(&mut self, param: &Param, body: &Expr, root: bool) -> Doc {
        let p = match param {
            Param::Ident(_, s) => self.verbatim(*s),
            Param::Pattern {
                fields,
                ellipsis,
                at,
                span,
            } => self.pattern(fields, *ellipsis, at.as_ref(), *span),
        };
        let colon = text(":");
        let trail = self.trailing(b":");
        let body_is_lambda =
            matches!(body.kind, ExprKind::Lambda { .. }) && self.pair_of(body).is_none();
        if body_is_lambda || self.hugs(body) {
            let b = self.expr_at(body, prec::LOOSE, root && body_is_lambda);
            return cat(vec![p, colon, trail, text(" "), b]);
        }
        let b = self.expr(body, prec::LOOSE);
        if root {
            cat(vec![p, colon, trail, group(cat(vec![Doc::Line, b]))])
        } else {
            cat(vec![p, colon, trail, group(nest(cat(vec![Doc::Line, b])))])
        }
    }

    fn pattern(
        &mut self,
        fields: &[PatField],
        ellipsis: bool,
        at: Option<&(Name, Span)>,
        span: Span,
    ) -> Doc {
        let at_before = at.is_some_and(|(_, s)| s.start <= span.start);
        let mut out = Vec::new();
        let mut search_from = span.start as usize;
        if let (true, Some((_, s))) = (at_before, at) {
            out.push(self.verbatim(*s));
            out.push(text("@"));
            search_from = s.end as usize;
        }
        let open = self.text.get(search_from..).and_then(|t| t.find('{'));
        let open = open.map_or(span.start as usize, |i| search_from + i);
        let close_limit = match (at_before, at) {
            (false, Some((_, s))) => s.start as usize,
            _ => span.end as usize,
        };
        let close = self
            .text
            .get(..close_limit)
            .and_then(|t| t.rfind('}'))
            .unwrap_or(span.end.saturating_sub(1) as usize);
        out.push(self.token(open as u32, 1, "{"));
        let first = fields.first().map_or(close, |f| f.span.start as usize);
        let forced = self.opened_in_source(open + 1, first);
        let mut inner = vec![self.trailing(b"")];
        let total = fields.len() + usize::from(ellipsis);
        let mut k = 0;
        for f in fields {
            k += 1;
            inner.push(Doc::Line);
            inner.push(self.verbatim(f.span));
            if let Some(t) = &f.ty {
                inner.push(text(" : "));
                inner.push(self.ty(t));
            }
            if let Some(d) = &f.default {
                inner.push(text(" ? "));
                inner.push(self.expr(d, prec::LOOSE));
            }
            if k < total {
                inner.push(text(","));
            } else {
                inner.push(Doc::IfBreak(",".into()));
            }
            inner.push(self.trailing(b","));
        }
        if ellipsis {
            inner.push(Doc::Line);
            inner.push(text("..."));
            self.last_end = self.last_end.max(
                self.text
                    .get(..close)
                    .and_then(|t| t.rfind("..."))
                    .map_or(self.last_end, |i| i + 3),
            );
            inner.push(self.trailing(b","));
        }
        inner.push(self.leading(close));
        let end = Doc::Line;
        let c = self.token(close as u32, 1, "}");
        let body = cat(vec![out.remove(out.len() - 1), nest(cat(inner)), end, c]);
        let g = if forced { broken(body) } else { group(body) };
        out.push(g);
        if let (false, Some((_, s))) = (at_before, at) {
            out.push(text("@"));
            out.push(self.verbatim(*s));
        }
        cat(out)
    }

    fn let_(&mut self, span: Span, bindings: &[Binding], body: &Expr) -> Doc {
        let kw = self.token(span.start, 3, "let");
        // A `let` written over several lines stays so.
        let forced = self.newlines(span.start as usize, body.span.start as usize) > 0;
        let trail = self.trailing(b"");
        let binds = self.bindings(bindings);
        let lead = self.leading(body.span.start as usize);
        let b = self.expr(body, prec::LOOSE);
        let doc = cat(vec![
            kw,
            trail,
            nest(binds),
            Doc::Line,
            text("in"),
            Doc::Line,
            lead,
            b,
        ]);
        if forced { broken(doc) } else { group(doc) }
    }

    /// The bindings of a record or a `let`, each after a line break, blank
    /// lines of the source kept (one at most), ending with the comments
    /// before `close`.
    fn bindings(&mut self, bindings: &[Binding]) -> Doc {
        let mut out = Vec::new();
        for (i, b) in bindings.iter().enumerate() {
            if i > 0 && self.blank_before(b.span().start as usize) {
                out.push(Doc::Hard);
            }
            out.push(Doc::Line);
            out.push(self.binding(b));
            self.last_end = self.last_end.max(b.span().end as usize);
            out.push(self.trailing(b";"));
        }
        cat(out)
    }

    fn binding(&mut self, b: &Binding) -> Doc {
        match b {
            Binding::Attr {
                path,
                ty,
                value,
                append,
                ..
            } => {
                let mut parts = vec![self.attr_path(path)];
                if let Some(t) = ty {
                    parts.push(text(" : "));
                    parts.push(self.ty(t));
                }
                parts.push(text(if *append { " +=" } else { " =" }));
                if self.value_hugs(value) {
                    parts.push(text(" "));
                    parts.push(self.expr(value, prec::LOOSE));
                    parts.push(text(";"));
                    cat(parts)
                } else {
                    let v = self.expr(value, prec::LOOSE);
                    parts.push(group(nest(cat(vec![Doc::Line, v]))));
                    parts.push(text(";"));
                    cat(parts)
                }
            }
            Binding::Inherit { from, names, span } => {
                let kw = self.token(span.start, 7, "inherit");
                let mut rest = Vec::new();
                let mut head = vec![kw];
                if let Some(f) = from {
                    head.push(text(" "));
                    // `inherit (e)` always has its parentheses.
                    if self.pair_of(f).is_some() {
                        head.push(self.expr(f, prec::ATOM));
                    } else {
                        let d = self.expr(f, prec::ATOM);
                        head.push(cat(vec![text("("), d, text(")")]));
                    }
                }
                // Names fill the line, then continue on the next.
                for n in names {
                    let d = self.verbatim(n.span());
                    rest.push(group(cat(vec![Doc::Line, d])));
                }
                group(cat(vec![cat(head), nest(cat(rest)), text(";")]))
            }
            Binding::TypeDecl {
                name_span,
                ty,
                span,
                ..
            } => {
                let kw = self.token(span.start, 4, "type ");
                let n = self.verbatim(*name_span);
                let t = self.ty(ty);
                cat(vec![kw, n, text(" = "), t, text(";")])
            }
        }
    }

    fn attrs(&mut self, span: Span, rec: bool, bindings: &[Binding]) -> Doc {
        let mut head = Vec::new();
        let mut open = span.start as usize;
        if rec {
            head.push(self.token(span.start, 3, "rec "));
            open = self
                .text
                .get(open..)
                .and_then(|t| t.find('{'))
                .map_or(open, |i| open + i);
        }
        head.push(self.token(open as u32, 1, "{"));
        let close = span.end.saturating_sub(1) as usize;
        let first = bindings.first().map_or(close, |b| b.span().start as usize);
        let forced = self.opened_in_source(open + 1, first);
        let trail = self.trailing(b"");
        let binds = self.bindings(bindings);
        let dangling = self.dangling(close);
        let c = self.token(close as u32, 1, "}");
        let doc = cat(vec![
            cat(head),
            trail,
            nest(cat(vec![binds, dangling])),
            Doc::Line,
            c,
        ]);
        if forced { broken(doc) } else { group(doc) }
    }

    /// The comments before a closing bracket, each on its own line inside
    /// the block.
    fn dangling(&mut self, close: usize) -> Doc {
        if self
            .comments
            .get(self.next)
            .is_some_and(|c| (c.start as usize) < close)
        {
            let blank = self.blank_before(close);
            let lead = self.leading(close);
            // `leading` ends each comment with its line break; the block's
            // own break follows, so drop the last one.
            let mut parts = match lead {
                Doc::Cat(v) => v,
                d => vec![d],
            };
            while matches!(parts.last(), Some(Doc::Hard)) {
                parts.pop();
            }
            let mut out = Vec::new();
            if blank {
                out.push(Doc::Hard);
            }
            out.push(Doc::Hard);
            out.extend(parts);
            cat(out)
        } else {
            cat(Vec::new())
        }
    }

    fn list(&mut self, span: Span, items: &[Expr]) -> Doc {
        let open = self.token(span.start, 1, "[");
        let close = span.end.saturating_sub(1) as usize;
        let first = items.first().map_or(close, |x| x.span.start as usize);
        let forced = self.opened_in_source(span.start as usize + 1, first);
        let trail = self.trailing(b"");
        let mut inner = Vec::new();
        for (i, x) in items.iter().enumerate() {
            if i > 0 && self.blank_before(x.span.start as usize) {
                inner.push(Doc::Hard);
            }
            inner.push(Doc::Line);
            inner.push(self.expr(x, prec::SELECT));
            inner.push(self.trailing(b""));
        }
        inner.push(self.dangling(close));
        let c = self.token(close as u32, 1, "]");
        let doc = cat(vec![open, trail, nest(cat(inner)), Doc::Line, c]);
        if forced { broken(doc) } else { group(doc) }
    }

    // -----------------------------------------------------------------------
    // Types

    fn ty(&mut self, t: &TypeExpr) -> Doc {
        match t {
            TypeExpr::Error(s) | TypeExpr::Name(_, s) | TypeExpr::Literal(_, s) => {
                self.verbatim(*s)
            }
            TypeExpr::List(inner, s) => {
                let o = self.token(s.start, 1, "[");
                let i = self.ty(inner);
                let c = self.token(s.end.saturating_sub(1), 1, "]");
                cat(vec![o, i, c])
            }
            TypeExpr::Paren(inner, s) => {
                let o = self.token(s.start, 1, "(");
                let i = self.ty(inner);
                let c = self.token(s.end.saturating_sub(1), 1, ")");
                cat(vec![o, i, c])
            }
            TypeExpr::Union(members, _)
                if members.iter().any(|m| matches!(m, TypeExpr::Record { .. })) =>
            {
                // Records in a union stay joined: `} | {`.
                let mut parts = Vec::new();
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        parts.push(text(" | "));
                    }
                    parts.push(self.ty(m));
                }
                cat(parts)
            }
            TypeExpr::Union(members, _) => {
                let mut parts = Vec::new();
                let mut tail = Vec::new();
                for (i, m) in members.iter().enumerate() {
                    let d = self.ty(m);
                    if i == 0 {
                        parts.push(d);
                    } else {
                        tail.push(Doc::Line);
                        tail.push(text("| "));
                        tail.push(d);
                    }
                }
                parts.push(nest(cat(tail)));
                group(cat(parts))
            }
            TypeExpr::Function { param, result, .. } => {
                let p = self.ty(param);
                let r = self.ty(result);
                cat(vec![p, text(" -> "), r])
            }
            TypeExpr::Apply { func, arg, .. } => {
                let f = self.ty(func);
                let a = self.ty(arg);
                cat(vec![f, text(" "), a])
            }
            TypeExpr::Record { fields, rest, span } => self.record(fields, rest.as_deref(), *span),
        }
    }

    fn record(&mut self, fields: &[TypeField], rest: Option<&TypeExpr>, span: Span) -> Doc {
        let open = self.token(span.start, 1, "{");
        let close = span.end.saturating_sub(1) as usize;
        let first = fields
            .first()
            .map(|f| f.span.start as usize)
            .or(rest.map(|r| r.span().start as usize))
            .unwrap_or(close);
        let forced = self.opened_in_source(span.start as usize + 1, first);
        let trail = self.trailing(b"");
        let total = fields.len() + usize::from(rest.is_some());
        let mut inner = Vec::new();
        let mut k = 0;
        let sep = |k: usize, inner: &mut Vec<Doc>| {
            if k < total {
                inner.push(text(","));
            } else {
                inner.push(Doc::IfBreak(",".into()));
            }
        };
        for f in fields {
            k += 1;
            inner.push(Doc::Line);
            inner.push(self.verbatim(f.name_span));
            inner.push(text(if f.optional { " ? : " } else { " : " }));
            inner.push(self.ty(&f.ty));
            if let Some(d) = &f.default {
                inner.push(text(" ? "));
                inner.push(self.expr(d, prec::LOOSE));
            }
            sep(k, &mut inner);
            self.last_end = self.last_end.max(f.span.end as usize);
            inner.push(self.trailing(b","));
        }
        if let Some(r) = rest {
            k += 1;
            inner.push(Doc::Line);
            inner.push(text("... : "));
            inner.push(self.ty(r));
            sep(k, &mut inner);
            inner.push(self.trailing(b","));
        }
        inner.push(self.dangling(close));
        let c = self.token(close as u32, 1, "}");
        let doc = cat(vec![open, trail, nest(cat(inner)), Doc::Line, c]);
        if forced { broken(doc) } else { group(doc) }
    }
}
