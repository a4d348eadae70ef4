//! Reconcile: `(desired, observed) → Plan`, pure. No engine call, no clock;
//! the same inputs always give the same plan.
//!
//! Rules, per container of the desired state (by its graph id):
//! - none observed → `create` (cause `not found`);
//! - observed with another config hash → `recreate`, naming every field
//!   whose hash differs (`env`, `image`, …);
//! - observed, same hash, not running → `start`;
//! - else `unchanged`.
//!
//! Every managed container of the file's ecosystems that no desired
//! container claims (an app removed from the file, or a second container
//! with the same `dvm.id` left by a crash) is `remove`d; its volumes are kept
//! and the plan says so. Containers of other ecosystems and unmanaged ones
//! are never in the observed set, so never removed. A desired name taken by
//! an unmanaged container is a conflict, reported instead of a plan.
//!
//! Order: networks, volumes, removals (freeing names and ports), then
//! container ops by start layer and id.

use crate::desired::{DesiredState, sha256_hex};
use crate::errors::Failure;
use crate::observe::ObservedState;
use crate::plan::{Op, OpKind, PLAN_VERSION, Plan};
use dvm_compiler::codes::realise as codes;
use std::collections::BTreeSet;

/// A digest of the desired state: what a saved plan was made for.
pub fn desired_fingerprint(desired: &DesiredState) -> String {
    let mut text = String::new();
    for e in &desired.ecosystems {
        text.push_str(&format!("e {} {} {:?}\n", e.name, e.network, e.volumes));
    }
    for c in &desired.containers {
        text.push_str(&format!(
            "c {} {} {} {}\n",
            c.id, c.name, c.layer, c.config_hash
        ));
    }
    sha256_hex(&text)
}

pub fn reconcile(
    file: &str,
    desired: &DesiredState,
    observed: &ObservedState,
) -> Result<Plan, Vec<Failure>> {
    let mut conflicts = Vec::new();
    let mut ops = Vec::new();
    let mut notes = Vec::new();
    for e in &desired.ecosystems {
        if !observed.networks.contains(&e.network) {
            ops.push(infra(OpKind::CreateNetwork, &e.network, &e.name));
        }
    }
    for e in &desired.ecosystems {
        for v in &e.volumes {
            if !observed.volumes.contains(v) {
                ops.push(infra(OpKind::CreateVolume, v, &e.name));
            }
        }
    }
    // Which observed container each desired one keeps: the first by name
    // order with its id (a running one first).
    let mut claimed: BTreeSet<&str> = BTreeSet::new();
    let mut container_ops = Vec::new();
    for c in &desired.containers {
        let mut candidates: Vec<_> = observed
            .containers
            .iter()
            .filter(|o| o.dvm_id == c.id && o.name == c.name)
            .collect();
        candidates.sort_by_key(|o| (o.state != "running", o.id.clone()));
        let base = Op {
            kind: OpKind::Create,
            target: c.id.clone(),
            name: c.name.clone(),
            ecosystem: c.ecosystem.clone(),
            container_id: None,
            cause: "not found".into(),
            changed: Vec::new(),
            layer: Some(c.layer),
        };
        let op = match candidates.first() {
            None => {
                if let Some(other) = observed.others.iter().find(|o| o.name == c.name) {
                    let what = if other.managed {
                        "a container of another ecosystem"
                    } else {
                        "a container dvm does not manage"
                    };
                    conflicts.push(
                        Failure::new(
                            codes::NAME_CLASH,
                            format!(
                                "the name {} is taken by {what} ({})",
                                c.name,
                                short(&other.id)
                            ),
                        )
                        .at(c.source.as_ref(), "this object needs that name")
                        .help(format!("remove or rename it: docker rm -f {}", c.name)),
                    );
                    continue;
                }
                base
            }
            Some(o) => {
                claimed.insert(o.id.as_str());
                let with_id = Op {
                    container_id: Some(o.id.clone()),
                    ..base
                };
                if o.config_hash != c.config_hash {
                    let mut changed: Vec<String> = c
                        .field_hashes
                        .iter()
                        .filter(|(k, v)| o.fields.get(*k) != Some(*v))
                        .map(|(k, _)| k.clone())
                        .collect();
                    if changed.is_empty() {
                        changed.push("config-hash".into());
                    }
                    Op {
                        kind: OpKind::Recreate,
                        cause: format!("{} changed", changed.join(", ")),
                        changed,
                        ..with_id
                    }
                } else if o.state != "running" {
                    Op {
                        kind: OpKind::Start,
                        cause: format!("{}, not running", o.state),
                        ..with_id
                    }
                } else {
                    Op {
                        kind: OpKind::Unchanged,
                        cause: "up to date".into(),
                        ..with_id
                    }
                }
            }
        };
        container_ops.push(op);
    }
    let mut removals = Vec::new();
    for o in &observed.containers {
        if claimed.contains(o.id.as_str()) {
            continue;
        }
        let still_wanted = desired.containers.iter().any(|c| c.id == o.dvm_id);
        let cause = if still_wanted {
            "a duplicate (a previous run was interrupted)".to_string()
        } else {
            "no longer in the graph".to_string()
        };
        removals.push(Op {
            kind: OpKind::Remove,
            target: if o.dvm_id.is_empty() {
                o.name.clone()
            } else {
                o.dvm_id.clone()
            },
            name: o.name.clone(),
            ecosystem: o.ecosystem.clone(),
            container_id: Some(o.id.clone()),
            cause,
            changed: Vec::new(),
            layer: None,
        });
    }
    removals.sort_by(|a, b| a.target.cmp(&b.target).then(a.name.cmp(&b.name)));
    for r in &removals {
        let kept = observed
            .containers
            .iter()
            .filter(|o| Some(&o.id) == r.container_id.as_ref())
            .flat_map(|o| o.volumes.iter());
        for v in kept {
            notes.push(format!("volume {v} of {} is kept", r.target));
        }
    }
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    container_ops.sort_by(|a, b| a.layer.cmp(&b.layer).then(a.target.cmp(&b.target)));
    ops.extend(removals);
    ops.extend(container_ops);
    Ok(Plan {
        version: PLAN_VERSION,
        file: file.to_string(),
        inputs: Vec::new(),
        ecosystems: desired.ecosystem_names(),
        graph_fingerprint: desired_fingerprint(desired),
        observed_fingerprint: observed.fingerprint(),
        ops,
        notes,
    })
}

fn infra(kind: OpKind, name: &str, eco: &str) -> Op {
    Op {
        kind,
        target: name.to_string(),
        name: name.to_string(),
        ecosystem: eco.to_string(),
        container_id: None,
        cause: "not found".into(),
        changed: Vec::new(),
        layer: None,
    }
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}
