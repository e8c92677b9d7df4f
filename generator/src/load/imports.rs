//! Local copies of remotely located imports. A WSDL published by a running service names its
//! schemas by URL (`schemaLocation="https://host/Svc.svc?xsd=xsd0"`); the generator never
//! fetches, so the user supplies each document's local copy, as `URL=PATH` pairs or an OASIS XML
//! catalog (what CXF's `wsdl2java -catalog` reads). Each copy is registered in the source map
//! under its URL; the WSDL loader then reads an import of that URL from it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Limits, read_source, xml};
use crate::diag::{Diagnostic, Diagnostics, SourceMap};

/// OASIS XML Catalogs 1.1.
const CATALOG_NS: &str = "urn:oasis:names:tc:entity:xmlns:xml:catalog";

/// Remote import locations and the local files that stand in for them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportMap {
    entries: BTreeMap<String, PathBuf>,
}

impl ImportMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps `url` to the local file `path`.
    pub fn insert(&mut self, url: impl Into<String>, path: impl Into<PathBuf>) {
        self.entries.insert(url.into(), path.into());
    }

    /// The local file for `url`, if mapped.
    pub fn get(&self, url: &str) -> Option<&Path> {
        self.entries.get(url).map(PathBuf::as_path)
    }

    /// True when nothing is mapped.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds one `URL=PATH` argument. The URL may hold `=` itself (`?xsd=xsd0`), so the path is
    /// what follows the last `=`.
    pub fn add_arg(&mut self, arg: &str) -> Result<(), String> {
        match arg.rsplit_once('=') {
            Some((url, path)) if url.contains("://") && !path.is_empty() => {
                self.insert(url, path);
                Ok(())
            }
            _ => Err(format!(
                "`{arg}` is not URL=PATH (expected e.g. `https://host/Svc.svc?xsd=xsd0=local/xsd0.xsd`)"
            )),
        }
    }

    /// Adds the `system` and `uri` entries of an OASIS XML catalog; relative `uri`s are relative
    /// to the catalog file. Other entry kinds (rewrites, delegation, next catalogs) are refused
    /// with their position: a map that silently skipped them would leave imports unresolved.
    pub fn add_catalog(
        &mut self,
        sources: &mut SourceMap,
        catalog: &Path,
        limits: &Limits,
    ) -> Result<(), Diagnostics> {
        let display = super::display_name(catalog);
        let file = read_source(sources, catalog, &display, limits, None)?;
        let text = sources.file(file).text.clone();
        let doc = xml::parse(sources, file, &text, limits)?;
        let root = doc.root_element();
        let mut diags = Diagnostics::default();
        if root.tag_name().namespace() != Some(CATALOG_NS) || root.tag_name().name() != "catalog" {
            diags.push(
                Diagnostic::error(format!("`{display}` is not an XML catalog"))
                    .at(xml::node_span(file, root), "root element")
                    .note(format!("expected `<catalog xmlns=\"{CATALOG_NS}\">`")),
            );
            return Err(diags);
        }
        let base = catalog.parent().unwrap_or(Path::new(""));
        for entry in root.descendants().filter(|n| n.is_element() && *n != root) {
            let (key, local) = match entry.tag_name().name() {
                "system" => ("systemId", entry.attribute("uri")),
                "uri" => ("name", entry.attribute("uri")),
                "group" => continue,
                other => {
                    diags.push(
                        Diagnostic::error(format!("catalog entry `{other}` is not supported"))
                            .at(xml::node_span(file, entry), "here")
                            .note("expected `<system systemId=\"URL\" uri=\"PATH\"/>` or `<uri name=\"URL\" uri=\"PATH\"/>`"),
                    );
                    continue;
                }
            };
            match (entry.attribute(key), local) {
                (Some(url), Some(path)) => self.insert(url.trim(), base.join(path.trim())),
                _ => diags.push(
                    Diagnostic::error(format!("catalog entry needs `{key}` and `uri`"))
                        .at(xml::node_span(file, entry), "here")
                        .note("expected the remote location and the local copy's path"),
                ),
            }
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(())
        }
    }

    /// Reads every local copy into `sources` under its URL, so an import of that URL finds it.
    pub fn register(&self, sources: &mut SourceMap, limits: &Limits) -> Result<(), Diagnostics> {
        let mut diags = Diagnostics::default();
        for (url, path) in &self.entries {
            match read_local(path, limits) {
                Ok(text) => sources.register_virtual(url, text),
                Err(e) => diags.push(
                    Diagnostic::error(format!(
                        "cannot read `{}`, the local copy of `{url}`: {e}",
                        super::display_name(path)
                    ))
                    .note("expected a readable UTF-8 file"),
                ),
            }
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(())
        }
    }
}

fn read_local(path: &Path, limits: &Limits) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > limits.max_file_bytes as u64 {
        return Err(format!(
            "larger than the limit of {} bytes",
            limits.max_file_bytes
        ));
    }
    std::fs::read_to_string(path).map_err(|e| e.to_string())
}

/// Whether `location` names a remote document (`scheme://…`).
pub(crate) fn is_remote(location: &str) -> bool {
    location.contains("://")
}
