//! DownloadFileStreamedBasic through the runtime's own path: a real facade server (`Facade`)
//! serving a service shaped like the generated one (a static plan whose output is a
//! `Target::SoapBinary`, answered through `adapter::call_xml_answer`), calling a local Broker
//! stand-in; and clients that read the answer as MTOM or inline base64 while it streams,
//! hashing it, never holding it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use altinn_bridge_facade::{
    AnswerFuture, CallFuture, Credentials, Facade, FacadeConfig, Operation, Request, SoapService,
    hash_password,
};
use altinn_bridge_runtime::adapter::plan::{
    BodyKind, Call, FaultRule, Link, Method, Operation as Plan, ParamIn, Retry, Source,
    StatusMatch, Target, XmlStep,
};
use altinn_bridge_runtime::adapter::{self, Settings, Upstream};
use altinn_bridge_runtime::bytes::Bytes;
use altinn_bridge_runtime::http::Client;
use altinn_bridge_runtime::mtom::{self, Writer};
use altinn_bridge_runtime::soap::{Limits, SoapVersion};
use altinn_bridge_runtime::xml::Element;
use axum::Router;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use futures_util::{Stream, StreamExt, stream};
use sha2::{Digest, Sha256};

use crate::mtom_support::{BROKER_NS, generated, hex, serve};

pub const USER: &str = "erp";
pub const PASSWORD: &str = "s3cret-Pa55";

const fn step(local: &'static str) -> XmlStep {
    XmlStep {
        ns: BROKER_NS,
        local,
        attribute: false,
        many: false,
    }
}

/// The plan the generator writes for DownloadFileStreamedBasic
/// (mappings/broker-service-external-basic-streamed.toml), its fault rules included.
pub static PLAN: Plan = Plan {
    name: "DownloadFileStreamedBasic",
    calls: &[Call {
        name: "download",
        api: "altinn-broker-v1",
        method: Method::Get,
        path: "/broker/api/v1/filetransfer/{fileTransferId}/download",
        for_each: None,
        body: BodyKind::None,
        retry: Retry::IdempotentMethod,
        pages: None,
        accept: None,
        check_request: None,
        check_response: None,
    }],
    inputs: &[Link {
        filter: &[],
        field: "DownloadFileStreamedBasic/fileReference",
        from: Source::Soap(&[step("DownloadFileStreamedBasic"), step("fileReference")]),
        to: Target::Param {
            call: "download",
            location: ParamIn::Path,
            name: "fileTransferId",
            required: true,
        },
        transforms: &[],
    }],
    outputs: &[Link {
        filter: &[],
        field: "DownloadFileStreamedBasicResponse/DownloadFileStreamedBasicResult",
        from: Source::Response {
            call: "download",
            path: &[],
        },
        to: Target::SoapBinary(&[
            step("DownloadFileStreamedBasicResponse"),
            step("DownloadFileStreamedBasicResult"),
        ]),
        transforms: &[],
    }],
    faults: &[
        FaultRule {
            status: StatusMatch::Class(4),
            client: true,
            fields: &[
                ("AltinnErrorMessage", "title"),
                ("AltinnExtendedErrorMessage", "detail"),
                ("ErrorID", "status"),
            ],
        },
        FaultRule {
            status: StatusMatch::Class(5),
            client: false,
            fields: &[
                ("AltinnErrorMessage", "title"),
                ("AltinnExtendedErrorMessage", "detail"),
                ("ErrorID", "status"),
            ],
        },
    ],
    output: Some((BROKER_NS, "DownloadFileStreamedBasicResponse")),
    system_user: false,
};

pub static OPS: [Operation; 1] = [Operation {
    name: "DownloadFileStreamedBasic",
    soap_action: "urn:broker/DownloadFileStreamedBasic",
    wsa_action: "",
    input: (BROKER_NS, "DownloadFileStreamedBasic"),
    header_parts: &[],
    credentials: Credentials::Body {
        user: &[(BROKER_NS, "systemUserName")],
        password: &[(BROKER_NS, "systemPassword")],
    },
    parties: &[],
    no_successor: None,
    streamed: None,
}];

/// The service as the generator writes it for an API with a download; its upstream is the
/// Broker stand-in, without tokens (none of this is about Maskinporten).
pub struct Downloads {
    upstream: Upstream,
    settings: Settings,
}

