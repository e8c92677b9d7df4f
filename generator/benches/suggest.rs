//! `suggest`'s cost against loading the same contracts, in the same run.
//!
//! - `corpus`: every corpus WSDL against all fifteen corpus specs at once (the contracts are
//!   loaded before timing; `load_corpus` times that load for the ratio).
//! - `synthetic`: a 120-operation WSDL against five synthetic 1 MB specs (YAML), made up here.
//!
//! Run: `cargo bench -p altinn-bridge --bench suggest`. The corpus comes from
//! `$ALTINN_BRIDGE_CORPUS` or `../shared/corpus`; without it only `synthetic` runs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::link::suggest;
use altinn_bridge::load::{self, Limits};
use altinn_bridge::model::{RestContract, SoapContract};
use criterion::{Criterion, criterion_group};

#[path = "synthetic.rs"]
mod synthetic;

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ALTINN_BRIDGE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    dir.is_dir().then_some(dir)
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every corpus WSDL and spec, loaded.
fn load_corpus(dir: &Path) -> (Vec<SoapContract>, Vec<RestContract>) {
    let mut sources = SourceMap::new();
    let limits = Limits::default();
    let soap = files(&dir.join("altinn2"), "wsdl")
        .iter()
        .map(|p| {
            load::wsdl::load(&mut sources, p, &limits)
                .expect("corpus WSDL loads")
                .value
        })
        .collect();
    let rest = files(&dir.join("altinn3"), "json")
        .iter()
        .map(|p| {
            load::openapi::load(&mut sources, p, &limits)
                .expect("corpus spec loads")
                .value
        })
        .collect();
    (soap, rest)
}

fn suggest_all(soap: &[SoapContract], rest: &[RestContract]) -> usize {
    let refs: Vec<&RestContract> = rest.iter().collect();
    soap.iter().map(|s| suggest::suggest(s, &refs).len()).sum()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("suggest");
    if let Some(dir) = corpus_dir() {
        let (soap, rest) = load_corpus(&dir);
        eprintln!("corpus: {} WSDLs against {} specs", soap.len(), rest.len());
        g.bench_function("load_corpus", |b| {
            b.iter(|| load_corpus(std::hint::black_box(&dir)).1.len())
        });
        g.bench_function("corpus", |b| {
            b.iter(|| suggest_all(std::hint::black_box(&soap), &rest))
        });
    } else {
        eprintln!("*** no corpus found: only the synthetic case runs ***");
    }
    let mut sources = SourceMap::new();
    let limits = Limits::default();
    sources.register_virtual("synthetic.wsdl", synthetic::wsdl(120));
    let soap = load::wsdl::load(&mut sources, Path::new("synthetic.wsdl"), &limits)
        .expect("the synthetic WSDL loads")
        .value;
    let rest: Vec<RestContract> = ["invoices", "orders", "shipments", "receipts", "customers"]
        .iter()
        .map(|noun| {
            let path = PathBuf::from(format!("{noun}.yaml"));
            sources.register_virtual(&path, synthetic::openapi_yaml(1_000_000, noun));
            load::openapi::load(&mut sources, &path, &limits)
                .expect("the synthetic spec loads")
                .value
        })
        .collect();
    eprintln!(
        "synthetic: {} operations against {} specs of {} endpoints",
        soap.operations.len(),
        rest.len(),
        rest.iter().map(|r| r.endpoints.len()).sum::<usize>()
    );
    g.bench_function("synthetic", |b| {
        b.iter(|| suggest_all(std::slice::from_ref(std::hint::black_box(&soap)), &rest))
    });
    g.finish();
}

/// Criterion's point estimate (mean, ns) for one benchmark of this run.
fn mean_ns(name: &str) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let path = target
        .join("criterion/suggest")
        .join(name)
        .join("new/estimates.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(10));
    targets = bench
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if let (Some(load), Some(all)) = (mean_ns("load_corpus"), mean_ns("corpus")) {
        println!(
            "suggest: corpus WSDLs against all specs {:.1} ms (contracts loaded), their load {:.1} ms, ratio {:.2}x",
            all / 1e6,
            load / 1e6,
            all / load
        );
    }
    if let Some(s) = mean_ns("synthetic") {
        println!(
            "suggest: 120 operations against five 1 MB specs {:.1} ms",
            s / 1e6
        );
    }
}
