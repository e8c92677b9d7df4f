//! Fault injection through the SOAP facade: a legacy caller sends at least 10,000 mixed
//! CorrespondenceAgencyExternalBasic requests, concurrently, to the generated facade, whose Altinn 3
//! upstream fails on purpose by a seeded plan (5xx before and after committing, 429 with
//! `Retry-After`, connection resets before and halfway through an answer, answers later than the
//! facade waits, trickled bodies). The caller retries what failed with the same shipment
//! reference, as a legacy client does, and sometimes sends a reference twice at once or again
//! after success.
//!
//! Checked: every success the facade answers is a correspondence the upstream committed, with
//! the id it committed (nothing lost, no success for an uncommitted write); no shipment reference
//! is ever created twice; every fault is an `AltinnFault` of the mapped kind (Client for the
//! injected 4xx, Server for 5xx, and Server saying the outcome is unknown for timeouts and
//! resets); reads find exactly what was committed. Finally, with the faults off, every reference
//! the caller gave up on is sent once more and each is then committed exactly once.
//!
//! `FAULT_SEED` and `FAULT_REQUESTS` override the seed and the number of requests.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use altinn_bridge_examples::generated::correspondence_agency_external_basic as basic;
use altinn_bridge_facade::{Facade, SoapService};
use altinn_bridge_runtime::soap::{Envelope, FaultCode};
use altinn_bridge_runtime::xml;
use altinn_bridge_tests::failing::{Altinn3, FaultMix, mix64, titles};
use altinn_bridge_tests::legacy;

const DEFAULT_SEED: u64 = 0x5eed_0006;
const DEFAULT_REQUESTS: usize = 10_000;
const CONCURRENCY: usize = 48;
/// Attempts a legacy client makes for one shipment before it gives up (for now).
const ATTEMPTS: u32 = 4;
/// The facade's `request_timeout_seconds`; slow answers take longer.
const FACADE_TIMEOUT_S: u64 = 2;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// About one upstream request in five fails.
fn mix() -> FaultMix {
    FaultMix {
        server_error: 15,
        server_error_after_commit: 25,
        too_many: 40,
        too_many_wait: 5,
        bad_request: 10,
        reset_before_answer: 30,
        reset_mid_response: 30,
        slow: 4,
        slow_body: 30,
        slow_for: Duration::from_millis(FACADE_TIMEOUT_S * 1000 + 500),
        slow_body_for: Duration::from_millis(160),
    }
}

/// How the facade answered one request.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// 200: the receipt text (the correspondence id) or the references a search listed.
    Success(Vec<String>),
    /// An AltinnFault of a kind the mapping promises.
    Fault(Kind),
    /// Anything else, described.
    Unexpected(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    /// Client: the injected 400.
    ClientInvalid,
    /// Client: 429 after the retries ran out (the manifest maps every 4xx to Client).
    ClientTooMany,
    /// Server: an injected 5xx.
    Server,
    /// Server: a timeout or a broken connection, "the outcome is unknown".
    Unknown,
}

/// What the run saw, shared by the workers.
#[derive(Default)]
struct Seen {
    /// Receipts per shipment reference (every success, so repeats can be compared).
    receipts: HashMap<String, Vec<String>>,
    /// References the caller gave up on after [`ATTEMPTS`] faults.
    given_up: Vec<(String, u64)>,
    /// References that succeeded, in order, for reads to look up.
    succeeded: Vec<String>,
    faults: BTreeMap<Kind, u64>,
    unexpected: Vec<String>,
    /// Successes whose correspondence the upstream had not committed (must stay empty).
    uncommitted: Vec<String>,
    reads_ok: u64,
    reads_wrong: Vec<String>,
}

struct Driver {
    http: reqwest::Client,
    url: String,
    up: Altinn3,
    seed: u64,
    sent: AtomicUsize,
    seen: Mutex<Seen>,
    attachment: String,
}

impl Driver {
    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn post(&self, twelve: bool, action: &str, body: &str) -> Outcome {
        self.sent.fetch_add(1, Ordering::SeqCst);
        let mut req = self
            .http
            .post(&self.url)
            .body(legacy::envelope(twelve, body));
        for (name, value) in legacy::headers(twelve, action) {
            req = req.header(name, value);
        }
        let res = match req.send().await {
            Ok(r) => r,
            Err(e) => return Outcome::Unexpected(format!("no answer from the facade: {e}")),
        };
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        classify(status, &text)
    }

