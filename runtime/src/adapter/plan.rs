//! The static description of an operation that generated code hands to [`super::run`]: its
//! Altinn 3 calls in order and every field link between the old and the new contract.
//!
//! The generator writes one `static` [`Operation`] per mapped SOAP operation, straight from the
//! resolved manifest; the executor in this crate walks it. Keeping the walking here means every
//! adapter shares one tested implementation of loops, lookups and formats, while the typed edges
//! (SOAP structs in, REST types checked on the wire, SOAP structs out) stay generated.

use serde_json::Value;

/// The shared vocabulary the generator decided with: the same enums, defined once in
/// `altinn-bridge-vocab`.
pub use altinn_bridge_vocab::{
    BodyKind, Format, Kind, Method, ParamIn, Retry, SYSTEM_USER_ORG, StatusMatch,
};

/// One SOAP operation and the Altinn 3 calls that replace it.
#[derive(Debug)]
pub struct Operation {
    /// The SOAP operation's name.
    pub name: &'static str,
    /// The calls, in the order they are made.
    pub calls: &'static [Call],
    /// SOAP input (or earlier responses, constants, settings) → request fields.
    pub inputs: &'static [Link],
    /// Responses (or constants, settings) → SOAP output fields.
    pub outputs: &'static [Link],
    /// REST error → SOAP fault rules, the operation's first, then the API's.
    pub faults: &'static [FaultRule],
    /// The SOAP output element (namespace, local name), if the operation answers.
    pub output: Option<(&'static str, &'static str)>,
    /// The calls act through an Altinn system user: each asks for a system-user token for the
    /// organisation in the setting [`SYSTEM_USER_ORG`].
    pub system_user: bool,
}

/// Reads a JSON request body through a generated REST type and writes it back.
pub type CheckRequest = fn(&Value) -> Result<Value, String>;

/// Reads a JSON answer through a generated REST type.
pub type CheckResponse = fn(&Value) -> Result<(), String>;

/// One HTTP call.
#[derive(Debug)]
pub struct Call {
    /// The call's name in the manifest (links refer to it).
    pub name: &'static str,
    /// The Altinn 3 API it goes to (the OpenAPI document's file stem); see [`super::Upstream`].
    pub api: &'static str,
    /// `GET`, `POST`, ...
    pub method: Method,
    /// The path template (`/correspondence/api/v1/attachment/{attachmentId}/upload`).
    pub path: &'static str,
    /// Made once per item of a list, or once.
    pub for_each: Option<Loop>,
    /// How the request body is sent.
    pub body: BodyKind,
    /// Whether the call may be sent again when its outcome is unknown, and why (decided by the
    /// generator, shown in the docs).
    pub retry: Retry,
    /// The answer comes page by page: every page is fetched and its items collected.
    pub pages: Option<Pages>,
    /// The media type asked for (`Accept`), when the call answers JSON: a server may otherwise
    /// pick another type it declares. `None`: any (files, empty answers).
    pub accept: Option<&'static str>,
    /// Checks a JSON request body against the generated REST type (and normalises it through
    /// it) before it is sent.
    pub check_request: Option<CheckRequest>,
    /// Checks a JSON response against the generated REST type.
    pub check_response: Option<CheckResponse>,
}

/// How a paged answer leads to its next page. Every page repeats the call's request (only the
/// token or the URL changes) and its items are added to the first page's.
#[derive(Debug, Clone, Copy)]
pub enum Pages {
    /// A continuation token in the answer, sent back in a query parameter.
    Token {
        /// The array collected from every page.
        items: &'static [JsonStep],
        /// The field with the next page's token; absent, null or empty: the last page.
        token: &'static [JsonStep],
        /// The query parameter that carries it.
        param: &'static str,
        /// A boolean field saying whether another page follows.
        more: Option<&'static [JsonStep]>,
    },
    /// A link to the next page in the answer, on the API's own base URL.
    Next {
        /// The array collected from every page.
        items: &'static [JsonStep],
        /// The field with the next page's URL; absent, null or empty: the last page.
        next: &'static [JsonStep],
    },
}

