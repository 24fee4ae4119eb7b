//! What the master and the agent report as they run: the model's own events. The simulator
//! stamps them with a time and the trace writer (`trace.rs`) turns them into JSON lines; nothing
//! here knows about either.

use super::types::{
    AgentAbort, AgentId, AgentIx, AgentState, Cause, ExecutorEnd, FwIx, MasterView, MesosVersion,
    MessageKind, RemovalReason, TaskIx, TaskReason, TaskState,
};
use crate::time::Time;

/// One thing that happened (its time is kept beside it, in `trace::Stamped`). `Serialize` feeds
/// the trace hash (`trace_hash.rs`): variants are numbered in declaration order, so add new ones
/// at the end to keep the hashes of runs without them.
///
/// A full trace keeps every event (over a million in a large run), so an event is kept to 16
/// bytes: the rare kinds with wider fields carry them in a box ([`AgentDisconnected`],
/// [`TaskStatus`], [`NodeStatus`], a [`MasterAbort`]). A boxed struct serializes exactly as the
/// same fields inline, so boxing a kind does not change its hash.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum Event {
    /// A scenario or injected fault took effect (`index` into the fault log).
    Fault {
        /// Index into the simulation's fault log.
        index: u32,
    },
    /// A message was sent.
    Message {
        /// The agent end of the link.
        agent: AgentIx,
        /// Which message.
        kind: MessageKind,
        /// It will never arrive.
        dropped: bool,
        /// The `connected` flag of a ping.
        connected: Option<bool>,
        /// For a message between two nodes (memberlist), the receiving node (`agent` sends).
        peer: Option<AgentIx>,
    },
    /// A ping went unanswered for a whole `agent_ping_timeout`.
    PingTimeout {
        /// Agent.
        agent: AgentIx,
        /// Consecutive unanswered pings.
        consecutive: u32,
    },
    /// The master handled `exited()` for a connected agent.
    AgentDisconnected(Box<AgentDisconnected>),
    /// A path asked the rate limiter for a permit to mark the agent unreachable.
    UnreachableScheduled {
        /// Agent.
        agent: AgentIx,
        /// Which path.
        cause: Cause,
    },
    /// A scheduled transition was called off (a pong, or the agent came back).
    UnreachableCanceled {
        /// Agent.
        agent: AgentIx,
        /// Which path.
        cause: Cause,
    },
    /// The registry recorded the agent as unreachable.
    AgentMarkedUnreachable {
        /// Agent.
        agent: AgentIx,
        /// Its id.
        id: AgentId,
        /// Which path.
        cause: Cause,
    },
    /// A new agent was admitted.
    AgentRegistered {
        /// Agent.
        agent: AgentIx,
        /// Its new id.
        id: AgentId,
        /// What the master thought of the address before.
        previous_view: MasterView,
    },
    /// A known agent re-registered.
    AgentReregistered {
        /// Agent.
        agent: AgentIx,
        /// Its id.
        id: AgentId,
        /// What the master thought of it before.
        previous_view: MasterView,
    },
    /// An agent was removed.
    AgentRemoved {
        /// Agent.
        agent: AgentIx,
        /// Its id.
        id: AgentId,
        /// Why.
        reason: RemovalReason,
    },
    /// A task status update was generated.
    TaskStatus(Box<TaskStatus>),
    /// `LostSlaveMessage` to a connected framework.
    SlaveLost {
        /// Agent.
        agent: AgentIx,
        /// Framework told.
        framework: FwIx,
    },
    /// `ShutdownFrameworkMessage` killed a framework's tasks on the agent.
    FrameworkShutdown {
        /// Agent.
        agent: AgentIx,
        /// Framework shut down there.
        framework: FwIx,
    },
    /// The agent process changed state.
    AgentStateChanged {
        /// Agent.
        agent: AgentIx,
        /// Old state.
        from: AgentState,
        /// New state.
        to: AgentState,
    },
    /// The agent heard no ping for its whole ping timeout and re-detects the master.
    AgentPingTimeout {
        /// Agent.
        agent: AgentIx,
    },
    /// The master process failed; a new one comes up after `downtime`.
    MasterFailover {
        /// Time without a master.
        downtime: Time,
    },
    /// A new master recovered the registry.
    MasterRecovered {
        /// Agents it expects to re-register.
        recovered_agents: u32,
    },
    /// The master process exited on its own.
    MasterAborted {
        /// Why.
        reason: Box<MasterAbort>,
    },
    /// An executor died (its task with it): the ground truth beside what frameworks hear.
    ExecutorTerminated {
        /// Agent.
        agent: AgentIx,
        /// The executor's framework.
        framework: FwIx,
        /// The task it ran (a command executor's id is its task's id).
        task: TaskIx,
        /// Why.
        reason: ExecutorEnd,
    },
    /// The agent process exited on its own (a Mesos `EXIT`); a supervisor may restart it.
    AgentAborted {
        /// Agent.
        agent: AgentIx,
        /// Why.
        reason: AgentAbort,
    },
    /// Another detector's own state for a node changed (Kubernetes' Ready condition, Nomad's
    /// node status, memberlist's member state, phi accrual's reachability).
    NodeStatus(Box<NodeStatus>),
    /// Registry GC dropped an unreachable agent.
    RegistryPruned {
        /// Agent.
        agent: AgentIx,
        /// Its id.
        id: AgentId,
    },
}

