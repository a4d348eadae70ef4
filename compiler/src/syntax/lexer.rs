//! The lexer: source text → a flat list of [`Token`]s with byte spans, the
//! doc comments found above tokens, and the lexical errors.
//!
//! It owns Nix's lexical rules (and dvm's unit literals): which text is an
//! identifier, a number, a path, a string. It knows nothing of the grammar:
//! the parser decides what a token sequence means. It must not know about
//! evaluation either (paths stay as written, strings are not decoded here).
//!
//! # Modes
//!
//! Nix's lexer is not context free: inside `"…"` and `''…''` the rules are
//! different, and `${` re-enters code until its matching `}`. Like Nix's flex
//! lexer this keeps a stack of modes:
//!
//! ```text
//! "a ${ {b = 1;}.b } c"
//! ^ push Str   ^ `{` push Brace, `}` pops it
//!      ^ `${` push Brace            ^ this `}` pops back to Str
//! ```
//!
//! Code is lexed by a [`logos`] DFA ([`Raw`]); string, indented-string and
//! the continuation of an interpolated path (`./a/${x}/b`) are scanned by
//! hand, byte by byte (every byte we stop at is ASCII, so slices stay on
//! char boundaries). Strings come out as `StrOpen StrLit* (DollarBrace … RBrace)* StrClose`,
//! with the literal text raw: the parser decodes escapes and strips the
//! indentation of `''` strings, because Nix's stripping needs to see which
//! pieces were escapes.
//!
//! A token the lexer already reported as broken (an overflowing integer, a
//! home path, a stray character) becomes [`Token::Invalid`], which the parser
//! accepts as an expression without a second message.
//!
//! Doc comments: a run of `## …` lines (each the first thing on its line, no
//! blank line between them) directly above a token is recorded in
//! [`Lexed::docs`] under that token's start offset; the parser gives it to
//! the binding that starts there.
//!
//! Every comment's span is also kept in [`Lexed::comments`], for the
//! formatter; the parser never looks at it.

use crate::codes::syntax as codes;
use crate::diag::{Diagnostic, FileName};
use crate::syntax::ast::Span;
use logos::Logos;

