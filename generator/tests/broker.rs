//! The Altinn Broker contracts the project ships (`wsdl/BrokerServiceExternalBasic.wsdl`,
//! `wsdl/BrokerServiceExternalBasicStreamed.wsdl`, `openapi/altinn-broker-v1.json`) and the two
//! broker manifests under `mappings/`.
//!
//! - through the loaders: the files load with no error or warning and hold what was written;
//! - against the corpus: every kept item agrees with the public contract;
//! - through the binary: `check` passes for both manifests, on the shipped and the real contracts,
//!   with every SOAP operation in the manifest and no unresolved input field.
//!
//! (That no shipped file copies a corpus file is checked for every shipped file in `embedded.rs`.)

// The corpus helpers of the `altinn-bridge-tests` crate, as in `embedded.rs`.
#[allow(dead_code)]
#[path = "../../tests/src/lib.rs"]
#[rustfmt::skip]
mod corpus;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::embedded;
use altinn_bridge::load::{self, Limits};
use altinn_bridge::model::{Contract, SoapContract, SoapVersion};

const BASIC: &str = "wsdl/BrokerServiceExternalBasic.wsdl";
const STREAMED: &str = "wsdl/BrokerServiceExternalBasicStreamed.wsdl";
const OPENAPI: &str = "openapi/altinn-broker-v1.json";
const MANIFESTS: [&str; 2] = [
    "mappings/broker-service-external-basic.toml",
    "mappings/broker-service-external-basic-streamed.toml",
];
const XS: &str = "http://www.w3.org/2001/XMLSchema";
const ACTION: &str = "http://www.altinn.no/services/ServiceEngine/Broker/2015/06";
const TEST_ACTION: &str = "http://www.altinn.no/services/2009/10/IAltinnContractBase/Test";

fn embedded_text(path: &str) -> &'static str {
    embedded::FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("{path} is not in embedded::FILES"))
}

/// The broker files of the embedded default, loaded on their own; any warning fails.
fn broker_contract() -> Contract {
    let mut sources = SourceMap::new();
    embedded::register(&mut sources);
    let paths = [BASIC, STREAMED, OPENAPI].map(PathBuf::from);
    match load::load_paths(&mut sources, &paths, &Limits::default()) {
        Ok(loaded) => {
            assert!(
                loaded.warnings.is_empty(),
                "expected no warnings, got:\n{}",
                sources.render_all(&loaded.warnings)
            );
            loaded.value
        }
        Err(d) => panic!("expected a clean load, got:\n{}", sources.render_all(&d)),
    }
}

fn soap<'a>(c: &'a Contract, source: &str) -> &'a SoapContract {
    c.soap
        .iter()
        .find(|s| s.source == source)
        .unwrap_or_else(|| panic!("{source} loaded"))
}

/// (operation, soapAction) of a WSDL, sorted by name; every input's wsaw:Action is its soapAction
/// and every operation declares the AltinnFault.
fn operations(s: &SoapContract) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for o in &s.operations {
        assert_eq!(o.soap_version, SoapVersion::Soap11, "{}", o.name);
        let action = o.soap_action.clone().expect("soapAction");
        let input = o.input.as_ref().expect("input");
        assert_eq!(input.action.as_deref(), Some(action.as_str()), "{}", o.name);
        let faults: Vec<&str> = o.faults.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(faults, ["AltinnFaultFault"], "{}", o.name);
        out.push((o.name.clone(), action));
    }
    out.sort();
    out
}

