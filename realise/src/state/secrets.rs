//! The secret store: values encrypted with AES-256-GCM (a random nonce per
//! value) in the `secrets` table, under a key created on first use in
//! `$DVM_HOME/secret.key` with mode 0600. Also derives the HMAC key that
//! stands for secret values in config hashes (so rotating a secret changes
//! exactly its consumers' hashes, and the hash reveals nothing).
//!
//! A value is never printed, logged or written in clear.

use super::now_ms;
use super::schema::db_error;
use crate::errors::Failure;
use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use dvm_compiler::codes::realise as codes;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

pub struct SecretStore<'a> {
    conn: &'a Connection,
    key: [u8; 32],
}

fn key_error(path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure::new(
        codes::STATE_ERROR,
        format!("cannot use the secret key {}: {e}", path.display()),
    )
}

/// Reads the key, creating it (mode 0600) on first use.
fn load_key(home: &Path) -> Result<[u8; 32], Failure> {
    let path = home.join("secret.key");
    let mut key = [0u8; 32];
    match std::fs::File::open(&path) {
        Ok(mut f) => {
            f.read_exact(&mut key).map_err(|e| key_error(&path, e))?;
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let fresh = Aes256Gcm::generate_key(OsRng);
            key.copy_from_slice(fresh.as_slice());
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            match opts.open(&path) {
                Ok(mut f) => {
                    f.write_all(&key).map_err(|e| key_error(&path, e))?;
                    f.sync_all().map_err(|e| key_error(&path, e))?;
                    Ok(key)
                }
                // Another process created it first: use theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_key(home),
                Err(e) => Err(key_error(&path, e)),
            }
        }
        Err(e) => Err(key_error(&path, e)),
    }
}

impl<'a> SecretStore<'a> {
    pub fn open(home: &Path, conn: &'a Connection) -> Result<SecretStore<'a>, Failure> {
        Ok(SecretStore {
            conn,
            key: load_key(home)?,
        })
    }

    /// The key of the HMAC over secret values (derived, not the
    /// encryption key itself).
    pub fn hmac_key(&self) -> Vec<u8> {
        let mut h = Sha256::new();
        h.update(b"dvm secret hmac v1");
        h.update(self.key);
        h.finalize().to_vec()
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&self.key))
    }

    pub fn set(&self, name: &str, value: &str) -> Result<(), Failure> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ciphertext = self
            .cipher()
            .encrypt(&nonce, value.as_bytes())
            .map_err(|_| Failure::new(codes::STATE_ERROR, "cannot encrypt the secret"))?;
        self.conn
            .execute(
                "INSERT INTO secrets (name, nonce, ciphertext, updated_ms) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT(name) DO UPDATE SET nonce = ?2, ciphertext = ?3, updated_ms = ?4",
                params![name, nonce.as_slice(), ciphertext, now_ms()],
            )
            .map_err(db_error)?;
        Ok(())
    }

    /// The stored value, `None` when absent.
    pub fn get(&self, name: &str) -> Result<Option<String>, Failure> {
        let row: Option<(Vec<u8>, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT nonce, ciphertext FROM secrets WHERE name = ?1",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(db_error)?;
        let Some((nonce, ciphertext)) = row else {
            return Ok(None);
        };
        if nonce.len() != 12 {
            return Err(Failure::new(
                codes::STATE_ERROR,
                format!("secret {name} is damaged in the store; set it again"),
            ));
        }
        let plain = self
            .cipher()
            .decrypt(Nonce::from_slice(&nonce), ciphertext.as_slice())
            .map_err(|_| {
                Failure::new(
                    codes::STATE_ERROR,
                    format!(
                        "secret {name} cannot be decrypted with this DVM_HOME's key; set it again"
                    ),
                )
            })?;
        String::from_utf8(plain)
            .map(Some)
            .map_err(|_| Failure::new(codes::STATE_ERROR, format!("secret {name} is not text")))
    }

    /// Names and last-update times, sorted by name.
    pub fn list(&self) -> Result<Vec<(String, i64)>, Failure> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, updated_ms FROM secrets ORDER BY name")
            .map_err(db_error)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(db_error)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db_error)
    }

    /// Removes a secret; whether it existed.
    pub fn remove(&self, name: &str) -> Result<bool, Failure> {
        self.conn
            .execute("DELETE FROM secrets WHERE name = ?1", params![name])
            .map(|n| n > 0)
            .map_err(db_error)
    }

    /// A secret's value: the environment variable of that name first, then
    /// the store.
    pub fn resolve(&self, name: &str) -> Option<String> {
        if let Ok(v) = std::env::var(name) {
            return Some(v);
        }
        self.get(name).ok().flatten()
    }
}
