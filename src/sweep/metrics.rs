//! A grid point's metrics over its trials: the accumulator, its JSON (the sweep contract), and
//! the catalogue of every metric with its unit and meaning — the one description the CLI, the
//! CSV, the objective and the page all use.

use serde_json::{json, Value};

use super::draw::TRANSIENT_KINDS;
use super::outcome::TrialOutcome;
use crate::time::{Time, DAYS, MILLIS, SECS};

/// How a metric is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Milliseconds of simulated time.
    Ms,
    /// A whole count.
    Count,
    /// A ratio (the name says of what).
    Rate,
}

impl Unit {
    /// The name used in JSON (`ms`, `count`, `rate`).
    pub fn name(self) -> &'static str {
        match self {
            Unit::Ms => "ms",
            Unit::Count => "count",
            Unit::Rate => "rate",
        }
    }
}

/// One metric of a point: its dotted path in `metrics` (also its CSV column), a short label,
/// its unit and what it means.
#[derive(Clone, Copy, Debug)]
pub struct MetricInfo {
    /// Dotted path, e.g. `detection_by_kind.crash.p99`.
    pub path: &'static str,
    /// A short label for tables and axes.
    pub label: &'static str,
    /// Its unit.
    pub unit: Unit,
    /// What it means, in a sentence.
    pub description: &'static str,
}

const fn m(
    path: &'static str,
    label: &'static str,
    unit: Unit,
    description: &'static str,
) -> MetricInfo {
    MetricInfo {
        path,
        label,
        unit,
        description,
    }
}

const DETECTED: &str = "fault → mark over the truly failed agents that were marked (crashed for good or hung), nearest rank; null when none";
const BY_KIND: &str = "fault → mark over every agent that truly failed this way, nearest rank, an agent never marked by the horizon counting as never: null when the rank falls on one (or none failed)";

