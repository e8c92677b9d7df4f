//! The generated SOAP types on a real InsertCorrespondenceBasicV2 request as zeep writes it
//! (`ns0`/`ns1` prefixes declared where used, `xsi:nil`, base64, entities), read through the
//! runtime's quick-xml reader and written back.

use altinn_bridge_examples::generated::correspondence_agency_external_basic::soap::{
    self, InsertCorrespondenceBasicV2, TransportType,
};
use altinn_bridge_runtime::SOAP11_ENVELOPE_NS;
use altinn_bridge_runtime::xml::{self, Nillable, XmlContent, XmlError};

const REQUEST: &str = r#"<?xml version='1.0' encoding='utf-8'?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">
  <soap-env:Body>
    <ns0:InsertCorrespondenceBasicV2 xmlns:ns0="http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10">
      <ns0:systemUserName>etat-system</ns0:systemUserName>
      <ns0:systemPassword>hemmelig</ns0:systemPassword>
      <ns0:SystemUserCode>ETAT</ns0:SystemUserCode>
      <ns0:ExternalShipmentReference>ref-2026-0001</ns0:ExternalShipmentReference>
      <ns0:Correspondence>
        <ns1:ServiceCode xmlns:ns1="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10">4503</ns1:ServiceCode>
        <ns1:ServiceEdition xmlns:ns1="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10">1</ns1:ServiceEdition>
        <ns1:Reportee xmlns:ns1="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10">910514458</ns1:Reportee>
        <ns1:Content xmlns:ns1="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10">
          <ns1:LanguageCode>1044</ns1:LanguageCode>
          <ns1:MessageTitle>Vedtak &amp; klage</ns1:MessageTitle>
          <ns1:MessageSummary>Kort &#229;rsak</ns1:MessageSummary>
          <ns1:MessageBody>&lt;p&gt;Hei&lt;/p&gt;</ns1:MessageBody>
          <ns1:Attachments>
            <ns1:BinaryAttachments>
              <ns2:BinaryAttachmentV2 xmlns:ns2="http://www.altinn.no/services/ServiceEngine/ReporteeElementList/2010/10">
                <ns2:FunctionType>Invoice</ns2:FunctionType>
                <ns2:FileName>faktura.pdf</ns2:FileName>
                <ns2:Name>Faktura</ns2:Name>
                <ns2:Encrypted>false</ns2:Encrypted>
                <ns2:Data>JVBERi0x
                  LjQK</ns2:Data>
                <ns2:SendersReference xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>
              </ns2:BinaryAttachmentV2>
            </ns1:BinaryAttachments>
          </ns1:Attachments>
        </ns1:Content>
        <ns1:VisibleDateTime xmlns:ns1="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10">2026-03-01T08:00:00</ns1:VisibleDateTime>
        <ns1:AllowSystemDeleteDateTime xmlns:ns1="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>
        <ns1:ArchiveReference xmlns:ns1="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10">AR-1</ns1:ArchiveReference>
        <ns1:Notifications xmlns:ns1="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10">
          <ns3:Notification xmlns:ns3="http://schemas.altinn.no/services/ServiceEngine/Notification/2009/10">
            <ns3:FromAddress>no-reply@etat.no</ns3:FromAddress>
            <ns3:ShipmentDateTime>2026-03-01T08:00:00+01:00</ns3:ShipmentDateTime>
            <ns3:LanguageCode>1044</ns3:LanguageCode>
            <ns3:NotificationType>VarselDPVUtenRevarsel</ns3:NotificationType>
            <ns3:TextTokens>
              <ns3:TextToken><ns3:TokenNum>0</ns3:TokenNum><ns3:TokenValue>Hei</ns3:TokenValue></ns3:TextToken>
            </ns3:TextTokens>
            <ns3:ReceiverEndPoints>
              <ns3:ReceiverEndPoint>
                <ns3:TransportType>Email</ns3:TransportType>
                <ns3:ReceiverAddress>ola@example.no</ns3:ReceiverAddress>
              </ns3:ReceiverEndPoint>
            </ns3:ReceiverEndPoints>
          </ns3:Notification>
        </ns1:Notifications>
        <ns1:AllowForwarding xmlns:ns1="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10">false</ns1:AllowForwarding>
      </ns0:Correspondence>
    </ns0:InsertCorrespondenceBasicV2>
  </soap-env:Body>
</soap-env:Envelope>"#;

/// The operation element inside the SOAP body.
fn body_element(envelope: &xml::Element) -> &xml::Element {
    let body = envelope.children_named(SOAP11_ENVELOPE_NS, "Body").next();
    let first = body.and_then(|b| b.elements().next());
    first.expect("the request has a body element")
}

