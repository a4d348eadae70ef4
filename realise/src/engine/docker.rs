//! The Docker Engine through bollard: the only place that knows bollard's
//! types. Converts dvm's [`ContainerSpec`] to a create body and engine
//! answers back to plain data.
//!
//! The API version is negotiated, and only fields that API 1.41 (Docker
//! 20.10, what Debian ships) knows are sent or relied upon: binds rather
//! than typed mounts, `Healthcheck` without `StartInterval`.

use super::{ContainerDetails, ContainerSummary, Engine, EngineError, ProgressSink, Resource};
use crate::desired::ContainerSpec;
use bollard::Docker;
use bollard::models::{
    ContainerCreateBody, EndpointSettings, HealthConfig, HostConfig, NetworkCreateRequest,
    NetworkingConfig, PortBinding, VolumeCreateRequest,
};
use bollard::query_parameters::{
    BuildImageOptionsBuilder, CreateContainerOptionsBuilder, CreateImageOptionsBuilder,
    ListContainersOptionsBuilder, ListNetworksOptionsBuilder, ListVolumesOptionsBuilder,
    LogsOptionsBuilder, RemoveContainerOptionsBuilder, StopContainerOptionsBuilder,
};
use futures_util::StreamExt;
use std::collections::{BTreeMap, HashMap};

/// A connected (version-negotiated) Docker engine.
pub struct DockerEngine {
    docker: Docker,
    host: String,
}

/// The engine address: `DOCKER_HOST`, else the ecosystem's runtime socket,
/// else the default socket.
pub fn engine_host(runtime_socket: Option<&str>) -> String {
    match std::env::var("DOCKER_HOST") {
        Ok(h) if !h.is_empty() => h,
        _ => match runtime_socket {
            Some(s) if s.contains("://") => s.to_string(),
            Some(s) => format!("unix://{s}"),
            None => "unix:///var/run/docker.sock".to_string(),
        },
    }
}

impl DockerEngine {
    /// Connects and negotiates the API version; an engine that does not
    /// answer is [`EngineError::Unreachable`].
    pub async fn connect(host: &str) -> Result<DockerEngine, EngineError> {
        let unreachable = |cause: String| EngineError::Unreachable {
            host: host.to_string(),
            cause,
        };
        let docker = if let Some(path) = host.strip_prefix("unix://") {
            Docker::connect_with_unix(path, 120, bollard::API_DEFAULT_VERSION)
        } else {
            Docker::connect_with_http(host, 120, bollard::API_DEFAULT_VERSION)
        }
        .map_err(|e| unreachable(cause_of(&e)))?;
        let docker = docker
            .negotiate_version()
            .await
            .map_err(|e| unreachable(cause_of(&e)))?;
        Ok(DockerEngine {
            docker,
            host: host.to_string(),
        })
    }

    /// Writes a container's output to stdout (stderr lines to stderr):
    /// the last `tail` lines, then new ones while `follow`.
    pub async fn stream_logs(
        &self,
        id: &str,
        tail: usize,
        follow: bool,
    ) -> Result<(), EngineError> {
        use std::io::Write;
        let opts = LogsOptionsBuilder::default()
            .stdout(true)
            .stderr(true)
            .follow(follow)
            .tail(&tail.to_string())
            .build();
        let mut stream = self.docker.logs(id, Some(opts));
        while let Some(item) = stream.next().await {
            match item.map_err(convert)? {
                bollard::container::LogOutput::StdErr { message } => {
                    let _ = std::io::stderr().write_all(&message);
                }
                other => {
                    let mut out = std::io::stdout().lock();
                    if out.write_all(&other.into_bytes()).is_err() {
                        return Ok(());
                    }
                    let _ = out.flush();
                }
            }
        }
        Ok(())
    }
}

/// A short cause for an unreachable engine.
fn cause_of(e: &bollard::errors::Error) -> String {
    let text = e.to_string();
    if text.contains("No such file")
        || text.contains("not found")
        || text.contains("Socket not found")
    {
        "no engine socket there".to_string()
    } else if text.contains("Connection refused") || text.contains("connection refused") {
        "connection refused".to_string()
    } else {
        text
    }
}

