//! [`Data`]: a value forced all the way down, with nothing lazy left —
//! what an evaluation query returns, what the CLI prints as JSON or YAML
//! and what graph resolution reads. Sets are kept sorted by name, so output
//! is deterministic. Knows nothing of evaluation.
//!
//! Three forms exist beyond JSON's: an [`ObjectData`] (a value built by a
//! kind, with its kind name and where it was built), a secret
//! ([`SecretPart`]s: text that must never be shown in clear) and, only when
//! forcing for graph resolution, a [`Data::Function`] handle that the
//! resolver can call back into the evaluator with (a dependency's
//! `exports` function). As JSON an object prints as its fields (a template
//! with an extra `"template": "Kind"`), a secret as its placeholder text
//! (`"<secret:NAME>"`), a function as `"<function>"`.

use crate::intern::Sym;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Box<str>),
    List(Box<[Data]>),
    /// Sorted by name.
    Attrs(Box<[(Sym, Data)]>),
    /// A value built by a kind (or a template of one).
    Object(Box<ObjectData>),
    /// A secret, or a string with secrets interpolated into it.
    Secret(Box<[SecretPart]>),
    /// A function, kept by number for the graph resolver to call back
    /// (only produced when forcing for the graph).
    Function(u32),
}

/// An object: what a kind (`Workspace { … }`) or a template builds.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectData {
    /// The kind's name: `Workspace`, `FeatureFlag`.
    pub kind: Sym,
    /// A template (a partial object) rather than a constructed object.
    pub template: bool,
    /// Fields after defaults, sorted by name; absent optional fields are
    /// left out.
    pub fields: Box<[(Sym, Data)]>,
    /// Where the object was built: the kind application or template call.
    pub source: Option<Source>,
    /// Where each field's value was written, when known (sorted by name).
    pub field_sources: Box<[(Sym, Source)]>,
}

impl ObjectData {
    pub fn get(&self, name: &str) -> Option<&Data> {
        self.fields
            .iter()
            .find(|(k, _)| k.as_str() == name)
            .map(|(_, v)| v)
    }
    /// Where field `name` was written, else where the object was built.
    pub fn source_of(&self, name: &str) -> Option<&Source> {
        self.field_sources
            .iter()
            .find(|(k, _)| k.as_str() == name)
            .map(|(_, s)| s)
            .or(self.source.as_ref())
    }
}

/// A place in a source file: the file as the user would name it and a
/// byte range.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    pub file: crate::diag::FileName,
    pub span: crate::syntax::ast::Span,
}

/// One piece of a secret string: clear text or a secret's name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SecretPart {
    Text(Box<str>),
    Secret(Box<str>),
}

/// The placeholder text of a secret string: `"<secret:NAME>"` for each
/// secret, clear text kept.
pub fn secret_placeholder(parts: &[SecretPart]) -> String {
    let mut out = String::new();
    for p in parts {
        match p {
            SecretPart::Text(t) => out.push_str(t),
            SecretPart::Secret(name) => {
                out.push_str("<secret:");
                out.push_str(name);
                out.push('>');
            }
        }
    }
    out
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Data::Null => s.serialize_unit(),
            Data::Bool(b) => s.serialize_bool(*b),
            Data::Int(i) => s.serialize_i64(*i),
            Data::Float(f) => s.serialize_f64(*f),
            Data::Str(t) => s.serialize_str(t),
            Data::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items.iter() {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            Data::Attrs(entries) => serialize_entries(s, entries, None),
            Data::Object(o) => serialize_entries(s, &o.fields, o.template.then(|| o.kind.as_str())),
            Data::Secret(parts) => s.serialize_str(&secret_placeholder(parts)),
            Data::Function(_) => s.serialize_str("<function>"),
        }
    }
}

/// A map of `entries`, with `"template": kind` merged in at its sorted
/// place when `template` is given.
fn serialize_entries<S: Serializer>(
    s: S,
    entries: &[(Sym, Data)],
    template: Option<&str>,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(entries.len() + usize::from(template.is_some())))?;
    let mut pending = template;
    for (k, v) in entries.iter() {
        if let Some(kind) = pending
            && "template" <= k.as_str()
        {
            map.serialize_entry("template", kind)?;
            pending = None;
        }
        map.serialize_entry(k.as_str(), v)?;
    }
    if let Some(kind) = pending {
        map.serialize_entry("template", kind)?;
    }
    map.end()
}

impl Data {
    /// Compact JSON text.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    /// The fields of a record or an object.
    pub fn fields(&self) -> Option<&[(Sym, Data)]> {
        match self {
            Data::Attrs(e) => Some(e),
            Data::Object(o) => Some(&o.fields),
            _ => None,
        }
    }
    /// Field `name` of a record or an object.
    pub fn get(&self, name: &str) -> Option<&Data> {
        self.fields()?
            .iter()
            .find(|(k, _)| k.as_str() == name)
            .map(|(_, v)| v)
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Data::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&ObjectData> {
        match self {
            Data::Object(o) => Some(o),
            _ => None,
        }
    }
}
