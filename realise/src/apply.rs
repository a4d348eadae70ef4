//! The executor: carries out a [`Plan`] on an [`Engine`], deciding nothing
//! about *what* to do (that is reconcile's), only how: in order, bounded,
//! health-gated, journaled.
//!
//! 1. networks, then volumes;
//! 2. removals (freeing names and ports);
//! 3. images: a local one is used, a missing one pulled (progress shown), a
//!    `build` context packed and built;
//! 4. containers, each created and started as soon as everything it uses
//!    is *ready* (healthy when it has a health check, running
//!    otherwise): no barrier between the graph's start layers, so a slow
//!    branch does not hold back another (as Compose's `depends_on`); at most `DEFAULT_CONCURRENCY` engine
//!    create/start calls at a time; `start` calls of containers that
//!    publish host ports one at a time (port allocation races otherwise).
//!    A started container is itself waited for, so a failure is reported
//!    with the container that failed, its last health output or log lines,
//!    and the `.dvm` span behind it. Waits have deadlines that follow from
//!    the health check and say what they waited for. What uses a failed
//!    container is not started; independent branches go on, and the apply
//!    reports every failure at the end.
//!
//! Every engine step is journaled as it starts and ends.

use crate::context;
use crate::desired::{DesiredContainer, DesiredState, ImageSource, label, with_image_id};
use crate::engine::{ContainerDetails, Engine, EngineError};
use crate::errors::Failure;
use crate::observe::ObservedState;
use crate::plan::{Op, OpKind, Plan};
use crate::progress::Progress;
use crate::state::journal::Journal;
use dvm_compiler::codes::realise as codes;
use futures_util::StreamExt;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// Default bound on concurrent engine create/start calls.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// How often a container's health is looked at once its first check is due.
const HEALTH_POLL: Duration = Duration::from_millis(100);

/// How long a container without a health check may take to be running.
const RUNNING_DEADLINE_MS: i64 = 60_000;

pub struct Executor<'a, E: Engine> {
    pub engine: &'a E,
    pub desired: &'a DesiredState,
    pub observed: &'a ObservedState,
    pub journal: &'a Journal,
    pub progress: &'a dyn Progress,
    /// Container id → readiness once known: `true` when it is ready,
    /// `false` when its op failed or was skipped (what uses it waits here).
    ready: RefCell<BTreeMap<String, bool>>,
    /// Containers this apply creates, recreates or starts.
    pending: RefCell<BTreeSet<String>>,
    /// Woken whenever an op settles.
    changed: tokio::sync::Notify,
    /// Bounds concurrent engine create/start work (not the waits).
    slots: tokio::sync::Semaphore,
    /// Image reference → id, as pulled or built during this apply.
    images: RefCell<BTreeMap<String, String>>,
    start_lock: tokio::sync::Mutex<()>,
}

/// What an apply did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub created: usize,
    pub recreated: usize,
    pub started: usize,
    pub removed: usize,
}

