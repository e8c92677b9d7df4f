//! Paged answers: a call whose plan says [`Pages`] fetches every page and hands the links one
//! answer, the first page with the items of all. Altinn 3's searches page (Dialogporten by a
//! continuation token, the Resource Registry by a next link); reading only the first page would
//! drop the rest without a word.

use std::collections::BTreeSet;

use serde_json::Value;

use super::exec::check_json;
use super::plan::{Call, JsonStep, Pages};
use crate::error::{Error, Result};
use crate::http::{Client, Request};

/// The most pages one call fetches; more is taken for a server that never says "last page"
/// and fails the call rather than looping or stopping short without a word.
pub const MAX_PAGES: usize = 1000;

/// Sends `request` and every page after it; the first page's JSON with each later page's items
/// appended to its own.
pub(super) async fn every_page(
    client: &Client,
    call: &Call,
    request: Request,
    pages: Pages,
) -> Result<Value> {
    let mut all = page(client, call, request.clone()).await?;
    let mut last: Option<Value> = None;
    let mut seen = BTreeSet::new();
    for _ in 1..MAX_PAGES {
        let cursor = last.as_ref().unwrap_or(&all);
        let Some((key, next)) = next_request(client, call, &request, cursor, pages)? else {
            return Ok(all);
        };
        if !seen.insert(key.clone()) {
            return Err(failed(
                call,
                format!("the API named the page `{key}` twice"),
            ));
        }
        let p = page(client, call, next).await?;
        append(&mut all, items_of(pages), &p);
        last = Some(p);
    }
    Err(failed(
        call,
        format!("the answer has more than {MAX_PAGES} pages"),
    ))
}

/// The request for the page after `page`, with what names it; `None` on the last page.
fn next_request(
    client: &Client,
    call: &Call,
    request: &Request,
    page: &Value,
    pages: Pages,
) -> Result<Option<(String, Request)>> {
    match pages {
        Pages::Token {
            token, param, more, ..
        } => {
            let said_more = more.map(|m| at(page, m) == Some(&Value::Bool(true)));
            match (text_at(page, token), said_more) {
                (_, Some(false)) | (None, None) => Ok(None),
                // "Another page follows" with nothing to ask for it by: stopping here would
                // drop that page without a word.
                (None, Some(true)) => Err(failed(
                    call,
                    format!(
                        "the answer says another page follows but gives no `{}`",
                        names(token)
                    ),
                )),
                (Some(t), _) => Ok(Some((t.clone(), request.clone().with_query(param, t)))),
            }
        }
        Pages::Next { next, .. } => match text_at(page, next) {
            Some(link) => {
                let below = client.below_base(request, &link)?;
                Ok(Some((link, request.clone().at(below))))
            }
            None => Ok(None),
        },
    }
}

/// One page's JSON, checked against the call's REST type.
async fn page(client: &Client, call: &Call, request: Request) -> Result<Value> {
    let response = client.send(request).await?;
    let v: Value = serde_json::from_slice(&response.body)
        .map_err(|e| failed(call, format!("a page of a paged answer is not JSON: {e}")))?;
    check_json(call, &v)?;
    Ok(v)
}

fn names(path: &[JsonStep]) -> String {
    let names: Vec<&str> = path.iter().map(|s| s.name).collect();
    names.join(".")
}

fn items_of(pages: Pages) -> &'static [JsonStep] {
    match pages {
        Pages::Token { items, .. } | Pages::Next { items, .. } => items,
    }
}

/// The value at `path` (property names; an array step is the array itself).
fn at<'v>(v: &'v Value, path: &[JsonStep]) -> Option<&'v Value> {
    path.iter()
        .filter(|s| !s.name.is_empty())
        .try_fold(v, |v, s| v.get(s.name))
}

/// A token or link: text (or a number) that is not empty.
fn text_at(v: &Value, path: &[JsonStep]) -> Option<String> {
    match at(v, path)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Appends the items of `page` at `items` to those of `all`.
fn append(all: &mut Value, items: &[JsonStep], page: &Value) {
    let Some(Value::Array(more)) = at(page, items) else {
        return;
    };
    let mut target = all;
    for s in items.iter().filter(|s| !s.name.is_empty()) {
        if !target.is_object() {
            *target = Value::Object(Default::default());
        }
        let Value::Object(o) = target else { return };
        target = o.entry(s.name).or_insert(Value::Null);
    }
    match target {
        Value::Array(list) => list.extend(more.iter().cloned()),
        other => *other = Value::Array(more.clone()),
    }
}

fn failed(call: &Call, message: String) -> Error {
    Error::Decode {
        url: format!("{} {}", call.method, call.path),
        message,
    }
}
