//! The PreFill adapters, generated at build time by `build.rs` (see `altinn_bridge::Builder`).
#![deny(warnings)]

/// `PreFillExternalBasic` types, from `mappings/pre-fill-basic.toml`. The module file includes
/// the files of its folder (`OUT_DIR/pre_fill_basic/`) itself, relative to where it lies.
#[rustfmt::skip]
pub mod pre_fill {
    include!(concat!(env!("OUT_DIR"), "/pre_fill_basic.rs"));
}
