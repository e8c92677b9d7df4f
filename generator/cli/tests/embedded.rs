//! The contracts the project ships (`wsdl/`, `openapi/`, compiled in by `embedded`) and the unseen
//! fixture pair under `generator/tests/fixtures/unseen/`.
//!
//! Two groups of tests:
//! - through the loaders (`embedded::register` + `load::load_paths`): the default loads with no
//!   error or warning and holds exactly the operations and endpoints written for it;
//! - on the text itself (roxmltree, serde_json, openapiv3 directly, so they do not wait for the
//!   loaders): the files are well formed, every kept item agrees with the public contract in
//!   `../shared/corpus`, and no shipped file is a copy of a corpus file.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use altinn_bridge::embedded;
use altinn_bridge::model::{
    Builtin, Contract, Endpoint, HttpMethod, Mep, ParamLocation, QName, RestContract,
    SecurityRequirement, SoapContract, SoapOperation, SoapVersion, Style, TypeGraph, TypeId,
    TypeKind, TypeRef,
};
use support::{
    Items, Mime, RequestBodies, XS, assert_items_agree, assert_kept_items_agree,
    assert_openapi_agrees, corpus, corpus_json, default_contract, embedded_text, load_clean,
    schema_items, soap_from,
};

const WSDL: &str = "wsdl/CorrespondenceAgencyExternalBasic.wsdl";
/// The WS-Security variant, shipped as a WSDL with XSDs beside it.
const WS_DIR: &str = "wsdl/CorrespondenceAgencyExternal";
const WS_WSDL: &str = "wsdl/CorrespondenceAgencyExternal/CorrespondenceAgencyExternal.wsdl";
const WS_BINDING: &str = "CustomBinding_ICorrespondenceAgencyExternal";
const OPENAPI: &str = "openapi/altinn-correspondence-v1.json";
const SERVICE_NS: &str = "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10";
const FAULT_NS: &str = "http://www.altinn.no/services/common/fault/2009/10";
const BINDING: &str = "BasicHttpBinding_ICorrespondenceAgencyExternalBasic";
const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
const WSAW_NS: &str = "http://www.w3.org/2006/05/addressing/wsdl";

/// The operations of the shipped WSDL with their soapAction, sorted by name (= by id): all
/// eight of the public contract.
const SOAP_OPERATIONS: [(&str, &str); 8] = [
    (
        "CreateSimpleCorrespondenceServiceBasic",
        "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10/ICorrespondenceAgencyExternalBasic/CreateSimpleCorrespondenceServiceBasic",
    ),
    (
        "GetCorrespondenceStatusDetailsBasic",
        "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10/ICorrespondenceAgencyExternalBasic/GetCorrespondenceStatusDetailsBasic",
    ),
    (
        "GetCorrespondenceStatusDetailsBasicV2",
        "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10/ICorrespondenceAgencyExternalBasic/GetCorrespondenceStatusDetailsBasicV2",
    ),
    (
        "GetCorrespondenceStatusDetailsBasicV3",
        "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10/ICorrespondenceAgencyExternalBasic/GetCorrespondenceStatusDetailsBasicV3",
    ),
    (
        "GetCorrespondenceStatusHistoryBasic",
        "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10/ICorrespondenceAgencyExternalBasic/GetCorrespondenceStatusHistoryBasic",
    ),
    (
        "InsertCorrespondenceBasic",
        "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10/ICorrespondenceAgencyExternalBasic/InsertCorrespondenceBasic",
    ),
    (
        "InsertCorrespondenceBasicV2",
        "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10/ICorrespondenceAgencyExternalBasic/InsertCorrespondenceBasicV2",
    ),
    (
        "Test",
        "http://www.altinn.no/services/2009/10/IAltinnContractBase/Test",
    ),
];

/// The endpoints of the shipped OpenAPI document, sorted by path, then method.
const REST_ENDPOINTS: [&str; 12] = [
    "POST /correspondence/api/v1/attachment",
    "GET /correspondence/api/v1/attachment/{attachmentId}",
    "POST /correspondence/api/v1/attachment/{attachmentId}/upload",
    "GET /correspondence/api/v1/correspondence",
    "POST /correspondence/api/v1/correspondence",
    "POST /correspondence/api/v1/correspondence/upload",
    "GET /correspondence/api/v1/correspondence/{correspondenceId}",
    "GET /correspondence/api/v1/correspondence/{correspondenceId}/attachment/{attachmentId}/download",
    "POST /correspondence/api/v1/correspondence/{correspondenceId}/confirm",
    "GET /correspondence/api/v1/correspondence/{correspondenceId}/details",
    "POST /correspondence/api/v1/correspondence/{correspondenceId}/markasread",
    "DELETE /correspondence/api/v1/correspondence/{correspondenceId}/purge",
];

