//! The resolved graph as data: the types `dvm eval --graph` prints and a
//! realiser reads. Owns their shape and serialisation (camelCase, stable
//! order: nodes by id, edges by `(from, to, kind)`, maps as `BTreeMap`) and
//! nothing else: it knows neither how the graph is resolved nor how it is
//! drawn.
//!
//! Units are normal forms: durations in milliseconds, memory in bytes, cpu
//! in millicores. Secrets stay structured ([`EnvValue::Secret`]) so an
//! in-process realiser can fill them in, but serialise only as their
//! `"<secret:NAME>"` placeholder.

use crate::data::{Data, SecretPart, Source, secret_placeholder};
use serde::ser::{Serialize, Serializer};
use std::collections::BTreeMap;

/// The version of the graph format.
pub const GRAPH_VERSION: u32 = 1;

/// Every object of the entry file, resolved.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Graph {
    pub version: u32,
    /// Sorted by name.
    pub ecosystems: Vec<EcosystemInfo>,
    /// Sorted by id.
    pub nodes: Vec<Node>,
    /// Sorted by `(from, to, kind)`.
    pub edges: Vec<Edge>,
    /// Container node ids in layers: a node comes after everything it uses
    /// and the services it depends on. Each layer is sorted.
    pub start_order: Vec<Vec<String>>,
}

impl Graph {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes
            .binary_search_by(|n| n.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.nodes.get(i))
    }
}

/// An ecosystem's shared resources.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EcosystemInfo {
    pub name: String,
    /// The Docker network every container of the ecosystem joins.
    pub network: String,
    /// Every named volume to create, sorted by Docker name.
    pub volumes: Vec<VolumeInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeInfo {
    pub platform: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub socket: Option<String>,
}

/// A Docker volume: an ecosystem's `volumes` entry or a dependency
/// instance's own volume.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeInfo {
    /// The Docker name, `dvm-<eco>-…-<volume>`.
    pub name: String,
    /// The id of the node that owns it (the ecosystem or the instance).
    pub owner: String,
    /// The size in bytes, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// A host directory to use instead of a managed volume.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_path: Option<String>,
}

/// Where in a `.dvm` file an object was written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceRef {
    pub file: String,
    pub span: (u32, u32),
}

impl SourceRef {
    pub fn from_source(s: &Source) -> SourceRef {
        SourceRef {
            file: s.file.to_string(),
            span: (s.span.start, s.span.end),
        }
    }
}

impl Serialize for SourceRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Repr<'a> {
            file: &'a str,
            span: [u32; 2],
        }
        Repr {
            file: &self.file,
            span: [self.span.0, self.span.1],
        }
        .serialize(s)
    }
}

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub enum NodeKind {
    #[default]
    Ecosystem,
    Domain,
    App,
    Workspace,
    Service,
    Dependency,
    Task,
    Workflow,
    Pipeline,
    Job,
}

impl NodeKind {
    pub const ALL: [NodeKind; 10] = [
        NodeKind::Ecosystem,
        NodeKind::Domain,
        NodeKind::App,
        NodeKind::Workspace,
        NodeKind::Service,
        NodeKind::Dependency,
        NodeKind::Task,
        NodeKind::Workflow,
        NodeKind::Pipeline,
        NodeKind::Job,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Ecosystem => "Ecosystem",
            NodeKind::Domain => "Domain",
            NodeKind::App => "App",
            NodeKind::Workspace => "Workspace",
            NodeKind::Service => "Service",
            NodeKind::Dependency => "Dependency",
            NodeKind::Task => "Task",
            NodeKind::Workflow => "Workflow",
            NodeKind::Pipeline => "Pipeline",
            NodeKind::Job => "Job",
        }
    }
    /// The plural a person would type: `apps`, `dependencies`.
    pub fn plural(self) -> &'static str {
        match self {
            NodeKind::Ecosystem => "ecosystems",
            NodeKind::Domain => "domains",
            NodeKind::App => "apps",
            NodeKind::Workspace => "workspaces",
            NodeKind::Service => "services",
            NodeKind::Dependency => "dependencies",
            NodeKind::Task => "tasks",
            NodeKind::Workflow => "workflows",
            NodeKind::Pipeline => "pipelines",
            NodeKind::Job => "jobs",
        }
    }
    /// `dependency`, `Dependencies`, `APPS`: a kind by its singular or
    /// plural name, in any case.
    pub fn parse(text: &str) -> Option<NodeKind> {
        let t = text.trim();
        NodeKind::ALL
            .into_iter()
            .find(|k| t.eq_ignore_ascii_case(k.as_str()) || t.eq_ignore_ascii_case(k.plural()))
    }
    /// Dependency instances, workspaces and services run as containers.
    pub fn has_container(self) -> bool {
        matches!(
            self,
            NodeKind::Dependency | NodeKind::Workspace | NodeKind::Service
        )
    }
}

