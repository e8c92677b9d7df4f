//! The WSDL/XSD loader on small hand-written fixtures (`tests/fixtures/wsdl/`) for constructs
//! the Altinn corpus lacks. Each test states the facts it checks.

use std::path::Path;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::load::{Limits, Loaded, wsdl};
use altinn_bridge::model::{
    Builtin, ChoiceGroup, Compositor, Derivation, Field, FieldKind, MaxOccurs, Mep, PartContent,
    QName, SoapContract, SoapVersion, Style, TypeDef, TypeId, TypeKind, TypeRef,
};

const C: &str = "urn:test:constructs";

fn load(path: &str) -> (SourceMap, Loaded<SoapContract>) {
    let mut sources = SourceMap::new();
    let loaded = wsdl::load(&mut sources, Path::new(path), &Limits::default())
        .unwrap_or_else(|d| panic!("{path} failed to load:\n{}", sources.render_all(&d)));
    (sources, loaded)
}

fn constructs() -> SoapContract {
    load("tests/fixtures/wsdl/constructs.xsd").1.value
}

fn ty<'a>(c: &'a SoapContract, id: &str) -> &'a TypeDef {
    c.types
        .get(&TypeId::from(id))
        .unwrap_or_else(|| panic!("no type {id}; have {:?}", c.types.types.keys()))
}

fn fields<'a>(c: &'a SoapContract, id: &str) -> &'a [Field] {
    match &ty(c, id).kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{id} is not a struct: {other:?}"),
    }
}

fn named(id: &str) -> TypeRef {
    TypeRef::Named(TypeId::from(id))
}

fn builtin(b: Builtin) -> TypeRef {
    TypeRef::Builtin(b)
}

/// (name, kind, type, min, max) of every field, to compare in one assertion.
fn shape(fields: &[Field]) -> Vec<(&str, FieldKind, TypeRef, u32, MaxOccurs)> {
    fields
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.kind,
                f.ty.clone(),
                f.min_occurs,
                f.max_occurs,
            )
        })
        .collect()
}

const ONE: MaxOccurs = MaxOccurs::Bounded(1);

#[test]
fn bare_xsd_is_a_contract_without_services() {
    let c = constructs();
    assert_eq!(c.name, "constructs");
    assert_eq!(c.source, "tests/fixtures/wsdl/constructs.xsd");
    assert_eq!(c.files, ["tests/fixtures/wsdl/constructs.xsd"]);
    assert_eq!(c.target_namespace, C);
    assert!(c.services.is_empty() && c.bindings.is_empty() && c.operations.is_empty());
    assert_eq!(c.schemas.len(), 1);
    assert!(c.schemas[0].elements_qualified && c.schemas[0].attributes_qualified);
    let elements: Vec<String> = c.elements.iter().map(|e| e.name.local.clone()).collect();
    assert_eq!(elements, ["Circle", "Emphasis", "Library", "Shape"]);
}

#[test]
fn group_choice_default_fixed_any_and_attribute_group_flatten_into_document() {
    let c = constructs();
    let f = fields(&c, "{urn:test:constructs}Document");
    assert_eq!(
        shape(f),
        vec![
            (
                "Title",
                FieldKind::Element,
                builtin(Builtin::String),
                1,
                ONE
            ),
            (
                "CreatedBy",
                FieldKind::Element,
                builtin(Builtin::String),
                1,
                ONE
            ),
            (
                "CreatedAt",
                FieldKind::Element,
                builtin(Builtin::DateTime),
                0,
                ONE
            ),
            ("Text", FieldKind::Element, builtin(Builtin::String), 1, ONE),
            (
                "Binary",
                FieldKind::Element,
                builtin(Builtin::Base64Binary),
                1,
                ONE
            ),
            ("Kind", FieldKind::Element, builtin(Builtin::String), 0, ONE),
            ("Id", FieldKind::Element, builtin(Builtin::Guid), 1, ONE),
            (
                "version",
                FieldKind::Attribute,
                builtin(Builtin::Int),
                1,
                ONE
            ),
            (
                "lang",
                FieldKind::Attribute,
                builtin(Builtin::Language),
                0,
                ONE
            ),
            (
                "secret",
                FieldKind::Attribute,
                builtin(Builtin::Boolean),
                0,
                ONE
            ),
        ]
    );
    assert_eq!(f[0].default.as_deref(), Some("Untitled"));
    assert_eq!(f[5].fixed.as_deref(), Some("letter"));
    assert!(f[6].nullable, "Id is nillable");
    assert_eq!(
        (f[3].choice, f[4].choice, f[2].choice),
        (Some(0), Some(0), None)
    );
    assert_eq!(f[8].default.as_deref(), Some("nb"));
    let TypeKind::Struct(s) = &ty(&c, "{urn:test:constructs}Document").kind else {
        unreachable!()
    };
    assert_eq!(
        s.choices,
        [ChoiceGroup {
            min_occurs: 0,
            max_occurs: ONE
        }]
    );
    assert!(s.any_element && s.any_attribute);
    assert_eq!(s.compositor, Compositor::Sequence);
}

