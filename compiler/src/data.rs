//! [`Data`]: a value forced all the way down, with nothing lazy and
//! nothing callable left — what an evaluation query returns and what the
//! CLI prints as JSON or YAML. Sets are kept sorted by name, so output is
//! deterministic. Knows nothing of evaluation.

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
            Data::Attrs(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries.iter() {
                    map.serialize_entry(k.as_str(), v)?;
                }
                map.end()
            }
        }
    }
}

impl Data {
    /// Compact JSON text.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
