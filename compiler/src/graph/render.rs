//! Pictures and listings of a resolved [`Graph`]: Graphviz dot, Mermaid,
//! and the kubectl-like tables of `dvm get KIND`. Reads the graph only;
//! knows nothing of resolution, and prints no secret (values are not
//! shown at all, only names, images and ports).
//!
//! Pictures nest clusters as the scopes do: ecosystem ⊃ domain ⊃ app.
//! Containers (dependency instances, workspaces, services) are boxes, other
//! objects rounded or ellipses; edges carry their kind (`uses`,
//! `dependsOn`, `runs`, `target`). An app's own `uses` edges are drawn only
//! when it has neither workspace nor service (they would repeat theirs).

use super::model::{EdgeKind, Graph, Node, NodeKind};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The nodes of one kind (singular or plural name, any case), for JSON or
/// YAML output; empty for an unknown kind.
pub fn nodes_of_kind<'g>(graph: &'g Graph, kind: &str) -> Vec<&'g Node> {
    match NodeKind::parse(kind) {
        Some(k) => graph.nodes.iter().filter(|n| n.kind == k).collect(),
        None => Vec::new(),
    }
}

/// Nodes grouped by the cluster they are drawn in.
struct Clusters<'g> {
    /// eco → (nodes directly in it, domain → (nodes, app → nodes))
    ecos: BTreeMap<&'g str, EcoCluster<'g>>,
}

#[derive(Default)]
struct EcoCluster<'g> {
    nodes: Vec<&'g Node>,
    domains: BTreeMap<&'g str, DomainCluster<'g>>,
}

#[derive(Default)]
struct DomainCluster<'g> {
    nodes: Vec<&'g Node>,
    apps: BTreeMap<&'g str, Vec<&'g Node>>,
}

fn clusters(graph: &Graph) -> Clusters<'_> {
    let mut ecos: BTreeMap<&str, EcoCluster> = BTreeMap::new();
    for n in &graph.nodes {
        let eco = ecos.entry(n.ecosystem.as_str()).or_default();
        match n.kind {
            NodeKind::Ecosystem => {}
            NodeKind::Domain => {
                eco.domains.entry(n.id.as_str()).or_default();
            }
            _ => match (&n.domain, &n.app) {
                (Some(d), Some(a)) => eco
                    .domains
                    .entry(d.as_str())
                    .or_default()
                    .apps
                    .entry(a.as_str())
                    .or_default()
                    .push(n),
                (Some(d), None) if n.kind == NodeKind::App => {
                    eco.domains
                        .entry(d.as_str())
                        .or_default()
                        .apps
                        .entry(n.id.as_str())
                        .or_default()
                        .push(n);
                }
                (Some(d), None) => eco.domains.entry(d.as_str()).or_default().nodes.push(n),
                _ => eco.nodes.push(n),
            },
        }
    }
    Clusters { ecos }
}

/// Edges worth drawing: all but an app's `uses` when it has a container.
fn drawn_edges(graph: &Graph) -> impl Iterator<Item = &super::model::Edge> {
    graph.edges.iter().filter(move |e| {
        !(e.kind == EdgeKind::Uses
            && graph.node(&e.from).is_some_and(|n| {
                n.kind == NodeKind::App && (n.workspace.is_some() || n.service.is_some())
            }))
    })
}

