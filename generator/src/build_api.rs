//! [`Builder`]: generate the adapters from a build script, the way `prost-build` does.
//!
//! In `build.rs` (the files land in `OUT_DIR`: per manifest a module file `<api>.rs` and a folder
//! `<api>/` with the files it includes, plus `mod.rs`):
//!
//! ```no_run
//! altinn_bridge::Builder::new()
//!     .manifest("mappings/correspondence-agency-external-basic.toml")
//!     .generate()
//!     .expect("altinn-bridge generates the adapters");
//! ```
//!
//! and in the crate, `#[path = concat!(env!("OUT_DIR"), "/correspondence_agency_external_basic.rs")]`
//! is not allowed, so include the module file: `pub mod correspondence {
//! include!(concat!(env!("OUT_DIR"), "/correspondence_agency_external_basic.rs")); }`. It
//! includes its folder's files itself, relative to where it lies. The generated crate needs
//! `altinn-bridge-runtime` as its only dependency.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostics, SourceMap};
use crate::link::{self, Mapping, Overrides};
use crate::load::Limits;
use crate::output::{self, Outcome};
use crate::{Error, emit};

/// Settings for one generation run. Every setter takes `&mut self` and returns it, so calls chain.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    manifests: Vec<PathBuf>,
    contract_dirs: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    quiet: bool,
    no_facade: bool,
}

impl Builder {
    /// No manifests yet; output to `OUT_DIR`; `cargo:rerun-if-changed` lines printed.
    pub fn new() -> Self {
        Builder::default()
    }

    /// Adds a mapping manifest (`mappings/*.toml`). Give paths relative to the package: the
    /// path is written into the generated file's header.
    pub fn manifest(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.manifests.push(path.as_ref().to_path_buf());
        self
    }

    /// Adds several manifests.
    pub fn manifests<P: AsRef<Path>>(&mut self, paths: impl IntoIterator<Item = P>) -> &mut Self {
        self.manifests
            .extend(paths.into_iter().map(|p| p.as_ref().to_path_buf()));
        self
    }

    /// Reads contracts from this directory (searched by file name, recursively) instead of the
    /// paths in the manifests. May be called more than once.
    pub fn contracts(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.contract_dirs.push(dir.as_ref().to_path_buf());
        self
    }

    /// Writes the files here instead of `$OUT_DIR`.
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Stops printing `cargo:rerun-if-changed` lines (for use outside build scripts).
    pub fn quiet(&mut self, quiet: bool) -> &mut Self {
        self.quiet = quiet;
        self
    }

    /// Emits each API's SOAP facade (strategy 2) too; on by default. The generated code still
    /// depends on `altinn-bridge-runtime` alone (its `facade::SoapService`); what serves it
    /// depends on `altinn-bridge-facade`. Off: clients and types only.
    pub fn facade(&mut self, facade: bool) -> &mut Self {
        self.no_facade = !facade;
        self
    }

    /// The files this run would write, without writing them or printing anything.
    pub fn render(&self) -> Result<Generated, Error> {
        let mut sources = SourceMap::new();
        let overrides = Overrides {
            contract_dirs: self.contract_dirs.clone(),
            ..Overrides::default()
        };
        let loaded = load_mappings(&mut sources, &self.manifests, &overrides);
        // Every file read, failed loads included, so fixing an input reruns the build script.
        let inputs = sources
            .files()
            .filter_map(|(_, f)| f.path.clone())
            .collect();
        match loaded {
            Ok((mappings, _warnings)) => Ok(Generated {
                files: emit::rust::render_all(
                    &mappings,
                    &sources,
                    emit::rust::Options {
                        facade: !self.no_facade,
                    },
                )?,
                inputs,
            }),
            Err(diags) => {
                eprint!("{}", sources.render_all(&diags));
                Err(Error::Diagnostics(diags))
            }
        }
    }

    /// Generates and writes the files that changed, and removes those an earlier run wrote that
    /// are no longer produced (see [`output::sync`]); prints `cargo:rerun-if-changed` for every
    /// manifest and contract read (unless [`quiet`](Self::quiet)).
    pub fn generate(&self) -> Result<Outcome, Error> {
        let out = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::NoOutDir)?,
        };
        let generated = self.render();
        if !self.quiet {
            let inputs = generated
                .as_ref()
                .map(|g| g.inputs.as_slice())
                .unwrap_or(&[]);
            // The manifests too, in case one could not be read: creating it must rerun the script.
            let mut seen = std::collections::BTreeSet::new();
            for path in inputs.iter().chain(&self.manifests) {
                if seen.insert(path) {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
            }
        }
        output::sync(&out, &generated?.files, false)
    }
}

/// What one run produces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    /// Path relative to the output directory → content: per manifest `<api>.rs` and the files
    /// of `<api>/`, the contract copies its facade serves (`contracts/<api>/`), and `mod.rs`.
    pub files: BTreeMap<String, String>,
    /// Every file read (manifests, WSDLs, schemas, OpenAPI documents), in reading order.
    pub inputs: Vec<PathBuf>,
}

/// Loads and resolves manifests, contracts shared between them. Errors of every manifest are
/// collected before giving up; warnings come back with the mappings.
pub fn load_mappings(
    sources: &mut SourceMap,
    manifests: &[PathBuf],
    overrides: &Overrides,
) -> Result<(Vec<Mapping>, Diagnostics), Diagnostics> {
    let mut cache = link::ContractCache::default();
    let (mut mappings, mut errors, mut warnings) =
        (Vec::new(), Diagnostics::default(), Diagnostics::default());
    for m in manifests {
        match link::load_mapping_with(&mut cache, sources, m, overrides, &Limits::default()) {
            Ok((mapping, w)) => {
                // Links the runtime could not honour are errors of the manifest too.
                if let Err(d) = crate::lower::lower(&mapping.resolved) {
                    errors.0.extend(d.0);
                }
                mappings.push(mapping);
                warnings.0.extend(w.0);
            }
            Err(d) => errors.0.extend(d.0),
        }
    }
    if errors.has_errors() {
        errors.0.extend(warnings.0);
        return Err(errors);
    }
    Ok((mappings, warnings))
}
