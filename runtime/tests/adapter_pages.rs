//! Paged answers against a real local server: every page is fetched, by continuation token
//! (Dialogporten's shape) or by next link (the Resource Registry's), and every item of every
//! page reaches the SOAP answer in order; a server that repeats a page, points elsewhere or
//! says "more" without a token fails the call instead of looping or dropping pages.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use altinn_bridge_runtime::adapter::plan::*;
use altinn_bridge_runtime::adapter::{self, Settings, Upstream};
use altinn_bridge_runtime::http::Client;
use altinn_bridge_runtime::xml;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

const NS: &str = "urn:test";

const fn el(local: &'static str, many: bool) -> XmlStep {
    XmlStep {
        ns: NS,
        local,
        attribute: false,
        many,
    }
}

const fn name(name: &'static str, many: bool) -> JsonStep {
    JsonStep { name, many }
}

const ID: &[XmlStep] = &[el("List", false), el("Id", true)];

const TOKEN: Pages = Pages::Token {
    items: &[name("items", true)],
    token: &[name("continuationToken", false)],
    param: "continuationToken",
    more: Some(&[name("hasNextPage", false)]),
};

const NEXT: Pages = Pages::Next {
    items: &[name("data", true)],
    next: &[name("links", false), name("next", false)],
};

static CALLS: [Call; 2] = [call("/dialogs", TOKEN), call("/members", NEXT)];

const fn call(path: &'static str, pages: Pages) -> Call {
    Call {
        name: "list",
        api: "api",
        method: Method::Get,
        path,
        for_each: None,
        body: BodyKind::None,
        retry: Retry::IdempotentMethod,
        pages: Some(pages),
        accept: Some("application/json"),
        check_request: None,
        check_response: None,
    }
}

fn ids_output(items: &'static str) -> &'static [Link] {
    let steps: &'static [JsonStep] = Box::leak(Box::new([name(items, true), name("id", false)]));
    Box::leak(Box::new([Link {
        filter: &[],
        field: "List/Id",
        from: Source::Response {
            call: "list",
            path: steps,
        },
        to: Target::Soap(ID),
        transforms: &[],
    }]))
}

fn operation(pages: Pages) -> &'static Operation {
    let (i, items) = match pages {
        Pages::Token { .. } => (0, "items"),
        Pages::Next { .. } => (1, "data"),
    };
    Box::leak(Box::new(Operation {
        name: "List",
        calls: std::slice::from_ref(&CALLS[i]),
        inputs: &[],
        outputs: ids_output(items),
        faults: &[],
        output: Some((NS, "List")),
        system_user: false,
    }))
}

/// The pages the server gives, keyed by the token or page number asked for ("" first); and
/// every query it was asked.
#[derive(Clone, Default)]
struct Server {
    pages: Arc<Mutex<BTreeMap<String, Value>>>,
    asked: Arc<Mutex<Vec<String>>>,
}

