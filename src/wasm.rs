//! The JavaScript binding (wasm32 only): one stateful [`Simulation`] handle plus a few free
//! functions. It only converts and validates; every decision is the core's.
//!
//! - Scenarios and faults come in as plain JS objects, read into `serde_json::Value` (see
//!   [`json`]) and validated by [`Scenario::from_json`], so problems read exactly as the CLI's.
//! - Cold outputs (events, results, inspections) are built as canonical JSON text by the core and
//!   handed to `JSON.parse`, so they are identical to the CLI's `--trace` and `--json` output.
//! - Hot per-frame views are typed arrays copied out of buffers kept in the handle (cleared and
//!   refilled, never reallocated once they are large enough).
//! - Bad numeric arguments throw `RangeError`; bad scenarios and faults throw `Error` whose
//!   message is the problem lines joined with `\n`. Nothing here panics on input.

mod json;
mod lab_views;
mod sweep;
mod types;

use std::fmt::Write;

use js_sys::{Float64Array, RangeError, Uint8Array};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::mesos::types::{AgentIx, AgentState, MasterView, MessageKind};
use crate::scenario::Scenario;
use crate::sim::{Simulation as Core, TraceMode};
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

/// `JSON.parse` of text the core wrote (always valid JSON).
fn parse_json(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text)
}

fn millis(t: Time) -> f64 {
    time::to_millis_f64(t)
}

/// Appends `s` as a JSON string literal.
fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `"key":` (after a comma unless it opens the object).
fn push_key(out: &mut String, key: &str) {
    if !out.ends_with('{') {
        out.push(',');
    }
    push_str(out, key);
    out.push(':');
}

fn push_bool(out: &mut String, b: bool) {
    out.push_str(if b { "true" } else { "false" });
}

/// Appends a number as JSON (`null` if it is not finite).
fn push_num(out: &mut String, v: f64) {
    if !v.is_finite() {
        out.push_str("null");
    } else if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
        let _ = write!(out, "{}", v as i64);
    } else {
        let _ = write!(out, "{v}");
    }
}

/// Appends a time in ms, or `null`.
fn push_opt_millis(out: &mut String, t: Option<Time>) {
    match t {
        Some(t) => time::write_millis(out, t),
        None => out.push_str("null"),
    }
}

/// Reads and validates a scenario from a JS value.
fn scenario_from_js(value: JsValue) -> Result<Scenario, Vec<String>> {
    let v = json::to_json(value, "")?;
    Scenario::from_json(&v).map_err(|e| e.problems)
}

/// A running simulation of one scenario (spec §7). Time moves only through `advanceTo`; the
/// per-frame views (`masterViews()` …) are fresh typed-array copies, one entry per agent index
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

