//! A call's request, filled in link by link: path, query and header parameters, the JSON body
//! (maps and arrays placed by position), raw bytes or multipart parts, then built once.

use std::collections::BTreeMap;

use serde_json::Value;

use super::convert::{self, Val};
use super::plan::{self, BodyKind, Call, JsonStep, Kind, Link, ParamIn, Target};
use crate::error::{Error, Result};
use crate::http::{Method, Part, Request};

/// A request being filled in by the links.
#[derive(Default)]
pub(super) struct Parts {
    pub(super) path: BTreeMap<&'static str, String>,
    pub(super) query: Vec<(&'static str, String)>,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) json: Option<Value>,
    pub(super) bytes: Option<Vec<u8>>,
    pub(super) files: Vec<Part>,
    /// The client's base URL names placeholders: the path parameters fill them too.
    pub(super) base_params: bool,
    /// Ask for a system-user token for this organisation.
    pub(super) system_user: Option<String>,
    /// Map objects built from two links each: the keys from one (`{key}`), the values from the
    /// other (`{value}`), paired in order; by the map's path.
    pub(super) maps: BTreeMap<Vec<JsonStep>, (Vec<String>, Vec<Value>)>,
}

/// The last step of a body path that takes a map entry's key from a link.
const MAP_KEY: &str = "{key}";
/// The last step of a body path that takes a map entry's value from a link.
const MAP_VALUE: &str = "{value}";

impl Parts {
    pub(super) fn set(&mut self, call: &Call, link: &Link, values: Vec<Val>) -> Result<()> {
        match link.to {
            Target::Param {
                location,
                name,
                required,
                ..
            } => {
                if required && values.is_empty() {
                    return Err(Error::Convert {
                        field: link.field.to_owned(),
                        message: format!(
                            "no value for `{name}`, a {} parameter the call requires",
                            location.as_str()
                        ),
                    });
                }
                let mut texts = values.iter().map(Val::to_text);
                match location {
                    ParamIn::Query => self.query.extend(texts.map(|t| (name, t))),
                    ParamIn::Path => {
                        if let Some(t) = single(texts.collect(), link.field)? {
                            self.path.insert(name, t);
                        }
                    }
                    ParamIn::Header => {
                        if let Some(t) = texts.next() {
                            self.headers.push((name, t));
                        }
                    }
                }
            }
            Target::Body { path, .. } if call.body == BodyKind::Multipart => {
                let name = path.first().map_or("file", |s| s.name);
                for v in values {
                    self.files.push(form_part(name, v));
                }
            }
            Target::Body { path: [], kind, .. } => {
                if let Some(v) = single(values, link.field)? {
                    match (kind, v) {
                        (_, Val::Bytes(b)) => self.bytes = Some(b),
                        (Kind::Bytes, v) => self.bytes = Some(v.to_text().into_bytes()),
                        (kind, v) => self.json = Some(convert::to_json(v, kind, link.field)?),
                    }
                }
            }
            Target::Body { path, kind, .. } if matches!(path.last(), Some(s) if s.name == MAP_KEY || s.name == MAP_VALUE) =>
            {
                let (prefix, last) = path.split_at(path.len() - 1);
                let entry = self.maps.entry(prefix.to_vec()).or_default();
                for v in values {
                    if last[0].name == MAP_KEY {
                        entry.0.push(v.to_text());
                    } else {
                        entry.1.push(convert::to_json(v, kind, link.field)?);
                    }
                }
            }
            Target::Body { path, kind, .. } => {
                if !path.iter().any(|s| s.many) {
                    ensure_single(&values, link.field)?;
                }
                let json = self
                    .json
                    .get_or_insert_with(|| Value::Object(Default::default()));
                for (i, v) in values.into_iter().enumerate() {
                    let value = convert::to_json(v, kind, link.field)?;
                    set_json(json, path, i, value);
                }
            }
            Target::Soap(_) | Target::SoapBinary(_) => {}
        }
        Ok(())
    }

    /// The request without a body, for a body sent as a stream.
    pub(super) fn build_without_body(self, call: &Call) -> Result<Request> {
        self.head(call).map(|(req, _)| req)
    }

    /// Method, path, query and headers; the rest of the parts back for the body.
    pub(super) fn head(self, call: &Call) -> Result<(Request, Self)> {
        let mut req = Request::new(http_method(call.method), fill_path(call.path, &self.path)?)
            .retry(call.retry);
        for (k, v) in &self.query {
            req = req.query(*k, v.clone());
        }
        if self.base_params {
            for (name, value) in &self.path {
                req = req.base_param(*name, value.clone());
            }
        }
        if let Some(accept) = call.accept {
            req = req.header("Accept", accept);
        }
        for (k, v) in &self.headers {
            req = req.header(*k, v.clone());
        }
        if let Some(org) = &self.system_user {
            req = req.system_user(org.clone());
        }
        Ok((req, self))
    }

