//! The load stage: WSDL/XSD and OpenAPI files in, the [contract model](crate::model) out.
//!
//! Parsers (roxmltree, serde_json, yaml_serde, openapiv3) are used only inside this module; what
//! leaves it is model types and [`Diagnostics`].

mod imports;
pub mod openapi;
mod source;
pub mod wsdl;
pub mod xml;

use std::path::{Path, PathBuf};

pub use imports::ImportMap;
pub use source::read_source;

use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::Contract;

/// Bounds that keep hostile or broken input from exhausting memory, stack or time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest single file, in bytes.
    pub max_file_bytes: usize,
    /// Largest total of all files read in one run, in bytes.
    pub max_total_bytes: usize,
    /// Most files read in one run (imports included).
    pub max_files: usize,
    /// Deepest XML element nesting.
    pub max_xml_depth: usize,
    /// Most XML nodes per file.
    pub max_xml_nodes: u32,
    /// Deepest JSON/YAML nesting.
    pub max_json_depth: usize,
    /// Most JSON/YAML values per document (YAML aliases counted where they are expanded).
    pub max_json_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 32 << 20,
            max_total_bytes: 256 << 20,
            max_files: 1000,
            max_xml_depth: 256,
            max_xml_nodes: 4_000_000,
            max_json_depth: 128,
            max_json_nodes: 2_000_000,
        }
    }
}

/// A loaded value and the warnings found on the way (unsupported constructs, oddities).
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// What was loaded.
    pub value: T,
    /// Warnings; errors would have failed the load.
    pub warnings: Diagnostics,
}

/// Which loader a file goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// WSDL 1.1 (or a bare XSD).
    Wsdl,
    /// OpenAPI 3.0/3.1, JSON or YAML.
    OpenApi,
}

impl Format {
    /// By extension; otherwise by the first character of the text (`<` means XML).
    pub fn detect(path: &Path, text: Option<&str>) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("wsdl" | "xsd" | "xml") => Format::Wsdl,
            Some("json" | "yaml" | "yml") => Format::OpenApi,
            _ => match text.map(|t| t.trim_start_matches('\u{feff}').trim_start()) {
                Some(t) if t.starts_with('<') => Format::Wsdl,
                _ => Format::OpenApi,
            },
        }
    }
}

/// Loads every path into one [`Contract`]: WSDLs (with their imports) and OpenAPI documents.
/// All files are tried, so one run reports the errors of every file.
pub fn load_paths(
    sources: &mut SourceMap,
    paths: &[PathBuf],
    limits: &Limits,
) -> Result<Loaded<Contract>, Diagnostics> {
    let mut contract = Contract::default();
    let mut diags = Diagnostics::default();
    for path in paths {
        let text = sources.lookup_overlay(path);
        let format = Format::detect(path, text);
        let result = match format {
            Format::Wsdl => wsdl::load(sources, path, limits).map(|l| {
                contract.soap.push(l.value);
                l.warnings
            }),
            Format::OpenApi => openapi::load(sources, path, limits).map(|l| {
                contract.rest.push(l.value);
                l.warnings
            }),
        };
        match result {
            Ok(w) | Err(w) => diags.0.extend(w.0),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    if contract.soap.is_empty() && contract.rest.is_empty() {
        diags.push(
            Diagnostic::error("no contracts given").note("expected WSDL, XSD, or OpenAPI files"),
        );
        return Err(diags);
    }
    contract.sort();
    Ok(Loaded {
        value: contract,
        warnings: diags,
    })
}

/// The display name for a path: as given, lexically normalised, `/`-separated.
pub fn display_name(path: &Path) -> String {
    crate::diag::normalize_path(path)
        .to_string_lossy()
        .replace('\\', "/")
}
