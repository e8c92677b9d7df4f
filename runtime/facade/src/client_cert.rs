//! Who a TLS client certificate says the caller is: the organisation number in its subject.
//!
//! Norwegian enterprise certificates (Buypass, Commfides) carry it in the subject's
//! `serialNumber` (2.5.4.5): bare (`910075918`) in the older profiles, or as the ETSI EN 319
//! 412-1 semantics identifier `NTRNO-910075918`. Certificates issued to that profile may instead
//! (or as well) carry it in `organizationIdentifier` (2.5.4.97). Both are read; if they name
//! different organisations the certificate names none, rather than the facade picking one.
//!
//! Only the subject is read here: that the certificate chains to `[tls] client_ca_file` and that
//! the client holds its key is rustls's `WebPkiClientVerifier`, during the handshake.

use axum::serve::IncomingStream;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::x509::X509Name;

use crate::tls::TlsListener;

/// `serialNumber` (X.520).
const SERIAL_NUMBER: &str = "2.5.4.5";
/// `organizationIdentifier` (X.520, used by ETSI EN 319 412-1).
const ORGANIZATION_IDENTIFIER: &str = "2.5.4.97";
/// The ETSI EN 319 412-1 prefix of a Norwegian business register number: `NTR` (national trade
/// register), `NO`, then `-`.
const NTR_NO: &str = "NTRNO-";

/// A verified client certificate, as far as the facade needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClientCertificate {
    /// The organisation number its subject names, if it names exactly one.
    pub(crate) org: Option<String>,
    /// The subject as text, for log lines.
    pub(crate) subject: String,
}

/// What the server knows of a connection before its first request: the client's certificate,
/// if it presented one. Read once per connection ([`axum::extract::connect_info::Connected`]).
#[derive(Debug, Clone)]
pub(crate) struct Peer {
    pub(crate) certificate: Option<ClientCertificate>,
}

impl axum::extract::connect_info::Connected<IncomingStream<'_, TlsListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, TlsListener>) -> Self {
        // The end-entity certificate comes first; the rest is its chain.
        let certificate = stream
            .io()
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|chain| chain.first())
            .map(|der| read(der.as_ref()));
        Self { certificate }
    }
}

/// The subject and organisation number of a DER certificate. rustls has already parsed it to
/// verify it, so a failure here is not expected; it is answered as a certificate naming no one.
pub(crate) fn read(der: &[u8]) -> ClientCertificate {
    match X509Certificate::from_der(der) {
        Ok((_, cert)) => ClientCertificate {
            org: organisation_number(cert.subject()),
            subject: cert.subject().to_string(),
        },
        Err(e) => ClientCertificate {
            org: None,
            subject: format!("(unreadable certificate: {e})"),
        },
    }
}

/// The one organisation number `subject` names in `serialNumber` or `organizationIdentifier`.
fn organisation_number(subject: &X509Name<'_>) -> Option<String> {
    let mut found: Option<String> = None;
    for attr in subject.iter_attributes() {
        let oid = attr.attr_type().to_id_string();
        if oid != SERIAL_NUMBER && oid != ORGANIZATION_IDENTIFIER {
            continue;
        }
        let Some(org) = attr.as_str().ok().and_then(org_in) else {
            continue;
        };
        match &found {
            Some(other) if *other != org => return None,
            _ => found = Some(org),
        }
    }
    found
}

/// `910075918` from `910075918` or `NTRNO-910075918` (the prefix in any case); anything else
/// (another country's register, a personal serial number) is not an organisation number.
fn org_in(value: &str) -> Option<String> {
    let value = value.trim();
    let digits = match value.get(..NTR_NO.len()) {
        Some(prefix) if prefix.eq_ignore_ascii_case(NTR_NO) => &value[NTR_NO.len()..],
        _ => value,
    };
    (digits.len() == 9 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.to_owned())
}

#[cfg(test)]
mod tests {
    use super::org_in;

    #[test]
    fn an_organisation_number_is_read_bare_or_with_the_etsi_prefix() {
        assert_eq!(org_in("910075918").as_deref(), Some("910075918"));
        assert_eq!(org_in("NTRNO-910075918").as_deref(), Some("910075918"));
        assert_eq!(org_in("ntrno-910075918").as_deref(), Some("910075918"));
        for not in [
            "NTRSE-5560000000",
            "NTRNO-91007591",
            "NTRNO-9100759180",
            "PNONO-12345678901",
            "NTRNO-91007591x",
            "",
            "NTRNO-",
        ] {
            assert_eq!(org_in(not), None, "{not}");
        }
    }
}
