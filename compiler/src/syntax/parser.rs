//! The parser: tokens → [`crate::syntax::ast::Expr`], with error recovery.
//!
//! Owns Nix's grammar and precedence (plus dvm's `&`, `+=` and type
//! syntax), the decoding of string literals (escapes, indentation
//! stripping) and the wording of syntax errors. It knows nothing of names,
//! what types mean, or evaluation, and never looks at the text except
//! through token spans.
//!
//! # Shape
//!
//! A chumsky grammar over the token slice, from loosest to tightest:
//!
//! ```text
//! expr   = lambda | assert | with | let … in | if | op
//! op     = operand (? path | binop operand)*     operand = (- | !)* app
//!          resolved by precedence: -> || && ==,!= <,<=,>,>= //,& !x +,- *,/ ++ ?path -x
//! app    = select select*                (an argument never starts a binding `a =`)
//! select = simple (. path (or select)?)? | simple `or`   (`or` as a variable, as Nix)
//! simple = ident | number | string | path | (expr) | [select*] | {binds} | rec {binds} | let {binds}
//!        | kind "Name" {record}
//! binds  = (inherit … ; | type Name = type ; | path (: type)? (= | +=) expr ;)*
//! ```
//!
//! Types (`language.md` §3), loosest to tightest; a pattern field is
//! `name (: type)? (? expr)?`:
//!
//! ```text
//! type   = union (-> union)*             right-associative: A -> B -> C is A -> (B -> C)
//! union  = tapp (| tapp)*                A | B -> C is (A | B) -> C
//! tapp   = atom atom*                    left-associative: Template K | Null is (Template K) | Null
//! atom   = Name | "lit" | [type] | (type) | {record}
//! record = (name : type (? expr)? | name ? : type | ... : type),*  (trailing `,` allowed)
//! ```
//!
//! `type` and `kind` are keywords only where they start a declaration:
//! `type` followed by a name in a binding list ([`type_decl_guard`]), and
//! `kind` followed by a plain string and `{` ([`kind_guard`]); elsewhere
//! they are identifiers, so `{ type = "x"; }.type` and `kind x` mean what
//! they mean in Nix.
//!
//! The operator level is parsed as a flat sequence and folded by operator
//! precedence with explicit stacks ([`operators`]) rather than by chumsky's
//! `pratt`: trying each of the 17 operators after every operand was the
//! largest cost of the parse, and the stacks need no recursion. Cheap
//! one-token checks ([`plain_expr_start`], [`arg_start`], [`brace_guard`])
//! keep chumsky from trying alternatives that cannot match.
//!
//! Spans inside chumsky are token-index ranges; [`PState::span`] turns them
//! into byte ranges through the lexer's span table.
//!
//! # Recovery
//!
//! The parser always produces a tree, with `Error` nodes where it had to
//! give up. From outside in:
//!
//! - *Delimiters* are balanced before parsing ([`repair`]): a stray closer
//!   is reported and dropped, an unclosed opener is reported and gets a
//!   zero-width closer. A delimited construct whose inside is broken skips
//!   to its closer ([`skip_delimited`]) and becomes `Error`.
//! - *Bindings*: a binding that does not parse is skipped up to its `;` (or
//!   the `}`/`in` that ends the list, or the next `name =`); a missing `;`
//!   before `}`, `in`, or a next binding is reported and assumed.
//! - *Keywords*: a missing `in`, `then`, `else` or `;` (of `assert`/`with`)
//!   is reported and assumed, so an unfinished construct does not make
//!   every enclosing one fail and retry; a failure memo ([`expr_memo`])
//!   stops any remaining retries from going exponential.
//! - *Types*: a type that does not parse where one is required (after `:`
//!   or `type T =`) becomes `Error` up to the token that ends it
//!   ([`skip_type`]), so the binding keeps its value; a missing type after
//!   `|` or `->` is reported and assumed; a broken entry of a record type
//!   is skipped to its `,`, and a missing `,` between entries is reported
//!   and assumed ([`field_sep`]).
//! - *Top level*: trailing junk or an unparseable file is reported with
//!   chumsky's furthest error.
//!
//! Errors that chumsky produces ([`PError`]) are converted to plain messages
//! at the end ([`convert_error`]): the expected set is summarised (closers
//! and `;` first, then "an expression"), never listed in full. `PError` is
//! chumsky's `Rich` reduced to what we use: its expected set is a bitset
//! of token kinds, because merging `Rich`'s vector of patterns on every
//! failed alternative took half of the parse time. Errors that the grammar
//! actions find (duplicate formals, chained comparisons, depth, missing
//! `;`) go straight into [`PState::diags`], which is rolled back when
//! chumsky backtracks.
//!
//! # Depth
//!
//! Every node carries its height while it is built ([`N`], and [`Ty`] for
//! types, whose heights count in the expressions that hold them); a node
//! higher than [`MAX_DEPTH`] becomes `Error` ("expression nested too
//! deeply"), so no tree built here is deeper than that. A dropped `N` is taken apart without
//! recursion ([`dismantle`]), since chumsky may drop abandoned outputs deep
//! in the parse where little stack is left. The parse itself recurses
//! through chumsky's `stacker` support.

use crate::codes::syntax as codes;
use crate::diag::{self, Diagnostic, FileName};
use crate::syntax::ast::*;
use crate::syntax::lexer::{self, Token};
use chumsky::DefaultExpected;
use chumsky::error::{Error, LabelError};
use chumsky::input::{Checkpoint, Cursor, InputRef, MapExtra};
use chumsky::inspector::Inspector;
use chumsky::prelude::*;
use chumsky::util::MaybeRef;

/// The deepest tree the parser builds; deeper subtrees become `Error`.
pub const MAX_DEPTH: u32 = 1000;

type I<'a> = &'a [Token<'a>];
type Ex<'a> = extra::Full<PError, PState<'a>, ()>;
type Tspan = SimpleSpan<usize>;

/// Parses one file. See [`crate::syntax::parse`].
pub fn parse(file: &FileName, text: &str) -> Parse {
    let lexed = lexer::lex(file, text);
    let (repaired, bracket_errors) = repair(file, text, &lexed.tokens, &lexed.spans);
    let (toks, spans) = match &repaired {
        Some((t, s)) => (t.as_slice(), s.as_slice()),
        None => (lexed.tokens.as_slice(), lexed.spans.as_slice()),
    };
    let brackets = Brackets::new(toks);
    let mut st = PState {
        file: file.clone(),
        text,
        toks,
        spans,
        docs: &lexed.docs,
        brackets,
        diags: bracket_errors,
        failed_expr: vec![false; toks.len() + 1],
    };
    let (out, errs) = root().parse_with_state(toks, &mut st).into_output_errors();
    let root = out.map(N::take).unwrap_or(Expr {
        kind: ExprKind::Error,
        span: Span::new(0, text.len()),
    });
    let mut errors = lexed.errors.clone();
    let custom = std::mem::take(&mut st.diags);
    for e in &errs {
        if let Some(d) = convert_error(e, &st) {
            // A custom diagnostic at the same place says it better.
            let pos = d.primary.as_ref().map(|l| l.span.start);
            if !custom
                .iter()
                .any(|c| c.primary.as_ref().map(|l| l.span.start) == pos)
            {
                errors.push(d);
            }
        }
    }
    errors.extend(custom);
    dedupe_depth(&mut errors);
    diag::normalize(&mut errors);
    // Two messages for one place: keep the first by code order.
    errors
        .dedup_by(|b, a| a.primary.as_ref().map(|l| l.span) == b.primary.as_ref().map(|l| l.span));
    Parse { root, errors }
}

/// Keeps one "nested too deeply" error per region: a cut near the root
/// contains the cuts below it.
fn dedupe_depth(errors: &mut Vec<Diagnostic>) {
    let deep: Vec<Span> = errors
        .iter()
        .filter(|d| d.code == codes::TOO_DEEP)
        .filter_map(|d| d.primary.as_ref().map(|l| l.span))
        .collect();
    errors.retain(|d| {
        if d.code != codes::TOO_DEEP {
            return true;
        }
        let Some(s) = d.primary.as_ref().map(|l| l.span) else {
            return true;
        };
        !deep
            .iter()
            .any(|o| *o != s && o.start <= s.start && s.end <= o.end)
    });
}

// ---------------------------------------------------------------------------
// State shared with the grammar actions

/// Bracket structure of the (repaired) token list: for each opener, the
/// index of its closer (`NONE` for other tokens).
struct Brackets {
    close_of: Vec<u32>,
}

const NONE: u32 = u32::MAX;

fn closer_for(t: Token) -> Option<Token<'static>> {
    Some(match t {
        Token::LParen => Token::RParen,
        Token::LBracket => Token::RBracket,
        Token::LBrace | Token::DollarBrace => Token::RBrace,
        Token::StrOpen => Token::StrClose,
        Token::IndOpen => Token::IndClose,
        Token::PathOpen(_) => Token::PathClose,
        _ => return None,
    })
}

fn is_closer(t: Token) -> bool {
    matches!(
        t,
        Token::RParen
            | Token::RBracket
            | Token::RBrace
            | Token::StrClose
            | Token::IndClose
            | Token::PathClose
    )
}

fn open_text(t: Token) -> &'static str {
    match t {
        Token::LParen => "(",
        Token::LBracket => "[",
        Token::LBrace => "{",
        Token::DollarBrace => "${",
        Token::IndOpen => "''",
        _ => "\"",
    }
}

fn close_text(t: Token) -> &'static str {
    match t {
        Token::RParen => ")",
        Token::RBracket => "]",
        Token::RBrace => "}",
        Token::IndClose => "''",
        _ => "\"",
    }
}

/// A token list with its spans, after [`repair`].
type Repaired<'s> = (Vec<Token<'s>>, Vec<Span>);

/// Balances the brackets of a token list before parsing, so the grammar
/// never meets an unclosed or a stray delimiter:
///
/// - a closer that matches nothing open (looking a bounded way down the
///   stack) is reported ("unexpected `)`") and dropped;
/// - an opener left unclosed, at the end or when a closer matches an opener
///   further out, is reported ("unclosed `(`") and gets a zero-width
///   closer: for `(`, `[` and `${` before the first `;` at its level if
///   there is one nearby (`{ a = (1 + 2; b = 3; }` is read as
///   `{ a = (1 + 2); b = 3; }`), else where the mismatch was found.
///
/// ```text
/// tokens   { a = ( 1 ; }        ]
/// result   { a = ( 1 ) ; }           + "unclosed `(`", "unexpected `]`"
/// ```
fn repair<'s>(
    file: &FileName,
    text: &str,
    toks: &[Token<'s>],
    spans: &[Span],
) -> (Option<Repaired<'s>>, Vec<Diagnostic>) {
    let n = toks.len();
    let mut diags = Vec::new();
    let mut stray = vec![false; n];
    // Virtual closers to insert before token i (i == n: at the end).
    let mut inserts: Vec<(usize, Token<'static>)> = Vec::new();
    let mut stack: Vec<(usize, Token<'static>)> = Vec::new();
    let tok_span = |i: usize| {
        spans
            .get(i)
            .copied()
            .unwrap_or(Span::new(text.len(), text.len()))
    };
    let unclosed = |o: usize,
                    c: Token<'static>,
                    limit: usize,
                    inserts: &mut Vec<(usize, Token<'static>)>,
                    diags: &mut Vec<Diagnostic>| {
        let mut at = limit;
        if matches!(c, Token::RParen | Token::RBracket) || toks.get(o) == Some(&Token::DollarBrace)
        {
            let mut depth = 0usize;
            for (j, t) in toks.iter().enumerate().take(limit.min(o + 257)).skip(o + 1) {
                if closer_for(*t).is_some() {
                    depth += 1;
                } else if is_closer(*t) {
                    depth = depth.saturating_sub(1);
                } else if *t == Token::Semi && depth == 0 {
                    at = j;
                    break;
                }
            }
        }
        inserts.push((at, c));
        let open = toks.get(o).copied().unwrap_or(Token::LParen);
        let found = match toks.get(at) {
            None => "end of file".to_string(),
            Some(t) => describe_token(
                *t,
                spans
                    .get(at)
                    .and_then(|s| text.get(s.range()))
                    .unwrap_or(""),
            ),
        };
        diags.push(
            Diagnostic::error(
                codes::UNCLOSED_DELIMITER,
                format!("unclosed `{}`", open_text(open)),
            )
            .at(
                file,
                tok_span(at),
                format!("expected `{}` before {found}", close_text(c)),
            )
            .with_label(
                file,
                tok_span(o),
                format!("this `{}` is never closed", open_text(open)),
            ),
        );
    };
    for (i, t) in toks.iter().enumerate() {
        if let Some(c) = closer_for(*t) {
            stack.push((i, c));
        } else if is_closer(*t) {
            match stack.iter().rev().take(64).position(|e| e.1 == *t) {
                Some(up) => {
                    let keep = stack.len() - 1 - up;
                    while stack.len() > keep + 1 {
                        if let Some((o, c)) = stack.pop() {
                            unclosed(o, c, i, &mut inserts, &mut diags);
                        }
                    }
                    stack.pop();
                }
                None => {
                    stray[i] = true;
                    let sym = close_text(*t);
                    diags.push(
                        Diagnostic::error(codes::UNEXPECTED_CLOSER, format!("unexpected `{sym}`"))
                            .at(file, tok_span(i), "this closes nothing that is open here")
                            .with_help("remove it, or add the missing opening delimiter before it"),
                    );
                }
            }
        }
    }
    while let Some((o, c)) = stack.pop() {
        unclosed(o, c, n, &mut inserts, &mut diags);
    }
    if inserts.is_empty() && !stray.contains(&true) {
        return (None, diags);
    }
    // Insertions at one place come innermost first; keep that order.
    inserts.sort_by_key(|x| x.0);
    let mut out_t = Vec::with_capacity(n + inserts.len());
    let mut out_s = Vec::with_capacity(n + inserts.len());
    let mut ins = inserts.into_iter().peekable();
    for i in 0..=n {
        while let Some((_, c)) = ins.next_if(|x| x.0 == i) {
            let at = tok_span(i).start as usize;
            out_t.push(c);
            out_s.push(Span::new(at, at));
        }
        if i < n && !stray[i] {
            out_t.push(toks[i]);
            out_s.push(spans[i]);
        }
    }
    (Some((out_t, out_s)), diags)
}

impl Brackets {
    fn new(toks: &[Token]) -> Brackets {
        let mut close_of = vec![NONE; toks.len()];
        let mut stack: Vec<usize> = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            if closer_for(*t).is_some() {
                stack.push(i);
            } else if is_closer(*t)
                && let Some(o) = stack.pop()
            {
                close_of[o] = i as u32;
            }
        }
        Brackets { close_of }
    }
}

/// Parser state: the token table for spans and lookahead, and the
/// diagnostics found by grammar actions (rolled back on backtracking).
pub(crate) struct PState<'a> {
    file: FileName,
    text: &'a str,
    toks: &'a [Token<'a>],
    spans: &'a [Span],
    docs: &'a [(u32, String)],
    brackets: Brackets,
    diags: Vec<Diagnostic>,
    /// Token positions where no expression could be parsed (not rolled
    /// back: see [`expr_memo`]).
    failed_expr: Vec<bool>,
}

