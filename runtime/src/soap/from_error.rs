//! The SOAP fault that stands for a runtime error, so old-shape clients and the facade answer
//! Altinn 3 failures the way Altinn 2 did: a `Client` or `Server` fault with an `AltinnFault`.

use super::{AltinnFault, Fault, FaultCode};
use crate::error::Error;

impl From<&Error> for Fault {
    fn from(error: &Error) -> Self {
        let code = code(error);
        let reason = reason(error);
        // Every Altinn 2 fault carried an ErrorGuid; ours is logged so operators can find the cause.
        let guid = crate::ids::uuid_v4().to_string();
        tracing::warn!(error_guid = %guid, "answering with a SOAP fault: {error}");
        let detail = AltinnFault {
            altinn_error_message: Some(reason.clone()),
            altinn_extended_error_message: Some(error.to_string()),
            error_guid: Some(guid),
            ..AltinnFault::default()
        };
        Fault {
            code,
            ..Fault::altinn(reason, detail)
        }
    }
}

/// `Sender` when the caller can fix it (its XML, its data, a 4xx other than 429), `Receiver`
/// when the bridge or Altinn 3 failed.
fn code(error: &Error) -> FaultCode {
    match error {
        Error::NotEnvelope(_) => FaultCode::VersionMismatch,
        Error::Api(api) if (400..500).contains(&api.status) && api.status != 429 => {
            FaultCode::Sender
        }
        Error::Xml { .. }
        | Error::TooLarge { .. }
        | Error::TooDeep { .. }
        | Error::TooManyNodes { .. }
        | Error::Dtd
        | Error::ProcessingInstruction
        | Error::UnknownEntity(_)
        | Error::NotUtf8
        | Error::UnboundPrefix(_)
        | Error::Envelope(_)
        | Error::Request(_)
        | Error::Convert { .. } => FaultCode::Sender,
        _ => FaultCode::Receiver,
    }
}

/// A short reason; timeouts and broken connections say that the outcome is unknown, because a
/// write may have happened even though no answer came.
fn reason(error: &Error) -> String {
    match error {
        Error::Api(api) => match &api.problem {
            Some(p) => p
                .detail
                .clone()
                .or_else(|| p.title.clone())
                .unwrap_or_else(|| format!("Altinn 3 answered {}", api.status)),
            None => format!("Altinn 3 answered {}", api.status),
        },
        Error::Timeout { .. } | Error::Transport { .. } => {
            format!("the outcome is unknown: {error}")
        }
        Error::TokenRefused { .. } | Error::TokenResponse(_) | Error::Key(_) | Error::Sign(_) => {
            "the bridge could not authenticate with Maskinporten".to_owned()
        }
        other => other.to_string(),
    }
}
