//! Kubernetes: the kubelet's lease and status loops, the node lifecycle controller's monitor
//! pass, per-zone rate-limited NoExecute tainting with zone states, and the taint eviction
//! controller's `tolerationSeconds` (see `docs/detectors.md`, "Kubernetes").
//!
//! Sources: component-helpers `apimachinery/lease/controller.go` (`Run`, `retryUpdateLease`,
//! `backoffEnsureLease`), `pkg/kubelet/kubelet_node_status.go` (`syncNodeStatus`),
//! `pkg/controller/nodelifecycle/node_lifecycle_controller.go` (`monitorNodeHealth`,
//! `tryUpdateNodeHealth`, `processTaintBaseEviction`, `doNoExecuteTaintingPass`,
//! `handleDisruption`, `ComputeZoneState`), `…/scheduler/rate_limited_queue.go` (`Try`,
//! `SwapLimiter`), `pkg/controller/tainteviction/taint_eviction.go` (`processPodOnNode`).

use std::collections::{BTreeMap, VecDeque};

use super::{Endpoint, Envelope, NodeGauge, NodeSetup, Out, Process, Timer as AnyTimer};
use crate::mesos::event::Event;
use crate::mesos::types::{
    AgentId, AgentIx, Cause, FwIx, MasterView, MessageKind, TaskIx, TaskReason, TaskState,
};
use crate::rng::Rng;
use crate::time::{Time, MILLIS, MINS, SECS};

/// The settings, with Kubernetes' flag names and defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `--node-monitor-period` (5s).
    pub node_monitor_period: Time,
    /// `--node-monitor-grace-period` (50s since 1.32).
    pub node_monitor_grace_period: Time,
    /// `--node-startup-grace-period` (60s).
    pub node_startup_grace_period: Time,
    /// kubelet `nodeLeaseDurationSeconds` (40s); the lease is renewed every quarter of it.
    pub node_lease_duration: Time,
    /// kubelet `nodeStatusUpdateFrequency` (10s).
    pub node_status_update_frequency: Time,
    /// kubelet `nodeStatusReportFrequency` (5m): an unchanged status is posted this often.
    pub node_status_report_frequency: Time,
    /// `--node-eviction-rate`, nodes per second (0.1).
    pub node_eviction_rate: f64,
    /// `--secondary-node-eviction-rate` (0.01).
    pub secondary_node_eviction_rate: f64,
    /// `--large-cluster-size-threshold` (50).
    pub large_cluster_size_threshold: u64,
    /// `--unhealthy-zone-threshold` (0.55).
    pub unhealthy_zone_threshold: f64,
    /// `--default-unreachable-toleration-seconds` (300): every pod's NoExecute toleration.
    pub default_toleration_seconds: u64,
    /// How long a kubelet request waits for its answer (the heartbeat client's timeout).
    pub request_timeout: Time,
    /// After a partition, how long before the kubelet's dead HTTP/2 connection is replaced
    /// (read-idle + ping timeouts; 0: at once).
    pub reconnect_delay: Time,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            node_monitor_period: 5 * SECS,
            node_monitor_grace_period: 50 * SECS,
            node_startup_grace_period: 60 * SECS,
            node_lease_duration: 40 * SECS,
            node_status_update_frequency: 10 * SECS,
            node_status_report_frequency: 5 * MINS,
            node_eviction_rate: 0.1,
            secondary_node_eviction_rate: 0.01,
            large_cluster_size_threshold: 50,
            unhealthy_zone_threshold: 0.55,
            default_toleration_seconds: 300,
            request_timeout: 10 * SECS,
            reconnect_delay: 0,
        }
    }
}

impl Config {
    /// The lease renew interval: `nodeLeaseRenewIntervalFraction` (0.25) of the lease duration.
    pub fn renew_interval(&self) -> Time {
        self.node_lease_duration / 4
    }
}

/// `maxUpdateRetries`: immediate tries before backing off.
const MAX_UPDATE_RETRIES: u32 = 5;
/// `backoffEnsureLease`: the first sleep, doubling up to `maxBackoff`.
const FIRST_BACKOFF: Time = 200 * MILLIS;
/// `maxBackoff`.
const MAX_BACKOFF: Time = 7 * SECS;
/// `NodeEvictionPeriod`: how often the tainting pass runs.
const TAINT_PASS: Time = 100 * MILLIS;
/// `wait.JitterUntil`'s jitter factor for the lease and status loops.
const JITTER_PERMILLE: Time = 40;

