//! What each side says about itself, gathered once per run: an operation's verb, nouns,
//! documentation and fields; an endpoint's path, name, summary, description, tags, parameters
//! and bodies; a spec's title, description and vocabulary. Ranking compares profiles only.

use std::collections::{BTreeMap, BTreeSet};

use super::fields::FieldName;
use super::intent::Intent;
use super::words::Words;
use crate::link::paths::{fields_of, list_item};
use crate::link::resolve::input_leaves;
use crate::model::{
    Endpoint, ParamLocation, RestContract, SoapContract, SoapOperation, TypeGraph, TypeKind,
    TypeRef,
};

/// A SOAP operation's evidence.
#[derive(Debug, Clone)]
pub struct OpProfile<'a> {
    /// The operation.
    pub op: &'a SoapOperation,
    /// From the leading verb.
    pub intent: Intent,
    /// The leading verb, normalised.
    pub verb: String,
    /// The other words of the name (distinct).
    pub nouns: Vec<String>,
    /// Every word the operation says (nouns, verb, documentation, input fields, and the
    /// concepts its nouns became), sorted: a path word outside it counts against a candidate.
    pub known: Vec<String>,
    /// Words of the input field names (credentials left out).
    pub inputs: Words,
    /// The input field names (credentials left out), prepared for comparison.
    pub input_names: Vec<FieldName>,
    /// `inputs`, `outputs` and `doc` as sorted sets.
    pub sets: OpSets,
    /// Some input names an existing thing (an id, a reference).
    pub id_in: bool,
    /// The answer repeats (a list of things).
    pub list_out: bool,
}

/// An operation's word sets, sorted, for comparisons.
#[derive(Debug, Clone, Default)]
pub struct OpSets {
    /// Input field words.
    pub inputs: Vec<String>,
    /// Output field words.
    pub outputs: Vec<String>,
    /// Documentation words.
    pub doc: Vec<String>,
}

/// An endpoint's word sets, sorted, for comparisons.
#[derive(Debug, Clone, Default)]
pub struct EpSets {
    /// Literal path words.
    pub path: Vec<String>,
    /// Request field words.
    pub request: Vec<String>,
    /// Response field words.
    pub response: Vec<String>,
    /// Summary and description words.
    pub text: Vec<String>,
    /// Required path and query parameters: prepared name, and whether it names one thing.
    pub params: Vec<(FieldName, bool)>,
}

/// An endpoint's evidence.
#[derive(Debug, Clone)]
pub struct EpProfile<'a> {
    /// Which spec.
    pub api: usize,
    /// Its place in that spec (the order it is declared in).
    pub index: usize,
    /// The endpoint.
    pub ep: &'a Endpoint,
    /// Words of the literal path segments.
    pub path: Words,
    /// Words of the last literal segment when it follows a parameter (`…/{id}/confirm`).
    pub action: Option<Words>,
    /// Words of the operationId (when the spec gives one).
    pub name: Words,
    /// Words of the summary.
    pub summary: Words,
    /// Words of the description.
    pub doc: Words,
    /// Words of the tags.
    pub tags: Words,
    /// Words of the parameter and request body field names.
    pub request: Words,
    /// The path ends in a parameter: it addresses one item.
    pub item: bool,
    /// The success response is an array.
    pub list_out: bool,
    /// Path parameters that name one thing (`{fileTransferId}`; not `{org}`).
    pub id_params: usize,
    /// The sets compared.
    pub sets: EpSets,
}

impl EpProfile<'_> {
    /// The endpoint says it searches or reads (a POST that answers a query).
    pub fn queries(&self) -> bool {
        ["search", "list", "get", "query", "filter"]
            .iter()
            .any(|w| {
                self.path.has(w)
                    || self.name.0.first().map(String::as_str) == Some(*w)
                    || self.summary.0.first().map(String::as_str) == Some(*w)
            })
    }
}

/// A spec's evidence: what it is about, and how common each word is among its endpoints.
#[derive(Debug, Clone)]
pub struct SpecProfile {
    /// Title, description, tags and server paths.
    pub about: Words,
    /// For each word of endpoint paths and names: in how many endpoints it occurs.
    pub df: BTreeMap<String, usize>,
    /// Endpoints.
    pub endpoints: usize,
}

