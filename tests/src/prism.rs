//! Stoplight Prism (pinned in `tests/prism`), started by the tests: a mock or a validating proxy
//! for one real Altinn 3 spec, on a free loopback port.
//!
//! Prism takes about 2 s to start, so a test binary shares one instance per spec:
//! [`shared_mock`] and [`shared_proxy`] start it on first use. Its log is kept; a [`Session`]
//! (one test's exclusive use of a shared instance) reads the `[VALIDATOR]` violations its own
//! requests caused. Tests that start it carry
//! `#[cfg_attr(not(peer_prism), ignore = "needs Prism: ...")]`: without `tests/prism/node_modules`
//! (`cargo xtask setup`, or `npm ci` there) they are ignored with that reason; in CI they run and
//! fail.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// How long Prism may take to say it is listening: ~2 s for most specs, but the events spec
/// takes Prism 5.14.2 over a minute of CPU on a busy 2-core machine.
const START_TIMEOUT: Duration = Duration::from_secs(600);

/// The Prism CLI installed by `npm ci` in `tests/prism`, if present.
pub fn prism_bin() -> Option<PathBuf> {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("prism/node_modules/.bin/prism");
    bin.is_file().then_some(bin)
}

/// The Prism CLI, for a test marked `#[cfg_attr(not(peer_prism), ignore = "needs Prism: ...")]`
/// (see [`crate::require`]).
pub fn require_prism(test: &str) -> PathBuf {
    crate::require(
        test,
        prism_bin(),
        "Prism (run `cargo xtask setup`, or `npm ci` in tests/prism)",
    )
}

/// The corpus spec `altinn3/<stem>.json`, for a test that needs the corpus and Prism (it panics
/// naming the one that is missing).
pub fn require_spec(test: &str, stem: &str) -> PathBuf {
    let corpus = crate::require_corpus(test);
    require_prism(test);
    let spec = corpus.join("altinn3").join(format!("{stem}.json"));
    assert!(spec.is_file(), "{test}: no spec {}", spec.display());
    spec
}

/// A running Prism. Dropping it stops it.
pub struct Prism {
    child: Child,
    /// Closing this pipe makes the wrapper shell stop Prism, also when the test binary exits
    /// without running destructors (statics).
    stdin: Option<ChildStdin>,
    base_url: String,
    log: Arc<Mutex<Vec<String>>>,
    exclusive: Mutex<()>,
}

impl std::fmt::Debug for Prism {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prism")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Prism {
    /// `prism mock --errors SPEC`: answers from the spec's examples and schemas, and answers an
    /// invalid request with the spec's own 4xx (the violations are in the log only).
    ///
    /// Panics when Prism is not installed or does not start; check with [`require_prism`].
    pub fn mock(spec: &Path) -> Prism {
        Self::start("mock", spec, None)
    }

    /// `prism proxy --errors SPEC UPSTREAM`: forwards valid requests to `upstream`, refuses
    /// invalid ones with a 422 listing the violations, and turns an upstream answer that breaks
    /// the spec into a 500 `errors#VIOLATIONS` (statuses the spec does not list pass with a
    /// warning in `sl-violations`).
    pub fn proxy(spec: &Path, upstream: &str) -> Prism {
        Self::start("proxy", spec, Some(upstream))
    }

