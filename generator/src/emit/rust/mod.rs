//! Rust for each resolved manifest: per API a module file `<api>.rs` (its constants and
//! `Client`'s home) and a folder `<api>/` with one file per concern, which the module file
//! includes: `soap.rs` (the Altinn 2 elements, read and written as XML), `rest.rs` (serde types
//! for the Altinn 3 calls), `plan.rs` (what the executor runs per operation), `client.rs` and
//! `facade.rs`; plus a `mod.rs` that lists the APIs.
//!
//! The module file pulls the others in with `include!("<api>/soap.rs")` inside `pub mod soap {
//! … }`, not with `mod soap;`: `include!` resolves a path relative to the file that contains
//! the call, `mod` relative to the source file the module tree was entered from. So the same
//! files work committed under `src/` (`mod generated;`) and in `OUT_DIR`, where a crate can
//! only `include!(concat!(env!("OUT_DIR"), "/<api>.rs"))` the module file.
//!
//! Code is built as `quote!` tokens from the contract model, then formatted once per file by
//! [`format::format_file`]. Everything is ordered by ids and names, never by hash or load
//! order, so two runs write identical files. Generated code depends on
//! `altinn_bridge_runtime` only.

mod client;
mod common;
mod facade;
mod faults;
pub mod format;
pub mod names;
mod namespaces;
mod operations;
mod plan;
mod rest;
mod soap;
mod vocab;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::Error;
use crate::link::Mapping;

/// The module (and file stem) for a manifest's API: `CorrespondenceAgencyExternalBasic` →
/// `correspondence_agency_external_basic`.
pub fn module_name(api: &str) -> String {
    names::snake(api)
}

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

/// One manifest's files, keyed by their path relative to the output directory: the module file
/// `<name>.rs` and `<name>/{soap,rest,plan,client,facade}.rs`. `documents` are the contract
/// copies its facade serves (`None`: no facade). No file has inner attributes, so a build
/// script's user can `include!` the module file inside a module of their own.
pub fn render(
    mapping: &Mapping,
    name: &str,
    documents: Option<&facade::Documents>,
) -> Result<BTreeMap<String, String>, Error> {
    let r = &mapping.resolved;
    let soap = soap::module(r, &mapping.soap, namespaces::of_paths(mapping));
    let (rest, rest_names) = rest::module(r, &mapping.rest);
    let lowered = crate::lower::lower(&mapping.resolved).map_err(Error::Diagnostics)?;
    let adapter = client::module(mapping, &lowered, &soap, &rest_names);
    let facade = documents.map(|d| facade::module(mapping, d, &soap));
    let source = stable_name(&r.manifest);
    let mut files = BTreeMap::new();
    let mut part = |file: &str, tokens: TokenStream| -> Result<TokenStream, Error> {
        let path = format!("{name}/{file}.rs");
        files.insert(path.clone(), format::format_file(tokens, &source)?);
        Ok(quote!(::std::include!(#path);))
    };
    let soap_file = part("soap", soap.tokens)?;
    let rest_file = part("rest", rest)?;
    let plan_file = part("plan", adapter.plan)?;
    let client_file = part("client", adapter.client)?;
    let facade_mod = match facade {
        Some(tokens) => {
            let file = part("facade", tokens)?;
            quote! {
                /// The SOAP facade: old clients call the old contract at its old path; each
                /// request runs through [`Client`](super::Client) against Altinn 3.
                pub mod facade { #file }
            }
        }
        None => TokenStream::new(),
    };
    let consts = adapter.consts;
    let module = quote! {
        /// The SOAP elements of the mapped operations, read and written as XML.
        pub mod soap { #soap_file }

        /// The JSON types of the Altinn 3 calls that replace them.
        pub mod rest { #rest_file }

        #consts

        /// One static description per mapped operation: its calls and field links, as the
        /// manifest resolved them. [`Client`] hands these to the runtime's executor.
        pub mod plan { #plan_file }

        #client_file

        #facade_mod
    };
    files.insert(format!("{name}.rs"), format::format_file(module, &source)?);
    Ok(files)
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

/// Every manifest's files (see [`render`]) plus `mod.rs`, keyed by path relative to the output
/// directory. Two manifests for the same API get
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
            // The facade's file is `<name>/facade.rs`, one folder down.
            documents.push((base, format!("../{rel}")));
        }
        let documents = options.facade.then_some(&documents);
        files.extend(render(m, &name, documents)?);
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
            /// Every API's SOAP facade, for `altinn_bridge_facade::serve`.
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
