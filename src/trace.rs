//! Trace events (`docs/trace.md`) and the trace hash.
//!
//! The canonical trace is one JSON object per line, keys in a fixed order (`t`, `event`, then the
//! fields in the order of [`EVENT_FIELDS`]). The trace hash is computed over a compact binary
//! encoding of the same events instead (`trace_hash.rs`), so hashing formats nothing.

use std::fmt::Write;

use serde_json::Value;

pub use crate::mesos::event::{unreachable_message, Event};
use crate::mesos::event::{AgentDisconnected, NodeStatus, TaskStatus};
use crate::mesos::types::{AgentId, AgentIx, FwIx, MesosVersion};
use crate::time::{self, Time};
pub use crate::trace_hash::TraceHasher;

/// An event with its time. Its `Serialize` (time, then the event) is the trace hash's encoding
/// (`trace_hash.rs`), not the JSON line.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Stamped {
    /// When it happened.
    pub t: Time,
    /// What happened.
    pub event: Event,
}

// A full trace keeps every event (1.26 M in `liveness bench`'s partition workload): keep each to
// 24 bytes. `Event` boxes its rare wide kinds for this; a wider inline kind fails the build here.
const _: () = assert!(std::mem::size_of::<Stamped>() <= 24);

/// Every event kind with its fields, in output order (used to validate expectation filters).
pub const EVENT_FIELDS: &[(&str, &[&str])] = &[
    ("fault", &["fault"]),
    (
        "message",
        &["message", "agent", "peer", "from", "dropped", "connected"],
    ),
    ("ping_timeout", &["agent", "consecutive"]),
    ("agent_disconnected", &["agent", "reregister_deadline"]),
    ("unreachable_scheduled", &["agent", "cause"]),
    ("unreachable_canceled", &["agent", "cause"]),
    (
        "agent_marked_unreachable",
        &["agent", "agent_id", "cause", "message"],
    ),
    ("agent_registered", &["agent", "agent_id", "previous_view"]),
    (
        "agent_reregistered",
        &["agent", "agent_id", "previous_view"],
    ),
    ("agent_removed", &["agent", "agent_id", "reason"]),
    (
        "task_status",
        &[
            "agent",
            "framework",
            "task",
            "state",
            "reason",
            "unreachable_time",
            "forwarded",
        ],
    ),
    ("slave_lost", &["agent", "framework"]),
    ("framework_shutdown", &["agent", "framework"]),
    ("agent_state", &["agent", "from", "to"]),
    ("agent_ping_timeout", &["agent"]),
    ("master_failover", &["downtime"]),
    ("master_recovered", &["recovered_agents"]),
    ("master_aborted", &["reason"]),
    (
        "executor_terminated",
        &["agent", "framework", "executor", "reason"],
    ),
    ("agent_aborted", &["agent", "reason"]),
    ("node_status", &["agent", "status", "view"]),
    ("registry_pruned", &["agent", "agent_id"]),
];

/// What the JSON writer needs to turn indices into names.
pub struct TraceNames<'a> {
    /// Agent names by index.
    pub agents: &'a [String],
    /// Framework names by index.
    pub frameworks: &'a [String],
    /// Task names by index.
    pub tasks: &'a [String],
    /// The fault log (faults as given, `at` filled in).
    pub faults: &'a [Value],
    /// `agent_reregister_timeout`, quoted in Mesos' messages.
    pub reregister_timeout: Time,
    /// Which Mesos release's wording the messages follow.
    pub version: MesosVersion,
}

fn json_str(out: &mut String, s: &str) {
    // Fast path: names rarely need escaping, and this runs for every field of every event.
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string()));
}

fn key(out: &mut String, k: &str) {
    out.push_str(",\"");
    out.push_str(k);
    out.push_str("\":");
}

fn key_str(out: &mut String, k: &str, v: &str) {
    key(out, k);
    json_str(out, v);
}

fn key_id(out: &mut String, id: AgentId) {
    let _ = write!(out, ",\"agent_id\":\"{id}\"");
}

fn key_opt_time(out: &mut String, k: &str, t: Option<Time>) {
    key(out, k);
    match t {
        Some(t) => time::write_millis(out, t),
        None => out.push_str("null"),
    }
}

