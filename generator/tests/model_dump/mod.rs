//! The model dump the identity tests compare (`model_identity.rs` here and the CLI's
//! `corpus_model_identity.rs`): `inspect --json`, the model's `Debug` form (which also holds
//! every span, skipped in JSON) and the warnings as rendered for the user (file, line, column).
//! What is compared is the SHA-256 and length of a dump; the dump itself is written to `keep`
//! so a mismatch can be diffed against a build of the old loader.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use altinn_bridge::diag::SourceMap;
use altinn_bridge::load::{self, Limits};

/// Loads `entries` (from `sources`, in memory or on disk) and returns the dump.
pub fn dump(sources: &mut SourceMap, entries: &[PathBuf]) -> String {
    let loaded = load::load_paths(sources, entries, &Limits::default())
        .unwrap_or_else(|d| panic!("{entries:?} load:\n{}", sources.render_all(&d)));
    let json = serde_json::to_string_pretty(&loaded.value).expect("the model serialises");
    format!(
        "{json}\n--- model with spans ---\n{:#?}\n--- warnings ---\n{}",
        loaded.value,
        sources.render_all(&loaded.warnings)
    )
}

/// `name sha256 length` for `text`, which is kept as `keep/name.txt` (best effort) for a diff.
pub fn line(name: &str, text: &str, keep: &Path) -> String {
    if std::fs::create_dir_all(keep).is_ok() {
        let _ = std::fs::write(keep.join(format!("{}.txt", name.replace('/', "__"))), text);
    }
    format!("{name} {} {}\n", sha256(text.as_bytes()), text.len())
}

/// Lower-case hex SHA-256.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
