//! Helpers shared by the integration tests: build a scenario, run it, and read the trace back as
//! JSON (the same canonical form the CLI writes).
#![allow(dead_code)]

use liveness::scenario::Scenario;
use liveness::sim::Simulation;
use liveness::time::{Time, MILLIS};
use serde_json::{json, Value};

/// Parses a scenario that must be valid.
pub fn scenario(v: Value) -> Scenario {
    Scenario::from_json(&v).unwrap_or_else(|e| panic!("invalid test scenario: {e}"))
}

/// Runs a scenario to its end.
pub fn run(v: Value) -> Simulation {
    let mut sim = Simulation::new(&scenario(v)).expect("valid");
    sim.run_to_end();
    sim
}

/// Every event of `kind` whose fields equal `filter`, as (time, JSON object).
pub fn events(sim: &Simulation, kind: &str, filter: Value) -> Vec<(Time, Value)> {
    let filter = filter.as_object().cloned().unwrap_or_default();
    sim.trace()
        .iter()
        .filter(|e| e.event.kind() == kind)
        .map(|e| {
            (
                e.t,
                serde_json::from_str::<Value>(&sim.event_json(e)).unwrap(),
            )
        })
        .filter(|(_, v)| filter.iter().all(|(k, want)| &v[k] == want))
        .collect()
}

/// The times of matching events.
pub fn times(sim: &Simulation, kind: &str, filter: Value) -> Vec<Time> {
    events(sim, kind, filter)
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

/// The only matching event's time (panics unless exactly one).
pub fn once(sim: &Simulation, kind: &str, filter: Value) -> Time {
    let t = times(sim, kind, filter.clone());
    assert_eq!(
        t.len(),
        1,
        "expected exactly one {kind} {filter}, got {t:?}"
    );
    t[0]
}

/// Times of pings the master sent to `agent`.
pub fn pings(sim: &Simulation, agent: &str) -> Vec<Time> {
    times(
        sim,
        "message",
        json!({ "message": "PingSlaveMessage", "agent": agent }),
    )
}

/// A metric at the end of the run.
pub fn metric(sim: &Simulation, name: &str) -> f64 {
    sim.metric(name)
        .unwrap_or_else(|| panic!("no metric {name}"))
}

/// The master's view of an agent, by name.
pub fn view(sim: &Simulation, agent: &str) -> &'static str {
    let ix = sim.scenario().agent_index(agent).expect("agent");
    sim.master_view(ix).name()
}

/// The agent's process state, by name.
pub fn state(sim: &Simulation, agent: &str) -> &'static str {
    let ix = sim.scenario().agent_index(agent).expect("agent");
    sim.agent_state(ix).name()
}

/// Milliseconds → simulated time.
pub fn ms(x: u64) -> Time {
    x * MILLIS
}

/// Two frameworks (partition-aware+checkpointing "pa", neither "plain") plus `extra` fields.
pub fn cluster(policy: &str, duration: &str, agents: Value, faults: Value) -> Value {
    json!({
        "seed": 1,
        "duration": duration,
        "policy": policy,
        "frameworks": [
            { "name": "pa", "partition_aware": true, "checkpoint": true },
            { "name": "plain", "partition_aware": false, "checkpoint": false }
        ],
        "agents": agents,
        "faults": faults
    })
}

/// Sets `path` (dot-separated object keys) in a JSON value.
pub fn set(v: &mut Value, path: &str, value: Value) {
    let mut cur = v;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        if cur.get(*p).is_none() {
            cur[*p] = json!({});
        }
        cur = &mut cur[*p];
    }
    cur[parts[parts.len() - 1]] = value;
}

/// A time as the trace writes it: whole milliseconds as an integer, else a fraction.
pub fn ms_json(t: Time) -> Value {
    if t % MILLIS == 0 {
        json!(t / MILLIS)
    } else {
        json!(t as f64 / MILLIS as f64)
    }
}
