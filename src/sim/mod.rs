//! The deterministic discrete-event simulator. It owns the event queue, the network and the
//! Mesos state machines, and moves time only when its host says so ([`Simulation::advance_to`]).
//!
//! Ordering: events run by time, then in the order they were scheduled. Scenario faults are
//! scheduled first (in file order), so they run before anything else at their time. A master or
//! agent handler's trace events are recorded before the messages it sent.

mod detector_host;
mod fastforward;
mod faults;
pub mod network;
pub mod queue;

use std::rc::Rc;

use serde_json::Value;

use crate::expect::{self, Checker, ExpectationResult};
use crate::mesos::agent::{Agent, AgentOut, AgentParams, AgentTask, AgentTimer};
use crate::mesos::master::{
    FrameworkInfo, Master, MasterOut, MasterSetup, MasterTimer, ObserverView, Registry,
};
use crate::mesos::messages::{ToAgent, ToMaster};
use crate::mesos::metrics::{Metrics, METRIC_NAMES};
use crate::mesos::types::{AgentId, AgentIx, AgentState, FwIx, MasterView, MessageKind, TaskState};
use crate::rng::Rng;
use crate::scenario::{Fault, InvalidInput, Recovery, Scenario};
use crate::time::Time;
use crate::trace::{Event, Stamped, TraceHasher, TraceNames};
use network::Link;
use queue::Queue;

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
    master: Option<Master>,
    interregnum: Option<Interregnum>,
    epoch: u32,
    masters_started: u32,
    frameworks: Vec<FrameworkInfo>,
    task_framework: Rc<[FwIx]>,
    agents: Vec<Agent>,
    incarnations: Vec<u32>,
    links: Vec<Link>,
    latest_id: Vec<Option<AgentId>>,
    task_states: Vec<Option<TaskState>>,
    /// Tasks are numbered agent by agent: agent `a` has `task_start[a]..task_start[a + 1]`.
    task_start: Vec<u32>,
    task_state_counts: [u32; TaskState::ALL.len() + 1],
    fault_log: Vec<Value>,
    faults: Vec<Fault>,
    mode: TraceMode,
    /// Retained events; `trace[0]` is event number `trace_base` of the run.
    trace: Vec<Stamped>,
    trace_base: usize,
    drained: usize,
    hasher: TraceHasher,
    hashed: usize,
    names: Names,
    checker: Checker,
    events_processed: u64,
    fast_forward: bool,
    ff: fastforward::State,
    in_flight_count: Vec<u32>,
    last_ping_sent: Vec<Time>,
    mout: MasterOut,
    /// Another system's detector instead of Mesos' master and agents (`detector_host`).
    detector: Option<detector_host::DetectorHost>,
    aout: AgentOut,
}

