//! The resolved link model: a manifest checked against both contracts, with every path walked
//! to its types. Emitters read this and the type graphs; never the manifest's TOML.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::Span;
use crate::model::{EndpointId, HttpMethod, OpId, ParamLocation, QName, TypeRef};

/// Migration strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Strategy {
    /// The SOAP API ends; callers adopt the REST API (typed clients keep the old shapes).
    #[serde(rename = "1")]
    AdoptRest,
    /// A transition layer keeps the SOAP contract alive over Altinn 3.
    #[serde(rename = "2")]
    Facade,
}

/// How the old service authenticated callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OldAuth {
    /// System user name and password in body or header parts.
    SystemUserPassword,
    /// An enterprise certificate (WS-Security / TLS client certificate).
    EnterpriseCertificate,
    /// An end user's login (ID-porten / Altinn cookie).
    EndUserLogin,
    /// None.
    None,
}

/// The authentication change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthChange {
    /// Before.
    pub old: OldAuth,
    /// SOAP paths that carried credentials.
    pub old_fields: Vec<String>,
    /// SOAP input paths naming the party the caller acts for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub party_fields: Vec<String>,
    /// Maskinporten scopes now needed (sorted).
    pub scopes: Vec<String>,
    /// Acting through an Altinn system user.
    pub system_user: bool,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One step of a path, with what the contract says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathStep {
    /// The name as written (element, attribute or property).
    pub name: String,
    /// The qualified XML name (SOAP paths only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xml_name: Option<QName>,
    /// The step's type.
    pub ty: TypeRef,
    /// May be absent.
    pub optional: bool,
    /// May be nil/null.
    pub nullable: bool,
    /// Repeats (a list item or a repeated element).
    pub many: bool,
}

/// A path walked through a type graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedPath {
    /// As written in the manifest.
    pub text: String,
    /// Its steps, root first.
    pub steps: Vec<PathStep>,
}

impl ResolvedPath {
    /// The type at the end.
    pub fn leaf_type(&self) -> Option<&TypeRef> {
        self.steps.last().map(|s| &s.ty)
    }

    /// Some step may be absent or nil.
    pub fn may_be_absent(&self) -> bool {
        self.steps.iter().skip(1).any(|s| s.optional || s.nullable)
    }
}

/// Where a value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Source {
    /// A field of the SOAP input (or, for outputs, of nothing: see `Response`).
    Soap {
        /// The path.
        path: ResolvedPath,
    },
    /// A field of a REST call's response.
    Response {
        /// The call's name.
        call: String,
        /// The path in its JSON body.
        path: ResolvedPath,
    },
    /// A constant.
    Const {
        /// The value as text.
        value: String,
    },
    /// A value from the deployment's configuration (e.g. the sender's organisation number),
    /// supplied to the generated client or facade at run time.
    Config {
        /// The configuration key.
        key: String,
    },
}

/// Where a value goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Target {
    /// A property of a call's JSON (or multipart) body.
    Body {
        /// The call's name.
        call: String,
        /// The path under the body.
        path: ResolvedPath,
    },
    /// A path, query, header or cookie parameter of a call.
    Param {
        /// The call's name.
        call: String,
        /// Where.
        location: ParamLocation,
        /// The parameter's name.
        name: String,
        /// Its type.
        ty: TypeRef,
        /// Required by the spec.
        required: bool,
    },
    /// A field of the SOAP output.
    Soap {
        /// The path.
        path: ResolvedPath,
    },
    /// Nowhere: the field is dropped.
    Dropped,
}

/// A format conversion: the shared vocabulary's (the runtime executes the same enum).
pub use altinn_bridge_vocab::Format;

/// A step applied to a value on its way, in this order: (an answer's prefix taken off), split,
/// first, map, lookup, format, (a request's prefix put on), join, default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Transform {
    /// Text to a list.
    Split {
        /// Separator.
        separator: String,
    },
    /// Only the first of several values (the rest are dropped, and the docs say so).
    First,
    /// Enumeration (or boolean) values, old → new.
    EnumMap {
        /// The table.
        map: BTreeMap<String, String>,
    },
    /// Through a table supplied by configuration at run time (e.g. service code → resource id).
    Lookup {
        /// The table's configuration key.
        table: String,
    },
    /// A format conversion.
    Format {
        /// Which.
        format: Format,
    },
    /// Text put before each value on its way to Altinn 3 (a request link's `prefix`).
    Prefix {
        /// The prefix.
        prefix: String,
    },
    /// The same prefix taken off each Altinn 3 value on its way back (an answer link's
    /// `prefix`); a value without it is an error at run time.
    StripPrefix {
        /// The prefix.
        prefix: String,
    },
    /// A list to text.
    Join {
        /// Separator.
        separator: String,
    },
    /// Used when the source is absent or nil.
    Default {
        /// The value as text.
        value: String,
    },
}

/// A condition on the items of a repeated source: only items whose field holds the value count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    /// Which step of the source path is the item (its last repeated step).
    pub item: usize,
    /// The field, below the item.
    pub path: ResolvedPath,
    /// The value it must hold.
    pub equals: String,
}

