//! A local Altinn 3 Broker (its file endpoints) and Maskinporten token endpoint on 127.0.0.1,
//! and the streamed BrokerServiceExternalBasicStreamed requests a WCF client sends the facade.
//!
//! The broker never holds a file: an upload is hashed (SHA-256) and counted as it arrives and
//! only (id, length, hash) is kept; a download is generated as it is sent. It answers what the
//! Altinn 3 Broker spec (`altinn-broker-v1.json`) answers: `FileTransferUploadResponseExt` on
//! success, ProblemDetails for a missing bearer token (401), an id that is not a UUID (400), a
//! second upload to the same file transfer (409, also after a failed attempt) and an unknown
//! download (404). Every request is counted, token requests included, so a test can prove that
//! a refused SOAP call reached nothing.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use altinn_bridge_runtime::bytes::Bytes;
use altinn_bridge_runtime::soap::SoapVersion;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State as Shared};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::{Stream, StreamExt, stream};
use sha2::{Digest, Sha256};

/// The legacy system user the facade's `[[callers]]` entry names.
pub const USER: &str = "legacy-broker";
/// Its password (XML-escaped where it is sent).
pub const PASSWORD: &str = "Str3am <&> the file";
/// The party the caller acts for (the `Reportee` header part).
pub const REPORTEE: &str = "910075918";
/// The path the facade serves the service at.
pub const PATH: &str = "/ServiceEngineExternal/BrokerServiceExternalBasicStreamed.svc";
/// The namespace of the service's elements.
pub const NS: &str = "http://www.altinn.no/services/ServiceEngine/Broker/2015/06";
/// The `SOAPAction` of UploadFileStreamedBasic.
pub const UPLOAD_ACTION: &str = "http://www.altinn.no/services/ServiceEngine/Broker/2015/06/IBrokerServiceExternalBasicStreamed/UploadFileStreamedBasic";
/// The `SOAPAction` of DownloadFileStreamedBasic.
pub const DOWNLOAD_ACTION: &str = "http://www.altinn.no/services/ServiceEngine/Broker/2015/06/IBrokerServiceExternalBasicStreamed/DownloadFileStreamedBasic";
/// The bearer token the token endpoint hands out and the broker requires.
pub const TOKEN: &str = "local-broker-token";
/// The size of the chunks [`generated`] makes.
pub const CHUNK: usize = 64 << 10;

/// One completed upload as the broker received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The file transfer id from the path.
    pub id: String,
    /// How many bytes arrived.
    pub len: u64,
    /// Their SHA-256, lower-case hex.
    pub sha256: String,
}

#[derive(Debug, Default)]
struct State {
    uploads: Mutex<Vec<Upload>>,
    /// File transfers that have had an upload attempt, finished or not (a second one is a 409).
    attempted: Mutex<HashSet<String>>,
    /// File transfers ready for download: id → (length, seed).
    offers: Mutex<HashMap<String, (u64, u64)>>,
    requests: AtomicUsize,
    aborted: AtomicUsize,
}

/// A running local broker and token endpoint.
#[derive(Debug, Clone)]
pub struct Broker {
    addr: SocketAddr,
    state: Arc<State>,
}

impl Broker {
    /// Binds an ephemeral 127.0.0.1 port and serves on the current tokio runtime.
    pub async fn start() -> Broker {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("address");
        let state = Arc::new(State::default());
        let app = Router::new()
            .route("/token", post(token))
            .route("/broker/api/v1/filetransfer/{id}/upload", post(upload))
            .route("/broker/api/v1/filetransfer/{id}/download", get(download))
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&state),
                count,
            ))
            .with_state(Arc::clone(&state));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Broker { addr, state }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every completed upload, in order.
    pub fn uploads(&self) -> Vec<Upload> {
        lock(&self.state.uploads).clone()
    }

    /// The completed upload to file transfer `id`, if there is one.
    pub fn upload(&self, id: &str) -> Option<Upload> {
        lock(&self.state.uploads)
            .iter()
            .find(|u| u.id == id)
            .cloned()
    }

    /// How many requests have arrived, token requests included.
    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// How many uploads broke off before their body ended.
    pub fn aborted(&self) -> usize {
        self.state.aborted.load(Ordering::SeqCst)
    }

    /// Makes file transfer `id` downloadable: `len` bytes of [`generated`]`(len, seed)`.
    pub fn offer(&self, id: &str, len: u64, seed: u64) {
        lock(&self.state.offers).insert(id.to_owned(), (len, seed));
    }
}

