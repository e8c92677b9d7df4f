//! An Axis-style rpc/encoded service (`generator/tests/fixtures/encoded/OrderService.wsdl`,
//! arrays of structs as SOAP-encoding arrays) mapped onto a REST API by a manifest: `generate`
//! writes its adapters (types, client and facade), and they compile against the runtime with
//! `#![deny(warnings)]`, as the committed adapters do.
//!
//! The crate is built by a child `cargo build` in a scratch workspace under
//! `<target>/build-rs-test` that shares its target directory with `build_script.rs` (the runtime
//! is compiled there once); building in this test's own target dir would wait on `cargo test`'s
//! lock.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

fn scratch_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    let target = if target.is_absolute() {
        target
    } else {
        workspace().join(target)
    };
    target.join("build-rs-test")
}

fn write_if_changed(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).expect("write");
    }
}

#[test]
fn the_rpc_encoded_adapters_generate_and_compile() {
    let ws = workspace();
    let manifest = ws.join("generator/tests/fixtures/encoded/orders.toml");
    let generated = altinn_bridge::Builder::new()
        .manifest(&manifest)
        .quiet(true)
        .render()
        .expect("the rpc/encoded manifest generates");
    assert!(
        generated.files.contains_key("order_service.rs"),
        "a module for the service"
    );
    // The module file and the files of its folder (soap, rest, plan, client, facade).
    let module: String = generated
        .files
        .iter()
        .filter(|(name, _)| name.starts_with("order_service"))
        .map(|(_, text)| text.as_str())
        .collect();
    // The rpc wrapper elements are what the adapters read and write.
    assert!(module.contains("\"createOrder\"") && module.contains("\"getOrdersResponse\""));

    let dir = scratch_root().join("rpc-encoded");
    for (name, text) in &generated.files {
        write_if_changed(&dir.join("src/generated").join(name), text);
    }
    write_if_changed(
        &dir.join("src/lib.rs"),
        "//! Written by tests/tests/rpc_encoded_generates.rs.\n#![deny(warnings)]\n#![allow(missing_docs)]\n#[rustfmt::skip]\npub mod generated;\n",
    );
    write_if_changed(
        &dir.join("Cargo.toml"),
        &format!(
            "# Written by tests/tests/rpc_encoded_generates.rs.\n[workspace]\nresolver = \"3\"\n\n\
             [package]\nname = \"rpc-encoded-check\"\nedition = \"2024\"\nversion = \"0.1.0\"\npublish = false\n\n\
             [dependencies]\naltinn-bridge-runtime = {{ path = \"{}\" }}\n\n\
             [profile.dev.package.\"*\"]\nopt-level = 1\n",
            ws.join("runtime").display()
        ),
    );
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(&dir)
        .args(["build", "--offline", "--target-dir"])
        .arg(scratch_root().join("target"))
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "the generated adapters do not compile:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
