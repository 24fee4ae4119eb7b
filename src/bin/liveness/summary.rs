//! The run summary: a readable one for people, a JSON one for machines.

use std::collections::BTreeMap;
use std::fmt::Write;

use liveness::describe;
use liveness::expect::ExpectationResult;
use liveness::mesos::types::{AgentIx, AgentState, TaskState};
use liveness::sim::Simulation;
use liveness::time::{format_clock, format_duration};
use liveness::trace::{Event, Stamped};
use serde_json::{json, Map, Value};

/// At most this many timeline lines; the rest is counted.
const TIMELINE_LINES: usize = 60;
/// Up to this many agents are listed one by one in the final table.
const AGENT_ROWS: usize = 24;

/// Whether the timeline shows an event: the verdicts and what leads to them, not the messages,
/// status updates and routine state changes (registration lines already say when agents start
/// running).
fn is_key_event(sim: &Simulation, ev: &Stamped) -> bool {
    match &ev.event {
        Event::Message { .. } | Event::TaskStatus { .. } | Event::SlaveLost { .. } => false,
        Event::PingTimeout { consecutive, .. } => {
            *consecutive == sim.scenario().master.max_agent_ping_timeouts
        }
        Event::AgentStateChanged { from, to, .. } => {
            ev.t > 0
                && !matches!(to, AgentState::Running)
                && !(*from == AgentState::Running && *to == AgentState::Disconnected)
        }
        _ => true,
    }
}

/// One line of the timeline, before grouping: the engine's words for the event (a fault's with
/// `fault: ` before them), and the agent it is about.
fn key_event(sim: &Simulation, ev: &Stamped) -> Option<(String, Option<AgentIx>)> {
    if !is_key_event(sim, ev) {
        return None;
    }
    let json: Value = serde_json::from_str(&sim.event_json(ev)).ok()?;
    let words = describe::event(&json);
    Some(match ev.event {
        Event::Fault { .. } => (format!("fault: {words}"), None),
        _ => (words, ev.event.agent()),
    })
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
                // The same agent again (two executors dying together) is one line, once.
                if last.2.last() != Some(&a) {
                    last.2.push(a);
                }
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
        let line = if who.is_empty() {
            text.clone()
        } else {
            format!("{who} {text}")
        };
        let _ = writeln!(out, "  {:>10}  {line}", format_clock(*t));
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
    let summary = json!({
        "name": sc.name,
        "policy": sc.policy.name(),
        "seed": sc.seed,
        "duration_ms": liveness::time::to_millis_f64(sc.duration),
        "trace_hash": hash,
        "events": sim.trace().len(),
        "expectations": results,
        "metrics": metrics,
        "final": finals,
        "tasks": task_counts(sim),
        "warnings": sc.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&summary).unwrap_or_default();
    s.push('\n');
    s
}
