//! The resolution algorithm: from the evaluated root to nodes, edges and
//! start order, with every diagnostic. Owns the scoping rule for
//! dependency instances, wiring, defaults and the checks of objects.md;
//! knows nothing of how the graph is printed or realised.
//!
//! Per ecosystem, in order:
//!
//! 1. Walk the tree (domains, apps, workspaces, services), building the
//!    *scopes* that may declare dependencies — ecosystem, domain, app,
//!    workspace — and the *instances* they declare, warning when an inner
//!    scope re-declares an outer name (shadowing). A workspace is first
//!    merged with its domain's `defaults`.
//! 2. Give each instance its alias (its name, or its scope path joined by
//!    `-` when the name is not unique in the ecosystem) and its container
//!    name, then compute its exports (calling `exports` when it is a
//!    function).
//! 3. Emit the nodes. A consumer's `uses` are looked up from its own scope
//!    outwards; a workspace and a service add their app's. Wiring gives the
//!    consumer `<INSTANCE>_<KEY>` for every export of every used instance
//!    (the inner instance wins a clash, with a warning), then its own `env`
//!    on top.
//! 4. Execution objects of each domain: tasks (target), workflows and
//!    pipelines (steps, layers, cycles), jobs (runs).
//!
//! Across ecosystems: host ports, ids, container and volume names must be
//! unique; the start order layers every container node after what it uses
//! and the services it depends on.

use super::dag;
use super::model::*;
use super::names::{docker_name, env_var, is_valid_name};
use super::{Calls, Resolved};
use crate::codes::graph as codes;
use crate::data::{Data, ObjectData, Source};
use crate::diag::{Diagnostic, did_you_mean, normalize};
use crate::intern::Sym;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn resolve(root: &Data, default_name: &str, calls: &mut dyn Calls) -> Resolved {
    let mut r = Resolver {
        calls,
        diags: Vec::new(),
        nodes: BTreeMap::new(),
        edges: BTreeSet::new(),
        ecosystems: Vec::new(),
        host_ports: BTreeMap::new(),
        containers: BTreeMap::new(),
        volumes: BTreeMap::new(),
        fallback: None,
    };
    let ecos: Vec<(String, &ObjectData, Option<Source>)> = match root {
        Data::Object(o) if o.kind.as_str() == "Ecosystem" && !o.template => {
            r.fallback = o.source.clone();
            let name = match o.get("name") {
                Some(Data::Str(s)) => s.to_string(),
                _ => default_name.to_string(),
            };
            vec![(name, &**o, o.source_of("name").cloned())]
        }
        Data::Attrs(entries) => {
            let mut out = Vec::new();
            for (key, v) in sorted(entries) {
                match v {
                    Data::Object(o) if o.kind.as_str() == "Ecosystem" && !o.template => {
                        let name = match o.get("name") {
                            Some(Data::Str(s)) => s.to_string(),
                            _ => key.to_string(),
                        };
                        out.push((name, &**o, o.source_of("name").cloned()));
                    }
                    other => {
                        let d = Diagnostic::error(
                            codes::WRONG_KIND,
                            format!("`{key}` should be an Ecosystem, found {}", describe(other)),
                        );
                        let src = other.as_object().and_then(|o| o.source.clone());
                        r.push(d, src.as_ref(), "expected an Ecosystem");
                    }
                }
            }
            if r.fallback.is_none() {
                r.fallback = out.iter().find_map(|(_, o, _)| o.source.clone());
            }
            out
        }
        other => {
            let mut d = Diagnostic::error(
                codes::ROOT_NOT_ECOSYSTEM,
                format!(
                    "the entry file's value is {}, not an Ecosystem or a record of them",
                    describe(other)
                ),
            )
            .with_help("wrap the configuration in `Ecosystem { … }`");
            if let Some(s) = other.as_object().and_then(|o| o.source.as_ref()) {
                d = d.at(&s.file, s.span, "this is not an Ecosystem");
            }
            return Resolved {
                graph: None,
                diagnostics: vec![d],
            };
        }
    };
    for (name, obj, name_src) in ecos {
        r.ecosystem(&name, obj, name_src);
    }
    let start_order = r.start_order();
    let Resolver {
        mut diags,
        nodes,
        edges,
        mut ecosystems,
        ..
    } = r;
    normalize(&mut diags);
    ecosystems.sort_by(|a, b| a.name.cmp(&b.name));
    Resolved {
        graph: Some(Graph {
            version: GRAPH_VERSION,
            ecosystems,
            nodes: nodes.into_values().collect(),
            edges: edges.into_iter().collect(),
            start_order,
        }),
        diagnostics: diags,
    }
}

struct Resolver<'c> {
    calls: &'c mut dyn Calls,
    diags: Vec<Diagnostic>,
    nodes: BTreeMap<String, Node>,
    edges: BTreeSet<Edge>,
    ecosystems: Vec<EcosystemInfo>,
    /// `(host port, protocol)` → the node that publishes it, and where.
    host_ports: BTreeMap<(i64, Protocol), (String, Option<Source>)>,
    /// Container name → the node that has it.
    containers: BTreeMap<String, (String, Option<Source>)>,
    /// Docker volume name → its owner.
    volumes: BTreeMap<String, String>,
    /// Where to point a diagnostic whose object has no source.
    fallback: Option<Source>,
}

/// A place that may declare dependencies: ecosystem, domain, app or
/// workspace.
struct Scope {
    id: String,
    /// Names below the ecosystem: `[]`, `[auth]`, `[auth, api]`,
    /// `[auth, api, dev]`.
    path: Vec<String>,
    parent: Option<usize>,
    domain: Option<String>,
    app: Option<String>,
}

/// A dependency instance: a `Dependency` bound to a name in a scope.
struct Inst {
    name: String,
    id: String,
    scope: usize,
    depth: usize,
    obj: ObjectData,
    /// Where it was declared.
    src: Option<Source>,
    alias: String,
    container: String,
    exports: BTreeMap<String, EnvValue>,
}

/// The scopes and instances of one ecosystem.
struct Tree {
    eco: String,
    scopes: Vec<Scope>,
    insts: Vec<Inst>,
}

impl Tree {
    fn scope(&mut self, parent: Option<usize>, id: String, path: Vec<String>) -> usize {
        let (domain, app) = match path.len() {
            0 => (None, None),
            1 => (Some(id.clone()), None),
            _ => {
                let d = format!("{}/{}", self.eco, path[0]);
                let a = format!("{d}/{}", path[1]);
                (Some(d), Some(a))
            }
        };
        self.scopes.push(Scope {
            id,
            path,
            parent,
            domain,
            app,
        });
        self.scopes.len() - 1
    }
    /// The instance `name` as seen from `scope`: its own declarations
    /// first, then its parents'.
    fn lookup(&self, scope: usize, name: &str) -> Option<usize> {
        let mut at = Some(scope);
        while let Some(s) = at {
            if let Some(i) = self
                .insts
                .iter()
                .position(|i| i.scope == s && i.name == name)
            {
                return Some(i);
            }
            at = self.scopes.get(s).and_then(|s| s.parent);
        }
        None
    }
    /// Every name visible from `scope`, sorted.
    fn visible(&self, scope: usize) -> Vec<&str> {
        let mut names = BTreeSet::new();
        let mut at = Some(scope);
        while let Some(s) = at {
            for i in self.insts.iter().filter(|i| i.scope == s) {
                names.insert(i.name.as_str());
            }
            at = self.scopes.get(s).and_then(|s| s.parent);
        }
        names.into_iter().collect()
    }
}

struct DomainT<'a> {
    name: String,
    id: String,
    obj: &'a ObjectData,
    apps: Vec<AppT<'a>>,
}

struct AppT<'a> {
    name: String,
    id: String,
    obj: &'a ObjectData,
    scope: usize,
    workspace: Option<(ObjectData, usize)>,
    service: Option<&'a ObjectData>,
}

impl AppT<'_> {
    /// The node a task targeting this app runs in.
    fn target_node(&self) -> String {
        if self.workspace.is_some() {
            format!("{}/dev", self.id)
        } else if self.service.is_some() {
            format!("{}/live", self.id)
        } else {
            self.id.clone()
        }
    }
}

/// Names of a domain's execution objects, to resolve string references.
#[derive(Default)]
struct ExecNames {
    tasks: BTreeMap<String, String>,
    workflows: BTreeMap<String, String>,
    pipelines: BTreeMap<String, String>,
}

impl<'c> Resolver<'c> {
    /// Records `d` at `at` (else at the root, so nothing is unlocated).
    /// E0613: step (or stage) `step` of `what` runs a task (or workflow)
    /// `name` that `declared` does not have.
    fn unknown_step(
        &mut self,
        (step_word, step): (&str, &str),
        what: &str,
        (kind_word, name): (&str, &str),
        declared: &[&str],
        at: Option<&Source>,
    ) {
        let mut diag = Diagnostic::error(
            codes::UNKNOWN_STEP,
            format!(
                "{step_word} `{step}` of {what} runs {kind_word} `{name}`, but no {kind_word} of that name is declared"
            ),
        );
        if let Some(s) = did_you_mean(name, declared.iter().copied()) {
            diag = diag.with_help(format!("did you mean `{s}`?"));
        }
        self.push(diag, at, &format!("unknown {kind_word}"));
    }

