//! The link stage: mapping manifests checked against both contracts.
//!
//! [`manifest`] reads the TOML with spans; [`resolve::resolve`] checks it against the loaded
//! contracts and produces the [`Resolved`] link model the emitters consume.

pub mod manifest;
mod model;
pub mod paths;
pub mod resolve;
mod sources;
pub mod suggest;
pub mod types;

pub use model::*;
pub use sources::{ContractCache, Mapping, Overrides, load_mapping, load_mapping_with};
