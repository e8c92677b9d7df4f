//! SOAP envelopes and faults: real client shapes, round trips, both versions, hostile input.

use altinn_bridge_runtime::Error;
use altinn_bridge_runtime::soap::{
    ALTINN_FAULT_NS, AltinnFault, Envelope, Fault, FaultCode, FaultDetail, HeaderBlock, Limits,
    QName, RawElement, SoapVersion,
};

const ALTINN_NS: &str = "http://www.altinn.no/services/2009/10";
const SERVICES_NS: &str = "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10";

/// zeep 4.3.3: `soap-env:` prefix, `ns0:` on the root, each foreign child declares its own `nsN`,
/// WS-Addressing headers without mustUnderstand.
const ZEEP: &str = r#"<?xml version='1.0' encoding='utf-8'?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Action>http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10/ICorrespondenceAgencyExternalBasic/InsertCorrespondenceBasicV2</wsa:Action><wsa:MessageID>urn:uuid:1c1b1e4f-0c7a-4d0c-9f0e-0a7c2d0b7a11</wsa:MessageID><wsa:To>http://127.0.0.1:8940/</wsa:To></soap-env:Header><soap-env:Body><ns0:InsertCorrespondenceBasicV2 xmlns:ns0="http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10"><ns0:SystemUserCode>sys</ns0:SystemUserCode><ns0:Correspondence><ns1:ServiceCode xmlns:ns1="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10">4711</ns1:ServiceCode></ns0:Correspondence></ns0:InsertCorrespondenceBasicV2></soap-env:Body></soap-env:Envelope>"#;

/// node-soap 1.13.0: `soap:` prefix, xsi and every WSDL prefix on the Envelope, the root element
/// in a default namespace, foreign children through the Envelope's `q13:`, a hand-added header.
const NODE_SOAP: &str = r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:tns="http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10" xmlns:q13="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10" xmlns:q1="http://www.altinn.no/services/2009/10"><soap:Header><FileName xmlns="http://www.altinn.no/services/ServiceEngine/Broker/2015/06" soap:mustUnderstand="1">a.zip</FileName></soap:Header><soap:Body><InsertCorrespondenceBasicV2 xmlns="http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10"><SystemUserCode>sys</SystemUserCode><Correspondence><q13:ServiceCode>4711</q13:ServiceCode><q13:Kind xsi:type="q13:Kind">x</q13:Kind></Correspondence></InsertCorrespondenceBasicV2></soap:Body></soap:Envelope>"#;

