//! The old world: WSDL 1.1 services, bindings, operations and messages.

use serde::Serialize;

use super::names::{OpId, QName};
use super::types::{TypeGraph, TypeRef};
use crate::diag::Span;

/// SOAP protocol version of a binding or port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SoapVersion {
    /// SOAP 1.1 (`http://schemas.xmlsoap.org/wsdl/soap/`).
    #[serde(rename = "1.1")]
    Soap11,
    /// SOAP 1.2 (`http://schemas.xmlsoap.org/wsdl/soap12/`).
    #[serde(rename = "1.2")]
    Soap12,
}

/// Binding style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// The body holds the part elements as they are.
    Document,
    /// The body holds a wrapper named after the operation, with one child per part.
    Rpc,
}

/// Message exchange pattern of a portType operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mep {
    /// Input and output.
    RequestResponse,
    /// Input only.
    OneWay,
    /// Output, then input (rare).
    SolicitResponse,
    /// Output only (rare).
    Notification,
}

/// What a message part carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PartContent {
    /// `element=`: a global element.
    Element {
        /// The element's name.
        element: QName,
        /// The element's type.
        ty: TypeRef,
        /// The element is nillable.
        nullable: bool,
    },
    /// `type=`: a type (rpc style); the part name becomes the (unqualified) element name.
    Type {
        /// The type.
        ty: TypeRef,
    },
}

impl PartContent {
    /// The type carried.
    pub fn ty(&self) -> &TypeRef {
        match self {
            PartContent::Element { ty, .. } | PartContent::Type { ty } => ty,
        }
    }
}

/// A part of a message, as used in an operation's body or header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessagePart {
    /// The part's name.
    pub name: String,
    /// The message that declares it (header parts may come from another message).
    pub message: QName,
    /// What it carries.
    pub content: PartContent,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Option<Span>,
}

/// An operation's input or output as bound: which parts go in the body, which in headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SoapMessage {
    /// `name=` on the portType's input/output, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The message.
    pub message: QName,
    /// `wsaw:Action` / `wsam:Action`, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Parts in the SOAP body, in order.
    pub body: Vec<MessagePart>,
    /// Parts in SOAP headers (`soap:header`), in binding order.
    pub headers: Vec<MessagePart>,
    /// rpc style: the wrapper's namespace (`soap:body namespace=`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpc_namespace: Option<String>,
    /// The body is a single binary element (WCF streamed: `StreamBody`, base64Binary), sent as
    /// MTOM/XOP when the binding asks for it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub streamed: bool,
}

impl SoapMessage {
    /// Header parts, then body parts: every place a value of the message can sit.
    pub fn parts(&self) -> impl Iterator<Item = &MessagePart> {
        self.headers.iter().chain(&self.body)
    }
}

/// A named fault of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SoapFault {
    /// The fault's name (`wsdl:fault name=`).
    pub name: String,
    /// Its message.
    pub message: QName,
    /// `wsaw:Action`, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The detail part (a fault message has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<MessagePart>,
}

/// One operation as a client calls it: portType operation plus its binding, resolved down to
/// element types. This is the view emitters use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SoapOperation {
    /// `{ns}Binding/Operation`.
    pub id: OpId,
    /// The operation's name.
    pub name: String,
    /// The binding it is bound in.
    pub binding: QName,
    /// The portType that declares it.
    pub port_type: QName,
    /// SOAP version of the binding.
    pub soap_version: SoapVersion,
    /// Style (the operation's, else the binding's, else document).
    pub style: Style,
    /// `soapAction` (SOAP 1.1 header, SOAP 1.2 `action` parameter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub soap_action: Option<String>,
    /// Request/response, one-way, ...
    pub mep: Mep,
    /// The request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<SoapMessage>,
    /// The response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<SoapMessage>,
    /// Declared faults, sorted by name.
    pub faults: Vec<SoapFault>,
    /// The binding requires MTOM (`wsoma:OptimizedMimeSerialization` policy).
    pub mtom: bool,
    /// WS-Policy assertions in force for this operation (qualified names, sorted, deduplicated),
    /// e.g. `{http://schemas.xmlsoap.org/ws/2005/07/securitypolicy}TransportBinding`.
    pub policies: Vec<QName>,
    /// `wsdl:documentation` on the portType operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Where the portType operation is declared.
    #[serde(skip)]
    pub span: Option<Span>,
}

/// A port of a service: a binding at an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Port {
    /// The port's name.
    pub name: String,
    /// Its binding.
    pub binding: QName,
    /// `soap:address location` / `soap12:address location`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// From the address element's namespace.
    pub soap_version: SoapVersion,
}