impl<'a> Inspector<'a, I<'a>> for PState<'a> {
    type Checkpoint = usize;
    fn on_token(&mut self, _: &Token<'a>) {}
    fn on_save<'p>(&self, _: &Cursor<'a, 'p, I<'a>>) -> usize {
        self.diags.len()
    }
    fn on_rewind<'p>(&mut self, cp: &Checkpoint<'a, 'p, I<'a>, usize>) {
        self.diags.truncate(*cp.inspector());
    }
}

impl PState<'_> {
    /// Byte span of a token-index span.
    fn span(&self, s: Tspan) -> Span {
        self.span_of(s.start, s.end)
    }
    fn span_of(&self, start: usize, end: usize) -> Span {
        if end > start
            && let (Some(a), Some(b)) = (self.spans.get(start), self.spans.get(end - 1))
        {
            return Span {
                start: a.start,
                end: b.end,
            };
        }
        self.point(start)
    }
    /// Zero-width span where token `i` starts (or at the end of the text).
    fn point(&self, i: usize) -> Span {
        let at = self
            .spans
            .get(i)
            .map_or(self.text.len(), |s| s.start as usize);
        Span::new(at, at)
    }
    fn tok(&self, i: usize) -> Option<Token<'_>> {
        self.toks.get(i).copied()
    }
    /// Byte span of token `i` (zero width at the end for the end of input).
    fn tok_span(&self, i: usize) -> Span {
        self.spans.get(i).copied().unwrap_or_else(|| self.point(i))
    }
    /// True when token `i` starts a line (a line break since token `i-1`).
    fn starts_line(&self, i: usize) -> bool {
        match (
            i.checked_sub(1).and_then(|p| self.spans.get(p)),
            self.spans.get(i),
        ) {
            (Some(p), Some(c)) => self
                .text
                .get(p.end as usize..c.start as usize)
                .is_some_and(|g| g.contains('\n')),
            _ => true,
        }
    }
    /// The text of token `i`, for messages.
    fn tok_text(&self, i: usize) -> &str {
        self.spans
            .get(i)
            .and_then(|s| self.text.get(s.range()))
            .unwrap_or("")
    }
    fn error(
        &mut self,
        code: &'static str,
        msg: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(code, msg).at(&self.file, span, label);
        self.diags.push(d);
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }
    fn doc_at(&self, start: usize) -> Option<String> {
        let at = self.spans.get(start)?.start;
        let i = self.docs.binary_search_by_key(&at, |d| d.0).ok()?;
        self.docs.get(i).map(|d| d.1.clone())
    }
    /// Describes token `i` for a message: "`foo`", "end of file".
    fn describe(&self, i: usize) -> String {
        match self.tok(i) {
            None => "end of file".into(),
            Some(t) => describe_token(t, self.tok_text(i)),
        }
    }
}

fn describe_token(t: Token, text: &str) -> String {
    let sym = match t {
        Token::In => "in",
        Token::Then => "then",
        Token::Else => "else",
        Token::Semi => ";",
        Token::RParen => ")",
        Token::RBracket => "]",
        Token::RBrace => "}",
        _ => "",
    };
    if !sym.is_empty() {
        return format!("`{sym}`");
    }
    match t {
        Token::StrOpen => "a string".into(),
        Token::IndOpen => "an indented string".into(),
        Token::Path(_) | Token::PathOpen(_) => "a path".into(),
        Token::StrClose => "the end of the string".into(),
        Token::IndClose => "the end of the string".into(),
        Token::PathClose => "the end of the path".into(),
        _ => {
            let mut s: String = text.chars().take(24).collect();
            if s.len() < text.len() {
                s.push('…');
            }
            format!("`{s}`")
        }
    }
}

fn cursor_index<'a>(inp: &InputRef<'a, '_, I<'a>, Ex<'a>>) -> usize {
    *inp.cursor().inner()
}

/// Consumes tokens up to (not including) token index `end`.
fn advance_to<'a>(inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>, end: usize) {
    while cursor_index(inp) < end && inp.peek().is_some() {
        inp.skip();
    }
}

/// The end of a recovery skip: consumes up to `end`, or fails when that
/// would skip nothing (so the recovery does not loop on the same token).
fn skipped<'a, T>(
    inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>,
    start: usize,
    end: usize,
) -> Result<Option<T>, PError> {
    if end == start {
        return Err(rich_at(inp));
    }
    advance_to(inp, end);
    Ok(None)
}

/// A node under construction: the expression and its height.
///
/// Chumsky drops the outputs of alternatives it abandons, possibly deep in
/// the parse where little stack is left; a tall tree is therefore taken
/// apart without recursion ([`dismantle`]) when an `N` is dropped. Every
/// parser output that holds an expression holds it as an `N` (see
/// [`PKey`], [`PBinding`], [`Piece`]); plain AST values exist only inside
/// the actions that build a node.
#[derive(Clone, Debug)]
struct N {
    e: Expr,
    h: u32,
}

impl N {
    fn take(mut self) -> Expr {
        self.h = 0;
        std::mem::replace(
            &mut self.e,
            Expr {
                kind: ExprKind::Error,
                span: Span::default(),
            },
        )
    }
}

impl Drop for N {
    fn drop(&mut self) {
        if self.h > 32 {
            let e = std::mem::replace(
                &mut self.e,
                Expr {
                    kind: ExprKind::Error,
                    span: Span::default(),
                },
            );
            dismantle(e);
        }
    }
}

/// A subtree being taken apart by [`dismantle`].
enum Node {
    E(Expr),
    T(TypeExpr),
}

/// Drops a tree of any depth without recursion.
fn dismantle(e: Expr) {
    dismantle_nodes(vec![Node::E(e)]);
}

/// Drops a type of any depth without recursion.
fn dismantle_type(t: TypeExpr) {
    dismantle_nodes(vec![Node::T(t)]);
}

fn dismantle_nodes(mut stack: Vec<Node>) {
    while let Some(node) = stack.pop() {
        let mut e = match node {
            Node::E(e) => e,
            Node::T(t) => {
                type_into(t, &mut stack);
                continue;
            }
        };
        match std::mem::replace(&mut e.kind, ExprKind::Error) {
            ExprKind::Str(parts) | ExprKind::Path(parts) => parts_into(parts, &mut stack),
            ExprKind::Select {
                expr,
                path,
                default,
            } => {
                stack.push(Node::E(*expr));
                keys_into(path, &mut stack);
                stack.extend(default.map(|d| Node::E(*d)));
            }
            ExprKind::HasAttr { expr, path } => {
                stack.push(Node::E(*expr));
                keys_into(path, &mut stack);
            }
            ExprKind::Apply { func: a, arg: b }
            | ExprKind::Binary { lhs: a, rhs: b, .. }
            | ExprKind::Assert { cond: a, body: b }
            | ExprKind::With { env: a, body: b } => {
                stack.push(Node::E(*a));
                stack.push(Node::E(*b));
            }
            ExprKind::Unary { expr, .. } => stack.push(Node::E(*expr)),
            ExprKind::If { cond, then, else_ } => {
                stack.push(Node::E(*cond));
                stack.push(Node::E(*then));
                stack.push(Node::E(*else_));
            }
            ExprKind::Let { bindings, body } => {
                stack.push(Node::E(*body));
                bindings_into(bindings, &mut stack);
            }
            ExprKind::Attrs { bindings, .. } => bindings_into(bindings, &mut stack),
            ExprKind::List(items) => stack.extend(items.into_iter().map(Node::E)),
            ExprKind::Lambda { param, body } => {
                stack.push(Node::E(*body));
                if let Param::Pattern { fields, .. } = param {
                    for f in fields {
                        stack.extend(f.ty.map(Node::T));
                        stack.extend(f.default.map(Node::E));
                    }
                }
            }
            ExprKind::Kind { fields, .. } => stack.push(Node::T(fields)),
            _ => {}
        }
    }
}

fn type_into(t: TypeExpr, stack: &mut Vec<Node>) {
    match t {
        TypeExpr::List(t, _) | TypeExpr::Paren(t, _) => stack.push(Node::T(*t)),
        TypeExpr::Record { fields, rest, .. } => {
            for f in fields {
                stack.push(Node::T(f.ty));
                stack.extend(f.default.map(Node::E));
            }
            stack.extend(rest.map(|r| Node::T(*r)));
        }
        TypeExpr::Union(members, _) => stack.extend(members.into_iter().map(Node::T)),
        TypeExpr::Function {
            param: a,
            result: b,
            ..
        }
        | TypeExpr::Apply {
            func: a, arg: b, ..
        } => {
            stack.push(Node::T(*a));
            stack.push(Node::T(*b));
        }
        TypeExpr::Error(_) | TypeExpr::Name(..) | TypeExpr::Literal(..) => {}
    }
}

fn parts_into(parts: Vec<StrPart>, stack: &mut Vec<Node>) {
    for p in parts {
        if let StrPart::Interp(e) = p {
            stack.push(Node::E(e));
        }
    }
}

fn keys_into(path: Vec<AttrKey>, stack: &mut Vec<Node>) {
    for k in path {
        match k {
            AttrKey::Str(parts, _) => parts_into(parts, stack),
            AttrKey::Dynamic(e, _) => stack.push(Node::E(*e)),
            AttrKey::Ident(..) => {}
        }
    }
}

fn bindings_into(bindings: Vec<Binding>, stack: &mut Vec<Node>) {
    for b in bindings {
        match b {
            Binding::Attr {
                path, ty, value, ..
            } => {
                stack.push(Node::E(value));
                stack.extend(ty.map(Node::T));
                keys_into(path, stack);
            }
            Binding::Inherit { from, names, .. } => {
                stack.extend(from.map(|f| Node::E(*f)));
                keys_into(names, stack);
            }
            Binding::TypeDecl { ty, .. } => stack.push(Node::T(ty)),
        }
    }
}

/// Builds a node of height `h`, or `Error` when it is too deep.
fn mk(st: &mut PState, kind: ExprKind, span: Span, h: u32) -> N {
    if h > MAX_DEPTH {
        dismantle(Expr { kind, span });
        st.error(
            codes::TOO_DEEP,
            "expression nested too deeply",
            span,
            format!("more than {MAX_DEPTH} levels of nesting"),
        )
        .help = Some("split it into named bindings with `let`".into());
        return N {
            e: Expr {
                kind: ExprKind::Error,
                span,
            },
            h: 1,
        };
    }
    N {
        e: Expr { kind, span },
        h,
    }
}

fn error_node(span: Span) -> N {
    N {
        e: Expr {
            kind: ExprKind::Error,
            span,
        },
        h: 1,
    }
}

/// A type under construction: the type and its height (see [`N`]).
#[derive(Clone, Debug)]
struct Ty {
    t: TypeExpr,
    h: u32,
}

impl Ty {
    fn take(mut self) -> TypeExpr {
        self.h = 0;
        std::mem::replace(&mut self.t, TypeExpr::Error(Span::default()))
    }
    fn span(&self) -> Span {
        self.t.span()
    }
}

impl Drop for Ty {
    fn drop(&mut self) {
        if self.h > 32 {
            let t = std::mem::replace(&mut self.t, TypeExpr::Error(Span::default()));
            dismantle_type(t);
        }
    }
}