impl SpecProfile {
    /// How much `w` tells one endpoint of this spec from another, 0.15 (in every endpoint) to
    /// 1 (in none). A property of the spec alone, so scores do not shift with the other specs
    /// of a run.
    pub fn specificity(&self, w: &str) -> f64 {
        let n = self.endpoints.max(1) as f64;
        let df = self.df.get(w).copied().unwrap_or(0) as f64;
        ((n + 1.0) / (df + 0.5)).ln().max(0.0) / (n + 1.0).ln().max(f64::EPSILON) * 0.85 + 0.15
    }
}

/// The profile of one operation.
pub fn operation<'a>(soap: &'a SoapContract, op: &'a SoapOperation) -> OpProfile<'a> {
    let name = Words::of(&op.name);
    let verb = name.0.first().cloned().unwrap_or_default();
    let leaves = input_leaves(&soap.types, op);
    let names: Vec<String> = leaves
        .iter()
        .filter(|l| !is_credential(l))
        .filter_map(|l| l.rsplit('/').next())
        .map(str::to_owned)
        .collect();
    let mut outs = Vec::new();
    let mut list_out = false;
    for part in op.output.iter().flat_map(|m| &m.body) {
        list_out |= repeats_near_top(&soap.types, part.content.ty(), 0);
        field_names(
            &soap.types,
            part.content.ty(),
            &mut outs,
            0,
            &mut BTreeSet::new(),
        );
    }
    let input_words: Vec<String> = names.iter().flat_map(|n| Words::of(n).0).collect();
    let outputs = Words(outs.iter().flat_map(|n| Words::of(n).0).collect());
    let doc = Words::of(op.doc.as_deref().unwrap_or(""));
    let inputs = Words(input_words.clone());
    let sets = OpSets {
        inputs: inputs.sorted(),
        outputs: outputs.sorted(),
        doc: doc.sorted(),
    };
    let id_in = input_words.iter().any(|w| is_id_word(w));
    // A verb whose concept Altinn 3 replaced (`receive` → subscriptions) counts as a noun too.
    let mut nouns: Vec<String> = name.0.iter().skip(1).cloned().collect();
    if !super::concepts::concepts_of(&verb).is_empty() {
        nouns.push(verb.clone());
    }
    nouns.sort();
    nouns.dedup();
    let mut known: Vec<String> = nouns
        .iter()
        .chain(&doc.0)
        .chain(&inputs.0)
        .cloned()
        .collect();
    known.push(verb.clone());
    known.extend(nouns.iter().flat_map(|n| {
        super::concepts::concepts_of(n)
            .iter()
            .map(|(c, _)| (*c).to_owned())
    }));
    known.sort();
    known.dedup();
    OpProfile {
        known,
        op,
        intent: Intent::of_operation(&op.name),
        verb,
        nouns,
        inputs,
        input_names: names.iter().map(|n| FieldName::of(n)).collect(),
        sets,
        id_in,
        list_out,
    }
}

/// A word that names one existing thing.
pub fn is_id_word(w: &str) -> bool {
    matches!(w, "id" | "reference" | "guid" | "uuid" | "key")
}

/// The profile of every endpoint of one spec.
pub fn endpoints(api: usize, r: &RestContract) -> Vec<EpProfile<'_>> {
    r.endpoints
        .iter()
        .enumerate()
        .map(|(index, ep)| endpoint(api, index, r, ep))
        .collect()
}

fn endpoint<'a>(api: usize, index: usize, r: &'a RestContract, ep: &'a Endpoint) -> EpProfile<'a> {
    let segments: Vec<&str> = ep.path.split('/').filter(|s| !s.is_empty()).collect();
    let literal: Vec<&str> = segments
        .iter()
        .copied()
        .filter(|s| !s.starts_with('{'))
        .collect();
    let action = match segments.as_slice() {
        [.., p, last] if p.starts_with('{') && !last.starts_with('{') => Some(Words::of(last)),
        _ => None,
    };
    let mut request: Vec<String> = ep.params.iter().map(|p| p.name.clone()).collect();
    for m in ep.body.iter().flat_map(|b| &b.content) {
        if let Some(t) = &m.ty {
            field_names(&r.types, t, &mut request, 0, &mut BTreeSet::new());
        }
    }
    let mut response = Vec::new();
    let mut list_out = false;
    for m in success(ep) {
        if let Some(t) = &m.ty {
            list_out |= list_item(&r.types, t).is_some();
            field_names(&r.types, t, &mut response, 0, &mut BTreeSet::new());
        }
    }
    let path = Words::of(&literal.join(" "));
    let summary = Words::of(ep.summary.as_deref().unwrap_or(""));
    let doc = Words::of(ep.doc.as_deref().unwrap_or(""));
    let request = Words(request.iter().flat_map(|n| Words::of(n).0).collect());
    let response = Words(response.iter().flat_map(|n| Words::of(n).0).collect());
    let sets = EpSets {
        path: path.sorted(),
        request: request.sorted(),
        response: response.sorted(),
        text: Words([summary.0.clone(), doc.0.clone()].concat()).sorted(),
        params: ep
            .params
            .iter()
            .filter(|p| {
                p.required && matches!(p.location, ParamLocation::Path | ParamLocation::Query)
            })
            .map(|p| {
                (
                    FieldName::of(&p.name),
                    Words::of(&p.name).0.iter().any(|w| is_id_word(w)),
                )
            })
            .collect(),
    };
    EpProfile {
        api,
        index,
        ep,
        sets,
        path,
        action,
        name: if ep.name_derived {
            Words::default()
        } else {
            Words::of(&ep.name)
        },
        summary,
        doc,
        tags: Words::of(&ep.tags.join(" ")),
        request,
        item: segments.last().is_some_and(|s| s.starts_with('{')),
        id_params: segments
            .iter()
            .filter(|s| s.starts_with('{') && Words::of(s).0.iter().any(|w| is_id_word(w)))
            .count(),
        list_out,
    }
}

