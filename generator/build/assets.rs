//! The generator's assets (`generator/assets/`): copies of the top-level `wsdl/`, `openapi/` and
//! `templates/`, which stay the one place a writer edits. The copies exist so that the published
//! package carries its embedded contracts and built-in templates (a package cannot reach outside
//! its folder).
//!
//! One file for the three places that compare or refresh them: `build.rs` (a warning in the
//! checkout), `tests/assets.rs` (fails while they differ) and `cargo xtask sync-assets`.

use std::path::{Path, PathBuf};

/// The asset folders, each a copy of the top-level folder of the same name.
pub const DIRS: [&str; 3] = ["wsdl", "openapi", "templates"];

/// Every file below `dir`, relative to it, sorted; none when `dir` cannot be read.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![PathBuf::new()];
    while let Some(rel) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&rel)) else {
            continue;
        };
        for entry in entries.flatten() {
            let rel = rel.join(entry.file_name());
            if entry.path().is_dir() {
                todo.push(rel);
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

/// The files (relative paths) that one of `a` and `b` has and the other lacks, or that differ
/// in a byte.
pub fn differing(a: &Path, b: &Path) -> Vec<PathBuf> {
    let mut all = files(a);
    all.extend(files(b));
    all.sort();
    all.dedup();
    all.into_iter()
        .filter(|rel| {
            let (x, y) = (std::fs::read(a.join(rel)), std::fs::read(b.join(rel)));
            !matches!((x, y), (Ok(x), Ok(y)) if x == y)
        })
        .collect()
}