// Relative to this package (generator/cli): the fixtures stay beside the loaders' own tests.
const UNSEEN_WSDL: &str = "../tests/fixtures/unseen/Innsendingstjeneste.wsdl";
const UNSEEN_XSD: &str = "../tests/fixtures/unseen/innsending-typer.xsd";
const UNSEEN_YAML: &str = "../tests/fixtures/unseen/innsending-api.yaml";

// ---------------------------------------------------------------------------------------------
// Helpers

/// The correspondence WSDL of the default (which holds other APIs' contracts too), or the only
/// WSDL of a contract loaded from one.
fn only_soap(contract: &Contract) -> &SoapContract {
    if let Some(soap) = contract.soap.iter().find(|s| s.source == WSDL) {
        return soap;
    }
    assert_eq!(contract.soap.len(), 1, "one WSDL");
    &contract.soap[0]
}

fn basic(contract: &Contract) -> &SoapContract {
    soap_from(contract, WSDL)
}

/// The correspondence OpenAPI document of the default, or the only one of a contract.
fn only_rest(contract: &Contract) -> &RestContract {
    if let Some(rest) = contract.rest.iter().find(|r| r.source == OPENAPI) {
        return rest;
    }
    assert_eq!(contract.rest.len(), 1, "one OpenAPI document");
    &contract.rest[0]
}

fn op<'a>(soap: &'a SoapContract, name: &str) -> &'a SoapOperation {
    soap.operation(name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

fn endpoint<'a>(rest: &'a RestContract, method: HttpMethod, path: &str) -> &'a Endpoint {
    rest.endpoint(method, path)
        .unwrap_or_else(|| panic!("no endpoint {} {path}", method.as_str()))
}

/// Names of a struct type's own fields, with (minOccurs, nullable).
fn fields(graph: &TypeGraph, id: &str) -> Vec<(String, u32, bool)> {
    match graph.get(&TypeId::from(id)).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => s
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.min_occurs, f.nullable))
            .collect(),
        other => panic!("{id} should be a struct, is {other:?}"),
    }
}

fn field_names(graph: &TypeGraph, id: &str) -> Vec<String> {
    fields(graph, id).into_iter().map(|(n, _, _)| n).collect()
}

/// The WSDL-namespace children of `n` called `name`.
fn children<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.children()
        .filter(|c| c.has_tag_name((WSDL_NS, name)))
        .collect()
}

fn clark(ns: &str, local: &str) -> String {
    format!("{{{ns}}}{local}")
}

// ---------------------------------------------------------------------------------------------
// Through the loaders

#[test]
fn default_loads_without_errors_or_warnings() {
    let contract = default_contract();
    let sources: Vec<&str> = contract.soap.iter().map(|s| s.source.as_str()).collect();
    for source in [WSDL, WS_WSDL] {
        assert!(sources.contains(&source), "{source} in {sources:?}");
    }
    assert!(
        sources.iter().all(|s| s.ends_with(".wsdl")),
        "XSDs are reached through imports, not loaded on their own: {sources:?}"
    );
    let soap = basic(&contract);
    let rest = only_rest(&contract);
    assert_eq!(soap.source, WSDL);
    assert_eq!(soap.files, [WSDL]);
    assert_eq!(soap.name, "CorrespondenceAgencyExternalBasicSF");
    assert_eq!(soap.target_namespace, SERVICE_NS);
    assert_eq!(soap.schemas.len(), 20, "one schema per namespace");
    assert_eq!(rest.source, OPENAPI);
    assert_eq!(rest.title, "Altinn.Correspondence.API");
    assert_eq!(rest.openapi, "3.1.0");
    assert_eq!(
        rest.servers,
        [
            "https://platform.altinn.no",
            "https://platform.tt02.altinn.no"
        ]
    );
}

#[test]
fn default_soap_operations_are_the_eight_written() {
    let contract = default_contract();
    let soap = basic(&contract);
    let names: Vec<&str> = soap.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, SOAP_OPERATIONS.map(|(n, _)| n));
    for (name, action) in SOAP_OPERATIONS {
        let o = op(soap, name);
        assert_eq!(o.id.0, format!("{{{SERVICE_NS}}}{BINDING}/{name}"));
        assert_eq!(o.binding, QName::new(SERVICE_NS, BINDING));
        assert_eq!(
            o.port_type,
            QName::new(SERVICE_NS, "ICorrespondenceAgencyExternalBasic")
        );
        assert_eq!(o.soap_version, SoapVersion::Soap11);
        assert_eq!(o.style, Style::Document);
        assert_eq!(o.mep, Mep::RequestResponse);
        assert_eq!(o.soap_action.as_deref(), Some(action), "{name}");
        let input = o
            .input
            .as_ref()
            .unwrap_or_else(|| panic!("{name} has an input"));
        assert_eq!(
            input.action.as_deref(),
            Some(action),
            "{name}: wsaw:Action = soapAction"
        );
        assert!(!o.mtom, "{name} is not MTOM");
        let faults: Vec<&str> = o.faults.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(faults, ["AltinnFaultFault"], "{name}");
        let detail = o.faults[0]
            .detail
            .as_ref()
            .unwrap_or_else(|| panic!("{name} fault detail"));
        match &detail.content {
            altinn_bridge::model::PartContent::Element { element, .. } => {
                assert_eq!(*element, QName::new(FAULT_NS, "AltinnFault"), "{name}");
            }
            other => panic!("{name}: fault detail should be an element, is {other:?}"),
        }
    }
    assert_eq!(soap.services.len(), 1);
    let port = &soap.services[0].ports[0];
    assert_eq!(port.name, BINDING);
    assert_eq!(
        port.address.as_deref(),
        Some("https://www.altinn.no/ServiceEngineExternal/CorrespondenceAgencyExternalBasic.svc")
    );
}

