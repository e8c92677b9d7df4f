//! Bad manifests: each mistake gets its exact message at the manifest's line and column.
//! The manifests are checked against the shipped (embedded) contracts.

use std::path::Path;

use altinn_bridge::diag::{Diagnostics, SourceMap};
use altinn_bridge::embedded;
use altinn_bridge::link::{self, Overrides};
use altinn_bridge::load::Limits;

const HEAD: &str = r#"api = "CorrespondenceAgencyExternalBasic"
strategy = 1
[sources]
wsdl = "../wsdl/CorrespondenceAgencyExternalBasic.wsdl"
openapi = ["../openapi/altinn-correspondence-v1.json"]
"#;

/// Checks `body` (appended to a valid head) and returns the errors with the source map.
fn errors(body: &str) -> (SourceMap, Diagnostics) {
    let mut sources = SourceMap::new();
    embedded::register(&mut sources);
    sources.register_virtual("mappings/bad.toml", format!("{HEAD}{body}"));
    let r = link::load_mapping(
        &mut sources,
        Path::new("mappings/bad.toml"),
        &Overrides::default(),
        &Limits::default(),
    );
    match r {
        Ok(_) => panic!("the manifest should not resolve:\n{body}"),
        Err(d) => (sources, Diagnostics(d.errors().cloned().collect())),
    }
}

/// The one error whose message starts with `prefix`: its full message and `file:line:col`.
fn find(sources: &SourceMap, ds: &Diagnostics, prefix: &str) -> (String, String) {
    let d =
        ds.0.iter()
            .find(|d| d.message.starts_with(prefix))
            .unwrap_or_else(|| {
                panic!(
                    "no error starting with {prefix:?} in:\n{}",
                    sources.render_all(ds)
                )
            });
    let at = d
        .primary
        .as_ref()
        .map(|l| sources.location(l.span).to_string())
        .unwrap_or_default();
    (d.message.clone(), at)
}

#[test]
fn unknown_operation() {
    let (sm, ds) =
        errors("[[operations]]\nsoap = \"InsertCorrespondenceBasicV9\"\nno_successor = \"x\"\n");
    let (msg, at) = find(&sm, &ds, "unknown SOAP operation");
    assert_eq!(
        msg,
        "unknown SOAP operation `InsertCorrespondenceBasicV9` in `wsdl/CorrespondenceAgencyExternalBasic.wsdl`"
    );
    assert_eq!(at, "mappings/bad.toml:7:8");
    let note = &ds.0[0].notes[0];
    assert!(
        note.starts_with("expected one of: ") && note.contains("InsertCorrespondenceBasicV2"),
        "{note}"
    );
}

#[test]
fn unknown_field() {
    let body = r#"[[operations]]
soap = "InsertCorrespondenceBasicV2"
calls = [{ name = "send", endpoint = "POST /correspondence/api/v1/correspondence" }]
[[operations.inputs]]
from = "InsertCorrespondenceBasicV2/Correspondence/Nope"
drop = "x"
"#;
    let (sm, ds) = errors(body);
    let (msg, at) = find(&sm, &ds, "unknown field in SOAP input path");
    assert!(
        msg.starts_with(
            "unknown field in SOAP input path `InsertCorrespondenceBasicV2/Correspondence/Nope`: \
             `InsertCorrespondenceV2` has no field `Nope`; expected one of: ServiceCode, ServiceEdition, Reportee"
        ),
        "{msg}"
    );
    assert_eq!(at, "mappings/bad.toml:10:8");
}

#[test]
fn unknown_endpoint_names_the_nearest() {
    let body = "[[operations]]\nsoap = \"InsertCorrespondenceBasicV2\"\ncalls = [{ name = \"send\", endpoint = \"POST /correspondence/api/v1/correspondences\" }]\n";
    let (sm, ds) = errors(body);
    let (msg, at) = find(&sm, &ds, "unknown endpoint");
    assert_eq!(
        msg,
        "unknown endpoint `POST /correspondence/api/v1/correspondences`"
    );
    assert_eq!(at, "mappings/bad.toml:8:38");
}

#[test]
fn type_clash() {
    let body = r#"[[operations]]
soap = "InsertCorrespondenceBasicV2"
calls = [{ name = "send", endpoint = "POST /correspondence/api/v1/correspondence" }]
[[operations.inputs]]
from = "InsertCorrespondenceBasicV2/Correspondence/AllowForwarding"
to = "body.correspondence.dueDateTime"
"#;
    let (sm, ds) = errors(body);
    let (msg, at) = find(&sm, &ds, "type clash");
    assert_eq!(
        msg,
        "type clash: `InsertCorrespondenceBasicV2/Correspondence/AllowForwarding` is a boolean \
         but `body.correspondence.dueDateTime` is a date-time"
    );
    assert_eq!(at, "mappings/bad.toml:10:8");
}

#[test]
fn required_field_unfed() {
    let body = r#"[[operations]]
soap = "InsertCorrespondenceBasicV2"
calls = [{ name = "send", endpoint = "POST /correspondence/api/v1/correspondence" }]
[[operations.inputs]]
from = "InsertCorrespondenceBasicV2/Correspondence/Reportee"
to = "body.recipients[]"
"#;
    let (sm, ds) = errors(body);
    let (msg, at) = find(&sm, &ds, "required field");
    assert_eq!(
        msg,
        "required field `body.correspondence` of `POST /correspondence/api/v1/correspondence` is not fed"
    );
    assert_eq!(at, "mappings/bad.toml:7:8");
}

