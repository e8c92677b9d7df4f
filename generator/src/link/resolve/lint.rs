//! Warnings about links that resolve but look wrong: `check` passing should say the mapping is
//! plausible, not only that every name exists. Each rule names what it saw and where.

use super::OpScope;
use crate::diag::{Diagnostic, Diagnostics, FileId};
use crate::link::manifest::{self, OperationSpec};
use crate::link::model::{Call, FieldLink, Source, Target};
use crate::link::paths::fields_of;
use crate::link::suggest::intent::{Intent, destructive};
use crate::model::{HttpMethod, SoapContract, SoapOperation, TypeKind};

/// Lints one resolved operation.
pub(super) fn operation(
    diags: &mut Diagnostics,
    file: FileId,
    soap: &SoapContract,
    spec: &OperationSpec,
    scope: &OpScope<'_>,
    inputs: &[FieldLink],
    outputs: &[FieldLink],
) {
    let at = manifest::span_of(file, &spec.soap);
    let intent = Intent::of_operation(&scope.op.name);
    for ((call, _), cs) in scope.calls.iter().zip(&spec.calls) {
        let call_at = manifest::span_of(file, &cs.endpoint);
        if intent.read_only() && destructive(call.method, &call.path) {
            diags.push(
                Diagnostic::warning(format!(
                    "`{}` only reads, but `{} {}` deletes or changes data",
                    scope.op.name,
                    call.method.as_str(),
                    call.path
                ))
                .at(call_at, "a destructive call")
                .also(at, "a read-only operation")
                .note("a caller of the old operation never expected it to change anything; map it to a read, or say `no_successor`"),
            );
        }
        let writes = matches!(
            call.method,
            HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch
        );
        if writes && !fed_from_request(call, inputs) {
            diags.push(
                Diagnostic::warning(format!(
                    "`{} {}` writes, but no SOAP input field is linked into it",
                    call.method.as_str(),
                    call.path
                ))
                .at(call_at, "this call")
                .note("it would send only constants and configuration: check that it is the call that replaces the operation"),
            );
        }
    }
    if !scope.calls.is_empty() && outputs.is_empty() && answer_carries_data(soap, scope.op) {
        diags.push(
            Diagnostic::warning(format!(
                "the answer of `{}` is linked to nothing",
                scope.op.name
            ))
            .at(at, "this operation")
            .note("no response field of any call reaches the SOAP answer, so the old caller gets an empty answer; link the fields the answer carries"),
        );
    }
}

/// Some SOAP input field (or an earlier call's response) is linked into `call`.
fn fed_from_request(call: &Call, inputs: &[FieldLink]) -> bool {
    inputs.iter().any(|l| {
        let into = match &l.to {
            Target::Body { call: c, .. } | Target::Param { call: c, .. } => c == &call.name,
            Target::Soap { .. } | Target::Dropped => false,
        };
        into && matches!(l.from, Source::Soap { .. } | Source::Response { .. })
    })
}

/// The SOAP answer has something to fill: a body part that is a value or has fields (WCF wraps
/// every answer in an element, empty for operations that return nothing).
fn answer_carries_data(soap: &SoapContract, op: &SoapOperation) -> bool {
    op.output.iter().flat_map(|m| &m.body).any(|part| {
        let ty = part.content.ty();
        let is_struct = soap
            .types
            .resolve(soap.types.unalias(ty))
            .is_some_and(|d| matches!(d.kind, TypeKind::Struct(_)));
        !is_struct || !fields_of(&soap.types, ty).is_empty()
    })
}