async fn count(
    Shared(state): Shared<Arc<State>>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    state.requests.fetch_add(1, Ordering::SeqCst);
    next.run(req).await
}

/// Grants any client assertion: Maskinporten's own checks are the runtime's tests'; here only
/// the bearer token the broker wants matters.
async fn token() -> Response {
    axum::Json(serde_json::json!({
        "access_token": TOKEN,
        "token_type": "Bearer",
        "expires_in": 3600,
    }))
    .into_response()
}

/// `POST .../{id}/upload`: the body hashed as it streams in, never held.
async fn upload(
    Shared(state): Shared<Arc<State>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Some(refused) = refuse(&headers, &id) {
        return refused;
    }
    let octets = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("application/octet-stream"));
    if !octets {
        return problem(
            415,
            "Unsupported Media Type",
            "The body must be application/octet-stream",
        );
    }
    if !lock(&state.attempted).insert(id.clone()) {
        return problem(
            409,
            "Conflict",
            "A file transfer has already been, or attempted to be, created. Create a new file transfer resource to try again",
        );
    }
    let mut hash = Sha256::new();
    let mut len = 0u64;
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        match chunk {
            Ok(c) => {
                len += c.len() as u64;
                hash.update(&c);
            }
            Err(_) => {
                state.aborted.fetch_add(1, Ordering::SeqCst);
                return problem(400, "Bad Request", "The upload broke off");
            }
        }
    }
    let sha256 = hex(&hash.finalize());
    lock(&state.uploads).push(Upload {
        id: id.clone(),
        len,
        sha256,
    });
    axum::Json(serde_json::json!({ "fileTransferId": id })).into_response()
}

/// `GET .../{id}/download`: the offered file, generated as it is sent.
async fn download(
    Shared(state): Shared<Arc<State>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = refuse(&headers, &id) {
        return refused;
    }
    let Some((len, seed)) = lock(&state.offers).get(&id).copied() else {
        return problem(
            404,
            "Not Found",
            "The requested file transfer was not found",
        );
    };
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_LENGTH, len.to_string()),
        ],
        Body::from_stream(generated(len, seed)),
    )
        .into_response()
}

/// A 401 without the token, a 400 for an id that is not a UUID (the path parameter is
/// `format: uuid`).
fn refuse(headers: &HeaderMap, id: &str) -> Option<Response> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(TOKEN) {
        return Some(problem(
            401,
            "Unauthorized",
            "You must use a bearer token that represents a system user with access to the resource in the Resource Rights Registry",
        ));
    }
    if !is_uuid(id) {
        return Some(problem(
            400,
            "One or more validation errors occurred.",
            &format!("The value '{id}' is not valid."),
        ));
    }
    None
}

