//! The other failure detectors in scenarios, through the simulator: closed-form detection times
//! (`docs/detectors.md`), the hung agent none of them marks, the same faults meaning the same
//! thing, determinism, and the properties every detector keeps on random scenarios.

mod common;

use common::*;
use liveness::compare;
use liveness::detectors::DetectorKind;
use liveness::scenario::Scenario;
use liveness::sim::Simulation;
use liveness::time::{Time, MILLIS, MINS, SECS};
use serde_json::{json, Value};

fn scenario_for(detector: &str, count: u64, faults: Value, duration: &str) -> Value {
    json!({
        "seed": 4,
        "duration": duration,
        "detector": detector,
        "frameworks": [{ "name": "app" }],
        "agents": [{ "name": "n", "count": count, "tasks": { "app": 2 } }],
        "faults": faults
    })
}

fn marks(sim: &Simulation, agent: &str) -> Vec<Time> {
    times(sim, "agent_marked_unreachable", json!({ "agent": agent }))
}

/// Kubernetes: Ready→Unknown 50–55 s after the last lease renewal the controller saw (its
/// progress clock is a pass time; passes are sliding), tainted one pass later, pods deleted at
/// the taint + 300 s.
#[test]
fn kubernetes_crash_unknown_taint_eviction() {
    let sim = run(scenario_for(
        "kubernetes",
        3,
        json!([{ "at": "2mins", "kind": "crash_agent", "agents": ["n-1"] }]),
        "12mins",
    ));
    let renewals: Vec<Time> = events(
        &sim,
        "message",
        json!({ "agent": "n-1", "message": "LeaseUpdate" }),
    )
    .into_iter()
    .map(|(t, _)| t + MILLIS) // arrival at the API server
    .filter(|&t| t <= 2 * MINS)
    .collect();
    let last = *renewals.last().unwrap();
    let mark = marks(&sim, "n-1");
    assert_eq!(mark.len(), 1);
    assert!(mark[0] > last + 50 * SECS && mark[0] <= last + 55 * SECS + 20 * MILLIS);
    let tainted = times(
        &sim,
        "node_status",
        json!({ "agent": "n-1", "status": "Unknown, tainted unreachable:NoExecute" }),
    );
    assert_eq!(tainted.len(), 1);
    assert!(tainted[0] > mark[0] && tainted[0] <= mark[0] + 5 * SECS + 200 * MILLIS);
    let deleted = times(
        &sim,
        "task_status",
        json!({ "agent": "n-1", "state": "TASK_KILLED", "reason": "taint_eviction" }),
    );
    assert_eq!(deleted, vec![tainted[0] + 300 * SECS; 2]);
}

/// Kubernetes: a 30 s partition is survived; after a 2-minute one the node is Unknown and
/// tainted, and Ready again before its pods' toleration runs out, so nothing is deleted.
#[test]
fn kubernetes_partitions() {
    let sim = run(scenario_for(
        "kubernetes",
        3,
        json!([
            { "at": "1mins", "kind": "partition", "agents": ["n-0"] },
            { "at": "90secs", "kind": "heal", "agents": ["n-0"] },
            { "at": "3mins", "kind": "partition", "agents": ["n-1"] },
            { "at": "5mins", "kind": "heal", "agents": ["n-1"] }
        ]),
        "15mins",
    ));
    assert!(marks(&sim, "n-0").is_empty());
    assert_eq!(marks(&sim, "n-1").len(), 1);
    assert!(times(
        &sim,
        "task_status",
        json!({ "agent": "n-1", "state": "TASK_KILLED" })
    )
    .is_empty());
    assert_eq!(view(&sim, "n-1"), "connected");
}

/// Nomad: a crashed client is down 10–30 s after the crash (TTL 10–20 s + 10 s grace for a
/// small cluster), its allocations lost at that moment.
#[test]
fn nomad_crash_down_within_ten_to_thirty_seconds() {
    for seed in 0..6 {
        let mut v = scenario_for(
            "nomad",
            5,
            json!([{ "at": "3mins", "kind": "crash_agent", "agents": ["n-2"] }]),
            "6mins",
        );
        v["seed"] = json!(seed);
        let sim = run(v);
        let mark = marks(&sim, "n-2");
        assert_eq!(mark.len(), 1);
        let delay = mark[0] - 3 * MINS;
        assert!(delay > 0 && delay <= 30 * SECS, "seed {seed}: {delay}");
        assert_eq!(
            times(
                &sim,
                "task_status",
                json!({ "agent": "n-2", "state": "TASK_LOST", "reason": "node_down" })
            ),
            vec![mark[0]; 2]
        );
    }
}

/// memberlist: dead ≈ 2 probe periods + the suspicion timeout for the cluster size (N = 10:
/// min 4 s, reached once two members have confirmed).
#[test]
fn memberlist_crash_dead_after_two_periods_and_the_suspicion_timeout() {
    let sim = run(scenario_for(
        "memberlist",
        10,
        json!([{ "at": "1mins", "kind": "crash_agent", "agents": ["n-4"] }]),
        "3mins",
    ));
    let mark = marks(&sim, "n-4");
    assert_eq!(mark.len(), 1);
    let delay = mark[0] - MINS;
    assert!((4 * SECS..=12 * SECS).contains(&delay), "{delay}");
}

