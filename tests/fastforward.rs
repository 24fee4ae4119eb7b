//! Fast-forward (skipping steady ping cycles) gives exactly the same verdicts, times and metrics
//! as the full simulation: on random scenarios, every non-message trace event matches.

use liveness::rng::Rng;
use liveness::scenario::Scenario;
use liveness::sim::{SimOptions, Simulation, TraceMode};
use serde_json::{json, Value};

fn pick<'a, T>(rng: &mut Rng, xs: &'a [T]) -> &'a T {
    &xs[rng.uniform(xs.len() as u64 - 1) as usize]
}

/// A random scenario on clean links (so agents do park), with every fault kind.
fn random_scenario(seed: u64) -> Value {
    let mut rng = Rng::new(seed, 99);
    let agents = 2 + rng.uniform(11);
    let duration_us = (20 + rng.uniform(100)) * 60_000_000;
    let names: Vec<String> = (0..agents).map(|i| format!("n-{i}")).collect();
    let mut faults = Vec::new();
    for _ in 0..rng.uniform(10) {
        let at = format!("{}us", rng.uniform(duration_us));
        let who = json!([pick(&mut rng, &names)]);
        let f = match rng.uniform(11) {
            0 => json!({ "at": at, "kind": "restart_agent", "agents": who, "recovery": "hang" }),
            1 => {
                json!({ "at": at, "kind": "restart_agent", "agents": who, "recovery": format!("{}ms", rng.uniform(900_000)) })
            }
            2 => json!({ "at": at, "kind": "restart_agent", "agents": who }),
            3 => json!({ "at": at, "kind": "crash_agent", "agents": who }),
            4 => json!({ "at": at, "kind": "start_agent", "agents": who }),
            5 => json!({ "at": at, "kind": "finish_recovery", "agents": who }),
            6 => json!({ "at": at, "kind": "partition", "agents": who,
                         "direction": pick(&mut rng, &["both", "master_to_agent", "agent_to_master"]) }),
            7 => json!({ "at": at, "kind": "heal", "agents": who }),
            8 => json!({ "at": at, "kind": "break_socket", "agents": who }),
            9 => json!({ "at": at, "kind": "drop_messages", "agents": who,
                         "messages": [pick(&mut rng, &["PongSlaveMessage", "PingSlaveMessage", "ReregisterSlaveMessage"])],
                         "until": format!("{}us", duration_us) }),
            _ => {
                json!({ "at": at, "kind": "fail_over_master", "downtime": format!("{}ms", rng.uniform(60_000)) })
            }
        };
        faults.push(f);
    }
    let mut master = json!({
        "agent_ping_timeout": format!("{}ms", 1_000 + rng.uniform(29_000)),
        "max_agent_ping_timeouts": 1 + rng.uniform(6),
        "agent_reregister_timeout": format!("{}secs", 60 + rng.uniform(900)),
    });
    if rng.uniform(2) == 0 {
        master["agent_removal_rate_limit"] = json!(format!("1/{}secs", 1 + rng.uniform(300)));
    }
    if rng.uniform(3) == 0 {
        master["registry_write_latency"] = json!(format!("{}ms", rng.uniform(20_000)));
    }
    json!({
        "seed": seed,
        "duration": format!("{duration_us}us"),
        "policy": pick(&mut rng, &["mesos-1.1", "mesos-1.2", "mesos-1.5", "running-only-pongs"]),
        "master": master,
        "network": { "latency": format!("{}us", rng.uniform(5_000)) },
        "frameworks": [
            { "name": "pa", "partition_aware": true, "checkpoint": true },
            { "name": "plain", "partition_aware": false, "checkpoint": rng.uniform(1) == 1 }
        ],
        "agents": [{ "name": "n", "count": agents, "tasks": { "pa": 1 + rng.uniform(2), "plain": rng.uniform(2) },
                     "registration_backoff_factor": format!("{}ms", 1 + rng.uniform(3_000)) }],
        "faults": faults
    })
}

/// What a run produced: non-message trace lines, metrics, final (view, state) per agent, events.
type Outcome = (Vec<String>, Vec<(&'static str, f64)>, Vec<String>, u64);

fn run(v: &Value, fast_forward: bool) -> Outcome {
    let scenario = Scenario::from_json(v).unwrap();
    let options = SimOptions {
        trace: TraceMode::Verdicts,
        fast_forward,
    };
    let mut sim = Simulation::with_options(&scenario, options).unwrap();
    let events = sim.run_to_end();
    let trace = sim.trace().iter().map(|e| sim.event_json(e)).collect();
    let finals = (0..scenario.agents.len() as u32)
        .map(|a| format!("{} {}", sim.master_view(a), sim.agent_state(a)))
        .collect();
    (trace, sim.metrics(), finals, events)
}

#[test]
fn fast_forward_matches_the_full_simulation_on_random_scenarios() {
    let cases: u64 = std::env::var("LIVENESS_FF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let mut full_events = 0;
    let mut fast_events = 0;
    for seed in 0..cases {
        let v = random_scenario(seed);
        let (full, full_metrics, full_final, e1) = run(&v, false);
        let (fast, fast_metrics, fast_final, e2) = run(&v, true);
        full_events += e1;
        fast_events += e2;
        if full != fast {
            let i = full
                .iter()
                .zip(&fast)
                .position(|(a, b)| a != b)
                .unwrap_or(full.len().min(fast.len()));
            panic!(
                "seed {seed}: traces differ at event {i}\n full: {:?}\n fast: {:?}\nscenario:\n{}",
                full.get(i),
                fast.get(i),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }
        assert_eq!(full_metrics, fast_metrics, "seed {seed}");
        assert_eq!(full_final, fast_final, "seed {seed}");
    }
    // It must actually skip work, or the comparison proves nothing (these scenarios are
    // fault-heavy; a quiet cluster skips almost everything, see below).
    assert!(
        fast_events * 3 < full_events,
        "fast {fast_events} vs full {full_events}"
    );
}

/// A healthy cluster costs almost nothing once every agent is parked.
#[test]
fn a_healthy_day_is_nearly_free() {
    let v = json!({
        "seed": 1, "duration": "1days",
        "frameworks": [{ "name": "pa", "partition_aware": true, "checkpoint": true }],
        "agents": [{ "name": "n", "count": 100, "tasks": { "pa": 1 } }],
        "faults": [{ "at": "12hrs", "kind": "restart_agent", "agents": ["n-3"], "recovery": "3mins" }]
    });
    let (full, fm, ff, full_events) = run(&v, false);
    let (fast, sm, sf, fast_events) = run(&v, true);
    assert_eq!((full, fm, ff), (fast, sm, sf));
    assert!(full_events > 1_000_000, "{full_events}");
    assert!(fast_events < 2_000, "{fast_events}");
}

#[test]
fn fast_forward_is_refused_with_the_full_trace() {
    let scenario = Scenario::from_json(&random_scenario(1)).unwrap();
    let options = SimOptions {
        trace: TraceMode::Full,
        fast_forward: true,
    };
    assert!(Simulation::with_options(&scenario, options).is_err());
}