#[test]
fn parses_a_zeep_envelope_with_wsa_headers() {
    let env = Envelope::parse(ZEEP.as_bytes()).expect("zeep envelope");
    assert_eq!(env.version, SoapVersion::V11);
    assert_eq!(
        env.body.name,
        QName::new(SERVICES_NS, "InsertCorrespondenceBasicV2")
    );
    let names: Vec<&str> = env
        .headers
        .iter()
        .map(|h| h.element.name.local.as_str())
        .collect();
    assert_eq!(names, ["Action", "MessageID", "To"]);
    assert!(env.headers.iter().all(|h| !h.must_understand));
    // The wsa prefix was declared on Header: the cut block declares it again.
    assert!(
        env.headers[0]
            .element
            .xml
            .starts_with(r#"<wsa:Action xmlns:wsa="http://www.w3.org/2005/08/addressing">"#)
    );
    // The body declares everything it uses already, so it is cut verbatim.
    assert!(ZEEP.contains(&env.body.xml));
}

#[test]
fn parses_a_node_soap_envelope_with_prefixes_on_the_envelope() {
    let env = Envelope::parse(NODE_SOAP.as_bytes()).expect("node-soap envelope");
    assert_eq!(
        env.body.name,
        QName::new(SERVICES_NS, "InsertCorrespondenceBasicV2")
    );
    assert_eq!(env.headers.len(), 1);
    assert!(env.headers[0].must_understand);
    let body = &env.body.xml;
    // q13 and xsi are used inside and declared again; unused tns/q1 are not.
    assert!(
        body.contains(
            r#"xmlns:q13="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10""#
        ),
        "{body}"
    );
    assert!(
        body.contains(r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#),
        "{body}"
    );
    assert!(
        !body.contains("xmlns:tns") && !body.contains("xmlns:q1="),
        "{body}"
    );
    // The cut body stands alone: its own root resolves.
    assert_eq!(
        RawElement::from_xml(body.clone())
            .expect("self-contained")
            .name,
        env.body.name
    );
    // The header needs the soap prefix for its mustUnderstand attribute.
    assert!(
        env.headers[0]
            .element
            .xml
            .contains(r#"xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/""#)
    );
}

#[test]
fn round_trips_are_stable() {
    for src in [ZEEP, NODE_SOAP] {
        let first = Envelope::parse(src.as_bytes()).expect("parse");
        let written = first.to_xml();
        let second = Envelope::parse(written.as_bytes()).expect("parse written");
        assert_eq!(first, second, "{written}");
        assert_eq!(written, second.to_xml());
    }
}

#[test]
fn detects_soap_12_and_its_must_understand_values() {
    let src = r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Header><h:A xmlns:h="urn:h" e:mustUnderstand="true"/><h:B xmlns:h="urn:h" e:mustUnderstand="false"/></e:Header><e:Body><Test xmlns="http://www.altinn.no/services/2009/10"/></e:Body></e:Envelope>"#;
    let env = Envelope::parse(src.as_bytes()).expect("1.2");
    assert_eq!(env.version, SoapVersion::V12);
    assert_eq!(
        env.headers
            .iter()
            .map(|h| h.must_understand)
            .collect::<Vec<_>>(),
        [true, false]
    );
    assert_eq!(env.body.name, QName::new(ALTINN_NS, "Test"));
    assert!(
        SoapVersion::V12
            .content_type("urn:a")
            .contains("action=\"urn:a\"")
    );
}

#[test]
fn writes_an_envelope_with_headers() {
    let body = RawElement::from_xml(r#"<Test xmlns="http://www.altinn.no/services/2009/10"/>"#)
        .expect("body");
    let header = HeaderBlock {
        element: RawElement::from_xml(r#"<h:A xmlns:h="urn:h">1</h:A>"#).expect("h"),
        must_understand: false,
    };
    let env = Envelope {
        version: SoapVersion::V11,
        headers: vec![header],
        body,
    };
    let xml = env.to_xml();
    assert_eq!(
        xml,
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:A xmlns:h="urn:h">1</h:A></s:Header><s:Body><Test xmlns="http://www.altinn.no/services/2009/10"/></s:Body></s:Envelope>"#
    );
    assert_eq!(Envelope::parse(xml.as_bytes()).expect("parse"), env);
}

fn altinn_detail() -> AltinnFault {
    AltinnFault {
        altinn_error_message: Some("Invalid system user".into()),
        altinn_extended_error_message: Some("No system user <sys> & co".into()),
        altinn_localized_error_message: Some("Ugyldig systembruker".into()),
        error_guid: Some("4b1c0f0e-7d43-4a0e-9a3b-2b1f0b1d2c3e".into()),
        error_id: Some(30_010),
        user_guid: None,
        user_id: Some("0".into()),
    }
}

#[test]
fn faults_round_trip_in_both_versions() {
    let fault = Fault {
        actor: Some("urn:altinn".into()),
        ..Fault::altinn("Invalid system user", altinn_detail())
    };
    for version in [SoapVersion::V11, SoapVersion::V12] {
        let xml = fault.to_envelope(version).to_xml();
        let env = Envelope::parse(xml.as_bytes()).expect("fault envelope");
        let back = env.fault().expect("is a fault").expect("readable fault");
        assert_eq!(back, fault, "{xml}");
    }
}

#[test]
fn faults_are_written_in_each_versions_shape() {
    let fault = Fault::altinn("Invalid system user", altinn_detail());
    let v11 = fault.to_element(SoapVersion::V11).xml;
    assert!(v11.contains("<faultcode>s:Client</faultcode>"), "{v11}");
    assert!(
        v11.contains(r#"<faultstring xml:lang="en">Invalid system user</faultstring>"#),
        "{v11}"
    );
    assert!(
        v11.contains(&format!(
            r#"<detail><AltinnFault xmlns="{ALTINN_FAULT_NS}"><AltinnErrorMessage>"#
        )),
        "{v11}"
    );
    assert!(
        v11.contains("<ErrorID>30010</ErrorID><UserId>0</UserId>"),
        "{v11}"
    );
    let v12 = fault.to_element(SoapVersion::V12).xml;
    assert!(
        v12.contains("<s:Code><s:Value>s:Sender</s:Value></s:Code>"),
        "{v12}"
    );
    assert!(v12.contains(r#"<s:Reason><s:Text xml:lang="en">Invalid system user</s:Text></s:Reason><s:Detail><AltinnFault"#), "{v12}");
}

#[test]
fn reads_a_wcf_fault_with_other_prefixes_and_nil_fields() {
    let src = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.xmlsoap.org/soap/envelope/">a:Server</faultcode><faultstring xml:lang="nb-NO">Feil</faultstring><detail><AltinnFault xmlns="http://www.altinn.no/services/common/fault/2009/10" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><AltinnErrorMessage>Feil</AltinnErrorMessage><ErrorGuid i:nil="true"/><ErrorID>0</ErrorID></AltinnFault></detail></s:Fault></s:Body></s:Envelope>"#;
    let fault = Envelope::parse(src.as_bytes())
        .expect("env")
        .fault()
        .expect("fault")
        .expect("readable");
    assert_eq!(fault.code, FaultCode::Receiver);
    assert_eq!(fault.lang.as_deref(), Some("nb-NO"));
    let detail = fault.altinn_fault().expect("altinn detail");
    assert_eq!(detail.error_guid, None);
    assert_eq!(detail.error_id, Some(0));
    assert_eq!(detail.altinn_error_message.as_deref(), Some("Feil"));
}

#[test]
fn soap_12_subcodes_and_foreign_details_survive() {
    let fault = Fault {
        subcodes: vec![
            QName::new("urn:altinn:codes", "InvalidSystemUser"),
            QName::new("urn:x", "Deeper"),
        ],
        detail: Some(FaultDetail::Other(vec![
            RawElement::from_xml(r#"<d:Why xmlns:d="urn:d">because</d:Why>"#).expect("d"),
        ])),
        ..Fault::new(FaultCode::Other(QName::new("urn:custom", "Busy")), "busy")
    };
    let xml = fault.to_envelope(SoapVersion::V12).to_xml();
    let back = Envelope::parse(xml.as_bytes())
        .expect("env")
        .fault()
        .expect("fault")
        .expect("readable");
    assert_eq!(back, fault, "{xml}");
}

#[test]
fn a_body_that_is_no_fault_is_not_read_as_one() {
    assert!(
        Envelope::parse(ZEEP.as_bytes())
            .expect("env")
            .fault()
            .is_none()
    );
    let bad = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>"#;
    let err = Envelope::parse(bad.as_bytes())
        .expect("env")
        .fault()
        .expect("fault")
        .expect_err("no faultcode");
    assert!(matches!(err, Error::Fault(_)), "{err}");
}

fn refuse(src: &str) -> Error {
    Envelope::parse(src.as_bytes()).expect_err(src)
}

#[test]
fn hostile_and_malformed_input_is_refused() {
    let dtd = r#"<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x>&b;</x></s:Body></s:Envelope>"#;
    assert!(matches!(refuse(dtd), Error::Dtd));
    let entity = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x>&xxe;</x></s:Body></s:Envelope>"#;
    assert!(matches!(refuse(entity), Error::UnknownEntity(e) if e == "xxe"));
    let pi = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><?evil?><s:Body><x/></s:Body></s:Envelope>"#;
    assert!(matches!(refuse(pi), Error::ProcessingInstruction));
    let deep = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>{}{}</s:Body></s:Envelope>"#,
        "<a>".repeat(300),
        "</a>".repeat(300)
    );
    assert!(matches!(refuse(&deep), Error::TooDeep { limit: 256 }));
    let small = Limits {
        max_bytes: 64,
        ..Limits::default()
    };
    assert!(matches!(
        Envelope::parse_with(ZEEP.as_bytes(), &small),
        Err(Error::TooLarge { limit: 64, .. })
    ));
    let few = Limits {
        max_nodes: 5,
        ..Limits::default()
    };
    assert!(matches!(
        Envelope::parse_with(ZEEP.as_bytes(), &few),
        Err(Error::TooManyNodes { limit: 5 })
    ));
    assert!(matches!(
        Envelope::parse(b"\xff\xfe<a/>"),
        Err(Error::NotUtf8)
    ));
    // Odd but possible shapes: whatever is accepted is cut exactly from the source.
    for odd in [
        "< a/>",
        "<a\n/>",
        "<\u{e6}\u{f8}\u{e5} x='1'/>",
        "<a></a >",
        "<!-- c --><a/>",
        "<![CDATA[x]]>",
    ] {
        let src = format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>{odd}</s:Body></s:Envelope>"#
        );
        if let Ok(env) = Envelope::parse(src.as_bytes()) {
            assert!(src.contains(&env.body.xml), "{odd}: {}", env.body.xml);
        }
    }
}

#[test]
fn structural_errors_are_typed() {
    assert!(matches!(
        refuse(r#"<Envelope xmlns="urn:other"><Body/></Envelope>"#),
        Error::NotEnvelope(_)
    ));
    let unbound = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><q:X/></s:Body></s:Envelope>"#;
    assert!(matches!(refuse(unbound), Error::UnboundPrefix(p) if p == "q"));
    // Below the body element names are left to the body's reader, which refuses them there.
    let deep_unbound = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><X><Y><q:Z/></Y></X></s:Body></s:Envelope>"#;
    let body = Envelope::parse(deep_unbound.as_bytes())
        .expect("shape is fine")
        .body;
    assert!(matches!(RawElement::from_xml(body.xml), Err(Error::UnboundPrefix(p)) if p == "q"));
    let two = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a/><b/></s:Body></s:Envelope>"#;
    assert!(matches!(refuse(two), Error::Envelope(_)));
    let no_body = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/></s:Envelope>"#;
    assert!(matches!(refuse(no_body), Error::Envelope(_)));
    let mismatched = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a></b></s:Body></s:Envelope>"#;
    assert!(matches!(refuse(mismatched), Error::Xml { .. }));
    let mixed = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body xmlns:o="http://schemas.xmlsoap.org/soap/envelope/"><a/></s:Body><o:Body xmlns:o="http://schemas.xmlsoap.org/soap/envelope/"/></s:Envelope>"#;
    assert!(matches!(refuse(mixed), Error::Envelope(_)));
    let bad_mu = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h s:mustUnderstand="true"/></s:Header><s:Body><a/></s:Body></s:Envelope>"#;
    assert!(matches!(refuse(bad_mu), Error::Envelope(_)));
}

#[test]
fn a_bom_and_entities_in_text_are_handled() {
    let src = "\u{feff}<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>a &lt;b&gt; &#x41;&amp;</faultstring></s:Fault></s:Body></s:Envelope>";
    let fault = Envelope::parse(src.as_bytes())
        .expect("env")
        .fault()
        .expect("fault")
        .expect("readable");
    assert_eq!(fault.reason, "a <b> A&");
    assert_eq!(fault.code, FaultCode::Sender);
}

#[test]
fn runtime_errors_become_altinn_faults() {
    use altinn_bridge_runtime::http::{ApiError, ProblemDetails};
    use std::time::Duration;
    let api = |status: u16, problem: Option<ProblemDetails>| {
        Error::from(ApiError {
            method: "POST".into(),
            url: "http://127.0.0.1/correspondence/api/v1/correspondence".into(),
            status,
            problem,
            body: String::new(),
            retry_after: None,
            attempts: 1,
        })
    };
    let problem = ProblemDetails {
        title: Some("Invalid".into()),
        detail: Some("recipients is required".into()),
        ..ProblemDetails::default()
    };
    let fault = Fault::from(&api(422, Some(problem)));
    assert_eq!(
        (fault.code.clone(), fault.reason.as_str()),
        (FaultCode::Sender, "recipients is required")
    );
    let detail = fault.altinn_fault().expect("detail");
    assert!(detail.error_guid.as_deref().is_some_and(|g| g.len() == 36));
    assert!(
        detail
            .altinn_extended_error_message
            .as_deref()
            .is_some_and(|m| m.contains("answered 422"))
    );
    assert_eq!(Fault::from(&api(429, None)).code, FaultCode::Receiver);
    assert_eq!(Fault::from(&api(503, None)).code, FaultCode::Receiver);
    let timeout = Fault::from(&Error::Timeout {
        url: "http://127.0.0.1/x".into(),
        timeout: Duration::from_secs(1),
    });
    assert_eq!(timeout.code, FaultCode::Receiver);
    assert!(
        timeout.reason.starts_with("the outcome is unknown"),
        "{}",
        timeout.reason
    );
    assert_eq!(Fault::from(&Error::Dtd).code, FaultCode::Sender);
    assert_eq!(
        Fault::from(&Error::NotEnvelope("x".into())).code,
        FaultCode::VersionMismatch
    );
    // The fault is a real one: it survives an envelope round trip.
    let xml = timeout.to_envelope(SoapVersion::V11).to_xml();
    assert_eq!(
        Envelope::parse(xml.as_bytes())
            .expect("env")
            .fault()
            .expect("fault")
            .expect("readable"),
        timeout
    );
}