    /// One shipment, as a legacy client sends it: retried with the same reference after a
    /// fault, and sometimes sent once more after success.
    async fn insert(&self, reference: &str, roll: u64) {
        let twelve = roll % 10 == 0;
        let with_attachment = roll % 8 == 1;
        let again_after_success = roll % 16 == 2;
        let body = legacy::insert_body(
            reference,
            with_attachment.then_some(self.attachment.as_str()),
        );
        for _ in 0..ATTEMPTS {
            let outcome = self.post(twelve, &legacy::insert_action(), &body).await;
            if !self.record_insert(reference, outcome) {
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
            if again_after_success {
                let outcome = self.post(twelve, &legacy::insert_action(), &body).await;
                self.record_insert(reference, outcome);
            }
            return;
        }
        self.seen().given_up.push((reference.to_owned(), roll));
    }

    /// Notes one insert's outcome; `true` on success.
    fn record_insert(&self, reference: &str, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Success(receipt) => {
                let receipt = receipt.into_iter().next().unwrap_or_default();
                // Checked at once: the upstream commits before it answers, so a success must
                // already be there, with the id the caller was given.
                let commits = self.up.commits_of(reference);
                let mut seen = self.seen();
                if !commits.iter().any(|c| c.id == receipt) {
                    seen.uncommitted.push(format!(
                        "{reference}: receipt {receipt}, upstream has {commits:?}"
                    ));
                }
                let first = !seen.receipts.contains_key(reference);
                seen.receipts
                    .entry(reference.to_owned())
                    .or_default()
                    .push(receipt);
                if first {
                    seen.succeeded.push(reference.to_owned());
                }
                true
            }
            other => {
                self.record_fault(other);
                false
            }
        }
    }

    fn record_fault(&self, outcome: Outcome) {
        let mut seen = self.seen();
        match outcome {
            Outcome::Fault(kind) => *seen.faults.entry(kind).or_default() += 1,
            Outcome::Unexpected(why) => seen.unexpected.push(why),
            Outcome::Success(_) => {}
        }
    }

    /// Reads the status of a reference that succeeded earlier (it must be listed once) or of one
    /// never written (nothing may be listed).
    async fn read(&self, i: u64, roll: u64) {
        let known = {
            let seen = self.seen();
            (roll % 4 != 0 && !seen.succeeded.is_empty())
                .then(|| seen.succeeded[(roll as usize / 4) % seen.succeeded.len()].clone())
        };
        let reference = known
            .clone()
            .unwrap_or_else(|| format!("never-written-{i}"));
        let outcome = self
            .post(
                false,
                &legacy::status_action(),
                &legacy::status_body(&reference),
            )
            .await;
        let Outcome::Success(listed) = outcome else {
            return self.record_fault(outcome);
        };
        let expected: Vec<String> = known.into_iter().collect();
        let mut seen = self.seen();
        if listed == expected {
            seen.reads_ok += 1;
        } else {
            seen.reads_wrong
                .push(format!("{reference}: listed {listed:?}"));
        }
    }

    /// Work item `i`: an insert (alone or with a twin sent at the same time) or a read.
    async fn item(&self, i: u64) {
        let roll = mix64(self.seed.wrapping_add(i));
        let reference = format!("AR-{:x}-{i}", self.seed);
        match roll % 100 {
            0..=19 => self.read(i, roll >> 8).await,
            20..=24 => {
                // A client that sends the same shipment twice at once (two threads, two nodes).
                tokio::join!(
                    self.insert(&reference, roll >> 8),
                    self.insert(&reference, roll >> 9)
                );
            }
            _ => self.insert(&reference, roll >> 8).await,
        }
    }
}

