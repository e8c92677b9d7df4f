//! The context of one API's page: display strings only, table cells already escaped.

use altinn_bridge_vocab::{BodyKind, Retry, StatusMatch};
use serde::Serialize;

use crate::link::{
    Call, FaultMap, FieldLink, Format, Loop, OldAuth, OpLink, Pages, Resolved, Source, Target,
    Transform,
};

use crate::lower::{Lowered, LoweredCall, LoweredOp};

use super::markup::{and_list, breakable, cell, code, prose, quoted, text};
use super::sequence::{diagram, item_name};
use super::words::{audience_label, strategy_number, strategy_text};

#[derive(Serialize)]
pub struct ApiCtx {
    api: String,
    slug: String,
    title: String,
    /// The short name for menus (Hugo's `linktitle`): the API's name.
    linktitle: String,
    description: String,
    weight: usize,
    tags: Vec<String>,
    summary: String,
    audience: String,
    audience_label: String,
    strategy: String,
    strategy_number: u8,
    manifest: String,
    wsdl: String,
    openapi: Vec<String>,
    auth_old: String,
    auth_new: String,
    auth_note: String,
    operations: Vec<OpCtx>,
    /// The settings and lookup tables a deployment must give (as code, comma-separated), or
    /// empty.
    settings: String,
    tables: String,
    unmapped: Vec<String>,
    coverage: String,
}

#[derive(Serialize)]
struct OpCtx {
    name: String,
    /// The name with break opportunities, for table cells.
    name_breakable: String,
    anchor: String,
    strategy: String,
    /// The operation's strategy is not the API's (so the page says it again).
    strategy_differs: bool,
    calls: Vec<CallCtx>,
    /// The calls in one short table cell: method and path, one per line.
    calls_short: String,
    no_successor: String,
    note: String,
    coverage: String,
    /// The SOAP element the request paths are relative to (as code), or empty.
    request_root: String,
    /// The same for the response paths.
    response_root: String,
    inputs: Vec<Row>,
    outputs: Vec<Row>,
    dropped: Vec<Row>,
    unresolved: Vec<String>,
    faults: Vec<Row>,
    sequence: String,
}

/// One REST call, as the page lists it.
#[derive(Serialize)]
struct CallCtx {
    /// The manifest's name for it, which the field tables use.
    name: String,
    method: String,
    path: String,
    /// `for each …` when it repeats, else empty.
    each: String,
    /// How the body is sent: `JSON`, `multipart`, a media type, or empty for none.
    body: String,
    /// Whether the call is retried when its outcome is unknown, and why.
    retry: String,
    /// The media type it asks for (`Accept`), or empty for any.
    accept: String,
    /// How a paged answer is read whole, or empty.
    pages: String,
    note: String,
}

/// One table row, cells already escaped for a Markdown table.
#[derive(Serialize)]
struct Row {
    old: String,
    new: String,
    transform: String,
    note: String,
}

pub fn api_context(r: &Resolved, lowered: &Lowered, slug: String, weight: usize) -> ApiCtx {
    let (auth_old, auth_new, auth_note) = match &r.auth {
        Some(a) => (
            old_auth_text(a.old, &a.old_fields),
            new_auth_text(&a.scopes, a.system_user, &a.party_fields),
            cell(a.note.as_deref().unwrap_or("")),
        ),
        None => ("not stated".into(), "not stated".into(), String::new()),
    };
    let audience = r.audience.clone().unwrap_or_default();
    let strategy = strategy_number(r.strategy);
    ApiCtx {
        api: r.api.clone(),
        slug,
        title: r.title.clone(),
        linktitle: r.api.clone(),
        description: format!(
            "How the Altinn 2 SOAP API {} maps onto Altinn 3, field by field.",
            r.api
        ),
        weight,
        tags: vec![
            "altinn-2-migration".to_owned(),
            if audience.is_empty() {
                "audience-not-stated".to_owned()
            } else {
                audience.clone()
            },
        ],
        summary: prose(r.summary.as_deref().unwrap_or_default().trim()),
        audience_label: audience_label(&audience).to_owned(),
        audience,
        strategy: strategy_text(r.strategy).to_owned(),
        strategy_number: strategy,
        manifest: r.manifest.clone(),
        wsdl: code(&r.wsdl),
        openapi: r.openapi.iter().map(|o| code(o)).collect(),
        auth_old,
        auth_new,
        auth_note,
        operations: r
            .operations
            .iter()
            .zip(&lowered.operations)
            .map(|(o, lo)| op_context(o, lo, strategy))
            .collect(),
        settings: code_list(&lowered.settings),
        tables: code_list(&lowered.tables),
        unmapped: r.unmapped_operations.clone(),
        coverage: format!(
            "{} linked, {} dropped, {} unresolved",
            r.coverage.linked, r.coverage.dropped, r.coverage.unresolved
        ),
    }
}

