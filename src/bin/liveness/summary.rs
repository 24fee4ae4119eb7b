//! The run summary: a readable one for people, a JSON one for machines.

use std::collections::BTreeMap;
use std::fmt::Write;

use liveness::expect::ExpectationResult;
use liveness::mesos::types::{AgentIx, AgentState, MasterView, TaskState};
use liveness::sim::Simulation;
use liveness::time::{format_clock, format_duration};
use liveness::trace::{unreachable_message, Event, Stamped};
use serde_json::{json, Map, Value};

/// At most this many timeline lines; the rest is counted.
const TIMELINE_LINES: usize = 60;
/// Up to this many agents are listed one by one in the final table.
const AGENT_ROWS: usize = 24;

/// One line of the timeline, before grouping: the text with `{}` standing for the agent.
fn key_event(sim: &Simulation, ev: &Stamped) -> Option<(String, Option<AgentIx>)> {
    let r = sim.scenario().master.agent_reregister_timeout;
    let text = match &ev.event {
        Event::Fault { .. } => {
            let line = sim.event_json(ev);
            let v: Value = serde_json::from_str(&line).ok()?;
            let f = &v["fault"];
            let mut t = format!("fault: {}", f["kind"].as_str().unwrap_or("?"));
            if let Some(a) = f.get("agents") {
                let agents = match a {
                    Value::Array(items) => items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => other.as_str().unwrap_or("").to_string(),
                };
                let _ = write!(t, " {agents}");
            }
            for k in ["recovery", "direction", "downtime", "framework", "until"] {
                if let Some(x) = f.get(k) {
                    let _ = write!(
                        t,
                        " ({k}: {})",
                        x.as_str().map_or(x.to_string(), str::to_string)
                    );
                }
            }
            return Some((t, None));
        }
        Event::AgentDisconnected {
            reregister_deadline,
            ..
        } => match reregister_deadline {
            Some(d) => format!(
                "{{}} disconnected: the master saw its socket break; it must re-register by {}",
                format_clock(*d)
            ),
            None => {
                "{} disconnected: the master saw its socket break (no re-registration timer)".into()
            }
        },
        Event::PingTimeout { consecutive, .. }
            if *consecutive == sim.scenario().master.max_agent_ping_timeouts =>
        {
            format!("{{}}: {consecutive} pings in a row unanswered (max_agent_ping_timeouts)")
        }
        Event::UnreachableScheduled { cause, .. } => {
            format!("{{}} scheduled to be marked unreachable ({cause})")
        }
        Event::UnreachableCanceled { cause, .. } => {
            format!("{{}}: unreachable transition canceled ({cause})")
        }
        Event::AgentMarkedUnreachable { cause, .. } => {
            format!(
                "{{}} MARKED UNREACHABLE: {}",
                unreachable_message(*cause, r, sim.scenario().master.version)
            )
        }
        Event::AgentRegistered { previous_view, .. } => match previous_view {
            MasterView::Unknown => "{} registered".into(),
            v => format!("{{}} registered as a new agent (the old one was {v})"),
        },
        Event::AgentReregistered { previous_view, .. } => {
            format!("{{}} re-registered (was {previous_view})")
        }
        Event::AgentRemoved { reason, .. } => format!("{{}} removed ({reason})"),
        Event::FrameworkShutdown { framework, .. } => format!(
            "{{}}: framework {} shut down on re-registration, its tasks killed",
            sim.framework_names()[*framework as usize]
        ),
        Event::AgentPingTimeout { .. } => {
            "{} heard no ping for its whole ping timeout; re-detecting the master".into()
        }
        // Registration lines already say when agents start running.
        Event::AgentStateChanged { from, to, .. }
            if ev.t > 0
                && !matches!(to, AgentState::Running)
                && !(*from == AgentState::Running && *to == AgentState::Disconnected) =>
        {
            match (from, to) {
                (AgentState::Recovering, AgentState::Disconnected) => {
                    "{} finished recovery".to_string()
                }
                _ => format!("{{}} {from} -> {to}"),
            }
        }
        Event::MasterFailover { downtime } => {
            return Some((
                format!(
                    "master fails over; the new one comes up in {}",
                    format_duration(*downtime)
                ),
                None,
            ))
        }
        Event::MasterRecovered { recovered_agents } => {
            return Some((
                format!(
                    "new master recovered the registry: {recovered_agents} agents must re-register"
                ),
                None,
            ))
        }
        Event::MasterAborted { reason } => {
            return Some((format!("master EXITS: {}", reason.message()), None));
        }
        Event::ExecutorTerminated {
            framework, reason, ..
        } => format!(
            "{{}}: an executor of {} died ({reason})",
            sim.framework_names()[*framework as usize]
        ),
        Event::AgentAborted { reason, .. } => format!("{{}} agent process EXITS ({reason})"),
        Event::NodeStatus { status, .. } => format!("{{}}: {status}"),
        Event::RegistryPruned { .. } => "{} pruned from the registry's unreachable list".into(),
        _ => return None,
    };
    Some((text, ev.event.agent()))
}

