//! Envelope parsing against raw quick-xml over the same bytes, in the same run.
//!
//! `raw_quick_xml` reads every event of a ~5 KB node-soap-shaped InsertCorrespondence envelope
//! with a namespace-resolving quick-xml reader and does nothing else; `envelope_parse` is
//! [`Envelope::parse`]; `envelope_then_body` adds a raw read of the cut body, the least that
//! generated types do after the envelope. Ratios are printed at the end.
//!
//! Run: `cargo bench -p altinn-bridge-runtime --bench envelope`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use altinn_bridge_runtime::quick_xml::NsReader;
use altinn_bridge_runtime::quick_xml::events::Event;
use altinn_bridge_runtime::soap::Envelope;
use criterion::{Criterion, criterion_group};

/// A node-soap-shaped InsertCorrespondenceBasicV2 of about 5 KB.
fn envelope() -> String {
    let mut notifications = String::new();
    for i in 0..12 {
        notifications.push_str(&format!(
            "<q13:Notification><q13:FromAddress>no-reply@altinn.no</q13:FromAddress><q13:ShipmentDateTime>2026-11-24T12:00:0{}Z</q13:ShipmentDateTime><q13:LanguageCode>1044</q13:LanguageCode><q13:NotificationType>VarselDPVUtenRevarsel</q13:NotificationType><q13:TextTokens><q13:TextToken><q13:TokenNum>{i}</q13:TokenNum><q13:TokenValue>Du har fått en melding &amp; et varsel</q13:TokenValue></q13:TextToken></q13:TextTokens></q13:Notification>",
            i % 10
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:tns="http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10" xmlns:q13="http://schemas.altinn.no/services/ServiceEngine/Correspondence/2010/10"><soap:Body><InsertCorrespondenceBasicV2 xmlns="http://www.altinn.no/services/ServiceEngine/Correspondence/2009/10"><SystemUserCode>sys</SystemUserCode><ExternalShipmentReference>ref-4711</ExternalShipmentReference><Correspondence><q13:ServiceCode>4711</q13:ServiceCode><q13:ServiceEdition>1</q13:ServiceEdition><q13:Reportee>910000000</q13:Reportee><q13:Content><q13:LanguageCode>1044</q13:LanguageCode><q13:MessageTitle>Tittel</q13:MessageTitle><q13:MessageBody>&lt;p&gt;Hei&lt;/p&gt;</q13:MessageBody></q13:Content><q13:Notifications>{notifications}</q13:Notifications></Correspondence></InsertCorrespondenceBasicV2></soap:Body></soap:Envelope>"#
    )
}

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

fn bench(c: &mut Criterion) {
    let xml = envelope();
    let mut group = c.benchmark_group(format!("envelope_{}_bytes", xml.len()));
    group.bench_function("raw_quick_xml", |b| b.iter(|| raw_read(black_box(&xml))));
    group.bench_function("envelope_parse", |b| {
        b.iter(|| Envelope::parse(black_box(xml.as_bytes())))
    });
    group.bench_function("envelope_then_body", |b| {
        b.iter(|| Envelope::parse(black_box(xml.as_bytes())).map(|e| raw_read(&e.body.xml)))
    });
    group.finish();
}

/// Throughput of `envelope_parse` and `envelope_then_body` relative to the raw reader, timed
/// here directly so the ratio comes from one run on one machine state.
fn ratios() {
    let xml = envelope();
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < Duration::from_millis(300) {
            f();
            n += 1;
        }
        start.elapsed().as_secs_f64() / f64::from(n)
    };
    let raw = time(&|| {
        black_box(raw_read(black_box(&xml)));
    });
    let env = time(&|| {
        black_box(Envelope::parse(black_box(xml.as_bytes())).ok());
    });
    let both = time(&|| {
        black_box(
            Envelope::parse(black_box(xml.as_bytes()))
                .map(|e| raw_read(&e.body.xml))
                .ok(),
        );
    });
    println!(
        "{} bytes: raw {:.1} µs; envelope_parse {:.1} µs ({:.0}% of raw throughput); envelope_then_body {:.1} µs ({:.0}%)",
        xml.len(),
        raw * 1e6,
        env * 1e6,
        100.0 * raw / env,
        both * 1e6,
        100.0 * raw / both
    );
}

criterion_group!(benches, bench);

fn main() {
    benches();
    ratios();
    Criterion::default().configure_from_args().final_summary();
}
