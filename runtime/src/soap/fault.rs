//! SOAP faults in both versions, with Altinn's `AltinnFault` detail.

use quick_xml::escape::escape;

use super::tree::{self, Element, resolve_prefix, split_qname};
use super::{Limits, QName, RawElement, SoapVersion, XSI_NS};
use crate::error::{Error, Result};

/// The namespace of Altinn 2's `AltinnFault` detail.
pub const ALTINN_FAULT_NS: &str = "http://www.altinn.no/services/common/fault/2009/10";

/// The fault's code, named as SOAP 1.2 does; SOAP 1.1's `Client`/`Server` map to `Sender`/`Receiver`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultCode {
    /// The envelope's namespace was not understood.
    VersionMismatch,
    /// A `mustUnderstand` header was not understood.
    MustUnderstand,
    /// SOAP 1.2 only: an unsupported data encoding.
    DataEncodingUnknown,
    /// The caller's message was wrong (1.1 `Client`).
    Sender,
    /// The service failed (1.1 `Server`).
    Receiver,
    /// A code outside the envelope namespace.
    Other(QName),
}

impl FaultCode {
    fn local(&self, version: SoapVersion) -> Option<&'static str> {
        Some(match (self, version) {
            (Self::VersionMismatch, _) => "VersionMismatch",
            (Self::MustUnderstand, _) => "MustUnderstand",
            (Self::DataEncodingUnknown, _) => "DataEncodingUnknown",
            (Self::Sender, SoapVersion::V11) => "Client",
            (Self::Sender, SoapVersion::V12) => "Sender",
            (Self::Receiver, SoapVersion::V11) => "Server",
            (Self::Receiver, SoapVersion::V12) => "Receiver",
            (Self::Other(_), _) => return None,
        })
    }

    fn from_qname(name: QName, version: SoapVersion) -> Self {
        // Unqualified standard codes are accepted: some services write `Client` bare.
        if name.ns != version.namespace() && !name.ns.is_empty() {
            return Self::Other(name);
        }
        match name.local.as_str() {
            "VersionMismatch" => Self::VersionMismatch,
            "MustUnderstand" => Self::MustUnderstand,
            "DataEncodingUnknown" => Self::DataEncodingUnknown,
            "Client" | "Sender" => Self::Sender,
            "Server" | "Receiver" => Self::Receiver,
            _ => Self::Other(name),
        }
    }
}

/// Altinn 2's fault detail. Every field is optional in the contract; `None` is left out when written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AltinnFault {
    /// `AltinnErrorMessage`.
    pub altinn_error_message: Option<String>,
    /// `AltinnExtendedErrorMessage`.
    pub altinn_extended_error_message: Option<String>,
    /// `AltinnLocalizedErrorMessage`.
    pub altinn_localized_error_message: Option<String>,
    /// `ErrorGuid`.
    pub error_guid: Option<String>,
    /// `ErrorID` (`xs:int`).
    pub error_id: Option<i32>,
    /// `UserGuid`.
    pub user_guid: Option<String>,
    /// `UserId` (`xs:string` in the contract).
    pub user_id: Option<String>,
}

/// What a fault's detail holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultDetail {
    /// Altinn's `AltinnFault`.
    Altinn(AltinnFault),
    /// Any other detail entries, each as self-contained raw XML.
    Other(Vec<RawElement>),
}

/// A SOAP fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The fault code.
    pub code: FaultCode,
    /// SOAP 1.2 subcodes, outermost first; not written in SOAP 1.1.
    pub subcodes: Vec<QName>,
    /// The human-readable reason (1.1 `faultstring`, 1.2 the first `Reason/Text`).
    pub reason: String,
    /// The reason's `xml:lang`, if given.
    pub lang: Option<String>,
    /// The 1.1 `faultactor` or the 1.2 `Role`.
    pub actor: Option<String>,
    /// The detail, if any.
    pub detail: Option<FaultDetail>,
}

impl Fault {
    /// A fault with a code and reason in English and nothing else.
    pub fn new(code: FaultCode, reason: impl Into<String>) -> Self {
        Self {
            code,
            subcodes: Vec::new(),
            reason: reason.into(),
            lang: Some("en".into()),
            actor: None,
            detail: None,
        }
    }

    /// A `Sender`/`Client` fault carrying an `AltinnFault` whose message is `reason`, as Altinn answers.
    pub fn altinn(reason: impl Into<String>, detail: AltinnFault) -> Self {
        Self {
            detail: Some(FaultDetail::Altinn(detail)),
            ..Self::new(FaultCode::Sender, reason)
        }
    }

