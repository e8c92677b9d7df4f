//! The loaded model stays byte-identical while the loader changes underneath (issue 16: loading
//! made cheaper, the model kept as it was).
//!
//! The cases are the embedded default contracts and the synthetic contracts the benches make
//! (`benches/synthetic.rs`, with the benches' sizes). Each is dumped by [`model_dump`]; the
//! snapshot keeps the SHA-256 and length of each dump, taken before the loader was changed
//! (the dumps of the synthetic documents run to megabytes, too large to commit). On a mismatch
//! the dumps are in `CARGO_TARGET_TMPDIR/model-dumps` for a diff against a build of the old
//! loader. The real corpus has its own test (`cli/tests/corpus_model_identity.rs`), which runs
//! only where the corpus is.
//!
//! A deliberate change of the model updates the snapshot (`cargo insta review`); a loader
//! optimisation never does.

mod model_dump;

use std::path::{Path, PathBuf};

use altinn_bridge::diag::SourceMap;
use altinn_bridge::embedded;

#[path = "../benches/synthetic.rs"]
mod synthetic;

fn keep() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("model-dumps")
}

#[test]
fn embedded_default_model_is_unchanged() {
    let mut sources = SourceMap::new();
    let entries = embedded::register(&mut sources);
    let dump = model_dump::dump(&mut sources, &entries);
    insta::assert_snapshot!(model_dump::line("embedded-default", &dump, &keep()));
}

#[test]
fn synthetic_bench_models_are_unchanged() {
    // The load bench's document as YAML and as the same document in JSON, and the suggest
    // bench's WSDL and one of its OpenAPI documents.
    let yaml = synthetic::openapi_yaml(1_200_000, "things");
    let value: serde_json::Value = yaml_serde::from_str(&yaml).expect("the synthetic YAML parses");
    let json = serde_json::to_string_pretty(&value).expect("serialises");
    let cases = [
        ("synthetic-yaml", "synthetic.yaml", yaml),
        ("synthetic-json", "synthetic.json", json),
        ("synthetic-wsdl", "synthetic.wsdl", synthetic::wsdl(120)),
        (
            "synthetic-suggest-yaml",
            "orders.yaml",
            synthetic::openapi_yaml(1_000_000, "orders"),
        ),
    ];
    let mut out = String::new();
    for (name, path, text) in cases {
        let mut sources = SourceMap::new();
        sources.register_virtual(path, text);
        let dump = model_dump::dump(&mut sources, &[PathBuf::from(path)]);
        out += &model_dump::line(name, &dump, &keep());
    }
    insta::assert_snapshot!(out);
}
