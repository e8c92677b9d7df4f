//! Says loudly, through Cargo, when the real contracts are missing: the corpus tests then skip,
//! and a skipped test's own message is hidden by `cargo test` when it passes.

#[path = "build/docs_site.rs"]
mod docs_site;

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=ALTINN_BRIDGE_CORPUS");
    let dir = match std::env::var_os("ALTINN_BRIDGE_CORPUS") {
        Some(d) => PathBuf::from(d),
        // Read at run time: `env!` would bake in the path of whichever checkout built the script.
        None => PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
            .join("../../shared/corpus"),
    };
    println!("cargo:rerun-if-changed={}", dir.display());
    if !dir.is_dir() {
        println!(
            "cargo:warning=no corpus at {} (set ALTINN_BRIDGE_CORPUS): the corpus tests will be SKIPPED",
            dir.display()
        );
    }
    let workspace = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    docs_site::declare(&workspace.join(".."));
}
