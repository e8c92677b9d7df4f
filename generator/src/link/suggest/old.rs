//! Suggested links: for each SOAP operation, REST calls ranked by how well they fit, with the
//! reasons, and candidate field links for the best one. Works on contracts it has never seen: it
//! only compares names (across Norwegian and English), verbs with methods, and field overlap.

use std::collections::BTreeSet;

use serde::Serialize;

use super::paths::{fields_of, list_item};
use super::resolve::input_leaves;
use super::types::{Cat, category, check_compatible};
use crate::model::{
    Endpoint, HttpMethod, RestContract, SoapContract, SoapOperation, TypeGraph, TypeKind, TypeRef,
};

/// A ranked REST call for one SOAP operation.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// Index of the OpenAPI document.
    pub api: usize,
    /// `METHOD /path`.
    pub endpoint: String,
    /// 0..1, higher is better.
    pub score: f64,
    /// Why, in a few words each.
    pub reasons: Vec<String>,
}

/// A candidate field link.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldCandidate {
    /// SOAP input path.
    pub from: String,
    /// `body.…`, `path.…`, `query.…`, `header.…`.
    pub to: String,
    /// 0..1.
    pub score: f64,
}

/// Everything suggested for one operation.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// The SOAP operation.
    pub operation: String,
    /// Best first (at most five).
    pub candidates: Vec<Candidate>,
    /// Field links for the best candidate.
    pub fields: Vec<FieldCandidate>,
    /// Input leaves with no candidate.
    pub unmatched: Vec<String>,
}

/// Ranks calls for every operation of the WSDL (each name once, in name order).
pub fn suggest(soap: &SoapContract, rest: &[&RestContract]) -> Vec<Suggestion> {
    let mut seen = BTreeSet::new();
    let mut ops: Vec<&SoapOperation> = soap
        .operations
        .iter()
        .filter(|o| seen.insert(o.name.clone()))
        .collect();
    ops.sort_by(|a, b| a.name.cmp(&b.name));
    let context = Tokens::of(&soap.name);
    ops.into_iter()
        .map(|op| suggest_op(soap, rest, op, &context))
        .collect()
}

fn suggest_op(
    soap: &SoapContract,
    rest: &[&RestContract],
    op: &SoapOperation,
    context: &Tokens,
) -> Suggestion {
    let ins = input_names(soap, op);
    let outs = output_names(soap, op);
    let mut candidates: Vec<Candidate> = rest
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.endpoints.iter().map(move |e| (i, r, e)))
        .map(|(i, r, e)| score(op, context, &ins, &outs, i, r, e))
        .collect();
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.endpoint.cmp(&b.endpoint))
    });
    candidates.truncate(5);
    let (fields, unmatched) = match candidates.first() {
        Some(best) => {
            let r = rest[best.api];
            let ep = r.endpoints.iter().find(|e| e.id.0 == best.endpoint);
            ep.map(|e| field_candidates(soap, op, r, e))
                .unwrap_or_default()
        }
        None => (Vec::new(), input_leaves(&soap.types, op)),
    };
    Suggestion {
        operation: op.name.clone(),
        candidates,
        fields,
        unmatched,
    }
}

/// Normalised words of a name: split on case and punctuation, Norwegian mapped to English,
/// plurals and version suffixes removed.
#[derive(Debug, Clone, Default)]
struct Tokens(Vec<String>);

impl Tokens {
    fn of(s: &str) -> Tokens {
        let words = split_words(s);
        Tokens(
            words
                .iter()
                .flat_map(|w| split_compound(w))
                .filter_map(|w| normalise(&w))
                .collect(),
        )
    }

    fn set(&self) -> BTreeSet<&str> {
        self.0.iter().map(String::as_str).collect()
    }
}

fn split_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if p.is_alphanumeric() => {
                (p.is_lowercase() && c.is_uppercase())
                    || (p.is_alphabetic() != c.is_alphabetic())
                    || (p.is_uppercase()
                        && c.is_uppercase()
                        && next.is_some_and(char::is_lowercase))
            }
            _ => false,
        };
        if boundary && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Splits a Norwegian compound (`organisasjonsnummer` → `organisasjon` + `nummer`) when both