#[test]
fn element_and_attribute_form_defaults_and_form_override_set_xml_names() {
    let c = constructs();
    let f = fields(&c, "{urn:test:constructs}Document");
    let xml = |name: &str| {
        f.iter()
            .find(|x| x.name == name)
            .and_then(|x| x.xml_name.clone())
    };
    assert_eq!(
        xml("Title"),
        Some(QName::new(C, "Title")),
        "elementFormDefault=qualified"
    );
    assert_eq!(
        xml("version"),
        Some(QName::new(C, "version")),
        "attributeFormDefault=qualified"
    );
    assert_eq!(
        xml("lang"),
        Some(QName::local("lang")),
        "form=unqualified wins"
    );
}

#[test]
fn all_compositor_is_recorded() {
    let c = constructs();
    let TypeKind::Struct(s) = &ty(&c, "{urn:test:constructs}Unordered").kind else {
        panic!()
    };
    assert_eq!(s.compositor, Compositor::All);
    assert_eq!(
        shape(&s.fields)[1],
        ("B", FieldKind::Element, builtin(Builtin::Int), 0, ONE)
    );
}

#[test]
fn simple_content_is_a_text_value_plus_attributes() {
    let c = constructs();
    assert_eq!(
        shape(fields(&c, "{urn:test:constructs}Amount")),
        vec![
            ("value", FieldKind::Text, builtin(Builtin::Decimal), 1, ONE),
            (
                "currency",
                FieldKind::Attribute,
                named("{urn:test:constructs}Currency"),
                1,
                ONE
            ),
        ]
    );
}

#[test]
fn enumeration_values_are_trimmed_with_numeric_appinfo_and_docs() {
    let c = constructs();
    let TypeKind::Enum(e) = &ty(&c, "{urn:test:constructs}Currency").kind else {
        panic!()
    };
    let values: Vec<(&str, Option<i64>, Option<&str>)> = e
        .values
        .iter()
        .map(|v| (v.value.as_str(), v.numeric, v.doc.as_deref()))
        .collect();
    assert_eq!(
        values,
        [("NOK", None, None), ("EUR", Some(2), Some("Euro"))]
    );
    assert!(!e.flags);
}