/// Names by index, for the trace writer.
struct Names {
    agents: Vec<String>,
    frameworks: Vec<String>,
    tasks: Vec<String>,
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
                registration_backoff_factor: spec.registration_backoff_factor,
                executor_reregistration_timeout: spec.executor_reregistration_timeout,
                recovery_timeout: spec.recovery_timeout,
                recovery_per_executor: spec.recovery_per_executor,
                executors: spec.executors,
                completed_executors: spec.completed_executors,
                hung_executors: spec.hung_executors,
                authentication_delay: spec.authentication_delay,
                pong_when: spec.pong_when,
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
        let task_count = task_framework.len();
        task_start.push(task_count as u32);
        let fault_log: Vec<Value> = scenario.faults.iter().map(|f| f.raw.clone()).collect();
        let mut sim = Simulation {
            now: 0,
            queue: Queue::default(),
            master: None,
            interregnum: None,
            epoch: 0,
            masters_started: 0,
            task_framework: task_framework.into(),
            frameworks,
            agents,
            incarnations: vec![0; n],
            links,
            latest_id: vec![None; n],
            task_states: vec![None; task_count],
            task_start,
            task_state_counts: {
                let mut c = [0; TaskState::ALL.len() + 1];
                c[TaskState::ALL.len()] = task_count as u32;
                c
            },
            fault_log,
            faults: scenario.faults.clone(),
            mode,
            trace: Vec::new(),
            trace_base: 0,
            drained: 0,
            hasher: TraceHasher::default(),
            hashed: 0,
            names: Names {
                agents: scenario.agents.iter().map(|a| a.name.clone()).collect(),
                frameworks: scenario.frameworks.iter().map(|f| f.name.clone()).collect(),
                tasks: task_names,
            },
            checker: Checker::new(&scenario.expect),
            events_processed: 0,
            fast_forward: options.fast_forward,
            ff: fastforward::State::new(n),
            in_flight_count: vec![0; n],
            last_ping_sent: vec![0; n],
            mout: MasterOut::default(),
            detector: None,
            aout: AgentOut::default(),
            scenario: scenario.clone(),
        };
        for (i, f) in scenario.faults.iter().enumerate() {
            sim.queue.push(f.at, Ev::Fault(i as u32));
        }
        let task_framework = sim.task_framework.clone();
        let task_start = sim.task_start.clone();
        if let Some((host, out)) =
            detector_host::DetectorHost::new(&sim.scenario, &task_start, &task_framework)
        {
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
        if t < self.now {
            return Err(format!(
                "cannot go back in time: {} is before the current time {}",
                crate::time::format_clock(t),
                crate::time::format_clock(self.now)
            ));
        }
        let before = self.events_processed;
        loop {
            let next = self.queue.peek_time();
            if let Some(next) = next {
                if next > t {
                    break;
                }
                if self.checker.has_due(next) {
                    self.evaluate_due_checks(next);
                }
            } else {
                break;
            }
            let Some((at, ev)) = self.queue.pop_until(t) else {
                break;
            };
            self.now = at;
            self.events_processed += 1;
            self.process(ev);
        }
        self.now = t;
        if self.checker.has_due(t.saturating_add(1)) {
            self.evaluate_due_checks(t.saturating_add(1));
        }
        Ok(self.events_processed - before)
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
        self.fault_log.push(raw);
        self.faults.push(fault);
        self.queue
            .push(self.now, Ev::Fault(self.faults.len() as u32 - 1));
        let now = self.now;
        self.advance_to(now).map(|_| ()).map_err(InvalidInput::one)
    }

    /// Faults injected through [`Self::inject`], as given (with their `at`), in order.
    pub fn injected_faults(&self) -> &[Value] {
        &self.fault_log[self.scenario.faults.len()..]
    }

    /// Total events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// Trace events recorded since the last call (empty with [`TraceMode::Off`]). With
    /// [`TraceMode::Streaming`] the events returned by the previous call are dropped first.
    ///
    /// ```
    /// use liveness::time::{MILLIS, MINS};
    /// use liveness::{presets, scenario::Scenario, sim::Simulation};
    /// let scenario = Scenario::from_json_text(presets::find("stuck-recovery").unwrap().json).unwrap();
    /// let mut sim = Simulation::new(&scenario).unwrap();
    /// sim.advance_to(12 * MINS).unwrap();
    /// let marked: Vec<_> = sim
    ///     .drain_events()
    ///     .iter()
    ///     .filter(|e| e.event.kind() == "agent_marked_unreachable")
    ///     .map(|e| e.t)
    ///     .collect();
    /// assert_eq!(marked, [11 * MINS + MILLIS]);
    /// assert!(sim.drain_events().is_empty()); // nothing new since the last call
    /// ```
    pub fn drain_events(&mut self) -> &[Stamped] {
        if self.mode == TraceMode::Streaming {
            let end = self.trace_base + self.trace.len();
            self.consume(end);
            let dropped = self.drained - self.trace_base;
            self.trace.drain(..dropped);
            self.trace_base = self.drained;
        }
        let from = self.drained - self.trace_base;
        self.drained = self.trace_base + self.trace.len();
        &self.trace[from..]
    }

    /// Appends the events recorded since the last drain to `out` as a JSON array of their
    /// canonical objects; returns how many. Same dropping rule as [`Self::drain_events`].
    ///
    /// Without `messages`, `message` events are left out of `out` (they still count for the
    /// hash): a host that re-simulates to a point in time skips them at almost no cost.
    pub fn drain_events_json(&mut self, out: &mut String, messages: bool) -> usize {
        let n = self.drain_events().len();
        let events = &self.trace[self.trace.len() - n..];
        let names = self.trace_names();
        out.push('[');
        let mut written = 0;
        for ev in events {
            if !messages && matches!(ev.event, Event::Message { .. }) {
                continue;
            }
            if written > 0 {
                out.push(',');
            }
            ev.write_json(&names, out);
            written += 1;
        }
        out.push(']');
        written
    }

