//! `examples/build-script` generates its adapters in `build.rs` with `altinn_bridge::Builder`:
//! Cargo must rerun that script when a manifest it read changes, and only then.
//!
//! The crate is checked by a child `cargo check -v` (build scripts run as in a build; only the
//! code generation of the crates is skipped) from a scratch copy (its files verbatim, the
//! manifest and the contracts the manifest names, in the repository's layout) under
//! `<target>/build-rs-test`, with its own target dir: building in this test's target dir would
//! wait forever on the lock `cargo test` holds. The copy is what gets touched, so the
//! repository's files keep their mtimes. The first run compiles the runtime and generator
//! there (minutes, once); later runs only check freshness.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

const PACKAGE: &str = "altinn-bridge-build-example";

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

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
    // Only when the content differs, so an unchanged file keeps the mtime Cargo last saw.
    let new = std::fs::read(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    if std::fs::read(to).ok().as_deref() != Some(new.as_slice()) {
        std::fs::write(to, new).expect("write");
    }
}

/// The example crate, its manifest and the manifest's contracts, in the repository's layout,
/// inside a workspace whose dependencies point back at this checkout's generator and runtime.
fn scratch_copy(dir: &Path) {
    let ws = workspace();
    for rel in [
        "examples/build-script/Cargo.toml",
        "examples/build-script/build.rs",
        "examples/build-script/src/lib.rs",
        "mappings/pre-fill-basic.toml",
        "wsdl/PreFillBasic.wsdl",
        "openapi/altinn-storage-v1.json",
        "Cargo.lock",
    ] {
        copy(&ws.join(rel), &dir.join(rel));
    }
    let root = format!(
        r#"# Written by tests/tests/build_script.rs.
[workspace]
resolver = "3"
members = ["examples/build-script"]

[workspace.package]
edition = "2024"
license = "MIT OR Apache-2.0"
rust-version = "1.86"
version = "0.1.0"

[workspace.dependencies]
altinn-bridge = {{ path = "{generator}" }}
altinn-bridge-runtime = {{ path = "{runtime}" }}

{profiles}"#,
        generator = ws.join("generator").display(),
        runtime = ws.join("runtime").display(),
        profiles = profiles(&ws.join("Cargo.toml")),
    );
    let manifest = dir.join("Cargo.toml");
    if std::fs::read_to_string(&manifest).ok().as_deref() != Some(root.as_str()) {
        std::fs::write(&manifest, root).expect("write the scratch workspace");
    }
}

/// The `[profile.*]` tables of the workspace manifest (they come last in it): the scratch build
/// compiles the dependencies as the workspace does, so it can reuse what `.ci/run` compiled for
/// the example into the same target dir.
fn profiles(manifest: &Path) -> String {
    let text = std::fs::read_to_string(manifest).expect("the workspace manifest");
    text.find("\n[profile.")
        .map(|at| text[at + 1..].to_owned())
        .unwrap_or_default()
}

/// `cargo check -v` of the example; its stderr.
fn build(dir: &Path) -> String {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(dir)
        .args(["check", "-v", "--offline", "-p", PACKAGE, "--target-dir"])
        .arg(dir.join("target"))
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "cargo check failed:\n{stderr}");
    stderr
}

/// Whether this build ran the example's build script (not merely compiled it).
fn ran_build_script(log: &str) -> bool {
    log.lines().any(|l| {
        l.trim_start().starts_with("Running `")
            && l.contains("/build/altinn-bridge-build-example-")
            && l.contains("/build-script-build`")
    })
}

fn fresh(log: &str) -> bool {
    log.lines().any(|l| {
        l.trim_start()
            .starts_with("Fresh altinn-bridge-build-example")
    })
}

fn bump_mtime(path: &Path) {
    // Now, not in the future: Cargo compares inputs with the time the script last started,
    // and a future mtime would keep the script stale after it reran. The pause puts "now"
    // clearly after the previous build on coarse-grained file systems.
    std::thread::sleep(Duration::from_millis(1100));
    let when = SystemTime::now();
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(when))
        .expect("set the manifest's mtime");
}

#[test]
fn build_script_reruns_when_the_manifest_is_touched_and_only_then() {
    let dir = scratch_root();
    scratch_copy(&dir);
    // Whatever state an earlier run left, this one brings it up to date.
    build(&dir);

    let again = build(&dir);
    assert!(
        !ran_build_script(&again) && fresh(&again),
        "an unchanged crate reran its build script:\n{again}"
    );

    bump_mtime(&dir.join("mappings/pre-fill-basic.toml"));
    let touched = build(&dir);
    assert!(
        ran_build_script(&touched),
        "touching the manifest did not rerun the build script:\n{touched}"
    );

    let after = build(&dir);
    assert!(
        !ran_build_script(&after) && fresh(&after),
        "the build script reran with nothing touched:\n{after}"
    );

    // A contract the manifest names counts as an input too.
    bump_mtime(&dir.join("wsdl/PreFillBasic.wsdl"));
    let contract = build(&dir);
    assert!(
        ran_build_script(&contract),
        "touching the WSDL did not rerun the build script:\n{contract}"
    );
}
