//! The Mesos agent, sans IO (`slave/slave.cpp`): process states, recovery, detection of the
//! master, (re-)registration with randomised backoff, ping handling with its own ping timer,
//! and the executors that outlive the agent process (`exec/exec.cpp`).
//!
//! Executors: every task runs in its own executor (a command executor's id is its task's id).
//! When the agent process exits, a checkpointing framework's executor waits `recovery_timeout`
//! for a new agent process to reconnect it and then shuts itself down
//! (`ExecutorProcess::exited`, `_recoveryTimeout`); other executors exit with the agent. A
//! recovering agent reconnects the executors still alive once it has read its checkpoints, then
//! waits `executor_reregistration_timeout` and kills those that did not re-register
//! (`Slave::_recover`, `Slave::reregisterExecutorTimeout`). Terminal updates for tasks whose
//! executors died are sent once the agent is registered again (the status update manager is
//! paused until then).

mod executors;
#[cfg(test)]
mod tests;

use super::config::Recovery;
use super::event::{Event, TaskStatus};
use super::messages::{ToAgent, ToMaster};
use super::types::{
    AgentAbort, AgentId, AgentIx, AgentState, ExecutorEnd, FwIx, MesosVersion, PongWhen, TaskIx,
    TaskReason, TaskState,
};
use crate::rng::Rng;
use crate::time::{Time, MINS, SECS};

/// `DEFAULT_MASTER_PING_TIMEOUT()`: 15 s × 5, until the master says otherwise.
pub const DEFAULT_MASTER_PING_TIMEOUT: Time = 75 * SECS;
/// `REGISTER_RETRY_INTERVAL_MAX`.
pub const REGISTER_RETRY_INTERVAL_MAX: Time = MINS;
/// `RECOVERY_TIMEOUT` (`slave/constants.hpp`): the default of the agent's `recovery_timeout`.
pub const DEFAULT_RECOVERY_TIMEOUT: Time = 15 * MINS;
/// `DEFAULT_REGISTRATION_BACKOFF_FACTOR` (`slave/constants.hpp`).
pub const DEFAULT_REGISTRATION_BACKOFF_FACTOR: Time = SECS;
/// `EXECUTOR_REREGISTRATION_TIMEOUT` (`slave/constants.hpp`): the default of the agent's
/// `executor_reregistration_timeout`.
pub const DEFAULT_EXECUTOR_REREGISTRATION_TIMEOUT: Time = 2 * SECS;
/// `MAX_EXECUTOR_REREGISTRATION_TIMEOUT` (`slave/constants.hpp`): `slave/flags.cpp` refuses a
/// longer `executor_reregistration_timeout`.
pub const MAX_EXECUTOR_REREGISTRATION_TIMEOUT: Time = 15 * SECS;

/// The agent's flags and recovery workload.
#[derive(Clone, Debug)]
pub struct AgentParams {
    /// Its address.
    pub addr: AgentIx,
    /// `registration_backoff_factor`.
    pub registration_backoff_factor: Time,
    /// `executor_reregistration_timeout`.
    pub executor_reregistration_timeout: Time,
    /// `recovery_timeout`: how long executors wait for an exited agent process to come back.
    pub recovery_timeout: Time,
    /// Recovery work per executor.
    pub recovery_per_executor: Time,
    /// Executors it recovers.
    pub executors: u64,
    /// Completed executors whose metadata it re-reads.
    pub completed_executors: u64,
    /// Executors that hang: at each recovery this many of its live checkpointed executors do not
    /// re-register and are killed.
    pub hung_executors: u32,
    /// Time to authenticate with the master before each registration chain (0: no credential).
    pub authentication_delay: Time,
    /// When it answers pings.
    pub pong_when: PongWhen,
    /// Which Mesos release's agent code runs.
    pub version: MesosVersion,
}