#[test]
fn default_history_operation_takes_credentials_as_soap_headers() {
    let contract = default_contract();
    let soap = basic(&contract);
    let input = op(soap, "GetCorrespondenceStatusHistoryBasic")
        .input
        .clone()
        .expect("input");
    assert_eq!(
        input.name.as_deref(),
        Some("CorrespondenceStatusHistoryRequest")
    );
    let headers: Vec<(&str, &QName)> = input
        .headers
        .iter()
        .map(|p| (p.name.as_str(), &p.message))
        .collect();
    let header_message = QName::new(SERVICE_NS, "CorrespondenceStatusHistoryRequest_Headers");
    assert_eq!(
        headers,
        [
            ("SystemPassword", &header_message),
            ("SystemUserName", &header_message)
        ]
    );
    let body: Vec<&str> = input.body.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(body, ["parameters"]);
    for (name, _) in SOAP_OPERATIONS {
        if name == "GetCorrespondenceStatusHistoryBasic" {
            continue;
        }
        let input = op(soap, name).input.as_ref().expect("input");
        assert!(input.headers.is_empty(), "{name} has no SOAP headers");
    }
}

#[test]
fn default_insert_request_keeps_the_public_shape() {
    let contract = default_contract();
    let soap = basic(&contract);
    let g = &soap.types;
    let wrapper = soap
        .element(&QName::new(SERVICE_NS, "InsertCorrespondenceBasicV2"))
        .expect("wrapper element");
    let wrapper_id = wrapper
        .ty
        .as_named()
        .expect("anonymous wrapper type")
        .0
        .clone();
    assert_eq!(
        fields(g, &wrapper_id),
        [
            ("systemUserName".to_owned(), 1, false),
            ("systemPassword".to_owned(), 1, false),
            ("SystemUserCode".to_owned(), 1, false),
            ("ExternalShipmentReference".to_owned(), 1, false),
            ("Correspondence".to_owned(), 1, false),
        ]
    );
    let v2 = clark(
        "http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10",
        "InsertCorrespondenceV2",
    );
    let correspondence = fields(g, &v2);
    let names: Vec<&str> = correspondence.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "ServiceCode",
            "ServiceEdition",
            "Reportee",
            "Content",
            "VisibleDateTime",
            "AllowSystemDeleteDateTime",
            "DueDateTime",
            "ArchiveReference",
            "ReplyOptions",
            "Notifications",
            "AllowForwarding",
            "CaseID",
            "MessageSender",
            "IsReservable",
            "SdpOptions",
            "OnBehalfOfOrgNr",
        ]
    );
    // DataContract members: all optional; value types without nillable are the two dates.
    assert!(correspondence.iter().all(|(_, min, _)| *min == 0));
    let not_nullable: Vec<&str> = correspondence
        .iter()
        .filter(|(_, _, n)| !n)
        .map(|(n, _, _)| n.as_str())
        .collect();
    assert_eq!(not_nullable, ["VisibleDateTime", "DueDateTime"]);
    let content = clark(
        "http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10",
        "ExternalContentV2",
    );
    assert_eq!(
        field_names(g, &content),
        [
            "LanguageCode",
            "MessageTitle",
            "MessageSummary",
            "MessageBody",
            "Attachments",
            "CustomMessageData"
        ]
    );
    let notification = clark(
        "http://schemas.altinn.no/services/ServiceEngine/Notification/2009/10",
        "Notification",
    );
    assert_eq!(
        field_names(g, &notification),
        [
            "FromAddress",
            "ShipmentDateTime",
            "LanguageCode",
            "NotificationType",
            "TextTokens",
            "ReceiverEndPoints"
        ]
    );
}

