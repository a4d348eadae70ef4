//! The plan: what apply will do, one op per engine object, each with its
//! cause, in a stable order; its text rendering (`dvm plan`) and its JSON
//! form (`dvm plan --out plan.json`, a documented format: no secret, only
//! names, ids, hashes and the two fingerprints).
//!
//! Rendering:
//!
//! ```text
//! + network   dvm-shop
//! + volume    dvm-shop-db-data
//! + create    shop/db                 dvm-shop-db
//! ~ recreate  shop/web/api/live       dvm-shop-web-api-live   (env changed)
//! - remove    shop/web/old/live       dvm-shop-web-old-live   (no longer in the graph)
//! = unchanged shop/cache              dvm-shop-cache
//! Plan: 1 to create, 1 to recreate, 1 to remove, 1 unchanged.
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

/// The version of the `plan.json` format.
pub const PLAN_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OpKind {
    CreateNetwork,
    CreateVolume,
    /// Remove a managed container that is no longer in the graph (or a
    /// duplicate left by a crash).
    Remove,
    Create,
    /// Remove and create again: the spec changed.
    Recreate,
    /// The container is as desired but not running.
    Start,
    Unchanged,
}

impl OpKind {
    pub fn changes_something(self) -> bool {
        !matches!(self, OpKind::Unchanged)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Op {
    pub kind: OpKind,
    /// The graph id (containers) or the Docker name (networks, volumes).
    pub target: String,
    /// The Docker name.
    pub name: String,
    pub ecosystem: String,
    /// The existing container's id (remove, recreate, start, unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_id: Option<String>,
    /// Why: `not found`, `env changed`, `no longer in the graph`, …
    pub cause: String,
    /// Fields whose hash changed (recreate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<String>,
    /// The start-order layer of a container op.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub version: u32,
    /// The entry file the plan was made from (absolute).
    pub file: String,
    /// The command-line inputs it was evaluated with (`--arg N E`,
    /// `--argstr N S`, `-I P`, as flags), so `dvm apply` needs none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
    pub ecosystems: Vec<String>,
    /// Digest of the desired state (config hashes, names, networks,
    /// volumes).
    pub graph_fingerprint: String,
    /// Digest of the observed state.
    pub observed_fingerprint: String,
    /// In execution order: networks, volumes, removals, then containers by
    /// layer and id.
    pub ops: Vec<Op>,
    /// Things kept on purpose (volumes of removed containers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Plan {
    pub fn has_changes(&self) -> bool {
        self.ops.iter().any(|o| o.kind.changes_something())
    }

    /// Why this (saved) plan may no longer be applied, judged against a
    /// plan made now from the same file: `None` when it still holds.
    pub fn stale_against(&self, fresh: &Plan) -> Option<&'static str> {
        if self.graph_fingerprint != fresh.graph_fingerprint {
            Some("the graph changed")
        } else if self.observed_fingerprint != fresh.observed_fingerprint {
            Some("the engine's state changed")
        } else {
            None
        }
    }
    fn count(&self, kinds: &[OpKind]) -> usize {
        self.ops.iter().filter(|o| kinds.contains(&o.kind)).count()
    }
    /// `Plan: 1 to create, …` or `No changes.`
    pub fn summary(&self) -> String {
        if !self.has_changes() {
            return format!(
                "No changes. {} container(s) up to date.",
                self.count(&[OpKind::Unchanged])
            );
        }
        let mut parts = vec![format!("{} to create", self.count(&[OpKind::Create]))];
        parts.push(format!("{} to recreate", self.count(&[OpKind::Recreate])));
        let start = self.count(&[OpKind::Start]);
        if start > 0 {
            parts.push(format!("{start} to start"));
        }
        parts.push(format!("{} to remove", self.count(&[OpKind::Remove])));
        parts.push(format!("{} unchanged", self.count(&[OpKind::Unchanged])));
        let infra = self.count(&[OpKind::CreateNetwork, OpKind::CreateVolume]);
        let mut s = format!("Plan: {}", parts.join(", "));
        if infra > 0 {
            s.push_str(&format!(" ({infra} network(s)/volume(s) to create)"));
        }
        s.push('.');
        s
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .ops
            .iter()
            .map(|o| o.target.chars().count())
            .max()
            .unwrap_or(0);
        for op in &self.ops {
            let (sign, word) = match op.kind {
                OpKind::CreateNetwork => ("+", "network"),
                OpKind::CreateVolume => ("+", "volume"),
                OpKind::Create => ("+", "create"),
                OpKind::Recreate => ("~", "recreate"),
                OpKind::Start => ("~", "start"),
                OpKind::Remove => ("-", "remove"),
                OpKind::Unchanged => ("=", "unchanged"),
            };
            match op.kind {
                OpKind::CreateNetwork | OpKind::CreateVolume => {
                    writeln!(f, "{sign} {word:<9} {}", op.name)?;
                }
                _ => {
                    let cause = match op.kind {
                        OpKind::Unchanged | OpKind::Create => String::new(),
                        _ => format!("   ({})", op.cause),
                    };
                    writeln!(
                        f,
                        "{sign} {word:<9} {:<width$}  {}{cause}",
                        op.target, op.name
                    )?;
                }
            }
        }
        for n in &self.notes {
            writeln!(f, "  note: {n}")?;
        }
        writeln!(f, "{}", self.summary())
    }
}
