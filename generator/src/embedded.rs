//! The contracts the project ships (`wsdl/`, `openapi/`), compiled into the binary so the
//! default job runs anywhere, with no checkout and no `../shared`.
//!
//! They are registered in a [`SourceMap`] as in-memory files under their repository paths, so
//! relative imports between them resolve as they would on disk.

use std::path::PathBuf;

use crate::diag::SourceMap;

/// `(repository path, text)` of every shipped contract, sorted by path (written by `build.rs`
/// from the package's copies of `wsdl/` and `openapi/` in `generator/assets/`).
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_files.rs"));

/// Registers the shipped contracts in `sources` and returns the paths to load (every WSDL and
/// OpenAPI document; imported XSDs are reached through their importers).
pub fn register(sources: &mut SourceMap) -> Vec<PathBuf> {
    let mut entries = Vec::new();
    for (path, text) in FILES {
        sources.register_virtual(*path, *text);
        if !path.ends_with(".xsd") && !is_imported(path) {
            entries.push(PathBuf::from(path));
        }
    }
    entries
}

/// WSDLs in a subfolder of `wsdl/` other than the folder's main one are reached through imports
/// (a multi-file contract keeps all its files in one folder named after the service).
fn is_imported(path: &str) -> bool {
    let mut parts = path.split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("wsdl"), Some(dir), Some(file), None) => file.strip_suffix(".wsdl") != Some(dir),
        _ => false,
    }
}
