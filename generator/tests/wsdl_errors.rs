//! Diagnostics of the WSDL/XSD loader: message text and exact file:line:column. Inputs are
//! in-memory files (`SourceMap::register_virtual`), hostile ones generated here.

use std::path::Path;
use std::time::{Duration, Instant};

use altinn_bridge::diag::{Diagnostic, Diagnostics, SourceMap};
use altinn_bridge::load::{Limits, wsdl};

/// Loads `files` (name, text; the first is the root) and returns the diagnostics of a failed load.
fn fail(files: &[(&str, &str)]) -> (SourceMap, Diagnostics) {
    let mut sources = SourceMap::new();
    for (name, text) in files {
        sources.register_virtual(*name, *text);
    }
    match wsdl::load(&mut sources, Path::new(files[0].0), &Limits::default()) {
        Ok(_) => panic!("{} loaded, but should have failed", files[0].0),
        Err(d) => (sources, d),
    }
}

/// `message @ file:line:column` of every error, in order.
fn errors(sources: &SourceMap, d: &Diagnostics) -> Vec<String> {
    d.errors().map(|e| describe(sources, e)).collect()
}

fn describe(sources: &SourceMap, e: &Diagnostic) -> String {
    match &e.primary {
        Some(l) => format!("{} @ {}", e.message, sources.location(l.span)),
        None => e.message.clone(),
    }
}

const XSD_HEAD: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns:t="urn:t">"#;

#[test]
fn malformed_xml_points_at_the_mismatched_tag() {
    let text =
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\">\n  <types>\n</definitions>\n";
    let (sources, d) = fail(&[("virt/bad.wsdl", text)]);
    let e = errors(&sources, &d);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("malformed XML: expected 'types' tag, not 'definitions'"),
        "{e:?}"
    );
    assert!(e[0].ends_with("@ virt/bad.wsdl:3:1"), "{e:?}");
    assert!(
        d.0[0]
            .notes
            .iter()
            .any(|n| n.starts_with("expected well-formed XML"))
    );
}

#[test]
fn unknown_prefix_in_a_type_attribute() {
    let text = format!("{XSD_HEAD}\n  <xs:element name=\"E\" type=\"q9:Foo\"/>\n</xs:schema>\n");
    let (sources, d) = fail(&[("virt/prefix.xsd", &text)]);
    assert_eq!(
        errors(&sources, &d),
        ["unknown namespace prefix `q9` in `q9:Foo` @ virt/prefix.xsd:2:30"]
    );
    assert_eq!(
        d.0[0].notes,
        ["expected an `xmlns:q9` declaration on this element or an ancestor"]
    );
}

#[test]
fn missing_import_file_points_at_the_schema_location() {
    let text = format!(
        "{XSD_HEAD}\n  <xs:import namespace=\"urn:x\"\n     schemaLocation=\"missing.xsd\"/>\n</xs:schema>\n"
    );
    let (sources, d) = fail(&[("virt/imports.xsd", &text)]);
    let e = errors(&sources, &d);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("cannot read `virt/missing.xsd`: "),
        "{e:?}"
    );
    assert!(e[0].ends_with("@ virt/imports.xsd:3:22"), "{e:?}");
}

#[test]
fn remote_import_is_refused_without_network() {
    let text = "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\">\n  <import namespace=\"urn:x\" location=\"https://example.invalid/x.wsdl\"/>\n</definitions>\n";
    let (sources, d) = fail(&[("virt/remote.wsdl", text)]);
    assert_eq!(
        errors(&sources, &d),
        ["remote import `https://example.invalid/x.wsdl` refused @ virt/remote.wsdl:2:39"]
    );
}

/// Every kind of undefined reference, all reported in one run.
const UNDEFINED: &str = r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="urn:t" targetNamespace="urn:t"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <types>
    <xs:schema targetNamespace="urn:t" xmlns:t="urn:t">
      <xs:complexType name="C">
        <xs:sequence>
          <xs:element name="a" type="t:NoType"/>
          <xs:element ref="t:NoElement"/>
          <xs:group ref="t:NoGroup"/>
        </xs:sequence>
        <xs:attributeGroup ref="t:NoAttrs"/>
      </xs:complexType>
      <xs:element name="Ok" type="t:C"/>
    </xs:schema>
  </types>
  <message name="M"><part name="p" element="tns:Missing"/></message>
  <portType name="P">
    <operation name="Op"><input message="tns:NoMessage"/></operation>
  </portType>
  <binding name="B" type="tns:NoPortType">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
  </binding>
  <service name="S">
    <port name="X" binding="tns:NoBinding"><soap:address location="http://x"/></port>
  </service>
</definitions>
"#;

#[test]
fn undefined_references_are_all_reported_with_positions() {
    let (sources, d) = fail(&[("virt/undefined.wsdl", UNDEFINED)]);
    assert_eq!(
        errors(&sources, &d),
        [
            "undefined type `{urn:t}NoType` @ virt/undefined.wsdl:7:38",
            "undefined element `{urn:t}NoElement` @ virt/undefined.wsdl:8:28",
            "undefined group `{urn:t}NoGroup` @ virt/undefined.wsdl:9:26",
            "undefined attributeGroup `{urn:t}NoAttrs` @ virt/undefined.wsdl:11:33",
            "undefined element `{urn:t}Missing` @ virt/undefined.wsdl:16:45",
            "undefined message `{urn:t}NoMessage` @ virt/undefined.wsdl:18:42",
            "undefined portType `{urn:t}NoPortType` @ virt/undefined.wsdl:20:27",
            "undefined binding `{urn:t}NoBinding` @ virt/undefined.wsdl:24:29",
        ]
    );
    let note = &d.errors().next().unwrap().notes[0];
    assert_eq!(
        note,
        "expected a type declared in namespace `urn:t` of one of the schemas read"
    );
}