/// How long a restart would take to recover: reading checkpoints, then waiting for executors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecoveryEstimate {
    /// Reading checkpoints: (live + completed executors) × `recovery_per_executor`.
    pub read: Time,
    /// `executor_reregistration_timeout` when a framework is recovered, else 0.
    pub wait: Time,
    /// Executors whose checkpoints it reads (live and completed).
    pub executors: u64,
}

impl RecoveryEstimate {
    /// The whole recovery.
    pub fn total(&self) -> Time {
        self.read.saturating_add(self.wait)
    }
}

/// A task on the agent, with its executor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgentTask {
    /// The task.
    pub task: TaskIx,
    /// Its framework.
    pub framework: FwIx,
    /// Whether the framework checkpoints (its executor survives a restart).
    pub checkpoint: bool,
    /// Whether the framework is partition-aware (TASK_GONE rather than TASK_LOST when its
    /// executor is killed for not re-registering).
    pub partition_aware: bool,
    /// When its executor shuts itself down, while it waits for an exited agent process to
    /// come back (`None`: connected to a live agent process).
    pub executor_deadline: Option<Time>,
}

/// Timers the agent arms. Most carry the process generation (a crash kills them all); the
/// executors' own timer does not, since executors outlive the agent process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentTimer {
    /// Recovery has read its checkpoints: reconnect the executors.
    ExecutorReconnect {
        /// Process generation.
        generation: u32,
    },
    /// Recovery ends (after killing executors that did not re-register).
    RecoveryDone {
        /// Process generation.
        generation: u32,
    },
    /// `doReliableRegistration(max_backoff)`.
    Register {
        /// Process generation.
        generation: u32,
        /// `None` for the first attempt after a detection (an untracked `delay` in
        /// `Slave::detected` that nothing cancels); `Some` for a retry stored in
        /// `agentRegistrationTimer`.
        token: Option<u32>,
        /// The backoff bound for the attempt after this one.
        max_backoff: Time,
    },
    /// Check the ping timer (re-armed lazily, so a ping costs no queue entry).
    PingCheck {
        /// Process generation.
        generation: u32,
    },
    /// Waiting executors whose `recovery_timeout` ends now shut down.
    ExecutorRecoveryTimeout,
}

/// What the agent asks its host to do.
#[derive(Debug, Default)]
pub struct AgentOut {
    /// Messages to the master.
    pub sends: Vec<ToMaster>,
    /// Timers to arm.
    pub timers: Vec<(Time, AgentTimer)>,
    /// Trace events.
    pub events: Vec<Event>,
    /// The process exited on its own (`EXIT`): the host's supervisor may start it again.
    pub exited: Option<AgentAbort>,
}

impl AgentOut {
    /// Empties every list for reuse.
    pub fn clear(&mut self) {
        self.sends.clear();
        self.timers.clear();
        self.events.clear();
        self.exited = None;
    }
}

/// A terminal status update the agent holds until it is registered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PendingUpdate {
    task: TaskIx,
    state: TaskState,
    reason: TaskReason,
}

/// The agent's ping timer (`Slave::pingTimer`), bound to the detection it was armed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PingTimer {
    deadline: Time,
    detection: u32,
}

/// One agent process slot (its address), alive or not.
#[derive(Clone, Debug)]
pub struct Agent {
    params: AgentParams,
    state: AgentState,
    id: Option<AgentId>,
    /// Tasks whose executors are alive (connected or waiting for the agent).
    tasks: Vec<AgentTask>,
    /// Executors of a lost work dir: no agent process will reconnect them.
    orphans: Vec<AgentTask>,
    /// Tasks were launched (the agent registered at least once with them).
    launched: bool,
    pending_updates: Vec<PendingUpdate>,
    master_up: bool,
    master_ping_timeout: Time,
    heard_master_ping_timeout: bool,
    ping_timer: Option<PingTimer>,
    ping_check_at: Option<Time>,
    generation: u32,
    /// The current `detection` future: a new one per `detector->detect()` and per process.
    detection: u32,
    /// The retry stored in `agentRegistrationTimer`, if any.
    registration_timer: Option<u32>,
    /// Retry timers cancelled before they fired.
    cancelled_retries: Vec<u32>,
    next_token: u32,
    recovery_started: Time,
    recovery_ends: Option<Time>,
    /// Executors have been asked to reconnect in this recovery.
    reconnected: bool,
    rng: Rng,
}

