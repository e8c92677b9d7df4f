//! Load benchmark of the SOAP facade (not run in CI): wrk on loopback against a fast local Altinn
//! 3 upstream directly, then against the facade in front of it, in the same run; then where a
//! facade request's time goes, stage by stage, measured in-process.
//!
//! The operation is the cheapest mapped read, GetCorrespondenceStatusDetailsBasicV3 for a
//! shipment reference that matches nothing: one SOAP request becomes one `GET
//! /correspondence/api/v1/correspondence` answering `{"ids":[]}`. wrk is compared with the same
//! GET sent straight to the upstream.
//!
//! ```sh
//! apt-get install -y --no-install-recommends wrk
//! cargo bench -p altinn-bridge-tests --bench facade_load            # 5 s per wrk run
//! WRK_SECONDS=10 WRK_CONNECTIONS=64 cargo bench -p altinn-bridge-tests --bench facade_load
//! FACADE_LOAD_ONLY=no-op perf record -g target/release/deps/facade_load-*   # one target alone
//! ```

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use altinn_bridge_examples::generated::correspondence_agency_external_basic as basic;
use altinn_bridge_facade::{
    self as facade, CallFuture, Facade, FacadeConfig, Operation, Request, SoapService,
};
use altinn_bridge_runtime::Secret;
use altinn_bridge_runtime::adapter::{Settings, Upstream};
use altinn_bridge_runtime::soap::Envelope;
use altinn_bridge_runtime::xml;
use altinn_bridge_tests::failing::{Altinn3, FaultMix, TOKEN};
use altinn_bridge_tests::legacy;

const REFERENCE: &str = "no-such-shipment";

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The generated service's contract and dispatch with a `call` that answers at once: what the
/// facade's server pieces cost without the adapter and the upstream call.
struct NoOp;

impl SoapService for NoOp {
    fn name(&self) -> &'static str {
        basic::facade::Service.name()
    }
    fn path(&self) -> &'static str {
        basic::facade::Service.path()
    }
    fn documents(&self) -> &'static [(&'static str, &'static str)] {
        basic::facade::Service.documents()
    }
    fn apis(&self) -> &'static [&'static str] {
        basic::facade::Service.apis()
    }
    fn operations(&self) -> &'static [Operation] {
        basic::facade::Service.operations()
    }
    fn call<'a>(&'a self, _op: &'static Operation, _req: Request) -> CallFuture<'a> {
        Box::pin(async { Ok(NO_OP_ANSWER.to_owned()) })
    }
}

const NO_OP_ANSWER: &str = r#"<GetCorrespondenceStatusDetailsBasicV3Response xmlns="http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10"><GetCorrespondenceStatusDetailsBasicV3Result/></GetCorrespondenceStatusDetailsBasicV3Response>"#;

/// One wrk run's figures.
#[derive(Debug, Default, Clone, Copy)]
struct Figures {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
    /// CPU time this process (upstream and facade, not wrk) spent per request.
    cpu_us: f64,
}

fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("wrk is not installed: apt-get install -y --no-install-recommends wrk");
        std::process::exit(2);
    }
    let seconds: u64 = env_or("WRK_SECONDS", 5);
    let connections: u64 = env_or("WRK_CONNECTIONS", 32);
    let threads: u64 = env_or("WRK_THREADS", 1);

    // The upstream and the facade each get their own runtime, as separate processes would.
    let upstream_rt = runtime(1);
    let up = upstream_rt
        .block_on(Altinn3::start(0, FaultMix::none()))
        .expect("the upstream starts");
    let facade_rt = runtime(env_or("FACADE_THREADS", 2));
    let dir = legacy::scratch_with_key();
    let (_log_guard, logs) = log_like_serve(&dir);
    let config = legacy::config(
        &up.base_url(),
        "127.0.0.1:0".parse().expect("addr"),
        "max_concurrent = 4096",
        &dir,
    );
    let facade_url = facade_rt.block_on(serve(&config, Arc::new(basic::facade::Service)));
    let no_op_url = facade_rt.block_on(serve(&config, Arc::new(NoOp)));
    let body = legacy::envelope(false, &legacy::status_body(REFERENCE));
    // The first call pays for argon2 and the Maskinporten token; wrk measures the steady state.
    facade_rt.block_on(warm_up(&facade_url, &body));
    facade_rt.block_on(warm_up(&no_op_url, &body));

    let search = format!(
        "{}/correspondence/api/v1/correspondence?resourceId=altinn-bridge-test-resource&sendersReference={REFERENCE}&role=Sender",
        up.base_url()
    );
    let direct_script =
        format!("wrk.method = \"GET\"\nwrk.headers[\"Authorization\"] = \"Bearer {TOKEN}\"\n");
    let facade_script = format!(
        "wrk.method = \"POST\"\nwrk.body = [[{body}]]\nwrk.headers[\"Content-Type\"] = \"text/xml; charset=utf-8\"\nwrk.headers[\"SOAPAction\"] = '\"{}\"'\n",
        legacy::status_action()
    );
    let args = WrkArgs {
        seconds,
        connections,
        threads,
    };
    // FACADE_LOAD_ONLY=direct|facade|no-op runs one target alone (for a profiler); the others
    // then report zeros.
    let only = std::env::var("FACADE_LOAD_ONLY").unwrap_or_default();
    let run = |name: &str, url: &str, script: &str| {
        if only.is_empty() || only == name {
            wrk(&args, url, script, &dir)
        } else {
            Figures::default()
        }
    };
    let direct = run("direct", &search, &direct_script);
    let facade = run("facade", &facade_url, &facade_script);
    let no_op = run("no-op", &no_op_url, &facade_script);

    println!();
    println!(
        "wrk -t{threads} -c{connections} -d{seconds}s --latency, loopback, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "| target | req/s | p50 ms | p99 ms | errors | CPU µs/req (upstream + facade, not wrk) |\n|---|---:|---:|---:|---:|---:|"
    );
    for (name, f) in [
        ("upstream GET directly", direct),
        ("facade SOAP → upstream", facade),
        (
            "facade, service answering at once (no adapter, no upstream)",
            no_op,
        ),
    ] {
        println!(
            "| {name} | {:.0} | {:.3} | {:.3} | {} | {:.1} |",
            f.rps, f.p50_ms, f.p99_ms, f.errors, f.cpu_us
        );
    }
    let per_request_us = (1.0 / facade.rps - 1.0 / direct.rps) * 1e6;
    println!(
        "\nfacade overhead: {:.3} ms more at p50, {:.3} ms more at p99, {per_request_us:.0} µs more per request at saturation",
        facade.p50_ms - direct.p50_ms,
        facade.p99_ms - direct.p99_ms
    );
    println!(
        "facade CPU per request: {:.1} µs in all, of which {:.1} µs the server pieces (parse, auth, dispatch, answer) and {:.1} µs the adapter and its upstream call (the upstream's own {:.1} µs excluded)",
        facade.cpu_us - direct.cpu_us,
        no_op.cpu_us,
        facade.cpu_us - direct.cpu_us - no_op.cpu_us,
        direct.cpu_us
    );
    let aim = facade.rps >= 10_000.0 && facade.p99_ms < 5.0;
    println!("logs: {logs}");
    println!(
        "aim (≥ 10,000 req/s, p99 < 5 ms): {}",
        if aim { "met" } else { "NOT met" }
    );

    if only.is_empty() {
        facade_rt.block_on(stages(&up, &facade_url, &no_op_url, &body));
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Logs as `altinn-bridge serve` does ([`facade::init_logs`]: JSON lines at `info`, one per
/// request, buffered), into a file in `dir`; `FACADE_LOAD_LOGS=0` leaves
/// logging off. The guard flushes the lines at the end.
fn log_like_serve(dir: &std::path::Path) -> (Option<facade::LogGuard>, &'static str) {
    if std::env::var("FACADE_LOAD_LOGS").is_ok_and(|v| v == "0") {
        return (None, "off (FACADE_LOAD_LOGS=0)");
    }
    let file = std::fs::File::create(dir.join("facade.log")).expect("the log file");
    let guard = facade::init_logs(file);
    (
        guard,
        "JSON lines at info, as `serve` writes them (FACADE_LOAD_LOGS=0: off)",
    )
}

async fn serve(config: &FacadeConfig, service: Arc<dyn SoapService>) -> String {
    let facade = Facade::bind(config, vec![service])
        .await
        .expect("the facade binds");
    let addr = facade.local_addr().expect("address");
    tokio::spawn(facade.run(std::future::pending()));
    format!("http://{addr}{}", legacy::PATH)
}

fn runtime(threads: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("a runtime")
}

async fn warm_up(url: &str, body: &str) {
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let res = http
        .post(url)
        .header("content-type", "text/xml; charset=utf-8")
        .header("soapaction", format!("\"{}\"", legacy::status_action()))
        .body(body.to_owned())
        .send()
        .await
        .expect("the facade answers");
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    assert_eq!(status, 200, "the warm-up request failed: {text}");
}

struct WrkArgs {
    seconds: u64,
    connections: u64,
    threads: u64,
}

fn wrk(args: &WrkArgs, url: &str, script: &str, dir: &std::path::Path) -> Figures {
    let path = dir.join(format!("wrk-{}.lua", script.len()));
    std::fs::write(&path, script).expect("the wrk script");
    let cpu_before = process_cpu_ms();
    let out = Command::new("wrk")
        .args([
            &format!("-t{}", args.threads),
            &format!("-c{}", args.connections),
            &format!("-d{}s", args.seconds),
            "--latency",
            "-s",
        ])
        .arg(&path)
        .arg(url)
        .output()
        .expect("wrk runs");
    let text = String::from_utf8_lossy(&out.stdout);
    println!("--- wrk {url}\n{text}");
    let cpu = process_cpu_ms() - cpu_before;
    let mut f = parse_wrk(&text);
    let requests = f.rps * args.seconds as f64;
    f.cpu_us = if requests > 0.0 {
        cpu * 1000.0 / requests
    } else {
        f64::NAN
    };
    f
}

/// User plus system CPU time of this process so far, from `/proc/self/stat` (Linux; clock ticks
/// of 10 ms). NaN elsewhere.
fn process_cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) * 10.0
}

