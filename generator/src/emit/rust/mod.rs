//! Rust for each resolved manifest: one module per manifest with `pub mod soap` (the Altinn 2
//! input and output elements, read and written as XML) and `pub mod rest` (serde types for the
//! Altinn 3 calls), plus a `mod.rs` that lists them.
//!
//! Code is built as `quote!` tokens from the contract model, then formatted once by
//! [`format::format_file`]. Everything is ordered by ids and names, never by hash or load
//! order, so two runs write identical files. Generated code depends on
//! `altinn_bridge_runtime` only.

mod client;
mod common;
mod facade;
pub mod format;
pub mod names;
mod plan;
mod rest;
mod soap;
mod vocab;

use std::collections::BTreeMap;

use quote::quote;

use crate::Error;
use crate::link::Mapping;

/// The module (and file stem) for a manifest's API: `CorrespondenceAgencyExternalBasic` →
/// `correspondence_agency_external_basic`.
pub fn module_name(api: &str) -> String {
    names::snake(api)
}

/// The generated file for one manifest. It has no inner attributes, so a build script's user
/// can `include!` it inside a module of their own.
/// What [`render_all`] emits besides the SOAP and REST types and the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// A `facade` module per API (strategy 2) and `mod.rs`'s `services()`: implementations of
    /// the runtime's `facade::SoapService`, which `altinn-bridge-facade` serves.
    pub facade: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { facade: true }
    }
}

/// One manifest's module; `documents` are the contract copies its facade serves (`None`: no
/// facade module).
pub fn render(mapping: &Mapping, documents: Option<&facade::Documents>) -> Result<String, Error> {
    let r = &mapping.resolved;
    let (soap, elements) = soap::module(r, &mapping.soap);
    let (rest, rest_names) = rest::module(r, &mapping.rest);
    let lowered = crate::lower::lower(&mapping.resolved).map_err(Error::Diagnostics)?;
    let client = client::module(mapping, &lowered, &elements, &rest_names);
    let facade = documents.map(|d| facade::module(mapping, d));
    let tokens = quote! {
        /// The SOAP elements of the mapped operations, read and written as XML.
        pub mod soap { #soap }

        /// The JSON types of the Altinn 3 calls that replace them.
        pub mod rest { #rest }

        #client

        #facade
    };
    format::format_file(tokens, &stable_name(&r.manifest))
}

/// The doc line of a manifest's module: what it covers and where each side comes from.
fn module_doc(mapping: &Mapping) -> String {
    let r = &mapping.resolved;
    let openapi: Vec<String> = r
        .openapi
        .iter()
        .map(|o| format!("`{}`", stable_name(o)))
        .collect();
    format!(
        " {}: the Altinn 2 side from `{}`, the Altinn 3 side from {} (manifest `{}`).",
        r.title,
        stable_name(&r.wsdl),
        openapi.join(", "),
        stable_name(&r.manifest)
    )
}

/// A file's name as it may appear in generated code: relative names as given, absolute ones cut
/// to the file name, so output never depends on where a checkout or corpus lives.
pub fn stable_name(name: &str) -> String {
    let path = std::path::Path::new(name);
    if path.is_absolute() {
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    } else {
        name.to_owned()
    }
}

/// Every manifest's file plus `mod.rs`, keyed by file name. Two manifests for the same API get
/// distinct modules (`x`, `x2`) in the order given.
///
/// The WSDL and XSD files each manifest was generated from are copied to `contracts/<module>/`
/// beside the modules, for the facade to serve at `?wsdl`; `sources` holds their texts.
pub fn render_all(
    mappings: &[Mapping],
    sources: &crate::diag::SourceMap,
    options: Options,
) -> Result<BTreeMap<String, String>, Error> {
    let mut files = BTreeMap::new();
    let mut scope = names::Unique::default();
    let mut mods = Vec::new();
    for m in mappings {
        let name = scope.claim(module_name(&m.resolved.api));
        let mut documents = Vec::new();
        for file in m.soap.files.iter().filter(|_| options.facade) {
            let Some((_, source)) = sources.files().find(|(_, f)| &f.name == file) else {
                continue;
            };
            let base = stable_name(file);
            let base = std::path::Path::new(&base)
                .file_name()
                .map_or(base.clone(), |b| b.to_string_lossy().into_owned());
            let rel = format!("contracts/{name}/{base}");
            files.insert(rel.clone(), source.text.to_string());
            documents.push((base, rel));
        }
        let documents = options.facade.then_some(&documents);
        files.insert(format!("{name}.rs"), render(m, documents)?);
        mods.push((name, module_doc(m)));
    }
    mods.sort();
    let items = mods.iter().map(|(name, doc)| {
        let id = names::ident(name);
        quote!(#[doc = #doc] pub mod #id;)
    });
    let services = options.facade.then(|| {
        let list = mods.iter().map(|(name, _)| {
            let id = names::ident(name);
            quote!(::std::sync::Arc::new(#id::facade::Service))
        });
        quote! {
            /// Every API's SOAP facade, for the runtime's `facade::serve`.
            pub fn services() -> ::std::vec::Vec<::std::sync::Arc<dyn ::altinn_bridge_runtime::facade::SoapService>> {
                ::std::vec![#(#list),*]
            }
        }
    });
    let list = quote! {
        #(#items)*
        #services
    };
    files.insert(
        "mod.rs".to_owned(),
        format::format_file(list, "the manifests listed below")?,
    );
    Ok(files)
}