impl SoapService for Downloads {
    fn name(&self) -> &'static str {
        "BrokerServiceExternalBasicStreamed"
    }
    fn path(&self) -> &'static str {
        "/ServiceEngineExternal/BrokerServiceExternalBasicStreamed.svc"
    }
    fn documents(&self) -> &'static [(&'static str, &'static str)] {
        &[("Broker.wsdl", "<definitions/>")]
    }
    fn apis(&self) -> &'static [&'static str] {
        &["altinn-broker-v1"]
    }
    fn operations(&self) -> &'static [Operation] {
        &OPS
    }
    /// The buffered path (strategy 1's), kept for comparison: the whole file in the answer.
    fn call<'a>(&'a self, _op: &'static Operation, req: Request) -> CallFuture<'a> {
        Box::pin(async move {
            let out = adapter::call_xml::<Element>(
                &PLAN,
                vec![req.body],
                None,
                &self.upstream,
                &self.settings,
            )
            .await?;
            Ok(out.unwrap_or_default())
        })
    }
    fn answer<'a>(&'a self, _op: &'static Operation, req: Request) -> AnswerFuture<'a> {
        Box::pin(async move {
            adapter::call_xml_answer::<Element>(
                &PLAN,
                vec![req.body],
                &self.upstream,
                &self.settings,
            )
            .await
        })
    }
}

/// Broker's download: `<bytes>-<seed>` serves that many generated bytes; `status-<code>` answers
/// that status with a ProblemDetails; `die-<bytes>` announces 1 GiB, sends that many, then
/// drops the connection.
async fn download(Path(id): Path<String>) -> Response {
    if let Some(code) = id.strip_prefix("status-") {
        let status = code
            .parse()
            .ok()
            .and_then(|c| StatusCode::from_u16(c).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let problem = serde_json::json!({"title": format!("Broker says {}", status.as_u16()),
            "status": status.as_u16(), "detail": "The requested file transfer was not found"});
        return (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            problem.to_string(),
        )
            .into_response();
    }
    if let Some(n) = id.strip_prefix("die-").and_then(|n| n.parse::<u64>().ok()) {
        let broken = stream::once(async { Err(std::io::Error::other("upstream died")) });
        return (
            [(header::CONTENT_LENGTH, (1u64 << 30).to_string())],
            Body::from_stream(generated(n, 7).chain(broken)),
        )
            .into_response();
    }
    let Some((total, seed)) = id
        .split_once('-')
        .and_then(|(n, s)| Some((n.parse::<u64>().ok()?, s.parse::<u64>().ok()?)))
    else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_LENGTH, total.to_string()),
        ],
        Body::from_stream(generated(total, seed)),
    )
        .into_response()
}

pub async fn upstream() -> SocketAddr {
    let router = Router::new().route("/broker/api/v1/filetransfer/{id}/download", get(download));
    serve(router).await
}

fn config(dir: &std::path::Path, extra: &str) -> FacadeConfig {
    // The key is never used: the service calls its upstream without tokens.
    std::fs::write(
        dir.join("key.pem"),
        "-----BEGIN PRIVATE KEY-----\nunused\n-----END PRIVATE KEY-----\n",
    )
    .expect("key");
    let text = format!(
        r#"listen = "127.0.0.1:0"
[environment]
name = "custom"
audience = "http://127.0.0.1:9/"
token_endpoint = "http://127.0.0.1:9/token"
[environment.apis]
altinn-broker-v1 = "http://127.0.0.1:9"

[[maskinporten]]
name = "main"
client_id = "client"
kid = "kid"
key_file = "key.pem"
scopes = ["altinn:broker.read"]

[[callers]]
user = "{USER}"
password_hash = "{}"
maskinporten = "main"
parties = ["910000001"]
{extra}
"#,
        hash_password(PASSWORD)
    );
    FacadeConfig::parse(&text, "facade.toml", dir).expect("config")
}

/// The facade on an ephemeral port, its service calling the Broker stand-in at `upstream`.
pub async fn facade(upstream: SocketAddr) -> SocketAddr {
    facade_with(upstream, "").await
}