/// One token as the parser sees it. Texts borrow from the source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Token<'s> {
    Ident(&'s str),
    Int(i64),
    Float(f64),
    /// A unit literal, the whole text: `500ms`, `1.5Gi`.
    Unit(&'s str),
    /// `"` opening a string.
    StrOpen,
    /// Raw text between `"` and `${`/`"`, escapes not decoded.
    StrLit(&'s str),
    /// `"` closing a string (zero width when the string is unterminated).
    StrClose,
    /// `''` (with the rest of its line when that is only spaces).
    IndOpen,
    /// Raw text of an indented string.
    IndLit(&'s str),
    /// An escape in an indented string, as written: `''$`, `'''`, `''\n`.
    IndEsc(&'s str),
    /// `''` closing an indented string.
    IndClose,
    /// A path without interpolation, as written: `./a/b`, `/abs`, `a/b`.
    Path(&'s str),
    /// Zero-width start of an interpolated path; `true` for a `~/` path.
    PathOpen(bool),
    /// A literal piece of an interpolated path.
    PathLit(&'s str),
    /// Zero-width end of an interpolated path.
    PathClose,
    /// `<a/b>`: the text between the brackets.
    SearchPath(&'s str),
    /// `${`
    DollarBrace,
    If,
    Then,
    Else,
    Assert,
    With,
    Let,
    In,
    Rec,
    Inherit,
    /// The keyword `or`.
    OrKw,
    Dot,
    Question,
    Concat,
    Star,
    Slash,
    Plus,
    Minus,
    Bang,
    Update,
    Amp,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    NotEq,
    AndAnd,
    OrOr,
    Impl,
    /// `|`, only in types (`"tcp" | "udp"`).
    Pipe,
    Assign,
    PlusAssign,
    Colon,
    Semi,
    Comma,
    At,
    Ellipsis,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    /// Something the lexer already reported; parses as an error expression.
    Invalid,
}

/// What [`lex`] produces.
#[derive(Clone, Debug, Default)]
pub struct Lexed<'s> {
    pub tokens: Vec<Token<'s>>,
    /// `spans[i]` is the byte range of `tokens[i]`.
    pub spans: Vec<Span>,
    /// Doc comments by the start offset of the token right below them,
    /// sorted by offset.
    pub docs: Vec<(u32, String)>,
    /// Every comment (`# …`, `/* … */`, `## …`), in source order: kept
    /// for the formatter, ignored by the parser.
    pub comments: Vec<Span>,
    pub errors: Vec<Diagnostic>,
}

/// Tokens of code mode, recognised by the logos DFA. The regexes are Nix's
/// (`lexer.l` of Nix 2.x), minus URIs and paths. Paths are found by hand
/// ([`Lexer::path_at`]): as a regex they make the DFA rescan a long run of
/// path characters (`-----…`) at every position, which is quadratic.
#[derive(Logos, Clone, Copy, Debug, PartialEq)]
#[logos(skip r"[ \t\r\n]+")]
enum Raw {
    #[token("if")]
    If,
    #[token("then")]
    Then,
    #[token("else")]
    Else,
    #[token("assert")]
    Assert,
    #[token("with")]
    With,
    #[token("let")]
    Let,
    #[token("in")]
    In,
    #[token("rec")]
    Rec,
    #[token("inherit")]
    Inherit,
    #[token("or")]
    OrKw,
    #[token("...")]
    Ellipsis,
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("<=")]
    Le,
    #[token(">=")]
    Ge,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token("->")]
    Impl,
    #[token("//")]
    Update,
    #[token("++")]
    Concat,
    #[token("+=")]
    PlusAssign,
    #[token(".")]
    Dot,
    #[token("?")]
    Question,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("!")]
    Bang,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("&")]
    Amp,
    #[token("|")]
    Pipe,
    #[token("=")]
    Assign,
    #[token(":")]
    Colon,
    #[token(";")]
    Semi,
    #[token(",")]
    Comma,
    #[token("@")]
    At,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("${")]
    DollarBrace,
    #[regex(r"[A-Za-z_][A-Za-z0-9_'\-]*")]
    Ident,
    #[regex(r"[0-9]+")]
    Int,
    #[regex(r"(([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))([Ee][+\-]?[0-9]+)?")]
    Float,
    #[regex(r"<[a-zA-Z0-9\._\-\+]+(/[a-zA-Z0-9\._\-\+]+)*>")]
    SearchPath,
    #[token("\"")]
    Quote,
    #[regex(r"''( *\n)?")]
    IndOpen,
    #[regex(r"#[^\r\n]*", allow_greedy = true)]
    LineComment,
    /// `/* … */`; `false` when unterminated (it then runs to the end).
    #[token("/*", block_comment)]
    BlockComment(bool),
}

fn block_comment(lex: &mut logos::Lexer<Raw>) -> bool {
    match lex.remainder().find("*/") {
        Some(i) => {
            lex.bump(i + 2);
            true
        }
        None => {
            lex.bump(lex.remainder().len());
            false
        }
    }
}

/// Suffixes of unit literals, two-letter ones first so `ms` wins over `m`.
const UNIT_SUFFIXES: [&str; 13] = [
    "ms", "Ki", "Mi", "Gi", "Ti", "s", "m", "h", "d", "K", "M", "G", "T",
];

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'\'' || b == b'-'
}

fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+')
}

/// The length of the unit suffix at the start of `rest`, if one is there
/// and no identifier character follows it.
fn unit_suffix(rest: &[u8]) -> Option<usize> {
    UNIT_SUFFIXES.iter().find_map(|s| {
        let n = s.len();
        let ok = rest.starts_with(s.as_bytes()) && !rest.get(n).is_some_and(|b| is_ident_byte(*b));
        ok.then_some(n)
    })
}