impl Agent {
    /// A stopped agent with its tasks (launched when it first registers).
    pub fn new(params: AgentParams, tasks: Vec<AgentTask>, rng: Rng) -> Agent {
        Agent {
            params,
            state: AgentState::Down,
            id: None,
            tasks,
            orphans: Vec::new(),
            launched: false,
            pending_updates: Vec::new(),
            master_up: true,
            master_ping_timeout: DEFAULT_MASTER_PING_TIMEOUT,
            heard_master_ping_timeout: false,
            ping_timer: None,
            ping_check_at: None,
            generation: 0,
            detection: 0,
            registration_timer: None,
            cancelled_retries: Vec::new(),
            next_token: 0,
            recovery_started: 0,
            recovery_ends: None,
            reconnected: false,
            rng,
        }
    }

    /// The process state.
    pub fn state(&self) -> AgentState {
        self.state
    }

    /// The id it holds (from its work dir), if any.
    pub fn id(&self) -> Option<AgentId> {
        self.id
    }

    /// Tasks whose executors are alive on the agent's host.
    pub fn tasks(&self) -> &[AgentTask] {
        &self.tasks
    }

    /// The earliest time a waiting executor shuts itself down, if any is waiting.
    pub fn executor_deadline(&self) -> Option<Time> {
        self.tasks
            .iter()
            .chain(&self.orphans)
            .filter_map(|t| t.executor_deadline)
            .min()
    }

    /// Executors really running beside the agent: those connected to it or waiting for an
    /// exited process, plus a lost work dir's orphans (0 before its tasks are launched). The
    /// lab's ground truth against what the master and the frameworks believe.
    pub fn executors_alive(&self) -> usize {
        let connected = if self.launched { self.tasks.len() } else { 0 };
        connected + self.orphans.len()
    }

    /// (start, end) of the current recovery; the end is `None` while it hangs.
    pub fn recovery(&self) -> Option<(Time, Option<Time>)> {
        (self.state == AgentState::Recovering)
            .then_some((self.recovery_started, self.recovery_ends))
    }

    /// The ping timeout in force: 75 s until the master sends its own.
    pub fn master_ping_timeout(&self) -> Time {
        self.master_ping_timeout
    }

    /// When its ping timer expires, if armed.
    pub fn ping_deadline(&self) -> Option<Time> {
        self.ping_timer.map(|p| p.deadline)
    }

    /// How long a recovery from now would take, `None` if it hangs: the time to read its
    /// checkpoints, then the executor re-registration wait if any framework is recovered
    /// (`Slave::_recover`, MESOS-7539).
    pub fn recovery_length(&self, recovery: Recovery) -> Option<Time> {
        let (read, wait) = self.recovery_phases(recovery)?;
        Some(read + wait)
    }

    /// How long a restart would recover (with the computed length): as the agent stands now
    /// once it holds an id; before its first registration, as it will once registered with its
    /// tasks launched (a restart before that has nothing to recover). `executors` replaces its
    /// live executor count ("what if it ran that many"). The lab's estimates come from here.
    pub fn recovery_estimate(&self, executors: Option<u64>) -> RecoveryEstimate {
        let recovers = if self.id.is_some() {
            self.recovers_framework()
        } else {
            self.tasks.iter().any(|t| t.checkpoint)
        };
        let executors = executors.unwrap_or(self.params.executors);
        RecoveryEstimate {
            read: self.checkpoint_read_time(executors),
            wait: self.executor_wait(recovers),
            executors: executors.saturating_add(self.params.completed_executors),
        }
    }