/// Every metric, in `metrics` JSON order (the CSV's column order).
pub const METRICS: &[MetricInfo] = &[
    m("detection_ms.n", "detections", Unit::Count, "truly failed agents (crashed for good or hung) that were marked unreachable"),
    m("detection_ms.p50", "detection p50", Unit::Ms, DETECTED),
    m("detection_ms.p95", "detection p95", Unit::Ms, DETECTED),
    m("detection_ms.p99", "detection p99", Unit::Ms, DETECTED),
    m("detection_ms.max", "detection max", Unit::Ms, DETECTED),
    m("detection_by_kind.crash.n", "crash detections", Unit::Count, "agents crashed for good that were marked unreachable"),
    m("detection_by_kind.crash.undetected", "crashes undetected", Unit::Count, "agents crashed for good never marked by the horizon"),
    m("detection_by_kind.crash.p50", "crash detection p50", Unit::Ms, BY_KIND),
    m("detection_by_kind.crash.p95", "crash detection p95", Unit::Ms, BY_KIND),
    m("detection_by_kind.crash.p99", "crash detection p99", Unit::Ms, BY_KIND),
    m("detection_by_kind.crash.max", "crash detection max", Unit::Ms, BY_KIND),
    m("detection_by_kind.hang.n", "hang detections", Unit::Count, "agents hung in recovery that were marked unreachable"),
    m("detection_by_kind.hang.undetected", "hangs undetected", Unit::Count, "agents hung in recovery never marked by the horizon"),
    m("detection_by_kind.hang.p50", "hang detection p50", Unit::Ms, BY_KIND),
    m("detection_by_kind.hang.p95", "hang detection p95", Unit::Ms, BY_KIND),
    m("detection_by_kind.hang.p99", "hang detection p99", Unit::Ms, BY_KIND),
    m("detection_by_kind.hang.max", "hang detection max", Unit::Ms, BY_KIND),
    m("undetected", "undetected", Unit::Count, "truly failed agents never marked unreachable by the horizon"),
    m("truly_failed", "truly failed", Unit::Count, "agents that crashed for good or hung in recovery"),
    m("false_unreachable", "false unreachable", Unit::Count, "episodes an agent came back from by itself during which it was marked unreachable anyway"),
    m("false_unreachable_by_kind.restart", "false unreachable: restarts", Unit::Count, "false unreachable marks in restart_agent episodes"),
    m("false_unreachable_by_kind.partition", "false unreachable: partitions", Unit::Count, "false unreachable marks in partition episodes"),
    m("false_unreachable_by_kind.rolling_restart", "false unreachable: rolling restarts", Unit::Count, "false unreachable marks of agents restarted by a rolling restart"),
    m("false_unreachable_by_kind.fail_over_master", "false unreachable: master failovers", Unit::Count, "false unreachable marks of healthy agents after a master failover"),
    m("false_unreachable_per_agent_day", "false unreachable / agent-day", Unit::Rate, "false unreachable marks per agent per simulated day"),
    m("transient_faults", "transient faults", Unit::Count, "episodes agents came back from by themselves before the horizon (every kind)"),
    m("false_unreachable_per_1000_faults", "false unreachable / 1,000 transient faults", Unit::Rate, "false unreachable marks per 1,000 transient faults (episodes of every kind the agent came back from)"),
    m("transient_restarts", "transient restarts", Unit::Count, "restarts (restart_agent and rolling_restart) that recovered before the horizon"),
    m("false_unreachable_restarts", "false unreachable restarts", Unit::Count, "of those, the ones marked unreachable"),
    m("false_unreachable_per_1000_restarts", "false unreachable / 1,000 restarts", Unit::Rate, "false unreachable marks per 1,000 restarts that recovered (restart_agent and rolling_restart)"),
    m("tasks_killed_needlessly", "tasks killed needlessly", Unit::Count, "distinct tasks lost, made unreachable or killed on re-registration on agents marked unreachable that came back by themselves (each task once per episode)"),
    m("tasks_lost_needlessly", "tasks killed needlessly (old name)", Unit::Count, "the same as tasks_killed_needlessly (kept for the page; to be removed)"),
    m("ghost_task_ms.n", "ghost tasks", Unit::Count, "tasks whose executor really died while their framework still believed them running"),
    m("ghost_task_ms.p50", "ghost time p50", Unit::Ms, "how long a ghost task's framework still believed it running, median (0 when none)"),
    m("ghost_task_ms.p99", "ghost time p99", Unit::Ms, "how long a ghost task's framework still believed it running, 99th percentile (0 when none)"),
    m("ghost_task_ms.total", "ghost time total", Unit::Ms, "ghost time summed over every ghost task"),
    m("master_messages_per_second", "master messages / s", Unit::Rate, "mean messages the master sends and receives per simulated second (pings, pongs, registrations, framework shutdowns)"),
    m("limbo_ms.p50", "limbo p50", Unit::Ms, "time faulty agents sat disconnected (no offers) before re-registering or being marked, median"),
    m("limbo_ms.p99", "limbo p99", Unit::Ms, "the same, 99th percentile"),
];

/// The metric at a dotted path, if there is one.
pub fn metric(path: &str) -> Option<&'static MetricInfo> {
    METRICS.iter().find(|m| m.path == path)
}

/// The catalogue as JSON: `[{path, label, unit, description}]` (for the page).
pub fn catalogue_json() -> Value {
    Value::Array(
        METRICS
            .iter()
            .map(|m| json!({ "path": m.path, "label": m.label, "unit": m.unit.name(), "description": m.description }))
            .collect(),
    )
}

/// Agents and horizon, which normalise counts per agent-day and per second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exposure {
    /// Agents per trial.
    pub agents: u64,
    /// Simulated time per trial.
    pub horizon: Time,
}

/// A point's metrics over all its trials.
#[derive(Clone, Debug, Default)]
pub struct PointMetrics {
    trials: u64,
    crash: Vec<Time>,
    hang: Vec<Time>,
    crash_undetected: u64,
    hang_undetected: u64,
    transient: [u64; 4],
    false_unreachable: [u64; 4],
    tasks_killed_needlessly: u64,
    limbo: Vec<Time>,
    ghost: Vec<Time>,
    master_messages: u64,
}

fn ms(t: Time) -> Value {
    json!(t as f64 / MILLIS as f64)
}

/// Nearest-rank quantile of `sorted` samples followed by `never` samples that never happened,
/// in milliseconds; null when it falls on one of those (or there are no samples).
fn quantile(sorted: &[Time], never: u64, q: f64) -> Value {
    let total = sorted.len() as u64 + never;
    if total == 0 {
        return Value::Null;
    }
    let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
    sorted
        .get(rank as usize - 1)
        .map_or(Value::Null, |&t| ms(t))
}

