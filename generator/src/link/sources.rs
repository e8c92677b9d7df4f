//! Finding and loading a manifest's contracts: paths relative to the manifest, sha256-pinned
//! URLs with a local copy, and the CLI's overrides (so one manifest serves the shipped contracts
//! and the real ones in a corpus).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml::Spanned;

use super::Resolved;
use super::manifest::{self, SourceSpec};
use super::resolve::{Contracts, resolve};
use crate::diag::{Diagnostic, Diagnostics, FileId, SourceMap};
use crate::load::{self, Limits};
use crate::model::{RestContract, SoapContract};

/// Where to look for contracts instead of the manifest's own paths.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Directories searched (recursively) for a file with the same name as each source; the
    /// first match wins. E.g. `../shared/corpus` serves every manifest at once.
    pub contract_dirs: Vec<PathBuf>,
    /// Use this WSDL for the manifest (single-manifest runs).
    pub wsdl: Option<PathBuf>,
    /// Use these OpenAPI documents, in order (single-manifest runs).
    pub openapi: Vec<PathBuf>,
}

/// A resolved manifest together with the contracts it was checked against.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// The link model.
    pub resolved: Resolved,
    /// The WSDL.
    pub soap: SoapContract,
    /// The OpenAPI documents, in manifest order.
    pub rest: Vec<RestContract>,
}

/// Reads a manifest, loads its contracts and resolves it. Warnings come back with the result.
pub fn load_mapping(
    sources: &mut SourceMap,
    path: &Path,
    overrides: &Overrides,
    limits: &Limits,
) -> Result<(Mapping, Diagnostics), Diagnostics> {
    load_mapping_with(
        &mut ContractCache::default(),
        sources,
        path,
        overrides,
        limits,
    )
}

/// Contracts already loaded in this run, by path: several manifests name the same OpenAPI
/// document (Storage, Correspondence), and parsing it once is enough. Warnings are reported with
/// the first manifest that loads a contract.
#[derive(Debug, Default)]
pub struct ContractCache {
    soap: BTreeMap<PathBuf, Option<SoapContract>>,
    rest: BTreeMap<PathBuf, Option<RestContract>>,
}

impl ContractCache {
    fn soap(
        &mut self,
        sources: &mut SourceMap,
        path: &Path,
        limits: &Limits,
        diags: &mut Diagnostics,
    ) -> Option<SoapContract> {
        if let Some(hit) = self.soap.get(path) {
            return hit.clone();
        }
        let loaded = collect(diags, load::wsdl::load(sources, path, limits));
        self.soap.insert(path.to_path_buf(), loaded.clone());
        loaded
    }

    fn rest(
        &mut self,
        sources: &mut SourceMap,
        path: &Path,
        limits: &Limits,
        diags: &mut Diagnostics,
    ) -> Option<RestContract> {
        if let Some(hit) = self.rest.get(path) {
            return hit.clone();
        }
        let loaded = collect(diags, load::openapi::load(sources, path, limits));
        self.rest.insert(path.to_path_buf(), loaded.clone());
        loaded
    }
}

