//! Helpers shared by the cross-crate tests: the real contracts in `../shared/corpus`, Stoplight
//! Prism started on the real Altinn 3 specs ([`prism`]) and made realistic ([`altinn3`]), a local
//! upstream that fails on purpose ([`upstream`]), a local Altinn 3 Correspondence API that fails
//! by a seeded plan ([`failing`]) and the legacy caller that drives the facade in front of it
//! ([`legacy`]), zeep's requests ([`zeep`], [`python`]).
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

// generator/tests include this file as a module by `#[path]` for the corpus helpers, in test
// builds without this crate's dependencies; the other helpers stay out of those.
#[cfg(not(test))]
pub mod altinn3;
#[cfg(not(test))]
pub mod broker;
#[cfg(not(test))]
pub mod conformance;
pub mod expected;
#[cfg(not(test))]
pub mod failing;
#[cfg(not(test))]
pub mod legacy;
#[cfg(not(test))]
pub mod prism;
#[cfg(not(test))]
pub mod python;
#[cfg(not(test))]
pub mod upstream;
#[cfg(not(test))]
pub mod zeep;

/// The corpus directory: `$ALTINN_BRIDGE_CORPUS`, else `../shared/corpus` beside the checkout.
/// `None` when neither exists.
pub fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ALTINN_BRIDGE_CORPUS") {
        let dir = PathBuf::from(dir);
        return dir.is_dir().then_some(dir);
    }
    // This file is compiled into other packages' tests too (`#[path]`), at other depths: the
    // checkout's root is the first folder up with the lockfile.
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|d| d.join("Cargo.lock").is_file())?;
    let dir = workspace.parent()?.join("shared").join("corpus");
    dir.is_dir().then_some(dir)
}

/// The corpus, for a test marked `#[cfg_attr(not(peer_corpus), ignore = "needs the corpus: ...")]`.
///
/// Such a test is ignored, with that reason, where the build script found no corpus (see
/// `tests/build/peers.rs`); in CI it runs regardless and fails here, naming what is missing.
pub fn require_corpus(test: &str) -> PathBuf {
    require(
        test,
        corpus_dir(),
        "the corpus (../shared/corpus beside the checkout, or $ALTINN_BRIDGE_CORPUS)",
    )
}

/// node-soap 1.13.0 installed in `tests/node-soap` (`npm ci` there, or `cargo xtask setup`): the
/// folder, for a test marked `#[cfg_attr(not(peer_node_soap), ignore = "needs node-soap: ...")]`.
pub fn require_node_soap(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("node-soap");
    let installed = dir.join("node_modules/soap/package.json").is_file();
    require(
        test,
        installed.then_some(dir),
        "node-soap (run `cargo xtask setup`, or `npm ci` in tests/node-soap)",
    )
}

/// `peer`, or a panic naming `test` and how to get `what`: a test that needs a peer fails when
/// it runs without it, never passes.
pub fn require(test: &str, peer: Option<PathBuf>, what: &str) -> PathBuf {
    peer.unwrap_or_else(|| panic!("{test} needs {what}, which is missing"))
}

/// Every file under `dir` with one of `extensions`, sorted, relative paths kept as found.
pub fn files_with_ext(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| extensions.contains(&x))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
