//! Loading cost against raw parsing, in the same run.
//!
//! `raw_parse` only parses the corpus bytes with the raw parsers (roxmltree for WSDL/XSD,
//! serde_json for OpenAPI); `load_model` builds the contract model from the same bytes (held in
//! memory for both, so disk I/O is not measured). The ratio of the two is printed at the end,
//! for the whole corpus (`ingest`) and per format: `ingest_wsdl` (WSDLs with their XSDs, raw
//! roxmltree), `ingest_openapi30` and `ingest_openapi31` (JSON specs, raw serde_json; 3.1 ones
//! also go through the normalising pass).
//!
//! `large_openapi` does the same for one synthetic OpenAPI document of about 1.2 MB (YAML, and the
//! same document as JSON), made up here (no corpus file is that large): raw `yaml_serde` /
//! `serde_json` parse against the whole load, whose spans come from a position index.
//!
//! After criterion's groups, an interleaved pass times raw parse and load alternately
//! (`ALTINN_BRIDGE_BENCH_ROUNDS` rounds, default 30; 0 skips it): on a shared machine its ratios
//! are the steadier ones.
//!
//! Run: `cargo bench -p altinn-bridge --bench load`. The corpus comes from
//! `$ALTINN_BRIDGE_CORPUS` or `../shared/corpus`; without it the embedded default is used.

use std::path::{Path, PathBuf};
use std::time::Duration;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::load::{self, Limits};
use altinn_bridge::{embedded, emit, link};
use criterion::{Criterion, criterion_group};

#[path = "synthetic.rs"]
mod synthetic;

/// Every file's path and text, plus the entry files the loader is given.
struct Inputs {
    files: Vec<(PathBuf, String)>,
    entries: Vec<PathBuf>,
    label: &'static str,
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ALTINN_BRIDGE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    dir.is_dir().then_some(dir)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("wsdl" | "xsd" | "json")
        ) {
            out.push(p);
        }
    }
}

fn inputs() -> Inputs {
    let Some(dir) = corpus_dir() else {
        eprintln!("*** no corpus found: benchmarking the embedded default instead ***");
        let files = embedded::FILES
            .iter()
            .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
            .collect();
        let entries = embedded::FILES
            .iter()
            .map(|(p, _)| PathBuf::from(p))
            .collect();
        return Inputs {
            files,
            entries,
            label: "embedded default",
        };
    };
    let mut paths = Vec::new();
    walk(&dir, &mut paths);
    paths.sort();
    let files: Vec<(PathBuf, String)> = paths
        .iter()
        .map(|p| {
            (
                p.clone(),
                std::fs::read_to_string(p).expect("corpus files are UTF-8"),
            )
        })
        .collect();
    // WSDLs pull in their imported XSDs; payload schemas that nothing imports load on their own.
    let entries = paths
        .iter()
        .filter(|p| {
            let ext = p.extension().and_then(|x| x.to_str());
            ext != Some("xsd") || p.components().any(|c| c.as_os_str() == "payload")
        })
        .cloned()
        .collect();
    Inputs {
        files,
        entries,
        label: "corpus",
    }
}

fn raw_parse(files: &[(PathBuf, String)]) -> usize {
    let mut nodes = 0;
    for (path, text) in files {
        let text = text.trim_start_matches('\u{feff}');
        if path.extension().and_then(|x| x.to_str()) == Some("json") {
            let v: serde_json::Value = serde_json::from_str(text).expect("corpus JSON parses");
            nodes += usize::from(v.is_object());
        } else {
            nodes += roxmltree::Document::parse(text)
                .expect("corpus XML parses")
                .descendants()
                .count();
        }
    }
    nodes
}

fn load_model(inputs: &Inputs) -> usize {
    let mut sources = SourceMap::new();
    for (path, text) in &inputs.files {
        sources.register_virtual(path.clone(), text.clone());
    }
    let loaded = load::load_paths(&mut sources, &inputs.entries, &Limits::default())
        .expect("the corpus loads");
    loaded.value.soap.len() + loaded.value.rest.len()
}