/// [`load_mapping`] for one manifest of many: contracts come from `cache` when an earlier
/// manifest loaded them. A contract that failed to load fails every manifest naming it, but its
/// errors are reported once.
pub fn load_mapping_with(
    cache: &mut ContractCache,
    sources: &mut SourceMap,
    path: &Path,
    overrides: &Overrides,
    limits: &Limits,
) -> Result<(Mapping, Diagnostics), Diagnostics> {
    let name = load::display_name(path);
    let file = load::read_source(sources, path, &name, limits, None)?;
    let m = manifest::parse(sources, file)?;
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut diags = Diagnostics::default();
    let wsdl_path = overrides
        .wsdl
        .clone()
        .or_else(|| locate(sources, file, &dir, &m.sources.wsdl, overrides, &mut diags));
    let rest_paths: Vec<PathBuf> = if overrides.openapi.is_empty() {
        m.sources
            .openapi
            .as_slice()
            .iter()
            .filter_map(|s| locate(sources, file, &dir, s, overrides, &mut diags))
            .collect()
    } else {
        overrides.openapi.clone()
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let Some(wsdl_path) = wsdl_path else {
        return Err(diags);
    };
    let soap = cache.soap(sources, &wsdl_path, limits, &mut diags);
    let rest: Vec<Option<RestContract>> = rest_paths
        .iter()
        .map(|p| cache.rest(sources, p, limits, &mut diags))
        .collect();
    let (Some(soap), Some(rest)) = (
        soap,
        rest.into_iter().collect::<Option<Vec<RestContract>>>(),
    ) else {
        if !diags.has_errors() {
            diags.push(Diagnostic::error(format!(
                "`{name}` names a contract that did not load (see the errors above)"
            )));
        }
        return Err(diags);
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let contracts = Contracts {
        soap: &soap,
        rest: rest.iter().collect(),
    };
    let (resolved, warnings) = match resolve(file, &name, &m, &contracts) {
        Ok(r) => r,
        Err(mut e) => {
            e.0.splice(0..0, diags.0);
            return Err(e);
        }
    };
    diags.0.extend(warnings.0);
    Ok((
        Mapping {
            resolved,
            soap,
            rest,
        },
        diags,
    ))
}

fn collect<T>(diags: &mut Diagnostics, r: Result<load::Loaded<T>, Diagnostics>) -> Option<T> {
    match r {
        Ok(l) => {
            diags.0.extend(l.warnings.0);
            Some(l.value)
        }
        Err(e) => {
            diags.0.extend(e.0);
            None
        }
    }
}

/// The file to read for one source, after overrides; checks a sha256 pin.
fn locate(
    sources: &mut SourceMap,
    file: FileId,
    dir: &Path,
    spec: &Spanned<SourceSpec>,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Option<PathBuf> {
    let whole = manifest::span_of(file, spec);
    let spec = spec.get_ref();
    // A bare string's own span is empty: point at the whole entry instead.
    let at = |v: &Spanned<String>| {
        if v.span().is_empty() {
            whole
        } else {
            manifest::span_of(file, v)
        }
    };
    let Some(declared) = spec.path.as_ref().or(spec.url.as_ref()) else {
        diags.push(
            Diagnostic::error("a source needs `path` or `url`")
                .at(whole, "here")
                .note("expected `\"path\"` or `{ path = \"…\" }`"),
        );
        return None;
    };
    if let (Some(url), None) = (&spec.url, &spec.sha256) {
        let d = Diagnostic::error(format!("`{}` has no sha256 pin", url.get_ref()))
            .at(at(url), "here")
            .note("expected `sha256 = \"<64 hex digits>\"` beside every `url`");
        diags.push(d);
        return None;
    }
    let file_name = declared
        .get_ref()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    if let Some(found) = overrides
        .contract_dirs
        .iter()
        .find_map(|d| find_by_name(d, &file_name, 0))
    {
        return Some(found); // an override replaces the document, and with it the pin
    }
    if spec.path.is_none() {
        let d = Diagnostic::error(format!("`{}` is a URL, and altinn-bridge never fetches", declared.get_ref()))
            .at(at(declared), "here")
            .note("expected `path = \"local copy\"` beside `url` and `sha256`, or `--contracts DIR` holding the file");
        diags.push(d);
        return None;
    }
    let path = crate::diag::normalize_path(&dir.join(declared.get_ref()));
    if let Some(pin) = &spec.sha256 {
        check_pin(sources, &path, pin, at(pin), diags)?;
    }
    Some(path)
}

fn check_pin(
    sources: &SourceMap,
    path: &Path,
    pin: &Spanned<String>,
    span: crate::diag::Span,
    diags: &mut Diagnostics,
) -> Option<()> {
    let want = pin.get_ref().to_ascii_lowercase();
    if want.len() != 64 || !want.bytes().all(|b| b.is_ascii_hexdigit()) {
        let d = Diagnostic::error(format!("`{}` is not a sha256", pin.get_ref()))
            .at(span, "here")
            .note("expected 64 hexadecimal digits");
        diags.push(d);
        return None;
    }
    let bytes = match sources.lookup_overlay(path) {
        Some(t) => t.as_bytes().to_vec(),
        None => match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                diags.push(
                    Diagnostic::error(format!("cannot read `{}`: {e}", load::display_name(path)))
                        .at(span, "pinned here"),
                );
                return None;
            }
        },
    };
    let got = hex(&Sha256::digest(&bytes));
    if got != want {
        let d = Diagnostic::error(format!(
            "sha256 of `{}` does not match the pin",
            load::display_name(path)
        ))
        .at(span, "pinned here")
        .note(format!(
            "expected {want}, found {got}: the document changed; review it, then update the pin"
        ));
        diags.push(d);
        return None;
    }
    Some(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Depth-first search for a file name, sorted so the first match is stable.
fn find_by_name(dir: &Path, name: &str, depth: usize) -> Option<PathBuf> {
    if depth > 6 {
        return None;
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    if let Some(hit) = entries
        .iter()
        .find(|p| p.is_file() && p.file_name().is_some_and(|n| n == name))
    {
        return Some(hit.clone());
    }
    entries
        .iter()
        .filter(|p| p.is_dir())
        .find_map(|d| find_by_name(d, name, depth + 1))
}
