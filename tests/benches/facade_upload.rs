//! A 1 GiB streamed upload through the real `altinn-bridge serve` (not run in CI): the facade's
//! peak memory, which must stay under 64 MB (issue 6).
//!
//! The facade runs as its own process, the release binary of `altinn-bridge serve --config
//! facade.toml`, so `VmHWM` in its `/proc/<pid>/status` is its peak resident memory alone. This
//! process holds the client and a local Altinn 3 Broker with its Maskinporten token endpoint
//! (`altinn_bridge_tests::broker`). The client sends UploadFileStreamedBasic as WCF's MTOM encoder
//! does (SOAP 1.2 by default, the five header parts, the file as a `multipart/related` part),
//! generating the file as it goes and hashing it as it is produced; the broker hashes what
//! arrives. Neither end holds the file. The run fails (exit 1) when the bytes differ, the answer
//! is not the receipt, or the facade's peak reaches 64 MB (64,000,000 bytes).
//!
//! Then DownloadFileStreamedBasic is measured the same way twice, requested as WCF's MTOM encoder
//! sends it (answered MTOM) and as a plain envelope (answered with the base64 inline), with the
//! same 64 MB bound. The facade's peak is reset first (`/proc/<pid>/clear_refs`), so each
//! download's peak is its own.
//!
//! ```sh
//! cargo build --release -p altinn-bridge-cli --features serve     # the facade binary, first
//! cargo bench -p altinn-bridge-tests --bench facade_upload         # 1024 MiB up, 64 MiB down twice
//! FACADE_DOWNLOAD_MIB=1024 cargo bench -p altinn-bridge-tests --bench facade_upload   # 1 GiB down too
//! FACADE_UPLOAD_MIB=256 FACADE_DOWNLOAD_MIB=16 cargo bench -p altinn-bridge-tests --bench facade_upload
//! FACADE_UPLOAD_DOWNLOAD=0 cargo bench -p altinn-bridge-tests --bench facade_upload   # upload only
//! FACADE_UPLOAD_SOAP=11 cargo bench -p altinn-bridge-tests --bench facade_upload      # SOAP 1.1
//! ```
//!
//! The binary is `$CARGO_TARGET_DIR/release/altinn-bridge` beside this bench (or `$FACADE_BIN`).
//! `cargo bench` holds the target directory's lock while the bench runs, so the bench cannot
//! build it; it refuses a binary older than the sources it is built from.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

use altinn_bridge_facade::hash_password;
use altinn_bridge_runtime::soap::SoapVersion;
use altinn_bridge_tests::broker::{
    self, Broker, PASSWORD, Tally, USER, generated, mtom_upload, tallied,
};
use altinn_bridge_tests::legacy;
use futures_util::StreamExt;

/// 64 MB, the bound of issue 6.
const LIMIT_BYTES: u64 = 64_000_000;
const MIB: u64 = 1 << 20;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What the run measures.
struct Plan {
    upload_mib: u64,
    download_mib: Option<u64>,
    version: SoapVersion,
}

