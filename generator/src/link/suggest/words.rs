//! Words of names and documentation, in one vocabulary: split on case, digits and punctuation,
//! Norwegian compounds split into their parts, Norwegian and English synonyms mapped to one
//! English word, plurals reduced. Everything `suggest` compares goes through [`Words::of`].

use std::collections::BTreeSet;

/// Normalised words of a name or a text, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words(pub Vec<String>);

impl Words {
    /// The words of `s`: a name (`GetCorrespondenceStatusBasicV2`, `organisasjonsnummer`) or
    /// a sentence of documentation.
    pub fn of(s: &str) -> Words {
        Words(
            split_words(s)
                .iter()
                .flat_map(|w| split_compound(w))
                .filter_map(|w| normalise(&w))
                .collect(),
        )
    }

    /// The words of a field name, where bounds and Altinn 2's service concept matter:
    /// `CreatedAfterDate` and `MinSentDateTime` say `from`, `…Before…`/`Max…` say `to`, and a
    /// service code names what Altinn 3 calls a resource.
    pub fn of_field(s: &str) -> Words {
        let raw: Vec<String> = split_words(s)
            .iter()
            .flat_map(|w| split_compound(w))
            .collect();
        Words(
            raw.iter()
                .filter_map(|w| match w.as_str() {
                    "from" | "after" | "min" | "since" | "start" => Some("from".to_owned()),
                    "to" | "before" | "max" | "until" | "end" => Some("to".to_owned()),
                    "service" | "tjeneste" => Some("resource".to_owned()),
                    other => normalise(other),
                })
                .collect(),
        )
    }

    /// Distinct words.
    pub fn set(&self) -> BTreeSet<&str> {
        self.0.iter().map(String::as_str).collect()
    }

    /// Distinct words, sorted: what the set comparisons in ranking take (built once per profile,
    /// not per comparison).
    pub fn sorted(&self) -> Vec<String> {
        let mut v = self.0.clone();
        v.sort();
        v.dedup();
        v
    }

    /// True when `w` is among them.
    pub fn has(&self, w: &str) -> bool {
        self.0.iter().any(|x| x == w)
    }
}

/// The words two sorted sets share, each weighed by `weight`.
pub fn shared(a: &[String], b: &[String], weight: impl Fn(&str) -> f64) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += weight(&a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Dice coefficient of two sorted sets, each word weighed by `weight`.
pub fn dice(a: &[String], b: &[String], weight: impl Fn(&str) -> f64 + Copy) -> f64 {
    let total: f64 = a.iter().chain(b).map(|w| weight(w)).sum();
    if total == 0.0 {
        return 0.0;
    }
    2.0 * shared(a, b, weight) / total
}

/// Splits on non-alphanumerics, lower-to-upper case changes, letter/digit changes and the end
/// of an upper-case run (`XMLSchema` → `xml`, `schema`).
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

/// Splits a compound (`organisasjonsnummer` → `organisasjon` + `nummer`, `filetransfer` →
/// `file` + `transfer`) when both halves are known words, allowing the linking `s` or `e`
/// Norwegian puts between them. Words it cannot split come back whole.
fn split_compound(w: &str) -> Vec<String> {
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
                let mut out = split_compound(h);
                out.push(tail.to_owned());
                return out;
            }
        }
    }
    vec![w.to_owned()]
}

fn known(p: &str) -> bool {
    lookup(p).is_some() || lookup(&stem(p)).is_some() || KNOWN_WORDS.contains(&stem(p).as_str())
}

/// Words that are already canonical English and may stand in a compound.
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
    "right",
    "member",
    "access",
    "party",
    "owner",
    "resource",
    "dialog",
    "archive",
    "shipment",
    "task",
    "item",
    "queue",
    "batch",
    "signature",
    "sign",
    "process",
    "data",
    "element",
    "history",
    "detail",
    "search",
    "register",
    "rule",
    "role",
    "report",
    "mark",
    "read",
    "confirm",
    "complete",
    "send",
];

