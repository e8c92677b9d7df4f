//! REST errors to the SOAP faults old clients understand, by the manifest's fault rules.

use super::plan::{FaultRule, Operation, StatusMatch};
use crate::error::Error;
use crate::http::ApiError;
use crate::soap::{AltinnFault, Fault, FaultCode};

/// The fault for `error` in `op`: the first rule matching its status (exact, then `4XX`-style,
/// then `default`; `timeout` for timeouts and broken connections), else the runtime's own
/// mapping ([`Fault::from`]). Conversion and configuration errors never match a rule: they are
/// not Altinn 3's answer.
pub fn fault(op: &Operation, error: &Error) -> Fault {
    let base = Fault::from(error);
    let status = match error {
        Error::Api(api) => Some(api.status),
        Error::Timeout { .. } | Error::Transport { .. } | Error::Connect { .. } => None,
        _ => return base,
    };
    let rule = |wanted: StatusMatch| op.faults.iter().find(|r| r.status == wanted);
    let found = match status {
        Some(s) => rule(StatusMatch::Exact(s))
            .or_else(|| {
                u8::try_from(s / 100)
                    .ok()
                    .and_then(|c| rule(StatusMatch::Class(c)))
            })
            .or_else(|| rule(StatusMatch::Default)),
        None => rule(StatusMatch::Timeout),
    };
    match found {
        Some(rule) => apply(rule, error, base),
        None => base,
    }
}

fn apply(rule: &FaultRule, error: &Error, base: Fault) -> Fault {
    let api = match error {
        Error::Api(a) => Some(a.as_ref()),
        _ => None,
    };
    let mut detail = base.altinn_fault().cloned().unwrap_or_default();
    for (field, from) in rule.fields {
        let value = match from.strip_prefix('=') {
            Some(literal) => Some(literal.to_owned()),
            None => api.and_then(|a| member(a, from)),
        };
        if let Some(v) = value {
            set(&mut detail, field, v);
        }
    }
    let reason = detail
        .altinn_error_message
        .clone()
        .unwrap_or_else(|| base.reason.clone());
    Fault {
        code: if rule.client {
            FaultCode::Sender
        } else {
            FaultCode::Receiver
        },
        ..Fault::altinn(reason, detail)
    }
}

/// A ProblemDetails member as text.
fn member(api: &ApiError, name: &str) -> Option<String> {
    let p = api.problem.as_ref();
    match name {
        "title" => p.and_then(|p| p.title.clone()),
        "detail" => p.and_then(|p| p.detail.clone()),
        "type" => p.and_then(|p| p.kind.clone()),
        "instance" => p.and_then(|p| p.instance.clone()),
        "status" => Some(p.and_then(|p| p.status).unwrap_or(api.status).to_string()),
        other => p.and_then(|p| p.extensions.get(other)).map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        }),
    }
}

fn set(d: &mut AltinnFault, field: &str, v: String) {
    match field {
        "AltinnErrorMessage" => d.altinn_error_message = Some(v),
        "AltinnExtendedErrorMessage" => d.altinn_extended_error_message = Some(v),
        "AltinnLocalizedErrorMessage" => d.altinn_localized_error_message = Some(v),
        "ErrorGuid" => d.error_guid = Some(v),
        "ErrorID" => d.error_id = v.trim().parse().ok().or(d.error_id),
        "UserGuid" => d.user_guid = Some(v),
        "UserId" => d.user_id = Some(v),
        // The manifest check accepts only AltinnFault's fields; anything else is ignored.
        _ => {}
    }
}

/// The fault an operation without an Altinn 3 successor answers: a Server/Receiver fault whose
/// message says why, never a fake success.
pub fn no_successor(operation: &str, reason: &str) -> Fault {
    let message = format!(
        "{operation} has no successor in Altinn 3: {}",
        reason.trim()
    );
    let detail = AltinnFault {
        altinn_error_message: Some(message.clone()),
        ..AltinnFault::default()
    };
    Fault {
        code: FaultCode::Receiver,
        ..Fault::altinn(message, detail)
    }
}