fn op_context(o: &OpLink, lowered: &LoweredOp, api_strategy: u8) -> OpCtx {
    let request = Root::common(request_paths(o));
    let response = Root::common(o.outputs.iter().filter_map(|l| match &l.to {
        Target::Soap { path } => Some(path.text.as_str()),
        _ => None,
    }));
    let (dropped, inputs): (Vec<&FieldLink>, Vec<&FieldLink>) = o
        .inputs
        .iter()
        .partition(|l| matches!(l.to, Target::Dropped));
    OpCtx {
        name: o.name.clone(),
        name_breakable: breakable(&o.name),
        anchor: o.name.to_lowercase(),
        strategy: strategy_text(o.strategy).to_owned(),
        strategy_differs: strategy_number(o.strategy) != api_strategy,
        calls: o
            .calls
            .iter()
            .zip(&lowered.calls)
            .map(|(c, lc)| call_context(c, lc, &request))
            .collect(),
        calls_short: o
            .calls
            .iter()
            .map(|c| {
                let each = if c.for_each.is_some() { " (each)" } else { "" };
                format!(
                    "{}{each}",
                    code(&format!("{} {}", c.method.as_str(), c.path))
                )
            })
            .collect::<Vec<_>>()
            .join("<br>"),
        no_successor: cell(o.no_successor.as_deref().unwrap_or("")),
        note: prose(o.note.as_deref().unwrap_or_default().trim()),
        coverage: format!(
            "{} linked, {} dropped",
            o.coverage.linked, o.coverage.dropped
        ),
        request_root: request.shown(),
        response_root: response.shown(),
        inputs: inputs.into_iter().map(|l| row(l, &request)).collect(),
        outputs: o.outputs.iter().map(|l| row(l, &response)).collect(),
        dropped: dropped.into_iter().map(|l| row(l, &request)).collect(),
        unresolved: o
            .unresolved
            .iter()
            .map(|u| code(&request.relative(u)))
            .collect(),
        faults: o.faults.iter().map(fault_row).collect(),
        sequence: diagram(o),
    }
}

/// Every SOAP path on the request side of an operation: sources, loops and unmapped fields.
fn request_paths(o: &OpLink) -> impl Iterator<Item = &str> {
    let sources = o.inputs.iter().filter_map(|l| match &l.from {
        Source::Soap { path } => Some(path.text.as_str()),
        _ => None,
    });
    let loops = o.calls.iter().filter_map(|c| match &c.for_each {
        Some(Loop::Soap { path }) => Some(path.text.as_str()),
        _ => None,
    });
    sources
        .chain(loops)
        .chain(o.unresolved.iter().map(String::as_str))
}

/// The SOAP element that a table's paths share, named once above the table so that each row
/// shows only the rest of its path.
struct Root {
    segments: Vec<String>,
}