/// Phi accrual (Akka): unreachable at the first reaper tick after φ reaches 8, 4–6 s after the
/// last heartbeat; downed 20 s later.
#[test]
fn phi_accrual_crash_unreachable_then_downed() {
    let sim = run(scenario_for(
        "phi-accrual",
        3,
        json!([{ "at": "2mins", "kind": "crash_agent", "agents": ["n-0"] }]),
        "4mins",
    ));
    let mark = marks(&sim, "n-0");
    assert_eq!(mark.len(), 1);
    assert!(mark[0] - 2 * MINS >= 4 * SECS && mark[0] - 2 * MINS < 6 * SECS);
    assert_eq!(mark[0] % SECS, 0, "the reaper ticks on whole seconds");
    assert_eq!(
        times(
            &sim,
            "task_status",
            json!({ "agent": "n-0", "reason": "node_downed" })
        ),
        vec![mark[0] + 20 * SECS; 2]
    );
}

/// The hung agent whose heartbeat path keeps going: none of the four marks it in an hour.
#[test]
fn no_other_detector_marks_a_hung_agent() {
    for d in ["kubernetes", "nomad", "memberlist", "phi-accrual"] {
        let sim = run(scenario_for(
            d,
            4,
            json!([{ "at": "1mins", "kind": "restart_agent", "agents": ["n-1"], "recovery": "hang" }]),
            "61mins",
        ));
        assert!(marks(&sim, "n-1").is_empty(), "{d}");
        assert_eq!(state(&sim, "n-1"), "recovering", "{d}");
        assert_eq!(view(&sim, "n-1"), "connected", "{d}");
    }
}

/// Same scenario + seed ⇒ the same trace hash, for every detector; another seed differs.
#[test]
fn detector_runs_are_deterministic() {
    for d in DetectorKind::ALL {
        let v = scenario_for(
            d.name(),
            5,
            json!([{ "at": "1mins", "kind": "crash_agent", "agents": ["n-1"] },
                   { "at": "2mins", "kind": "partition", "agents": ["n-2"] },
                   { "at": "3mins", "kind": "heal", "agents": ["n-2"] }]),
            "5mins",
        );
        let hash = |v: &Value| {
            let mut sim = Simulation::new(&Scenario::from_json(v).unwrap()).unwrap();
            sim.run_to_end();
            sim.trace_hash().unwrap()
        };
        assert_eq!(hash(&v), hash(&v), "{}", d.name());
        let mut other = v.clone();
        other["seed"] = json!(99);
        if d != DetectorKind::PhiAccrual {
            assert_ne!(hash(&v), hash(&other), "{}", d.name());
        }
    }
}

/// Settings are validated with the system's own names and refused ranges.
#[test]
fn detector_settings_are_validated() {
    let bad = |detector: &str, settings: Value, want: &str| {
        let mut v = scenario_for(detector, 2, json!([]), "1mins");
        v[detector] = settings;
        let err = Scenario::from_json(&v).unwrap_err().to_string();
        assert!(err.contains(want), "{err}");
    };
    bad("kubernetes", json!({ "node_monitor_grace_perod": "50secs" }), "kubernetes.node_monitor_grace_perod: unknown field (did you mean \"node_monitor_grace_period\"?)");
    bad(
        "kubernetes",
        json!({ "unhealthy_zone_threshold": 2 }),
        "kubernetes.unhealthy_zone_threshold: must be a number from 0 to 1",
    );
    bad(
        "nomad",
        json!({ "max_heartbeats_per_second": 0 }),
        "nomad.max_heartbeats_per_second: must be a number",
    );
    bad(
        "memberlist",
        json!({ "probe_timeout": "2secs" }),
        "memberlist.probe_timeout: must be shorter than probe_interval",
    );
    bad(
        "phi-accrual",
        json!({ "variant": "cassandra", "threshold": 20 }),
        "phi-accrual.threshold: must be a number from 5 to 16",
    );
    let mut v = scenario_for("zookeeper", 2, json!([]), "1mins");
    v["detector"] = json!("zookeeper");
    let err = Scenario::from_json(&v).unwrap_err().to_string();
    assert!(err.contains("detector: unknown detector \"zookeeper\"; expected one of mesos, kubernetes, nomad, memberlist, phi-accrual"), "{err}");
}

/// The README's detector table is the engine's own measurement.
#[test]
fn readme_detector_table_is_generated() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = compare::markdown(&compare::rows());
    assert!(
        readme.contains(&table),
        "README.md's detector table is stale; paste the output of `liveness detectors`:\n{table}"
    );
}

/// Healthy clusters on clean links: no detector marks anybody, for several seeds and sizes.
#[test]
fn a_healthy_node_is_never_marked() {
    for d in ["kubernetes", "nomad", "memberlist", "phi-accrual"] {
        for (seed, count) in [(1u64, 2u64), (2, 7), (3, 12)] {
            let mut v = scenario_for(d, count, json!([]), "20mins");
            v["seed"] = json!(seed);
            v["network"] = json!({ "latency": "5ms", "jitter": "20ms" });
            let sim = run(v);
            assert!(
                times(&sim, "agent_marked_unreachable", json!({})).is_empty(),
                "{d} seed {seed} count {count}"
            );
        }
    }
}
