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
    /// Generated Rust did not parse (a generator bug, reported instead of writing a broken file).
    #[error("generated code for `{module}` does not parse: {message}")]
    GeneratedSyntax {
        /// The module being generated.
        module: String,
        /// syn's message.
        message: String,
    },
    /// `Builder::generate` without `out_dir` outside a build script.
    #[error("no output directory: set one with `out_dir` or run from a build script (OUT_DIR)")]
    NoOutDir,
    /// Serialising the model failed.
    #[error("cannot serialise the model: {0}")]
    Json(#[from] serde_json::Error),
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Diagnostics(d)
    }
}