/// halves are words the normaliser knows, allowing the linking `s` or `e` Norwegian puts between
/// them. Words it cannot split come back whole.
fn split_compound(w: &str) -> Vec<String> {
    let known = |p: &str| {
        lookup(p).is_some() || lookup(&stem(p)).is_some() || KNOWN_WORDS.contains(&stem(p).as_str())
    };
    if w.chars().count() < 7 || known(w) {
        return vec![w.to_owned()];
    }
    let idx: Vec<usize> = w.char_indices().map(|(i, _)| i).skip(3).collect();
    for &i in idx.iter().rev() {
        let (head, tail) = w.split_at(i);
        if tail.chars().count() < 3 || !known(tail) {
            continue;
        }
        for h in [
            head,
            head.strip_suffix('s').unwrap_or(""),
            head.strip_suffix('e').unwrap_or(""),
        ] {
            if h.chars().count() >= 3 && known(h) {
                return vec![h.to_owned(), tail.to_owned()];
            }
        }
    }
    vec![w.to_owned()]
}

/// Words that are already canonical English and may stand in a compound's half.
const KNOWN_WORDS: &[&str] = &[
    "transfer",
    "download",
    "upload",
    "event",
    "instance",
    "receipt",
    "order",
    "notification",
    "subscription",
    "message",
    "status",
    "file",
    "attachment",
    "recipient",
    "sender",
    "reference",
    "number",
    "type",
    "date",
    "time",
    "code",
    "name",
    "text",
    "title",
    "content",
    "user",
    "password",
    "system",
    "service",
    "form",
    "list",
    "id",
];

/// Maps a lower-case word to its canonical English form; `None` for noise words.
fn normalise(w: &str) -> Option<String> {
    const NOISE: &[&str] = &[
        "basic",
        "ext",
        "external",
        "agency",
        "api",
        "ec",
        "ws",
        "the",
        "of",
        "by",
        "for",
        "a",
        "an",
        "and",
        "with",
        "be",
        "v",
        "sf",
        "i",
        "in",
        "on",
        "is",
        "all",
        "new",
        "inn",
        "ut",
        "tilbake",
        "og",
        "av",
        "på",
        "pa",
        "en",
        "et",
        "info",
        "informasjon",
        "data",
    ];
    if NOISE.contains(&w)
        || w.chars().all(|c| c.is_ascii_digit())
        || (w.starts_with('v') && w[1..].chars().all(|c| c.is_ascii_digit()) && w.len() > 1)
    {
        return None;
    }
    let base = lookup(w)
        .or_else(|| lookup(&stem(w)))
        .map_or_else(|| stem(w), str::to_owned);
    Some(base)
}

/// A plural's singular (`attachments` → `attachment`), leaving words that end in `s` alone.
fn stem(w: &str) -> String {
    match w {
        "details" | "address" | "process" | "access" | "class" | "news" => w.to_owned(),
        // Latin and Greek singulars (status, substatus, bonus, analysis) are not plurals.
        s if s.ends_with("us") || s.ends_with("is") => s.to_owned(),
        s if s.len() > 4 && s.ends_with("ies") => format!("{}y", &s[..s.len() - 3]),
        s if s.len() > 3 && s.ends_with('s') && !s.ends_with("ss") => s[..s.len() - 1].to_owned(),
        s => s.to_owned(),
    }
}