/// Function words and Altinn 2 naming noise: versions, bindings, `Basic`, `External`.
const NOISE: &[&str] = &[
    "basic",
    "ext",
    "external",
    "agency",
    "api",
    "ec",
    "ec2",
    "ws",
    "the",
    "of",
    "by",
    "for",
    "a",
    "an",
    "and",
    "or",
    "with",
    "be",
    "v",
    "sf",
    "i",
    "in",
    "on",
    "is",
    "are",
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
    "to",
    "from",
    "this",
    "that",
    "it",
    "its",
    "as",
    "at",
    "if",
    "not",
    "no",
    "can",
    "will",
    "which",
    "when",
    "was",
    "has",
    "have",
    "may",
    "should",
    "must",
    "used",
    "use",
    "given",
    "based",
    "one",
    "more",
    "only",
    "then",
    "than",
    "there",
    "these",
    "those",
    "their",
    "into",
    "also",
    "such",
    "any",
    "each",
    "http",
    "https",
    "www",
    "altinn",
    "no",
    "com",
    "som",
    "til",
    "for",
    "med",
    "er",
    "den",
    "det",
    "de",
    "eller",
    "ikke",
    "kan",
    "skal",
    "vil",
    "fra",
    "om",
    "seg",
    "sin",
    "sitt",
    "info",
    "informasjon",
    "www",
    "net",
    "uri",
    "url",
    "returns",
    "return",
    "method",
    "endpoint",
    "operation",
    "operasjon",
    "request",
    "api",
    "v1",
    "v2",
    "v3",
];

/// Maps a lower-case word to its canonical English form; `None` for noise words.
pub fn normalise(w: &str) -> Option<String> {
    if NOISE.contains(&w)
        || w.chars().all(|c| c.is_ascii_digit())
        || (w.starts_with('v') && w.len() > 1 && w[1..].chars().all(|c| c.is_ascii_digit()))
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
        "details" | "address" | "process" | "access" | "class" | "news" | "status" => w.to_owned(),
        // Latin and Greek singulars (status, substatus, bonus, analysis) are not plurals.
        s if s.ends_with("us") || s.ends_with("is") || s.ends_with("ss") => s.to_owned(),
        s if s.len() > 4 && s.ends_with("ies") => format!("{}y", &s[..s.len() - 3]),
        s if s.len() > 3 && s.ends_with('s') => s[..s.len() - 1].to_owned(),
        s => s.to_owned(),
    }
}