    fn push(&mut self, d: Diagnostic, at: Option<&Source>, label: &str) {
        let at = at.or(self.fallback.as_ref());
        let d = match at {
            Some(s) if d.primary.is_none() => d.at(&s.file, s.span, label),
            _ => d,
        };
        self.diags.push(d);
    }

    fn check_name(&mut self, name: &str, what: &str, at: Option<&Source>) {
        if !is_valid_name(name) {
            let d = Diagnostic::error(
                codes::BAD_NAME,
                format!("`{name}` is not a valid {what} name"),
            )
            .with_help(
                "names become container and DNS names: use lower-case letters, digits and `-`, \
starting with a letter or digit, at most 63 characters",
            );
            self.push(d, at, "invalid name");
        }
    }

    /// Adds a node unless its id is taken (then reports the clash).
    fn add_node(&mut self, node: Node, src: Option<&Source>) -> bool {
        if let Some(prev) = self.nodes.get(&node.id) {
            let prev_src = prev.source.clone();
            let mut d = Diagnostic::error(
                codes::NAME_CLASH,
                format!(
                    "two objects get the id `{}` (a {} and a {})",
                    node.id,
                    prev.kind.as_str(),
                    node.kind.as_str()
                ),
            )
            .with_help("rename one of them");
            if let Some(p) = prev_src {
                d = d.with_label(&p.file.as_str().into(), span_of(&p), "the first one");
            }
            self.push(d, src, "this one gets the same id");
            return false;
        }
        if let Some(c) = &node.container {
            if let Some((other, osrc)) = self.containers.get(c) {
                let mut d = Diagnostic::error(
                    codes::NAME_CLASH,
                    format!(
                        "`{}` and `{other}` get the same container name `{c}`",
                        node.id
                    ),
                )
                .with_help("rename one of them");
                if let Some(o) = osrc {
                    d = d.with_label(&o.file, o.span, "the first one");
                }
                self.push(d, src, "this one gets the same container name");
            } else {
                self.containers
                    .insert(c.clone(), (node.id.clone(), src.cloned()));
            }
        }
        self.nodes.insert(node.id.clone(), node);
        true
    }

    fn edge(&mut self, from: &str, to: &str, kind: EdgeKind) {
        self.edges.insert(Edge {
            from: from.to_string(),
            to: to.to_string(),
            kind,
        });
    }