/// The canonical English word for a known word (Norwegian or an English synonym).
fn lookup(w: &str) -> Option<&'static str> {
    Some(match w {
        // verbs
        "hent" | "hente" | "fetch" | "read" | "retrieve" | "les" | "lese" => "get",
        "insert" | "initialize" | "initialise" | "initiate" | "init" | "opprett" | "opprette"
        | "lag" | "lage" | "add" | "register" => "create",
        "send" | "sende" | "submit" | "innsending" | "sendinn" => "send",
        "slett" | "slette" | "remove" | "fjern" | "fjerne" => "delete",
        // Altinn 2 purged an item from the service owner's own queue: an acknowledgement that
        // it was handled, not a deletion of the data (Altinn 3: complete confirmation).
        "purge" => "complete",
        "instantiate" | "instansier" => "create",
        "oppdater" | "oppdatere" | "modify" | "change" | "endre" => "update",
        "sok" | "søk" | "soke" | "søke" | "find" | "query" => "search",
        "liste" | "list" | "oversikt" | "overview" => "list",
        "bekreft" | "bekrefte" | "bekreftelse" | "acknowledge" | "ack" | "confirmation" => {
            "confirm"
        }
        "sjekk" | "sjekke" | "kontroller" | "verify" => "check",
        "tilgjengelig" | "available" => "available",
        "lagre" | "store" => "save",
        "last" | "laste" => "load",
        "ned" => "down",
        "opp" => "up",
        "lastned" | "nedlasting" => "download",
        "lastopp" | "opplasting" => "upload",
        // nouns
        "melding" | "meldinger" | "msg" => "message",
        "forsendelse" | "forsendelser" | "shipment" => "correspondence",
        "vedlegg" => "attachment",
        "mottaker" | "mottakere" | "receiver" | "reportee" => "recipient",
        "avsender" | "sender" => "sender",
        "kvittering" | "kvitteringer" => "receipt",
        "fil" | "filer" => "file",
        "skjema" => "form",
        "varsel" | "varsling" | "varsler" => "notification",
        "tjeneste" | "tjenester" => "service",
        "dokument" | "dokumenter" => "document",
        "referanse" | "ref" => "reference",
        "tittel" => "title",
        "innhold" => "content",
        "tekst" => "text",
        "dato" | "tidspunkt" => "date",
        "frist" => "due",
        "språk" | "sprak" => "language",
        "hendelse" | "hendelser" => "event",
        "abonnement" => "subscription",
        "historikk" => "history",
        "detaljer" => "details",
        "kø" | "ko" => "queue",
        "arkiv" => "archive",
        "forhåndsutfylling" | "prefill" => "prefill",
        "mottak" => "receive",
        "trekk" | "withdraw" | "cancel" | "avbryt" | "annuller" => "delete",
        "submission" | "innsendt" => "send",
        "nummer" | "nr" => "number",
        "organisasjon" | "organization" | "organisation" | "org" | "virksomhet" | "enhet" => {
            "organization"
        }
        "fodselsnummer" | "foedselsnummer" | "fødselsnummer" | "ssn" | "personnummer" => "nin",
        "beskrivelse" | "description" | "omtale" => "description",
        "belop" | "beløp" | "sum" | "amount" => "amount",
        "periode" => "period",
        "fra" | "start" => "from",
        "til" | "slutt" => "to",
        "type" | "kategori" | "art" => "type",
        "navn" => "name",
        "adresse" => "address",
        "epost" | "e-post" | "email" | "mail" => "email",
        "mobil" | "telefon" | "mobilnummer" | "phone" => "phone",
        "bruker" | "brukernavn" | "username" => "user",
        "passord" | "pwd" => "password",
        "versjon" => "version",
        "utgave" | "edition" => "edition",
        "kode" => "code",
        "svar" | "reply" | "response" => "reply",
        "opprettet" | "created" => "created",
        "endret" | "changed" | "modified" => "changed",
        "lest" => "read",
        "signatur" => "signature",
        "innsender" | "submitter" => "sender",
        "fangst" => "catch",
        "rapport" | "report" => "report",
        _ => return None,
    })
}

/// Which HTTP methods a leading verb suggests.
fn verb_methods(verb: &str) -> &'static [HttpMethod] {
    use HttpMethod::*;
    match verb {
        "get" | "list" | "search" | "download" | "check" => &[Get],
        "create" | "send" | "upload" | "confirm" | "mark" | "receive" | "complete" => &[Post, Put],
        "delete" => &[Delete],
        "update" | "set" | "save" => &[Put, Patch, Post],
        _ => &[],
    }
}

/// Names (last path segment) of an operation's input leaves.
fn input_names(soap: &SoapContract, op: &SoapOperation) -> Tokens {
    let leaves = input_leaves(&soap.types, op);
    Tokens(
        leaves
            .iter()
            .filter_map(|l| l.rsplit('/').next())
            .flat_map(|n| Tokens::of(n).0)
            .collect(),
    )
}

fn output_names(soap: &SoapContract, op: &SoapOperation) -> Tokens {
    let mut out = Vec::new();
    for part in op.output.iter().flat_map(|m| &m.body) {
        collect_field_names(
            &soap.types,
            part.content.ty(),
            &mut out,
            0,
            &mut BTreeSet::new(),
        );
    }
    Tokens(out.iter().flat_map(|n| Tokens::of(n).0).collect())
}

