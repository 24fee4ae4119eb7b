//! Drawing one trial of a workload: the scenario faults to inject and the ground truth of what
//! truly happened to each agent (its episodes), which [`super::outcome`] judges the master's
//! verdicts against.
//!
//! Random streams: agent `i` draws the times of its own (agent-scoped) fault lines and every
//! length that is its alone (its recoveries) from stream `i`; rack `r` and the cluster draw their
//! lines' times and shared lengths (a rack partition's duration, a master's downtime) from
//! streams of their own. Firings are then applied in time order; one that finds an agent still
//! inside an earlier episode (or down for good) leaves that agent alone.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde_json::{json, Value};

use super::workload::{Scope, When, Workload, WorkloadKind};
use crate::rng::Rng;
use crate::time::Time;

/// What truly happened to an agent in one episode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeKind {
    /// Crashed for good.
    Crash,
    /// Restarted and hung in recovery for good.
    Hang,
    /// Restarted and recovered by itself.
    Restart,
    /// Partitioned from the master, then healed.
    Partition {
        /// Whether the master's socket broke when the partition began.
        breaks_socket: bool,
    },
    /// Restarted in a rolling-restart batch and recovered by itself.
    RollingRestart,
    /// Healthy while the master failed over (the episode lasts the master's downtime).
    FailOverMaster,
}

/// The transient kinds, in the order of `false_unreachable_by_kind`.
pub const TRANSIENT_KINDS: [&str; 4] = [
    "restart",
    "partition",
    "rolling_restart",
    "fail_over_master",
];

impl EpisodeKind {
    /// For an episode the agent comes back from by itself: its index in [`TRANSIENT_KINDS`].
    pub fn transient_index(self) -> Option<usize> {
        match self {
            EpisodeKind::Crash | EpisodeKind::Hang => None,
            EpisodeKind::Restart => Some(0),
            EpisodeKind::Partition { .. } => Some(1),
            EpisodeKind::RollingRestart => Some(2),
            EpisodeKind::FailOverMaster => Some(3),
        }
    }

    /// Whether the agent process restarted.
    pub fn is_restart(self) -> bool {
        matches!(
            self,
            EpisodeKind::Restart | EpisodeKind::RollingRestart | EpisodeKind::Hang
        )
    }
}

/// What truly happened to an agent in one episode (the ground truth the metrics judge against).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Episode {
    /// The agent's index.
    pub agent: u32,
    /// When it started.
    pub start: Time,
    /// When the agent is back by itself (recovery finished, partition healed, a new master
    /// elected); `None` if it truly failed (crashed for good, or hung).
    pub end: Option<Time>,
    /// What happened.
    pub kind: EpisodeKind,
}

/// The rack of agent `i` of `n` split evenly into `racks` (contiguous blocks).
pub fn rack_of(i: usize, n: usize, racks: u64) -> u64 {
    (i as u128 * racks as u128 / n.max(1) as u128) as u64
}

/// Stream offsets of the racks' and the cluster's random numbers (agents use 0..n).
const RACK_STREAM: u64 = 1 << 40;
const CLUSTER_STREAM: u64 = 1 << 41;

/// One firing of a fault line (or the next batch of a rolling restart), in application order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Firing {
    t: Time,
    /// Agent index, then racks, then the cluster.
    unit: u64,
    line: usize,
    batch: u64,
}

fn push_times(
    when: When,
    horizon: Time,
    rng: &mut Rng,
    unit: u64,
    line: usize,
    out: &mut Vec<Firing>,
) {
    let mut at = |t: Time| {
        out.push(Firing {
            t,
            unit,
            line,
            batch: 0,
        })
    };
    match when {
        When::Rate(rate) => {
            let mean = rate.mean_gap();
            let mut t = 0f64;
            loop {
                t += -libm::log(1.0 - rng.unit_f64()) * mean;
                if t > horizon as f64 {
                    break;
                }
                at(t as Time);
            }
        }
        When::At(t0, jitter) => {
            let t = (t0 + rng.uniform(2 * jitter)).saturating_sub(jitter);
            if t <= horizon {
                at(t);
            }
        }
    }
}

