//! Streams a file (1 GiB by default, generated on the fly, never held) through the facade both
//! ways and prints peak resident memory and throughput; fails if the peak passes 64 MB.
//!
//! The upload goes through a minimal hand-written MTOM facade (`tests/mtom_support`). The
//! downloads go through the runtime's own path (`tests/download_support`): the `Facade` server,
//! a service answering through `adapter::call_xml_answer` on a plan whose output is a
//! `Target::SoapBinary`, the executor's `get_stream`, and the answer writer, once as MTOM and
//! once as inline base64 (the client asked with plain SOAP).
//!
//! ```sh
//! cargo run --release -p altinn-bridge-facade --example mtom_memory [MiB]
//! ```
//!
//! Client, facade and upstream share this process, so the peak printed bounds the facade's own.

#[path = "../tests/download_support/mod.rs"]
mod download_support;
#[path = "../../tests/mtom_support/mod.rs"]
mod mtom_support;

use std::time::Instant;

use mtom_support::*;

const LIMIT_KIB: u64 = 64 * 1000 * 1000 / 1024; // 64 MB

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mib: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1024);
    let total = mib << 20;
    let (up, seen) = upstream().await;
    let facade = facade(up).await;
    let runtime_facade = download_support::facade(download_support::upstream().await).await;
    let (start_peak, start_rss) = memory_kib();

    let t = Instant::now();
    let (status, answer) = upload_through(facade, "ft-big", total, 42).await;
    let up_secs = t.elapsed().as_secs_f64();
    assert_eq!(status, 200, "upload failed: {answer}");
    let (up_peak, _) = memory_kib();

    let expected = generated_sha256(total, 42).await;
    let received = seen.uploads.lock().expect("lock").last().cloned();
    assert_eq!(
        received,
        Some(("ft-big".to_owned(), total, expected.clone()))
    );
    assert!(answer.contains(&expected));

    let reference = format!("{total}-42");
    let t = Instant::now();
    let answer = download_support::ask(runtime_facade, &reference, true).await;
    let mtom = download_support::read_mtom(answer).await.expect("MTOM");
    let mtom_secs = t.elapsed().as_secs_f64();
    let (mtom_peak, _) = memory_kib();
    assert_eq!(mtom, (total, expected.clone()));

    let t = Instant::now();
    let answer = download_support::ask(runtime_facade, &reference, false).await;
    let inline = download_support::read_inline(answer).await.expect("inline");
    let inline_secs = t.elapsed().as_secs_f64();
    let (peak, rss) = memory_kib();
    assert_eq!(inline, (total, expected));

    let rate = |secs: f64| mib as f64 / secs;
    println!("payload            {mib} MiB each way (sha256 equal at both ends)");
    println!("RSS at start       {start_rss} KiB (peak {start_peak} KiB)");
    println!(
        "upload             {up_secs:.2} s, {:.0} MiB/s, peak RSS {up_peak} KiB",
        rate(up_secs)
    );
    println!(
        "download (MTOM)    {mtom_secs:.2} s, {:.0} MiB/s, peak RSS {mtom_peak} KiB",
        rate(mtom_secs)
    );
    println!(
        "download (inline)  {inline_secs:.2} s, {:.0} MiB/s, peak RSS {peak} KiB",
        rate(inline_secs)
    );
    println!("RSS at end         {rss} KiB");
    assert!(
        peak < LIMIT_KIB,
        "peak RSS {peak} KiB is over 64 MB ({LIMIT_KIB} KiB)"
    );
    println!("peak RSS {:.1} MB < 64 MB: OK", peak as f64 * 1024.0 / 1e6);
}
