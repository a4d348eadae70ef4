//! Deterministic names: which object names are valid, Docker names
//! (`dvm-<eco>-<scope path>-<name>`, at most 63 characters, a longer one
//! cut and ended with a short stable hash) and wired variable names
//! (`platform-db` + `url` → `PLATFORM_DB_URL`). Pure string functions; it
//! knows nothing of objects or scopes.

use sha2::{Digest, Sha256};

/// The longest Docker name dvm makes (a DNS label).
pub const MAX_DOCKER_NAME: usize = 63;

/// `[a-z0-9][a-z0-9-]{0,62}`: names become container, network and DNS
/// names.
pub fn is_valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    matches!(b.first(), Some(c) if ok(c)) && b.len() <= 63 && b.iter().all(|c| ok(c) || *c == b'-')
}

/// `dvm-` and the parts joined by `-`; when longer than 63 characters, the
/// first 54 (without a trailing `-`) then `-` and the first 8 hex digits
/// of the SHA-256 of the full name, so distinct long names stay distinct
/// and the same name always gets the same result.
pub fn docker_name(parts: &[&str]) -> String {
    let mut full = String::from("dvm");
    for p in parts {
        full.push('-');
        full.push_str(p);
    }
    if full.len() <= MAX_DOCKER_NAME {
        return full;
    }
    let digest = Sha256::digest(full.as_bytes());
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let keep = MAX_DOCKER_NAME - 1 - hash.len();
    let mut cut = String::new();
    for c in full.chars() {
        if cut.len() + c.len_utf8() > keep {
            break;
        }
        cut.push(c);
    }
    let cut = cut.trim_end_matches('-');
    format!("{cut}-{hash}")
}

/// The variable a consumer gets for export `key` of instance `instance`:
/// both upper-cased, anything not a letter or digit turned to `_`.
pub fn env_var(instance: &str, key: &str) -> String {
    let up = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!("{}_{}", up(instance), up(key))
}