#[test]
fn default_collections_enums_and_recursion_are_modelled() {
    let contract = default_contract();
    let g = &basic(&contract).types;
    let arrays = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
    for (id, item) in [
        (clark(arrays, "ArrayOfstring"), QName::new(arrays, "string")),
        (
            clark(
                "http://schemas.altinn.no/services/ServiceEngine/Notification/2009/10",
                "NotificationBEList",
            ),
            QName::new(
                "http://schemas.altinn.no/services/ServiceEngine/Notification/2009/10",
                "Notification",
            ),
        ),
    ] {
        match g.get(&TypeId::from(id.as_str())).map(|t| &t.kind) {
            Some(TypeKind::List(l)) => {
                let element = l
                    .item_element
                    .as_ref()
                    .expect("XML collection item element");
                assert_eq!(element.xml_name, item, "{id}");
                assert!(element.nullable, "{id}: items are nillable");
            }
            other => panic!("{id} should be a list, is {other:?}"),
        }
    }
    let enum_values = |id: String| match g.get(&TypeId::from(id.as_str())).map(|t| &t.kind) {
        Some(TypeKind::Enum(e)) => e
            .values
            .iter()
            .map(|v| (v.value.clone(), v.numeric))
            .collect::<Vec<_>>(),
        other => panic!("{id} should be an enum, is {other:?}"),
    };
    let transport = enum_values(clark(
        "http://schemas.altinn.no/serviceengine/formsengine/2009/10",
        "TransportType",
    ));
    let expected: Vec<(String, Option<i64>)> = [
        "SMS",
        "Email",
        "IM",
        "Both",
        "SMSPreferred",
        "EmailPreferred",
    ]
    .iter()
    .zip(1..)
    .map(|(v, n)| ((*v).to_owned(), Some(n)))
    .collect();
    assert_eq!(transport, expected);
    let status = enum_values(clark(
        "http://schemas.altinn.no/services/serviceEntity/2014/10",
        "CorrespondenceStatusTypeV2",
    ));
    let numeric: Vec<Option<i64>> = status.iter().map(|(_, n)| *n).collect();
    assert_eq!(numeric, [None, None, None, Some(6), Some(10)]);
    let receipt_ns = "http://schemas.altinn.no/services/Intermediary/Receipt/2009/10";
    let recursive = g.recursive_types();
    assert!(recursive.contains(&TypeId::from(clark(receipt_ns, "ReceiptExternal").as_str())));
    assert!(recursive.contains(&TypeId::from(
        clark(receipt_ns, "ReceiptExternalList").as_str()
    )));
}

#[test]
fn default_rest_endpoints_are_the_ones_written() {
    let contract = default_contract();
    let rest = only_rest(&contract);
    let ids: Vec<&str> = rest.endpoints.iter().map(|e| e.id.0.as_str()).collect();
    assert_eq!(ids, REST_ENDPOINTS);
    assert!(
        rest.endpoints.iter().all(|e| e.name_derived),
        "the spec has no operationIds"
    );
    for (method, path, name) in [
        (
            HttpMethod::Post,
            "/correspondence/api/v1/correspondence",
            "post_correspondence_api_v1_correspondence",
        ),
        (
            HttpMethod::Get,
            "/correspondence/api/v1/correspondence",
            "get_correspondence_api_v1_correspondence",
        ),
        (
            HttpMethod::Post,
            "/correspondence/api/v1/correspondence/upload",
            "post_correspondence_api_v1_correspondence_upload",
        ),
        (
            HttpMethod::Post,
            "/correspondence/api/v1/attachment",
            "post_correspondence_api_v1_attachment",
        ),
    ] {
        assert_eq!(endpoint(rest, method, path).name, name);
    }
    assert!(rest.webhooks.is_empty());
}

#[test]
fn default_rest_bodies_parameters_and_responses() {
    let contract = default_contract();
    let rest = only_rest(&contract);
    let media = |e: &Endpoint| -> Vec<(String, Option<TypeRef>)> {
        let body = e
            .body
            .as_ref()
            .unwrap_or_else(|| panic!("{} has a body", e.id));
        body.content
            .iter()
            .map(|c| (c.media_type.clone(), c.ty.clone()))
            .collect()
    };
    let init = endpoint(
        rest,
        HttpMethod::Post,
        "/correspondence/api/v1/correspondence",
    );
    assert_eq!(
        media(init),
        [(
            "application/json".to_owned(),
            Some(TypeRef::Named(TypeId::from(
                "#/components/schemas/InitializeCorrespondencesExt"
            )))
        )]
    );
    let statuses: Vec<&str> = init.responses.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(statuses, ["200", "400", "401", "403", "404", "409", "422"]);
    let upload = endpoint(
        rest,
        HttpMethod::Post,
        "/correspondence/api/v1/correspondence/upload",
    );
    let upload_media: Vec<String> = media(upload).into_iter().map(|(m, _)| m).collect();
    assert_eq!(upload_media, ["multipart/form-data"]);
    let file = endpoint(
        rest,
        HttpMethod::Post,
        "/correspondence/api/v1/attachment/{attachmentId}/upload",
    );
    assert_eq!(
        media(file),
        [(
            "application/octet-stream".to_owned(),
            Some(TypeRef::Builtin(Builtin::Binary))
        )]
    );
    assert!(file.body.as_ref().is_some_and(|b| b.required));

    let search = endpoint(
        rest,
        HttpMethod::Get,
        "/correspondence/api/v1/correspondence",
    );
    let params: Vec<(&str, bool)> = search
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("from", false),
            ("onBehalfOf", false),
            ("resourceId", false),
            ("role", false),
            ("sendersReference", false),
            ("status", false),
            ("to", false),
        ]
    );
    let details = endpoint(
        rest,
        HttpMethod::Get,
        "/correspondence/api/v1/correspondence/{correspondenceId}/details",
    );
    let path_params: Vec<(&str, bool, &TypeRef)> = details
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.required, &p.ty))
        .collect();
    assert_eq!(
        path_params,
        [("correspondenceId", true, &TypeRef::Builtin(Builtin::Guid))]
    );
}

