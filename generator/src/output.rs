//! Writing generated files: only when their content changes, and a check mode that names stale
//! files instead of writing. Shared by the CLI and the `build.rs` API.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::Error;

/// What a write (or check) found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files written (or, in check mode, that would be written) because they changed or are new.
    pub changed: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
}

/// Writes `files` (relative name → content) under `dir`, touching only files whose content
/// differs. With `check`, writes nothing and reports what differs.
pub fn write_all(
    dir: &Path,
    files: &BTreeMap<String, String>,
    check: bool,
) -> Result<Outcome, Error> {
    let mut out = Outcome::default();
    for (name, content) in files {
        let path = dir.join(name);
        if std::fs::read(&path).is_ok_and(|old| old == content.as_bytes()) {
            out.unchanged += 1;
            continue;
        }
        if !check {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&path, content).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        }
        out.changed.push(path);
    }
    Ok(out)
}
