//! Realise errors as data: every failure is a compiler [`Diagnostic`] with a
//! stable E07xx code, pointed at the `.dvm` span of the object that asked for
//! it when there is one, and the exit status it means. Rendering is the CLI's.

use dvm_compiler::codes::realise as codes;
use dvm_compiler::diag::{Diagnostic, FileName};
use dvm_compiler::graph::SourceRef;
use dvm_compiler::syntax::ast::Span;

/// A failed realise step.
#[derive(Clone, Debug)]
pub struct Failure {
    /// Boxed: failures travel in `Result`s and should stay small.
    pub diag: Box<Diagnostic>,
}

impl Failure {
    pub fn new(code: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            diag: Box::new(Diagnostic::error(code, message)),
        }
    }
    /// Points the failure at the object's source.
    pub fn at(mut self, source: Option<&SourceRef>, label: &str) -> Failure {
        *self.diag = at_source(*self.diag, source, label);
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Failure {
        *self.diag = self.diag.clone().with_help(help);
        self
    }
    pub fn note(mut self, note: impl Into<String>) -> Failure {
        *self.diag = self.diag.clone().with_note(note);
        self
    }
    /// The exit status: 1 for configuration problems, 3 for the engine and
    /// the machine.
    pub fn exit_code(&self) -> u8 {
        match self.diag.code {
            codes::SECRET_NOT_SET | codes::STALE_PLAN => 1,
            _ => 3,
        }
    }
}

impl From<Diagnostic> for Failure {
    fn from(diag: Diagnostic) -> Failure {
        Failure {
            diag: Box::new(diag),
        }
    }
}

/// Sets a diagnostic's primary location to a graph source, if any.
pub fn at_source(d: Diagnostic, source: Option<&SourceRef>, label: &str) -> Diagnostic {
    match source {
        Some(s) => {
            let file: FileName = s.file.as_str().into();
            d.at(
                &file,
                Span {
                    start: s.span.0,
                    end: s.span.1,
                },
                label,
            )
        }
        None => d,
    }
}