/// Messages between a kubelet and the API server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    /// A lease renewal (request number, for matching the answer).
    LeaseUpdate(u32),
    /// Its answer.
    LeaseUpdateResponse(u32),
    /// A status sync: the kubelet's Ready=True, posted if the stored status differs or is old.
    NodeStatusUpdate,
    /// Its answer.
    NodeStatusUpdateResponse,
}

impl Msg {
    /// The message's name.
    pub fn kind(&self) -> MessageKind {
        match self {
            Msg::LeaseUpdate(_) => MessageKind::LeaseUpdate,
            Msg::LeaseUpdateResponse(_) => MessageKind::LeaseUpdateResponse,
            Msg::NodeStatusUpdate => MessageKind::NodeStatusUpdate,
            Msg::NodeStatusUpdateResponse => MessageKind::NodeStatusUpdateResponse,
        }
    }
}

/// Timers (node-side ones carry the kubelet process generation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// The lease loop runs `sync`.
    LeaseSync {
        /// Node.
        node: AgentIx,
        /// Kubelet process generation.
        generation: u32,
    },
    /// A lease request got no answer in time.
    LeaseTimeout {
        /// Node.
        node: AgentIx,
        /// Kubelet process generation.
        generation: u32,
        /// The request.
        request: u32,
    },
    /// The status loop runs `syncNodeStatus`.
    StatusSync {
        /// Node.
        node: AgentIx,
        /// Kubelet process generation.
        generation: u32,
    },
    /// `monitorNodeHealth`.
    MonitorPass {
        /// Controller generation.
        generation: u32,
    },
    /// `doNoExecuteTaintingPass`.
    TaintPass {
        /// Controller generation.
        generation: u32,
    },
    /// A tainted node's pods reach their toleration.
    EvictPods {
        /// Node.
        node: AgentIx,
        /// The taint they tolerated (its number).
        taint: u32,
    },
}

/// The stored `Ready` condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ready {
    /// The node never posted a status (no Node object yet).
    Unset,
    True,
    Unknown,
}

/// The kubelet of one node.
#[derive(Clone, Debug)]
struct Kubelet {
    up: bool,
    main_loop: bool,
    generation: u32,
    /// The lease request waiting for its answer, and how many tries this sync has made.
    pending: Option<u32>,
    tries: u32,
    backoff: Time,
    next_request: u32,
    /// When its connection died (a request got no answer), for `reconnect_delay`.
    dead_since: Option<Time>,
    rng: Rng,
}

/// What the API server and the controllers know of one node.
#[derive(Clone, Debug)]
struct NodeRecord {
    zone: usize,
    pods: Vec<(TaskIx, FwIx)>,
    /// The lease's `renewTime` (when the API server stored it).
    renew_time: Option<Time>,
    ready: Ready,
    /// `Ready.LastHeartbeatTime`.
    status_heartbeat: Option<Time>,
    /// The controller's `nodeHealth`: probe time and what it saw last.
    probe: Option<Time>,
    saved_renew: Option<Time>,
    saved_heartbeat: Option<Time>,
    /// The `unreachable:NoExecute` taint while it is on the node: (its number, when added).
    taint: Option<(u32, Time)>,
    queued: bool,
    pods_deleted: bool,
}

/// A zone's tainting queue and its token bucket (burst 1).
#[derive(Clone, Debug, Default)]
struct Zone {
    queue: VecDeque<AgentIx>,
    /// Seconds between tokens (`None`: the limiter never accepts).
    interval: Option<Time>,
    /// When the bucket holds a token again.
    token_at: Time,
    state: ZoneState,
}

/// `ComputeZoneState`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum ZoneState {
    #[default]
    Normal,
    PartialDisruption,
    FullDisruption,
}

