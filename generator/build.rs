//! Embeds every contract under `wsdl/` and `openapi/` (the project's shipped default) into the
//! binary: writes `$OUT_DIR/embedded_files.rs`, a sorted list of `(repository path, text)`.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    // Read at run time, not with `env!`: a build script binary reused from another checkout
    // (a copied target directory) would otherwise embed that checkout's files.
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir).join("..");
    let mut files = Vec::new();
    for dir in ["wsdl", "openapi"] {
        println!("cargo:rerun-if-changed=../{dir}");
        collect(&root, &root.join(dir), &mut files);
    }
    files.sort();
    let mut out = String::from("&[\n");
    for rel in &files {
        let abs = root.join(rel);
        println!("cargo:rerun-if-changed={}", abs.display());
        // `include_str!` needs an absolute path here; only the relative one reaches the binary's data.
        let _ = writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        );
    }
    out.push_str("]\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("embedded_files.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            println!("cargo:rerun-if-changed={}", p.display());
            collect(root, &p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("wsdl" | "xsd" | "json" | "yaml" | "yml")
        ) {
            let rel = p
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            out.push(rel);
        }
    }
}
