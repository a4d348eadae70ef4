//! dvm's own state under `$DVM_HOME` (default `~/.dvm`): the SQLite
//! database (`schema`), the apply journal (`journal`), per-ecosystem locks
//! (`lock`) and the secret store (`secrets`). Also the one place that reads
//! the clock and `DVM_HOME`.

pub mod journal;
pub mod lock;
pub mod schema;
pub mod secrets;

pub use rusqlite::Connection;

use crate::errors::Failure;
use dvm_compiler::codes::realise as codes;
use std::path::PathBuf;

/// `$DVM_HOME`, else `~/.dvm`, created if missing.
pub fn home() -> Result<PathBuf, Failure> {
    let dir = match std::env::var_os("DVM_HOME") {
        Some(h) if !h.is_empty() => PathBuf::from(h),
        _ => match std::env::var_os("HOME") {
            Some(h) => PathBuf::from(h).join(".dvm"),
            None => PathBuf::from(".dvm"),
        },
    };
    std::fs::create_dir_all(&dir).map_err(|e| {
        Failure::new(
            codes::STATE_ERROR,
            format!("cannot create dvm's state directory {}: {e}", dir.display()),
        )
    })?;
    Ok(dir)
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// `2026-11-22 07:03:12 UTC` from milliseconds since the epoch.
pub fn show_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