impl Event {
    /// The `event` name.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Fault { .. } => "fault",
            Event::Message { .. } => "message",
            Event::PingTimeout { .. } => "ping_timeout",
            Event::AgentDisconnected(_) => "agent_disconnected",
            Event::UnreachableScheduled { .. } => "unreachable_scheduled",
            Event::UnreachableCanceled { .. } => "unreachable_canceled",
            Event::AgentMarkedUnreachable { .. } => "agent_marked_unreachable",
            Event::AgentRegistered { .. } => "agent_registered",
            Event::AgentReregistered { .. } => "agent_reregistered",
            Event::AgentRemoved { .. } => "agent_removed",
            Event::TaskStatus(_) => "task_status",
            Event::SlaveLost { .. } => "slave_lost",
            Event::FrameworkShutdown { .. } => "framework_shutdown",
            Event::AgentStateChanged { .. } => "agent_state",
            Event::AgentPingTimeout { .. } => "agent_ping_timeout",
            Event::MasterFailover { .. } => "master_failover",
            Event::MasterRecovered { .. } => "master_recovered",
            Event::MasterAborted { .. } => "master_aborted",
            Event::ExecutorTerminated { .. } => "executor_terminated",
            Event::AgentAborted { .. } => "agent_aborted",
            Event::NodeStatus(_) => "node_status",
            Event::RegistryPruned { .. } => "registry_pruned",
        }
    }

    /// The agent the event is about, if any.
    pub fn agent(&self) -> Option<AgentIx> {
        match *self {
            Event::Message { agent, .. }
            | Event::PingTimeout { agent, .. }
            | Event::UnreachableScheduled { agent, .. }
            | Event::UnreachableCanceled { agent, .. }
            | Event::AgentMarkedUnreachable { agent, .. }
            | Event::AgentRegistered { agent, .. }
            | Event::AgentReregistered { agent, .. }
            | Event::AgentRemoved { agent, .. }
            | Event::SlaveLost { agent, .. }
            | Event::FrameworkShutdown { agent, .. }
            | Event::AgentStateChanged { agent, .. }
            | Event::AgentPingTimeout { agent }
            | Event::ExecutorTerminated { agent, .. }
            | Event::AgentAborted { agent, .. }
            | Event::RegistryPruned { agent, .. } => Some(agent),
            Event::AgentDisconnected(ref e) => Some(e.agent),
            Event::TaskStatus(ref e) => Some(e.agent),
            Event::NodeStatus(ref e) => Some(e.agent),
            _ => None,
        }
    }
}

/// The fields of [`Event::AgentDisconnected`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AgentDisconnected {
    /// Agent.
    pub agent: AgentIx,
    /// When the re-registration timer fires, if armed.
    pub reregister_deadline: Option<Time>,
}

/// The fields of [`Event::TaskStatus`]: a status update (Mesos' `TaskStatus`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TaskStatus {
    /// Agent.
    pub agent: AgentIx,
    /// Framework.
    pub framework: FwIx,
    /// Task.
    pub task: TaskIx,
    /// New state.
    pub state: TaskState,
    /// Reason, if any.
    pub reason: Option<TaskReason>,
    /// When the agent was marked unreachable, for updates caused by that.
    pub unreachable_time: Option<Time>,
    /// Whether it reached the framework (it must be connected).
    pub forwarded: bool,
}

/// The fields of [`Event::NodeStatus`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NodeStatus {
    /// Agent.
    pub agent: AgentIx,
    /// The system's own name for the state.
    pub status: &'static str,
    /// The shared view it maps to.
    pub view: MasterView,
}

/// Why a master process exited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum MasterAbort {
    /// `Master::recoveredSlavesTimeout`: more recovered agents missing than
    /// `recovery_agent_removal_limit` allows.
    RecoveryRemovalLimit,
    /// A registry write took longer than `registry_store_timeout` (the registrar fails and the
    /// master `LOG(FATAL)`s).
    RegistryStoreTimeout(Time),
}

impl MasterAbort {
    /// Mesos' words for it.
    pub fn message(self) -> String {
        match self {
            MasterAbort::RecoveryRemovalLimit => {
                "Post-recovery agent removal limit exceeded".to_string()
            }
            MasterAbort::RegistryStoreTimeout(t) => format!(
                "Failed to update registry: Failed to perform store within {}",
                crate::time::format_duration(t)
            ),
        }
    }
}

/// Mesos' text for why an agent was marked unreachable (the `message` of
/// `Master::markUnreachable`). Mesos wrote "re-register" until a4e9695fe (1.6) and
/// "reregister" since; the failover text also lost its leading "agent" then (74b2a0b71).
pub fn unreachable_message(
    cause: Cause,
    reregister_timeout: Time,
    version: MesosVersion,
) -> String {
    let r = crate::time::format_duration(reregister_timeout);
    let latest = version >= MesosVersion::Latest;
    match (cause, latest) {
        (Cause::HealthCheck, _) => "health check timed out".to_string(),
        (Cause::ReregisterTimeout, false) => {
            format!("agent did not re-register within {r} after disconnecting")
        }
        (Cause::ReregisterTimeout, true) => {
            format!("agent did not reregister within {r} after disconnecting")
        }
        (Cause::MasterFailover, false) => {
            format!("agent did not re-register within {r} after master failover")
        }
        (Cause::MasterFailover, true) => {
            format!("did not reregister within {r} after master failover")
        }
        // The other systems' own words (docs/detectors.md).
        (Cause::LeaseExpired, _) => "Kubelet stopped posting node status.".to_string(),
        (Cause::HeartbeatTtl, _) => "Node heartbeat missed".to_string(),
        (Cause::SuspicionTimeout, _) => "Marking as failed, suspect timeout reached".to_string(),
        (Cause::PhiThreshold, _) => "Marking node as UNREACHABLE".to_string(),
    }
}
