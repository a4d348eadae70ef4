//! The desired state: the resolved graph turned into what the engine should
//! hold — one network per ecosystem, its volumes, and one container spec per
//! container node, with labels and its `dvm.config-hash`.
//!
//! Pure: it reads no engine, file or environment. What it needs from the
//! outside (image ids, build-context digests, secret values, the HMAC key)
//! comes in [`DesiredInputs`].
//!
//! The config hash covers exactly the fields that decide how a container
//! runs: `image` (the image *id*, so a re-tagged image recreates), `command`,
//! `workdir`, `env` (after wiring; a secret enters as an HMAC of its value,
//! never the value), `ports`, `mounts`, `resources`, `health` and `network`
//! (network and alias). Labels are not hashed. Each field has its own short
//! hash, stored in the `dvm.fields` label, so a recreate can say which
//! fields changed:
//!
//! ```text
//! dvm.fields = "command=4be1…,env=09af…,health=…,image=…,mounts=…,network=…,ports=…,resources=…,workdir=…"
//! dvm.config-hash = sha256 of that text
//! ```
//!
//! Cleartext secret values live only in [`ContainerSpec::env`], which is
//! handed to the engine and never serialised.

use dvm_compiler::codes::realise as codes;
use dvm_compiler::data::SecretPart;
use dvm_compiler::diag::Diagnostic;
use dvm_compiler::graph::{EnvValue, Graph, MountKind, Node, NodeKind, SourceRef};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Label keys dvm sets on everything it creates.
pub mod label {
    pub const MANAGED: &str = "dvm.managed";
    pub const ECOSYSTEM: &str = "dvm.ecosystem";
    pub const ID: &str = "dvm.id";
    pub const KIND: &str = "dvm.kind";
    pub const CONFIG_HASH: &str = "dvm.config-hash";
    pub const FIELDS: &str = "dvm.fields";
}

/// What the desired state needs from the world, gathered by the caller.
pub struct DesiredInputs<'a> {
    /// Image reference → local image id (absent: not local).
    pub image_ids: &'a BTreeMap<String, String>,
    /// Build context directory → digest of its contents.
    pub build_digests: &'a BTreeMap<String, String>,
    /// A secret's value by name (environment, then the store).
    pub secret: &'a dyn Fn(&str) -> Option<String>,
    /// The key of the HMAC that stands for secret values in hashes.
    pub hmac_key: &'a [u8],
}

/// Everything the file's ecosystems should consist of.
#[derive(Clone, Debug, Default)]
pub struct DesiredState {
    /// Sorted by name.
    pub ecosystems: Vec<DesiredEcosystem>,
    /// Sorted by id.
    pub containers: Vec<DesiredContainer>,
}

impl DesiredState {
    pub fn container(&self, id: &str) -> Option<&DesiredContainer> {
        self.containers.iter().find(|c| c.id == id)
    }
    pub fn ecosystem_names(&self) -> Vec<String> {
        self.ecosystems.iter().map(|e| e.name.clone()).collect()
    }
}

#[derive(Clone, Debug)]
pub struct DesiredEcosystem {
    pub name: String,
    pub network: String,
    /// Managed Docker volumes (host-path volumes are bind mounts, not here).
    pub volumes: Vec<String>,
    pub source: Option<SourceRef>,
}

/// Where a container's image comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageSource {
    /// A published image: used when local, else pulled.
    Pull(String),
    /// Built from a directory into `tag`.
    Build { context: String, tag: String },
}

impl ImageSource {
    /// The reference the container is created from.
    pub fn reference(&self) -> &str {
        match self {
            ImageSource::Pull(r) => r,
            ImageSource::Build { tag, .. } => tag,
        }
    }
}

/// One container as it should be.
#[derive(Clone, Debug)]
pub struct DesiredContainer {
    /// The graph id, e.g. `shop/platform-db`.
    pub id: String,
    pub kind: NodeKind,
    pub ecosystem: String,
    /// The Docker name.
    pub name: String,
    pub image: ImageSource,
    pub spec: ContainerSpec,
    /// Ids of the containers that must be ready before this one starts.
    pub after: Vec<String>,
    /// Index into the graph's start order.
    pub layer: usize,
    pub source: Option<SourceRef>,
    /// `field → short hash`, every hashed field.
    pub field_hashes: BTreeMap<String, String>,
    pub config_hash: String,
    /// Volumes this container mounts (kept when it is removed).
    pub volumes: Vec<String>,
}