/// A `wsdl:service`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// The service's name.
    pub name: QName,
    /// Its ports, sorted by name.
    pub ports: Vec<Port>,
    /// `wsdl:documentation`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// A portType operation's declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortTypeOperation {
    /// Its name.
    pub name: String,
    /// Exchange pattern.
    pub mep: Mep,
    /// Input message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<QName>,
    /// Output message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<QName>,
    /// Fault names and their messages.
    pub faults: Vec<(String, QName)>,
}

/// A `wsdl:portType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortType {
    /// Its name.
    pub name: QName,
    /// Operations in declaration order.
    pub operations: Vec<PortTypeOperation>,
}

/// One operation inside a binding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BindingOperation {
    /// Its name.
    pub name: String,
    /// `soapAction`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub soap_action: Option<String>,
    /// Style.
    pub style: Style,
}

/// A `wsdl:binding` with a SOAP binding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    /// Its name.
    pub name: QName,
    /// The portType it binds.
    pub port_type: QName,
    /// SOAP version.
    pub soap_version: SoapVersion,
    /// `transport=` of the soap:binding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport: Option<String>,
    /// Default style.
    pub style: Style,
    /// Bound operations in declaration order.
    pub operations: Vec<BindingOperation>,
    /// MTOM required.
    pub mtom: bool,
    /// Policy assertions attached to the binding (sorted, deduplicated).
    pub policies: Vec<QName>,
}

/// A global element declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementDecl {
    /// Its name.
    pub name: QName,
    /// Its type (anonymous types get an id derived from the element).
    pub ty: TypeRef,
    /// `nillable`.
    pub nullable: bool,
    /// `default`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `fixed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// `abstract`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub is_abstract: bool,
    /// `substitutionGroup`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub substitution_group: Option<QName>,
    /// Documentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Option<Span>,
}

/// Facts about one `xs:schema` that serialisation needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaInfo {
    /// `targetNamespace` (empty for none).
    pub target_namespace: String,
    /// `elementFormDefault="qualified"`.
    pub elements_qualified: bool,
    /// `attributeFormDefault="qualified"`.
    pub attributes_qualified: bool,
    /// The file it is in (display name).
    pub file: String,
}

/// A `wsdl:message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageDef {
    /// Its name.
    pub name: QName,
    /// Its parts in order.
    pub parts: Vec<MessagePart>,
}

/// One WSDL with everything it imports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SoapContract {
    /// `definitions name=`, else the first service's name, else the file stem.
    pub name: String,
    /// The file it was loaded from (display name as given).
    pub source: String,
    /// Every file read for it (the WSDL, imported WSDLs and XSDs), in reading order.
    pub files: Vec<String>,
    /// `targetNamespace` of the definitions.
    pub target_namespace: String,
    /// `wsdl:documentation` of the definitions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Services sorted by name.
    pub services: Vec<Service>,
    /// PortTypes sorted by name.
    pub port_types: Vec<PortType>,
    /// Bindings sorted by name.
    pub bindings: Vec<Binding>,
    /// Messages sorted by name.
    pub messages: Vec<MessageDef>,
    /// Operations as bound (one per binding operation), sorted by id.
    pub operations: Vec<SoapOperation>,
    /// Global elements sorted by name.
    pub elements: Vec<ElementDecl>,
    /// The schemas read, sorted by namespace then file.
    pub schemas: Vec<SchemaInfo>,
    /// Every type.
    pub types: TypeGraph,
}

impl SoapOperation {
    /// The request's header and body parts (none for an operation without input).
    pub fn input_parts(&self) -> Vec<&MessagePart> {
        self.input.iter().flat_map(SoapMessage::parts).collect()
    }

    /// The response's header and body parts (none for a one-way operation).
    pub fn output_parts(&self) -> Vec<&MessagePart> {
        self.output.iter().flat_map(SoapMessage::parts).collect()
    }
}

impl SoapContract {
    /// The operation with this name in any binding (the first by id).
    pub fn operation(&self, name: &str) -> Option<&SoapOperation> {
        self.operations.iter().find(|o| o.name == name)
    }

    /// The global element with this name.
    pub fn element(&self, name: &QName) -> Option<&ElementDecl> {
        self.elements
            .binary_search_by(|e| e.name.cmp(name))
            .ok()
            .map(|i| &self.elements[i])
    }

    /// SOAP versions used by the bindings, sorted and deduplicated.
    pub fn soap_versions(&self) -> Vec<SoapVersion> {
        let mut v: Vec<_> = self.bindings.iter().map(|b| b.soap_version).collect();
        v.sort();
        v.dedup();
        v
    }
}
