//! A seeded fuzz loop (no cargo-fuzz) that runs in CI for a bounded number of iterations:
//!
//! - scenario parsing: valid scenarios (the presets and generated ones) mutated by random
//!   structural edits, then serialised and sometimes truncated or garbled, go through
//!   `Scenario::from_json_text`, which must never panic and must report every problem on a line
//!   that starts with a JSON path into the input (or `(file)` / `(scenario)`) and `": "`;
//!   inputs that still parse are run for a bounded number of events;
//! - the `Simulation` API: random sequences of `advance_to` (forwards and backwards), `inject`
//!   (valid and invalid faults), `drain_events`, `trace_hash`, `check_expectations` and the views,
//!   which must never panic and must return errors exactly for the invalid calls.
//!
//! The corpus in `tests/fuzz-corpus/` is always replayed first. Budget: `LIVENESS_FUZZ_ITERS`
//! iterations (default [`DEFAULT_ITERS`], about 20 s in `cargo test --release` on two cores);
//! `LIVENESS_FUZZ_SEED` changes the seed; `LIVENESS_FUZZ_SAVE=DIR` saves small inputs that
//! produce a new kind of error message there (how the corpus was grown).

mod generate;
mod mutate;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use liveness::mesos::metrics::METRIC_NAMES;
use liveness::mesos::types::{AgentIx, AgentState, MasterView};
use liveness::presets::PRESETS;
use liveness::rng::Rng;
use liveness::scenario::{InvalidInput, Scenario};
use liveness::sim::Simulation;
use liveness::time::{Time, MILLIS, SECS};
use liveness::trace::{Stamped, EVENT_FIELDS};
use mutate::{mutate, pick, to_text};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Map, Value};

/// Parsing iterations unless `LIVENESS_FUZZ_ITERS` says otherwise (API sequences get a tenth):
/// about 20 s in `cargo test --release`; an unoptimised build does an eighth.
const DEFAULT_ITERS: u64 = 120_000;
/// Events a parsed-and-valid mutant may run before we stop it.
const EVENT_BUDGET: u64 = 20_000;

fn iters() -> u64 {
    std::env::var("LIVENESS_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            DEFAULT_ITERS / 8
        } else {
            DEFAULT_ITERS
        })
}

