//! Renders compiler diagnostics for a terminal with ariadne. The only
//! place diagnostics become text; the compiler hands over plain data.

use dvm_compiler::db::{Db, RootDatabase};
use dvm_compiler::diag::{Diagnostic, Severity};
use std::io::Write;
use std::path::Path;

/// Whether stderr gets colour: only on a terminal, never with `NO_COLOR`.
pub fn color_enabled() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// Renders diagnostics as text. `sources` finds a file's text by the name
/// the diagnostic shows.
pub fn render(db: &RootDatabase, diags: &[Diagnostic], color: bool) -> String {
    let mut out = Vec::new();
    for d in diags {
        render_one(db, d, color, &mut out);
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn text_of(db: &RootDatabase, name: &str) -> String {
    // Diagnostics name files relative to the working directory when they
    // can; find the text through the db (already loaded, so no new read).
    let cwd = std::env::current_dir().unwrap_or_default();
    let path = if let Some(p) = dvm_compiler::embedded::from_display(name) {
        p
    } else if Path::new(name).is_absolute() {
        Path::new(name).to_path_buf()
    } else {
        cwd.join(name)
    };
    match db.file(&path).contents(db).text() {
        Some(t) => t.to_string(),
        None => String::new(),
    }
}

fn render_one(db: &RootDatabase, d: &Diagnostic, color: bool, out: &mut Vec<u8>) {
    use ariadne::{Color, Config, IndexType, Label, Report, ReportKind};
    let kind = match d.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let Some(primary) = &d.primary else {
        let word = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{word}[{}]: {}", d.code, d.message);
        for n in &d.notes {
            let _ = writeln!(out, "  = note: {n}");
        }
        if let Some(h) = &d.help {
            let _ = writeln!(out, "  = help: {h}");
        }
        return;
    };
    let mut names: Vec<String> = vec![primary.file.to_string()];
    for l in &d.secondary {
        if !names.contains(&l.file.to_string()) {
            names.push(l.file.to_string());
        }
    }
    let sources: Vec<(String, String)> =
        names.iter().map(|n| (n.clone(), text_of(db, n))).collect();
    let clamp = |file: &str, span: dvm_compiler::syntax::ast::Span| {
        let len = sources
            .iter()
            .find(|(n, _)| n == file)
            .map(|(_, t)| t.len())
            .unwrap_or(0);
        let start = (span.start as usize).min(len);
        let end = (span.end as usize).clamp(start, len);
        start..end
    };
    let (c1, c2) = if color {
        (Color::Red, Color::Blue)
    } else {
        (Color::Primary, Color::Primary)
    };
    let c1 = if d.severity == Severity::Warning && color {
        Color::Yellow
    } else {
        c1
    };
    let mut report = Report::build(
        kind,
        (primary.file.to_string(), clamp(&primary.file, primary.span)),
    )
    .with_config(
        Config::default()
            .with_color(color)
            .with_index_type(IndexType::Byte),
    )
    .with_code(d.code)
    .with_message(&d.message)
    .with_label(
        Label::new((primary.file.to_string(), clamp(&primary.file, primary.span)))
            .with_message(&primary.message)
            .with_color(c1)
            .with_order(0),
    );
    for (i, l) in d.secondary.iter().enumerate() {
        report = report.with_label(
            Label::new((l.file.to_string(), clamp(&l.file, l.span)))
                .with_message(&l.message)
                .with_color(c2)
                .with_order(i as i32 + 1),
        );
    }
    for n in &d.notes {
        report = report.with_note(n);
    }
    if let Some(h) = &d.help {
        report = report.with_help(h);
    }
    let _ = report.finish().write(ariadne::sources(sources), &mut *out);
}
