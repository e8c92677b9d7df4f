//! What real SOAP services publish and the loader must read: the `xml` prefix used without a
//! declaration, rpc/encoded bindings with SOAP-encoding arrays (modelled as lists, linked by a
//! manifest), and schemas imported from the service's own URLs, read from local copies given by
//! `--import-map` or an XML catalog (never fetched). Fixtures: `tests/fixtures/{encoded,remote}`.

use std::path::{Path, PathBuf};
use std::process::Command;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::link::{self, Overrides, Source, Target};
use altinn_bridge::load::{ImportMap, Limits, wsdl};
use altinn_bridge::model::{
    Builtin, FieldKind, MaxOccurs, PartContent, QName, SoapContract, Style, TypeId, TypeKind,
    TypeRef,
};

const ORDERS: &str = "../tests/fixtures/encoded/OrderService.wsdl";
const LOOKUP: &str = "../tests/fixtures/remote/Lookup.wsdl";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

fn load(path: &str) -> SoapContract {
    let mut sources = SourceMap::new();
    wsdl::load(&mut sources, Path::new(path), &Limits::default())
        .unwrap_or_else(|d| panic!("{path} failed to load:\n{}", sources.render_all(&d)))
        .value
}

fn list_item(c: &SoapContract, id: &str) -> (TypeRef, QName) {
    let def = c
        .types
        .get(&TypeId::from(id))
        .unwrap_or_else(|| panic!("no type {id}"));
    match &def.kind {
        TypeKind::List(l) => (
            l.item.clone(),
            l.item_element
                .as_ref()
                .expect("an XML item")
                .xml_name
                .clone(),
        ),
        other => panic!("{id} is not a list: {other:?}"),
    }
}

#[test]
fn xml_lang_is_read_without_an_xmlns_xml_declaration() {
    let c = load(ORDERS);
    let note = c
        .types
        .get(&TypeId::from("{http://model.orders.example}Note"))
        .expect("Note");
    let TypeKind::Struct(s) = &note.kind else {
        panic!("Note is not a struct")
    };
    let lang = s.fields.iter().find(|f| f.name == "lang").expect("@lang");
    assert_eq!(lang.kind, FieldKind::Attribute);
    assert_eq!(lang.xml_name, Some(QName::new(XML_NS, "lang")));
    assert_eq!(lang.ty, TypeRef::Builtin(Builtin::Language));
}

#[test]
fn soap_encoding_arrays_are_lists_of_their_declared_items() {
    let c = load(ORDERS);
    let model = |l: &str| TypeRef::Named(TypeId(format!("{{http://model.orders.example}}{l}")));
    // `wsdl:arrayType="tns1:Order[]"` on the `soapenc:arrayType` attribute.
    let (item, name) = list_item(&c, "{urn:example:orders}ArrayOf_tns1_Order");
    assert_eq!(item, model("Order"));
    assert_eq!(name, QName::local("item"));
    let (item, _) = list_item(&c, "{http://model.orders.example}ArrayOfOrderLine");
    assert_eq!(item, model("OrderLine"));
    // The other form: a sequence of one repeated element inside the restriction.
    let (item, name) = list_item(&c, "{urn:example:orders}ArrayOf_xsd_string");
    assert_eq!(item, TypeRef::Builtin(Builtin::String));
    assert_eq!(name, QName::local("item"));
    // `xsd:string[][]`: a list of lists.
    let (outer, _) = list_item(&c, "{urn:example:orders}ArrayOfArrayOf_xsd_string");
    let inner = outer.as_named().expect("an anonymous list").0.clone();
    assert_eq!(list_item(&c, &inner).0, TypeRef::Builtin(Builtin::String));
    // soapenc scalars are the XML Schema built-ins they copy; the rpc wrapper holds the parts.
    let op = c.operations.iter().find(|o| o.name == "getOrder").unwrap();
    assert_eq!(op.style, Style::Rpc);
    let part = &op.input.as_ref().unwrap().body[0];
    let PartContent::Element { element, ty, .. } = &part.content else {
        panic!("the rpc wrapper is an element part: {part:?}")
    };
    assert_eq!(element, &QName::new("urn:example:orders", "getOrder"));
    let TypeKind::Struct(wrapper) = &c.types.get(ty.as_named().unwrap()).unwrap().kind else {
        panic!()
    };
    assert_eq!(wrapper.fields.len(), 1);
    assert_eq!(wrapper.fields[0].xml_name, Some(QName::local("orderId")));
    assert_eq!(wrapper.fields[0].ty, TypeRef::Builtin(Builtin::String));
    let TypeKind::Struct(order) = &c
        .types
        .get(&TypeId::from("{http://model.orders.example}Order"))
        .unwrap()
        .kind
    else {
        panic!()
    };
    let lines = order.fields.iter().find(|f| f.name == "lines").unwrap();
    assert_eq!(lines.ty, model("ArrayOfOrderLine"));
    assert_eq!(lines.max_occurs, MaxOccurs::Bounded(1));
}