impl Root {
    /// The longest run of leading path segments that every path has, leaving each path at
    /// least its last segment.
    fn common<'a>(paths: impl Iterator<Item = &'a str>) -> Root {
        let mut common: Option<Vec<&str>> = None;
        for p in paths {
            let segs: Vec<&str> = p.split('/').collect();
            let limit = segs.len() - 1;
            common = Some(match common {
                None => segs[..limit].to_vec(),
                Some(c) => c
                    .iter()
                    .zip(&segs[..limit])
                    .take_while(|(a, b)| a == b)
                    .map(|(a, _)| *a)
                    .collect(),
            });
        }
        Root {
            segments: common
                .unwrap_or_default()
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    /// The path below the root.
    fn relative(&self, path: &str) -> String {
        let segs: Vec<&str> = path.split('/').collect();
        if segs.len() > self.segments.len() && segs.iter().zip(&self.segments).all(|(a, b)| a == b)
        {
            segs[self.segments.len()..].join("/")
        } else {
            path.to_owned()
        }
    }

    /// The root as code, or empty when there is none.
    fn shown(&self) -> String {
        if self.segments.is_empty() {
            String::new()
        } else {
            code(&self.segments.join("/"))
        }
    }
}

/// Names as code, comma-separated.
fn code_list(names: &[String]) -> String {
    names.iter().map(|n| code(n)).collect::<Vec<_>>().join(", ")
}

/// The body kind as the call list says it.
fn body_text(b: &BodyKind<String>) -> String {
    match b {
        BodyKind::None => String::new(),
        BodyKind::Json => "JSON".to_owned(),
        BodyKind::Multipart => "multipart".to_owned(),
        BodyKind::Bytes(m) => code(m),
    }
}

/// The retry rule as the call list says it.
fn retry_text(lc: &LoweredCall) -> String {
    match lc.retry {
        Retry::IdempotentMethod => {
            "retried when the outcome is unknown (idempotent method)".to_owned()
        }
        Retry::IdempotencyKey => format!(
            "retried when the outcome is unknown (the idempotency key {} makes a repeat harmless)",
            code(lc.retry_key.as_deref().unwrap_or("?"))
        ),
        Retry::Never => "never retried once sent (a repeat could act twice)".to_owned(),
    }
}

/// A paged call as the call list says it: every page is read, and how the next is found.
fn pages_text(p: &Pages) -> String {
    match p {
        Pages::Token {
            items,
            token,
            param,
            more,
        } => format!(
            "every page read (the token in {} sent back as {}{}) and the items of {} collected",
            code(&token.text),
            code(param),
            more.as_ref()
                .map(|m| format!(" while {} is true", code(&m.text)))
                .unwrap_or_default(),
            code(&items.text)
        ),
        Pages::Next { items, next } => format!(
            "every page read (by the link in {}, followed only below the API's base URL) and the items of {} collected",
            code(&next.text),
            code(&items.text)
        ),
    }
}

fn call_context(c: &Call, lowered: &LoweredCall, request: &Root) -> CallCtx {
    CallCtx {
        body: body_text(&lowered.body),
        retry: retry_text(lowered),
        accept: lowered.accept.as_deref().map(code).unwrap_or_default(),
        pages: c.pages.as_ref().map(pages_text).unwrap_or_default(),
        name: code(&c.name),
        method: c.method.as_str().to_owned(),
        path: code(&c.path),
        each: match &c.for_each {
            None => String::new(),
            Some(Loop::Soap { path }) => {
                format!("once for each {}", code(&request.relative(&path.text)))
            }
            Some(Loop::Response { call, path }) => match item_name(path) {
                Some(_) => format!(
                    "once for each item of {} in the {} response",
                    code(&path.text),
                    code(call)
                ),
                None => format!("once for each item of the {} response", code(call)),
            },
        },
        note: cell(c.note.as_deref().unwrap_or("")),
    }
}

/// One table row. Request rows read old → new (source, then REST target); response rows read
/// SOAP field ← source, so the Altinn 2 side is always the first column.
fn row(l: &FieldLink, root: &Root) -> Row {
    let (old, new) = match &l.to {
        Target::Soap { path } => (code(&root.relative(&path.text)), source_text(&l.from, root)),
        target => (source_text(&l.from, root), target_text(target)),
    };
    Row {
        old,
        new,
        transform: transform_text(l),
        note: cell(l.note.as_deref().unwrap_or("")),
    }
}

fn source_text(s: &Source, root: &Root) -> String {
    match s {
        Source::Soap { path } => code(&root.relative(&path.text)),
        Source::Response { call, path } if path.text.is_empty() => {
            format!("{}: the whole response", code(call))
        }
        Source::Response { call, path } => format!("{}: {}", code(call), code(&path.text)),
        Source::Const { value } => format!("the constant {}", quoted(value)),
        Source::Config { key } => format!("configuration {}", code(key)),
    }
}

fn target_text(t: &Target) -> String {
    match t {
        Target::Body { call, path } if path.text.is_empty() => {
            format!("{}: the whole body", code(call))
        }
        Target::Body { call, path } => format!("{}: {}", code(call), code(&path.text)),
        Target::Param {
            call,
            location,
            name,
            ..
        } => format!(
            "{}: {} parameter {}",
            code(call),
            format!("{location:?}").to_lowercase(),
            code(name)
        ),
        Target::Soap { path } => code(&path.text),
        Target::Dropped => "dropped".into(),
    }
}

fn transform_text(l: &FieldLink) -> String {
    let text = transforms_only(l);
    if l.filter.is_empty() {
        return text;
    }
    let only: Vec<String> = l
        .filter
        .iter()
        .map(|f| format!("{} is {}", code(&f.path.text), quoted(&f.equals)))
        .collect();
    format!("only the items whose {}, then {text}", only.join(" and "))
}

fn transforms_only(l: &FieldLink) -> String {
    if l.transforms.is_empty() {
        return if matches!(l.to, Target::Dropped) {
            "dropped".into()
        } else {
            "as is".into()
        };
    }
    let steps: Vec<String> = l
        .transforms
        .iter()
        .map(|t| match t {
            Transform::Split { separator } => format!("split on {}", quoted(separator)),
            Transform::Join { separator } => format!("join with {}", quoted(separator)),
            Transform::Prefix { prefix } => format!("prefixed with {}", code(prefix)),
            Transform::StripPrefix { prefix } => {
                format!("without the prefix {} (required)", code(prefix))
            }
            Transform::First => "the first value only (the others are dropped)".to_owned(),
            Transform::Default { value } => format!("{} when absent", quoted(value)),
            Transform::Format { format } => format_name(*format).to_owned(),
            Transform::Lookup { table } => format!("look up in {}", code(table)),
            // One pair a line: a long map then widens its column no more than its longest pair.
            Transform::EnumMap { map } => {
                let pairs: Vec<String> = map
                    .iter()
                    .map(|(a, b)| format!("{} → {}", quoted(a), quoted(b)))
                    .collect();
                format!("map<br>{}", pairs.join("<br>"))
            }
        })
        .collect();
    steps.join(", then ")
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::DateTimeUtc => "date-time to UTC",
        Format::Date => "to a date",
        Format::HtmlToMarkdown => "HTML to Markdown",
        Format::TextToMarkdown => "text to Markdown",
        Format::Base64ToBinary => "base64 to binary",
        Format::String => "to text",
        Format::Integer => "to an integer",
        Format::UuidV5 => "UUID v5 of the value",
        Format::Uuid => "to a UUID",
        Format::Utf8 => "text to UTF-8 bytes",
        Format::InstancePartyId => "party id of the instance id",
        Format::InstanceGuid => "GUID of the instance id",
        Format::NonEmpty => "true if there is any value, else false",
    }
}