#[test]
fn default_rest_security_is_maskinporten_with_the_three_scopes() {
    let contract = default_contract();
    let rest = only_rest(&contract);
    assert_eq!(rest.security_schemes.len(), 1);
    let scheme = &rest.security_schemes[0];
    assert_eq!(
        (scheme.name.as_str(), scheme.kind.as_str()),
        ("maskinporten", "oauth2")
    );
    assert_eq!(
        scheme.scopes,
        [
            "altinn:correspondence.read",
            "altinn:correspondence.write",
            "altinn:serviceowner"
        ]
    );
    let requirement = |scopes: &[&str]| SecurityRequirement {
        scheme: "maskinporten".to_owned(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
    };
    let write = requirement(&["altinn:correspondence.write", "altinn:serviceowner"]);
    let read = requirement(&["altinn:correspondence.read"]);
    let sorted = |e: &Endpoint| {
        let mut s = e.security.clone();
        s.sort();
        s
    };
    let init = endpoint(
        rest,
        HttpMethod::Post,
        "/correspondence/api/v1/correspondence",
    );
    assert_eq!(sorted(init), std::slice::from_ref(&write));
    let details = endpoint(
        rest,
        HttpMethod::Get,
        "/correspondence/api/v1/correspondence/{correspondenceId}/details",
    );
    assert_eq!(sorted(details), [read, write]);
}

#[test]
fn default_rest_types_keep_the_public_names() {
    let contract = default_contract();
    let g = &only_rest(&contract).types;
    assert_eq!(
        field_names(g, "#/components/schemas/InitializeCorrespondencesExt"),
        [
            "correspondence",
            "recipients",
            "existingAttachments",
            "idempotentKey"
        ]
    );
    let init = fields(g, "#/components/schemas/InitializeCorrespondencesExt");
    let required: Vec<&str> = init
        .iter()
        .filter(|(_, min, _)| *min == 1)
        .map(|(n, _, _)| n.as_str())
        .collect();
    assert_eq!(required, ["correspondence", "recipients"]);
    let nullable: Vec<&str> = init
        .iter()
        .filter(|(_, _, n)| *n)
        .map(|(n, _, _)| n.as_str())
        .collect();
    assert_eq!(nullable, ["existingAttachments", "idempotentKey"]);
    match g
        .get(&TypeId::from(
            "#/components/schemas/CorrespondenceStatusExt",
        ))
        .map(|t| &t.kind)
    {
        Some(TypeKind::Enum(e)) => {
            let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
            assert_eq!(
                values,
                [
                    "Initialized",
                    "ReadyForPublish",
                    "Published",
                    "Fetched",
                    "Read",
                    "Replied",
                    "Confirmed",
                    "PurgedByRecipient",
                    "PurgedByAltinn",
                    "Archived",
                    "Reserved",
                    "Failed",
                    "AttachmentsDownloaded",
                ]
            );
        }
        other => panic!("CorrespondenceStatusExt should be an enum, is {other:?}"),
    }
    let schemas = g
        .types
        .keys()
        .filter(|id| {
            id.0.strip_prefix("#/components/schemas/")
                .is_some_and(|n| !n.contains('/'))
        })
        .count();
    assert_eq!(schemas, 37, "component schemas");
}

#[test]
fn unseen_pair_loads_through_the_loaders() {
    let contract = load_clean(|_| vec![PathBuf::from(UNSEEN_WSDL), PathBuf::from(UNSEEN_YAML)]);
    let soap = only_soap(&contract);
    assert_eq!(soap.files, [UNSEEN_WSDL, UNSEEN_XSD]);
    assert_eq!(
        soap.soap_versions(),
        [SoapVersion::Soap11, SoapVersion::Soap12]
    );
    let names: BTreeSet<&str> = soap.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from(["HentStatus", "SendInnMelding", "TrekkTilbakeMelding"])
    );
    assert_eq!(
        soap.operations.len(),
        6,
        "three operations in each of two bindings"
    );
    let send = op(soap, "SendInnMelding");
    let input = send.input.as_ref().expect("input");
    let parts = |ps: &[altinn_bridge::model::MessagePart]| {
        ps.iter().map(|p| p.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(parts(&input.headers), ["avsender"]);
    assert_eq!(parts(&input.body), ["parameters"]);
    let faults: Vec<&str> = send.faults.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(faults, ["TjenesteFeil", "ValideringsFeil"]);

    let rest = only_rest(&contract);
    assert_eq!(rest.openapi, "3.0.3");
    let ids: Vec<&str> = rest.endpoints.iter().map(|e| e.id.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "GET /v2/submissions",
            "POST /v2/submissions",
            "GET /v2/submissions/{submissionId}",
            "DELETE /v2/submissions/{submissionId}",
            "POST /v2/submissions/{submissionId}/attachments",
        ]
    );
    assert!(rest.endpoints.iter().all(|e| e.name_derived));
    let submit = endpoint(rest, HttpMethod::Post, "/v2/submissions");
    let header: Vec<(&str, ParamLocation)> = submit
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location))
        .collect();
    assert_eq!(
        header,
        [("Idempotency-Key", ParamLocation::Header)],
        "parameter from a $ref"
    );
    let created = submit
        .responses
        .iter()
        .find(|r| r.status == "201")
        .expect("201");
    let headers: Vec<&str> = created.headers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(headers, ["Location"]);
    let get = endpoint(rest, HttpMethod::Get, "/v2/submissions/{submissionId}");
    let params: Vec<&str> = get.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(params, ["submissionId"], "path-level parameter from a $ref");
}