#[wasm_bindgen]
impl Simulation {
    /// Validates `scenario` and starts a simulation at t = 0. Throws an `Error` whose message is
    /// one line per problem, each starting with its JSON path (as the CLI prints them).
    /// `options.trace` chooses what is kept of the trace (default `"full"`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SimulationOptions")] options: Option<
            JsValue,
        >,
    ) -> Result<Simulation, JsValue> {
        let mode = match options {
            None => TraceMode::Full,
            Some(o) => {
                let o = json::to_json(o, "options").map_err(|p| problems_error(&p))?;
                match &o {
                    Value::Null => TraceMode::Full,
                    Value::Object(m) => {
                        if let Some(k) = m.keys().find(|k| *k != "trace") {
                            return Err(problems_error(&[format!(
                                "options.{k}: unknown field; known fields: trace"
                            )]));
                        }
                        match m.get("trace") {
                            None | Some(Value::Null) | Some(Value::Bool(true)) => TraceMode::Full,
                            Some(Value::Bool(false)) => TraceMode::Off,
                            Some(Value::String(s)) if s == "full" => TraceMode::Full,
                            Some(Value::String(s)) if s == "streaming" => TraceMode::Streaming,
                            Some(Value::String(s)) if s == "off" => TraceMode::Off,
                            Some(other) => {
                                return Err(problems_error(&[format!(
                                    "options.trace: expected true, false, \"full\", \"streaming\" or \"off\", got {other}"
                                )]))
                            }
                        }
                    }
                    other => {
                        return Err(problems_error(&[format!(
                            "options: expected an object, got {other}"
                        )]))
                    }
                }
            }
        };
        let scenario = scenario_from_js(scenario).map_err(|p| problems_error(&p))?;
        let sim = Core::with_trace(&scenario, mode).map_err(|e| problems_error(&e.problems))?;
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
        if !ms.is_finite() {
            return Err(range_error(&format!(
                "advanceTo: {ms} is not a finite number of milliseconds"
            )));
        }
        if ms < 0.0 {
            return Err(range_error(&format!(
                "advanceTo: {ms} is negative; times start at 0"
            )));
        }
        if ms > millis(MAX_TIME) {
            return Err(range_error(&format!(
                "advanceTo: {ms} ms is beyond the limit of {}",
                time::format_duration(MAX_TIME)
            )));
        }
        if ms < self.now() {
            return Err(range_error(&format!(
                "advanceTo: cannot go back in time: {ms} ms is before the current time {} ms",
                self.now()
            )));
        }
        // The nearest microsecond, moved down if it would include an event after `ms` as JS
        // sees event times (`t / 1000`).
        let mut t = (ms * 1000.0).round() as Time;
        if millis(t) > ms {
            t -= 1;
        }
        let t = t.max(self.sim.now());
        self.sim
            .advance_to(t)
            .map(|n| n as f64)
            .map_err(|e| range_error(&format!("advanceTo: {e}")))
    }

    /// The time (ms) of the next pending event, if any.
    #[wasm_bindgen(js_name = nextEventTime)]
    pub fn next_event_time(&self) -> Option<f64> {
        self.sim.next_event_time().map(millis)
    }

    /// Applies a spec §4 fault now (its `at`, if any, is replaced by `now`) and runs everything it
    /// causes at this instant. Throws an `Error` with `fault.…` problem lines on bad input.
    pub fn inject(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Fault")] fault: JsValue,
    ) -> Result<(), JsValue> {
        let v = json::to_json(fault, "fault").map_err(|p| problems_error(&p))?;
        self.sim.inject(&v).map_err(|e| problems_error(&e.problems))
    }

    /// Trace events (spec §5) recorded since the last call, each exactly as a line of the CLI's
    /// `--trace` output. Empty when the trace is off. With `{ messages: false }` the `message`
    /// events are skipped (they still count for the hash): re-simulating to a time then costs
    /// almost nothing beyond the simulation itself.
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
        parse_json(&self.text)
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

    /// Whether a master is elected (false during a failover's downtime).
    #[wasm_bindgen(js_name = masterUp)]
    pub fn master_up(&self) -> bool {
        self.sim.master_up()
    }

    /// Everything about one agent, for an inspector. Throws `RangeError` for a bad index.
    #[wasm_bindgen(unchecked_return_type = "AgentInspection")]
    pub fn inspect(&mut self, agent: f64) -> Result<JsValue, JsValue> {
        let n = self.agent_count();
        if !(agent >= 0.0 && agent < f64::from(n) && agent.fract() == 0.0) {
            return Err(range_error(&format!(
                "inspect: {agent} is not an agent index (0 to {})",
                n.saturating_sub(1)
            )));
        }
        let a = agent as AgentIx;
        let sim = &self.sim;
        let process = sim.agent(a);
        let observer = sim.observer(a);
        let link = sim.link(a);
        let out = &mut self.text;
        out.clear();
        out.push('{');
        push_key(out, "index");
        let _ = write!(out, "{a}");
        push_key(out, "name");
        push_str(out, &sim.agent_names()[a as usize]);
        push_key(out, "agentId");
        match sim.agent_id(a) {
            Some(id) => push_str(out, &id.to_string()),
            None => out.push_str("null"),
        }
        push_key(out, "masterView");
        push_str(out, sim.master_view(a).name());
        push_key(out, "agentState");
        push_str(out, process.state().name());
        push_key(out, "observer");
        match observer {
            Some(o) => {
                out.push('{');
                push_key(out, "pinged");
                push_bool(out, o.pinged);
                push_key(out, "consecutiveMisses");
                let _ = write!(out, "{}", o.timeouts);
                push_key(out, "connected");
                push_bool(out, o.connected);
                push_key(out, "waitingForPermit");
                push_bool(out, o.waiting_for_permit);
                out.push('}');
            }
            None => out.push_str("null"),
        }
        push_key(out, "reregisterDeadline");
        push_opt_millis(out, observer.and_then(|o| o.reregister_deadline));
        push_key(out, "pingDeadline");
        push_opt_millis(out, process.ping_deadline());
        push_key(out, "recovery");
        match process.recovery() {
            Some((started, ends)) => {
                out.push('{');
                push_key(out, "startedMs");
                time::write_millis(out, started);
                push_key(out, "endsMs");
                push_opt_millis(out, ends);
                out.push('}');
            }
            None => out.push_str("null"),
        }
        push_key(out, "tasks");
        out.push('[');
        let names = sim.framework_names();
        let states = sim.task_states();
        let frameworks = sim.task_frameworks();
        let tasks = sim.agent_tasks(a);
        let first = tasks.start;
        for t in tasks {
            let Some(state) = states.get(t as usize) else {
                break;
            };
            if t > first {
                out.push(',');
            }
            out.push('{');
            push_key(out, "task");
            push_str(out, sim.task_name(t));
            push_key(out, "framework");
            push_str(out, &names[frameworks[t as usize] as usize]);
            push_key(out, "state");
            match state {
                Some(s) => push_str(out, s.name()),
                None => out.push_str("null"),
            }
            out.push('}');
        }
        out.push(']');
        push_key(out, "link");
        out.push('{');
        push_key(out, "masterToAgent");
        push_bool(out, link.master_to_agent);
        push_key(out, "agentToMaster");
        push_bool(out, link.agent_to_master);
        push_key(out, "linked");
        push_bool(out, link.linked);
        out.push_str("}}");
        parse_json(out)
    }

    /// The metrics by name, as in the CLI's `--json` `metrics`.
    #[wasm_bindgen(unchecked_return_type = "Record<string, number>")]
    pub fn metrics(&mut self) -> Result<JsValue, JsValue> {
        let out = &mut self.text;
        out.clear();
        out.push('{');
        for (name, value) in self.sim.metrics() {
            push_key(out, name);
            push_num(out, value);
        }
        out.push('}');
        parse_json(out)
    }

    /// Judges every expectation on what has run so far, as in the CLI's `--json`
    /// `expectations`.
    #[wasm_bindgen(
        js_name = checkExpectations,
        unchecked_return_type = "ExpectationResult[]"
    )]
    pub fn check_expectations(&mut self) -> Result<JsValue, JsValue> {
        let results = self.sim.check_expectations();
        let out = &mut self.text;
        out.clear();
        out.push('[');
        for (i, r) in results.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('{');
            push_key(out, "expectation");
            let _ = write!(out, "{}", r.expectation);
            push_key(out, "passed");
            push_bool(out, r.passed);
            push_key(out, "detail");
            push_str(out, &r.detail);
            out.push('}');
        }
        out.push(']');
        parse_json(out)
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
    pub fn injected_faults(&mut self) -> Result<JsValue, JsValue> {
        let out = &mut self.text;
        out.clear();
        out.push('[');
        for (i, f) in self.sim.injected_faults().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{f}");
        }
        out.push(']');
        parse_json(out)
    }

    /// The scenario as given (its source JSON).
    #[wasm_bindgen(unchecked_return_type = "Scenario")]
    pub fn scenario(&self) -> Result<JsValue, JsValue> {
        parse_json(&self.sim.scenario().source.to_string())
    }

    /// Settings the engine runs with but Mesos itself would refuse (the run goes on).
    pub fn warnings(&self) -> Vec<String> {
        self.sim.scenario().warnings.clone()
    }

    /// How many events have run since t = 0.
    #[wasm_bindgen(getter, js_name = eventsProcessed)]
    pub fn events_processed(&self) -> f64 {
        self.sim.events_processed() as f64
    }
}

