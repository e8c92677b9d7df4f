//! `check` warns about links that resolve but look wrong: a read-only operation mapped to a
//! destructive call, a write call no SOAP field feeds, an answer linked to nothing
//! (`tests/fixtures/lint/wrong.toml`). A draft `suggest` writes for the same pair has none of
//! them for the operations it maps.

use std::path::Path;
use std::process::Command;

fn check_verbose(manifest: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_altinn-bridge"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "-v", manifest])
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn wrong_links_are_warned_about_where_they_are() {
    let (ok, err) = check_verbose("../tests/fixtures/lint/wrong.toml");
    assert!(ok, "warnings do not fail check:\n{err}");
    for (warning, at) in [
        (
            "warning: `HentStatus` only reads, but `DELETE /v2/submissions/{submissionId}` deletes or changes data",
            "wrong.toml:17:38",
        ),
        (
            "warning: the answer of `HentStatus` is linked to nothing",
            "wrong.toml:16:8",
        ),
        (
            "warning: `POST /v2/submissions` writes, but no SOAP input field is linked into it",
            "wrong.toml:26:38",
        ),
    ] {
        let block = err
            .split("\n\n")
            .find(|b| b.starts_with(warning))
            .unwrap_or_else(|| panic!("no `{warning}` in:\n{err}"));
        assert!(block.contains(at), "`{warning}` not at {at}:\n{block}");
    }
}

#[test]
fn the_suggested_draft_draws_none_of_these_warnings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/unseen");
    let draft = Command::new(env!("CARGO_BIN_EXE_altinn-bridge"))
        .current_dir(&dir)
        .args([
            "suggest",
            "--wsdl",
            "Innsendingstjeneste.wsdl",
            "--openapi",
            "innsending-api.yaml",
        ])
        .output()
        .expect("suggest runs");
    assert!(draft.status.success());
    let path = std::env::temp_dir().join(format!("lint-draft-{}", std::process::id()));
    std::fs::create_dir_all(&path).unwrap();
    for f in [
        "Innsendingstjeneste.wsdl",
        "innsending-typer.xsd",
        "innsending-api.yaml",
    ] {
        std::fs::copy(dir.join(f), path.join(f)).unwrap();
    }
    let manifest = path.join("draft.toml");
    std::fs::write(&manifest, &draft.stdout).unwrap();
    let (ok, err) = check_verbose(manifest.to_str().unwrap());
    assert!(ok, "the draft fails check:\n{err}");
    assert!(!err.contains("only reads, but"), "{err}");
    assert!(
        !err.contains("the answer of `HentStatus` is linked to nothing"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(path);
}
