//! The contract model: one set of types for the old (WSDL/XSD) and the new (OpenAPI) world.
//!
//! Loaders build it, every later stage reads it. Nothing here refers to a parser's types.
//! Collections whose order reaches output are sorted (by id) when a loader finishes, so two runs
//! over the same input produce the same model, whatever the order of files or hash seeds.

mod names;
mod rest;
mod soap;
mod types;

pub use names::{EndpointId, OpId, QName, TypeId};
pub use rest::{
    Endpoint, HttpMethod, MediaContent, ParamLocation, Parameter, RequestBody, Response,
    RestContract, SecurityRequirement, SecurityScheme, Webhook, path_uses,
};
pub use soap::{
    Binding, BindingOperation, ElementDecl, Mep, MessageDef, MessagePart, PartContent, Port,
    PortType, PortTypeOperation, SchemaInfo, Service, SoapContract, SoapFault, SoapMessage,
    SoapOperation, SoapVersion, Style,
};
pub use types::{
    Builtin, ChoiceGroup, Compositor, Derivation, EnumType, EnumValue, Facets, Field, FieldKind,
    ListItem, ListType, MaxOccurs, ScalarType, StructType, TypeDef, TypeGraph, TypeKind, TypeRef,
    UnionMode, UnionType,
};

use serde::Serialize;

/// Everything loaded in one run: old contracts and new ones, each with its own type graph
/// (two WSDLs may define the same qualified names differently, as the single-file and the
/// multi-file CorrespondenceAgencyExternal do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Contract {
    /// WSDL documents (each with everything it imports), sorted by source name.
    pub soap: Vec<SoapContract>,
    /// OpenAPI documents, sorted by source name.
    pub rest: Vec<RestContract>,
}

impl Contract {
    /// Sorts the documents by source so output order does not depend on argument order.
    pub fn sort(&mut self) {
        self.soap.sort_by(|a, b| a.source.cmp(&b.source));
        self.rest.sort_by(|a, b| a.source.cmp(&b.source));
    }
}