async fn dialogs(
    State(s): State<Server>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Json<Value> {
    let key = q.get("continuationToken").cloned().unwrap_or_default();
    s.asked.lock().expect("lock").push(format!("token={key}"));
    Json(
        s.pages
            .lock()
            .expect("lock")
            .get(&key)
            .cloned()
            .unwrap_or(Value::Null),
    )
}

async fn members(
    State(s): State<Server>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Json<Value> {
    let key = q.get("page").cloned().unwrap_or_default();
    s.asked.lock().expect("lock").push(format!("page={key}"));
    Json(
        s.pages
            .lock()
            .expect("lock")
            .get(&key)
            .cloned()
            .unwrap_or(Value::Null),
    )
}

async fn serve() -> (String, Server) {
    let s = Server::default();
    let app = Router::new()
        .route("/api/dialogs", get(dialogs))
        .route("/api/members", get(members))
        .with_state(s.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/api", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, s)
}

fn set_pages(s: &Server, pages: &[(&str, Value)]) {
    let mut map = s.pages.lock().expect("lock");
    for (k, v) in pages {
        map.insert((*k).to_owned(), v.clone());
    }
}

fn input() -> Vec<xml::Element> {
    vec![xml::parse(&format!("<t:List xmlns:t=\"{NS}\"/>")).expect("parses")]
}

async fn ids(url: &str, pages: Pages) -> Result<Vec<String>, String> {
    let upstream = Upstream::new().with_api("api", Client::new(url).expect("client"));
    let out = adapter::run(operation(pages), input(), &upstream, &Settings::new())
        .await
        .map_err(|e| e.to_string())?
        .expect("an answer");
    Ok(out
        .children_named(NS, "Id")
        .map(xml::Element::text)
        .collect())
}

#[tokio::test]
async fn every_page_by_continuation_token_reaches_the_answer_in_order() {
    let (url, s) = serve().await;
    set_pages(
        &s,
        &[
            (
                "",
                json!({"items": [{"id": "a"}, {"id": "b"}], "hasNextPage": true, "continuationToken": "t1"}),
            ),
            (
                "t1",
                json!({"items": [{"id": "c"}], "hasNextPage": true, "continuationToken": "t2"}),
            ),
            (
                "t2",
                json!({"items": [{"id": "d"}], "hasNextPage": false, "continuationToken": "t3"}),
            ),
        ],
    );
    assert_eq!(ids(&url, TOKEN).await.unwrap(), ["a", "b", "c", "d"]);
    let asked = s.asked.lock().expect("lock").clone();
    assert_eq!(
        asked,
        ["token=", "token=t1", "token=t2"],
        "hasNextPage false ends it"
    );
}

#[tokio::test]
async fn every_page_by_next_link_reaches_the_answer_in_order() {
    let (url, s) = serve().await;
    let path = url
        .split_once("://")
        .map(|(_, r)| &r[r.find('/').unwrap_or(0)..])
        .unwrap_or("");
    set_pages(
        &s,
        &[
            // An absolute link, then one relative to the host: both below the base.
            (
                "",
                json!({"data": [{"id": "m1"}], "links": {"next": format!("{url}/members?page=2")}}),
            ),
            (
                "2",
                json!({"data": [{"id": "m2"}, {"id": "m3"}], "links": {"next": format!("{path}/members?page=3")}}),
            ),
            (
                "3",
                json!({"data": [{"id": "m4"}], "links": {"next": null}}),
            ),
        ],
    );
    assert_eq!(ids(&url, NEXT).await.unwrap(), ["m1", "m2", "m3", "m4"]);
    let asked = s.asked.lock().expect("lock").clone();
    assert_eq!(asked, ["page=", "page=2", "page=3"]);
}

#[tokio::test]
async fn a_page_named_twice_fails_instead_of_looping() {
    let (url, s) = serve().await;
    set_pages(
        &s,
        &[
            (
                "",
                json!({"items": [], "hasNextPage": true, "continuationToken": "t1"}),
            ),
            (
                "t1",
                json!({"items": [], "hasNextPage": true, "continuationToken": "t1"}),
            ),
        ],
    );
    let err = ids(&url, TOKEN).await.unwrap_err();
    assert!(err.contains("named the page `t1` twice"), "{err}");
    assert_eq!(s.asked.lock().expect("lock").len(), 2);
}

#[tokio::test]
async fn more_without_a_token_fails_instead_of_dropping_the_rest() {
    let (url, s) = serve().await;
    set_pages(
        &s,
        &[("", json!({"items": [{"id": "a"}], "hasNextPage": true}))],
    );
    let err = ids(&url, TOKEN).await.unwrap_err();
    assert!(err.contains("another page follows"), "{err}");
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let (url, s) = serve().await;
    set_pages(
        &s,
        &[(
            "",
            json!({"data": [{"id": "m1"}], "links": {"next": "http://127.0.0.2:9/api/members?page=2"}}),
        )],
    );
    let err = ids(&url, NEXT).await.unwrap_err();
    assert!(err.contains("is not below the API's base URL"), "{err}");
    assert_eq!(s.asked.lock().expect("lock").len(), 1);
}