/// A container's runtime spec, in engine-neutral terms.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerSpec {
    pub name: String,
    pub image: String,
    pub command: Option<Vec<String>>,
    pub workdir: Option<String>,
    /// Cleartext, secrets filled in. Never serialised.
    pub env: Vec<(String, String)>,
    pub ports: Vec<PortSpec>,
    pub mounts: Vec<MountSpec>,
    pub memory: Option<i64>,
    /// CPU in billionths of a core (the engine's `NanoCpus`).
    pub nano_cpus: Option<i64>,
    pub health: Option<HealthSpec>,
    pub network: String,
    pub aliases: Vec<String>,
    pub labels: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortSpec {
    pub container: i64,
    pub host: Option<i64>,
    /// `tcp` or `udp`.
    pub protocol: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountSpec {
    /// `bind` or `volume`.
    pub kind: String,
    pub source: String,
    pub target: String,
    pub read_only: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HealthSpec {
    /// Run with `CMD` (exec form).
    pub command: Vec<String>,
    pub interval_ms: i64,
    pub timeout_ms: i64,
    pub retries: i64,
    pub start_period_ms: i64,
}

impl HealthSpec {
    /// How long a check may take to pass at most, with slack for the
    /// engine's scheduling.
    pub fn deadline_ms(&self) -> i64 {
        self.start_period_ms
            + (self.interval_ms + self.timeout_ms) * (self.retries.max(1) + 1)
            + 10_000
    }
}

/// The desired state of a graph, and every problem found while building it
/// (a secret with no value).
pub fn desired(graph: &Graph, inputs: &DesiredInputs<'_>) -> (DesiredState, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut layer_of = BTreeMap::new();
    for (i, layer) in graph.start_order.iter().enumerate() {
        for id in layer {
            layer_of.insert(id.as_str(), i);
        }
    }
    let mut ecosystems: Vec<DesiredEcosystem> = graph
        .ecosystems
        .iter()
        .map(|e| DesiredEcosystem {
            name: e.name.clone(),
            network: e.network.clone(),
            volumes: e
                .volumes
                .iter()
                .filter(|v| v.host_path.is_none())
                .map(|v| v.name.clone())
                .collect(),
            source: e.source.clone(),
        })
        .collect();
    ecosystems.sort_by(|a, b| a.name.cmp(&b.name));
    let mut containers = Vec::new();
    for node in graph.nodes.iter().filter(|n| n.kind.has_container()) {
        let Some(eco) = ecosystems.iter().find(|e| e.name == node.ecosystem) else {
            continue;
        };
        let layer = layer_of.get(node.id.as_str()).copied().unwrap_or(0);
        if let Some(c) = container(node, &eco.network, layer, inputs, &mut diags) {
            containers.push(c);
        }
    }
    containers.sort_by(|a, b| a.id.cmp(&b.id));
    (
        DesiredState {
            ecosystems,
            containers,
        },
        diags,
    )
}

fn container(
    node: &Node,
    network: &str,
    layer: usize,
    inputs: &DesiredInputs<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<DesiredContainer> {
    let name = node.container.clone()?;
    let image = match (&node.image, &node.build) {
        (Some(i), _) => ImageSource::Pull(i.clone()),
        (None, Some(dir)) => ImageSource::Build {
            context: dir.clone(),
            tag: format!("{name}:dvm"),
        },
        (None, None) => return None,
    };
    // Environment: cleartext for the engine, hash text for the config hash.
    let mut env = Vec::new();
    let mut env_hash_text = String::new();
    for (key, value) in &node.env {
        match value {
            EnvValue::Text(t) => {
                env_hash_text.push_str(&format!("{key}={t}\n"));
                env.push((key.clone(), t.clone()));
            }
            EnvValue::Secret(parts) => {
                let mut clear = String::new();
                let mut hashed = String::new();
                for part in parts.iter() {
                    match part {
                        SecretPart::Text(t) => {
                            clear.push_str(t);
                            hashed.push_str(t);
                        }
                        SecretPart::Secret(secret_name) => match (inputs.secret)(secret_name) {
                            Some(v) => {
                                hashed
                                    .push_str(&format!("<hmac:{}>", hmac_hex(inputs.hmac_key, &v)));
                                clear.push_str(&v);
                            }
                            None => {
                                diags.push(secret_missing(secret_name, key, node));
                                hashed.push_str("<missing>");
                            }
                        },
                    }
                }
                env_hash_text.push_str(&format!("{key}={hashed}\n"));
                env.push((key.clone(), clear));
            }
        }
    }
    let image_identity = match &image {
        ImageSource::Pull(r) => match inputs.image_ids.get(r) {
            Some(id) => id.clone(),
            None => format!("missing:{r}"),
        },
        ImageSource::Build { context, .. } => match inputs.build_digests.get(context) {
            Some(d) => format!("context:{d}"),
            None => format!("context-missing:{context}"),
        },
    };
    let ports: Vec<PortSpec> = node
        .ports
        .iter()
        .map(|p| PortSpec {
            container: p.container,
            host: p.host,
            protocol: p.protocol.as_str().to_string(),
        })
        .collect();
    let mut mounts: Vec<MountSpec> = node
        .mounts
        .iter()
        .map(|m| MountSpec {
            kind: match m.kind {
                MountKind::Bind => "bind",
                MountKind::Volume => "volume",
            }
            .to_string(),
            source: m.source.clone(),
            target: m.target.clone(),
            read_only: m.read_only,
        })
        .collect();
    mounts.sort_by(|a, b| a.target.cmp(&b.target));
    let health = node.health.as_ref().map(|h| HealthSpec {
        command: h.command.clone(),
        interval_ms: h.interval,
        timeout_ms: h.timeout,
        retries: h.retries,
        start_period_ms: h.start_period,
    });
    let memory = node.resources.as_ref().and_then(|r| r.memory);
    let nano_cpus = node
        .resources
        .as_ref()
        .and_then(|r| r.cpu)
        .map(|m| m.saturating_mul(1_000_000));
    let aliases: Vec<String> = node.alias.iter().cloned().collect();

    let mut fields = BTreeMap::new();
    let mut field = |k: &str, text: String| {
        fields.insert(k.to_string(), short_hash(&text));
    };
    field("image", image_identity);
    field("command", format!("{:?}", node.command));
    field("workdir", format!("{:?}", node.workdir));
    field("env", env_hash_text);
    field(
        "ports",
        ports
            .iter()
            .map(|p| format!("{:?}:{}/{}", p.host, p.container, p.protocol))
            .collect::<Vec<_>>()
            .join(","),
    );
    field(
        "mounts",
        mounts
            .iter()
            .map(|m| format!("{}:{}:{}:{}", m.kind, m.source, m.target, m.read_only))
            .collect::<Vec<_>>()
            .join(","),
    );
    field("resources", format!("{memory:?}/{nano_cpus:?}"));
    field("health", format!("{health:?}"));
    field("network", format!("{network}/{aliases:?}"));
    let fields_label = fields_label(&fields);
    let config_hash = hex(&Sha256::digest(fields_label.as_bytes()))[..32].to_string();

    let mut labels = node.labels.clone();
    labels.insert(label::MANAGED.into(), "true".into());
    labels.insert(label::ECOSYSTEM.into(), node.ecosystem.clone());
    labels.insert(label::ID.into(), node.id.clone());
    labels.insert(label::KIND.into(), node.kind.as_str().into());
    labels.insert(label::CONFIG_HASH.into(), config_hash.clone());
    labels.insert(label::FIELDS.into(), fields_label);

    let mut after: Vec<String> = node
        .uses
        .iter()
        .chain(node.depends_on.iter())
        .cloned()
        .collect();
    after.sort();
    after.dedup();
    let volumes = mounts
        .iter()
        .filter(|m| m.kind == "volume")
        .map(|m| m.source.clone())
        .collect();
    Some(DesiredContainer {
        id: node.id.clone(),
        kind: node.kind,
        ecosystem: node.ecosystem.clone(),
        name: name.clone(),
        spec: ContainerSpec {
            name,
            image: image.reference().to_string(),
            command: node.command.clone(),
            workdir: node.workdir.clone(),
            env,
            ports,
            mounts,
            memory,
            nano_cpus,
            health,
            network: network.to_string(),
            aliases,
            labels,
        },
        image,
        after,
        layer,
        source: node.source.clone(),
        field_hashes: fields,
        config_hash,
        volumes,
    })
}

/// Recomputes a container's hashes once its image id is known (after a
/// pull or a build); returns the new labels.
pub fn with_image_id(c: &DesiredContainer, image_id: &str) -> BTreeMap<String, String> {
    let mut fields = c.field_hashes.clone();
    let identity = match &c.image {
        ImageSource::Pull(_) => image_id.to_string(),
        // A built image is identified by its context, not by its id (a
        // rebuild of the same context keeps the hash).
        ImageSource::Build { .. } => return c.spec.labels.clone(),
    };
    fields.insert("image".into(), short_hash(&identity));
    let text = fields_label(&fields);
    let mut labels = c.spec.labels.clone();
    labels.insert(
        label::CONFIG_HASH.into(),
        hex(&Sha256::digest(text.as_bytes()))[..32].to_string(),
    );
    labels.insert(label::FIELDS.into(), text);
    labels
}

/// `a=1,b=2`: the `dvm.fields` label.
fn fields_label(fields: &BTreeMap<String, String>) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Parses a `dvm.fields` label back.
pub fn parse_fields(text: &str) -> BTreeMap<String, String> {
    text.split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn secret_missing(secret: &str, var: &str, node: &Node) -> Diagnostic {
    let d = Diagnostic::error(
        codes::SECRET_NOT_SET,
        format!("secret `{secret}` (for {var} of {}) has no value", node.id),
    )
    .with_help(format!(
        "set it with `dvm secret set {secret}`, or export {secret} in the environment"
    ));
    crate::errors::at_source(d, node.source.as_ref(), "this object uses it")
}

fn short_hash(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))[..12].to_string()
}

/// HMAC-SHA256 of a secret value, hex: what hashes and fingerprints see
/// instead of the value.
pub fn hmac_hex(key: &[u8], value: &str) -> String {
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(value.as_bytes());
            hex(&mac.finalize().into_bytes())
        }
        // HMAC accepts keys of any length; kept total anyway.
        Err(_) => short_hash(value),
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Sha256 hex of text (fingerprints).
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}
