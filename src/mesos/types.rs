//! Names shared by the master, the agent, the simulator and the scenario format.

use std::fmt;

/// Index of an agent *address* (its scenario name). An agent that registers anew keeps its
/// address but gets a new [`AgentId`].
pub type AgentIx = u32;
/// Index of a framework in the scenario.
pub type FwIx = u16;
/// Index of a task in the simulation's task table.
pub type TaskIx = u32;

/// A Mesos `SlaveID`, assigned by the master when it admits a new agent (printed `S<n>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize)]
pub struct AgentId(pub u32);

impl fmt::Display for AgentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S{}", self.0)
    }
}

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order (their index is the numeric code used in typed
            /// arrays).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used in scenario files, traces and the JS API.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses [`Self::name`].
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// Every name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// A comma-separated list of the accepted names, for error messages.
            pub fn choices() -> String {
                Self::NAMES.join(", ")
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}
/// Lets the layers above declare their own name lists the same way (fault kinds).
pub(crate) use named_enum;

named_enum! {
    /// What the master thinks of an agent address: which of the master's collections
    /// (`master.hpp :: struct Slaves`) holds its newest id.
    MasterView {
        /// Registered and connected.
        Connected = "connected",
        /// Registered, but the master saw `exited()`; the re-registration timer may be armed.
        Disconnected = "disconnected",
        /// In the registry's unreachable list.
        Unreachable = "unreachable",
        /// Read from the registry after a master failover and not yet re-registered.
        Recovered = "recovered",
        /// Removed (graceful unregister, or replaced by a new agent at the same address).
        Removed = "removed",
        /// Never seen, or garbage-collected from the unreachable list.
        Unknown = "unknown",
    }
}

named_enum! {
    /// The agent process's own state (`Slave::State`, plus `down` for no process).
    AgentState {
        /// No process is running.
        Down = "down",
        /// Recovering checkpointed state; it does not (re-)register yet.
        Recovering = "recovering",
        /// Looking for the master and (re-)registering with backoff.
        Disconnected = "disconnected",
        /// Registered with the master.
        Running = "running",
        /// Shutting down.
        Terminating = "terminating",
    }
}

named_enum! {
    /// Which defaults bundle a scenario runs under (see `docs/model.md`, "Policies").
    Policy {
        /// Before MESOS-6286: no re-registration timer for disconnected agents.
        Mesos11 = "mesos-1.1",
        /// The shipped fix: `agent_reregister_timeout` also guards disconnected agents.
        Mesos12 = "mesos-1.2",
        /// As 1.2, but non-partition-aware tasks survive re-registration (MESOS-7215).
        Mesos15 = "mesos-1.5",
        /// Mesos' current master branch: the 1.5 rules plus every later change to a liveness
        /// verdict (MESOS-10209 and the others listed in `docs/model.md`).
        MesosLatest = "mesos-latest",
        /// Proposed fix A: agents answer pings only while running.
        RunningOnlyPongs = "running-only-pongs",
    }
}

named_enum! {
    /// What the master does with the tasks of an agent it had removed when it re-registers.
    ReregistrationPolicy {
        /// 1.2–1.4: only partition-aware tasks are re-added; other frameworks get
        /// `ShutdownFrameworkMessage`.
        KillNonPartitionAware = "kill_non_partition_aware",
        /// 1.5+: every task is re-added and reported with `REASON_SLAVE_REREGISTERED`.
        KeepAll = "keep_all",
    }
}

named_enum! {
    /// When an agent answers `PingSlaveMessage`.
    PongWhen {
        /// In every state, as Mesos does.
        Always = "always",
        /// Only while running (proposed fix A).
        Running = "running",
    }
}

named_enum! {
    /// Why an agent is being marked unreachable.
    Cause {
        /// The health check (`max_agent_ping_timeouts` unanswered pings).
        HealthCheck = "health_check",
        /// A disconnected agent did not re-register within `agent_reregister_timeout`.
        ReregisterTimeout = "reregister_timeout",
        /// A recovered agent did not re-register within `agent_reregister_timeout` of failover.
        MasterFailover = "master_failover",
        /// Kubernetes: the node's lease was not renewed within `node_monitor_grace_period`.
        LeaseExpired = "lease_expired",
        /// Nomad: no heartbeat within the TTL plus `heartbeat_grace`.
        HeartbeatTtl = "heartbeat_ttl",
        /// memberlist: a suspicion was not refuted before its timeout.
        SuspicionTimeout = "suspicion_timeout",
        /// Phi accrual: φ crossed the threshold.
        PhiThreshold = "phi_threshold",
    }
}

named_enum! {
    /// Why an agent was removed (not marked unreachable).
    RemovalReason {
        /// It unregistered gracefully.
        Unregistered = "unregistered",
        /// A new agent registered at its address.
        Registered = "registered",
    }
}

named_enum! {
    /// Mesos message names, as they appear in traces and in `drop_messages` faults.
    MessageKind {
        /// Master → agent health check ping.
        Ping = "PingSlaveMessage",
        /// Agent → master ping reply.
        Pong = "PongSlaveMessage",
        /// Agent → master first registration.
        RegisterSlave = "RegisterSlaveMessage",
        /// Master → agent registration reply.
        SlaveRegistered = "SlaveRegisteredMessage",
        /// Agent → master re-registration.
        ReregisterSlave = "ReregisterSlaveMessage",
        /// Master → agent re-registration reply.
        SlaveReregistered = "SlaveReregisteredMessage",
        /// Agent → master graceful shutdown.
        UnregisterSlave = "UnregisterSlaveMessage",
        /// Master → agent: kill a framework's tasks.
        ShutdownFramework = "ShutdownFrameworkMessage",
        /// Agent → master: a task status update generated on the agent (here: tasks whose
        /// executors died while the agent was away).
        StatusUpdate = "StatusUpdateMessage",
        /// Kubernetes: the kubelet renews its `Lease` (an HTTP `Update`).
        LeaseUpdate = "LeaseUpdate",
        /// Kubernetes: the API server's answer to a lease renewal.
        LeaseUpdateResponse = "LeaseUpdateResponse",
        /// Kubernetes: the kubelet's node status sync (GET, and PATCH when it changed).
        NodeStatusUpdate = "NodeStatusUpdate",
        /// Kubernetes: the API server's answer to a status sync.
        NodeStatusUpdateResponse = "NodeStatusUpdateResponse",
        /// Nomad: the client's heartbeat RPC.
        NodeUpdateStatus = "Node.UpdateStatus",
        /// Nomad: the leader's answer, with the next TTL.
        NodeUpdateStatusResponse = "Node.UpdateStatusResponse",
        /// memberlist: a direct probe.
        SwimPing = "ping",
        /// memberlist: a probe's answer.
        SwimAck = "ack",
        /// memberlist: ask a helper to probe for you.
        SwimPingReq = "ping-req",
        /// memberlist: a helper's "no answer".
        SwimNack = "nack",
        /// memberlist: a suspicion broadcast.
        SwimSuspect = "suspect",
        /// memberlist: an alive (or refutation) broadcast.
        SwimAlive = "alive",
        /// memberlist: a death broadcast.
        SwimDead = "dead",
        /// memberlist: a full state exchange.
        SwimPushPull = "push-pull",
        /// Akka: the monitor's heartbeat request.
        Heartbeat = "Heartbeat",
        /// Akka: the monitored node's heartbeat response.
        HeartbeatRsp = "HeartbeatRsp",
    }
}

named_enum! {
    /// Task states reported to frameworks.
    TaskState {
        /// Running.
        Running = "TASK_RUNNING",
        /// Lost (non-partition-aware frameworks).
        Lost = "TASK_LOST",
        /// Unreachable (partition-aware frameworks).
        Unreachable = "TASK_UNREACHABLE",
        /// Killed on the agent.
        Killed = "TASK_KILLED",
        /// Its executor terminated (`Slave::sendExecutorTerminatedStatusUpdate`).
        Failed = "TASK_FAILED",
        /// Killed by the agent because its executor did not re-register (partition-aware
        /// frameworks; others get TASK_LOST).
        Gone = "TASK_GONE",
    }
}

named_enum! {
    /// Task status reasons.
    TaskReason {
        /// The master saw the agent disconnect (non-checkpointing frameworks).
        SlaveDisconnected = "REASON_SLAVE_DISCONNECTED",
        /// The agent was marked unreachable or removed.
        SlaveRemoved = "REASON_SLAVE_REMOVED",
        /// An unreachable or unknown agent re-registered (1.5+).
        SlaveReregistered = "REASON_SLAVE_REREGISTERED",
        /// The executor went away with the agent process or a framework shutdown.
        ExecutorTerminated = "REASON_EXECUTOR_TERMINATED",
        /// The recovering agent killed an executor that did not re-register in time
        /// (`Slave::reregisterExecutorTimeout`).
        ExecutorReregistrationTimeout = "REASON_EXECUTOR_REREGISTRATION_TIMEOUT",
        /// Kubernetes: the taint eviction controller deleted the pod.
        TaintEviction = "taint_eviction",
        /// Nomad: the allocation is lost because its node is down.
        NodeDown = "node_down",
        /// Nomad: the allocation is unknown while its node is disconnected.
        NodeDisconnected = "node_disconnected",
        /// Phi accrual: the node was downed (Akka's split brain resolver).
        NodeDowned = "node_downed",
    }
}

named_enum! {
    /// Why an executor died (trace event `executor_terminated`).
    ExecutorEnd {
        /// A checkpointing framework's executor waited `recovery_timeout` for its agent to come
        /// back and shut itself down (`exec.cpp :: ExecutorProcess::_recoveryTimeout`).
        RecoveryTimeout = "recovery_timeout",
        /// The recovering agent killed it: it did not re-register within
        /// `executor_reregistration_timeout` (`Slave::reregisterExecutorTimeout`).
        ReregistrationTimeout = "reregistration_timeout",
        /// A non-checkpointing framework's executor exits with its agent
        /// (`exec.cpp :: ExecutorProcess::exited`).
        AgentExited = "agent_exited",
        /// The agent shut down gracefully and killed its executors (`Slave::shutdown`).
        AgentShutdown = "agent_shutdown",
        /// The master sent `ShutdownFrameworkMessage` (`Slave::shutdownFramework`).
        FrameworkShutdown = "framework_shutdown",
    }
}

named_enum! {
    /// Why an agent process exited on its own.
    AgentAbort {
        /// `Slave::reregistered`: "Re-registered but got wrong id … Committing suicide".
        ReregisteredWrongId = "reregistered_with_wrong_id",
        /// `Slave::registered` while running: "Registered but got wrong id".
        RegisteredWrongId = "registered_with_wrong_id",
    }
}

/// Which Mesos release's code the model follows; each policy picks one. Later versions change
/// details that alter verdicts or times (listed in `docs/model.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MesosVersion {
    /// 1.1: before MESOS-6286.
    V1_1,
    /// 1.2–1.4.
    V1_2,
    /// The 1.5.x branch.
    V1_5,
    /// The master branch (1.6 and later changes).
    Latest,
}

