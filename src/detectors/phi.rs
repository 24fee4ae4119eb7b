//! Phi accrual: Akka Cluster's failure detector (request/response heartbeats, φ from the mean
//! and deviation of the intervals with Akka's logistic approximation, the acceptable pause
//! added to the mean, a reaper tick, downing by the split brain resolver after a stable period),
//! and Cassandra's variant as an option (gossiped heartbeats, exponential φ, no downing). See
//! `docs/detectors.md`, "Phi accrual".
//!
//! Sources: akka `akka-remote/…/PhiAccrualFailureDetector.scala` (`heartbeat`, `phi`,
//! `isAvailable`), `akka-cluster/…/reference.conf`, `ClusterHeartbeat.scala`,
//! `sbr/SplitBrainResolverSettings.scala`; cassandra `gms/FailureDetector.java`
//! (`ArrivalWindow`, `interpret`).

use crate::detectors::{status_event, task_status, task_statuses};
use std::collections::VecDeque;

use super::{Endpoint, Envelope, NodeGauge, NodeSetup, Out, Process, Timer as AnyTimer};
use crate::mesos::event::Event;
use crate::mesos::types::{
    AgentId, AgentIx, Cause, FwIx, MasterView, MessageKind, TaskIx, TaskReason, TaskState,
};
use crate::time::{Time, MILLIS, SECS};

/// Which phi accrual detector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Akka Cluster (the default).
    Akka,
    /// Cassandra's `FailureDetector` (exponential φ).
    Cassandra,
}

/// The settings, with Akka's names and defaults (`akka.cluster.failure-detector`).
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Akka or Cassandra.
    pub variant: Variant,
    /// `heartbeat-interval` (1s; Cassandra's gossip interval).
    pub heartbeat_interval: Time,
    /// `threshold` (8.0; Cassandra's `phi_convict_threshold`).
    pub threshold: f64,
    /// `max-sample-size` (1000).
    pub max_sample_size: u64,
    /// `min-std-deviation` (100ms).
    pub min_std_deviation: Time,
    /// `acceptable-heartbeat-pause` (3s).
    pub acceptable_heartbeat_pause: Time,
    /// `expected-response-after` (1s): a node that never answers is seeded then.
    pub expected_response_after: Time,
    /// The split brain resolver's `stable-after` (20s): an unreachable node is downed after
    /// this long; `None`: no downing provider (nodes stay unreachable).
    pub stable_after: Option<Time>,
    /// Cassandra: intervals longer than this are not recorded (2s).
    pub max_interval: Time,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            variant: Variant::Akka,
            heartbeat_interval: SECS,
            threshold: 8.0,
            max_sample_size: 1_000,
            min_std_deviation: 100 * MILLIS,
            acceptable_heartbeat_pause: 3 * SECS,
            expected_response_after: SECS,
            stable_after: Some(20 * SECS),
            max_interval: 2 * SECS,
        }
    }
}

impl Config {
    /// Cassandra's defaults.
    pub fn cassandra() -> Config {
        Config {
            variant: Variant::Cassandra,
            stable_after: None,
            ..Config::default()
        }
    }
}

/// `unreachable-nodes-reaper-interval`: how often φ is checked (Cassandra checks each gossip
/// round, the same 1 s).
const REAPER: Time = SECS;

/// Messages between the monitor and the nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    /// Akka: the monitor's heartbeat request.
    Heartbeat,
    /// Akka: the node's answer; Cassandra: a heartbeat gossiped to the monitor.
    HeartbeatRsp,
}

impl Msg {
    /// The message's name.
    pub fn kind(&self) -> MessageKind {
        match self {
            Msg::Heartbeat => MessageKind::Heartbeat,
            Msg::HeartbeatRsp => MessageKind::HeartbeatRsp,
        }
    }
}

/// Timers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// The monitor sends its heartbeats (Akka), or a node gossips (Cassandra, per node).
    Send {
        /// The node (Cassandra), or `None` for the monitor's round.
        node: Option<AgentIx>,
        /// Process generation of the sender.
        generation: u32,
    },
    /// The reaper checks every node's φ.
    Reaper {
        /// Monitor generation.
        generation: u32,
    },
    /// A node that never answered is seeded (`ExpectedFirstHeartbeat`).
    Expected {
        /// Node.
        node: AgentIx,
        /// Monitor generation.
        generation: u32,
    },
}

