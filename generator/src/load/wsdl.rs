//! WSDL 1.1 and XSD loader (placeholder until the loader lands).
use std::path::Path;

use super::{Limits, Loaded};
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::SoapContract;

/// Loads a WSDL (or a bare XSD) and everything it imports.
pub fn load(
    sources: &mut SourceMap,
    path: &Path,
    limits: &Limits,
) -> Result<Loaded<SoapContract>, Diagnostics> {
    let _ = (sources, limits);
    Err(Diagnostic::error(format!(
        "WSDL loading is not implemented yet: {}",
        path.display()
    ))
    .into())
}
