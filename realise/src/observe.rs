//! The observed state: what the engine holds for the file's ecosystems,
//! found by labels, read once (a handful of list calls) and then only looked
//! at. The only module that reads the engine for planning; everything in
//! [`ObservedState`] is sorted so that plans and fingerprints are stable.

use crate::desired::{DesiredState, ImageSource, label, parse_fields, sha256_hex};
use crate::engine::{Engine, EngineError};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObservedState {
    /// Managed containers of the file's ecosystems, sorted by name.
    pub containers: Vec<ObservedContainer>,
    /// Containers dvm does not manage (or of other ecosystems): names and
    /// host ports, to explain name and port clashes. Sorted by name.
    pub others: Vec<OtherContainer>,
    /// Managed networks of the file's ecosystems, by name.
    pub networks: Vec<String>,
    /// Managed volumes of the file's ecosystems, by name.
    pub volumes: Vec<String>,
    /// Image reference → local id, for every image the desired state names.
    pub images: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObservedContainer {
    pub id: String,
    pub name: String,
    pub ecosystem: String,
    /// The graph id from `dvm.id`.
    pub dvm_id: String,
    pub config_hash: String,
    pub fields: BTreeMap<String, String>,
    pub state: String,
    pub host_ports: Vec<u16>,
    /// Named volumes it mounts.
    pub volumes: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OtherContainer {
    pub id: String,
    pub name: String,
    pub managed: bool,
    pub host_ports: Vec<u16>,
}

impl ObservedState {
    /// A digest of everything a plan depends on: the managed containers of
    /// the file's ecosystems (ids, names, hashes, states), their networks
    /// and volumes, image ids. Other containers are left out on purpose:
    /// they only explain clashes, and another project starting or stopping
    /// a container must not make this file's plan stale.
    pub fn fingerprint(&self) -> String {
        let mut text = String::new();
        for c in &self.containers {
            text.push_str(&format!(
                "c {} {} {} {} {}\n",
                c.name, c.id, c.dvm_id, c.config_hash, c.state
            ));
        }
        for n in &self.networks {
            text.push_str(&format!("n {n}\n"));
        }
        for v in &self.volumes {
            text.push_str(&format!("v {v}\n"));
        }
        for (r, id) in &self.images {
            text.push_str(&format!("i {r} {id}\n"));
        }
        sha256_hex(&text)
    }
}

/// Image references the desired state runs (pulled ones and build tags).
pub fn image_refs(desired: &DesiredState) -> Vec<String> {
    let mut refs: Vec<String> = desired
        .containers
        .iter()
        .filter_map(|c| match &c.image {
            ImageSource::Pull(r) => Some(r.clone()),
            ImageSource::Build { .. } => None,
        })
        .collect();
    refs.sort();
    refs.dedup();
    refs
}

/// Reads what the engine holds for `ecosystems`, and the ids of `images`.
pub async fn observe<E: Engine>(
    engine: &E,
    ecosystems: &[String],
    images: &[String],
) -> Result<ObservedState, EngineError> {
    let mut obs = ObservedState::default();
    for c in engine.list_containers().await? {
        let managed = c.labels.get(label::MANAGED).is_some_and(|v| v == "true");
        let eco = c.labels.get(label::ECOSYSTEM).cloned().unwrap_or_default();
        if managed && ecosystems.contains(&eco) {
            obs.containers.push(ObservedContainer {
                id: c.id,
                name: c.name,
                ecosystem: eco,
                dvm_id: c.labels.get(label::ID).cloned().unwrap_or_default(),
                config_hash: c
                    .labels
                    .get(label::CONFIG_HASH)
                    .cloned()
                    .unwrap_or_default(),
                fields: c
                    .labels
                    .get(label::FIELDS)
                    .map(|f| parse_fields(f))
                    .unwrap_or_default(),
                state: c.state,
                host_ports: c.host_ports,
                volumes: c.volumes,
            });
        } else {
            obs.others.push(OtherContainer {
                id: c.id,
                name: c.name,
                managed,
                host_ports: c.host_ports,
            });
        }
    }
    let managed = format!("{}=true", label::MANAGED);
    let in_ecos = |labels: &BTreeMap<String, String>| {
        labels
            .get(label::ECOSYSTEM)
            .is_some_and(|e| ecosystems.contains(e))
    };
    obs.networks = engine
        .list_networks(&managed)
        .await?
        .into_iter()
        .filter(|n| in_ecos(&n.labels))
        .map(|n| n.name)
        .collect();
    obs.volumes = engine
        .list_volumes(&managed)
        .await?
        .into_iter()
        .filter(|v| in_ecos(&v.labels))
        .map(|v| v.name)
        .collect();
    for r in images {
        if let Some(id) = engine.image_id(r).await? {
            obs.images.insert(r.clone(), id);
        }
    }
    obs.containers
        .sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    obs.others
        .sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    obs.networks.sort();
    obs.volumes.sort();
    Ok(obs)
}
