//! Reconcile and apply without Docker: desired states come from small
//! `.dvm` fixtures compiled in memory, observed states are built by hand or
//! left by a previous apply on the fake engine, and the rendered plans are
//! compared as text.

use dvm_compiler::db::RootDatabase;
use dvm_compiler::graph::Graph;
use dvm_compiler::source::MemoryLoader;
use dvm_realise::desired::{DesiredInputs, DesiredState, desired};
use dvm_realise::engine::Engine;
use dvm_realise::engine::fake::FakeEngine;
use dvm_realise::observe::{ObservedContainer, ObservedState, OtherContainer, observe};
use dvm_realise::plan::Plan;
use dvm_realise::progress::Silent;
use dvm_realise::reconcile::reconcile;
use dvm_realise::session::{self, Planned, SecretSource};
use dvm_realise::state::journal::Journal;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

const SHOP: &str = r#"
{ greeting ? "hello", withWorker ? true }:
Ecosystem {
  name = "shop";
  dependencies.db = Dependency {
    image = "busybox:1";
    command = [ "sleep" "1000" ];
    healthCheck = { command = [ "true" ]; interval = 1s; };
    volumes = [ { name = "data"; mountPath = "/data"; } ];
    exports = { alias, ... }: { host = alias; };
  };
  domains.web = Domain {
    apps = {
      api = App {
        path = ./.;
        uses = [ "db" ];
        service = Service {
          image = "busybox:1";
          command = [ "sleep" "1000" ];
          env = { GREETING = greeting; TOKEN = secret "TOKEN"; };
        };
      };
    } // (if withWorker then {
      worker = App {
        path = ./.;
        service = Service { image = "busybox:1"; command = [ "sleep" "1" ]; };
      };
    } else { });
  };
}
"#;

/// Compiles a fixture (with `--arg`-like overrides) to its graph.
fn graph(text: &str, args: &[(&str, &str)]) -> Graph {
    let text = text.to_string();
    let args: Vec<(String, String)> = args
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    // Evaluation wants a big stack.
    std::thread::Builder::new()
        .stack_size(dvm_compiler::EVAL_STACK_BYTES)
        .spawn(move || {
            let mut db = RootDatabase::new(Arc::new(MemoryLoader::default()));
            let mut argv = Vec::new();
            for (k, v) in &args {
                argv.push((k.clone(), dvm_compiler::db::ArgValue::Expr(v.clone())));
                let cwd = std::env::current_dir().expect("cwd");
                db.set_text(&cwd.join(format!("<arg {k}>")), v);
            }
            db.set_args(argv);
            let entry = db.set_text(Path::new("/t/main.dvm"), &text);
            let out = dvm_compiler::db::graph(&db, entry);
            let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.is_error()).collect();
            assert!(errors.is_empty(), "fixture errors: {errors:?}");
            out.graph.as_deref().cloned().expect("a graph")
        })
        .expect("thread")
        .join()
        .expect("join")
}

fn secret(name: &str) -> Option<String> {
    (name == "TOKEN").then(|| "t0ken".to_string())
}

fn desired_of(g: &Graph, images: &BTreeMap<String, String>) -> DesiredState {
    let (d, diags) = desired(
        g,
        &DesiredInputs {
            image_ids: images,
            build_digests: &BTreeMap::new(),
            secret: &secret,
            hmac_key: b"test-key",
        },
    );
    assert!(diags.is_empty(), "{diags:?}");
    d
}

fn images() -> BTreeMap<String, String> {
    BTreeMap::from([("busybox:1".to_string(), "sha256:aaa".to_string())])
}

/// The observed state an up-to-date engine would report for `d`.
fn observed_for(d: &DesiredState) -> ObservedState {
    ObservedState {
        containers: d
            .containers
            .iter()
            .enumerate()
            .map(|(i, c)| ObservedContainer {
                id: format!("id{i}"),
                name: c.name.clone(),
                ecosystem: c.ecosystem.clone(),
                dvm_id: c.id.clone(),
                config_hash: c.config_hash.clone(),
                fields: c.field_hashes.clone(),
                state: "running".into(),
                host_ports: vec![],
                volumes: c.volumes.clone(),
            })
            .collect(),
        others: vec![],
        networks: d.ecosystems.iter().map(|e| e.network.clone()).collect(),
        volumes: d
            .ecosystems
            .iter()
            .flat_map(|e| e.volumes.clone())
            .collect(),
        images: images(),
    }
}

