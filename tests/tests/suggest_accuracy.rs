//! `suggest` measured, on two sets kept apart:
//!
//! - the **tuning set**: the curated manifests in `mappings/` (what the ranking was tuned on);
//! - the **unseen set**: the five services added to the corpus for issue 13, scored against
//!   `tests/suggest-eval/unseen/expected.toml` (successors written down from Altinn's docs before
//!   any ranking ran on them; never tuned on).
//!
//! Each set is ranked against its own spec(s) ("one") and against every Altinn 3 spec of the corpus
//! at once ("all"). Reported: p@1 and p@3 over the operations with a successor, abstention
//! precision and recall over the operations without one, and how many drafts `check` accepts.
//! The asserts hold what must never happen (a destructive call for a read-only operation, a
//! draft `check` refuses, a ping that gets a call) and keep the tuning figures from sliding; the
//! unseen figures are printed for the record, not asserted to a target.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use altinn_bridge::diag::SourceMap;
use altinn_bridge::link::suggest::{self, intent::Intent};
use altinn_bridge::link::{self, Overrides};
use altinn_bridge::load::{self, Limits};
use altinn_bridge::model::{HttpMethod, RestContract, SoapContract};
use altinn_bridge_tests::require_corpus;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn manifests() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(workspace().join("mappings"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

/// What is right for one operation: any of these calls at top-1, or `None`: no successor.
type Truth = BTreeMap<String, Option<Vec<String>>>;

/// One service to rank: its WSDL and specs (by path), and the truth.
struct Case {
    name: String,
    wsdl: PathBuf,
    specs: Vec<PathBuf>,
    truth: Truth,
}

/// The figures of one set.
#[derive(Default, Debug)]
struct Figures {
    top1: usize,
    top3: usize,
    with_successor: usize,
    abstained_right: usize,
    abstained: usize,
    without_successor: usize,
    drafts_passing: usize,
    drafts: usize,
    destructive_for_reads: Vec<String>,
    pings_with_a_call: Vec<String>,
    misses: Vec<String>,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p@1 {}/{}, p@3 {}/{}, abstention precision {}/{} recall {}/{}, check-pass {}/{}",
            self.top1,
            self.with_successor,
            self.top3,
            self.with_successor,
            self.abstained_right,
            self.abstained,
            self.abstained_right,
            self.without_successor,
            self.drafts_passing,
            self.drafts
        )
    }
}

fn load_soap(sources: &mut SourceMap, path: &Path) -> SoapContract {
    load::wsdl::load(sources, path, &Limits::default())
        .unwrap_or_else(|d| panic!("{}", sources.render_all(&d)))
        .value
}

fn load_rest(sources: &mut SourceMap, path: &Path) -> RestContract {
    load::openapi::load(sources, path, &Limits::default())
        .unwrap_or_else(|d| panic!("{}", sources.render_all(&d)))
        .value
}