/// What a repeated call iterates over.
#[derive(Debug, Clone, Copy)]
pub enum Loop {
    /// The elements at a SOAP input path (steps below the root element).
    Soap(&'static [XmlStep]),
    /// The items of an array in an earlier call's response.
    Response {
        /// The earlier call.
        call: &'static str,
        /// The array's path in its response body (its last `many` step is iterated).
        path: &'static [JsonStep],
    },
}

/// One step of a SOAP path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlStep {
    /// Namespace URI ("" when unqualified).
    pub ns: &'static str,
    /// Local name.
    pub local: &'static str,
    /// An attribute (always the last step).
    pub attribute: bool,
    /// Repeats.
    pub many: bool,
}

/// One step of a JSON path: a property (`name`) or, with an empty name, the value itself;
/// `many` steps into the items of an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct JsonStep {
    /// The property, or "" for the value itself.
    pub name: &'static str,
    /// Into the array's items.
    pub many: bool,
}

/// One field link.
#[derive(Debug)]
pub struct Link {
    /// The field as the manifest names it: errors name it so.
    pub field: &'static str,
    /// Where the value comes from.
    pub from: Source,
    /// Only the source's items that pass these (the manifest's `where`).
    pub filter: &'static [Filter],
    /// Where it goes.
    pub to: Target,
    /// Applied in order.
    pub transforms: &'static [Transform],
}

/// Only the items of a repeated source whose field holds a value.
#[derive(Debug, Clone, Copy)]
pub struct Filter {
    /// The index, in the source path, of its repeated step whose items are tested.
    pub item: usize,
    /// The field below the item.
    pub path: FilterPath,
    /// The text it must hold.
    pub equals: &'static str,
}

/// The field a [`Filter`] tests, below the item.
#[derive(Debug, Clone, Copy)]
pub enum FilterPath {
    /// Below a SOAP element.
    Soap(&'static [XmlStep]),
    /// Below a JSON value.
    Json(&'static [JsonStep]),
}

/// Where a value comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// A SOAP input path (steps below the root element).
    Soap(&'static [XmlStep]),
    /// A path in an earlier call's response body.
    Response {
        /// The call.
        call: &'static str,
        /// The path (empty: the whole body).
        path: &'static [JsonStep],
    },
    /// A constant.
    Const(&'static str),
    /// A [`super::Settings`] value.
    Config(&'static str),
}

/// Where a value goes.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// A request body field (empty path: the whole body).
    Body {
        /// The call.
        call: &'static str,
        /// The path under the body.
        path: &'static [JsonStep],
        /// The JSON kind of the leaf.
        kind: Kind,
    },
    /// A path, query or header parameter.
    Param {
        /// The call.
        call: &'static str,
        /// Where.
        location: ParamIn,
        /// The parameter's name.
        name: &'static str,
        /// The spec requires it: a request with no value for it is refused before it is sent.
        required: bool,
    },
    /// A SOAP output field (steps below the output element).
    Soap(&'static [XmlStep]),
    /// A base64Binary SOAP output field filled with a call's whole body (a file download). The
    /// typed path buffers it like [`Target::Soap`]; the facade's path streams the body into the
    /// answer instead (an MTOM part or inline base64), never holding it whole.
    SoapBinary(&'static [XmlStep]),
}

/// A step applied to the values of a link.
#[derive(Debug, Clone, Copy)]
pub enum Transform {
    /// Text to several values at a separator.
    Split(&'static str),
    /// Only the first value; the manifest documents why the others are dropped.
    First,
    /// Old value → new value; a value not in the table is an error.
    Map(&'static [(&'static str, &'static str)]),
    /// Through a [`super::Settings`] table.
    Lookup(&'static str),
    /// A format conversion.
    Format(Format),
    /// Text put before each value on its way to Altinn 3 (`urn:altinn:organization:identifier-no:`
    /// before an organisation number).
    Prefix(&'static str),
    /// The same prefix taken off an Altinn 3 value on its way back; a value without it is an
    /// error, never passed on as it is.
    StripPrefix(&'static str),
    /// Several values to one text.
    Join(&'static str),
    /// Used when there is no value.
    Default(&'static str),
}

/// A REST error → SOAP fault rule.
#[derive(Debug)]
pub struct FaultRule {
    /// Which failures it answers: `404`, `4XX`, `default` or `timeout`.
    pub status: StatusMatch,
    /// A Client/Sender fault (else Server/Receiver).
    pub client: bool,
    /// `AltinnFault` field → ProblemDetails member (`title`, `detail`, `status`, ...) or `=literal`.
    pub fields: &'static [(&'static str, &'static str)],
}