#[derive(Clone, Copy, Debug)]
enum Frame {
    /// Code at the bottom of the stack.
    Base,
    /// Code after `{` or `${`: a `}` pops it.
    Brace,
    /// Inside `"…"`; the span of the opening quote.
    Str(Span),
    /// Inside `''…''`; the span of the opening quotes.
    Ind(Span),
    /// After a piece of an interpolated path; `true` when it ended in `/`.
    Path(bool),
}

struct Lexer<'s, 'f> {
    file: &'f FileName,
    text: &'s str,
    pos: usize,
    stack: Vec<Frame>,
    out: Lexed<'s>,
    /// `## ` lines waiting for the token below them: text and end offset.
    doc_lines: Vec<&'s str>,
    doc_end: usize,
    /// Cache for [`Lexer::path_run_end`]: a run of path characters.
    run: (usize, usize),
}

/// Splits `text` into tokens. Never fails: problems become diagnostics and
/// [`Token::Invalid`] tokens.
pub fn lex<'s>(file: &FileName, text: &'s str) -> Lexed<'s> {
    let mut lx = Lexer {
        file,
        text,
        pos: 0,
        stack: vec![Frame::Base],
        out: Lexed {
            tokens: Vec::with_capacity(text.len() / 5),
            spans: Vec::with_capacity(text.len() / 5),
            ..Lexed::default()
        },
        doc_lines: Vec::new(),
        doc_end: 0,
        run: (usize::MAX, 0),
    };
    lx.run();
    lx.out
}