fn base_seed() -> u64 {
    std::env::var("LIVENESS_FUZZ_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0x5eed_1e55)
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus")
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(non-string panic)".to_string())
}

/// Shows an input in a failure message (huge inputs are cut; the whole one is saved).
fn show(text: &str) -> String {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failure.json");
    let _ = std::fs::write(&path, text);
    let cut: String = text.chars().take(4_000).collect();
    let more = if cut.len() < text.len() {
        format!("\n… ({} bytes in all)", text.len())
    } else {
        String::new()
    };
    format!("{cut}{more}\n(the whole input is in {})", path.display())
}

// ---- the error-line check -------------------------------------------------------------------

/// A key as error lines show it: control characters escaped, so a problem stays on one line.
fn escaped(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Whether `path` (the part of an error line before its ": ") names a place in `doc`: existing
/// keys and indices all the way, except that the last key may be missing (a required field)
/// when its parent is an object.
fn resolves(doc: &Value, path: &str) -> bool {
    fn key_then(map: &Map<String, Value>, rest: &str) -> bool {
        // Keys may contain '.', '[' or ": ", so try every key that the rest starts with.
        for (k, v) in map {
            if let Some(after) = rest.strip_prefix(escaped(k).as_str()) {
                let boundary = after.is_empty() || after.starts_with('.') || after.starts_with('[');
                if boundary && walk(v, after) {
                    return true;
                }
            }
        }
        // A missing (required) field: a plain name, last in the path.
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    }
    fn walk(v: &Value, rest: &str) -> bool {
        if rest.is_empty() {
            return true;
        }
        if let Some(r) = rest.strip_prefix('[') {
            let Some(close) = r.find(']') else {
                return false;
            };
            let Ok(i) = r[..close].parse::<usize>() else {
                return false;
            };
            return match v {
                Value::Array(items) => items.get(i).is_some_and(|x| walk(x, &r[close + 1..])),
                _ => false,
            };
        }
        if let Some(r) = rest.strip_prefix('.') {
            return match v {
                Value::Object(map) => key_then(map, r),
                _ => false,
            };
        }
        false
    }
    match doc {
        Value::Object(map) => key_then(map, path),
        _ => false,
    }
}

/// Checks every problem of an `InvalidInput` for a document `doc` (`None` when the text was not
/// JSON): there is at least one, each is a single line (no control characters), and each starts
/// with `(file): ` (only for text that is not JSON), `(scenario): ` or a path into the document
/// (rooted at `root`, which is `""` for a scenario and `"fault"` for an injected fault) followed
/// by `": "`.
fn check_problems(e: &InvalidInput, doc: Option<&Value>, root: &str) -> Result<(), String> {
    if e.problems.is_empty() {
        return Err("an error with no problem in it".to_string());
    }
    for p in &e.problems {
        if p.chars().any(char::is_control) {
            return Err(format!("the problem {p:?} is not a single line"));
        }
        let ok = match doc {
            None => p.starts_with("(file): "),
            Some(doc) if root.is_empty() => {
                p.starts_with("(scenario): ")
                    || p.match_indices(": ").any(|(i, _)| resolves(doc, &p[..i]))
            }
            Some(doc) => {
                let mut wrapped = Map::new();
                wrapped.insert(root.to_string(), doc.clone());
                let wrapped = Value::Object(wrapped);
                p.match_indices(": ")
                    .any(|(i, _)| resolves(&wrapped, &p[..i]))
            }
        };
        if !ok {
            return Err(format!(
                "the error line {p:?} does not start with a JSON path into the input \
                 (or (file)/(scenario)) and \": \""
            ));
        }
    }
    Ok(())
}

// ---- parsing ----------------------------------------------------------------------------------

/// Feeds one text to the parser. Returns the scenario if it was valid.
fn parse_one(text: &str) -> Result<Option<Scenario>, String> {
    let parsed = catch_unwind(AssertUnwindSafe(|| Scenario::from_json_text(text)))
        .map_err(|p| format!("from_json_text panicked: {}", panic_text(p)))?;
    match parsed {
        Ok(s) => Ok(Some(s)),
        Err(e) => {
            let doc: Option<Value> = serde_json::from_str(text).ok();
            check_problems(&e, doc.as_ref(), "")?;
            Ok(None)
        }
    }
}

/// Runs a valid scenario for at most [`EVENT_BUDGET`] events (one instant at a time), checking
/// that it never panics and time never goes back.
fn run_bounded(s: &Scenario) -> Result<(), String> {
    if s.agents.len() > 200 || s.task_count() > 5_000 {
        return Ok(());
    }
    catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
        let mut sim = Simulation::new(s).map_err(|e| format!("Simulation::new: {e}"))?;
        while let Some(t) = sim.next_event_time() {
            if t > s.duration || sim.events_processed() > EVENT_BUDGET {
                break;
            }
            let before = sim.now();
            sim.advance_to(t).map_err(|e| format!("advance_to: {e}"))?;
            if sim.now() < before {
                return Err("time went backwards".to_string());
            }
        }
        sim.trace_hash();
        sim.check_expectations();
        Ok(())
    }))
    .map_err(|p| format!("running it panicked: {}", panic_text(p)))?
}

/// A generated valid scenario from a seed (the same generator as the property tests).
fn generated(seed: u64) -> Value {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    generate::any_gen()
        .new_tree(&mut runner)
        .expect("generator")
        .current()
        .to_json()
}

/// A coarse signature of an error (numbers and quoted text removed), to notice new kinds.
fn signature(problem: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in problem.chars() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            c if c.is_ascii_digit() => {}
            c => out.push(c),
        }
    }
    out.chars().take(120).collect()
}

/// Replays the committed corpus: every file must parse or fail cleanly, and run if valid.
fn replay_corpus() -> usize {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/fuzz-corpus exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let result = parse_one(&text).and_then(|s| s.map_or(Ok(()), |s| run_bounded(&s)));
        if let Err(e) = result {
            panic!("corpus file {}: {e}", f.display());
        }
    }
    files.len()
}

