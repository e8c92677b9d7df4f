//! Suggested links: for each SOAP operation, the REST calls that could replace it, ranked by
//! what both contracts say about themselves, or a reasoned "no successor"; and a draft manifest
//! built from the best call that `check` accepts.
//!
//! - [`words`]: one vocabulary for names and documentation, Norwegian and English.
//! - [`intent`]: what an operation does and which HTTP methods can do it (shared with `check`).
//! - [`profile`]: the evidence each operation, endpoint and spec offers.
//! - [`concepts`]: Altinn 2 concepts and the Altinn 3 concepts that replaced them.
//! - [`rank`]: scores, ties, and when to abstain.
//! - [`fields`]: field links, configuration placeholders and drops for the chosen call.
//! - [`draft`]: the draft manifest.

mod concepts;
mod draft;
mod fields;
pub mod intent;
mod profile;
mod rank;
mod words;

use std::collections::BTreeSet;

use serde::Serialize;

pub use draft::draft;
pub use fields::{ConfigFeed, FieldCandidate, FieldPlan};
pub use rank::ABSTAIN_BELOW;

use crate::model::{RestContract, SoapContract};

/// A ranked REST call for one SOAP operation.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// Index of the OpenAPI document.
    pub api: usize,
    /// `METHOD /path`.
    pub endpoint: String,
    /// 0..1, higher is better; comparable across specs.
    pub score: f64,
    /// Why, in a few words each.
    pub reasons: Vec<String>,
}

/// Everything suggested for one operation.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// The SOAP operation.
    pub operation: String,
    /// Set when no call is proposed: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_successor: Option<String>,
    /// Best first (at most five), also when abstaining (for review).
    pub candidates: Vec<Candidate>,
    /// Field links for the best candidate (none when abstaining).
    pub fields: FieldPlan,
}

/// Ranks calls for every operation of the WSDL (each name once, in name order).
pub fn suggest(soap: &SoapContract, rest: &[&RestContract]) -> Vec<Suggestion> {
    let eps: Vec<Vec<profile::EpProfile<'_>>> = rest
        .iter()
        .enumerate()
        .map(|(i, r)| profile::endpoints(i, r))
        .collect();
    let specs: Vec<profile::SpecProfile> = rest
        .iter()
        .zip(&eps)
        .map(|(r, e)| profile::spec(r, e))
        .collect();
    let service = words::Words::of(&soap.name);
    let fits: Vec<f64> = specs
        .iter()
        .map(|s| rank::service_fit(&service, s))
        .collect();
    let mut seen = BTreeSet::new();
    let mut ops: Vec<_> = soap
        .operations
        .iter()
        .filter(|o| seen.insert(o.name.clone()))
        .collect();
    ops.sort_by(|a, b| a.name.cmp(&b.name));
    ops.into_iter()
        .map(|op| {
            let p = profile::operation(soap, op);
            let mut scored: Vec<rank::Scored<'_, '_>> = eps
                .iter()
                .flatten()
                .filter_map(|e| rank::score(&p, e, &specs[e.api], fits[e.api], &service))
                .collect();
            scored.sort_by(rank::order);
            scored.truncate(5);
            let no_successor = rank::abstain(&p, scored.first());
            let fields = match (&no_successor, scored.first()) {
                (None, Some(best)) => fields::plan(soap, op, rest[best.ep.api], best.ep.ep),
                _ => FieldPlan::default(),
            };
            Suggestion {
                operation: op.name.clone(),
                no_successor,
                candidates: scored
                    .iter()
                    .map(|s| Candidate {
                        api: s.ep.api,
                        endpoint: s.ep.ep.id.0.clone(),
                        score: s.score,
                        reasons: rank::reasons(&p, s),
                    })
                    .collect(),
                fields,
            }
        })
        .collect()
}

/// A user name, password or token field of the old service (`systemUserName`,
/// `SystemPassword`, `passwd`, `passord`): Maskinporten replaces them.
pub fn is_credential(path: &str) -> bool {
    profile::is_credential(path)
}