/// A fault row: the fault, the status it answers, and each detail field on a line of its own
/// (a fixed text quoted, a ProblemDetails member as code).
fn fault_row(f: &FaultMap) -> Row {
    let status = match f.status {
        StatusMatch::Timeout => "no answer in time".to_owned(),
        StatusMatch::Default => "any other status".to_owned(),
        s => format!("HTTP {}", text(&s.to_string())),
    };
    let fields: Vec<String> = f
        .fields
        .iter()
        .map(|(field, from)| {
            let value = match from.strip_prefix('=') {
                Some(literal) => quoted(literal),
                None => code(from),
            };
            format!("{} ← {value}", code(field))
        })
        .collect();
    Row {
        old: format!(
            "{} ({})",
            code(&f.fault),
            if f.client { "client" } else { "server" }
        ),
        new: status,
        transform: fields.join("<br>"),
        note: cell(f.note.as_deref().unwrap_or("")),
    }
}

fn old_auth_text(old: OldAuth, fields: &[String]) -> String {
    let base = match old {
        OldAuth::SystemUserPassword => "system user name and password",
        OldAuth::EnterpriseCertificate => "enterprise certificate",
        OldAuth::EndUserLogin => "end-user login",
        OldAuth::None => "none",
    };
    if fields.is_empty() {
        base.into()
    } else {
        let f: Vec<String> = fields.iter().map(|f| code(f)).collect();
        format!("{base} in {}", and_list(&f))
    }
}

fn new_auth_text(scopes: &[String], system_user: bool, party_fields: &[String]) -> String {
    let s: Vec<String> = scopes.iter().map(|s| code(s)).collect();
    let via = if system_user {
        " through an Altinn system user"
    } else {
        ""
    };
    // The party check is the facade's; the docs say where it looks so a caller knows why a
    // request naming another reportee is refused.
    let parties = if party_fields.is_empty() {
        String::new()
    } else {
        let f: Vec<String> = party_fields.iter().map(|f| code(f)).collect();
        format!(
            "; the facade lets each legacy caller act only for its configured parties, named in {}",
            and_list(&f)
        )
    };
    format!(
        "Maskinporten token with the scope{} {}{via}{parties}",
        if s.len() == 1 { "" } else { "s" },
        and_list(&s)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_shared_element_and_every_path_keeps_its_leaf() {
        let r = Root::common(["Op/a/b/c", "Op/a/d", "Op/a/b/e"].into_iter());
        assert_eq!(r.segments, ["Op", "a"]);
        assert_eq!(r.relative("Op/a/b/c"), "b/c");
        assert_eq!(r.relative("Other/x"), "Other/x");
        let one = Root::common(["Op/a"].into_iter());
        assert_eq!(one.relative("Op/a"), "a");
        assert!(Root::common(["a", "Op/b"].into_iter()).segments.is_empty());
        assert_eq!(Root::common(std::iter::empty()).shown(), "");
    }
}
