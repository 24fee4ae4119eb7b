//! Scenario files (`docs/scenarios.md`): the shared input of the CLI, the wasm API and the lab.
//!
//! [`Scenario::from_json`] validates everything and reports every problem with its JSON path, so
//! the simulator itself never sees bad input. The reading is split by part of the file:
//! `parse` (the top level, master, network, frameworks), `agents`, `faults`, `expectations`, all
//! on the toolkit in `read`.

mod agents;
mod detectors;
mod expectations;
mod faults;
pub(crate) mod parse;
pub(crate) mod read;

use serde_json::Value;

pub use crate::mesos::config::{MasterConfig, RateLimit, Recovery};
use crate::mesos::types::{
    named_enum, AgentIx, AgentState, FwIx, MasterView, MessageKind, Policy, PongWhen,
};
use crate::time::Time;

pub use agents::AgentSettings;
pub use faults::parse_fault;
pub use parse::{Limits, LIMITS};

/// A validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Short title.
    pub name: String,
    /// Optional longer text (the lab shows it).
    pub description: String,
    /// Seed of every random choice in the run.
    pub seed: u64,
    /// How long the run lasts.
    pub duration: Time,
    /// The policy whose defaults apply.
    pub policy: Policy,
    /// Who judges the agents (Mesos by default) and its settings.
    pub detector: crate::detectors::DetectorConfig,
    /// Master flags.
    pub master: MasterConfig,
    /// Network defaults for every agent link.
    pub network: NetworkConfig,
    /// Frameworks, by index.
    pub frameworks: Vec<FrameworkSpec>,
    /// Agents after `count` expansion, by index (= address).
    pub agents: Vec<AgentSpec>,
    /// Faults in file order (the simulator applies them in time order, ties in file order).
    pub faults: Vec<Fault>,
    /// Expectations in file order.
    pub expect: Vec<Expectation>,
    /// Things Mesos itself would refuse (the run goes on; the CLI and the lab show them).
    pub warnings: Vec<Warning>,
    /// The scenario as given (the lab exports it again with its interventions appended).
    pub source: Value,
}

/// Input that runs, but that Mesos would not accept as written, with its JSON path.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// Where: `master.agent_reregister_timeout`, `agents[2].executor_reregistration_timeout`.
    pub path: String,
    /// What, in words: `5mins is below 10mins, which Mesos refuses at start-up`.
    pub message: String,
}