/// [`facade`] with `extra` appended to its configuration (a `[limits]` table).
pub async fn facade_with(upstream: SocketAddr, extra: &str) -> SocketAddr {
    let dir = std::env::temp_dir().join(format!("altinn-bridge-download-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let client = Client::new(format!("http://{upstream}")).expect("client");
    let service = Downloads {
        upstream: Upstream::new().with_api("altinn-broker-v1", client),
        settings: Settings::default(),
    };
    let facade = Facade::bind(
        &config(&dir, extra),
        vec![Arc::new(service) as Arc<dyn SoapService>],
    )
    .await
    .expect("bind");
    let addr = facade.local_addr().expect("addr");
    tokio::spawn(facade.run(std::future::pending()));
    addr
}

pub fn url(facade: SocketAddr) -> String {
    format!("http://{facade}/ServiceEngineExternal/BrokerServiceExternalBasicStreamed.svc")
}

/// The request envelope for `reference`.
pub fn request(reference: &str) -> String {
    format!(
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>\
         <DownloadFileStreamedBasic xmlns=\"{BROKER_NS}\"><systemUserName>{USER}</systemUserName>\
         <systemPassword>{PASSWORD}</systemPassword><fileReference>{reference}</fileReference>\
         <reportee>910000001</reportee></DownloadFileStreamedBasic></soap:Body></soap:Envelope>"
    )
}

/// Asks for `reference`, as MTOM (a root part only) or as plain SOAP.
pub async fn ask(facade: SocketAddr, reference: &str, as_mtom: bool) -> reqwest::Response {
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let req = http
        .post(url(facade))
        .header("SOAPAction", "\"urn:broker/DownloadFileStreamedBasic\"");
    let req = if as_mtom {
        let writer = Writer::new(SoapVersion::V11, request(reference));
        req.header(header::CONTENT_TYPE, writer.content_type())
            .body(reqwest::Body::wrap_stream(writer.into_stream()))
    } else {
        req.header(header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .body(request(reference))
    };
    req.send().await.expect("the facade answers")
}

/// Reads an MTOM answer's `DownloadFileStreamedBasicResult` part as it streams: (bytes, sha256).
pub async fn read_mtom(answer: reqwest::Response) -> Result<(u64, String), String> {
    let ct = content_type(&answer);
    if !ct.starts_with("multipart/related") {
        return Err(format!("not MTOM: {ct}"));
    }
    let reader = mtom::Reader::open(&ct, answer.bytes_stream(), &Limits::default())
        .await
        .map_err(|e| e.to_string())?;
    let (_, part) = reader
        .into_part("DownloadFileStreamedBasicResult")
        .await
        .map_err(|e| e.to_string())?;
    hash(part.map(|c| c.map_err(|e| e.to_string()))).await
}

/// Reads a plain answer's inline base64 `DownloadFileStreamedBasicResult` as it streams,
/// decoding 4 characters at a time: (bytes, sha256). The envelope must also end properly.
pub async fn read_inline(answer: reqwest::Response) -> Result<(u64, String), String> {
    let ct = content_type(&answer);
    if !ct.starts_with("text/xml") {
        return Err(format!("not text/xml: {ct}"));
    }
    let mut body = answer.bytes_stream();
    let mut head = Vec::new();
    let mut text = loop {
        let chunk = body.next().await.ok_or("no result element")?;
        head.extend_from_slice(&chunk.map_err(|e| e.to_string())?);
        let s = String::from_utf8_lossy(&head);
        if let Some(at) = s.find("DownloadFileStreamedBasicResult")
            && let Some(close) = s[at..].find('>')
        {
            break head[at + close + 1..].to_vec();
        }
    };
    let (mut n, mut sha) = (0u64, Sha256::new());
    let mut tail = Vec::new();
    loop {
        let end = text.iter().position(|b| *b == b'<');
        let usable = end.unwrap_or(text.len() - text.len() % 4);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&text[..usable])
            .map_err(|e| e.to_string())?;
        n += bytes.len() as u64;
        sha.update(&bytes);
        if let Some(end) = end {
            tail.extend_from_slice(&text[end..]);
            break;
        }
        text.drain(..usable);
        match body.next().await {
            Some(chunk) => text.extend_from_slice(&chunk.map_err(|e| e.to_string())?),
            None => return Err("the answer ended inside the base64".into()),
        }
    }
    while let Some(chunk) = body.next().await {
        tail.extend_from_slice(&chunk.map_err(|e| e.to_string())?);
    }
    if !String::from_utf8_lossy(&tail)
        .trim_end()
        .ends_with("Envelope>")
    {
        return Err("the envelope did not end".into());
    }
    Ok((n, hex(sha.finalize().as_slice())))
}

fn content_type(answer: &reqwest::Response) -> String {
    answer
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn hash(
    mut s: impl Stream<Item = Result<Bytes, String>> + Unpin,
) -> Result<(u64, String), String> {
    let (mut n, mut sha) = (0u64, Sha256::new());
    while let Some(chunk) = s.next().await {
        let chunk = chunk?;
        n += chunk.len() as u64;
        sha.update(&chunk);
    }
    Ok((n, hex(sha.finalize().as_slice())))
}
