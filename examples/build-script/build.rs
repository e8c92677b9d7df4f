//! Generates the PreFill adapters into `OUT_DIR`; Cargo reruns this when the manifest or a
//! contract it names changes (the Builder prints the `rerun-if-changed` lines).
//!
//! Client and types only (strategy 1): no facade modules, so nothing here would need the facade's
//! server (`altinn-bridge-facade`), which this crate does not depend on.

fn main() {
    altinn_bridge::Builder::new()
        .manifest("../../mappings/pre-fill-basic.toml")
        .facade(false)
        .generate()
        .expect("altinn-bridge generates the adapters");
}