/// Scenario parsing never panics and reports every problem at a JSON path (the corpus first,
/// then mutants of the presets and of generated scenarios); mutants that are still valid run
/// for a bounded number of events without panicking.
#[test]
fn scenario_parsing_survives_mutation() {
    let replayed = replay_corpus();
    assert!(replayed >= 20, "the corpus has {replayed} files");

    let save = std::env::var("LIVENESS_FUZZ_SAVE").ok().map(PathBuf::from);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let seed = base_seed();
    let mut rng = Rng::new(seed, 1);
    let (mut valid, mut invalid) = (0u64, 0u64);
    let n = iters();
    for i in 0..n {
        let mut doc = if rng.uniform(2) == 0 {
            serde_json::from_str(pick(&mut rng, PRESETS).json).unwrap()
        } else {
            generated(seed ^ i.wrapping_mul(0x9e37_79b9))
        };
        for _ in 0..1 + rng.uniform(3) {
            mutate(&mut rng, &mut doc);
        }
        let text = to_text(&mut rng, &doc);
        match parse_one(&text) {
            Ok(Some(s)) => {
                valid += 1;
                if let Err(e) = run_bounded(&s) {
                    panic!("iteration {i} (seed {seed}): {e}\ninput:\n{}", show(&text));
                }
            }
            Ok(None) => {
                invalid += 1;
                if let (Some(dir), Err(e)) = (&save, Scenario::from_json_text(&text)) {
                    let sig = signature(&e.problems[0]);
                    if text.len() <= 3_000 && seen.insert(sig) {
                        let _ = std::fs::create_dir_all(dir);
                        let _ = std::fs::write(dir.join(format!("found-{i:06}.json")), &text);
                    }
                }
            }
            Err(e) => panic!("iteration {i} (seed {seed}): {e}\ninput:\n{}", show(&text)),
        }
    }
    eprintln!("{replayed} corpus files, {n} mutants: {valid} valid, {invalid} rejected");
    assert!(
        valid > 0 && invalid > 0,
        "mutants should be both valid and invalid"
    );
}

// ---- API sequences -------------------------------------------------------------------------

/// A random valid fault for this scenario (as given through `inject`), or `None` when the kind
/// needs a framework and there is none.
fn random_fault(rng: &mut Rng, s: &Scenario) -> Option<Value> {
    const KINDS: &[&str] = &[
        "restart_agent",
        "crash_agent",
        "start_agent",
        "finish_recovery",
        "partition",
        "heal",
        "break_socket",
        "drop_messages",
        "shutdown_agent",
        "fail_over_master",
        "disconnect_framework",
        "reconnect_framework",
    ];
    let kind = *pick(rng, KINDS);
    let mut f = json!({ "kind": kind });
    if rng.uniform(3) == 0 {
        f["at"] = json!(rng.uniform(100_000)); // any valid `at`: inject replaces it
    }
    match kind {
        "fail_over_master" => {
            if rng.uniform(1) == 0 {
                f["downtime"] = generate::dur(rng.uniform(60_000));
            }
        }
        "disconnect_framework" | "reconnect_framework" => {
            if s.frameworks.is_empty() {
                return None;
            }
            f["framework"] = json!(pick(rng, &s.frameworks).name);
        }
        _ => {
            f["agents"] = if rng.uniform(3) == 0 {
                json!("all")
            } else {
                let names: Vec<&str> = (0..1 + rng.uniform(2))
                    .map(|_| pick(rng, &s.agents).name.as_str())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                json!(names)
            };
            match kind {
                "restart_agent" | "start_agent" => {
                    match rng.uniform(2) {
                        0 => f["recovery"] = json!("hang"),
                        1 => f["recovery"] = generate::dur(rng.uniform(60_000)),
                        _ => {}
                    }
                    if rng.uniform(4) == 0 {
                        f["work_dir_lost"] = json!(true);
                    }
                }
                "partition" => {
                    f["direction"] =
                        json!(*pick(rng, &["both", "master_to_agent", "agent_to_master"]));
                    f["breaks_socket"] = json!(rng.uniform(1) == 0);
                }
                "drop_messages" => {
                    f["messages"] = json!([*pick(rng, &generate::MESSAGES)]);
                    f["until"] = json!(rng.uniform(10_000_000));
                }
                _ => {}
            }
        }
    }
    Some(f)
}

/// Turns a valid fault into an invalid one.
fn break_fault(rng: &mut Rng, mut f: Value) -> Value {
    match rng.uniform(8) {
        0 => {
            f.as_object_mut().unwrap().remove("kind");
        }
        1 => f["kind"] = json!("reboot_everything"),
        2 => f["kind"] = json!(42),
        3 => f["bogus"] = json!(true),
        4 => f["at"] = json!("-1secs"),
        5 => {
            if f.get("agents").is_some() {
                f["agents"] = json!(["no-such-agent"]);
            } else {
                f["agents"] = json!("all"); // master and framework faults take no agents
            }
        }
        6 => f = json!([f]),
        7 => f["at"] = json!("soon"),
        _ => f = json!(null),
    }
    f
}

