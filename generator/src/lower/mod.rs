//! The lower stage: the decisions between a resolved manifest ([`crate::link::Resolved`]) and the
//! emitters, made once. Per call: how its body is sent, whether it may be retried and why; per
//! API: the settings and lookup tables it needs at run time. The Rust emitter writes these into
//! the generated plan, the docs emitter shows them, so code and documentation cannot disagree.
//! A link the runtime could not honour (a cookie parameter) is refused here, with its span,
//! instead of being moved somewhere else when code is written.

use std::collections::BTreeSet;

use altinn_bridge_vocab::{BodyKind, Method, ParamIn, Retry, SYSTEM_USER_ORG};

use crate::diag::{Diagnostic, Diagnostics};
use crate::link::{Call, FieldLink, OpLink, Resolved, Source, Target, Transform};
use crate::model::ParamLocation;

/// What was decided for one manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lowered {
    /// Per operation of the resolved manifest, in its order.
    pub operations: Vec<LoweredOp>,
    /// The `config` keys its links read (sorted), the system user's organisation among them
    /// when the API acts through a system user.
    pub settings: Vec<String>,
    /// The lookup tables its transforms name (sorted).
    pub tables: Vec<String>,
}

/// What was decided for one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoweredOp {
    /// Per call, in the operation's order.
    pub calls: Vec<LoweredCall>,
}

/// What was decided for one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoweredCall {
    /// Its method.
    pub method: Method,
    /// How its body is sent (from the media type the manifest chose).
    pub body: BodyKind<String>,
    /// Whether it may be sent again when the outcome is unknown.
    pub retry: Retry,
    /// For [`Retry::IdempotencyKey`]: where the key goes (`body.idempotentKey`,
    /// `header Idempotency-Key`).
    pub retry_key: Option<String>,
}

/// Lowers a resolved manifest; errors (with spans) for links the runtime cannot honour.
pub fn lower(r: &Resolved) -> Result<Lowered, Diagnostics> {
    let mut errors = Diagnostics::default();
    let operations = r
        .operations
        .iter()
        .map(|op| LoweredOp {
            calls: op.calls.iter().map(|c| call(op, c)).collect(),
        })
        .collect();
    for op in &r.operations {
        for l in &op.inputs {
            if let Err(d) = param_in_of(l) {
                errors.0.push(d);
            }
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let (settings, tables) = needs(r);
    Ok(Lowered {
        operations,
        settings,
        tables,
    })
}

/// Where a parameter link's value goes; a cookie is refused.
pub fn param_in_of(l: &FieldLink) -> Result<Option<ParamIn>, Diagnostic> {
    let Target::Param { location, name, .. } = &l.to else {
        return Ok(None);
    };
    match location {
        ParamLocation::Path => Ok(Some(ParamIn::Path)),
        ParamLocation::Query => Ok(Some(ParamIn::Query)),
        ParamLocation::Header => Ok(Some(ParamIn::Header)),
        ParamLocation::Cookie => {
            let mut d = Diagnostic::error(format!(
                "the cookie parameter `{name}` cannot be sent: the runtime sends no cookies"
            ))
            .note("link a header, query or path parameter, or drop the field with a reason");
            if let Some(span) = &l.span {
                d = d.at(span.clone(), "links to a cookie");
            }
            Err(d)
        }
    }
}

fn call(op: &OpLink, c: &Call) -> LoweredCall {
    let body = c
        .body
        .clone()
        .map_or(BodyKind::None, BodyKind::of_media_type);
    let (retry, retry_key) = if c.method.is_idempotent() {
        (Retry::IdempotentMethod, None)
    } else {
        match idempotency_key(op, c) {
            Some(key) => (Retry::IdempotencyKey, Some(key)),
            None => (Retry::Never, None),
        }
    };
    LoweredCall {
        method: c.method,
        body,
        retry,
        retry_key,
    }
}

/// Where a link fills an idempotency key of `c`: a body property whose name starts with
/// `idempot` (`idempotentKey`, `idempotencyKey`) or the `Idempotency-Key` header. A key filled
/// by a link makes a repeat of the same request a no-op at the API, so the call may be retried.
fn idempotency_key(op: &OpLink, c: &Call) -> Option<String> {
    op.inputs.iter().find_map(|l| match &l.to {
        Target::Body { call, path } if call == &c.name => path
            .steps
            .last()
            .filter(|s| s.name.to_ascii_lowercase().starts_with("idempot"))
            .map(|_| format!("body.{}", path.text)),
        Target::Param {
            call,
            location: ParamLocation::Header,
            name,
            ..
        } if call == &c.name && name.eq_ignore_ascii_case("idempotency-key") => {
            Some(format!("header {name}"))
        }
        _ => None,
    })
}

/// The settings and tables the manifest's links read.
fn needs(r: &Resolved) -> (Vec<String>, Vec<String>) {
    let mut settings = BTreeSet::new();
    let mut tables = BTreeSet::new();
    for op in &r.operations {
        for l in op.inputs.iter().chain(&op.outputs) {
            if let Source::Config { key } = &l.from {
                settings.insert(key.clone());
            }
            for t in &l.transforms {
                if let Transform::Lookup { table } = t {
                    tables.insert(table.clone());
                }
            }
        }
    }
    if r.auth.as_ref().is_some_and(|a| a.system_user) {
        settings.insert(SYSTEM_USER_ORG.to_owned());
    }
    (settings.into_iter().collect(), tables.into_iter().collect())
}