impl<'s> Lexer<'s, '_> {
    fn push(&mut self, tok: Token<'s>, start: usize, end: usize) {
        if !self.doc_lines.is_empty() {
            if self.only_one_newline(self.doc_end, start) {
                let doc = self.doc_lines.join("\n");
                self.out.docs.push((start as u32, doc));
            }
            self.doc_lines.clear();
        }
        self.out.tokens.push(tok);
        self.out.spans.push(Span::new(start, end));
    }

    fn error(
        &mut self,
        code: &'static str,
        msg: &str,
        start: usize,
        end: usize,
        label: &str,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(code, msg).at(self.file, Span::new(start, end), label);
        self.out.errors.push(d);
        let last = self.out.errors.len() - 1;
        &mut self.out.errors[last]
    }

    /// True when `text[a..b]` is whitespace holding exactly one line break.
    fn only_one_newline(&self, a: usize, b: usize) -> bool {
        let gap = self.text.as_bytes().get(a..b).unwrap_or(b"");
        gap.iter()
            .all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
            && gap.iter().filter(|c| **c == b'\n').count() == 1
    }

    fn top(&self) -> Frame {
        self.stack.last().copied().unwrap_or(Frame::Base)
    }

    fn run(&mut self) {
        loop {
            let done = match self.top() {
                Frame::Base | Frame::Brace => self.code(),
                Frame::Str(open) => self.string(open),
                Frame::Ind(open) => self.ind_string(open),
                Frame::Path(slash) => self.path_rest(slash),
            };
            if done {
                break;
            }
        }
        // End of input: close what the lexer itself opened, innermost first.
        // Unclosed `{`/`${` are left for the parser, which reports them.
        let end = self.text.len();
        while let Some(f) = self.stack.pop() {
            match f {
                Frame::Str(_) => self.push(Token::StrClose, end, end),
                Frame::Ind(_) => self.push(Token::IndClose, end, end),
                Frame::Path(_) => self.push(Token::PathClose, end, end),
                Frame::Base | Frame::Brace => {}
            }
        }
    }

    /// Lexes code until the mode changes; returns true at the end of input.
    fn code(&mut self) -> bool {
        let base = self.pos;
        let Some(rest) = self.text.get(base..) else {
            return true;
        };
        let mut lex = Raw::lexer(rest);
        while let Some(res) = lex.next() {
            let span = lex.span();
            let (start, end) = (base + span.start, base + span.end);
            self.pos = end;
            let slice = lex.slice();
            // Longest match, as flex does; `a/${` counts its `${`.
            if let Some((path_end, home)) = self.path_at(start)
                && path_end
                    + if self.text.as_bytes().get(path_end..path_end + 2) == Some(b"${") {
                        2
                    } else {
                        0
                    }
                    > end
            {
                self.path(start, path_end, home);
                return false;
            }
            let raw = match res {
                Ok(raw) => raw,
                Err(()) => {
                    // logos reports one unrecognised byte; widen it to the char.
                    let ch = self
                        .text
                        .get(start..)
                        .and_then(|s| s.chars().next())
                        .unwrap_or('\u{fffd}');
                    let char_end = start + ch.len_utf8().max(1);
                    let extra = char_end.saturating_sub(end);
                    if extra > 0 && lex.remainder().is_char_boundary(extra) {
                        lex.bump(extra);
                        self.pos = char_end;
                    }
                    let msg = format!("unexpected character `{}`", ch.escape_debug());
                    self.error(
                        codes::UNEXPECTED_CHAR,
                        &msg,
                        start,
                        self.pos,
                        "not valid here",
                    );
                    self.push(Token::Invalid, start, self.pos);
                    continue;
                }
            };
            let tok = match raw {
                Raw::If => Token::If,
                Raw::Then => Token::Then,
                Raw::Else => Token::Else,
                Raw::Assert => Token::Assert,
                Raw::With => Token::With,
                Raw::Let => Token::Let,
                Raw::In => Token::In,
                Raw::Rec => Token::Rec,
                Raw::Inherit => Token::Inherit,
                Raw::OrKw => Token::OrKw,
                Raw::Ellipsis => Token::Ellipsis,
                Raw::EqEq => Token::EqEq,
                Raw::NotEq => Token::NotEq,
                Raw::Le => Token::Le,
                Raw::Ge => Token::Ge,
                Raw::AndAnd => Token::AndAnd,
                Raw::OrOr => Token::OrOr,
                Raw::Impl => Token::Impl,
                Raw::Update => Token::Update,
                Raw::Concat => Token::Concat,
                Raw::PlusAssign => Token::PlusAssign,
                Raw::Dot => Token::Dot,
                Raw::Question => Token::Question,
                Raw::Star => Token::Star,
                Raw::Slash => Token::Slash,
                Raw::Plus => Token::Plus,
                Raw::Minus => Token::Minus,
                Raw::Bang => Token::Bang,
                Raw::Lt => Token::Lt,
                Raw::Gt => Token::Gt,
                Raw::Amp => Token::Amp,
                Raw::Pipe => Token::Pipe,
                Raw::Assign => Token::Assign,
                Raw::Colon => Token::Colon,
                Raw::Semi => Token::Semi,
                Raw::Comma => Token::Comma,
                Raw::At => Token::At,
                Raw::LParen => Token::LParen,
                Raw::RParen => Token::RParen,
                Raw::LBracket => Token::LBracket,
                Raw::RBracket => Token::RBracket,
                Raw::LBrace => {
                    self.stack.push(Frame::Brace);
                    Token::LBrace
                }
                Raw::DollarBrace => {
                    self.stack.push(Frame::Brace);
                    Token::DollarBrace
                }
                Raw::RBrace => {
                    self.push(Token::RBrace, start, end);
                    if let Some(Frame::Brace) = self.stack.last() {
                        self.stack.pop();
                        if !matches!(self.top(), Frame::Base | Frame::Brace) {
                            return false;
                        }
                    }
                    continue;
                }
                Raw::Ident => Token::Ident(slice),
                Raw::Int => {
                    if let Some(n) = unit_suffix(lex.remainder().as_bytes()) {
                        lex.bump(n);
                        self.pos = end + n;
                        self.unit(start, self.pos);
                        continue;
                    }
                    match slice.parse::<i64>() {
                        Ok(n) => Token::Int(n),
                        Err(_) => {
                            self.error(
                                codes::INT_OVERFLOW,
                                "integer literal is too large",
                                start,
                                end,
                                "does not fit in a 64-bit signed integer",
                            )
                            .help = Some(format!("the largest integer is {}", i64::MAX));
                            Token::Invalid
                        }
                    }
                }
                Raw::Float => {
                    let plain = !slice.contains(['e', 'E'])
                        && !slice.ends_with('.')
                        && !slice.starts_with('.');
                    if plain && let Some(n) = unit_suffix(lex.remainder().as_bytes()) {
                        lex.bump(n);
                        self.pos = end + n;
                        self.unit(start, self.pos);
                        continue;
                    }
                    self.float(slice, start, end)
                }
                Raw::SearchPath => Token::SearchPath(&slice[1..slice.len() - 1]),
                Raw::Quote => {
                    self.push(Token::StrOpen, start, end);
                    self.stack.push(Frame::Str(Span::new(start, end)));
                    return false;
                }
                Raw::IndOpen => {
                    self.push(Token::IndOpen, start, end);
                    self.stack.push(Frame::Ind(Span::new(start, start + 2)));
                    return false;
                }
                Raw::LineComment => {
                    self.out.comments.push(Span::new(start, end));
                    self.comment(slice, start, end);
                    continue;
                }
                Raw::BlockComment(closed) => {
                    self.out.comments.push(Span::new(start, end));
                    self.doc_lines.clear();
                    if !closed {
                        self.error(
                            codes::UNTERMINATED_COMMENT,
                            "unterminated block comment",
                            start,
                            start + 2,
                            "this comment is never closed",
                        )
                        .help = Some("close it with `*/`".into());
                    }
                    continue;
                }
            };
            self.push(tok, start, end);
        }
        true
    }

    /// The end of the run of path characters starting at `p`.
    fn path_run_end(&mut self, p: usize) -> usize {
        if p >= self.run.0 && p <= self.run.1 {
            return self.run.1;
        }
        let b = self.text.as_bytes();
        let mut j = p;
        while b.get(j).is_some_and(|c| is_path_byte(*c)) {
            j += 1;
        }
        self.run = (p, j);
        j
    }

    /// A path starting at `p`: its end and whether it is a `~/` path.
    /// Nix's `{PATH}`, `{PATH_SEG}\$\{`, `{HPATH}` and `{HPATH_START}\$\{`:
    /// path characters, then `/`-separated segments, an optional final `/`;
    /// or a prefix ending in `/` right before `${` (the end is then before
    /// the `${`).
    fn path_at(&mut self, p: usize) -> Option<(usize, bool)> {
        let b = self.text.as_bytes();
        let home = b.get(p) == Some(&b'~');
        let r = if home { p + 1 } else { self.path_run_end(p) };
        if b.get(r) != Some(&b'/') {
            return None;
        }
        if b.get(r + 1..r + 3) == Some(b"${") {
            return Some((r + 1, home));
        }
        if !b.get(r + 1).is_some_and(|c| is_path_byte(*c)) {
            return None;
        }
        let mut j = r;
        while b.get(j) == Some(&b'/') && b.get(j + 1).is_some_and(|c| is_path_byte(*c)) {
            j = self.path_run_end(j + 1);
        }
        if b.get(j) == Some(&b'/') {
            j += 1;
        }
        Some((j, home))
    }

    /// Emits the path `start..end`; an interpolated one continues in path
    /// mode.
    fn path(&mut self, start: usize, end: usize, home: bool) {
        let text = self.text;
        let slice = text.get(start..end).unwrap_or("");
        self.pos = end;
        if home {
            self.home_path(start, end);
        }
        if text.as_bytes().get(end..end + 2) == Some(b"${") {
            self.push(Token::PathOpen(home), start, start);
            self.push(Token::PathLit(slice), start, end);
            self.stack.push(Frame::Path(slice.ends_with('/')));
        } else if home {
            self.push(Token::Invalid, start, end);
        } else if slice.ends_with('/') {
            self.trailing_slash(start, end);
            self.push(Token::Invalid, start, end);
        } else {
            self.push(Token::Path(slice), start, end);
        }
    }

    fn unit(&mut self, start: usize, end: usize) {
        let text = &self.text[start..end];
        let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if digits.parse::<f64>().is_ok_and(f64::is_finite) {
            self.push(Token::Unit(text), start, end);
        } else {
            self.error(
                codes::NUMBER_RANGE,
                "number is too large",
                start,
                end,
                "out of range",
            );
            self.push(Token::Invalid, start, end);
        }
    }

    fn float(&mut self, slice: &str, start: usize, end: usize) -> Token<'s> {
        let v = slice.parse::<f64>().unwrap_or(f64::NAN);
        // Like Nix (strtod's ERANGE): overflow and underflow are errors.
        let mantissa_nonzero = slice
            .split(['e', 'E'])
            .next()
            .is_some_and(|m| m.bytes().any(|b| matches!(b, b'1'..=b'9')));
        let underflow = mantissa_nonzero && (v == 0.0 || (v != 0.0 && v.abs() < f64::MIN_POSITIVE));
        if v.is_finite() && !underflow {
            Token::Float(v)
        } else {
            self.error(
                codes::NUMBER_RANGE,
                "float literal is out of range",
                start,
                end,
                "not representable as a 64-bit float",
            );
            Token::Invalid
        }
    }

    fn trailing_slash(&mut self, start: usize, end: usize) {
        self.error(
            codes::PATH_TRAILING_SLASH,
            "path has a trailing slash",
            start,
            end,
            "remove the final `/`",
        );
    }

    fn home_path(&mut self, start: usize, end: usize) {
        self.error(
            codes::HOME_PATH,
            "home paths are impure",
            start,
            end,
            "`~/` depends on who runs dvm",
        )
        .help = Some(
            "use a path relative to this file, or pass the directory in as an argument".into(),
        );
    }

    fn comment(&mut self, slice: &'s str, start: usize, end: usize) {
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let first_on_line = self.text[line_start..start]
            .bytes()
            .all(|b| b == b' ' || b == b'\t');
        if let (true, Some(body)) = (first_on_line, slice.strip_prefix("##")) {
            let body = body.strip_prefix(' ').unwrap_or(body);
            if !self.doc_lines.is_empty() && !self.only_one_newline(self.doc_end, start) {
                self.doc_lines.clear();
            }
            self.doc_lines.push(body.trim_end_matches('\r'));
            self.doc_end = end;
        } else {
            self.doc_lines.clear();
        }
    }

    /// Scans `"…"` text from `self.pos`; returns true at the end of input.
    fn string(&mut self, open: Span) -> bool {
        let b = self.text.as_bytes();
        let start = self.pos;
        let mut i = start;
        loop {
            let Some(&c) = b.get(i) else {
                self.lit(Token::StrLit, start, b.len());
                self.error(
                    codes::UNTERMINATED_STRING,
                    "unterminated string",
                    open.start as usize,
                    open.end as usize,
                    "this string is never closed",
                )
                .help = Some("add a closing `\"`".into());
                self.push(Token::StrClose, b.len(), b.len());
                self.stack.pop();
                self.pos = b.len();
                return true;
            };
            match c {
                b'"' => {
                    self.lit(Token::StrLit, start, i);
                    self.push(Token::StrClose, i, i + 1);
                    self.stack.pop();
                    self.pos = i + 1;
                    return false;
                }
                b'\\' => i = (i + 2).min(b.len()),
                b'$' => match b.get(i + 1) {
                    Some(b'{') => {
                        self.lit(Token::StrLit, start, i);
                        self.push(Token::DollarBrace, i, i + 2);
                        self.stack.push(Frame::Brace);
                        self.pos = i + 2;
                        return false;
                    }
                    // `$$` is literal, so `$${` is not an interpolation.
                    Some(b'$') => i += 2,
                    _ => i += 1,
                },
                _ => i += 1,
            }
        }
    }

    fn lit(&mut self, mk: fn(&'s str) -> Token<'s>, start: usize, end: usize) {
        if end > start
            && let Some(s) = self.text.get(start..end)
        {
            self.push(mk(s), start, end);
        }
    }

    /// Scans `''…''` text from `self.pos`; returns true at the end of input.
    fn ind_string(&mut self, open: Span) -> bool {
        let b = self.text.as_bytes();
        let mut start = self.pos;
        let mut i = start;
        loop {
            let Some(&c) = b.get(i) else {
                self.lit(Token::IndLit, start, b.len());
                self.error(
                    codes::UNTERMINATED_STRING,
                    "unterminated indented string",
                    open.start as usize,
                    open.end as usize,
                    "this string is never closed",
                )
                .help = Some("add a closing `''`".into());
                self.push(Token::IndClose, b.len(), b.len());
                self.stack.pop();
                self.pos = b.len();
                return true;
            };
            match (c, b.get(i + 1).copied()) {
                (b'\'', Some(b'\'')) => {
                    let esc_len = match b.get(i + 2) {
                        Some(b'$') | Some(b'\'') => 3,
                        Some(b'\\') => {
                            match self.text.get(i + 3..).and_then(|s| s.chars().next()) {
                                Some(ch) => 3 + ch.len_utf8(),
                                None => 0,
                            }
                        }
                        _ => 0,
                    };
                    self.lit(Token::IndLit, start, i);
                    if esc_len == 0 {
                        self.push(Token::IndClose, i, i + 2);
                        self.stack.pop();
                        self.pos = i + 2;
                        return false;
                    }
                    let esc = self.text.get(i..i + esc_len).unwrap_or("");
                    self.push(Token::IndEsc(esc), i, i + esc_len);
                    i += esc_len;
                    start = i;
                }
                (b'$', Some(b'{')) => {
                    self.lit(Token::IndLit, start, i);
                    self.push(Token::DollarBrace, i, i + 2);
                    self.stack.push(Frame::Brace);
                    self.pos = i + 2;
                    return false;
                }
                (b'$', Some(b'$')) => i += 2,
                _ => i += 1,
            }
        }
    }

    /// After a piece of an interpolated path: more pieces, `${`, or the end
    /// of the path. Returns true at the end of input.
    fn path_rest(&mut self, mut slash: bool) -> bool {
        let b = self.text.as_bytes();
        loop {
            let i = self.pos;
            if b.get(i..i + 2) == Some(b"${") {
                self.push(Token::DollarBrace, i, i + 2);
                if let Some(top) = self.stack.last_mut() {
                    *top = Frame::Path(false);
                }
                self.stack.push(Frame::Brace);
                self.pos = i + 2;
                return false;
            }
            // The longest of Nix's `{PATH}|{PATH_SEG}|{PATH_CHAR}+`.
            let mut j = i;
            while b.get(j).is_some_and(|c| is_path_byte(*c)) {
                j += 1;
            }
            while b.get(j) == Some(&b'/') && b.get(j + 1).is_some_and(|c| is_path_byte(*c)) {
                j += 1;
                while b.get(j).is_some_and(|c| is_path_byte(*c)) {
                    j += 1;
                }
            }
            if b.get(j) == Some(&b'/') {
                j += 1;
            }
            if j > i {
                slash = b[j - 1] == b'/';
                self.lit(Token::PathLit, i, j);
                self.pos = j;
                continue;
            }
            if slash {
                let from = self.out.spans.last().map_or(i, |s| s.start as usize);
                self.trailing_slash(from, i);
            }
            self.push(Token::PathClose, i, i);
            self.stack.pop();
            return false;
        }
    }
}
