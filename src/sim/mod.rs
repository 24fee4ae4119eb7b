//! The deterministic discrete-event simulator. It owns the event queue, the network and the
//! Mesos state machines, and moves time only when its host says so ([`Simulation::advance_to`]).
//!
//! Ordering: events run by time, then in the order they were armed (`queue`: the order they were
//! scheduled, except for what fast-forward puts back with the arming time the full run gave it).
//! Scenario faults are scheduled first (in file order), so they run before anything else at
//! their time. A master or agent handler's trace events are recorded before the messages it sent.

mod detector_host;
mod dispatch;
mod fastforward;
mod faults;
pub mod network;
pub mod queue;
mod tasks;
mod trace_log;
mod views;

use serde_json::Value;

use crate::mesos::agent::{Agent, AgentOut, AgentParams, AgentTask, AgentTimer};
use crate::mesos::master::{FrameworkInfo, Master, MasterOut, MasterTimer, Registry};
use crate::mesos::messages::{ToAgent, ToMaster};
use crate::mesos::metrics::METRIC_NAMES;
use crate::mesos::types::{AgentId, AgentIx, AgentState, MasterView, MessageKind};
use crate::rng::Rng;
use crate::scenario::{Fault, InvalidInput, Recovery, Scenario};
use crate::time::Time;
use network::Link;
use queue::Queue;
pub use tasks::TaskStateCounts;
use tasks::TaskTable;
use trace_log::{Names, TraceLog};

/// Something scheduled in the queue.
#[derive(Debug)]
enum Ev {
    /// A fault from the fault log takes effect.
    Fault(u32),
    /// A message reaches an agent process (lost if that process died meanwhile).
    ToAgent {
        agent: AgentIx,
        incarnation: u32,
        sent: Time,
        msg: ToAgent,
    },
    /// A message reaches the master (lost if it failed over meanwhile).
    ToMaster {
        agent: AgentIx,
        epoch: u32,
        sent: Time,
        msg: ToMaster,
    },
    /// The master learns that the socket to an agent broke.
    Exited { agent: AgentIx, epoch: u32 },
    /// A master timer, set at time `set` (fast-forward orders same-instant events by it).
    Master {
        epoch: u32,
        timer: MasterTimer,
        set: Time,
    },
    /// An agent timer.
    Agent { agent: AgentIx, timer: AgentTimer },
    /// A new master is elected after a failover.
    MasterUp { epoch: u32 },
    /// A supervisor starts an agent process that exited on its own.
    SupervisorRestart { agent: AgentIx, incarnation: u32 },
    /// Fast-forward: a parked agent resumes before a cycle with a random loss (see `fastforward`).
    Wake { agent: AgentIx },
    /// Fast-forward: the tick after an isolated random loss counts the miss, the agent staying
    /// parked (see `fastforward`); armed when the full run arms that tick.
    SkippedMiss { agent: AgentIx, armed: Time },
    /// Another detector's message arrives (`detector_host`).
    DetMsg {
        env: crate::detectors::Envelope,
        incarnation: u32,
        epoch: u32,
        sent: Time,
    },
    /// Another detector's timer.
    DetTimer(crate::detectors::Timer),
    /// A node's main loop recovers (another detector).
    DetRecovered { agent: AgentIx, generation: u32 },
    /// Another detector's control plane comes back.
    DetPlaneUp { epoch: u32 },
}

/// Whether the trace is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceMode {
    /// Keep every event (needed for the trace hash, event expectations and draining).
    Full,
    /// Keep every event but `message` (sweeps read verdicts from it; the hash then covers only
    /// these events).
    Verdicts,
    /// Keep events only until they are drained (long interactive runs); the hash and event
    /// expectations still cover every event.
    Streaming,
    /// Keep nothing (benchmarks).
    Off,
}

/// How a simulation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimOptions {
    /// What the trace keeps.
    pub trace: TraceMode,
    /// Skip the ping cycles of steady agents (see `fastforward`); needs a mode without messages.
    pub fast_forward: bool,
}

/// A message on the wire, for drawing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InFlight {
    /// The agent end.
    pub agent: AgentIx,
    /// Which message.
    pub kind: MessageKind,
    /// Sent by the master.
    pub from_master: bool,
    /// For a message between two nodes (memberlist), the receiving node (`agent` sends).
    pub peer: Option<AgentIx>,
    /// The ping's `connected` flag (true for other messages).
    pub connected: bool,
    /// When it was sent.
    pub sent: Time,
    /// When it arrives.
    pub arrives: Time,
}

