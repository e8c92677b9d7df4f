//! Generates the PreFill adapters into `OUT_DIR`; Cargo reruns this when the manifest or a
//! contract it names changes (the Builder prints the `rerun-if-changed` lines).
//!
//! Client and types only (strategy 1): without the facade modules the crate needs the runtime
//! without its `facade` feature, so it compiles no server.

fn main() {
    altinn_bridge::Builder::new()
        .manifest("../../mappings/pre-fill-basic.toml")
        .facade(false)
        .generate()
        .expect("altinn-bridge generates the adapters");
}
