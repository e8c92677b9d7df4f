//! The WSDL loader on the real Altinn 2 contracts in `../shared/corpus/altinn2`: every WSDL
//! loads without errors, matches the counts of `MANIFEST.md`, and the facts the generator relies
//! on are in the model. Skips loudly when the corpus is absent.

use std::path::{Path, PathBuf};

use altinn_bridge::diag::SourceMap;
use altinn_bridge::load::{Limits, wsdl};
use altinn_bridge::model::{
    Builtin, Field, MaxOccurs, PartContent, QName, SoapContract, SoapOperation, SoapVersion,
    TypeId, TypeKind, TypeRef,
};
use altinn_bridge_tests::{files_with_ext, require_corpus};

const FAULT_NS: &str = "http://www.altinn.no/services/common/fault/2009/10";

fn load(path: &Path) -> SoapContract {
    let mut sources = SourceMap::new();
    match wsdl::load(&mut sources, path, &Limits::default()) {
        Ok(l) => l.value,
        Err(d) => panic!(
            "{} failed to load:\n{}",
            path.display(),
            sources.render_all(&d)
        ),
    }
}

fn service(corpus: &Path, name: &str) -> SoapContract {
    load(
        &corpus
            .join("altinn2")
            .join(name)
            .join(format!("{name}.wsdl")),
    )
}

fn wsdls(corpus: &Path) -> Vec<PathBuf> {
    files_with_ext(&corpus.join("altinn2"), &["wsdl"])
}

fn named(id: &str) -> TypeRef {
    TypeRef::Named(TypeId::from(id))
}

/// The fields of a struct type.
fn fields<'a>(c: &'a SoapContract, ty: &TypeRef) -> &'a [Field] {
    match c.types.resolve(ty).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => &s.fields,
        other => panic!("{ty:?} is not a struct: {other:?}"),
    }
}

fn field<'a>(c: &'a SoapContract, ty: &TypeRef, name: &str) -> &'a Field {
    fields(c, ty)
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{ty:?} has no field {name}"))
}

/// One WSDL row of MANIFEST.md.
struct Row {
    path: String,
    tns: String,
    port_types: usize,
    operations: usize,
    soap: Vec<SoapVersion>,
}

