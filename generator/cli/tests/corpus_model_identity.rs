//! The model of every real contract stays byte-identical while the loader changes underneath
//! (issue 16): `inspect --json` of the whole corpus, and each entry file's model with its spans
//! and rendered warnings (the dump of `generator/tests/model_dump`), against the digests in
//! the snapshot, taken before the loader was changed.
//!
//! Each line of that file also holds the SHA-256 of the corpus file, so a changed corpus is
//! told apart from a changed model in the diff. The dumps are kept in
//! `CARGO_TARGET_TMPDIR/corpus-model-dumps` for a diff. The corpus itself is never copied here.

#[allow(dead_code)]
#[path = "../../../tests/src/lib.rs"]
#[rustfmt::skip]
mod corpus;

#[path = "../../tests/model_dump/mod.rs"]
mod model_dump;

use std::path::{Path, PathBuf};
use std::process::Command;

use altinn_bridge::diag::SourceMap;

/// The files the load bench loads: every WSDL and OpenAPI document, and the payload schemas
/// that no WSDL imports; imported XSDs are reached through their WSDLs.
fn entries(dir: &Path) -> Vec<PathBuf> {
    corpus::files_with_ext(dir, &["wsdl", "xsd", "json"])
        .into_iter()
        .filter(|p| {
            p.extension().is_some_and(|x| x != "xsd")
                || p.components().any(|c| c.as_os_str() == "payload")
        })
        .collect()
}

fn relative(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// One line per entry file: `path sha256-of-file sha256-of-dump length-of-dump`.
fn per_file(dir: &Path, keep: &Path) -> String {
    let mut out = String::new();
    for path in entries(dir) {
        let name = relative(dir, &path);
        let bytes = std::fs::read(&path).expect("corpus file readable");
        let mut sources = SourceMap::new();
        let dump = model_dump::dump(&mut sources, std::slice::from_ref(&path));
        // Absolute paths of this machine would make the digest depend on the checkout.
        let dump = dump.replace(&format!("{}/", dir.display()), "CORPUS/");
        let line = model_dump::line(&name, &dump, keep);
        out += &format!(
            "{name} {} {}",
            model_dump::sha256(&bytes),
            &line[name.len() + 1..]
        );
    }
    out
}

/// `inspect --json` of every entry at once, as the CLI prints it.
fn inspect_json(dir: &Path, keep: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_altinn-bridge"))
        .arg("inspect")
        .arg("--json")
        .args(entries(dir))
        .output()
        .expect("the CLI runs");
    assert!(
        out.status.success(),
        "inspect failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = String::from_utf8(out.stdout).expect("UTF-8 output");
    let json = json.replace(&format!("{}/", dir.display()), "CORPUS/");
    model_dump::line("inspect-json-all-entries", &json, keep)
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn corpus_models_are_unchanged() {
    let dir = corpus::require_corpus("corpus_models_are_unchanged");
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-model-dumps");
    insta::assert_snapshot!(per_file(&dir, &keep) + &inspect_json(&dir, &keep));
}