    /// The `AltinnFault` detail, if the fault has one.
    pub fn altinn_fault(&self) -> Option<&AltinnFault> {
        match &self.detail {
            Some(FaultDetail::Altinn(a)) => Some(a),
            _ => None,
        }
    }

    /// The fault as the body element of an envelope of `version`.
    pub fn to_element(&self, version: SoapVersion) -> RawElement {
        let xml = match version {
            SoapVersion::V11 => self.write11(),
            SoapVersion::V12 => self.write12(),
        };
        RawElement {
            name: QName::new(version.namespace(), "Fault"),
            xml,
        }
    }

    /// The fault wrapped in an envelope of `version`.
    pub fn to_envelope(&self, version: SoapVersion) -> super::Envelope {
        super::Envelope::new(version, self.to_element(version))
    }

    fn code_text(&self, version: SoapVersion) -> (String, String) {
        match (self.code.local(version), &self.code) {
            (Some(local), _) => (format!("s:{local}"), String::new()),
            (None, FaultCode::Other(q)) => (
                format!("c:{}", q.local),
                format!(" xmlns:c=\"{}\"", escape(q.ns.as_str())),
            ),
            (None, _) => (String::new(), String::new()),
        }
    }

    fn lang_attr(&self) -> String {
        self.lang
            .as_deref()
            .map(|l| format!(" xml:lang=\"{}\"", escape(l)))
            .unwrap_or_default()
    }

    fn write11(&self) -> String {
        let (code, decl) = self.code_text(SoapVersion::V11);
        let mut out = format!(
            "<s:Fault xmlns:s=\"{}\"><faultcode{decl}>{code}</faultcode>",
            SoapVersion::V11.namespace()
        );
        out.push_str(&format!(
            "<faultstring{}>{}</faultstring>",
            self.lang_attr(),
            escape(self.reason.as_str())
        ));
        if let Some(actor) = &self.actor {
            out.push_str(&format!(
                "<faultactor>{}</faultactor>",
                escape(actor.as_str())
            ));
        }
        if let Some(detail) = &self.detail {
            out.push_str(&format!("<detail>{}</detail>", write_detail(detail)));
        }
        out.push_str("</s:Fault>");
        out
    }

    fn write12(&self) -> String {
        let (code, decl) = self.code_text(SoapVersion::V12);
        let mut out = format!(
            "<s:Fault xmlns:s=\"{}\"><s:Code><s:Value{decl}>{code}</s:Value>",
            SoapVersion::V12.namespace()
        );
        for (i, sub) in self.subcodes.iter().enumerate() {
            out.push_str(&format!(
                "<s:Subcode><s:Value xmlns:c{i}=\"{}\">c{i}:{}</s:Value>",
                escape(sub.ns.as_str()),
                sub.local
            ));
        }
        out.push_str(&"</s:Subcode>".repeat(self.subcodes.len()));
        out.push_str(&format!(
            "</s:Code><s:Reason><s:Text{}>{}</s:Text></s:Reason>",
            self.lang_attr(),
            escape(self.reason.as_str())
        ));
        if let Some(actor) = &self.actor {
            out.push_str(&format!("<s:Role>{}</s:Role>", escape(actor.as_str())));
        }
        if let Some(detail) = &self.detail {
            out.push_str(&format!("<s:Detail>{}</s:Detail>", write_detail(detail)));
        }
        out.push_str("</s:Fault>");
        out
    }

    /// Reads a `Fault` element of `version` from its self-contained XML.
    pub fn from_xml(version: SoapVersion, xml: &str) -> Result<Self> {
        let root = tree::parse(xml, &Limits::default())?;
        let ns = version.namespace();
        if !root.name.is(ns, "Fault") {
            return Err(Error::Fault(format!(
                "expected a Fault, found {}",
                root.name
            )));
        }
        match version {
            SoapVersion::V11 => read11(xml, &root),
            SoapVersion::V12 => read12(xml, &root),
        }
    }
}

fn read11(xml: &str, root: &Element) -> Result<Fault> {
    let code_el = root
        .child("", "faultcode")
        .ok_or_else(|| missing("faultcode"))?;
    let code = resolve_text(&[root, code_el], &code_el.text())?;
    let reason_el = root
        .child("", "faultstring")
        .ok_or_else(|| missing("faultstring"))?;
    Ok(Fault {
        code: FaultCode::from_qname(code, SoapVersion::V11),
        subcodes: Vec::new(),
        reason: reason_el.text(),
        lang: lang(reason_el),
        actor: root.child("", "faultactor").map(Element::text),
        detail: root
            .child("", "detail")
            .map(|d| read_detail(xml, d, root))
            .transpose()?,
    })
}