fn manifest(corpus: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(corpus.join("MANIFEST.md")).expect("MANIFEST.md");
    text.lines()
        .map(|l| l.split('|').map(str::trim).collect::<Vec<&str>>())
        // The files table; the constructs table below it lists the same paths with other columns.
        .filter(|cols| cols.len() > 10 && cols[1].starts_with("altinn2/") && cols[6] == "WSDL 1.1")
        .map(|cols| {
            let soap = match cols[10] {
                "1.1" => vec![SoapVersion::Soap11],
                "1.2" => vec![SoapVersion::Soap12],
                "1.1 & 1.2" => vec![SoapVersion::Soap11, SoapVersion::Soap12],
                other => panic!("unexpected SOAP column {other:?}"),
            };
            Row {
                path: cols[1].to_owned(),
                tns: cols[7].to_owned(),
                port_types: cols[8].parse().expect("#portTypes"),
                operations: cols[9].parse().expect("#operations"),
                soap,
            }
        })
        .collect()
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn every_wsdl_loads_and_matches_the_manifest_counts() {
    let corpus = require_corpus("every_wsdl_loads_and_matches_the_manifest_counts");
    let rows = manifest(&corpus);
    assert!(rows.len() >= 10, "MANIFEST.md lists {} WSDLs", rows.len());
    assert_eq!(
        wsdls(&corpus).len(),
        rows.len(),
        "every corpus WSDL is in the manifest"
    );
    for row in rows {
        let c = load(&corpus.join(&row.path));
        let ops: usize = c.port_types.iter().map(|p| p.operations.len()).sum();
        assert_eq!(
            c.port_types.len(),
            row.port_types,
            "{}: portTypes",
            row.path
        );
        assert_eq!(
            ops, row.operations,
            "{}: operations over all portTypes",
            row.path
        );
        assert_eq!(c.soap_versions(), row.soap, "{}: SOAP versions", row.path);
        assert_eq!(
            c.target_namespace, row.tns,
            "{}: target namespace",
            row.path
        );
        // One bound operation per binding operation, each with its input resolved.
        let bound: usize = c.bindings.iter().map(|b| b.operations.len()).sum();
        assert_eq!(c.operations.len(), bound, "{}", row.path);
        assert!(
            c.operations
                .iter()
                .all(|o| o.input.is_some() && o.output.is_some()),
            "{}",
            row.path
        );
    }
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn multi_file_correspondence_reads_all_21_files_once() {
    let corpus = require_corpus("multi_file_correspondence_reads_all_21_files_once");
    let c = service(&corpus, "CorrespondenceAgencyExternal");
    let mut unique = c.files.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((c.files.len(), unique.len()), (21, 21), "{:?}", c.files);
    assert!(c.files[0].ends_with("CorrespondenceAgencyExternal.wsdl"));
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn insert_correspondence_basic_v2_reaches_message_title_and_body() {
    let corpus = require_corpus("insert_correspondence_basic_v2_reaches_message_title_and_body");
    let c = service(&corpus, "CorrespondenceAgencyExternalBasic");
    let op = c
        .operation("InsertCorrespondenceBasicV2")
        .expect("operation");
    let input = op.input.as_ref().expect("input");
    let [part] = input.body.as_slice() else {
        panic!("one body part")
    };
    let PartContent::Element { element, ty, .. } = &part.content else {
        panic!("element part")
    };
    let ns09 = "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10";
    assert_eq!(*element, QName::new(ns09, "InsertCorrespondenceBasicV2"));
    assert_eq!(
        *ty,
        named(&format!("{{{ns09}}}InsertCorrespondenceBasicV2#")),
        "anonymous type of the element"
    );
    // InsertCorrespondenceBasicV2 / Correspondence: InsertCorrespondenceV2, required, not nillable.
    let correspondence = field(&c, ty, "Correspondence");
    let v2 = named(
        "{http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10}InsertCorrespondenceV2",
    );
    assert_eq!(
        (
            &correspondence.ty,
            correspondence.min_occurs,
            correspondence.nullable
        ),
        (&v2, 1, false)
    );
    // Correspondence / Content: ExternalContentV2, optional and nillable.
    let content = field(&c, &v2, "Content");
    let content_ty = named(
        "{http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10}ExternalContentV2",
    );
    assert_eq!(
        (&content.ty, content.min_occurs, content.nullable),
        (&content_ty, 0, true)
    );
    // Content / MessageTitle and MessageBody: optional, nillable strings, qualified in 2010/10.
    let ns10 = "http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10";
    for name in ["MessageTitle", "MessageBody"] {
        let f = field(&c, &content_ty, name);
        assert_eq!(f.ty, TypeRef::Builtin(Builtin::String), "{name}");
        assert_eq!(
            (f.min_occurs, f.max_occurs, f.nullable),
            (0, MaxOccurs::Bounded(1), true),
            "{name}"
        );
        assert_eq!(f.xml_name, Some(QName::new(ns10, name)), "{name}");
    }
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn broker_file_reference_is_a_guid() {
    let corpus = require_corpus("broker_file_reference_is_a_guid");
    let c = service(&corpus, "BrokerServiceExternalBasic");
    let file = named(
        "{http://schemas.altinn.no/services/ServiceEngine/Broker/2015/06}BrokerServiceAvailableFile",
    );
    assert_eq!(
        field(&c, &file, "FileReference").ty,
        TypeRef::Builtin(Builtin::Guid)
    );
    let ser_guid = TypeId::from("{http://schemas.microsoft.com/2003/10/Serialization/}guid");
    assert!(
        c.types.get(&ser_guid).is_none(),
        "ser:guid is a built-in, not a graph type"
    );
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn upload_file_streamed_basic_has_five_headers_a_streamed_body_and_mtom() {
    let corpus =
        require_corpus("upload_file_streamed_basic_has_five_headers_a_streamed_body_and_mtom");
    let c = service(&corpus, "BrokerServiceExternalBasicStreamed");
    let op = c.operation("UploadFileStreamedBasic").expect("operation");
    let input = op.input.as_ref().expect("input");
    let mut headers: Vec<&str> = input.headers.iter().map(|h| h.name.as_str()).collect();
    headers.sort();
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
    assert!(
        input
            .headers
            .iter()
            .all(|h| h.message.local == "StreamedPayloadBasicBE_Headers")
    );
    let body: Vec<&str> = input.body.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(body, ["parameters"], "header parts stay out of the body");
    assert!(
        input.streamed,
        "StreamedPayloadBasicBE wraps one ms:StreamBody (base64Binary)"
    );
    assert!(
        !op.output.as_ref().unwrap().streamed,
        "the receipt is not binary"
    );
    assert!(op.mtom && c.bindings.iter().all(|b| b.mtom));
    assert_eq!(
        c.types
            .builtin_of(&named("{http://schemas.microsoft.com/Message}StreamBody")),
        Some(Builtin::Base64Binary)
    );
    let download = c.operation("DownloadFileStreamedBasic").unwrap();
    assert!(
        download.output.as_ref().unwrap().streamed && !download.input.as_ref().unwrap().streamed
    );
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn get_correspondence_status_history_basic_sends_credentials_as_headers() {
    let corpus =
        require_corpus("get_correspondence_status_history_basic_sends_credentials_as_headers");
    let c = service(&corpus, "CorrespondenceAgencyExternalBasic");
    let input = c
        .operation("GetCorrespondenceStatusHistoryBasic")
        .unwrap()
        .input
        .clone()
        .unwrap();
    let headers: Vec<(&str, &str)> = input
        .headers
        .iter()
        .map(|h| match &h.content {
            PartContent::Element { element, .. } => (h.name.as_str(), element.local.as_str()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        headers,
        [
            ("SystemPassword", "SystemPassword"),
            ("SystemUserName", "SystemUserName")
        ]
    );
    assert_eq!(input.body.len(), 1);
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn enumeration_values_have_no_surrounding_whitespace() {
    let corpus = require_corpus("enumeration_values_have_no_surrounding_whitespace");
    let mut total = 0;
    for path in wsdls(&corpus) {
        let c = load(&path);
        for def in c.types.types.values() {
            if let TypeKind::Enum(e) = &def.kind {
                for v in &e.values {
                    total += 1;
                    assert_eq!(v.value, v.value.trim(), "{}: {}", path.display(), def.id);
                    assert!(!v.value.is_empty(), "{}: {}", path.display(), def.id);
                }
            }
        }
    }
    assert!(total > 200, "only {total} enumeration values found");
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn enumeration_appinfo_numbers_are_read_from_pretty_printed_wsdls() {
    let corpus = require_corpus("enumeration_appinfo_numbers_are_read_from_pretty_printed_wsdls");
    let c = service(&corpus, "CorrespondenceAgencyExternalBasic");
    let status = c
        .types
        .types
        .values()
        .find(|t| t.name.local == "CorrespondenceStatusType")
        .expect("type");
    let TypeKind::Enum(e) = &status.kind else {
        panic!("enum")
    };
    let first: Vec<(&str, Option<i64>)> = e
        .values
        .iter()
        .take(3)
        .map(|v| (v.value.as_str(), v.numeric))
        .collect();
    assert_eq!(
        first,
        [
            ("Created", Some(1)),
            ("Read", Some(2)),
            ("Confirmed", Some(6))
        ]
    );
}

/// A type's shape (bases, fields with names, types and occurs; enum values) for comparison.
fn shape(c: &SoapContract, id: &TypeId) -> String {
    match &c.types.get(id).unwrap().kind {
        TypeKind::Struct(s) => {
            let f: Vec<_> = s
                .fields
                .iter()
                .map(|f| {
                    (
                        &f.name,
                        &f.xml_name,
                        &f.ty,
                        f.min_occurs,
                        f.max_occurs,
                        f.nullable,
                    )
                })
                .collect();
            format!("{:?} {:?} {f:?}", s.bases, s.derivation)
        }
        TypeKind::Enum(e) => format!(
            "{:?}",
            e.values
                .iter()
                .map(|v| (&v.value, v.numeric))
                .collect::<Vec<_>>()
        ),
        other => format!("{other:?}"),
    }
}

/// The types of the fields of the output's first body part.
fn result_types(c: &SoapContract, op: &SoapOperation) -> Vec<TypeRef> {
    fields(c, op.output.as_ref().unwrap().body[0].content.ty())
        .iter()
        .map(|f| f.ty.clone())
        .collect()
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn multi_file_and_single_file_correspondence_agree_where_they_overlap() {
    let corpus =
        require_corpus("multi_file_and_single_file_correspondence_agree_where_they_overlap");
    let multi = service(&corpus, "CorrespondenceAgencyExternal");
    let single = service(&corpus, "CorrespondenceAgencyExternalBasic");
    let common: Vec<&TypeId> = multi
        .types
        .types
        .keys()
        .filter(|id| single.types.get(id).is_some())
        .collect();
    assert!(common.len() >= 70, "only {} common types", common.len());
    for id in common {
        assert_eq!(shape(&multi, id), shape(&single, id), "{id}");
    }
    // `Test` has the same name in both; the others differ by a `Basic` infix only.
    for op in &multi.operations {
        let twin = single
            .operations
            .iter()
            .find(|o| o.name == op.name || o.name.replace("Basic", "") == op.name);
        let twin = twin.unwrap_or_else(|| panic!("{} has no counterpart", op.name));
        assert_eq!(op.mep, twin.mep, "{}", op.name);
        let faults = |o: &SoapOperation| -> Vec<(String, Option<TypeRef>)> {
            o.faults
                .iter()
                .map(|f| {
                    (
                        f.name.clone(),
                        f.detail.as_ref().map(|d| d.content.ty().clone()),
                    )
                })
                .collect()
        };
        assert_eq!(faults(op), faults(twin), "{}", op.name);
        assert_eq!(
            result_types(&multi, op),
            result_types(&single, twin),
            "{}: result types",
            op.name
        );
        if op.name == twin.name {
            let content = |o: &SoapOperation| {
                o.input
                    .as_ref()
                    .unwrap()
                    .body
                    .iter()
                    .map(|p| p.content.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(content(op), content(twin), "{}", op.name);
        }
    }
    assert_eq!(multi.operations.len(), 8);
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn online_batch_receiver_has_soap_11_and_12_ports() {
    let corpus = require_corpus("online_batch_receiver_has_soap_11_and_12_ports");
    let c = service(&corpus, "OnlineBatchReceiver");
    let ports: Vec<(&str, SoapVersion)> = c.services[0]
        .ports
        .iter()
        .map(|p| (p.name.as_str(), p.soap_version))
        .collect();
    assert_eq!(
        ports,
        [
            ("OnlineBatchReceiverSoap", SoapVersion::Soap11),
            ("OnlineBatchReceiverSoap12", SoapVersion::Soap12)
        ]
    );
    assert_eq!(c.operations.len(), 2, "one operation bound twice");
    assert!(c.operations.iter().all(|o| o.faults.is_empty() && !o.mtom));
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn download_queue_requires_mtom() {
    let corpus = require_corpus("download_queue_requires_mtom");
    let c = service(&corpus, "DownloadQueueExternalBasic");
    assert!(!c.bindings.is_empty() && c.bindings.iter().all(|b| b.mtom));
    assert_eq!(c.operations.len(), 5);
    assert!(c.operations.iter().all(|o| o.mtom));
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn every_altinn_hosted_operation_declares_altinn_fault() {
    let corpus = require_corpus("every_altinn_hosted_operation_declares_altinn_fault");
    for path in wsdls(&corpus)
        .into_iter()
        .filter(|p| !p.ends_with("OnlineBatchReceiver.wsdl"))
    {
        let c = load(&path);
        assert!(
            c.operation("Test").is_some(),
            "{}: Test operation",
            path.display()
        );
        for op in &c.operations {
            let details: Vec<Option<&QName>> = op
                .faults
                .iter()
                .map(|f| match f.detail.as_ref().map(|d| &d.content) {
                    Some(PartContent::Element { element, .. }) => Some(element),
                    _ => None,
                })
                .collect();
            assert!(
                details.contains(&Some(&QName::new(FAULT_NS, "AltinnFault"))),
                "{}: {} faults {details:?}",
                path.display(),
                op.name
            );
        }
    }
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn loading_the_same_wsdl_twice_gives_an_identical_model() {
    let corpus = require_corpus("loading_the_same_wsdl_twice_gives_an_identical_model");
    for path in wsdls(&corpus) {
        let a = serde_json::to_string(&load(&path)).unwrap();
        let b = serde_json::to_string(&load(&path)).unwrap();
        assert!(a == b, "{} differs between two loads", path.display());
    }
}
