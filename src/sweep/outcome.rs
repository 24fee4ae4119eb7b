//! Judging one trial against its ground truth, and aggregating trials into a point's metrics.

use serde_json::{json, Value};

use super::workload::Episode;
use crate::mesos::types::{TaskReason, TaskState};
use crate::time::{Time, MILLIS};
use crate::trace::{Event, Stamped};

/// What one trial measured.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrialOutcome {
    /// Fault → mark, for agents that truly failed and were marked.
    pub detections: Vec<Time>,
    /// Truly failed agents not marked by the horizon.
    pub undetected: u64,
    /// Truly failed agents.
    pub fatal: u64,
    /// Episodes the agent came back from by itself (before the horizon).
    pub transient: u64,
    /// Of those, restarts.
    pub transient_restarts: u64,
    /// Transient episodes during which the agent was marked unreachable anyway.
    pub false_unreachable: u64,
    /// Of those, restarts.
    pub false_unreachable_restarts: u64,
    /// Tasks lost, made unreachable or killed on re-registration in those episodes.
    pub tasks_lost_needlessly: u64,
    /// Time disconnected (no offers) before re-registering or being marked (censored at the end
    /// of the episode's window).
    pub limbo: Vec<Time>,
}

/// Judges a trial's trace (without `message` events) against its episodes.
pub fn judge(
    trace: &[Stamped],
    episodes: &[Episode],
    agents: usize,
    horizon: Time,
) -> TrialOutcome {
    // Per agent, the times of what matters, in order.
    let mut marks = vec![Vec::new(); agents];
    let mut disconnects = vec![Vec::new(); agents];
    let mut returns = vec![Vec::new(); agents];
    let mut needless = vec![Vec::new(); agents];
    for e in trace {
        match e.event {
            Event::AgentMarkedUnreachable { agent, .. } => marks[agent as usize].push(e.t),
            Event::AgentDisconnected { agent, .. } => disconnects[agent as usize].push(e.t),
            Event::AgentReregistered { agent, .. } | Event::AgentRegistered { agent, .. } => {
                returns[agent as usize].push(e.t)
            }
            Event::TaskStatus {
                agent,
                state,
                reason,
                ..
            } if reason == Some(TaskReason::SlaveRemoved) || state == TaskState::Killed => {
                needless[agent as usize].push(e.t)
            }
            _ => {}
        }
    }
    let first_in =
        |xs: &[Time], from: Time, to: Time| xs.iter().copied().find(|&t| t >= from && t < to);
    let mut out = TrialOutcome::default();
    for (k, ep) in episodes.iter().enumerate() {
        let a = ep.agent as usize;
        // The episode's window: until the agent's next episode, or the horizon.
        let window_end = episodes[k + 1..]
            .iter()
            .find(|e| e.agent == ep.agent)
            .map_or(horizon + 1, |e| e.start);
        let mark = first_in(&marks[a], ep.start, window_end);
        match ep.end {
            None => {
                out.fatal += 1;
                match mark {
                    Some(m) => out.detections.push(m - ep.start),
                    None => out.undetected += 1,
                }
            }
            Some(end) if end <= horizon => {
                out.transient += 1;
                out.transient_restarts += u64::from(ep.restart);
                if mark.is_some() {
                    out.false_unreachable += 1;
                    out.false_unreachable_restarts += u64::from(ep.restart);
                    out.tasks_lost_needlessly += needless[a]
                        .iter()
                        .filter(|&&t| t >= ep.start && t < window_end)
                        .count() as u64;
                }
            }
            Some(_) => {} // Still in progress at the horizon: neither verdict is fair.
        }
        if let Some(d) = first_in(&disconnects[a], ep.start, window_end) {
            let back = first_in(&returns[a], d, window_end);
            let marked = first_in(&marks[a], d, window_end);
            let until = [back, marked]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(window_end.min(horizon));
            out.limbo.push(until - d);
        }
    }
    out
}

/// A point's metrics over all its trials.
#[derive(Clone, Debug, Default)]
pub struct PointMetrics {
    trials: u64,
    detections: Vec<Time>,
    limbo: Vec<Time>,
    undetected: u64,
    fatal: u64,
    transient: u64,
    transient_restarts: u64,
    false_unreachable: u64,
    false_unreachable_restarts: u64,
    tasks_lost_needlessly: u64,
}

/// Nearest-rank percentile of sorted samples, in milliseconds.
fn percentile(sorted: &[Time], q: f64) -> Value {
    if sorted.is_empty() {
        return Value::Null;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    json!(sorted[rank - 1] as f64 / MILLIS as f64)
}

impl PointMetrics {
    /// Adds one trial.
    pub fn add(&mut self, t: &TrialOutcome) {
        self.trials += 1;
        self.detections.extend_from_slice(&t.detections);
        self.limbo.extend_from_slice(&t.limbo);
        self.undetected += t.undetected;
        self.fatal += t.fatal;
        self.transient += t.transient;
        self.transient_restarts += t.transient_restarts;
        self.false_unreachable += t.false_unreachable;
        self.false_unreachable_restarts += t.false_unreachable_restarts;
        self.tasks_lost_needlessly += t.tasks_lost_needlessly;
    }

    /// Trials added.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// The metrics as JSON (the sweep contract).
    pub fn to_json(&self) -> Value {
        let mut d = self.detections.clone();
        d.sort_unstable();
        let mut l = self.limbo.clone();
        l.sort_unstable();
        let per_1000 = |n: u64, of: u64| {
            if of == 0 {
                0.0
            } else {
                n as f64 * 1000.0 / of as f64
            }
        };
        json!({
            "detection_ms": {
                "n": d.len(),
                "p50": percentile(&d, 0.50),
                "p95": percentile(&d, 0.95),
                "p99": percentile(&d, 0.99),
                "max": percentile(&d, 1.0),
            },
            "undetected": self.undetected,
            "truly_failed": self.fatal,
            "false_unreachable": self.false_unreachable,
            "transient_faults": self.transient,
            "transient_restarts": self.transient_restarts,
            "false_unreachable_per_1000_faults": per_1000(self.false_unreachable, self.transient),
            "false_unreachable_restarts": self.false_unreachable_restarts,
            "false_unreachable_per_1000_restarts": per_1000(self.false_unreachable_restarts, self.transient_restarts),
            "tasks_lost_needlessly": self.tasks_lost_needlessly,
            "limbo_ms": { "p50": percentile(&l, 0.50), "p99": percentile(&l, 0.99) },
        })
    }
}