fn read12(xml: &str, root: &Element) -> Result<Fault> {
    let ns = SoapVersion::V12.namespace();
    let code_el = root.child(ns, "Code").ok_or_else(|| missing("Code"))?;
    let mut chain = vec![root, code_el];
    let value = code_el
        .child(ns, "Value")
        .ok_or_else(|| missing("Code/Value"))?;
    let code = resolve_text(&[root, code_el, value], &value.text())?;
    let mut subcodes = Vec::new();
    let mut at = code_el;
    while let Some(sub) = at.child(ns, "Subcode") {
        chain.push(sub);
        let value = sub
            .child(ns, "Value")
            .ok_or_else(|| missing("Subcode/Value"))?;
        let mut scope = chain.clone();
        scope.push(value);
        subcodes.push(resolve_text(&scope, &value.text())?);
        at = sub;
    }
    let reason = root
        .child(ns, "Reason")
        .and_then(|r| r.child(ns, "Text"))
        .ok_or_else(|| missing("Reason/Text"))?;
    Ok(Fault {
        code: FaultCode::from_qname(code, SoapVersion::V12),
        subcodes,
        reason: reason.text(),
        lang: lang(reason),
        actor: root.child(ns, "Role").map(Element::text),
        detail: root
            .child(ns, "Detail")
            .map(|d| read_detail(xml, d, root))
            .transpose()?,
    })
}

fn missing(what: &str) -> Error {
    Error::Fault(format!("no {what}"))
}

fn lang(e: &Element) -> Option<String> {
    e.attr("http://www.w3.org/XML/1998/namespace", "lang")
        .map(str::to_owned)
}

/// Resolves a QName written as text (`s:Client`) against the declarations of `chain`, outermost first.
fn resolve_text(chain: &[&Element], text: &str) -> Result<QName> {
    let decls = chain.iter().flat_map(|e| e.decls.iter());
    let (prefix, local) = split_qname(text.trim());
    let ns = resolve_prefix(decls, prefix)?;
    Ok(QName::new(ns, local))
}

fn read_detail(xml: &str, detail: &Element, root: &Element) -> Result<FaultDetail> {
    if let Some(a) = detail.child(ALTINN_FAULT_NS, "AltinnFault") {
        return read_altinn(a).map(FaultDetail::Altinn);
    }
    Ok(FaultDetail::Other(
        detail
            .elements()
            .map(|e| super::raw::cut(xml, e, &[root, detail]))
            .collect(),
    ))
}

fn read_altinn(a: &Element) -> Result<AltinnFault> {
    let field = |local: &str| -> Option<String> {
        let e = a.child(ALTINN_FAULT_NS, local)?;
        let nil = matches!(e.attr(XSI_NS, "nil").map(str::trim), Some("true" | "1"));
        (!nil).then(|| e.text())
    };
    let error_id = match field("ErrorID") {
        None => None,
        Some(text) => Some(
            text.trim()
                .parse()
                .map_err(|_| Error::Fault(format!("ErrorID `{text}` is not an xs:int")))?,
        ),
    };
    Ok(AltinnFault {
        altinn_error_message: field("AltinnErrorMessage"),
        altinn_extended_error_message: field("AltinnExtendedErrorMessage"),
        altinn_localized_error_message: field("AltinnLocalizedErrorMessage"),
        error_guid: field("ErrorGuid"),
        error_id,
        user_guid: field("UserGuid"),
        user_id: field("UserId"),
    })
}

fn write_detail(detail: &FaultDetail) -> String {
    match detail {
        FaultDetail::Other(entries) => entries.iter().map(|e| e.xml.as_str()).collect(),
        FaultDetail::Altinn(a) => write_altinn(a),
    }
}

/// Writes the fields in the contract's sequence order.
fn write_altinn(a: &AltinnFault) -> String {
    let error_id = a.error_id.map(|i| i.to_string());
    let fields = [
        ("AltinnErrorMessage", &a.altinn_error_message),
        (
            "AltinnExtendedErrorMessage",
            &a.altinn_extended_error_message,
        ),
        (
            "AltinnLocalizedErrorMessage",
            &a.altinn_localized_error_message,
        ),
        ("ErrorGuid", &a.error_guid),
        ("ErrorID", &error_id),
        ("UserGuid", &a.user_guid),
        ("UserId", &a.user_id),
    ];
    let mut out = format!("<AltinnFault xmlns=\"{ALTINN_FAULT_NS}\">");
    for (name, value) in fields {
        if let Some(v) = value {
            out.push_str(&format!("<{name}>{}</{name}>", escape(v.as_str())));
        }
    }
    out.push_str("</AltinnFault>");
    out
}
