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

/// Every directory of `examples/`.
fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().join("main.dvm").is_file())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn every_example_checks_clean() {
    let names = examples();
    for required in ["custom-kind", "customer-platform", "hello", "two-stacks"] {
        assert!(names.iter().any(|n| n == required), "examples/{required}");
    }
    for name in &names {
        let run = dvm_in(&example(name), &["check"]);
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (Some(0), ""),
            "examples/{name}"
        );
    }
}

#[test]
fn example_graphs() {
    for name in ["hello", "two-stacks", "custom-kind"] {
        let run = dvm_in(&example(name), &["eval", "--graph", "-o", "yaml"]);
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        snapshots("tests/check/snapshots").bind(|| {
            insta::assert_snapshot!(format!("{name}-graph"), portable(&run.stdout));
        });
    }
}

/// Every value of `key` in the graph's nodes (and ecosystems) that belong
/// to ecosystem `eco`.
fn names_in(graph: &serde_json::Value, eco: &str) -> Vec<String> {
    let mut out = Vec::new();
    for n in graph["nodes"].as_array().into_iter().flatten() {
        if n["ecosystem"] != eco {
            continue;
        }
        for key in ["container", "alias"] {
            if let Some(s) = n[key].as_str() {
                out.push(format!("{key} {s}"));
            }
        }
        for p in n["ports"].as_array().into_iter().flatten() {
            if let Some(h) = p["host"].as_i64() {
                out.push(format!("host port {h}"));
            }
        }
        for m in n["mounts"].as_array().into_iter().flatten() {
            if let Some(s) = m["source"].as_str() {
                out.push(format!("volume {s}"));
            }
        }
    }
    for e in graph["ecosystems"].as_array().into_iter().flatten() {
        if e["name"] == eco {
            out.push(format!("network {}", e["network"].as_str().unwrap_or("")));
            for v in e["volumes"].as_array().into_iter().flatten() {
                out.push(format!("volume {}", v["name"].as_str().unwrap_or("")));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn two_stacks_share_no_container_network_volume_or_host_port() {
    let run = dvm_in(&example("two-stacks"), &["eval", "--graph"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let graph: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    let shop = names_in(&graph, "shop");
    let blog = names_in(&graph, "blog");
    // Both stacks are complete: containers, a network, volumes, host ports.
    for names in [&shop, &blog] {
        for what in ["container ", "network ", "volume ", "host port "] {
            assert!(
                names.iter().any(|n| n.starts_with(what)),
                "no {what}in {names:?}"
            );
        }
    }
    assert!(shop.contains(&"network dvm-shop".to_string()), "{shop:?}");
    assert!(blog.contains(&"network dvm-blog".to_string()), "{blog:?}");
    // Aliases are per network, so `db` in both is fine; nothing else is shared.
    let shared: Vec<&String> = shop
        .iter()
        .filter(|n| !n.starts_with("alias "))
        .filter(|n| blog.contains(n))
        .collect();
    assert!(shared.is_empty(), "shared between the stacks: {shared:?}");
    // The same template gave both the same shape: db and cache instances.
    for eco in ["shop", "blog"] {
        for dep in ["db", "cache"] {
            let id = format!("{eco}/{dep}");
            assert!(
                graph["nodes"]
                    .as_array()
                    .is_some_and(|ns| ns.iter().any(|n| n["id"] == id.as_str())),
                "{id}"
            );
        }
    }
}

#[test]
fn example_sources_exist() {
    // Every app path and service build an example names is in the
    // repository, and every build has a Dockerfile.
    for name in examples() {
        if name == "language-tour" {
            continue; // the Nix core, not a platform
        }
        let run = dvm_in(&example(&name), &["eval", "--graph"]);
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        let graph: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
        for n in graph["nodes"].as_array().into_iter().flatten() {
            if let Some(p) = n["path"].as_str() {
                assert!(Path::new(p).is_dir(), "{name}: app path {p}");
            }
            if let Some(b) = n["build"].as_str() {
                assert!(
                    Path::new(b).join("Dockerfile").is_file(),
                    "{name}: build {b} has no Dockerfile"
                );
            }
        }
    }
}

#[test]
fn two_stacks_on_the_same_ports_are_refused() {
    // The same two stacks with one `portBase`: dvm check refuses the
    // host-port clash instead of letting the second stack fail to start.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
    let src = example("two-stacks");
    for f in ["main.dvm", "web-stack.dvm"] {
        let text = std::fs::read_to_string(src.join(f)).unwrap_or_default();
        let text = text.replace("portBase = 8200;", "portBase = 8100;");
        std::fs::write(dir.path().join(f), text).unwrap_or_else(|e| panic!("{e}"));
    }
    for d in ["shop", "blog"] {
        std::fs::create_dir(dir.path().join(d)).unwrap_or_else(|e| panic!("{e}"));
    }
    let run = dvm_in(dir.path(), &["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("8100"), "{}", run.stderr);
    assert!(run.stderr.contains("8101"), "{}", run.stderr);
}