    fn start(mode: &str, spec: &Path, upstream: Option<&str>) -> Prism {
        let bin = prism_bin().expect("Prism is installed (tests/prism/node_modules)");
        let port = free_port();
        // The shell stops Prism when its stdin closes: statics are never dropped, and an
        // orphaned Prism would hold its port and memory after the test binary has gone.
        let script = r#""$@" & p=$!; trap 'kill $p 2>/dev/null' EXIT; cat >/dev/null; kill $p 2>/dev/null; wait $p"#;
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script).arg("prism").arg(&bin).arg(mode);
        cmd.args(["-h", "127.0.0.1", "-p", &port.to_string(), "--errors"]);
        cmd.arg(spec);
        cmd.args(upstream);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sh starts Prism");
        let log = Arc::new(Mutex::new(Vec::new()));
        collect(child.stdout.take(), &log);
        collect(child.stderr.take(), &log);
        let stdin = child.stdin.take();
        let prism = Prism {
            child,
            stdin,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
            exclusive: Mutex::new(()),
        };
        prism.wait_listening(spec);
        prism
    }

    fn wait_listening(&self, spec: &Path) {
        let start = Instant::now();
        while start.elapsed() < START_TIMEOUT {
            if self
                .log_lines()
                .iter()
                .any(|l| l.contains("Prism is listening"))
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "Prism did not start within {START_TIMEOUT:?} for {}; its log:\n{}",
            spec.display(),
            self.log_lines().join("\n")
        );
    }

    /// `http://127.0.0.1:PORT`, the base URL to give a client.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Prism's log so far, one entry per line, colour codes removed.
    pub fn log_lines(&self) -> Vec<String> {
        lock(&self.log).clone()
    }

    /// Every `[VALIDATOR]` line in the log so far (request and response violations; warnings too).
    pub fn violations(&self) -> Vec<String> {
        violations_in(&self.log_lines())
    }

    /// This test's exclusive use of the instance: other tests' requests wait until it ends, so
    /// the violations it reports are this test's own.
    pub fn session(&self) -> Session<'_> {
        let guard = self
            .exclusive
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mark = lock(&self.log).len();
        Session {
            prism: self,
            mark,
            _guard: guard,
        }
    }

    /// Waits until Prism has written nothing for a moment: its log lines for a request may
    /// arrive after the answer did.
    fn settle(&self) {
        let start = Instant::now();
        let mut last = lock(&self.log).len();
        let mut quiet_since = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            std::thread::sleep(Duration::from_millis(25));
            let now = lock(&self.log).len();
            if now != last {
                last = now;
                quiet_since = Instant::now();
            } else if quiet_since.elapsed() >= Duration::from_millis(150) {
                return;
            }
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One test's exclusive use of a [`Prism`] (see [`Prism::session`]).
pub struct Session<'a> {
    prism: &'a Prism,
    mark: usize,
    _guard: MutexGuard<'a, ()>,
}

impl Session<'_> {
    /// The instance's base URL.
    pub fn base_url(&self) -> &str {
        self.prism.base_url()
    }

    /// The log lines written since the session began (after Prism has settled).
    pub fn log_lines(&self) -> Vec<String> {
        self.prism.settle();
        lock(&self.prism.log)[self.mark..].to_vec()
    }

    /// The `[VALIDATOR]` lines written since the session began (errors and warnings).
    pub fn violations(&self) -> Vec<String> {
        violations_in(&self.log_lines())
    }

    /// Only the error-level `[VALIDATOR]` lines since the session began.
    pub fn errors(&self) -> Vec<String> {
        self.violations()
            .into_iter()
            .filter(|l| l.contains('✖') || l.contains(" error "))
            .collect()
    }
}

/// The violations Prism reports in its `sl-violations` response header (proxy mode, and mock
/// mode without `--errors`): a JSON array of `{location, severity, code, message}`.
pub fn sl_violations(headers: &reqwest::header::HeaderMap) -> Vec<serde_json::Value> {
    headers
        .get_all("sl-violations")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| serde_json::from_str::<Vec<serde_json::Value>>(v).ok())
        .flatten()
        .collect()
}

/// The shared mock of corpus spec `altinn3/<stem>.json` for this test binary, started on first
/// use (for a test that needs the corpus and Prism; see [`require_spec`]).
pub fn shared_mock(test: &str, stem: &str) -> &'static Prism {
    let spec = require_spec(test, stem);
    shared(format!("mock {stem}"), || Prism::mock(&spec))
}

/// The shared proxy of corpus spec `altinn3/<stem>.json` in front of `upstream`, one per
/// (spec, upstream) pair in this test binary.
pub fn shared_proxy(test: &str, stem: &str, upstream: &str) -> &'static Prism {
    let spec = require_spec(test, stem);
    shared(format!("proxy {stem} {upstream}"), || {
        Prism::proxy(&spec, upstream)
    })
}

/// Instances live for the whole test binary; the wrapper shell stops Prism when it exits.
fn shared(key: String, start: impl FnOnce() -> Prism) -> &'static Prism {
    static ALL: OnceLock<Mutex<HashMap<String, &'static OnceLock<Prism>>>> = OnceLock::new();
    let cell = {
        let mut all = lock(ALL.get_or_init(Default::default));
        let slot = all
            .entry(key)
            .or_insert_with(|| Box::leak(Box::new(OnceLock::new())));
        *slot
    };
    // Started outside the map's lock, so two specs start in parallel.
    cell.get_or_init(start)
}

fn violations_in(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.contains("[VALIDATOR]"))
        .filter(|l| l.contains('✖') || l.contains("error") || l.contains("Violation"))
        .cloned()
        .collect()
}

fn collect(stream: Option<impl Read + Send + 'static>, log: &Arc<Mutex<Vec<String>>>) {
    let Some(stream) = stream else { return };
    let log = Arc::clone(log);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            lock(&log).push(strip_ansi(&line));
        }
    });
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ params final-byte (0x40..=0x7e).
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) && c != '[' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
