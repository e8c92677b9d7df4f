//! The service owner's flow onto Altinn 3 Storage and Events: the shipped contracts
//! (`DownloadQueueExternalBasic`, `ReceiptAgencyExternalBasic`, `OnlineBatchReceiver`,
//! `PreFillBasic`, Storage, Events) and the four manifests that use them.
//!
//! - every manifest passes `check` against the shipped contracts and, when the corpus is present,
//!   against the real ones, and maps every operation of the real WSDL;
//! - the shipped WSDLs declare every operation of the real ones with the same soapAction, and every
//!   schema item they keep agrees with the real contract;
//! - the shipped OpenAPI documents keep the published paths, parameters and schemas.

// The corpus helpers of the `altinn-bridge-tests` crate (see embedded.rs for why they are included).
#[allow(dead_code)]
#[path = "../../tests/src/lib.rs"]
#[rustfmt::skip]
mod corpus;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use altinn_bridge::embedded;

const XS: &str = "http://www.w3.org/2001/XMLSchema";
const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";

/// (manifest, shipped WSDL, the corpus folder of the real one, its operations).
const MAPPINGS: [(&str, &str, &str, &[&str]); 4] = [
    (
        "mappings/download-queue-external-basic.toml",
        "wsdl/DownloadQueueExternalBasic.wsdl",
        "altinn2/DownloadQueueExternalBasic/DownloadQueueExternalBasic.wsdl",
        &[
            "GetArchivedFormTaskBasicDQ",
            "GetDownloadQueueItems",
            "GetFormSetPdfBasic",
            "PurgeItem",
            "Test",
        ],
    ),
    (
        "mappings/receipt-agency-external-basic.toml",
        "wsdl/ReceiptAgencyExternalBasic.wsdl",
        "altinn2/ReceiptAgencyExternalBasic/ReceiptAgencyExternalBasic.wsdl",
        &[
            "GetReceiptBasic",
            "GetReceiptBasicV2",
            "GetReceiptListBasic",
            "GetReceiptListBasicV2",
            "SaveReceiptBasic",
            "Test",
            "UpdateReceiptBasic",
        ],
    ),
    (
        "mappings/online-batch-receiver.toml",
        "wsdl/OnlineBatchReceiver.wsdl",
        "altinn2/OnlineBatchReceiver/OnlineBatchReceiver.wsdl",
        &["ReceiveOnlineBatchExternalAttachment"],
    ),
    (
        "mappings/pre-fill-basic.toml",
        "wsdl/PreFillBasic.wsdl",
        "altinn2/PreFillBasic/PreFillBasic.wsdl",
        &[
            "SubmitAndInstantiatePrefilledFormTaskBasic",
            "SubmitPrefilledFormTasksBasic",
            "Test",
        ],
    ),
];

/// (shipped document, real document, endpoints kept).
const OPENAPI: [(&str, &str, &[&str]); 2] = [
    (
        "openapi/altinn-storage-v1.json",
        "altinn3/altinn-storage-v1.json",
        &[
            "GET /instances",
            "POST /instances",
            "GET /instances/{instanceOwnerPartyId}/{instanceGuid}",
            "POST /instances/{instanceOwnerPartyId}/{instanceGuid}/complete",
            "POST /instances/{instanceOwnerPartyId}/{instanceGuid}/data",
            "GET /instances/{instanceOwnerPartyId}/{instanceGuid}/data/{dataGuid}",
            "PUT /instances/{instanceOwnerPartyId}/{instanceGuid}/substatus",
        ],
    ),
    (
        "openapi/altinn-events-v1.json",
        "altinn3/altinn-events-v1.json",
        &["GET /app/{org}/{app}", "POST /subscriptions"],
    ),
];

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_altinn-bridge"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn embedded_text(path: &str) -> &'static str {
    embedded::FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("{path} is not in embedded::FILES"))
}

/// Runs `check` and returns its standard error (the coverage table and diagnostics).
fn check(args: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "altinn-bridge {}\n{stdout}{stderr}",
        args.join(" ")
    );
    stdout + &stderr
}

// ---------------------------------------------------------------------------------------------
// The manifests

#[test]
fn manifests_pass_against_the_shipped_contracts() {
    for (manifest, _, _, ops) in MAPPINGS {
        let out = check(&["check", "-v", manifest]);
        assert!(out.contains("0 not in the manifest"), "{manifest}:\n{out}");
        assert!(out.contains(", 0 unresolved"), "{manifest}:\n{out}");
        for op in ops {
            assert!(out.contains(op), "{manifest} lists {op}:\n{out}");
        }
        // Warnings are few and each one names something true about the contracts.
        let warnings = out.matches("warning:").count();
        assert!(warnings <= 12, "{manifest}: {warnings} warnings\n{out}");
        assert!(
            !out.contains("does not look like a Maskinporten scope"),
            "{out}"
        );
    }
}

