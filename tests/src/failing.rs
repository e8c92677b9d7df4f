//! A local Altinn 3 Correspondence API on 127.0.0.1 that fails on purpose, by a seeded plan.
//!
//! It serves what `InsertCorrespondenceBasicV2` and `GetCorrespondenceStatusDetailsBasicV3` call
//! (attachment create and upload, correspondence create, search and details) plus a Maskinporten
//! token endpoint, and keeps what it commits. Creations are deduplicated on `idempotentKey` the
//! way Altinn does: a repeat returns the first result. It is written on raw TCP rather than on a
//! framework so it can do what real networks do to a client: reset a connection before answering
//! or halfway through an answer, answer late, or trickle a body.
//!
//! Each upstream request's fault is a pure function of the seed, the request's identity (the
//! idempotency key, the attachment's reference, the searched reference) and how many times that
//! identity has arrived, so a run is reproducible whatever the interleaving.

mod http;
mod store;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

pub use store::{Committed, Counts};

use http::{Head, Reply};
use store::Store;

/// What the upstream does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answers correctly.
    None,
    /// Answers this status with a problem document, committing nothing.
    Status(u16),
    /// Commits, then answers this status: Altinn did the work and says it failed.
    StatusAfterCommit(u16),
    /// 429 with `Retry-After` in seconds, committing nothing.
    TooManyRequests(u64),
    /// Resets the connection (RST) without answering and without committing; an upload is reset
    /// with half its body unread.
    ResetBeforeAnswer,
    /// Commits, sends the status line and part of the answer, then resets the connection.
    ResetMidResponse,
    /// Waits this long, then commits and answers (to a client that may have given up).
    Slow(Duration),
    /// Commits and answers correctly, but sends the body a few bytes at a time with pauses.
    SlowBody(Duration),
}

/// How often each fault happens, in requests per thousand; the rest are answered correctly.
#[derive(Debug, Clone, Copy)]
pub struct FaultMix {
    /// `Status(500)`, `Status(502)` and `Status(503)`, each.
    pub server_error: u32,
    /// `StatusAfterCommit(500)`.
    pub server_error_after_commit: u32,
    /// `TooManyRequests(0)`.
    pub too_many: u32,
    /// `TooManyRequests(1)`.
    pub too_many_wait: u32,
    /// `Status(400)`: the request is refused as invalid.
    pub bad_request: u32,
    /// `ResetBeforeAnswer`.
    pub reset_before_answer: u32,
    /// `ResetMidResponse`.
    pub reset_mid_response: u32,
    /// `Slow(slow)`.
    pub slow: u32,
    /// `SlowBody(slow_body)`.
    pub slow_body: u32,
    /// How long a slow answer waits (longer than the client waits).
    pub slow_for: Duration,
    /// How long a trickled body takes in all (shorter than the client waits).
    pub slow_body_for: Duration,
}

impl FaultMix {
    /// No faults at all: a fast, correct upstream.
    pub fn none() -> Self {
        Self {
            server_error: 0,
            server_error_after_commit: 0,
            too_many: 0,
            too_many_wait: 0,
            bad_request: 0,
            reset_before_answer: 0,
            reset_mid_response: 0,
            slow: 0,
            slow_body: 0,
            slow_for: Duration::ZERO,
            slow_body_for: Duration::ZERO,
        }
    }

    fn pick(&self, roll: u32) -> Fault {
        let table = [
            (self.server_error, Fault::Status(500)),
            (self.server_error, Fault::Status(502)),
            (self.server_error, Fault::Status(503)),
            (
                self.server_error_after_commit,
                Fault::StatusAfterCommit(500),
            ),
            (self.too_many, Fault::TooManyRequests(0)),
            (self.too_many_wait, Fault::TooManyRequests(1)),
            (self.bad_request, Fault::Status(400)),
            (self.reset_before_answer, Fault::ResetBeforeAnswer),
            (self.reset_mid_response, Fault::ResetMidResponse),
            (self.slow, Fault::Slow(self.slow_for)),
            (self.slow_body, Fault::SlowBody(self.slow_body_for)),
        ];
        let mut left = roll;
        for (weight, fault) in table {
            if left < weight {
                return fault;
            }
            left -= weight;
        }
        Fault::None
    }
}

/// The problem titles the upstream answers, so a test can tell its faults from anything else.
pub mod titles {
    /// 400.
    pub const BAD_REQUEST: &str = "Injected: the request is invalid";
    /// 429.
    pub const TOO_MANY: &str = "Injected: too many requests";
    /// 500, 502 and 503 (before or after committing).
    pub const SERVER: &str = "Injected: the server failed";
}

struct Shared {
    seed: u64,
    mix: FaultMix,
    faults_on: AtomicBool,
    arrivals: Mutex<HashMap<String, u32>>,
    injected: Mutex<HashMap<String, u64>>,
    store: Mutex<Store>,
}