/// The Kubernetes model: every kubelet, the API server's records and the controllers.
#[derive(Clone, Debug)]
pub struct Model {
    cfg: Config,
    kubelets: Vec<Kubelet>,
    nodes: Vec<NodeRecord>,
    zones: Vec<Zone>,
    /// The controllers run (kube-controller-manager has a leader).
    controller_up: bool,
    controller_generation: u32,
    /// All zones are fully disrupted: no evictions ("master disruption mode").
    master_disruption: bool,
    taint_pass_at: Option<Time>,
    next_taint: u32,
}

impl Model {
    /// Every node's kubelet starts at `now`; the controllers start too.
    pub fn new(cfg: Config, nodes: &[NodeSetup], seed: u64, now: Time, out: &mut Out) -> Model {
        let mut zone_names: BTreeMap<&str, usize> = BTreeMap::new();
        for n in nodes {
            let next = zone_names.len();
            zone_names.entry(n.zone.as_str()).or_insert(next);
        }
        let mut m = Model {
            kubelets: (0..nodes.len())
                .map(|i| Kubelet {
                    up: false,
                    main_loop: false,
                    generation: 0,
                    pending: None,
                    tries: 0,
                    backoff: FIRST_BACKOFF,
                    next_request: 0,
                    dead_since: None,
                    rng: Rng::new(seed, 0x4b38_0000 + i as u64),
                })
                .collect(),
            nodes: nodes
                .iter()
                .map(|n| NodeRecord {
                    zone: zone_names[n.zone.as_str()],
                    pods: n.tasks.clone(),
                    renew_time: None,
                    ready: Ready::Unset,
                    status_heartbeat: None,
                    probe: None,
                    saved_renew: None,
                    saved_heartbeat: None,
                    taint: None,
                    queued: false,
                    pods_deleted: false,
                })
                .collect(),
            zones: vec![Zone::default(); zone_names.len()],
            controller_up: false,
            controller_generation: 0,
            master_disruption: false,
            taint_pass_at: None,
            next_taint: 0,
            cfg,
        };
        for z in 0..m.zones.len() {
            m.set_limiter(z, ZoneState::Normal, 0, now);
        }
        m.controller_started(now, out);
        m
    }

    // ---- the kubelet ------------------------------------------------------------------------

    /// The node's processes changed (faults).
    pub fn process(&mut self, now: Time, node: AgentIx, change: Process, out: &mut Out) {
        let k = &mut self.kubelets[node as usize];
        match change {
            Process::Down => {
                k.up = false;
                k.main_loop = false;
                k.generation += 1;
                k.pending = None;
            }
            Process::Up { main_loop } => {
                if k.up {
                    return;
                }
                k.up = true;
                k.main_loop = main_loop;
                k.generation += 1;
                k.tries = 0;
                k.backoff = FIRST_BACKOFF;
                let generation = k.generation;
                // `wait.JitterUntil` runs its function at once, then every period.
                out.timers.push((
                    now,
                    AnyTimer::Kubernetes(Timer::LeaseSync { node, generation }),
                ));
                out.timers.push((
                    now,
                    AnyTimer::Kubernetes(Timer::StatusSync { node, generation }),
                ));
            }
            Process::MainLoop => {
                if k.up {
                    k.main_loop = true;
                }
            }
        }
    }

    /// A jittered period: `period × (1 + U[0, 0.04])`.
    fn jittered(k: &mut Kubelet, period: Time) -> Time {
        period + k.rng.uniform(period * JITTER_PERMILLE / 1_000)
    }

    fn lease_sync(&mut self, now: Time, node: AgentIx, out: &mut Out) {
        let k = &mut self.kubelets[node as usize];
        let request = k.next_request;
        k.next_request = k.next_request.wrapping_add(1);
        k.pending = Some(request);
        let generation = k.generation;
        // A request over a connection that died before `reconnect_delay` passed goes nowhere.
        let usable = k
            .dead_since
            .is_none_or(|t| now >= t + self.cfg.reconnect_delay);
        if usable {
            out.sends.push(Envelope {
                from: Endpoint::Node(node),
                to: Endpoint::Plane,
                msg: super::Msg::Kubernetes(Msg::LeaseUpdate(request)),
                round_trip: true,
            });
        }
        out.timers.push((
            now + self.cfg.request_timeout,
            AnyTimer::Kubernetes(Timer::LeaseTimeout {
                node,
                generation,
                request,
            }),
        ));
    }

