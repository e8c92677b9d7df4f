//! A local upstream behind a Prism proxy that fails on purpose, and counts what reaches it.
//!
//! Each test names its own script with the `x-upstream-script` request header (Prism forwards
//! headers), registers the replies beforehand with [`Upstream::script`], and reads how many
//! requests arrived with [`Upstream::count`]: the proof that a call was or was not repeated.

use std::collections::HashMap;
use std::io::Read;
use std::net::TcpListener as StdListener;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

/// The header naming a request's script.
pub const SCRIPT_HEADER: &str = "x-upstream-script";

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// This status and JSON body (`application/json`, or `application/problem+json` for 4xx/5xx).
    Json(u16, serde_json::Value),
    /// 429 with `Retry-After: <seconds>` and a problem document.
    TooManyRequests {
        /// The `Retry-After` value in seconds.
        retry_after: u64,
    },
    /// Waits this long, then answers 200 with this body: longer than the client's timeout.
    Slow(Duration, serde_json::Value),
}

#[derive(Debug, Default)]
struct State {
    scripts: HashMap<String, Vec<Reply>>,
    counts: HashMap<String, usize>,
}

/// A running upstream (one per test binary, see [`shared`]).
#[derive(Debug, Clone)]
pub struct Upstream {
    base_url: String,
    state: Arc<Mutex<State>>,
}

impl Upstream {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Requests carrying `x-upstream-script: <name>` get `replies` in order; the last repeats.
    pub fn script(&self, name: &str, replies: Vec<Reply>) {
        lock(&self.state).scripts.insert(name.to_owned(), replies);
    }

    /// How many requests of script `name` have arrived.
    pub fn count(&self, name: &str) -> usize {
        lock(&self.state).counts.get(name).copied().unwrap_or(0)
    }

    /// The reply for the next request of `name`, counting it.
    fn next(&self, name: &str) -> Option<Reply> {
        let mut state = lock(&self.state);
        let n = {
            let c = state.counts.entry(name.to_owned()).or_default();
            *c += 1;
            *c
        };
        let replies = state.scripts.get(name)?;
        replies.get(n - 1).or(replies.last()).cloned()
    }
}

/// The upstream shared by this test binary, started on its own thread and runtime so that it
/// outlives every test's runtime.
pub fn shared() -> &'static Upstream {
    static UP: OnceLock<Upstream> = OnceLock::new();
    UP.get_or_init(start)
}

fn start() -> Upstream {
    let listener = StdListener::bind("127.0.0.1:0").expect("a loopback port");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let base_url = format!("http://{}", listener.local_addr().expect("address"));
    let upstream = Upstream {
        base_url,
        state: Arc::default(),
    };
    let served = upstream.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("upstream runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            let app = Router::new().fallback(move |headers: HeaderMap| {
                let up = served.clone();
                async move { answer(&up, &headers).await }
            });
            axum::serve(listener, app).await.expect("upstream serves");
        });
    });
    upstream
}

async fn answer(up: &Upstream, headers: &HeaderMap) -> Response {
    let name = headers
        .get(SCRIPT_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    match up.next(name) {
        None => json(
            404,
            &serde_json::json!({"title": "no such script", "status": 404}),
        ),
        Some(Reply::Json(status, body)) => json(status, &body),
        Some(Reply::TooManyRequests { retry_after }) => {
            let mut r = json(
                429,
                &serde_json::json!({"title": "Too many requests", "status": 429}),
            );
            r.headers_mut().insert(
                header::RETRY_AFTER,
                retry_after.to_string().parse().expect("digits"),
            );
            r
        }
        Some(Reply::Slow(wait, body)) => {
            tokio::time::sleep(wait).await;
            json(200, &body)
        }
    }
}

fn json(status: u16, body: &serde_json::Value) -> Response {
    let content_type = if status >= 400 {
        "application/problem+json"
    } else {
        "application/json"
    };
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}

/// A server that accepts connections and resets each one without answering: it closes the
/// socket with the request still unread, so the kernel sends RST rather than FIN. Counts the
/// connections it reset.
#[derive(Debug, Clone)]
pub struct Resetter {
    base_url: String,
    count: Arc<Mutex<usize>>,
}

impl Resetter {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How many connections were reset.
    pub fn count(&self) -> usize {
        *lock(&self.count)
    }
}

/// The resetting server shared by this test binary.
pub fn resetter() -> &'static Resetter {
    static R: OnceLock<Resetter> = OnceLock::new();
    R.get_or_init(|| {
        let listener = StdListener::bind("127.0.0.1:0").expect("a loopback port");
        let r = Resetter {
            base_url: format!("http://{}", listener.local_addr().expect("address")),
            count: Arc::default(),
        };
        let count = Arc::clone(&r.count);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // Wait for the request to arrive, read less than all of it, then close.
                let mut first = [0u8; 1];
                let mut s = stream;
                let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
                let _ = s.read(&mut first);
                std::thread::sleep(Duration::from_millis(20));
                *lock(&count) += 1;
                drop(s);
            }
        });
        r
    })
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
