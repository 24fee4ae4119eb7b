//! Failure detectors of other systems, side by side with Mesos': Kubernetes (kubelet lease +
//! node lifecycle controller + taint eviction), Nomad (server-side heartbeat TTLs), memberlist
//! (SWIM + Lifeguard) and phi accrual (Akka; Cassandra's variant as an option). Each is a sans-IO
//! model of the whole system — the control plane (or, for memberlist, every member) and the
//! node-side heartbeat path of every agent — that takes `now` and an input and returns messages,
//! timers and events, like `mesos/`. The simulator routes the messages over the same links and
//! applies the same faults, so a scenario means the same thing to every detector: a crash stops
//! the heartbeat path; a restart whose recovery hangs leaves the heartbeat path running while the
//! main loop is stuck (a hung kubelet whose lease goroutine renews, a Nomad client whose heartbeat
//! goroutine runs, a memberlist member that acks).
//!
//! Nothing here knows about the simulator, the scenario format or wasm. `docs/detectors.md` says
//! what each model follows (file and function in each system's code) and what it leaves out.

pub mod kubernetes;
pub mod memberlist;
pub mod nomad;
pub mod phi;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

use crate::mesos::event::{Event, NodeStatus, TaskStatus};
use crate::mesos::types::{AgentIx, FwIx, MasterView, MessageKind, TaskIx};
use crate::time::Time;

/// Who judges the agents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DetectorKind {
    /// Mesos' master (the default; `mesos/`).
    Mesos,
    /// Kubernetes' node lifecycle controller.
    Kubernetes,
    /// Nomad's leader server.
    Nomad,
    /// HashiCorp memberlist, every member.
    Memberlist,
    /// Phi accrual (Akka's, or Cassandra's variant).
    PhiAccrual,
}

impl DetectorKind {
    /// Every detector, in the order the lab shows them.
    pub const ALL: [DetectorKind; 5] = [
        DetectorKind::Mesos,
        DetectorKind::Kubernetes,
        DetectorKind::Nomad,
        DetectorKind::Memberlist,
        DetectorKind::PhiAccrual,
    ];

    /// The name used in scenario files (`"detector"`), traces and the JS API.
    pub fn name(self) -> &'static str {
        match self {
            DetectorKind::Mesos => "mesos",
            DetectorKind::Kubernetes => "kubernetes",
            DetectorKind::Nomad => "nomad",
            DetectorKind::Memberlist => "memberlist",
            DetectorKind::PhiAccrual => "phi-accrual",
        }
    }

    /// Parses [`Self::name`].
    pub fn parse(text: &str) -> Option<DetectorKind> {
        DetectorKind::ALL.into_iter().find(|k| k.name() == text)
    }

    /// A comma-separated list of the names, for error messages.
    pub fn choices() -> String {
        DetectorKind::ALL.map(DetectorKind::name).join(", ")
    }
}

/// Settings of the detector a scenario picks (Mesos' live in `MasterConfig`).
#[derive(Clone, Debug, PartialEq)]
pub enum DetectorConfig {
    /// Mesos: everything is in the master and agent settings.
    Mesos,
    /// Kubernetes.
    Kubernetes(kubernetes::Config),
    /// Nomad.
    Nomad(nomad::Config),
    /// memberlist.
    Memberlist(memberlist::Config),
    /// Phi accrual.
    PhiAccrual(phi::Config),
}

impl DetectorConfig {
    /// Which detector.
    pub fn kind(&self) -> DetectorKind {
        match self {
            DetectorConfig::Mesos => DetectorKind::Mesos,
            DetectorConfig::Kubernetes(_) => DetectorKind::Kubernetes,
            DetectorConfig::Nomad(_) => DetectorKind::Nomad,
            DetectorConfig::Memberlist(_) => DetectorKind::Memberlist,
            DetectorConfig::PhiAccrual(_) => DetectorKind::PhiAccrual,
        }
    }
}

/// One end of a message: the control plane (API server and controllers, Nomad's servers, the
/// monitoring node) or an agent's node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    /// The control plane.
    Plane,
    /// A node, by agent address.
    Node(AgentIx),
}

