//! The state database (`$DVM_HOME/state.db`, SQLite in WAL mode): opening
//! it and its tables. Runs and their steps (the journal), lock holders,
//! encrypted secrets. No secret value in clear is ever written here.

use crate::errors::Failure;
use dvm_compiler::codes::realise as codes;
use rusqlite::Connection;
use std::path::Path;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL,
  file TEXT NOT NULL,
  pid INTEGER NOT NULL,
  started_ms INTEGER NOT NULL,
  finished_ms INTEGER,
  outcome TEXT
);
CREATE TABLE IF NOT EXISTS steps (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  seq INTEGER NOT NULL,
  op TEXT NOT NULL,
  target TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  at_ms INTEGER NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS lock_holders (
  ecosystem TEXT PRIMARY KEY,
  pid INTEGER NOT NULL,
  command TEXT NOT NULL,
  since_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS secrets (
  name TEXT PRIMARY KEY,
  nonce BLOB NOT NULL,
  ciphertext BLOB NOT NULL,
  updated_ms INTEGER NOT NULL
);
";

fn state_error(path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure::new(
        codes::STATE_ERROR,
        format!("cannot use the state database {}: {e}", path.display()),
    )
}

/// Opens (creating) the database in `home`.
pub fn open(home: &Path) -> Result<Connection, Failure> {
    let path = home.join("state.db");
    let conn = Connection::open(&path).map_err(|e| state_error(&path, e))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| state_error(&path, e))?;
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
        .map_err(|e| state_error(&path, e))?;
    conn.execute_batch(SCHEMA)
        .map_err(|e| state_error(&path, e))?;
    Ok(conn)
}

/// A database error as a failure.
pub fn db_error(e: rusqlite::Error) -> Failure {
    Failure::new(codes::STATE_ERROR, format!("state database: {e}"))
}