impl Simulation {
    fn agent_count(&self) -> AgentIx {
        self.sim.agent_names().len() as AgentIx
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

/// The built-in scenarios, in teaching order.
#[wasm_bindgen(unchecked_return_type = "Preset[]")]
pub fn presets() -> Result<JsValue, JsValue> {
    let mut out = String::from("[");
    for (i, p) in crate::presets::PRESETS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let (title, summary) = p.summary();
        out.push('{');
        push_key(&mut out, "name");
        push_str(&mut out, p.name);
        push_key(&mut out, "title");
        push_str(&mut out, &title);
        push_key(&mut out, "summary");
        push_str(&mut out, &summary);
        push_key(&mut out, "scenario");
        out.push_str(p.json);
        out.push('}');
    }
    out.push(']');
    parse_json(&out)
}

/// Validates a scenario: `[]` when it is valid, else one line per problem (as the CLI prints
/// them).
#[wasm_bindgen(js_name = validateScenario)]
pub fn validate_scenario(
    #[wasm_bindgen(unchecked_param_type = "unknown")] scenario: JsValue,
) -> Vec<String> {
    match scenario_from_js(scenario) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

/// The benchmark workloads of `liveness bench`, so the wasm benchmark measures the same runs.
#[wasm_bindgen(js_name = benchWorkloads, unchecked_return_type = "BenchWorkload[]")]
pub fn bench_workloads() -> Result<JsValue, JsValue> {
    let mut out = String::from("[");
    for (i, w) in crate::bench::workloads().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        push_key(&mut out, "name");
        push_str(&mut out, w.name);
        push_key(&mut out, "scenario");
        let _ = write!(out, "{}", w.scenario.source);
        out.push('}');
    }
    out.push(']');
    parse_json(&out)
}

/// The master view names; `masterViews()` codes index this list. (wasm-bindgen cannot export
/// constant arrays, so these are functions.)
#[wasm_bindgen(js_name = masterViewNames, unchecked_return_type = "MasterViewName[]")]
pub fn master_view_names() -> Vec<String> {
    MasterView::ALL
        .iter()
        .map(|v| v.name().to_string())
        .collect()
}

/// The agent state names; `agentStates()` codes index this list.
#[wasm_bindgen(js_name = agentStateNames, unchecked_return_type = "AgentStateName[]")]
pub fn agent_state_names() -> Vec<String> {
    AgentState::ALL
        .iter()
        .map(|v| v.name().to_string())
        .collect()
}

/// The task states `taskStateCounts()` counts, in its order.
#[wasm_bindgen(js_name = taskStateNames, unchecked_return_type = "TaskStateName[]")]
pub fn task_state_names() -> Vec<String> {
    crate::mesos::types::TaskState::ALL
        .iter()
        .map(|v| v.name().to_string())
        .collect()
}

/// The Mesos message names; `inFlight()` kind codes index this list.
#[wasm_bindgen(js_name = messageKindNames, unchecked_return_type = "MessageKindName[]")]
pub fn message_kind_names() -> Vec<String> {
    MessageKind::ALL
        .iter()
        .map(|v| v.name().to_string())
        .collect()
}

/// Every trace event kind with its fields, in output order (what event expectations may filter
/// on).
#[wasm_bindgen(
    js_name = eventFields,
    unchecked_return_type = "Record<TraceEventKind, string[]>"
)]
pub fn event_fields() -> Result<JsValue, JsValue> {
    let mut out = String::from("{");
    for (kind, fields) in crate::trace::EVENT_FIELDS {
        push_key(&mut out, kind);
        out.push('[');
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_str(&mut out, f);
        }
        out.push(']');
    }
    out.push('}');
    parse_json(&out)
}
