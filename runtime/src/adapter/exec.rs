//! Runs an [`Operation`]: its calls in order (each once, or once per item of a loop), every
//! input link into the requests, every output link from the answers into the SOAP output.
//!
//! Loops nest by path: a call repeated per `…/PrefillFormTask/PreFillForms/PrefillForm` reads
//! fields of the form it is on and of the task around it, and an earlier call repeated per task
//! is matched to the same task. Values from a repeated call that feed a call made once (or the
//! output) arrive as a list, one entry per repetition.

use std::collections::BTreeMap;

use serde_json::Value;

use super::answer::Pending;
use super::convert::{self, Val};
use super::output::{set_everywhere, set_output};
use super::paging;
use super::plan::{
    BodyKind, Call, Format, JsonStep, Link, Loop, Operation, Source, Target, Transform, XmlStep,
};
use super::request::{Parts, single};
use super::walk::{chains, common_prefix, json_passes, json_values, soap_passes, xml_values};
use super::{Settings, Upstream};
use crate::error::{Error, Result};
use crate::http::ByteStream;
use crate::xml::{Element, Node};

/// One call's answer.
#[derive(Debug, Clone)]
enum Answer {
    Json(Value),
    Bytes(Vec<u8>),
    Empty,
    /// Opened, not read: one held response per output link that reads the body, by its index
    /// in [`Run::pending`].
    Streamed(Vec<usize>),
}

/// Where in the input a repetition of a call is.
#[derive(Debug, Clone, Default)]
struct Place<'x> {
    /// A SOAP loop's path and the element matched at each of its steps.
    anchor: Option<(&'static [XmlStep], Vec<&'x Element>)>,
    /// A response loop's call, which repetition of it, its array path and the current item.
    item: Option<(&'static str, usize, &'static [JsonStep], Value)>,
}

#[derive(Debug)]
struct Done<'x> {
    place: Place<'x>,
    answer: Answer,
}

struct Run<'a, 'x> {
    op: &'static Operation,
    input: &'x Element,
    upstream: &'a Upstream,
    settings: &'a Settings,
    done: BTreeMap<&'static str, Vec<Done<'x>>>,
    /// A binary that arrived as a stream (an MTOM attachment) and its size if known: sent as
    /// the body of the first raw-bytes call fed from the SOAP input, never held in memory.
    stream: std::sync::Mutex<Option<(ByteStream, Option<u64>)>>,
    /// Whether whole-body downloads into binary outputs are streamed (the facade's path) rather
    /// than read into the output tree.
    streams_out: bool,
    /// The downloads opened for the answer; the output holds a placeholder for each.
    pending: std::sync::Mutex<Vec<Pending>>,
    /// Makes the placeholders of this run unguessable, so no real value can pass for one.
    nonce: [u8; 16],
}

/// Makes the operation's calls for its SOAP input (the body element and any header blocks; SOAP
/// paths start at one of them) and builds its SOAP output element (`None` for an operation
/// without output).
pub async fn run(
    op: &'static Operation,
    input: Vec<Element>,
    upstream: &Upstream,
    settings: &Settings,
) -> Result<Option<Element>> {
    execute(op, input, upstream, settings, None, false)
        .await
        .map(|(out, _)| out)
}

/// [`run`] for the facade: a call whose whole body only fills binary output fields (a file
/// download) is opened, its status checked, and left unread; the output holds a placeholder
/// for each such field and the opened bodies come back with it, in the order they were opened.
pub(crate) async fn run_answer(
    op: &'static Operation,
    input: Vec<Element>,
    stream: Option<(ByteStream, Option<u64>)>,
    upstream: &Upstream,
    settings: &Settings,
) -> Result<(Option<Element>, Vec<Pending>)> {
    execute(op, input, upstream, settings, stream, true).await
}