fn plan(d: &DesiredState, o: &ObservedState) -> String {
    match reconcile("/t/main.dvm", d, o) {
        Ok(p) => p.to_string(),
        Err(fs) => fs
            .iter()
            .map(|f| format!("error[{}]: {}\n", f.diag.code, f.diag.message))
            .collect(),
    }
}

#[test]
fn from_empty_everything_is_created_in_layers() {
    let d = desired_of(&graph(SHOP, &[]), &images());
    assert_eq!(
        plan(&d, &ObservedState::default()),
        "\
+ network   dvm-shop
+ volume    dvm-shop-db-data
+ create    shop/db               dvm-shop-db
+ create    shop/web/worker/live  dvm-shop-web-worker-live
+ create    shop/web/api/live     dvm-shop-web-api-live
Plan: 3 to create, 0 to recreate, 0 to remove, 0 unchanged (2 network(s)/volume(s) to create).
"
    );
}

#[test]
fn up_to_date_is_no_changes() {
    let d = desired_of(&graph(SHOP, &[]), &images());
    let text = plan(&d, &observed_for(&d));
    assert!(
        text.ends_with("No changes. 3 container(s) up to date.\n"),
        "{text}"
    );
    assert!(!text.contains("+ ") && !text.contains("~ ") && !text.contains("- "));
}

#[test]
fn one_env_change_recreates_exactly_its_container_and_names_the_field() {
    let before = desired_of(&graph(SHOP, &[]), &images());
    let after = desired_of(&graph(SHOP, &[("greeting", "\"bye\"")]), &images());
    assert_eq!(
        plan(&after, &observed_for(&before)),
        "\
= unchanged shop/db               dvm-shop-db
= unchanged shop/web/worker/live  dvm-shop-web-worker-live
~ recreate  shop/web/api/live     dvm-shop-web-api-live   (env changed)
Plan: 0 to create, 1 to recreate, 0 to remove, 2 unchanged.
"
    );
}

#[test]
fn a_new_image_id_recreates_every_user_of_the_image() {
    let before = desired_of(&graph(SHOP, &[]), &images());
    let newer = BTreeMap::from([("busybox:1".to_string(), "sha256:bbb".to_string())]);
    let after = desired_of(&graph(SHOP, &[]), &newer);
    let text = plan(&after, &observed_for(&before));
    assert_eq!(text.matches("(image changed)").count(), 3, "{text}");
}

#[test]
fn rotating_a_secret_recreates_exactly_its_consumers_and_never_shows_it() {
    let g = graph(SHOP, &[]);
    let before = desired_of(&g, &images());
    let rotated = |n: &str| (n == "TOKEN").then(|| "n3w-t0ken".to_string());
    let (after, _) = desired(
        &g,
        &DesiredInputs {
            image_ids: &images(),
            build_digests: &BTreeMap::new(),
            secret: &rotated,
            hmac_key: b"test-key",
        },
    );
    let p = reconcile("/t/main.dvm", &after, &observed_for(&before)).expect("plan");
    let text = p.to_string();
    assert!(text.contains("~ recreate  shop/web/api/live"), "{text}");
    assert_eq!(text.matches("~ recreate").count(), 1, "{text}");
    let json = serde_json::to_string(&p).expect("json");
    for shown in [&text, &json] {
        assert!(!shown.contains("t0ken"), "secret leaked: {shown}");
    }
    // Labels carry hashes only.
    let api = after.container("shop/web/api/live").expect("api");
    assert!(api.spec.labels.values().all(|v| !v.contains("t0ken")));
}

#[test]
fn a_missing_secret_is_an_error_at_the_object() {
    let g = graph(SHOP, &[]);
    let none = |_: &str| None;
    let (_, diags) = desired(
        &g,
        &DesiredInputs {
            image_ids: &images(),
            build_digests: &BTreeMap::new(),
            secret: &none,
            hmac_key: b"k",
        },
    );
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "E0707");
    assert!(
        diags[0].message.contains("secret `TOKEN`"),
        "{}",
        diags[0].message
    );
    assert!(diags[0].primary.is_some());
}

#[test]
fn another_projects_containers_coming_and_going_do_not_make_a_plan_stale() {
    let d = desired_of(&graph(SHOP, &[]), &images());
    let before = observed_for(&d);
    let mut after = before.clone();
    after.others.push(OtherContainer {
        id: "x9".into(),
        name: "dvm-other-db".into(),
        managed: true,
        host_ports: vec![15432],
    });
    assert_eq!(before.fingerprint(), after.fingerprint());
    // One of ours stopping does.
    let mut stopped = before.clone();
    stopped.containers[0].state = "exited".into();
    assert_ne!(before.fingerprint(), stopped.fingerprint());
}

