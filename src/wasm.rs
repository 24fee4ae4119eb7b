//! The JavaScript binding (wasm32 only): one stateful [`Simulation`] handle, the `Sweep` class
//! (`sweep`) and free functions (`catalogue`). It only converts and validates; every decision,
//! default, rule and word is the core's.
//!
//! It is built as two modules so a page pays only for what it uses (`scripts/build-wasm.sh`):
//! `liveness` (the lab: `Simulation`, the catalogue, the TypeScript types) and, with the cargo
//! feature `sweep-module`, `liveness_sweep` (the Tuning tab's `Sweep` and sweep functions,
//! loaded on demand; about a quarter of the code; also the benchmarks' `benchWorkloads`).
//!
//! - Scenarios and faults come in as plain JS objects, read into `serde_json::Value` (see
//!   [`json`], which reports what JSON cannot carry with its path) and validated by
//!   [`Scenario::from_json`], so problems read exactly as the CLI's.
//! - Plain objects go out as `#[derive(Serialize)]` views ([`views`]) through [`to_js`]. Trace
//!   events keep the trace writer's canonical text, so they are byte for byte the CLI's
//!   `--trace` lines.
//! - Hot per-frame views are typed arrays copied out of buffers kept in the handle (cleared and
//!   refilled, never reallocated once they are large enough).
//! - Bad numeric arguments throw `RangeError`; bad scenarios and faults throw `Error` whose
//!   message is the problem lines joined with `\n`. Nothing here panics on input.

#[cfg(not(feature = "sweep-module"))]
mod catalogue;
mod json;
#[cfg(not(feature = "sweep-module"))]
mod lab_views;
#[cfg(feature = "sweep-module")]
mod sweep;
#[cfg(not(feature = "sweep-module"))]
mod types;
#[cfg(not(feature = "sweep-module"))]
mod views;

use js_sys::RangeError;
#[cfg(not(feature = "sweep-module"))]
use js_sys::{Float64Array, Uint8Array};
use serde::Serialize;
#[cfg(not(feature = "sweep-module"))]
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[cfg(not(feature = "sweep-module"))]
use crate::mesos::types::AgentIx;
#[cfg(not(feature = "sweep-module"))]
use crate::scenario::Scenario;
#[cfg(not(feature = "sweep-module"))]
use crate::sim::{SimOptions, Simulation as Core, TraceMode};
#[cfg(not(feature = "sweep-module"))]
use crate::time::{self, Time, MAX_TIME};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(msg: &str);
}

/// Installs a panic hook that logs the panic message with `console.error` (a panic is a bug:
/// the module must then be re-instantiated).
#[wasm_bindgen(start, private)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error(&format!(
            "liveness panicked (a bug; reload the module): {info}"
        ));
    }));
}

/// An `Error` whose message is the problem lines.
fn problems_error(problems: &[String]) -> JsValue {
    JsError::new(&problems.join("\n")).into()
}

fn range_error(msg: &str) -> JsValue {
    RangeError::new(msg).into()
}

/// A serializable view as a plain JS object: JSON text handed to `JSON.parse` (measured smaller
/// than serde-wasm-bindgen's serializer, and one call across the boundary).
fn to_js<T: Serialize + ?Sized>(view: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(view).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text)
}

#[cfg(not(feature = "sweep-module"))]
fn millis(t: Time) -> f64 {
    time::to_millis_f64(t)
}

/// A whole number in `[0, max)`, or a `RangeError` naming `what`.
fn index(x: f64, max: u64, what: &str) -> Result<u64, JsValue> {
    if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x < max as f64 {
        Ok(x as u64)
    } else {
        Err(range_error(&format!(
            "{what}: {x} is not a whole number from 0 to {}",
            max.saturating_sub(1)
        )))
    }
}

#[cfg(not(feature = "sweep-module"))]
/// Reads and validates a scenario from a JS value.
fn scenario_from_js(value: JsValue) -> Result<Scenario, Vec<String>> {
    let v = json::to_json(value, "")?;
    Scenario::from_json(&v).map_err(|e| e.problems)
}