#[test]
fn an_rpc_encoded_service_links_to_a_rest_api_through_its_arrays() {
    let mut sources = SourceMap::new();
    let (mapping, _) = link::load_mapping(
        &mut sources,
        Path::new("../tests/fixtures/encoded/orders.toml"),
        &Overrides::default(),
        &Limits::default(),
    )
    .unwrap_or_else(|d| panic!("{}", sources.render_all(&d)));
    let create = mapping
        .resolved
        .operations
        .iter()
        .find(|o| o.name == "createOrder")
        .expect("createOrder");
    // Array items of the encoded request reach the JSON array's items.
    let links: Vec<(String, String)> = create
        .inputs
        .iter()
        .filter_map(|l| match (&l.from, &l.to) {
            (Source::Soap { path: from }, Target::Body { path: to, .. }) => {
                Some((from.text.clone(), to.text.clone()))
            }
            _ => None,
        })
        .collect();
    for (from, to) in [
        ("createOrder/lines/item/sku", "lines[].sku"),
        ("createOrder/lines/item/quantity", "lines[].quantity"),
        ("createOrder/tags", "tags[]"),
    ] {
        assert!(
            links.contains(&(from.to_owned(), to.to_owned())),
            "{from} -> {to} missing: {links:?}"
        );
    }
    // The item steps of the encoded arrays repeat.
    let sku = create.inputs.iter().find_map(|l| match &l.from {
        Source::Soap { path } if path.text == "createOrder/lines/item/sku" => Some(path),
        _ => None,
    });
    assert!(sku.unwrap().steps[2].many);
    let linked = mapping
        .resolved
        .operations
        .iter()
        .filter(|o| !o.calls.is_empty())
        .count();
    assert_eq!(linked, 3);
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_altinn-bridge"))
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = bin()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn remote_imports_are_refused_with_the_way_to_supply_a_copy() {
    let (ok, _, err) = run(&["inspect", LOOKUP]);
    assert!(!ok);
    assert!(
        err.contains("remote import `https://lookup.example/Lookup.svc?xsd=xsd0` refused")
            && err.contains("Lookup.wsdl:11:35")
            && err.contains("--import-map URL=PATH"),
        "{err}"
    );
}

#[test]
fn import_map_arguments_supply_local_copies_of_remote_imports() {
    let (ok, out, err) = run(&[
        "inspect",
        LOOKUP,
        "--import-map",
        "https://lookup.example/Lookup.svc?xsd=xsd0=../tests/fixtures/remote/copies/xsd0.xsd",
        "--import-map",
        "https://lookup.example/Lookup.svc?xsd=xsd1=../tests/fixtures/remote/copies/xsd1.xsd",
    ]);
    assert!(ok, "{err}");
    // The chain went through both copies: Hit comes from the second.
    assert!(
        out.contains("hit: Hit [1..*]") && out.contains("title: string"),
        "{out}"
    );
    // Only the first mapped: the second import is refused, named by its URL and position in the
    // first copy (which diagnostics name by the URL it stands for).
    let (ok, _, err) = run(&[
        "inspect",
        LOOKUP,
        "--import-map",
        "https://lookup.example/Lookup.svc?xsd=xsd0=../tests/fixtures/remote/copies/xsd0.xsd",
    ]);
    assert!(!ok);
    assert!(
        err.contains("remote import `https://lookup.example/Lookup.svc?xsd=xsd1` refused")
            && err.contains("https://lookup.example/Lookup.svc?xsd=xsd0:6:30"),
        "{err}"
    );
    let (ok, _, err) = run(&["inspect", LOOKUP, "--import-map", "copies/xsd0.xsd"]);
    assert!(!ok && err.contains("is not URL=PATH"), "{err}");
}

#[test]
fn an_xml_catalog_supplies_local_copies_relative_to_itself() {
    let (ok, out, err) = run(&[
        "inspect",
        LOOKUP,
        "--catalog",
        "../tests/fixtures/remote/catalog.xml",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("hit: Hit [1..*]"), "{out}");

    let dir = std::env::temp_dir().join(format!("altinn-bridge-catalog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("catalog.xml");
    std::fs::write(
        &bad,
        "<catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\">\n  \
         <rewriteSystem systemIdStartString=\"https://lookup.example/\" rewritePrefix=\"copies/\"/>\n</catalog>\n",
    )
    .unwrap();
    let (ok, _, err) = run(&["inspect", LOOKUP, "--catalog", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("catalog entry `rewriteSystem` is not supported")
            && err.contains("catalog.xml:2:3"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_library_reads_remote_imports_registered_by_an_import_map() {
    let mut map = ImportMap::new();
    let copies = PathBuf::from("../tests/fixtures/remote/copies");
    map.insert(
        "https://lookup.example/Lookup.svc?xsd=xsd0",
        copies.join("xsd0.xsd"),
    );
    map.insert(
        "https://lookup.example/Lookup.svc?xsd=xsd1",
        copies.join("xsd1.xsd"),
    );
    let mut sources = SourceMap::new();
    map.register(&mut sources, &Limits::default()).unwrap();
    let c = wsdl::load(&mut sources, Path::new(LOOKUP), &Limits::default())
        .unwrap_or_else(|d| panic!("{}", sources.render_all(&d)))
        .value;
    assert_eq!(
        c.files,
        [
            "../tests/fixtures/remote/Lookup.wsdl",
            "https://lookup.example/Lookup.svc?xsd=xsd0",
            "https://lookup.example/Lookup.svc?xsd=xsd1"
        ]
    );
    assert!(
        c.types
            .get(&TypeId::from("{urn:example:lookup/types}Hit"))
            .is_some()
    );
}
