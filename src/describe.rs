//! Words for trace events, their causes, reasons and verdicts, and for faults: the one place the
//! CLI summary and the page (through the wasm binding) take them from.
//!
//! Everything reads the canonical JSON of `docs/trace.md` — an event object as the trace writer
//! writes it, a fault as the scenario gives it — so any host holding an event has what it needs.
//! An event's words leave out its time and its agent: the CLI writes `agent-1 re-registered (was
//! unreachable)`, the lab's log shows the agent in a column of its own. Malformed input gets plain
//! words, never a panic.

use serde_json::Value;

use crate::mesos::types::{AgentState, Cause};
use crate::scenario::FaultKindName;
use crate::time::{self, Time};

/// Words for a verdict's cause (the trace's `cause` field); an unknown cause is its own name.
///
/// ```
/// assert_eq!(liveness::describe::cause("health_check"), "health check");
/// assert_eq!(liveness::describe::cause("reregister_timeout"), "agent_reregister_timeout");
/// ```
pub fn cause(cause: &str) -> &str {
    match Cause::parse(cause) {
        Some(Cause::HealthCheck) => "health check",
        Some(Cause::ReregisterTimeout) => "agent_reregister_timeout",
        Some(Cause::MasterFailover) => "not back after failover",
        Some(Cause::LeaseExpired) => "lease not renewed within node_monitor_grace_period",
        Some(Cause::HeartbeatTtl) => "no heartbeat within the TTL plus heartbeat_grace",
        Some(Cause::SuspicionTimeout) => "suspicion not refuted in time",
        Some(Cause::PhiThreshold) => "φ crossed the threshold",
        None => cause,
    }
}

/// Words for a fault kind (`restart_agent` → `restart`).
pub fn fault_kind(kind: FaultKindName) -> &'static str {
    match kind {
        FaultKindName::RestartAgent => "restart",
        FaultKindName::CrashAgent => "crash",
        FaultKindName::StartAgent => "start",
        FaultKindName::FinishRecovery => "finish recovery",
        FaultKindName::Partition => "partition",
        FaultKindName::Heal => "heal",
        FaultKindName::BreakSocket => "break socket",
        FaultKindName::DropMessages => "drop messages",
        FaultKindName::ShutdownAgent => "shutdown",
        FaultKindName::FailOverMaster => "master failover",
        FaultKindName::DisconnectFramework => "disconnect framework",
        FaultKindName::ReconnectFramework => "reconnect framework",
    }
}

/// A short label for an event's kind (the lab's badges): `unreachable`, `re-registered`,
/// `dropped` …; an unknown kind is its own name.
pub fn label(event: &Value) -> String {
    let kind = text(&event["event"]);
    match kind_label(&kind, event["dropped"] == true) {
        Some(label) => label.to_string(),
        None => kind,
    }
}

fn kind_label(kind: &str, dropped: bool) -> Option<&'static str> {
    Some(match kind {
        "agent_marked_unreachable" => "unreachable",
        "agent_removed" => "removed",
        "unreachable_scheduled" => "scheduled",
        "unreachable_canceled" => "canceled",
        "agent_disconnected" => "disconnected",
        "agent_registered" => "registered",
        "agent_reregistered" => "re-registered",
        "ping_timeout" => "ping timeout",
        "agent_ping_timeout" => "agent ping timeout",
        "fault" => "fault",
        "agent_state" => "process",
        "task_status" => "task",
        "slave_lost" => "slaveLost",
        "framework_shutdown" => "shutdown fw",
        "master_failover" => "failover",
        "master_recovered" => "master up",
        "master_aborted" => "master abort",
        "executor_terminated" => "executor died",
        "agent_aborted" => "agent exits",
        "registry_pruned" => "pruned",
        "node_status" => "node status",
        "message" if dropped => "dropped",
        "message" => "message",
        _ => return None,
    })
}

