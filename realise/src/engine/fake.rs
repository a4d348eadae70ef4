//! An in-memory engine for tests of the executor: containers, networks,
//! volumes and images in maps, every call recorded. A started container is
//! running, and healthy at once when it has a check. No Docker is needed.

use super::{ContainerDetails, ContainerSummary, Engine, EngineError, ProgressSink, Resource};
use crate::desired::ContainerSpec;
use std::cell::RefCell;
use std::collections::BTreeMap;

#[derive(Default)]
pub struct FakeEngine {
    pub state: RefCell<FakeState>,
}

#[derive(Default, Debug)]
pub struct FakeState {
    /// By id.
    pub containers: BTreeMap<String, FakeContainer>,
    pub networks: BTreeMap<String, BTreeMap<String, String>>,
    pub volumes: BTreeMap<String, BTreeMap<String, String>>,
    /// Reference → id.
    pub images: BTreeMap<String, String>,
    /// Every mutating call, in order: `create dvm-x`, `start dvm-x`, …
    pub calls: Vec<String>,
    next_id: u64,
}

#[derive(Clone, Debug)]
pub struct FakeContainer {
    pub spec: ContainerSpec,
    pub state: String,
}

impl FakeEngine {
    pub fn with_images(images: &[(&str, &str)]) -> FakeEngine {
        let e = FakeEngine::default();
        for (r, id) in images {
            e.state
                .borrow_mut()
                .images
                .insert(r.to_string(), id.to_string());
        }
        e
    }
    pub fn calls(&self) -> Vec<String> {
        self.state.borrow().calls.clone()
    }
}

impl FakeState {
    /// A container's id from its id or its name (as Docker accepts both).
    fn resolve(&self, id_or_name: &str) -> String {
        if self.containers.contains_key(id_or_name) {
            return id_or_name.to_string();
        }
        self.containers
            .iter()
            .find(|(_, c)| c.spec.name == id_or_name)
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| id_or_name.to_string())
    }
}

impl Engine for FakeEngine {
    fn host(&self) -> String {
        "fake".into()
    }
    async fn ping(&self) -> Result<(), EngineError> {
        Ok(())
    }
    async fn list_containers(&self) -> Result<Vec<ContainerSummary>, EngineError> {
        let st = self.state.borrow();
        Ok(st
            .containers
            .iter()
            .map(|(id, c)| ContainerSummary {
                id: id.clone(),
                name: c.spec.name.clone(),
                labels: c.spec.labels.clone(),
                state: c.state.clone(),
                host_ports: Vec::new(),
                volumes: c
                    .spec
                    .mounts
                    .iter()
                    .filter(|m| m.kind == "volume")
                    .map(|m| m.source.clone())
                    .collect(),
            })
            .collect())
    }
    async fn inspect_container(&self, id: &str) -> Result<ContainerDetails, EngineError> {
        let st = self.state.borrow();
        let id = &st.resolve(id);
        let c = st
            .containers
            .get(id)
            .ok_or_else(|| EngineError::NotFound(id.to_string()))?;
        Ok(ContainerDetails {
            id: id.to_string(),
            name: c.spec.name.clone(),
            state: c.state.clone(),
            health: (c.spec.health.is_some() && c.state == "running").then(|| "healthy".into()),
            health_output: None,
            exit_code: Some(0),
            started_at: None,
            labels: c.spec.labels.clone(),
        })
    }
    async fn list_networks(&self, label: &str) -> Result<Vec<Resource>, EngineError> {
        Ok(filter(&self.state.borrow().networks, label))
    }
    async fn list_volumes(&self, label: &str) -> Result<Vec<Resource>, EngineError> {
        Ok(filter(&self.state.borrow().volumes, label))
    }
    async fn image_id(&self, reference: &str) -> Result<Option<String>, EngineError> {
        Ok(self.state.borrow().images.get(reference).cloned())
    }
    async fn pull_image(&self, reference: &str, _: ProgressSink<'_>) -> Result<(), EngineError> {
        Err(EngineError::Refused {
            status: 404,
            message: format!("pull access denied for {reference}"),
        })
    }
    async fn build_image(
        &self,
        _: Vec<u8>,
        tag: &str,
        _: ProgressSink<'_>,
    ) -> Result<(), EngineError> {
        let mut st = self.state.borrow_mut();
        st.calls.push(format!("build {tag}"));
        st.images.insert(tag.to_string(), format!("sha256:{tag}"));
        Ok(())
    }
    async fn create_network(
        &self,
        name: &str,
        labels: &BTreeMap<String, String>,
    ) -> Result<(), EngineError> {
        let mut st = self.state.borrow_mut();
        st.calls.push(format!("network {name}"));
        st.networks.insert(name.to_string(), labels.clone());
        Ok(())
    }
    async fn remove_network(&self, name: &str) -> Result<(), EngineError> {
        let mut st = self.state.borrow_mut();
        st.calls.push(format!("rm-network {name}"));
        st.networks.remove(name);
        Ok(())
    }
    async fn create_volume(
        &self,
        name: &str,
        labels: &BTreeMap<String, String>,
    ) -> Result<(), EngineError> {
        let mut st = self.state.borrow_mut();
        st.calls.push(format!("volume {name}"));
        st.volumes.insert(name.to_string(), labels.clone());
        Ok(())
    }
    async fn remove_volume(&self, name: &str) -> Result<(), EngineError> {
        let mut st = self.state.borrow_mut();
        st.calls.push(format!("rm-volume {name}"));
        st.volumes.remove(name);
        Ok(())
    }
    async fn create_container(&self, spec: &ContainerSpec) -> Result<String, EngineError> {
        let mut st = self.state.borrow_mut();
        if st.containers.values().any(|c| c.spec.name == spec.name) {
            return Err(EngineError::Refused {
                status: 409,
                message: format!(
                    "Conflict. The container name \"/{}\" is already in use",
                    spec.name
                ),
            });
        }
        st.next_id += 1;
        let id = format!("c{}", st.next_id);
        st.calls.push(format!("create {}", spec.name));
        st.containers.insert(
            id.clone(),
            FakeContainer {
                spec: spec.clone(),
                state: "created".into(),
            },
        );
        Ok(id)
    }
    async fn start_container(&self, id: &str) -> Result<(), EngineError> {
        let mut st = self.state.borrow_mut();
        let id = &st.resolve(id);
        let name = match st.containers.get_mut(id) {
            Some(c) => {
                c.state = "running".into();
                c.spec.name.clone()
            }
            None => return Err(EngineError::NotFound(id.to_string())),
        };
        st.calls.push(format!("start {name}"));
        Ok(())
    }
    async fn remove_container(&self, id: &str) -> Result<(), EngineError> {
        let mut st = self.state.borrow_mut();
        let id = &st.resolve(id);
        if let Some(c) = st.containers.remove(id) {
            st.calls.push(format!("remove {}", c.spec.name));
        }
        Ok(())
    }
    async fn logs(&self, _: &str, _: usize) -> Result<String, EngineError> {
        Ok(String::new())
    }
}

fn filter(map: &BTreeMap<String, BTreeMap<String, String>>, label: &str) -> Vec<Resource> {
    let (k, v) = label.split_once('=').unwrap_or((label, ""));
    map.iter()
        .filter(|(_, l)| l.get(k).is_some_and(|x| v.is_empty() || x == v))
        .map(|(n, l)| Resource {
            name: n.clone(),
            labels: l.clone(),
        })
        .collect()
}
