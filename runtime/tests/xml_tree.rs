//! The XML runtime on real quick-xml input: prefixes, nil, entities, hostile documents.

use altinn_bridge_runtime::xml::{self, Limits, Nillable, XmlError, XmlWriter, read, write};

#[test]
fn elements_match_by_namespace_whatever_the_prefix() {
    let a = xml::parse(r#"<ns0:R xmlns:ns0="urn:a"><ns0:X>1</ns0:X></ns0:R>"#).unwrap();
    let b = xml::parse(r#"<R xmlns="urn:a"><X>1</X></R>"#).unwrap();
    assert_eq!(a, b);
    assert_eq!(read::required::<i32>(&a, "urn:a", "X"), Ok(1));
    assert!(matches!(
        read::required::<i32>(&a, "", "X"),
        Err(XmlError::Missing { .. })
    ));
}

#[test]
fn nil_absent_and_present_stay_apart() {
    let doc = r#"<R xmlns="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        <N xsi:nil="true"/><V>x &amp; y&#33;</V></R>"#;
    let root = xml::parse(doc).unwrap();
    let n: Option<Nillable<String>> = read::optional_nillable(&root, "urn:a", "N").unwrap();
    let v: Option<Nillable<String>> = read::optional_nillable(&root, "urn:a", "V").unwrap();
    let m: Option<Nillable<String>> = read::optional_nillable(&root, "urn:a", "M").unwrap();
    assert_eq!(n, Some(Nillable::Nil));
    assert_eq!(v, Some(Nillable::Value("x & y!".into())));
    assert_eq!(m, None);
    assert!(matches!(
        read::optional::<String>(&root, "urn:a", "N"),
        Err(XmlError::NotNillable(_))
    ));
}

#[test]
fn writer_output_parses_back_to_the_same_tree() {
    let mut w = XmlWriter::new();
    w.start("urn:a", "R");
    w.attribute("", "id", "1 \"q\"").unwrap();
    write::nillable::<String>(&mut w, "urn:a", "N", Nillable::Nil).unwrap();
    write::required(&mut w, "", "Unqualified", &"<&>\r\n".to_owned()).unwrap();
    w.end().unwrap();
    let text = w.finish().unwrap();
    let root = xml::parse(&text).unwrap();
    assert_eq!(root.attribute("", "id"), Some("1 \"q\""));
    assert_eq!(
        read::required::<String>(&root, "", "Unqualified"),
        Ok("<&>\r\n".into())
    );
    assert!(root.children_named("urn:a", "N").all(|n| n.is_nil()));
}

#[test]
fn hostile_documents_fail_cleanly() {
    let dtd = r#"<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>"#;
    assert!(matches!(xml::parse(dtd), Err(XmlError::Syntax(_))));
    let deep = "<a>".repeat(10) + &"</a>".repeat(10);
    let limits = Limits {
        max_depth: 5,
        ..Limits::default()
    };
    assert!(xml::parse_with(&deep, limits).is_err());
    for bad in ["", "<a>", "<a></b>", "<p:a/>", "<a/><b/>", "text"] {
        assert!(xml::parse(bad).is_err(), "{bad:?}");
    }
}
