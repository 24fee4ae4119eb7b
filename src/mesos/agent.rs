//! The Mesos agent, sans IO (reference §12): process states, recovery, detection of the master,
//! (re-)registration with randomised backoff, and ping handling with its own ping timer.

use super::messages::{ToAgent, ToMaster};
use super::types::{AgentId, AgentIx, AgentState, FwIx, PongWhen, TaskIx, TaskReason, TaskState};
use crate::rng::Rng;
use crate::scenario::Recovery;
use crate::time::{Time, MINS, SECS};
use crate::trace::Event;

/// `DEFAULT_MASTER_PING_TIMEOUT()`: 15 s × 5, until the master says otherwise.
pub const DEFAULT_MASTER_PING_TIMEOUT: Time = 75 * SECS;
/// `REGISTER_RETRY_INTERVAL_MAX`.
pub const REGISTER_RETRY_INTERVAL_MAX: Time = MINS;

/// The agent's flags and recovery workload.
#[derive(Clone, Debug)]
pub struct AgentParams {
    /// Its address.
    pub addr: AgentIx,
    /// `registration_backoff_factor`.
    pub registration_backoff_factor: Time,
    /// `executor_reregistration_timeout`.
    pub executor_reregistration_timeout: Time,
    /// Recovery work per executor.
    pub recovery_per_executor: Time,
    /// Executors it recovers.
    pub executors: u64,
    /// Completed executors whose metadata it re-reads.
    pub completed_executors: u64,
    /// When it answers pings.
    pub pong_when: PongWhen,
}

/// A task on the agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgentTask {
    /// The task.
    pub task: TaskIx,
    /// Its framework.
    pub framework: FwIx,
    /// Whether the framework checkpoints (its executor survives a restart).
    pub checkpoint: bool,
}

/// Timers the agent arms; each carries the process generation (a crash kills them all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentTimer {
    /// Recovery ends.
    RecoveryDone {
        /// Process generation.
        generation: u32,
    },
    /// `doReliableRegistration(max_backoff)`.
    Register {
        /// Process generation.
        generation: u32,
        /// Registration chain (a new detection starts a new chain).
        chain: u32,
        /// The backoff bound for the attempt after this one.
        max_backoff: Time,
    },
    /// Check the ping timer (re-armed lazily, so a ping costs no queue entry).
    PingCheck {
        /// Process generation.
        generation: u32,
    },
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
}

impl AgentOut {
    /// Empties every list for reuse.
    pub fn clear(&mut self) {
        self.sends.clear();
        self.timers.clear();
        self.events.clear();
    }
}

/// One agent process slot (its address), alive or not.
#[derive(Clone, Debug)]
pub struct Agent {
    params: AgentParams,
    state: AgentState,
    id: Option<AgentId>,
    tasks: Vec<AgentTask>,
    master_up: bool,
    master_ping_timeout: Time,
    ping_deadline: Option<Time>,
    ping_check_at: Option<Time>,
    generation: u32,
    chain: u32,
    recovery_started: Time,
    recovery_ends: Option<Time>,
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
            master_up: true,
            master_ping_timeout: DEFAULT_MASTER_PING_TIMEOUT,
            ping_deadline: None,
            ping_check_at: None,
            generation: 0,
            chain: 0,
            recovery_started: 0,
            recovery_ends: None,
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

    /// Tasks alive on the agent.
    pub fn tasks(&self) -> &[AgentTask] {
        &self.tasks
    }

    /// (start, end) of the current recovery; the end is `None` while it hangs.
    pub fn recovery(&self) -> Option<(Time, Option<Time>)> {
        (self.state == AgentState::Recovering)
            .then_some((self.recovery_started, self.recovery_ends))
    }

    /// When its ping timer expires, if armed.
    pub fn ping_deadline(&self) -> Option<Time> {
        self.ping_deadline
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

    /// How long recovery takes (`Slave::_recover`): the executor re-registration wait if any
    /// framework was recovered (MESOS-7539), plus per-executor work.
    fn recovery_length(&self, recovery: Recovery) -> Option<Time> {
        match recovery {
            Recovery::Hang => None,
            Recovery::Fixed(t) => Some(t),
            Recovery::Computed if self.id.is_none() => Some(0),
            Recovery::Computed => {
                let recovered_any = self.tasks.iter().any(|t| t.checkpoint);
                let wait = if recovered_any {
                    self.params.executor_reregistration_timeout
                } else {
                    0
                };
                let executors = self.params.executors + self.params.completed_executors;
                Some(wait + executors.saturating_mul(self.params.recovery_per_executor))
            }
        }
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
            self.tasks.clear();
        }
        self.generation += 1;
        self.master_ping_timeout = DEFAULT_MASTER_PING_TIMEOUT;
        self.set_state(AgentState::Recovering, out);
        self.recovery_started = now;
        self.recovery_ends = self.recovery_length(recovery).map(|len| now + len);
        match self.recovery_ends {
            Some(end) if end == now => self.finish_recovery(now, out),
            Some(end) => out.timers.push((
                end,
                AgentTimer::RecoveryDone {
                    generation: self.generation,
                },
            )),
            None => {}
        }
    }

    /// The process dies: executors of non-checkpointing frameworks die with it, every timer is
    /// void.
    pub fn crash(&mut self, out: &mut AgentOut) {
        if self.state == AgentState::Down {
            return;
        }
        self.tasks.retain(|t| t.checkpoint);
        self.generation += 1;
        self.ping_deadline = None;
        self.ping_check_at = None;
        self.recovery_ends = None;
        self.set_state(AgentState::Down, out);
    }