/// One object. Fields a kind does not have are left out of the JSON.
///
/// Common to all: `id`, `kind`, `name`, `ecosystem`, `source`. Containers
/// (Dependency, Workspace, Service) add `container`, `image`/`build`,
/// `command`, `env`, `ports`, `health`, `resources`, `mounts`, `labels`,
/// and (dependencies and services) `alias`.
#[derive(Clone, Debug, PartialEq, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    /// The ecosystem's name.
    pub ecosystem: String,
    /// The id of the enclosing domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The id of the enclosing app (a workspace's, a service's, an
    /// app-scoped dependency's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The Docker container name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// The DNS alias on the ecosystem's network.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// A directory to build the image from (a service without `image`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workdir: Option<String>,
    /// The environment after wiring: exports of used instances, then the
    /// object's own `env` on top.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, EnvValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<Port>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<Health>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<Mount>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Ids of the dependency instances used (consumers: the effective list,
    /// an app's included), sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<String>,
    /// Ids of the services a service depends on, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i64>,
    // App and Workspace.
    /// The app's source directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_version: Option<String>,
    /// An app's workspace node id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
    /// An app's service node id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shell: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<String>,
    /// Editor settings, passed through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nvim: Option<Data>,
    /// Terminal settings, passed through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminal: Option<Data>,
    // Dependency.
    /// The id of the scope that declares the instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// What consumers receive, before the `<NAME>_` prefix.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub exports: BTreeMap<String, EnvValue>,
    // Task.
    /// A task's target app id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The node a task runs in: the app's workspace, else its service,
    /// else the app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_node: Option<String>,
    /// Milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
    // Workflow and Pipeline.
    /// Workflow tasks or pipeline stages, by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub steps: BTreeMap<String, Step>,
    /// Step names in parallel groups: each layer runs after the previous.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<Vec<String>>,
    // Job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Data>,
    /// The id of the workflow, pipeline or task a job runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runs: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// A workflow task or a pipeline stage.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// The id of the task (workflow) or workflow (pipeline) it runs; empty
    /// when that could not be resolved.
    pub runs: String,
    /// Names of sibling steps, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

/// An environment value: text, or text with secrets in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvValue {
    Text(String),
    Secret(Box<[SecretPart]>),
}

impl EnvValue {
    /// The text a person may see: secrets as `<secret:NAME>`.
    pub fn shown(&self) -> String {
        match self {
            EnvValue::Text(t) => t.clone(),
            EnvValue::Secret(parts) => secret_placeholder(parts),
        }
    }
}

impl Serialize for EnvValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            EnvValue::Text(t) => s.serialize_str(t),
            EnvValue::Secret(parts) => s.serialize_str(&secret_placeholder(parts)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Port {
    pub container: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<i64>,
    pub protocol: Protocol,
}

impl Port {
    /// `8080:80/tcp` or `5432/tcp`.
    pub fn shown(&self) -> String {
        match self.host {
            Some(h) => format!("{h}:{}/{}", self.container, self.protocol.as_str()),
            None => format!("{}/{}", self.container, self.protocol.as_str()),
        }
    }
}

/// A health check, ready to run: `command` runs inside the container (an
/// `http` check becomes a `wget`-or-`curl` shell command).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub command: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpCheck>,
    /// Milliseconds.
    pub interval: i64,
    /// Milliseconds.
    pub timeout: i64,
    pub retries: i64,
    /// Milliseconds.
    pub start_period: i64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpCheck {
    pub path: String,
    pub port: i64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resources {
    /// Bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// Millicores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MountKind {
    /// A host directory.
    Bind,
    /// A named Docker volume.
    Volume,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mount {
    #[serde(rename = "type")]
    pub kind: MountKind,
    /// A host path (bind) or a Docker volume name (volume).
    pub source: String,
    /// The path inside the container.
    pub target: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EdgeKind {
    /// A service starts after another service.
    DependsOn,
    /// A job, workflow or pipeline runs a task, workflow or pipeline.
    Runs,
    /// A task runs in its target's container.
    Target,
    /// A consumer uses a dependency instance.
    Uses,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::DependsOn => "dependsOn",
            EdgeKind::Runs => "runs",
            EdgeKind::Target => "target",
            EdgeKind::Uses => "uses",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
}