/// Builds a type of height `h`, or `Error` when it is too deep.
fn mk_ty(st: &mut PState, t: TypeExpr, h: u32) -> Ty {
    if h > MAX_DEPTH {
        let span = t.span();
        dismantle_type(t);
        st.error(
            codes::TOO_DEEP,
            "type nested too deeply",
            span,
            format!("more than {MAX_DEPTH} levels of nesting"),
        )
        .help = Some("split it into named types with `type Name = …;`".into());
        return Ty {
            t: TypeExpr::Error(span),
            h: 1,
        };
    }
    Ty { t, h }
}

fn bx_ty(t: Ty) -> Box<TypeExpr> {
    Box::new(t.take())
}

/// A field of a record type while parsing (see [`N`] on why not
/// [`TypeField`]); `rest` for `... : T`.
#[derive(Clone, Debug)]
struct PField {
    name: Option<(Name, Span)>,
    optional: bool,
    ty: Ty,
    default: Option<N>,
    doc: Option<String>,
    span: Span,
}

/// The byte span of what a `map_with` closure matched.
fn sp<'a>(e: &mut MapExtra<'a, '_, I<'a>, Ex<'a>>) -> Span {
    let s = e.span();
    e.state().span(s)
}

fn bx(n: N) -> Box<Expr> {
    Box::new(n.take())
}

/// An attribute key while parsing (see [`N`] on why not [`AttrKey`]).
#[derive(Clone, Debug)]
enum PKey {
    Ident(Name, Span),
    Str(Vec<Piece>, Span),
    Dynamic(N, Span),
}

impl PKey {
    fn is_dynamic(&self) -> bool {
        match self {
            PKey::Ident(..) => false,
            PKey::Dynamic(..) => true,
            PKey::Str(pieces, _) => pieces.iter().any(|p| matches!(p, Piece::Interp(_))),
        }
    }
    fn span(&self) -> Span {
        match self {
            PKey::Ident(_, s) | PKey::Str(_, s) | PKey::Dynamic(_, s) => *s,
        }
    }
}

/// Finishes an attribute path: the keys and their height.
fn keys(path: Vec<PKey>) -> (Vec<AttrKey>, u32) {
    let mut h = 0;
    let keys = path
        .into_iter()
        .map(|k| match k {
            PKey::Ident(n, s) => AttrKey::Ident(n, s),
            PKey::Str(pieces, s) => {
                let (parts, hp) = finish_parts(pieces);
                h = h.max(hp);
                AttrKey::Str(parts, s)
            }
            PKey::Dynamic(n, s) => {
                h = h.max(n.h);
                AttrKey::Dynamic(bx(n), s)
            }
        })
        .collect();
    (keys, h)
}

/// A binding while parsing (see [`N`] on why not [`Binding`]).
#[derive(Clone, Debug)]
enum PBinding {
    Attr {
        path: Vec<PKey>,
        ty: Option<Ty>,
        value: N,
        append: bool,
        doc: Option<String>,
        span: Span,
    },
    Inherit {
        from: Option<N>,
        names: Vec<PKey>,
        span: Span,
    },
    TypeDecl {
        name: Name,
        name_span: Span,
        ty: Ty,
        doc: Option<String>,
        span: Span,
    },
}

/// Finishes a binding list: the bindings and their height.
fn bindings(list: Vec<PBinding>) -> (Vec<Binding>, u32) {
    let mut h = 0;
    let out = list
        .into_iter()
        .map(|b| match b {
            PBinding::Attr {
                path,
                ty,
                value,
                append,
                doc,
                span,
            } => {
                let (path, hk) = keys(path);
                h = h.max(hk).max(value.h).max(ty.as_ref().map_or(0, |t| t.h));
                Binding::Attr {
                    path,
                    ty: ty.map(Ty::take),
                    value: value.take(),
                    append,
                    doc,
                    span,
                }
            }
            PBinding::Inherit { from, names, span } => {
                let (names, hk) = keys(names);
                h = h.max(hk).max(from.as_ref().map_or(0, |n| n.h));
                Binding::Inherit {
                    from: from.map(bx),
                    names,
                    span,
                }
            }
            PBinding::TypeDecl {
                name,
                name_span,
                ty,
                doc,
                span,
            } => {
                h = h.max(ty.h);
                Binding::TypeDecl {
                    name,
                    name_span,
                    ty: ty.take(),
                    doc,
                    span,
                }
            }
        })
        .collect();
    (out, h)
}

/// Finishes a record type from its entries: reports a field declared
/// twice (the second is dropped) and a `... : T` that is not the one last
/// entry.
fn record_type(st: &mut PState, entries: Vec<PField>, span: Span) -> Ty {
    let mut fields: Vec<TypeField> = Vec::new();
    let mut seen: rustc_hash::FxHashMap<Name, Span> = Default::default();
    let mut rest: Option<Box<TypeExpr>> = None;
    let mut rest_span: Option<Span> = None;
    let mut h = 0;
    for f in entries {
        let Some((name, name_span)) = f.name else {
            if let Some(prev) = rest_span {
                let d = Diagnostic::error(
                    codes::RECORD_TYPE_ENTRY,
                    "a record type has only one `... : T`",
                )
                .at(&st.file, f.span, "a second `...` entry")
                .with_label(&st.file, prev, "the first one")
                .with_help("give the other attributes one type, for example a union `... : A | B`");
                st.diags.push(d);
            } else {
                h = h.max(f.ty.h);
                rest_span = Some(f.span);
                rest = Some(bx_ty(f.ty));
            }
            continue;
        };
        if let Some(prev) = rest_span {
            let d = Diagnostic::error(
                codes::RECORD_TYPE_ENTRY,
                "`... : T` must be the last entry of a record type",
            )
            .at(&st.file, name_span, "a field after `...`")
            .with_label(&st.file, prev, "`...` is here")
            .with_help("move `... : T` to the end of the record type");
            st.diags.push(d);
        }
        if let Some(&prev) = seen.get(&name) {
            let d = Diagnostic::error(
                codes::DUPLICATE_FIELD,
                format!("field `{name}` is declared twice in this record type"),
            )
            .at(&st.file, name_span, "declared again here")
            .with_label(&st.file, prev, "first declared here")
            .with_help("remove one of the declarations");
            st.diags.push(d);
            continue;
        }
        seen.insert(name.clone(), name_span);
        h = h.max(f.ty.h).max(f.default.as_ref().map_or(0, |d| d.h));
        fields.push(TypeField {
            name,
            name_span,
            optional: f.optional,
            ty: f.ty.take(),
            default: f.default.map(N::take),
            doc: f.doc,
            span: f.span,
        });
    }
    mk_ty(st, TypeExpr::Record { fields, rest, span }, h + 1)
}

// ---------------------------------------------------------------------------
// Strings

/// Decodes the escapes of a `"…"` piece: `\n \r \t`, `\c` → `c`, and a raw
/// CR or CR LF becomes LF (as Nix does).
fn unescape(raw: &str) -> String {
    if !raw.contains(['\\', '\r']) {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut it = raw.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some(c) => out.push(c),
                None => {}
            },
            '\r' => {
                out.push('\n');
                if it.peek() == Some(&'\n') {
                    it.next();
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Decodes an indented-string escape token: `''$`, `'''`, `''\c`.
fn ind_escape(raw: &str) -> String {
    match raw {
        "''$" => "$".into(),
        "'''" => "''".into(),
        _ => {
            let mut s = String::new();
            match raw.get(3..).and_then(|r| r.chars().next()) {
                Some('n') => s.push('\n'),
                Some('r') => s.push('\r'),
                Some('t') => s.push('\t'),
                Some(c) => s.push(c),
                None => {}
            }
            s
        }
    }
}

/// One piece of a string before the parts are finished.
#[derive(Clone, Debug)]
enum Piece {
    /// Text, and whether it counts for indentation (false for escapes).
    Text(String, bool),
    Interp(N),
}

/// Joins adjacent literal text and drops empty literals.
fn push_lit(parts: &mut Vec<StrPart>, s: String) {
    if s.is_empty() {
        return;
    }
    if let Some(StrPart::Lit(prev)) = parts.last_mut() {
        prev.push_str(&s);
    } else {
        parts.push(StrPart::Lit(s));
    }
}

fn finish_parts(pieces: Vec<Piece>) -> (Vec<StrPart>, u32) {
    let mut parts = Vec::new();
    let mut h = 0;
    for p in pieces {
        match p {
            Piece::Text(s, _) => push_lit(&mut parts, s),
            Piece::Interp(n) => {
                h = h.max(n.h);
                parts.push(StrPart::Interp(n.take()));
            }
        }
    }
    (parts, h)
}

/// Nix's `stripIndentation`, step for step: the smallest indentation of
/// the lines (escapes and interpolations count as text; lines of only
/// spaces don't count; tabs are text) is removed from every line, and a
/// last line of only spaces is dropped.
fn strip_indentation(pieces: Vec<Piece>) -> (Vec<StrPart>, u32) {
    let mut at_sol = true;
    let mut min_indent = 1_000_000usize;
    let mut cur = 0usize;
    for p in &pieces {
        match p {
            Piece::Text(s, true) => {
                for c in s.bytes() {
                    if at_sol {
                        if c == b' ' {
                            cur += 1;
                        } else if c == b'\n' {
                            cur = 0;
                        } else {
                            at_sol = false;
                            min_indent = min_indent.min(cur);
                        }
                    } else if c == b'\n' {
                        at_sol = true;
                        cur = 0;
                    }
                }
            }
            _ => {
                if at_sol {
                    at_sol = false;
                    min_indent = min_indent.min(cur);
                }
            }
        }
    }
    let mut parts = Vec::new();
    let mut h = 0;
    let mut at_sol = true;
    let mut dropped = 0usize;
    let n = pieces.len();
    for (idx, p) in pieces.into_iter().enumerate() {
        match p {
            Piece::Interp(e) => {
                at_sol = false;
                dropped = 0;
                h = h.max(e.h);
                parts.push(StrPart::Interp(e.take()));
            }
            Piece::Text(s, _) => {
                let mut s2 = String::with_capacity(s.len());
                for c in s.chars() {
                    if at_sol {
                        if c == ' ' {
                            if dropped >= min_indent {
                                s2.push(' ');
                            }
                            dropped += 1;
                        } else if c == '\n' {
                            dropped = 0;
                            s2.push('\n');
                        } else {
                            at_sol = false;
                            dropped = 0;
                            s2.push(c);
                        }
                    } else {
                        s2.push(c);
                        if c == '\n' {
                            at_sol = true;
                        }
                    }
                }
                if idx + 1 == n
                    && let Some(nl) = s2.rfind('\n')
                    && s2[nl + 1..].bytes().all(|b| b == b' ')
                {
                    s2.truncate(nl + 1);
                }
                push_lit(&mut parts, s2);
            }
        }
    }
    (parts, h)
}

// ---------------------------------------------------------------------------
// Recovery helpers (custom parsers)

/// A chumsky error at the cursor saying `want` was expected (possibly
/// nothing: then it only marks the failure and merges into other errors).
fn expected_at<'a>(inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>, want: Option<Token<'a>>) -> PError {
    let k = cursor_index(inp);
    PError {
        at: k,
        expected: want.map_or(0, |t| 1 << kind(t)),
        labels: 0,
    }
}

fn rich_at<'a>(inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>) -> PError {
    expected_at(inp, None)
}

/// The closer `tok` of a construct. After [`repair`] every opener has
/// one; when something else comes first, the construct fails and its
/// recovery ([`skip_delimited`]) skips to the closer.
fn close<'a>(tok: Token<'static>) -> impl Parser<'a, I<'a>, (), Ex<'a>> + Clone {
    just(tok).ignored()
}

/// Recovery for a delimited construct whose inside is broken: skips from
/// its opener `open` (after `prefix`, when given) to the matching closer.
fn skip_delimited<'a>(
    prefix: Option<Token<'static>>,
    open: Token<'static>,
) -> impl Parser<'a, I<'a>, N, Ex<'a>> + Clone {
    skip_delimited_span(prefix, open).map(error_node)
}

/// [`skip_delimited`] for a type: `[…]`, `(…)`, `{…}` become `Error`.
fn skip_delimited_ty<'a>(open: Token<'static>) -> impl Parser<'a, I<'a>, Ty, Ex<'a>> + Clone {
    skip_delimited_span(None, open).map(|span| Ty {
        t: TypeExpr::Error(span),
        h: 1,
    })
}

/// The span [`skip_delimited`] skips.
fn skip_delimited_span<'a>(
    prefix: Option<Token<'static>>,
    open: Token<'static>,
) -> impl Parser<'a, I<'a>, Span, Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let start = cursor_index(inp);
        let st = inp.state();
        let mut k = start;
        if prefix.is_some() {
            if st.tok(k) != prefix {
                return Err(rich_at(inp));
            }
            k += 1;
        }
        if st.tok(k) != Some(open) {
            return Err(rich_at(inp));
        }
        let Some(close) = st.brackets.close_of.get(k).copied().filter(|c| *c != NONE) else {
            return Err(rich_at(inp));
        };
        let end = close as usize + 1;
        let span = st.span_of(start, end);
        advance_to(inp, end);
        Ok(span)
    })
}