fn collect_field_names(
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
        collect_field_names(types, &f.ty, out, depth + 1, seen);
    }
}

fn request_names(r: &RestContract, e: &Endpoint) -> Tokens {
    let mut names: Vec<String> = e.params.iter().map(|p| p.name.clone()).collect();
    for m in e.body.iter().flat_map(|b| &b.content) {
        if let Some(t) = &m.ty {
            collect_field_names(&r.types, t, &mut names, 0, &mut BTreeSet::new());
        }
    }
    Tokens(names.iter().flat_map(|n| Tokens::of(n).0).collect())
}

fn response_names(r: &RestContract, e: &Endpoint) -> Tokens {
    let mut names = Vec::new();
    for m in e
        .responses
        .iter()
        .filter(|x| x.status.starts_with('2'))
        .flat_map(|x| &x.content)
    {
        if let Some(t) = &m.ty {
            collect_field_names(&r.types, t, &mut names, 0, &mut BTreeSet::new());
        }
    }
    Tokens(names.iter().flat_map(|n| Tokens::of(n).0).collect())
}

/// Share of `a`'s distinct words found in `b`.
fn overlap(a: &Tokens, b: &Tokens) -> (f64, Vec<String>) {
    let (sa, sb) = (a.set(), b.set());
    if sa.is_empty() {
        return (0.0, Vec::new());
    }
    let shared: Vec<String> = sa.intersection(&sb).map(|s| (*s).to_owned()).collect();
    (shared.len() as f64 / sa.len() as f64, shared)
}

/// Altinn 2 concepts and the Altinn 3 concepts that took their place, after Altinn's migration
/// guidance: form tasks, archived form sets and download-queue items are app *instances* in
/// Storage, forms and attachments are their *data* elements, receipts live on as the instance's
/// status and *substatus*, pre-filled forms are created as instances with data, and pushed batches
/// are replaced by *event* subscriptions.
const ALTINN_CONCEPTS: &[(&str, &[&str])] = &[
    ("task", &["instance"]),
    ("queue", &["instance"]),
    ("item", &["instance"]),
    ("archive", &["instance"]),
    ("archived", &["instance"]),
    ("receipt", &["instance", "substatus"]),
    ("prefill", &["instance", "data"]),
    ("prefilled", &["instance", "data"]),
    ("form", &["data"]),
    ("batch", &["subscription"]),
    // An operation Altinn 2 called on the service owner's side ("receive ...") is replaced by the
    // service owner subscribing to Altinn 3 events.
    ("receive", &["subscription"]),
];

/// The words of an operation's name plus the Altinn 3 concepts its Altinn 2 concepts became.
fn with_concepts(mut nouns: Tokens) -> Tokens {
    let extra: Vec<String> = nouns
        .0
        .iter()
        .flat_map(|w| {
            ALTINN_CONCEPTS
                .iter()
                .filter(move |(k, _)| k == w)
                .flat_map(|(_, v)| v.iter())
        })
        .map(|s| (*s).to_owned())
        .collect();
    nouns.0.extend(extra);
    nouns
}

/// The input names something that exists already: a reference or an id among its fields.
fn identifies(ins: &Tokens) -> bool {
    ins.0.iter().any(|w| w == "reference" || w == "id")
}

/// Dice coefficient of two word sets, with the shared words: symmetric, so neither a tiny
/// endpoint nor a huge input wins by size alone.
fn dice(a: &Tokens, b: &Tokens) -> (f64, Vec<String>) {
    let (sa, sb) = (a.set(), b.set());
    if sa.is_empty() || sb.is_empty() {
        return (0.0, Vec::new());
    }
    let shared: Vec<String> = sa.intersection(&sb).map(|s| (*s).to_owned()).collect();
    (
        2.0 * shared.len() as f64 / (sa.len() + sb.len()) as f64,
        shared,
    )
}