fn convert(e: bollard::errors::Error) -> EngineError {
    use bollard::errors::Error as E;
    match e {
        E::DockerResponseServerError {
            status_code: 404,
            message,
        } => EngineError::NotFound(message),
        E::DockerResponseServerError {
            status_code,
            message,
        } => EngineError::Refused {
            status: status_code,
            message,
        },
        E::DockerStreamError { error } => EngineError::Refused {
            status: 500,
            message: error,
        },
        other => EngineError::Other(other.to_string()),
    }
}

fn label_filter(label: &str) -> HashMap<String, Vec<String>> {
    HashMap::from([("label".to_string(), vec![label.to_string()])])
}

fn to_btree(m: Option<HashMap<String, String>>) -> BTreeMap<String, String> {
    m.unwrap_or_default().into_iter().collect()
}

impl Engine for DockerEngine {
    fn host(&self) -> String {
        self.host.clone()
    }

    async fn ping(&self) -> Result<(), EngineError> {
        self.docker
            .ping()
            .await
            .map(|_| ())
            .map_err(|e| EngineError::Unreachable {
                host: self.host.clone(),
                cause: cause_of(&e),
            })
    }

    async fn list_containers(&self) -> Result<Vec<ContainerSummary>, EngineError> {
        let opts = ListContainersOptionsBuilder::default().all(true).build();
        let list = self
            .docker
            .list_containers(Some(opts))
            .await
            .map_err(convert)?;
        let mut out: Vec<ContainerSummary> = list
            .into_iter()
            .map(|c| {
                let name = c
                    .names
                    .as_ref()
                    .and_then(|n| n.first())
                    .map(|n| n.trim_start_matches('/').to_string())
                    .unwrap_or_default();
                let mut host_ports: Vec<u16> = c
                    .ports
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|p| p.public_port)
                    .collect();
                host_ports.sort();
                host_ports.dedup();
                let mut volumes: Vec<String> = c
                    .mounts
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|m| m.name)
                    .collect();
                volumes.sort();
                ContainerSummary {
                    id: c.id.unwrap_or_default(),
                    name,
                    labels: to_btree(c.labels),
                    state: c.state.map(|s| s.to_string()).unwrap_or_default(),
                    host_ports,
                    volumes,
                }
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    async fn inspect_container(&self, id: &str) -> Result<ContainerDetails, EngineError> {
        let c = self
            .docker
            .inspect_container(id, None)
            .await
            .map_err(convert)?;
        let state = c.state.unwrap_or_default();
        let health = state.health.as_ref();
        Ok(ContainerDetails {
            id: c.id.unwrap_or_default(),
            name: c
                .name
                .unwrap_or_default()
                .trim_start_matches('/')
                .to_string(),
            state: state.status.map(|s| s.to_string()).unwrap_or_default(),
            health: health
                .and_then(|h| h.status)
                .map(|s| s.to_string())
                .filter(|s| !s.is_empty() && s != "none"),
            health_output: health
                .and_then(|h| h.log.as_ref())
                .and_then(|l| l.last())
                .and_then(|r| r.output.clone()),
            exit_code: state.exit_code,
            started_at: state.started_at,
            labels: to_btree(c.config.and_then(|cfg| cfg.labels)),
        })
    }

    async fn list_networks(&self, label: &str) -> Result<Vec<Resource>, EngineError> {
        let filters = label_filter(label);
        let opts = ListNetworksOptionsBuilder::default()
            .filters(&filters)
            .build();
        let list = self
            .docker
            .list_networks(Some(opts))
            .await
            .map_err(convert)?;
        let mut out: Vec<Resource> = list
            .into_iter()
            .map(|n| Resource {
                name: n.name.unwrap_or_default(),
                labels: to_btree(n.labels),
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn list_volumes(&self, label: &str) -> Result<Vec<Resource>, EngineError> {
        let filters = label_filter(label);
        let opts = ListVolumesOptionsBuilder::default()
            .filters(&filters)
            .build();
        let list = self
            .docker
            .list_volumes(Some(opts))
            .await
            .map_err(convert)?;
        let mut out: Vec<Resource> = list
            .volumes
            .unwrap_or_default()
            .into_iter()
            .map(|v| Resource {
                name: v.name,
                labels: v.labels.into_iter().collect(),
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn image_id(&self, reference: &str) -> Result<Option<String>, EngineError> {
        match self.docker.inspect_image(reference).await {
            Ok(i) => Ok(i.id),
            Err(e) => match convert(e) {
                EngineError::NotFound(_) => Ok(None),
                other => Err(other),
            },
        }
    }

    async fn pull_image(
        &self,
        reference: &str,
        progress: ProgressSink<'_>,
    ) -> Result<(), EngineError> {
        let opts = CreateImageOptionsBuilder::default()
            .from_image(reference)
            .build();
        let mut stream = self.docker.create_image(Some(opts), None, None);
        while let Some(item) = stream.next().await {
            let info = item.map_err(convert)?;
            if let Some(err) = info.error_detail.and_then(|d| d.message) {
                return Err(EngineError::Refused {
                    status: 500,
                    message: err,
                });
            }
            if let Some(status) = info.status {
                let line = match info.id {
                    Some(id) => format!("{id}: {status}"),
                    None => status,
                };
                progress(&line);
            }
        }
        Ok(())
    }

    async fn build_image(
        &self,
        context_tar: Vec<u8>,
        tag: &str,
        progress: ProgressSink<'_>,
    ) -> Result<(), EngineError> {
        let opts = BuildImageOptionsBuilder::default()
            .dockerfile("Dockerfile")
            .t(tag)
            .rm(true)
            .forcerm(true)
            .build();
        let body = bollard::body_full(context_tar.into());
        let mut stream = self.docker.build_image(opts, None, Some(body));
        while let Some(item) = stream.next().await {
            let info = item.map_err(convert)?;
            if let Some(err) = info.error_detail.and_then(|d| d.message) {
                return Err(EngineError::Refused {
                    status: 500,
                    message: err,
                });
            }
            if let Some(s) = info.stream {
                let s = s.trim_end();
                if !s.is_empty() {
                    progress(s);
                }
            }
        }
        Ok(())
    }

    async fn create_network(
        &self,
        name: &str,
        labels: &BTreeMap<String, String>,
    ) -> Result<(), EngineError> {
        let req = NetworkCreateRequest {
            name: name.to_string(),
            driver: Some("bridge".to_string()),
            labels: Some(labels.clone().into_iter().collect()),
            ..Default::default()
        };
        self.docker
            .create_network(req)
            .await
            .map(|_| ())
            .map_err(convert)
    }

    async fn remove_network(&self, name: &str) -> Result<(), EngineError> {
        self.docker.remove_network(name).await.map_err(convert)
    }

    async fn create_volume(
        &self,
        name: &str,
        labels: &BTreeMap<String, String>,
    ) -> Result<(), EngineError> {
        let req = VolumeCreateRequest {
            name: Some(name.to_string()),
            labels: Some(labels.clone().into_iter().collect()),
            ..Default::default()
        };
        self.docker
            .create_volume(req)
            .await
            .map(|_| ())
            .map_err(convert)
    }

    async fn remove_volume(&self, name: &str) -> Result<(), EngineError> {
        self.docker
            .remove_volume(name, None::<bollard::query_parameters::RemoveVolumeOptions>)
            .await
            .map_err(convert)
    }

    async fn create_container(&self, spec: &ContainerSpec) -> Result<String, EngineError> {
        let opts = CreateContainerOptionsBuilder::default()
            .name(&spec.name)
            .build();
        let body = create_body(spec);
        let res = self
            .docker
            .create_container(Some(opts), body)
            .await
            .map_err(convert)?;
        Ok(res.id)
    }

    async fn start_container(&self, id: &str) -> Result<(), EngineError> {
        self.docker
            .start_container(id, None::<bollard::query_parameters::StartContainerOptions>)
            .await
            .map_err(convert)
    }

    async fn remove_container(&self, id: &str) -> Result<(), EngineError> {
        let stop = StopContainerOptionsBuilder::default().t(3).build();
        match self
            .docker
            .stop_container(id, Some(stop))
            .await
            .map_err(convert)
        {
            Ok(()) | Err(EngineError::Refused { status: 304, .. }) => {}
            Err(EngineError::NotFound(_)) => return Ok(()),
            Err(e) => return Err(e),
        }
        let opts = RemoveContainerOptionsBuilder::default().force(true).build();
        match self.docker.remove_container(id, Some(opts)).await {
            Ok(()) => Ok(()),
            Err(e) => match convert(e) {
                EngineError::NotFound(_) => Ok(()),
                // Already being removed (a previous run's request).
                EngineError::Refused { status: 409, .. } => Ok(()),
                other => Err(other),
            },
        }
    }

    async fn logs(&self, id: &str, tail: usize) -> Result<String, EngineError> {
        let opts = LogsOptionsBuilder::default()
            .stdout(true)
            .stderr(true)
            .tail(&tail.to_string())
            .build();
        let mut stream = self.docker.logs(id, Some(opts));
        let mut out = String::new();
        while let Some(item) = stream.next().await {
            match item {
                Ok(chunk) => out.push_str(&chunk.to_string()),
                Err(e) => return Err(convert(e)),
            }
        }
        Ok(out)
    }
}

/// The create body of a spec (API 1.41 fields only).
fn create_body(spec: &ContainerSpec) -> ContainerCreateBody {
    let mut exposed = Vec::new();
    let mut bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
    for p in &spec.ports {
        let key = format!("{}/{}", p.container, p.protocol);
        exposed.push(key.clone());
        if let Some(h) = p.host {
            bindings
                .entry(key)
                .or_insert_with(|| Some(Vec::new()))
                .get_or_insert_with(Vec::new)
                .push(PortBinding {
                    host_ip: None,
                    host_port: Some(h.to_string()),
                });
        }
    }
    let binds: Vec<String> = spec
        .mounts
        .iter()
        .map(|m| {
            if m.read_only {
                format!("{}:{}:ro", m.source, m.target)
            } else {
                format!("{}:{}", m.source, m.target)
            }
        })
        .collect();
    let healthcheck = spec.health.as_ref().map(|h| {
        let mut test = vec!["CMD".to_string()];
        test.extend(h.command.iter().cloned());
        HealthConfig {
            test: Some(test),
            interval: Some(h.interval_ms.saturating_mul(1_000_000)),
            timeout: Some(h.timeout_ms.saturating_mul(1_000_000)),
            retries: Some(h.retries),
            start_period: Some(h.start_period_ms.saturating_mul(1_000_000)),
            start_interval: None,
        }
    });
    let endpoint = EndpointSettings {
        aliases: Some(spec.aliases.clone()),
        ..Default::default()
    };
    ContainerCreateBody {
        image: Some(spec.image.clone()),
        cmd: spec.command.clone(),
        working_dir: spec.workdir.clone(),
        env: Some(spec.env.iter().map(|(k, v)| format!("{k}={v}")).collect()),
        labels: Some(spec.labels.clone().into_iter().collect()),
        exposed_ports: (!exposed.is_empty()).then_some(exposed),
        healthcheck,
        host_config: Some(HostConfig {
            memory: spec.memory,
            nano_cpus: spec.nano_cpus,
            binds: (!binds.is_empty()).then_some(binds),
            port_bindings: (!bindings.is_empty()).then_some(bindings),
            network_mode: Some(spec.network.clone()),
            init: Some(true),
            ..Default::default()
        }),
        networking_config: Some(NetworkingConfig {
            endpoints_config: Some(HashMap::from([(spec.network.clone(), endpoint)])),
        }),
        ..Default::default()
    }
}
