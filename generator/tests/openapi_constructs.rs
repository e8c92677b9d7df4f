//! The OpenAPI loader on small specs that use one construct each (fixtures/openapi).

use std::path::Path;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::load::{Limits, openapi};
use altinn_bridge::model::{
    Builtin, Derivation, HttpMethod, ParamLocation, RestContract, TypeDef, TypeKind, TypeRef,
    UnionMode,
};
use serde_json::json;

fn load(name: &str) -> (RestContract, usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/openapi")
        .join(name);
    let mut sources = SourceMap::new();
    match openapi::load(&mut sources, &path, &Limits::default()) {
        Ok(l) => (l.value, l.warnings.0.len()),
        Err(d) => panic!("{name} did not load:\n{}", sources.render_all(&d)),
    }
}

fn ty<'a>(c: &'a RestContract, id: &str) -> &'a TypeDef {
    c.types
        .get(&id.into())
        .unwrap_or_else(|| panic!("no type {id}"))
}

fn named(id: &str) -> TypeRef {
    TypeRef::Named(id.into())
}

fn field_json(c: &RestContract, id: &str, field: &str) -> serde_json::Value {
    let TypeKind::Struct(s) = &ty(c, id).kind else {
        panic!("{id} is not a struct")
    };
    let f = s
        .fields
        .iter()
        .find(|f| f.name == field)
        .unwrap_or_else(|| panic!("no field {field}"));
    serde_json::to_value(f).unwrap()
}

#[test]
fn yaml_31_path_level_parameters_merge_and_operation_wins() {
    let (c, warnings) = load("constructs31.yaml");
    assert_eq!(warnings, 0);
    assert_eq!(
        (c.title.as_str(), c.version.as_str(), c.openapi.as_str()),
        ("Constructs 3.1", "2.0", "3.1.0")
    );
    assert_eq!(c.extensions.get("x-audience"), Some(&json!("internal")));
    let ids: Vec<&str> = c.endpoints.iter().map(|e| e.id.0.as_str()).collect();
    assert_eq!(ids, ["GET /pets/{petId}", "DELETE /pets/{petId}"]);

    let get = c.endpoint(HttpMethod::Get, "/pets/{petId}").unwrap();
    assert_eq!(
        (get.name.as_str(), get.name_derived),
        ("get_pets_by_pet_id", true)
    );
    assert_eq!(
        serde_json::to_value(&get.params).unwrap(),
        json!([
            {"name": "petId", "location": "path", "required": true, "ty": {"builtin": "guid"}, "nullable": false,
             "style": "simple", "explode": false},
            {"name": "trace", "location": "header", "required": true, "ty": {"builtin": "string"}, "nullable": true,
             "style": "simple", "explode": false, "doc": "operation-level wins"}
        ])
    );
    assert_eq!(
        get.responses[0].content[0].ty,
        Some(named("#/components/schemas/Pet"))
    );

    let delete = c.endpoint_named("removePet").unwrap();
    assert!(!delete.name_derived);
    assert_eq!(delete.extensions.get("x-rate-limit"), Some(&json!(5)));
    let trace = delete
        .params
        .iter()
        .find(|p| p.location == ParamLocation::Header)
        .unwrap();
    assert!(
        !trace.required && !trace.nullable,
        "path-level header as declared: {trace:?}"
    );
}