/// The index after the token at `k`, or after its whole bracketed group
/// when it is an opener.
fn skip_group(st: &PState, k: usize) -> usize {
    match st.tok(k) {
        Some(t) if closer_for(t).is_some() => match st.brackets.close_of.get(k) {
            Some(&c) if c != NONE => c as usize + 1,
            _ => k + 1,
        },
        _ => k + 1,
    }
}

/// Recovery for a broken type: skips to the token that ends a type at
/// this level (`=`, `+=`, `;`, `,`, `?`, `in`, a closer, the end) or up
/// to a binding starting a line, and yields `Error`. It may skip nothing
/// (`a : = 1;`): the type is then an empty `Error` and the parse goes on
/// after it.
fn skip_type<'a>() -> impl Parser<'a, I<'a>, Ty, Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let start = cursor_index(inp);
        let st = inp.state();
        let mut k = start;
        while let Some(t) = st.tok(k) {
            let stop = matches!(
                t,
                Token::Assign
                    | Token::PlusAssign
                    | Token::Semi
                    | Token::Comma
                    | Token::Question
                    | Token::In
            ) || is_closer(t)
                || (k > start && st.starts_line(k) && starts_binding(st, k));
            if stop {
                break;
            }
            k = skip_group(st, k);
        }
        let span = if k > start {
            st.span_of(start, k)
        } else {
            st.point(start)
        };
        advance_to(inp, k);
        Ok(Ty {
            t: TypeExpr::Error(span),
            h: 1,
        })
    })
}

/// Where a type must follow (after `|` or `->`) but none starts: reports
/// it and yields an empty `Error` without consuming anything.
fn missing_type<'a>() -> impl Parser<'a, I<'a>, Ty, Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let k = cursor_index(inp);
        let st = inp.state();
        let found = st.describe(k);
        let at = st.tok_span(k);
        st.error(
            codes::EXPECTED_TYPE,
            format!("expected a type, found {found}"),
            at,
            "expected a type",
        )
        .help = Some(TYPE_HELP.into());
        Ok(Ty {
            t: TypeExpr::Error(st.point(k)),
            h: 1,
        })
    })
}

/// The help of "expected a type".
const TYPE_HELP: &str = "a type is a name (`Int`, `Port`), a string (`\"tcp\"`), `[T]`, \
                         `{ a : T }`, `T | U` or `T -> U`";

/// True when tokens at `k` start an entry of a record type: `name :`,
/// `name ? :`, `"name" :`, `"name" ? :` or `...`.
fn starts_field(st: &PState, k: usize) -> bool {
    let after = match st.tok(k) {
        Some(Token::Ellipsis) => return true,
        Some(Token::Ident(_) | Token::OrKw) => k + 1,
        Some(Token::StrOpen) => skip_group(st, k),
        _ => return false,
    };
    match st.tok(after) {
        Some(Token::Colon) => true,
        Some(Token::Question) => st.tok(after + 1) == Some(Token::Colon),
        _ => false,
    }
}

/// The `,` after an entry of a record type. It may be left out before the
/// closing `}`; a missing one before another entry is reported and
/// assumed.
fn field_sep<'a>() -> impl Parser<'a, I<'a>, (), Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let k = cursor_index(inp);
        let st = inp.state();
        match st.tok(k) {
            Some(Token::Comma) => {
                inp.skip();
                Ok(())
            }
            Some(Token::RBrace) => Ok(()),
            Some(_) if starts_field(st, k) => {
                let at = st.tok_span(k.saturating_sub(1));
                let found = st.describe(k);
                st.error(
                    codes::UNEXPECTED_TOKEN,
                    "expected `,` after this field",
                    at,
                    format!("add `,` here (found {found} next)"),
                )
                .help = Some("the fields of a record type are separated by `,`".into());
                Ok(())
            }
            _ => Err(PError {
                at: k,
                expected: (1 << kind(Token::Comma)) | (1 << kind(Token::RBrace)),
                labels: 0,
            }),
        }
    })
}

/// Recovery for a broken entry of a record type: skips to the `,` after it
/// (consumed), or up to the `}` that ends the record or an entry starting
/// a line. Fails when it would skip nothing.
fn skip_field<'a>() -> impl Parser<'a, I<'a>, Option<PField>, Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let start = cursor_index(inp);
        let st = inp.state();
        let mut k = start;
        while let Some(t) = st.tok(k) {
            if t == Token::Comma {
                k += 1;
                break;
            }
            if is_closer(t) || (k > start && st.starts_line(k) && starts_field(st, k)) {
                break;
            }
            k = skip_group(st, k);
        }
        skipped(inp, start, k)
    })
}

/// Succeeds (consuming nothing) when the next token can be the argument
/// of a type application (`Template Workspace`): a name, a string or an
/// opener, but not a name that starts the next field (`b :`, `b ? :`),
/// `type` declaration, or binding on a new line (`b =`, `b.c =`) after a
/// missing separator. (`Template Workspace = t;` ends in a name before `=`.)
fn type_arg_start<'a>() -> impl Parser<'a, I<'a>, (), Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let k = cursor_index(inp);
        let st = inp.state();
        let ok = match st.tok(k) {
            Some(Token::Ident(_)) => {
                let starts_next = matches!(st.tok(k + 1), Some(Token::Colon | Token::Dot))
                    || starts_field(st, k)
                    || is_type_decl(st, k)
                    || (st.starts_line(k) && starts_binding(st, k));
                !starts_next
            }
            Some(Token::StrOpen | Token::LParen | Token::LBracket | Token::LBrace) => true,
            _ => false,
        };
        if ok { Ok(()) } else { Err(rich_at(inp)) }
    })
}

/// Succeeds (consuming nothing) when `type Name` starts here: `type` is a
/// keyword only there (`type = "x";` is an ordinary binding).
fn type_decl_guard<'a>() -> impl Parser<'a, I<'a>, (), Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let k = cursor_index(inp);
        let st = inp.state();
        if st.tok(k) == Some(Token::Ident("type")) && matches!(st.tok(k + 1), Some(Token::Ident(_)))
        {
            Ok(())
        } else {
            Err(rich_at(inp))
        }
    })
}

/// Succeeds (consuming nothing) when `kind "…" {` starts here: `kind` is a
/// keyword only there (`kind x` is an application).
fn kind_guard<'a>() -> impl Parser<'a, I<'a>, (), Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let k = cursor_index(inp);
        let st = inp.state();
        let ok = st.tok(k) == Some(Token::Ident("kind"))
            && st.tok(k + 1) == Some(Token::StrOpen)
            && st.tok(skip_group(st, k + 1)) == Some(Token::LBrace);
        if ok { Ok(()) } else { Err(rich_at(inp)) }
    })
}

/// The text of a string without interpolation, or `None`.
fn plain_string(pieces: &[Piece]) -> Option<String> {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Text(s, _) => out.push_str(s),
            Piece::Interp(_) => return None,
        }
    }
    Some(out)
}

/// Reports a string that must be plain (a kind's name, a literal type, a
/// field name in a record type) but has `${…}`.
fn not_plain(st: &mut PState, span: Span, what: &str) {
    st.error(
        codes::NOT_PLAIN_STRING,
        format!("{what} cannot be interpolated"),
        span,
        "`${…}` is not allowed here",
    )
    .help = Some("write the text out: types are read before anything is evaluated".into());
}

/// Recovery for a broken binding: skips to its `;` (consumed), or up to the
/// `}`/`in` that ends the list, or up to the next binding starting a line.
/// Fails when it would skip nothing.
fn skip_binding<'a>() -> impl Parser<'a, I<'a>, Option<PBinding>, Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let start = cursor_index(inp);
        let st = inp.state();
        let mut k = start;
        let mut depth: Vec<Token> = Vec::new();
        let mut seen_assign = false;
        loop {
            let Some(t) = st.tok(k) else {
                // No `;` up to the end: not a binding at all (say, the
                // body of a `let` that lacks its `in`). Leave it.
                return Err(rich_at(inp));
            };
            if depth.is_empty() {
                match t {
                    Token::RBrace | Token::In => break,
                    Token::Semi => {
                        k += 1;
                        break;
                    }
                    Token::Assign | Token::PlusAssign => seen_assign = true,
                    _ if k > start && st.starts_line(k) && starts_binding(st, k) => break,
                    _ if k > start && seen_assign && is_assignment(st, k) => break,
                    _ => {}
                }
            }
            if let Some(c) = closer_for(t) {
                depth.push(c);
            } else if is_closer(t) {
                if depth.last() == Some(&t) {
                    depth.pop();
                } else if t == Token::RBrace {
                    // A `}` closing something outside what we skip.
                    if let Some(p) = depth.iter().rposition(|d| *d == Token::RBrace) {
                        depth.truncate(p);
                    } else {
                        break;
                    }
                }
            }
            k += 1;
        }
        skipped(inp, start, k)
    })
}

/// Succeeds (consuming nothing) when the `{` at the cursor opens a lambda
/// pattern (its `}` is followed by `:` or `@`) exactly when `pattern`.
/// This is how `{ a, b }: …` and `{ a = 1; }` are told apart.
fn brace_guard<'a>(pattern: bool) -> impl Parser<'a, I<'a>, (), Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let k = cursor_index(inp);
        let st = inp.state();
        let close = st.brackets.close_of.get(k).copied().unwrap_or(NONE);
        let brace = st.tok(k) == Some(Token::LBrace);
        let is_pattern =
            close != NONE && matches!(st.tok(close as usize + 1), Some(Token::Colon | Token::At));
        if brace && is_pattern == pattern {
            Ok(())
        } else {
            Err(expected_at(inp, Some(Token::LBrace)))
        }
    })
}

/// True when tokens at `k` look like the start of a binding: `inherit`, a
/// name followed by `=`, `+=` or `.`, an annotated binding `a : T =`, or a
/// type declaration `type T =`.
fn starts_binding(st: &PState, k: usize) -> bool {
    match st.tok(k) {
        Some(Token::Inherit) => true,
        Some(Token::Ident(_) | Token::OrKw) => {
            matches!(
                st.tok(k + 1),
                Some(Token::Assign | Token::PlusAssign | Token::Dot)
            ) || is_type_decl(st, k)
                || is_annotated_binding(st, k)
        }
        _ => false,
    }
}

/// True when tokens at `k` are `type Name =`.
fn is_type_decl(st: &PState, k: usize) -> bool {
    st.tok(k) == Some(Token::Ident("type"))
        && matches!(st.tok(k + 1), Some(Token::Ident(_)))
        && st.tok(k + 2) == Some(Token::Assign)
}

/// True when tokens at `k` are `a.b : T =` (or `+=`) where `T` is made of
/// names, strings, bracketed groups, `|` and `->` only: an annotated
/// binding. A lambda `x: body` is not one (its body has other tokens, or
/// no `=` before its `;`). Looks at most 64 tokens ahead.
fn is_annotated_binding(st: &PState, k: usize) -> bool {
    let mut i = k;
    loop {
        if !matches!(st.tok(i), Some(Token::Ident(_) | Token::OrKw)) {
            return false;
        }
        match st.tok(i + 1) {
            Some(Token::Dot) => i += 2,
            Some(Token::Colon) => break,
            _ => return false,
        }
    }
    let first = i + 2;
    let mut i = first;
    while i < first + 64 {
        match st.tok(i) {
            Some(Token::Assign | Token::PlusAssign) => return i > first,
            Some(Token::Ident(_) | Token::Pipe | Token::Impl) => i += 1,
            Some(Token::StrOpen | Token::LParen | Token::LBracket | Token::LBrace) => {
                i = skip_group(st, i)
            }
            _ => return false,
        }
    }
    false
}

/// The `;` ending a binding. A missing one before `}`, `in`, the end, or a
/// binding on the next line is reported and assumed.
fn semi<'a>() -> impl Parser<'a, I<'a>, (), Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let k = cursor_index(inp);
        let st = inp.state();
        match st.tok(k) {
            Some(Token::Semi) => {
                inp.skip();
                Ok(())
            }
            None | Some(Token::RBrace | Token::In) => {
                missing_semi(st, k);
                Ok(())
            }
            Some(_) if (st.starts_line(k) && starts_binding(st, k)) || is_assignment(st, k) => {
                missing_semi(st, k);
                Ok(())
            }
            _ => Err(expected_at(inp, Some(Token::Semi))),
        }
    })
}

fn missing_semi(st: &mut PState, k: usize) {
    // Something before already complained about the next token.
    let next = st.tok_span(k).start;
    if st
        .diags
        .iter()
        .any(|d| d.primary.as_ref().is_some_and(|l| l.span.start == next))
    {
        return;
    }
    let prev = k.saturating_sub(1);
    let at = st.tok_span(prev);
    let found = st.describe(k);
    st.error(
        codes::MISSING_SEMICOLON,
        "expected `;` after this binding",
        at,
        format!("add `;` here (found {found} next)"),
    )
    .help = Some("every binding ends with `;`, the last one too".into());
}