impl Stamped {
    /// Appends the canonical JSON of this event (no newline).
    pub fn write_json(&self, names: &TraceNames, out: &mut String) {
        out.push_str("{\"t\":");
        time::write_millis(out, self.t);
        out.push_str(",\"event\":\"");
        out.push_str(self.event.kind());
        out.push('"');
        let agent = |out: &mut String, a: AgentIx| key_str(out, "agent", &names.agents[a as usize]);
        let fw =
            |out: &mut String, f: FwIx| key_str(out, "framework", &names.frameworks[f as usize]);
        match &self.event {
            Event::Fault { index } => {
                key(out, "fault");
                out.push_str(&names.faults[*index as usize].to_string());
            }
            Event::Message {
                agent: a,
                kind,
                dropped,
                connected,
                peer,
            } => {
                key_str(out, "message", kind.name());
                agent(out, *a);
                if let Some(p) = peer {
                    key_str(out, "peer", &names.agents[*p as usize]);
                }
                key_str(
                    out,
                    "from",
                    if kind.from_master() {
                        "master"
                    } else {
                        "agent"
                    },
                );
                key(out, "dropped");
                out.push_str(if *dropped { "true" } else { "false" });
                if let Some(c) = connected {
                    key(out, "connected");
                    out.push_str(if *c { "true" } else { "false" });
                }
            }
            Event::PingTimeout {
                agent: a,
                consecutive,
            } => {
                agent(out, *a);
                key(out, "consecutive");
                let _ = write!(out, "{consecutive}");
            }
            Event::AgentDisconnected(d) => {
                let AgentDisconnected {
                    agent: a,
                    reregister_deadline,
                } = &**d;
                agent(out, *a);
                key_opt_time(out, "reregister_deadline", *reregister_deadline);
            }
            Event::UnreachableScheduled { agent: a, cause }
            | Event::UnreachableCanceled { agent: a, cause } => {
                agent(out, *a);
                key_str(out, "cause", cause.name());
            }
            Event::AgentMarkedUnreachable {
                agent: a,
                id,
                cause,
            } => {
                agent(out, *a);
                key_id(out, *id);
                key_str(out, "cause", cause.name());
                key_str(
                    out,
                    "message",
                    &unreachable_message(*cause, names.reregister_timeout, names.version),
                );
            }
            Event::AgentRegistered {
                agent: a,
                id,
                previous_view,
            }
            | Event::AgentReregistered {
                agent: a,
                id,
                previous_view,
            } => {
                agent(out, *a);
                key_id(out, *id);
                key_str(out, "previous_view", previous_view.name());
            }
            Event::AgentRemoved {
                agent: a,
                id,
                reason,
            } => {
                agent(out, *a);
                key_id(out, *id);
                key_str(out, "reason", reason.name());
            }
            Event::TaskStatus(s) => {
                let TaskStatus {
                    agent: a,
                    framework,
                    task,
                    state,
                    reason,
                    unreachable_time,
                    forwarded,
                } = &**s;
                agent(out, *a);
                fw(out, *framework);
                key_str(out, "task", &names.tasks[*task as usize]);
                key_str(out, "state", state.name());
                key(out, "reason");
                match reason {
                    Some(r) => json_str(out, r.name()),
                    None => out.push_str("null"),
                }
                key_opt_time(out, "unreachable_time", *unreachable_time);
                key(out, "forwarded");
                out.push_str(if *forwarded { "true" } else { "false" });
            }
            Event::SlaveLost {
                agent: a,
                framework,
            }
            | Event::FrameworkShutdown {
                agent: a,
                framework,
            } => {
                agent(out, *a);
                fw(out, *framework);
            }
            Event::AgentStateChanged { agent: a, from, to } => {
                agent(out, *a);
                key_str(out, "from", from.name());
                key_str(out, "to", to.name());
            }
            Event::AgentPingTimeout { agent: a } => agent(out, *a),
            Event::MasterFailover { downtime } => key_opt_time(out, "downtime", Some(*downtime)),
            Event::MasterRecovered { recovered_agents } => {
                key(out, "recovered_agents");
                let _ = write!(out, "{recovered_agents}");
            }
            Event::MasterAborted { reason } => key_str(out, "reason", &reason.message()),
            Event::ExecutorTerminated {
                agent: a,
                framework,
                task,
                reason,
            } => {
                agent(out, *a);
                fw(out, *framework);
                key_str(out, "executor", &names.tasks[*task as usize]);
                key_str(out, "reason", reason.name());
            }
            Event::AgentAborted { agent: a, reason } => {
                agent(out, *a);
                key_str(out, "reason", reason.name());
            }
            Event::NodeStatus(s) => {
                let NodeStatus {
                    agent: a,
                    status,
                    view,
                } = &**s;
                agent(out, *a);
                key_str(out, "status", status);
                key_str(out, "view", view.name());
            }
            Event::RegistryPruned { agent: a, id } => {
                agent(out, *a);
                key_id(out, *id);
            }
        }
        out.push('}');
    }
}