#[test]
fn yaml_31_schemas_are_normalised() {
    let (c, _) = load("constructs31.yaml");
    // type: [string, "null"] → nullable string.
    assert_eq!(
        field_json(&c, "#/components/schemas/Animal", "nickname"),
        json!({"name": "nickname", "kind": "property", "ty": {"builtin": "string"}, "minOccurs": 0, "maxOccurs": 1, "nullable": true})
    );
    // oneOf with a discriminator; a bare name in the mapping means a component.
    let TypeKind::Union(pet) = &ty(&c, "#/components/schemas/Pet").kind else {
        panic!()
    };
    assert_eq!(pet.mode, UnionMode::OneOf);
    assert_eq!(
        pet.members,
        [
            named("#/components/schemas/Cat"),
            named("#/components/schemas/Dog")
        ]
    );
    assert_eq!(pet.discriminator.as_deref(), Some("kind"));
    assert_eq!(
        pet.mapping.get("dog"),
        Some(&named("#/components/schemas/Dog"))
    );
    assert_eq!(
        pet.mapping.get("cat"),
        Some(&named("#/components/schemas/Cat"))
    );
    // allOf: a base plus an inline part whose properties become own fields; numeric
    // exclusiveMinimum becomes an exclusive lower bound.
    let TypeKind::Struct(cat) = &ty(&c, "#/components/schemas/Cat").kind else {
        panic!()
    };
    assert_eq!(cat.derivation, Some(Derivation::AllOf));
    assert_eq!(cat.bases, [named("#/components/schemas/Animal")]);
    assert_eq!(
        cat.fields
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["lives"]
    );
    let lives = ty(&c, "#/components/schemas/Cat/allOf/1/properties/lives");
    assert_eq!(
        (lives.name.local.as_str(), lives.anonymous),
        ("CatLives", true)
    );
    assert_eq!(
        serde_json::to_value(&lives.kind).unwrap(),
        json!({"kind": "scalar", "base": {"builtin": "integer"}, "facets": {"minExclusive": "0", "maxInclusive": "9"}})
    );
    let all: Vec<&str> = c
        .types
        .all_fields(&"#/components/schemas/Cat".into())
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(all, ["kind", "nickname", "lives"]);
    // const → a one-value enum; patternProperties kept.
    let kind = ty(&c, "#/components/schemas/Dog/properties/kind");
    assert_eq!(
        serde_json::to_value(&kind.kind).unwrap()["values"],
        json!([{"value": "dog"}])
    );
    let TypeKind::Struct(tags) = &ty(&c, "#/components/schemas/Dog/properties/tags").kind else {
        panic!()
    };
    assert_eq!(
        tags.pattern_properties.get("^x-[a-z]+$"),
        Some(&TypeRef::Builtin(Builtin::String))
    );
    // anyOf with an x- extension kept on the type.
    let id_or_name = ty(&c, "#/components/schemas/IdOrName");
    assert_eq!(
        id_or_name.extensions.get("x-kind"),
        Some(&json!("identifier"))
    );
    let TypeKind::Union(u) = &id_or_name.kind else {
        panic!()
    };
    assert_eq!(
        (u.mode, u.members.as_slice()),
        (
            UnionMode::AnyOf,
            &[
                TypeRef::Builtin(Builtin::Long),
                TypeRef::Builtin(Builtin::String)
            ][..]
        )
    );
    // Integer enums keep their values exactly, with the number.
    assert_eq!(
        serde_json::to_value(&ty(&c, "#/components/schemas/Level").kind).unwrap(),
        json!({"kind": "enum", "base": {"builtin": "integer"},
               "values": [{"value": "1", "numeric": 1}, {"value": "2", "numeric": 2}, {"value": "3", "numeric": 3}]})
    );
    assert_eq!(c.types.len(), 9);
}

#[test]
fn schema_examples_become_example() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A:\n      type: object\n      examples: [{a: 1}, {a: 2}]\n";
    let mut sources = SourceMap::new();
    sources.register_virtual("ex.yaml", text);
    let c = openapi::load(&mut sources, Path::new("ex.yaml"), &Limits::default())
        .unwrap()
        .value;
    let a = ty(&c, "#/components/schemas/A");
    assert_eq!(a.extensions.get("example"), Some(&json!({"a": 1})));
    assert_eq!(
        a.extensions.get("examples"),
        Some(&json!([{"a": 1}, {"a": 2}]))
    );
}

#[test]
fn webhooks_only_document_loads() {
    let (c, _) = load("webhooks_only.yaml");
    assert!(c.endpoints.is_empty());
    let names: Vec<&str> = c.webhooks.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["pet.created", "pet.deleted"]);
    let created = &c.webhooks[0].operations[0];
    assert_eq!(created.id.0, "webhook pet.created POST");
    assert_eq!(
        (created.name.as_str(), created.path.as_str()),
        ("post_pet_created", "")
    );
    let body_ty = created.body.as_ref().unwrap().content[0]
        .ty
        .clone()
        .unwrap();
    let body = c.types.resolve(&body_ty).unwrap();
    assert_eq!(
        body.id.0,
        "#/webhooks/pet.created/post/requestBody/content/application~1json/schema"
    );
    assert_eq!(body.name.local, "PostPetCreatedRequest");
    assert_eq!(c.webhooks[1].operations[0].name, "petDeleted");
}

