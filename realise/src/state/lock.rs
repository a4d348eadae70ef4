//! Per-ecosystem apply locks: an OS advisory lock on
//! `$DVM_HOME/locks/<ecosystem>.lock` (released by the kernel when the
//! holder dies, so a dead holder never blocks), with the holder (pid,
//! command, since) recorded in the database for the waiting side's message.
//!
//! Locks are taken in ecosystem-name order, so two commands over
//! overlapping ecosystems cannot deadlock.

use super::schema::db_error;
use super::{now_ms, show_time};
use crate::errors::Failure;
use dvm_compiler::codes::realise as codes;
use rusqlite::{Connection, OptionalExtension, params};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::Duration;

/// Held locks; dropping them (or dying) releases them.
pub struct Locks {
    held: Vec<(String, File)>,
}

impl Locks {
    pub fn ecosystems(&self) -> Vec<String> {
        self.held.iter().map(|(e, _)| e.clone()).collect()
    }
}

/// Who holds an ecosystem's lock, as recorded.
pub fn holder(conn: &Connection, ecosystem: &str) -> Option<String> {
    conn.query_row(
        "SELECT pid, command, since_ms FROM lock_holders WHERE ecosystem = ?1",
        params![ecosystem],
        |r| {
            Ok(format!(
                "pid {} (`{}`) since {}",
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                show_time(r.get::<_, i64>(2)?)
            ))
        },
    )
    .optional()
    .ok()
    .flatten()
}

/// Takes the locks of `ecosystems` (sorted). Waits for a held one, telling
/// `on_wait` who holds it, unless `no_wait`, which fails at once.
pub fn acquire(
    home: &Path,
    conn: &Connection,
    ecosystems: &[String],
    command: &str,
    no_wait: bool,
    on_wait: &dyn Fn(&str),
) -> Result<Locks, Failure> {
    let dir = home.join("locks");
    std::fs::create_dir_all(&dir).map_err(|e| {
        Failure::new(
            codes::STATE_ERROR,
            format!("cannot create {}: {e}", dir.display()),
        )
    })?;
    let mut ecos = ecosystems.to_vec();
    ecos.sort();
    ecos.dedup();
    let mut held = Vec::new();
    for eco in ecos {
        let path = dir.join(format!("{eco}.lock"));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                Failure::new(
                    codes::STATE_ERROR,
                    format!("cannot open {}: {e}", path.display()),
                )
            })?;
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    let who = holder(conn, &eco).unwrap_or_else(|| "another dvm".into());
                    if no_wait {
                        return Err(Failure::new(
                            codes::LOCKED,
                            format!("ecosystem {eco} is locked by {who}"),
                        )
                        .help("wait for it to finish, or run again without --no-wait"));
                    }
                    if !told {
                        on_wait(&format!(
                            "waiting for the lock of ecosystem {eco}, held by {who}"
                        ));
                        told = true;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(Failure::new(
                        codes::STATE_ERROR,
                        format!("cannot lock {}: {e}", path.display()),
                    ));
                }
            }
        }
        conn.execute(
            "INSERT INTO lock_holders (ecosystem, pid, command, since_ms) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT(ecosystem) DO UPDATE SET pid = ?2, command = ?3, since_ms = ?4",
            params![eco, std::process::id(), command, now_ms()],
        )
        .map_err(db_error)?;
        held.push((eco, file));
    }
    Ok(Locks { held })
}
