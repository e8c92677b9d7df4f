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

mod support;

use altinn_bridge::model::{Contract, SoapVersion};
use support::{
    RequestBodies, assert_check_complete, assert_kept_items_agree, assert_openapi_agrees, corpus,
    corpus_contracts, corpus_json, embedded_text, load_shipped,
};

const NOTIFICATION_WSDL: &str = "wsdl/NotificationAgencyExternalBasic.wsdl";
const NOTIFICATION_OPENAPI: &str = "openapi/altinn-notifications-v1.json";
const EC2_WSDL: &str = "wsdl/CorrespondenceExternalEC2.wsdl";
const NOTIFICATION_MANIFEST: &str = "mappings/notification-agency-external-basic.toml";
const EC2_MANIFEST: &str = "mappings/correspondence-external-ec2.toml";

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

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn kept_wsdl_items_agree_with_the_public_contracts() {
    let dir = corpus::require_corpus("kept_wsdl_items_agree_with_the_public_contracts");
    assert_kept_items_agree(
        NOTIFICATION_WSDL,
        &dir.join("altinn2/NotificationAgencyExternalBasic/NotificationAgencyExternalBasic.wsdl"),
        22,
    );
    assert_kept_items_agree(
        EC2_WSDL,
        &dir.join("altinn2/CorrespondenceExternalEC2/CorrespondenceExternalEC2.wsdl"),
        20,
    );
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn kept_notification_openapi_items_agree_with_the_public_contract() {
    let dir =
        corpus::require_corpus("kept_notification_openapi_items_agree_with_the_public_contract");
    let theirs = corpus_json(&dir.join("altinn3/altinn-notifications-v1.json"));
    let ours: serde_json::Value =
        serde_json::from_str(embedded_text(NOTIFICATION_OPENAPI)).expect("JSON");
    assert_eq!(ours["openapi"], theirs["openapi"]);
    assert_eq!(ours["info"]["title"], theirs["info"]["title"]);
    let schemas = ours["components"]["schemas"].as_object().expect("schemas");
    assert_eq!(schemas.len(), 9);
    // Our descriptions are our own words.
    assert_openapi_agrees(
        NOTIFICATION_OPENAPI,
        &ours,
        &theirs,
        &["description"],
        RequestBodies::Equal,
    );
}

// ---------------------------------------------------------------------------------------------
// The manifests, through the CLI

#[test]
fn manifests_pass_check_against_the_shipped_contracts() {
    assert_check_complete(
        NOTIFICATION_MANIFEST,
        &[],
        Some(
            "3 linked, 1 without successor, 0 not in the manifest; input fields 12 linked, 37 dropped",
        ),
    );
    assert_check_complete(
        EC2_MANIFEST,
        &[],
        Some(
            "2 linked, 2 without successor, 0 not in the manifest; input fields 2 linked, 9 dropped",
        ),
    );
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn manifests_pass_check_against_the_corpus() {
    let dir = corpus_contracts("manifests_pass_check_against_the_corpus");
    let dir = dir.as_str();
    assert_check_complete(
        NOTIFICATION_MANIFEST,
        &["--contracts", dir],
        Some(
            "3 linked, 1 without successor, 0 not in the manifest; input fields 12 linked, 37 dropped",
        ),
    );
    assert_check_complete(
        EC2_MANIFEST,
        &["--contracts", dir],
        Some(
            "2 linked, 2 without successor, 0 not in the manifest; input fields 2 linked, 9 dropped",
        ),
    );
}
