//! Phase 1: read the root file and everything it imports, each file once, into owned raw items.

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use super::ns;
use super::parse_wsdl::{WsdlExtras, parse_definitions};
use super::parse_xsd::parse_schema;
use super::raw::{FoundImport, Raw};
use super::scope::{FileCx, display_tag, is};
use crate::diag::{Diagnostic, Diagnostics, SourceMap, Span, normalize_path};
use crate::load::imports::is_remote;
use crate::load::{Limits, display_name, read_source, xml};

/// A file still to read.
struct Pending {
    path: PathBuf,
    /// The import that asked for it (`None` for the root).
    from: Option<Span>,
    /// For a chameleon include: the includer's namespace.
    include_ns: Option<String>,
    /// The name diagnostics give it, when not its path (a remote location read from its
    /// local copy is named by its URL).
    display: Option<String>,
}

/// Reads `path` and, breadth first, every file it imports. Returns `None` when the root itself
/// cannot be read or parsed; other files' problems are collected in `diags`.
pub(super) fn read_all(
    sources: &mut SourceMap,
    path: &Path,
    limits: &Limits,
    diags: &mut Diagnostics,
) -> Option<Raw> {
    let mut raw = Raw::default();
    let mut queue = VecDeque::from([Pending {
        path: path.to_path_buf(),
        from: None,
        include_ns: None,
        display: None,
    }]);
    let mut seen = BTreeSet::from([normalize_path(path)]);
    while let Some(next) = queue.pop_front() {
        let is_root = next.from.is_none();
        let Some(imports) = read_one(sources, &next, limits, diags, &mut raw) else {
            if is_root {
                return None;
            }
            continue;
        };
        let base = next
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for import in imports {
            let Some(target) = resolve_location(sources, &base, &import, diags) else {
                continue;
            };
            if seen.insert(normalize_path(&target)) {
                let remote = is_remote(&import.location);
                queue.push_back(Pending {
                    path: target,
                    from: Some(import.span),
                    include_ns: import.include_ns,
                    display: remote.then_some(import.location),
                });
            }
        }
    }
    Some(raw)
}

/// The path an import names, relative to the importing file. A remote location is read from
/// the local copy the import map registered under its URL, else refused: the generator never
/// touches the network.
fn resolve_location(
    sources: &SourceMap,
    base: &Path,
    import: &FoundImport,
    diags: &mut Diagnostics,
) -> Option<PathBuf> {
    let location = import.location.as_str();
    if is_remote(location) {
        let url = PathBuf::from(location);
        if sources.lookup_overlay(&url).is_some() {
            return Some(url);
        }
        diags.push(
            Diagnostic::error(format!("remote import `{location}` refused"))
                .at(import.span, "not a local file")
                .note("the generator never fetches: supply a local copy with `--import-map URL=PATH` or `--catalog FILE`, or point the location at one"),
        );
        return None;
    }
    if location.is_empty() {
        diags.push(
            Diagnostic::error("empty import location")
                .at(import.span, "here")
                .note("expected a relative path"),
        );
        return None;
    }
    Some(base.join(location))
}

/// Reads and parses one file into `raw`; returns the imports it asks for.
fn read_one(
    sources: &mut SourceMap,
    pending: &Pending,
    limits: &Limits,
    diags: &mut Diagnostics,
    raw: &mut Raw,
) -> Option<Vec<FoundImport>> {
    let display = pending
        .display
        .clone()
        .unwrap_or_else(|| display_name(&pending.path));
    let file = match read_source(sources, &pending.path, &display, limits, pending.from) {
        Ok(id) => id,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    raw.files.push(display.clone());
    if pending.from.is_none() {
        raw.root = Some(file);
    }
    let text = sources.file(file).text.clone();
    let doc = match xml::parse(sources, file, &text, limits) {
        Ok(doc) => doc,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let root = doc.root_element();
    let mut cx = FileCx {
        file,
        diags,
        chameleon: pending.include_ns.clone().filter(|n| !n.is_empty()),
    };
    let mut imports = Vec::new();
    if is(root, ns::WSDL, "definitions") {
        let mut extras = WsdlExtras::default();
        let defs = parse_definitions(&mut cx, root, &display, &mut extras);
        raw.root_is_wsdl |= pending.from.is_none();
        raw.defs.push(defs);
        raw.schemas.extend(extras.schemas);
        raw.policies.extend(extras.policies);
        imports = extras.imports;
    } else if is(root, ns::XSD, "schema") {
        raw.schemas
            .push(parse_schema(&mut cx, root, &display, &mut imports));
    } else {
        let d = Diagnostic::error(format!("`{display}` is neither a WSDL nor an XML Schema"))
            .at(
                cx.span(root),
                format!("root element `{}`", display_tag(root)),
            )
            .note(format!(
                "expected `wsdl:definitions` ({}) or `xs:schema` ({})",
                ns::WSDL,
                ns::XSD
            ));
        cx.error(d);
        return None;
    }
    Some(imports)
}
