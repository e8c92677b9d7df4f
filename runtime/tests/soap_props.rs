//! Properties of envelope parsing: no input makes it panic, and whatever it accepts it writes
//! back into something it reads the same.

use altinn_bridge_runtime::soap::{Envelope, Fault, SoapVersion};
use proptest::prelude::*;

const SEEDS: [&str; 3] = [
    r#"<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:To>x</wsa:To></soap-env:Header><soap-env:Body><ns0:Test xmlns:ns0="http://www.altinn.no/services/2009/10"><ns0:A>1 &amp; 2</ns0:A></ns0:Test></soap-env:Body></soap-env:Envelope>"#,
    r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:q1="urn:q1"><soap:Body><Test xmlns="urn:t"><q1:K xsi:type="q1:T"/></Test></soap:Body></soap:Envelope>"#,
    r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>"#,
];

/// Accepted input written and read again gives the same envelope, and its fault (if any) too.
fn check_stable(bytes: &[u8]) {
    let Ok(first) = Envelope::parse(bytes) else {
        return;
    };
    let second = Envelope::parse(first.to_xml().as_bytes()).expect("written envelopes parse");
    assert_eq!(first, second);
    if let Some(Ok(fault)) = first.fault() {
        let again = fault
            .to_envelope(first.version)
            .fault()
            .expect("a fault")
            .expect("readable");
        assert_eq!(fault, again);
    }
}

proptest! {
    #[test]
    fn mutated_envelopes_never_panic(seed in 0..SEEDS.len(), edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6), cut in any::<prop::sample::Index>()) {
        let mut bytes = SEEDS[seed].as_bytes().to_vec();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        check_stable(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[<>/:=\"a-z &;#x0-9]{0,200}") {
        check_stable(text.as_bytes());
    }

    #[test]
    fn fault_reasons_survive_any_text(reason in "\\PC{0,80}", v12 in any::<bool>()) {
        let version = if v12 { SoapVersion::V12 } else { SoapVersion::V11 };
        let fault = Fault::new(altinn_bridge_runtime::soap::FaultCode::Receiver, reason);
        let xml = fault.to_envelope(version).to_xml();
        let back = Envelope::parse(xml.as_bytes()).expect("parse").fault().expect("fault").expect("readable");
        prop_assert_eq!(back, fault);
    }
}