#[test]
fn union_list_flags_and_facets() {
    let c = constructs();
    let TypeKind::Union(u) = &ty(&c, "{urn:test:constructs}SizeOrAuto").kind else {
        panic!()
    };
    assert_eq!(
        u.members,
        [
            builtin(Builtin::Int),
            named("{urn:test:constructs}SizeOrAuto#/#member1")
        ]
    );
    let member = ty(&c, "{urn:test:constructs}SizeOrAuto#/#member1");
    assert!(member.anonymous);
    assert_eq!(member.name, QName::new(C, "SizeOrAutoMember1"));

    let TypeKind::List(l) = &ty(&c, "{urn:test:constructs}Numbers").kind else {
        panic!()
    };
    assert_eq!(
        (l.item.clone(), l.item_element.clone(), l.max_items),
        (builtin(Builtin::Int), None, MaxOccurs::Unbounded)
    );

    let TypeKind::Enum(flags) = &ty(&c, "{urn:test:constructs}Rights").kind else {
        panic!()
    };
    assert!(
        flags.flags,
        "a list of an anonymous enumeration is a flags enum"
    );
    assert_eq!(
        flags
            .values
            .iter()
            .map(|v| v.value.as_str())
            .collect::<Vec<_>>(),
        ["Read", "Write"]
    );

    let TypeKind::Scalar(s) = &ty(&c, "{urn:test:constructs}Code").kind else {
        panic!()
    };
    assert_eq!(
        (s.facets.min_length, s.facets.max_length),
        (Some(2), Some(8))
    );
    assert_eq!(s.facets.patterns, ["[A-Z]+"]);
}

#[test]
fn recursive_type_references_itself_through_an_anonymous_child() {
    let c = constructs();
    assert_eq!(
        shape(fields(&c, "{urn:test:constructs}Node"))[1],
        (
            "Children",
            FieldKind::Element,
            named("{urn:test:constructs}Node#/Children"),
            0,
            ONE
        )
    );
    let children = ty(&c, "{urn:test:constructs}Node#/Children");
    assert_eq!(children.name, QName::new(C, "NodeChildren"));
    assert_eq!(
        shape(fields(&c, "{urn:test:constructs}Node#/Children")),
        vec![(
            "Child",
            FieldKind::Element,
            named("{urn:test:constructs}Node"),
            1,
            MaxOccurs::Unbounded
        )]
    );
    let rec: Vec<String> = c.types.recursive_types().into_iter().map(|t| t.0).collect();
    assert_eq!(
        rec,
        [
            "{urn:test:constructs}Node",
            "{urn:test:constructs}Node#/Children"
        ]
    );
}

#[test]
fn single_repeated_child_is_a_list_with_item_element() {
    let c = constructs();
    let TypeKind::List(l) = &ty(&c, "{urn:test:constructs}NodeList").kind else {
        panic!()
    };
    assert_eq!(l.item, named("{urn:test:constructs}Node"));
    let item = l.item_element.as_ref().expect("item element");
    assert_eq!(
        (item.xml_name.clone(), item.nullable),
        (QName::new(C, "Node"), true)
    );
    assert_eq!((l.min_items, l.max_items), (0, MaxOccurs::Unbounded));
}

#[test]
fn extension_abstract_substitution_group_mixed_and_element_ref() {
    let c = constructs();
    let TypeKind::Struct(circle) = &ty(&c, "{urn:test:constructs}Circle").kind else {
        panic!()
    };
    assert_eq!(
        (circle.bases.clone(), circle.derivation),
        (
            vec![named("{urn:test:constructs}Shape")],
            Some(Derivation::Extension)
        )
    );
    let all: Vec<&str> = c
        .types
        .all_fields(&"{urn:test:constructs}Circle".into())
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(all, ["Name", "Radius"]);
    let TypeKind::Struct(shape_ty) = &ty(&c, "{urn:test:constructs}Shape").kind else {
        panic!()
    };
    assert!(shape_ty.is_abstract);
    let circle_el = c.element(&QName::new(C, "Circle")).expect("Circle element");
    assert_eq!(circle_el.substitution_group, Some(QName::new(C, "Shape")));
    assert!(
        c.element(&QName::new(C, "Shape"))
            .is_some_and(|e| e.is_abstract)
    );
    let TypeKind::Struct(note) = &ty(&c, "{urn:test:constructs}Note").kind else {
        panic!()
    };
    assert!(note.mixed);
    assert_eq!(
        note.fields[0].xml_name,
        Some(QName::new(C, "Emphasis")),
        "a ref is always qualified"
    );
    assert_eq!(
        (note.fields[0].min_occurs, note.fields[0].max_occurs),
        (0, MaxOccurs::Unbounded)
    );
}