/// What the monitor knows of one node.
#[derive(Clone, Debug)]
struct Monitored {
    tasks: Vec<(TaskIx, FwIx)>,
    /// Arrival times' intervals, in µs (at most `max_sample_size`).
    intervals: VecDeque<Time>,
    sum: u128,
    sum_sq: u128,
    last: Option<Time>,
    reachable: bool,
    /// When it became unreachable (for downing).
    unreachable_since: Option<Time>,
    downed: bool,
    registered: bool,
}

/// The phi accrual model: one monitor watching every node.
#[derive(Clone, Debug)]
pub struct Model {
    cfg: Config,
    nodes: Vec<Monitored>,
    /// Node processes: up, and their generation.
    processes: Vec<(bool, u32)>,
    monitor_up: bool,
    generation: u32,
}

impl Model {
    /// The monitor and every node start at `now`.
    pub fn new(cfg: Config, nodes: &[NodeSetup], _seed: u64, now: Time, out: &mut Out) -> Model {
        let mut m = Model {
            nodes: nodes
                .iter()
                .map(|n| Monitored {
                    tasks: n.tasks.clone(),
                    intervals: VecDeque::new(),
                    sum: 0,
                    sum_sq: 0,
                    last: None,
                    reachable: true,
                    unreachable_since: None,
                    downed: false,
                    registered: false,
                })
                .collect(),
            processes: vec![(false, 0); nodes.len()],
            monitor_up: false,
            generation: 0,
            cfg,
        };
        m.monitor_started(now, out);
        m
    }

    fn monitor_started(&mut self, now: Time, out: &mut Out) {
        self.monitor_up = true;
        self.generation += 1;
        let generation = self.generation;
        for n in &mut self.nodes {
            n.intervals.clear();
            n.sum = 0;
            n.sum_sq = 0;
            n.last = None;
        }
        if self.cfg.variant == Variant::Akka {
            out.timers.push((
                now,
                AnyTimer::Phi(Timer::Send {
                    node: None,
                    generation,
                }),
            ));
            for node in 0..self.nodes.len() as AgentIx {
                out.timers.push((
                    now + self.cfg.expected_response_after,
                    AnyTimer::Phi(Timer::Expected { node, generation }),
                ));
            }
        }
        out.timers
            .push((now + REAPER, AnyTimer::Phi(Timer::Reaper { generation })));
    }

    /// The node's processes changed (faults): the heartbeat path (Akka's internal dispatcher,
    /// Cassandra's gossip stage) runs while the process is up.
    pub fn process(&mut self, now: Time, node: AgentIx, change: Process, out: &mut Out) {
        let p = &mut self.processes[node as usize];
        match change {
            Process::Down => {
                p.0 = false;
                p.1 += 1;
            }
            Process::Up { .. } if !p.0 => {
                p.0 = true;
                p.1 += 1;
                if self.cfg.variant == Variant::Cassandra {
                    let generation = p.1;
                    out.timers.push((
                        now,
                        AnyTimer::Phi(Timer::Send {
                            node: Some(node),
                            generation,
                        }),
                    ));
                }
            }
            _ => {}
        }
    }

    /// The monitor dies (a `fail_over_master` fault).
    pub fn control_plane_down(&mut self) {
        self.monitor_up = false;
        self.generation += 1;
    }

    /// A monitor starts again, with no history.
    pub fn control_plane_up(&mut self, now: Time, out: &mut Out) {
        if !self.monitor_up {
            self.monitor_started(now, out);
        }
    }

    /// A message arrived.
    pub fn on_message(&mut self, now: Time, env: &Envelope, msg: Msg, out: &mut Out) {
        match (env.from, env.to, msg) {
            (Endpoint::Plane, Endpoint::Node(node), Msg::Heartbeat)
                if self.processes[node as usize].0 =>
            {
                out.sends.push(Envelope {
                    from: Endpoint::Node(node),
                    to: Endpoint::Plane,
                    msg: super::Msg::Phi(Msg::HeartbeatRsp),
                    round_trip: false,
                });
            }
            (Endpoint::Node(node), Endpoint::Plane, Msg::HeartbeatRsp) if self.monitor_up => {
                self.heartbeat(now, node, out)
            }
            _ => {}
        }
    }