fn score(
    op: &SoapOperation,
    context: &Tokens,
    ins: &Tokens,
    outs: &Tokens,
    api: usize,
    r: &RestContract,
    e: &Endpoint,
) -> Candidate {
    let name = Tokens::of(&op.name);
    let verb = name.0.first().cloned().unwrap_or_default();
    let mut nouns = with_concepts(Tokens(name.0.iter().skip(1).cloned().collect()));
    // The verb's concepts count as nouns: what is received arrives through a subscription.
    nouns.0.extend(
        with_concepts(Tokens(vec![verb.clone()]))
            .0
            .into_iter()
            .skip(1),
    );
    let path = Tokens::of(
        &e.path
            .split('/')
            .filter(|s| !s.starts_with('{'))
            .collect::<Vec<_>>()
            .join(" "),
    );
    let summary = Tokens::of(&format!(
        "{} {}",
        e.summary.as_deref().unwrap_or(""),
        e.tags.join(" ")
    ));
    let mut reasons = Vec::new();

    // Name: nouns of the operation in the path (full weight) or the summary (half).
    // Dice, not recall: a path word the operation never mentions (`attachment`) counts against it.
    let (in_path, shared_path) = dice(&nouns, &path);
    let (in_summary, _) = dice(&nouns, &summary);
    let name_score = if nouns.0.is_empty() {
        0.3
    } else {
        in_path.max(0.5 * in_summary)
    };
    if !shared_path.is_empty() {
        reasons.push(format!("name: {}", shared_path.join(", ")));
    }
    let (ctx, _) = overlap(context, &path);

    // Verb against method, and the verb itself in the path (upload, download, confirm, ...).
    let methods = verb_methods(&verb);
    let method_ok = methods.contains(&e.method);
    let verb_in_path = path.set().contains(verb.as_str()) || summary.set().contains(verb.as_str());
    let ends_in_param = e.path.trim_end_matches('/').ends_with('}');
    let mut verb_score = if method_ok {
        0.7
    } else if methods.is_empty() {
        0.2
    } else {
        0.0
    };
    if verb_in_path {
        verb_score += 0.3;
    }
    // An action endpoint named by the verb itself (`…/{id}/complete`, `…/confirm`, `…/cancel`).
    let last_segment = e
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    if !last_segment.starts_with('{') && Tokens::of(last_segment).0.first() == Some(&verb) {
        verb_score += 0.2;
    }
    // A list or search wants the collection, a single get wants an id.
    if e.method == HttpMethod::Get && matches!(verb.as_str(), "list" | "search") && ends_in_param {
        verb_score -= 0.2;
    }
    // Creating addresses a collection; anything else that carries an identifying reference
    // addresses one existing item (a path parameter).
    let item = e.path.contains('{');
    // Receiving is replaced by creating a subscription, so it prefers collections too.
    let fits = if matches!(verb.as_str(), "create" | "receive") {
        !item
    } else {
        identifies(ins) && item
    };
    if fits {
        verb_score += 0.1;
    }
    if method_ok {
        reasons.push(format!("verb: {verb} → {}", e.method.as_str()));
    }

    let (fin, shared_in) = dice(&request_names(r, e), ins);
    let (fout, _) = dice(&response_names(r, e), outs);
    if !shared_in.is_empty() {
        let shown: Vec<&str> = shared_in.iter().map(String::as_str).take(6).collect();
        reasons.push(format!("input fields: {}", shown.join(", ")));
    }
    let s = 0.4 * name_score + 0.25 * verb_score + 0.2 * fin + 0.1 * fout + 0.05 * ctx;
    Candidate {
        api,
        endpoint: e.id.0.clone(),
        score: (s * 1000.0).round() / 1000.0,
        reasons,
    }
}

/// Every place a request value can go: `body.a.b[]…`, `path.x`, `query.x`, `header.x`, with type.
fn request_targets(r: &RestContract, e: &Endpoint) -> Vec<(String, TypeRef)> {
    let mut out: Vec<(String, TypeRef)> = e
        .params
        .iter()
        .map(|p| {
            (
                format!("{}.{}", format!("{:?}", p.location).to_lowercase(), p.name),
                p.ty.clone(),
            )
        })
        .collect();
    let body = e
        .body
        .iter()
        .flat_map(|b| &b.content)
        .find(|m| m.media_type.contains("json"))
        .or_else(|| e.body.iter().flat_map(|b| &b.content).next());
    if let Some(t) = body.and_then(|m| m.ty.as_ref()) {
        json_leaves(
            &r.types,
            t,
            "body".into(),
            &mut out,
            0,
            &mut BTreeSet::new(),
        );
    }
    out
}

