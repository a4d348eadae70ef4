//! The container engine as dvm needs it: a small trait of single calls in
//! dvm's own terms (no bollard type crosses it), implemented for Docker
//! through bollard (`docker.rs`) and in memory for tests (`fake.rs`).
//!
//! Everything above this module reaches the engine only through [`Engine`];
//! a Kubernetes target would be another implementation of the same
//! observe/apply contract.

pub mod docker;
pub mod fake;

use crate::desired::ContainerSpec;
use std::collections::BTreeMap;

/// An engine call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
    /// Nothing answered on the socket.
    Unreachable { host: String, cause: String },
    /// The object does not exist.
    NotFound(String),
    /// The engine refused: its status and message.
    Refused { status: u16, message: String },
    /// Anything else (transport, decoding).
    Other(String),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Unreachable { host, cause } => {
                write!(f, "cannot reach the container engine at {host}: {cause}")
            }
            EngineError::NotFound(what) => write!(f, "not found: {what}"),
            EngineError::Refused { message, .. } => write!(f, "{message}"),
            EngineError::Other(m) => write!(f, "{m}"),
        }
    }
}

/// A container as listed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerSummary {
    pub id: String,
    /// Without the leading `/`.
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// `created`, `running`, `exited`, …
    pub state: String,
    /// Published host ports.
    pub host_ports: Vec<u16>,
    /// Named volumes mounted.
    pub volumes: Vec<String>,
}

/// A container as inspected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerDetails {
    pub id: String,
    pub name: String,
    pub state: String,
    /// `starting`, `healthy`, `unhealthy`; `None` without a check.
    pub health: Option<String>,
    /// The last health check's output.
    pub health_output: Option<String>,
    pub exit_code: Option<i64>,
    pub started_at: Option<String>,
    pub labels: BTreeMap<String, String>,
}

/// A network or a volume as listed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resource {
    pub name: String,
    pub labels: BTreeMap<String, String>,
}

/// Receives progress lines of a pull or build.
pub type ProgressSink<'a> = &'a dyn Fn(&str);

/// Single engine calls. Methods return plain data; each implementation
/// converts at its boundary.
#[allow(async_fn_in_trait)] // used on one thread (buffer_unordered), never spawned
pub trait Engine {
    /// A human name for messages: the socket or `fake`.
    fn host(&self) -> String;
    /// Checks the engine answers.
    async fn ping(&self) -> Result<(), EngineError>;
    /// Every container (running or not).
    async fn list_containers(&self) -> Result<Vec<ContainerSummary>, EngineError>;
    async fn inspect_container(&self, id: &str) -> Result<ContainerDetails, EngineError>;
    /// Networks carrying `label=value`.
    async fn list_networks(&self, label: &str) -> Result<Vec<Resource>, EngineError>;
    /// Volumes carrying `label=value`.
    async fn list_volumes(&self, label: &str) -> Result<Vec<Resource>, EngineError>;
    /// The local image id of a reference, `None` when not local.
    async fn image_id(&self, reference: &str) -> Result<Option<String>, EngineError>;
    async fn pull_image(
        &self,
        reference: &str,
        progress: ProgressSink<'_>,
    ) -> Result<(), EngineError>;
    /// Builds a tar context (with its Dockerfile) into `tag`.
    async fn build_image(
        &self,
        context_tar: Vec<u8>,
        tag: &str,
        progress: ProgressSink<'_>,
    ) -> Result<(), EngineError>;
    async fn create_network(
        &self,
        name: &str,
        labels: &BTreeMap<String, String>,
    ) -> Result<(), EngineError>;
    async fn remove_network(&self, name: &str) -> Result<(), EngineError>;
    async fn create_volume(
        &self,
        name: &str,
        labels: &BTreeMap<String, String>,
    ) -> Result<(), EngineError>;
    async fn remove_volume(&self, name: &str) -> Result<(), EngineError>;
    /// Creates (does not start) a container; returns its id.
    async fn create_container(&self, spec: &ContainerSpec) -> Result<String, EngineError>;
    async fn start_container(&self, id: &str) -> Result<(), EngineError>;
    /// Stops (with a short grace period) and removes.
    async fn remove_container(&self, id: &str) -> Result<(), EngineError>;
    /// The last `tail` lines of output, stdout and stderr.
    async fn logs(&self, id: &str, tail: usize) -> Result<String, EngineError>;
}
