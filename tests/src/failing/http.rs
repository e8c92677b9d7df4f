//! Just enough HTTP/1.1 for the local upstream: request heads and `Content-Length` bodies (all
//! reqwest sends here), keep-alive, and answers written whole or trickled.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MAX_HEAD: usize = 64 << 10;
const MAX_BODY: usize = 64 << 20;

/// A request's line and headers.
#[derive(Debug)]
pub(crate) struct Head {
    pub(crate) method: String,
    /// The path without the query.
    pub(crate) path: String,
    /// Query parameters, decoded.
    pub(crate) query: Vec<(String, String)>,
    /// Headers with lower-case names.
    headers: Vec<(String, String)>,
    pub(crate) content_length: usize,
}

pub(crate) const CORRESPONDENCE: &str = "/correspondence/api/v1/correspondence";
pub(crate) const ATTACHMENT: &str = "/correspondence/api/v1/attachment";

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The bearer token, if any.
    pub(crate) fn bearer(&self) -> Option<&str> {
        self.header("authorization")?.strip_prefix("Bearer ")
    }

    /// A query parameter.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The endpoint, without ids: what a fault is decided per.
    pub(crate) fn route(&self) -> &'static str {
        match (self.method.as_str(), self.path.as_str()) {
            ("POST", "/token") => "token",
            ("POST", CORRESPONDENCE) => "correspondence",
            ("GET", CORRESPONDENCE) => "search",
            ("POST", ATTACHMENT) => "attachment",
            ("POST", p) if self.upload_id(p).is_some() => "upload",
            ("GET", p) if details_id(p).is_some() => "details",
            _ => "other",
        }
    }

    fn upload_id<'p>(&self, path: &'p str) -> Option<&'p str> {
        path.strip_prefix(ATTACHMENT)?
            .strip_prefix('/')?
            .strip_suffix("/upload")
    }

    /// The attachment id of an upload.
    pub(crate) fn attachment_id(&self) -> Option<&str> {
        self.upload_id(&self.path)
    }

    /// The correspondence id of a details request.
    pub(crate) fn details_id(&self) -> Option<&str> {
        details_id(&self.path)
    }

    pub(crate) fn is_upload(&self) -> bool {
        self.route() == "upload"
    }

    /// What identifies the request when its head does; `None` when only its body does.
    pub(crate) fn identity(&self) -> Option<String> {
        match self.route() {
            "correspondence" | "attachment" => None,
            "search" => Some(self.param("sendersReference").unwrap_or("").to_owned()),
            "upload" => self.attachment_id().map(str::to_owned),
            "details" => self.details_id().map(str::to_owned),
            other => Some(other.to_owned()),
        }
    }
}

fn details_id(path: &str) -> Option<&str> {
    path.strip_prefix(CORRESPONDENCE)?
        .strip_prefix('/')?
        .strip_suffix("/details")
}

/// What identifies a creation: its idempotency key, or an attachment's reference.
pub(crate) fn body_identity(head: &Head, body: &[u8]) -> Option<String> {
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    let field = match head.route() {
        "correspondence" => "idempotentKey",
        _ => "sendersReference",
    };
    Some(json.get(field)?.as_str()?.to_owned())
}

/// Reads the next request's head; `None` when the client closed the connection between requests.
pub(crate) async fn read_head(
    socket: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> io::Result<Option<Head>> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let text = String::from_utf8_lossy(&buf[..end]).into_owned();
            buf.drain(..end + 4);
            return parse_head(&text).map(Some);
        }
        if buf.len() > MAX_HEAD {
            return Err(io::Error::other("request head too large"));
        }
        if fill(socket, buf).await? == 0 {
            return Ok(None);
        }
    }
}

/// Reads `n` body bytes.
pub(crate) async fn read_body(
    socket: &mut TcpStream,
    buf: &mut Vec<u8>,
    n: usize,
) -> io::Result<Vec<u8>> {
    if n > MAX_BODY {
        return Err(io::Error::other("request body too large"));
    }
    while buf.len() < n {
        if fill(socket, buf).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
    Ok(buf.drain(..n).collect())
}

async fn fill(socket: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<usize> {
    let mut chunk = [0u8; 16 << 10];
    let n = socket.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n)
}

fn parse_head(text: &str) -> io::Result<Head> {
    let bad = || io::Error::other("malformed request head");
    let mut lines = text.split("\r\n");
    let mut line = lines.next().ok_or_else(bad)?.split(' ');
    let method = line.next().ok_or_else(bad)?.to_owned();
    let target = line.next().ok_or_else(bad)?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let content_length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    Ok(Head {
        method,
        path: path.to_owned(),
        query,
        headers,
        content_length,
    })
}

/// Form-style percent-decoding (`+` is a space), as reqwest encodes queries.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub(crate) fn problem(status: u16, title: &str, detail: &str) -> Self {
        let body = serde_json::json!({
            "type": format!("https://httpstatuses.io/{status}"),
            "title": title,
            "status": status,
            "detail": detail,
        });
        Self {
            content_type: "application/problem+json; charset=utf-8",
            ..Self::json(status, body.to_string())
        }
    }

    fn head(&self) -> String {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: {}\r\ncontent-length: {}\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.head().into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Writes the head at once and the body in eight pieces spread over `total`.
pub(crate) async fn write_trickled(
    mut socket: TcpStream,
    reply: &Reply,
    total: Duration,
) -> Option<TcpStream> {
    socket.write_all(reply.head().as_bytes()).await.ok()?;
    let piece = reply.body.len().div_ceil(8).max(1);
    for chunk in reply.body.chunks(piece) {
        socket.flush().await.ok()?;
        tokio::time::sleep(total / 8).await;
        socket.write_all(chunk).await.ok()?;
    }
    Some(socket)
}