    /// Whether a recovery now finds a framework to recover: a checkpointing executor still
    /// alive, or updates it holds for dead ones (`Slave::_recover`).
    fn recovers_framework(&self) -> bool {
        self.id.is_some()
            && (self.tasks.iter().any(|t| t.checkpoint) || !self.pending_updates.is_empty())
    }

    /// The wait for executors to re-register, when a framework is recovered (MESOS-7539).
    fn executor_wait(&self, recovers: bool) -> Time {
        if recovers {
            self.params.executor_reregistration_timeout
        } else {
            0
        }
    }

    /// Reading the checkpoints of `executors` live executors and the completed ones.
    fn checkpoint_read_time(&self, executors: u64) -> Time {
        executors
            .saturating_add(self.params.completed_executors)
            .saturating_mul(self.params.recovery_per_executor)
    }

    /// (time to read checkpoints and reconnect executors, wait after that).
    fn recovery_phases(&self, recovery: Recovery) -> Option<(Time, Time)> {
        let wait = self.executor_wait(self.recovers_framework());
        match recovery {
            Recovery::Hang => None,
            Recovery::Fixed(t) => Some((t - t.min(wait), t.min(wait))),
            Recovery::Computed if self.id.is_none() => Some((0, 0)),
            Recovery::Computed => Some((self.checkpoint_read_time(self.params.executors), wait)),
        }
    }

    fn set_state(&mut self, to: AgentState, out: &mut AgentOut) {
        if self.state != to {
            out.events.push(Event::AgentStateChanged {
                agent: self.params.addr,
                from: self.state,
                to,
            });
            self.state = to;
        }
    }

    fn token(&mut self) -> u32 {
        self.next_token = self.next_token.wrapping_add(1);
        self.next_token
    }

    /// Starts the process (it must be down): it recovers, then detects the master.
    pub fn start(
        &mut self,
        now: Time,
        recovery: Recovery,
        work_dir_lost: bool,
        out: &mut AgentOut,
    ) {
        if self.state != AgentState::Down {
            return;
        }
        if work_dir_lost {
            self.id = None;
            self.orphans.append(&mut self.tasks);
            self.pending_updates.clear();
            self.launched = false;
        }
        self.generation += 1;
        self.detection += 1; // A new process: its `detection` is a fresh, unrelated future.
        self.registration_timer = None;
        self.cancelled_retries.clear();
        self.master_ping_timeout = DEFAULT_MASTER_PING_TIMEOUT;
        self.heard_master_ping_timeout = false;
        self.reconnected = false;
        self.set_state(AgentState::Recovering, out);
        self.recovery_started = now;
        let phases = self.recovery_phases(recovery);
        self.recovery_ends = phases.map(|(read, wait)| now + read + wait);
        let generation = self.generation;
        match phases {
            None => {}
            Some((0, 0)) => {
                self.reconnect_executors();
                self.finish_recovery(now, out);
            }
            Some((read, wait)) => {
                if read == 0 {
                    self.reconnect_executors();
                } else {
                    out.timers
                        .push((now + read, AgentTimer::ExecutorReconnect { generation }));
                }
                out.timers
                    .push((now + read + wait, AgentTimer::RecoveryDone { generation }));
            }
        }
    }

    /// The process dies: executors of non-checkpointing frameworks exit with it, the others
    /// start waiting `recovery_timeout`; every process timer is void.
    pub fn crash(&mut self, now: Time, out: &mut AgentOut) {
        if self.state == AgentState::Down {
            return;
        }
        self.executors_see_agent_exit(now, out);
        self.generation += 1;
        self.ping_timer = None;
        self.ping_check_at = None;
        self.recovery_ends = None;
        self.set_state(AgentState::Down, out);
    }