/// Requests/sec, the 50% and 99% latencies, and socket errors plus non-2xx answers.
fn parse_wrk(text: &str) -> Figures {
    let mut f = Figures::default();
    for line in text.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("Requests/sec:"), Some(v)) => f.rps = v.parse().unwrap_or(0.0),
            (Some("50%"), Some(v)) => f.p50_ms = millis(v),
            (Some("99%"), Some(v)) => f.p99_ms = millis(v),
            (Some("Non-2xx"), _) => {
                f.errors += line
                    .rsplit(' ')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0)
            }
            (Some("Socket"), _) => {
                f.errors += line
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse::<u64>().ok())
                    .sum::<u64>()
            }
            _ => {}
        }
    }
    f
}

/// wrk's `312.00us`, `1.20ms`, `2.00s` in milliseconds.
fn millis(v: &str) -> f64 {
    let split = v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len());
    let (n, unit) = v.split_at(split);
    let n: f64 = n.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => f64::NAN,
    }
}

/// Where a facade request's time goes: each stage run alone, one request at a time, in µs.
async fn stages(up: &Altinn3, facade_url: &str, no_op_url: &str, body: &str) {
    const N: u32 = 1000;
    let search = format!(
        "{}/correspondence/api/v1/correspondence?resourceId=altinn-bridge-test-resource&sendersReference={REFERENCE}&role=Sender",
        up.base_url()
    );
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let client = altinn_bridge_runtime::http::Client::new(up.base_url())
        .expect("client")
        .with_bearer(Secret::new(TOKEN));
    let upstream = Upstream::new().with_api("altinn-correspondence-v1", client);
    let settings = Arc::new(
        Settings::new()
            .with_value("sender", "0192:991825827")
            .with_entry("resource_ids", "*", "altinn-bridge-test-resource"),
    );
    let env = Envelope::parse(body.as_bytes()).expect("an envelope");
    let element = xml::parse(&env.body.xml).expect("a body");

    let mut rows = Vec::new();
    rows.push((
        "reqwest GET to the upstream (one connection, reused)",
        time(N, || async {
            let r = http
                .get(&search)
                .bearer_auth(TOKEN)
                .send()
                .await
                .expect("answer");
            r.bytes().await.expect("body");
        })
        .await,
    ));
    rows.push((
        "whole facade round trip (reqwest POST, one at a time)",
        time(N, || async {
            let r = http
                .post(facade_url)
                .header("content-type", "text/xml; charset=utf-8")
                .header("soapaction", format!("\"{}\"", legacy::status_action()))
                .body(body.to_owned())
                .send()
                .await
                .expect("answer");
            r.bytes().await.expect("body");
        })
        .await,
    ));
    rows.push((
        "facade round trip, service answering at once",
        time(N, || async {
            let r = http
                .post(no_op_url)
                .header("content-type", "text/xml; charset=utf-8")
                .header("soapaction", format!("\"{}\"", legacy::status_action()))
                .body(body.to_owned())
                .send()
                .await
                .expect("answer");
            r.bytes().await.expect("body");
        })
        .await,
    ));
    rows.push((
        "SOAP envelope + body parse (runtime::soap, runtime::xml)",
        time(N, || async {
            let env = Envelope::parse(body.as_bytes()).expect("an envelope");
            std::hint::black_box(xml::parse(&env.body.xml).expect("a body"));
        })
        .await,
    ));
    rows.push((
        "generated call_element: read, convert, GET, JSON, build answer",
        time(N, || async {
            let c = basic::Client::new(upstream.clone(), Arc::clone(&settings))
                .expect("the bench's settings are complete");
            let out = c
                .call_element(
                    "GetCorrespondenceStatusDetailsBasicV3",
                    element.clone(),
                    Vec::new(),
                )
                .await
                .expect("a result");
            std::hint::black_box(out);
        })
        .await,
    ));
    println!("\nstages, one request at a time, best of 5 rounds of {N}:");
    println!("| stage | µs |\n|---|---:|");
    for (name, us) in rows {
        println!("| {name} | {us:.1} |");
    }
}

async fn time<F, Fut>(n: u32, mut f: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..n / 10 {
        f().await;
    }
    // The best round: the machine is shared, and other work only ever adds time.
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..n {
            f().await;
        }
        best = best.min(start.elapsed());
    }
    best.as_secs_f64() * 1e6 / f64::from(n)
}