/// [`run`] for an operation whose binary arrived as a stream (`len` bytes, when known): the
/// call that sends the SOAP input's binary as its raw body streams it instead (never retried,
/// since a stream cannot be sent twice).
pub async fn run_streamed(
    op: &'static Operation,
    input: Vec<Element>,
    stream: ByteStream,
    len: Option<u64>,
    upstream: &Upstream,
    settings: &Settings,
) -> Result<Option<Element>> {
    execute(op, input, upstream, settings, Some((stream, len)), false)
        .await
        .map(|(out, _)| out)
}

/// [`run`] or [`run_streamed`], as `stream` says.
pub(crate) async fn run_with(
    op: &'static Operation,
    input: Vec<Element>,
    stream: Option<(ByteStream, Option<u64>)>,
    upstream: &Upstream,
    settings: &Settings,
) -> Result<Option<Element>> {
    execute(op, input, upstream, settings, stream, false)
        .await
        .map(|(out, _)| out)
}

async fn execute(
    op: &'static Operation,
    input: Vec<Element>,
    upstream: &Upstream,
    settings: &Settings,
    stream: Option<(ByteStream, Option<u64>)>,
    streams_out: bool,
) -> Result<(Option<Element>, Vec<Pending>)> {
    // Paths name their root element first, so the roots hang under one nameless element.
    let roots = Element {
        children: input.into_iter().map(Node::Element).collect(),
        ..Element::default()
    };
    let mut run = Run {
        op,
        input: &roots,
        upstream,
        settings,
        done: BTreeMap::new(),
        stream: std::sync::Mutex::new(stream),
        streams_out,
        pending: std::sync::Mutex::new(Vec::new()),
        nonce: *crate::ids::uuid_v4().as_bytes(),
    };
    for call in op.calls {
        for place in run.places(call)? {
            let answer = run.call(call, &place).await?;
            run.done
                .entry(call.name)
                .or_default()
                .push(Done { place, answer });
        }
    }
    let out = run.output()?;
    let pending = run
        .pending
        .into_inner()
        .map_err(|_| Error::Request("the download list was poisoned".into()))?;
    Ok((out, pending))
}

