//! Scoring one operation against one endpoint, ranking, and abstaining.
//!
//! Every feature lies in 0..1 and is computed from the operation, the endpoint and the
//! endpoint's own spec only (word specificity is per spec), so a score means the same whichever
//! other specs are in the run: ranking against all specs at once is ranking against each.

use super::concepts::concepts_of;
use super::fields::similarity_of;
use super::intent::{Intent, method_risk};
use super::profile::{EpProfile, OpProfile, SpecProfile};
use super::words::{self, Words};
use crate::model::HttpMethod;

/// Weights of the features in the score. Chosen on the tuning set (the curated manifests);
/// see `tests/suggest-eval/README.md`.
const W_NAME: f64 = 0.40;
const W_VERB: f64 = 0.20;
const W_IN: f64 = 0.10;
const W_PARAMS: f64 = 0.08;
const W_OUT: f64 = 0.07;
const W_DOC: f64 = 0.05;
const W_SPEC: f64 = 0.10;

/// How much a noun that is also in the service's name counts: it says which service, not
/// which operation (`InitiateBrokerService` in `BrokerServiceExternalBasic`).
const SERVICE_NOUN: f64 = 0.35;

/// Below this score the best candidate is too weak to propose: the draft says `no_successor`.
/// Calibrated on the tuning set (see `tests/suggest-eval/README.md`).
pub const ABSTAIN_BELOW: f64 = 0.36;

/// What a candidate's score rests on, each 0..1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Evidence {
    /// The operation's nouns in the endpoint's path, name, summary, tags, description.
    pub name: f64,
    /// The verb against the method, the action segment, item or collection.
    pub verb: f64,
    /// Input field names against parameters and request body fields.
    pub inputs: f64,
    /// Share of the required path and query parameters some input field could feed.
    pub params: f64,
    /// Output field names against the response's fields.
    pub outputs: f64,
    /// The operation's documentation against the endpoint's summary and description.
    pub doc: f64,
    /// The service against the spec as a whole.
    pub spec: f64,
}

impl Evidence {
    /// The weighted score.
    pub fn score(&self) -> f64 {
        W_NAME * self.name
            + W_VERB * self.verb
            + W_IN * self.inputs
            + W_PARAMS * self.params
            + W_OUT * self.outputs
            + W_DOC * self.doc
            + W_SPEC * self.spec
    }
}

/// One scored endpoint.
#[derive(Debug, Clone)]
pub struct Scored<'p, 'a> {
    /// The endpoint.
    pub ep: &'p EpProfile<'a>,
    /// Rounded score.
    pub score: f64,
    /// What it rests on.
    pub evidence: Evidence,
}

/// How well the service as a whole fits a spec: its name's nouns (and the concepts they
/// became) among the words the spec is about.
pub fn service_fit(service: &Words, spec: &SpecProfile) -> f64 {
    if service.0.is_empty() {
        return 0.0;
    }
    let about = spec.about.set();
    let hits = service
        .0
        .iter()
        .filter(|w| {
            about.contains(w.as_str()) || concepts_of(w).iter().any(|(c, _)| about.contains(c))
        })
        .count();
    hits as f64 / service.0.len() as f64
}

/// Scores `e` for `op`; `None` when its method can never do what the operation does.
pub fn score<'p, 'a>(
    op: &OpProfile<'_>,
    e: &'p EpProfile<'a>,
    spec: &SpecProfile,
    spec_fit: f64,
    service: &Words,
) -> Option<Scored<'p, 'a>> {
    let mut fit = op.intent.method_fit(e.ep.method);
    // A read may use a POST only where the endpoint says it searches or reads.
    if op.intent.read_only() && e.ep.method == HttpMethod::Post && !e.queries() {
        fit = 0.0;
    }
    if fit == 0.0 {
        return None;
    }
    let name = name_score(op, e, spec, service);
    let evidence = Evidence {
        name,
        verb: verb_score(op, e, fit),
        inputs: plain_dice(&e.sets.request, &op.sets.inputs),
        params: params_fed(op, e),
        outputs: plain_dice(&e.sets.response, &op.sets.outputs),
        doc: plain_dice(&op.sets.doc, &e.sets.text),
        spec: spec_fit,
    };
    Some(Scored {
        ep: e,
        score: (evidence.score() * 1000.0).round() / 1000.0,
        evidence,
    })
}