/// One resolved field link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldLink {
    /// From.
    pub from: Source,
    /// Only the source's items that pass these (`where`); empty: all of them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filter: Vec<Filter>,
    /// To.
    pub to: Target,
    /// Applied in order; empty means the value is carried as is (a rename at most).
    pub transforms: Vec<Transform>,
    /// Why a dropped field is dropped, or a note for the docs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where in the manifest.
    #[serde(skip)]
    pub span: Option<Span>,
}

/// One REST call of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    /// Its name in the manifest.
    pub name: String,
    /// The endpoint.
    pub endpoint: EndpointId,
    /// Which OpenAPI document (index into the link set's REST sources).
    pub api: usize,
    /// Method.
    pub method: HttpMethod,
    /// Path template.
    pub path: String,
    /// Repeated per item of a list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub for_each: Option<Loop>,
    /// The media type of the request body it sends (`None`: no body): the manifest's `body`,
    /// else the JSON one the OpenAPI document declares, else its first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The answer comes page by page (see [`Pages`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<Pages>,
    /// The media types its success (2XX) responses declare, sorted; the lowering decides from
    /// them what the call asks for (`Accept`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a paged answer leads to its next page. Every page is fetched with the same request
/// (only the token or the URL changes) and the items of each are collected into the first's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Pages {
    /// A continuation token in the answer, sent back in a query parameter.
    Token {
        /// The array collected from every page.
        items: ResolvedPath,
        /// The field with the next page's token; absent, null or empty: the last page.
        token: ResolvedPath,
        /// The query parameter that carries it.
        param: String,
        /// A boolean field saying whether another page follows.
        #[serde(skip_serializing_if = "Option::is_none")]
        more: Option<ResolvedPath>,
    },
    /// A link to the next page in the answer.
    Next {
        /// The array collected from every page.
        items: ResolvedPath,
        /// The field with the next page's URL; absent, null or empty: the last page.
        next: ResolvedPath,
    },
}

/// What a repeated call iterates over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Loop {
    /// Items of a SOAP input list.
    Soap {
        /// The list's path.
        path: ResolvedPath,
    },
    /// Items of an array in an earlier call's response.
    Response {
        /// The earlier call.
        call: String,
        /// The array's path in its response.
        path: ResolvedPath,
    },
}

impl Loop {
    /// The path iterated over.
    pub fn path(&self) -> &ResolvedPath {
        match self {
            Loop::Soap { path } | Loop::Response { path, .. } => path,
        }
    }
}

/// A REST error → SOAP fault mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultMap {
    /// Which failures it answers: `404`, `4XX`, `default`, `timeout`.
    pub status: altinn_bridge_vocab::StatusMatch,
    /// The SOAP fault's name.
    pub fault: String,
    /// Client (true) or server (false) fault code.
    pub client: bool,
    /// Detail field → ProblemDetails path or `=literal`.
    pub fields: BTreeMap<String, String>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Counts for one operation or API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// SOAP input leaf fields with a link.
    pub linked: usize,
    /// SOAP input leaf fields explicitly dropped (or carrying old credentials).
    pub dropped: usize,
    /// SOAP input leaf fields neither linked nor dropped.
    pub unresolved: usize,
}

impl Coverage {
    /// Adds another's counts.
    pub fn add(&mut self, o: Coverage) {
        self.linked += o.linked;
        self.dropped += o.dropped;
        self.unresolved += o.unresolved;
    }

    /// All leaf fields.
    pub fn total(&self) -> usize {
        self.linked + self.dropped + self.unresolved
    }
}

/// One SOAP operation and what replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpLink {
    /// The operation.
    pub soap_op: OpId,
    /// Its name.
    pub name: String,
    /// Strategy for it.
    pub strategy: Strategy,
    /// The calls, in order (empty with `no_successor`).
    pub calls: Vec<Call>,
    /// Why Altinn 3 has no successor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_successor: Option<String>,
    /// SOAP input → REST request links (drops included, as `Target::Dropped`).
    pub inputs: Vec<FieldLink>,
    /// REST response → SOAP output links.
    pub outputs: Vec<FieldLink>,
    /// Fault mappings: the operation's, then the API's.
    pub faults: Vec<FaultMap>,
    /// Input leaf coverage.
    pub coverage: Coverage,
    /// Input leaf paths neither linked nor dropped.
    pub unresolved: Vec<String>,
    /// The manifest's `auth.party_fields` that are this operation's inputs, resolved: where a
    /// request names the party the caller acts for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<ResolvedPath>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One manifest, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolved {
    /// The Altinn 2 service.
    pub api: String,
    /// Title for docs.
    pub title: String,
    /// Summary for docs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `service-owner` or `end-user-system`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// The manifest's display name.
    pub manifest: String,
    /// Default strategy.
    pub strategy: Strategy,
    /// The authentication change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthChange>,
    /// The WSDL's display name.
    pub wsdl: String,
    /// The OpenAPI documents' display names, in manifest order ([`Call::api`] indexes this).
    pub openapi: Vec<String>,
    /// Operations in manifest order.
    pub operations: Vec<OpLink>,
    /// The API-wide fault mappings (`[[faults]]`), in manifest order: every operation's
    /// [`OpLink::faults`] ends with them, so generated code can define them once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultMap>,
    /// SOAP operations of the contract that the manifest does not mention (sorted).
    pub unmapped_operations: Vec<String>,
    /// Input coverage over all operations.
    pub coverage: Coverage,
}