// ---------------------------------------------------------------------------------------------
// The WS-Security variant (a WSDL and its XSDs)

/// The shipped files of the WS-Security variant, sorted.
fn ws_files() -> Vec<&'static str> {
    embedded::FILES
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| p.starts_with(&format!("{WS_DIR}/")))
        .collect()
}

#[test]
fn ws_variant_loads_from_its_wsdl_and_xsds() {
    let contract = default_contract();
    let soap = soap_from(&contract, WS_WSDL);
    assert_eq!(soap.name, "CorrespondenceAgencyExternalSF");
    assert_eq!(soap.target_namespace, SERVICE_NS);
    let mut files = soap.files.clone();
    files.sort();
    assert_eq!(files, ws_files(), "every shipped XSD is reached by import");
    assert_eq!(files.len(), 19, "the WSDL and 18 XSDs");
    assert_eq!(soap.schemas.len(), 19, "one schema per namespace");
    assert_eq!(soap.soap_versions(), [SoapVersion::Soap12]);
    let names: Vec<&str> = soap.operations.iter().map(|o| o.name.as_str()).collect();
    let expected: Vec<String> = SOAP_OPERATIONS
        .iter()
        .map(|(n, _)| {
            n.replace("BasicV", "V")
                .trim_end_matches("Basic")
                .to_owned()
        })
        .collect();
    assert_eq!(names, expected, "the Basic operations without the suffix");
    for o in &soap.operations {
        let name = o.name.as_str();
        assert_eq!(o.id.0, format!("{{{SERVICE_NS}}}{WS_BINDING}/{name}"));
        assert_eq!(o.soap_version, SoapVersion::Soap12, "{name}");
        assert_eq!(o.style, Style::Document, "{name}");
        let action = if name == "Test" {
            "http://www.altinn.no/services/2009/10/IAltinnContractBase/Test".to_owned()
        } else {
            format!("{SERVICE_NS}/ICorrespondenceAgencyExternal/{name}")
        };
        assert_eq!(o.soap_action.as_deref(), Some(action.as_str()), "{name}");
        let input = o.input.as_ref().expect("input");
        assert_eq!(input.action.as_deref(), Some(action.as_str()), "{name}");
        assert!(
            input.headers.is_empty(),
            "{name}: credentials travel in WS-Security, not in message headers"
        );
        let policies: Vec<&str> = o.policies.iter().map(|q| q.local.as_str()).collect();
        for policy in [
            "SignedSupportingTokens",
            "TransportBinding",
            "UsingAddressing",
        ] {
            assert!(policies.contains(&policy), "{name}: {policies:?}");
        }
        let faults: Vec<&str> = o.faults.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(faults, ["AltinnFaultFault"], "{name}");
    }
    let g = &soap.types;
    let wrapper = |name: &str| {
        let element = soap
            .element(&QName::new(SERVICE_NS, name))
            .unwrap_or_else(|| panic!("wrapper {name}"));
        fields(g, &element.ty.as_named().expect("anonymous wrapper").0)
    };
    assert_eq!(
        wrapper("InsertCorrespondenceV2"),
        [
            ("SystemUserCode".to_owned(), 1, false),
            ("ExternalShipmentReference".to_owned(), 1, false),
            ("Correspondence".to_owned(), 1, false),
        ],
        "no credential members"
    );
    assert_eq!(
        wrapper("InsertCorrespondence"),
        [
            ("SystemUserCode".to_owned(), 0, true),
            ("ExternalReference".to_owned(), 0, true),
            ("Correspondence".to_owned(), 0, true),
        ]
    );
    let port = &soap.services[0].ports[0];
    assert_eq!(port.name, WS_BINDING);
    assert_eq!(
        port.address.as_deref(),
        Some("https://www.altinn.no/ServiceEngineExternal/CorrespondenceAgencyExternal.svc")
    );
}