    /// `retryUpdateLease` / `backoffEnsureLease`: a failed try is repeated at once up to five
    /// times, then after a sleep doubling from 200 ms to 7 s, until one succeeds.
    fn lease_failed(&mut self, now: Time, node: AgentIx, out: &mut Out) {
        let k = &mut self.kubelets[node as usize];
        k.pending = None;
        k.dead_since.get_or_insert(now);
        k.tries += 1;
        let generation = k.generation;
        let at = if k.tries < MAX_UPDATE_RETRIES {
            now
        } else {
            let sleep = k.backoff;
            k.backoff = (k.backoff * 2).min(MAX_BACKOFF);
            now + sleep
        };
        out.timers.push((
            at,
            AnyTimer::Kubernetes(Timer::LeaseSync { node, generation }),
        ));
    }

    fn lease_answered(&mut self, now: Time, node: AgentIx, request: u32, out: &mut Out) {
        let renew = self.cfg.renew_interval();
        let k = &mut self.kubelets[node as usize];
        if !k.up || k.pending != Some(request) {
            return;
        }
        k.pending = None;
        k.tries = 0;
        k.backoff = FIRST_BACKOFF;
        k.dead_since = None;
        let generation = k.generation;
        // Sliding: the next sync is a period after this one finished.
        let at = now + Self::jittered(k, renew);
        out.timers.push((
            at,
            AnyTimer::Kubernetes(Timer::LeaseSync { node, generation }),
        ));
    }

    fn status_sync(&mut self, now: Time, node: AgentIx, out: &mut Out) {
        let freq = self.cfg.node_status_update_frequency;
        let k = &mut self.kubelets[node as usize];
        let generation = k.generation;
        if k.main_loop
            && k.dead_since
                .is_none_or(|t| now >= t + self.cfg.reconnect_delay)
        {
            out.sends.push(Envelope {
                from: Endpoint::Node(node),
                to: Endpoint::Plane,
                msg: super::Msg::Kubernetes(Msg::NodeStatusUpdate),
                round_trip: true,
            });
        }
        let at = now + Self::jittered(k, freq);
        out.timers.push((
            at,
            AnyTimer::Kubernetes(Timer::StatusSync { node, generation }),
        ));
    }

    // ---- the API server -----------------------------------------------------------------------

    /// A message arrived.
    pub fn on_message(&mut self, now: Time, env: &Envelope, msg: Msg, out: &mut Out) {
        match (env.from, msg) {
            (Endpoint::Node(node), Msg::LeaseUpdate(request)) => {
                self.nodes[node as usize].renew_time = Some(now);
                out.sends.push(Envelope {
                    from: Endpoint::Plane,
                    to: Endpoint::Node(node),
                    msg: super::Msg::Kubernetes(Msg::LeaseUpdateResponse(request)),
                    round_trip: true,
                });
            }
            (Endpoint::Node(node), Msg::NodeStatusUpdate) => {
                self.status_posted(now, node, out);
                out.sends.push(Envelope {
                    from: Endpoint::Plane,
                    to: Endpoint::Node(node),
                    msg: super::Msg::Kubernetes(Msg::NodeStatusUpdateResponse),
                    round_trip: true,
                });
            }
            (Endpoint::Plane, Msg::LeaseUpdateResponse(request)) => {
                if let Endpoint::Node(node) = env.to {
                    self.lease_answered(now, node, request, out);
                }
            }
            _ => {}
        }
    }

    /// `tryUpdateNodeStatus`: the kubelet posts Ready=True when the stored status differs, or
    /// when `nodeStatusReportFrequency` has passed since it last posted.
    fn status_posted(&mut self, now: Time, node: AgentIx, out: &mut Out) {
        let report = self.cfg.node_status_report_frequency;
        let rec = &mut self.nodes[node as usize];
        let due = rec.status_heartbeat.is_none_or(|t| now >= t + report);
        if rec.ready == Ready::True && !due {
            return;
        }
        let before = rec.ready;
        rec.ready = Ready::True;
        rec.status_heartbeat = Some(now);
        match before {
            Ready::Unset => {
                out.events.push(Event::AgentRegistered {
                    agent: node,
                    id: AgentId(node),
                    previous_view: MasterView::Unknown,
                });
                out.events
                    .push(status_event(node, "Ready", MasterView::Connected));
                for &(task, framework) in &rec.pods {
                    out.events.push(Event::TaskStatus {
                        agent: node,
                        framework,
                        task,
                        state: TaskState::Running,
                        reason: None,
                        unreachable_time: None,
                        forwarded: true,
                    });
                }
            }
            Ready::Unknown => {
                out.events
                    .push(status_event(node, "Ready", MasterView::Connected));
            }
            Ready::True => {}
        }
    }