/// Succeeds (consuming nothing) when the next token is not `tok`, and
/// reports that `tok` is missing there.
fn missing_keyword<'a>(tok: Token<'static>) -> impl Parser<'a, I<'a>, (), Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let k = cursor_index(inp);
        let st = inp.state();
        if st.tok(k) == Some(tok) {
            return Err(expected_at(inp, Some(tok)));
        }
        let want = describe_token(tok, "");
        let found = st.describe(k);
        let at = st.tok_span(k);
        let code = if tok == Token::Semi {
            codes::MISSING_SEMICOLON
        } else {
            codes::UNEXPECTED_TOKEN
        };
        st.error(
            code,
            format!("expected {want}, found {found}"),
            at,
            format!("expected {want} here"),
        );
        Ok(())
    })
}

/// The expression failure memo: with `record`, notes that no expression
/// starts at the cursor and fails; without, fails when that was noted.
/// (The parse of an expression depends only on where it starts.)
fn expr_memo<'a>(record: bool) -> impl Parser<'a, I<'a>, (), Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let k = cursor_index(inp);
        let st = inp.state();
        if record {
            if let Some(f) = st.failed_expr.get_mut(k) {
                *f = true;
            }
            return Err(rich_at(inp));
        }
        if st.failed_expr.get(k).copied().unwrap_or(false) {
            Err(rich_at(inp))
        } else {
            Ok(())
        }
    })
}

/// Succeeds (consuming nothing) unless a lambda, `let … in`, `if`, `assert`
/// or `with` starts at the cursor.
fn plain_expr_start<'a>() -> impl Parser<'a, I<'a>, (), Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let k = cursor_index(inp);
        let st = inp.state();
        let special = match st.tok(k) {
            Some(Token::Ident(_)) => matches!(st.tok(k + 1), Some(Token::Colon | Token::At)),
            Some(Token::LBrace) => {
                let close = st.brackets.close_of.get(k).copied().unwrap_or(NONE);
                close != NONE
                    && matches!(st.tok(close as usize + 1), Some(Token::Colon | Token::At))
            }
            Some(Token::Let) => st.tok(k + 1) != Some(Token::LBrace),
            Some(Token::If | Token::Assert | Token::With) => true,
            _ => false,
        };
        if special { Err(rich_at(inp)) } else { Ok(()) }
    })
}

/// True when tokens at `k` are `name =`, `name +=`, `type Name =` or an
/// annotated `name : T =`, which can only start a binding.
fn is_assignment(st: &PState, k: usize) -> bool {
    matches!(st.tok(k), Some(Token::Ident(_) | Token::OrKw))
        && (matches!(st.tok(k + 1), Some(Token::Assign | Token::PlusAssign))
            || is_type_decl(st, k)
            || (st.tok(k + 1) == Some(Token::Colon) && is_annotated_binding(st, k)))
}

/// Succeeds (consuming nothing) when the next token can start a function
/// argument. Not `name =` or `name +=`: such a name starts a binding (after
/// a missing `;`) and is never an argument. The check up front also saves
/// trying every kind of argument at the end of each application.
fn arg_start<'a>() -> impl Parser<'a, I<'a>, (), Ex<'a>> + Clone {
    custom(move |inp: &mut InputRef<'a, '_, I<'a>, Ex<'a>>| {
        let k = cursor_index(inp);
        let st = inp.state();
        let ok = match st.tok(k) {
            Some(Token::Ident(_)) => !is_assignment(st, k),
            Some(
                Token::Int(_)
                | Token::Float(_)
                | Token::Unit(_)
                | Token::StrOpen
                | Token::IndOpen
                | Token::Path(_)
                | Token::PathOpen(_)
                | Token::SearchPath(_)
                | Token::LParen
                | Token::LBracket
                | Token::LBrace
                | Token::Rec
                | Token::Let
                | Token::Invalid,
            ) => true,
            _ => false,
        };
        if ok { Ok(()) } else { Err(rich_at(inp)) }
    })
}

// ---------------------------------------------------------------------------
// The grammar

fn binary(st: &mut PState, l: N, op: BinaryOp, op_idx: usize, r: N, span: Tspan) -> N {
    let class = |o: BinaryOp| match o {
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => 1,
        BinaryOp::Eq | BinaryOp::Ne => 2,
        _ => 0,
    };
    if class(op) != 0
        && let ExprKind::Binary { op: lop, .. } = &l.e.kind
        && class(*lop) == class(op)
        // Bare, not parenthesised: the left side ends right before the operator.
        && op_idx > 0
        && st.tok_span(op_idx - 1).end == l.e.span.end
    {
        let lop = *lop;
        let at = st.tok_span(op_idx);
        st.error(
            codes::CHAINED_COMPARISON,
            format!(
                "`{}` cannot be chained with `{}`",
                op.symbol(),
                lop.symbol()
            ),
            at,
            "comparison operators do not associate",
        )
        .help = Some("add parentheses, or combine the comparisons with `&&`".into());
    }
    let h = 1 + l.h.max(r.h);
    let sp = st.span(span);
    mk(
        st,
        ExprKind::Binary {
            op,
            lhs: bx(l),
            rhs: bx(r),
        },
        sp,
        h,
    )
}

type P<'a, O> = chumsky::Boxed<'a, 'a, I<'a>, O, Ex<'a>>;

/// Precedence (higher binds tighter) and right-associativity of a binary
/// operator token, as in Nix's `parser.y`, with dvm's `&` beside `//`.
fn binop(t: Token) -> Option<(BinaryOp, u8, bool)> {
    Some(match t {
        Token::Impl => (BinaryOp::Impl, 1, true),
        Token::OrOr => (BinaryOp::Or, 2, false),
        Token::AndAnd => (BinaryOp::And, 3, false),
        Token::EqEq => (BinaryOp::Eq, 4, false),
        Token::NotEq => (BinaryOp::Ne, 4, false),
        Token::Lt => (BinaryOp::Lt, 5, false),
        Token::Le => (BinaryOp::Le, 5, false),
        Token::Gt => (BinaryOp::Gt, 5, false),
        Token::Ge => (BinaryOp::Ge, 5, false),
        Token::Update => (BinaryOp::Update, 6, true),
        Token::Amp => (BinaryOp::Merge, 6, true),
        Token::Plus => (BinaryOp::Add, 8, false),
        Token::Minus => (BinaryOp::Sub, 8, false),
        Token::Star => (BinaryOp::Mul, 9, false),
        Token::Slash => (BinaryOp::Div, 9, false),
        Token::Concat => (BinaryOp::Concat, 10, true),
        _ => return None,
    })
}
const NOT_PREC: u8 = 7;
const HAS_PREC: u8 = 11;
const NEG_PREC: u8 = 12;

/// An operator waiting for its right operand: its token index.
enum Pending {
    Prefix(UnaryOp, usize),
    Binary(BinaryOp, usize, u8),
}

impl Pending {
    fn prec(&self) -> u8 {
        match self {
            Pending::Prefix(UnaryOp::Neg, _) => NEG_PREC,
            Pending::Prefix(UnaryOp::Not, _) => NOT_PREC,
            Pending::Binary(_, _, p) => *p,
        }
    }
}

/// An operand with the prefix operators before it (token indices), and
/// the token range of the operand itself.
type Operand = (Vec<(UnaryOp, usize)>, (N, Tspan));

/// What follows an operand: `? path`, or a binary operator and the next
/// operand.
enum TailItem {
    Has(Vec<PKey>, Tspan),
    Bin((BinaryOp, u8, bool, usize), Operand),
}

/// A value on the stack with the token range it covers.
type Val = (N, usize, usize);

/// The operator level: the parsed sequence `operand (? path | op operand)*`
/// is turned into a tree by operator precedence with explicit stacks (no
/// recursion, so `- - - … x` or `a ++ a ++ …` cannot overflow the stack).
///
/// A prefix operator sitting on the stack takes everything that binds
/// tighter than itself to its right, as in Nix's yacc grammar:
/// `a + !b + c` is `a + !(b + c)`, `-a ? b` is `(-a) ? b`.
fn operators<'a>(
    app: P<'a, N>,
    attrpath: P<'a, Vec<PKey>>,
) -> impl Parser<'a, I<'a>, N, Ex<'a>> + Clone {
    let prefix = select! {
        Token::Minus => UnaryOp::Neg,
        Token::Bang => UnaryOp::Not,
    }
    .map_with(|o, e: &mut MapExtra<'a, '_, I<'a>, Ex<'a>>| (o, e.span().start));
    let operand = prefix
        .repeated()
        .collect::<Vec<_>>()
        .then(app.map_with(|n, e| (n, e.span())))
        .boxed();
    let binop_tok = select! { t => binop(t) }
        .try_map(|o, span: Tspan| {
            o.ok_or(PError {
                at: span.start,
                expected: 0,
                labels: 0,
            })
        })
        .map_with(
            |(op, prec, right), e: &mut MapExtra<'a, '_, I<'a>, Ex<'a>>| {
                (op, prec, right, e.span().start)
            },
        );
    let tail = choice((
        just(Token::Question)
            .ignore_then(attrpath)
            .map_with(|p, e| TailItem::Has(p, e.span())),
        binop_tok
            .then(operand.clone())
            .map(|(op, rhs)| TailItem::Bin(op, rhs)),
    ));
    operand
        .then(tail.repeated().collect::<Vec<_>>())
        .map_with(|(first, tail), e| {
            let st = e.state();
            let mut vals: Vec<Val> = Vec::new();
            let mut ops: Vec<Pending> = Vec::new();
            push_operand(&mut vals, &mut ops, first);
            for item in tail {
                match item {
                    TailItem::Has(path, span) => {
                        let (path, hk) = keys(path);
                        reduce(st, &mut vals, &mut ops, |p| p > HAS_PREC);
                        if let Some((l, start, _)) = vals.pop() {
                            let h = 1 + l.h.max(hk);
                            let bspan = st.span_of(start, span.end);
                            let n = mk(st, ExprKind::HasAttr { expr: bx(l), path }, bspan, h);
                            vals.push((n, start, span.end));
                        }
                    }
                    TailItem::Bin((op, prec, right, at), rhs) => {
                        reduce(st, &mut vals, &mut ops, |p| {
                            if right { p > prec } else { p >= prec }
                        });
                        ops.push(Pending::Binary(op, at, prec));
                        push_operand(&mut vals, &mut ops, rhs);
                    }
                }
            }
            reduce(st, &mut vals, &mut ops, |_| true);
            match vals.pop() {
                Some((n, _, _)) => n,
                None => error_node(sp(e)),
            }
        })
}

fn push_operand(vals: &mut Vec<Val>, ops: &mut Vec<Pending>, (prefixes, (n, span)): Operand) {
    ops.extend(prefixes.into_iter().map(|(o, at)| Pending::Prefix(o, at)));
    vals.push((n, span.start, span.end));
}

/// Applies the pending operators while `pop(precedence)` says so.
fn reduce(st: &mut PState, vals: &mut Vec<Val>, ops: &mut Vec<Pending>, pop: impl Fn(u8) -> bool) {
    while let Some(top) = ops.last() {
        if !pop(top.prec()) {
            break;
        }
        let Some(op) = ops.pop() else { break };
        match op {
            Pending::Prefix(o, at) => {
                let Some((v, _, end)) = vals.pop() else { break };
                let span = st.span_of(at, end);
                let h = v.h + 1;
                let n = mk(st, ExprKind::Unary { op: o, expr: bx(v) }, span, h);
                vals.push((n, at, end));
            }
            Pending::Binary(o, at, _) => {
                let (Some((r, _, end)), Some((l, start, _))) = (vals.pop(), vals.pop()) else {
                    break;
                };
                let n = binary(st, l, o, at, r, SimpleSpan::from(start..end));
                vals.push((n, start, end));
            }
        }
    }
}

fn root<'a>() -> impl Parser<'a, I<'a>, N, Ex<'a>> {
    let e = expr();
    let fallback = e
        .clone()
        .or_not()
        .then_ignore(any().repeated())
        .map_with(|n, ex| n.unwrap_or_else(|| error_node(sp(ex))));
    e.then_ignore(end()).recover_with(via_parser(fallback))
}

