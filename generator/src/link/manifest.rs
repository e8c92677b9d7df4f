//! The mapping manifest as written: TOML read with spans, so every later error has a line and
//! column. Nothing here knows the contracts; [`super::resolve`] checks the manifest against them.
//!
//! ```toml
//! api = "CorrespondenceAgencyExternalBasic"
//! title = "Correspondence for service owners"
//! strategy = 1
//!
//! [sources]
//! wsdl = "../wsdl/CorrespondenceAgencyExternalBasic.wsdl"
//! openapi = ["../openapi/altinn-correspondence-v1.json"]
//! # or pinned: openapi = [{ url = "https://…", sha256 = "…", path = "local copy" }]
//!
//! [auth]
//! old = "system-user-password"
//! old_fields = ["InsertCorrespondenceBasicV2/systemUserName"]
//! scopes = ["altinn:correspondence.write", "altinn:serviceowner"]
//!
//! [[operations]]
//! soap = "InsertCorrespondenceBasicV2"
//! calls = [{ name = "create", endpoint = "POST /correspondence/api/v1/correspondence" }]
//!
//! [[operations.inputs]]
//! from = "InsertCorrespondenceBasicV2/correspondence/ServiceCode"
//! to = "body.correspondence.resourceId"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, FileId, SourceMap, Span};

/// A whole manifest file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The Altinn 2 service this manifest migrates (used for module and page names).
    pub api: Spanned<String>,
    /// A human title for docs.
    #[serde(default)]
    pub title: Option<String>,
    /// What the migration is about, in a few sentences (Markdown).
    #[serde(default)]
    pub summary: Option<String>,
    /// Who migrates: `service-owner` or `end-user-system`.
    #[serde(default)]
    pub audience: Option<Spanned<String>>,
    /// Default strategy: 1 (the old API ends; callers adopt the new one) or 2 (a transition facade).
    pub strategy: Spanned<u8>,
    /// The contracts.
    pub sources: Sources,
    /// Old and new authentication.
    #[serde(default)]
    pub auth: Option<Auth>,
    /// REST error → SOAP fault mappings for every operation (operations may override).
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
    /// The operations.
    #[serde(default)]
    pub operations: Vec<OperationSpec>,
}

/// One contract source: `"path"` relative to the manifest, or a table
/// `{ path = "…", url = "…", sha256 = "…" }` where a URL needs its sha256 pin and a local copy
/// (`path`) or `--contracts`, since altinn-bridge never fetches.
#[derive(Debug, Clone, Default)]
pub struct SourceSpec {
    /// A path relative to the manifest.
    pub path: Option<Spanned<String>>,
    /// Where the document is published.
    pub url: Option<Spanned<String>>,
    /// Hex sha256 of the document's bytes.
    pub sha256: Option<Spanned<String>>,
}

/// The table form of [`SourceSpec`] (fields keep their spans).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceTable {
    path: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    sha256: Option<Spanned<String>>,
}

impl<'de> Deserialize<'de> for SourceSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = SourceSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a path, or a table with `path`, `url` and `sha256`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SourceSpec, E> {
                // A bare string has no span of its own here; the field's span covers it.
                Ok(SourceSpec {
                    path: Some(Spanned::new(0..0, v.to_owned())),
                    ..SourceSpec::default()
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<SourceSpec, A::Error> {
                let t =
                    SourceTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(SourceSpec {
                    path: t.path,
                    url: t.url,
                    sha256: t.sha256,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// `[sources]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sources {
    /// The Altinn 2 WSDL.
    pub wsdl: Spanned<SourceSpec>,
    /// The Altinn 3 OpenAPI document(s), in the order calls may refer to them.
    pub openapi: Vec<Spanned<SourceSpec>>,
}

/// `[auth]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// How the old service authenticated: `system-user-password`, `enterprise-certificate`,
    /// `end-user-login`, `none`.
    pub old: Spanned<String>,
    /// SOAP paths (body or header) that carry old credentials; they count as consumed.
    #[serde(default)]
    pub old_fields: Vec<Spanned<String>>,
    /// SOAP input paths (body or header) naming the party the caller acts for; the facade lets
    /// a legacy caller act only for its configured parties. They still need a link or a drop.
    #[serde(default)]
    pub party_fields: Vec<Spanned<String>>,
    /// Maskinporten scopes the new API needs.
    #[serde(default)]
    pub scopes: Vec<Spanned<String>>,
    /// The caller acts through an Altinn system user (end-user systems).
    #[serde(default)]
    pub system_user: bool,
    /// Free text for the docs.
    #[serde(default)]
    pub note: Option<String>,
}

/// A REST error → SOAP fault mapping.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// `404`, `4XX`, `5XX`, `default`, or `timeout`.
    pub status: Spanned<String>,
    /// The SOAP fault name (e.g. `AltinnFault`).
    pub fault: Spanned<String>,
    /// `client` (SOAP 1.1 Client / 1.2 Sender) or `server` (Server / Receiver).
    pub code: Spanned<String>,
    /// Fault detail field (path under the detail element) ← ProblemDetails JSON path or a
    /// literal written as `=text`.
    #[serde(default)]
    pub fields: BTreeMap<String, Spanned<String>>,
    /// Free text for the docs.
    #[serde(default)]
    pub note: Option<String>,
}

/// One Altinn 2 operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationSpec {
    /// The SOAP operation's name.
    pub soap: Spanned<String>,
    /// Overrides the API's strategy.
    #[serde(default)]
    pub strategy: Option<Spanned<u8>>,
    /// Why there is no Altinn 3 successor (then `calls` must be empty).
    #[serde(default)]
    pub no_successor: Option<Spanned<String>>,
    /// Free text for the docs.
    #[serde(default)]
    pub note: Option<String>,
    /// The REST calls, in order.
    #[serde(default)]
    pub calls: Vec<CallSpec>,
    /// SOAP input → REST request field links.
    #[serde(default)]
    pub inputs: Vec<LinkSpec>,
    /// REST response → SOAP output field links.
    #[serde(default)]
    pub outputs: Vec<LinkSpec>,
    /// Operation-specific fault mappings (tried before the API's).
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
}

/// One REST call.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallSpec {
    /// A name links refer to (`call = "create"`).
    pub name: Spanned<String>,
    /// `METHOD /path` or the endpoint's (derived) name.
    pub endpoint: Spanned<String>,
    /// Repeat the call once per item of a list: a SOAP input path, or `CALL: path[]` for an array
    /// in an earlier call's response.
    #[serde(default)]
    pub for_each: Option<Spanned<String>>,
    /// The media type of the request body (`application/octet-stream` for a file upload), when
    /// the OpenAPI document declares none or several.
    #[serde(default)]
    pub body: Option<Spanned<String>>,
    /// The answer comes page by page: every page is fetched and its items collected.
    #[serde(default)]
    pub pages: Option<PagesSpec>,
    /// Free text for the docs.
    #[serde(default)]
    pub note: Option<String>,
}

/// How a paged answer leads to its next page: by a continuation token sent back as a query
/// parameter (`token` and `param`, optionally `more`), or by a link (`next`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagesSpec {
    /// The array collected from every page (`items`, `data`).
    pub items: Spanned<String>,
    /// The response field holding the next page's continuation token.
    #[serde(default)]
    pub token: Option<Spanned<String>>,
    /// The query parameter the token is sent back in.
    #[serde(default)]
    pub param: Option<Spanned<String>>,
    /// A boolean response field: another page follows (`hasNextPage`).
    #[serde(default)]
    pub more: Option<Spanned<String>>,
    /// The response field holding the next page's URL (`links.next`).
    #[serde(default)]
    pub next: Option<Spanned<String>>,
}

