//! A legacy CorrespondenceAgencyExternalBasic caller of the facade: its `facade.toml` (one
//! `[[callers]]` entry, Altinn 3 and Maskinporten on a local upstream) and the SOAP messages it
//! sends, written as a .NET client writes them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use altinn_bridge_facade::{FacadeConfig, hash_password};

/// The legacy system user.
pub const USER: &str = "legacy-erp";
/// Its password.
pub const PASSWORD: &str = "Corr3spond-w1th-0ld-WSDL";
/// The path the facade serves the service at.
pub const PATH: &str = "/ServiceEngineExternal/CorrespondenceAgencyExternalBasic.svc";

const OPS: &str = "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10";
const CORR: &str = "http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10";
const FILTER: &str = "http://schemas.altinn.no/services/ServiceEngine/Correspondence/2016/02";
const LIST: &str = "http://www.altinn.no/services/ServiceEngine/ReporteeElementList/2010/10";
const ACTIONS: &str = "http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10/ICorrespondenceAgencyExternalBasic";

/// The `SOAPAction` of InsertCorrespondenceBasicV2.
pub fn insert_action() -> String {
    format!("{ACTIONS}/InsertCorrespondenceBasicV2")
}

/// The `SOAPAction` of GetCorrespondenceStatusDetailsBasicV3.
pub fn status_action() -> String {
    format!("{ACTIONS}/GetCorrespondenceStatusDetailsBasicV3")
}

/// A SOAP 1.1 (`twelve = false`) or 1.2 envelope around `body`.
pub fn envelope(twelve: bool, body: &str) -> String {
    let ns = if twelve {
        "http://www.w3.org/2003/05/soap-envelope"
    } else {
        "http://schemas.xmlsoap.org/soap/envelope/"
    };
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{ns}"><s:Body>{body}</s:Body></s:Envelope>"#
    )
}

/// The `Content-Type` (and `SOAPAction`, for 1.1) headers for `action`.
pub fn headers(twelve: bool, action: &str) -> Vec<(&'static str, String)> {
    if twelve {
        vec![(
            "content-type",
            format!("application/soap+xml; charset=utf-8; action=\"{action}\""),
        )]
    } else {
        vec![
            ("content-type", "text/xml; charset=utf-8".to_owned()),
            ("soapaction", format!("\"{action}\"")),
        ]
    }
}

/// An InsertCorrespondenceBasicV2 body for shipment `reference`, with one binary attachment when
/// `attachment` holds its (base64) bytes.
pub fn insert_body(reference: &str, attachment: Option<&str>) -> String {
    let attachments = attachment.map_or_else(String::new, |b64| {
        format!(
            r#"<c:Attachments><c:BinaryAttachments><l:BinaryAttachmentV2><l:FunctionType>Unspecified</l:FunctionType><l:FileName>{reference}.pdf</l:FileName><l:Name>Vedlegg {reference}</l:Name><l:Encrypted>false</l:Encrypted><l:Data>{b64}</l:Data><l:SendersReference>{reference}-att</l:SendersReference></l:BinaryAttachmentV2></c:BinaryAttachments></c:Attachments>"#
        )
    });
    format!(
        r#"<InsertCorrespondenceBasicV2 xmlns="{OPS}" xmlns:c="{CORR}" xmlns:l="{LIST}"><systemUserName>{USER}</systemUserName><systemPassword>{PASSWORD}</systemPassword><SystemUserCode>ERP</SystemUserCode><ExternalShipmentReference>{reference}</ExternalShipmentReference><Correspondence><c:ServiceCode>4192</c:ServiceCode><c:ServiceEdition>1</c:ServiceEdition><c:Reportee>910075918</c:Reportee><c:Content><c:LanguageCode>1044</c:LanguageCode><c:MessageTitle>Vedtak {reference}</c:MessageTitle><c:MessageSummary>&lt;p&gt;Sammendrag&lt;/p&gt;</c:MessageSummary><c:MessageBody>&lt;p&gt;Brødtekst for {reference}&lt;/p&gt;</c:MessageBody>{attachments}</c:Content><c:VisibleDateTime>2026-12-01T08:00:00</c:VisibleDateTime></Correspondence></InsertCorrespondenceBasicV2>"#
    )
}

/// A GetCorrespondenceStatusDetailsBasicV3 body searching for shipment `reference`.
pub fn status_body(reference: &str) -> String {
    format!(
        r#"<GetCorrespondenceStatusDetailsBasicV3 xmlns="{OPS}" xmlns:c="{FILTER}"><systemUserName>{USER}</systemUserName><systemPassword>{PASSWORD}</systemPassword><filterCriteria><c:SendersReference>{reference}</c:SendersReference><c:ServiceCode>4192</c:ServiceCode><c:ServiceEditionCode>1</c:ServiceEditionCode></filterCriteria></GetCorrespondenceStatusDetailsBasicV3>"#
    )
}

/// A fresh scratch directory holding a real RSA key, as `key.pem`, for the Maskinporten client.
pub fn scratch_with_key() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "altinn-bridge-legacy-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    std::fs::write(dir.join("key.pem"), rsa_key()).expect("the key is written");
    dir
}

/// An RSA key made once per process by openssl: the token provider signs real JWT grants.
fn rsa_key() -> &'static str {
    static KEY: OnceLock<String> = OnceLock::new();
    KEY.get_or_init(|| {
        let out = Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
            ])
            .output()
            .expect("openssl is installed");
        assert!(out.status.success(), "openssl genpkey failed");
        String::from_utf8(out.stdout).expect("a PEM key")
    })
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD))
}

/// The facade's configuration: Altinn 3 and Maskinporten at `upstream` (a base URL), one legacy
/// caller, and `limits` (the body of a `[limits]` table).
pub fn config(upstream: &str, listen: SocketAddr, limits: &str, dir: &Path) -> FacadeConfig {
    let text = format!(
        r#"listen = "{listen}"

[environment]
name = "custom"
audience = "{upstream}/"
token_endpoint = "{upstream}/token"
[environment.apis]
altinn-correspondence-v1 = "{upstream}"

[[maskinporten]]
name = "main"
client_id = "legacy-erp-client"
kid = "legacy-erp-kid"
key_file = "key.pem"
scopes = ["altinn:correspondence.write", "altinn:serviceowner"]

[[callers]]
user = "{USER}"
password_hash = "{hash}"
maskinporten = "main"
parties = ["910075918"]

[limits]
{limits}

[settings.values]
sender = "0192:991825827"

[settings.tables.resource_ids]
"*" = "altinn-bridge-test-resource"
"#,
        hash = password_hash()
    );
    FacadeConfig::parse(&text, "facade.toml", dir).expect("the facade configuration is valid")
}

/// The first element named `local` at or below `el`, depth first.
pub fn find<'a>(
    el: &'a altinn_bridge_runtime::xml::Element,
    local: &str,
) -> Option<&'a altinn_bridge_runtime::xml::Element> {
    if el.local == local {
        return Some(el);
    }
    el.children.iter().find_map(|n| match n {
        altinn_bridge_runtime::xml::Node::Element(e) => find(e, local),
        altinn_bridge_runtime::xml::Node::Text(_) => None,
    })
}