    /// Recovery completes (also ends a hanging one): executors that did not re-register are
    /// killed, then the agent detects the master.
    pub fn finish_recovery(&mut self, now: Time, out: &mut AgentOut) {
        if self.state != AgentState::Recovering {
            return;
        }
        self.reconnect_executors();
        self.kill_unregistered_executors(out);
        self.set_state(AgentState::Disconnected, out);
        self.detect(now, out);
    }

    /// Graceful shutdown: unregister, kill every task, exit and clean the work dir.
    pub fn shutdown(&mut self, now: Time, out: &mut AgentOut) {
        if self.state == AgentState::Down {
            return;
        }
        if let (Some(id), true) = (self.id, self.master_up) {
            out.sends.push(ToMaster::UnregisterSlave { id });
        }
        self.set_state(AgentState::Terminating, out);
        let addr = self.params.addr;
        if self.launched {
            for t in self.tasks.drain(..) {
                out.events.push(Event::ExecutorTerminated {
                    agent: addr,
                    framework: t.framework,
                    task: t.task,
                    reason: ExecutorEnd::AgentShutdown,
                });
            }
        }
        self.tasks.clear();
        self.pending_updates.clear();
        self.crash(now, out);
        self.id = None;
        self.launched = false;
    }

    /// The detector's news: a master was elected (`up`) or none leads.
    pub fn master_changed(&mut self, now: Time, up: bool, out: &mut AgentOut) {
        self.master_up = up;
        if matches!(self.state, AgentState::Disconnected | AgentState::Running) {
            self.set_state(AgentState::Disconnected, out);
            self.detect(now, out);
        }
    }

    /// `Slave::detected` with a master: cancel the stored retry, start a new chain after
    /// U[0, b] (plus authentication when configured), and wait on a new detection. A retry
    /// chain already running is not stopped (only its latest timer is cancelled), so repeated
    /// detections leave chains running side by side, as in Mesos.
    fn detect(&mut self, now: Time, out: &mut AgentOut) {
        self.detection += 1;
        if !self.master_up {
            return;
        }
        if let Some(token) = self.registration_timer.take() {
            self.cancelled_retries.push(token);
        }
        let b = self.params.registration_backoff_factor;
        let delay = self.rng.uniform(b) + self.params.authentication_delay;
        out.timers.push((
            now + delay,
            AgentTimer::Register {
                generation: self.generation,
                token: None,
                max_backoff: b * 2,
            },
        ));
    }

    /// Re-detection (a `connected=false` ping while running, or the ping timer).
    fn redetect(&mut self, now: Time, out: &mut AgentOut) {
        if matches!(self.state, AgentState::Disconnected | AgentState::Running) {
            self.set_state(AgentState::Disconnected, out);
            self.detect(now, out);
        }
    }

    /// `Slave::doReliableRegistration`.
    fn register(&mut self, now: Time, max_backoff: Time, out: &mut AgentOut) {
        if !self.master_up || self.state != AgentState::Disconnected {
            return;
        }
        let tasks = self.tasks.iter().map(|t| t.task).collect();
        out.sends.push(match self.id {
            None => ToMaster::RegisterSlave { tasks },
            Some(id) => ToMaster::ReregisterSlave { id, tasks },
        });
        let bound = max_backoff.min(REGISTER_RETRY_INTERVAL_MAX);
        let delay = self.rng.uniform(bound);
        let token = self.token();
        self.registration_timer = Some(token);
        out.timers.push((
            now + delay,
            AgentTimer::Register {
                generation: self.generation,
                token: Some(token),
                max_backoff: bound * 2,
            },
        ));
    }

    /// Arms the ping timer bound to `detection`.
    fn arm_ping_timer(&mut self, now: Time, detection: u32, out: &mut AgentOut) {
        let deadline = now + self.master_ping_timeout;
        self.ping_timer = Some(PingTimer {
            deadline,
            detection,
        });
        if self.ping_check_at.is_none_or(|at| at > deadline) {
            self.ping_check_at = Some(deadline);
            out.timers.push((
                deadline,
                AgentTimer::PingCheck {
                    generation: self.generation,
                },
            ));
        }
    }