/// Where an endpoint says a word, and how much that counts.
fn strength(e: &EpProfile<'_>, w: &str) -> f64 {
    [
        (e.path.has(w), 1.0),
        (e.name.has(w), 0.9),
        (e.summary.has(w), 0.75),
        (e.tags.has(w), 0.6),
        (e.doc.has(w), 0.5),
    ]
    .into_iter()
    .filter(|(hit, _)| *hit)
    .map(|(_, s)| s)
    .fold(0.0, f64::max)
}

/// The operation's nouns found in the endpoint (directly, or as the Altinn 3 concept they
/// became, at a discount), weighted by how specific each word is in the spec; path words the
/// operation never mentions count against it.
fn name_score(op: &OpProfile<'_>, e: &EpProfile<'_>, spec: &SpecProfile, service: &Words) -> f64 {
    if op.nouns.is_empty() {
        return 0.0;
    }
    let (mut covered, mut total) = (0.0, 0.0);
    for n in &op.nouns {
        let weight = spec.specificity(n);
        let credit = if service.has(n) { SERVICE_NOUN } else { 1.0 };
        total += weight;
        let direct = strength(e, n);
        let via = concepts_of(n)
            .iter()
            .map(|(c, discount)| strength(e, c) * discount)
            .fold(0.0, f64::max);
        covered += weight * credit * direct.max(via);
    }
    let extra: f64 = e
        .sets
        .path
        .iter()
        .filter(|w| op.known.binary_search(w).is_err())
        .map(|w| spec.specificity(w))
        .sum();
    covered / (total + 0.35 * extra)
}

/// The operation's nouns the endpoint names, directly or through a concept (`receipt≈instance`).
fn matched_words(op: &OpProfile<'_>, e: &EpProfile<'_>) -> Vec<String> {
    op.nouns
        .iter()
        .filter_map(|n| {
            if strength(e, n) > 0.0 {
                Some(n.clone())
            } else {
                let hit = concept_hit(e, n);
                (!hit.is_empty()).then(|| format!("{n}≈{hit}"))
            }
        })
        .collect()
}

fn concept_hit(e: &EpProfile<'_>, n: &str) -> String {
    concepts_of(n)
        .iter()
        .find(|(c, _)| strength(e, c) > 0.0)
        .map(|(c, _)| (*c).to_owned())
        .unwrap_or_default()
}

/// The method against the intent, the verb as the endpoint's action (`…/{id}/confirm`),
/// and whether it addresses one item or a collection.
fn verb_score(op: &OpProfile<'_>, e: &EpProfile<'_>, fit: f64) -> f64 {
    let mut s = 0.6 * fit;
    let verb = op.verb.as_str();
    if e.action
        .as_ref()
        .is_some_and(|a| a.0.first().map(String::as_str) == Some(verb))
    {
        s += 0.3;
    } else if e.path.has(verb) || e.name.0.first().map(String::as_str) == Some(verb) {
        s += 0.15;
    }
    let get = e.ep.method == HttpMethod::Get;
    s += match op.intent {
        Intent::Read if get && e.item && op.id_in => 0.2,
        Intent::Read if get && !e.item && !op.id_in => 0.1,
        Intent::List if get && !e.item => 0.2,
        Intent::List if e.item => -0.15,
        Intent::Create if !e.item || e.action.is_some() => 0.1,
        Intent::Update | Intent::Delete | Intent::Act if e.item || e.action.is_some() => 0.1,
        _ => 0.0,
    };
    if op.list_out == e.list_out && get {
        s += 0.05;
    }
    // Listing or creating with nothing that names an existing thing: an endpoint that wants an
    // id in its path would need one from elsewhere.
    if matches!(op.intent, Intent::List | Intent::Create) && !op.id_in && e.id_params > 0 {
        s -= 0.15;
    }
    // Changing, deleting or marking addresses something that exists.
    if matches!(op.intent, Intent::Update | Intent::Delete | Intent::Act) && e.id_params == 0 {
        s -= 0.15;
    }
    s.clamp(0.0, 1.0)
}