/// One event in words, without its time and agent.
///
/// ```
/// use serde_json::json;
/// let ev = json!({ "t": 660001, "event": "agent_reregistered", "agent": "agent-1",
///                  "agent_id": "S1", "previous_view": "unreachable" });
/// assert_eq!(liveness::describe::event(&ev), "re-registered (was unreachable)");
/// let ev = json!({ "t": 60000, "event": "master_failover", "downtime": 10000 });
/// assert_eq!(liveness::describe::event(&ev), "master fails over; a new one comes up in 10secs");
/// ```
pub fn event(ev: &Value) -> String {
    let field = |k: &str| text(&ev[k]);
    let cause_words = || cause(&field("cause")).to_string();
    match ev["event"].as_str().unwrap_or("") {
        "fault" => fault(&ev["fault"], false),
        "message" => {
            let peer;
            let dir = if let Some(p) = ev["peer"].as_str() {
                peer = format!("→ {p}");
                peer.as_str()
            } else if ev["from"] == "master" {
                "master → agent"
            } else {
                "agent → master"
            };
            let flag = if ev["message"] == "PingSlaveMessage" && ev["connected"] == false {
                " connected=false"
            } else {
                ""
            };
            let dropped = if ev["dropped"] == true {
                " — DROPPED"
            } else {
                ""
            };
            format!("{} {dir}{flag}{dropped}", field("message"))
        }
        "ping_timeout" => match ev["consecutive"].as_u64() {
            Some(1) => "left a ping unanswered".to_string(),
            _ => format!("left {} pings in a row unanswered", field("consecutive")),
        },
        "agent_disconnected" => match json_time(&ev["reregister_deadline"]) {
            Some(deadline) => format!(
                "disconnected: the master saw its socket break; it must re-register by {}",
                time::format_clock(deadline)
            ),
            None => "disconnected: the master saw its socket break (no re-registration timer)"
                .to_string(),
        },
        "unreachable_scheduled" => {
            format!("scheduled to be marked unreachable ({})", cause_words())
        }
        "unreachable_canceled" => {
            format!("no longer to be marked unreachable ({})", cause_words())
        }
        "agent_marked_unreachable" => match ev["message"].as_str() {
            Some(message) => format!("MARKED UNREACHABLE: {message}"),
            None => format!("MARKED UNREACHABLE ({})", cause_words()),
        },
        "agent_registered" => match ev["previous_view"].as_str() {
            None | Some("unknown") => "registered".to_string(),
            Some(view) => format!("registered as a new agent (the old one was {view})"),
        },
        "agent_reregistered" => format!("re-registered (was {})", field("previous_view")),
        "agent_removed" => format!("removed ({})", field("reason")),
        "task_status" => {
            let reason = match ev["reason"].as_str() {
                Some(r) => format!(" ({r})"),
                None => String::new(),
            };
            format!("{}: {}{reason}", field("task"), field("state"))
        }
        "slave_lost" => format!("reported lost to {} (slaveLost)", field("framework")),
        "framework_shutdown" => format!(
            "shut down framework {}'s tasks on re-registration (ShutdownFrameworkMessage)",
            field("framework")
        ),
        "agent_state" => {
            let (from, to) = (field("from"), field("to"));
            let finished = AgentState::parse(&from) == Some(AgentState::Recovering)
                && AgentState::parse(&to) == Some(AgentState::Disconnected);
            if finished {
                format!("finished recovery (process {from} → {to})")
            } else {
                format!("process {from} → {to}")
            }
        }
        "agent_ping_timeout" => {
            "heard no ping for its whole ping timeout; re-detects the master".to_string()
        }
        "master_failover" => format!(
            "master fails over; a new one comes up in {}",
            duration_text(&ev["downtime"])
        ),
        "master_recovered" => format!(
            "new master recovered the registry: {} agents must re-register",
            field("recovered_agents")
        ),
        "master_aborted" => format!("master EXITS: {}", field("reason")),
        "executor_terminated" => format!(
            "lost an executor of {} ({})",
            field("framework"),
            field("reason")
        ),
        "agent_aborted" => format!("process EXITS ({})", field("reason")),
        "registry_pruned" => "pruned from the registry's unreachable list".to_string(),
        "node_status" => format!("{} (shown as {})", field("status"), field("view")),
        _ => {
            let mut rest = match ev {
                Value::Object(map) => map.clone(),
                _ => return text(ev),
            };
            for k in ["t", "event", "agent", "seq"] {
                rest.remove(k);
            }
            format!("{} {}", field("event"), Value::Object(rest))
        }
    }
}