/// The canonical English word for a known word (Norwegian, or an English synonym).
fn lookup(w: &str) -> Option<&'static str> {
    Some(match w {
        // verbs
        "hent" | "hente" | "fetch" | "read" | "retrieve" | "les" | "lese" | "gets" => "get",
        "insert" | "initialize" | "initialise" | "initiate" | "init" | "opprett" | "opprette"
        | "lag" | "lage" | "add" | "register" | "registrer" | "create" | "creates" | "ny"
        | "instantiate" | "instansier" | "place" | "places" | "post" => "create",
        "send" | "sende" | "submit" | "innsending" | "sendinn" | "submission" | "innsendt"
        | "sends" => "send",
        "slett" | "slette" | "remove" | "fjern" | "fjerne" | "removes" | "deletes" => "delete",
        "trekk" | "withdraw" | "cancel" | "avbryt" | "annuller" | "revoke" | "trekke" => "cancel",
        // Altinn 2 purged an item from the service owner's own queue: an acknowledgement that
        // it was handled, not a deletion of the data (Altinn 3: complete confirmation).
        "purge" => "complete",
        "oppdater" | "oppdatere" | "modify" | "change" | "endre" | "updates" | "replace"
        | "replaces" | "set" | "sets" => "update",
        "sok" | "søk" | "soke" | "søke" | "find" | "query" | "lookup" | "searches" => "search",
        "liste" | "list" | "oversikt" | "overview" | "lists" => "list",
        "bekreft" | "bekrefte" | "bekreftelse" | "acknowledge" | "ack" | "confirmation"
        | "confirms" => "confirm",
        "sjekk" | "sjekke" | "kontroller" | "verify" | "validate" | "valider" => "check",
        "tilgjengelig" | "available" => "available",
        "lagre" | "store" | "save" | "saves" => "save",
        "lastned" | "nedlasting" | "downloads" => "download",
        "lastopp" | "opplasting" | "uploads" => "upload",
        "fullfør" | "fullfor" | "finish" | "finalize" | "completes" => "complete",
        "signer" | "signere" | "signering" | "signing" => "sign",
        "arkiver" | "arkivere" | "archived" => "archive",
        "ping" | "echo" | "alive" | "health" | "healthcheck" | "test" => "test",
        // nouns
        "melding" | "meldinger" | "msg" => "message",
        "forsendelse" | "forsendelser" | "shipment" => "shipment",
        "vedlegg" => "attachment",
        "mottaker" | "mottakere" | "receiver" => "recipient",
        "avgiver" | "reportee" | "aktør" | "aktor" | "part" => "party",
        "avsender" | "innsender" | "submitter" => "sender",
        "kvittering" | "kvitteringer" => "receipt",
        "fil" | "filer" => "file",
        "skjema" | "skjemaer" => "form",
        "skjemasett" | "formset" => "form",
        "varsel" | "varsling" | "varsler" => "notification",
        "tjeneste" | "tjenester" => "service",
        "dokument" | "dokumenter" => "document",
        "referanse" | "ref" => "reference",
        "tittel" => "title",
        "innhold" => "content",
        "tekst" => "text",
        "dato" | "tidspunkt" => "date",
        "frist" | "due" | "deadline" => "due",
        "språk" | "sprak" | "lang" => "language",
        "hendelse" | "hendelser" => "event",
        "abonnement" => "subscription",
        "historikk" => "history",
        "detaljer" | "detail" => "details",
        "kø" | "ko" => "queue",
        "arkiv" => "archive",
        "forhåndsutfylling" | "prefill" | "prefilled" | "preutfylling" => "prefill",
        "mottak" => "receive",
        "nummer" | "nr" | "no." => "number",
        "organisasjon" | "organization" | "organisation" | "org" | "virksomhet" | "enhet"
        | "orgnr" => "organization",
        "fodselsnummer" | "foedselsnummer" | "fødselsnummer" | "ssn" | "personnummer" => "nin",
        "beskrivelse" | "description" | "omtale" => "description",
        "belop" | "beløp" | "sum" | "amount" => "amount",
        "periode" => "period",
        "type" | "kategori" | "art" | "kind" => "type",
        "navn" => "name",
        "adresse" => "address",
        "epost" | "email" | "mail" | "e-post" => "email",
        "mobil" | "telefon" | "mobilnummer" | "phone" | "sms" => "phone",
        "bruker" | "username" => "user",
        "brukernavn" => "user",
        "passord" | "pwd" | "passwd" => "password",
        "versjon" => "version",
        "utgave" | "edition" => "edition",
        "kode" => "code",
        "svar" | "reply" | "response" => "reply",
        "opprettet" | "created" => "created",
        "endret" | "changed" | "modified" | "lastchanged" => "changed",
        "lest" => "read",
        "signatur" => "signature",
        "rettighet" | "rettigheter" | "right" | "permission" | "permissions" | "grant" => "right",
        "medlem" | "medlemmer" | "member" | "membership" | "memberships" => "member",
        "regel" | "regler" | "rule" => "rule",
        "rolle" | "roller" => "role",
        "rapport" | "report" => "report",
        "instanse" | "instanser" => "instance",
        "oppgave" | "oppgaver" | "task" | "formtask" => "task",
        "utløp" | "utlop" | "expiry" | "expiration" | "expires" => "expiry",
        "gyldig" | "valid" => "valid",
        "innboks" | "inbox" | "meldingsboks" => "inbox",
        "forespørsel" | "foresporsel" => "request",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        Words::of(s).0
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
            ["get", "shipment", "status"]
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
        assert_eq!(words("TrekkTilbakeMelding"), ["cancel", "message"]);
        assert_eq!(words("systembruker"), ["system", "user"]);
        assert_eq!(words("organizationNumber"), ["organization", "number"]);
        assert_eq!(words("filetransfer"), ["file", "transfer"]);
        assert_eq!(words("systemPasswd"), ["system", "password"]);
        assert_eq!(
            words("Places a new order; returns its id."),
            ["create", "order", "id"]
        );
    }
}