fn expr<'a>() -> P<'a, N> {
    recursive(|expr: Recursive<dyn Parser<'a, I<'a>, N, Ex<'a>> + 'a>| {
        let expr: P<'a, N> = expr.boxed();
        let ident = select! { Token::Ident(s) => s };

        // `${ expr }`
        let interp: P<'a, (N, Tspan)> = just(Token::DollarBrace)
            .ignore_then(expr.clone())
            .then_ignore(close(Token::RBrace))
            .map_with(|n, e| (n, e.span()))
            .boxed();

        // "…"
        let string: P<'a, Vec<Piece>> = just(Token::StrOpen)
            .ignore_then(
                choice((
                    select! { Token::StrLit(s) => Piece::Text(unescape(s), true) },
                    interp.clone().map(|(n, _)| Piece::Interp(n)),
                ))
                .repeated()
                .collect::<Vec<_>>(),
            )
            .then_ignore(close(Token::StrClose))
            .boxed();

        // ''…''
        let ind_string: P<'a, Vec<Piece>> = just(Token::IndOpen)
            .ignore_then(
                choice((
                    select! { Token::IndLit(s) => Piece::Text(s.to_string(), true) },
                    select! { Token::IndEsc(s) => Piece::Text(ind_escape(s), false) },
                    interp.clone().map(|(n, _)| Piece::Interp(n)),
                ))
                .repeated()
                .collect::<Vec<_>>(),
            )
            .then_ignore(close(Token::IndClose))
            .boxed();

        let str_node = |finish: fn(Vec<Piece>) -> (Vec<StrPart>, u32)| {
            move |pieces: Vec<Piece>, e: &mut MapExtra<'a, '_, I<'a>, Ex<'a>>| {
                let span = sp(e);
                let (parts, h) = finish(pieces);
                mk(e.state(), ExprKind::Str(parts), span, h + 1)
            }
        };

        // Interpolated path: PathOpen (PathLit | ${…})* PathClose
        let path_interp: P<'a, N> = select! { Token::PathOpen(home) => home }
            .then(
                choice((
                    select! { Token::PathLit(s) => Piece::Text(s.to_string(), true) },
                    interp.clone().map(|(n, _)| Piece::Interp(n)),
                ))
                .repeated()
                .collect::<Vec<_>>(),
            )
            .then_ignore(just(Token::PathClose))
            .map_with(|(home, pieces), e| {
                let span = sp(e);
                if home {
                    return error_node(span);
                }
                let (parts, h) = finish_parts(pieces);
                mk(e.state(), ExprKind::Path(parts), span, h + 1)
            })
            .boxed();

        // Attribute keys and paths.
        let attr_key: P<'a, PKey> = choice((
            ident.map_with(|s, e| PKey::Ident(s.into(), sp(e))),
            just(Token::OrKw).map_with(|_, e| PKey::Ident("or".into(), sp(e))),
            string
                .clone()
                .map_with(|pieces, e| PKey::Str(pieces, sp(e))),
            interp.clone().map_with(|(n, _), e| PKey::Dynamic(n, sp(e))),
        ))
        .labelled(LABEL_ATTR)
        .boxed();
        let attrpath: P<'a, Vec<PKey>> = attr_key
            .clone()
            .separated_by(just(Token::Dot))
            .at_least(1)
            .collect::<Vec<_>>()
            .boxed();

        // Types (language.md §3), loosest to tightest:
        //   type  = union (-> union)*          right-associative
        //   union = app (| app)*
        //   app   = atom atom*                 left-associative
        //   atom  = name | "lit" | [type] | (type) | { entries }
        // A type that does not parse where one is required becomes `Error`
        // up to the token that ends it ([`skip_type`]).
        let mut ty_decl: Recursive<chumsky::recursive::Indirect<'a, 'a, I<'a>, Ty, Ex<'a>>> =
            Recursive::declare();
        let ty: P<'a, Ty> = ty_decl.clone().boxed();
        // Where a type is required: a broken one is skipped ([`skip_type`]).
        let ty_rec: P<'a, Ty> = ty.clone().recover_with(via_parser(skip_type())).boxed();
        let record_ty: P<'a, Ty> = {
            // Record types: `{ a : T, b ? : T, c : T ? e, ... : T }`.
            let field_name = choice((
                ident.map_with(|s, e| Some((Name::from(s), sp(e)))),
                just(Token::OrKw).map_with(|_, e| Some((Name::from("or"), sp(e)))),
                string.clone().map_with(|pieces, e| {
                    let span = sp(e);
                    match plain_string(&pieces) {
                        Some(text) => Some((Name::from(text), span)),
                        None => {
                            not_plain(e.state(), span, "a field name in a type");
                            None
                        }
                    }
                }),
            ));
            let field = field_name
                .then(just(Token::Question).map_with(|_, e| sp(e)).or_not())
                .then_ignore(just(Token::Colon))
                .then(ty_rec.clone())
                .then(just(Token::Question).ignore_then(expr.clone()).or_not())
                .map_with(|(((name, optional), ty), default), e| {
                    let tspan = e.span();
                    let st = e.state();
                    let span = st.span(tspan);
                    // A name with `${…}` was reported; drop the field.
                    let (name, name_span) = name?;
                    if let (Some(q), Some(d)) = (optional, &default) {
                        let d = Diagnostic::error(
                            codes::RECORD_TYPE_ENTRY,
                            "a field cannot be both optional and defaulted",
                        )
                        .at(&st.file, q, "marked optional here")
                        .with_label(&st.file, d.e.span, "and given a default here")
                        .with_help(
                            "keep one: `b ? : T` may be absent, `c : T ? e` is `e` when absent",
                        );
                        st.diags.push(d);
                    }
                    Some(PField {
                        name: Some((name, name_span)),
                        optional: optional.is_some(),
                        ty,
                        default,
                        doc: st.doc_at(tspan.start),
                        span,
                    })
                });
            let rest = just(Token::Ellipsis)
                .map_with(|_, e| sp(e))
                .then(just(Token::Colon).ignore_then(ty_rec.clone()).or_not())
                .map_with(|(dots, ty), e| {
                    let span = sp(e);
                    let st = e.state();
                    let ty = ty.unwrap_or_else(|| {
                        st.error(
                            codes::RECORD_TYPE_ENTRY,
                            "`...` needs a type in a record type",
                            dots,
                            "the type of the other attributes is missing",
                        )
                        .help = Some(
                            "write `... : T`, for example `... : Any` to allow any other attribute"
                                .into(),
                        );
                        Ty {
                            t: TypeExpr::Error(dots),
                            h: 1,
                        }
                    });
                    Some(PField {
                        name: None,
                        optional: false,
                        ty,
                        default: None,
                        doc: None,
                        span,
                    })
                });
            let entry = choice((rest, field))
                .labelled(LABEL_FIELD)
                .then_ignore(field_sep())
                .recover_with(via_parser(skip_field()));
            let record_inner = just(Token::LBrace)
                .ignore_then(entry.repeated().collect::<Vec<_>>())
                .then_ignore(close(Token::RBrace))
                .map_with(|entries, e| {
                    let span = sp(e);
                    let st = e.state();
                    record_type(st, entries.into_iter().flatten().collect(), span)
                })
                .recover_with(via_parser(skip_delimited_ty(Token::LBrace)));
            just(Token::LBrace)
                .rewind()
                .ignore_then(record_inner)
                .boxed()
        };
        {
            let name = ident.map_with(|s, e| Ty {
                t: TypeExpr::Name(s.into(), sp(e)),
                h: 1,
            });
            let literal = string.clone().map_with(|pieces, e| {
                let span = sp(e);
                let t = match plain_string(&pieces) {
                    Some(text) => TypeExpr::Literal(text.into(), span),
                    None => {
                        not_plain(e.state(), span, "a string type");
                        TypeExpr::Error(span)
                    }
                };
                Ty { t, h: 1 }
            });
            let delimited = |open: Token<'static>, closer: Token<'static>, list: bool| {
                just(open).rewind().ignore_then(
                    just(open)
                        .ignore_then(ty.clone())
                        .then_ignore(close(closer))
                        .map_with(move |inner: Ty, e| {
                            let span = sp(e);
                            let h = inner.h + 1;
                            let t = if list {
                                TypeExpr::List(bx_ty(inner), span)
                            } else {
                                TypeExpr::Paren(bx_ty(inner), span)
                            };
                            mk_ty(e.state(), t, h)
                        })
                        .recover_with(via_parser(skip_delimited_ty(open))),
                )
            };
            let list = delimited(Token::LBracket, Token::RBracket, true);
            let paren = delimited(Token::LParen, Token::RParen, false);
            let atom: P<'a, Ty> = choice((name, literal, list, paren, record_ty.clone()))
                .labelled(LABEL_TYPE)
                .boxed();
            let app = atom.clone().foldl_with(
                type_arg_start().ignore_then(atom).repeated(),
                |f: Ty, a: Ty, e| {
                    let span = f.span().to(a.span());
                    let h = 1 + f.h.max(a.h);
                    let t = TypeExpr::Apply {
                        func: bx_ty(f),
                        arg: bx_ty(a),
                        span,
                    };
                    mk_ty(e.state(), t, h)
                },
            );
            // After `|` or `->` a type is required: a missing one is
            // reported and becomes `Error`, so `a : Int | = 1;` keeps its
            // binding.
            let app: P<'a, Ty> = app.boxed();
            let operand = |p: P<'a, Ty>| choice((p, missing_type())).boxed();
            // `||` is read as `|`, with an error.
            let pipe = choice((
                just(Token::Pipe).ignored(),
                // (`then`, not `ignore_then`, below: an ignored parser
                // runs without its actions.)
                just(Token::OrOr).map_with(|_, e| {
                    let span = sp(e);
                    e.state()
                        .error(
                            codes::UNEXPECTED_TOKEN,
                            "`||` in a type",
                            span,
                            "read as `|`",
                        )
                        .help = Some("a union type is written with one `|`: `A | B`".into());
                }),
            ));
            let union: P<'a, Ty> = app
                .clone()
                .then(
                    pipe.then(operand(app))
                        .map(|((), t)| t)
                        .repeated()
                        .collect::<Vec<Ty>>(),
                )
                .map_with(|(first, rest), e| {
                    if rest.is_empty() {
                        return first;
                    }
                    let span = sp(e);
                    let mut members = vec![first];
                    members.extend(rest);
                    let h = 1 + members.iter().map(|m| m.h).max().unwrap_or(0);
                    let t = TypeExpr::Union(members.into_iter().map(Ty::take).collect(), span);
                    mk_ty(e.state(), t, h)
                })
                .boxed();
            let func = union
                .clone()
                .then(
                    just(Token::Impl)
                        .ignore_then(operand(union))
                        .repeated()
                        .collect::<Vec<Ty>>(),
                )
                .map_with(|(first, rest), e| {
                    let st = e.state();
                    let mut parts = std::iter::once(first).chain(rest).rev();
                    let mut acc = parts.next().unwrap_or_else(|| Ty {
                        t: TypeExpr::Error(Span::default()),
                        h: 1,
                    });
                    for param in parts {
                        let span = param.span().to(acc.span());
                        let h = 1 + param.h.max(acc.h);
                        let t = TypeExpr::Function {
                            param: bx_ty(param),
                            result: bx_ty(acc),
                            span,
                        };
                        acc = mk_ty(st, t, h);
                    }
                    acc
                });
            ty_decl.define(func);
        }

        // Bindings.
        let paren_expr = just(Token::LParen)
            .ignore_then(expr.clone())
            .then_ignore(close(Token::RParen));
        let inherit = just(Token::Inherit)
            .ignore_then(paren_expr.clone().or_not())
            .then(attr_key.clone().repeated().collect::<Vec<_>>())
            .then_ignore(semi())
            .map_with(|(from, keys), e| {
                let span = sp(e);
                let mut names = Vec::new();
                for k in keys {
                    if !k.is_dynamic() {
                        names.push(k);
                    } else {
                        e.state().error(
                            codes::DYNAMIC_ATTR,
                            "dynamic attributes are not allowed in `inherit`",
                            k.span(),
                            "must be a plain name",
                        );
                    }
                }
                PBinding::Inherit { from, names, span }
            });
        let attr_binding = attrpath
            .clone()
            .then(just(Token::Colon).ignore_then(ty_rec.clone()).or_not())
            .then(choice((
                just(Token::Assign).to(false),
                just(Token::PlusAssign).to(true),
            )))
            .then(expr.clone())
            .then_ignore(semi())
            .map_with(|(((path, ty), append), value), e| {
                let tspan = e.span();
                let st = e.state();
                let span = st.span(tspan);
                let doc = st.doc_at(tspan.start);
                PBinding::Attr {
                    path,
                    ty,
                    value,
                    append,
                    doc,
                    span,
                }
            });
        // `type Name = T;`
        let type_decl = type_decl_guard()
            .ignore_then(just(Token::Ident("type")))
            .ignore_then(ident.map_with(|s, e| (Name::from(s), sp(e))))
            .then_ignore(just(Token::Assign))
            .then(ty_rec.clone())
            .then_ignore(semi())
            .map_with(|((name, name_span), ty), e| {
                let tspan = e.span();
                let st = e.state();
                PBinding::TypeDecl {
                    name,
                    name_span,
                    ty,
                    doc: st.doc_at(tspan.start),
                    span: st.span(tspan),
                }
            });
        let binding: P<'a, Option<PBinding>> = choice((inherit, type_decl, attr_binding))
            .map(Some)
            .recover_with(via_parser(skip_binding()))
            .boxed();
        let binds: P<'a, Vec<PBinding>> = binding
            .repeated()
            .collect::<Vec<_>>()
            .map(|bs| bs.into_iter().flatten().collect())
            .boxed();
        let braced_binds = just(Token::LBrace)
            .ignore_then(binds.clone())
            .then_ignore(close(Token::RBrace));

        let attrs_of = |rec: bool| {
            let prefix = if rec { Some(Token::Rec) } else { None };
            just(Token::Rec)
                .or_not()
                .then(braced_binds.clone())
                .map_with(move |(_, list), e| {
                    let span = sp(e);
                    let (bindings, h) = bindings(list);
                    mk(e.state(), ExprKind::Attrs { rec, bindings }, span, h + 1)
                })
                .recover_with(via_parser(skip_delimited(prefix, Token::LBrace)))
        };
        // Recovery only once the opener is there, so that failing
        // alternatives stay cheap.
        let attrs = choice((
            just(Token::Rec).rewind().ignore_then(attrs_of(true)),
            brace_guard(false).ignore_then(attrs_of(false)),
        ));

        // `let { …; body = …; }` is `(rec { … }).body`.
        let legacy_let_inner = just(Token::Let)
            .ignore_then(braced_binds.clone())
            .map_with(|list, e| {
                let span = sp(e);
                let st = e.state();
                let (bindings, h) = bindings(list);
                let set = mk(
                    st,
                    ExprKind::Attrs {
                        rec: true,
                        bindings,
                    },
                    span,
                    h + 1,
                );
                let hs = set.h + 1;
                let kind = ExprKind::Select {
                    expr: bx(set),
                    path: vec![AttrKey::Ident("body".into(), span)],
                    default: None,
                };
                mk(st, kind, span, hs)
            })
            .recover_with(via_parser(skip_delimited(Some(Token::Let), Token::LBrace)));
        let legacy_let = just(Token::Let)
            .then(just(Token::LBrace))
            .rewind()
            .ignore_then(legacy_let_inner);

        // `kind "Name" { fields }` (after [`kind_guard`]).
        let kind: P<'a, N> = just(Token::Ident("kind"))
            .ignore_then(string.clone().map_with(|pieces, e| (pieces, sp(e))))
            .then(record_ty.clone())
            .map_with(|((pieces, name_span), fields), e| {
                let span = sp(e);
                let st = e.state();
                let Some(name) = plain_string(&pieces) else {
                    not_plain(st, name_span, "the name of a kind");
                    return error_node(span);
                };
                let h = fields.h + 1;
                let kind = ExprKind::Kind {
                    name: name.into(),
                    name_span,
                    fields: fields.take(),
                };
                mk(st, kind, span, h)
            })
            .boxed();

        let paren = just(Token::LParen).rewind().ignore_then(
            paren_expr
                .clone()
                .recover_with(via_parser(skip_delimited(None, Token::LParen))),
        );

        // The select level needs `simple`, and lists need select: tie the
        // knot with a second recursive parser.
        let select: P<'a, N> =
            recursive(|select: Recursive<dyn Parser<'a, I<'a>, N, Ex<'a>> + 'a>| {
                let list_inner = just(Token::LBracket)
                    .ignore_then(select.clone().repeated().collect::<Vec<N>>())
                    .then_ignore(close(Token::RBracket))
                    .map_with(|items, e| {
                        let span = sp(e);
                        let h = items.iter().map(|n| n.h).max().unwrap_or(0);
                        mk(
                            e.state(),
                            ExprKind::List(items.into_iter().map(N::take).collect()),
                            span,
                            h + 1,
                        )
                    })
                    .recover_with(via_parser(skip_delimited(None, Token::LBracket)));
                let list = just(Token::LBracket)
                    .rewind()
                    .ignore_then(list_inner)
                    .boxed();

                let leaf = select! {
                    Token::Ident(s) => ExprKind::Var(s.into()),
                    Token::Int(n) => ExprKind::Int(n),
                    Token::Float(f) => ExprKind::Float(f),
                    Token::Unit(t) => unit_kind(t),
                    Token::Path(p) => ExprKind::Path(vec![StrPart::Lit(p.to_string())]),
                    Token::SearchPath(p) => ExprKind::SearchPath(p.into()),
                    Token::Invalid => ExprKind::Error,
                }
                .map_with(|kind, e| {
                    let span = sp(e);
                    N {
                        e: Expr { kind, span },
                        h: 1,
                    }
                });

                let simple: P<'a, N> = choice((
                    kind_guard().ignore_then(kind.clone()),
                    leaf,
                    string.clone().map_with(str_node(finish_parts)),
                    attrs.clone(),
                    list,
                    paren.clone(),
                    ind_string.clone().map_with(str_node(strip_indentation)),
                    path_interp.clone(),
                    legacy_let.clone(),
                ))
                .boxed();

                let or_default = just(Token::OrKw).ignore_then(select.clone());
                simple
                    .then(choice((
                        just(Token::Dot)
                            .ignore_then(attrpath.clone())
                            .then(or_default.or_not())
                            .map(Tail::Select),
                        just(Token::OrKw).map_with(|_, e| Tail::OrVar(e.span())),
                        empty().to(Tail::None),
                    )))
                    .map_with(|(base, tail), e| {
                        let span = sp(e);
                        let st = e.state();
                        match tail {
                            Tail::None => base,
                            Tail::Select((path, default)) => {
                                let (path, hk) = keys(path);
                                let h = 1 + base.h.max(hk).max(default.as_ref().map_or(0, |d| d.h));
                                let kind = ExprKind::Select {
                                    expr: bx(base),
                                    path,
                                    default: default.map(bx),
                                };
                                mk(st, kind, span, h)
                            }
                            Tail::OrVar(or_span) => {
                                let or_span = st.span(or_span);
                                let h = base.h + 1;
                                let arg = Box::new(Expr {
                                    kind: ExprKind::Var("or".into()),
                                    span: or_span,
                                });
                                mk(
                                    st,
                                    ExprKind::Apply {
                                        func: bx(base),
                                        arg,
                                    },
                                    span,
                                    h,
                                )
                            }
                        }
                    })
                    .boxed()
            })
            .boxed();

        // Application: f a b.
        let app: P<'a, N> = select
            .clone()
            .foldl_with(
                arg_start().ignore_then(select.clone()).repeated(),
                |f, a, e| {
                    let span = sp(e);
                    let h = 1 + f.h.max(a.h);
                    mk(
                        e.state(),
                        ExprKind::Apply {
                            func: bx(f),
                            arg: bx(a),
                        },
                        span,
                        h,
                    )
                },
            )
            .boxed();

        let operators: P<'a, N> = operators(app, attrpath.clone()).boxed();

        // Function parameters.
        let formal = ident
            .map_with(|s, e| (s, e.span()))
            .then(just(Token::Colon).ignore_then(ty_rec.clone()).or_not())
            .then(just(Token::Question).ignore_then(expr.clone()).or_not());
        let formals = choice((
            just(Token::Ellipsis).to((Vec::new(), true)),
            formal
                .clone()
                .separated_by(just(Token::Comma))
                .at_least(1)
                .collect::<Vec<_>>()
                .then(
                    just(Token::Comma)
                        .ignore_then(just(Token::Ellipsis).or_not())
                        .or_not(),
                )
                .map(|(fs, tail)| (fs, matches!(tail, Some(Some(_))))),
            empty().to((Vec::new(), false)),
        ));
        let pattern = brace_guard(true)
            .ignore_then(just(Token::LBrace))
            .ignore_then(formals)
            .then_ignore(just(Token::RBrace))
            .map_with(|fs, e| (fs, e.span()));
        let at_name = ident.map_with(|s, e| (s, e.span()));
        let pattern_lambda = choice((
            pattern
                .clone()
                .then(just(Token::At).ignore_then(at_name).or_not()),
            at_name
                .then_ignore(just(Token::At))
                .then(pattern.clone())
                .map(|(at, pat)| (pat, Some(at))),
        ))
        .then_ignore(just(Token::Colon))
        .then(expr.clone())
        .map_with(|((((fields, ellipsis), pspan), at), body), e| {
            let span = sp(e);
            let st = e.state();
            let mut seen: Vec<PatField> = Vec::new();
            let mut h = body.h;
            for (((name, tspan), ty), default) in fields {
                let fspan = st.span(tspan);
                if seen.iter().any(|f| &*f.name == name) {
                    st.error(
                        codes::DUPLICATE_FORMAL,
                        format!("duplicate formal argument `{name}`"),
                        fspan,
                        "already declared in this pattern",
                    );
                    continue;
                }
                h = h
                    .max(default.as_ref().map_or(0, |d: &N| d.h))
                    .max(ty.as_ref().map_or(0, |t: &Ty| t.h));
                seen.push(PatField {
                    name: name.into(),
                    span: fspan,
                    ty: ty.map(Ty::take),
                    default: default.map(N::take),
                });
            }
            let at = at.map(|(name, tspan): (&str, Tspan)| {
                let s = st.span(tspan);
                if seen.iter().any(|f| &*f.name == name) {
                    st.error(
                        codes::DUPLICATE_FORMAL,
                        format!("duplicate formal argument `{name}`"),
                        s,
                        "the `@` name is also a field of the pattern",
                    );
                }
                (Name::from(name), s)
            });
            let pspan = st.span(pspan);
            let pspan = at.as_ref().map_or(pspan, |(_, s)| pspan.to(*s));
            let param = Param::Pattern {
                fields: seen,
                ellipsis,
                at,
                span: pspan,
            };
            mk(
                st,
                ExprKind::Lambda {
                    param,
                    body: bx(body),
                },
                span,
                h + 1,
            )
        });
        let ident_lambda = ident
            .map_with(|s, e| (s, e.span()))
            .then_ignore(just(Token::Colon))
            .then(expr.clone())
            .map_with(|((name, nspan), body), e| {
                let span = sp(e);
                let st = e.state();
                let param = Param::Ident(name.into(), st.span(nspan));
                let h = body.h + 1;
                mk(
                    st,
                    ExprKind::Lambda {
                        param,
                        body: bx(body),
                    },
                    span,
                    h,
                )
            });

        // `kw expr`; a missing `kw` is reported and assumed, so that an
        // unfinished `let`/`if`/`assert`/`with` does not fail (and make
        // every enclosing construct fail and retry).
        let then_kw = |tok: Token<'static>| {
            choice((
                just(tok).ignore_then(expr.clone()),
                missing_keyword(tok)
                    .ignore_then(expr.clone().or(empty().map_with(|_, e| error_node(sp(e))))),
            ))
            .boxed()
        };

        let assert = just(Token::Assert)
            .ignore_then(expr.clone())
            .then(then_kw(Token::Semi))
            .map_with(|(cond, body), e| {
                let span = sp(e);
                let h = 1 + cond.h.max(body.h);
                mk(
                    e.state(),
                    ExprKind::Assert {
                        cond: bx(cond),
                        body: bx(body),
                    },
                    span,
                    h,
                )
            });
        let with = just(Token::With)
            .ignore_then(expr.clone())
            .then(then_kw(Token::Semi))
            .map_with(|(env, body), e| {
                let span = sp(e);
                let h = 1 + env.h.max(body.h);
                mk(
                    e.state(),
                    ExprKind::With {
                        env: bx(env),
                        body: bx(body),
                    },
                    span,
                    h,
                )
            });
        let let_in = just(Token::Let)
            .ignore_then(binds.clone())
            .then(then_kw(Token::In))
            .map_with(|(list, body): (Vec<PBinding>, N), e| {
                let span = sp(e);
                let st = e.state();
                for b in list.iter() {
                    if let PBinding::Attr { path, .. } = b
                        && let Some(first @ PKey::Dynamic(..)) = path.first()
                    {
                        st.error(
                            codes::DYNAMIC_ATTR,
                            "dynamic attributes are not allowed in `let`",
                            first.span(),
                            "a `let` binding needs a fixed name",
                        );
                    }
                }
                let (bindings, hb) = bindings(list);
                let h = 1 + hb.max(body.h);
                mk(
                    st,
                    ExprKind::Let {
                        bindings,
                        body: bx(body),
                    },
                    span,
                    h,
                )
            });
        let if_ = just(Token::If)
            .ignore_then(expr.clone())
            .then(then_kw(Token::Then))
            .then(then_kw(Token::Else))
            .map_with(|((cond, then), else_), e| {
                let span = sp(e);
                let h = 1 + cond.h.max(then.h).max(else_.h);
                mk(
                    e.state(),
                    ExprKind::If {
                        cond: bx(cond),
                        then: bx(then),
                        else_: bx(else_),
                    },
                    span,
                    h,
                )
            });

        // The operator level first (most expressions are plain), behind a
        // one-token check that none of the other forms starts here. The
        // failure memo makes a second attempt at a place where an
        // expression already failed fail at once: recovery can retry inner
        // positions, which is exponential in the nesting otherwise.
        expr_memo(false)
            .ignore_then(choice((
                plain_expr_start().ignore_then(operators),
                ident_lambda.boxed(),
                pattern_lambda.boxed(),
                let_in.boxed(),
                if_.boxed(),
                assert.boxed(),
                with.boxed(),
                expr_memo(true)
                    .map(|()| error_node(Span::default()))
                    .boxed(),
            )))
            .labelled(LABEL_EXPR)
    })
    .boxed()
}