impl MesosVersion {
    /// Its name: `1.1`, `1.2`, `1.5` or `latest`.
    pub fn name(self) -> &'static str {
        match self {
            MesosVersion::V1_1 => "1.1",
            MesosVersion::V1_2 => "1.2",
            MesosVersion::V1_5 => "1.5",
            MesosVersion::Latest => "latest",
        }
    }
}

impl Policy {
    /// The policy's defaults: (`master.reregister_timer`, `master.reregistration_policy`,
    /// `agent.pong_when`).
    pub fn defaults(self) -> (bool, ReregistrationPolicy, PongWhen) {
        use ReregistrationPolicy::*;
        match self {
            Policy::Mesos11 => (false, KillNonPartitionAware, PongWhen::Always),
            Policy::Mesos12 => (true, KillNonPartitionAware, PongWhen::Always),
            Policy::Mesos15 | Policy::MesosLatest => (true, KeepAll, PongWhen::Always),
            Policy::RunningOnlyPongs => (false, KillNonPartitionAware, PongWhen::Running),
        }
    }

    /// The Mesos code the policy's master and agent follow (fix A was proposed against 1.1).
    pub fn version(self) -> MesosVersion {
        match self {
            Policy::Mesos11 | Policy::RunningOnlyPongs => MesosVersion::V1_1,
            Policy::Mesos12 => MesosVersion::V1_2,
            Policy::Mesos15 => MesosVersion::V1_5,
            Policy::MesosLatest => MesosVersion::Latest,
        }
    }
}

impl MessageKind {
    /// True for messages the master (the control plane) sends.
    pub fn from_master(self) -> bool {
        matches!(
            self,
            MessageKind::Ping
                | MessageKind::SlaveRegistered
                | MessageKind::SlaveReregistered
                | MessageKind::ShutdownFramework
                | MessageKind::LeaseUpdateResponse
                | MessageKind::NodeStatusUpdateResponse
                | MessageKind::NodeUpdateStatusResponse
                | MessageKind::Heartbeat
        )
    }
}