impl std::fmt::Display for Warning {
    /// `path: message`, the line the CLI prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Link defaults.
#[derive(Clone, Debug)]
pub struct NetworkConfig {
    /// Fixed one-way latency.
    pub latency: Time,
    /// Extra uniform delay in `[0, jitter]`.
    pub jitter: Time,
    /// Probability that any one message is lost.
    pub drop_rate: f64,
}

impl Default for NetworkConfig {
    /// 1ms one way, no jitter, no loss.
    fn default() -> NetworkConfig {
        NetworkConfig {
            latency: crate::time::MILLIS,
            jitter: 0,
            drop_rate: 0.0,
        }
    }
}

/// A framework.
#[derive(Clone, Debug)]
pub struct FrameworkSpec {
    /// Its name.
    pub name: String,
    /// Gets TASK_UNREACHABLE instead of TASK_LOST.
    pub partition_aware: bool,
    /// Its executors survive an agent restart.
    pub checkpoint: bool,
    /// Connected to the master at the start.
    pub connected: bool,
}

/// One agent (after `count` expansion).
#[derive(Clone, Debug)]
pub struct AgentSpec {
    /// Its name, which stands for its address.
    pub name: String,
    /// Tasks per framework, launched when it first registers.
    pub tasks: Vec<(FwIx, u32)>,
    /// Its settings: Mesos agent flags and the recovery workload, resolved (`executors` is
    /// always given: one per task when the scenario says nothing).
    pub settings: AgentSettings,
    /// Its zone (Kubernetes' per-zone eviction), `""` if none.
    pub zone: String,
}

named_enum! {
    /// Which directions a partition cuts.
    Direction {
        /// Both directions.
        Both = "both",
        /// Master → agent only.
        MasterToAgent = "master_to_agent",
        /// Agent → master only.
        AgentToMaster = "agent_to_master",
    }
}

named_enum! {
    /// The `kind` of a fault, as scenario files write it: the list of kinds in problems and
    /// choices comes from here.
    FaultKindName {
        /// Restart the agent process.
        RestartAgent = "restart_agent",
        /// Kill the agent process.
        CrashAgent = "crash_agent",
        /// Start a crashed agent.
        StartAgent = "start_agent",
        /// End a hanging recovery.
        FinishRecovery = "finish_recovery",
        /// Cut links.
        Partition = "partition",
        /// Restore links.
        Heal = "heal",
        /// Break the master's socket.
        BreakSocket = "break_socket",
        /// Drop named messages for a while.
        DropMessages = "drop_messages",
        /// Graceful shutdown.
        ShutdownAgent = "shutdown_agent",
        /// Master failover.
        FailOverMaster = "fail_over_master",
        /// A framework disconnects.
        DisconnectFramework = "disconnect_framework",
        /// A framework reconnects.
        ReconnectFramework = "reconnect_framework",
    }
}

impl FaultKindName {
    /// Whether faults of this kind name `agents` (master and framework faults do not).
    pub fn takes_agents(self) -> bool {
        !matches!(
            self,
            FaultKindName::FailOverMaster
                | FaultKindName::DisconnectFramework
                | FaultKindName::ReconnectFramework
        )
    }
}

/// What a fault does.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// Restart the agent process (same address).
    RestartAgent {
        /// Recovery length.
        recovery: Recovery,
        /// Nothing to recover: it registers as a new agent.
        work_dir_lost: bool,
    },
    /// Kill the agent process.
    CrashAgent,
    /// Start a crashed agent again.
    StartAgent {
        /// Recovery length.
        recovery: Recovery,
        /// Nothing to recover: it registers as a new agent.
        work_dir_lost: bool,
    },
    /// End a (hanging) recovery now.
    FinishRecovery,
    /// Cut the link.
    Partition {
        /// Which directions.
        direction: Direction,
        /// Whether the master also sees the socket break (`exited()`).
        breaks_socket: bool,
    },
    /// Restore both directions.
    Heal,
    /// Break the master→agent socket (the master sees `exited()`).
    BreakSocket,
    /// Drop the named messages until a time.
    DropMessages {
        /// Message kinds to drop.
        messages: Vec<MessageKind>,
        /// Drops stop at this time.
        until: Time,
    },
    /// Graceful agent shutdown (unregister).
    ShutdownAgent,
    /// The master fails over; the new one comes up after `downtime`.
    FailOverMaster {
        /// Time without a master.
        downtime: Time,
    },
    /// A framework disconnects from the master.
    DisconnectFramework {
        /// Which framework.
        framework: FwIx,
    },
    /// A framework reconnects.
    ReconnectFramework {
        /// Which framework.
        framework: FwIx,
    },
}

impl FaultKind {
    /// Its `kind` name.
    pub fn name(&self) -> FaultKindName {
        match self {
            FaultKind::RestartAgent { .. } => FaultKindName::RestartAgent,
            FaultKind::CrashAgent => FaultKindName::CrashAgent,
            FaultKind::StartAgent { .. } => FaultKindName::StartAgent,
            FaultKind::FinishRecovery => FaultKindName::FinishRecovery,
            FaultKind::Partition { .. } => FaultKindName::Partition,
            FaultKind::Heal => FaultKindName::Heal,
            FaultKind::BreakSocket => FaultKindName::BreakSocket,
            FaultKind::DropMessages { .. } => FaultKindName::DropMessages,
            FaultKind::ShutdownAgent => FaultKindName::ShutdownAgent,
            FaultKind::FailOverMaster { .. } => FaultKindName::FailOverMaster,
            FaultKind::DisconnectFramework { .. } => FaultKindName::DisconnectFramework,
            FaultKind::ReconnectFramework { .. } => FaultKindName::ReconnectFramework,
        }
    }
}

/// A fault at a time.
#[derive(Clone, Debug)]
pub struct Fault {
    /// When it happens.
    pub at: Time,
    /// Which agents (empty for master and framework faults).
    pub agents: Vec<AgentIx>,
    /// What happens.
    pub kind: FaultKind,
    /// The fault as given (traced in `fault` events).
    pub raw: Value,
}