#[derive(Clone)]
enum Tail {
    None,
    Select((Vec<PKey>, Option<N>)),
    OrVar(Tspan),
}

fn unit_kind(text: &str) -> ExprKind {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (num, suffix) = text.split_at(split);
    ExprKind::Unit {
        number: num.parse().unwrap_or(f64::NAN),
        text: text.into(),
        suffix: suffix.into(),
    }
}

// ---------------------------------------------------------------------------
// Turning chumsky's errors into messages

/// How an expected token reads in a message, and whether it is one of the
/// "structural" tokens worth naming (closers, `;`, keywords of a form).
fn structural(t: Token) -> Option<(u8, &'static str)> {
    Some(match t {
        Token::Semi => (0, "`;`"),
        Token::Assign => (1, "`=`"),
        Token::Colon => (2, "`:`"),
        Token::In => (3, "`in`"),
        Token::Then => (4, "`then`"),
        Token::Else => (5, "`else`"),
        Token::RParen => (6, "`)`"),
        Token::RBracket => (7, "`]`"),
        Token::RBrace => (8, "`}`"),
        Token::Comma => (9, "`,`"),
        Token::StrClose => (10, "`\"`"),
        Token::IndClose => (11, "`''`"),
        _ => return None,
    })
}

fn starts_expr(t: Token) -> bool {
    matches!(
        t,
        Token::Ident(_)
            | Token::Int(_)
            | Token::Float(_)
            | Token::Unit(_)
            | Token::StrOpen
            | Token::IndOpen
            | Token::Path(_)
            | Token::PathOpen(_)
            | Token::SearchPath(_)
            | Token::LParen
            | Token::LBracket
            | Token::LBrace
            | Token::Rec
            | Token::Let
            | Token::If
            | Token::Assert
            | Token::With
            | Token::Minus
            | Token::Bang
    )
}

