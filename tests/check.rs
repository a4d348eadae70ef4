//! `dvm check` and the resolved graph, end to end (`tests/check/`):
//! every `fail/*.dvm` case must fail `dvm check` with diagnostics whose
//! rendering is a reviewed insta snapshot (one per case, at least 40
//! covering every class of type, kind and graph error); the examples must
//! check clean and their graphs, `dvm get` tables and `dvm why` answers are
//! snapshots too. Runs the real `dvm` binary.

mod common;

use common::dvm_in;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn fail_cases() -> Vec<String> {
    let dir = root().join("tests/check/fail");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".dvm"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn snapshots(dir: &str) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(root().join(dir));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

#[test]
fn check_fail() {
    let names = fail_cases();
    assert!(names.len() >= 40, "only {} check-fail cases", names.len());
    let dir = root().join("tests/check/fail");
    snapshots("tests/check/snapshots").bind(|| {
        for name in &names {
            let run = dvm_in(&dir, &["check", name]);
            assert_eq!(
                run.code,
                Some(1),
                "{name} should fail `dvm check`:\n{}",
                run.stderr
            );
            assert!(run.stdout.is_empty(), "{name} printed to stdout");
            insta::assert_snapshot!(
                name.trim_end_matches(".dvm").to_string(),
                portable(&run.stderr)
            );
        }
    });
}

/// Output with the checkout's absolute path replaced, so snapshots do not
/// depend on where the repository is.
fn portable(text: &str) -> String {
    text.replace(&root().display().to_string(), "<repo>")
}

fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

#[test]
fn customer_platform_checks_clean() {
    let run = dvm_in(&example("customer-platform"), &["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, "");
}

#[test]
fn customer_platform_graph() {
    let run = dvm_in(&example("customer-platform"), &["eval", "--graph"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let graph: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    let nodes = graph["nodes"].as_array().cloned().unwrap_or_default();
    let node = |id: &str| nodes.iter().find(|n| n["id"] == id).cloned();
    // platform-db is one node, used by both auth-api and user-api.
    let db_nodes: Vec<_> = nodes
        .iter()
        .filter(|n| n["name"] == "platform-db")
        .collect();
    assert_eq!(db_nodes.len(), 1);
    let edges = graph["edges"].as_array().cloned().unwrap_or_default();
    let users: Vec<&str> = edges
        .iter()
        .filter(|e| e["to"] == "customer-platform/platform-db" && e["kind"] == "uses")
        .filter_map(|e| e["from"].as_str())
        .collect();
    assert!(
        users.contains(&"customer-platform/auth/auth-api/live"),
        "{users:?}"
    );
    assert!(
        users.contains(&"customer-platform/users/user-api/live"),
        "{users:?}"
    );
    // test-db is its own node, under isolated-tests.
    assert!(node("customer-platform/auth/isolated-tests/test-db").is_some());
    // The wired URL reaches both consumers, with the secret as a placeholder.
    for id in [
        "customer-platform/auth/auth-api/live",
        "customer-platform/users/user-api/live",
    ] {
        let url = node(id).map(|n| n["env"]["PLATFORM_DB_URL"].clone());
        assert_eq!(
            url.and_then(|u| u.as_str().map(str::to_string)).as_deref(),
            Some("postgres://postgres:<secret:PLATFORM_DB_PASSWORD>@platform-db:5432/platform"),
            "{id}"
        );
    }
    snapshots("tests/check/snapshots").bind(|| {
        insta::assert_snapshot!("customer-platform-graph", portable(&run.stdout));
    });
}

#[test]
fn customer_platform_views() {
    let dir = example("customer-platform");
    let mut out = String::new();
    for args in [
        &["get", "dependencies"][..],
        &["get", "services"],
        &["get", "apps"],
        &["graph", "-f", "mermaid"],
        &["why", "domains.auth.apps.auth-api.workspace.nvim.plugins"],
        &["why", "domains.auth.apps.auth-api.service.replicas"],
        &[
            "why",
            "domains.auth.apps.isolated-tests.dependencies.test-db.env.POSTGRES_DB",
        ],
    ] {
        let run = dvm_in(&dir, args);
        assert_eq!(run.code, Some(0), "dvm {args:?}: {}", run.stderr);
        out.push_str(&format!("$ dvm {}\n{}\n", args.join(" "), run.stdout));
    }
    snapshots("tests/check/snapshots").bind(|| {
        // Table columns are as wide as the checkout's path: compare them with
        // runs of spaces collapsed.
        let collapsed: String = portable(&out)
            .lines()
            .map(|l| {
                l.split("   ")
                    .filter(|c| !c.is_empty())
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join("  ")
            })
            .collect::<Vec<_>>()
            .join("\n");
        insta::assert_snapshot!("customer-platform-views", collapsed);
    });
}