/// How many matching events an event expectation wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountBound {
    /// Exactly this many.
    Exactly(u64),
    /// At least this many.
    AtLeast(u64),
    /// At most this many.
    AtMost(u64),
}

/// What a state expectation checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateCheck {
    /// The master's view of the agent.
    MasterView(MasterView),
    /// The agent process state.
    AgentState(AgentState),
}

/// One expectation of a scenario.
#[derive(Clone, Debug)]
pub enum Expectation {
    /// A state at a time (after every event at or before it).
    State {
        /// When.
        at: Time,
        /// Which agent.
        agent: AgentIx,
        /// What must hold.
        check: StateCheck,
        /// As given.
        raw: Value,
    },
    /// A count of trace events.
    EventCount {
        /// The event kind.
        event: String,
        /// Inclusive window; `None` is the whole run.
        between: Option<(Time, Time)>,
        /// The bound.
        bound: CountBound,
        /// Every other key must equal the event's field.
        filters: Vec<(String, Value)>,
        /// As given.
        raw: Value,
    },
    /// A metric value.
    Metric {
        /// Mesos metric name.
        metric: String,
        /// Wanted value.
        equals: f64,
        /// When (default: the end of what has run).
        at: Option<Time>,
        /// As given.
        raw: Value,
    },
}

impl Expectation {
    /// The expectation as given.
    pub fn raw(&self) -> &Value {
        match self {
            Expectation::State { raw, .. }
            | Expectation::EventCount { raw, .. }
            | Expectation::Metric { raw, .. } => raw,
        }
    }
}

/// Every problem found in an input, one line each (`agents[1].count: must be at least 1`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidInput {
    /// One message per problem, each starting with its JSON path.
    pub problems: Vec<String>,
}

impl std::fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for InvalidInput {}

impl InvalidInput {
    /// A single problem.
    pub fn one(problem: impl Into<String>) -> InvalidInput {
        InvalidInput {
            problems: vec![problem.into()],
        }
    }
}

impl Scenario {
    /// Parses and validates scenario JSON text. Every problem is reported, each with its JSON path.
    ///
    /// ```
    /// use liveness::scenario::Scenario;
    /// let s = Scenario::from_json_text(r#"{ "duration": "5mins", "agents": [{ "name": "a", "count": 3 }] }"#)
    ///     .unwrap();
    /// assert_eq!(s.agents.len(), 3);
    /// let bad = r#"{ "duration": "5mins", "agents": [{ "name": "a", "count": 0 }] }"#;
    /// let err = Scenario::from_json_text(bad).unwrap_err();
    /// assert_eq!(err.problems, ["agents[0].count: must be at least 1"]);
    /// ```
    pub fn from_json_text(text: &str) -> Result<Scenario, InvalidInput> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            InvalidInput::one(format!(
                "(file): not valid JSON: {e} (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        Scenario::from_json(&value)
    }

    /// Validates a parsed scenario. Values the engine runs but Mesos would refuse are kept as
    /// [`Scenario::warnings`].
    ///
    /// ```
    /// use liveness::scenario::Scenario;
    /// use serde_json::json;
    /// let s = Scenario::from_json(&json!({
    ///     "duration": "5mins",
    ///     "agents": [{ "name": "a" }],
    ///     "master": { "agent_ping_timeout": "15s" }
    /// }))
    /// .unwrap();
    /// assert_eq!(s.warnings[0].path, "master.agent_ping_timeout");
    /// assert_eq!(s.warnings[0].message, r#""15s" is not Mesos syntax; Mesos writes "15secs""#);
    /// ```
    pub fn from_json(value: &Value) -> Result<Scenario, InvalidInput> {
        parse::scenario(value)
    }

    /// The index of an agent by name.
    pub fn agent_index(&self, name: &str) -> Option<AgentIx> {
        self.agents
            .iter()
            .position(|a| a.name == name)
            .map(|i| i as AgentIx)
    }

    /// The total number of tasks.
    pub fn task_count(&self) -> usize {
        self.agents
            .iter()
            .map(|a| a.tasks.iter().map(|&(_, n)| n as usize).sum::<usize>())
            .sum()
    }
}
