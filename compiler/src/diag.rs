//! Diagnostics as plain data: a stable code, a message, a primary span,
//! labelled secondary spans, notes and help.
//!
//! Every stage (syntax, names, eval, import) produces these; nothing here
//! renders them. The CLI renders with ariadne, the LSP converts them to its
//! own type. The catalogue of codes with their long explanations is
//! [`crate::codes`], which `dvm explain` prints.

use crate::syntax::ast::Span;
use std::sync::Arc;

/// Which file a span points into, as the path the user would recognise
/// (or `<expr>` / `<arg NAME>` for text given on the command line).
pub type FileName = Arc<str>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub file: FileName,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Stable code, e.g. `E0101`; see [`crate::codes`].
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where it happened. `None` only for errors with no source location
    /// (a missing entry file, a bad command-line argument).
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    /// Extra lines: the call chain of a depth-limit error, a value's path.
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }
    /// Sets the primary location and its label text.
    pub fn at(mut self, file: &FileName, span: Span, label: impl Into<String>) -> Diagnostic {
        self.primary = Some(Label {
            file: file.clone(),
            span,
            message: label.into(),
        });
        self
    }
    pub fn with_label(
        mut self,
        file: &FileName,
        span: Span,
        label: impl Into<String>,
    ) -> Diagnostic {
        self.secondary.push(Label {
            file: file.clone(),
            span,
            message: label.into(),
        });
        self
    }
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file, then position, then code, and drops exact
/// duplicates, so output is deterministic.
pub fn normalize(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        let ka = a.primary.as_ref().map(|l| (l.file.clone(), l.span));
        let kb = b.primary.as_ref().map(|l| (l.file.clone(), l.span));
        ka.cmp(&kb)
            .then(a.code.cmp(b.code))
            .then(a.message.cmp(&b.message))
    });
    diags.dedup();
}

/// "Did you mean" helper: the candidate closest to `name` by edit distance,
/// if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}