/// Every manifest under `mappings/` resolved against the same in-memory contracts, then the
/// docs rendered: what `altinn-bridge check` and `altinn-bridge docs` do.
fn check_and_docs(
    inputs: &Inputs,
    manifests: &[(PathBuf, String)],
    corpus: Option<&Path>,
) -> usize {
    let mut sources = SourceMap::new();
    for (path, text) in inputs.files.iter().chain(manifests) {
        sources.register_virtual(path.clone(), text.clone());
    }
    if corpus.is_none() {
        embedded::register(&mut sources);
    }
    let overrides = link::Overrides {
        contract_dirs: corpus.into_iter().map(Path::to_path_buf).collect(),
        ..Default::default()
    };
    let mut cache = link::ContractCache::default();
    let resolved: Vec<link::Resolved> = manifests
        .iter()
        .map(|(p, _)| {
            link::load_mapping_with(&mut cache, &mut sources, p, &overrides, &Limits::default())
                .expect("manifests resolve")
                .0
                .resolved
        })
        .collect();
    emit::docs::render(&resolved, None)
        .expect("docs render")
        .len()
}

fn manifests() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mappings");
    let mut v: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            let t = std::fs::read_to_string(&p).expect("manifest readable");
            (p, t)
        })
        .collect();
    v.sort();
    v
}

/// The raw parse and the full load of one large document, as YAML and as JSON.
fn bench_large(c: &mut Criterion) {
    let yaml = synthetic::openapi_yaml(1_200_000, "things");
    let value: serde_json::Value = yaml_serde::from_str(&yaml).expect("the synthetic YAML parses");
    let json = serde_json::to_string_pretty(&value).expect("serialises");
    let limits = Limits::default();
    let mut g = c.benchmark_group("large_openapi");
    for (name, text) in [("yaml", &yaml), ("json", &json)] {
        eprintln!("large_openapi/{name}: {} bytes", text.len());
        g.throughput(criterion::Throughput::Bytes(text.len() as u64));
        g.bench_function(format!("raw_parse_{name}"), |b| {
            b.iter(|| {
                let v: serde_json::Value = if name == "yaml" {
                    yaml_serde::from_str(std::hint::black_box(text)).expect("parses")
                } else {
                    serde_json::from_str(std::hint::black_box(text)).expect("parses")
                };
                v.is_object()
            })
        });
        g.bench_function(format!("load_{name}"), |b| {
            b.iter(|| {
                let mut sources = SourceMap::new();
                let path = PathBuf::from(format!("synthetic.{name}"));
                sources.register_virtual(&path, text.clone());
                load::openapi::load(&mut sources, &path, &limits)
                    .expect("the synthetic document loads")
                    .value
                    .endpoints
                    .len()
            })
        });
    }
    g.finish();
}

/// The corpus split by format: WSDL with its XSDs, OpenAPI 3.0 JSON, OpenAPI 3.1 JSON (the
/// corpus has no YAML; the synthetic document covers it). Each part keeps every file it needs.
fn by_format(inputs: &Inputs) -> Vec<(&'static str, Inputs)> {
    let is_json = |p: &Path| p.extension().is_some_and(|x| x == "json");
    let is_31 = |t: &str| {
        serde_json::from_str::<serde_json::Value>(t.trim_start_matches('\u{feff}'))
            .ok()
            .and_then(|v| v["openapi"].as_str().map(|v| v.starts_with("3.1")))
            .unwrap_or(false)
    };
    let part = |label: &'static str, keep: &dyn Fn(&Path, &str) -> bool| {
        let files: Vec<(PathBuf, String)> = inputs
            .files
            .iter()
            .filter(|(p, t)| keep(p, t))
            .cloned()
            .collect();
        let entries = inputs
            .entries
            .iter()
            .filter(|e| files.iter().any(|(p, _)| p == *e))
            .cloned()
            .collect();
        Inputs {
            files,
            entries,
            label,
        }
    };
    vec![
        ("wsdl", part("WSDL/XSD", &|p, _| !is_json(p))),
        (
            "openapi30",
            part("OpenAPI 3.0 JSON", &|p, t| is_json(p) && !is_31(t)),
        ),
        (
            "openapi31",
            part("OpenAPI 3.1 JSON", &|p, t| is_json(p) && is_31(t)),
        ),
    ]
}

