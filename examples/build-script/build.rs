//! Generates the PreFill adapters into `OUT_DIR`; Cargo reruns this when the manifest or a
//! contract it names changes (the Builder prints the `rerun-if-changed` lines).

fn main() {
    altinn_bridge::Builder::new()
        .manifest("../../mappings/pre-fill-basic.toml")
        .generate()
        .expect("altinn-bridge generates the adapters");
}
