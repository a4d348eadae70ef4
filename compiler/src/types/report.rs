//! The diagnostics of type errors, built from plain strings and spans so
//! that the static checker and the run-time checks say exactly the same
//! thing. Knows nothing of values, types or evaluation.

use crate::codes::types as codes;
use crate::diag::{Diagnostic, FileName, did_you_mean};
use crate::syntax::ast::Span;

/// A place: file and span.
pub type At<'a> = Option<(&'a FileName, Span)>;

fn place(d: Diagnostic, at: At<'_>, label: String) -> Diagnostic {
    match at {
        Some((f, s)) => d.at(f, s, label),
        None => d,
    }
}

fn because(d: Diagnostic, expected_by: At<'_>, label: String) -> Diagnostic {
    match expected_by {
        Some((f, s)) => d.with_label(f, s, label),
        None => d,
    }
}

/// `path` (may be empty) expected `expected`, found `found`.
pub fn mismatch(
    path: &str,
    expected: &str,
    found: &str,
    at: At<'_>,
    expected_by: At<'_>,
) -> Diagnostic {
    let message = if path.is_empty() {
        format!("expected `{expected}`, found {found}")
    } else {
        format!("`{path}` expects `{expected}`, found {found}")
    };
    let d = Diagnostic::error(codes::TYPE_MISMATCH, message);
    let d = place(d, at, format!("this is {found}"));
    let d = because(
        d,
        expected_by,
        format!("`{expected}` is expected because of this"),
    );
    match mismatch_help(expected, found) {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// Advice for common mismatches: units, quoted numbers, secrets.
fn mismatch_help(expected: &str, found: &str) -> Option<String> {
    let units = |e: &str| match e {
        "Duration" => Some("a duration is written with ms s m h d: `500ms`, `30s`, `5m`, `2h`"),
        "Memory" => Some("memory is written with Ki Mi Gi Ti (or K M G T): `512Mi`, `2Gi`"),
        "Cpu" => Some("CPU is a number of cores (`2`, `0.5`) or milli-cores (`500m`)"),
        _ => None,
    };
    if let Some(h) = units(expected) {
        return Some(h.to_string());
    }
    if found == "a secret" {
        return Some(format!(
            "a secret never becomes text; a field that takes secrets is typed `{expected} | Secret`"
        ));
    }
    if found == "a string" && matches!(expected, "Int" | "Float" | "Number") {
        return Some("remove the quotes to write a number".to_string());
    }
    if found.starts_with("a template") {
        return Some("call the template to build an object: `template { … }`".to_string());
    }
    None
}

/// A string that is not one of an enum's members.
pub fn not_in_enum(
    path: &str,
    members: &[&str],
    found: &str,
    at: At<'_>,
    expected_by: At<'_>,
) -> Diagnostic {
    let expected = members
        .iter()
        .map(|m| format!("\"{m}\""))
        .collect::<Vec<_>>()
        .join(" | ");
    let message = if path.is_empty() {
        format!("expected one of {expected}, found \"{found}\"")
    } else {
        format!("`{path}` expects one of {expected}, found \"{found}\"")
    };
    let d = Diagnostic::error(codes::TYPE_MISMATCH, message);
    let d = place(d, at, "not one of the allowed values".to_string());
    let d = because(
        d,
        expected_by,
        "the allowed values are listed here".to_string(),
    );
    match did_you_mean(found, members.iter().copied()) {
        Some(close) => d.with_help(format!("did you mean \"{close}\"?")),
        None => d,
    }
}

/// `owner` (`Service`, or empty for a record type) has no field `field`.
pub fn unknown_field(
    owner: &str,
    field: &str,
    fields: &[&str],
    at: At<'_>,
    declared: At<'_>,
) -> Diagnostic {
    let message = if owner.is_empty() {
        format!("unknown field `{field}`")
    } else {
        format!("`{owner}` has no field `{field}`")
    };
    let d = Diagnostic::error(codes::UNKNOWN_FIELD, message);
    let d = place(d, at, "not a field of this type".to_string());
    let d = because(
        d,
        declared,
        if owner.is_empty() {
            "the record type is declared here".to_string()
        } else {
            format!("`{owner}` is declared here")
        },
    );
    let mut sorted: Vec<&str> = fields.to_vec();
    sorted.sort_unstable();
    let d = match did_you_mean(field, fields.iter().copied()) {
        Some(close) => d.with_help(format!("did you mean `{close}`?")),
        None => d,
    };
    if sorted.is_empty() {
        d.with_note("it has no fields")
    } else {
        d.with_note(format!("its fields are: {}", sorted.join(", ")))
    }
}

/// A required field is missing.
pub fn missing_field(
    owner: &str,
    field: &str,
    field_ty: &str,
    at: At<'_>,
    declared: At<'_>,
) -> Diagnostic {
    let message = if owner.is_empty() {
        format!("missing field `{field}`")
    } else {
        format!("`{owner}` needs field `{field}`")
    };
    let d = Diagnostic::error(codes::MISSING_FIELD, message);
    let d = place(d, at, format!("`{field}` is not given here"));
    let d = because(
        d,
        declared,
        format!("`{field} : {field_ty}` is required here"),
    );
    d.with_help(format!("add `{field} = …;`"))
}