/// Share of the endpoint's required path and query parameters that an input field resembles
/// (1 when it needs none).
fn params_fed(op: &OpProfile<'_>, e: &EpProfile<'_>) -> f64 {
    let required = &e.sets.params;
    if required.is_empty() {
        return 1.0;
    }
    // An input that names one thing (an id, a reference) can feed a parameter that wants one.
    let fed = required
        .iter()
        .filter(|(p, id)| {
            (op.id_in && *id) || op.input_names.iter().any(|n| similarity_of(n, p) >= 0.6)
        })
        .count();
    fed as f64 / required.len() as f64
}

/// Dice coefficient of two sorted word sets.
fn plain_dice(a: &[String], b: &[String]) -> f64 {
    words::dice(a, b, |_| 1.0)
}

/// Best first; ties go to the stronger evidence (name, then fields, then verb), then to the
/// less risky method (a destructive call never wins a tie), then to the spec and the
/// endpoint's place in it. Never to the alphabet.
pub fn order(a: &Scored<'_, '_>, b: &Scored<'_, '_>) -> std::cmp::Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| b.evidence.name.total_cmp(&a.evidence.name))
        .then_with(|| b.evidence.inputs.total_cmp(&a.evidence.inputs))
        .then_with(|| b.evidence.verb.total_cmp(&a.evidence.verb))
        .then_with(|| method_risk(a.ep.ep.method).cmp(&method_risk(b.ep.ep.method)))
        .then_with(|| (a.ep.api, a.ep.index).cmp(&(b.ep.api, b.ep.index)))
}

/// Why the operation gets no call, or `None` when the best candidate is good enough.
pub fn abstain(op: &OpProfile<'_>, best: Option<&Scored<'_, '_>>) -> Option<String> {
    if op.intent == Intent::Ping {
        return Some(format!(
            "`{}` is a ping: Altinn 3 APIs have no ping operation; monitor their availability instead",
            op.op.name
        ));
    }
    let Some(best) = best else {
        return Some(format!(
            "no call of the given specs can do what `{}` does{}",
            op.op.name,
            if op.intent.read_only() {
                " (a read-only operation is never given a writing or deleting call)"
            } else {
                ""
            }
        ));
    };
    // Marking something (confirm, complete, sign, archive) is the operation: without an
    // endpoint that does that, the nouns alone point at the wrong call.
    if op.intent == Intent::Act && !performs(best.ep, &op.verb) {
        return Some(format!(
            "no endpoint of the given specs does `{}` (the best candidate, `{}`, only shares names)",
            op.verb, best.ep.ep.id
        ));
    }
    if best.score < ABSTAIN_BELOW {
        return Some(format!(
            "weak evidence: the best candidate, `{}`, scores {:.3}, below {ABSTAIN_BELOW}; the names ({}) are not found in any endpoint of the given specs",
            best.ep.ep.id,
            best.score,
            op.nouns.join(", ")
        ));
    }
    None
}

/// The endpoint is named for `verb`: its action segment, a path word, or its operationId's verb.
fn performs(e: &EpProfile<'_>, verb: &str) -> bool {
    e.action.as_ref().is_some_and(|a| a.has(verb))
        || e.path.has(verb)
        || e.name.0.first().map(String::as_str) == Some(verb)
}

/// The reasons shown for a candidate.
pub fn reasons(op: &OpProfile<'_>, s: &Scored<'_, '_>) -> Vec<String> {
    let mut out = Vec::new();
    let matched = matched_words(op, s.ep);
    if !matched.is_empty() {
        out.push(format!("name: {}", matched.join(", ")));
    }
    out.push(format!(
        "{:?} → {}{}",
        op.intent,
        s.ep.ep.method.as_str(),
        if s.ep.item { " item" } else { "" }
    ));
    let shared: Vec<&str> =
        s.ep.request
            .set()
            .intersection(&op.inputs.set())
            .copied()
            .take(6)
            .collect();
    if !shared.is_empty() {
        out.push(format!("input fields: {}", shared.join(", ")));
    }
    let e = s.evidence;
    out.push(format!(
        "evidence: name {:.2}, verb {:.2}, in {:.2}, params {:.2}, out {:.2}, doc {:.2}, spec {:.2}",
        e.name, e.verb, e.inputs, e.params, e.outputs, e.doc, e.spec
    ));
    out
}