#[test]
fn basic_wsdl_has_the_five_public_operations() {
    let c = broker_contract();
    let s = soap(&c, BASIC);
    assert_eq!(s.name, "BrokerServiceExternalBasicSF");
    let port = |op: &str| format!("{ACTION}/IBrokerServiceExternalBasic/{op}");
    let expected: Vec<(String, String)> = [
        (
            "CheckIfAvailableFilesBasic",
            port("CheckIfAvailableFilesBasic"),
        ),
        ("ConfirmDownloadedBasic", port("ConfirmDownloadedBasic")),
        ("GetAvailableFilesBasic", port("GetAvailableFilesBasic")),
        (
            "InitiateBrokerServiceBasic",
            port("InitiateBrokerServiceBasic"),
        ),
        ("Test", TEST_ACTION.to_owned()),
    ]
    .into_iter()
    .map(|(n, a)| (n.to_owned(), a))
    .collect();
    assert_eq!(operations(s), expected);
    assert!(s.operations.iter().all(|o| !o.mtom));
    assert_eq!(s.schemas.len(), 8, "one schema per namespace, as published");
}

#[test]
fn streamed_wsdl_is_mtom_with_five_upload_headers_and_a_stream_body() {
    let c = broker_contract();
    let s = soap(&c, STREAMED);
    assert_eq!(s.name, "BrokerServiceExternalBasicStreamedSF");
    let port = |op: &str| format!("{ACTION}/IBrokerServiceExternalBasicStreamed/{op}");
    let expected: Vec<(String, String)> = [
        (
            "DownloadFileStreamedBasic",
            port("DownloadFileStreamedBasic"),
        ),
        ("Test", TEST_ACTION.to_owned()),
        ("UploadFileStreamedBasic", port("UploadFileStreamedBasic")),
    ]
    .into_iter()
    .map(|(n, a)| (n.to_owned(), a))
    .collect();
    assert_eq!(operations(s), expected);
    assert!(s.operations.iter().all(|o| o.mtom), "the binding is MTOM");
    let upload = s
        .operation("UploadFileStreamedBasic")
        .expect("upload")
        .input
        .as_ref()
        .expect("input");
    assert_eq!(upload.name.as_deref(), Some("StreamedPayloadBasicBE"));
    let headers: Vec<&str> = upload.headers.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        headers,
        [
            "FileName",
            "Reference",
            "Reportee",
            "SystemPassword",
            "SystemUserName"
        ]
    );
    assert!(upload.streamed, "the upload body is one stream");
    let download = s.operation("DownloadFileStreamedBasic").expect("download");
    assert!(download.output.as_ref().is_some_and(|o| o.streamed));
}

#[test]
fn broker_openapi_keeps_the_file_transfer_calls_webhooks_and_scopes() {
    let c = broker_contract();
    let rest = c.rest.iter().find(|r| r.source == OPENAPI).expect("loaded");
    assert_eq!(
        (rest.title.as_str(), rest.openapi.as_str()),
        ("Altinn3.Broker", "3.1.0")
    );
    let ids: Vec<&str> = rest.endpoints.iter().map(|e| e.id.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "GET /broker/api/v1/filetransfer",
            "POST /broker/api/v1/filetransfer",
            "GET /broker/api/v1/filetransfer/{fileTransferId}",
            "POST /broker/api/v1/filetransfer/{fileTransferId}/confirmdownload",
            "GET /broker/api/v1/filetransfer/{fileTransferId}/download",
            "POST /broker/api/v1/filetransfer/{fileTransferId}/upload",
        ]
    );
    let mut hooks: Vec<&str> = rest.webhooks.iter().map(|w| w.name.as_str()).collect();
    hooks.sort();
    assert_eq!(
        hooks,
        [
            "no.altinn.broker.downloadconfirmed",
            "no.altinn.broker.published",
            "no.altinn.broker.uploadfailed"
        ]
    );
    assert_eq!(rest.security_schemes.len(), 1);
    assert_eq!(
        rest.security_schemes[0].scopes,
        ["altinn:broker.read", "altinn:broker.write"]
    );
    for e in &rest.endpoints {
        assert!(!e.security.is_empty(), "{} names its scopes", e.id);
    }
}