#[test]
fn a_removed_app_is_removed_and_its_volumes_kept_other_ecosystems_untouched() {
    let before = desired_of(&graph(SHOP, &[]), &images());
    let after = desired_of(&graph(SHOP, &[("withWorker", "false")]), &images());
    let mut o = observed_for(&before);
    o.containers[2].volumes = vec!["dvm-shop-worker-scratch".into()];
    // Another ecosystem's and an unmanaged container are never observed
    // as ours; they only appear among `others`.
    o.others.push(OtherContainer {
        id: "x1".into(),
        name: "dvm-other-web-worker-live".into(),
        managed: true,
        host_ports: vec![],
    });
    o.others.push(OtherContainer {
        id: "x2".into(),
        name: "postgres".into(),
        managed: false,
        host_ports: vec![5432],
    });
    assert_eq!(
        plan(&after, &o),
        "\
- remove    shop/web/worker/live  dvm-shop-web-worker-live   (no longer in the graph)
= unchanged shop/db               dvm-shop-db
= unchanged shop/web/api/live     dvm-shop-web-api-live
  note: volume dvm-shop-worker-scratch of shop/web/worker/live is kept
Plan: 0 to create, 0 to recreate, 1 to remove, 2 unchanged.
"
    );
}

#[test]
fn a_stopped_container_is_started_and_a_crash_duplicate_removed() {
    let d = desired_of(&graph(SHOP, &[]), &images());
    let mut o = observed_for(&d);
    o.containers[0].state = "exited".into();
    // A second container claiming shop/web/api/live under another name.
    let mut dup = o.containers[1].clone();
    dup.id = "dup".into();
    dup.name = "dvm-shop-web-api-live-old".into();
    o.containers.push(dup);
    let text = plan(&d, &o);
    assert!(text.contains("~ start     shop/db"), "{text}");
    assert!(text.contains("(exited, not running)"), "{text}");
    assert!(
        text.contains("- remove    shop/web/api/live     dvm-shop-web-api-live-old   (a duplicate (a previous run was interrupted))"),
        "{text}"
    );
}

#[test]
fn a_name_taken_by_an_unmanaged_container_is_a_conflict() {
    let d = desired_of(&graph(SHOP, &[]), &images());
    let o = ObservedState {
        others: vec![OtherContainer {
            id: "abcdef0123456789".into(),
            name: "dvm-shop-db".into(),
            managed: false,
            host_ports: vec![],
        }],
        ..ObservedState::default()
    };
    assert_eq!(
        plan(&d, &o),
        "error[E0706]: the name dvm-shop-db is taken by a container dvm does not manage (abcdef012345)\n"
    );
}