impl<'a, E: Engine> Executor<'a, E> {
    pub fn new(
        engine: &'a E,
        desired: &'a DesiredState,
        observed: &'a ObservedState,
        journal: &'a Journal,
        progress: &'a dyn Progress,
    ) -> Executor<'a, E> {
        Executor {
            engine,
            desired,
            observed,
            journal,
            progress,
            ready: RefCell::new(BTreeMap::new()),
            pending: RefCell::new(BTreeSet::new()),
            changed: tokio::sync::Notify::new(),
            slots: tokio::sync::Semaphore::new(DEFAULT_CONCURRENCY),
            images: RefCell::new(observed.images.clone()),
            start_lock: tokio::sync::Mutex::new(()),
        }
    }

    pub async fn apply(&self, plan: &Plan) -> Result<Outcome, Vec<Failure>> {
        let mut outcome = Outcome::default();
        // 1. Networks and volumes.
        for op in plan
            .ops
            .iter()
            .filter(|o| matches!(o.kind, OpKind::CreateNetwork | OpKind::CreateVolume))
        {
            let labels = BTreeMap::from([
                (label::MANAGED.to_string(), "true".to_string()),
                (label::ECOSYSTEM.to_string(), op.ecosystem.clone()),
            ]);
            self.progress.update(&op.name, "creating");
            let res = if op.kind == OpKind::CreateNetwork {
                self.journal
                    .record(
                        "create-network",
                        &op.target,
                        &op.name,
                        self.engine.create_network(&op.name, &labels),
                    )
                    .await
            } else {
                self.journal
                    .record(
                        "create-volume",
                        &op.target,
                        &op.name,
                        self.engine.create_volume(&op.name, &labels),
                    )
                    .await
            };
            match res {
                // Created meanwhile (e.g. by a run that was killed after the
                // call): fine.
                Ok(()) | Err(EngineError::Refused { status: 409, .. }) => {
                    self.progress.done(&op.name, "created");
                }
                Err(e) => {
                    self.progress.failed(&op.name, &e.to_string());
                    let source = self
                        .desired
                        .ecosystems
                        .iter()
                        .find(|x| x.name == op.ecosystem)
                        .and_then(|x| x.source.as_ref());
                    return Err(vec![engine_failure(&e, &op.name, source)]);
                }
            }
        }
        // 2. Removals.
        let removals: Vec<&Op> = plan
            .ops
            .iter()
            .filter(|o| o.kind == OpKind::Remove)
            .collect();
        let results: Vec<Result<(), Failure>> = futures_util::stream::iter(removals)
            .map(|op| self.remove(op))
            .buffer_unordered(DEFAULT_CONCURRENCY)
            .collect()
            .await;
        let mut failures: Vec<Failure> = Vec::new();
        for r in results {
            match r {
                Ok(()) => outcome.removed += 1,
                Err(f) => failures.push(f),
            }
        }
        if !failures.is_empty() {
            return Err(failures);
        }
        // 3. Images.
        self.prepare_images(plan).await?;
        // 4. Containers: each starts as soon as what it uses is ready (no
        //    barrier between layers), at most `DEFAULT_CONCURRENCY` engine
        //    create/start calls at a time. Ops come in start order.
        let ops: Vec<&Op> = plan
            .ops
            .iter()
            .filter(|o| matches!(o.kind, OpKind::Create | OpKind::Recreate | OpKind::Start))
            .collect();
        {
            let mut pending = self.pending.borrow_mut();
            pending.extend(ops.iter().map(|o| o.target.clone()));
        }
        let results: Vec<(OpKind, Result<bool, Failure>)> =
            futures_util::future::join_all(ops.iter().map(|op| async move {
                let res = self.container(op).await;
                let ok = matches!(res, Ok(true));
                self.ready.borrow_mut().insert(op.target.clone(), ok);
                self.changed.notify_waiters();
                (op.kind, res)
            }))
            .await;
        let mut skipped = 0;
        for (kind, r) in results {
            match r {
                Ok(true) => match kind {
                    OpKind::Create => outcome.created += 1,
                    OpKind::Recreate => outcome.recreated += 1,
                    OpKind::Start => outcome.started += 1,
                    _ => {}
                },
                Ok(false) => skipped += 1,
                Err(f) => failures.push(f),
            }
        }
        if !failures.is_empty() {
            if skipped > 0 {
                self.progress.note(&format!(
                    "{skipped} object(s) not started: something they use failed"
                ));
            }
            return Err(failures);
        }
        Ok(outcome)
    }

    async fn remove(&self, op: &Op) -> Result<(), Failure> {
        let id = op.container_id.clone().unwrap_or_else(|| op.name.clone());
        self.progress.update(&op.target, "removing");
        match self
            .journal
            .record(
                "remove",
                &op.target,
                &op.name,
                self.engine.remove_container(&id),
            )
            .await
        {
            Ok(()) => {
                self.progress.done(&op.target, "removed");
                Ok(())
            }
            Err(e) => {
                self.progress.failed(&op.target, &e.to_string());
                Err(engine_failure(&e, &op.name, None))
            }
        }
    }

    async fn prepare_images(&self, plan: &Plan) -> Result<(), Vec<Failure>> {
        let mut done: Vec<String> = Vec::new();
        for op in plan
            .ops
            .iter()
            .filter(|o| matches!(o.kind, OpKind::Create | OpKind::Recreate))
        {
            let Some(c) = self.desired.container(&op.target) else {
                continue;
            };
            let reference = c.image.reference().to_string();
            if done.contains(&reference) {
                continue;
            }
            done.push(reference.clone());
            match &c.image {
                ImageSource::Pull(r) => {
                    if self.images.borrow().contains_key(r) {
                        continue;
                    }
                    self.progress.update(r, "pulling");
                    let sink = |line: &str| self.progress.update(r, line);
                    let res = self
                        .journal
                        .record("pull", &c.id, r, self.engine.pull_image(r, &sink))
                        .await;
                    let id = match res {
                        Ok(()) => self.engine.image_id(r).await.ok().flatten(),
                        Err(e) => {
                            self.progress.failed(r, "not pullable");
                            return Err(vec![Failure::new(
                                codes::IMAGE_UNAVAILABLE,
                                format!("image {r} is not available locally and cannot be pulled: {e}"),
                            )
                            .at(c.source.as_ref(), "this object runs it")
                            .help("check the image name, or load it locally (docker build / docker load)")]);
                        }
                    };
                    match id {
                        Some(id) => {
                            self.images.borrow_mut().insert(r.clone(), id);
                            self.progress.done(r, "pulled");
                        }
                        None => {
                            return Err(vec![
                                Failure::new(
                                    codes::IMAGE_UNAVAILABLE,
                                    format!("image {r} was pulled but is not in the engine"),
                                )
                                .at(c.source.as_ref(), "this object runs it"),
                            ]);
                        }
                    }
                }
                ImageSource::Build { context: dir, tag } => {
                    self.progress.update(tag, "building");
                    let ctx = context::pack(dir)
                        .map_err(|f| vec![f.at(c.source.as_ref(), "built from here")])?;
                    let sink = |line: &str| self.progress.update(tag, line);
                    if let Err(e) = self
                        .journal
                        .record(
                            "build",
                            &c.id,
                            tag,
                            self.engine.build_image(ctx.tar, tag, &sink),
                        )
                        .await
                    {
                        self.progress.failed(tag, "build failed");
                        return Err(vec![
                            Failure::new(
                                codes::BUILD_FAILED,
                                format!("building {tag} from {dir} failed: {e}"),
                            )
                            .at(c.source.as_ref(), "built from here"),
                        ]);
                    }
                    self.progress.done(tag, "built");
                }
            }
        }
        Ok(())
    }

    /// Creates (or recreates, or starts) one container once what it uses
    /// is ready, then waits for it to be ready. `Ok(false)`: not created
    /// because something it uses failed (that failure is reported).
    async fn container(&self, op: &Op) -> Result<bool, Failure> {
        let Some(c) = self.desired.container(&op.target) else {
            return Ok(true);
        };
        for dep in &c.after {
            self.progress.update(&c.id, &format!("waiting for {dep}"));
            if !self.wait_for(dep).await? {
                self.progress
                    .failed(&c.id, &format!("not started: {dep} is not ready"));
                return Ok(false);
            }
        }
        let permit = self.slots.acquire().await;
        let fail = |e: EngineError, p: &dyn Progress| {
            p.failed(&c.id, &e.to_string());
            engine_failure(&e, &c.name, c.source.as_ref())
        };
        let id = match op.kind {
            OpKind::Start => op.container_id.clone().unwrap_or_else(|| c.name.clone()),
            _ => {
                if let (OpKind::Recreate, Some(old)) = (op.kind, &op.container_id) {
                    self.progress.update(&c.id, "removing the old container");
                    self.journal
                        .record("remove", &c.id, &c.name, self.engine.remove_container(old))
                        .await
                        .map_err(|e| fail(e, self.progress))?;
                }
                let mut spec = c.spec.clone();
                if let ImageSource::Pull(r) = &c.image
                    && let Some(image_id) = self.images.borrow().get(r)
                {
                    spec.labels = with_image_id(c, image_id);
                }
                self.progress.update(&c.id, "creating");
                let created = self
                    .journal
                    .record(
                        "create",
                        &c.id,
                        &c.name,
                        self.engine.create_container(&spec),
                    )
                    .await;
                match created {
                    Err(EngineError::Refused { status: 409, .. })
                        if self.left_in_flight(c).await =>
                    {
                        // A create an interrupted run had in flight landed
                        // after this plan observed the engine: that
                        // container is ours; replace it.
                        self.journal
                            .record(
                                "remove",
                                &c.id,
                                &c.name,
                                self.engine.remove_container(&c.name),
                            )
                            .await
                            .map_err(|e| fail(e, self.progress))?;
                        self.journal
                            .record(
                                "create",
                                &c.id,
                                &c.name,
                                self.engine.create_container(&spec),
                            )
                            .await
                            .map_err(|e| fail(e, self.progress))?
                    }
                    other => other.map_err(|e| fail(e, self.progress))?,
                }
            }
        };
        self.progress.update(&c.id, "starting");
        {
            // Only starts that publish host ports race for them.
            let publishes = c.spec.ports.iter().any(|p| p.host.is_some());
            let _guard = if publishes {
                Some(self.start_lock.lock().await)
            } else {
                None
            };
            if let Err(e) = self
                .journal
                .record("start", &c.id, &c.name, self.engine.start_container(&id))
                .await
            {
                self.progress.failed(&c.id, "cannot start");
                return Err(self.start_failure(c, &e));
            }
        }
        drop(permit);
        self.wait_ready(&c.id).await.map(|()| true)
    }

    /// Whether the container holding `c`'s name is one an interrupted
    /// apply created for this very object: managed, of the same ecosystem
    /// and graph id. This apply holds the ecosystem's lock, so no live run
    /// made it. Anything else holding the name is a clash to report, never
    /// removed.
    async fn left_in_flight(&self, c: &DesiredContainer) -> bool {
        let Ok(d) = self.engine.inspect_container(&c.name).await else {
            return false;
        };
        let ours = |key: &str, want: &str| d.labels.get(key).is_some_and(|v| v == want);
        ours(label::MANAGED, "true")
            && ours(label::ECOSYSTEM, &c.ecosystem)
            && ours(label::ID, &c.id)
    }

    /// Waits for a container this apply is about to start or has started:
    /// `true` once it is ready, `false` when its op failed or was skipped.
    /// A container no op of this plan touches is waited for on the engine.
    async fn wait_for(&self, id: &str) -> Result<bool, Failure> {
        if !self.pending.borrow().contains(id) {
            return self.wait_ready(id).await.map(|()| true);
        }
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            // Registered before looking, so a settle in between is not missed.
            changed.as_mut().enable();
            if let Some(ok) = self.ready.borrow().get(id).copied() {
                return Ok(ok);
            }
            changed.await;
        }
    }

    /// Waits until a container is ready (healthy with a check, running
    /// without), failing fast when it exits or turns unhealthy.
    async fn wait_ready(&self, id: &str) -> Result<(), Failure> {
        if self.ready.borrow().get(id).copied() == Some(true) {
            return Ok(());
        }
        let Some(c) = self.desired.container(id) else {
            return Ok(());
        };
        let deadline_ms = c
            .spec
            .health
            .as_ref()
            .map(|h| h.deadline_ms())
            .unwrap_or(RUNNING_DEADLINE_MS);
        let what = if c.spec.health.is_some() {
            "healthy"
        } else {
            "running"
        };
        let started = Instant::now();
        let mut pause = Duration::from_millis(50);
        loop {
            let d = match self.engine.inspect_container(&c.name).await {
                Ok(d) => d,
                Err(e) => return Err(engine_failure(&e, &c.name, c.source.as_ref())),
            };
            match (d.state.as_str(), d.health.as_deref()) {
                ("running", None) | ("running", Some("healthy")) => {
                    self.ready.borrow_mut().insert(id.to_string(), true);
                    self.progress.done(&c.id, what);
                    return Ok(());
                }
                ("running", Some("unhealthy")) => {
                    self.progress.failed(&c.id, "unhealthy");
                    let logs = self.engine.logs(&c.name, 10).await.unwrap_or_default();
                    let f = Failure::new(
                        codes::UNHEALTHY,
                        format!(
                            "{} ({}) is unhealthy: its health check failed",
                            c.id, c.name
                        ),
                    )
                    .at(c.source.as_ref(), "the health check of this object");
                    return Err(with_logs(with_health_output(f, &d), &logs));
                }
                ("exited", _) | ("dead", _) => {
                    self.progress.failed(&c.id, "exited");
                    let logs = self.engine.logs(&c.name, 10).await.unwrap_or_default();
                    let f = Failure::new(
                        codes::EXITED,
                        format!(
                            "{} ({}) exited with status {} while dvm waited for it to be {what}",
                            c.id,
                            c.name,
                            d.exit_code.unwrap_or(-1)
                        ),
                    )
                    .at(c.source.as_ref(), "this object's container");
                    return Err(with_logs(f, &logs));
                }
                _ => {}
            }
            if started.elapsed().as_millis() as i64 > deadline_ms {
                self.progress.failed(&c.id, "timed out");
                let f = Failure::new(
                    codes::TIMEOUT,
                    format!(
                        "timed out after {}s waiting for {} ({}) to be {what} (it is {}{})",
                        deadline_ms / 1000,
                        c.id,
                        c.name,
                        d.state,
                        d.health
                            .as_ref()
                            .map(|h| format!(", {h}"))
                            .unwrap_or_default()
                    ),
                )
                .at(c.source.as_ref(), "this object's container");
                return Err(with_health_output(f, &d));
            }
            // The engine runs a first health check one interval after the
            // start, then one per interval: no use asking before the first;
            // after it, look every 100 ms so that a dependent starts soon
            // after its dependency turns healthy. Without a check, back off.
            let next = match c.spec.health.as_ref() {
                Some(h) => {
                    let first = Duration::from_millis(h.interval_ms.max(0) as u64);
                    first
                        .checked_sub(started.elapsed())
                        .filter(|d| *d > HEALTH_POLL)
                        .unwrap_or(HEALTH_POLL)
                }
                None => {
                    let p = pause;
                    pause = (pause * 2).min(Duration::from_millis(250));
                    p
                }
            };
            tokio::time::sleep(next).await;
        }
    }

    /// A start error, explained: a host port in use names the port and
    /// who holds it.
    fn start_failure(&self, c: &DesiredContainer, e: &EngineError) -> Failure {
        let text = e.to_string();
        if text.contains("port is already allocated") || text.contains("address already in use") {
            let port = c
                .spec
                .ports
                .iter()
                .filter_map(|p| p.host)
                .find(|h| text.contains(&format!(":{h} ")) || text.contains(&format!(":{h}:")))
                .or_else(|| c.spec.ports.iter().find_map(|p| p.host));
            let holder = port.and_then(|p| {
                let p = u16::try_from(p).ok()?;
                self.observed
                    .others
                    .iter()
                    .find(|o| o.host_ports.contains(&p))
                    .map(|o| o.name.clone())
                    .or_else(|| {
                        self.observed
                            .containers
                            .iter()
                            .find(|o| o.host_ports.contains(&p) && o.name != c.name)
                            .map(|o| o.name.clone())
                    })
            });
            let who = match holder {
                Some(h) => format!("by container {h}"),
                None => "by another process on the host".to_string(),
            };
            let port_text = port.map(|p| p.to_string()).unwrap_or_else(|| "?".into());
            return Failure::new(
                codes::PORT_IN_USE,
                format!("host port {port_text} of {} is already in use {who}", c.id),
            )
            .at(
                c.source.as_ref(),
                format!("this object publishes port {port_text}").as_str(),
            )
            .note(format!("engine: {text}"))
            .help("stop what holds the port, or choose another `host` port");
        }
        engine_failure(e, &c.name, c.source.as_ref())
    }
}

/// Adds the engine's last health check output, when there is one.
fn with_health_output(f: Failure, d: &ContainerDetails) -> Failure {
    match d
        .health_output
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(out) => f.note(format!("last health check output: {out}")),
        None => f,
    }
}

fn with_logs(mut f: Failure, logs: &str) -> Failure {
    let lines: Vec<&str> = logs.lines().filter(|l| !l.trim().is_empty()).collect();
    if !lines.is_empty() {
        let start = lines.len().saturating_sub(10);
        f = f.note(format!("last log lines:\n{}", lines[start..].join("\n")));
    }
    f
}

/// An engine error on an object, pointed at its source.
pub fn engine_failure(
    e: &EngineError,
    name: &str,
    source: Option<&dvm_compiler::graph::SourceRef>,
) -> Failure {
    match e {
        EngineError::Unreachable { .. } => Failure::new(codes::ENGINE_UNREACHABLE, e.to_string()),
        _ => Failure::new(codes::ENGINE_ERROR, format!("{name}: {e}"))
            .at(source, "this object asked for it"),
    }
}