    /// The children of `parent.field`, each of kind `kind`, sorted by name.
    fn children<'a>(
        &mut self,
        parent: &'a ObjectData,
        field: &str,
        kind: &str,
    ) -> Vec<(String, &'a ObjectData)> {
        let src = parent.source_of(field).cloned();
        let entries = match parent.get(field) {
            None | Some(Data::Null) => return Vec::new(),
            Some(Data::Attrs(e)) => e,
            Some(other) => {
                let d = Diagnostic::error(
                    codes::BAD_FIELD,
                    format!(
                        "`{field}` should be a record of {kind} objects keyed by name, found {}",
                        describe(other)
                    ),
                );
                self.push(d, src.as_ref(), "expected a record");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (key, v) in sorted(entries) {
            self.check_name(key, &kind.to_lowercase(), src.as_ref());
            match v {
                Data::Object(o) if o.kind.as_str() == kind && !o.template => {
                    out.push((key.to_string(), &**o));
                }
                other => self.wrong_kind(&format!("{field}.{key}"), kind, other, src.as_ref()),
            }
        }
        out
    }

    fn wrong_kind(&mut self, what: &str, kind: &str, found: &Data, at: Option<&Source>) {
        let d = Diagnostic::error(
            codes::WRONG_KIND,
            format!("`{what}` should be a {kind}, found {}", describe(found)),
        );
        let help = match found {
            Data::Object(o) if o.template && o.kind.as_str() == kind => {
                Some("a template must be applied to build an object: `template { }`")
            }
            _ => None,
        };
        let d = match help {
            Some(h) => d.with_help(h),
            None => d,
        };
        self.push(d, at, &format!("expected a {kind}"));
    }

    // ----- fields -----

    fn bad_field(&mut self, obj: &ObjectData, field: &str, msg: String) {
        let d = Diagnostic::error(codes::BAD_FIELD, msg);
        self.push(d, obj.source_of(field), "here");
    }

    fn str_field(&mut self, obj: &ObjectData, field: &str, what: &str) -> Option<String> {
        match obj.get(field) {
            None | Some(Data::Null) => None,
            Some(Data::Str(s)) => Some(s.to_string()),
            Some(other) => {
                let msg = format!(
                    "`{field}` of {what} should be a string, found {}",
                    describe(other)
                );
                self.bad_field(obj, field, msg);
                None
            }
        }
    }

    fn int_field(&mut self, obj: &ObjectData, field: &str, what: &str) -> Option<i64> {
        match obj.get(field) {
            None | Some(Data::Null) => None,
            Some(Data::Int(i)) => Some(*i),
            Some(other) => {
                let msg = format!(
                    "`{field}` of {what} should be a whole number, found {}",
                    describe(other)
                );
                self.bad_field(obj, field, msg);
                None
            }
        }
    }

    fn str_list(&mut self, obj: &ObjectData, field: &str, what: &str) -> Option<Vec<String>> {
        let v = obj.get(field)?;
        match v {
            Data::Null => None,
            Data::List(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item {
                        Data::Str(s) => out.push(s.to_string()),
                        other => {
                            let msg = format!(
                                "`{field}` of {what} should be a list of strings, but holds {}",
                                describe(other)
                            );
                            self.bad_field(obj, field, msg);
                            return None;
                        }
                    }
                }
                Some(out)
            }
            other => {
                let msg = format!(
                    "`{field}` of {what} should be a list of strings, found {}",
                    describe(other)
                );
                self.bad_field(obj, field, msg);
                None
            }
        }
    }

    /// A record of environment values (`env`, `exports`).
    fn env_record(
        &mut self,
        record: &Data,
        field: &str,
        what: &str,
        code: &'static str,
        at: Option<&Source>,
    ) -> BTreeMap<String, EnvValue> {
        let mut out = BTreeMap::new();
        let Some(entries) = record.fields() else {
            let d = Diagnostic::error(
                code,
                format!(
                    "`{field}` of {what} should be a record of strings, found {}",
                    describe(record)
                ),
            );
            self.push(d, at, "expected a record");
            return out;
        };
        for (k, v) in sorted(entries) {
            match env_value(v) {
                Some(Some(val)) => {
                    out.insert(k.to_string(), val);
                }
                Some(None) => {}
                None => {
                    let d = Diagnostic::error(
                        code,
                        format!(
                            "`{field}.{k}` of {what} should be a string or a secret, found {}",
                            describe(v)
                        ),
                    );
                    self.push(d, at, "expected a string");
                }
            }
        }
        out
    }

    fn env_field(&mut self, obj: &ObjectData, what: &str) -> BTreeMap<String, EnvValue> {
        match obj.get("env") {
            None | Some(Data::Null) => BTreeMap::new(),
            Some(v) => self.env_record(v, "env", what, codes::BAD_FIELD, obj.source_of("env")),
        }
    }

    fn ports(&mut self, obj: &ObjectData, node_id: &str, what: &str) -> Vec<Port> {
        let src = obj.source_of("ports").cloned();
        let items = match obj.get("ports") {
            None | Some(Data::Null) => return Vec::new(),
            Some(Data::List(items)) => items,
            Some(other) => {
                let msg = format!(
                    "`ports` of {what} should be a list of ports, found {}",
                    describe(other)
                );
                self.bad_field(obj, "ports", msg);
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items.iter() {
            let container = match item.get("container") {
                Some(Data::Int(i)) if (1..=65535).contains(i) => *i,
                _ => {
                    let msg = format!(
                        "a port of {what} needs `container`, a port number (1–65535): found {}",
                        short(item)
                    );
                    self.bad_field(obj, "ports", msg);
                    continue;
                }
            };
            let host = match item.get("host") {
                None | Some(Data::Null) => None,
                Some(Data::Int(i)) if (1..=65535).contains(i) => Some(*i),
                Some(other) => {
                    let msg = format!(
                        "the host port of {what} should be a port number (1–65535), found {}",
                        short(other)
                    );
                    self.bad_field(obj, "ports", msg);
                    None
                }
            };
            let protocol = match item.get("protocol").and_then(Data::as_str) {
                None | Some("tcp") => Protocol::Tcp,
                Some("udp") => Protocol::Udp,
                Some(p) => {
                    let msg = format!(
                        "the protocol of a port of {what} should be \"tcp\" or \"udp\", found \"{p}\""
                    );
                    self.bad_field(obj, "ports", msg);
                    Protocol::Tcp
                }
            };
            if let Some(h) = host {
                match self.host_ports.get(&(h, protocol)) {
                    Some((other, osrc)) => {
                        let mut d = Diagnostic::error(
                            codes::HOST_PORT_CLASH,
                            format!(
                                "host port {h}/{} is published by both `{other}` and `{node_id}`",
                                protocol.as_str()
                            ),
                        )
                        .with_help("give one of them another host port, or none");
                        if let Some(o) = osrc {
                            d = d.with_label(&o.file, o.span, format!("`{other}` publishes {h}"));
                        }
                        self.push(d, src.as_ref(), &format!("host port {h} is taken"));
                    }
                    None => {
                        self.host_ports
                            .insert((h, protocol), (node_id.to_string(), src.clone()));
                    }
                }
            }
            out.push(Port {
                container,
                host,
                protocol,
            });
        }
        out
    }

    fn health(&mut self, obj: &ObjectData, what: &str) -> Option<Health> {
        let v = obj.get("healthCheck")?;
        if matches!(v, Data::Null) {
            return None;
        }
        let ms = |name: &str, default: i64| match v.get(name) {
            Some(Data::Int(i)) => *i,
            _ => default,
        };
        let (command, http) = match (v.get("command"), v.get("http")) {
            (Some(Data::List(items)), _) => {
                let cmd: Option<Vec<String>> = items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect();
                (cmd, None)
            }
            (_, Some(h)) => match (h.get("path").and_then(Data::as_str), h.get("port")) {
                (Some(path), Some(Data::Int(port))) => {
                    let url = format!("http://localhost:{port}{}", slash(path));
                    let cmd = vec![
                        "sh".to_string(),
                        "-c".to_string(),
                        format!("wget -q -O /dev/null {url} || curl -fsS -o /dev/null {url}"),
                    ];
                    (
                        Some(cmd),
                        Some(HttpCheck {
                            path: path.to_string(),
                            port: *port,
                        }),
                    )
                }
                _ => (None, None),
            },
            _ => (None, None),
        };
        let Some(command) = command else {
            let msg = format!(
                "the health check of {what} needs `command = [ … ]` (strings) or `http = {{ path = \"/…\"; port = …; }}`"
            );
            self.bad_field(obj, "healthCheck", msg);
            return None;
        };
        Some(Health {
            command,
            http,
            interval: ms("interval", 5_000),
            timeout: ms("timeout", 3_000),
            retries: ms("retries", 10),
            start_period: ms("startPeriod", 0),
        })
    }

    fn resources(&mut self, obj: &ObjectData, what: &str) -> Option<Resources> {
        let v = obj.get("resources")?;
        let num = |name: &str| match v.get(name) {
            Some(Data::Int(i)) => Ok(Some(*i)),
            None | Some(Data::Null) => Ok(None),
            Some(_) => Err(()),
        };
        match (num("memory"), num("cpu")) {
            (Ok(memory), Ok(cpu)) if v.fields().is_some() => {
                (memory.is_some() || cpu.is_some()).then_some(Resources { memory, cpu })
            }
            _ => {
                let msg = format!(
                    "`resources` of {what} should be `{{ memory = 512Mi; cpu = 500m; }}`, found {}",
                    short(v)
                );
                self.bad_field(obj, "resources", msg);
                None
            }
        }
    }

    fn labels(&self, eco: &str, id: &str, kind: NodeKind) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("dvm.ecosystem".to_string(), eco.to_string()),
            ("dvm.id".to_string(), id.to_string()),
            ("dvm.kind".to_string(), kind.as_str().to_string()),
            ("dvm.managed".to_string(), "true".to_string()),
        ])
    }

    // ----- the ecosystem walk -----

    fn ecosystem(&mut self, name: &str, obj: &ObjectData, name_src: Option<Source>) {
        self.check_name(name, "ecosystem", name_src.as_ref().or(obj.source.as_ref()));
        let mut eco_node = Node {
            id: name.to_string(),
            kind: NodeKind::Ecosystem,
            name: name.to_string(),
            ecosystem: name.to_string(),
            source: obj.source.as_ref().map(SourceRef::from_source),
            ..Node::default()
        };
        eco_node.description = self.str_field(obj, "description", "the ecosystem");
        if !self.add_node(eco_node, obj.source.as_ref()) {
            return;
        }
        let mut info = EcosystemInfo {
            name: name.to_string(),
            network: docker_name(&[name]),
            volumes: Vec::new(),
            runtime: None,
            source: obj.source.as_ref().map(SourceRef::from_source),
        };
        if let Some(rt) = obj.get("runtime").and_then(Data::as_object) {
            let platform = self.str_field(rt, "platform", "the runtime");
            let socket = self.str_field(rt, "socket", "the runtime");
            info.runtime = platform.map(|platform| RuntimeInfo { platform, socket });
        }
        // Ecosystem volumes: name → (Docker name or host path, is bind).
        let mut eco_volumes: BTreeMap<String, Mount> = BTreeMap::new();
        for (vname, v) in self.children(obj, "volumes", "Volume") {
            let docker = docker_name(&[name, &vname]);
            let host_path = self.str_field(v, "hostPath", "a volume");
            let size = self.int_field(v, "size", "a volume");
            let mount = match &host_path {
                Some(p) => Mount {
                    kind: MountKind::Bind,
                    source: p.clone(),
                    target: String::new(),
                    read_only: false,
                },
                None => Mount {
                    kind: MountKind::Volume,
                    source: docker.clone(),
                    target: String::new(),
                    read_only: false,
                },
            };
            eco_volumes.insert(vname.clone(), mount);
            if host_path.is_none() {
                self.volume(&docker, name, v.source.as_ref());
            }
            info.volumes.push(VolumeInfo {
                name: docker,
                owner: name.to_string(),
                size,
                host_path,
            });
        }

        // 1. Scopes and instances.
        let mut tree = Tree {
            eco: name.to_string(),
            scopes: Vec::new(),
            insts: Vec::new(),
        };
        let eco_scope = tree.scope(None, name.to_string(), Vec::new());
        self.declare(&mut tree, eco_scope, obj);
        let mut domains: Vec<DomainT> = Vec::new();
        for (dname, d) in self.children(obj, "domains", "Domain") {
            let did = format!("{name}/{dname}");
            let dscope = tree.scope(Some(eco_scope), did.clone(), vec![dname.clone()]);
            self.declare(&mut tree, dscope, d);
            let defaults = match d.get("defaults") {
                None | Some(Data::Null) => None,
                Some(Data::Object(o)) if o.kind.as_str() == "Workspace" => Some(&**o),
                Some(other) => {
                    self.wrong_kind("defaults", "Workspace", other, d.source_of("defaults"));
                    None
                }
            };
            let mut apps = Vec::new();
            for (aname, a) in self.children(d, "apps", "App") {
                let aid = format!("{did}/{aname}");
                let ascope = tree.scope(
                    Some(dscope),
                    aid.clone(),
                    vec![dname.clone(), aname.clone()],
                );
                self.declare(&mut tree, ascope, a);
                let workspace = match a.get("workspace") {
                    None | Some(Data::Null) => None,
                    Some(Data::Object(w)) if w.kind.as_str() == "Workspace" && !w.template => {
                        let merged = match defaults {
                            Some(def) => merge_defaults(def, w),
                            None => (**w).clone(),
                        };
                        let wscope = tree.scope(
                            Some(ascope),
                            format!("{aid}/dev"),
                            vec![dname.clone(), aname.clone(), "dev".to_string()],
                        );
                        self.declare(&mut tree, wscope, &merged);
                        Some((merged, wscope))
                    }
                    Some(other) => {
                        self.wrong_kind(
                            &format!("{aname}.workspace"),
                            "Workspace",
                            other,
                            a.source_of("workspace"),
                        );
                        None
                    }
                };
                let service = match a.get("service") {
                    None | Some(Data::Null) => None,
                    Some(Data::Object(s)) if s.kind.as_str() == "Service" && !s.template => {
                        Some(&**s)
                    }
                    Some(other) => {
                        self.wrong_kind(
                            &format!("{aname}.service"),
                            "Service",
                            other,
                            a.source_of("service"),
                        );
                        None
                    }
                };
                apps.push(AppT {
                    name: aname,
                    id: aid,
                    obj: a,
                    scope: ascope,
                    workspace,
                    service,
                });
            }
            domains.push(DomainT {
                name: dname,
                id: did,
                obj: d,
                apps,
            });
        }

        // 2. Aliases, containers, exports. Aliases are shared with the
        // services (which other containers reach by app name).
        let mut short_names: BTreeMap<&str, usize> = BTreeMap::new();
        for i in &tree.insts {
            *short_names.entry(i.name.as_str()).or_default() += 1;
        }
        for a in domains.iter().flat_map(|d| &d.apps) {
            if a.service.is_some() {
                *short_names.entry(a.name.as_str()).or_default() += 1;
            }
        }
        let unique: BTreeSet<String> = short_names
            .iter()
            .filter(|(_, n)| **n == 1)
            .map(|(k, _)| k.to_string())
            .collect();
        for inst in &mut tree.insts {
            let path = tree
                .scopes
                .get(inst.scope)
                .map(|s| s.path.clone())
                .unwrap_or_default();
            let mut parts: Vec<&str> = path.iter().map(String::as_str).collect();
            parts.push(&inst.name);
            inst.alias = if unique.contains(&inst.name) {
                inst.name.clone()
            } else {
                parts.join("-")
            };
            let mut with_eco = vec![name];
            with_eco.extend(parts);
            inst.container = docker_name(&with_eco);
        }
        let mut aliases: BTreeMap<String, String> = BTreeMap::new();
        for idx in 0..tree.insts.len() {
            let exports = self.exports(&tree.insts[idx]);
            let inst = &mut tree.insts[idx];
            inst.exports = exports;
            let (alias, id, src) = (inst.alias.clone(), inst.id.clone(), inst.src.clone());
            self.alias(&mut aliases, &alias, &id, src.as_ref());
        }

        // 3. Nodes.
        for idx in 0..tree.insts.len() {
            self.dependency_node(&tree, idx, &eco_volumes, &mut info);
        }
        let service_ids: Vec<(String, String, String)> = domains
            .iter()
            .flat_map(|d| {
                d.apps
                    .iter()
                    .filter(|a| a.service.is_some())
                    .map(|a| (d.name.clone(), a.name.clone(), format!("{}/live", a.id)))
            })
            .collect();
        for d in &domains {
            let node = Node {
                id: d.id.clone(),
                kind: NodeKind::Domain,
                name: d.name.clone(),
                ecosystem: name.to_string(),
                description: self.str_field(d.obj, "description", "a domain"),
                source: d.obj.source.as_ref().map(SourceRef::from_source),
                ..Node::default()
            };
            self.add_node(node, d.obj.source.as_ref());
            for a in &d.apps {
                self.app_nodes(&tree, d, a, &service_ids, &unique, &mut aliases);
            }
        }

        // 4. Execution objects.
        self.execution(name, &domains);
        self.ecosystems.push(info);
    }

    fn volume(&mut self, docker: &str, owner: &str, src: Option<&Source>) {
        if let Some(prev) = self.volumes.get(docker) {
            let d = Diagnostic::error(
                codes::NAME_CLASH,
                format!("`{prev}` and `{owner}` get the same volume name `{docker}`"),
            )
            .with_help("rename one of them");
            self.push(d, src, "this volume's name is taken");
        } else {
            self.volumes.insert(docker.to_string(), owner.to_string());
        }
    }

    fn alias(
        &mut self,
        aliases: &mut BTreeMap<String, String>,
        alias: &str,
        id: &str,
        src: Option<&Source>,
    ) {
        if let Some(prev) = aliases.get(alias) {
            let d = Diagnostic::error(
                codes::NAME_CLASH,
                format!("`{prev}` and `{id}` get the same network alias `{alias}`"),
            )
            .with_help("rename one of them");
            self.push(d, src, "this alias is taken");
        } else {
            aliases.insert(alias.to_string(), id.to_string());
        }
    }

    /// Declares the instances of `obj.dependencies` in `scope`.
    fn declare(&mut self, tree: &mut Tree, scope: usize, obj: &ObjectData) {
        let parent = tree.scopes.get(scope).and_then(|s| s.parent);
        let depth = tree.scopes.get(scope).map(|s| s.path.len()).unwrap_or(0);
        let scope_id = tree
            .scopes
            .get(scope)
            .map(|s| s.id.clone())
            .unwrap_or_default();
        let field_src = obj.source_of("dependencies").cloned();
        for (dname, dep) in self.children(obj, "dependencies", "Dependency") {
            let src = dep.source.clone().or(field_src.clone());
            if let Some(outer) = parent.and_then(|p| tree.lookup(p, &dname)) {
                let outer = &tree.insts[outer];
                let mut d = Diagnostic::warning(
                    codes::SHADOWED_DEPENDENCY,
                    format!(
                        "`{dname}` in `{scope_id}` is a new instance that shadows `{}`",
                        outer.id
                    ),
                )
                .with_help(format!(
                    "to share `{}`, remove this declaration and keep `uses = [ \"{dname}\" ]`; \
to keep both, give this one another name",
                    outer.id
                ));
                if let Some(o) = &outer.src {
                    d = d.with_label(&o.file, o.span, "the outer instance");
                }
                self.push(d, src.as_ref(), "a new instance");
            }
            tree.insts.push(Inst {
                id: format!("{scope_id}/{dname}"),
                name: dname,
                scope,
                depth,
                obj: dep.clone(),
                src,
                alias: String::new(),
                container: String::new(),
                exports: BTreeMap::new(),
            });
        }
    }

    fn exports(&mut self, inst: &Inst) -> BTreeMap<String, EnvValue> {
        self.instance_record(inst, "exports", codes::BAD_EXPORTS)
    }

    /// A dependency's `exports` or `env`: a record, or a function of
    /// `{ name, alias, id }` applied to the instance (a definition is
    /// evaluated before it is bound to a name, so what depends on the
    /// name, such as Kafka's advertised listener, is computed here).
    fn instance_record(
        &mut self,
        inst: &Inst,
        field: &str,
        code: &'static str,
    ) -> BTreeMap<String, EnvValue> {
        let what = format!("dependency `{}`", inst.id);
        let at = inst.obj.source_of(field).cloned();
        let value = match inst.obj.get(field) {
            None | Some(Data::Null) => return BTreeMap::new(),
            Some(Data::Function(f)) => {
                let arg = Data::Attrs(
                    vec![
                        (Sym::new("alias"), Data::Str(inst.alias.as_str().into())),
                        (Sym::new("id"), Data::Str(inst.id.as_str().into())),
                        (Sym::new("name"), Data::Str(inst.name.as_str().into())),
                    ]
                    .into_boxed_slice(),
                );
                match self.calls.call(*f, arg) {
                    Ok(v) => v,
                    Err(d) => {
                        let label = format!("while computing this `{field}`");
                        self.push(d, at.as_ref(), &label);
                        return BTreeMap::new();
                    }
                }
            }
            Some(v) => v.clone(),
        };
        self.env_record(&value, field, &what, code, at.as_ref())
    }

    fn dependency_node(
        &mut self,
        tree: &Tree,
        idx: usize,
        eco_volumes: &BTreeMap<String, Mount>,
        info: &mut EcosystemInfo,
    ) {
        let Some(inst) = tree.insts.get(idx) else {
            return;
        };
        let scope = tree.scopes.get(inst.scope);
        let what = format!("dependency `{}`", inst.id);
        let obj = &inst.obj;
        let image = self.str_field(obj, "image", &what);
        if image.is_none() {
            let d = Diagnostic::error(codes::BAD_FIELD, format!("{what} has no `image`"))
                .with_help("a dependency runs a published image: `image = \"postgres:16\";`");
            self.push(d, inst.src.as_ref(), "declared here");
        }
        let mut mounts = Vec::new();
        match obj.get("volumes") {
            None | Some(Data::Null) => {}
            Some(Data::List(items)) => {
                for item in items.iter() {
                    let (Some(vname), Some(target)) = (
                        item.get("name").and_then(Data::as_str),
                        item.get("mountPath").and_then(Data::as_str),
                    ) else {
                        let msg = format!(
                            "a volume of {what} should be `{{ name = \"data\"; mountPath = \"/var/lib/…\"; }}`, found {}",
                            short(item)
                        );
                        self.bad_field(obj, "volumes", msg);
                        continue;
                    };
                    // An ecosystem volume of that name is shared; else the
                    // instance gets its own.
                    let mount = match eco_volumes.get(vname) {
                        Some(m) => Mount {
                            target: target.to_string(),
                            ..m.clone()
                        },
                        None => {
                            let mut parts: Vec<&str> = vec![tree.eco.as_str()];
                            if let Some(s) = scope {
                                parts.extend(s.path.iter().map(String::as_str));
                            }
                            parts.push(&inst.name);
                            parts.push(vname);
                            let docker = docker_name(&parts);
                            self.volume(&docker, &inst.id, inst.src.as_ref());
                            info.volumes.push(VolumeInfo {
                                name: docker.clone(),
                                owner: inst.id.clone(),
                                size: None,
                                host_path: None,
                            });
                            Mount {
                                kind: MountKind::Volume,
                                source: docker,
                                target: target.to_string(),
                                read_only: false,
                            }
                        }
                    };
                    mounts.push(mount);
                }
            }
            Some(other) => {
                let msg = format!(
                    "`volumes` of {what} should be a list of `{{ name, mountPath }}`, found {}",
                    describe(other)
                );
                self.bad_field(obj, "volumes", msg);
            }
        }
        info.volumes.sort_by(|a, b| a.name.cmp(&b.name));
        let node = Node {
            id: inst.id.clone(),
            kind: NodeKind::Dependency,
            name: inst.name.clone(),
            ecosystem: tree.eco.clone(),
            domain: scope.and_then(|s| s.domain.clone()),
            app: scope.and_then(|s| s.app.clone()),
            description: self.str_field(obj, "description", &what),
            container: Some(inst.container.clone()),
            alias: Some(inst.alias.clone()),
            image,
            command: self.str_list(obj, "command", &what),
            env: self.instance_record(inst, "env", codes::BAD_FIELD),
            ports: self.ports(obj, &inst.id, &what),
            health: self.health(obj, &what),
            resources: self.resources(obj, &what),
            mounts,
            labels: self.labels(&tree.eco, &inst.id, NodeKind::Dependency),
            scope: scope.map(|s| s.id.clone()),
            exports: inst.exports.clone(),
            source: inst.src.as_ref().map(SourceRef::from_source),
            ..Node::default()
        };
        self.add_node(node, inst.src.as_ref());
    }

    /// The instances `obj.uses` names, looked up from `scope`.
    fn uses(&mut self, tree: &Tree, obj: &ObjectData, scope: usize, who: &str) -> Vec<usize> {
        let at = obj.source_of("uses").cloned();
        let names = self.str_list(obj, "uses", who).unwrap_or_default();
        let mut out = Vec::new();
        for n in names {
            match tree.lookup(scope, &n) {
                Some(i) => {
                    if !out.contains(&i) {
                        out.push(i);
                    }
                }
                None => {
                    let visible = tree.visible(scope);
                    let mut d = Diagnostic::error(
                        codes::UNKNOWN_USE,
                        format!("{who} uses `{n}`, but no dependency of that name is in scope"),
                    );
                    if let Some(s) = did_you_mean(&n, visible.iter().copied()) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    }
                    d = d.with_note(if visible.is_empty() {
                        "no dependencies are declared in scope".to_string()
                    } else {
                        format!("names in scope: {}", visible.join(", "))
                    });
                    self.push(d, at.as_ref(), "unknown dependency");
                }
            }
        }
        out
    }

    /// Wired variables of `uses` for consumer `who`, then `own` on top.
    fn wire(
        &mut self,
        tree: &Tree,
        uses: &[usize],
        own: BTreeMap<String, EnvValue>,
        who: &str,
        at: Option<&Source>,
    ) -> BTreeMap<String, EnvValue> {
        let mut wired: BTreeMap<String, (EnvValue, usize)> = BTreeMap::new();
        // (first instance, second instance) → the variables both give.
        let mut clashes: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
        for &i in uses {
            let Some(inst) = tree.insts.get(i) else {
                continue;
            };
            for (k, v) in &inst.exports {
                let var = env_var(&inst.name, k);
                match wired.get(&var).map(|(_, j)| *j) {
                    None => {
                        wired.insert(var, (v.clone(), i));
                    }
                    Some(j) if j == i => {}
                    Some(j) => {
                        let inner = tree.insts.get(j).is_some_and(|o| inst.depth > o.depth);
                        if inner {
                            wired.insert(var.clone(), (v.clone(), i));
                        }
                        clashes.entry((j, i)).or_default().push(var);
                    }
                }
            }
        }
        for ((j, i), vars) in clashes {
            let (Some(other), Some(inst)) = (tree.insts.get(j), tree.insts.get(i)) else {
                continue;
            };
            let (winner, loser) = if inst.depth > other.depth {
                (inst, other)
            } else {
                (other, inst)
            };
            let list: Vec<String> = vars.iter().map(|v| format!("`{v}`")).collect();
            let mut d = Diagnostic::warning(
                codes::WIRED_VARIABLE_CLASH,
                format!(
                    "{who} gets {} from both `{}` and `{}`; `{}` wins",
                    list.join(", "),
                    other.id,
                    inst.id,
                    winner.id
                ),
            )
            .with_help(format!(
                "rename `{}`, or set the variables in {who}'s own `env`",
                loser.id
            ));
            for x in [other, inst] {
                if let Some(s) = &x.src {
                    d = d.with_label(&s.file, s.span, format!("`{}`", x.id));
                }
            }
            self.push(d, at, "used here");
        }
        let mut env: BTreeMap<String, EnvValue> =
            wired.into_iter().map(|(k, (v, _))| (k, v)).collect();
        env.extend(own);
        env
    }

    #[allow(clippy::too_many_arguments)]
    fn app_nodes(
        &mut self,
        tree: &Tree,
        d: &DomainT,
        a: &AppT,
        services: &[(String, String, String)],
        unique: &BTreeSet<String>,
        aliases: &mut BTreeMap<String, String>,
    ) {
        let eco = tree.eco.as_str();
        let what = format!("app `{}`", a.id);
        let path = self.str_field(a.obj, "path", &what);
        if path.is_none() && !matches!(a.obj.get("path"), Some(Data::Str(_))) {
            let d = Diagnostic::error(codes::BAD_FIELD, format!("{what} has no `path`"))
                .with_help("give the app's source directory: `path = ./services/api;`");
            self.push(d, a.obj.source.as_ref(), "this app");
        }
        let language = self.str_field(a.obj, "language", &what);
        let language_version = self.str_field(a.obj, "languageVersion", &what);
        let app_uses = self.uses(tree, a.obj, a.scope, &what);
        let ids = |v: &[usize]| -> Vec<String> {
            let mut out: Vec<String> = v
                .iter()
                .filter_map(|i| tree.insts.get(*i).map(|x| x.id.clone()))
                .collect();
            out.sort();
            out.dedup();
            out
        };
        let ws_id = format!("{}/dev", a.id);
        let live_id = format!("{}/live", a.id);
        let app_node = Node {
            id: a.id.clone(),
            kind: NodeKind::App,
            name: a.name.clone(),
            ecosystem: eco.to_string(),
            domain: Some(d.id.clone()),
            description: self.str_field(a.obj, "description", &what),
            path: path.clone(),
            language: language.clone(),
            language_version: language_version.clone(),
            workspace: a.workspace.as_ref().map(|_| ws_id.clone()),
            service: a.service.map(|_| live_id.clone()),
            uses: ids(&app_uses),
            source: a.obj.source.as_ref().map(SourceRef::from_source),
            ..Node::default()
        };
        if self.add_node(app_node, a.obj.source.as_ref()) {
            for u in ids(&app_uses) {
                self.edge(&a.id, &u, EdgeKind::Uses);
            }
        }

        if let Some((w, wscope)) = &a.workspace {
            let what = format!("workspace `{ws_id}`");
            let mut uses = self.uses(tree, w, *wscope, &what);
            for u in &app_uses {
                if !uses.contains(u) {
                    uses.push(*u);
                }
            }
            let own = self.env_field(w, &what);
            let env = self.wire(tree, &uses, own, &what, w.source_of("uses"));
            let language = self.str_field(w, "language", &what).or(language.clone());
            let language_version = self
                .str_field(w, "languageVersion", &what)
                .or(language_version.clone());
            let image = match self.str_field(w, "image", &what) {
                Some(i) => Some(i),
                None => match default_image(language.as_deref(), language_version.as_deref()) {
                    Some(i) => Some(i),
                    None => {
                        let d = Diagnostic::error(
                            codes::BAD_FIELD,
                            format!(
                                "{what} has no `image`, and there is no default image for language {}",
                                language
                                    .as_deref()
                                    .map(|l| format!("`{l}`"))
                                    .unwrap_or_else(|| "(none given)".to_string())
                            ),
                        )
                        .with_help("set `image = \"…\";` on the workspace (or in the domain's `defaults`)");
                        self.push(d, w.source.as_ref(), "this workspace");
                        None
                    }
                },
            };
            let mut mounts = Vec::new();
            if let Some(p) = &path {
                mounts.push(Mount {
                    kind: MountKind::Bind,
                    source: p.clone(),
                    target: "/workspace".to_string(),
                    read_only: false,
                });
            }
            mounts.extend(self.workspace_mounts(w, &what, eco));
            let command = self
                .str_list(w, "command", &what)
                .unwrap_or_else(|| vec!["sleep".to_string(), "infinity".to_string()]);
            let node = Node {
                id: ws_id.clone(),
                kind: NodeKind::Workspace,
                name: "dev".to_string(),
                ecosystem: eco.to_string(),
                domain: Some(d.id.clone()),
                app: Some(a.id.clone()),
                container: Some(docker_name(&[eco, &d.name, &a.name, "dev"])),
                image,
                command: Some(command),
                workdir: Some(
                    self.str_field(w, "workdir", &what)
                        .unwrap_or_else(|| "/workspace".to_string()),
                ),
                env,
                ports: self.ports(w, &ws_id, &what),
                mounts,
                labels: self.labels(eco, &ws_id, NodeKind::Workspace),
                uses: ids(&uses),
                path: path.clone(),
                language,
                language_version,
                shell: self.str_field(w, "shell", &what),
                tools: self.str_list(w, "tools", &what).unwrap_or_default(),
                nvim: w.get("nvim").cloned(),
                terminal: w.get("terminal").cloned(),
                source: w.source.as_ref().map(SourceRef::from_source),
                ..Node::default()
            };
            if self.add_node(node, w.source.as_ref()) {
                for u in ids(&uses) {
                    self.edge(&ws_id, &u, EdgeKind::Uses);
                }
            }
        }

        if let Some(s) = a.service {
            let what = format!("service `{live_id}`");
            let mut uses = self.uses(tree, s, a.scope, &what);
            for u in &app_uses {
                if !uses.contains(u) {
                    uses.push(*u);
                }
            }
            let own = self.env_field(s, &what);
            let env = self.wire(tree, &uses, own, &what, s.source_of("uses"));
            let image = self.str_field(s, "image", &what);
            let build = self.str_field(s, "build", &what);
            match (s.get("image"), s.get("build")) {
                (Some(_), Some(_)) => {
                    let mut d = Diagnostic::error(
                        codes::IMAGE_OR_BUILD,
                        format!("{what} has both `image` and `build`"),
                    )
                    .with_help("keep `image` to run a published image, or `build` to build one from a directory");
                    if let Some(b) = s.source_of("build") {
                        d = d.with_label(&b.file, b.span, "`build` here");
                    }
                    self.push(d, s.source_of("image"), "`image` here");
                }
                (None, None) => {
                    let d = Diagnostic::error(
                        codes::IMAGE_OR_BUILD,
                        format!("{what} has neither `image` nor `build`"),
                    )
                    .with_help("add `image = \"…\";` or `build = ./dir;`");
                    self.push(d, s.source.as_ref(), "this service");
                }
                _ => {}
            }
            let alias = if unique.contains(&a.name) {
                a.name.clone()
            } else {
                format!("{}-{}", d.name, a.name)
            };
            self.alias(aliases, &alias, &live_id, s.source.as_ref());
            let depends_on = self.service_depends_on(s, d, services, &what, &live_id);
            let node = Node {
                id: live_id.clone(),
                kind: NodeKind::Service,
                name: "live".to_string(),
                ecosystem: eco.to_string(),
                domain: Some(d.id.clone()),
                app: Some(a.id.clone()),
                container: Some(docker_name(&[eco, &d.name, &a.name, "live"])),
                alias: Some(alias),
                image,
                build,
                command: self.str_list(s, "command", &what),
                workdir: self.str_field(s, "workdir", &what),
                env,
                ports: self.ports(s, &live_id, &what),
                health: self.health(s, &what),
                resources: self.resources(s, &what),
                labels: self.labels(eco, &live_id, NodeKind::Service),
                uses: ids(&uses),
                depends_on: depends_on.clone(),
                replicas: self.int_field(s, "replicas", &what),
                source: s.source.as_ref().map(SourceRef::from_source),
                ..Node::default()
            };
            if self.add_node(node, s.source.as_ref()) {
                for u in ids(&uses) {
                    self.edge(&live_id, &u, EdgeKind::Uses);
                }
                for t in depends_on {
                    self.edge(&live_id, &t, EdgeKind::DependsOn);
                }
            }
        }
    }

    fn workspace_mounts(&mut self, w: &ObjectData, what: &str, eco: &str) -> Vec<Mount> {
        let items = match w.get("mounts") {
            None | Some(Data::Null) => return Vec::new(),
            Some(Data::List(items)) => items,
            Some(other) => {
                let msg = format!(
                    "`mounts` of {what} should be a list, found {}",
                    describe(other)
                );
                self.bad_field(w, "mounts", msg);
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items.iter() {
            let target = item
                .get("target")
                .or(item.get("mountPath"))
                .and_then(Data::as_str);
            let read_only = matches!(item.get("readOnly"), Some(Data::Bool(true)));
            let source = item.get("source").and_then(Data::as_str);
            let volume = item.get("volume").and_then(Data::as_str);
            let mount = match (target, source, volume) {
                (Some(t), Some(s), None) => Mount {
                    kind: MountKind::Bind,
                    source: s.to_string(),
                    target: t.to_string(),
                    read_only,
                },
                (Some(t), None, Some(v)) => Mount {
                    kind: MountKind::Volume,
                    source: docker_name(&[eco, v]),
                    target: t.to_string(),
                    read_only,
                },
                _ => {
                    let msg = format!(
                        "a mount of {what} should be `{{ source = /host/dir; target = \"/in/container\"; }}` or `{{ volume = \"name\"; target = …; }}`, found {}",
                        short(item)
                    );
                    self.bad_field(w, "mounts", msg);
                    continue;
                }
            };
            out.push(mount);
        }
        out
    }

    fn service_depends_on(
        &mut self,
        s: &ObjectData,
        d: &DomainT,
        services: &[(String, String, String)],
        what: &str,
        own_id: &str,
    ) -> Vec<String> {
        let names = self.str_list(s, "dependsOn", what).unwrap_or_default();
        let mut out = Vec::new();
        for n in names {
            let found = services
                .iter()
                .find(|(dn, an, _)| *dn == d.name && *an == n)
                .or_else(|| services.iter().find(|(_, an, _)| *an == n));
            match found {
                Some((_, _, id)) => out.push(id.clone()),
                None => {
                    let mut diag = Diagnostic::error(
                        codes::UNKNOWN_DEPENDS_ON,
                        format!("{what} depends on `{n}`, but no app of that name has a service"),
                    );
                    let candidates: Vec<&str> = services
                        .iter()
                        .filter(|(_, _, id)| id != own_id)
                        .map(|(_, an, _)| an.as_str())
                        .collect();
                    if let Some(sugg) = did_you_mean(&n, candidates) {
                        diag = diag.with_help(format!("did you mean `{sugg}`?"));
                    }
                    self.push(diag, s.source_of("dependsOn"), "unknown service");
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    // ----- execution objects -----

    fn execution(&mut self, eco: &str, domains: &[DomainT]) {
        // Names first, so that string references resolve in any order.
        let mut names: BTreeMap<String, ExecNames> = BTreeMap::new();
        let mut lists = Vec::new();
        for d in domains {
            let tasks = self.children(d.obj, "tasks", "Task");
            let workflows = self.children(d.obj, "workflows", "Workflow");
            let pipelines = self.children(d.obj, "pipelines", "Pipeline");
            let jobs = self.children(d.obj, "jobs", "Job");
            let n = names.entry(d.name.clone()).or_default();
            for (t, _) in &tasks {
                n.tasks.insert(t.clone(), format!("{}/task:{t}", d.id));
            }
            for (w, _) in &workflows {
                n.workflows
                    .insert(w.clone(), format!("{}/workflow:{w}", d.id));
            }
            for (p, _) in &pipelines {
                n.pipelines
                    .insert(p.clone(), format!("{}/pipeline:{p}", d.id));
            }
            lists.push((d, tasks, workflows, pipelines, jobs));
        }
        let apps: Vec<&AppT> = domains.iter().flat_map(|d| &d.apps).collect();
        let cx = ExecCx {
            eco,
            domains,
            apps: &apps,
            names: &names,
        };
        for (d, tasks, workflows, pipelines, jobs) in lists {
            for (t, obj) in tasks {
                self.task(&cx, d, &format!("{}/task:{t}", d.id), &t, obj);
            }
            for (w, obj) in workflows {
                self.workflow(&cx, d, &format!("{}/workflow:{w}", d.id), &w, obj);
            }
            for (p, obj) in pipelines {
                self.pipeline(&cx, d, &format!("{}/pipeline:{p}", d.id), &p, obj);
            }
            for (j, obj) in jobs {
                self.job(&cx, d, &format!("{}/job:{j}", d.id), &j, obj);
            }
        }
    }

    fn task(&mut self, cx: &ExecCx, d: &DomainT, id: &str, name: &str, obj: &ObjectData) {
        let what = format!("task `{id}`");
        let mut target = None;
        let mut target_node = None;
        match obj.get("target") {
            Some(Data::Str(t)) => {
                let found = d
                    .apps
                    .iter()
                    .find(|a| a.name == **t)
                    .or_else(|| cx.apps.iter().copied().find(|a| a.name == **t));
                match found {
                    Some(a) => {
                        target = Some(a.id.clone());
                        target_node = Some(a.target_node());
                    }
                    None => {
                        let mut diag = Diagnostic::error(
                            codes::UNKNOWN_TARGET,
                            format!(
                                "{what} targets `{t}`, but the ecosystem has no app of that name"
                            ),
                        );
                        if let Some(s) = did_you_mean(t, cx.apps.iter().map(|a| a.name.as_str())) {
                            diag = diag.with_help(format!("did you mean `{s}`?"));
                        }
                        let mut all: Vec<&str> = cx.apps.iter().map(|a| a.name.as_str()).collect();
                        all.sort();
                        all.dedup();
                        if !all.is_empty() {
                            diag = diag.with_note(format!("apps: {}", all.join(", ")));
                        }
                        self.push(diag, obj.source_of("target"), "unknown app");
                    }
                }
            }
            other => {
                let msg = match other {
                    None => format!("{what} has no `target` (the app to run in)"),
                    Some(v) => format!(
                        "`target` of {what} should be an app's name, found {}",
                        describe(v)
                    ),
                };
                self.bad_field(obj, "target", msg);
            }
        }
        let command = self.str_list(obj, "command", &what);
        if command.is_none() && obj.get("command").is_none() {
            self.bad_field(obj, "command", format!("{what} has no `command`"));
        }
        let node = Node {
            id: id.to_string(),
            kind: NodeKind::Task,
            name: name.to_string(),
            ecosystem: cx.eco.to_string(),
            domain: Some(d.id.clone()),
            description: self.str_field(obj, "description", &what),
            command,
            workdir: self.str_field(obj, "workdir", &what),
            env: self.env_field(obj, &what),
            target,
            target_node: target_node.clone(),
            timeout: self.int_field(obj, "timeout", &what),
            source: obj.source.as_ref().map(SourceRef::from_source),
            ..Node::default()
        };
        if self.add_node(node, obj.source.as_ref())
            && let Some(t) = target_node
        {
            self.edge(id, &t, EdgeKind::Target);
        }
    }

    fn workflow(&mut self, cx: &ExecCx, d: &DomainT, id: &str, name: &str, obj: &ObjectData) {
        let what = format!("workflow `{id}`");
        let (steps, layers) = self.steps(obj, "tasks", &what, |r, step, value, at| match value {
            Data::Object(t) if t.kind.as_str() == "Task" && !t.template => {
                let tid = format!("{id}/{step}");
                r.task(cx, d, &tid, step, t);
                Some(tid)
            }
            Data::Str(t) => {
                let found = cx.find(d, t, |n| &n.tasks);
                if found.is_none() {
                    let all = cx.all(|n| &n.tasks);
                    r.unknown_step(("step", step), &what, ("task", t), &all, at);
                }
                found
            }
            other => {
                r.wrong_kind(&format!("tasks.{step}.task"), "Task", other, at);
                None
            }
        });
        self.exec_node(cx, d, id, name, NodeKind::Workflow, obj, steps, layers);
    }

    fn pipeline(&mut self, cx: &ExecCx, d: &DomainT, id: &str, name: &str, obj: &ObjectData) {
        let what = format!("pipeline `{id}`");
        let (steps, layers) = self.steps(obj, "stages", &what, |r, step, value, at| match value {
            Data::Object(w) if w.kind.as_str() == "Workflow" && !w.template => {
                let wid = format!("{id}/{step}");
                r.workflow(cx, d, &wid, step, w);
                Some(wid)
            }
            Data::Str(w) => {
                let found = cx.find(d, w, |n| &n.workflows);
                if found.is_none() {
                    let all = cx.all(|n| &n.workflows);
                    r.unknown_step(("stage", step), &what, ("workflow", w), &all, at);
                }
                found
            }
            other => {
                r.wrong_kind(&format!("stages.{step}.workflow"), "Workflow", other, at);
                None
            }
        });
        self.exec_node(cx, d, id, name, NodeKind::Pipeline, obj, steps, layers);
    }

    #[allow(clippy::too_many_arguments)]
    fn exec_node(
        &mut self,
        cx: &ExecCx,
        d: &DomainT,
        id: &str,
        name: &str,
        kind: NodeKind,
        obj: &ObjectData,
        steps: BTreeMap<String, Step>,
        layers: Vec<Vec<String>>,
    ) {
        let runs: Vec<String> = steps.values().map(|s| s.runs.clone()).collect();
        let node = Node {
            id: id.to_string(),
            kind,
            name: name.to_string(),
            ecosystem: cx.eco.to_string(),
            domain: Some(d.id.clone()),
            description: self.str_field(obj, "description", "a workflow"),
            steps,
            layers,
            source: obj.source.as_ref().map(SourceRef::from_source),
            ..Node::default()
        };
        if self.add_node(node, obj.source.as_ref()) {
            for r in runs.iter().filter(|r| !r.is_empty()) {
                self.edge(id, r, EdgeKind::Runs);
            }
        }
    }

    /// The steps of a workflow (`tasks`) or pipeline (`stages`): each
    /// `{ <inner> = …; dependsOn = [ … ]; }`, resolved by `run`, then
    /// checked and layered.
    fn steps(
        &mut self,
        obj: &ObjectData,
        field: &str,
        what: &str,
        mut run: impl FnMut(&mut Self, &str, &Data, Option<&Source>) -> Option<String>,
    ) -> (BTreeMap<String, Step>, Vec<Vec<String>>) {
        let inner = if field == "tasks" { "task" } else { "workflow" };
        let at = obj.source_of(field).cloned();
        let entries = match obj.get(field) {
            None | Some(Data::Null) => {
                self.bad_field(obj, field, format!("{what} has no `{field}`"));
                return (BTreeMap::new(), Vec::new());
            }
            Some(Data::Attrs(e)) => sorted(e),
            Some(other) => {
                let msg = format!(
                    "`{field}` of {what} should be a record of steps, found {}",
                    describe(other)
                );
                self.bad_field(obj, field, msg);
                return (BTreeMap::new(), Vec::new());
            }
        };
        // name, runs, dependsOn, where
        let mut raw: Vec<(String, String, Vec<String>, Option<Source>)> = Vec::new();
        for (step, v) in entries {
            self.check_name(step, "step", at.as_ref());
            // `{ task = …; dependsOn = …; }`, or the task itself.
            let (value, deps) = match v {
                Data::Object(o) if o.kind.as_str() != "Task" && o.kind.as_str() != "Workflow" => {
                    (v.get(inner), v.get("dependsOn"))
                }
                Data::Object(_) => (Some(v), None),
                Data::Attrs(_) => (v.get(inner), v.get("dependsOn")),
                _ => (None, None),
            };
            let step_src = value
                .and_then(Data::as_object)
                .and_then(|o| o.source.clone())
                .or(at.clone());
            let runs = match value {
                Some(value) => run(self, step, value, step_src.as_ref()).unwrap_or_default(),
                None => {
                    let d = Diagnostic::error(
                        codes::BAD_FIELD,
                        format!(
                            "step `{step}` of {what} should be `{{ {inner} = …; dependsOn = [ … ]; }}`, found {}",
                            short(v)
                        ),
                    );
                    self.push(d, at.as_ref(), "here");
                    String::new()
                }
            };
            let mut depends_on = Vec::new();
            match deps {
                None | Some(Data::Null) => {}
                Some(Data::List(items)) => {
                    for i in items.iter() {
                        match i {
                            Data::Str(s) => depends_on.push(s.to_string()),
                            other => {
                                let d = Diagnostic::error(
                                    codes::BAD_FIELD,
                                    format!(
                                        "`dependsOn` of step `{step}` of {what} should list step names, but holds {}",
                                        describe(other)
                                    ),
                                );
                                self.push(d, step_src.as_ref(), "here");
                            }
                        }
                    }
                }
                Some(other) => {
                    let d = Diagnostic::error(
                        codes::BAD_FIELD,
                        format!(
                            "`dependsOn` of step `{step}` of {what} should be a list of step names, found {}",
                            describe(other)
                        ),
                    );
                    self.push(d, step_src.as_ref(), "here");
                }
            }
            depends_on.sort();
            depends_on.dedup();
            raw.push((step.to_string(), runs, depends_on, step_src));
        }
        let index: BTreeMap<&str, usize> = raw
            .iter()
            .enumerate()
            .map(|(i, (n, ..))| (n.as_str(), i))
            .collect();
        let mut after: Vec<Vec<usize>> = Vec::new();
        let mut unknown = Vec::new();
        for (step, _, deps, src) in &raw {
            let mut a = Vec::new();
            for dep in deps {
                match index.get(dep.as_str()) {
                    Some(i) => a.push(*i),
                    None => unknown.push((step.clone(), dep.clone(), src.clone())),
                }
            }
            after.push(a);
        }
        for (step, dep, src) in unknown {
            let mut d = Diagnostic::error(
                codes::UNKNOWN_DEPENDS_ON,
                format!("step `{step}` of {what} depends on `{dep}`, which is not a step of it"),
            );
            if let Some(s) = did_you_mean(&dep, index.keys().copied()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            let names: Vec<&str> = index.keys().copied().collect();
            d = d.with_note(format!("steps: {}", names.join(", ")));
            self.push(d, src.as_ref(), "unknown step");
        }
        let layered = dag::layers(&after);
        let name_of = |i: &usize| raw.get(*i).map(|r| r.0.clone()).unwrap_or_default();
        for cycle in &layered.cycles {
            let names: Vec<String> = cycle.iter().map(name_of).collect();
            let mut ring = names.clone();
            if let Some(first) = names.first() {
                ring.push(first.clone());
            }
            let mut d = Diagnostic::error(
                codes::CYCLE,
                format!("the steps of {what} form a cycle: {}", ring.join(" → ")),
            )
            .with_help("remove one `dependsOn` so that an order exists");
            for i in cycle {
                if let Some((n, _, deps, Some(s))) = raw.get(*i) {
                    d = d.with_label(
                        &s.file,
                        s.span,
                        format!("`{n}` depends on {}", deps.join(", ")),
                    );
                }
            }
            self.push(d, at.as_ref(), "in these steps");
        }
        let layers = layered
            .layers
            .iter()
            .map(|l| {
                let mut names: Vec<String> = l.iter().map(name_of).collect();
                names.sort();
                names
            })
            .collect();
        let steps = raw
            .into_iter()
            .map(|(n, runs, depends_on, _)| (n, Step { runs, depends_on }))
            .collect();
        (steps, layers)
    }

    fn job(&mut self, cx: &ExecCx, d: &DomainT, id: &str, name: &str, obj: &ObjectData) {
        let what = format!("job `{id}`");
        let mut runs = None;
        match obj.get("runs") {
            Some(Data::Str(r)) => {
                runs = cx
                    .find(d, r, |n| &n.workflows)
                    .or_else(|| cx.find(d, r, |n| &n.pipelines))
                    .or_else(|| cx.find(d, r, |n| &n.tasks));
                if runs.is_none() {
                    let mut all = cx.all(|n| &n.workflows);
                    all.extend(cx.all(|n| &n.pipelines));
                    all.extend(cx.all(|n| &n.tasks));
                    all.sort();
                    all.dedup();
                    let mut diag = Diagnostic::error(
                        codes::UNKNOWN_RUNS,
                        format!(
                            "{what} runs `{r}`, but there is no workflow, pipeline or task of that name"
                        ),
                    );
                    if let Some(s) = did_you_mean(r, all.iter().copied()) {
                        diag = diag.with_help(format!("did you mean `{s}`?"));
                    }
                    if !all.is_empty() {
                        diag = diag.with_note(format!("can run: {}", all.join(", ")));
                    }
                    self.push(diag, obj.source_of("runs"), "unknown name");
                }
            }
            None => self.bad_field(obj, "runs", format!("{what} has no `runs`")),
            Some(other) => {
                let msg = format!(
                    "`runs` of {what} should name a workflow, pipeline or task, found {}",
                    describe(other)
                );
                self.bad_field(obj, "runs", msg);
            }
        }
        let trigger = obj.get("trigger").cloned();
        let trigger_ok = match &trigger {
            Some(Data::Str(t)) => matches!(&**t, "commit" | "manual"),
            Some(t @ (Data::Attrs(_) | Data::Object(_))) => {
                matches!(t.get("schedule"), Some(Data::Str(_)))
            }
            _ => false,
        };
        if !trigger_ok {
            let msg = format!(
                "`trigger` of {what} should be \"commit\", \"manual\" or {{ schedule = \"…\"; }}, found {}",
                trigger
                    .as_ref()
                    .map(short)
                    .unwrap_or_else(|| "nothing".to_string())
            );
            self.bad_field(obj, "trigger", msg);
        }
        let node = Node {
            id: id.to_string(),
            kind: NodeKind::Job,
            name: name.to_string(),
            ecosystem: cx.eco.to_string(),
            domain: Some(d.id.clone()),
            description: self.str_field(obj, "description", &what),
            trigger,
            runs: runs.clone(),
            source: obj.source.as_ref().map(SourceRef::from_source),
            ..Node::default()
        };
        if self.add_node(node, obj.source.as_ref())
            && let Some(r) = runs
        {
            self.edge(id, &r, EdgeKind::Runs);
        }
    }

    // ----- start order -----

    fn start_order(&mut self) -> Vec<Vec<String>> {
        let ids: Vec<&Node> = self
            .nodes
            .values()
            .filter(|n| n.kind.has_container())
            .collect();
        let index: BTreeMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let after: Vec<Vec<usize>> = ids
            .iter()
            .map(|n| {
                n.uses
                    .iter()
                    .chain(&n.depends_on)
                    .filter_map(|u| index.get(u.as_str()).copied())
                    .collect()
            })
            .collect();
        let layered = dag::layers(&after);
        let mut diags = Vec::new();
        let mut placed = vec![false; ids.len()];
        let mut order: Vec<Vec<String>> = layered
            .layers
            .iter()
            .map(|l| {
                let mut layer: Vec<String> = l
                    .iter()
                    .filter_map(|i| {
                        if let Some(p) = placed.get_mut(*i) {
                            *p = true;
                        }
                        ids.get(*i).map(|n| n.id.clone())
                    })
                    .collect();
                layer.sort();
                layer
            })
            .collect();
        for cycle in &layered.cycles {
            let names: Vec<&str> = cycle
                .iter()
                .filter_map(|i| ids.get(*i).map(|n| n.id.as_str()))
                .collect();
            let mut ring = names.clone();
            if let Some(f) = names.first() {
                ring.push(f);
            }
            let mut d = Diagnostic::error(
                codes::CYCLE,
                format!(
                    "services depend on each other in a cycle: {}",
                    ring.join(" → ")
                ),
            )
            .with_help("remove one `dependsOn` so that a start order exists");
            let mut first = None;
            for i in cycle {
                if let Some(s) = ids.get(*i).and_then(|n| n.source.as_ref()) {
                    if first.is_none() {
                        first = Some(s.clone());
                    } else {
                        d = d.with_label(&s.file.as_str().into(), span_of(s), "on the cycle");
                    }
                }
            }
            diags.push((d, first));
        }
        // Nodes on or behind a cycle still start, last.
        let mut rest: Vec<String> = ids
            .iter()
            .enumerate()
            .filter(|(i, _)| !placed.get(*i).copied().unwrap_or(true))
            .map(|(_, n)| n.id.clone())
            .collect();
        rest.sort();
        if !rest.is_empty() {
            order.push(rest);
        }
        for (d, first) in diags {
            let d = match first {
                Some(s) => d.at(&s.file.as_str().into(), span_of(&s), "on the cycle"),
                None => d,
            };
            self.push(d, None, "");
        }
        order
    }
}

/// What string references of execution objects are resolved against.
struct ExecCx<'x> {
    eco: &'x str,
    domains: &'x [DomainT<'x>],
    apps: &'x [&'x AppT<'x>],
    names: &'x BTreeMap<String, ExecNames>,
}

impl ExecCx<'_> {
    /// `name` in domain `d`'s set, else in the first other domain (by
    /// name) that has it.
    fn find(
        &self,
        d: &DomainT,
        name: &str,
        set: impl Fn(&ExecNames) -> &BTreeMap<String, String>,
    ) -> Option<String> {
        self.names
            .get(&d.name)
            .and_then(|n| set(n).get(name))
            .or_else(|| {
                self.domains
                    .iter()
                    .find_map(|o| self.names.get(&o.name).and_then(|n| set(n).get(name)))
            })
            .cloned()
    }
    fn all(&self, set: impl Fn(&ExecNames) -> &BTreeMap<String, String>) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .names
            .values()
            .flat_map(|n| set(n).keys().map(String::as_str))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

// ----- helpers -----

/// Entries sorted by name text (a `Sym` orders by address).
fn sorted(entries: &[(Sym, Data)]) -> Vec<(&'static str, &Data)> {
    let mut v: Vec<(&'static str, &Data)> = entries.iter().map(|(k, v)| (k.as_str(), v)).collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

/// `Some(Some(v))` for a usable environment value, `Some(None)` for null
/// (left out), `None` for anything else.
fn env_value(d: &Data) -> Option<Option<EnvValue>> {
    Some(Some(match d {
        Data::Null => return Some(None),
        Data::Str(s) => EnvValue::Text(s.to_string()),
        Data::Int(i) => EnvValue::Text(i.to_string()),
        Data::Float(f) => EnvValue::Text(f.to_string()),
        Data::Bool(b) => EnvValue::Text(b.to_string()),
        Data::Secret(parts) => EnvValue::Secret(parts.clone()),
        _ => return None,
    }))
}

fn describe(d: &Data) -> String {
    match d {
        Data::Null => "null".into(),
        Data::Bool(_) => "a boolean".into(),
        Data::Int(_) | Data::Float(_) => "a number".into(),
        Data::Str(_) => "a string".into(),
        Data::List(_) => "a list".into(),
        Data::Attrs(_) => "a plain record".into(),
        Data::Object(o) if o.template => format!("a template of `{}`", o.kind),
        Data::Object(o) => format!("an object of kind `{}`", o.kind),
        Data::Secret(_) => "a secret".into(),
        Data::Function(_) => "a function".into(),
    }
}

/// A value shown briefly in a message (at most 60 characters of JSON).
fn short(d: &Data) -> String {
    let json = d.to_json_string();
    if json.chars().count() <= 60 {
        json
    } else {
        let cut: String = json.chars().take(57).collect();
        format!("{cut}...")
    }
}

fn slash(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

fn span_of(s: &SourceRef) -> crate::syntax::ast::Span {
    crate::syntax::ast::Span {
        start: s.span.0,
        end: s.span.1,
    }
}

/// A workspace image when none is given, from its language:
/// `go` 1.24 → `golang:1.24`. `None` for a language without one.
fn default_image(language: Option<&str>, version: Option<&str>) -> Option<String> {
    let repo = match language?.to_ascii_lowercase().as_str() {
        "go" | "golang" => "golang",
        "node" | "javascript" | "typescript" | "js" | "ts" => "node",
        "python" => "python",
        "rust" => "rust",
        "ruby" => "ruby",
        "java" => "eclipse-temurin",
        _ => return None,
    };
    Some(format!("{repo}:{}", version.unwrap_or("latest")))
}

/// The workspace with its domain's `defaults` under it: every field the
/// workspace does not set comes from the defaults; records merge deeply,
/// the workspace winning.
fn merge_defaults(defaults: &ObjectData, ws: &ObjectData) -> ObjectData {
    let mut fields: Vec<(Sym, Data)> = ws.fields.to_vec();
    let mut sources: Vec<(Sym, Source)> = ws.field_sources.to_vec();
    for (k, dv) in defaults.fields.iter() {
        match fields.iter_mut().find(|(f, _)| f == k) {
            Some((_, wv)) => *wv = deep_merge(dv, wv),
            None => {
                fields.push((*k, dv.clone()));
                if let Some(s) = defaults.field_sources.iter().find(|(f, _)| f == k) {
                    sources.push(s.clone());
                }
            }
        }
    }
    fields.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    sources.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    ObjectData {
        kind: ws.kind,
        template: false,
        fields: fields.into_boxed_slice(),
        source: ws.source.clone(),
        field_sources: sources.into_boxed_slice(),
    }
}

fn deep_merge(base: &Data, over: &Data) -> Data {
    match (base, over) {
        (Data::Attrs(b), Data::Attrs(o)) => {
            let mut out: Vec<(Sym, Data)> = o.to_vec();
            for (k, bv) in b.iter() {
                match out.iter_mut().find(|(f, _)| f == k) {
                    Some((_, ov)) => *ov = deep_merge(bv, ov),
                    None => out.push((*k, bv.clone())),
                }
            }
            out.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
            Data::Attrs(out.into_boxed_slice())
        }
        _ => over.clone(),
    }
}
