//! The apply journal: one `runs` row per state-changing command and one
//! `steps` row per engine step, written as each step starts and ends, so
//! that after a crash the database says how far a run got. The journal is
//! history, not truth: the next run re-observes the engine.
//!
//! For crash tests, `DVM_TEST_ABORT_AFTER_STEPS=N` makes the process exit
//! abruptly (no cleanup, locks freed by the kernel) once N steps are done.

use super::now_ms;
use super::schema::db_error;
use crate::errors::Failure;
use rusqlite::{Connection, params};
use std::cell::Cell;

pub struct Journal {
    conn: Connection,
    run_id: i64,
    seq: Cell<i64>,
    done: Cell<usize>,
    abort_after: Option<usize>,
}

/// Exit status of a deliberate abort.
pub const ABORT_EXIT: i32 = 86;

impl Journal {
    /// Records the start of a run.
    pub fn start(conn: Connection, command: &str, file: &str) -> Result<Journal, Failure> {
        conn.execute(
            "INSERT INTO runs (command, file, pid, started_ms) VALUES (?1, ?2, ?3, ?4)",
            params![command, file, std::process::id(), now_ms()],
        )
        .map_err(db_error)?;
        let run_id = conn.last_insert_rowid();
        let abort_after = std::env::var("DVM_TEST_ABORT_AFTER_STEPS")
            .ok()
            .and_then(|v| v.trim().parse().ok());
        Ok(Journal {
            conn,
            run_id,
            seq: Cell::new(0),
            done: Cell::new(0),
            abort_after,
        })
    }

    /// Records a step as started; returns its number.
    pub fn begin(&self, op: &str, target: &str, name: &str) -> i64 {
        let seq = self.seq.get() + 1;
        self.seq.set(seq);
        // The journal is history: a write failure must not stop an apply.
        let _ = self.conn.execute(
            "INSERT INTO steps (run_id, seq, op, target, name, status, at_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'started', ?6)",
            params![self.run_id, seq, op, target, name, now_ms()],
        );
        seq
    }

    /// Records a step's end (`done` or `failed` with a detail), then aborts
    /// if the test hook says so.
    pub fn end(&self, seq: i64, ok: bool, detail: &str) {
        let _ = self.conn.execute(
            "UPDATE steps SET status = ?1, detail = ?2, at_ms = ?3 WHERE run_id = ?4 AND seq = ?5",
            params![
                if ok { "done" } else { "failed" },
                detail,
                now_ms(),
                self.run_id,
                seq
            ],
        );
        let done = self.done.get() + 1;
        self.done.set(done);
        if self.abort_after.is_some_and(|n| done >= n) {
            eprintln!("dvm: aborting after {done} step(s) (DVM_TEST_ABORT_AFTER_STEPS)");
            std::process::exit(ABORT_EXIT);
        }
    }

    /// Runs one step (an engine call), journaled as it starts and as it
    /// ends. Steps of one run may be in flight together.
    pub async fn record<T, E: std::fmt::Display>(
        &self,
        op: &str,
        target: &str,
        name: &str,
        step: impl std::future::Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let seq = self.begin(op, target, name);
        let res = step.await;
        let detail = res
            .as_ref()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        self.end(seq, res.is_ok(), &detail);
        res
    }

    /// Records the run's outcome.
    pub fn finish(&self, outcome: &str) {
        let _ = self.conn.execute(
            "UPDATE runs SET finished_ms = ?1, outcome = ?2 WHERE id = ?3",
            params![now_ms(), outcome, self.run_id],
        );
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