#[test]
fn json_30_refs_nullable_recursion_and_maps() {
    let (c, warnings) = load("store30.json");
    assert_eq!(warnings, 0);
    assert_eq!(c.servers, ["https://store.example/api"]);
    let names: Vec<(&str, &str)> = c
        .endpoints
        .iter()
        .map(|e| (e.id.0.as_str(), e.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("GET /orders", "get_orders"),
            ("POST /orders", "post_orders"),
            ("GET /orders/by-id", "get_orders_by_id"),
            // `{id}` → `by_id` collides with the literal path above: numbered, in sorted order.
            ("GET /orders/{id}", "get_orders_by_id_2"),
        ]
    );
    // $ref'd parameter and response, resolved; the response header too.
    let list = c.endpoint(HttpMethod::Get, "/orders").unwrap();
    assert_eq!(
        serde_json::to_value(&list.params).unwrap(),
        json!([{"name": "page", "location": "query", "required": false, "ty": {"named": "#/components/parameters/Page/schema"},
                "nullable": false, "style": "form", "explode": true}])
    );
    let ok = &list.responses[0];
    assert_eq!(
        (ok.status.as_str(), ok.doc.as_deref()),
        ("200", Some("orders"))
    );
    assert_eq!(ok.headers[0].name, "X-Total");
    let items = c.types.resolve(ok.content[0].ty.as_ref().unwrap()).unwrap();
    assert_eq!(items.name.local, "GetOrdersResponse200");
    let TypeKind::List(l) = &items.kind else {
        panic!()
    };
    assert_eq!(l.item, named("#/components/schemas/Order"));
    assert_eq!(list.responses[1].status, "default");
    // Security: the operation's replaces the document's.
    assert_eq!(
        serde_json::to_value(&list.security).unwrap(),
        json!([{"scheme": "bearer", "scopes": []}])
    );
    let post = c.endpoint(HttpMethod::Post, "/orders").unwrap();
    assert_eq!(
        serde_json::to_value(&post.security).unwrap(),
        json!([{"scheme": "oauth", "scopes": ["orders.read", "orders.write"]}])
    );
    assert_eq!(
        serde_json::to_value(&c.security_schemes).unwrap(),
        json!([{"name": "bearer", "kind": "http", "detail": "bearer", "scopes": []},
               {"name": "oauth", "kind": "oauth2", "detail": "clientCredentials", "scopes": ["orders.read", "orders.write"]}])
    );
    // nullable, allOf [$ref] + nullable, recursion by reference, additionalProperties map.
    assert_eq!(
        field_json(&c, "#/components/schemas/Order", "note")["nullable"],
        json!(true)
    );
    assert_eq!(
        field_json(&c, "#/components/schemas/Order", "parent"),
        json!({"name": "parent", "kind": "property", "ty": {"named": "#/components/schemas/Order"}, "minOccurs": 0, "maxOccurs": 1, "nullable": true})
    );
    // A reference to a nullable component is nullable where it is used.
    assert_eq!(
        field_json(&c, "#/components/schemas/Order", "status")["nullable"],
        json!(true)
    );
    let rec: Vec<String> = c.types.recursive_types().into_iter().map(|t| t.0).collect();
    assert_eq!(
        rec,
        [
            "#/components/schemas/Line",
            "#/components/schemas/Order",
            "#/components/schemas/Order/properties/lines"
        ]
    );
    let TypeKind::Struct(attrs) = &ty(&c, "#/components/schemas/Order/properties/attributes").kind
    else {
        panic!()
    };
    assert!(attrs.fields.is_empty());
    assert_eq!(
        attrs.additional_properties,
        Some(TypeRef::Builtin(Builtin::String))
    );
    // Enum values are kept exactly, spaces included.
    let TypeKind::Enum(e) = &ty(&c, "#/components/schemas/Status").kind else {
        panic!()
    };
    assert_eq!(
        e.values
            .iter()
            .map(|v| v.value.as_str())
            .collect::<Vec<_>>(),
        [" open ", "Closed"]
    );
    assert_eq!(
        field_json(&c, "#/components/schemas/Line", "qty")["default"],
        json!("1")
    );
}

#[test]
fn bom_prefixed_file_loads_and_positions_ignore_the_bom() {
    let (c, _) = load("bom.json");
    assert_eq!(c.title, "BOM");
    assert_eq!(c.openapi, "3.0.1");
    assert_eq!(c.source.rsplit('/').next(), Some("bom.json"));
}

#[test]
fn loading_is_deterministic() {
    let a = serde_json::to_string(&load("constructs31.yaml").0).unwrap();
    let b = serde_json::to_string(&load("constructs31.yaml").0).unwrap();
    assert_eq!(a, b);
}