/// One field link. Exactly one of `from`, `value`, `config` says where the value comes from
/// (`drop` with `from` says it goes nowhere); the other keys are transforms applied in the order listed in
/// [`super::Transform`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    /// Source path: a SOAP input path for inputs; a REST response path for outputs.
    #[serde(default)]
    pub from: Option<Spanned<String>>,
    /// For inputs: take `from` out of an earlier call's response instead of the SOAP input.
    /// For outputs: which call's response `from` is in (default: the last call).
    #[serde(default)]
    pub call: Option<Spanned<String>>,
    /// Target: for inputs `body.a.b`, `path.x`, `query.x`, `header.x`; for outputs a SOAP output
    /// path. Absent only with `drop`.
    #[serde(default)]
    pub to: Option<Spanned<String>>,
    /// For inputs: the call the target belongs to (default: the only call, else required).
    #[serde(default)]
    pub into: Option<Spanned<String>>,
    /// A constant instead of a source.
    #[serde(default)]
    pub value: Option<Spanned<String>>,
    /// A deployment configuration key instead of a source (e.g. `sender`).
    #[serde(default)]
    pub config: Option<Spanned<String>>,
    /// Outputs only: a SOAP input path whose value the answer repeats (old answers that echo
    /// each request item, e.g. the reportee of every right added).
    #[serde(default)]
    pub echo: Option<Spanned<String>>,
    /// Map the value through a table supplied by configuration at run time.
    #[serde(default)]
    pub lookup: Option<Spanned<String>>,
    /// Used when the source is absent or nil.
    #[serde(default)]
    pub default: Option<Spanned<String>>,
    /// Enumeration value map, old → new.
    #[serde(default)]
    pub map: Option<Spanned<BTreeMap<String, String>>>,
    /// A format conversion: `date-time-utc`, `date`, `html-to-markdown`, `text-to-markdown`,
    /// `base64-to-binary`, `string`, `integer`.
    #[serde(default)]
    pub format: Option<Spanned<String>>,
    /// Split the source text on this separator into a list.
    #[serde(default)]
    pub split: Option<Spanned<String>>,
    /// Join a source list into text with this separator.
    #[serde(default)]
    pub join: Option<Spanned<String>>,
    /// The Altinn 3 side writes the value after this prefix: put before it in a request link,
    /// taken off (and required) in an answer link.
    #[serde(default)]
    pub prefix: Option<Spanned<String>>,
    /// Keep only the first value of a repeated source; the others are dropped, as the docs say.
    #[serde(default)]
    pub first: Option<Spanned<bool>>,
    /// Only the items of a repeated source whose fields hold these values: field path (below
    /// the item) → value (`where = { dataType = "ref-data-as-pdf" }`).
    #[serde(default, rename = "where")]
    pub filter: Option<Spanned<std::collections::BTreeMap<String, String>>>,
    /// Not carried over, and why.
    #[serde(default)]
    pub drop: Option<Spanned<String>>,
    /// Free text for the docs.
    #[serde(default)]
    pub note: Option<String>,
}

/// Parses a manifest file of the source map.
pub fn parse(sources: &SourceMap, file: FileId) -> Result<Manifest, Diagnostic> {
    let text = &sources.file(file).text;
    toml::from_str::<Manifest>(text).map_err(|e| {
        let range = e.span().unwrap_or(0..0);
        let message = e.message().trim_end().to_owned();
        Diagnostic::error(format!("invalid manifest: {message}"))
            .at(Span::new(file, range), "here")
            .note("expected a mapping manifest (see mappings/README.md for the format)")
    })
}

/// The span of a spanned value in `file`.
pub fn span_of<T>(file: FileId, v: &Spanned<T>) -> Span {
    Span::new(file, v.span())
}