#[test]
fn transform_on_the_wrong_type() {
    let body = r#"[[operations]]
soap = "InsertCorrespondenceBasicV2"
calls = [{ name = "send", endpoint = "POST /correspondence/api/v1/correspondence" }]
[[operations.inputs]]
from = "InsertCorrespondenceBasicV2/Correspondence/AllowForwarding"
to = "body.correspondence.content.messageBody"
format = "html-to-markdown"
"#;
    let (sm, ds) = errors(body);
    let (msg, at) = find(&sm, &ds, "format");
    assert_eq!(
        msg,
        "format `html-to-markdown` does not apply to `InsertCorrespondenceBasicV2/Correspondence/AllowForwarding`, which is a boolean"
    );
    assert_eq!(at, "mappings/bad.toml:12:10");
}

#[test]
fn map_keys_must_be_source_values() {
    let body = r#"[[operations]]
soap = "GetCorrespondenceStatusDetailsBasicV3"
calls = [{ name = "search", endpoint = "GET /correspondence/api/v1/correspondence" }]
[[operations.inputs]]
from = "GetCorrespondenceStatusDetailsBasicV3/filterCriteria/CurrentStatus"
to = "query.status"
map = { "Sent" = "Published" }
"#;
    let (sm, ds) = errors(body);
    let (msg, at) = find(&sm, &ds, "`map` has keys");
    assert_eq!(
        msg,
        "`map` has keys that are not values of the source: `Sent`"
    );
    assert_eq!(at, "mappings/bad.toml:12:7");
}

fn pinned(sha: &str) -> String {
    format!(
        r#"api = "CorrespondenceAgencyExternalBasic"
strategy = 1
[sources]
wsdl = "../wsdl/CorrespondenceAgencyExternalBasic.wsdl"
openapi = [{{ url = "https://example.invalid/correspondence.json", path = "../openapi/altinn-correspondence-v1.json", sha256 = "{sha}" }}]
"#
    )
}

fn pin_errors(manifest: String) -> (SourceMap, Diagnostics) {
    let mut sources = SourceMap::new();
    embedded::register(&mut sources);
    sources.register_virtual("mappings/pin.toml", manifest);
    let r = link::load_mapping(
        &mut sources,
        Path::new("mappings/pin.toml"),
        &Overrides::default(),
        &Limits::default(),
    );
    (sources, r.expect_err("the pin is wrong"))
}

#[test]
fn a_malformed_sha256_is_refused() {
    let (sm, ds) = pin_errors(pinned("abc"));
    let (msg, at) = find(&sm, &ds, "`abc`");
    assert_eq!(msg, "`abc` is not a sha256");
    assert_eq!(at, "mappings/pin.toml:5:127");
}

#[test]
fn a_sha256_that_does_not_match_is_refused() {
    let wrong = "0".repeat(64);
    let (sm, ds) = pin_errors(pinned(&wrong));
    let (msg, at) = find(&sm, &ds, "sha256 of");
    assert_eq!(
        msg,
        "sha256 of `openapi/altinn-correspondence-v1.json` does not match the pin"
    );
    assert_eq!(at, "mappings/pin.toml:5:127");
}

#[test]
fn a_url_without_a_pin_is_refused() {
    let m = pinned("x").replace(", sha256 = \"x\"", "");
    let (sm, ds) = pin_errors(m);
    let (msg, at) = find(&sm, &ds, "`https://");
    assert_eq!(
        msg,
        "`https://example.invalid/correspondence.json` has no sha256 pin"
    );
    assert_eq!(at, "mappings/pin.toml:5:20");
}

#[test]
fn toml_syntax_errors_have_positions() {
    let (sm, ds) = errors("[[operations]\nsoap = 1\n");
    let (msg, at) = find(&sm, &ds, "invalid manifest");
    assert!(msg.starts_with("invalid manifest: "), "{msg}");
    assert_eq!(at, "mappings/bad.toml:6:14");
}

#[test]
fn the_correct_pin_is_accepted() {
    use sha2::Digest;
    let text = embedded::FILES
        .iter()
        .find(|(p, _)| *p == "openapi/altinn-correspondence-v1.json")
        .unwrap()
        .1;
    let sha: String = sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut sources = SourceMap::new();
    embedded::register(&mut sources);
    let body = "[[operations]]\nsoap = \"Test\"\nno_successor = \"none\"\n";
    sources.register_virtual("mappings/pin.toml", format!("{}{body}", pinned(&sha)));
    let r = link::load_mapping(
        &mut sources,
        Path::new("mappings/pin.toml"),
        &Overrides::default(),
        &Limits::default(),
    );
    let (mapping, _warnings) = r.unwrap_or_else(|d| panic!("{}", sources.render_all(&d)));
    assert_eq!(mapping.resolved.operations.len(), 1);
}

#[test]
fn a_party_field_that_is_no_input_is_an_error() {
    let body = r#"[auth]
old = "system-user-password"
party_fields = ["InsertCorrespondenceBasicV2/Correspondence/Reportee", "InsertCorrespondenceBasicV2/Reportees"]
[[operations]]
soap = "Test"
no_successor = "x"
"#;
    let (sm, ds) = errors(body);
    let (msg, at) = find(&sm, &ds, "party field");
    assert_eq!(
        msg,
        "party field `InsertCorrespondenceBasicV2/Reportees` is not an input field of any operation"
    );
    assert_eq!(at, "mappings/bad.toml:8:72");
    assert_eq!(
        ds.0.iter()
            .filter(|d| d.message.starts_with("party field"))
            .count(),
        1
    );
}
