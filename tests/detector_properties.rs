//! Properties every other detector keeps on random clusters (sizes, latencies, jitter, seeds,
//! crash times): a healthy node is never marked, a crashed node is marked within its closed-form
//! bound (`docs/detectors.md`), and a hung node whose heartbeat path runs is never marked.
//!
//! Budget: `LIVENESS_PROPTEST_CASES` / 32 cases per property (these runs simulate every
//! heartbeat), at least 16.

use liveness::scenario::Scenario;
use liveness::sim::{Simulation, TraceMode};
use liveness::time::{Time, MILLIS, SECS};
use liveness::trace::Event;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

const DETECTORS: [&str; 4] = ["kubernetes", "nomad", "memberlist", "phi-accrual"];

fn cases() -> u32 {
    std::env::var("LIVENESS_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .map_or(128, |n| (n / 32).max(16))
}

/// A random cluster: (detector, agents, latency ms, jitter ms, seed, fault time ms).
fn cluster() -> impl Strategy<Value = (usize, u64, u64, u64, u64, u64)> {
    (
        0..DETECTORS.len(),
        2u64..=12,
        0u64..=40,
        0u64..=40,
        any::<u32>(),
        120_000u64..=240_000,
    )
        .prop_map(|(d, n, l, j, s, at)| (d, n, l, j, s as u64, at))
}

fn scenario(d: usize, n: u64, latency: u64, jitter: u64, seed: u64, faults: Value) -> Scenario {
    Scenario::from_json(&json!({
        "seed": seed,
        "duration": "12mins",
        "detector": DETECTORS[d],
        "network": { "latency": format!("{latency}ms"), "jitter": format!("{jitter}ms") },
        "frameworks": [{ "name": "app" }],
        "agents": [{ "name": "n", "count": n, "tasks": { "app": 1 } }],
        "faults": faults
    }))
    .expect("valid")
}

fn marks(s: &Scenario, agent: u32) -> Vec<Time> {
    let mut sim = Simulation::with_trace(s, TraceMode::Verdicts).expect("valid");
    sim.run_to_end();
    sim.trace()
        .iter()
        .filter_map(|e| match e.event {
            Event::AgentMarkedUnreachable { agent: a, .. } if a == agent => Some(e.t),
            _ => None,
        })
        .collect()
}

/// The latest a crash can be declared, per detector, with the network's worst one-way delay.
fn bound(d: usize, n: u64, delay: Time) -> Time {
    match DETECTORS[d] {
        // Last renewal ≤ 10.4 s before the crash; Unknown ≤ 55 s (+ pass drift) after it.
        "kubernetes" => 10_400 * MILLIS + 55 * SECS + 100 * MILLIS + 4 * delay,
        // Last heartbeat arrival ≤ one delay after the crash; TTL < 20 s for n ≤ 500; grace 10 s.
        "nomad" => 30 * SECS + 4 * delay,
        // Probed within (n − 1) periods; a failed probe lasts up to 8 periods (awareness); the
        // suspicion timer at most 6 × min, min = 4 × max(1, log10 n) s.
        "memberlist" => {
            let min = 4 * SECS * (((n as f64).log10().max(1.0) * 1000.0) as Time) / 1000;
            (n - 1) * SECS + 8 * SECS + 6 * min
        }
        // One heartbeat period, φ ≥ 8 within 6.61 s (σ ≤ 500 ms), one reaper tick.
        "phi-accrual" => SECS + 6_610 * MILLIS + SECS + 4 * delay,
        _ => unreachable!(),
    }
}

fn check(
    strategy: impl Strategy<Value = (usize, u64, u64, u64, u64, u64)>,
    f: impl Fn((usize, u64, u64, u64, u64, u64)) -> Result<(), String>,
) {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(e) = runner.run(&strategy, |c| f(c).map_err(TestCaseError::fail)) {
        panic!("{e}");
    }
}

#[test]
fn a_healthy_node_is_never_marked() {
    check(cluster(), |(d, n, l, j, seed, _)| {
        let s = scenario(d, n, l, j, seed, json!([]));
        for a in 0..n as u32 {
            if let Some(t) = marks(&s, a).first() {
                return Err(format!("{} marked healthy n-{a} at {t} µs", DETECTORS[d]));
            }
        }
        Ok(())
    });
}

#[test]
fn a_crashed_node_is_marked_within_the_closed_form_bound() {
    check(cluster(), |(d, n, l, j, seed, at)| {
        let s = scenario(
            d,
            n,
            l,
            j,
            seed,
            json!([{ "at": format!("{at}ms"), "kind": "crash_agent", "agents": ["n-0"] }]),
        );
        let crash = at * MILLIS;
        let m = marks(&s, 0);
        let limit = bound(d, n, (l + j) * MILLIS);
        match m.first() {
            Some(&t) if t >= crash && t <= crash + limit => Ok(()),
            other => Err(format!(
                "{} n={n} latency {l}ms jitter {j}ms: crash at {crash}, marked {other:?}, bound {limit}",
                DETECTORS[d]
            )),
        }
    });
}

#[test]
fn a_hung_node_with_its_heartbeat_path_alive_is_never_marked() {
    check(cluster(), |(d, n, l, j, seed, at)| {
        let s = scenario(
            d,
            n,
            l,
            j,
            seed,
            json!([{ "at": format!("{at}ms"), "kind": "restart_agent", "agents": ["n-0"], "recovery": "hang" }]),
        );
        match marks(&s, 0).first() {
            None => Ok(()),
            Some(t) => Err(format!("{} marked the hung node at {t}", DETECTORS[d])),
        }
    });
}
