//! Messages between the master and an agent (`messages/messages.proto`).

use super::types::{AgentId, FwIx, MessageKind, TaskIx, TaskReason, TaskState};
use crate::time::Time;

/// Identifies one `SlaveObserver` process: pongs go back to the observer that pinged, and a pong
/// for an observer that no longer exists is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObserverId {
    /// The agent it observes.
    pub agent: AgentId,
    /// Which incarnation (a new observer is made each time the agent is (re)admitted).
    pub generation: u32,
}

/// Agent → master.
#[derive(Clone, Debug, PartialEq)]
pub enum ToMaster {
    /// `PongSlaveMessage`, sent back to the pinging observer.
    Pong {
        /// The observer that sent the ping.
        observer: ObserverId,
    },
    /// `RegisterSlaveMessage` (no id yet), with the tasks it will run.
    RegisterSlave {
        /// Tasks on the agent.
        tasks: Vec<TaskIx>,
    },
    /// `ReregisterSlaveMessage` with its id and live tasks.
    ReregisterSlave {
        /// Its id.
        id: AgentId,
        /// Tasks it still runs.
        tasks: Vec<TaskIx>,
    },
    /// `UnregisterSlaveMessage`.
    UnregisterSlave {
        /// Its id.
        id: AgentId,
    },
    /// `StatusUpdateMessage`: a terminal state the agent generated for one task.
    StatusUpdate {
        /// The sender's id.
        id: AgentId,
        /// The task.
        task: TaskIx,
        /// Its new state.
        state: TaskState,
        /// Why.
        reason: TaskReason,
    },
}

/// Master → agent.
#[derive(Clone, Debug, PartialEq)]
pub enum ToAgent {
    /// `PingSlaveMessage`.
    Ping {
        /// The observer's `connected` flag.
        connected: bool,
        /// Who pinged.
        observer: ObserverId,
    },
    /// `SlaveRegisteredMessage`.
    SlaveRegistered {
        /// The new id.
        id: AgentId,
        /// `connection.total_ping_timeout_seconds`.
        total_ping_timeout: Time,
    },
    /// `SlaveReregisteredMessage`.
    SlaveReregistered {
        /// The id.
        id: AgentId,
        /// `connection.total_ping_timeout_seconds`.
        total_ping_timeout: Time,
    },
    /// `ShutdownFrameworkMessage`.
    ShutdownFramework {
        /// Which framework.
        framework: FwIx,
    },
}

impl ToMaster {
    /// The Mesos message name.
    pub fn kind(&self) -> MessageKind {
        match self {
            ToMaster::Pong { .. } => MessageKind::Pong,
            ToMaster::RegisterSlave { .. } => MessageKind::RegisterSlave,
            ToMaster::ReregisterSlave { .. } => MessageKind::ReregisterSlave,
            ToMaster::UnregisterSlave { .. } => MessageKind::UnregisterSlave,
            ToMaster::StatusUpdate { .. } => MessageKind::StatusUpdate,
        }
    }
}

impl ToAgent {
    /// The Mesos message name.
    pub fn kind(&self) -> MessageKind {
        match self {
            ToAgent::Ping { .. } => MessageKind::Ping,
            ToAgent::SlaveRegistered { .. } => MessageKind::SlaveRegistered,
            ToAgent::SlaveReregistered { .. } => MessageKind::SlaveReregistered,
            ToAgent::ShutdownFramework { .. } => MessageKind::ShutdownFramework,
        }
    }
}