impl<'x> Run<'_, 'x> {
    /// The repetitions of `call`.
    fn places(&self, call: &Call) -> Result<Vec<Place<'x>>> {
        Ok(match call.for_each {
            None => vec![Place::default()],
            Some(Loop::Soap(path)) => chains(self.input, path)
                .into_iter()
                .map(|chain| Place {
                    anchor: Some((path, chain)),
                    item: None,
                })
                .collect(),
            Some(Loop::Response { call: from, path }) => {
                let mut out = Vec::new();
                for (i, d) in self.done.get(from).into_iter().flatten().enumerate() {
                    let Answer::Json(body) = &d.answer else {
                        continue;
                    };
                    for item in json_values(body, path) {
                        out.push(Place {
                            anchor: d.place.anchor.clone(),
                            item: Some((from, i, path, item.clone())),
                        });
                    }
                }
                out
            }
        })
    }

    /// The values of `source` at `place` (`None`: the output, which sees every repetition),
    /// grouped by the repetition of the call they came from.
    fn values(&self, source: &Source, place: Option<&Place<'x>>) -> Result<Vec<Vec<Val>>> {
        Ok(match *source {
            Source::Const(c) => vec![vec![Val::Text(c.to_owned())]],
            Source::Config(key) => vec![vec![Val::Text(self.settings.value(key)?.to_owned())]],
            Source::Soap(path) => vec![self.soap_values(path, place)],
            Source::Response { call, path } => self.response_values(call, path, place),
        })
    }

    fn soap_values(&self, path: &'static [XmlStep], place: Option<&Place<'x>>) -> Vec<Val> {
        let (start, rest) = match place.and_then(|p| p.anchor.as_ref()) {
            Some((lp, chain)) => {
                let k = common_prefix(lp, path);
                if k > 0 {
                    (chain[k - 1], &path[k..])
                } else {
                    (self.input, path)
                }
            }
            None => (self.input, path),
        };
        xml_values(start, rest)
    }

    fn response_values(
        &self,
        call: &'static str,
        path: &'static [JsonStep],
        place: Option<&Place<'x>>,
    ) -> Vec<Vec<Val>> {
        // Inside a loop over this call's array: the current item.
        if let Some((from, _, lp, item)) = place.and_then(|p| p.item.as_ref())
            && *from == call
            && path.starts_with(lp)
        {
            let mut rest: Vec<JsonStep> = path[lp.len()..].to_vec();
            if rest.is_empty() {
                rest.push(JsonStep {
                    name: "",
                    many: false,
                });
            }
            return vec![
                json_values(item, &rest)
                    .into_iter()
                    .filter_map(Val::from_json)
                    .collect(),
            ];
        }
        let done = self.done.get(call).map(Vec::as_slice).unwrap_or_default();
        done.iter()
            .enumerate()
            .filter(|(i, d)| place.is_none_or(|p| same_place(p, &d.place, call, *i)))
            .map(|(_, d)| answer_values(&d.answer, path))
            .collect()
    }

    async fn call(&self, call: &'static Call, place: &Place<'x>) -> Result<Answer> {
        let stream = match call.body {
            BodyKind::Bytes(_) if self.op.inputs.iter().any(|l| streams_into(l, call)) => self
                .stream
                .lock()
                .map_err(|_| Error::Request("the upload stream was poisoned".into()))?
                .take(),
            _ => None,
        };
        let mut req = Parts {
            system_user: self.system_user()?,
            ..Parts::default()
        };
        for link in self
            .op
            .inputs
            .iter()
            .filter(|l| target_call(l) == Some(call.name))
        {
            // The streamed binary replaces the (empty, `xop:Include`) element it came in.
            if stream.is_some() && streams_into(link, call) {
                continue;
            }
            let values: Vec<Val> = if link.filter.is_empty() {
                self.values(&link.from, Some(place))?.concat()
            } else {
                self.filtered(link, place)
            };
            let values = convert::apply(values, link.transforms, self.settings, link.field)?;
            req.set(call, link, values)?;
        }
        let client = self.upstream.api(call.api)?;
        // Only a templated base URL (`https://{org}.apps.altinn.no`) needs the path parameters
        // again; a fixed one is the common case and copies nothing.
        req.base_params = client.has_placeholders();
        if self.streams_out && stream.is_none() && streams_out(self.op, call) {
            return self.open(client, req.build(call)?, call).await;
        }
        let response = match (stream, call.body) {
            (Some((body, len)), BodyKind::Bytes(ct)) => {
                let request = req.build_without_body(call)?;
                client.send_stream(request, ct, body, len).await?
            }
            _ => {
                let request = req.build(call)?;
                if let Some(pages) = call.pages {
                    return paging::every_page(client, call, request, pages)
                        .await
                        .map(Answer::Json);
                }
                client.send(request).await?
            }
        };
        answer_of(call, &response.body)
    }

    /// The values of a link with a `where`: only from the items of its source's repeated step
    /// whose fields hold the wanted values.
    fn filtered(&self, link: &Link, place: &Place<'x>) -> Vec<Val> {
        let Some(item) = link.filter.first().map(|f| f.item) else {
            return Vec::new();
        };
        match link.from {
            Source::Soap(path) if item < path.len() => chains(self.input, &path[..=item])
                .into_iter()
                .filter_map(|c| c.last().copied())
                .filter(|el| link.filter.iter().all(|f| soap_passes(el, f)))
                .flat_map(|el| xml_values(el, &path[item + 1..]))
                .collect(),
            Source::Response { call, path } if item < path.len() => {
                let done = self.done.get(call).map(Vec::as_slice).unwrap_or_default();
                done.iter()
                    .enumerate()
                    .filter(|(i, d)| same_place(place, &d.place, call, *i))
                    .filter_map(|(_, d)| match &d.answer {
                        Answer::Json(v) => Some(v),
                        _ => None,
                    })
                    .flat_map(|v| json_values(v, &path[..=item]))
                    .filter(|it| link.filter.iter().all(|f| json_passes(it, f)))
                    .flat_map(|it| {
                        let rest = &path[item + 1..];
                        if rest.is_empty() {
                            Val::from_json(it).into_iter().collect::<Vec<_>>()
                        } else {
                            json_values(it, rest)
                                .into_iter()
                                .filter_map(Val::from_json)
                                .collect()
                        }
                    })
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// The organisation whose system user the calls act as, when the operation says so; a
    /// missing setting fails before anything is sent, never falls back to the client's token.
    fn system_user(&self) -> Result<Option<String>> {
        if !self.op.system_user {
            return Ok(None);
        }
        let org = self.settings.value(super::plan::SYSTEM_USER_ORG)?;
        Ok(Some(org.to_owned()))
    }

    /// Opens `request` once per output link that reads `call`'s body (each link consumes its
    /// own copy; nothing is read yet): a refused download fails the operation here, before
    /// any answer is written.
    async fn open(
        &self,
        client: &crate::http::Client,
        request: crate::http::Request,
        call: &Call,
    ) -> Result<Answer> {
        let mut ids = Vec::new();
        for link in self.op.outputs.iter().filter(|l| reads(l, call.name)) {
            let response = client.get_stream(request.clone()).await?;
            let content_type = response
                .headers
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/octet-stream")
                .to_owned();
            let mut pending = self
                .pending
                .lock()
                .map_err(|_| Error::Request("the download list was poisoned".into()))?;
            let id = pending.len();
            pending.push(Pending {
                placeholder: Val::Bytes(self.marker(id)).to_text(),
                binary: matches!(link.to, Target::SoapBinary(_)),
                content_type,
                len: response.content_length(),
                body: response.body,
            });
            ids.push(id);
        }
        Ok(Answer::Streamed(ids))
    }

    /// The bytes whose base64 stands in the output for opened download `id`: 21 bytes, so
    /// the text has no padding and survives a typed base64Binary read and write unchanged.
    fn marker(&self, id: usize) -> Vec<u8> {
        let mut m = self.nonce.to_vec();
        m.extend_from_slice(&u32::try_from(id).unwrap_or(u32::MAX).to_be_bytes());
        m.push(0);
        m
    }

    /// For a link that reads a streamed call's body: its placeholder per repetition.
    fn pending_values(&self, link: &Link) -> Option<Vec<Vec<Val>>> {
        let Source::Response { call, .. } = link.from else {
            return None;
        };
        let j = self
            .op
            .outputs
            .iter()
            .filter(|l| reads(l, call))
            .position(|l| std::ptr::eq(l, link))?;
        let mut groups = Vec::new();
        for d in self.done.get(call)? {
            let Answer::Streamed(ids) = &d.answer else {
                return None;
            };
            groups.push(ids.get(j).map(|id| Val::Bytes(self.marker(*id))));
        }
        Some(
            groups
                .into_iter()
                .map(|v| v.into_iter().collect())
                .collect(),
        )
    }

    fn output(&self) -> Result<Option<Element>> {
        let Some((ns, local)) = self.op.output else {
            return Ok(None);
        };
        let mut root = Element::default();
        // Constants and settings go last: they fill every element the answers made.
        let (fixed, read): (Vec<&Link>, Vec<&Link>) = self
            .op
            .outputs
            .iter()
            .partition(|l| matches!(l.from, Source::Const(_) | Source::Config(_)));
        for link in read {
            let (Target::Soap(path) | Target::SoapBinary(path)) = link.to else {
                continue;
            };
            let mut groups = self.indexed(link)?;
            // A field that does not repeat takes every repetition's values at once, so a
            // `join` joins them all (the ids of all orders sent).
            if !path.iter().any(|s| s.many) {
                groups = vec![groups.concat()];
            }
            let mut placed = Vec::new();
            for group in groups {
                placed.extend(self.transformed(link, group)?);
            }
            set_output(&mut root, path, link.field, placed)?;
        }
        for link in fixed {
            let (Target::Soap(path) | Target::SoapBinary(path)) = link.to else {
                continue;
            };
            let values = convert::apply(
                self.values(&link.from, None)?.concat(),
                link.transforms,
                self.settings,
                link.field,
            )?;
            if let Some(text) = single(values.iter().map(Val::to_text).collect(), link.field)? {
                set_everywhere(&mut root, path, &text);
            }
        }
        let out = root
            .children
            .into_iter()
            .find_map(|n| match n {
                Node::Element(e) if e.ns == ns && e.local == local => Some(e),
                _ => None,
            })
            .unwrap_or_else(|| Element {
                ns: ns.to_owned(),
                local: local.to_owned(),
                ..Element::default()
            });
        Ok(Some(out))
    }
}

/// A value of an output link and where it sits: its repetition of the call (when the call
/// repeats) and its position in each array on the way, outermost first.
pub(super) type Placed = (Vec<usize>, Val);

impl Run<'_, '_> {
    /// An output link's values per repetition of its source call, each with where it sits.
    fn indexed(&self, link: &Link) -> Result<Vec<Vec<Placed>>> {
        if let (Source::Response { call, path }, None) = (link.from, self.pending_values(link)) {
            let repeated = self
                .op
                .calls
                .iter()
                .any(|c| c.name == call && c.for_each.is_some());
            let done = self.done.get(call).map(Vec::as_slice).unwrap_or_default();
            return Ok(done
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let mut values = answer_values_placed(&d.answer, path);
                    if repeated {
                        for (at, _) in &mut values {
                            at.insert(0, i);
                        }
                    }
                    values
                })
                .collect());
        }
        let groups = match self.pending_values(link) {
            Some(groups) => groups,
            None => self.values(&link.from, None)?,
        };
        let several = groups.len() > 1;
        Ok(groups
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                g.into_iter()
                    .enumerate()
                    .map(|(j, v)| (if several { vec![i, j] } else { vec![j] }, v))
                    .collect()
            })
            .collect())
    }

    /// One repetition's values through the link's transforms. Values keep their places when
    /// the transforms keep their number; otherwise (split, join, a default, `non-empty`) the
    /// results take the repetition's place, one after the other.
    fn transformed(&self, link: &Link, group: Vec<Placed>) -> Result<Vec<Placed>> {
        let prefix: Vec<usize> = group
            .first()
            .map(|(at, _)| at[..at.len().saturating_sub(1)].to_vec())
            .unwrap_or_default();
        let (places, values): (Vec<Vec<usize>>, Vec<Val>) = group.into_iter().unzip();
        let out = convert::apply(values, link.transforms, self.settings, link.field)?;
        if out.len() == places.len() {
            return Ok(places.into_iter().zip(out).collect());
        }
        Ok(out
            .into_iter()
            .enumerate()
            .map(|(j, v)| {
                let mut at = prefix.clone();
                at.push(j);
                (at, v)
            })
            .collect())
    }
}