    pub(super) fn build(self, call: &Call) -> Result<Request> {
        let (mut req, parts) = self.head(call)?;
        req = match call.body {
            BodyKind::None => req,
            BodyKind::Multipart => req.multipart(parts.files),
            BodyKind::Bytes(ct) => req.bytes(ct, parts.bytes.unwrap_or_default()),
            BodyKind::Json => {
                let mut body = parts
                    .json
                    .unwrap_or_else(|| Value::Object(Default::default()));
                for (path, (keys, values)) in parts.maps {
                    if keys.len() != values.len() {
                        return Err(Error::Convert {
                            field: format!("the `{}` request body", call.name),
                            message: format!(
                                "a map got {} keys but {} values; each entry needs both",
                                keys.len(),
                                values.len()
                            ),
                        });
                    }
                    let map: serde_json::Map<String, Value> =
                        keys.into_iter().zip(values).collect();
                    set_json(&mut body, &path, 0, Value::Object(map));
                }
                let body = match call.check_request {
                    Some(check) => check(&body).map_err(|m| Error::Convert {
                        field: format!("the `{}` request body", call.name),
                        message: m,
                    })?,
                    None => body,
                };
                req.json(&body)?
            }
        };
        Ok(req)
    }
}

fn form_part(name: &str, v: Val) -> Part {
    match v {
        Val::Bytes(b) => Part {
            name: name.to_owned(),
            file_name: Some(name.to_owned()),
            content_type: "application/octet-stream".to_owned(),
            data: b.into(),
        },
        other => Part {
            name: name.to_owned(),
            file_name: None,
            content_type: "text/plain; charset=utf-8".to_owned(),
            data: other.to_text().into_bytes().into(),
        },
    }
}

/// At most one value: a second, different one would be lost, so it is an error instead.
pub(super) fn single<T: PartialEq>(values: Vec<T>, field: &str) -> Result<Option<T>> {
    ensure_single(&values, field)?;
    Ok(values.into_iter().next())
}

pub(super) fn ensure_single<T: PartialEq>(values: &[T], field: &str) -> Result<()> {
    match values.split_first() {
        Some((first, rest)) if rest.iter().any(|v| v != first) => Err(Error::Convert {
            field: field.to_owned(),
            message: "several different values for a field that holds one".to_owned(),
        }),
        _ => Ok(()),
    }
}

/// Sets `value` at `path`; the first array step takes item `index`.
fn set_json(root: &mut Value, path: &[JsonStep], index: usize, value: Value) {
    let mut here = root;
    let mut index = Some(index);
    for (n, step) in path.iter().enumerate() {
        let last = n + 1 == path.len();
        if !step.name.is_empty() {
            if !here.is_object() {
                *here = Value::Object(Default::default());
            }
            let obj = here.as_object_mut().expect("made an object above");
            let next_default = if step.many {
                Value::Array(Vec::new())
            } else {
                Value::Null
            };
            here = obj.entry(step.name).or_insert(next_default);
        }
        if step.many {
            if !here.is_array() {
                *here = Value::Array(Vec::new());
            }
            let items = here.as_array_mut().expect("made an array above");
            let i = index.take().unwrap_or(0);
            while items.len() <= i {
                items.push(Value::Null);
            }
            here = &mut items[i];
        }
        if last {
            *here = value;
            return;
        }
    }
}

pub(super) fn fill_path(template: &str, params: &BTreeMap<&str, String>) -> Result<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| Error::Request(format!("bad path template `{template}`")))?;
        let name = &rest[open + 1..close];
        let value = params.get(name).ok_or_else(|| Error::Convert {
            field: format!("path.{name}"),
            message: format!("no value for the path parameter of `{template}`"),
        })?;
        out.push_str(&rest[..open]);
        out.push_str(&encode_segment(value));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The HTTP client's method for the plan's.
pub(super) fn http_method(m: plan::Method) -> Method {
    match m {
        plan::Method::Get => Method::GET,
        plan::Method::Put => Method::PUT,
        plan::Method::Post => Method::POST,
        plan::Method::Delete => Method::DELETE,
        plan::Method::Options => Method::OPTIONS,
        plan::Method::Head => Method::HEAD,
        plan::Method::Patch => Method::PATCH,
        plan::Method::Trace => Method::TRACE,
    }
}