/// The random streams of one trial: each agent's, each rack's and the cluster's.
struct Streams {
    agent: Vec<Rng>,
    rack: Vec<Rng>,
    cluster: Rng,
}

impl Streams {
    /// The stream of a firing unit (an agent, a rack, the cluster): its shared lengths.
    fn of_unit(&mut self, unit: u64) -> &mut Rng {
        let n = self.agent.len() as u64;
        if unit < n {
            &mut self.agent[unit as usize]
        } else if unit - n < self.rack.len() as u64 {
            &mut self.rack[(unit - n) as usize]
        } else {
            &mut self.cluster
        }
    }
}

fn us(t: Time) -> Value {
    json!(format!("{t}us"))
}

/// Draws one trial's faults for `agents`: the scenario fault list and the episodes (in time
/// order).
pub fn draw(workload: &Workload, agents: &[String], rng_seed: u64) -> (Vec<Value>, Vec<Episode>) {
    let n = agents.len();
    let racks = workload.racks.unwrap_or(1);
    let horizon = workload.horizon;
    let mut streams = Streams {
        agent: (0..n).map(|i| Rng::new(rng_seed, i as u64)).collect(),
        rack: (0..racks)
            .map(|r| Rng::new(rng_seed, RACK_STREAM + r))
            .collect(),
        cluster: Rng::new(rng_seed, CLUSTER_STREAM),
    };
    let rack_unit = |r: u64| n as u64 + r;
    let cluster_unit = n as u64 + racks;

    let mut firings = Vec::new();
    for (i, rng) in streams.agent.iter_mut().enumerate() {
        for (line, f) in workload.faults.iter().enumerate() {
            if f.scope == Scope::Agent {
                push_times(f.when, horizon, rng, i as u64, line, &mut firings);
            }
        }
    }
    for (r, rng) in streams.rack.iter_mut().enumerate() {
        for (line, f) in workload.faults.iter().enumerate() {
            if f.scope == Scope::Rack {
                push_times(
                    f.when,
                    horizon,
                    rng,
                    rack_unit(r as u64),
                    line,
                    &mut firings,
                );
            }
        }
    }
    for (line, f) in workload.faults.iter().enumerate() {
        if f.scope == Scope::Cluster {
            push_times(
                f.when,
                horizon,
                &mut streams.cluster,
                cluster_unit,
                line,
                &mut firings,
            );
        }
    }
    let mut queue: BinaryHeap<Reverse<Firing>> = firings.into_iter().map(Reverse).collect();

    let mut members: Vec<Vec<usize>> = vec![Vec::new(); racks as usize];
    for i in 0..n {
        members[rack_of(i, n, racks) as usize].push(i);
    }
    // Per agent: busy until (None: down for good).
    let mut busy: Vec<Option<Time>> = vec![Some(0); n];
    let mut master_back: Time = 0;
    let mut rolling_until: Vec<Time> = vec![0; workload.faults.len()];
    let mut faults = Vec::new();
    let mut episodes = Vec::new();

    while let Some(Reverse(fire)) = queue.pop() {
        let t = fire.t;
        let line = &workload.faults[fire.line];
        let free = |a: usize, busy: &[Option<Time>]| busy[a].is_some_and(|b| t >= b);
        let targets: Vec<usize> = match line.scope {
            Scope::Agent => vec![fire.unit as usize],
            Scope::Rack => members[(fire.unit - n as u64) as usize].clone(),
            Scope::Cluster => (0..n).collect(),
        };
        let mut episode =
            |agent: usize, end: Option<Time>, kind: EpisodeKind, busy: &mut [Option<Time>]| {
                episodes.push(Episode {
                    agent: agent as u32,
                    start: t,
                    end,
                    kind,
                });
                busy[agent] = end;
            };
        match &line.kind {
            WorkloadKind::Crash => {
                let hit: Vec<usize> = targets.into_iter().filter(|&a| free(a, &busy)).collect();
                if hit.is_empty() {
                    continue;
                }
                let names: Vec<&String> = hit.iter().map(|&a| &agents[a]).collect();
                faults.push(json!({ "at": us(t), "kind": "crash_agent", "agents": names }));
                for a in hit {
                    episode(a, None, EpisodeKind::Crash, &mut busy);
                }
            }
            WorkloadKind::Restart {
                recovery,
                hang_probability,
            } => {
                let hit: Vec<usize> = targets.into_iter().filter(|&a| free(a, &busy)).collect();
                for a in hit {
                    let rng = &mut streams.agent[a];
                    let d = if rng.chance(*hang_probability) {
                        None
                    } else {
                        recovery.sample(rng)
                    };
                    let rec = d.map_or(json!("hang"), us);
                    faults.push(json!({ "at": us(t), "kind": "restart_agent", "agents": [&agents[a]], "recovery": rec }));
                    let kind = if d.is_some() {
                        EpisodeKind::Restart
                    } else {
                        EpisodeKind::Hang
                    };
                    episode(a, d.map(|d| t + d), kind, &mut busy);
                }
            }
            WorkloadKind::Partition {
                direction,
                duration,
                breaks_socket,
            } => {
                let hit: Vec<usize> = targets.into_iter().filter(|&a| free(a, &busy)).collect();
                if hit.is_empty() {
                    continue;
                }
                let d = duration.sample(streams.of_unit(fire.unit)).unwrap_or(0);
                let names: Vec<&String> = hit.iter().map(|&a| &agents[a]).collect();
                let mut cut = json!({ "at": us(t), "kind": "partition", "agents": names, "direction": direction.name() });
                if *breaks_socket {
                    cut["breaks_socket"] = json!(true);
                }
                faults.push(cut);
                faults.push(json!({ "at": us(t + d), "kind": "heal", "agents": names }));
                for a in hit {
                    let kind = EpisodeKind::Partition {
                        breaks_socket: *breaks_socket,
                    };
                    episode(a, Some(t + d), kind, &mut busy);
                }
            }
            WorkloadKind::RollingRestart {
                batch,
                pause,
                recovery,
            } => {
                if fire.batch == 0 && t < rolling_until[fire.line] {
                    continue; // The previous rolling restart of this line is still going.
                }
                let size = ((n as u128 * *batch as u128).div_ceil(100_000_000) as usize).max(1);
                let first = fire.batch as usize * size;
                let last = (first + size).min(n);
                let mut batch_end = t;
                let hit: Vec<usize> = (first..last).filter(|&a| free(a, &busy)).collect();
                for a in hit {
                    let d = recovery.sample(&mut streams.agent[a]).unwrap_or(0);
                    faults.push(json!({ "at": us(t), "kind": "restart_agent", "agents": [&agents[a]], "recovery": us(d) }));
                    episode(a, Some(t + d), EpisodeKind::RollingRestart, &mut busy);
                    batch_end = batch_end.max(t + d);
                }
                rolling_until[fire.line] = Time::MAX;
                if last >= n {
                    rolling_until[fire.line] = batch_end;
                } else if batch_end + pause <= horizon {
                    queue.push(Reverse(Firing {
                        t: batch_end + pause,
                        batch: fire.batch + 1,
                        ..fire
                    }));
                }
            }
            WorkloadKind::FailOverMaster { downtime } => {
                if t < master_back {
                    continue; // Still without a master from the previous failover.
                }
                let d = downtime.sample(streams.of_unit(fire.unit)).unwrap_or(0);
                faults.push(json!({ "at": us(t), "kind": "fail_over_master", "downtime": us(d) }));
                master_back = t + d;
                let hit: Vec<usize> = targets.into_iter().filter(|&a| free(a, &busy)).collect();
                for a in hit {
                    episode(a, Some(t + d), EpisodeKind::FailOverMaster, &mut busy);
                }
            }
        }
    }
    (faults, episodes)
}