/// The groups of `bench` that hold a raw parse and a load of the same bytes.
const PAIRS: [&str; 4] = [
    "ingest",
    "ingest_wsdl",
    "ingest_openapi30",
    "ingest_openapi31",
];

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let bytes: usize = inputs.files.iter().map(|(_, t)| t.len()).sum();
    eprintln!(
        "benchmarking the {}: {} files, {bytes} bytes",
        inputs.label,
        inputs.files.len()
    );
    for (name, part) in by_format(&inputs) {
        let bytes: usize = part.files.iter().map(|(_, t)| t.len()).sum();
        if part.entries.is_empty() {
            continue;
        }
        eprintln!(
            "ingest_{name}: {} ({} files, {bytes} bytes)",
            part.label,
            part.files.len()
        );
        let mut g = c.benchmark_group(format!("ingest_{name}"));
        g.throughput(criterion::Throughput::Bytes(bytes as u64));
        g.bench_function("raw_parse", |b| {
            b.iter(|| raw_parse(std::hint::black_box(&part.files)))
        });
        g.bench_function("load_model", |b| {
            b.iter(|| load_model(std::hint::black_box(&part)))
        });
        g.finish();
    }
    let mut g = c.benchmark_group("ingest");
    g.throughput(criterion::Throughput::Bytes(bytes as u64));
    g.bench_function("raw_parse", |b| {
        b.iter(|| raw_parse(std::hint::black_box(&inputs.files)))
    });
    g.bench_function("load_model", |b| {
        b.iter(|| load_model(std::hint::black_box(&inputs)))
    });
    let manifests = manifests();
    let corpus = corpus_dir();
    if !manifests.is_empty() {
        g.bench_function("check_and_docs", |b| {
            b.iter(|| check_and_docs(std::hint::black_box(&inputs), &manifests, corpus.as_deref()))
        });
    }
    g.finish();
}

/// Reads criterion's point estimate (mean, ns) for one benchmark of this run.
fn mean_ns(name: &str) -> Option<f64> {
    mean_ns_in("ingest", name)
}

/// Reads criterion's point estimate (mean, ns) for one benchmark of `group` in this run.
fn mean_ns_in(group: &str, name: &str) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let path = target
        .join("criterion")
        .join(group)
        .join(name)
        .join("new/estimates.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(5));
    targets = bench, bench_large
}

/// The CPU time this thread has run, in seconds (Linux: `/proc/thread-self/schedstat`). Other
/// builds on the same cores stretch wall time but barely this, so the ratios hold still.
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}