/// The media of an endpoint's success responses.
fn success(ep: &Endpoint) -> impl Iterator<Item = &crate::model::MediaContent> {
    ep.responses
        .iter()
        .filter(|x| x.status.starts_with('2'))
        .flat_map(|x| &x.content)
}

/// The profile of a spec, from its endpoints' profiles.
pub fn spec(r: &RestContract, eps: &[EpProfile<'_>]) -> SpecProfile {
    let mut df: BTreeMap<String, usize> = BTreeMap::new();
    for e in eps {
        let words: BTreeSet<&str> = e.path.set().union(&e.name.set()).copied().collect();
        for w in words {
            *df.entry(w.to_owned()).or_default() += 1;
        }
    }
    let mut about = Words::of(&format!("{} {}", r.title, r.doc.as_deref().unwrap_or("")));
    let tags: BTreeSet<&str> = eps
        .iter()
        .flat_map(|e| e.ep.tags.iter().map(String::as_str))
        .collect();
    for t in tags {
        about.0.extend(Words::of(t).0);
    }
    // The words most endpoints share are what the spec is about (`correspondence`, `broker`).
    let n = eps.len().max(1);
    about.0.extend(
        df.iter()
            .filter(|(_, c)| **c * 3 >= n)
            .map(|(w, _)| w.clone()),
    );
    SpecProfile {
        about,
        df,
        endpoints: eps.len(),
    }
}

/// Field names under `ty`, to a depth of six, each named type once.
fn field_names(
    types: &TypeGraph,
    ty: &TypeRef,
    out: &mut Vec<String>,
    depth: usize,
    seen: &mut BTreeSet<String>,
) {
    if depth > 6 {
        return;
    }
    let inner = list_item(types, ty).unwrap_or_else(|| ty.clone());
    if let Some(id) = types.unalias(&inner).as_named() {
        if !seen.insert(id.0.clone()) {
            return;
        }
    }
    for f in fields_of(types, &inner) {
        out.push(f.name.clone());
        field_names(types, &f.ty, out, depth + 1, seen);
    }
}

/// The answer itself, or its one result field, is a list (`…Response/…Result` of `ArrayOfX`).
fn repeats_near_top(types: &TypeGraph, ty: &TypeRef, depth: usize) -> bool {
    if depth > 1 {
        return false;
    }
    if list_item(types, ty).is_some() {
        return true;
    }
    let is_struct = types
        .resolve(types.unalias(ty))
        .is_some_and(|d| matches!(d.kind, TypeKind::Struct(_)));
    is_struct
        && fields_of(types, ty)
            .iter()
            .any(|f| f.max_occurs.is_many() || repeats_near_top(types, &f.ty, depth + 1))
}

/// A credential field the old service took (`systemUserName`, `SystemPassword`, `passwd`,
/// `passord`, a token): Maskinporten replaces all of them.
pub fn is_credential(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    let raw = last.to_lowercase();
    if raw.contains("password") || raw.contains("passwd") || raw.contains("passord") {
        return true;
    }
    let w = Words::of(last);
    w.has("password")
        || w.has("token") && !w.has("type")
        || (w.has("user") && (w.has("system") || w.has("name") || w.0.len() == 1))
}
