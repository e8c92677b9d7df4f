//! Whether the docs site's browser test (`tests/tests/docs_site.rs`) can run: `hugo`,
//! `chromium` (or `$CHROMIUM`) and `node` on the `PATH`, and `npm ci` done in
//! `output-examples/docs` (Mermaid) and `tests/browser` (puppeteer-core). Sets
//! `cfg(peer_docs_site)` when they are; without them the test is reported `ignored` with the
//! reason, never `ok`. In CI (`CI` set) the cfg is always set: the test runs and fails, naming
//! what is missing.

use std::path::{Path, PathBuf};

/// Declares `cfg(peer_docs_site)` and sets it when every part is there (or in CI).
pub fn declare(workspace: &Path) {
    println!("cargo::rustc-check-cfg=cfg(peer_docs_site)");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=CHROMIUM");
    let chromium = match std::env::var_os("CHROMIUM") {
        Some(path) => Some(PathBuf::from(path)).filter(|p| p.is_file()),
        None => on_path("chromium"),
    };
    let parts = [
        ("hugo", on_path("hugo")),
        ("chromium", chromium),
        ("node", on_path("node")),
        (
            "`npm ci` in output-examples/docs",
            installed(
                workspace,
                "output-examples/docs",
                "node_modules/mermaid/dist/mermaid.min.js",
            ),
        ),
        (
            "`npm ci` in tests/browser",
            installed(
                workspace,
                "tests/browser",
                "node_modules/puppeteer-core/package.json",
            ),
        ),
    ];
    let missing: Vec<&str> = parts
        .iter()
        .filter(|(_, found)| found.is_none())
        .map(|(name, _)| *name)
        .collect();
    let ci = std::env::var_os("CI").is_some();
    if missing.is_empty() || ci {
        println!("cargo::rustc-cfg=peer_docs_site");
    }
    if !missing.is_empty() {
        println!(
            "cargo::warning=the docs site's browser test will be {}: missing {}",
            if ci {
                "run and FAIL (CI is set)"
            } else {
                "IGNORED"
            },
            missing.join(", ")
        );
    }
}

/// An executable named `name` in a folder of `PATH`, watched when found.
fn on_path(name: &str) -> Option<PathBuf> {
    let found = std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())?;
    println!("cargo::rerun-if-changed={}", found.display());
    Some(found)
}

/// `file` under `dir` of the workspace, once npm has installed it. Cargo watches the file when it
/// exists, else `dir` (small while nothing is installed; a missing path would rerun the script
/// on every build).
fn installed(workspace: &Path, dir: &str, file: &str) -> Option<PathBuf> {
    let path = workspace.join(dir).join(file);
    if path.is_file() {
        println!("cargo::rerun-if-changed={}", path.display());
        Some(path)
    } else {
        println!("cargo::rerun-if-changed={}", workspace.join(dir).display());
        None
    }
}
