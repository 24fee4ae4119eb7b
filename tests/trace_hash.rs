//! The trace hash's encoding (`docs/trace.md`, `src/trace_hash.rs`): the worked example of the
//! docs, one value per event kind, and that distinct events give distinct, self-delimiting bytes
//! (so a run's concatenated bytes decode one way only). The same hashes in WebAssembly are
//! checked by `tests/js/parity.test.mjs` and `tests/js/api.test.mjs`.

use liveness::bench::workloads;
use liveness::mesos::event::{AgentDisconnected, MasterAbort, NodeStatus, TaskStatus};
use liveness::mesos::types::{
    AgentAbort, AgentId, AgentState, Cause, ExecutorEnd, MasterView, MessageKind, RemovalReason,
    TaskReason, TaskState,
};
use liveness::sim::Simulation;
use liveness::time::{MILLIS, SECS};
use liveness::trace::{Event, Stamped, EVENT_FIELDS};
use liveness::trace_hash::{encode, TraceHasher};
use liveness::{presets, scenario::Scenario};

/// The worked example in docs/trace.md.
#[test]
fn the_documented_example_encodes_and_hashes_as_written() {
    let ping = Stamped {
        t: 15 * SECS,
        event: Event::Message {
            agent: 1,
            kind: MessageKind::Ping,
            dropped: false,
            connected: Some(true),
            peer: None,
        },
    };
    assert_eq!(
        encode(&ping),
        [0xc0, 0xc3, 0x93, 0x07, 0x01, 0x01, 0x00, 0x00, 0x01, 0x01, 0x00]
    );
    let mut h = TraceHasher::default();
    h.event(&ping);
    assert_eq!(h.hex(), "e859793e4413a606");
}

/// Two values of every field of every kind (plus times), each differing from the others.
fn samples() -> Vec<Stamped> {
    let id = AgentId(3);
    let mut events = vec![
        Event::Fault { index: 0 },
        Event::Fault { index: 300 },
        Event::NodeStatus(Box::new(NodeStatus {
            agent: 0,
            status: "Ready",
            view: MasterView::Connected,
        })),
        Event::NodeStatus(Box::new(NodeStatus {
            agent: 0,
            status: "Unknown",
            view: MasterView::Disconnected,
        })),
        Event::Message {
            agent: 0,
            kind: MessageKind::Ping,
            dropped: false,
            connected: None,
            peer: None,
        },
        Event::Message {
            agent: 0,
            kind: MessageKind::Ping,
            dropped: false,
            connected: Some(false),
            peer: None,
        },
        Event::Message {
            agent: 0,
            kind: MessageKind::Ping,
            dropped: true,
            connected: Some(true),
            peer: None,
        },
        Event::Message {
            agent: 200,
            kind: MessageKind::StatusUpdate,
            dropped: false,
            connected: None,
            peer: None,
        },
        Event::Message {
            agent: 200,
            kind: MessageKind::StatusUpdate,
            dropped: false,
            connected: None,
            peer: Some(2),
        },
        Event::PingTimeout {
            agent: 1,
            consecutive: 1,
        },
        Event::PingTimeout {
            agent: 1,
            consecutive: 128,
        },
        Event::AgentDisconnected(Box::new(AgentDisconnected {
            agent: 1,
            reregister_deadline: None,
        })),
        Event::AgentDisconnected(Box::new(AgentDisconnected {
            agent: 1,
            reregister_deadline: Some(0),
        })),
        Event::AgentDisconnected(Box::new(AgentDisconnected {
            agent: 1,
            reregister_deadline: Some(10 * MILLIS),
        })),
        Event::UnreachableScheduled {
            agent: 1,
            cause: Cause::HealthCheck,
        },
        Event::UnreachableScheduled {
            agent: 1,
            cause: Cause::MasterFailover,
        },
        Event::UnreachableCanceled {
            agent: 1,
            cause: Cause::HealthCheck,
        },
        Event::AgentMarkedUnreachable {
            agent: 1,
            id,
            cause: Cause::ReregisterTimeout,
        },
        Event::AgentMarkedUnreachable {
            agent: 1,
            id: AgentId(4),
            cause: Cause::ReregisterTimeout,
        },
        Event::AgentRegistered {
            agent: 1,
            id,
            previous_view: MasterView::Unknown,
        },
        Event::AgentReregistered {
            agent: 1,
            id,
            previous_view: MasterView::Unknown,
        },
        Event::AgentReregistered {
            agent: 1,
            id,
            previous_view: MasterView::Unreachable,
        },
        Event::AgentRemoved {
            agent: 1,
            id,
            reason: RemovalReason::Registered,
        },
        Event::AgentRemoved {
            agent: 1,
            id,
            reason: RemovalReason::Unregistered,
        },
        Event::SlaveLost {
            agent: 1,
            framework: 0,
        },
        Event::SlaveLost {
            agent: 1,
            framework: 1,
        },
        Event::FrameworkShutdown {
            agent: 1,
            framework: 0,
        },
        Event::AgentStateChanged {
            agent: 1,
            from: AgentState::Running,
            to: AgentState::Down,
        },
        Event::AgentStateChanged {
            agent: 1,
            from: AgentState::Down,
            to: AgentState::Running,
        },
        Event::AgentPingTimeout { agent: 1 },
        Event::AgentPingTimeout { agent: 2 },
        Event::MasterFailover { downtime: SECS },
        Event::MasterFailover { downtime: 2 * SECS },
        Event::MasterRecovered {
            recovered_agents: 0,
        },
        Event::MasterRecovered {
            recovered_agents: 5,
        },
        Event::MasterAborted {
            reason: Box::new(MasterAbort::RecoveryRemovalLimit),
        },
        Event::MasterAborted {
            reason: Box::new(MasterAbort::RegistryStoreTimeout(0)),
        },
        Event::MasterAborted {
            reason: Box::new(MasterAbort::RegistryStoreTimeout(SECS)),
        },
        Event::ExecutorTerminated {
            agent: 1,
            framework: 0,
            task: 7,
            reason: ExecutorEnd::AgentExited,
        },
        Event::ExecutorTerminated {
            agent: 1,
            framework: 0,
            task: 8,
            reason: ExecutorEnd::AgentExited,
        },
        Event::AgentAborted {
            agent: 1,
            reason: AgentAbort::RegisteredWrongId,
        },
        Event::AgentAborted {
            agent: 1,
            reason: AgentAbort::ReregisteredWrongId,
        },
        Event::RegistryPruned { agent: 1, id },
        Event::RegistryPruned { agent: 0, id },
    ];
    for (state, reason, unreachable_time, forwarded) in [
        (TaskState::Running, None, None, true),
        (TaskState::Lost, Some(TaskReason::SlaveRemoved), None, true),
        (TaskState::Lost, Some(TaskReason::SlaveRemoved), None, false),
        (
            TaskState::Unreachable,
            Some(TaskReason::SlaveRemoved),
            Some(SECS),
            true,
        ),
    ] {
        events.push(Event::TaskStatus(Box::new(TaskStatus {
            agent: 1,
            framework: 0,
            task: 2,
            state,
            reason,
            unreachable_time,
            forwarded,
        })));
    }
    let mut stamped: Vec<Stamped> = events
        .into_iter()
        .map(|event| Stamped { t: MILLIS, event })
        .collect();
    let first = stamped[0].event.clone();
    stamped.push(Stamped {
        t: 0,
        event: first.clone(),
    });
    stamped.push(Stamped {
        t: 3600 * SECS,
        event: first,
    });
    stamped
}