#[test]
fn identity_constraint_is_warned_about_with_its_position() {
    let mut sources = SourceMap::new();
    let loaded = wsdl::load(
        &mut sources,
        Path::new("tests/fixtures/wsdl/constructs.xsd"),
        &Limits::default(),
    )
    .unwrap();
    let w: Vec<_> = loaded.warnings.warnings().collect();
    assert_eq!(w.len(), 1, "{}", sources.render_all(&loaded.warnings));
    assert_eq!(
        w[0].message,
        "unsupported identity constraint `xs:key` ignored"
    );
    let loc = sources.location(w[0].primary.as_ref().unwrap().span);
    assert_eq!(loc.to_string(), "tests/fixtures/wsdl/constructs.xsd:133:5");
}

#[test]
fn rpc_style_type_parts_one_way_and_both_soap_versions() {
    let (sources, loaded) = load("tests/fixtures/wsdl/rpc.wsdl");
    let c = &loaded.value;
    assert_eq!(
        (c.name.as_str(), c.doc.as_deref()),
        ("Calculator", Some("Adds numbers."))
    );
    let ports: Vec<(&str, SoapVersion, Option<&str>)> = c.services[0]
        .ports
        .iter()
        .map(|p| (p.name.as_str(), p.soap_version, p.address.as_deref()))
        .collect();
    assert_eq!(
        ports,
        [
            (
                "Soap",
                SoapVersion::Soap11,
                Some("https://calc.example/soap")
            ),
            (
                "Soap12",
                SoapVersion::Soap12,
                Some("https://calc.example/soap12")
            )
        ]
    );
    let ids: Vec<&str> = c.operations.iter().map(|o| o.id.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "{urn:test:rpc}CalculatorSoap/Add",
            "{urn:test:rpc}CalculatorSoap/Log",
            "{urn:test:rpc}CalculatorSoap12/Add"
        ]
    );

    let add = &c.operations[0];
    assert_eq!(
        (add.style, add.mep, add.soap_action.as_deref()),
        (Style::Rpc, Mep::RequestResponse, Some("urn:test:rpc#Add"))
    );
    assert_eq!(add.doc.as_deref(), Some("Returns a + b, scaled."));
    let input = add.input.as_ref().unwrap();
    assert_eq!(input.rpc_namespace.as_deref(), Some("urn:test:rpc:wire"));
    // The body is the rpc wrapper named after the operation, in the binding's namespace, with
    // one unqualified child per part.
    let [part] = input.body.as_slice() else {
        panic!("one wrapper part: {:?}", input.body)
    };
    let PartContent::Element { element, ty, .. } = &part.content else {
        panic!("the wrapper is an element part: {part:?}")
    };
    assert_eq!(element, &QName::new("urn:test:rpc:wire", "Add"));
    let wrapper: Vec<(&str, Option<QName>, TypeRef)> = fields(c, &ty.as_named().unwrap().0)
        .iter()
        .map(|f| (f.name.as_str(), f.xml_name.clone(), f.ty.clone()))
        .collect();
    assert_eq!(
        wrapper,
        [
            (
                "pair",
                Some(QName::local("pair")),
                named("{urn:test:rpc}Pair")
            ),
            (
                "scale",
                Some(QName::local("scale")),
                builtin(Builtin::Double)
            ),
        ]
    );
    let answer = &add.output.as_ref().unwrap().body[0];
    assert!(
        matches!(&answer.content, PartContent::Element { element, .. } if element == &QName::new("urn:test:rpc:wire", "AddResponse")),
        "{answer:?}"
    );
    let pair = fields(c, "{urn:test:rpc}Pair");
    assert_eq!(
        pair[0].xml_name,
        Some(QName::local("a")),
        "no elementFormDefault: local elements are unqualified"
    );

    let log = &c.operations[1];
    assert_eq!(
        (log.mep, log.style, log.output.is_none()),
        (Mep::OneWay, Style::Document, true)
    );
    assert_eq!(
        log.input.as_ref().unwrap().rpc_namespace,
        None,
        "document style has no wrapper namespace"
    );

    let add12 = &c.operations[2];
    assert_eq!(add12.soap_version, SoapVersion::Soap12);
    let PartContent::Element { ty, .. } = &add12.input.as_ref().unwrap().body[0].content else {
        panic!("the rpc wrapper is an element part")
    };
    let names: Vec<&str> = fields(c, &ty.as_named().unwrap().0)
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["pair"], "soap:body parts= selects the body parts");

    let warnings: Vec<_> = loaded.warnings.warnings().collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        warnings[0].message,
        "`use=\"encoded\"` (SOAP encoding) is read as literal XML"
    );
    assert_eq!(
        sources
            .location(warnings[0].primary.as_ref().unwrap().span)
            .to_string(),
        "tests/fixtures/wsdl/rpc.wsdl:49:30"
    );
}