fn json_leaves(
    types: &TypeGraph,
    ty: &TypeRef,
    prefix: String,
    out: &mut Vec<(String, TypeRef)>,
    depth: usize,
    seen: &mut BTreeSet<String>,
) {
    let fields = fields_of(types, ty);
    let is_struct = types
        .resolve(types.unalias(ty))
        .is_some_and(|d| matches!(d.kind, TypeKind::Struct(_) | TypeKind::Union(_)));
    if !is_struct || depth > 6 {
        out.push((prefix, ty.clone()));
        return;
    }
    let id = types
        .unalias(ty)
        .as_named()
        .map(|i| i.0.clone())
        .unwrap_or_default();
    if !seen.insert(id.clone()) {
        return;
    }
    for f in fields {
        let path = format!("{prefix}.{}", f.name);
        match list_item(types, &f.ty) {
            Some(item) if fields_of(types, &item).is_empty() => out.push((path, f.ty.clone())),
            Some(item) => json_leaves(types, &item, format!("{path}[]"), out, depth + 1, seen),
            None => json_leaves(types, &f.ty, path, out, depth + 1, seen),
        }
    }
    seen.remove(&id);
}

/// For each input leaf, the best target by name similarity, if it is type-compatible.
fn field_candidates(
    soap: &SoapContract,
    op: &SoapOperation,
    r: &RestContract,
    e: &Endpoint,
) -> (Vec<FieldCandidate>, Vec<String>) {
    let targets = request_targets(r, e);
    let leaf_types = leaf_types(soap, op);
    let mut used = BTreeSet::new();
    let (mut fields, mut unmatched) = (Vec::new(), Vec::new());
    for (leaf, ty) in leaf_types {
        let src = category(&soap.types, &ty);
        let last = leaf.rsplit('/').next().unwrap_or(&leaf);
        let parent = leaf.rsplit('/').nth(1).unwrap_or("");
        let best = targets
            .iter()
            .filter(|(t, _)| !used.contains(t.as_str()) && !t.contains("[]"))
            .filter(|(_, tt)| {
                check_compatible(&src, &category(&r.types, tt), false).is_ok()
                    || matches!(src, Cat::Any)
            })
            .map(|(t, _)| {
                let tl = t.rsplit('.').next().unwrap_or(t);
                let tp = t.rsplit('.').nth(1).unwrap_or("");
                (
                    t,
                    0.85 * similarity(last, tl) + 0.15 * similarity(parent, tp),
                )
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)));
        match best {
            Some((t, s)) if s >= 0.6 => {
                used.insert(t.clone());
                fields.push(FieldCandidate {
                    from: leaf,
                    to: t.clone(),
                    score: (s * 100.0).round() / 100.0,
                });
            }
            _ => unmatched.push(leaf),
        }
    }
    (fields, unmatched)
}

/// Input leaves with their types (the same walk as coverage uses).
fn leaf_types(soap: &SoapContract, op: &SoapOperation) -> Vec<(String, TypeRef)> {
    let parts = op.input_parts();
    input_leaves(&soap.types, op)
        .into_iter()
        .filter_map(|leaf| {
            let p = super::paths::walk_soap(&soap.types, &parts, &leaf).ok()?;
            let ty = p.leaf_type()?.clone();
            Some((leaf, ty))
        })
        .collect()
}

/// Dice coefficient of normalised words, with an exact-name bonus.
fn similarity(a: &str, b: &str) -> f64 {
    if a.eq_ignore_ascii_case(b) {
        return 1.0;
    }
    let (ta, tb) = (Tokens::of(a), Tokens::of(b));
    let (sa, sb) = (ta.set(), tb.set());
    if sa.is_empty() || sb.is_empty() {
        return 0.0;
    }
    2.0 * sa.intersection(&sb).count() as f64 / (sa.len() + sb.len()) as f64
}

