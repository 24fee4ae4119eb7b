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

use crate::detectors::{status_event, task_status};
use std::collections::{BTreeMap, VecDeque};

mod controller;
mod kubelet;

use super::{Endpoint, Envelope, NodeGauge, NodeSetup, Out};
use crate::mesos::event::Event;
use crate::mesos::types::{AgentId, AgentIx, FwIx, MasterView, MessageKind, TaskIx, TaskState};
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
/// How long one monitor pass takes: its next run is a period after it finishes.
const PASS_DURATION: Time = MILLIS;
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
                    out.events
                        .push(task_status(node, task, framework, TaskState::Running, None));
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