fn timeline(sim: &Simulation, out: &mut String) {
    // Group runs of the same text in the same second: "3 agents registered (a, b, c)".
    let mut groups: Vec<(u64, String, Vec<AgentIx>)> = Vec::new();
    for ev in sim.trace() {
        let Some((text, agent)) = key_event(sim, ev) else {
            continue;
        };
        let second = ev.t / 1_000_000;
        if let (Some(last), Some(a)) = (groups.last_mut(), agent) {
            if last.1 == text && last.0 / 1_000_000 == second && !last.2.is_empty() {
                last.2.push(a);
                continue;
            }
        }
        groups.push((ev.t, text, agent.into_iter().collect()));
    }
    let names = sim.agent_names();
    for (t, text, agents) in groups.iter().take(TIMELINE_LINES) {
        let who = match agents.len() {
            0 => String::new(),
            1 => names[agents[0] as usize].clone(),
            n if n <= 4 => {
                let list: Vec<&str> = agents.iter().map(|&a| names[a as usize].as_str()).collect();
                format!("{n} agents ({})", list.join(", "))
            }
            n => format!(
                "{n} agents ({}, {}, … {})",
                names[agents[0] as usize],
                names[agents[1] as usize],
                names[agents[n - 1] as usize]
            ),
        };
        let _ = writeln!(
            out,
            "  {:>10}  {}",
            format_clock(*t),
            text.replace("{}", &who)
        );
    }
    if groups.len() > TIMELINE_LINES {
        let _ = writeln!(
            out,
            "  … {} more lines (write them all with --trace FILE)",
            groups.len() - TIMELINE_LINES
        );
    }
}

fn task_counts(sim: &Simulation) -> BTreeMap<String, BTreeMap<&'static str, u64>> {
    let mut by_fw: BTreeMap<String, BTreeMap<&'static str, u64>> = BTreeMap::new();
    for (task, state) in sim.task_states().iter().enumerate() {
        let fw = &sim.framework_names()[sim.task_frameworks()[task] as usize];
        let name = state.map_or("not launched", TaskState::name);
        *by_fw
            .entry(fw.clone())
            .or_default()
            .entry(name)
            .or_default() += 1;
    }
    by_fw
}

/// The readable summary.
pub fn human(sim: &Simulation, results: &[ExpectationResult], hash: &str) -> String {
    let sc = sim.scenario();
    let mut out = String::new();
    let judge = match sc.detector.kind() {
        liveness::detectors::DetectorKind::Mesos => format!("policy {}", sc.policy),
        other => format!("detector {}", other.name()),
    };
    let _ = writeln!(
        out,
        "{}\n  {judge}, seed {}, {} agents, {} simulated\n",
        sc.name,
        sc.seed,
        sc.agents.len(),
        format_duration(sc.duration)
    );
    for w in &sc.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    if !sc.warnings.is_empty() {
        out.push('\n');
    }
    out.push_str("Timeline (mm:ss simulated)\n");
    timeline(sim, &mut out);

    out.push_str("\nAt the end\n");
    let n = sim.agent_names().len();
    if n <= AGENT_ROWS {
        let width = sim
            .agent_names()
            .iter()
            .map(String::len)
            .max()
            .unwrap_or(5)
            .max(5);
        let _ = writeln!(
            out,
            "  {:width$}  {:12}  agent state",
            "agent", "master view"
        );
        for a in 0..n as AgentIx {
            let _ = writeln!(
                out,
                "  {:width$}  {:12}  {}",
                sim.agent_names()[a as usize],
                sim.master_view(a).name(),
                sim.agent_state(a).name()
            );
        }
    } else {
        let mut pairs: BTreeMap<(&str, &str), u64> = BTreeMap::new();
        for a in 0..n as AgentIx {
            *pairs
                .entry((sim.master_view(a).name(), sim.agent_state(a).name()))
                .or_default() += 1;
        }
        for ((mv, st), count) in pairs {
            let noun = if count == 1 { "agent" } else { "agents" };
            let _ = writeln!(out, "  {count:>6} {noun}: master view {mv}, agent {st}");
        }
    }
    if !sim.task_states().is_empty() {
        out.push_str("\nTasks, as their frameworks last heard\n");
        for (fw, counts) in task_counts(sim) {
            let list: Vec<String> = counts.iter().map(|(s, c)| format!("{c} {s}")).collect();
            let _ = writeln!(out, "  {fw}: {}", list.join(", "));
        }
    }
    if !results.is_empty() {
        let passed = results.iter().filter(|r| r.passed).count();
        let _ = writeln!(out, "\nExpectations: {passed} of {} hold", results.len());
        for r in results {
            let _ = writeln!(
                out,
                "  {} {}\n      {}",
                if r.passed { "PASS" } else { "FAIL" },
                r.expectation,
                r.detail
            );
        }
    }
    let _ = writeln!(out, "\ntrace hash {hash}");
    out
}

/// The `--json` summary.
pub fn json(sim: &Simulation, results: &[ExpectationResult], hash: &str) -> String {
    let sc = sim.scenario();
    let mut finals = Map::new();
    for (a, name) in sim.agent_names().iter().enumerate() {
        finals.insert(
            name.clone(),
            json!({
                "master_view": sim.master_view(a as AgentIx).name(),
                "agent_state": sim.agent_state(a as AgentIx).name(),
            }),
        );
    }
    let metrics: Map<String, Value> = sim
        .metrics()
        .into_iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let expectations: Vec<Value> = results
        .iter()
        .map(|r| json!({ "expectation": r.expectation, "passed": r.passed, "detail": r.detail }))
        .collect();
    let summary = json!({
        "name": sc.name,
        "policy": sc.policy.name(),
        "seed": sc.seed,
        "duration_ms": liveness::time::to_millis_f64(sc.duration),
        "trace_hash": hash,
        "events": sim.trace().len(),
        "expectations": expectations,
        "metrics": metrics,
        "final": finals,
        "tasks": task_counts(sim),
        "warnings": sc.warnings,
    });
    let mut s = serde_json::to_string_pretty(&summary).unwrap_or_default();
    s.push('\n');
    s
}