/// A message to route.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    /// Sender.
    pub from: Endpoint,
    /// Receiver.
    pub to: Endpoint,
    /// What.
    pub msg: Msg,
    /// Carried by a request/response exchange over TCP (an HTTP request, an RPC): it gets through
    /// only if both directions between the two ends work (a one-way cut breaks the connection).
    pub round_trip: bool,
}

/// Every detector's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// Kubernetes.
    Kubernetes(kubernetes::Msg),
    /// Nomad.
    Nomad(nomad::Msg),
    /// memberlist.
    Memberlist(memberlist::Msg),
    /// Phi accrual.
    Phi(phi::Msg),
}

impl Msg {
    /// The system's own name for the message (traces and drawing).
    pub fn kind(&self) -> MessageKind {
        match self {
            Msg::Kubernetes(m) => m.kind(),
            Msg::Nomad(m) => m.kind(),
            Msg::Memberlist(m) => m.kind(),
            Msg::Phi(m) => m.kind(),
        }
    }
}

/// Every detector's timers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// Kubernetes.
    Kubernetes(kubernetes::Timer),
    /// Nomad.
    Nomad(nomad::Timer),
    /// memberlist.
    Memberlist(memberlist::Timer),
    /// Phi accrual.
    Phi(phi::Timer),
}

/// What a model asks its host to do.
#[derive(Debug, Default)]
pub struct Out {
    /// Messages to route.
    pub sends: Vec<Envelope>,
    /// Timers to arm.
    pub timers: Vec<(Time, Timer)>,
    /// Trace events.
    pub events: Vec<Event>,
}

impl Out {
    /// Empties every list for reuse.
    pub fn clear(&mut self) {
        self.sends.clear();
        self.timers.clear();
        self.events.clear();
    }
}

/// What happened to a node's processes (from faults).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Process {
    /// The agent process died: its heartbeat path stops.
    Down,
    /// It started: the heartbeat path runs at once; the main loop runs once `main_loop` is true
    /// (after recovery).
    Up {
        /// The main loop already runs.
        main_loop: bool,
    },
    /// Its main loop runs again (recovery finished).
    MainLoop,
}

/// A node as a model starts from.
#[derive(Clone, Debug)]
pub struct NodeSetup {
    /// Its tasks (pods, allocations, actors): (task, framework).
    pub tasks: Vec<(TaskIx, FwIx)>,
    /// Its zone (Kubernetes' per-zone eviction), `""` if none.
    pub zone: String,
}

/// What the lab draws for a node: the detector's own state name and its clock.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeGauge {
    /// The shared view.
    pub view: MasterView,
    /// The system's own name for the state (`Ready`, `Unknown`, `down`, `suspect`, …).
    pub status: &'static str,
    /// What the gauge measures (`lease age`, `TTL left`, `suspicion left`, `phi`).
    pub measure: &'static str,
    /// Its value now (µs for times; φ × 1000 for phi).
    pub value: i64,
    /// The value at which the detector acts, or the length of the timer counting down (same
    /// unit), if any.
    pub limit: Option<i64>,
}

impl NodeGauge {
    /// Whether `value` and `limit` are times (µs); otherwise they are φ × 1000.
    pub fn is_time(&self) -> bool {
        self.measure != "phi"
    }
}

/// A detector's own state for a node changed (`node_status`).
pub(crate) fn status_event(agent: AgentIx, status: &'static str, view: MasterView) -> Event {
    Event::NodeStatus(Box::new(NodeStatus {
        agent,
        status,
        view,
    }))
}

/// What a detector's verdict did to a task, as its framework hears it (`task_status`).
pub(crate) fn task_status(
    agent: AgentIx,
    task: TaskIx,
    framework: FwIx,
    state: crate::mesos::types::TaskState,
    reason: Option<crate::mesos::types::TaskReason>,
) -> Event {
    Event::TaskStatus(Box::new(TaskStatus {
        agent,
        framework,
        task,
        state,
        reason,
        unreachable_time: None,
        forwarded: true,
    }))
}

/// The same verdict for every task of a node, in the node's task order (`task_status` each).
pub(crate) fn task_statuses(
    events: &mut Vec<Event>,
    agent: AgentIx,
    tasks: &[(TaskIx, FwIx)],
    state: crate::mesos::types::TaskState,
    reason: Option<crate::mesos::types::TaskReason>,
) {
    events.extend(
        tasks
            .iter()
            .map(|&(task, framework)| task_status(agent, task, framework, state, reason)),
    );
}