fn main() -> ExitCode {
    let plan = Plan {
        upload_mib: env_or("FACADE_UPLOAD_MIB", 1024),
        download_mib: (std::env::var("FACADE_UPLOAD_DOWNLOAD").as_deref() != Ok("0"))
            .then(|| env_or("FACADE_DOWNLOAD_MIB", 64)),
        version: match std::env::var("FACADE_UPLOAD_SOAP").as_deref() {
            Ok("11") => SoapVersion::V11,
            _ => SoapVersion::V12,
        },
    };
    let bin = match facade_binary() {
        Ok(b) => b,
        Err(why) => {
            eprintln!("{why}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run(&bin, &plan))
}

/// The release `altinn-bridge` beside this bench, or `$FACADE_BIN`; refused when missing or
/// older than the sources it is built from.
fn facade_binary() -> Result<PathBuf, String> {
    if let Some(bin) = std::env::var_os("FACADE_BIN") {
        return Ok(PathBuf::from(bin));
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // `<target>/release/deps/facade_upload-<hash>`.
    let release = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("the bench is not in a target directory")?;
    let bin = release.join("altinn-bridge");
    let built = std::fs::metadata(&bin)
        .and_then(|m| m.modified())
        .map_err(|_| {
            format!(
                "no facade binary at {}: build it first with `cargo build --release -p altinn-bridge-cli --features serve` (same CARGO_TARGET_DIR), or set FACADE_BIN",
                bin.display()
            )
        })?;
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no workspace")?;
    let sources = [
        "generator/src",
        "generator/cli/src",
        "runtime/src",
        "output-examples/src",
        "Cargo.lock",
    ];
    let newest = sources
        .iter()
        .filter_map(|s| newest_mtime(&workspace.join(s)))
        .max();
    if newest.is_some_and(|n| n > built) {
        return Err(format!(
            "{} is older than the sources: rebuild it with `cargo build --release -p altinn-bridge-cli --features serve` (or set FACADE_BIN)",
            bin.display()
        ));
    }
    Ok(bin)
}

/// The latest modification time of `path` or any file below it.
fn newest_mtime(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_dir() {
        return meta.modified().ok();
    }
    std::fs::read_dir(path)
        .ok()?
        .flatten()
        .filter_map(|e| newest_mtime(&e.path()))
        .max()
}

async fn run(bin: &Path, plan: &Plan) -> ExitCode {
    let broker = Broker::start().await;
    let dir = legacy::scratch_with_key();
    // A 1 GiB upload is one request: the default 120 s request timeout would bound it to
    // about 8.5 MiB/s on a busy machine.
    let config = broker::config_text(
        &broker.base_url(),
        "127.0.0.1:0",
        "request_timeout_seconds = 3600",
        &hash_password(PASSWORD),
    );
    std::fs::write(dir.join("facade.toml"), config).expect("facade.toml");
    let facade = Serve::start(bin, &dir);
    let url = format!("http://{}{}", facade.addr, broker::PATH);
    let start = facade.memory();
    println!(
        "facade: {} serve --config {} (pid {})",
        bin.display(),
        dir.join("facade.toml").display(),
        facade.pid()
    );

    // The first request pays for argon2 (19 MiB of working memory, then cached) and the
    // Maskinporten token: measured apart, then the peak is reset so the big upload's is its own.
    warm_up(&broker, &url, plan).await;
    let first = facade.memory();
    let reset = facade.reset_peak();
    let up = upload(&broker, &url, plan).await;
    let after = facade.memory();
    let mut down = Vec::new();
    if let Some(mib) = plan.download_mib {
        for mtom in [true, false] {
            let reset = facade.reset_peak();
            let d = download(&broker, &url, mib, mtom).await;
            down.push((d, facade.memory(), reset));
        }
    }
    drop(facade);
    let figures = Figures {
        start,
        first,
        reset,
        up,
        after,
        down,
    };
    if !report(plan, &figures) {
        println!("the facade's log: {}", dir.join("facade.log").display());
        return ExitCode::FAILURE;
    }
    std::fs::remove_dir_all(&dir).ok();
    ExitCode::SUCCESS
}

/// Everything a run measured.
struct Figures {
    /// The facade once it listens.
    start: Memory,
    /// After the first (small) request.
    first: Memory,
    /// Whether the peak was reset before the big upload.
    reset: bool,
    up: Uploaded,
    /// After the big upload.
    after: Memory,
    /// The downloads, the facade after each, and whether the peak was reset before it.
    down: Vec<(Downloaded, Memory, bool)>,
}

/// Prints the figures as a Markdown table; whether the facade's peak up to the end of the
/// upload stayed under 64 MB.
fn report(plan: &Plan, f: &Figures) -> bool {
    let rate = |mib: u64, secs: f64| mib as f64 / secs;
    let since_start = |reset: bool| {
        if reset {
            ""
        } else {
            " (not reset: since start)"
        }
    };
    let row = |name: &str, value: String| println!("| {name} | {value} |");
    println!("\n| figure | value |\n|---|---:|");
    let soap = version(plan.version);
    row(
        "upload size",
        format!(
            "{} MiB ({} bytes), SOAP {soap} MTOM",
            plan.upload_mib, f.up.len
        ),
    );
    row("upload time", format!("{:.2} s", f.up.seconds));
    row(
        "upload throughput",
        format!("{:.0} MiB/s", rate(plan.upload_mib, f.up.seconds)),
    );
    row("facade RSS at start (VmRSS)", size(f.start.rss_kib));
    row(
        "facade peak RSS up to the end of the first request (argon2, token, 1 MiB upload)",
        size(f.first.peak_kib),
    );
    row(
        "facade RSS after the first request (VmRSS)",
        size(f.first.rss_kib),
    );
    row(
        &format!(
            "facade peak RSS during the {} MiB upload (VmHWM){}",
            plan.upload_mib,
            since_start(f.reset)
        ),
        size(f.after.peak_kib),
    );
    row("facade RSS after the upload (VmRSS)", size(f.after.rss_kib));
    for (d, mem, reset) in &f.down {
        let how = if d.mtom {
            "an MTOM attachment (request MTOM, as WCF sends it)"
        } else {
            "base64 inline in the envelope (request plain)"
        };
        row("download size", format!("{} MiB, answered as {how}", d.mib));
        row("download time", format!("{:.2} s", d.seconds));
        row(
            "download throughput",
            format!("{:.0} MiB/s", rate(d.mib, d.seconds)),
        );
        row(
            &format!(
                "facade peak RSS during the download (VmHWM){}",
                since_start(*reset)
            ),
            size(mem.peak_kib),
        );
    }
    // The bound is on the facade's whole life up to the end of the upload, then on each download.
    let peak = f.first.peak_kib.max(f.after.peak_kib) * 1024;
    let down_peak = f.down.iter().map(|(_, m, _)| m.peak_kib * 1024).max();
    let ok = peak < LIMIT_BYTES && down_peak.is_none_or(|p| p < LIMIT_BYTES);
    println!(
        "\nupload: sha256 {} and {} bytes equal at client and broker; the receipt names the file transfer",
        f.up.sha256, f.up.len
    );
    println!(
        "facade peak up to the end of the upload: {peak} bytes {} 64,000,000: {}",
        if ok { "<" } else { "≥" },
        if ok { "OK" } else { "FAILED" }
    );
    if let Some(p) = down_peak {
        let fine = p < LIMIT_BYTES;
        println!(
            "facade peak during the downloads: {p} bytes {} 64,000,000: {}",
            if fine { "<" } else { "≥" },
            if fine { "OK" } else { "FAILED" }
        );
    }
    ok
}

fn version(v: SoapVersion) -> &'static str {
    match v {
        SoapVersion::V11 => "1.1",
        SoapVersion::V12 => "1.2",
    }
}

fn size(kib: u64) -> String {
    format!(
        "{:.1} MiB ({:.1} MB)",
        kib as f64 / 1024.0,
        kib as f64 * 1024.0 / 1e6
    )
}

/// An upload's figures.
struct Uploaded {
    seconds: f64,
    len: u64,
    sha256: String,
}

/// Sends the file, then checks that the broker got exactly its bytes and that the answer is the
/// receipt naming the file transfer.
async fn upload(broker: &Broker, url: &str, plan: &Plan) -> Uploaded {
    let id = broker::transfer_id(1);
    let total = plan.upload_mib * MIB;
    let request = mtom_upload(plan.version, &id, USER, PASSWORD);
    let tally = Tally::default();
    let data = tallied(generated(total, 42), tally.clone());
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client");
    let t = Instant::now();
    let (status, answer) = broker::send_upload(&http, url, request, data)
        .await
        .expect("the facade answers the upload");
    let seconds = t.elapsed().as_secs_f64();
    assert_eq!(status, 200, "the upload failed: {answer}");
    let (len, sha256) = tally.result();
    assert_eq!(len, total, "the client sent another size");
    let received = broker
        .upload(&id)
        .expect("the broker has no completed upload");
    assert_eq!(
        (received.len, &received.sha256),
        (len, &sha256),
        "the broker received other bytes than the client sent"
    );
    let receipt = broker::receipt(&answer).expect("the answer is a receipt");
    assert_eq!(
        (
            receipt.status.as_str(),
            receipt.text.as_str(),
            receipt.version
        ),
        ("OK", id.as_str(), plan.version),
        "the receipt does not name the file transfer: {answer}"
    );
    Uploaded {
        seconds,
        len,
        sha256,
    }
}

/// One small upload, checked like the big one, so that the facade has verified the caller and
/// holds a token.
async fn warm_up(broker: &Broker, url: &str, plan: &Plan) {
    let id = broker::transfer_id(3);
    let request = mtom_upload(plan.version, &id, USER, PASSWORD);
    let tally = Tally::default();
    let data = tallied(generated(MIB, 41), tally.clone());
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client");
    let (status, answer) = broker::send_upload(&http, url, request, data)
        .await
        .expect("the facade answers the first upload");
    assert_eq!(status, 200, "the first upload failed: {answer}");
    let received = broker.upload(&id).expect("the broker has the first upload");
    assert_eq!((received.len, received.sha256), tally.result());
}

/// A download's figures.
struct Downloaded {
    mib: u64,
    seconds: f64,
    mtom: bool,
}

async fn download(broker: &Broker, url: &str, mib: u64, mtom: bool) -> Downloaded {
    let id = broker::transfer_id(if mtom { 2 } else { 3 });
    broker.offer(&id, mib * MIB, 43);
    let (headers, body) = if mtom {
        broker::download_request_mtom(&id)
    } else {
        broker::download_request(&id)
    };
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client");
    let mut request = http.post(url).body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let t = Instant::now();
    let answer = request
        .send()
        .await
        .expect("the facade answers the download");
    let file = broker::read_download(answer)
        .await
        .unwrap_or_else(|e| panic!("the download failed: {e}"));
    let seconds = t.elapsed().as_secs_f64();
    let tally = Tally::default();
    let mut expected = std::pin::pin!(tallied(generated(mib * MIB, 43), tally.clone()));
    while expected.next().await.is_some() {}
    assert_eq!(
        (file.len, file.sha256),
        tally.result(),
        "the download is not the broker's file"
    );
    Downloaded {
        mib,
        seconds,
        mtom: file.mtom,
    }
}

/// Resident memory of the facade process, in KiB.
#[derive(Debug, Clone, Copy)]
struct Memory {
    rss_kib: u64,
    peak_kib: u64,
}

/// The running `altinn-bridge serve`; killed when dropped.
struct Serve {
    child: Child,
    addr: SocketAddr,
}

impl Serve {
    /// Starts the binary on `dir/facade.toml` and waits for its "listening" log line; the rest
    /// of its log goes to `dir/facade.log`.
    fn start(bin: &Path, dir: &Path) -> Serve {
        let mut child = Command::new(bin)
            .arg("serve")
            .arg("--config")
            .arg(dir.join("facade.toml"))
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", bin.display()));
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        let log = dir.join("facade.log");
        // Drained to the end: a full pipe would stall the facade's logging, and with it the facade.
        std::thread::spawn(move || {
            let mut file = std::fs::File::create(log).ok();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = listening(&line) {
                    let _ = tx.send(addr);
                }
                if let Some(f) = file.as_mut() {
                    let _ = writeln!(f, "{line}");
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!(
                    "the facade did not say it listens within 30 s; see {}",
                    dir.join("facade.log").display()
                )
            });
        Serve { child, addr }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn memory(&self) -> Memory {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        Memory {
            rss_kib: field("VmRSS:"),
            peak_kib: field("VmHWM:"),
        }
    }

    /// Resets the process's VmHWM to its current RSS (Linux ≥ 4.0); whether it could.
    fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid()), "5").is_ok()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address of the facade's `the SOAP facade is listening` JSON log line.
fn listening(line: &str) -> Option<SocketAddr> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    let fields = v.get("fields")?;
    if !fields.get("message")?.as_str()?.contains("listening") {
        return None;
    }
    fields.get("addr")?.as_str()?.parse().ok()
}
