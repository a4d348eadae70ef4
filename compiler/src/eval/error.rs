//! Evaluation errors as data, and their conversion to [`Diagnostic`]s.
//!
//! An error is created where it happens, usually without a location (a
//! builtin doesn't know its call site); the machine adds the innermost
//! location it knows while unwinding ([`EvalError::at_if_unset`]) and
//! call-trace lines for the error kinds where the chain matters.

use crate::diag::{Diagnostic, FileName, Label};
use crate::syntax::ast::Span;
use std::rc::Rc;

#[derive(Clone, Debug)]
pub struct EvalError {
    pub code: &'static str,
    pub message: String,
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// `throw`/`assert` failures, the only ones `tryEval` catches.
    pub catchable: bool,
    /// Already reported as a syntax or name error: not shown again.
    pub silent: bool,
    /// Innermost first: "while calling `f`" lines, consecutive repeats
    /// counted instead of repeated.
    pub trace: Vec<(String, usize)>,
    /// Trace lines left out (deep recursion).
    pub elided: usize,
    /// Further errors of the same kind folded into this one.
    pub elided_like: usize,
    /// Label text for the primary span when it is set later.
    pub label: String,
    /// Extra lines (a kind's list of fields).
    pub notes: Vec<String>,
}

pub type Error = Rc<EvalError>;
pub type EResult<T> = Result<T, Error>;

/// How many trace lines an error keeps at most; the rest are counted.
const MAX_TRACE: usize = 12;

impl EvalError {
    pub fn new(code: &'static str, message: impl Into<String>) -> EvalError {
        EvalError {
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
            catchable: false,
            silent: false,
            trace: Vec::new(),
            elided: 0,
            elided_like: 0,
            label: String::new(),
            notes: Vec::new(),
        }
    }
    pub fn label(mut self, label: impl Into<String>) -> EvalError {
        self.label = label.into();
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> EvalError {
        self.help = Some(help.into());
        self
    }
    pub fn at(mut self, file: &FileName, span: Span) -> EvalError {
        self.primary = Some(Label {
            file: file.clone(),
            span,
            message: std::mem::take(&mut self.label),
        });
        self
    }
    pub fn secondary(mut self, file: &FileName, span: Span, label: impl Into<String>) -> EvalError {
        self.secondary.push(Label {
            file: file.clone(),
            span,
            message: label.into(),
        });
        self
    }
    pub fn err<T>(self) -> EResult<T> {
        Err(Rc::new(self))
    }

    pub fn into_diagnostic(&self) -> Diagnostic {
        let mut d = Diagnostic::error(self.code, self.message.clone());
        d.primary = self.primary.clone();
        d.secondary = self.secondary.clone();
        d.help = self.help.clone();
        d.notes = self.notes.clone();
        d.notes.extend(self.trace.iter().map(|(line, n)| match n {
            1 => line.clone(),
            n => format!("{line} (repeated {n} times)"),
        }));
        if self.elided > 0 {
            d.notes.push(format!("… and {} more calls", self.elided));
        }
        match self.elided_like {
            0 => {}
            1 => d.notes.push("1 more value fails the same way".to_string()),
            n => d.notes.push(format!("{n} more values fail the same way")),
        }
        d
    }
}

/// Sets the primary location if none is set yet.
pub fn at_if_unset(e: Error, file: &FileName, span: Span) -> Error {
    if e.primary.is_some() {
        return e;
    }
    let mut e = Rc::unwrap_or_clone(e);
    e = e.at(file, span);
    Rc::new(e)
}

/// Adds a call-trace line (bounded; the rest are counted).
pub fn add_trace(e: Error, line: impl FnOnce() -> String) -> Error {
    if e.silent {
        return e;
    }
    let mut e = Rc::unwrap_or_clone(e);
    let line = line();
    let len = e.trace.len();
    match e.trace.last_mut() {
        Some((last, n)) if *last == line => *n += 1,
        _ if len < MAX_TRACE => e.trace.push((line, 1)),
        _ => e.elided += 1,
    }
    Rc::new(e)
}