#[test]
fn plan_json_round_trips() {
    let d = desired_of(&graph(SHOP, &[]), &images());
    let p = reconcile("/t/main.dvm", &d, &ObservedState::default()).expect("plan");
    let json = serde_json::to_string_pretty(&p).expect("json");
    let back: Plan = serde_json::from_str(&json).expect("parse");
    assert_eq!(back, p);
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

fn fake_apply(engine: &FakeEngine, g: &Graph, home: &Path) -> Planned {
    let conn = dvm_realise::state::schema::open(home).expect("db");
    let journal = Journal::start(conn, "test", "/t/main.dvm").expect("journal");
    run(async {
        let planned = session::make_plan(
            engine,
            g,
            "/t/main.dvm",
            &SecretSource {
                resolve: &secret,
                hmac_key: b"k",
            },
        )
        .await
        .expect("plan");
        session::apply_plan(engine, &planned, &journal, &Silent)
            .await
            .expect("apply");
        planned
    })
}

#[test]
fn apply_on_the_fake_engine_creates_in_order_then_touches_nothing() {
    let home = tempfile::tempdir().expect("tmp");
    let engine = FakeEngine::with_images(&[("busybox:1", "sha256:aaa")]);
    let g = graph(SHOP, &[]);
    fake_apply(&engine, &g, home.path());
    assert_eq!(
        engine.calls(),
        [
            "network dvm-shop",
            "volume dvm-shop-db-data",
            "create dvm-shop-db",
            "start dvm-shop-db",
            "create dvm-shop-web-worker-live",
            "start dvm-shop-web-worker-live",
            "create dvm-shop-web-api-live",
            "start dvm-shop-web-api-live",
        ]
    );
    let before = engine.calls().len();
    let again = fake_apply(&engine, &g, home.path());
    assert!(!again.plan.has_changes());
    assert_eq!(
        engine.calls().len(),
        before,
        "a no-op apply made engine calls"
    );
    // One env change: exactly one remove + create + start.
    let g2 = graph(SHOP, &[("greeting", "\"bye\"")]);
    fake_apply(&engine, &g2, home.path());
    assert_eq!(
        engine.calls()[before..],
        [
            "remove dvm-shop-web-api-live",
            "create dvm-shop-web-api-live",
            "start dvm-shop-web-api-live",
        ]
    );
    let obs = run(observe(&engine, &["shop".to_string()], &[])).expect("observe");
    assert_eq!(obs.containers.len(), 3);
}

/// Plans on the fake engine, lets `meanwhile` change the engine (as a
/// killed run's in-flight calls landing late), then applies the plan.
fn plan_then_apply(
    engine: &FakeEngine,
    g: &Graph,
    home: &Path,
    meanwhile: impl FnOnce(&Planned),
) -> Result<(), String> {
    let conn = dvm_realise::state::schema::open(home).expect("db");
    let journal = Journal::start(conn, "test", "/t/main.dvm").expect("journal");
    let planned = run(session::make_plan(
        engine,
        g,
        "/t/main.dvm",
        &SecretSource {
            resolve: &secret,
            hmac_key: b"k",
        },
    ))
    .expect("plan");
    meanwhile(&planned);
    run(session::apply_plan(engine, &planned, &journal, &Silent))
        .map(|_| ())
        .map_err(|f| format!("{f:?}"))
}

#[test]
fn a_container_a_killed_run_created_late_is_replaced_and_a_strangers_is_not() {
    let home = tempfile::tempdir().expect("tmp");
    let engine = FakeEngine::with_images(&[("busybox:1", "sha256:aaa")]);
    let g = graph(SHOP, &[]);
    // Ours: same ecosystem and graph id, created after the plan observed.
    plan_then_apply(&engine, &g, home.path(), |planned| {
        let db = planned.desired.container("shop/db").expect("db");
        run(engine.create_container(&db.spec)).expect("in-flight create");
    })
    .expect("apply converges");
    let calls = engine.calls();
    let db_calls: Vec<&String> = calls
        .iter()
        .filter(|c| c.ends_with("dvm-shop-db"))
        .collect();
    assert_eq!(
        db_calls,
        [
            "create dvm-shop-db",
            "remove dvm-shop-db",
            "create dvm-shop-db",
            "start dvm-shop-db"
        ]
    );
    let obs = run(observe(&engine, &["shop".to_string()], &[])).expect("observe");
    assert_eq!(obs.containers.len(), 3);

    // A stranger's container taking the name is reported, never removed.
    let home = tempfile::tempdir().expect("tmp");
    let engine = FakeEngine::with_images(&[("busybox:1", "sha256:aaa")]);
    let err = plan_then_apply(&engine, &g, home.path(), |planned| {
        let mut spec = planned
            .desired
            .container("shop/db")
            .expect("db")
            .spec
            .clone();
        spec.labels.clear();
        run(engine.create_container(&spec)).expect("stranger");
    })
    .expect_err("a clash");
    assert!(err.contains("already in use"), "{err}");
    assert!(!engine.calls().iter().any(|c| c.starts_with("remove")));
}

#[test]
fn a_saved_plan_is_stale_when_the_graph_or_the_engine_changed() {
    let d = desired_of(&graph(SHOP, &[]), &images());
    let o = observed_for(&d);
    let saved = reconcile("/t/main.dvm", &d, &o).expect("plan");
    assert_eq!(saved.stale_against(&saved.clone()), None);
    let d2 = desired_of(&graph(SHOP, &[("greeting", "\"bye\"")]), &images());
    let other_graph = reconcile("/t/main.dvm", &d2, &o).expect("plan");
    assert_eq!(saved.stale_against(&other_graph), Some("the graph changed"));
    let mut o2 = o.clone();
    o2.containers[0].state = "exited".into();
    let other_engine = reconcile("/t/main.dvm", &d, &o2).expect("plan");
    assert_eq!(
        saved.stale_against(&other_engine),
        Some("the engine's state changed")
    );
}
