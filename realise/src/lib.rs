//! dvm's realiser: makes a container engine match the resolved graph.
//!
//! The pipeline, per command (realise.md):
//!
//! 1. `desired` — the graph → [`desired::DesiredState`]: Docker names,
//!    labels, specs and each container's `dvm.config-hash` (pure);
//! 2. `observe` — the engine, read once by labels →
//!    [`observe::ObservedState`];
//! 3. `reconcile` — `(desired, observed) →` [`plan::Plan`], pure: create,
//!    recreate (naming the changed fields), start, remove, unchanged;
//! 4. `apply` — the executor walks the plan: networks and volumes, removals,
//!    images, each container as soon as what it uses is ready (bounded
//!    concurrency, health-gated), every step journaled in `state`.
//!
//! `session` strings these together for the CLI; `compose` renders the same
//! graph as a docker-compose file. Effects sit behind one module each:
//! Docker in `engine` (a trait, so another target can be added), SQLite, locks
//! and secrets in `state`, the user's build files in `context`, the
//! terminal in `progress`. The compiler stays pure: nothing here is
//! reachable from it.

pub mod apply;
pub mod compose;
pub mod context;
pub mod desired;
pub mod engine;
pub mod errors;
pub mod observe;
pub mod plan;
pub mod progress;
pub mod reconcile;
pub mod session;
pub mod state;

pub use errors::Failure;
