//! Shared by the end-to-end tests: running the real `dvm` binary the way a
//! user would (no colour, no `DVM_PATH` from the environment).

use std::path::Path;
use std::process::Command;

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `dvm ARGS…` in `dir`.
pub fn dvm_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_dvm"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("DVM_PATH")
        .output()
        .unwrap_or_else(|e| panic!("cannot run dvm: {e}"));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
