//! Requests from a real SOAP client: zeep's envelopes for the mapped operations of the curated
//! manifests, built from the corpus WSDLs (`tests/zeep/envelopes.py`), for the tests that feed
//! them through the generated types, the generated clients and the facade.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use altinn_bridge::link::{Mapping, OpLink};
use altinn_bridge::model::QName;
use serde_json::Value;

use crate::python;

/// Every manifest in `mappings/`, sorted.
pub fn manifests() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mappings");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("mappings/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

/// `{ns}local`, as zeep names things.
pub fn clark(q: &QName) -> String {
    format!("{{{}}}{}", q.ns, q.local)
}

/// The operations of `mapping` that `keep` selects, grouped by binding (`{ns}local`: zeep runs
/// once per binding), and the names of those the WSDL does not have.
pub fn ops_by_binding(
    mapping: &Mapping,
    keep: impl Fn(&OpLink) -> bool,
) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut missing = Vec::new();
    for link in mapping.resolved.operations.iter().filter(|l| keep(l)) {
        match mapping
            .soap
            .operations
            .iter()
            .find(|o| o.id == link.soap_op)
        {
            Some(op) => groups
                .entry(clark(&op.binding))
                .or_default()
                .push(op.name.clone()),
            None => missing.push(link.name.clone()),
        }
    }
    (groups, missing)
}

/// The corpus file with the manifest's WSDL's name (as `check --contracts` picks it).
pub fn corpus_wsdl(mapping: &Mapping, wsdls: &[PathBuf]) -> PathBuf {
    let name = Path::new(&mapping.soap.source)
        .file_name()
        .expect("a WSDL file name")
        .to_owned();
    wsdls
        .iter()
        .find(|p| p.file_name() == Some(name.as_os_str()))
        .unwrap_or_else(|| panic!("{name:?} is not in the corpus"))
        .clone()
}

/// Runs zeep once for the operations `ops` of one binding (`{ns}local`); returns its
/// `index.json` (`operations.<op>.file` is the envelope written into `dir`).
pub fn envelopes(
    py: &Path,
    wsdl: &Path,
    binding: &str,
    ops: &[String],
    dir: &Path,
) -> Result<Value, String> {
    let (wsdl, dir_s) = (wsdl.to_string_lossy(), dir.to_string_lossy());
    let mut args = vec!["--wsdl", &wsdl, "--binding", binding, "--out", &dir_s];
    args.extend(ops.iter().map(String::as_str));
    python::run_script(py, "envelopes.py", &args, "")?;
    let index = std::fs::read_to_string(dir.join("index.json")).map_err(|e| e.to_string())?;
    serde_json::from_str(&index).map_err(|e| e.to_string())
}
