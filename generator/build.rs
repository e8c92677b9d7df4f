//! Embeds the project's shipped default contracts into the library: writes
//! `$OUT_DIR/embedded_files.rs`, a sorted list of `(repository path, text)` for every contract
//! under `assets/wsdl/` and `assets/openapi/` (copies of the top-level folders; see
//! `build/assets.rs`). Inside the checkout it also warns at once when a top-level file and its
//! copy differ.

use std::fmt::Write;
use std::path::{Path, PathBuf};

#[path = "build/assets.rs"]
mod assets;

/// The folders whose contracts are embedded.
const CONTRACT_DIRS: [&str; 2] = ["wsdl", "openapi"];
/// The contract files among them.
const CONTRACT_EXTENSIONS: [&str; 5] = ["wsdl", "xsd", "json", "yaml", "yml"];

fn main() {
    // Read at run time, not with `env!`: a build script binary reused from another checkout
    // (a copied target directory) would otherwise embed that checkout's files.
    let package = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let root = package.join("assets");
    let mut names = Vec::new();
    for dir in CONTRACT_DIRS {
        for rel in assets::files(&root.join(dir)) {
            let contract = rel
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| CONTRACT_EXTENSIONS.contains(&x));
            if contract {
                names.push(
                    Path::new(dir)
                        .join(rel)
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    names.sort();
    let mut out = String::from("&[\n");
    for name in &names {
        // `include_str!` needs an absolute path here; only `name` reaches the binary's data.
        let abs = root.join(name);
        let _ = writeln!(out, "    ({name:?}, include_str!({:?})),", abs.display());
    }
    out.push_str("]\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("embedded_files.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");

    for dir in assets::DIRS {
        // Cargo scans a watched folder recursively.
        println!("cargo::rerun-if-changed={}", root.join(dir).display());
        warn_if_stale(&package.join("..").join(dir), &root.join(dir), dir);
    }
}

/// In the checkout (where the top-level folder exists beside the package; never in a published
/// package), one warning naming the files that differ from their copies in `assets/`.
fn warn_if_stale(top: &Path, copy: &Path, name: &str) {
    if !top.is_dir() {
        return;
    }
    println!("cargo::rerun-if-changed={}", top.display());
    let stale: Vec<String> = assets::differing(top, copy)
        .iter()
        .map(|rel| format!("{name}/{}", rel.display()))
        .collect();
    if !stale.is_empty() {
        println!(
            "cargo::warning=generator/assets/{name} differs from the top-level {name}/ ({}): run `cargo xtask sync-assets`",
            stale.join(", ")
        );
    }
}
