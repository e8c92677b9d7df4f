//! The shipped contracts and manifests for Altinn 2 standalone notifications
//! (NotificationAgencyExternalBasic → Altinn 3 Notifications v1) and correspondence for end-user
//! systems (CorrespondenceExternalEC2 → Altinn 3 Correspondence as a recipient).
//!
//! - through the loaders: each shipped contract loads cleanly and declares every operation of the
//!   public contract (a manifest must account for all of them);
//! - on the text: every kept schema item agrees with the public contract in `../shared/corpus`
//!   (names, order, types, occurrences, nillable, enumeration values), every kept OpenAPI schema
//!   equals the published one apart from descriptions;
//! - through the CLI: both manifests pass `check` against the shipped contracts and the corpus,
//!   with no unresolved input field and no SOAP operation left out.

// The corpus helpers of the `altinn-bridge-tests` crate (see embedded.rs for why they are
// compiled in by path).
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
use altinn_bridge::model::{Contract, SoapVersion};

const NOTIFICATION_WSDL: &str = "wsdl/NotificationAgencyExternalBasic.wsdl";
const NOTIFICATION_OPENAPI: &str = "openapi/altinn-notifications-v1.json";
const EC2_WSDL: &str = "wsdl/CorrespondenceExternalEC2.wsdl";
const NOTIFICATION_MANIFEST: &str = "mappings/notification-agency-external-basic.toml";
const EC2_MANIFEST: &str = "mappings/correspondence-external-ec2.toml";
const XS: &str = "http://www.w3.org/2001/XMLSchema";

fn embedded_text(path: &str) -> &'static str {
    embedded::FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("{path} is not in embedded::FILES"))
}

/// Loads the shipped files `paths` alone and fails on any error or warning.
fn load_shipped(paths: &[&str]) -> Contract {
    let mut sources = SourceMap::new();
    embedded::register(&mut sources);
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    match load::load_paths(&mut sources, &paths, &Limits::default()) {
        Ok(loaded) => {
            assert!(
                loaded.warnings.is_empty(),
                "expected no warnings, got:\n{}",
                sources.render_all(&loaded.warnings)
            );
            loaded.value
        }
        Err(diags) => panic!("expected a clean load:\n{}", sources.render_all(&diags)),
    }
}