/// Sorts the facade's answer.
fn classify(status: u16, text: &str) -> Outcome {
    let env = match Envelope::parse(text.as_bytes()) {
        Ok(e) => e,
        Err(e) => {
            return Outcome::Unexpected(format!("HTTP {status}, not an envelope ({e}): {text}"));
        }
    };
    match (status, env.fault()) {
        (200, None) => success(&env),
        (500, Some(Ok(fault))) => {
            let Some(detail) = fault.altinn_fault() else {
                return Outcome::Unexpected(format!("a fault without AltinnFault: {text}"));
            };
            let message = detail.altinn_error_message.as_deref().unwrap_or_default();
            match (&fault.code, message) {
                (FaultCode::Sender, titles::BAD_REQUEST) => Outcome::Fault(Kind::ClientInvalid),
                (FaultCode::Sender, titles::TOO_MANY) => Outcome::Fault(Kind::ClientTooMany),
                (FaultCode::Receiver, titles::SERVER) => Outcome::Fault(Kind::Server),
                (FaultCode::Receiver, m) if m.contains("outcome is unknown") => {
                    Outcome::Fault(Kind::Unknown)
                }
                _ => Outcome::Unexpected(format!(
                    "an unmapped fault {:?} `{}`: {text}",
                    fault.code, fault.reason
                )),
            }
        }
        _ => Outcome::Unexpected(format!("HTTP {status}: {text}")),
    }
}

/// The receipt text of an insert, or the shipment references a status search listed.
fn success(env: &Envelope) -> Outcome {
    let Ok(body) = xml::parse(&env.body.xml) else {
        return Outcome::Unexpected(format!("an unreadable body: {}", env.body.xml));
    };
    if body.local == "InsertCorrespondenceBasicV2Response" {
        let status = legacy::find(&body, "ReceiptStatusCode").map(|e| e.text());
        return match (status.as_deref(), legacy::find(&body, "ReceiptText")) {
            (Some("OK"), Some(text)) => Outcome::Success(vec![text.text()]),
            _ => Outcome::Unexpected(format!("a receipt that is not OK: {}", env.body.xml)),
        };
    }
    let mut refs = Vec::new();
    collect(&body, "SendersReference", &mut refs);
    Outcome::Success(refs)
}

fn collect(el: &xml::Element, local: &str, out: &mut Vec<String>) {
    if el.local == local {
        out.push(el.text());
    }
    for child in el.children.iter() {
        if let xml::Node::Element(e) = child {
            collect(e, local, out);
        }
    }
}

/// Base64 of `n` bytes of a fake PDF.
fn attachment_b64(n: usize) -> String {
    use base64::Engine as _;
    let bytes: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_requests_through_a_failing_upstream_lose_and_duplicate_nothing() {
    let seed = env_or("FAULT_SEED", DEFAULT_SEED);
    let target = env_or("FAULT_REQUESTS", DEFAULT_REQUESTS);
    let started = Instant::now();
    let up = Altinn3::start(seed, mix())
        .await
        .expect("the upstream starts");
    let dir = legacy::scratch_with_key();
    let limits = format!("request_timeout_seconds = {FACADE_TIMEOUT_S}\nmax_concurrent = 1024");
    let config = legacy::config(
        &up.base_url(),
        "127.0.0.1:0".parse().expect("addr"),
        &limits,
        &dir,
    );
    let service: Arc<dyn SoapService> = Arc::new(basic::facade::Service);
    let facade = Facade::bind(&config, vec![service])
        .await
        .expect("the facade binds");
    let addr = facade.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(facade.run(async {
        let _ = stopped.await;
    }));

    let driver = Arc::new(Driver {
        http: reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(20))
            .build()
            .expect("client"),
        url: format!("http://{addr}{}", legacy::PATH),
        up: up.clone(),
        seed,
        sent: AtomicUsize::new(0),
        seen: Mutex::default(),
        attachment: attachment_b64(24 << 10),
    });
    let next = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (driver, next) = (Arc::clone(&driver), Arc::clone(&next));
            tokio::spawn(async move {
                while driver.sent.load(Ordering::SeqCst) < target {
                    let i = next.fetch_add(1, Ordering::SeqCst) as u64;
                    driver.item(i).await;
                }
            })
        })
        .collect();
    for w in workers {
        w.await.expect("a worker finished");
    }
    let faulty_phase = started.elapsed();
    let sent = driver.sent.load(Ordering::SeqCst);

    // The caller comes back for what it gave up on, with the upstream healthy again.
    up.set_faults(false);
    let given_up = driver.seen().given_up.clone();
    let mut committed_unknown = 0;
    for (reference, roll) in &given_up {
        if !up.commits_of(reference).is_empty() {
            committed_unknown += 1;
        }
        driver.insert(reference, *roll).await;
    }

    let _ = stop.send(());
    serving
        .await
        .expect("the facade task")
        .expect("the facade stopped cleanly");
    let seen = driver.seen();
    let run = Run {
        seed,
        sent,
        target,
        faulty_phase,
        settle: started.elapsed() - faulty_phase,
        given_up: &given_up,
        committed_unknown,
    };
    report(&run, &seen, &up);
    check(&run, &seen, &up);
}

