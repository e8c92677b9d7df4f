//! The crate's error type.

use std::path::PathBuf;

use crate::diag::Diagnostics;

/// What can go wrong in altinn-bridge's library API.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The contracts (or manifests) have errors; render them with the run's
    /// [`SourceMap`](crate::diag::SourceMap).
    #[error("{} error(s) in the input", .0.errors().count())]
    Diagnostics(Diagnostics),
    /// Writing output failed.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Serialising the model failed.
    #[error("cannot serialise the model: {0}")]
    Json(#[from] serde_json::Error),
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Diagnostics(d)
    }
}