#[cfg(not(feature = "sweep-module"))]
/// Reads a trace mode (`options.trace`, `endFastForward`'s argument); absent means "full".
fn trace_mode(v: Option<&Value>, path: &str) -> Result<TraceMode, String> {
    Ok(match v {
        None | Some(Value::Null) | Some(Value::Bool(true)) => TraceMode::Full,
        Some(Value::Bool(false)) => TraceMode::Off,
        Some(Value::String(s)) if s == "full" => TraceMode::Full,
        Some(Value::String(s)) if s == "streaming" => TraceMode::Streaming,
        Some(Value::String(s)) if s == "verdicts" => TraceMode::Verdicts,
        Some(Value::String(s)) if s == "off" => TraceMode::Off,
        Some(other) => {
            return Err(format!(
                "{path}: expected true, false, \"full\", \"streaming\", \"verdicts\" or \"off\", got {other}"
            ))
        }
    })
}

#[cfg(not(feature = "sweep-module"))]
/// Reads `new Simulation`'s options: `{ trace, fastForward }`.
fn sim_options(options: Option<JsValue>) -> Result<SimOptions, JsValue> {
    let mut out = SimOptions {
        trace: TraceMode::Full,
        fast_forward: false,
    };
    let Some(o) = options else {
        return Ok(out);
    };
    let o = json::to_json(o, "options").map_err(|p| problems_error(&p))?;
    let problem = |line: String| Err(problems_error(&[line]));
    let m = match &o {
        Value::Null => return Ok(out),
        Value::Object(m) => m,
        other => return problem(format!("options: expected an object, got {other}")),
    };
    if let Some(k) = m.keys().find(|k| *k != "trace" && *k != "fastForward") {
        return problem(format!(
            "options.{k}: unknown field; known fields: trace, fastForward"
        ));
    }
    out.trace = match trace_mode(m.get("trace"), "options.trace") {
        Ok(mode) => mode,
        Err(line) => return problem(line),
    };
    out.fast_forward = match m.get("fastForward") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return problem(format!(
                "options.fastForward: expected true or false, got {other}"
            ))
        }
    };
    Ok(out)
}

#[cfg(not(feature = "sweep-module"))]
impl Simulation {
    /// The engine time (µs) a JS time `ms` asks `what` to move to: the nearest microsecond,
    /// moved down if it would include an event after `ms` as JS sees event times (`t / 1000`).
    /// Errors (`RangeError`) name `what`: NaN, ±Infinity, negative, beyond the limit, before now.
    fn target_time(&self, ms: f64, what: &str) -> Result<Time, JsValue> {
        if !ms.is_finite() {
            return Err(range_error(&format!(
                "{what}: {ms} is not a finite number of milliseconds"
            )));
        }
        if ms < 0.0 {
            return Err(range_error(&format!(
                "{what}: {ms} is negative; times start at 0"
            )));
        }
        if ms > millis(MAX_TIME) {
            return Err(range_error(&format!(
                "{what}: {ms} ms is beyond the limit of {}",
                time::format_duration(MAX_TIME)
            )));
        }
        if ms < millis(self.sim.now()) {
            return Err(range_error(&format!(
                "{what}: cannot go back in time: {ms} ms is before the current time {} ms",
                millis(self.sim.now())
            )));
        }
        let mut t = (ms * 1000.0).round() as Time;
        if millis(t) > ms {
            t -= 1;
        }
        Ok(t.max(self.sim.now()))
    }
}

#[cfg(not(feature = "sweep-module"))]
/// A running simulation of one scenario. Time moves only through `advanceTo`; the per-frame
/// views (`masterViews()` …) are fresh typed-array copies, one entry per agent index
/// (`agentNames()` order), coded by `masterViewNames()`, `agentStateNames()` and
/// `messageKindNames()`. Call `free()` when done.
#[wasm_bindgen]
pub struct Simulation {
    sim: Core,
    /// Reused per-frame buffers.
    bytes: Vec<u8>,
    floats: Vec<f64>,
    text: String,
}

