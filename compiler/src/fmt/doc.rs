//! A small Wadler-style document algebra and its printer: text, line
//! breaks that a [`Doc::Group`] lays out flat (as a space or nothing) when
//! the group fits in the width, and one per line otherwise.
//!
//! Owns only layout arithmetic (columns, indentation, fitting); it knows
//! nothing of dvm's syntax or comments. Line suffixes ([`Doc::Suffix`])
//! hold trailing `# …` comments until the end of the line they belong to.

/// Columns per indentation level.
pub const INDENT: usize = 2;

#[derive(Clone, Debug)]
pub enum Doc {
    Text(String),
    /// A space when flat, a line break when broken.
    Line,
    /// Always a line break; the groups around it are broken.
    Hard,
    Cat(Vec<Doc>),
    /// Its line breaks indent one level deeper.
    Nest(Box<Doc>),
    /// Flat when it fits; `true` when it must break (it holds a hard break).
    Group(Box<Doc>, bool),
    /// Text printed just before the next line break (a trailing comment);
    /// the groups around it are broken.
    Suffix(String),
    /// Text printed only when the enclosing group is broken (a trailing
    /// comma).
    IfBreak(String),
}

pub fn text(s: impl Into<String>) -> Doc {
    Doc::Text(s.into())
}

pub fn cat(parts: Vec<Doc>) -> Doc {
    Doc::Cat(parts)
}

pub fn nest(d: Doc) -> Doc {
    Doc::Nest(Box::new(d))
}

pub fn group(d: Doc) -> Doc {
    let hard = must_break(&d);
    Doc::Group(Box::new(d), hard)
}

/// A group that is broken whatever its width.
pub fn broken(d: Doc) -> Doc {
    Doc::Group(Box::new(d), true)
}

/// True when `d` holds a hard break outside any inner group that already
/// knows it (inner groups carry their own flag).
pub fn must_break(d: &Doc) -> bool {
    let mut stack = vec![d];
    while let Some(d) = stack.pop() {
        match d {
            Doc::Hard | Doc::Suffix(_) => return true,
            Doc::Text(t) if t.contains('\n') => return true,
            Doc::Group(_, b) if *b => return true,
            Doc::Cat(v) => stack.extend(v.iter()),
            Doc::Nest(inner) => stack.push(inner),
            _ => {}
        }
    }
    false
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Flat,
    Break,
}

/// Lays `doc` out in `width` columns. Lines carry no trailing spaces.
pub fn print(doc: &Doc, width: usize) -> String {
    let mut out = String::new();
    let mut col = 0usize;
    let mut suffix: Vec<String> = Vec::new();
    // (indent, mode, doc): the rest of the document, innermost last.
    let mut stack: Vec<(usize, Mode, &Doc)> = vec![(0, Mode::Break, doc)];
    let newline = |out: &mut String, col: &mut usize, suffix: &mut Vec<String>, indent: usize| {
        for s in suffix.drain(..) {
            out.push_str(&s);
        }
        while out.ends_with(' ') {
            out.pop();
        }
        out.push('\n');
        out.push_str(&" ".repeat(indent));
        *col = indent;
    };
    while let Some((indent, mode, d)) = stack.pop() {
        match d {
            Doc::Text(t) => {
                out.push_str(t);
                match t.rfind('\n') {
                    Some(i) => col = t[i + 1..].chars().count(),
                    None => col += t.chars().count(),
                }
            }
            Doc::Line if mode == Mode::Flat => {
                out.push(' ');
                col += 1;
            }
            Doc::Line | Doc::Hard => newline(&mut out, &mut col, &mut suffix, indent),
            Doc::Cat(v) => {
                for part in v.iter().rev() {
                    stack.push((indent, mode, part));
                }
            }
            Doc::Nest(inner) => stack.push((indent + INDENT, mode, inner)),
            Doc::Group(inner, hard) => {
                let flat = mode == Mode::Flat
                    || (!*hard && fits(width.saturating_sub(col), inner, &stack));
                stack.push((indent, if flat { Mode::Flat } else { Mode::Break }, inner));
            }
            Doc::Suffix(s) => suffix.push(s.clone()),
            Doc::IfBreak(t) => {
                if mode == Mode::Break {
                    out.push_str(t);
                    col += t.chars().count();
                }
            }
        }
    }
    for s in suffix.drain(..) {
        out.push_str(&s);
    }
    while out.ends_with(' ') || out.ends_with('\n') {
        out.pop();
    }
    // Blank lines hold no indentation.
    let mut clean = String::with_capacity(out.len() + 1);
    for line in out.split('\n') {
        clean.push_str(line.trim_end_matches(' '));
        clean.push('\n');
    }
    clean
}

/// Whether `first` laid out flat, followed by the rest of the document up
/// to its next line break, fits in `room` columns.
fn fits(room: usize, first: &Doc, rest: &[(usize, Mode, &Doc)]) -> bool {
    let mut room = room as isize;
    let mut todo: Vec<(Mode, &Doc)> = vec![(Mode::Flat, first)];
    let mut rest_i = rest.len();
    loop {
        let Some((mode, d)) = todo.pop() else {
            if rest_i == 0 {
                return true;
            }
            rest_i -= 1;
            let (_, m, d) = rest[rest_i];
            todo.push((m, d));
            continue;
        };
        match d {
            Doc::Text(t) => {
                if let Some(i) = t.find('\n') {
                    return room >= t[..i].chars().count() as isize;
                }
                room -= t.chars().count() as isize;
            }
            Doc::Line => {
                if mode == Mode::Break {
                    return true;
                }
                room -= 1;
            }
            Doc::Hard => return true,
            Doc::Cat(v) => todo.extend(v.iter().rev().map(|p| (mode, p))),
            Doc::Nest(inner) => todo.push((mode, inner)),
            Doc::Group(inner, hard) => {
                let m = if *hard && mode == Mode::Break {
                    Mode::Break
                } else {
                    mode
                };
                todo.push((m, inner));
            }
            Doc::Suffix(_) => {}
            Doc::IfBreak(t) => {
                if mode == Mode::Break {
                    room -= t.chars().count() as isize;
                }
            }
        }
        if room < 0 {
            return false;
        }
    }
}