#[test]
fn dtd_and_entity_declarations_are_refused() {
    let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY e \"x\">]>\n<d>&e;</d>\n";
    let (sources, d) = fail(&[("virt/dtd.wsdl", text)]);
    assert_eq!(
        errors(&sources, &d),
        ["DTDs are not allowed in contracts @ virt/dtd.wsdl:2:1"]
    );
}

#[test]
fn billion_laughs_is_refused_quickly() {
    let mut text =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        text.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    text.push_str("]>\n<lolz>&lol9;</lolz>\n");
    let start = Instant::now();
    let (sources, d) = fail(&[("virt/lol.wsdl", &text)]);
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(
        errors(&sources, &d),
        ["DTDs are not allowed in contracts @ virt/lol.wsdl:2:1"]
    );
}

#[test]
fn deep_nesting_is_refused_quickly() {
    let depth = 100_000;
    let text = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let start = Instant::now();
    let (sources, d) = fail(&[("virt/deep.xsd", &text)]);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
    let e = errors(&sources, &d);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("XML nested deeper than 256 elements @ virt/deep.xsd:1:"),
        "{e:?}"
    );
}

#[test]
fn non_utf8_file_is_refused_at_the_bad_byte() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wsdl_errors");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("latin1.xsd");
    let mut bytes = format!("{XSD_HEAD}\n  <!-- Bl").into_bytes();
    bytes.push(0xE5); // 'å' in Latin-1
    bytes.extend_from_slice(b"b\xe6r -->\n</xs:schema>\n");
    std::fs::write(&path, bytes).unwrap();
    let mut sources = SourceMap::new();
    let d = wsdl::load(&mut sources, &path, &Limits::default()).expect_err("not UTF-8");
    let e = errors(&sources, &d);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("latin1.xsd` is not valid UTF-8 @ "), "{e:?}");
    assert!(e[0].ends_with("latin1.xsd:2:10"), "{e:?}");
}

#[test]
fn a_root_that_is_neither_wsdl_nor_xsd_is_an_error() {
    let (sources, d) = fail(&[("virt/pom.xml", "<project>\n</project>\n")]);
    assert_eq!(
        errors(&sources, &d),
        ["`virt/pom.xml` is neither a WSDL nor an XML Schema @ virt/pom.xml:1:1"]
    );
}

#[test]
fn errors_of_several_files_are_collected_in_one_run() {
    let root = format!(
        "{XSD_HEAD}\n  <xs:import namespace=\"urn:a\" schemaLocation=\"a.xsd\"/>\n  <xs:element name=\"E\" type=\"t:Nope\"/>\n</xs:schema>\n"
    );
    let a = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:a\">\n  <xs:element name=\"A\" type=\"zz:T\"/>\n</xs:schema>\n";
    let (sources, d) = fail(&[("virt/multi/root.xsd", &root), ("virt/multi/a.xsd", a)]);
    assert_eq!(
        errors(&sources, &d),
        [
            "unknown namespace prefix `zz` in `zz:T` @ virt/multi/a.xsd:2:30",
            "undefined type `{urn:t}Nope` @ virt/multi/root.xsd:3:30",
        ]
    );
}

#[test]
fn unsupported_constructs_are_warned_about_not_dropped() {
    let text = format!(
        "{XSD_HEAD}\n  <xs:redefine schemaLocation=\"x.xsd\"/>\n  <xs:notation name=\"n\" public=\"p\"/>\n</xs:schema>\n"
    );
    let mut sources = SourceMap::new();
    sources.register_virtual("virt/unsupported.xsd", text);
    let loaded = wsdl::load(
        &mut sources,
        Path::new("virt/unsupported.xsd"),
        &Limits::default(),
    )
    .unwrap();
    let w: Vec<String> = loaded
        .warnings
        .warnings()
        .map(|w| describe(&sources, w))
        .collect();
    assert_eq!(
        w,
        [
            "unsupported XML Schema construct `xs:redefine` ignored @ virt/unsupported.xsd:2:3",
            "unsupported XML Schema construct `xs:notation` ignored @ virt/unsupported.xsd:3:3",
        ]
    );
}

#[test]
fn deeply_nested_anonymous_types_within_the_depth_limit_load_without_overflow() {
    // Three XML levels per step: element / complexType / sequence; 80 steps stay under 256.
    let steps = 80;
    let mut text = format!("{XSD_HEAD}\n");
    for _ in 0..steps {
        text.push_str("<xs:element name=\"e\"><xs:complexType><xs:sequence>");
    }
    for _ in 0..steps {
        text.push_str("</xs:sequence></xs:complexType></xs:element>");
    }
    text.push_str("\n</xs:schema>\n");
    let mut sources = SourceMap::new();
    sources.register_virtual("virt/nested.xsd", text);
    let loaded = wsdl::load(
        &mut sources,
        Path::new("virt/nested.xsd"),
        &Limits::default(),
    )
    .unwrap_or_else(|d| panic!("{}", sources.render_all(&d)));
    let types = &loaded.value.types;
    assert_eq!(types.len(), steps);
    let deepest = format!("{{urn:t}}e#{}", "/e".repeat(steps - 1));
    assert!(
        types.get(&deepest.as_str().into()).is_some(),
        "{:?}",
        types.types.keys().last()
    );
}
