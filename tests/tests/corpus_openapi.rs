//! Every Altinn 3 OpenAPI spec of the corpus loads, with the counts MANIFEST.md lists and facts
//! read from the specs themselves.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use altinn_bridge::diag::SourceMap;
use altinn_bridge::load::{Limits, openapi};
use altinn_bridge::model::{Builtin, HttpMethod, RestContract, TypeKind, TypeRef};
use altinn_bridge_tests::{files_with_ext, require_corpus};

fn load(path: &Path) -> RestContract {
    let mut sources = SourceMap::new();
    match openapi::load(&mut sources, path, &Limits::default()) {
        Ok(l) => {
            let errors = l.warnings.errors().count();
            assert_eq!(errors, 0, "{}", sources.render_all(&l.warnings));
            l.value
        }
        Err(d) => panic!(
            "{} did not load:\n{}",
            path.display(),
            sources.render_all(&d)
        ),
    }
}

fn spec(test: &str, name: &str) -> RestContract {
    let dir: PathBuf = require_corpus(test);
    load(&dir.join("altinn3").join(name))
}

/// (#paths, #operations, #component schemas) as counted in the model.
fn counts(c: &RestContract) -> (usize, usize, usize) {
    let paths: BTreeSet<&str> = c.endpoints.iter().map(|e| e.path.as_str()).collect();
    let components = c
        .types
        .types
        .keys()
        .filter(|id| {
            id.0.strip_prefix("#/components/schemas/")
                .is_some_and(|rest| !rest.contains('/'))
        })
        .count();
    (paths.len(), c.endpoints.len(), components)
}