fn sorted(xs: &[Time]) -> Vec<Time> {
    let mut v = xs.to_vec();
    v.sort_unstable();
    v
}

fn per(n: u64, of: f64) -> f64 {
    if of == 0.0 {
        0.0
    } else {
        n as f64 / of
    }
}

impl PointMetrics {
    /// Adds one trial.
    pub fn add(&mut self, t: &TrialOutcome) {
        self.trials += 1;
        self.crash.extend_from_slice(&t.crash_detections);
        self.hang.extend_from_slice(&t.hang_detections);
        self.crash_undetected += t.crash_undetected;
        self.hang_undetected += t.hang_undetected;
        for k in 0..4 {
            self.transient[k] += t.transient[k];
            self.false_unreachable[k] += t.false_unreachable[k];
        }
        self.tasks_killed_needlessly += t.tasks_killed_needlessly;
        self.limbo.extend_from_slice(&t.limbo);
        self.ghost.extend_from_slice(&t.ghost);
        self.master_messages += t.master_messages;
    }

    /// Trials added.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// The metrics as JSON (the sweep contract; [`METRICS`] describes every leaf).
    pub fn to_json(&self, exposure: Exposure) -> Value {
        let crash = sorted(&self.crash);
        let hang = sorted(&self.hang);
        let mut all = crash.clone();
        all.extend_from_slice(&hang);
        all.sort_unstable();
        let by_kind = |d: &[Time], never: u64| {
            json!({
                "n": d.len(),
                "undetected": never,
                "p50": quantile(d, never, 0.50),
                "p95": quantile(d, never, 0.95),
                "p99": quantile(d, never, 0.99),
                "max": quantile(d, never, 1.0),
            })
        };
        let limbo = sorted(&self.limbo);
        let ghost = sorted(&self.ghost);
        let ghost_q = |q| {
            if ghost.is_empty() {
                ms(0)
            } else {
                quantile(&ghost, 0, q)
            }
        };
        let undetected = self.crash_undetected + self.hang_undetected;
        let false_total: u64 = self.false_unreachable.iter().sum();
        let transient_total: u64 = self.transient.iter().sum();
        // Restarts: restart_agent and rolling_restart.
        let restarts = self.transient[0] + self.transient[2];
        let false_restarts = self.false_unreachable[0] + self.false_unreachable[2];
        let trial_time = self.trials as f64 * exposure.horizon as f64;
        let agent_days = trial_time * exposure.agents as f64 / DAYS as f64;
        let by_kind_false: serde_json::Map<String, Value> = TRANSIENT_KINDS
            .iter()
            .zip(self.false_unreachable)
            .map(|(k, n)| (k.to_string(), json!(n)))
            .collect();
        json!({
            "detection_ms": {
                "n": all.len(),
                "p50": quantile(&all, 0, 0.50),
                "p95": quantile(&all, 0, 0.95),
                "p99": quantile(&all, 0, 0.99),
                "max": quantile(&all, 0, 1.0),
            },
            "detection_by_kind": {
                "crash": by_kind(&crash, self.crash_undetected),
                "hang": by_kind(&hang, self.hang_undetected),
            },
            "undetected": undetected,
            "truly_failed": all.len() as u64 + undetected,
            "false_unreachable": false_total,
            "false_unreachable_by_kind": by_kind_false,
            "false_unreachable_per_agent_day": per(false_total, agent_days),
            "transient_faults": transient_total,
            "false_unreachable_per_1000_faults": per(1000 * false_total, transient_total as f64),
            "transient_restarts": restarts,
            "false_unreachable_restarts": false_restarts,
            "false_unreachable_per_1000_restarts": per(1000 * false_restarts, restarts as f64),
            "tasks_killed_needlessly": self.tasks_killed_needlessly,
            "tasks_lost_needlessly": self.tasks_killed_needlessly,
            "ghost_task_ms": {
                "n": ghost.len(),
                "p50": ghost_q(0.50),
                "p99": ghost_q(0.99),
                "total": ms(ghost.iter().sum()),
            },
            "master_messages_per_second": per(self.master_messages, trial_time / SECS as f64),
            "limbo_ms": { "p50": quantile(&limbo, 0, 0.50), "p99": quantile(&limbo, 0, 0.99) },
        })
    }
}
