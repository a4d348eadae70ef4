//! `dvm export compose`: the graph as a docker-compose file (format 2.4,
//! the v1-era format that Compose 1.29 reads, with health-gated
//! `depends_on`). Pure: graph in, YAML text out.
//!
//! Service names are the container names without the `dvm-` prefix; each
//! ecosystem's network and volumes keep their Docker names. A secret is
//! written as `${NAME}`, so Compose reads it from the environment and the
//! file never holds it. Containers get the `dvm.id`/`dvm.ecosystem` labels
//! but not `dvm.managed`: dvm never manages what Compose created.

use dvm_compiler::data::SecretPart;
use dvm_compiler::graph::{EnvValue, Graph, MountKind};
use serde_json::{Map, Value, json};

fn service_name(container: &str) -> String {
    container
        .strip_prefix("dvm-")
        .unwrap_or(container)
        .to_string()
}

/// `$` doubled (Compose interpolates), secrets as `${NAME}`.
fn env_text(v: &EnvValue) -> String {
    match v {
        EnvValue::Text(t) => t.replace('$', "$$"),
        EnvValue::Secret(parts) => parts
            .iter()
            .map(|p| match p {
                SecretPart::Text(t) => t.replace('$', "$$"),
                SecretPart::Secret(n) => format!("${{{n}}}"),
            })
            .collect(),
    }
}

fn duration(ms: i64) -> String {
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// The compose file of a graph.
pub fn to_compose(graph: &Graph) -> String {
    let mut services = Map::new();
    let mut networks = Map::new();
    let mut volumes = Map::new();
    for e in &graph.ecosystems {
        networks.insert(
            e.network.clone(),
            json!({ "name": e.network, "labels": { "dvm.ecosystem": e.name } }),
        );
        for v in e.volumes.iter().filter(|v| v.host_path.is_none()) {
            volumes.insert(v.name.clone(), json!({ "name": v.name }));
        }
    }
    for n in graph.nodes.iter().filter(|n| n.kind.has_container()) {
        let Some(container) = &n.container else {
            continue;
        };
        let Some(eco) = graph.ecosystems.iter().find(|e| e.name == n.ecosystem) else {
            continue;
        };
        let mut s = Map::new();
        match (&n.image, &n.build) {
            (Some(i), _) => {
                s.insert("image".into(), json!(i));
            }
            (None, Some(b)) => {
                s.insert("build".into(), json!(b));
            }
            (None, None) => continue,
        }
        if let Some(cmd) = &n.command {
            let cmd: Vec<String> = cmd.iter().map(|a| a.replace('$', "$$")).collect();
            s.insert("command".into(), json!(cmd));
        }
        if let Some(w) = &n.workdir {
            s.insert("working_dir".into(), json!(w));
        }
        if !n.env.is_empty() {
            let env: Map<String, Value> = n
                .env
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(env_text(v))))
                .collect();
            s.insert("environment".into(), Value::Object(env));
        }
        if !n.ports.is_empty() {
            let ports: Vec<String> = n
                .ports
                .iter()
                .map(|p| match p.host {
                    Some(h) => format!("{h}:{}/{}", p.container, p.protocol.as_str()),
                    None => format!("{}/{}", p.container, p.protocol.as_str()),
                })
                .collect();
            s.insert("ports".into(), json!(ports));
        }
        if !n.mounts.is_empty() {
            let mounts: Vec<String> = n
                .mounts
                .iter()
                .map(|m| {
                    if m.kind == MountKind::Volume && !volumes.contains_key(&m.source) {
                        volumes.insert(m.source.clone(), json!({ "name": m.source }));
                    }
                    let ro = if m.read_only { ":ro" } else { "" };
                    format!("{}:{}{ro}", m.source, m.target)
                })
                .collect();
            s.insert("volumes".into(), json!(mounts));
        }
        if let Some(h) = &n.health {
            let mut test = vec!["CMD".to_string()];
            test.extend(h.command.iter().map(|a| a.replace('$', "$$")));
            s.insert(
                "healthcheck".into(),
                json!({
                    "test": test,
                    "interval": duration(h.interval),
                    "timeout": duration(h.timeout),
                    "retries": h.retries,
                    "start_period": duration(h.start_period),
                }),
            );
        }
        if let Some(r) = &n.resources {
            if let Some(m) = r.memory {
                s.insert("mem_limit".into(), json!(m));
            }
            if let Some(c) = r.cpu {
                s.insert("cpus".into(), json!(c as f64 / 1000.0));
            }
        }
        let mut deps = Map::new();
        for d in n.uses.iter().chain(n.depends_on.iter()) {
            let Some(dn) = graph.node(d) else { continue };
            let Some(dc) = &dn.container else { continue };
            let condition = if dn.health.is_some() {
                "service_healthy"
            } else {
                "service_started"
            };
            deps.insert(service_name(dc), json!({ "condition": condition }));
        }
        if !deps.is_empty() {
            s.insert("depends_on".into(), Value::Object(deps));
        }
        let mut net = Map::new();
        net.insert(
            "aliases".into(),
            json!(n.alias.iter().cloned().collect::<Vec<_>>()),
        );
        s.insert(
            "networks".into(),
            json!({ eco.network.clone(): Value::Object(net) }),
        );
        // Not `dvm.managed`: these containers are Compose's, and dvm must
        // never take them for its own.
        let labels: Map<String, Value> = n
            .labels
            .iter()
            .filter(|(k, _)| k.as_str() != "dvm.managed")
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        s.insert("labels".into(), Value::Object(labels));
        services.insert(service_name(container), Value::Object(s));
    }
    let mut doc = Map::new();
    doc.insert("version".into(), json!("2.4"));
    doc.insert("services".into(), Value::Object(services));
    doc.insert("networks".into(), Value::Object(networks));
    if !volumes.is_empty() {
        doc.insert("volumes".into(), Value::Object(volumes));
    }
    let text = serde_norway::to_string(&Value::Object(doc)).unwrap_or_default();
    format!("# Generated by `dvm export compose`; do not edit.\n{text}")
}
