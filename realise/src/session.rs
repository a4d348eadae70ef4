//! The commands' flows, engine-generic: plan (observe → desired →
//! reconcile), apply a plan, destroy, status. The CLI adds arguments,
//! prompts and printing; tests run these flows on the fake engine.

use crate::apply::{Executor, Outcome, engine_failure};
use crate::context;
use crate::desired::{DesiredInputs, DesiredState, desired};
use crate::engine::Engine;
use crate::errors::Failure;
use crate::observe::{ObservedState, observe};
use crate::plan::Plan;
use crate::progress::Progress;
use crate::reconcile::reconcile;
use crate::state::journal::Journal;
use dvm_compiler::graph::Graph;
use std::collections::BTreeMap;

/// A plan with what it was made from (apply needs both).
pub struct Planned {
    pub plan: Plan,
    pub desired: DesiredState,
    pub observed: ObservedState,
}

/// Where secret values come from, and the HMAC key for hashes.
pub struct SecretSource<'a> {
    pub resolve: &'a dyn Fn(&str) -> Option<String>,
    pub hmac_key: &'a [u8],
}

/// The ecosystems a graph declares.
pub fn ecosystems(graph: &Graph) -> Vec<String> {
    graph.ecosystems.iter().map(|e| e.name.clone()).collect()
}

/// Observes the engine and reconciles: the plan for `graph`.
pub async fn make_plan<E: Engine>(
    engine: &E,
    graph: &Graph,
    file: &str,
    secrets: &SecretSource<'_>,
) -> Result<Planned, Vec<Failure>> {
    let mut failures = Vec::new();
    let mut digests = BTreeMap::new();
    let mut refs = Vec::new();
    for n in graph.nodes.iter().filter(|n| n.kind.has_container()) {
        match (&n.image, &n.build) {
            (Some(i), _) => refs.push(i.clone()),
            (None, Some(dir)) => match context::pack(dir) {
                Ok(c) => {
                    digests.insert(dir.clone(), c.digest);
                }
                Err(f) => failures.push(f.at(n.source.as_ref(), "built from here")),
            },
            (None, None) => {}
        }
    }
    refs.sort();
    refs.dedup();
    let ecos = ecosystems(graph);
    let observed = observe(engine, &ecos, &refs)
        .await
        .map_err(|e| vec![engine_failure(&e, "observe", None)])?;
    let (desired, diags) = desired(
        graph,
        &DesiredInputs {
            image_ids: &observed.images,
            build_digests: &digests,
            secret: secrets.resolve,
            hmac_key: secrets.hmac_key,
        },
    );
    failures.extend(diags.into_iter().map(Failure::from));
    if !failures.is_empty() {
        return Err(failures);
    }
    let plan = reconcile(file, &desired, &observed)?;
    Ok(Planned {
        plan,
        desired,
        observed,
    })
}

/// Applies a plan made by [`make_plan`].
pub async fn apply_plan<E: Engine>(
    engine: &E,
    planned: &Planned,
    journal: &Journal,
    progress: &dyn Progress,
) -> Result<Outcome, Vec<Failure>> {
    let exec = Executor::new(
        engine,
        &planned.desired,
        &planned.observed,
        journal,
        progress,
    );
    let res = exec.apply(&planned.plan).await;
    drop(exec);
    journal.finish(if res.is_ok() { "ok" } else { "failed" });
    res
}

/// What destroy did.
#[derive(Debug, Default)]
pub struct Destroyed {
    pub containers: Vec<String>,
    pub networks: Vec<String>,
    pub volumes_removed: Vec<String>,
    pub volumes_kept: Vec<String>,
}

/// Removes every managed container and network of `ecosystems`, and their
/// volumes only when `volumes`.
pub async fn destroy<E: Engine>(
    engine: &E,
    ecosystems: &[String],
    volumes: bool,
    journal: &Journal,
    progress: &dyn Progress,
) -> Result<Destroyed, Vec<Failure>> {
    let observed = observe(engine, ecosystems, &[])
        .await
        .map_err(|e| vec![engine_failure(&e, "observe", None)])?;
    let mut out = Destroyed::default();
    let mut failures = Vec::new();
    for c in &observed.containers {
        progress.update(&c.name, "removing");
        let res = journal
            .record("remove", &c.dvm_id, &c.name, engine.remove_container(&c.id))
            .await;
        match res {
            Ok(()) => {
                progress.done(&c.name, "removed");
                out.containers.push(c.name.clone());
            }
            Err(e) => failures.push(engine_failure(&e, &c.name, None)),
        }
    }
    for n in &observed.networks {
        let res = journal
            .record("remove-network", n, n, engine.remove_network(n))
            .await;
        match res {
            Ok(()) => out.networks.push(n.clone()),
            Err(e) => failures.push(engine_failure(&e, n, None)),
        }
    }
    for v in &observed.volumes {
        if !volumes {
            out.volumes_kept.push(v.clone());
            continue;
        }
        let res = journal
            .record("remove-volume", v, v, engine.remove_volume(v))
            .await;
        match res {
            Ok(()) => out.volumes_removed.push(v.clone()),
            Err(e) => failures.push(engine_failure(&e, v, None)),
        }
    }
    journal.finish(if failures.is_empty() { "ok" } else { "failed" });
    if failures.is_empty() {
        Ok(out)
    } else {
        Err(failures)
    }
}

/// One line of `dvm status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusRow {
    pub id: String,
    pub kind: String,
    pub container: String,
    /// `running`, `healthy`, `unhealthy`, `starting`, `exited`, `created`,
    /// `stale` (its spec changed since), `missing`, `orphan`.
    pub status: String,
}

/// The status of every container object, and of orphans.
pub async fn status<E: Engine>(engine: &E, planned: &Planned) -> Vec<StatusRow> {
    let mut rows = Vec::new();
    for c in &planned.desired.containers {
        let found = planned
            .observed
            .containers
            .iter()
            .find(|o| o.dvm_id == c.id && o.name == c.name);
        let status = match found {
            None => "missing".to_string(),
            Some(o) if o.config_hash != c.config_hash => "stale".to_string(),
            Some(o) => match engine.inspect_container(&o.id).await {
                Ok(d) if d.state == "running" => d.health.unwrap_or_else(|| "running".into()),
                Ok(d) => d.state,
                Err(_) => "missing".to_string(),
            },
        };
        rows.push(StatusRow {
            id: c.id.clone(),
            kind: c.kind.as_str().to_string(),
            container: c.name.clone(),
            status,
        });
    }
    for o in &planned.observed.containers {
        if !planned.desired.containers.iter().any(|c| c.name == o.name) {
            rows.push(StatusRow {
                id: o.dvm_id.clone(),
                kind: String::new(),
                container: o.name.clone(),
                status: "orphan".into(),
            });
        }
    }
    rows
}
