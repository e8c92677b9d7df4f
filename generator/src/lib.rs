//! altinn-bridge: moves Altinn 2 SOAP integrations onto Altinn 3 REST APIs.
//!
//! The pipeline, one module per stage:
//!
//! - [`load`] reads WSDL/XSD and OpenAPI documents (roxmltree, serde_json, yaml_serde) into
//! - [`model`], the contract model both worlds share; nothing later sees a parser type.
//! - [`emit`] turns the model into output: the `inspect` summary, mapping docs, and Rust
//!   adapters ([`emit::rust`], also reachable from build scripts through [`Builder`]).
//!
//! Problems are [`diag::Diagnostic`]s with spans into a [`diag::SourceMap`], rendered like
//! rustc's diagnostics.
#![deny(missing_docs)]

mod build_api;
pub mod diag;
pub mod embedded;
pub mod emit;
mod error;
pub mod link;
pub mod load;
pub mod lower;
pub mod model;
pub mod output;

pub use build_api::{Builder, Generated, load_mappings};
pub use error::Error;