#[test]
fn shipped_broker_files_say_they_are_reduced_models() {
    for path in [BASIC, STREAMED] {
        let text = embedded_text(path);
        assert!(
            text.contains("a reduced, hand-written model of the public Altinn 2 interface"),
            "{path}"
        );
        roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let text = embedded_text(OPENAPI);
    let json: serde_json::Value = serde_json::from_str(text).expect("JSON");
    assert!(
        json["info"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("hand-written"))
    );
    assert!(!text.contains("\"operationId\""));
    let _: openapiv3::OpenAPI = serde_json::from_str(text).expect("an OpenAPI document");
}

// ---------------------------------------------------------------------------------------------
// Against the corpus

/// (namespace, kind, name) → (members may be a subset, facts) for every top-level schema item.
type Items = BTreeMap<(String, String, String), (bool, Vec<String>)>;

fn qname(node: roxmltree::Node<'_, '_>, value: &str) -> String {
    let (prefix, local) = value
        .split_once(':')
        .map_or((None, value), |(p, l)| (Some(p), l));
    format!(
        "{{{}}}{local}",
        node.lookup_namespace_uri(prefix).unwrap_or("")
    )
}

fn schema_items(text: &str) -> Items {
    let doc = roxmltree::Document::parse(text.trim_start_matches('\u{feff}')).expect("well-formed");
    let attr =
        |n: roxmltree::Node<'_, '_>, a: &str, d: &str| n.attribute(a).unwrap_or(d).to_owned();
    let mut items = Items::new();
    for schema in doc.descendants().filter(|n| n.has_tag_name((XS, "schema"))) {
        let ns = attr(schema, "targetNamespace", "");
        for item in schema
            .children()
            .filter(|c| c.is_element() && c.has_attribute("name"))
        {
            let key = (
                ns.clone(),
                item.tag_name().name().to_owned(),
                attr(item, "name", ""),
            );
            let facts = if let Some(r) = item
                .children()
                .find(|c| c.has_tag_name((XS, "restriction")))
            {
                let mut f = vec![qname(r, r.attribute("base").unwrap_or(""))];
                f.extend(
                    r.children()
                        .filter(|c| c.is_element())
                        .map(|c| format!("{}={}", c.tag_name().name(), attr(c, "value", ""))),
                );
                (false, f)
            } else {
                let members: Vec<String> = item
                    .descendants()
                    .filter(|d| *d != item && d.has_tag_name((XS, "element")))
                    .map(|e| {
                        let ty = e.attribute("type").map(|t| qname(e, t)).unwrap_or_default();
                        format!(
                            "{} {ty} {}..{} nillable={} mime={}",
                            attr(e, "name", ""),
                            attr(e, "minOccurs", "1"),
                            attr(e, "maxOccurs", "1"),
                            attr(e, "nillable", "false"),
                            e.attributes()
                                .find(|a| a.name() == "expectedContentTypes")
                                .map_or("", |a| a.value())
                        )
                    })
                    .collect();
                if item.has_tag_name((XS, "element")) && members.is_empty() {
                    let ty = item
                        .attribute("type")
                        .map(|t| qname(item, t))
                        .unwrap_or_default();
                    (false, vec![ty, attr(item, "nillable", "false")])
                } else {
                    (true, members)
                }
            };
            items.insert(key, facts);
        }
    }
    items
}

fn is_subsequence(ours: &[String], theirs: &[String]) -> bool {
    let mut rest = theirs.iter();
    ours.iter().all(|o| rest.any(|t| t == o))
}

#[test]
fn kept_broker_wsdl_items_agree_with_the_public_contracts() {
    let Some(dir) =
        corpus::corpus_or_skip("kept_broker_wsdl_items_agree_with_the_public_contracts")
    else {
        return;
    };
    for (ours, real, min) in [
        (
            BASIC,
            "altinn2/BrokerServiceExternalBasic/BrokerServiceExternalBasic.wsdl",
            20,
        ),
        (
            STREAMED,
            "altinn2/BrokerServiceExternalBasicStreamed/BrokerServiceExternalBasicStreamed.wsdl",
            13,
        ),
    ] {
        let theirs = schema_items(&std::fs::read_to_string(dir.join(real)).expect("readable"));
        let ours_items = schema_items(embedded_text(ours));
        assert!(
            ours_items.len() >= min,
            "{ours}: {} items",
            ours_items.len()
        );
        for (key, (partial, facts)) in &ours_items {
            let (_, real_facts) = theirs
                .get(key)
                .unwrap_or_else(|| panic!("{ours}: {key:?} is not in the public contract"));
            if *partial {
                assert!(
                    is_subsequence(facts, real_facts),
                    "{ours}: {key:?}\n ours:   {facts:?}\n theirs: {real_facts:?}"
                );
            } else {
                assert_eq!(facts, real_facts, "{ours}: {key:?}");
            }
        }
    }
}

/// A JSON value without our own words and the keywords the header says were left out.
fn comparable(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => m
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "description" | "maxProperties" | "examples"))
            .map(|(k, v)| (k.clone(), comparable(v)))
            .collect(),
        serde_json::Value::Array(a) => a.iter().map(comparable).collect(),
        other => other.clone(),
    }
}