    /// The retained trace (everything with [`TraceMode::Full`]).
    pub fn trace(&self) -> &[Stamped] {
        &self.trace
    }

    /// Events recorded since the start of the run (including dropped ones).
    pub fn trace_len(&self) -> usize {
        self.trace_base + self.trace.len()
    }

    /// Hashes and counts (for event expectations) every event up to absolute index `end`,
    /// each exactly once, in order.
    fn consume(&mut self, end: usize) {
        let mut line = String::new();
        while self.hashed < end {
            let ev = &self.trace[self.hashed - self.trace_base];
            line.clear();
            ev.write_json(&self.trace_names(), &mut line);
            self.hasher.line(&line);
            self.checker.observe(&self.scenario.expect, ev, &line);
            self.hashed += 1;
        }
    }

    /// Writes one event as canonical JSON.
    pub fn write_event_json(&self, event: &Stamped, out: &mut String) {
        event.write_json(&self.trace_names(), out);
    }

    /// The canonical JSON line of an event.
    pub fn event_json(&self, event: &Stamped) -> String {
        let mut s = String::new();
        self.write_event_json(event, &mut s);
        s
    }

    fn trace_names(&self) -> TraceNames<'_> {
        TraceNames {
            agents: &self.names.agents,
            frameworks: &self.names.frameworks,
            tasks: &self.names.tasks,
            faults: &self.fault_log,
            reregister_timeout: self.scenario.master.agent_reregister_timeout,
            version: self.scenario.master.version,
        }
    }

    /// The trace hash of everything so far (16 hex digits); `None` when the trace is off. It is
    /// FNV-1a 64 over the canonical JSON lines (the CLI's `--trace` file), the same natively and
    /// in WebAssembly.
    ///
    /// ```
    /// use liveness::sim::{Simulation, TraceMode};
    /// use liveness::{presets, scenario::Scenario};
    /// let scenario = Scenario::from_json_text(presets::find("stuck-recovery").unwrap().json).unwrap();
    /// let mut sim = Simulation::new(&scenario).unwrap();
    /// sim.run_to_end();
    /// assert_eq!(sim.trace_hash().as_deref(), Some("35c5accab4e9b17f"));
    /// let mut quiet = Simulation::with_trace(&scenario, TraceMode::Off).unwrap();
    /// quiet.run_to_end();
    /// assert_eq!(quiet.trace_hash(), None);
    /// ```
    pub fn trace_hash(&mut self) -> Option<String> {
        if self.mode == TraceMode::Off {
            return None;
        }
        self.consume(self.trace_len());
        Some(self.hasher.hex())
    }

    /// Agent names by index.
    pub fn agent_names(&self) -> &[String] {
        &self.names.agents
    }

    /// Framework names by index.
    pub fn framework_names(&self) -> &[String] {
        &self.names.frameworks
    }

    /// The master's view of an agent address (another detector's, mapped onto the same views).
    pub fn master_view(&self, agent: AgentIx) -> MasterView {
        if let Some(h) = &self.detector {
            return h.gauge(self.now, agent).view;
        }
        if let Some(m) = &self.master {
            return m.view(agent);
        }
        let (Some(i), Some(id)) = (&self.interregnum, self.latest_id[agent as usize]) else {
            return MasterView::Unknown;
        };
        if i.registry.is_admitted(id) {
            MasterView::Recovered
        } else if i.registry.unreachable_time(id).is_some() {
            MasterView::Unreachable
        } else {
            MasterView::Unknown
        }
    }

    /// The agent process state.
    pub fn agent_state(&self, agent: AgentIx) -> AgentState {
        match &self.detector {
            Some(h) => h.nodes[agent as usize].state,
            None => self.agents[agent as usize].state(),
        }
    }

    /// Which detector judges the agents.
    pub fn detector_kind(&self) -> crate::detectors::DetectorKind {
        self.scenario.detector.kind()
    }

    /// Another detector's own state name for an agent and its gauge (`None` under Mesos).
    pub fn detector_gauge(&self, agent: AgentIx) -> Option<crate::detectors::NodeGauge> {
        self.detector.as_ref().map(|h| h.gauge(self.now, agent))
    }

    /// The agent state machine (read-only), for inspectors.
    pub fn agent(&self, agent: AgentIx) -> &Agent {
        &self.agents[agent as usize]
    }

    /// The link of an agent (read-only).
    pub fn link(&self, agent: AgentIx) -> &Link {
        &self.links[agent as usize]
    }

    /// The health check's live state for an agent, if it is registered.
    pub fn observer(&self, agent: AgentIx) -> Option<ObserverView> {
        self.master.as_ref()?.observer_view(agent)
    }

    /// Whether a master (another detector's control plane) is elected.
    pub fn master_up(&self) -> bool {
        match &self.detector {
            Some(_) => !self
                .queue
                .iter()
                .any(|(_, e)| matches!(e, Ev::DetPlaneUp { .. })),
            None => self.master.is_some(),
        }
    }

    /// Which master process runs (or ran last): 0 for the first, one more for each that
    /// started after a failover or abort. Counters restart from zero with each.
    pub fn master_incarnation(&self) -> u32 {
        self.masters_started.saturating_sub(1)
    }

    /// The newest agent id at an address.
    pub fn agent_id(&self, agent: AgentIx) -> Option<AgentId> {
        self.latest_id[agent as usize]
    }

    /// How many tasks are in each state as their frameworks last heard: one count per
    /// `TaskState::ALL` entry, then the tasks not launched yet.
    pub fn task_state_counts(&self) -> [u32; TaskState::ALL.len() + 1] {
        self.task_state_counts
    }

    /// What each task's framework last heard (`None`: not launched yet).
    pub fn task_states(&self) -> &[Option<TaskState>] {
        &self.task_states
    }

    /// The framework of each task.
    pub fn task_frameworks(&self) -> &[FwIx] {
        &self.task_framework
    }

    /// The tasks placed on an agent (by index).
    pub fn agent_tasks(&self, agent: AgentIx) -> std::ops::Range<u32> {
        self.task_start[agent as usize]..self.task_start[agent as usize + 1]
    }

    /// Name of a task.
    pub fn task_name(&self, task: u32) -> &str {
        &self.names.tasks[task as usize]
    }

    /// The metrics of the current master (counters and gauges); while no master is elected,
    /// the failed master's last values.
    pub fn metrics(&self) -> Vec<(&'static str, f64)> {
        if self.detector.is_some() {
            // Another detector has no Mesos counters; the agent gauges follow its views.
            let mut g = crate::mesos::metrics::Gauges::default();
            for a in 0..self.agents.len() as AgentIx {
                match self.master_view(a) {
                    MasterView::Connected => g.slaves_connected += 1,
                    MasterView::Disconnected => g.slaves_disconnected += 1,
                    MasterView::Unreachable => g.slaves_unreachable += 1,
                    _ => {}
                }
            }
            let values = Metrics::default().with_gauges(g);
            return values.iter().map(|&(n, v)| (n, v as f64)).collect();
        }
        let values = match (&self.master, &self.interregnum) {
            (Some(m), _) => m.metric_values(),
            (None, Some(i)) => i.last_metrics,
            (None, None) => Metrics::default().with_gauges(Default::default()),
        };
        values.iter().map(|&(n, v)| (n, v as f64)).collect()
    }

    /// One metric by name.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// Messages on the wire now.
    pub fn in_flight(&self) -> impl Iterator<Item = InFlight> + '_ {
        self.queue.iter().filter_map(|(arrives, ev)| match ev {
            Ev::ToAgent {
                agent, sent, msg, ..
            } => Some(InFlight {
                agent: *agent,
                kind: msg.kind(),
                from_master: true,
                connected: !matches!(
                    msg,
                    ToAgent::Ping {
                        connected: false,
                        ..
                    }
                ),
                sent: *sent,
                arrives,
            }),
            Ev::ToMaster {
                agent, sent, msg, ..
            } => Some(InFlight {
                agent: *agent,
                kind: msg.kind(),
                from_master: false,
                connected: true,
                sent: *sent,
                arrives,
            }),
            Ev::DetMsg { env, sent, .. } => {
                use crate::detectors::Endpoint;
                let (agent, from_master) = match (env.from, env.to) {
                    (Endpoint::Plane, Endpoint::Node(n)) => (n, true),
                    (Endpoint::Node(n), _) => (n, false),
                    (Endpoint::Plane, Endpoint::Plane) => return None,
                };
                Some(InFlight {
                    agent,
                    kind: env.msg.kind(),
                    from_master,
                    connected: true,
                    sent: *sent,
                    arrives,
                })
            }
            _ => None,
        })
    }

    /// Judges every expectation on what has run so far.
    ///
    /// ```
    /// use liveness::{presets, scenario::Scenario, sim::Simulation};
    /// let scenario = Scenario::from_json_text(presets::find("stuck-recovery").unwrap().json).unwrap();
    /// let mut sim = Simulation::new(&scenario).unwrap();
    /// sim.run_to_end();
    /// let results = sim.check_expectations();
    /// assert_eq!(results.len(), scenario.expect.len());
    /// for r in &results {
    ///     assert!(r.passed, "{}: {}", r.expectation, r.detail);
    /// }
    /// ```
    pub fn check_expectations(&mut self) -> Vec<ExpectationResult> {
        self.consume(self.trace_len());
        let metrics = self.metrics();
        expect::judge(
            &self.scenario.expect,
            &self.checker,
            self.mode != TraceMode::Off,
            &self.trace_names(),
            &metrics,
            self.now,
        )
    }

    // ---- the engine -------------------------------------------------------------------------

    fn evaluate_due_checks(&mut self, before: Time) {
        let views: Vec<(MasterView, AgentState)> = self
            .checker
            .due_agents(before)
            .iter()
            .map(|&a| (self.master_view(a), self.agent_state(a)))
            .collect();
        let metrics = self.metrics();
        self.checker.evaluate_due(before, &views, &metrics);
    }

    fn process(&mut self, ev: Ev) {
        match ev {
            Ev::ToAgent { agent, .. } | Ev::ToMaster { agent, .. } | Ev::Exited { agent, .. } => {
                self.in_flight_count[agent as usize] -= 1;
            }
            _ => {}
        }
        if self.fast_forward && self.skips(&ev) {
            return;
        }
        match ev {
            Ev::Fault(i) => self.apply_fault(i),
            Ev::ToAgent {
                agent,
                incarnation,
                msg,
                ..
            } => {
                if incarnation == self.incarnations[agent as usize] {
                    self.with_agent(agent, |a, now, out| a.on_message(now, msg, out));
                }
            }
            Ev::ToMaster {
                agent, epoch, msg, ..
            } => {
                if epoch == self.epoch {
                    let pong = matches!(msg, ToMaster::Pong { .. });
                    self.with_master(|m, now, out| m.on_message(now, agent, msg, out));
                    if pong && self.fast_forward {
                        self.maybe_park(agent);
                    }
                }
            }
            Ev::Exited { agent, epoch } => {
                if epoch == self.epoch {
                    self.with_master(|m, now, out| m.on_exited(now, agent, out));
                }
            }
            Ev::Master { epoch, timer, .. } => {
                if epoch == self.epoch {
                    self.with_master(|m, now, out| m.on_timer(now, timer, out));
                }
            }
            Ev::Agent { agent, timer } => {
                self.with_agent(agent, |a, now, out| a.on_timer(now, timer, out))
            }
            Ev::SupervisorRestart { agent, incarnation } => {
                if incarnation == self.incarnations[agent as usize] {
                    self.with_agent(agent, |a, now, out| {
                        a.start(now, Recovery::Computed, false, out)
                    });
                }
            }
            Ev::MasterUp { epoch } => {
                if epoch == self.epoch && self.master.is_none() {
                    if let Some(i) = self.interregnum.take() {
                        self.start_master(i.registry);
                    }
                }
            }
            Ev::Wake { agent } => self.wake(agent),
            Ev::DetMsg {
                env,
                incarnation,
                epoch,
                ..
            } => self.det_deliver(env, incarnation, epoch),
            Ev::DetTimer(timer) => self.det_timer(timer),
            Ev::DetRecovered { agent, generation } => self.det_main_loop(agent, Some(generation)),
            Ev::DetPlaneUp { epoch } => self.det_plane_up(epoch),
        }
    }

    fn start_master(&mut self, registry: Registry) {
        let first =
            registry.admitted_count() == 0 && registry.unreachable_count() == 0 && self.now == 0;
        let recovered = registry.admitted_count() as u32;
        let mut out = std::mem::take(&mut self.mout);
        let setup = MasterSetup {
            cfg: self.scenario.master.clone(),
            frameworks: self.frameworks.clone(),
            task_framework: self.task_framework.clone(),
            agents: self.agents.len(),
        };
        let master = Master::start(setup, registry, self.now, &mut out);
        self.masters_started += 1;
        self.master = Some(master);
        if !first {
            self.record(Event::MasterRecovered {
                recovered_agents: recovered,
            });
        }
        self.flush_master(out);
        if !first {
            for ix in 0..self.agents.len() as AgentIx {
                self.with_agent(ix, |a, now, out| a.master_changed(now, true, out));
            }
        }
    }

    /// The master process dies; a new one is elected after `downtime`.
    fn master_down(&mut self, downtime: Time) {
        if self.master.is_none() {
            return;
        }
        self.materialize_all();
        let Some(master) = self.master.take() else {
            return;
        };
        let last_metrics = master.metric_values();
        let registry = master.into_registry();
        self.epoch += 1;
        self.interregnum = Some(Interregnum {
            registry,
            last_metrics,
        });
        for link in &mut self.links {
            link.linked = false;
        }
        for ix in 0..self.agents.len() as AgentIx {
            self.with_agent(ix, |a, now, out| a.master_changed(now, false, out));
        }
        let epoch = self.epoch;
        self.queue.push(self.now + downtime, Ev::MasterUp { epoch });
    }

    fn with_master(&mut self, f: impl FnOnce(&mut Master, Time, &mut MasterOut)) {
        let Some(master) = self.master.as_mut() else {
            return;
        };
        let mut out = std::mem::take(&mut self.mout);
        f(master, self.now, &mut out);
        self.flush_master(out);
    }

    fn flush_master(&mut self, mut out: MasterOut) {
        for ev in out.events.drain(..) {
            self.record(ev);
        }
        for &addr in &out.links {
            self.links[addr as usize].linked = true;
        }
        for (addr, msg) in out.sends.drain(..) {
            self.send_to_agent(addr, msg);
        }
        let epoch = self.epoch;
        for (t, timer) in out.timers.drain(..) {
            let set = self.now;
            self.queue.push(t, Ev::Master { epoch, timer, set });
        }
        let aborted = out.aborted;
        out.clear();
        self.mout = out;
        if aborted {
            // The aborted master's ZooKeeper session must expire before another is elected.
            let downtime = crate::mesos::master::ZOOKEEPER_SESSION_TIMEOUT;
            self.master_down(downtime);
        }
    }

    fn with_agent(&mut self, ix: AgentIx, f: impl FnOnce(&mut Agent, Time, &mut AgentOut)) {
        let mut out = std::mem::take(&mut self.aout);
        f(&mut self.agents[ix as usize], self.now, &mut out);
        for ev in out.events.drain(..) {
            self.record(ev);
        }
        for msg in out.sends.drain(..) {
            self.send_to_master(ix, msg);
        }
        for (t, timer) in out.timers.drain(..) {
            self.queue.push(t, Ev::Agent { agent: ix, timer });
        }
        let exited = out.exited.take();
        self.aout = out;
        if exited.is_some() {
            self.process_exited(ix);
        }
    }

    /// The agent process exited on its own: what is on the wire to it is lost, its socket
    /// breaks, and its supervisor (if any) starts it again after the configured delay.
    fn process_exited(&mut self, agent: AgentIx) {
        let a = agent as usize;
        self.incarnations[a] += 1;
        self.break_socket(agent, false);
        if let Some(delay) = self.scenario.agents[a].supervisor_restart_delay {
            let incarnation = self.incarnations[a];
            self.queue.push(
                self.now + delay,
                Ev::SupervisorRestart { agent, incarnation },
            );
        }
    }

    fn send_to_agent(&mut self, agent: AgentIx, msg: ToAgent) {
        if self.fast_forward {
            self.before_send_to_agent(agent, &msg);
        }
        let kind = msg.kind();
        let link = &self.links[agent as usize];
        if link.linked && link.dead_socket {
            self.refused(agent, &msg);
            return;
        }
        let up = self.agents[agent as usize].state() != AgentState::Down;
        let arrival =
            self.links[agent as usize].send(self.now, kind, true, up, &self.scenario.network);
        let connected = match msg {
            ToAgent::Ping { connected, .. } => Some(connected),
            _ => None,
        };
        self.record(Event::Message {
            agent,
            kind,
            dropped: arrival.is_none(),
            connected,
            peer: None,
        });
        if let Some(at) = arrival {
            if kind == MessageKind::Ping {
                self.last_ping_sent[agent as usize] = self.now;
            }
            self.in_flight_count[agent as usize] += 1;
            let incarnation = self.incarnations[agent as usize];
            self.queue.push(
                at,
                Ev::ToAgent {
                    agent,
                    incarnation,
                    sent: self.now,
                    msg,
                },
            );
        }
    }

    fn send_to_master(&mut self, agent: AgentIx, msg: ToMaster) {
        if self.fast_forward {
            self.materialize(agent); // A parked link numbers no message outside its cycle.
        }
        let kind = msg.kind();
        let up = self.master.is_some();
        let arrival =
            self.links[agent as usize].send(self.now, kind, false, up, &self.scenario.network);
        self.record(Event::Message {
            agent,
            kind,
            dropped: arrival.is_none(),
            connected: None,
            peer: None,
        });
        if let Some(at) = arrival {
            self.in_flight_count[agent as usize] += 1;
            let epoch = self.epoch;
            self.queue.push(
                at,
                Ev::ToMaster {
                    agent,
                    epoch,
                    sent: self.now,
                    msg,
                },
            );
        }
    }

    /// A message over a dead socket: never delivered; the reset may make the master see
    /// `exited()`.
    fn refused(&mut self, agent: AgentIx, msg: &ToAgent) {
        let connected = match msg {
            ToAgent::Ping { connected, .. } => Some(*connected),
            _ => None,
        };
        self.record(Event::Message {
            agent,
            kind: msg.kind(),
            dropped: true,
            connected,
            peer: None,
        });
        if let Some(at) = self.links[agent as usize].refuse(self.now, &self.scenario.network) {
            self.in_flight_count[agent as usize] += 1;
            let epoch = self.epoch;
            self.queue.push(at, Ev::Exited { agent, epoch });
        }
    }

    /// Breaks the agent's socket; the master sees `exited()` one latency later.
    fn break_socket(&mut self, agent: AgentIx, forced: bool) {
        if let Some(at) =
            self.links[agent as usize].break_socket(self.now, forced, &self.scenario.network)
        {
            self.in_flight_count[agent as usize] += 1;
            let epoch = self.epoch;
            self.queue.push(at, Ev::Exited { agent, epoch });
        }
    }

    fn record(&mut self, ev: Event) {
        match ev {
            Event::TaskStatus { task, state, .. } => {
                let slot = &mut self.task_states[task as usize];
                let old = slot.map_or(TaskState::ALL.len(), |s| s as usize);
                self.task_state_counts[old] -= 1;
                self.task_state_counts[state as usize] += 1;
                *slot = Some(state);
            }
            Event::AgentRegistered { agent, id, .. } => self.latest_id[agent as usize] = Some(id),
            _ => {}
        }
        let keep = match self.mode {
            TraceMode::Full | TraceMode::Streaming => true,
            TraceMode::Verdicts => !matches!(ev, Event::Message { .. }),
            TraceMode::Off => false,
        };
        if keep {
            self.trace.push(Stamped {
                t: self.now,
                event: ev,
            });
        }
    }
}