/// One call made on a simulation (kept so that a failing sequence can be printed and replayed).
#[derive(Clone, Debug)]
enum Call {
    Advance(Time),
    /// A fault, and whether it is valid.
    Inject(Value, bool),
    Drain,
    Hash,
    Check,
    Views(AgentIx),
    RunToEnd,
}

/// A few random expectations of every sort, so `check_expectations` has work.
fn random_expectations(rng: &mut Rng, s: &Value) -> Value {
    let names: Vec<String> = Scenario::from_json(s)
        .unwrap()
        .agents
        .iter()
        .map(|a| a.name.clone())
        .collect();
    let mut out = Vec::new();
    for _ in 0..rng.uniform(4) {
        let agent = pick(rng, &names).clone();
        let at = generate::dur(rng.uniform(1_800_000));
        out.push(match rng.uniform(3) {
            0 => json!({ "at": at, "agent": agent,
                         "master_view": pick(rng, MasterView::ALL).name() }),
            1 => json!({ "at": at, "agent": agent,
                         "agent_state": pick(rng, AgentState::ALL).name() }),
            2 => {
                let (event, fields) = *pick(rng, EVENT_FIELDS);
                let mut e = json!({ "event": event, "at_most": rng.uniform(50) });
                if fields.contains(&"agent") && rng.uniform(1) == 0 {
                    e["agent"] = json!(agent);
                }
                if rng.uniform(1) == 0 {
                    e["between"] = json!([0, rng.uniform(1_800_000)]);
                }
                e
            }
            _ => json!({ "metric": *pick(rng, METRIC_NAMES),
                         "equals": rng.uniform(5), "at": at }),
        });
    }
    json!(out)
}

/// Runs `calls`; returns the final trace hash. Every call's outcome is checked.
fn play(s: &Scenario, calls: &[Call]) -> Result<String, String> {
    let n = s.agents.len() as AgentIx;
    let mut sim = Simulation::new(s).map_err(|e| format!("new: {e}"))?;
    let mut drained: Vec<Stamped> = Vec::new();
    let mut injected = 0usize;
    // Until the first advance, the events at t=0 are still pending.
    let mut advanced = false;
    for (k, call) in calls.iter().enumerate() {
        let now = sim.now();
        let trace_len = sim.trace().len();
        let fail = |what: String| Err(format!("call {k} ({call:?}) at {now}us: {what}"));
        match call {
            Call::Advance(t) => match sim.advance_to(*t) {
                Ok(_) if *t < now => return fail("going back in time was accepted".into()),
                Ok(_) if sim.now() != *t => return fail(format!("now is {}", sim.now())),
                Ok(_) => advanced = true,
                Err(_) if *t < now => {
                    if sim.now() != now || sim.trace().len() != trace_len {
                        return fail("a refused advance_to changed the simulation".into());
                    }
                }
                Err(e) => return fail(format!("refused: {e}")),
            },
            Call::Inject(f, valid) => {
                let valid = *valid;
                match sim.inject(f) {
                    Ok(()) if valid => {
                        injected += 1;
                        advanced = true;
                    }
                    Ok(()) => return fail("an invalid fault was accepted".into()),
                    Err(e) if valid => return fail(format!("a valid fault was refused: {e}")),
                    Err(e) => {
                        check_problems(&e, Some(f), "fault")?;
                        if sim.trace().len() != trace_len || sim.injected_faults().len() != injected
                        {
                            return fail("a refused fault changed the simulation".into());
                        }
                    }
                }
                if sim.now() != now {
                    return fail("inject moved the clock".into());
                }
            }
            Call::Drain => drained.extend_from_slice(sim.drain_events()),
            Call::Hash => {
                let h = sim.trace_hash().unwrap_or_default();
                if h.len() != 16 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return fail(format!("bad trace hash {h:?}"));
                }
            }
            Call::Check => {
                let results = sim.check_expectations();
                if results.len() != s.expect.len() {
                    return fail(format!(
                        "{} results for {} expectations",
                        results.len(),
                        s.expect.len()
                    ));
                }
            }
            Call::Views(a) => {
                let a = a % n;
                let _ = (sim.master_view(a), sim.agent_state(a), sim.observer(a));
                let _ = (
                    sim.agent_id(a),
                    sim.link(a).linked,
                    sim.agent(a).tasks().len(),
                );
                for m in sim.in_flight() {
                    if (advanced && m.arrives <= now) || m.sent > now || m.agent >= n {
                        return fail(format!("odd message on the wire: {m:?}"));
                    }
                }
                if advanced && sim.next_event_time().is_some_and(|t| t <= now) {
                    return fail("an event at or before now is still pending".into());
                }
                let metrics = sim.metrics();
                let names: Vec<&str> = metrics.iter().map(|(n, _)| *n).collect();
                if names != METRIC_NAMES {
                    return fail(format!("metric names {names:?}"));
                }
                if metrics.iter().any(|(_, v)| !v.is_finite() || *v < 0.0) {
                    return fail(format!("odd metric values {metrics:?}"));
                }
            }
            Call::RunToEnd => {
                sim.run_to_end();
                advanced = true;
                if sim.now() != now.max(s.duration) {
                    return fail(format!("run_to_end stopped at {}", sim.now()));
                }
            }
        }
        if sim.now() < now {
            return fail("time went backwards".into());
        }
    }
    drained.extend_from_slice(sim.drain_events());
    if drained.as_slice() != sim.trace() {
        return Err("the drained events are not the trace".to_string());
    }
    if sim.injected_faults().len() != injected {
        return Err(format!(
            "{} injected faults recorded, {injected} accepted",
            sim.injected_faults().len()
        ));
    }
    Ok(sim.trace_hash().unwrap_or_default())
}