fn operation_names(contract: &Contract) -> Vec<String> {
    let mut names: Vec<String> = contract.soap[0]
        .operations
        .iter()
        .map(|o| o.name.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn notification_contracts_load_with_every_operation() {
    let contract = load_shipped(&[NOTIFICATION_WSDL, NOTIFICATION_OPENAPI]);
    assert_eq!(
        operation_names(&contract),
        [
            "SendStandaloneNotificationBasic",
            "SendStandaloneNotificationBasicV2",
            "SendStandaloneNotificationBasicV3",
            "Test"
        ]
    );
    let soap = &contract.soap[0];
    assert_eq!(soap.services.len(), 1);
    assert_eq!(soap.name, "NotificationAgencyExternalBasicSF");
    assert!(
        soap.services
            .iter()
            .flat_map(|s| &s.ports)
            .all(|p| p.soap_version == SoapVersion::Soap11)
    );
    let rest = &contract.rest[0];
    let ids: Vec<&str> = rest.endpoints.iter().map(|e| e.id.0.as_str()).collect();
    assert_eq!(ids, ["POST /orders/email", "GET /orders/{id}"]);
    assert_eq!(
        rest.security_schemes[0].scopes,
        ["altinn:serviceowner/notifications.create"]
    );
}

#[test]
fn ec2_contract_loads_as_soap_1_2_with_every_operation() {
    let contract = load_shipped(&[EC2_WSDL]);
    assert_eq!(
        operation_names(&contract),
        [
            "ArchiveCorrespondenceForEndUserSystemEC",
            "GetCorrespondenceForEndUserSystemsEC",
            "SaveCorrespondenceConfirmationEC",
            "Test"
        ]
    );
    let soap = &contract.soap[0];
    assert_eq!(soap.services.len(), 1);
    assert_eq!(soap.name, "CorrespondenceExternalEC2SF");
    assert!(
        soap.services
            .iter()
            .flat_map(|s| &s.ports)
            .all(|p| p.soap_version == SoapVersion::Soap12)
    );
}

#[test]
fn shipped_files_say_they_are_reduced_models() {
    for path in [NOTIFICATION_WSDL, EC2_WSDL] {
        assert!(
            embedded_text(path)
                .contains("a reduced, hand-written model of the public Altinn 2 interface"),
            "{path}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(embedded_text(NOTIFICATION_OPENAPI)).expect("JSON");
    assert!(
        json["info"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("hand-written")),
    );
    let _: openapiv3::OpenAPI =
        serde_json::from_str(embedded_text(NOTIFICATION_OPENAPI)).expect("an OpenAPI document");
}

// ---------------------------------------------------------------------------------------------
// Against the corpus

/// `(namespace, kind, name)` → (members may be a subset, facts).
type Items = BTreeMap<(String, String, String), (bool, Vec<String>)>;

fn resolve_qname(node: roxmltree::Node<'_, '_>, value: &str) -> String {
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
    let mut items = Items::new();
    for schema in doc.descendants().filter(|n| n.has_tag_name((XS, "schema"))) {
        let ns = schema.attribute("targetNamespace").unwrap_or("").to_owned();
        for item in schema
            .children()
            .filter(|c| c.is_element() && c.attribute("name").is_some())
        {
            let key = (
                ns.clone(),
                item.tag_name().name().to_owned(),
                item.attribute("name").unwrap_or("").to_owned(),
            );
            items.insert(key, item_facts(item));
        }
    }
    items
}

fn item_facts(item: roxmltree::Node<'_, '_>) -> (bool, Vec<String>) {
    let attr = |n: roxmltree::Node<'_, '_>, a: &str, default: &str| {
        n.attribute(a).unwrap_or(default).to_owned()
    };
    if let Some(r) = item
        .children()
        .find(|c| c.has_tag_name((XS, "restriction")))
    {
        let mut facts = vec![resolve_qname(r, r.attribute("base").unwrap_or(""))];
        for facet in r.children().filter(|c| c.is_element()) {
            let numeric: String = facet
                .descendants()
                .filter(|d| d.tag_name().name() == "EnumerationValue")
                .filter_map(|d| d.text())
                .map(str::trim)
                .collect();
            facts.push(format!(
                "{}={} {numeric}",
                facet.tag_name().name(),
                attr(facet, "value", "")
            ));
        }
        return (false, facts);
    }
    let members: Vec<String> = item
        .descendants()
        .filter(|d| *d != item && d.has_tag_name((XS, "element")))
        .map(|e| {
            let ty = e
                .attribute("type")
                .map(|t| resolve_qname(e, t))
                .unwrap_or_default();
            format!(
                "{} {ty} {}..{} nillable={}",
                attr(e, "name", ""),
                attr(e, "minOccurs", "1"),
                attr(e, "maxOccurs", "1"),
                attr(e, "nillable", "false")
            )
        })
        .collect();
    if item.has_tag_name((XS, "element")) && members.is_empty() {
        let ty = item
            .attribute("type")
            .map(|t| resolve_qname(item, t))
            .unwrap_or_default();
        return (false, vec![ty, attr(item, "nillable", "false")]);
    }
    (true, members)
}

fn is_subsequence(ours: &[String], theirs: &[String]) -> bool {
    let mut rest = theirs.iter();
    ours.iter().all(|o| rest.any(|t| t == o))
}

fn assert_items_agree(shipped: &str, corpus_file: &Path, at_least: usize) {
    let theirs = schema_items(&std::fs::read_to_string(corpus_file).expect("readable corpus WSDL"));
    let ours = schema_items(embedded_text(shipped));
    assert!(ours.len() >= at_least, "{shipped}: {} items", ours.len());
    for (key, (partial, facts)) in &ours {
        let (_, real) = theirs
            .get(key)
            .unwrap_or_else(|| panic!("{shipped}: {key:?} is not in the public contract"));
        if *partial {
            assert!(
                is_subsequence(facts, real),
                "{shipped}: {key:?}\n ours:   {facts:?}\n theirs: {real:?}"
            );
        } else {
            assert_eq!(facts, real, "{shipped}: {key:?}");
        }
    }
}

#[test]
fn kept_wsdl_items_agree_with_the_public_contracts() {
    let Some(dir) = corpus::corpus_or_skip("kept_wsdl_items_agree_with_the_public_contracts")
    else {
        return;
    };
    assert_items_agree(
        NOTIFICATION_WSDL,
        &dir.join("altinn2/NotificationAgencyExternalBasic/NotificationAgencyExternalBasic.wsdl"),
        22,
    );
    assert_items_agree(
        EC2_WSDL,
        &dir.join("altinn2/CorrespondenceExternalEC2/CorrespondenceExternalEC2.wsdl"),
        20,
    );
}

/// A JSON value without `description`s (ours are our own words).
fn without_descriptions(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => m
            .iter()
            .filter(|(k, _)| k.as_str() != "description")
            .map(|(k, v)| (k.clone(), without_descriptions(v)))
            .collect(),
        serde_json::Value::Array(a) => a.iter().map(without_descriptions).collect(),
        other => other.clone(),
    }
}

#[test]
fn kept_notification_openapi_items_agree_with_the_public_contract() {
    let Some(dir) =
        corpus::corpus_or_skip("kept_notification_openapi_items_agree_with_the_public_contract")
    else {
        return;
    };
    let real = std::fs::read_to_string(dir.join("altinn3/altinn-notifications-v1.json"))
        .expect("readable");
    let theirs: serde_json::Value =
        serde_json::from_str(real.trim_start_matches('\u{feff}')).expect("JSON");
    let ours: serde_json::Value =
        serde_json::from_str(embedded_text(NOTIFICATION_OPENAPI)).expect("JSON");
    assert_eq!(ours["openapi"], theirs["openapi"]);
    assert_eq!(ours["info"]["title"], theirs["info"]["title"]);
    let schemas = ours["components"]["schemas"].as_object().expect("schemas");
    assert_eq!(schemas.len(), 9);
    for (name, schema) in schemas {
        assert_eq!(
            without_descriptions(schema),
            without_descriptions(&theirs["components"]["schemas"][name]),
            "schema {name}"
        );
    }
    for (path, item) in ours["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let real_op = &theirs["paths"][path][method];
            assert!(!real_op.is_null(), "{method} {path} is not published");
            assert_eq!(
                without_descriptions(&op["parameters"]),
                without_descriptions(&real_op["parameters"]),
                "{method} {path} parameters"
            );
            assert_eq!(
                without_descriptions(&op["requestBody"]),
                without_descriptions(&real_op["requestBody"]),
                "{method} {path} body"
            );
            for (status, response) in op["responses"].as_object().expect("responses") {
                let real_response = &real_op["responses"][status];
                assert!(!real_response.is_null(), "{method} {path} answers {status}");
                assert_eq!(
                    without_descriptions(&response["content"]),
                    without_descriptions(&real_response["content"]),
                    "{method} {path} {status} content"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The manifests, through the CLI

fn check(args: &[&str]) -> (bool, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(env!("CARGO_BIN_EXE_altinn-bridge"))
        .current_dir(root)
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

fn assert_complete(manifest: &str, extra: &[&str], coverage: &str) {
    let mut args: Vec<&str> = extra.to_vec();
    args.push(manifest);
    let (ok, out) = check(&args);
    assert!(ok, "{manifest} {extra:?}:\n{out}");
    assert!(out.contains(coverage), "{manifest} {extra:?}:\n{out}");
    assert!(out.contains(" 0 not in the manifest"), "{out}");
    assert!(out.contains(" 0 unresolved"), "{out}");
}

#[test]
fn manifests_pass_check_against_the_shipped_contracts() {
    assert_complete(
        NOTIFICATION_MANIFEST,
        &[],
        "3 linked, 1 without successor, 0 not in the manifest; input fields 12 linked, 37 dropped",
    );
    assert_complete(
        EC2_MANIFEST,
        &[],
        "2 linked, 2 without successor, 0 not in the manifest; input fields 2 linked, 9 dropped",
    );
}

#[test]
fn manifests_pass_check_against_the_corpus() {
    let Some(dir) = corpus::corpus_or_skip("manifests_pass_check_against_the_corpus") else {
        return;
    };
    let dir = dir.canonicalize().expect("corpus directory");
    let dir = dir.to_str().expect("UTF-8 path");
    assert_complete(
        NOTIFICATION_MANIFEST,
        &["--contracts", dir],
        "3 linked, 1 without successor, 0 not in the manifest; input fields 12 linked, 37 dropped",
    );
    assert_complete(
        EC2_MANIFEST,
        &["--contracts", dir],
        "2 linked, 2 without successor, 0 not in the manifest; input fields 2 linked, 9 dropped",
    );
}