fn all_specs(corpus: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(corpus.join("altinn3"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

/// The file named `name` under `dir`.
fn find(dir: &Path, name: &str) -> PathBuf {
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.file_name().is_some_and(|n| n == name) {
                return p;
            }
        }
    }
    panic!("no {name} under {}", dir.display())
}

/// The services of the unseen set (`expected.toml`): their curated manifests, written after
/// the unseen figures were taken, stay out of the tuning set.
fn unseen_services() -> BTreeSet<String> {
    let text = std::fs::read_to_string(workspace().join("tests/suggest-eval/unseen/expected.toml"))
        .unwrap();
    let t: toml::Value = toml::from_str(&text).unwrap();
    t["op"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| op["service"].as_str().unwrap().to_owned())
        .collect()
}

/// The tuning set: each curated manifest's WSDL and specs from the corpus, its calls as truth
/// (the manifests of unseen services left out).
fn tuning(corpus: &Path, all: bool) -> Vec<Case> {
    let unseen = unseen_services();
    manifests()
        .into_iter()
        .filter_map(|m| {
            let text = std::fs::read_to_string(&m).unwrap();
            let t: toml::Value = toml::from_str(&text).unwrap();
            if unseen.contains(t["api"].as_str().unwrap()) {
                return None;
            }
            let file = |v: &toml::Value| {
                let p = v
                    .as_str()
                    .or_else(|| v.get("path").and_then(|p| p.as_str()))
                    .unwrap();
                find(corpus, Path::new(p).file_name().unwrap().to_str().unwrap())
            };
            let wsdl = file(&t["sources"]["wsdl"]);
            let specs = if all {
                all_specs(corpus)
            } else {
                t["sources"]["openapi"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(file)
                    .collect()
            };
            let mut truth = Truth::new();
            for o in t["operations"].as_array().unwrap() {
                let calls = o.get("calls").and_then(|c| c.as_array()).map(|cs| {
                    cs.iter()
                        .map(|c| c["endpoint"].as_str().unwrap().to_owned())
                        .collect()
                });
                truth.insert(o["soap"].as_str().unwrap().to_owned(), calls);
            }
            Some(Case {
                name: m.file_stem().unwrap().to_string_lossy().into_owned(),
                wsdl,
                specs,
                truth,
            })
        })
        .collect()
}

/// The unseen set: `expected.toml`, one case per service.
fn unseen(corpus: &Path, all: bool) -> Vec<Case> {
    let text = std::fs::read_to_string(workspace().join("tests/suggest-eval/unseen/expected.toml"))
        .unwrap();
    let t: toml::Value = toml::from_str(&text).unwrap();
    let mut by: BTreeMap<String, (Truth, Option<String>)> = BTreeMap::new();
    for op in t["op"].as_array().unwrap() {
        let service = op["service"].as_str().unwrap().to_owned();
        let entry = by.entry(service).or_default();
        let want = match &op["expect"] {
            toml::Value::String(s) if s == "none" => None,
            v => Some(
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e.as_str().unwrap().to_owned())
                    .collect(),
            ),
        };
        if want.is_some() && entry.1.is_none() {
            entry.1 = op.get("spec").and_then(|s| s.as_str()).map(str::to_owned);
        }
        entry
            .0
            .insert(op["operation"].as_str().unwrap().to_owned(), want);
    }
    by.into_iter()
        .map(|(service, (truth, spec))| Case {
            wsdl: corpus
                .join("altinn2")
                .join(&service)
                .join(format!("{service}.wsdl")),
            specs: match (all, spec) {
                (false, Some(s)) => vec![corpus.join("altinn3").join(s)],
                _ => all_specs(corpus),
            },
            name: service,
            truth,
        })
        .collect()
}

/// Ranks every case, drafts a manifest for each and checks it.
fn measure(cases: &[Case]) -> Figures {
    let mut f = Figures::default();
    for case in cases {
        let mut sources = SourceMap::new();
        let soap = load_soap(&mut sources, &case.wsdl);
        let rest: Vec<RestContract> = case
            .specs
            .iter()
            .map(|p| load_rest(&mut sources, p))
            .collect();
        let refs: Vec<&RestContract> = rest.iter().collect();
        let ranked = suggest::suggest(&soap, &refs);
        score(case, &ranked, &refs, &mut f);
        f.drafts += 1;
        match check_draft(case, &soap, &refs) {
            Ok(()) => f.drafts_passing += 1,
            Err(e) => f
                .misses
                .push(format!("{}: draft refused by check:\n{e}", case.name)),
        }
    }
    f
}

fn score(case: &Case, ranked: &[suggest::Suggestion], rest: &[&RestContract], f: &mut Figures) {
    for s in ranked {
        let intent = Intent::of_operation(&s.operation);
        let proposed = s
            .no_successor
            .is_none()
            .then(|| s.candidates.first())
            .flatten();
        if let Some(c) = proposed {
            let method = rest[c.api]
                .endpoints
                .iter()
                .find(|e| e.id.0 == c.endpoint)
                .map(|e| (e.method, e.path.clone()));
            let destructive = method.as_ref().is_some_and(|(m, p)| {
                suggest::intent::destructive(*m, p)
                    || (*m != HttpMethod::Get && *m != HttpMethod::Post)
            });
            if intent.read_only() && destructive {
                f.destructive_for_reads
                    .push(format!("{}.{} → {}", case.name, s.operation, c.endpoint));
            }
            if intent == Intent::Ping {
                f.pings_with_a_call
                    .push(format!("{}.{}", case.name, s.operation));
            }
        }
        let Some(want) = case.truth.get(&s.operation) else {
            continue;
        };
        match want {
            None => {
                f.without_successor += 1;
                if proposed.is_none() {
                    f.abstained += 1;
                    f.abstained_right += 1;
                } else {
                    f.misses.push(format!(
                        "{}.{}: expected no successor, got {}",
                        case.name,
                        s.operation,
                        proposed.map(|c| c.endpoint.as_str()).unwrap_or("-")
                    ));
                }
            }
            Some(calls) => {
                f.with_successor += 1;
                let right = |e: &str| calls.iter().any(|c| c == e);
                if proposed.is_none() {
                    f.abstained += 1;
                }
                let top1 = proposed.is_some_and(|c| right(&c.endpoint));
                let top3 = s.candidates.iter().take(3).any(|c| right(&c.endpoint));
                f.top1 += usize::from(top1);
                f.top3 += usize::from(top3);
                if !top1 {
                    f.misses.push(format!(
                        "{}.{}: expected {:?}, got {}",
                        case.name,
                        s.operation,
                        calls.first(),
                        match proposed {
                            Some(c) => format!("{} ({:.3})", c.endpoint, c.score),
                            None => format!(
                                "no successor ({})",
                                s.no_successor.as_deref().unwrap_or("")
                            ),
                        }
                    ));
                }
            }
        }
    }
}

/// The draft for `case`, resolved as a manifest (as `altinn-bridge check` does).
fn check_draft(case: &Case, soap: &SoapContract, rest: &[&RestContract]) -> Result<(), String> {
    let specs: Vec<String> = case
        .specs
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let draft = suggest::draft(soap, rest, &case.wsdl.to_string_lossy(), &specs);
    let mut sources = SourceMap::new();
    let path = std::env::temp_dir().join(format!(
        "suggest-draft-{}-{}.toml",
        std::process::id(),
        case.name
    ));
    sources.register_virtual(&path, draft.clone());
    link::load_mapping(
        &mut sources,
        &path,
        &Overrides::default(),
        &Limits::default(),
    )
    .map(|_| ())
    .map_err(|d| format!("{}\n{draft}", sources.render_all(&d)))
}

fn report(label: &str, f: &Figures) {
    println!("{label}: {f}");
    for m in &f.misses {
        println!("    {m}");
    }
}

fn invariants(label: &str, f: &Figures) {
    assert!(
        f.destructive_for_reads.is_empty(),
        "{label}: destructive calls for read-only operations: {:#?}",
        f.destructive_for_reads
    );
    assert!(
        f.pings_with_a_call.is_empty(),
        "{label}: pings given a call: {:#?}",
        f.pings_with_a_call
    );
    assert_eq!(
        f.drafts_passing, f.drafts,
        "{label}: drafts check refuses: {:#?}",
        f.misses
    );
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn on_the_tuning_set_the_ranking_holds_and_every_draft_passes_check() {
    let corpus = require_corpus("on_the_tuning_set_the_ranking_holds_and_every_draft_passes_check");
    for all in [false, true] {
        let label = if all {
            "tuning, all specs"
        } else {
            "tuning, own specs"
        };
        let f = measure(&tuning(&corpus, all));
        report(label, &f);
        invariants(label, &f);
        // Floors at the figures reached when the ranking was tuned (30/34 and 29/34 top-1,
        // 12/14 and 10/14 abstentions), less one: a change that loses more is a regression.
        assert!(f.top1 + 5 >= f.with_successor, "{label}: {f}");
        assert!(f.abstained_right + 4 >= f.without_successor, "{label}: {f}");
        assert_eq!(
            f.abstained_right, f.abstained,
            "{label}: abstained on an operation that has a successor: {f}"
        );
    }
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn on_the_unseen_set_no_draft_is_refused_and_no_read_gets_a_destructive_call() {
    let corpus =
        require_corpus("on_the_unseen_set_no_draft_is_refused_and_no_read_gets_a_destructive_call");
    for all in [false, true] {
        let label = if all {
            "unseen, all specs"
        } else {
            "unseen, one spec"
        };
        let f = measure(&unseen(&corpus, all));
        report(label, &f);
        invariants(label, &f);
    }
}

/// Scores are comparable across specs: ranking against all specs at once puts the same
/// candidates in the same order, with the same scores, as ranking against each spec alone.
#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn scores_do_not_depend_on_the_other_specs_of_the_run() {
    let corpus = require_corpus("scores_do_not_depend_on_the_other_specs_of_the_run");
    let mut sources = SourceMap::new();
    let soap = load_soap(
        &mut sources,
        &corpus.join(
            "altinn2/CorrespondenceAgencyExternalBasic/CorrespondenceAgencyExternalBasic.wsdl",
        ),
    );
    let specs = all_specs(&corpus);
    let rest: Vec<RestContract> = specs.iter().map(|p| load_rest(&mut sources, p)).collect();
    let all: Vec<&RestContract> = rest.iter().collect();
    let together = suggest::suggest(&soap, &all);
    for (i, r) in rest.iter().enumerate() {
        let alone = suggest::suggest(&soap, &[r]);
        for (t, a) in together.iter().zip(&alone) {
            let from_t: Vec<(String, f64)> = t
                .candidates
                .iter()
                .filter(|c| c.api == i)
                .map(|c| (c.endpoint.clone(), c.score))
                .collect();
            let from_a: Vec<(String, f64)> = a
                .candidates
                .iter()
                .take(from_t.len())
                .map(|c| (c.endpoint.clone(), c.score))
                .collect();
            assert_eq!(from_t, from_a, "{}: spec {}", t.operation, r.title);
        }
    }
}

/// The first unseen pair (Norwegian names, written for the project): sending creates,
/// fetching reads, withdrawing deletes.
#[test]
fn on_an_unseen_pair_the_ranking_is_sensible() {
    let dir = workspace().join("generator/tests/fixtures/unseen");
    let mut sources = SourceMap::new();
    let soap = load_soap(&mut sources, &dir.join("Innsendingstjeneste.wsdl"));
    let rest = load_rest(&mut sources, &dir.join("innsending-api.yaml"));
    let ranked = suggest::suggest(&soap, &[&rest]);
    let names: BTreeSet<&str> = soap.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(ranked.len(), names.len());
    for s in &ranked {
        assert!(
            s.candidates.windows(2).all(|w| w[0].score >= w[1].score),
            "{}: not sorted",
            s.operation
        );
    }
    let top = |op: &str| {
        let s = ranked.iter().find(|s| s.operation == op).unwrap();
        println!(
            "unseen: {op} -> {:?} ({:?})",
            s.candidates.first(),
            s.no_successor
        );
        s.candidates[0].endpoint.clone()
    };
    for op in ["SendInnMelding", "HentStatus"] {
        let s = ranked.iter().find(|s| s.operation == op).unwrap();
        assert!(s.no_successor.is_none(), "{op}: {:?}", s.no_successor);
    }
    assert_eq!(top("SendInnMelding"), "POST /v2/submissions");
    assert_eq!(top("HentStatus"), "GET /v2/submissions/{submissionId}");
    assert_eq!(
        top("TrekkTilbakeMelding"),
        "DELETE /v2/submissions/{submissionId}"
    );
}

#[test]
fn the_draft_of_the_unseen_pair_passes_check_with_credentials_under_auth() {
    let dir = workspace().join("generator/tests/fixtures/unseen");
    let (wsdl, openapi) = (
        dir.join("Innsendingstjeneste.wsdl"),
        dir.join("innsending-api.yaml"),
    );
    let mut sources = SourceMap::new();
    let soap = load_soap(&mut sources, &wsdl);
    let rest = load_rest(&mut sources, &openapi);
    let draft = suggest::draft(
        &soap,
        &[&rest],
        "Innsendingstjeneste.wsdl",
        &["innsending-api.yaml".to_owned()],
    );
    // The old credentials are recognised as such, not dropped as unknown fields.
    assert!(draft.contains("old = \"system-user-password\""), "{draft}");
    assert!(draft.contains("\"Avsenderinfo/passord\""), "{draft}");
    let path = dir.join("draft.toml");
    sources.register_virtual(&path, draft.clone());
    if let Err(d) = link::load_mapping(
        &mut sources,
        &path,
        &Overrides::default(),
        &Limits::default(),
    ) {
        panic!(
            "check refuses the draft:\n{}\n{draft}",
            sources.render_all(&d)
        );
    }
}

/// A second pair, written by someone who had not seen the ranking code, with the expected
/// successors written down first (`expected.toml`); it is not tuned on. Before the ranking was
/// reworked (no abstention) its top-1 was right for 5 of 6. Now the ranking's first candidate
/// is right for 4 of 6, and the abstention threshold (calibrated on the curated manifests)
/// withholds two of those (2 of 6 proposed): its Norwegian nouns and verbs (`deklarasjon`,
/// `kansellere`) are not in the vocabulary, so no name evidence is found. Recorded as measured, not tuned away; this keeps
/// the ranking from getting worse still.
#[test]
fn an_independently_written_pair_ranks_at_least_four_of_six() {
    let dir = workspace().join("generator/tests/fixtures/unseen2");
    let mut sources = SourceMap::new();
    let soap = load_soap(&mut sources, &dir.join("Tollforvaltning.wsdl"));
    let rest = load_rest(&mut sources, &dir.join("toll-api.yaml"));
    let expected = std::fs::read_to_string(dir.join("expected.toml")).unwrap();
    let ranked = suggest::suggest(&soap, &[&rest]);
    let (mut ranked_first, mut proposed, mut total) = (0, 0, 0);
    for line in expected
        .lines()
        .filter(|l| l.contains(" = \"") && !l.trim_start().starts_with('#'))
    {
        let (op, want) = line.split_once('=').unwrap();
        let (op, want) = (op.trim(), want.trim().trim_matches('"'));
        let s = ranked.iter().find(|s| s.operation == op).unwrap();
        let first = s.candidates.first().map(|c| c.endpoint.as_str());
        println!(
            "unseen2: {op} -> {first:?}, no successor: {:?} (expected {want})",
            s.no_successor
        );
        if want == "none" {
            assert!(s.no_successor.is_some(), "{op}: expected no successor");
            continue;
        }
        total += 1;
        ranked_first += usize::from(first == Some(want));
        proposed += usize::from(first == Some(want) && s.no_successor.is_none());
    }
    println!("unseen2: ranked first {ranked_first}/{total}, proposed {proposed}/{total}");
    assert_eq!(total, 6);
    assert!(ranked_first >= 4, "{ranked_first}/{total}");
}