    // ---- the node lifecycle controller ------------------------------------------------------

    fn controller_started(&mut self, now: Time, out: &mut Out) {
        self.controller_up = true;
        self.controller_generation += 1;
        self.taint_pass_at = None;
        // A new leader's `nodeHealthMap` is empty: "Assuming now as a timestamp".
        for rec in &mut self.nodes {
            rec.probe = None;
            rec.saved_renew = None;
            rec.saved_heartbeat = None;
            rec.queued = false;
        }
        for z in &mut self.zones {
            z.queue.clear();
        }
        // A new taint eviction controller schedules each tainted node's pods a toleration from
        // when it processes them (`processPodOnNode`), not from the taint's `TimeAdded`.
        let toleration = self.cfg.default_toleration_seconds as Time * SECS;
        for (ix, rec) in self.nodes.iter().enumerate() {
            if let (Some((taint, _)), false) = (rec.taint, rec.pods_deleted) {
                out.timers.push((
                    now + toleration,
                    AnyTimer::Kubernetes(Timer::EvictPods {
                        node: ix as AgentIx,
                        taint,
                    }),
                ));
            }
        }
        let generation = self.controller_generation;
        out.timers.push((
            now + self.cfg.node_monitor_period,
            AnyTimer::Kubernetes(Timer::MonitorPass { generation }),
        ));
    }

    /// The controller manager loses its leader (a `fail_over_master` fault).
    pub fn control_plane_down(&mut self) {
        self.controller_up = false;
        self.controller_generation += 1;
    }

    /// A new controller manager leader starts.
    pub fn control_plane_up(&mut self, now: Time, out: &mut Out) {
        if !self.controller_up {
            self.controller_started(now, out);
        }
    }

    /// `monitorNodeHealth`: per node, note progress (a newer lease or status heartbeat), flip
    /// Ready to Unknown once `probe + grace` has passed, then act on the condition observed
    /// *before* that update (so a node is queued for tainting one pass after it flips).
    fn monitor_pass(&mut self, now: Time, out: &mut Out) {
        for ix in 0..self.nodes.len() {
            let node = ix as AgentIx;
            let rec = &mut self.nodes[ix];
            if rec.ready == Ready::Unset {
                continue; // No Node object yet.
            }
            let observed = rec.ready;
            if rec.probe.is_none()
                || rec.renew_time > rec.saved_renew
                || rec.status_heartbeat > rec.saved_heartbeat
            {
                rec.probe = Some(now);
                rec.saved_renew = rec.renew_time;
                rec.saved_heartbeat = rec.status_heartbeat;
            }
            let grace = self.cfg.node_monitor_grace_period;
            if rec.ready == Ready::True && rec.probe.is_some_and(|p| now > p + grace) {
                rec.ready = Ready::Unknown;
                out.events
                    .push(status_event(node, "Unknown", MasterView::Unreachable));
                out.events.push(Event::AgentMarkedUnreachable {
                    agent: node,
                    id: AgentId(node),
                    cause: Cause::LeaseExpired,
                });
            }
            match observed {
                Ready::Unknown if rec.taint.is_none() && !rec.queued => {
                    rec.queued = true;
                    self.zones[rec.zone].queue.push_back(node);
                }
                Ready::True if rec.taint.is_some() || rec.queued => {
                    self.mark_reachable(node, out);
                }
                _ => {}
            }
        }
        self.handle_disruption(now, out);
        let generation = self.controller_generation;
        out.timers.push((
            now + self.cfg.node_monitor_period,
            AnyTimer::Kubernetes(Timer::MonitorPass { generation }),
        ));
        self.schedule_taint_pass(now, out);
    }