    /// Recovery completes (also ends a hanging one): detect the master.
    pub fn finish_recovery(&mut self, now: Time, out: &mut AgentOut) {
        if self.state != AgentState::Recovering {
            return;
        }
        self.set_state(AgentState::Disconnected, out);
        self.detect(now, out);
    }

    /// Graceful shutdown: unregister, kill every task, exit and clean the work dir.
    pub fn shutdown(&mut self, out: &mut AgentOut) {
        if self.state == AgentState::Down {
            return;
        }
        if let (Some(id), true) = (self.id, self.master_up) {
            out.sends.push(ToMaster::UnregisterSlave { id });
        }
        self.set_state(AgentState::Terminating, out);
        self.tasks.clear();
        self.crash(out);
        self.id = None;
    }

    /// The detector's news: a master was elected (`up`) or none leads.
    pub fn master_changed(&mut self, now: Time, up: bool, out: &mut AgentOut) {
        self.master_up = up;
        if matches!(self.state, AgentState::Disconnected | AgentState::Running) {
            self.set_state(AgentState::Disconnected, out);
            self.detect(now, out);
        }
    }

    /// `Slave::detected`: start a new registration chain after U[0, b].
    fn detect(&mut self, now: Time, out: &mut AgentOut) {
        self.chain += 1;
        if !self.master_up {
            return;
        }
        let b = self.params.registration_backoff_factor;
        let delay = self.rng.uniform(b);
        out.timers.push((
            now + delay,
            AgentTimer::Register {
                generation: self.generation,
                chain: self.chain,
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
        out.timers.push((
            now + delay,
            AgentTimer::Register {
                generation: self.generation,
                chain: self.chain,
                max_backoff: bound * 2,
            },
        ));
    }

    fn arm_ping_timer(&mut self, now: Time, out: &mut AgentOut) {
        let deadline = now + self.master_ping_timeout;
        self.ping_deadline = Some(deadline);
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
                if !connected && self.state == AgentState::Running {
                    self.redetect(now, out);
                }
                self.arm_ping_timer(now, out);
                if answer {
                    out.sends.push(ToMaster::Pong { observer });
                }
            }
            ToAgent::SlaveRegistered {
                id,
                total_ping_timeout,
            } => {
                if self.state == AgentState::Disconnected {
                    self.id = Some(id);
                    self.registered(now, total_ping_timeout, out);
                }
            }
            ToAgent::SlaveReregistered {
                id,
                total_ping_timeout,
            } => {
                if self.state == AgentState::Disconnected && self.id == Some(id) {
                    self.registered(now, total_ping_timeout, out);
                }
            }
            ToAgent::ShutdownFramework { framework } => {
                if self.state == AgentState::Down {
                    return;
                }
                let addr = self.params.addr;
                let before = self.tasks.len();
                out.events.push(Event::FrameworkShutdown {
                    agent: addr,
                    framework,
                });
                for t in self.tasks.iter().filter(|t| t.framework == framework) {
                    out.events.push(Event::TaskStatus {
                        agent: addr,
                        framework,
                        task: t.task,
                        state: TaskState::Killed,
                        reason: Some(TaskReason::ExecutorTerminated),
                        unreachable_time: None,
                        forwarded: true,
                    });
                }
                self.tasks.retain(|t| t.framework != framework);
                debug_assert!(self.tasks.len() <= before);
            }
        }
    }

    fn registered(&mut self, now: Time, total_ping_timeout: Time, out: &mut AgentOut) {
        self.chain += 1; // Cancels the registration retries.
        self.master_ping_timeout = total_ping_timeout;
        self.set_state(AgentState::Running, out);
        self.arm_ping_timer(now, out);
    }

    /// Whether the agent is in the steady state of the health check: running, answering pings,
    /// with the master's `total_ping_timeout` in force.
    pub fn is_steady(&self, total_ping_timeout: Time) -> bool {
        self.state == AgentState::Running && self.master_ping_timeout == total_ping_timeout
    }

    /// Fast-forward support: the agent last heard a ping at `last_ping` (its skipped cycles were
    /// steady). `check_lost` says the lazily re-armed ping check was dropped meanwhile.
    pub fn resync_ping_timer(&mut self, last_ping: Time, check_lost: bool, out: &mut AgentOut) {
        if check_lost {
            self.ping_check_at = None;
        }
        self.arm_ping_timer(last_ping, out);
    }

    /// Handles a timer.
    pub fn on_timer(&mut self, now: Time, timer: AgentTimer, out: &mut AgentOut) {
        match timer {
            AgentTimer::RecoveryDone { generation } if generation == self.generation => {
                self.finish_recovery(now, out)
            }
            AgentTimer::Register {
                generation,
                chain,
                max_backoff,
            } if generation == self.generation && chain == self.chain => {
                self.register(now, max_backoff, out)
            }
            AgentTimer::PingCheck { generation } if generation == self.generation => {
                self.ping_check_at = None;
                match self.ping_deadline {
                    Some(deadline) if deadline > now => {
                        self.ping_check_at = Some(deadline);
                        out.timers
                            .push((deadline, AgentTimer::PingCheck { generation }));
                    }
                    Some(_) => {
                        self.ping_deadline = None;
                        // `Slave::pingTimeout`: only a process past recovery is detecting.
                        if matches!(self.state, AgentState::Disconnected | AgentState::Running) {
                            out.events.push(Event::AgentPingTimeout {
                                agent: self.params.addr,
                            });
                            self.redetect(now, out);
                        }
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }
}
