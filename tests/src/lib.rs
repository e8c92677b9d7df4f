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
/// `None` when neither exists; tests then skip, and say so loudly.
pub fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ALTINN_BRIDGE_CORPUS") {
        let dir = PathBuf::from(dir);
        return dir.is_dir().then_some(dir);
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent()?;
    let dir = workspace.parent()?.join("shared").join("corpus");
    dir.is_dir().then_some(dir)
}

/// The corpus, or `None` after printing a loud skip notice naming the test.
///
/// In CI (`CI` set) a missing corpus is a failure, not a skip: CI always has `../shared`.
pub fn corpus_or_skip(test: &str) -> Option<PathBuf> {
    let dir = corpus_dir();
    if dir.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: the corpus is missing in CI (expected ../shared/corpus or $ALTINN_BRIDGE_CORPUS)"
        );
        eprintln!(
            "\n*** SKIPPED {test}: no corpus at ../shared/corpus and $ALTINN_BRIDGE_CORPUS is unset ***\n"
        );
    }
    dir
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