/// A response body as the links read it: JSON (checked against the call's REST type), other
/// bytes whole, or nothing.
fn answer_of(call: &Call, body: &[u8]) -> Result<Answer> {
    if body.is_empty() {
        return Ok(Answer::Empty);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => {
            check_json(call, &v)?;
            Ok(Answer::Json(v))
        }
        Err(_) => Ok(Answer::Bytes(body.to_vec())),
    }
}

/// `v` through the call's generated REST type, when it has one.
pub(super) fn check_json(call: &Call, v: &Value) -> Result<()> {
    match call.check_response {
        Some(check) => check(v).map_err(|m| Error::Decode {
            url: format!("{} {}", call.method, call.path),
            message: m,
        }),
        None => Ok(()),
    }
}

/// Whether `link` reads `call`'s whole response body.
fn reads(link: &Link, call: &str) -> bool {
    matches!(link.from, Source::Response { call: c, path: [] } if c == call)
}

/// Whether `call`'s body can go to the answer unread: it fills at least one binary output
/// field, and everything that reads it takes the whole body as it is (binary fields, or text
/// fields that get its base64), so no value has to be computed from its content.
fn streams_out(op: &Operation, call: &Call) -> bool {
    let looped = op.calls.iter().any(
        |c| matches!(c.for_each, Some(Loop::Response { call: from, .. }) if from == call.name),
    );
    let readers = op
        .inputs
        .iter()
        .chain(op.outputs)
        .filter(|l| matches!(l.from, Source::Response { call: c, .. } if c == call.name));
    let mut binary = false;
    for link in readers {
        let as_text = link
            .transforms
            .iter()
            .all(|t| matches!(t, Transform::Format(Format::String)));
        match link.to {
            Target::SoapBinary(_) if reads(link, call.name) && link.transforms.is_empty() => {
                binary = true;
            }
            Target::Soap(_) if reads(link, call.name) && as_text => {}
            _ => return false,
        }
    }
    binary && !looped
}

