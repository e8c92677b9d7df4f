//! The contracts the project ships (`wsdl/`, `openapi/`), compiled into the binary so the
//! default job runs anywhere, with no checkout and no `../shared`.
//!
//! They are registered in a [`SourceMap`] as in-memory files under their repository paths, so
//! relative imports between them resolve as they would on disk.

use std::path::PathBuf;

use crate::diag::SourceMap;

/// `(repository path, text)` of every shipped contract.
pub const FILES: &[(&str, &str)] = &[
    (
        "wsdl/CorrespondenceAgencyExternalBasic.wsdl",
        include_str!("../../wsdl/CorrespondenceAgencyExternalBasic.wsdl"),
    ),
    (
        "openapi/altinn-correspondence-v1.json",
        include_str!("../../openapi/altinn-correspondence-v1.json"),
    ),
];

/// Registers the shipped contracts in `sources` and returns the paths to load (every WSDL and
/// OpenAPI document; imported XSDs are reached through their importers).
pub fn register(sources: &mut SourceMap) -> Vec<PathBuf> {
    let mut entries = Vec::new();
    for (path, text) in FILES {
        sources.register_virtual(*path, *text);
        if !path.ends_with(".xsd") {
            entries.push(PathBuf::from(path));
        }
    }
    entries
}