#[cfg(not(feature = "sweep-module"))]
#[wasm_bindgen]
impl Simulation {
    /// Validates `scenario` and starts a simulation at t = 0. Throws an `Error` whose message is
    /// one line per problem, each starting with its JSON path (as the CLI prints them).
    /// `options.trace` chooses what is kept of the trace (default `"full"`); `options.fastForward`
    /// skips steady agents' ping cycles (same verdicts, no `message` events: needs `trace`
    /// `"verdicts"` or `"off"`; `docs/fast-forward.md`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SimulationOptions")] options: Option<
            JsValue,
        >,
    ) -> Result<Simulation, JsValue> {
        let options = sim_options(options)?;
        let scenario = scenario_from_js(scenario).map_err(|p| problems_error(&p))?;
        // The core names its option `fast_forward`; JS callers know it as `options.fastForward`.
        let sim = Core::with_options(&scenario, options).map_err(|e| {
            let lines: Vec<String> = e
                .problems
                .iter()
                .map(|p| match p.strip_prefix("fast_forward:") {
                    Some(rest) => format!("options.fastForward:{rest}"),
                    None => p.clone(),
                })
                .collect();
            problems_error(&lines)
        })?;
        let n = scenario.agents.len();
        Ok(Simulation {
            sim,
            bytes: Vec::with_capacity(n),
            floats: Vec::with_capacity(n),
            text: String::new(),
        })
    }

    /// The simulated time in milliseconds.
    #[wasm_bindgen(getter)]
    pub fn now(&self) -> f64 {
        millis(self.sim.now())
    }

    /// The scenario's duration in milliseconds (`advanceTo(duration)` runs it to the end).
    #[wasm_bindgen(getter)]
    pub fn duration(&self) -> f64 {
        millis(self.sim.scenario().duration)
    }

    /// Processes every event at or before `ms` (events exactly at `ms` included), moves the
    /// clock to `ms` (simulated time is kept in whole microseconds, so `now` becomes `ms` rounded
    /// down to one) and returns how many events ran; the same `ms` again returns 0. Throws
    /// `RangeError` for NaN, ±Infinity, a negative time or a time before `now`.
    #[wasm_bindgen(js_name = advanceTo)]
    pub fn advance_to(&mut self, ms: f64) -> Result<f64, JsValue> {
        let t = self.target_time(ms, "advanceTo")?;
        self.sim
            .advance_to(t)
            .map(|n| n as f64)
            .map_err(|e| range_error(&format!("advanceTo: {e}")))
    }

    /// Ends fast-forward now (a run made with `{ fastForward: true }`) and keeps `trace` from
    /// here on (as `options.trace`; default "full"): every agent is then where the full
    /// simulation has it after every event due by now — its messages on the wire included — and
    /// every later ping is simulated. A page catches up by fast-forward, ends it, and animates
    /// from there. The trace hash then covers the verdict events before now and every event
    /// after (re-simulate for the full run's hash). Returns whether the run was fast-forwarding;
    /// throws `Error` if agents are parked and a bounded step stopped inside this instant (finish
    /// it first), or for a bad `trace`.
    #[wasm_bindgen(js_name = endFastForward)]
    pub fn end_fast_forward(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "SimulationOptions[\"trace\"]")] trace: Option<
            JsValue,
        >,
    ) -> Result<bool, JsValue> {
        let trace = match trace {
            Some(v) => Some(json::to_json(v, "trace").map_err(|p| problems_error(&p))?),
            None => None,
        };
        let mode = trace_mode(trace.as_ref(), "trace").map_err(|line| problems_error(&[line]))?;
        self.sim
            .end_fast_forward(mode)
            .map_err(|e| problems_error(&[format!("endFastForward: {e}")]))
    }

    /// Like `advanceTo(ms)`, but runs at most `maxEvents` events: returns true when it got to
    /// `ms` (then exactly as `advanceTo(ms)`), false when the bound stopped it first (`now` is
    /// then the time of the last event run; call again to go on). Stepping this way gives the
    /// same run, event for event, as one `advanceTo` — a page uses it to keep each task short
    /// when thousands of agents have events at one instant. Throws `RangeError` as `advanceTo`
    /// does, and for a `maxEvents` that is not a whole number ≥ 1.
    #[wasm_bindgen(js_name = advanceBounded)]
    pub fn advance_bounded(
        &mut self,
        ms: f64,
        #[wasm_bindgen(js_name = "maxEvents")] max_events: f64,
    ) -> Result<bool, JsValue> {
        if !(max_events >= 1.0 && max_events.fract() == 0.0) {
            return Err(range_error(&format!(
                "advanceBounded: maxEvents {max_events} is not a whole number of at least 1"
            )));
        }
        let t = self.target_time(ms, "advanceBounded")?;
        self.sim
            .advance_bounded(t, max_events as u64)
            .map_err(|e| range_error(&format!("advanceBounded: {e}")))
    }

    /// The time (ms) of the next pending event, if any.
    #[wasm_bindgen(js_name = nextEventTime)]
    pub fn next_event_time(&self) -> Option<f64> {
        self.sim.next_event_time().map(millis)
    }

    /// Applies a fault (`docs/scenarios.md`, "faults") now (its `at`, if any, is replaced by
    /// `now`) and runs everything it causes at this instant. Throws an `Error` with `fault.…`
    /// problem lines on bad input.
    pub fn inject(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Fault")] fault: JsValue,
    ) -> Result<(), JsValue> {
        let v = json::to_json(fault, "fault").map_err(|p| problems_error(&p))?;
        self.sim.inject(&v).map_err(|e| problems_error(&e.problems))
    }

    /// Trace events (`docs/trace.md`) recorded since the last call, each exactly as a line of the
    /// CLI's `--trace` output. Empty when the trace is off. With `{ messages: false }` the
    /// `message` events are skipped (they still count for the hash): re-simulating to a time then
    /// costs almost nothing beyond the simulation itself.
    #[wasm_bindgen(js_name = drainEvents, unchecked_return_type = "TraceEvent[]")]
    pub fn drain_events(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "DrainOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let messages = match options {
            None => true,
            Some(o) if o.is_undefined() || o.is_null() => true,
            Some(o) => match js_sys::Reflect::get(&o, &JsValue::from_str("messages")) {
                Ok(v) if v.is_undefined() => true,
                Ok(v) => v.as_bool().ok_or_else(|| {
                    JsValue::from(js_sys::TypeError::new(
                        "drainEvents: options.messages must be true or false",
                    ))
                })?,
                Err(_) => true,
            },
        };
        self.text.clear();
        self.sim.drain_events_json(&mut self.text, messages);
        js_sys::JSON::parse(&self.text)
    }

    /// Tasks per state as their frameworks last heard, indexed like `taskStateNames()`, then the
    /// tasks not launched yet (one more entry). Cheap: the core keeps the counts.
    #[wasm_bindgen(js_name = taskStateCounts)]
    pub fn task_state_counts(&self) -> js_sys::Uint32Array {
        js_sys::Uint32Array::from(&self.sim.task_state_counts()[..])
    }

    /// The retained trace as JSON Lines (the CLI's `--trace` file, for downloads): the whole
    /// trace so far, except with `trace: "streaming"`, which keeps only undrained events.
    #[wasm_bindgen(js_name = traceJsonLines)]
    pub fn trace_json_lines(&self) -> String {
        let mut out = String::new();
        for ev in self.sim.trace() {
            self.sim.write_event_json(ev, &mut out);
            out.push('\n');
        }
        out
    }

    /// Agent names by index (`count` expanded: `web-0`, `web-1`, …).
    #[wasm_bindgen(js_name = agentNames)]
    pub fn agent_names(&self) -> Vec<String> {
        self.sim.agent_names().to_vec()
    }

    /// Framework names by index.
    #[wasm_bindgen(js_name = frameworkNames)]
    pub fn framework_names(&self) -> Vec<String> {
        self.sim.framework_names().to_vec()
    }

    /// Per agent: the master's view, as an index into `masterViewNames()`.
    #[wasm_bindgen(js_name = masterViews)]
    pub fn master_views(&mut self) -> Uint8Array {
        self.byte_view(|sim, a| sim.master_view(a) as u8)
    }

    /// Per agent: the agent process state, as an index into `agentStateNames()`.
    #[wasm_bindgen(js_name = agentStates)]
    pub fn agent_states(&mut self) -> Uint8Array {
        self.byte_view(|sim, a| sim.agent_state(a) as u8)
    }

    /// Per agent: consecutive unanswered pings of the master's health check (0 while not
    /// registered; saturates at 255).
    #[wasm_bindgen(js_name = missCounts)]
    pub fn miss_counts(&mut self) -> Uint8Array {
        self.byte_view(|sim, a| sim.observer(a).map_or(0, |o| o.timeouts.min(255)) as u8)
    }

    /// Per agent: when the master's re-registration timer fires (ms), NaN if none is armed.
    #[wasm_bindgen(js_name = reregisterDeadlines)]
    pub fn reregister_deadlines(&mut self) -> Float64Array {
        self.floats.clear();
        for a in 0..self.agent_count() {
            let deadline = self.sim.observer(a).and_then(|o| o.reregister_deadline);
            self.floats.push(deadline.map_or(f64::NAN, millis));
        }
        Float64Array::from(&self.floats[..])
    }

    /// Per agent: 1 while a mark-unreachable waits (for a rate-limit permit or the registry
    /// write), else 0.
    #[wasm_bindgen(js_name = permitWaiting)]
    pub fn permit_waiting(&mut self) -> Uint8Array {
        self.byte_view(|sim, a| u8::from(sim.observer(a).is_some_and(|o| o.waiting_for_permit)))
    }

    /// Per agent bit flags: 1 = master→agent cut, 2 = agent→master cut, 4 = the master holds no
    /// socket to it (not linked).
    pub fn links(&mut self) -> Uint8Array {
        self.byte_view(|sim, a| {
            let l = sim.link(a);
            u8::from(!l.master_to_agent)
                | u8::from(!l.agent_to_master) << 1
                | u8::from(!l.linked) << 2
        })
    }

    /// Messages on the wire, 6 numbers each: agent index, kind code (index into
    /// `messageKindNames()`), from master (0/1), connected (0 only for pings carrying
    /// `connected=false`), sent ms, arrival ms. In no particular order.
    #[wasm_bindgen(js_name = inFlight)]
    pub fn in_flight(&mut self) -> Float64Array {
        self.floats.clear();
        for m in self.sim.in_flight() {
            self.floats.extend_from_slice(&[
                m.agent as f64,
                m.kind as u8 as f64,
                f64::from(u8::from(m.from_master)),
                f64::from(u8::from(m.connected)),
                millis(m.sent),
                millis(m.arrives),
            ]);
        }
        Float64Array::from(&self.floats[..])
    }

    /// The receiving node of each message in `inFlight()` (same order): its agent index for a
    /// message between two nodes (memberlist), -1 for one to or from the master.
    #[wasm_bindgen(js_name = inFlightPeers)]
    pub fn in_flight_peers(&mut self) -> Float64Array {
        self.floats.clear();
        for m in self.sim.in_flight() {
            self.floats.push(m.peer.map_or(-1.0, f64::from));
        }
        Float64Array::from(&self.floats[..])
    }

    /// Which detector judges the agents (`"mesos"` unless the scenario says otherwise).
    #[wasm_bindgen(getter, unchecked_return_type = "DetectorName")]
    pub fn detector(&self) -> String {
        self.sim.detector_kind().name().to_string()
    }

    /// Every agent's detector gauge, 2 numbers each: its value and the value at which the
    /// detector acts (or the length of the timer counting down; NaN if none). Times in ms, φ
    /// as a number (`inspect(i).detector` says which). Empty under Mesos.
    #[wasm_bindgen(js_name = detectorGauges)]
    pub fn detector_gauges(&mut self) -> Float64Array {
        self.floats.clear();
        for a in 0..self.agent_count() {
            if let Some(g) = self.sim.detector_gauge(a) {
                let view = views::GaugeInspection::of(&g);
                self.floats
                    .extend_from_slice(&[view.value(), view.limit().unwrap_or(f64::NAN)]);
            }
        }
        Float64Array::from(&self.floats[..])
    }

    /// Whether a master is elected (false during a failover's downtime).
    #[wasm_bindgen(js_name = masterUp)]
    pub fn master_up(&self) -> bool {
        self.sim.master_up()
    }

    /// Everything about one agent, for an inspector. Throws `RangeError` for a bad index.
    #[wasm_bindgen(unchecked_return_type = "AgentInspection")]
    pub fn inspect(&self, agent: f64) -> Result<JsValue, JsValue> {
        let a = self.agent_index(agent, "inspect")?;
        to_js(&views::AgentInspection::of(&self.sim, a))
    }

    /// The scenario's resolved settings: every master flag after the policy's defaults, each
    /// agent's settings, the network, the ranges Mesos refuses and the warnings with their JSON
    /// paths. Durations are in ms.
    #[wasm_bindgen(unchecked_return_type = "ScenarioConfig")]
    pub fn config(&self) -> Result<JsValue, JsValue> {
        to_js(&views::ScenarioConfig::of(self.sim.scenario()))
    }

    /// One agent's resolved settings (cheaper than `config().agents[i]` for big clusters).
    /// Throws `RangeError` for a bad index.
    #[wasm_bindgen(js_name = agentConfig, unchecked_return_type = "AgentConfig")]
    pub fn agent_config(&self, agent: f64) -> Result<JsValue, JsValue> {
        let a = self.agent_index(agent, "agentConfig")?;
        to_js(&views::AgentConfig::of(self.sim.scenario(), a as usize))
    }

    /// How long a restart of `agent` would recover, as the engine computes it: reading its
    /// checkpoints, then `executor_reregistration_timeout` when a framework is recovered
    /// (MESOS-7539). Before the agent first registers, the estimate is for once it has.
    /// `executors` replaces its live executor count (a what-if). Throws `RangeError` for a bad
    /// index or count.
    #[wasm_bindgen(js_name = recoveryEstimate, unchecked_return_type = "RecoveryEstimate")]
    pub fn recovery_estimate(
        &self,
        agent: f64,
        executors: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        let a = self.agent_index(agent, "recoveryEstimate")?;
        let executors = match executors {
            Some(n) => Some(index(n, 1 << 53, "recoveryEstimate: executors")?),
            None => None,
        };
        let estimate = self.sim.agent(a).recovery_estimate(executors);
        to_js(&views::Recovery::of(estimate))
    }

    /// The metrics by name, as in the CLI's `--json` `metrics`.
    #[wasm_bindgen(unchecked_return_type = "Record<string, number>")]
    pub fn metrics(&self) -> Result<JsValue, JsValue> {
        to_js(&views::Metrics(self.sim.metrics()))
    }

    /// Judges every expectation on what has run so far, as in the CLI's `--json`
    /// `expectations`.
    #[wasm_bindgen(
        js_name = checkExpectations,
        unchecked_return_type = "ExpectationResult[]"
    )]
    pub fn check_expectations(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.sim.check_expectations())
    }

    /// The trace hash of everything so far (16 hex digits, as the CLI prints it). Throws when
    /// the trace is off.
    #[wasm_bindgen(js_name = traceHash)]
    pub fn trace_hash(&mut self) -> Result<String, JsValue> {
        self.sim.trace_hash().ok_or_else(|| {
            JsError::new("traceHash: the trace is off (the simulation was made with trace: false)")
                .into()
        })
    }

    /// Faults applied through `inject`, in order, each with its `at` in ms.
    #[wasm_bindgen(js_name = injectedFaults, unchecked_return_type = "ScenarioFault[]")]
    pub fn injected_faults(&self) -> Result<JsValue, JsValue> {
        to_js(self.sim.injected_faults())
    }

    /// The scenario as given (its source JSON).
    #[wasm_bindgen(unchecked_return_type = "Scenario")]
    pub fn scenario(&self) -> Result<JsValue, JsValue> {
        to_js(&self.sim.scenario().source)
    }

    /// Settings the engine runs with but Mesos itself would refuse (the run goes on), one line
    /// each (`path: message`); `config().warnings` has them as `{ path, message }`.
    pub fn warnings(&self) -> Vec<String> {
        let warnings = &self.sim.scenario().warnings;
        warnings.iter().map(ToString::to_string).collect()
    }

    /// How many events have run since t = 0.
    #[wasm_bindgen(getter, js_name = eventsProcessed)]
    pub fn events_processed(&self) -> f64 {
        self.sim.events_processed() as f64
    }
}

#[cfg(not(feature = "sweep-module"))]
impl Simulation {
    fn agent_count(&self) -> AgentIx {
        self.sim.agent_names().len() as AgentIx
    }

    /// An agent index argument, or a `RangeError` naming the method.
    fn agent_index(&self, agent: f64, what: &str) -> Result<AgentIx, JsValue> {
        let n = self.agent_count();
        if agent >= 0.0 && agent < f64::from(n) && agent.fract() == 0.0 {
            Ok(agent as AgentIx)
        } else {
            Err(range_error(&format!(
                "{what}: {agent} is not an agent index (0 to {})",
                n.saturating_sub(1)
            )))
        }
    }

    /// One byte per agent, filled into the reused buffer and copied out (no Rust allocation).
    fn byte_view(&mut self, f: impl Fn(&Core, AgentIx) -> u8) -> Uint8Array {
        self.bytes.clear();
        for a in 0..self.agent_count() {
            self.bytes.push(f(&self.sim, a));
        }
        Uint8Array::from(&self.bytes[..])
    }
}