#[test]
fn ws_variant_shares_the_basic_request_types() {
    let contract = default_contract();
    let ws = &soap_from(&contract, WS_WSDL).types;
    let basic = &basic(&contract).types;
    for (ns, name) in [
        (
            "http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10",
            "InsertCorrespondenceV2",
        ),
        (
            "http://schemas.altinn.no/services/ServiceEngine/Correspondence/2009/10",
            "InsertCorrespondence",
        ),
        (
            "http://schemas.altinn.no/services/ServiceEngine/Correspondence/2016/02",
            "CorrespondenceStatusFilterV3",
        ),
        (
            "http://schemas.altinn.no/services/ServiceEngine/Correspondence/2016/02",
            "SdpOptions",
        ),
    ] {
        let id = clark(ns, name);
        assert_eq!(fields(ws, &id), fields(basic, &id), "{id}");
    }
}

#[test]
fn ws_variant_files_are_hand_written_and_well_formed() {
    let files = ws_files();
    assert!(files.contains(&WS_WSDL));
    for path in files {
        let text = embedded_text(path);
        assert!(
            text.contains("a reduced,")
                && text.contains("hand-written model of the public Altinn 2"),
            "{path}: header comment"
        );
        let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        for import in doc.descendants().filter(|n| n.has_tag_name((XS, "import"))) {
            let location = import
                .attribute("schemaLocation")
                .unwrap_or_else(|| panic!("{path}: every import has a schemaLocation"));
            assert!(
                embedded::FILES
                    .iter()
                    .any(|(p, _)| *p == format!("{WS_DIR}/{location}")),
                "{path}: {location} is shipped beside it"
            );
        }
    }
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn ws_variant_items_agree_with_the_public_contract() {
    let dir = corpus::require_corpus("ws_variant_items_agree_with_the_public_contract");
    let real_dir = dir.join("altinn2/CorrespondenceAgencyExternal");
    // The shipped BinaryAttachment/Data has no `expectedContentTypes`; the public one has.
    let mut theirs = Items::new();
    for entry in std::fs::read_dir(&real_dir).expect("corpus folder") {
        let path = entry.expect("entry").path();
        theirs.extend(schema_items(
            &std::fs::read_to_string(&path).expect("readable corpus file"),
            Mime::Ignored,
        ));
    }
    let mut ours = Items::new();
    for path in ws_files() {
        ours.extend(schema_items(embedded_text(path), Mime::Ignored));
    }
    assert!(ours.len() >= 100, "schema items kept: {}", ours.len());
    assert_items_agree(WS_DIR, &ours, &theirs);
}

// ---------------------------------------------------------------------------------------------
// On the text, without the loaders

#[test]
fn shipped_wsdl_is_well_formed_and_complete() {
    let text = embedded_text(WSDL);
    assert!(text.contains("a reduced, hand-written model of the public Altinn 2 interface"));
    let doc = roxmltree::Document::parse(text).expect("well-formed XML");
    let root = doc.root_element();
    assert!(root.has_tag_name((WSDL_NS, "definitions")));
    let schemas: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((XS, "schema")))
        .map(|n| n.attribute("targetNamespace").unwrap_or(""))
        .collect();
    assert_eq!(schemas.len(), 20);
    assert_eq!(
        schemas.iter().collect::<BTreeSet<_>>().len(),
        20,
        "one schema per namespace"
    );
    let enumeration_values = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "EnumerationValue")
        .count();
    assert_eq!(
        enumeration_values, 13,
        "AttachmentFunctionType 2, TransportType 6, CorrespondenceStatusType 3, CorrespondenceStatusTypeV2 2"
    );

    let port_type = children(root, "portType")
        .into_iter()
        .next()
        .expect("portType");
    let mut actions = BTreeMap::new();
    for operation in children(port_type, "operation") {
        let name = operation.attribute("name").expect("name");
        let faults: Vec<&str> = children(operation, "fault")
            .iter()
            .filter_map(|f| f.attribute("name"))
            .collect();
        assert_eq!(faults, ["AltinnFaultFault"], "{name}");
        let input = children(operation, "input")
            .into_iter()
            .next()
            .expect("input");
        actions.insert(
            name,
            input.attribute((WSAW_NS, "Action")).expect("wsaw:Action"),
        );
    }
    let expected: BTreeMap<&str, &str> = SOAP_OPERATIONS.into_iter().collect();
    assert_eq!(actions, expected, "input wsaw:Action per operation");
    let binding = children(root, "binding")
        .into_iter()
        .next()
        .expect("binding");
    for operation in children(binding, "operation") {
        let name = operation.attribute("name").expect("name");
        let soap_action = operation
            .children()
            .find(|c| c.tag_name().name() == "operation")
            .and_then(|c| c.attribute("soapAction"));
        assert_eq!(
            soap_action,
            expected.get(name).copied(),
            "{name}: soapAction"
        );
    }
}