    /// `PhiAccrualFailureDetector.heartbeat` (Akka) / `ArrivalWindow.add` (Cassandra).
    fn heartbeat(&mut self, now: Time, node: AgentIx, out: &mut Out) {
        let available = self.phi(now, node) < self.cfg.threshold;
        let cfg = self.cfg.clone();
        let n = &mut self.nodes[node as usize];
        match n.last {
            None if cfg.variant == Variant::Akka => {
                // Bootstrap: two intervals of mean ± mean/4 around the heartbeat interval.
                let mean = cfg.heartbeat_interval;
                record(n, mean - mean / 4, cfg.max_sample_size);
                record(n, mean + mean / 4, cfg.max_sample_size);
            }
            // Cassandra: the window starts with one seed interval (`getInitialValue`, 2 s).
            None => record(n, cfg.max_interval, cfg.max_sample_size),
            Some(last) => {
                let interval = now - last;
                let keep = match cfg.variant {
                    // The first heartbeat after unavailability is not recorded.
                    Variant::Akka => available,
                    // Long gaps are not learned ("we'd rather mark it down quickly").
                    Variant::Cassandra => interval <= cfg.max_interval,
                };
                if keep {
                    record(n, interval, cfg.max_sample_size);
                }
            }
        }
        n.last = Some(now);
        if !n.registered {
            n.registered = true;
            out.events.push(Event::AgentRegistered {
                agent: node,
                id: AgentId(node),
                previous_view: MasterView::Unknown,
            });
            out.events
                .push(status_event(node, "Up", MasterView::Connected));
            for &(task, framework) in &n.tasks {
                out.events
                    .push(task_status(node, task, framework, TaskState::Running, None));
            }
        }
    }

    /// φ of a node now (0 before its first heartbeat).
    pub fn phi(&self, now: Time, node: AgentIx) -> f64 {
        let n = &self.nodes[node as usize];
        let Some(last) = n.last else { return 0.0 };
        let elapsed = (now - last) as f64 / MILLIS as f64;
        let count = n.intervals.len().max(1) as f64;
        let mean = n.sum as f64 / count / MILLIS as f64;
        match self.cfg.variant {
            Variant::Akka => {
                let (mean, std) = self.history(node);
                let mean = mean + self.cfg.acceptable_heartbeat_pause as f64 / MILLIS as f64;
                akka_phi(elapsed, mean, std)
            }
            Variant::Cassandra => {
                let mean = if n.intervals.is_empty() {
                    self.cfg.max_interval as f64 / MILLIS as f64
                } else {
                    mean
                };
                // PHI_FACTOR × t / mean, PHI_FACTOR = 1 / ln 10.
                elapsed / mean / core::f64::consts::LN_10
            }
        }
    }

    /// The mean and standard deviation (ms) of a node's recorded intervals, with Akka's floor on
    /// the deviation.
    pub fn history(&self, node: AgentIx) -> (f64, f64) {
        let n = &self.nodes[node as usize];
        let count = n.intervals.len().max(1) as f64;
        let mean = n.sum as f64 / count / MILLIS as f64;
        let var = (n.sum_sq as f64 / count) / (MILLIS as f64 * MILLIS as f64) - mean * mean;
        let std = libm::sqrt(var.max(0.0)).max(self.cfg.min_std_deviation as f64 / MILLIS as f64);
        (mean, std)
    }

    /// The reaper: φ at or over the threshold is unreachable; below it, reachable again; the
    /// split brain resolver downs what stayed unreachable for `stable_after`.
    fn reap(&mut self, now: Time, out: &mut Out) {
        for ix in 0..self.nodes.len() {
            let node = ix as AgentIx;
            if !self.nodes[ix].registered {
                continue;
            }
            let phi = self.phi(now, node);
            let crossed = match self.cfg.variant {
                Variant::Akka => phi >= self.cfg.threshold,
                Variant::Cassandra => phi > self.cfg.threshold,
            };
            let n = &mut self.nodes[ix];
            if crossed && n.reachable {
                n.reachable = false;
                n.unreachable_since = Some(now);
                let status = match self.cfg.variant {
                    Variant::Akka => "Unreachable",
                    Variant::Cassandra => "DOWN",
                };
                if !n.downed {
                    out.events
                        .push(status_event(node, status, MasterView::Unreachable));
                    out.events.push(Event::AgentMarkedUnreachable {
                        agent: node,
                        id: AgentId(node),
                        cause: Cause::PhiThreshold,
                    });
                }
            } else if !crossed && !n.reachable {
                n.reachable = true;
                n.unreachable_since = None;
                let status = match (self.cfg.variant, n.downed) {
                    (Variant::Akka, false) => "Reachable",
                    (Variant::Akka, true) => "Up (rejoined)",
                    (Variant::Cassandra, _) => "UP",
                };
                out.events
                    .push(status_event(node, status, MasterView::Connected));
                if n.downed {
                    n.downed = false;
                    task_statuses(&mut out.events, node, &n.tasks, TaskState::Running, None);
                }
            }
            if let (Some(since), Some(stable)) = (n.unreachable_since, self.cfg.stable_after) {
                if !n.downed && now >= since + stable {
                    n.downed = true;
                    out.events
                        .push(status_event(node, "Down", MasterView::Removed));
                    task_statuses(
                        &mut out.events,
                        node,
                        &n.tasks,
                        TaskState::Lost,
                        Some(TaskReason::NodeDowned),
                    );
                }
            }
        }
    }