/// Random API call sequences on `Simulation` never panic, return errors exactly for invalid
/// calls (going back in time, invalid faults), leave the simulation unchanged when they refuse,
/// and replay to the same trace hash.
#[test]
fn api_call_sequences_survive() {
    let seed = base_seed();
    let mut rng = Rng::new(seed, 2);
    let n = (iters() / 10).max(1);
    let mut calls_made = 0usize;
    for i in 0..n {
        let mut doc = generated(seed ^ 0xa11 ^ i.wrapping_mul(0x9e37_79b9));
        doc["expect"] = random_expectations(&mut rng, &doc);
        let s = Scenario::from_json(&doc).expect("generated scenarios are valid");
        let mut calls = Vec::new();
        let mut now: Time = 0;
        for _ in 0..5 + rng.uniform(40) {
            let call = match rng.uniform(12) {
                0..=2 => {
                    let step = match rng.uniform(3) {
                        0 => 0,
                        1 => rng.uniform(SECS),
                        2 => rng.uniform(s.duration / 4),
                        _ => s.duration + rng.uniform(MILLIS),
                    };
                    now = now.saturating_add(step).min(2 * s.duration);
                    Call::Advance(now)
                }
                3 => Call::Advance(rng.uniform(now + 1)), // often before now
                4 | 5 => match random_fault(&mut rng, &s) {
                    Some(f) => Call::Inject(f, true),
                    None => Call::Inject(json!({ "kind": "disconnect_framework" }), false),
                },
                6 => {
                    let f = random_fault(&mut rng, &s)
                        .unwrap_or(json!({ "kind": "heal", "agents": "all" }));
                    Call::Inject(break_fault(&mut rng, f), false)
                }
                7 => Call::Drain,
                8 => Call::Hash,
                9 => Call::Check,
                10 => Call::RunToEnd,
                _ => Call::Views(rng.uniform(1_000) as AgentIx),
            };
            if let Call::RunToEnd = call {
                now = now.max(s.duration);
            }
            calls.push(call);
        }
        calls_made += calls.len();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let first = play(&s, &calls)?;
            let second = play(&s, &calls)?;
            if first == second {
                Ok(())
            } else {
                Err(format!("replaying gave {second}, first run {first}"))
            }
        }))
        .unwrap_or_else(|p| Err(format!("panicked: {}", panic_text(p))));
        if let Err(e) = outcome {
            let mut msg = String::new();
            for c in &calls {
                let _ = writeln!(msg, "  {c:?}");
            }
            panic!(
                "sequence {i} (seed {seed}): {e}\ncalls:\n{msg}scenario:\n{}",
                serde_json::to_string_pretty(&doc).unwrap()
            );
        }
    }
    eprintln!("{n} API sequences, {calls_made} calls");
}