#[test]
fn shipped_openapi_is_valid_3_1_without_operation_ids() {
    let text = embedded_text(OPENAPI);
    let json: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    assert_eq!(json["openapi"], "3.1.0");
    assert_eq!(json["info"]["title"], "Altinn.Correspondence.API");
    assert!(
        json["info"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("hand-written"))
    );
    assert!(!text.contains("\"operationId\""));
    let spec: openapiv3::OpenAPI = serde_json::from_str(text).expect("an OpenAPI document");
    let mut ids: Vec<String> = Vec::new();
    for (path, item) in &spec.paths.paths {
        let item = item.as_item().expect("inline path item");
        for (method, operation) in item.iter() {
            assert!(operation.operation_id.is_none());
            ids.push(format!("{} {path}", method.to_ascii_uppercase()));
        }
    }
    ids.sort();
    let mut expected = REST_ENDPOINTS.map(str::to_owned).to_vec();
    expected.sort();
    assert_eq!(ids, expected);
}

#[test]
fn unseen_fixtures_are_well_formed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in [UNSEEN_WSDL, UNSEEN_XSD] {
        let text = std::fs::read_to_string(dir.join(path)).expect("readable");
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let text = std::fs::read_to_string(dir.join(UNSEEN_YAML)).expect("readable");
    let spec: openapiv3::OpenAPI = yaml_serde::from_str(&text).expect("an OpenAPI document");
    assert_eq!(spec.openapi, "3.0.3");
    assert_eq!(spec.paths.paths.len(), 3);
    assert!(!text.contains("operationId:"), "no operationIds");
}

// ---------------------------------------------------------------------------------------------
// Against the corpus

/// Every file this project ships or keeps as a fixture, with its bytes.
fn shipped_files() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, Vec<u8>)> = embedded::FILES
        .iter()
        .map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec()))
        .collect();
    for path in [UNSEEN_WSDL, UNSEEN_XSD, UNSEEN_YAML] {
        out.push((
            path.to_owned(),
            std::fs::read(dir.join(path)).expect("readable fixture"),
        ));
    }
    out
}

/// The longest run of identical lines (indentation included) two texts share, counting only
/// lines with more than punctuation on them.
fn longest_shared_run(ours: &str, theirs: &str) -> usize {
    let theirs: Vec<&str> = theirs.lines().collect();
    let mut at: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, line) in theirs.iter().enumerate() {
        at.entry(line).or_default().push(i);
    }
    let ours: Vec<&str> = ours.lines().collect();
    let counts = |l: &str| l.trim().chars().any(char::is_alphanumeric);
    let mut best = 0;
    for i in 0..ours.len() {
        for &j in at.get(ours[i]).map(Vec::as_slice).unwrap_or_default() {
            let run = ours[i..]
                .iter()
                .zip(&theirs[j..])
                .take_while(|(a, b)| a == b)
                .count();
            best = best.max(ours[i..i + run].iter().filter(|l| counts(l)).count());
        }
    }
    best
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn no_shipped_file_is_a_copy_of_a_corpus_file() {
    let dir = corpus::require_corpus("no_shipped_file_is_a_copy_of_a_corpus_file");
    let corpus_files = corpus::files_with_ext(&dir, &["wsdl", "xsd", "json", "yaml", "yml"]);
    assert_eq!(corpus_files.len(), 52, "the corpus per MANIFEST.md");
    for (name, ours) in shipped_files() {
        let ours_text = String::from_utf8_lossy(&ours);
        for path in &corpus_files {
            let theirs = std::fs::read(path).expect("readable corpus file");
            assert!(
                ours != theirs,
                "{name} is byte-identical to {}",
                path.display()
            );
            let run = longest_shared_run(&ours_text, &String::from_utf8_lossy(&theirs));
            assert!(
                run < 8,
                "{name} shares {run} consecutive lines with {}",
                path.display()
            );
        }
    }
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn kept_wsdl_items_agree_with_the_public_contract() {
    let dir = corpus::require_corpus("kept_wsdl_items_agree_with_the_public_contract");
    let real = dir
        .join("altinn2/CorrespondenceAgencyExternalBasic/CorrespondenceAgencyExternalBasic.wsdl");
    // The shipped contract grows as manifests use more of it; it must keep a substantial part.
    assert_kept_items_agree(WSDL, &real, 97);
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn kept_openapi_items_agree_with_the_public_contract() {
    let dir = corpus::require_corpus("kept_openapi_items_agree_with_the_public_contract");
    let theirs = corpus_json(&dir.join("altinn3/altinn-correspondence-v1.json"));
    let ours: serde_json::Value = serde_json::from_str(embedded_text(OPENAPI)).expect("JSON");
    let schemas = ours["components"]["schemas"].as_object().expect("schemas");
    assert_eq!(schemas.len(), 37);
    // Our descriptions are our own words.
    // The upload form keeps only some of the published fields; request bodies are not compared.
    assert_openapi_agrees(
        OPENAPI,
        &ours,
        &theirs,
        &["description"],
        RequestBodies::Reduced,
    );
}
