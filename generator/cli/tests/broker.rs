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

mod support;

use altinn_bridge::model::{Contract, SoapContract, SoapVersion};
use support::{
    RequestBodies, assert_check_complete, assert_kept_items_agree, assert_openapi_agrees, corpus,
    corpus_contracts, corpus_json, coverage, embedded_text, load_shipped, soap_from,
};

const BASIC: &str = "wsdl/BrokerServiceExternalBasic.wsdl";
const STREAMED: &str = "wsdl/BrokerServiceExternalBasicStreamed.wsdl";
const OPENAPI: &str = "openapi/altinn-broker-v1.json";
const MANIFESTS: [&str; 2] = [
    "mappings/broker-service-external-basic.toml",
    "mappings/broker-service-external-basic-streamed.toml",
];
const ACTION: &str = "http://www.altinn.no/services/ServiceEngine/Broker/2015/06";
const TEST_ACTION: &str = "http://www.altinn.no/services/2009/10/IAltinnContractBase/Test";

/// The broker files of the embedded default, loaded on their own; any warning fails.
fn broker_contract() -> Contract {
    load_shipped(&[BASIC, STREAMED, OPENAPI])
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
    let s = soap_from(&c, BASIC);
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
    let s = soap_from(&c, STREAMED);
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

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn kept_broker_wsdl_items_agree_with_the_public_contracts() {
    let dir = corpus::require_corpus("kept_broker_wsdl_items_agree_with_the_public_contracts");
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
        assert_kept_items_agree(ours, &dir.join(real), min);
    }
}

/// What the shipped broker document leaves out or words its own way (its header says so).
const LEFT_OUT: [&str; 3] = ["description", "maxProperties", "examples"];

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn kept_broker_openapi_items_agree_with_the_public_contract() {
    let dir = corpus::require_corpus("kept_broker_openapi_items_agree_with_the_public_contract");
    let theirs = corpus_json(&dir.join("altinn3/altinn-broker-v1.json"));
    let ours: serde_json::Value = serde_json::from_str(embedded_text(OPENAPI)).expect("JSON");
    let schemas = ours["components"]["schemas"].as_object().expect("schemas");
    assert_eq!(schemas.len(), 12);
    // The upload body is written with its own `"type": "string"`; request bodies are not compared.
    assert_openapi_agrees(OPENAPI, &ours, &theirs, &LEFT_OUT, RequestBodies::Reduced);
    for name in ours["webhooks"].as_object().expect("webhooks").keys() {
        assert!(
            !theirs["webhooks"][name].is_null(),
            "webhook {name} is not public"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The manifests, through the binary

#[test]
fn broker_manifests_check_clean_against_the_shipped_contracts() {
    for (manifest, linked) in MANIFESTS.into_iter().zip([4, 2]) {
        assert_check_complete(manifest, &[], Some(&coverage(linked, 1)));
    }
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn broker_manifests_check_clean_against_the_real_contracts() {
    let dir = corpus_contracts("broker_manifests_check_clean_against_the_real_contracts");
    for (manifest, linked) in MANIFESTS.into_iter().zip([4, 2]) {
        assert_check_complete(manifest, &["--contracts", &dir], Some(&coverage(linked, 1)));
    }
}