fn field<'a>(c: &'a RestContract, ty: &str, name: &str) -> &'a altinn_bridge::model::Field {
    let Some(TypeKind::Struct(s)) = c.types.get(&ty.into()).map(|t| &t.kind) else {
        panic!("{ty} is not a struct")
    };
    s.fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{ty} has no field {name}"))
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn every_altinn3_spec_loads_with_the_manifest_counts() {
    let dir = require_corpus("every_altinn3_spec_loads_with_the_manifest_counts");
    let expected = [
        ("altinn-broker-v1.json", "3.1.0", (9, 12, 22), 8),
        ("altinn-correspondence-v1.json", "3.1.0", (13, 15, 39), 0),
        ("altinn-events-v1.json", "3.0.1", (11, 14, 44), 0),
        ("altinn-notifications-v1.json", "3.0.1", (5, 5, 17), 0),
        ("altinn-storage-v1.json", "3.0.4", (25, 32, 55), 0),
    ];
    let files = files_with_ext(&dir.join("altinn3"), &["json"]);
    let names: Vec<String> = files
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    // The counts were taken by hand for these five; the corpus may hold more (every one of
    // them must load, checked after these), but never fewer.
    for (name, version, count, webhooks) in expected {
        let file = files
            .iter()
            .zip(&names)
            .find(|(_, n)| n.as_str() == name)
            .map(|(f, _)| f)
            .unwrap_or_else(|| panic!("{name} is missing from the corpus: {names:?}"));
        let c = load(file);
        assert_eq!(c.openapi, version, "{name}");
        assert_eq!(counts(&c), count, "{name}: (#paths, #operations, #schemas)");
        assert_eq!(c.webhooks.len(), webhooks, "{name}");
        // Derived names are unique within a document (webhook requests included).
        let all: Vec<&str> = c
            .endpoints
            .iter()
            .chain(c.webhooks.iter().flat_map(|w| &w.operations))
            .map(|e| e.name.as_str())
            .collect();
        let unique: BTreeSet<&str> = all.iter().copied().collect();
        assert_eq!(unique.len(), all.len(), "{name}: endpoint names repeat");
        // Every named reference resolves inside the graph.
        for id in c.types.types.keys() {
            for r in c.types.children(id) {
                if let TypeRef::Named(t) = r {
                    assert!(
                        c.types.get(t).is_some(),
                        "{name}: {id} refers to missing {t}"
                    );
                }
            }
        }
    }
    // Every other spec of the corpus loads too, with endpoints.
    for (file, name) in files.iter().zip(&names) {
        assert!(!load(file).endpoints.is_empty(), "{name}: no endpoints");
    }
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn loading_twice_gives_the_same_model() {
    let dir = require_corpus("loading_twice_gives_the_same_model");
    for file in files_with_ext(&dir.join("altinn3"), &["json"]) {
        let a = serde_json::to_string(&load(&file)).unwrap();
        let b = serde_json::to_string(&load(&file)).unwrap();
        assert!(a == b, "{} loads differently twice", file.display());
    }
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn correspondence_initialize_body_and_enums() {
    let c = spec(
        "correspondence_initialize_body_and_enums",
        "altinn-correspondence-v1.json",
    );
    let init = c
        .endpoint(HttpMethod::Post, "/correspondence/api/v1/correspondence")
        .unwrap();
    assert_eq!(
        (init.name.as_str(), init.name_derived),
        ("post_correspondence_api_v1_correspondence", true)
    );
    let body = init.body.as_ref().unwrap();
    assert_eq!(body.content.len(), 1);
    assert_eq!(body.content[0].media_type, "application/json");
    assert_eq!(
        body.content[0].ty,
        Some(TypeRef::Named(
            "#/components/schemas/InitializeCorrespondencesExt".into()
        ))
    );
    let id = "#/components/schemas/InitializeCorrespondencesExt";
    let fields: Vec<(&str, u32, bool)> = c
        .types
        .all_fields(&id.into())
        .iter()
        .map(|f| (f.name.as_str(), f.min_occurs, f.nullable))
        .collect();
    assert_eq!(
        fields,
        [
            ("correspondence", 1, false),
            ("recipients", 1, false),
            ("existingAttachments", 0, true),
            ("idempotentKey", 0, true)
        ]
    );
    assert_eq!(
        field(&c, id, "idempotentKey").ty,
        TypeRef::Builtin(Builtin::Guid)
    );
    let upload = c
        .endpoint_named("post_correspondence_api_v1_correspondence_upload")
        .unwrap();
    assert_eq!(
        upload.body.as_ref().unwrap().content[0].media_type,
        "multipart/form-data"
    );
    let Some(TypeKind::Enum(status)) = c
        .types
        .get(&"#/components/schemas/CorrespondenceStatusExt".into())
        .map(|t| &t.kind)
    else {
        panic!("CorrespondenceStatusExt is not an enum")
    };
    let values: Vec<&str> = status.values.iter().map(|v| v.value.as_str()).collect();
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
            "AttachmentsDownloaded"
        ]
    );
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn broker_uuids_nullables_and_webhooks() {
    let c = spec(
        "broker_uuids_nullables_and_webhooks",
        "altinn-broker-v1.json",
    );
    let overview = "#/components/schemas/FileTransferOverviewExt";
    assert_eq!(
        field(&c, overview, "fileTransferId").ty,
        TypeRef::Builtin(Builtin::Guid)
    );
    assert!(field(&c, overview, "fileName").nullable);
    assert!(!field(&c, overview, "fileTransferSize").nullable);
    assert_eq!(
        field(&c, overview, "fileTransferSize").ty,
        TypeRef::Builtin(Builtin::Long)
    );
    let names: Vec<&str> = c.webhooks.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "no.altinn.broker.allconfirmeddownloaded",
            "no.altinn.broker.downloadconfirmed",
            "no.altinn.broker.fileneverconfirmeddownloaded",
            "no.altinn.broker.filepurged",
            "no.altinn.broker.filetransferinitialized",
            "no.altinn.broker.published",
            "no.altinn.broker.uploadfailed",
            "no.altinn.broker.uploadprocessing",
        ]
    );
    for w in &c.webhooks {
        assert_eq!(w.operations.len(), 1, "{}", w.name);
        let body = w.operations[0].body.as_ref().unwrap();
        assert_eq!(body.content[0].media_type, "application/cloudevents+json");
        assert_eq!(
            body.content[0].ty,
            Some(TypeRef::Named("#/components/schemas/CloudEvent".into()))
        );
    }
    // A query parameter whose schema is a nullable enum component.
    let list = c
        .endpoint(HttpMethod::Get, "/broker/api/v1/filetransfer")
        .unwrap();
    let status = list.params.iter().find(|p| p.name == "status").unwrap();
    assert_eq!(
        status.ty,
        TypeRef::Named("#/components/schemas/FileTransferStatusExtNullable".into())
    );
    assert!(status.nullable);
    // The schema-level `examples` array of 3.1 is kept, its first entry as `example`.
    let cloud = c
        .types
        .get(&"#/components/schemas/CloudEvent".into())
        .unwrap();
    assert!(cloud.extensions.contains_key("example") && cloud.extensions.contains_key("examples"));
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn storage_with_bom_and_security() {
    let c = spec("storage_with_bom_and_security", "altinn-storage-v1.json");
    assert_eq!(c.title, "Altinn Platform Storage");
    assert_eq!(c.source.rsplit('/').next(), Some("altinn-storage-v1.json"));
    assert_eq!(c.security_schemes.len(), 1);
    assert_eq!(
        (
            c.security_schemes[0].name.as_str(),
            c.security_schemes[0].kind.as_str()
        ),
        ("JwtCookie", "http")
    );
    assert_eq!(c.security_schemes[0].detail.as_deref(), Some("bearer"));
    let get = c
        .endpoint(
            HttpMethod::Get,
            "/instances/{instanceOwnerPartyId}/{instanceGuid}",
        )
        .unwrap();
    assert_eq!(get.security.len(), 1);
    assert_eq!(get.security[0].scheme, "JwtCookie");
    let params: Vec<(&str, &TypeRef)> = get
        .params
        .iter()
        .map(|p| (p.name.as_str(), &p.ty))
        .collect();
    assert_eq!(
        params,
        [
            ("instanceGuid", &TypeRef::Builtin(Builtin::Guid)),
            ("instanceOwnerPartyId", &TypeRef::Builtin(Builtin::Int))
        ]
    );
}