#[test]
fn manifests_pass_against_the_real_contracts() {
    let Some(dir) = corpus::corpus_or_skip("manifests_pass_against_the_real_contracts") else {
        return;
    };
    let dir = dir.to_string_lossy().into_owned();
    for (manifest, _, _, _) in MAPPINGS {
        let out = check(&["check", "--contracts", &dir, manifest]);
        assert!(out.contains("0 not in the manifest"), "{manifest}:\n{out}");
        assert!(out.contains(", 0 unresolved"), "{manifest}:\n{out}");
    }
}

#[test]
fn manifests_link_what_altinn_names_as_the_successor() {
    let json = |manifest: &str| -> serde_json::Value {
        let out = run(&["check", "--json", manifest]);
        assert!(out.status.success(), "{manifest}");
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let endpoints = |v: &serde_json::Value, op: &str| -> Vec<String> {
        let resolved = v.as_array().map_or(v, |a| &a[0]);
        let o = resolved["operations"]
            .as_array()
            .expect("operations")
            .iter()
            .find(|o| o["name"] == op)
            .unwrap_or_else(|| panic!("{op}"));
        o["calls"]
            .as_array()
            .expect("calls")
            .iter()
            .map(|c| c["endpoint"].as_str().expect("endpoint").to_owned())
            .collect()
    };
    let dq = json(MAPPINGS[0].0);
    assert_eq!(endpoints(&dq, "GetDownloadQueueItems"), ["GET /instances"]);
    assert_eq!(
        endpoints(&dq, "PurgeItem"),
        ["POST /instances/{instanceOwnerPartyId}/{instanceGuid}/complete"]
    );
    let receipt = json(MAPPINGS[1].0);
    assert_eq!(
        endpoints(&receipt, "UpdateReceiptBasic"),
        ["PUT /instances/{instanceOwnerPartyId}/{instanceGuid}/substatus"]
    );
    let obr = json(MAPPINGS[2].0);
    let calls = endpoints(&obr, "ReceiveOnlineBatchExternalAttachment");
    assert_eq!(calls[0], "POST /subscriptions");
    assert_eq!(
        calls.last().map(String::as_str),
        Some("POST /instances/{instanceOwnerPartyId}/{instanceGuid}/complete")
    );
    let prefill = json(MAPPINGS[3].0);
    assert_eq!(
        endpoints(&prefill, "SubmitAndInstantiatePrefilledFormTaskBasic")[0],
        "POST /instances"
    );
}

// ---------------------------------------------------------------------------------------------
// The shipped WSDLs

/// Operation name → soapAction, over every binding (SOAP 1.1 and 1.2 alike).
fn soap_actions(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let doc = roxmltree::Document::parse(text.trim_start_matches('\u{feff}')).expect("well-formed");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for binding in doc
        .descendants()
        .filter(|n| n.has_tag_name((WSDL_NS, "binding")))
    {
        for op in binding
            .children()
            .filter(|c| c.has_tag_name((WSDL_NS, "operation")))
        {
            let action = op
                .children()
                .find(|c| c.tag_name().name() == "operation")
                .and_then(|c| c.attribute("soapAction"))
                .unwrap_or("")
                .to_owned();
            out.entry(op.attribute("name").unwrap_or("").to_owned())
                .or_default()
                .insert(action);
        }
    }
    out
}

#[test]
fn shipped_wsdls_are_hand_written_and_declare_the_operations() {
    for (_, wsdl, _, ops) in MAPPINGS {
        let text = embedded_text(wsdl);
        assert!(
            text.contains("a reduced, hand-written model of the public Altinn 2 interface"),
            "{wsdl} says what it is"
        );
        let names: Vec<String> = soap_actions(text).into_keys().collect();
        assert_eq!(names, ops.to_vec(), "{wsdl}");
    }
}

#[test]
fn shipped_wsdls_keep_the_real_operations_and_actions() {
    let Some(dir) = corpus::corpus_or_skip("shipped_wsdls_keep_the_real_operations_and_actions")
    else {
        return;
    };
    for (_, wsdl, real, _) in MAPPINGS {
        let theirs = std::fs::read_to_string(dir.join(real)).expect("readable corpus WSDL");
        assert_eq!(
            soap_actions(embedded_text(wsdl)),
            soap_actions(&theirs),
            "{wsdl}"
        );
    }
}

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

/// Every named top-level schema item: its restriction facets (with DataContract numeric values),
/// or its element members with type, occurrences and nillable (`true`: members may be a subset).
fn schema_items(text: &str) -> Items {
    let doc = roxmltree::Document::parse(text.trim_start_matches('\u{feff}')).expect("well-formed");
    let mut items = Items::new();
    let attr =
        |n: roxmltree::Node<'_, '_>, a: &str, d: &str| n.attribute(a).unwrap_or(d).to_owned();
    for schema in doc.descendants().filter(|n| n.has_tag_name((XS, "schema"))) {
        let ns = schema.attribute("targetNamespace").unwrap_or("").to_owned();
        for item in schema
            .children()
            .filter(|c| c.is_element() && c.attribute("name").is_some())
        {
            let key = (
                ns.clone(),
                item.tag_name().name().to_owned(),
                attr(item, "name", ""),
            );
            let facts = if let Some(r) = item
                .descendants()
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
                (false, facts)
            } else {
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
                if members.is_empty() {
                    let ty = item
                        .attribute("type")
                        .map(|t| resolve_qname(item, t))
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

/// The request element of every operation keeps all its members (a dropped field must exist).
#[test]
fn kept_wsdl_items_agree_with_the_public_contracts() {
    let Some(dir) = corpus::corpus_or_skip("kept_wsdl_items_agree_with_the_public_contracts")
    else {
        return;
    };
    for (_, wsdl, real, ops) in MAPPINGS {
        let theirs = schema_items(&std::fs::read_to_string(dir.join(real)).expect("readable"));
        let ours = schema_items(embedded_text(wsdl));
        for (key, (partial, facts)) in &ours {
            let (_, real_facts) = theirs
                .get(key)
                .unwrap_or_else(|| panic!("{wsdl}: {key:?} is not in the public contract"));
            if *partial {
                assert!(
                    is_subsequence(facts, real_facts),
                    "{wsdl} {key:?}\n ours:   {facts:?}\n theirs: {real_facts:?}"
                );
            } else {
                assert_eq!(facts, real_facts, "{wsdl} {key:?}");
            }
        }
        for op in ops.iter().filter(|o| **o != "Test") {
            let request = ours
                .iter()
                .find(|((_, kind, name), _)| kind == "element" && name == op)
                .unwrap_or_else(|| panic!("{wsdl}: request element {op}"));
            assert_eq!(
                request.1.1, theirs[request.0].1,
                "{wsdl}: {op} keeps every member"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The shipped OpenAPI documents

/// A JSON value without `description`s (ours are our own words) and request `examples` (sample
/// payloads, left out of the reduced documents).
fn without_descriptions(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => m
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "description" | "examples"))
            .map(|(k, v)| (k.clone(), without_descriptions(v)))
            .collect(),
        serde_json::Value::Array(a) => a.iter().map(without_descriptions).collect(),
        other => other.clone(),
    }
}

#[test]
fn shipped_openapi_documents_keep_the_endpoints_written() {
    for (path, _, endpoints) in OPENAPI {
        let text = embedded_text(path);
        let spec: openapiv3::OpenAPI = serde_json::from_str(text).expect("an OpenAPI document");
        assert!(
            spec.info
                .description
                .as_deref()
                .is_some_and(|d| d.contains("hand-written")),
            "{path} says what it is"
        );
        let mut ids: Vec<String> = Vec::new();
        for (p, item) in &spec.paths.paths {
            for (method, _) in item.as_item().expect("inline path item").iter() {
                ids.push(format!("{} {p}", method.to_ascii_uppercase()));
            }
        }
        ids.sort();
        let mut expected: Vec<String> = endpoints.iter().map(|e| (*e).to_owned()).collect();
        expected.sort();
        assert_eq!(ids, expected, "{path}");
    }
}

#[test]
fn kept_openapi_items_agree_with_the_public_contracts() {
    let Some(dir) = corpus::corpus_or_skip("kept_openapi_items_agree_with_the_public_contracts")
    else {
        return;
    };
    for (path, real, _) in OPENAPI {
        let real = std::fs::read_to_string(dir.join(real)).expect("readable");
        let theirs: serde_json::Value =
            serde_json::from_str(real.trim_start_matches('\u{feff}')).expect("JSON");
        let ours: serde_json::Value = serde_json::from_str(embedded_text(path)).expect("JSON");
        for (name, schema) in ours["components"]["schemas"].as_object().expect("schemas") {
            assert_eq!(
                without_descriptions(schema),
                without_descriptions(&theirs["components"]["schemas"][name]),
                "{path}: schema {name}"
            );
        }
        for (p, item) in ours["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                let real_op = &theirs["paths"][p][method];
                assert!(!real_op.is_null(), "{path}: {method} {p} is not public");
                assert_eq!(
                    without_descriptions(&op["parameters"]),
                    without_descriptions(&real_op["parameters"]),
                    "{path}: {method} {p} parameters"
                );
                assert_eq!(
                    without_descriptions(&op["requestBody"]["content"]),
                    without_descriptions(&real_op["requestBody"]["content"]),
                    "{path}: {method} {p} body"
                );
                for (status, response) in op["responses"].as_object().expect("responses") {
                    let real_response = &real_op["responses"][status];
                    assert!(
                        !real_response.is_null(),
                        "{path}: {method} {p} answers {status}"
                    );
                    assert_eq!(
                        without_descriptions(&response["content"]),
                        without_descriptions(&real_response["content"]),
                        "{path}: {method} {p} {status}"
                    );
                }
            }
        }
    }
}