/// Raw parse and load timed alternately, `rounds` times each, for each part of the corpus and
/// the synthetic document: on a shared machine a burst of other work then hits both sides of a
/// pair alike, where criterion's groups, measured one after the other, can catch it on one side
/// only; and by CPU time where the system gives it. Prints the ratio of the minimums and the
/// median of the per-round ratios.
fn interleaved(rounds: usize) {
    use std::time::Instant;
    let inputs = inputs();
    let yaml = synthetic::openapi_yaml(1_200_000, "things");
    let value: serde_json::Value = yaml_serde::from_str(&yaml).expect("the synthetic YAML parses");
    let json = serde_json::to_string_pretty(&value).expect("serialises");
    let limits = Limits::default();
    let large = |name: &str, text: &str| {
        let path = PathBuf::from(format!("synthetic.{name}"));
        let mut sources = SourceMap::new();
        sources.register_virtual(&path, text.to_owned());
        load::openapi::load(&mut sources, &path, &limits)
            .expect("the synthetic document loads")
            .value
            .endpoints
            .len()
    };
    let large_raw = |name: &str, text: &str| -> bool {
        let v: serde_json::Value = if name == "yaml" {
            yaml_serde::from_str(text).expect("parses")
        } else {
            serde_json::from_str(text).expect("parses")
        };
        v.is_object()
    };
    type Case<'c> = (String, Box<dyn Fn() + 'c>, Box<dyn Fn() + 'c>);
    let parts = by_format(&inputs);
    let mut cases: Vec<Case<'_>> = Vec::new();
    for (name, part) in &parts {
        if part.entries.is_empty() {
            continue;
        }
        cases.push((
            format!("ingest_{name}"),
            Box::new(move || {
                std::hint::black_box(raw_parse(&part.files));
            }),
            Box::new(move || {
                std::hint::black_box(load_model(part));
            }),
        ));
    }
    let all = &inputs;
    cases.push((
        "ingest".into(),
        Box::new(move || {
            std::hint::black_box(raw_parse(&all.files));
        }),
        Box::new(move || {
            std::hint::black_box(load_model(all));
        }),
    ));
    for (name, text) in [("yaml", &yaml), ("json", &json)] {
        cases.push((
            format!("large_openapi ({name})"),
            Box::new(move || {
                std::hint::black_box(large_raw(name, text));
            }),
            Box::new(move || {
                std::hint::black_box(large(name, text));
            }),
        ));
    }
    let clock = if thread_cpu_secs().is_some() {
        "CPU time of this thread"
    } else {
        "wall time"
    };
    println!("interleaved pass: {clock}");
    // The CPU clock advances in scheduler ticks (a few ms): each sample is a batch of calls
    // long enough (about 50 ms) for a tick to be a small error.
    let time = |f: &dyn Fn(), batch: usize| {
        let (wall, cpu) = (Instant::now(), thread_cpu_secs());
        for _ in 0..batch {
            f();
        }
        match (cpu, thread_cpu_secs()) {
            (Some(a), Some(b)) => (b - a) / batch as f64,
            _ => wall.elapsed().as_secs_f64() / batch as f64,
        }
    };
    for (name, raw, load) in &cases {
        let (mut raws, mut loads, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        load();
        let t = Instant::now();
        raw();
        let batch = (0.05 / t.elapsed().as_secs_f64().max(1e-6)).ceil() as usize;
        for _ in 0..rounds {
            let (r, l) = (time(raw.as_ref(), batch), time(load.as_ref(), batch));
            raws.push(r);
            loads.push(l);
            ratios.push(l / r);
        }
        let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
        ratios.sort_by(f64::total_cmp);
        println!(
            "interleaved {name}: raw min {:.2} ms, load min {:.2} ms, ratio of minimums {:.2}x, median ratio {:.2}x ({rounds} rounds)",
            min(&raws) * 1e3,
            min(&loads) * 1e3,
            min(&loads) / min(&raws),
            ratios[rounds / 2]
        );
    }
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    for syntax in ["yaml", "json"] {
        let raw = mean_ns_in("large_openapi", &format!("raw_parse_{syntax}"));
        let load = mean_ns_in("large_openapi", &format!("load_{syntax}"));
        if let (Some(raw), Some(load)) = (raw, load) {
            println!(
                "large_openapi ({syntax}): raw parse {:.2} ms, load {:.2} ms, ratio load/raw = {:.2}x",
                raw / 1e6,
                load / 1e6,
                load / raw
            );
        }
    }
    for group in PAIRS {
        let raw = mean_ns_in(group, "raw_parse");
        let model = mean_ns_in(group, "load_model");
        if let (Some(raw), Some(model)) = (raw, model) {
            println!(
                "{group}: raw_parse {:.2} ms, load_model {:.2} ms, ratio load/raw = {:.2}x",
                raw / 1e6,
                model / 1e6,
                model / raw
            );
        }
    }
    if let (Some(raw), Some(model)) = (mean_ns("raw_parse"), mean_ns("load_model")) {
        if let Some(link) = mean_ns("check_and_docs") {
            println!(
                "link: check_and_docs {:.2} ms over all manifests (it loads only the contracts they name), \
                 ratio to raw_parse of the whole corpus = {:.2}x, to load_model = {:.2}x",
                link / 1e6,
                link / raw,
                link / model
            );
        }
    }
    // `ALTINN_BRIDGE_BENCH_ROUNDS=0` skips the interleaved pass.
    let rounds = std::env::var("ALTINN_BRIDGE_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    if rounds > 0 {
        interleaved(rounds);
    }
}
