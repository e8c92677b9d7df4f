//! Generated SOAP types reading a ~5 KB InsertCorrespondenceBasicV2 against raw quick-xml over
//! the same bytes, in the same run.
//!
//! The fixture (`fixtures/insert-correspondence-basic-v2.xml`) is hand-written in zeep's shape:
//! WS-Addressing headers, `soap-env:` and `ns0:` prefixes, a fresh `nsN` declaration on most
//! children of another namespace, a base64 attachment, escaped HTML, an `xsi:nil`.
//!
//! - `raw_quick_xml`: every event read with a namespace-resolving `NsReader`, nothing kept —
//!   the floor for any namespace-aware reader;
//! - `generated`: `Envelope::parse`, then `xml::parse` of the body and the generated
//!   `InsertCorrespondenceBasicV2` read from the tree (`xml::from_str` does the last two);
//! - `envelope_only` and `envelope_and_tree`: the first steps alone, to show where time goes.
//!
//! Run: `cargo bench -p altinn-bridge-examples --bench parse`. The throughput ratios are printed
//! at the end (aim: `generated` at 40% of raw or better).

use std::hint::black_box;
use std::time::{Duration, Instant};

use altinn_bridge_examples::generated::correspondence_agency_external_basic::soap::{
    self, InsertCorrespondenceBasicV2,
};
use altinn_bridge_runtime::quick_xml::NsReader;
use altinn_bridge_runtime::quick_xml::events::Event;
use altinn_bridge_runtime::soap::Envelope;
use altinn_bridge_runtime::xml::{self, XmlContent};
use criterion::{Criterion, Throughput, criterion_group};

const FIXTURE: &str = include_str!("fixtures/insert-correspondence-basic-v2.xml");

fn raw_read(xml: &str) -> usize {
    let mut reader = NsReader::from_str(xml);
    let mut events = 0;
    loop {
        match reader.read_resolved_event() {
            Ok((_, Event::Eof)) | Err(_) => return events,
            Ok(_) => events += 1,
        }
    }
}

fn generated(bytes: &[u8]) -> InsertCorrespondenceBasicV2 {
    let (ns, local) = soap::INSERT_CORRESPONDENCE_BASIC_V2;
    let envelope = Envelope::parse(bytes).expect("the envelope parses");
    xml::from_str(&envelope.body.xml, ns, local).expect("the request reads")
}

fn envelope_and_tree(bytes: &[u8]) -> xml::Element {
    let envelope = Envelope::parse(bytes).expect("the envelope parses");
    xml::parse(&envelope.body.xml).expect("the body parses")
}

fn bench(c: &mut Criterion) {
    let bytes = FIXTURE.as_bytes();
    let mut g = c.benchmark_group("insert_correspondence_basic_v2");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("raw_quick_xml", |b| b.iter(|| raw_read(black_box(FIXTURE))));
    g.bench_function("generated", |b| b.iter(|| generated(black_box(bytes))));
    g.bench_function("envelope_only", |b| {
        b.iter(|| Envelope::parse(black_box(bytes)))
    });
    g.bench_function("envelope_and_tree", |b| {
        b.iter(|| envelope_and_tree(black_box(bytes)))
    });
    g.finish();
}

/// Seconds per call of `f`, timed over 500 ms after a warm-up.
fn per_call(f: &dyn Fn()) -> f64 {
    for _ in 0..100 {
        f();
    }
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < Duration::from_millis(500) {
        f();
        n += 1;
    }
    start.elapsed().as_secs_f64() / f64::from(n)
}

/// The ratios, from timings taken here in one pass so they share one machine state.
fn ratios() {
    let bytes = FIXTURE.as_bytes();
    let request = generated(bytes);
    assert_eq!(request.external_shipment_reference, "EKS-2026-000471");
    let body_xml = Envelope::parse(bytes).expect("envelope").body.xml;
    let tree = xml::parse(&body_xml).expect("tree");
    let raw = per_call(&|| {
        black_box(raw_read(black_box(FIXTURE)));
    });
    let envelope = per_call(&|| {
        black_box(Envelope::parse(black_box(bytes)).ok());
    });
    let tree_only = per_call(&|| {
        black_box(xml::parse(black_box(&body_xml)).ok());
    });
    let read_only = per_call(&|| {
        black_box(InsertCorrespondenceBasicV2::read_content(black_box(&tree)).ok());
    });
    let all = per_call(&|| {
        black_box(generated(black_box(bytes)));
    });
    let mb_s = |secs: f64| bytes.len() as f64 / secs / 1e6;
    println!(
        "{} bytes: raw quick-xml {:.1} µs ({:.0} MB/s); generated {:.1} µs ({:.0} MB/s) = {:.0}% of raw throughput",
        bytes.len(),
        raw * 1e6,
        mb_s(raw),
        all * 1e6,
        mb_s(all),
        100.0 * raw / all
    );
    println!(
        "  where the time goes: Envelope::parse {:.1} µs, xml::parse of the body {:.1} µs, generated read_content {:.1} µs",
        envelope * 1e6,
        tree_only * 1e6,
        read_only * 1e6
    );
}

criterion_group!(benches, bench);

fn main() {
    benches();
    ratios();
    Criterion::default().configure_from_args().final_summary();
}