/// The master side while no master is elected.
struct Interregnum {
    registry: Registry,
    /// The failed master's last metrics (what a dashboard shows until a new master reports).
    last_metrics: [(&'static str, u64); METRIC_NAMES.len()],
}

/// One simulation run.
pub struct Simulation {
    scenario: Scenario,
    now: Time,
    queue: Queue<Ev>,
    events_processed: u64,
    /// The master process; `None` between a failover and the next election.
    master: Option<Master>,
    /// What survives while no master is elected.
    interregnum: Option<Interregnum>,
    /// Bumped at each failover: messages and timers of an older master are void.
    epoch: u32,
    masters_started: u32,
    /// The frameworks as a new master starts with them (their current connection).
    frameworks: Vec<FrameworkInfo>,
    /// The agent processes, by address.
    agents: Vec<Agent>,
    /// Bumped each time an agent process dies: messages to an older process are lost.
    incarnations: Vec<u32>,
    /// The newest agent id at each address.
    latest_id: Vec<Option<AgentId>>,
    links: Vec<Link>,
    in_flight_count: Vec<u32>,
    last_ping_sent: Vec<Time>,
    tasks: TaskTable,
    /// Every fault applied (scenario faults first, then injected ones).
    faults: Vec<Fault>,
    log: TraceLog,
    fast_forward: bool,
    ff: fastforward::State,
    /// Reused output buffers of the master and agent handlers.
    mout: MasterOut,
    aout: AgentOut,
    /// Another system's detector instead of Mesos' master and agents (`detector_host`).
    detector: Option<detector_host::DetectorHost>,
}

impl Simulation {
    /// A simulation at t=0 keeping the full trace.
    ///
    /// ```
    /// use liveness::{presets, scenario::Scenario, sim::Simulation};
    /// let scenario = Scenario::from_json_text(presets::find("partition").unwrap().json).unwrap();
    /// let mut sim = Simulation::new(&scenario).unwrap();
    /// assert_eq!(sim.now(), 0);
    /// sim.run_to_end();
    /// assert_eq!(sim.now(), scenario.duration);
    /// ```
    pub fn new(scenario: &Scenario) -> Result<Simulation, InvalidInput> {
        Simulation::with_trace(scenario, TraceMode::Full)
    }

    /// A simulation at t=0 with the given trace mode.
    pub fn with_trace(scenario: &Scenario, mode: TraceMode) -> Result<Simulation, InvalidInput> {
        Simulation::with_options(
            scenario,
            SimOptions {
                trace: mode,
                fast_forward: false,
            },
        )
    }

    /// A simulation at t=0. Every agent starts with an empty work dir, so it detects the master
    /// at once and registers after its first backoff. Fast-forward is refused with the full
    /// trace, whose `message` events it would leave out.
    pub fn with_options(
        scenario: &Scenario,
        options: SimOptions,
    ) -> Result<Simulation, InvalidInput> {
        if options.fast_forward && matches!(options.trace, TraceMode::Full | TraceMode::Streaming) {
            return Err(InvalidInput::one(
                "fast_forward: needs a trace mode without message events (Verdicts or Off)",
            ));
        }
        let mode = options.trace;
        let frameworks: Vec<FrameworkInfo> = scenario
            .frameworks
            .iter()
            .map(|f| FrameworkInfo {
                partition_aware: f.partition_aware,
                checkpoint: f.checkpoint,
                connected: f.connected,
            })
            .collect();
        let mut task_framework = Vec::with_capacity(scenario.task_count());
        let mut task_names = Vec::with_capacity(scenario.task_count());
        let mut agents = Vec::with_capacity(scenario.agents.len());
        let mut links = Vec::with_capacity(scenario.agents.len());
        let mut task_start = Vec::with_capacity(scenario.agents.len() + 1);
        for (ix, spec) in scenario.agents.iter().enumerate() {
            task_start.push(task_framework.len() as u32);
            let mut tasks = Vec::new();
            for &(fw, n) in &spec.tasks {
                for k in 0..n {
                    tasks.push(AgentTask {
                        task: task_framework.len() as u32,
                        framework: fw,
                        checkpoint: frameworks[fw as usize].checkpoint,
                        partition_aware: frameworks[fw as usize].partition_aware,
                        executor_deadline: None,
                    });
                    task_framework.push(fw);
                    task_names.push(format!(
                        "{}-{k}@{}",
                        scenario.frameworks[fw as usize].name, spec.name
                    ));
                }
            }
            let params = AgentParams {
                addr: ix as AgentIx,
                registration_backoff_factor: spec.settings.registration_backoff_factor,
                executor_reregistration_timeout: spec.settings.executor_reregistration_timeout,
                recovery_timeout: spec.settings.recovery_timeout,
                recovery_per_executor: spec.settings.recovery_per_executor,
                executors: spec.executors(),
                completed_executors: spec.settings.completed_executors,
                hung_executors: spec.settings.hung_executors,
                authentication_delay: spec.settings.authentication_delay,
                pong_when: spec.settings.pong_when,
                version: scenario.master.version,
            };
            agents.push(Agent::new(
                params,
                tasks,
                Rng::new(scenario.seed, 2 * ix as u64),
            ));
            links.push(Link::new(Rng::new(scenario.seed, 2 * ix as u64 + 1)));
        }
        let n = agents.len();
        task_start.push(task_framework.len() as u32);
        let names = Names {
            agents: scenario.agents.iter().map(|a| a.name.clone()).collect(),
            frameworks: scenario.frameworks.iter().map(|f| f.name.clone()).collect(),
            tasks: task_names,
        };
        let fault_log: Vec<Value> = scenario.faults.iter().map(|f| f.raw.clone()).collect();
        let mut sim = Simulation {
            now: 0,
            queue: Queue::default(),
            events_processed: 0,
            master: None,
            interregnum: None,
            epoch: 0,
            masters_started: 0,
            frameworks,
            agents,
            incarnations: vec![0; n],
            latest_id: vec![None; n],
            links,
            tasks: TaskTable::new(task_framework, task_start),
            faults: scenario.faults.clone(),
            log: TraceLog::new(mode, names, fault_log, &scenario.expect),
            fast_forward: options.fast_forward,
            ff: fastforward::State::new(n),
            in_flight_count: vec![0; n],
            last_ping_sent: vec![0; n],
            mout: MasterOut::default(),
            aout: AgentOut::default(),
            detector: None,
            scenario: scenario.clone(),
        };
        for (i, f) in scenario.faults.iter().enumerate() {
            sim.queue.push(f.at, Ev::Fault(i as u32));
        }
        if let Some((host, out)) = detector_host::DetectorHost::new(&sim.scenario, &sim.tasks) {
            sim.detector = Some(host);
            sim.det_flush(out);
            sim.start_detector_nodes();
            return Ok(sim);
        }
        sim.start_master(Registry::default());
        for ix in 0..n as AgentIx {
            sim.with_agent(ix, |a, now, out| {
                a.start(now, Recovery::Computed, false, out)
            });
        }
        Ok(sim)
    }

    // ---- host API -------------------------------------------------------------------------

    /// The current simulated time.
    pub fn now(&self) -> Time {
        self.now
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The time of the next pending event.
    pub fn next_event_time(&self) -> Option<Time> {
        self.queue.peek_time()
    }

    /// Processes every event at or before `t` and moves the clock to `t`. Returns how many
    /// events ran. Times before `now` are an error (time never goes backwards).
    ///
    /// ```
    /// use liveness::mesos::types::MasterView;
    /// use liveness::time::{MILLIS, MINS};
    /// use liveness::{presets, scenario::Scenario, sim::Simulation};
    /// // agent-1 restarts at 1:00 and hangs in recovery; mesos-1.2 marks it 10 minutes later.
    /// let scenario = Scenario::from_json_text(presets::find("stuck-recovery").unwrap().json).unwrap();
    /// let agent_1 = scenario.agent_index("agent-1").unwrap();
    /// let mut sim = Simulation::new(&scenario).unwrap();
    /// sim.advance_to(11 * MINS).unwrap();
    /// assert_eq!(sim.master_view(agent_1), MasterView::Disconnected);
    /// sim.advance_to(11 * MINS + MILLIS).unwrap();
    /// assert_eq!(sim.master_view(agent_1), MasterView::Unreachable);
    /// assert!(sim.advance_to(MINS).is_err());
    /// ```
    pub fn advance_to(&mut self, t: Time) -> Result<u64, String> {
        let before = self.events_processed;
        self.advance_bounded(t, u64::MAX)?;
        Ok(self.events_processed - before)
    }

    /// Like [`Self::advance_to`], but runs at most `max_events` events: true when it got to
    /// `until` (the clock is then at `until`, exactly as after `advance_to(until)`); false when
    /// the bound stopped it first, with the clock at the last event run and the events still
    /// due by `until` pending. Calling it again until it returns true gives the same run, event
    /// for event and hash for hash, as one `advance_to(until)` (nothing is evaluated at a
    /// stop: the expectations due at that instant wait until the instant is over). A host
    /// uses it to keep each step short when thousands of agents have events at one instant
    /// (the lab's catch-up: `www/src/lab/run.js`). `max_events` = 0 only moves the clock
    /// when nothing is due.
    ///
    /// ```
    /// use liveness::time::MINS;
    /// use liveness::{presets, scenario::Scenario, sim::Simulation};
    /// let scenario = Scenario::from_json_text(presets::find("stuck-recovery").unwrap().json).unwrap();
    /// let mut whole = Simulation::new(&scenario).unwrap();
    /// whole.advance_to(20 * MINS).unwrap();
    /// let mut stepped = Simulation::new(&scenario).unwrap();
    /// while !stepped.advance_bounded(20 * MINS, 7).unwrap() {}
    /// assert_eq!(stepped.now(), 20 * MINS);
    /// assert_eq!(stepped.events_processed(), whole.events_processed());
    /// assert_eq!(stepped.trace_hash(), whole.trace_hash());
    /// ```
    pub fn advance_bounded(&mut self, until: Time, max_events: u64) -> Result<bool, String> {
        if until < self.now {
            return Err(format!(
                "cannot go back in time: {} is before the current time {}",
                crate::time::format_clock(until),
                crate::time::format_clock(self.now)
            ));
        }
        let mut left = max_events;
        loop {
            let next = self.queue.peek_time();
            if let Some(next) = next {
                if next > until {
                    break;
                }
                if left == 0 {
                    return Ok(false);
                }
                if self.log.checker.has_due(next) {
                    self.evaluate_due_checks(next);
                }
            } else {
                break;
            }
            let Some((at, ev)) = self.queue.pop_until(until) else {
                break;
            };
            self.now = at;
            self.events_processed += 1;
            left -= 1;
            self.process(ev);
        }
        self.now = until;
        if self.log.checker.has_due(until.saturating_add(1)) {
            self.evaluate_due_checks(until.saturating_add(1));
        }
        Ok(true)
    }

    /// Runs to the end of the scenario's duration.
    pub fn run_to_end(&mut self) -> u64 {
        let end = self.scenario.duration.max(self.now);
        self.advance_to(end).unwrap_or(0)
    }

    /// Applies a fault now (its `at`, if any, is replaced by the current time) and runs
    /// everything it causes at this instant.
    ///
    /// ```
    /// use liveness::mesos::types::MasterView;
    /// use liveness::time::{MINS, SECS};
    /// use liveness::{scenario::Scenario, sim::Simulation};
    /// use serde_json::json;
    /// let scenario = Scenario::from_json(&json!({ "duration": "10mins", "agents": [{ "name": "a" }] })).unwrap();
    /// let mut sim = Simulation::new(&scenario).unwrap();
    /// sim.advance_to(MINS).unwrap();
    /// sim.inject(&json!({ "kind": "partition", "agents": ["a"] })).unwrap();
    /// // The health check gives up after 5 pings of 15 s without a pong.
    /// sim.advance_to(MINS + 60 * SECS).unwrap();
    /// assert_eq!(sim.master_view(0), MasterView::Connected);
    /// sim.advance_to(MINS + 90 * SECS).unwrap();
    /// assert_eq!(sim.master_view(0), MasterView::Unreachable);
    /// assert_eq!(sim.injected_faults()[0]["at"], json!(60000.0));
    /// ```
    pub fn inject(&mut self, fault_json: &Value) -> Result<(), InvalidInput> {
        let mut fault = crate::scenario::parse_fault(fault_json, &self.scenario)?;
        fault.at = self.now;
        let mut raw = fault_json.clone();
        if let Value::Object(map) = &mut raw {
            map.insert(
                "at".to_string(),
                serde_json::json!(crate::time::to_millis_f64(self.now)),
            );
        }
        fault.raw = raw.clone();
        self.log.faults.push(raw);
        self.faults.push(fault);
        self.queue
            .push(self.now, Ev::Fault(self.faults.len() as u32 - 1));
        let now = self.now;
        self.advance_to(now).map(|_| ()).map_err(InvalidInput::one)
    }

    /// Faults injected through [`Self::inject`], as given (with their `at`), in order.
    pub fn injected_faults(&self) -> &[Value] {
        &self.log.faults[self.scenario.faults.len()..]
    }

    /// Total events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// Captures the state and metric checks due before `before`.
    fn evaluate_due_checks(&mut self, before: Time) {
        let views: Vec<(MasterView, AgentState)> = self
            .log
            .checker
            .due_agents(before)
            .iter()
            .map(|&a| (self.master_view(a), self.agent_state(a)))
            .collect();
        let metrics = self.metrics();
        self.log.checker.evaluate_due(before, &views, &metrics);
    }
}