/// A draft manifest: the best call per operation, candidate field links, drops for the rest.
/// Source paths are written as given.
pub fn draft(
    soap: &SoapContract,
    rest: &[&RestContract],
    wsdl_path: &str,
    openapi_paths: &[String],
) -> String {
    let suggestions = suggest(soap, rest);
    let credentials: BTreeSet<&str> = suggestions
        .iter()
        .flat_map(|s| &s.unmatched)
        .map(String::as_str)
        .filter(|l| is_credential(l))
        .collect();
    let mut out = String::new();
    out.push_str("# Draft mapping manifest written by `altinn-bridge suggest`.\n");
    out.push_str("# Every call and link below is a guess with its score: review each, then run `altinn-bridge check`.\n");
    let openapi: Vec<String> = openapi_paths.iter().map(|p| q(p)).collect();
    out.push_str(&format!(
        "api = {}\nstrategy = 1\n\n[sources]\nwsdl = {}\nopenapi = [{}]\n",
        q(&soap.name),
        q(wsdl_path),
        openapi.join(", ")
    ));
    if !credentials.is_empty() {
        let fields: Vec<String> = credentials
            .iter()
            .map(|c| format!("    {},\n", q(c)))
            .collect();
        out.push_str(&format!(
            "\n[auth]\nold = \"system-user-password\"\nold_fields = [\n{}]\nscopes = []\n",
            fields.concat()
        ));
    }
    for s in &suggestions {
        out.push_str(&format!("\n[[operations]]\nsoap = {}\n", q(&s.operation)));
        for c in &s.candidates {
            out.push_str(&format!(
                "# {:.3}  {}  ({})\n",
                c.score,
                c.endpoint,
                c.reasons.join("; ")
            ));
        }
        let Some(best) = s.candidates.first() else {
            out.push_str("no_successor = \"no REST endpoint found by suggest; review\"\n");
            continue;
        };
        out.push_str(&format!(
            "calls = [{{ name = \"call\", endpoint = {} }}]\n",
            q(&best.endpoint)
        ));
        for f in &s.fields {
            out.push_str(&format!(
                "\n[[operations.inputs]] # score {:.2}\nfrom = {}\nto = {}\n",
                f.score,
                q(&f.from),
                q(&f.to)
            ));
        }
        for u in s
            .unmatched
            .iter()
            .filter(|u| !credentials.contains(u.as_str()))
        {
            out.push_str(&format!("\n[[operations.inputs]]\nfrom = {}\ndrop = \"no candidate found by suggest; review\"\n", q(u)));
        }
    }
    out
}

/// A user name or password field (`systemUserName`, `SystemPassword`, `passord`, ...): old
/// credentials, which Maskinporten replaces.
fn is_credential(path: &str) -> bool {
    let last = Tokens::of(path.rsplit('/').next().unwrap_or(path));
    let words = last.set();
    words.contains("password")
        || (words.contains("user")
            && (words.contains("system") || words.contains("name") || words.len() == 1))
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if c.is_control() => o.push_str(&format!("\\u{:04X}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        Tokens::of(s).0
    }

    #[test]
    fn splits_and_normalises_names_across_languages() {
        assert_eq!(
            words("InsertCorrespondenceBasicV2"),
            ["create", "correspondence"]
        );
        assert_eq!(
            words("GetCorrespondenceStatusDetailsBasicV3"),
            ["get", "correspondence", "status", "details"]
        );
        assert_eq!(
            words("HentForsendelseStatus"),
            ["get", "correspondence", "status"]
        );
        assert_eq!(
            words("/correspondence/api/v1/attachments"),
            ["correspondence", "attachment"]
        );
        assert_eq!(
            words("UploadFileStreamedBasic"),
            ["upload", "file", "streamed"]
        );
        assert_eq!(words("SlettVedlegg"), ["delete", "attachment"]);
        assert_eq!(words("XMLSchemaID"), ["xml", "schema", "id"]);
        assert_eq!(words("organisasjonsnummer"), ["organization", "number"]);
        assert_eq!(words("meldingstype"), ["message", "type"]);
        assert_eq!(words("TrekkTilbakeMelding"), ["delete", "message"]);
        assert_eq!(words("systembruker"), ["system", "user"]);
        assert_eq!(words("organizationNumber"), ["organization", "number"]);
    }

    #[test]
    fn similarity_is_symmetric_and_exact_names_win() {
        assert_eq!(similarity("MessageTitle", "messageTitle"), 1.0);
        assert!(similarity("MessageTitle", "title") > 0.6);
        assert_eq!(similarity("ServiceCode", "title"), 0.0);
        assert_eq!(similarity("a", "b"), similarity("b", "a"));
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(q("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