    /// `connection.total_ping_timeout_seconds` as the agent reads it: Mesos' master branch
    /// truncates it to whole seconds (12be4ba00, 1.6). Below one second — only with an
    /// `agent_ping_timeout` Mesos refuses — truncation would give a zero timer that fires as it
    /// is armed, so the value is kept as sent.
    fn ping_timeout_from_master(&self, total: Time) -> Time {
        if self.params.version >= MesosVersion::Latest && total >= SECS {
            total - total % SECS
        } else {
            total
        }
    }

    /// Handles a message (the host drops messages to a down process).
    pub fn on_message(&mut self, now: Time, msg: ToAgent, out: &mut AgentOut) {
        match msg {
            ToAgent::Ping {
                connected,
                observer,
            } => {
                // `Slave::ping` runs in every state (deliberately, says MESOS-6286's commit).
                let answer = match self.params.pong_when {
                    PongWhen::Always => true,
                    PongWhen::Running => self.state == AgentState::Running,
                };
                // The timer is re-armed with the current detection, even when this very ping
                // discards it (the discard completes asynchronously).
                let detection = self.detection;
                if !connected && self.state == AgentState::Running {
                    self.redetect(now, out);
                }
                self.arm_ping_timer(now, detection, out);
                if answer {
                    out.sends.push(ToMaster::Pong { observer });
                }
            }
            ToAgent::SlaveRegistered {
                id,
                total_ping_timeout,
            } => self.registered(now, id, total_ping_timeout, out),
            ToAgent::SlaveReregistered {
                id,
                total_ping_timeout,
            } => self.reregistered(now, id, total_ping_timeout, out),
            ToAgent::ShutdownFramework { framework } => {
                if self.state == AgentState::Down {
                    return;
                }
                let addr = self.params.addr;
                out.events.push(Event::FrameworkShutdown {
                    agent: addr,
                    framework,
                });
                for t in self.tasks.iter().filter(|t| t.framework == framework) {
                    out.events.push(Event::ExecutorTerminated {
                        agent: addr,
                        framework,
                        task: t.task,
                        reason: ExecutorEnd::FrameworkShutdown,
                    });
                    out.events.push(Event::TaskStatus(Box::new(TaskStatus {
                        agent: addr,
                        framework,
                        task: t.task,
                        state: TaskState::Killed,
                        reason: Some(TaskReason::ExecutorTerminated),
                        unreachable_time: None,
                        forwarded: true,
                    })));
                }
                self.tasks.retain(|t| t.framework != framework);
            }
        }
    }

    /// Whether a message from the master reaches the agent's handlers at all: `Slave::registered`
    /// and `reregistered` ignore messages from anyone but the detected master, and a recovering
    /// process has not detected one yet.
    fn hears_master(&self) -> bool {
        self.master_up && !matches!(self.state, AgentState::Recovering | AgentState::Down)
    }

    /// `Slave::registered`.
    fn registered(&mut self, now: Time, id: AgentId, total: Time, out: &mut AgentOut) {
        if !self.hears_master() {
            return;
        }
        self.master_ping_timeout = self.ping_timeout_from_master(total);
        self.heard_master_ping_timeout = true;
        match self.state {
            AgentState::Disconnected => {
                self.id = Some(id);
                self.now_running(now, out);
            }
            AgentState::Running if self.id != Some(id) => {
                self.abort(now, AgentAbort::RegisteredWrongId, out)
            }
            _ => {}
        }
    }