/// A running upstream; clones share it.
#[derive(Clone)]
pub struct Altinn3 {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

/// The bearer token the token endpoint hands out and the API requires.
pub const TOKEN: &str = "local-altinn3-token";

impl Altinn3 {
    /// Starts the upstream on a port of 127.0.0.1 in the current tokio runtime.
    pub async fn start(seed: u64, mix: FaultMix) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let shared = Arc::new(Shared {
            seed,
            mix,
            faults_on: AtomicBool::new(true),
            arrivals: Mutex::default(),
            injected: Mutex::default(),
            store: Mutex::default(),
        });
        let up = Self {
            addr: listener.local_addr()?,
            shared,
        };
        let served = up.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let up = served.clone();
                tokio::spawn(async move { up.connection(socket).await });
            }
        });
        Ok(up)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The Maskinporten token endpoint's URL.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.base_url())
    }

    /// Turns fault injection on or off (on at start).
    pub fn set_faults(&self, on: bool) {
        self.shared.faults_on.store(on, Ordering::SeqCst);
    }

    /// The correspondences committed, by idempotency key.
    pub fn committed(&self) -> HashMap<String, Committed> {
        lock(&self.shared.store).committed()
    }

    /// The correspondences committed for shipment `reference` (more than one is a duplicate).
    pub fn commits_of(&self, reference: &str) -> Vec<Committed> {
        lock(&self.shared.store).commits_of(reference)
    }

    /// What the store has counted.
    pub fn counts(&self) -> Counts {
        lock(&self.shared.store).counts()
    }

    /// How many times each fault was injected, by its `Debug` name.
    pub fn injected(&self) -> HashMap<String, u64> {
        lock(&self.shared.injected).clone()
    }

    /// Serves one connection, request after request, until it closes or a fault ends it.
    async fn connection(self, mut socket: TcpStream) {
        let _ = socket.set_nodelay(true);
        let mut buf = Vec::with_capacity(8192);
        loop {
            let Ok(Some(head)) = http::read_head(&mut socket, &mut buf).await else {
                return;
            };
            let identity = head.identity();
            let fault = self.fault_for(&head, identity.as_deref());
            if fault == Fault::ResetBeforeAnswer && head.is_upload() {
                // Reset while the client is still sending: half the body stays unread.
                let _ = http::read_body(&mut socket, &mut buf, head.content_length / 2).await;
                return reset(socket);
            }
            let Ok(body) = http::read_body(&mut socket, &mut buf, head.content_length).await else {
                return;
            };
            // Creations are identified by their body; decide now that it is here.
            let fault = match identity {
                Some(_) => fault,
                None => self.fault_for(&head, http::body_identity(&head, &body).as_deref()),
            };
            match self.answer(socket, &head, &body, fault).await {
                Some(kept) => socket = kept,
                None => return,
            }
        }
    }

    /// Answers one request; the socket back when the connection goes on.
    async fn answer(
        &self,
        mut socket: TcpStream,
        head: &Head,
        body: &[u8],
        fault: Fault,
    ) -> Option<TcpStream> {
        match fault {
            Fault::Status(status) => return write(socket, &problem(status)).await,
            Fault::TooManyRequests(wait) => {
                let mut reply = problem(429);
                reply.headers.push(("retry-after", wait.to_string()));
                return write(socket, &reply).await;
            }
            Fault::ResetBeforeAnswer => {
                reset(socket);
                return None;
            }
            Fault::Slow(wait) => tokio::time::sleep(wait).await,
            _ => {}
        }
        let reply = self.route(head, body);
        match fault {
            Fault::StatusAfterCommit(status) => write(socket, &problem(status)).await,
            Fault::ResetMidResponse => {
                let bytes = reply.to_bytes();
                let _ = socket.write_all(&bytes[..bytes.len() / 2]).await;
                let _ = socket.flush().await;
                reset(socket);
                None
            }
            Fault::SlowBody(total) => http::write_trickled(socket, &reply, total).await,
            _ => write(socket, &reply).await,
        }
    }

    /// The fault for a request of `identity` (`None`: not known yet, no fault decided).
    fn fault_for(&self, head: &Head, identity: Option<&str>) -> Fault {
        let Some(identity) = identity else {
            return Fault::None;
        };
        if head.path == "/token" || !self.shared.faults_on.load(Ordering::SeqCst) {
            return Fault::None;
        }
        let key = format!("{} {} {identity}", head.method, head.route());
        let n = {
            let mut arrivals = lock(&self.shared.arrivals);
            let n = arrivals.entry(key.clone()).or_default();
            *n += 1;
            *n
        };
        let roll = (mix64(self.shared.seed ^ fnv1a(key.as_bytes()) ^ u64::from(n)) % 1000) as u32;
        let fault = self.shared.mix.pick(roll);
        if fault != Fault::None {
            let name = format!("{fault:?}");
            *lock(&self.shared.injected).entry(name).or_default() += 1;
        }
        fault
    }

    /// The correct answer, committing what the request creates.
    fn route(&self, head: &Head, body: &[u8]) -> Reply {
        if head.path == "/token" && head.method == "POST" {
            return Reply::json(
                200,
                format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600}}"#),
            );
        }
        if head.bearer() != Some(TOKEN) {
            return problem(401);
        }
        lock(&self.shared.store).route(head, body)
    }
}

/// The problem document for `status`.
fn problem(status: u16) -> Reply {
    let title = match status {
        400 => titles::BAD_REQUEST,
        429 => titles::TOO_MANY,
        401 => "Unauthorized",
        _ => titles::SERVER,
    };
    Reply::problem(status, title, "injected by the local upstream")
}

async fn write(mut socket: TcpStream, reply: &Reply) -> Option<TcpStream> {
    socket.write_all(&reply.to_bytes()).await.ok()?;
    Some(socket)
}

/// Closes with RST rather than FIN, as a crashed peer or a middlebox does.
fn reset(socket: TcpStream) {
    let _ = socket.set_zero_linger();
    drop(socket);
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64's finaliser: a well-spread 64-bit hash of `x`.
pub fn mix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