    /// `markNodeAsReachable`: the taint goes, queued tainting and scheduled deletions are off.
    fn mark_reachable(&mut self, node: AgentIx, out: &mut Out) {
        let rec = &mut self.nodes[node as usize];
        if rec.queued {
            rec.queued = false;
            self.zones[rec.zone].queue.retain(|&n| n != node);
        }
        if rec.taint.take().is_some() {
            out.events
                .push(status_event(node, "Ready", MasterView::Connected));
        }
    }

    /// `handleDisruption`: zone states set each zone's tainting rate; when every zone is fully
    /// disrupted nothing is evicted and every taint is lifted, and on the way out every probe
    /// restarts from now.
    fn handle_disruption(&mut self, now: Time, out: &mut Out) {
        let states: Vec<(ZoneState, u64)> =
            (0..self.zones.len()).map(|z| self.zone_state(z)).collect();
        let all_full =
            !states.is_empty() && states.iter().all(|&(s, _)| s == ZoneState::FullDisruption);
        if all_full && !self.master_disruption {
            self.master_disruption = true;
            for ix in 0..self.nodes.len() {
                self.mark_reachable(ix as AgentIx, out);
            }
        } else if !all_full && self.master_disruption {
            self.master_disruption = false;
            for rec in &mut self.nodes {
                rec.probe = Some(now);
            }
        }
        for (z, (state, size)) in states.into_iter().enumerate() {
            self.set_limiter(z, state, size, now);
        }
    }

    /// (`ComputeZoneState`, zone size).
    fn zone_state(&self, zone: usize) -> (ZoneState, u64) {
        let (mut ready, mut not_ready) = (0u64, 0u64);
        for rec in self.nodes.iter().filter(|r| r.zone == zone) {
            match rec.ready {
                Ready::True => ready += 1,
                Ready::Unknown => not_ready += 1,
                Ready::Unset => {}
            }
        }
        let state = if ready == 0 && not_ready > 0 {
            ZoneState::FullDisruption
        } else if not_ready > 2
            && not_ready as f64 / (not_ready + ready) as f64 >= self.cfg.unhealthy_zone_threshold
        {
            ZoneState::PartialDisruption
        } else {
            ZoneState::Normal
        };
        (state, ready + not_ready)
    }

    /// `setLimiterInZone` with `SwapLimiter`: a drained bucket stays drained.
    fn set_limiter(&mut self, zone: usize, state: ZoneState, size: u64, now: Time) {
        let rate = if self.master_disruption {
            0.0
        } else {
            match state {
                ZoneState::Normal | ZoneState::FullDisruption => self.cfg.node_eviction_rate,
                ZoneState::PartialDisruption if size > self.cfg.large_cluster_size_threshold => {
                    self.cfg.secondary_node_eviction_rate
                }
                ZoneState::PartialDisruption => 0.0,
            }
        };
        let interval = (rate > 0.0).then(|| ((SECS as f64) / rate).round() as Time);
        let z = &mut self.zones[zone];
        let had_token = z.interval.is_some() && now >= z.token_at;
        z.state = state;
        if z.interval == interval {
            return;
        }
        z.interval = interval;
        z.token_at = match interval {
            Some(i) if !had_token => now + i,
            _ => now,
        };
    }

    fn schedule_taint_pass(&mut self, now: Time, out: &mut Out) {
        if self.taint_pass_at.is_some() || self.zones.iter().all(|z| z.queue.is_empty()) {
            return;
        }
        // Passes run on a 100 ms grid; only those that can find work are simulated.
        let at = (now / TAINT_PASS + 1) * TAINT_PASS;
        self.taint_pass_at = Some(at);
        let generation = self.controller_generation;
        out.timers
            .push((at, AnyTimer::Kubernetes(Timer::TaintPass { generation })));
    }