/// The last segment of an id.
fn last(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// The text in a node's picture: its name, and what it runs.
fn caption(n: &Node) -> String {
    match n.kind {
        NodeKind::Workspace | NodeKind::Service => {
            let app = n.app.as_deref().map(last).unwrap_or("");
            let what = n
                .image
                .clone()
                .or_else(|| n.build.as_deref().map(|b| format!("build {}", last(b))));
            match what {
                Some(w) => format!("{app} ({})\n{w}", n.name),
                None => format!("{app} ({})", n.name),
            }
        }
        NodeKind::Dependency => match &n.image {
            Some(i) => format!("{}\n{i}", n.name),
            None => n.name.clone(),
        },
        NodeKind::Task | NodeKind::Workflow | NodeKind::Pipeline | NodeKind::Job => {
            format!("{} {}", n.kind.as_str().to_lowercase(), n.name)
        }
        _ => n.name.clone(),
    }
}

fn dot_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Graphviz dot: `dvm eval --graph --format dot | dot -Tsvg`.
pub fn to_dot(graph: &Graph) -> String {
    let mut out = String::from(
        "digraph dvm {\n  rankdir=LR;\n  compound=true;\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
    );
    let node = |out: &mut String, n: &Node, indent: &str| {
        let shape = if n.kind.has_container() {
            "shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\""
        } else if n.kind == NodeKind::App {
            "shape=ellipse"
        } else {
            "shape=box, style=dashed"
        };
        let _ = writeln!(
            out,
            "{indent}{} [label={}, {shape}];",
            dot_str(&n.id),
            dot_str(&caption(n))
        );
    };
    let mut cluster_no = 0;
    for (eco, ec) in &clusters(graph).ecos {
        cluster_no += 1;
        let _ = writeln!(out, "  subgraph cluster_{cluster_no} {{");
        let _ = writeln!(out, "    label={};", dot_str(&format!("ecosystem {eco}")));
        for n in &ec.nodes {
            node(&mut out, n, "    ");
        }
        for (d, dc) in &ec.domains {
            cluster_no += 1;
            let _ = writeln!(out, "    subgraph cluster_{cluster_no} {{");
            let _ = writeln!(
                out,
                "      label={};",
                dot_str(&format!("domain {}", last(d)))
            );
            for n in &dc.nodes {
                node(&mut out, n, "      ");
            }
            for (a, nodes) in &dc.apps {
                cluster_no += 1;
                let _ = writeln!(out, "      subgraph cluster_{cluster_no} {{");
                let _ = writeln!(
                    out,
                    "        label={};",
                    dot_str(&format!("app {}", last(a)))
                );
                for n in nodes {
                    node(&mut out, n, "        ");
                }
                out.push_str("      }\n");
            }
            out.push_str("    }\n");
        }
        out.push_str("  }\n");
    }
    for e in drawn_edges(graph) {
        let style = match e.kind {
            EdgeKind::Uses => "",
            EdgeKind::DependsOn => ", style=bold",
            EdgeKind::Runs | EdgeKind::Target => ", style=dashed",
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}{style}];",
            dot_str(&e.from),
            dot_str(&e.to),
            dot_str(e.kind.as_str())
        );
    }
    out.push_str("}\n");
    out
}

/// Mermaid (`flowchart`), for Markdown viewers.
pub fn to_mermaid(graph: &Graph) -> String {
    // Mermaid ids must be plain: number the nodes in id order.
    let ids: BTreeMap<&str, String> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), format!("n{i}")))
        .collect();
    // Quoted labels: `"` becomes `#quot;`, a line break `<br/>`.
    let text = |s: &str| s.replace('"', "#quot;").replace('\n', "<br/>");
    let mut out = String::from("flowchart LR\n");
    let node = |out: &mut String, n: &Node, indent: &str| {
        let Some(id) = ids.get(n.id.as_str()) else {
            return;
        };
        let label = text(&caption(n));
        let (open, close) = if n.kind.has_container() {
            ("[\"", "\"]")
        } else if n.kind == NodeKind::App {
            ("([\"", "\"])")
        } else {
            ("{{\"", "\"}}")
        };
        let _ = writeln!(out, "{indent}{id}{open}{label}{close}");
    };
    let mut sub_no = 0;
    for (eco, ec) in &clusters(graph).ecos {
        sub_no += 1;
        let _ = writeln!(out, "  subgraph s{sub_no}[\"ecosystem {}\"]", text(eco));
        for n in &ec.nodes {
            node(&mut out, n, "    ");
        }
        for (d, dc) in &ec.domains {
            sub_no += 1;
            let _ = writeln!(out, "    subgraph s{sub_no}[\"domain {}\"]", text(last(d)));
            for n in &dc.nodes {
                node(&mut out, n, "      ");
            }
            for (a, nodes) in &dc.apps {
                sub_no += 1;
                let _ = writeln!(out, "      subgraph s{sub_no}[\"app {}\"]", text(last(a)));
                for n in nodes {
                    node(&mut out, n, "        ");
                }
                out.push_str("      end\n");
            }
            out.push_str("    end\n");
        }
        out.push_str("  end\n");
    }
    for e in drawn_edges(graph) {
        let (Some(from), Some(to)) = (ids.get(e.from.as_str()), ids.get(e.to.as_str())) else {
            continue;
        };
        let arrow = match e.kind {
            EdgeKind::Uses => "-->",
            EdgeKind::DependsOn => "==>",
            EdgeKind::Runs | EdgeKind::Target => "-.->",
        };
        let _ = writeln!(out, "  {from} {arrow}|{}| {to}", e.kind.as_str());
    }
    out
}