    /// `Slave::reregistered`: a different id makes the agent exit, whatever its state.
    fn reregistered(&mut self, now: Time, id: AgentId, total: Time, out: &mut AgentOut) {
        if !self.hears_master() {
            return;
        }
        if self.id != Some(id) {
            self.abort(now, AgentAbort::ReregisteredWrongId, out);
            return;
        }
        self.master_ping_timeout = self.ping_timeout_from_master(total);
        self.heard_master_ping_timeout = true;
        if self.state == AgentState::Disconnected {
            self.now_running(now, out);
        }
    }

    /// DISCONNECTED → RUNNING: cancel the stored retry, arm the ping timer, launch the tasks the
    /// first time, and send the terminal updates held while away.
    fn now_running(&mut self, now: Time, out: &mut AgentOut) {
        if let Some(token) = self.registration_timer.take() {
            self.cancelled_retries.push(token);
        }
        self.launched = true;
        self.set_state(AgentState::Running, out);
        let detection = self.detection;
        self.arm_ping_timer(now, detection, out);
        if let Some(id) = self.id {
            for u in self.pending_updates.drain(..) {
                out.sends.push(ToMaster::StatusUpdate {
                    id,
                    task: u.task,
                    state: u.state,
                    reason: u.reason,
                });
            }
        }
    }

    /// The process exits (`EXIT(EXIT_FAILURE)`); the host's supervisor decides what follows.
    fn abort(&mut self, now: Time, reason: AgentAbort, out: &mut AgentOut) {
        out.events.push(Event::AgentAborted {
            agent: self.params.addr,
            reason,
        });
        self.crash(now, out);
        out.exited = Some(reason);
    }

    /// Whether the agent is in the steady state of the health check: running, answering pings,
    /// with the master's ping timeout in force.
    pub fn is_steady(&self) -> bool {
        self.state == AgentState::Running && self.heard_master_ping_timeout
    }

    /// Fast-forward support: the agent last heard a ping at `last_ping` (its skipped cycles were
    /// steady). `check_lost` says the lazily re-armed ping check was dropped meanwhile.
    pub fn resync_ping_timer(&mut self, last_ping: Time, check_lost: bool, out: &mut AgentOut) {
        if check_lost {
            self.ping_check_at = None;
        }
        let detection = self.detection;
        self.arm_ping_timer(last_ping, detection, out);
    }

    /// Handles a timer.
    pub fn on_timer(&mut self, now: Time, timer: AgentTimer, out: &mut AgentOut) {
        match timer {
            AgentTimer::ExecutorReconnect { generation } if generation == self.generation => {
                self.reconnect_executors()
            }
            AgentTimer::RecoveryDone { generation } if generation == self.generation => {
                self.finish_recovery(now, out)
            }
            AgentTimer::Register {
                generation,
                token,
                max_backoff,
            } if generation == self.generation => {
                if let Some(token) = token {
                    if let Some(i) = self.cancelled_retries.iter().position(|&t| t == token) {
                        self.cancelled_retries.swap_remove(i);
                        return;
                    }
                }
                self.register(now, max_backoff, out)
            }
            AgentTimer::PingCheck { generation } if generation == self.generation => {
                self.ping_check_at = None;
                match self.ping_timer {
                    Some(p) if p.deadline > now => {
                        self.ping_check_at = Some(p.deadline);
                        out.timers
                            .push((p.deadline, AgentTimer::PingCheck { generation }));
                    }
                    Some(p) => {
                        self.ping_timer = None;
                        // `Slave::pingTimeout` discards the detection the timer was armed with;
                        // if that one has completed meanwhile, nothing happens.
                        if p.detection == self.detection
                            && matches!(self.state, AgentState::Disconnected | AgentState::Running)
                        {
                            out.events.push(Event::AgentPingTimeout {
                                agent: self.params.addr,
                            });
                            self.redetect(now, out);
                        }
                    }
                    None => {}
                }
            }
            AgentTimer::ExecutorRecoveryTimeout => self.executors_give_up(now, out),
            _ => {}
        }
    }
}
