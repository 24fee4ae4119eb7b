//! The trace's bookkeeping: the events kept (by [`TraceMode`]), what hosts have drained, and the
//! hash and event-expectation counts, which cover every event exactly once, in order, whether it
//! is kept or not. Also the names the trace writer turns indices into.

use serde_json::Value;

use super::{Simulation, TraceMode};
use crate::expect::Checker;
use crate::mesos::config::MasterConfig;
use crate::mesos::event::Event;
use crate::scenario::Expectation;
use crate::time::Time;
use crate::trace::{Stamped, TraceHasher, TraceNames};

/// Names by index, for the trace writer.
pub(super) struct Names {
    /// Agents.
    pub(super) agents: Vec<String>,
    /// Frameworks.
    pub(super) frameworks: Vec<String>,
    /// Tasks (`framework-k@agent`).
    pub(super) tasks: Vec<String>,
}

impl Names {
    /// What the JSON writer needs, with the fault log and the master's settings.
    fn for_writer<'a>(&'a self, faults: &'a [Value], master: &MasterConfig) -> TraceNames<'a> {
        TraceNames {
            agents: &self.agents,
            frameworks: &self.frameworks,
            tasks: &self.tasks,
            faults,
            reregister_timeout: master.agent_reregister_timeout,
            version: master.version,
        }
    }
}

/// The trace of one run.
pub(super) struct TraceLog {
    mode: TraceMode,
    /// Retained events; `events[0]` is event number `base` of the run.
    events: Vec<Stamped>,
    base: usize,
    /// Events before this absolute index have been handed out by `drain`.
    drained: usize,
    hasher: TraceHasher,
    /// Events before this absolute index are hashed and counted.
    hashed: usize,
    /// Counts events for the event expectations as they are hashed.
    pub(super) checker: Checker,
    pub(super) names: Names,
    /// Every fault applied, as given (`at` filled in for injected ones): `fault` events point
    /// into it.
    pub(super) faults: Vec<Value>,
}

impl TraceLog {
    /// An empty trace.
    pub(super) fn new(
        mode: TraceMode,
        names: Names,
        faults: Vec<Value>,
        expect: &[Expectation],
    ) -> TraceLog {
        TraceLog {
            mode,
            events: Vec::new(),
            base: 0,
            drained: 0,
            hasher: TraceHasher::default(),
            hashed: 0,
            checker: Checker::new(expect),
            names,
            faults,
        }
    }

    /// What is kept.
    pub(super) fn mode(&self) -> TraceMode {
        self.mode
    }

    /// Keeps `mode` from the next event on (fast-forward's end: messages are simulated again).
    pub(super) fn set_mode(&mut self, mode: TraceMode) {
        self.mode = mode;
    }

    /// Whether `message` events are kept (most events are messages: not building one that
    /// would be dropped at once is worth a check).
    pub(super) fn keeps_messages(&self) -> bool {
        matches!(self.mode, TraceMode::Full | TraceMode::Streaming)
    }

    /// Records an event at `t`, if the mode keeps it.
    pub(super) fn record(&mut self, t: Time, event: Event) {
        let keep = match event {
            Event::Message { .. } => self.keeps_messages(),
            _ => self.mode != TraceMode::Off,
        };
        if keep {
            self.events.push(Stamped { t, event });
        }
    }

    /// Events recorded since the start of the run (including dropped ones).
    pub(super) fn len(&self) -> usize {
        self.base + self.events.len()
    }

    /// The names and settings the JSON writer needs.
    pub(super) fn names<'a>(&'a self, master: &MasterConfig) -> TraceNames<'a> {
        self.names.for_writer(&self.faults, master)
    }

    /// Hashes and counts (for event expectations) every event up to absolute index `end`,
    /// each exactly once, in order.
    fn consume(&mut self, end: usize, master: &MasterConfig, expect: &[Expectation]) {
        let names = self.names.for_writer(&self.faults, master);
        while self.hashed < end {
            let ev = &self.events[self.hashed - self.base];
            self.hasher.event(ev);
            // JSON only for an expectation that filters this kind of event on its fields.
            self.checker.observe(expect, ev, || {
                let mut line = String::new();
                ev.write_json(&names, &mut line);
                line
            });
            self.hashed += 1;
        }
    }

    /// Hashes and counts every event so far.
    pub(super) fn consume_all(&mut self, master: &MasterConfig, expect: &[Expectation]) {
        self.consume(self.len(), master, expect);
    }

    /// The events since the last drain. With [`TraceMode::Streaming`] the events handed out
    /// before are dropped first (hashed and counted before they go).
    fn drain(&mut self, master: &MasterConfig, expect: &[Expectation]) -> &[Stamped] {
        if self.mode == TraceMode::Streaming {
            self.consume_all(master, expect);
            let dropped = self.drained - self.base;
            self.events.drain(..dropped);
            self.base = self.drained;
        }
        let from = self.drained - self.base;
        self.drained = self.len();
        &self.events[from..]
    }

    /// The trace hash so far (16 hex digits).
    fn hash(&mut self, master: &MasterConfig, expect: &[Expectation]) -> String {
        self.consume_all(master, expect);
        self.hasher.hex()
    }
}

impl Simulation {
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
        self.log.drain(&self.scenario.master, &self.scenario.expect)
    }

    /// Appends the events recorded since the last drain to `out` as a JSON array of their
    /// canonical objects; returns how many. Same dropping rule as [`Self::drain_events`].
    ///
    /// Without `messages`, `message` events are left out of `out` (they still count for the
    /// hash): a host that re-simulates to a point in time skips them at almost no cost.
    pub fn drain_events_json(&mut self, out: &mut String, messages: bool) -> usize {
        let n = self.drain_events().len();
        let events = &self.log.events[self.log.events.len() - n..];
        let names = self.log.names(&self.scenario.master);
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
        &self.log.events
    }

    /// Events recorded since the start of the run (including dropped ones).
    pub fn trace_len(&self) -> usize {
        self.log.len()
    }

    /// Writes one event as canonical JSON.
    pub fn write_event_json(&self, event: &Stamped, out: &mut String) {
        event.write_json(&self.log.names(&self.scenario.master), out);
    }

    /// The canonical JSON line of an event.
    pub fn event_json(&self, event: &Stamped) -> String {
        let mut s = String::new();
        self.write_event_json(event, &mut s);
        s
    }

    /// The trace hash of everything so far (16 hex digits); `None` when the trace is off. It is
    /// FNV-1a 64 over the events' compact binary encoding (`docs/trace.md`), the same natively
    /// and in WebAssembly.
    ///
    /// ```
    /// use liveness::sim::{Simulation, TraceMode};
    /// use liveness::{presets, scenario::Scenario};
    /// let scenario = Scenario::from_json_text(presets::find("stuck-recovery").unwrap().json).unwrap();
    /// let mut sim = Simulation::new(&scenario).unwrap();
    /// sim.run_to_end();
    /// assert_eq!(sim.trace_hash().as_deref(), Some("c10aaa59f0f67b7f"));
    /// let mut quiet = Simulation::with_trace(&scenario, TraceMode::Off).unwrap();
    /// quiet.run_to_end();
    /// assert_eq!(quiet.trace_hash(), None);
    /// ```
    pub fn trace_hash(&mut self) -> Option<String> {
        if self.log.mode() == TraceMode::Off {
            return None;
        }
        Some(self.log.hash(&self.scenario.master, &self.scenario.expect))
    }
}