/// One detector's whole model (Mesos' is the master and agents in `mesos/`).
#[derive(Clone, Debug)]
pub enum Model {
    /// Kubernetes.
    Kubernetes(kubernetes::Model),
    /// Nomad.
    Nomad(nomad::Model),
    /// memberlist.
    Memberlist(memberlist::Model),
    /// Phi accrual.
    Phi(phi::Model),
}

impl Model {
    /// Builds the model of `cfg` for these nodes and starts its control plane at `now`; node
    /// processes start with [`Model::process`]. `None` for Mesos.
    pub fn new(
        cfg: &DetectorConfig,
        nodes: &[NodeSetup],
        seed: u64,
        now: Time,
        out: &mut Out,
    ) -> Option<Model> {
        Some(match cfg {
            DetectorConfig::Mesos => return None,
            DetectorConfig::Kubernetes(c) => {
                Model::Kubernetes(kubernetes::Model::new(c.clone(), nodes, seed, now, out))
            }
            DetectorConfig::Nomad(c) => {
                Model::Nomad(nomad::Model::new(c.clone(), nodes, seed, now, out))
            }
            DetectorConfig::Memberlist(c) => {
                Model::Memberlist(memberlist::Model::new(c.clone(), nodes, seed, now, out))
            }
            DetectorConfig::PhiAccrual(c) => {
                Model::Phi(phi::Model::new(c.clone(), nodes, seed, now, out))
            }
        })
    }

    /// A node's processes changed.
    pub fn process(&mut self, now: Time, node: AgentIx, change: Process, out: &mut Out) {
        match self {
            Model::Kubernetes(m) => m.process(now, node, change, out),
            Model::Nomad(m) => m.process(now, node, change, out),
            Model::Memberlist(m) => m.process(now, node, change, out),
            Model::Phi(m) => m.process(now, node, change, out),
        }
    }

    /// A message arrived.
    pub fn on_message(&mut self, now: Time, env: &Envelope, out: &mut Out) {
        match (self, &env.msg) {
            (Model::Kubernetes(m), Msg::Kubernetes(msg)) => m.on_message(now, env, *msg, out),
            (Model::Nomad(m), Msg::Nomad(msg)) => m.on_message(now, env, *msg, out),
            (Model::Memberlist(m), Msg::Memberlist(msg)) => m.on_message(now, env, msg, out),
            (Model::Phi(m), Msg::Phi(msg)) => m.on_message(now, env, *msg, out),
            _ => {}
        }
    }

    /// A timer fired.
    pub fn on_timer(&mut self, now: Time, timer: Timer, out: &mut Out) {
        match (self, timer) {
            (Model::Kubernetes(m), Timer::Kubernetes(t)) => m.on_timer(now, t, out),
            (Model::Nomad(m), Timer::Nomad(t)) => m.on_timer(now, t, out),
            (Model::Memberlist(m), Timer::Memberlist(t)) => m.on_timer(now, t, out),
            (Model::Phi(m), Timer::Phi(t)) => m.on_timer(now, t, out),
            _ => {}
        }
    }

    /// The control plane dies (a `fail_over_master` fault).
    pub fn control_plane_down(&mut self) {
        match self {
            Model::Kubernetes(m) => m.control_plane_down(),
            Model::Nomad(m) => m.control_plane_down(),
            Model::Memberlist(m) => m.control_plane_down(),
            Model::Phi(m) => m.control_plane_down(),
        }
    }

    /// A new control plane starts.
    pub fn control_plane_up(&mut self, now: Time, out: &mut Out) {
        match self {
            Model::Kubernetes(m) => m.control_plane_up(now, out),
            Model::Nomad(m) => m.control_plane_up(now, out),
            Model::Memberlist(m) => m.control_plane_up(now, out),
            Model::Phi(m) => m.control_plane_up(now, out),
        }
    }

    /// The shared view of a node, its own state name and the gauge the lab draws.
    pub fn gauge(&self, now: Time, node: AgentIx) -> NodeGauge {
        match self {
            Model::Kubernetes(m) => m.gauge(now, node),
            Model::Nomad(m) => m.gauge(now, node),
            Model::Memberlist(m) => m.gauge(now, node),
            Model::Phi(m) => m.gauge(now, node),
        }
    }
}