#[test]
fn the_samples_cover_every_event_kind() {
    let samples = samples();
    for (kind, _) in EVENT_FIELDS {
        assert!(
            samples.iter().any(|s| s.event.kind() == *kind),
            "no sample of {kind}: add one"
        );
    }
}

/// Distinct events give distinct bytes, and no event's bytes start another's: a run's bytes
/// split into events one way only.
#[test]
fn distinct_events_give_distinct_self_delimiting_bytes() {
    let samples = samples();
    let bytes: Vec<Vec<u8>> = samples.iter().map(encode).collect();
    for (i, a) in bytes.iter().enumerate() {
        for (j, b) in bytes.iter().enumerate() {
            if i != j {
                assert_ne!(samples[i], samples[j], "the samples must differ");
                assert!(
                    !b.starts_with(a),
                    "{:?} is a prefix of {:?}",
                    samples[i],
                    samples[j]
                );
            }
        }
    }
}

/// The simulator's hash is FNV-1a 64 over the concatenated encodings of the trace, and the
/// documented hash of the README's example run.
#[test]
fn a_runs_hash_is_fnv_over_its_events_bytes() {
    let preset = presets::find("stuck-recovery").unwrap();
    let scenario = Scenario::from_json_text(preset.json).unwrap();
    let mut sim = Simulation::new(&scenario).unwrap();
    sim.run_to_end();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for e in sim.trace() {
        for b in encode(e) {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    assert_eq!(sim.trace_hash().unwrap(), format!("{h:016x}"));
    assert_eq!(format!("{h:016x}"), "c10aaa59f0f67b7f");
}

/// The bytes of every sample above, pinned (FNV-1a over their concatenation): a change to how
/// events are stored, boxed or laid out in memory must not change what is hashed.
#[test]
fn the_samples_bytes_are_pinned() {
    let mut h = TraceHasher::default();
    for s in samples() {
        h.bytes(&encode(&s));
    }
    assert_eq!(h.hex(), "c3c36d01f279a835");
}

/// The trace hash of every preset and of `liveness bench`'s workloads (1.26 M events), pinned:
/// how the trace is kept and hashed may change, the hash may not.
#[test]
fn the_presets_and_bench_workloads_hash_as_pinned() {
    let pinned = [
        ("stuck-recovery", "c10aaa59f0f67b7f"),
        ("slow-recovery", "b8eb28f02ac601ed"),
        ("ghost-tasks", "e4d87d55b2918e4b"),
        ("partition", "c77e0e0612ebacdc"),
        ("one-way-partition", "ce54af277aee01d2"),
        ("master-failover", "c15a11ddd5035fae"),
        ("rate-limited", "4b8f9449bfbd4299"),
        ("running-only-pongs", "8e57b2a7687bfb90"),
        ("hung-agent-everywhere", "d2ea5ef2889a5b7e"),
        ("kubernetes", "7201f7ce72ae49fe"),
        ("nomad", "32a6615f92cf8192"),
        ("memberlist", "4246703a6f61f493"),
        ("phi-accrual", "599e927e7e10ccbe"),
        ("healthy-1k-1h", "711a9185627807dd"),
        ("partition-10k-10m", "9143b7d7cc0d40f8"),
    ];
    let mut runs: Vec<(&str, Scenario)> = presets::PRESETS
        .iter()
        .map(|p| (p.name, Scenario::from_json_text(p.json).unwrap()))
        .collect();
    runs.extend(workloads().into_iter().map(|w| (w.name, w.scenario)));
    assert_eq!(
        runs.len(),
        pinned.len(),
        "pin the hash of every preset and workload"
    );
    for ((name, scenario), (pinned_name, hash)) in runs.iter().zip(pinned) {
        assert_eq!(*name, pinned_name);
        let mut sim = Simulation::new(scenario).unwrap();
        sim.run_to_end();
        assert_eq!(sim.trace_hash().as_deref(), Some(hash), "{name}");
    }
}
