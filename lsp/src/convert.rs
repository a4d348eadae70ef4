//! The only place compiler types and LSP types meet: positions (UTF-16
//! columns, as LSP counts them) ↔ byte offsets, URIs ↔ paths, and
//! compiler diagnostics, hovers, completions, symbols → LSP values.
//!
//! Every conversion is total: a position past the end of a line or of the
//! file clamps to it, a URI that is not a file maps to `None`.

use dvm_compiler::diag::{Diagnostic, Severity};
use dvm_compiler::ide::completion::{Completion, CompletionKind};
use dvm_compiler::ide::symbols::Symbol;
use dvm_compiler::syntax::ast::Span;
use std::path::{Path, PathBuf};
use tower_lsp_server::ls_types as lsp;

/// Line starts of a text, for position conversion.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The byte offset of an LSP position, clamped into the text (a column
    /// past the line's end is its end; inside a surrogate pair, the char's
    /// start).
    pub fn offset(&self, pos: lsp::Position) -> u32 {
        let line = pos.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.text.len() as u32;
        };
        let end = self
            .starts
            .get(line + 1)
            .map(|e| e - 1)
            .unwrap_or(self.text.len());
        let line_text = &self.text[start..end];
        let mut units = 0u32;
        for (i, c) in line_text.char_indices() {
            let w = c.len_utf16() as u32;
            if units + w > pos.character {
                return (start + i) as u32;
            }
            units += w;
        }
        // Strip a `\r` of a CRLF ending.
        let end = if line_text.ends_with('\r') {
            end - 1
        } else {
            end
        };
        end as u32
    }

    /// The LSP position of a byte offset (clamped to the text).
    pub fn position(&self, offset: u32) -> lsp::Position {
        let mut o = (offset as usize).min(self.text.len());
        while o > 0 && !self.text.is_char_boundary(o) {
            o -= 1;
        }
        let line = match self.starts.binary_search(&o) {
            Ok(l) => l,
            Err(l) => l.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character = self.text[start..o].encode_utf16().count() as u32;
        lsp::Position {
            line: line as u32,
            character,
        }
    }

    pub fn range(&self, span: Span) -> lsp::Range {
        lsp::Range {
            start: self.position(span.start),
            end: self.position(span.end.max(span.start)),
        }
    }
}

/// The absolute path of a `file:` URI.
pub fn path_of(uri: &lsp::Uri) -> Option<PathBuf> {
    let p = uri.to_file_path()?;
    let p = p.into_owned();
    p.is_absolute().then_some(p)
}

/// The URI of a path. Embedded files (the stdlib inside the binary) are
/// written out to a read-only cache directory first, so an editor can
/// open them.
pub fn uri_of(path: &Path) -> Option<lsp::Uri> {
    let shown = materialise_embedded(path).unwrap_or_else(|| path.to_path_buf());
    lsp::Uri::from_file_path(shown)
}

/// The path under the cache directory an embedded file is shown at
/// (written on first use).
fn materialise_embedded(path: &Path) -> Option<PathBuf> {
    let text = dvm_compiler::embedded::lookup(path)?;
    let rel = path.strip_prefix(dvm_compiler::embedded::ROOT).ok()?;
    let dir = std::env::temp_dir().join(format!("dvm-{}-embedded", env!("CARGO_PKG_VERSION")));
    let target = dir.join(rel);
    if std::fs::read_to_string(&target).ok().as_deref() != Some(text) {
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).ok()?;
        }
        std::fs::write(&target, text).ok()?;
    }
    Some(target)
}

/// A compiler diagnostic as an LSP one, with its secondary labels as
/// related information (labels in other files need those files' texts:
/// `text_of`).
pub fn diagnostic(
    d: &Diagnostic,
    index: &LineIndex<'_>,
    text_of: &dyn Fn(&Path) -> Option<std::sync::Arc<str>>,
) -> lsp::Diagnostic {
    let range = d
        .primary
        .as_ref()
        .map(|l| index.range(l.span))
        .unwrap_or_default();
    let mut message = d.message.clone();
    if let Some(p) = &d.primary
        && !p.message.is_empty()
    {
        message.push_str(": ");
        message.push_str(&p.message);
    }
    for n in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(n);
    }
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|l| {
            let path = dvm_compiler::ide::path_of_display(&l.file)?;
            let text = text_of(&path)?;
            let range = LineIndex::new(&text).range(l.span);
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: uri_of(&path)?,
                    range,
                },
                message: l.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        source: Some("dvm".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

pub fn completion_item(c: &Completion, index: &LineIndex<'_>, order: usize) -> lsp::CompletionItem {
    let kind = match c.kind {
        CompletionKind::Variable => lsp::CompletionItemKind::VARIABLE,
        CompletionKind::Function => lsp::CompletionItemKind::FUNCTION,
        CompletionKind::Field => lsp::CompletionItemKind::FIELD,
        CompletionKind::EnumMember => lsp::CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Instance => lsp::CompletionItemKind::REFERENCE,
        CompletionKind::Kind => lsp::CompletionItemKind::CLASS,
        CompletionKind::Builtin => lsp::CompletionItemKind::KEYWORD,
        CompletionKind::Module => lsp::CompletionItemKind::MODULE,
    };
    lsp::CompletionItem {
        label: c.label.clone(),
        kind: Some(kind),
        detail: c.detail.clone(),
        documentation: c.documentation.as_ref().map(|d| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: d.clone(),
            })
        }),
        sort_text: Some(format!("{order:04}")),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: index.range(c.replace),
            new_text: c.insert.clone(),
        })),
        ..Default::default()
    }
}

/// A path completion (from the language server's own file listing).
pub fn path_item(
    label: String,
    is_dir: bool,
    range: lsp::Range,
    order: usize,
) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: label.clone(),
        kind: Some(if is_dir {
            lsp::CompletionItemKind::FOLDER
        } else {
            lsp::CompletionItemKind::FILE
        }),
        sort_text: Some(format!("{order:04}")),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range,
            new_text: label,
        })),
        ..Default::default()
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be set.
pub fn document_symbol(s: &Symbol, index: &LineIndex<'_>) -> lsp::DocumentSymbol {
    let kind = match s.kind.as_str() {
        "Ecosystem" => lsp::SymbolKind::NAMESPACE,
        "Domain" => lsp::SymbolKind::MODULE,
        "App" => lsp::SymbolKind::CLASS,
        "Workspace" => lsp::SymbolKind::INTERFACE,
        "Service" => lsp::SymbolKind::OBJECT,
        "Dependency" => lsp::SymbolKind::PACKAGE,
        _ => lsp::SymbolKind::STRUCT,
    };
    let range = index.range(s.span);
    let mut selection = index.range(s.selection);
    // The selection must lie inside the range.
    if selection.start < range.start || selection.end > range.end {
        selection = range;
    }
    lsp::DocumentSymbol {
        name: if s.name.is_empty() {
            s.kind.clone()
        } else {
            s.name.clone()
        },
        detail: Some(s.detail.clone()),
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: Some(
            s.children
                .iter()
                .map(|c| document_symbol(c, index))
                .collect(),
        ),
    }
}