/// A `dvm get KIND` listing: a header and one aligned row per node, or
/// `None` for an unknown kind. Rows are sorted by name, then id; empty
/// cells show `<none>`.
pub fn table(graph: &Graph, kind: &str) -> Option<String> {
    let k = NodeKind::parse(kind)?;
    let none = || "<none>".to_string();
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(none);
    let or_none = |s: String| if s.is_empty() { none() } else { s };
    let ports = |n: &Node| {
        or_none(
            n.ports
                .iter()
                .map(|p| p.shown())
                .collect::<Vec<_>>()
                .join(","),
        )
    };
    let container_of = |id: &Option<String>| {
        id.as_deref()
            .and_then(|i| graph.node(i))
            .and_then(|n| n.container.clone())
            .unwrap_or_else(none)
    };
    let last_of = |s: &Option<String>| {
        s.as_deref()
            .map(last)
            .map(str::to_string)
            .unwrap_or_else(none)
    };
    let count =
        |pred: &dyn Fn(&Node) -> bool| graph.nodes.iter().filter(|n| pred(n)).count().to_string();
    let layers = |n: &Node| {
        or_none(
            n.layers
                .iter()
                .map(|l| l.join(","))
                .collect::<Vec<_>>()
                .join(" → "),
        )
    };
    let header: &[&str] = match k {
        NodeKind::Ecosystem => &["NAME", "NETWORK", "DOMAINS", "DEPENDENCIES", "CONTAINERS"],
        NodeKind::Domain => &["NAME", "ECOSYSTEM", "APPS", "DEPENDENCIES"],
        NodeKind::App => &["NAME", "DOMAIN", "PATH", "LANGUAGE", "WORKSPACE", "SERVICE"],
        NodeKind::Workspace | NodeKind::Service => &["NAME", "APP", "IMAGE", "PORTS", "CONTAINER"],
        NodeKind::Dependency => &["NAME", "ID", "IMAGE", "PORTS", "CONTAINER"],
        NodeKind::Task => &["NAME", "DOMAIN", "TARGET", "COMMAND"],
        NodeKind::Workflow => &["NAME", "DOMAIN", "TASKS", "ORDER"],
        NodeKind::Pipeline => &["NAME", "DOMAIN", "STAGES", "ORDER"],
        NodeKind::Job => &["NAME", "DOMAIN", "TRIGGER", "RUNS"],
    };
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for n in graph.nodes.iter().filter(|n| n.kind == k) {
        let row = match k {
            NodeKind::Ecosystem => {
                let network = graph
                    .ecosystems
                    .iter()
                    .find(|e| e.name == n.name)
                    .map(|e| e.network.clone())
                    .unwrap_or_else(none);
                vec![
                    n.name.clone(),
                    network,
                    count(&|m| m.kind == NodeKind::Domain && m.ecosystem == n.name),
                    count(&|m| m.kind == NodeKind::Dependency && m.ecosystem == n.name),
                    count(&|m| m.kind.has_container() && m.ecosystem == n.name),
                ]
            }
            NodeKind::Domain => vec![
                n.name.clone(),
                n.ecosystem.clone(),
                count(&|m| m.kind == NodeKind::App && m.domain.as_deref() == Some(&n.id)),
                count(&|m| m.kind == NodeKind::Dependency && m.scope.as_deref() == Some(&n.id)),
            ],
            NodeKind::App => vec![
                n.name.clone(),
                last_of(&n.domain),
                opt(&n.path),
                opt(&n.language),
                container_of(&n.workspace),
                container_of(&n.service),
            ],
            NodeKind::Workspace | NodeKind::Service => vec![
                n.id.clone(),
                last_of(&n.app),
                n.image
                    .clone()
                    .or_else(|| n.build.as_ref().map(|b| format!("build:{b}")))
                    .unwrap_or_else(none),
                ports(n),
                opt(&n.container),
            ],
            NodeKind::Dependency => vec![
                n.name.clone(),
                n.id.clone(),
                opt(&n.image),
                ports(n),
                opt(&n.container),
            ],
            NodeKind::Task => vec![
                n.name.clone(),
                last_of(&n.domain),
                opt(&n.target_node),
                or_none(n.command.clone().unwrap_or_default().join(" ")),
            ],
            NodeKind::Workflow | NodeKind::Pipeline => vec![
                n.name.clone(),
                last_of(&n.domain),
                n.steps.len().to_string(),
                layers(n),
            ],
            NodeKind::Job => vec![
                n.name.clone(),
                last_of(&n.domain),
                match &n.trigger {
                    Some(super::super::data::Data::Str(s)) => s.to_string(),
                    Some(t) => t
                        .get("schedule")
                        .and_then(|s| s.as_str())
                        .map(|s| format!("schedule {s}"))
                        .unwrap_or_else(none),
                    None => none(),
                },
                opt(&n.runs),
            ],
        };
        rows.push((n.id.clone(), row));
    }
    // By name (the first column), then id.
    rows.sort_by(|a, b| a.1.first().cmp(&b.1.first()).then(a.0.cmp(&b.0)));
    let rows: Vec<Vec<String>> = std::iter::once(header.iter().map(|h| h.to_string()).collect())
        .chain(rows.into_iter().map(|(_, r)| r))
        .collect();
    let cols = header.len();
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < cols {
                let w = widths.get(c).copied().unwrap_or(0);
                let pad = w.saturating_sub(cell.chars().count()) + 3;
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Some(out)
}