fn is_binary_op(t: Token) -> bool {
    matches!(
        t,
        Token::Impl
            | Token::OrOr
            | Token::AndAnd
            | Token::EqEq
            | Token::NotEq
            | Token::Lt
            | Token::Le
            | Token::Gt
            | Token::Ge
            | Token::Update
            | Token::Amp
            | Token::Plus
            | Token::Minus
            | Token::Star
            | Token::Slash
            | Token::Concat
            | Token::Question
    )
}

fn convert_error(err: &PError, st: &PState) -> Option<Diagnostic> {
    let k = err.at;
    let found = st.tok(k);
    if found == Some(Token::Invalid) {
        return None; // the lexer reported it
    }
    let at = st.tok_span(k);
    let found_desc = st.describe(k);
    let mut named: Vec<(u8, &'static str)> = Vec::new();
    let mut expr = false;
    let mut attr = false;
    let mut eoi = false;
    let mut closer_expected = None;
    for t in SAMPLES {
        if err.expected & (1 << kind(t)) != 0 {
            {
                if starts_expr(t) {
                    expr = true;
                }
                if let Some(s) = structural(t) {
                    if !named.contains(&s) {
                        named.push(s);
                    }
                    if matches!(t, Token::RParen | Token::RBracket | Token::RBrace) {
                        closer_expected = Some(t);
                    }
                }
            }
        }
    }
    expr |= err.labels & LABEL_EXPR != 0;
    attr |= err.labels & LABEL_ATTR != 0;
    eoi |= err.expected & EOI_BIT != 0;
    named.sort();
    // `:` is expected after every leading identifier (it could be a
    // lambda); only name it when nothing else is expected.
    if named.len() > 1 {
        named.retain(|n| n.1 != "`:`");
    }
    let file = &st.file;
    if found.is_none() && st.toks.is_empty() {
        let label = if st.text.trim().is_empty() {
            "the file is empty"
        } else {
            "the file has no expression"
        };
        return Some(
            Diagnostic::error(codes::MISSING_EXPR, "expected an expression")
                .at(file, at, label)
                .with_help("a dvm file holds one expression, for example `{ }`"),
        );
    }
    let mut d = if !named.is_empty() {
        let list: Vec<&str> = named.iter().take(3).map(|n| n.1).collect();
        let what = match list.as_slice() {
            [a] => a.to_string(),
            [a, b] => format!("{a} or {b}"),
            _ => format!(
                "{}, or {}",
                list[..list.len() - 1].join(", "),
                list[list.len() - 1]
            ),
        };
        let code = if list == ["`;`"] {
            codes::MISSING_SEMICOLON
        } else {
            codes::UNEXPECTED_TOKEN
        };
        Diagnostic::error(code, format!("expected {what}, found {found_desc}")).at(
            file,
            at,
            format!("expected {what}"),
        )
    } else if err.labels & LABEL_FIELD != 0 {
        Diagnostic::error(
            codes::UNEXPECTED_TOKEN,
            format!("expected a field of a record type, found {found_desc}"),
        )
        .at(file, at, "expected `name : T` or `... : T`")
    } else if err.labels & LABEL_TYPE != 0 {
        Diagnostic::error(
            codes::EXPECTED_TYPE,
            format!("expected a type, found {found_desc}"),
        )
        .at(file, at, "expected a type")
        .with_help(TYPE_HELP)
    } else if expr {
        Diagnostic::error(
            codes::MISSING_EXPR,
            format!("expected an expression, found {found_desc}"),
        )
        .at(file, at, "expected an expression")
    } else if attr {
        Diagnostic::error(
            codes::UNEXPECTED_TOKEN,
            format!("expected an attribute name, found {found_desc}"),
        )
        .at(file, at, "expected a name, a string or `${…}`")
    } else {
        let label = if eoi {
            "expected the end of the file"
        } else {
            "not expected here"
        };
        Diagnostic::error(codes::UNEXPECTED_TOKEN, format!("unexpected {found_desc}"))
            .at(file, at, label)
    };
    // Hints for common slips.
    if let Some(t) = found {
        if expr && matches!(t, Token::If | Token::Let | Token::Assert | Token::With) {
            let kw = st.tok_text(k);
            d.help = Some(format!(
                "`{kw}` cannot be an operand or an argument: put it in parentheses, `(…)`"
            ));
        }
        let prev = k.checked_sub(1).and_then(|p| st.tok(p));
        if named == [(2, "`:`")] && prev == Some(Token::Question) {
            d.help = Some("in a type, a default comes after the type: `name : T ? default`".into());
        }
        if named == [(2, "`:`")] && t == Token::Assign {
            d.help = Some(
                "the braces of a record type or a kind declare fields with `:` \
                 (`{ port : Int ? 8080 }`); values are given with `=` where it is used"
                    .into(),
            );
        }
        if t == Token::Pipe {
            d.help = Some(
                "`|` separates the members of a union type (`A | B`); \
                 the Boolean \"or\" is `||`"
                    .into(),
            );
        }
        if t == Token::Colon && named.iter().any(|n| n.1 == "`,`") {
            d.help = Some("a field's type comes before its default: `name : T ? default`".into());
        }
        if is_binary_op(t) && closer_expected == Some(Token::RBracket) {
            d.help = Some("list elements are separated by spaces; put an operator expression in parentheses: `[ (a + b) ]`".into());
        }
        if t == Token::Update && k >= 2 {
            let (c, n) = (st.tok_span(k - 1), st.tok_span(k - 2));
            let adjacent = c.end == at.start && n.end == c.start;
            if adjacent
                && st.tok(k - 1) == Some(Token::Colon)
                && matches!(st.tok(k - 2), Some(Token::Ident(_)))
            {
                d.help = Some(
                    "dvm has no URL literals: write the URL as a string, \"scheme://…\"".into(),
                );
            }
        }
    }
    Some(d)
}

// ---------------------------------------------------------------------------
// The error type

/// A parse failure as chumsky tracks it: where (a token index) and what
/// would have been accepted there, as bits: one per token kind ([`kind`]),
/// one for the end of input, plus labels.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PError {
    at: usize,
    expected: u128,
    labels: u8,
}

const LABEL_EXPR: u8 = 1;
const LABEL_ATTR: u8 = 2;
const LABEL_TYPE: u8 = 4;
const LABEL_FIELD: u8 = 8;
const EOI_BIT: u128 = 1 << 127;

impl<'a> Error<'a, I<'a>> for PError {
    fn merge(mut self, other: Self) -> Self {
        self.expected |= other.expected;
        self.labels |= other.labels;
        self
    }
}

impl<'a> LabelError<'a, I<'a>, DefaultExpected<'a, Token<'a>>> for PError {
    fn expected_found<E: IntoIterator<Item = DefaultExpected<'a, Token<'a>>>>(
        expected: E,
        _found: Option<MaybeRef<'a, Token<'a>>>,
        span: Tspan,
    ) -> Self {
        let mut e = PError {
            at: span.start,
            expected: 0,
            labels: 0,
        };
        e.add(expected);
        e
    }
    fn merge_expected_found<E: IntoIterator<Item = DefaultExpected<'a, Token<'a>>>>(
        mut self,
        expected: E,
        _found: Option<MaybeRef<'a, Token<'a>>>,
        _span: Tspan,
    ) -> Self {
        self.add(expected);
        self
    }
    fn replace_expected_found<E: IntoIterator<Item = DefaultExpected<'a, Token<'a>>>>(
        mut self,
        expected: E,
        _found: Option<MaybeRef<'a, Token<'a>>>,
        span: Tspan,
    ) -> Self {
        self.at = span.start;
        self.expected = 0;
        self.labels = 0;
        self.add(expected);
        self
    }
}

impl<'a> LabelError<'a, I<'a>, u8> for PError {
    fn expected_found<E: IntoIterator<Item = u8>>(
        expected: E,
        _found: Option<MaybeRef<'a, Token<'a>>>,
        span: Tspan,
    ) -> Self {
        PError {
            at: span.start,
            expected: 0,
            labels: expected.into_iter().fold(0, |a, l| a | l),
        }
    }
    fn label_with(&mut self, label: u8) {
        self.expected = 0;
        self.labels = label;
    }
}

impl PError {
    fn add<'a>(&mut self, expected: impl IntoIterator<Item = DefaultExpected<'a, Token<'a>>>) {
        for x in expected {
            match x {
                DefaultExpected::Token(t) => self.expected |= 1 << kind(*t),
                DefaultExpected::EndOfInput => self.expected |= EOI_BIT,
                _ => {}
            }
        }
    }
}

/// One token of each kind, for turning bits back into tokens.
const SAMPLES: [Token<'static>; 61] = [
    Token::Ident(""),
    Token::Int(0),
    Token::Float(0.0),
    Token::Unit(""),
    Token::StrOpen,
    Token::StrLit(""),
    Token::StrClose,
    Token::IndOpen,
    Token::IndLit(""),
    Token::IndEsc(""),
    Token::IndClose,
    Token::Path(""),
    Token::PathOpen(false),
    Token::PathLit(""),
    Token::PathClose,
    Token::SearchPath(""),
    Token::DollarBrace,
    Token::If,
    Token::Then,
    Token::Else,
    Token::Assert,
    Token::With,
    Token::Let,
    Token::In,
    Token::Rec,
    Token::Inherit,
    Token::OrKw,
    Token::Dot,
    Token::Question,
    Token::Concat,
    Token::Star,
    Token::Slash,
    Token::Plus,
    Token::Minus,
    Token::Bang,
    Token::Update,
    Token::Amp,
    Token::Lt,
    Token::Le,
    Token::Gt,
    Token::Ge,
    Token::EqEq,
    Token::NotEq,
    Token::AndAnd,
    Token::OrOr,
    Token::Impl,
    Token::Assign,
    Token::PlusAssign,
    Token::Colon,
    Token::Semi,
    Token::Comma,
    Token::At,
    Token::Ellipsis,
    Token::LParen,
    Token::RParen,
    Token::LBracket,
    Token::RBracket,
    Token::LBrace,
    Token::RBrace,
    Token::Invalid,
    Token::Pipe,
];

/// The bit of a token's kind in [`PError::expected`].
fn kind(t: Token) -> u32 {
    match t {
        Token::Ident(_) => 0,
        Token::Int(_) => 1,
        Token::Float(_) => 2,
        Token::Unit(_) => 3,
        Token::StrOpen => 4,
        Token::StrLit(_) => 5,
        Token::StrClose => 6,
        Token::IndOpen => 7,
        Token::IndLit(_) => 8,
        Token::IndEsc(_) => 9,
        Token::IndClose => 10,
        Token::Path(_) => 11,
        Token::PathOpen(_) => 12,
        Token::PathLit(_) => 13,
        Token::PathClose => 14,
        Token::SearchPath(_) => 15,
        Token::DollarBrace => 16,
        Token::If => 17,
        Token::Then => 18,
        Token::Else => 19,
        Token::Assert => 20,
        Token::With => 21,
        Token::Let => 22,
        Token::In => 23,
        Token::Rec => 24,
        Token::Inherit => 25,
        Token::OrKw => 26,
        Token::Dot => 27,
        Token::Question => 28,
        Token::Concat => 29,
        Token::Star => 30,
        Token::Slash => 31,
        Token::Plus => 32,
        Token::Minus => 33,
        Token::Bang => 34,
        Token::Update => 35,
        Token::Amp => 36,
        Token::Lt => 37,
        Token::Le => 38,
        Token::Gt => 39,
        Token::Ge => 40,
        Token::EqEq => 41,
        Token::NotEq => 42,
        Token::AndAnd => 43,
        Token::OrOr => 44,
        Token::Impl => 45,
        Token::Assign => 46,
        Token::PlusAssign => 47,
        Token::Colon => 48,
        Token::Semi => 49,
        Token::Comma => 50,
        Token::At => 51,
        Token::Ellipsis => 52,
        Token::LParen => 53,
        Token::RParen => 54,
        Token::LBracket => 55,
        Token::RBracket => 56,
        Token::LBrace => 57,
        Token::RBrace => 58,
        Token::Invalid => 59,
        Token::Pipe => 60,
    }
}