#[test]
fn cyclic_imports_include_and_sibling_schemas_resolve_and_each_file_is_read_once() {
    let (sources, loaded) = load("tests/fixtures/wsdl/cycle/main.wsdl");
    let c = &loaded.value;
    assert_eq!(
        c.files,
        [
            "tests/fixtures/wsdl/cycle/main.wsdl",
            "tests/fixtures/wsdl/cycle/a.xsd",
            "tests/fixtures/wsdl/cycle/b.xsd",
            "tests/fixtures/wsdl/cycle/part.xsd"
        ]
    );
    assert_eq!(sources.files().count(), 4, "each file read once");
    assert!(
        loaded.warnings.is_empty(),
        "{}",
        sources.render_all(&loaded.warnings)
    );
    assert_eq!(
        shape(fields(c, "{urn:test:a}A")),
        vec![
            ("ToB", FieldKind::Element, named("{urn:test:b}B"), 0, ONE),
            (
                "Part",
                FieldKind::Element,
                named("{urn:test:a}Part"),
                1,
                ONE
            ),
        ]
    );
    assert_eq!(
        shape(fields(c, "{urn:test:b}B"))[0].2,
        named("{urn:test:a}A")
    );
    // The chameleon include takes a.xsd's namespace, also for its unprefixed references.
    assert_eq!(
        shape(fields(c, "{urn:test:a}Part"))[0].2,
        named("{urn:test:a}Code")
    );
    assert_eq!(
        fields(c, "{urn:test:a}Part")[0].xml_name,
        Some(QName::new("urn:test:a", "Code"))
    );
    // A sibling inline schema reaches b.xsd by namespace only.
    assert_eq!(
        shape(fields(c, "{urn:test:cycle/sibling}Wrapper#"))[0].2,
        named("{urn:test:b}B")
    );
    let go = c.operation("Go").unwrap();
    let PartContent::Element { element, ty, .. } = &go.input.as_ref().unwrap().body[0].content
    else {
        panic!()
    };
    assert_eq!(
        (element.clone(), ty.clone()),
        (QName::new("urn:test:a", "A"), named("{urn:test:a}A"))
    );
    let schemas: Vec<(&str, &str)> = c
        .schemas
        .iter()
        .map(|s| (s.target_namespace.as_str(), s.file.as_str()))
        .collect();
    assert_eq!(
        schemas,
        [
            ("urn:test:a", "tests/fixtures/wsdl/cycle/a.xsd"),
            ("urn:test:a", "tests/fixtures/wsdl/cycle/part.xsd"),
            ("urn:test:b", "tests/fixtures/wsdl/cycle/b.xsd"),
            (
                "urn:test:cycle/imports",
                "tests/fixtures/wsdl/cycle/main.wsdl"
            ),
            (
                "urn:test:cycle/sibling",
                "tests/fixtures/wsdl/cycle/main.wsdl"
            ),
        ]
    );
}

#[test]
fn loading_twice_gives_the_same_model() {
    let a = serde_json::to_string(&load("tests/fixtures/wsdl/cycle/main.wsdl").1.value).unwrap();
    let b = serde_json::to_string(&load("tests/fixtures/wsdl/cycle/main.wsdl").1.value).unwrap();
    assert_eq!(a, b);
}
