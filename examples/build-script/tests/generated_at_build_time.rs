//! The types `build.rs` generated are usable: a PreFill receipt reads and writes.

use altinn_bridge_build_example::pre_fill::soap::{self, ReceiptExternal, ReceiptStatusEnum};
use altinn_bridge_runtime::xml::{self, Nillable};

#[test]
fn a_receipt_reads_and_writes_with_build_time_types() {
    let doc = format!(
        r#"<r:Receipt xmlns:r="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
             <r:LastChanged>2026-02-01T12:00:00</r:LastChanged>
             <r:ReceiptStatusCode>OK</r:ReceiptStatusCode>
             <r:ReceiptText xsi:nil="true"/>
           </r:Receipt>"#,
        ns = soap::NS_RECEIPT_2009_10
    );
    let receipt: ReceiptExternal =
        xml::from_str(&doc, soap::NS_RECEIPT_2009_10, "Receipt").expect("reads");
    assert_eq!(receipt.receipt_status_code, Some(ReceiptStatusEnum::Ok));
    assert_eq!(receipt.receipt_text, Some(Nillable::Nil));
    assert_eq!(receipt.references, None);
    let text = xml::to_string(&receipt, soap::NS_RECEIPT_2009_10, "Receipt").expect("writes");
    let back: ReceiptExternal =
        xml::from_str(&text, soap::NS_RECEIPT_2009_10, "Receipt").expect("reads back");
    assert_eq!(back, receipt);
}

/// A zeep-shaped SubmitAndInstantiatePrefilledFormTaskBasic: the wrapper in one namespace, the
/// form task in another under its own prefix, as a real client sends it.
const PREFILL_ENVELOPE: &str = r#"<?xml version='1.0' encoding='utf-8'?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">
  <soap-env:Body>
    <ns0:SubmitAndInstantiatePrefilledFormTaskBasic xmlns:ns0="http://www.altinn.no/services/ServiceEngine/PreFill/2009/10">
      <ns0:systemUserName>sys</ns0:systemUserName>
      <ns0:systemPassword>secret</ns0:systemPassword>
      <ns0:externalBatchId>batch-1</ns0:externalBatchId>
      <ns0:preFillFormTask>
        <ns1:ExternalServiceCode xmlns:ns1="http://schemas.altinn.no/services/ServiceEngine/PreFill/2009/10">4711</ns1:ExternalServiceCode>
        <ns2:ExternalServiceEditionCode xmlns:ns2="http://schemas.altinn.no/services/ServiceEngine/PreFill/2009/10">1</ns2:ExternalServiceEditionCode>
        <ns3:ExternalShipmentReference xmlns:ns3="http://schemas.altinn.no/services/ServiceEngine/PreFill/2009/10">ship-1</ns3:ExternalShipmentReference>
        <ns4:PreFillForms xmlns:ns4="http://schemas.altinn.no/services/ServiceEngine/PreFill/2009/10">
          <ns4:PrefillForm>
            <ns4:DataFormatID>5703</ns4:DataFormatID>
            <ns4:DataFormatVersion>34553</ns4:DataFormatVersion>
            <ns4:FormDataXML>&lt;Skjema&gt;&lt;Felt&gt;1&lt;/Felt&gt;&lt;/Skjema&gt;</ns4:FormDataXML>
            <ns4:SendersReference>form-1</ns4:SendersReference>
          </ns4:PrefillForm>
        </ns4:PreFillForms>
        <ns5:Reportee xmlns:ns5="http://schemas.altinn.no/services/ServiceEngine/PreFill/2009/10">910000000</ns5:Reportee>
        <ns6:ServiceOwnerCode xmlns:ns6="http://schemas.altinn.no/services/ServiceEngine/PreFill/2009/10">ttd</ns6:ServiceOwnerCode>
        <ns7:ValidFromDate xmlns:ns7="http://schemas.altinn.no/services/ServiceEngine/PreFill/2009/10">2026-01-01T00:00:00</ns7:ValidFromDate>
        <ns8:ValidToDate xmlns:ns8="http://schemas.altinn.no/services/ServiceEngine/PreFill/2009/10">2026-12-31T23:59:59</ns8:ValidToDate>
      </ns0:preFillFormTask>
      <ns0:doSaveFormTask>true</ns0:doSaveFormTask>
      <ns0:doinstantiateFormTask>false</ns0:doinstantiateFormTask>
      <ns0:caseId xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>
    </ns0:SubmitAndInstantiatePrefilledFormTaskBasic>
  </soap-env:Body>
</soap-env:Envelope>"#;

#[test]
fn a_prefill_request_from_a_soap_envelope_reads_and_writes_with_build_time_types() {
    use altinn_bridge_build_example::pre_fill::soap::SubmitAndInstantiatePrefilledFormTaskBasic;
    use altinn_bridge_runtime::soap::Envelope;

    let (ns, local) = soap::SUBMIT_AND_INSTANTIATE_PREFILLED_FORM_TASK_BASIC;
    let envelope = Envelope::parse(PREFILL_ENVELOPE.as_bytes()).expect("the envelope parses");
    assert!(envelope.body.name.is(ns, local), "{:?}", envelope.body.name);
    let request: SubmitAndInstantiatePrefilledFormTaskBasic =
        xml::from_str(&envelope.body.xml, ns, local).expect("the request reads");
    assert_eq!(request.do_save_form_task, Some(true));
    assert_eq!(request.case_id, Some(Nillable::Nil));
    assert_eq!(request.due_date, None);
    let Some(Nillable::Value(task)) = &request.pre_fill_form_task else {
        panic!("no form task: {request:?}");
    };
    assert_eq!(task.external_service_edition_code, 1);
    assert_eq!(task.reportee, Nillable::Value("910000000".to_owned()));
    let Some(Nillable::Value(forms)) = &task.pre_fill_forms else {
        panic!("no forms: {task:?}");
    };
    let Nillable::Value(form) = &forms.0[0] else {
        panic!("nil form");
    };
    assert_eq!(
        form.form_data_xml,
        Nillable::Value("<Skjema><Felt>1</Felt></Skjema>".to_owned())
    );
    let text = xml::to_string(&request, ns, local).expect("writes");
    let back: SubmitAndInstantiatePrefilledFormTaskBasic =
        xml::from_str(&text, ns, local).expect("reads back");
    assert_eq!(back, request);
}