/// A verdict (an `agent_marked_unreachable` or `agent_removed` event) in words:
/// `agent-1 unreachable (health check) at 11:00`.
pub fn verdict(v: &Value) -> String {
    let what = if v["event"] == "agent_removed" {
        format!("removed ({})", text(&v["reason"]))
    } else {
        format!("unreachable ({})", cause(&text(&v["cause"])))
    };
    format!("{} {what} at {}", text(&v["agent"]), clock(&v["t"]))
}

/// A fault in words: `restart agent-1 (recovery: hangs)`, with its time first when `with_time`
/// (`01:00 restart agent-1 …`).
///
/// ```
/// use serde_json::json;
/// let f = json!({ "at": "1mins", "kind": "partition", "agents": ["a", "b"], "direction": "agent_to_master" });
/// assert_eq!(liveness::describe::fault(&f, true), "01:00 partition a, b (agent→master)");
/// ```
pub fn fault(f: &Value, with_time: bool) -> String {
    if !f.is_object() {
        return text(f);
    }
    let mut parts = Vec::new();
    if with_time {
        parts.push(clock(&f["at"]));
    }
    let kind = text(&f["kind"]);
    parts.push(match FaultKindName::parse(&kind) {
        Some(k) => fault_kind(k).to_string(),
        None => kind,
    });
    match &f["agents"] {
        Value::Null => {}
        Value::String(all) if all == "all" => parts.push("all agents".to_string()),
        Value::Array(items) => {
            let names: Vec<String> = items.iter().map(text).collect();
            parts.push(if names.len() > 3 {
                format!("{} +{}", names[..3].join(", "), names.len() - 3)
            } else {
                names.join(", ")
            });
        }
        other => parts.push(text(other)),
    }
    let mut extra = Vec::new();
    match &f["recovery"] {
        Value::Null => {}
        Value::String(hang) if hang == "hang" => extra.push("recovery: hangs".to_string()),
        v => extra.push(format!("recovery: {}", duration_text(v))),
    }
    if truthy(&f["work_dir_lost"]) {
        extra.push("work dir lost".to_string());
    }
    if let Some(d) = f["direction"].as_str().filter(|d| *d != "both") {
        extra.push(d.replace("_to_", "→"));
    }
    if truthy(&f["breaks_socket"]) {
        extra.push("breaks socket".to_string());
    }
    if !f["downtime"].is_null() {
        extra.push(format!("down {}", duration_text(&f["downtime"])));
    }
    if truthy(&f["framework"]) {
        extra.push(text(&f["framework"]));
    }
    match &f["messages"] {
        Value::Null => {}
        Value::Array(items) => extra.push(items.iter().map(text).collect::<Vec<_>>().join(", ")),
        other => extra.push(text(other)),
    }
    if !f["until"].is_null() {
        extra.push(format!("until {}", clock(&f["until"])));
    }
    let mut out = parts.join(" ");
    if !extra.is_empty() {
        out.push_str(&format!(" ({})", extra.join("; ")));
    }
    out
}

/// A string as itself, anything else as JSON (`null` for a missing field).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// JavaScript's truthiness, for optional flags and names.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// A time or duration as JSON gives it: milliseconds, or a duration string.
fn json_time(v: &Value) -> Option<Time> {
    match v {
        Value::Number(n) => time::millis_to_time(n.as_f64()?).ok(),
        Value::String(s) => time::parse_duration(s).ok(),
        _ => None,
    }
}