#[test]
fn kept_broker_openapi_items_agree_with_the_public_contract() {
    let Some(dir) =
        corpus::corpus_or_skip("kept_broker_openapi_items_agree_with_the_public_contract")
    else {
        return;
    };
    let real =
        std::fs::read_to_string(dir.join("altinn3/altinn-broker-v1.json")).expect("readable");
    let theirs: serde_json::Value = serde_json::from_str(&real).expect("JSON");
    let ours: serde_json::Value = serde_json::from_str(embedded_text(OPENAPI)).expect("JSON");
    let schemas = ours["components"]["schemas"].as_object().expect("schemas");
    assert_eq!(schemas.len(), 12);
    for (name, schema) in schemas {
        let real_schema = &theirs["components"]["schemas"][name];
        assert!(!real_schema.is_null(), "schema {name} is not public");
        assert_eq!(comparable(schema), comparable(real_schema), "schema {name}");
    }
    for (path, item) in ours["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let real_op = &theirs["paths"][path][method];
            assert!(!real_op.is_null(), "{method} {path} is not public");
            assert_eq!(
                comparable(&op["parameters"]),
                comparable(&real_op["parameters"]),
                "{method} {path} parameters"
            );
            for status in op["responses"].as_object().expect("responses").keys() {
                assert!(
                    !real_op["responses"][status].is_null(),
                    "{method} {path} answers {status}"
                );
            }
        }
    }
    for name in ours["webhooks"].as_object().expect("webhooks").keys() {
        assert!(
            !theirs["webhooks"][name].is_null(),
            "webhook {name} is not public"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The manifests, through the binary

fn check(args: &[&str]) -> (bool, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(env!("CARGO_BIN_EXE_altinn-bridge"))
        .current_dir(&root)
        .arg("check")
        .args(args)
        .output()
        .expect("the binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn assert_complete(text: &str, linked_ops: usize, without: usize) {
    let want = format!("{linked_ops} linked, {without} without successor, 0 not in the manifest");
    assert!(text.contains(&want), "expected `{want}` in:\n{text}");
    assert!(text.contains(" 0 unresolved"), "{text}");
    assert!(!text.contains("error"), "{text}");
}

#[test]
fn broker_manifests_check_clean_against_the_shipped_contracts() {
    for (manifest, linked) in MANIFESTS.into_iter().zip([4, 2]) {
        let (ok, text) = check(&[manifest]);
        assert!(ok, "{manifest}:\n{text}");
        assert_complete(&text, linked, 1);
    }
}

#[test]
fn broker_manifests_check_clean_against_the_real_contracts() {
    let Some(dir) =
        corpus::corpus_or_skip("broker_manifests_check_clean_against_the_real_contracts")
    else {
        return;
    };
    let dir = dir.canonicalize().expect("corpus path");
    for (manifest, linked) in MANIFESTS.into_iter().zip([4, 2]) {
        let (ok, text) = check(&["--contracts", dir.to_str().expect("UTF-8 path"), manifest]);
        assert!(ok, "{manifest}:\n{text}");
        assert_complete(&text, linked, 1);
    }
}
