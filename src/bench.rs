//! The benchmark workloads, shared by `liveness bench` (native) and the wasm benchmark, so both
//! measure the same runs. Timing itself happens in the hosts, never here.

use serde_json::{json, Value};

use crate::scenario::Scenario;

/// A named benchmark scenario.
pub struct Workload {
    /// Short name.
    pub name: &'static str,
    /// The scenario.
    pub scenario: Scenario,
}

/// (a) 1,000 healthy agents for 1 simulated hour; (b) 10,000 agents for 10 simulated minutes
/// with 10% of them partitioned from minute 2.
pub fn workloads() -> Vec<Workload> {
    let healthy = json!({
        "name": "1000 healthy agents, 1 hour",
        "seed": 1,
        "duration": "1hrs",
        "frameworks": [{ "name": "web", "partition_aware": true, "checkpoint": true }],
        "agents": [{ "name": "a", "count": 1000, "tasks": { "web": 2 } }]
    });
    let partitioned: Vec<String> = (0..1000).map(|i| format!("b-{}", i * 10)).collect();
    let partition = json!({
        "name": "10000 agents, 10% partitioned, 10 minutes",
        "seed": 2,
        "duration": "10mins",
        "frameworks": [{ "name": "web", "partition_aware": true, "checkpoint": true }],
        "agents": [{ "name": "b", "count": 10000, "tasks": { "web": 1 } }],
        "faults": [{ "at": "2mins", "kind": "partition", "agents": partitioned, "direction": "both" }]
    });
    [("healthy-1k-1h", healthy), ("partition-10k-10m", partition)]
        .into_iter()
        .map(|(name, v)| Workload {
            name,
            scenario: Scenario::from_json(&v).expect("benchmark workloads are valid scenarios"),
        })
        .collect()
}

/// The sweep benchmark: `sweeps/reregister-vs-ping.json` with `agents` agents per trial, on clean
/// links or (`noisy`) with 5 ms of jitter and 0.1% random loss, which fast-forward must also
/// skip (`docs/fast-forward.md`).
pub fn sweep_spec(agents: u64, noisy: bool) -> Value {
    let mut spec: Value = serde_json::from_str(include_str!("../sweeps/reregister-vs-ping.json"))
        .expect("the shipped sweep spec is valid JSON");
    spec["base"]["agents"][0]["count"] = json!(agents);
    if noisy {
        spec["base"]["network"] = json!({ "jitter": "5ms", "drop_rate": 0.001 });
    }
    spec
}