    /// `doNoExecuteTaintingPass` → `RateLimitedTimedQueue::Try`: per zone, while the token
    /// bucket accepts, the head of the queue is tainted (or dropped if Ready again).
    fn taint_pass(&mut self, now: Time, out: &mut Out) {
        self.taint_pass_at = None;
        let toleration = self.cfg.default_toleration_seconds as Time * SECS;
        for z in 0..self.zones.len() {
            loop {
                let zone = &mut self.zones[z];
                let Some(&node) = zone.queue.front() else {
                    break;
                };
                match zone.interval {
                    Some(i) if now >= zone.token_at => zone.token_at = now + i,
                    _ => break,
                }
                zone.queue.pop_front();
                let rec = &mut self.nodes[node as usize];
                rec.queued = false;
                if rec.ready != Ready::Unknown {
                    continue;
                }
                let taint = self.next_taint;
                self.next_taint += 1;
                rec.taint = Some((taint, now));
                out.events.push(status_event(
                    node,
                    "Unknown, tainted unreachable:NoExecute",
                    MasterView::Unreachable,
                ));
                if !rec.pods_deleted {
                    out.timers.push((
                        now + toleration,
                        AnyTimer::Kubernetes(Timer::EvictPods { node, taint }),
                    ));
                }
            }
        }
        if self.zones.iter().any(|z| !z.queue.is_empty()) {
            self.schedule_taint_pass(now, out);
        }
    }

    /// The taint eviction controller: the pods' toleration ran out while the taint stayed on.
    fn evict_pods(&mut self, node: AgentIx, taint: u32, out: &mut Out) {
        let rec = &mut self.nodes[node as usize];
        if rec.taint.map(|(t, _)| t) != Some(taint) || rec.pods_deleted {
            return;
        }
        rec.pods_deleted = true;
        for &(task, framework) in &rec.pods {
            out.events.push(Event::TaskStatus {
                agent: node,
                framework,
                task,
                state: TaskState::Killed,
                reason: Some(TaskReason::TaintEviction),
                unreachable_time: None,
                forwarded: true,
            });
        }
    }

    /// A timer fired.
    pub fn on_timer(&mut self, now: Time, timer: Timer, out: &mut Out) {
        match timer {
            Timer::LeaseSync { node, generation } => {
                let k = &self.kubelets[node as usize];
                if k.up && k.generation == generation && k.pending.is_none() {
                    self.lease_sync(now, node, out);
                }
            }
            Timer::LeaseTimeout {
                node,
                generation,
                request,
            } => {
                let k = &self.kubelets[node as usize];
                if k.up && k.generation == generation && k.pending == Some(request) {
                    self.lease_failed(now, node, out);
                }
            }
            Timer::StatusSync { node, generation } => {
                let k = &self.kubelets[node as usize];
                if k.up && k.generation == generation {
                    self.status_sync(now, node, out);
                }
            }
            Timer::MonitorPass { generation } => {
                if self.controller_up && generation == self.controller_generation {
                    self.monitor_pass(now, out);
                }
            }
            Timer::TaintPass { generation } => {
                if self.controller_up && generation == self.controller_generation {
                    self.taint_pass(now, out);
                }
            }
            Timer::EvictPods { node, taint } => {
                if self.controller_up {
                    self.evict_pods(node, taint, out);
                }
            }
        }
    }

    /// The shared view and the lab's gauge (lease age against the grace period).
    pub fn gauge(&self, now: Time, node: AgentIx) -> NodeGauge {
        let rec = &self.nodes[node as usize];
        let (view, status) = match (rec.ready, rec.taint) {
            (Ready::Unset, _) => (MasterView::Unknown, "not registered"),
            (Ready::True, _) => (MasterView::Connected, "Ready"),
            (Ready::Unknown, None) => (MasterView::Unreachable, "Unknown"),
            (Ready::Unknown, Some(_)) => (MasterView::Unreachable, "Unknown, tainted"),
        };
        NodeGauge {
            view,
            status,
            measure: "lease age",
            value: rec.renew_time.map_or(0, |t| now.saturating_sub(t) as i64),
            limit: Some(self.cfg.node_monitor_grace_period as i64),
        }
    }

    /// Whether the kubelet's heartbeat path runs.
    pub fn heartbeat_running(&self, node: AgentIx) -> bool {
        self.kubelets[node as usize].up
    }
}

fn status_event(agent: AgentIx, status: &'static str, view: MasterView) -> Event {
    Event::NodeStatus {
        agent,
        status,
        view,
    }
}