fn read_request() -> InsertCorrespondenceBasicV2 {
    let envelope = xml::parse(REQUEST).expect("well-formed");
    let el = body_element(&envelope);
    assert_eq!(
        (el.ns.as_str(), el.local.as_str()),
        soap::INSERT_CORRESPONDENCE_BASIC_V2
    );
    InsertCorrespondenceBasicV2::read_content(el).expect("valid request")
}

#[test]
fn reads_every_level_of_a_zeep_request() {
    let req = read_request();
    assert_eq!(req.system_user_code, "ETAT");
    let c = &req.correspondence;
    assert_eq!(c.reportee, Some(Nillable::Value("910514458".into())));
    assert_eq!(c.allow_system_delete_date_time, Some(Nillable::Nil));
    assert_eq!(c.due_date_time, None);
    assert_eq!(
        c.visible_date_time.as_ref().map(|d| d.as_str()),
        Some("2026-03-01T08:00:00")
    );
    assert_eq!(c.allow_forwarding, Some(Nillable::Value(false)));
    let content = c
        .content
        .as_ref()
        .and_then(Nillable::value)
        .expect("content");
    assert_eq!(
        content.message_title,
        Some(Nillable::Value("Vedtak & klage".into()))
    );
    assert_eq!(
        content.message_summary,
        Some(Nillable::Value("Kort årsak".into()))
    );
    assert_eq!(
        content.message_body,
        Some(Nillable::Value("<p>Hei</p>".into()))
    );
    let attachments = content
        .attachments
        .as_ref()
        .and_then(Nillable::value)
        .expect("attachments");
    let list = attachments
        .binary_attachments
        .as_ref()
        .and_then(Nillable::value)
        .expect("list");
    let first = list
        .0
        .first()
        .and_then(Nillable::value)
        .expect("one attachment");
    assert_eq!(
        first
            .data
            .as_ref()
            .and_then(Nillable::value)
            .map(|d| d.0.as_slice()),
        Some(&b"%PDF-1.4\n"[..])
    );
    assert_eq!(first.senders_reference, Some(Nillable::Nil));
    let notifications = c
        .notifications
        .as_ref()
        .and_then(Nillable::value)
        .expect("notifications");
    let n = notifications
        .0
        .first()
        .and_then(Nillable::value)
        .expect("one notification");
    let ends = n
        .receiver_end_points
        .as_ref()
        .and_then(Nillable::value)
        .expect("end points");
    let end = ends
        .0
        .first()
        .and_then(Nillable::value)
        .expect("one end point");
    assert_eq!(
        end.transport_type,
        Some(Nillable::Value(TransportType::Email))
    );
}

#[test]
fn writes_xml_that_reads_back_equal() {
    let req = read_request();
    let (ns, local) = soap::INSERT_CORRESPONDENCE_BASIC_V2;
    let text = xml::to_string(&req, ns, local).expect("writes");
    let again: InsertCorrespondenceBasicV2 = xml::from_str(&text, ns, local).expect("reads back");
    assert_eq!(again, req);
    // Writing is deterministic: the same value gives the same bytes.
    assert_eq!(xml::to_string(&again, ns, local).ok(), Some(text));
}

#[test]
fn unknown_enumeration_values_and_missing_required_elements_are_errors() {
    let bad_enum = REQUEST.replace(">Email<", ">Pigeon<");
    let envelope = xml::parse(&bad_enum).expect("well-formed");
    let err = InsertCorrespondenceBasicV2::read_content(body_element(&envelope));
    assert!(
        matches!(
            err,
            Err(XmlError::UnknownValue {
                ty: "TransportType",
                ..
            })
        ),
        "{err:?}"
    );

    let no_code = REQUEST.replace("<ns0:SystemUserCode>ETAT</ns0:SystemUserCode>", "");
    let envelope = xml::parse(&no_code).expect("well-formed");
    let err = InsertCorrespondenceBasicV2::read_content(body_element(&envelope));
    assert!(matches!(err, Err(XmlError::Missing { .. })), "{err:?}");

    let bad_date = REQUEST.replace("2026-03-01T08:00:00<", "1. mars<");
    let envelope = xml::parse(&bad_date).expect("well-formed");
    let err = InsertCorrespondenceBasicV2::read_content(body_element(&envelope));
    assert!(
        matches!(err, Err(XmlError::Invalid { ty: "dateTime", .. })),
        "{err:?}"
    );
}
