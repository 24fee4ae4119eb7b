//! The five failure detectors side by side, measured by running the engine: how long after a
//! crash each declares the node failed, and whether it ever notices a hung agent whose
//! heartbeat path keeps going. The README's table is this module's output (`liveness
//! detectors`), checked by a test, never typed by hand.

use serde_json::json;

use crate::detectors::{kubernetes, memberlist, nomad, phi, DetectorKind};
use crate::mesos::config::MasterConfig;
use crate::mesos::types::Policy;
use crate::scenario::Scenario;
use crate::sim::{Simulation, TraceMode};
use crate::time::{format_duration, Time, MINS, SECS};
use crate::trace::Event;

/// One detector's row.
#[derive(Clone, Debug)]
pub struct Row {
    /// Which detector.
    pub detector: DetectorKind,
    /// What it watches.
    pub signal: &'static str,
    /// Who decides, and what "failed" means there.
    pub decision: &'static str,
    /// Its main defaults, from the engine's own configuration.
    pub defaults: String,
    /// Crash → mark over several crash phases: (shortest, longest).
    pub crash_to_mark: (Time, Time),
    /// When a hung agent (heartbeat path alive) was marked after its restart, if within the run.
    pub hung_marked: Option<Time>,
}

/// How long the hung-agent run lasts.
pub const HUNG_RUN: Time = 60 * MINS;
/// Crash phases measured per detector.
const PHASES: u64 = 8;

impl DetectorKind {
    /// What the detector watches.
    pub fn signal(self) -> &'static str {
        match self {
            DetectorKind::Mesos => "master pings each agent; the agent's socket to the master",
            DetectorKind::Kubernetes => "the kubelet renews its Lease",
            DetectorKind::Nomad => "the client's heartbeat RPC",
            DetectorKind::Memberlist => "members probe each other (ping, ping-req, TCP)",
            DetectorKind::PhiAccrual => "heartbeat responses, intervals learned",
        }
    }

    /// Who decides, and what it calls failed.
    pub fn decision(self) -> &'static str {
        match self {
            DetectorKind::Mesos => "master: N missed pings, or no re-registration R after exited()",
            DetectorKind::Kubernetes => {
                "node lifecycle controller: Ready → Unknown, then taint, then eviction"
            }
            DetectorKind::Nomad => "leader: TTL + grace expires → node down, allocations lost",
            DetectorKind::Memberlist => "any member: suspicion not refuted in time → dead",
            DetectorKind::PhiAccrual => {
                "monitor: φ ≥ threshold → unreachable; downed after a stable period"
            }
        }
    }

    /// The main defaults, from the engine's configuration values.
    pub fn defaults_summary(self) -> String {
        let d = format_duration;
        match self {
            DetectorKind::Mesos => {
                let m = MasterConfig::defaults(Policy::Mesos12);
                format!(
                    "ping {} × {}, agent_reregister_timeout {}",
                    d(m.agent_ping_timeout),
                    m.max_agent_ping_timeouts,
                    d(m.agent_reregister_timeout)
                )
            }
            DetectorKind::Kubernetes => {
                let k = kubernetes::Config::default();
                format!(
                    "lease renew {}, monitor {}, grace {}, toleration {}s",
                    d(k.renew_interval()),
                    d(k.node_monitor_period),
                    d(k.node_monitor_grace_period),
                    k.default_toleration_seconds
                )
            }
            DetectorKind::Nomad => {
                let n = nomad::Config::default();
                format!(
                    "min TTL {}, grace {}, {} heartbeats/s, failover TTL {}",
                    d(n.min_heartbeat_ttl),
                    d(n.heartbeat_grace),
                    n.max_heartbeats_per_second,
                    d(n.failover_heartbeat_ttl)
                )
            }
            DetectorKind::Memberlist => {
                let m = memberlist::Config::default();
                format!(
                    "probe {} (timeout {}), {} indirect, suspicion ×{} (max ×{})",
                    d(m.probe_interval),
                    d(m.probe_timeout),
                    m.indirect_checks,
                    m.suspicion_mult,
                    m.suspicion_max_timeout_mult
                )
            }
            DetectorKind::PhiAccrual => {
                let p = phi::Config::default();
                format!(
                    "heartbeat {}, threshold {}, pause {}, downed after {}",
                    d(p.heartbeat_interval),
                    p.threshold,
                    d(p.acceptable_heartbeat_pause),
                    p.stable_after.map_or("never".to_string(), d)
                )
            }
        }
    }
}

/// A cluster of ten agents under `detector` with `faults`.
fn cluster(detector: DetectorKind, faults: serde_json::Value, duration: &str) -> Scenario {
    let v = json!({
        "name": "compare",
        "seed": 17,
        "duration": duration,
        "detector": detector.name(),
        "frameworks": [{ "name": "app", "partition_aware": true, "checkpoint": true }],
        "agents": [{ "name": "n", "count": 10, "tasks": { "app": 1 } }],
        "faults": faults,
    });
    Scenario::from_json(&v).expect("the comparison scenarios are valid")
}

/// When `agent` was first marked, if it was.
fn mark_time(sim: &Simulation, agent: u32) -> Option<Time> {
    sim.trace().iter().find_map(|e| match e.event {
        Event::AgentMarkedUnreachable { agent: a, .. } if a == agent => Some(e.t),
        _ => None,
    })
}

fn run(s: &Scenario) -> Simulation {
    let mut sim = Simulation::with_trace(s, TraceMode::Verdicts).expect("valid");
    sim.run_to_end();
    sim
}

/// Measures one detector.
pub fn row(detector: DetectorKind) -> Row {
    let mut delays = Vec::new();
    for k in 0..PHASES {
        let crash = 5 * MINS + k * 1_700 * crate::time::MILLIS;
        let s = cluster(
            detector,
            json!([{ "at": format!("{crash}us"), "kind": "crash_agent", "agents": ["n-3"] }]),
            "20mins",
        );
        let sim = run(&s);
        if let Some(t) = mark_time(&sim, 3) {
            delays.push(t - crash);
        }
    }
    let hung = cluster(
        detector,
        json!([{ "at": "1mins", "kind": "restart_agent", "agents": ["n-3"], "recovery": "hang" }]),
        &format_duration(HUNG_RUN + MINS),
    );
    let sim = run(&hung);
    Row {
        detector,
        signal: detector.signal(),
        decision: detector.decision(),
        defaults: detector.defaults_summary(),
        crash_to_mark: (
            delays.iter().copied().min().unwrap_or(0),
            delays.iter().copied().max().unwrap_or(0),
        ),
        hung_marked: mark_time(&sim, 3).map(|t| t - MINS),
    }
}

/// Every detector's row.
pub fn rows() -> Vec<Row> {
    DetectorKind::ALL.into_iter().map(row).collect()
}

fn seconds(t: Time) -> String {
    format!("{:.1} s", t as f64 / SECS as f64)
}

/// The README's table.
pub fn markdown(rows: &[Row]) -> String {
    let mut out = String::from(
        "| detector | signal | decision | defaults | crash → mark | hung agent (heartbeat alive) |\n\
         |---|---|---|---|---|---|\n",
    );
    for r in rows {
        let hung = match r.hung_marked {
            Some(t) => format!("marked {} after the restart", format_duration(t)),
            None => format!("never marked ({} run)", format_duration(HUNG_RUN)),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {}–{} | {} |\n",
            r.detector.name(),
            r.signal,
            r.decision,
            r.defaults,
            seconds(r.crash_to_mark.0),
            seconds(r.crash_to_mark.1),
            hung
        ));
    }
    out
}