/// The link sends a SOAP input value as the whole raw body of `call` (an attachment upload).
fn streams_into(link: &Link, call: &Call) -> bool {
    matches!((link.from, link.to), (Source::Soap(_), Target::Body { call: c, path, .. }) if c == call.name && path.is_empty())
}

fn target_call(link: &Link) -> Option<&'static str> {
    match link.to {
        Target::Body { call, .. } | Target::Param { call, .. } => Some(call),
        Target::Soap(_) | Target::SoapBinary(_) => None,
    }
}

/// Whether repetition `i` of `call` (at `theirs`) belongs with the repetition at `ours`.
fn same_place(ours: &Place<'_>, theirs: &Place<'_>, call: &str, i: usize) -> bool {
    if let Some((from, j, _, _)) = &ours.item
        && *from == call
    {
        return *j == i;
    }
    match (&ours.anchor, &theirs.anchor) {
        (Some((pa, ca)), Some((pb, cb))) => {
            let k = common_prefix(pa, pb);
            (0..k).all(|s| std::ptr::eq(ca[s], cb[s]))
        }
        _ => true,
    }
}

fn answer_values(answer: &Answer, path: &[JsonStep]) -> Vec<Val> {
    match answer {
        Answer::Json(v) => json_values(v, path)
            .into_iter()
            .filter_map(Val::from_json)
            .collect(),
        Answer::Bytes(b) if path.iter().all(|s| s.name.is_empty()) => vec![Val::Bytes(b.clone())],
        Answer::Bytes(_) | Answer::Empty | Answer::Streamed(_) => Vec::new(),
    }
}

/// [`answer_values`] with each value's position in every array on its path.
fn answer_values_placed(answer: &Answer, path: &[JsonStep]) -> Vec<Placed> {
    match answer {
        Answer::Json(v) => {
            let mut here: Vec<(Vec<usize>, &Value)> = vec![(Vec::new(), v)];
            for step in path {
                let mut next = Vec::new();
                for (at, v) in here {
                    let v = if step.name.is_empty() {
                        Some(v)
                    } else {
                        v.get(step.name)
                    };
                    match (v, step.many) {
                        (Some(Value::Array(items)), true) => {
                            for (i, item) in items.iter().enumerate() {
                                let mut at = at.clone();
                                at.push(i);
                                next.push((at, item));
                            }
                        }
                        (Some(Value::Null) | None, _) => {}
                        (Some(v), _) => next.push((at, v)),
                    }
                }
                here = next;
            }
            here.into_iter()
                .filter_map(|(at, v)| Val::from_json(v).map(|v| (at, v)))
                .collect()
        }
        other => answer_values(other, path)
            .into_iter()
            .map(|v| (Vec::new(), v))
            .collect(),
    }
}