    /// A timer fired.
    pub fn on_timer(&mut self, now: Time, timer: Timer, out: &mut Out) {
        match timer {
            Timer::Send {
                node: None,
                generation,
            } if self.monitor_up && generation == self.generation => {
                for node in 0..self.nodes.len() as AgentIx {
                    out.sends.push(Envelope {
                        from: Endpoint::Plane,
                        to: Endpoint::Node(node),
                        msg: super::Msg::Phi(Msg::Heartbeat),
                        round_trip: false,
                    });
                }
                out.timers.push((
                    now + self.cfg.heartbeat_interval,
                    AnyTimer::Phi(Timer::Send {
                        node: None,
                        generation,
                    }),
                ));
            }
            Timer::Send {
                node: Some(node),
                generation,
            } if self.processes[node as usize] == (true, generation) => {
                out.sends.push(Envelope {
                    from: Endpoint::Node(node),
                    to: Endpoint::Plane,
                    msg: super::Msg::Phi(Msg::HeartbeatRsp),
                    round_trip: false,
                });
                out.timers.push((
                    now + self.cfg.heartbeat_interval,
                    AnyTimer::Phi(Timer::Send {
                        node: Some(node),
                        generation,
                    }),
                ));
            }
            Timer::Reaper { generation } if self.monitor_up && generation == self.generation => {
                self.reap(now, out);
                out.timers
                    .push((now + REAPER, AnyTimer::Phi(Timer::Reaper { generation })));
            }
            Timer::Expected { node, generation }
                if self.monitor_up
                    && generation == self.generation
                    && self.nodes[node as usize].last.is_none() =>
            {
                self.heartbeat(now, node, out)
            }
            _ => {}
        }
    }

    /// The shared view and the lab's gauge (φ × 1000 against the threshold).
    pub fn gauge(&self, now: Time, node: AgentIx) -> NodeGauge {
        let n = &self.nodes[node as usize];
        let (view, status) = match (n.registered, n.downed, n.reachable, self.cfg.variant) {
            (false, ..) => (MasterView::Unknown, "not seen"),
            (_, true, _, _) => (MasterView::Removed, "Down"),
            (_, _, true, Variant::Akka) => (MasterView::Connected, "Reachable"),
            (_, _, false, Variant::Akka) => (MasterView::Unreachable, "Unreachable"),
            (_, _, true, Variant::Cassandra) => (MasterView::Connected, "UP"),
            (_, _, false, Variant::Cassandra) => (MasterView::Unreachable, "DOWN"),
        };
        NodeGauge {
            view,
            status,
            measure: "phi",
            value: (self.phi(now, node).min(1e6) * 1000.0) as i64,
            limit: Some((self.cfg.threshold * 1000.0) as i64),
        }
    }

    /// Whether the node's heartbeat path runs.
    pub fn heartbeat_running(&self, node: AgentIx) -> bool {
        self.processes[node as usize].0
    }
}

/// Adds an interval to a node's window (the oldest leaves when it is full).
fn record(n: &mut Monitored, interval: Time, max: u64) {
    if n.intervals.len() as u64 >= max.max(1) {
        if let Some(old) = n.intervals.pop_front() {
            n.sum -= old as u128;
            n.sum_sq -= (old as u128) * (old as u128);
        }
    }
    n.intervals.push_back(interval);
    n.sum += interval as u128;
    n.sum_sq += (interval as u128) * (interval as u128);
}

/// Akka's φ: the logistic approximation of the normal CDF, `−log10` of the probability that a
/// heartbeat is still to come (`PhiAccrualFailureDetector.phi`).
pub fn akka_phi(time_diff: f64, mean: f64, std: f64) -> f64 {
    let y = (time_diff - mean) / std;
    let e = libm::exp(-y * (1.5976 + 0.070566 * y * y));
    if time_diff > mean {
        -libm::log10(e / (1.0 + e))
    } else {
        -libm::log10(1.0 - 1.0 / (1.0 + e))
    }
}