/// What the run did, for the report and the checks.
struct Run<'a> {
    seed: u64,
    sent: usize,
    target: usize,
    faulty_phase: Duration,
    settle: Duration,
    given_up: &'a [(String, u64)],
    committed_unknown: usize,
}

fn report(run: &Run<'_>, seen: &Seen, up: &Altinn3) {
    let counts = up.counts();
    let committed = up.committed();
    println!(
        "seed {:#x}: {} SOAP requests in {:?} with faults, then {} retries in {:?}",
        run.seed,
        run.sent,
        run.faulty_phase,
        run.given_up.len(),
        run.settle
    );
    println!("facade faults by kind: {:?}", seen.faults);
    println!("upstream faults injected: {:?}", up.injected());
    println!(
        "upstream: {} creations, {} repeats answered from the first result, {} attachments created, {} uploaded, {} referenced; {} invalid",
        counts.creations,
        counts.repeats,
        counts.attachments_created,
        counts.attachments_uploaded,
        committed
            .values()
            .map(|c| c.attachments.len())
            .sum::<usize>(),
        counts.invalid
    );
    println!(
        "caller: {} references succeeded, {} given up and retried ({} of them had been committed: outcome unknown), {} reads checked",
        seen.receipts.len(),
        run.given_up.len(),
        run.committed_unknown,
        seen.reads_ok
    );
}

fn check(run: &Run<'_>, seen: &Seen, up: &Altinn3) {
    let counts = up.counts();
    let committed = up.committed();
    let (sent, target, given_up) = (run.sent, run.target, run.given_up);
    assert!(sent >= target, "only {sent} requests were sent");
    assert!(
        seen.unexpected.is_empty(),
        "{} unexpected answers, e.g. {:?}",
        seen.unexpected.len(),
        &seen.unexpected[..seen.unexpected.len().min(5)]
    );
    assert!(
        seen.uncommitted.is_empty(),
        "successes the upstream never committed: {:?}",
        seen.uncommitted
    );
    assert!(
        seen.reads_wrong.is_empty(),
        "reads that disagree with the upstream: {:?}",
        seen.reads_wrong
    );
    // No duplicates: one creation per shipment reference, one per key.
    let duplicated: Vec<_> = counts
        .creations_by_reference
        .iter()
        .filter(|(_, n)| **n > 1)
        .collect();
    assert!(
        duplicated.is_empty(),
        "references created more than once: {duplicated:?}"
    );
    assert_eq!(
        counts.creations as usize,
        committed.len(),
        "a key was created twice"
    );
    // Nothing lost: every success is the one committed correspondence of its reference.
    for (reference, receipts) in &seen.receipts {
        let commits = up.commits_of(reference);
        assert_eq!(commits.len(), 1, "{reference}: {commits:?}");
        assert!(
            receipts.iter().all(|r| *r == commits[0].id),
            "{reference}: receipts {receipts:?} for {commits:?}"
        );
    }
    // After the retries every reference the caller ever sent is committed exactly once.
    for (reference, _) in given_up {
        assert!(
            seen.receipts.contains_key(reference),
            "{reference} still failed with the upstream healthy"
        );
    }
    assert_eq!(
        committed.len(),
        seen.receipts.len(),
        "committed correspondences nobody was told of"
    );
    // Every kind of fault happened, and the facade answered each with its mapped fault.
    for kind in [Kind::ClientInvalid, Kind::Server, Kind::Unknown] {
        assert!(
            seen.faults.get(&kind).is_some_and(|n| *n > 0),
            "no {kind:?} faults: {:?}",
            seen.faults
        );
    }
}
