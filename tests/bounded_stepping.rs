//! `Simulation::advance_bounded` (the lab's short steps through a ping wave of thousands of
//! agents) runs the same simulation as one `advance_to`: the same events in the same order, the
//! same trace hash, expectations and final state, however small the bound.

use liveness::scenario::Scenario;
use liveness::sim::{Simulation, TraceMode};
use liveness::time::{MINS, SECS};
use serde_json::json;

/// Everything observable about a finished run.
fn outcome(sim: &mut Simulation) -> (Vec<String>, Option<String>, String, u64) {
    let events = sim.trace().iter().map(|e| sim.event_json(e)).collect();
    let n = sim.agent_names().len() as u32;
    let views = (0..n)
        .map(|a| format!("{:?}/{:?}", sim.master_view(a), sim.agent_state(a)))
        .collect::<Vec<_>>()
        .join(",");
    let expectations = format!("{:?}", sim.check_expectations());
    (
        events,
        sim.trace_hash(),
        format!("{views}|{expectations}"),
        sim.events_processed(),
    )
}

/// Steps to the end in stops of `until` apart, each in bounded runs of `bound` events.
fn stepped(scenario: &Scenario, stop: u64, bound: u64) -> Simulation {
    let mut sim = Simulation::with_trace(scenario, TraceMode::Full).unwrap();
    let mut t = 0;
    while t < scenario.duration {
        t = (t + stop).min(scenario.duration);
        while !sim.advance_bounded(t, bound).unwrap() {
            // A stop leaves the clock at the last event run, never beyond the target.
            assert!(sim.now() <= t);
            assert!(sim.next_event_time().is_some_and(|n| n <= t));
        }
        assert_eq!(sim.now(), t);
    }
    sim
}

fn assert_same_as_one_advance(scenario: &Scenario, label: &str) {
    let mut whole = Simulation::with_trace(scenario, TraceMode::Full).unwrap();
    whole.advance_to(scenario.duration).unwrap();
    let want = outcome(&mut whole);
    for (stop, bound) in [
        (scenario.duration, 1),
        (scenario.duration / 7 + 1, 3),
        (37 * SECS, 1000),
    ] {
        let mut sim = stepped(scenario, stop, bound);
        assert_eq!(
            outcome(&mut sim),
            want,
            "{label}: stops every {stop} µs, at most {bound} events"
        );
    }
}

#[test]
fn every_preset_stepped_in_bounded_chunks_is_the_same_run() {
    for preset in liveness::presets::PRESETS {
        let scenario = Scenario::from_json_text(preset.json).unwrap();
        assert_same_as_one_advance(&scenario, preset.name);
    }
}

#[test]
fn a_ping_wave_of_many_agents_at_one_instant_is_split_and_still_the_same_run() {
    // 300 agents pinged at the same instants, a partition, a hung restart and a heal.
    let some = |from: usize, n: usize| {
        (from..from + n)
            .map(|i| format!("n-{i}"))
            .collect::<Vec<_>>()
    };
    let scenario = Scenario::from_json(&json!({
        "seed": 3, "duration": "20mins",
        "frameworks": [{ "name": "web", "partition_aware": true }],
        "agents": [{ "name": "n", "count": 300, "tasks": { "web": 1 } }],
        "faults": [
            { "at": "30secs", "kind": "partition", "agents": some(0, 12), "direction": "both" },
            { "at": "1mins", "kind": "restart_agent", "agents": some(100, 6), "recovery": "hang" },
            { "at": "3mins", "kind": "heal", "agents": some(0, 12) }
        ],
        "expect": [
            { "at": "12mins", "agent": "n-100", "agent_state": "recovering" },
            { "event": "agent_marked_unreachable", "agent": "n-100", "count": 1 }
        ]
    }))
    .unwrap();
    // Some instant holds more than one event: a bound of 1 really stops inside it.
    let mut sim = Simulation::with_trace(&scenario, TraceMode::Full).unwrap();
    let mut split_instant = false;
    while !sim.advance_bounded(MINS, 1).unwrap() {
        split_instant |= sim.next_event_time() == Some(sim.now());
    }
    assert!(
        split_instant,
        "a bound of 1 stops between two events of one instant"
    );
    assert_same_as_one_advance(&scenario, "300 agents");
}

#[test]
fn a_bound_is_respected_and_time_never_goes_back() {
    let scenario =
        Scenario::from_json_text(liveness::presets::find("stuck-recovery").unwrap().json).unwrap();
    let mut sim = Simulation::new(&scenario).unwrap();
    let before = sim.events_processed();
    assert!(!sim.advance_bounded(10 * MINS, 5).unwrap());
    assert_eq!(sim.events_processed() - before, 5);
    // Nothing due: the clock moves even with a bound of 0.
    let mut quiet = Simulation::new(&scenario).unwrap();
    quiet.advance_to(MINS).unwrap();
    let next = quiet.next_event_time().unwrap();
    assert!(quiet.advance_bounded(next - 1, 0).unwrap());
    assert_eq!(quiet.now(), next - 1);
    assert!(!quiet.advance_bounded(next, 0).unwrap());
    assert_eq!(quiet.now(), next - 1);
    assert!(quiet.advance_bounded(MINS, 1).is_err(), "before now");
}