/// A duration in Mesos' units (`10secs`), or the value as given when it is not one.
fn duration_text(v: &Value) -> String {
    json_time(v).map_or_else(|| text(v), time::format_duration)
}

/// A time as the clock shows it (`11:00.001`), or `—` when it is not one.
fn clock(v: &Value) -> String {
    json_time(v).map_or_else(|| "—".to_string(), time::format_clock)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn faults_read_as_the_lab_shows_them() {
        let f = json!({ "at": "1mins", "kind": "restart_agent", "agents": ["agent-1"], "recovery": "hang" });
        assert_eq!(fault(&f, false), "restart agent-1 (recovery: hangs)");
        assert_eq!(fault(&f, true), "01:00 restart agent-1 (recovery: hangs)");
        let f = json!({ "at": 90000, "kind": "crash_agent", "agents": ["a", "b", "c", "d", "e"] });
        assert_eq!(fault(&f, true), "01:30 crash a, b, c +2");
        let f = json!({ "at": "0secs", "kind": "fail_over_master", "downtime": "30secs" });
        assert_eq!(fault(&f, false), "master failover (down 30secs)");
        let f = json!({ "kind": "drop_messages", "agents": "all", "messages": ["PongSlaveMessage"], "until": "5mins" });
        assert_eq!(
            fault(&f, false),
            "drop messages all agents (PongSlaveMessage; until 05:00)"
        );
        assert_eq!(fault(&json!("odd"), false), "odd");
        assert_eq!(fault(&json!({}), true), "— null");
    }

    #[test]
    fn every_event_kind_has_its_own_words() {
        for (kind, _) in crate::trace::EVENT_FIELDS {
            let ev = json!({ "t": 1, "event": kind });
            let words = event(&ev);
            assert!(
                !words.starts_with(kind),
                "{kind} falls back to the generic words: {words}"
            );
            assert!(kind_label(kind, false).is_some(), "{kind} has no label");
        }
    }

    #[test]
    fn events_and_verdicts_in_words() {
        let ev = json!({ "t": 60001, "event": "agent_disconnected", "agent": "a", "reregister_deadline": 660001 });
        assert_eq!(
            event(&ev),
            "disconnected: the master saw its socket break; it must re-register by 11:00.001"
        );
        let ev = json!({ "t": 1, "event": "unreachable_scheduled", "agent": "a", "cause": "master_failover" });
        assert_eq!(
            event(&ev),
            "scheduled to be marked unreachable (not back after failover)"
        );
        let ev = json!({ "t": 1, "event": "agent_state", "agent": "a", "from": "recovering", "to": "disconnected" });
        assert_eq!(
            event(&ev),
            "finished recovery (process recovering → disconnected)"
        );
        let ev = json!({ "t": 1, "event": "node_status", "agent": "a", "status": "Ready=Unknown", "view": "unreachable" });
        assert_eq!(event(&ev), "Ready=Unknown (shown as unreachable)");
        let ev = json!({ "t": 1, "event": "message", "agent": "a", "peer": "b", "message": "ping", "from": "agent", "dropped": false });
        assert_eq!(event(&ev), "ping → b");
        assert_eq!(cause("phi_threshold"), "φ crossed the threshold");
        let ev = json!({ "t": 1, "event": "something_new", "agent": "a", "x": 1 });
        assert_eq!(event(&ev), r#"something_new {"x":1}"#);
        let v = json!({ "t": 660001, "event": "agent_marked_unreachable", "agent": "agent-1", "cause": "reregister_timeout" });
        assert_eq!(
            verdict(&v),
            "agent-1 unreachable (agent_reregister_timeout) at 11:00.001"
        );
        let v =
            json!({ "t": 5000, "event": "agent_removed", "agent": "b", "reason": "unregistered" });
        assert_eq!(verdict(&v), "b removed (unregistered) at 00:05");
    }
}
