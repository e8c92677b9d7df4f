//! The correspondence manifests (service owner side) pass `check` against the shipped contracts
//! and against the real ones in the corpus, and account for every SOAP operation.

// The corpus helpers of the `altinn-bridge-tests` crate, compiled in here (see embedded.rs).
#[allow(dead_code)]
#[path = "../../../tests/src/lib.rs"]
#[rustfmt::skip]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Each manifest with the coverage line `check` must print for it: all eight operations of the
/// public contract are linked or say why not, and no input field is left unresolved.
const MANIFESTS: [(&str, &str); 2] = [
    (
        "mappings/correspondence-agency-external-basic.toml",
        "6 linked, 2 without successor, 0 not in the manifest; input fields 56 linked, 78 dropped, 0 unresolved",
    ),
    (
        "mappings/correspondence-agency-external.toml",
        "6 linked, 2 without successor, 0 not in the manifest; input fields 56 linked, 64 dropped, 0 unresolved",
    ),
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `altinn-bridge check -v [--contracts DIR] MANIFEST` from the repository root.
fn check(manifest: &str, contracts: Option<&Path>) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_altinn-bridge"));
    cmd.current_dir(repo_root()).arg("check").arg("-v");
    if let Some(dir) = contracts {
        cmd.arg("--contracts").arg(dir);
    }
    let out = cmd.arg(manifest).output().expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_passes(manifest: &str, coverage: &str, contracts: Option<&Path>) {
    let (ok, stdout, stderr) = check(manifest, contracts);
    assert!(ok, "{manifest} against {contracts:?}:\n{stderr}");
    assert!(
        stdout.contains(coverage),
        "{manifest} against {contracts:?}: expected `{coverage}` in\n{stdout}"
    );
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn correspondence_manifests_pass_against_the_shipped_contracts() {
    for (manifest, coverage) in MANIFESTS {
        assert_passes(manifest, coverage, None);
    }
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn correspondence_manifests_pass_against_the_corpus() {
    let dir = corpus::require_corpus("correspondence_manifests_pass_against_the_corpus");
    let dir = std::fs::canonicalize(dir).expect("corpus folder");
    for (manifest, coverage) in MANIFESTS {
        assert_passes(manifest, coverage, Some(&dir));
    }
}

#[test]
fn correspondence_warnings_stay_few_and_known() {
    // Optional Altinn 2 fields feeding required Altinn 3 ones, and enumeration values with no
    // Altinn 3 counterpart (IM, NotSet, a failed or purged message in the first status list).
    for (manifest, _) in MANIFESTS {
        let (_, _, stderr) = check(manifest, None);
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .collect();
        for w in &warnings {
            assert!(
                w.contains("may be absent or nil but")
                    || w.contains("source values without a mapping fail at run time"),
                "{manifest}: unexpected {w}"
            );
        }
        assert!(warnings.len() <= 16, "{manifest}: {warnings:#?}");
    }
}
