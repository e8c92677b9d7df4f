//! The PreFill adapters, generated at build time by `build.rs` (see `altinn_bridge::Builder`).
#![deny(warnings)]

/// `PreFillExternalBasic` types, from `mappings/pre-fill-basic.toml`.
#[rustfmt::skip]
pub mod pre_fill {
    include!(concat!(env!("OUT_DIR"), "/pre_fill_basic.rs"));
}
