//! The service owner's flow onto Altinn 3 Storage and Events: the shipped contracts
//! (`DownloadQueueExternalBasic`, `ReceiptAgencyExternalBasic`, `OnlineBatchReceiver`,
//! `PreFillBasic`, Storage, Events) and the four manifests that use them.
//!
//! - every manifest passes `check` against the shipped contracts and, when the corpus is present,
//!   against the real ones, and maps every operation of the real WSDL;
//! - the shipped WSDLs declare every operation of the real ones with the same soapAction, and every
//!   schema item they keep agrees with the real contract;
//! - the shipped OpenAPI documents keep the published paths, parameters and schemas.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use support::{
    RequestBodies, assert_check_complete, assert_kept_items_agree, assert_openapi_agrees, corpus,
    corpus_contracts, corpus_json, embedded_text, run,
};

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

// ---------------------------------------------------------------------------------------------
// The manifests

#[test]
fn manifests_pass_against_the_shipped_contracts() {
    for (manifest, _, _, ops) in MAPPINGS {
        let out = assert_check_complete(manifest, &["-v"], None);
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
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn manifests_pass_against_the_real_contracts() {
    let dir = corpus_contracts("manifests_pass_against_the_real_contracts");
    for (manifest, _, _, _) in MAPPINGS {
        assert_check_complete(manifest, &["--contracts", &dir], None);
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
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn shipped_wsdls_keep_the_real_operations_and_actions() {
    let dir = corpus::require_corpus("shipped_wsdls_keep_the_real_operations_and_actions");
    for (_, wsdl, real, _) in MAPPINGS {
        let theirs = std::fs::read_to_string(dir.join(real)).expect("readable corpus WSDL");
        assert_eq!(
            soap_actions(embedded_text(wsdl)),
            soap_actions(&theirs),
            "{wsdl}"
        );
    }
}

/// The request element of every operation keeps all its members (a dropped field must exist).
#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn kept_wsdl_items_agree_with_the_public_contracts() {
    let dir = corpus::require_corpus("kept_wsdl_items_agree_with_the_public_contracts");
    for (_, wsdl, real, ops) in MAPPINGS {
        let (ours, theirs) = assert_kept_items_agree(wsdl, &dir.join(real), 1);
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

/// What the shipped documents word their own way (`description`) or leave out (request
/// `examples`, sample payloads).
const LEFT_OUT: [&str; 2] = ["description", "examples"];

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
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn kept_openapi_items_agree_with_the_public_contracts() {
    let dir = corpus::require_corpus("kept_openapi_items_agree_with_the_public_contracts");
    for (path, real, _) in OPENAPI {
        let theirs = corpus_json(&dir.join(real));
        let ours: serde_json::Value = serde_json::from_str(embedded_text(path)).expect("JSON");
        assert_openapi_agrees(path, &ours, &theirs, &LEFT_OUT, RequestBodies::Equal);
    }
}
