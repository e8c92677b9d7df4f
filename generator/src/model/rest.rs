//! The new world: OpenAPI endpoints, parameters, bodies, responses and webhooks.

use std::collections::BTreeMap;

use serde::Serialize;

use super::names::EndpointId;
use super::types::{TypeGraph, TypeRef};
use crate::diag::Span;

/// Whether the path template `path` has the segment `{name}`: a spec may declare a path
/// parameter its path does not use, and no value can be sent there.
pub fn path_uses(path: &str, name: &str) -> bool {
    path.contains(&format!("{{{name}}}"))
}

/// An HTTP method: the shared vocabulary's (generated code and the runtime use the same enum).
/// Ordered as OpenAPI lists them, so endpoints on one path sort naturally.
pub use altinn_bridge_vocab::Method as HttpMethod;

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// A path, query, header or cookie parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    /// Its name.
    pub name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Must be sent (path parameters always are).
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// May be null.
    pub nullable: bool,
    /// Serialisation style (`simple`, `form`, `deepObject`, ...), defaulted per location.
    pub style: String,
    /// `explode`, defaulted per style.
    pub explode: bool,
    /// Marked deprecated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Documentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// One media type of a body or response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaContent {
    /// e.g. `application/json`, `multipart/form-data`.
    pub media_type: String,
    /// The schema, when one is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ty: Option<TypeRef>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestBody {
    /// Must be sent.
    pub required: bool,
    /// Per media type, sorted by media type.
    pub content: Vec<MediaContent>,
    /// Documentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// A response for one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// `200`, `4XX`, `default`, ...
    pub status: String,
    /// `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Per media type, sorted by media type.
    pub content: Vec<MediaContent>,
    /// Response headers, sorted by name.
    pub headers: Vec<Parameter>,
}

/// A security requirement: a scheme and the scopes it needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityRequirement {
    /// Name of a [`SecurityScheme`].
    pub scheme: String,
    /// Scopes (sorted).
    pub scopes: Vec<String>,
}

/// A `components.securitySchemes` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityScheme {
    /// Its key.
    pub name: String,
    /// `http`, `apiKey`, `oauth2`, `openIdConnect`, `mutualTLS`.
    pub kind: String,
    /// `scheme` for http (`bearer`), `in` + `name` for apiKey (`header: Ocp-Apim-Subscription-Key`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Scopes offered by oauth2 flows (sorted).
    pub scopes: Vec<String>,
    /// Documentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// One operation of the REST API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// `METHOD /path`.
    pub id: EndpointId,
    /// The method.
    pub method: HttpMethod,
    /// The path template as in the spec.
    pub path: String,
    /// `operationId` if given, else a stable name derived from method and path
    /// (`post_correspondence_api_v1_correspondence_upload`).
    pub name: String,
    /// Whether `name` was derived rather than given.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub name_derived: bool,
    /// `summary`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Marked deprecated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Parameters (path-level merged with operation-level, the latter winning), sorted by
    /// location then name.
    pub params: Vec<Parameter>,
    /// The request body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<RequestBody>,
    /// Responses sorted by status.
    pub responses: Vec<Response>,
    /// Security requirements (the operation's, else the document's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<SecurityRequirement>,
    /// `x-` extensions, by key.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, serde_json::Value>,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Option<Span>,
}

/// A webhook (OpenAPI 3.1 `webhooks`): requests the API sends to its subscribers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// Its key in `webhooks`.
    pub name: String,
    /// The requests it sends (one per method), with `path` empty.
    pub operations: Vec<Endpoint>,
}

/// One OpenAPI document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestContract {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// The `openapi` version string as declared.
    pub openapi: String,
    /// The file it was loaded from (display name as given).
    pub source: String,
    /// `info.description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Server URLs.
    pub servers: Vec<String>,
    /// Endpoints sorted by path, then method.
    pub endpoints: Vec<Endpoint>,
    /// Webhooks sorted by name.
    pub webhooks: Vec<Webhook>,
    /// Security schemes sorted by name.
    pub security_schemes: Vec<SecurityScheme>,
    /// Component and inline schemas.
    pub types: TypeGraph,
    /// Top-level `x-` extensions.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

impl RestContract {
    /// The endpoint with this method and path.
    pub fn endpoint(&self, method: HttpMethod, path: &str) -> Option<&Endpoint> {
        self.endpoints
            .iter()
            .find(|e| e.method == method && e.path == path)
    }

    /// The endpoint with this name (operationId or derived).
    pub fn endpoint_named(&self, name: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.name == name)
    }
}
