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