fn problem(status: u16, title: &str, detail: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::json!({
        "type": format!("https://tools.ietf.org/html/rfc9110#status.{}", status.as_u16()),
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

/// Whether `s` is a UUID in its hyphenated form.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A file transfer id (a UUID) distinct for each `n`.
pub fn transfer_id(n: u64) -> String {
    format!("0198c0c2-6c1b-7f43-9d6d-{:012x}", n & 0xffff_ffff_ffff)
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `total` deterministic, incompressible-looking bytes (xorshift64 from `seed`), made
/// [`CHUNK`] by chunk: never all at once.
pub fn generated(
    total: u64,
    seed: u64,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send {
    stream::unfold((0u64, seed | 1), move |(sent, mut x)| async move {
        if sent >= total {
            return None;
        }
        let n = (total - sent).min(CHUNK as u64) as usize;
        let mut chunk = Vec::with_capacity(n + 8);
        while chunk.len() < n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chunk.extend_from_slice(&x.to_le_bytes());
        }
        chunk.truncate(n);
        Some((Ok(Bytes::from(chunk)), (sent + n as u64, x)))
    })
}

/// The length and SHA-256 of the bytes a stream has produced so far (see [`tallied`]).
#[derive(Debug, Clone, Default)]
pub struct Tally(Arc<Mutex<(u64, Sha256)>>);

impl Tally {
    /// (length, SHA-256 hex) of everything seen.
    pub fn result(&self) -> (u64, String) {
        let state = lock(&self.0);
        (state.0, hex(&state.1.clone().finalize()))
    }
}

/// `data` unchanged, each chunk counted and hashed into `tally` as it passes.
pub fn tallied<S, E>(data: S, tally: Tally) -> impl Stream<Item = Result<Bytes, E>> + Send
where
    S: Stream<Item = Result<Bytes, E>> + Send,
{
    data.inspect(move |chunk| {
        if let Ok(c) = chunk {
            let mut state = lock(&tally.0);
            state.0 += c.len() as u64;
            state.1.update(c);
        }
    })
}

/// An UploadFileStreamedBasic request as WCF's MTOM encoder writes it: the HTTP headers, the
/// root part (the envelope, the five header parts, `<xop:Include>` in `DataStream`) and the
/// closing delimiter; the file goes between [`MtomUpload::head`] and [`MtomUpload::tail`].
#[derive(Debug, Clone)]
pub struct MtomUpload {
    /// The HTTP `Content-Type`.
    pub content_type: String,
    /// The HTTP `SOAPAction` (SOAP 1.1 only; 1.2 carries the action in the media type).
    pub soap_action: Option<String>,
    /// Everything before the file's bytes.
    pub head: Bytes,
    /// Everything after them.
    pub tail: Bytes,
}

impl MtomUpload {
    /// The whole body around `data`, as one stream.
    pub fn body<S, E>(self, data: S) -> impl Stream<Item = Result<Bytes, E>> + Send
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
    {
        stream::once(async move { Ok(self.head) })
            .chain(data)
            .chain(stream::once(async move { Ok(self.tail) }))
    }

    /// The body's length around a file of `file_len` bytes.
    pub fn len(&self, file_len: u64) -> u64 {
        self.head.len() as u64 + file_len + self.tail.len() as u64
    }
}

/// The upload of a file to file transfer `id`, sent by `user` with `password`.
pub fn mtom_upload(version: SoapVersion, id: &str, user: &str, password: &str) -> MtomUpload {
    // WCF's boundary and Content-IDs; the href is the cid percent-encoded (RFC 2392).
    let boundary = format!("uuid:{}+id=1", transfer_id(0x5c0e_51ab));
    let cid = "http://tempuri.org/1/638999123456789012";
    let href = cid.replace(':', "%3A").replace('/', "%2F");
    let (soap_ns, start_info, soap_action) = match version {
        SoapVersion::V11 => (
            "http://schemas.xmlsoap.org/soap/envelope/",
            "text/xml".to_owned(),
            Some(format!("\"{UPLOAD_ACTION}\"")),
        ),
        SoapVersion::V12 => (
            "http://www.w3.org/2003/05/soap-envelope",
            "application/soap+xml".to_owned(),
            None,
        ),
    };
    let mut content_type = format!(
        "multipart/related; type=\"application/xop+xml\"; start=\"<http://tempuri.org/0>\"; boundary=\"{boundary}\"; start-info=\"{start_info}\""
    );
    if soap_action.is_none() {
        content_type.push_str(&format!("; action=\"{UPLOAD_ACTION}\""));
    }
    let header =
        |local: &str, value: &str| format!("<{local} xmlns=\"{NS}\">{}</{local}>", escape(value));
    let envelope = format!(
        "<s:Envelope xmlns:s=\"{soap_ns}\"><s:Header>{}{}{}{}{}</s:Header><s:Body><StreamedPayloadBasicBE xmlns=\"{NS}\"><DataStream><xop:Include href=\"cid:{href}\" xmlns:xop=\"http://www.w3.org/2004/08/xop/include\"/></DataStream></StreamedPayloadBasicBE></s:Body></s:Envelope>",
        header("FileName", "big.bin"),
        header("Reference", id),
        header("Reportee", REPORTEE),
        header("SystemPassword", password),
        header("SystemUserName", user),
    );
    let head = format!(
        "--{boundary}\r\nContent-ID: <http://tempuri.org/0>\r\nContent-Transfer-Encoding: 8bit\r\nContent-Type: application/xop+xml;charset=utf-8;type=\"{start_info}\"\r\n\r\n{envelope}\r\n--{boundary}\r\nContent-ID: <{cid}>\r\nContent-Transfer-Encoding: binary\r\nContent-Type: application/octet-stream\r\n\r\n"
    );
    MtomUpload {
        content_type,
        soap_action,
        head: Bytes::from(head),
        tail: Bytes::from(format!("\r\n--{boundary}--\r\n")),
    }
}

/// A DownloadFileStreamedBasic request (SOAP 1.1, plain: as zeep sends it) for `reference`, as
/// (headers, body).
pub fn download_request(reference: &str) -> (Vec<(&'static str, String)>, String) {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><DownloadFileStreamedBasic xmlns=\"{NS}\"><systemUserName>{}</systemUserName><systemPassword>{}</systemPassword><fileReference>{}</fileReference><reportee>{REPORTEE}</reportee></DownloadFileStreamedBasic></s:Body></s:Envelope>",
        escape(USER),
        escape(PASSWORD),
        escape(reference)
    );
    let headers = vec![
        ("content-type", "text/xml; charset=utf-8".to_owned()),
        ("soapaction", format!("\"{DOWNLOAD_ACTION}\"")),
    ];
    (headers, body)
}

/// [`download_request`] as WCF's MTOM encoder sends it: every message of an MTOM binding is
/// `multipart/related`, one without attachments too (a root part only).
pub fn download_request_mtom(reference: &str) -> (Vec<(&'static str, String)>, String) {
    let (_, envelope) = download_request(reference);
    let envelope = envelope.trim_start_matches(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    let boundary = "uuid:0198c0c2-6c1b-7f43-9d6d-00005c0e51ab+id=1";
    let body = format!(
        "--{boundary}\r\nContent-ID: <http://tempuri.org/0>\r\nContent-Transfer-Encoding: 8bit\r\nContent-Type: application/xop+xml;charset=utf-8;type=\"text/xml\"\r\n\r\n{envelope}\r\n--{boundary}--\r\n"
    );
    let content_type = format!(
        "multipart/related; type=\"application/xop+xml\"; start=\"<http://tempuri.org/0>\"; boundary=\"{boundary}\"; start-info=\"text/xml\""
    );
    let headers = vec![
        ("content-type", content_type),
        ("soapaction", format!("\"{DOWNLOAD_ACTION}\"")),
    ];
    (headers, body)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The facade's `facade.toml` for the broker at `broker_url`: listening on `listen`, one
/// Maskinporten client whose key is `key.pem` beside the file, the legacy caller [`USER`], and
/// `limits` (the body of a `[limits]` table).
pub fn config_text(broker_url: &str, listen: &str, limits: &str, password_hash: &str) -> String {
    format!(
        r#"listen = "{listen}"

[environment]
name = "custom"
audience = "{broker_url}/"
token_endpoint = "{broker_url}/token"
[environment.apis]
altinn-broker-v1 = "{broker_url}"

[[maskinporten]]
name = "main"
client_id = "legacy-broker-client"
kid = "legacy-broker-kid"
key_file = "key.pem"
scopes = ["altinn:broker.write", "altinn:broker.read"]
system_user_org = "991825827"

[[callers]]
user = "{USER}"
password_hash = "{password_hash}"
maskinporten = "main"
parties = ["{REPORTEE}"]

[limits]
{limits}
"#
    )
}

/// A file read from a DownloadFileStreamedBasic answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// Its length.
    pub len: u64,
    /// Its SHA-256, lower-case hex.
    pub sha256: String,
    /// Whether it came as an MTOM attachment (streamed) rather than base64 in the envelope.
    pub mtom: bool,
}

/// Reads a DownloadFileStreamedBasic answer: an MTOM answer's attachment is hashed as it
/// streams; a plain envelope's inline base64 is read whole and decoded. `Err` holds the answer
/// of a fault, or what could not be read.
pub async fn read_download(answer: reqwest::Response) -> Result<Downloaded, String> {
    use altinn_bridge_runtime::mtom;
    use altinn_bridge_runtime::soap::{Envelope, Limits};

    const RESULT: &str = "DownloadFileStreamedBasicResult";
    let content_type = answer
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if !answer.status().is_success() {
        return Err(answer.text().await.unwrap_or_default());
    }
    // The envelope of a plain answer holds the whole file (base64): no size limit here.
    let limits = Limits {
        max_bytes: usize::MAX,
        ..Limits::default()
    };
    let fail = |e: altinn_bridge_runtime::Error| e.to_string();
    if content_type
        .to_ascii_lowercase()
        .starts_with("multipart/related")
    {
        let reader = mtom::Reader::open(&content_type, answer.bytes_stream(), &limits)
            .await
            .map_err(fail)?;
        let (_, part) = reader.into_part(RESULT).await.map_err(fail)?;
        let tally = Tally::default();
        let mut part = std::pin::pin!(tallied(part, tally.clone()));
        while let Some(chunk) = part.next().await {
            chunk.map_err(fail)?;
        }
        let (len, sha256) = tally.result();
        return Ok(Downloaded {
            len,
            sha256,
            mtom: true,
        });
    }
    let text = answer.bytes().await.map_err(|e| e.to_string())?;
    let envelope = Envelope::parse_with(&text, &limits).map_err(fail)?;
    let data = mtom::inline_base64(&envelope, RESULT)
        .map_err(fail)?
        .ok_or_else(|| format!("the answer has no {RESULT}"))?;
    Ok(Downloaded {
        len: data.len() as u64,
        sha256: hex(&Sha256::digest(&data)),
        mtom: false,
    })
}

/// What an UploadFileStreamedBasic answer said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The envelope's SOAP version.
    pub version: SoapVersion,
    /// `ReceiptId`.
    pub id: String,
    /// `ReceiptStatusCode`.
    pub status: String,
    /// `ReceiptText`.
    pub text: String,
}

/// The `ReceiptExternalStreamedBE` of an answer's body; `Err` says what the answer was instead.
pub fn receipt(answer: &str) -> Result<Receipt, String> {
    use altinn_bridge_runtime::soap::Envelope;

    let envelope = Envelope::parse(answer.as_bytes()).map_err(|e| format!("{e}: {answer}"))?;
    let body = altinn_bridge_runtime::xml::parse(&envelope.body.xml).map_err(|e| e.to_string())?;
    if (body.ns.as_str(), body.local.as_str()) != (NS, "ReceiptExternalStreamedBE") {
        return Err(format!("not a receipt: {answer}"));
    }
    let field = |local: &str| {
        body.elements()
            .find(|e| e.ns == NS && e.local == local)
            .map(|e| e.text())
            .unwrap_or_default()
    };
    Ok(Receipt {
        version: envelope.version,
        id: field("ReceiptId"),
        status: field("ReceiptStatusCode"),
        text: field("ReceiptText"),
    })
}

/// Sends `request` around `data` to the facade at `url` (the service's full URL) with a
/// streamed body, as a client that does not know the length up front: (status, answer text).
pub async fn send_upload<S>(
    http: &reqwest::Client,
    url: &str,
    request: MtomUpload,
    data: S,
) -> Result<(u16, String), reqwest::Error>
where
    S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
{
    let mut builder = http
        .post(url)
        .header(header::CONTENT_TYPE, request.content_type.clone());
    if let Some(action) = &request.soap_action {
        builder = builder.header("soapaction", action);
    }
    let answer = builder
        .body(reqwest::Body::wrap_stream(request.body(data)))
        .send()
        .await?;
    let status = answer.status().as_u16();
    Ok((status, answer.text().await?))
}
