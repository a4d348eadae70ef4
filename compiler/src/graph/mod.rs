//! Graph resolution: the entry file's evaluated value ([`Data`]) → the
//! resolved [`Graph`] of objects.md, plus diagnostics. A pure function: it
//! reads no files and talks to no engine; the only effect is calling back
//! into the evaluator for a dependency's `exports` function, through the
//! [`Calls`] trait the caller provides. It knows nothing of syntax,
//! evaluation or Docker beyond the names it must make deterministic.
//!
//! Submodules: [`model`] (the serialisable graph), [`resolve`] (the
//! algorithm), [`names`] (valid names, Docker names, variable names),
//! [`dag`] (topological layers and cycles), [`render`] (dot, mermaid and
//! `dvm get` tables).
//!
//! # Ids
//!
//! | object | id |
//! |---|---|
//! | ecosystem | `<eco>` |
//! | domain | `<eco>/<domain>` |
//! | app | `<eco>/<domain>/<app>` |
//! | workspace / service | `<eco>/<domain>/<app>/dev` / `…/live` |
//! | dependency instance | scope id + `/<name>`: `cp/platform-db`, `cp/auth/isolated-tests/test-db`, `cp/auth/auth-api/dev/scratch` |
//! | task, workflow, pipeline, job of a domain | `<eco>/<domain>/task:<name>`, `…/workflow:<name>`, `…/pipeline:<name>`, `…/job:<name>` |
//! | task written inline in a workflow step | `<workflow id>/<step>` |
//! | workflow written inline in a pipeline stage | `<pipeline id>/<stage>` |
//!
//! The `kind:` prefix keeps execution objects apart from apps and
//! dependencies (`:` is not allowed in names). Containers are named
//! `dvm-<eco>-<scope path>-<name>` (`dvm-cp-auth-auth-api-dev`), volumes of
//! an instance `dvm-<eco>-<scope path>-<instance>-<volume>`, ecosystem
//! volumes `dvm-<eco>-<volume>`; see [`names::docker_name`] for the 63
//! character limit. Any two objects that still end up with the same id,
//! container, volume or alias are an error (`E0612`).
//!
//! # Worked example
//!
//! ```text
//! Ecosystem cp { dependencies.db = postgres { };         # cp/db, alias "db"
//!   domains.auth = Domain {
//!     apps.api = App { path = /src/api; uses = [ "db" ];
//!       workspace = Workspace { };                       # cp/auth/api/dev
//!       service = Service { build = /src/api; }; }; }; } # cp/auth/api/live
//! ```
//!
//! gives nodes `cp`, `cp/auth`, `cp/auth/api`, `cp/auth/api/dev`,
//! `cp/auth/api/live`, `cp/db`; edges `uses` from the app, its workspace and
//! its service to `cp/db` (one shared node); `DB_URL` (from `db`'s exports)
//! in the workspace's and the service's env; start order
//! `[[cp/db], [cp/auth/api/dev, cp/auth/api/live]]`.

pub mod dag;
pub mod model;
pub mod names;
pub mod render;
mod resolve;
#[cfg(test)]
mod tests;

pub use model::*;
pub use render::{nodes_of_kind, table, to_dot, to_mermaid};

use crate::data::Data;
use crate::diag::Diagnostic;

/// Calls a function found in the data (a dependency's `exports` when it is
/// a function of `{ name, alias, id, ... }`).
/// (The signature is the evaluator's; its error is a full diagnostic.)
#[allow(clippy::result_large_err)]
pub trait Calls {
    fn call(&mut self, func: u32, arg: Data) -> Result<Data, Diagnostic>;
}

/// A [`Calls`] for data that holds no functions: every call fails.
pub struct NoCalls;

impl Calls for NoCalls {
    #[allow(clippy::result_large_err)]
    fn call(&mut self, _func: u32, _arg: Data) -> Result<Data, Diagnostic> {
        Err(Diagnostic::error(
            crate::codes::graph::BAD_EXPORTS,
            "this value's functions cannot be called here",
        ))
    }
}

/// The outcome of [`resolve`]: the graph (as complete as the errors
/// allow) and every diagnostic, sorted.
#[derive(Debug)]
pub struct Resolved {
    /// `None` only when resolution could not start: the root is not an
    /// ecosystem or a record of them.
    pub graph: Option<Graph>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether an entry file's value is a platform: an Ecosystem, or a record
/// holding at least one. Anything else is a library, checked as code.
pub fn is_platform(root: &Data) -> bool {
    let is_ecosystem = |d: &Data| {
        d.as_object()
            .is_some_and(|o| o.kind.as_str() == "Ecosystem" && !o.template)
    };
    match root {
        Data::Attrs(entries) => entries.iter().any(|(_, v)| is_ecosystem(v)),
        other => is_ecosystem(other),
    }
}

/// Resolves the entry's value. `default_name` is the ecosystem name to use
/// when the root is a single Ecosystem without `name` (the caller passes
/// the directory name for `main.dvm`, else the file stem).
pub fn resolve(root: &Data, default_name: &str, calls: &mut dyn Calls) -> Resolved {
    resolve::resolve(root, default_name, calls)
}
