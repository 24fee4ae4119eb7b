//! The lab's extra views of a running simulation, in a second `#[wasm_bindgen] impl Simulation`
//! block: the executors' ground truth (how many are really alive, when the waiting ones give
//! up) and exact per-agent change records for the lab's lane timeline. Like the rest of the
//! binding it only reads the core; it decides nothing.

use js_sys::{Float64Array, Uint32Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::views::{MasterFlags, NetworkView};
use super::{millis, range_error, to_js, Simulation};
use crate::mesos::event::Event;
use crate::mesos::types::AgentIx;
use crate::scenario::Warning;
use crate::time::MAX_TIME;

/// Numbers per record of `laneStates()` / `advanceWatching()`.
const LANE_FIELDS: usize = 10;

/// The run-wide settings the lab reads on every edit (`LabSettings`): `config()` without the
/// per-agent list, which costs tens of ms for a cluster of thousands.
#[derive(Serialize)]
struct LabSettings<'a> {
    master: MasterFlags,
    network: NetworkView,
    warnings: &'a [Warning],
}

#[wasm_bindgen]
impl Simulation {
    /// The master's resolved flags, the network and the warnings with their JSON paths (as in
    /// `config()`, without `agents`; `agentConfig(i)` has one agent's). Durations in ms.
    #[wasm_bindgen(js_name = labSettings, unchecked_return_type = "LabSettings")]
    pub fn lab_settings(&self) -> Result<JsValue, JsValue> {
        let s = self.sim.scenario();
        to_js(&LabSettings {
            master: MasterFlags::of(&s.master),
            network: NetworkView::of(&s.network),
            warnings: &s.warnings,
        })
    }

    /// Per agent: when the first of its executors waiting for an exited agent process shuts
    /// itself down (its `recovery_timeout` runs out; `exec.cpp :: _recoveryTimeout`), in ms;
    /// NaN while none waits.
    #[wasm_bindgen(js_name = executorDeadlines)]
    pub fn executor_deadlines(&mut self) -> Float64Array {
        self.floats.clear();
        for a in 0..self.agent_count() {
            let d = self.sim.agent(a).executor_deadline();
            self.floats.push(d.map_or(f64::NAN, millis));
        }
        Float64Array::from(&self.floats[..])
    }

    /// Per agent: executors (one per task) really running on its host — connected, or waiting
    /// for an exited agent process — whatever the master believes; 0 before its tasks are
    /// launched.
    #[wasm_bindgen(js_name = executorsAlive)]
    pub fn executors_alive(&self) -> Uint32Array {
        let n = self.agent_count();
        let alive: Vec<u32> = (0..n)
            .map(|a| self.sim.agent(a).executors_alive() as u32)
            .collect();
        Uint32Array::from(&alive[..])
    }

    /// Per agent: the tasks placed on it by the scenario (each with its own executor).
    #[wasm_bindgen(js_name = tasksPlaced)]
    pub fn tasks_placed(&self) -> Uint32Array {
        let n = self.agent_count();
        let placed: Vec<u32> = (0..n)
            .map(|a| self.sim.agent_tasks(a).len() as u32)
            .collect();
        Uint32Array::from(&placed[..])
    }

    /// The lane state of each of `agents` now, 10 numbers per agent: time (ms), agent index,
    /// master's view (code), process state (code), re-registration deadline (ms, NaN if none),
    /// consecutive missed pings (-1 while the master has no health check of it), executor
    /// deadline (ms, NaN if none), executors alive, link flags (as `links()`), waiting for a
    /// removal permit (0/1). Throws `RangeError` for an index that is not an agent.
    #[wasm_bindgen(js_name = laneStates)]
    pub fn lane_states(&self, agents: &[u32]) -> Result<Float64Array, JsValue> {
        self.check_agents(agents)?;
        let mut out = Vec::with_capacity(agents.len() * LANE_FIELDS);
        for &a in agents {
            out.extend_from_slice(&self.lane_record(a));
        }
        Ok(Float64Array::from(&out[..]))
    }

    /// Advances to `ms` exactly as `advanceTo` does, stepping from one event instant to the
    /// next, and returns a `laneStates` record for each of `agents` at every instant its lane
    /// state changed (in time order). Running a scenario this way gives the same trace as one
    /// `advanceTo`. Throws as `advanceTo` does, and `RangeError` for an index that is not an
    /// agent.
    #[wasm_bindgen(js_name = advanceWatching)]
    pub fn advance_watching(&mut self, ms: f64, agents: &[u32]) -> Result<Float64Array, JsValue> {
        self.check_agents(agents)?;
        let valid = ms.is_finite() && ms >= self.now() && ms <= millis(MAX_TIME);
        let mut out = Vec::new();
        if valid {
            let mut last: Vec<[f64; LANE_FIELDS]> =
                agents.iter().map(|&a| self.lane_record(a)).collect();
            while let Some(next) = self.sim.next_event_time() {
                // The events JavaScript sees at or before `ms` (as `advanceTo` counts them).
                if millis(next) > ms {
                    break;
                }
                self.sim
                    .advance_to(next)
                    .map_err(|e| range_error(&format!("advanceWatching: {e}")))?;
                for (k, &a) in agents.iter().enumerate() {
                    let now = self.lane_record(a);
                    if !same_lane(&now, &last[k]) {
                        out.extend_from_slice(&now);
                        last[k] = now;
                    }
                }
            }
        }
        self.advance_to(ms)?;
        Ok(Float64Array::from(&out[..]))
    }

    /// Like `drainEvents({ messages: false })`, plus the `message` events of `agents` (indices):
    /// everything the lane timeline of those agents needs, without converting every other
    /// agent's pings.
    #[wasm_bindgen(js_name = drainEventsOf, unchecked_return_type = "TraceEvent[]")]
    pub fn drain_events_of(&mut self, agents: &[u32]) -> Result<JsValue, JsValue> {
        self.check_agents(agents)?;
        let n = self.sim.drain_events().len();
        let trace = self.sim.trace();
        let events = &trace[trace.len() - n..];
        let out = &mut self.text;
        out.clear();
        out.push('[');
        for ev in events {
            if let Event::Message { agent, .. } = ev.event {
                if !agents.contains(&agent) {
                    continue;
                }
            }
            if out.len() > 1 {
                out.push(',');
            }
            self.sim.write_event_json(ev, out);
        }
        out.push(']');
        js_sys::JSON::parse(out)
    }
}

impl Simulation {
    /// `RangeError` unless every index is an agent.
    fn check_agents(&self, agents: &[u32]) -> Result<(), JsValue> {
        let n = self.agent_count();
        match agents.iter().find(|&&a| a >= n) {
            Some(a) => Err(range_error(&format!(
                "{a} is not an agent index (0 to {})",
                n.saturating_sub(1)
            ))),
            None => Ok(()),
        }
    }

    /// One `laneStates` record of agent `a` now.
    fn lane_record(&self, a: AgentIx) -> [f64; LANE_FIELDS] {
        let sim = &self.sim;
        let observer = sim.observer(a);
        let link = sim.link(a);
        let process = sim.agent(a);
        let flags = u8::from(!link.master_to_agent)
            | u8::from(!link.agent_to_master) << 1
            | u8::from(!link.linked) << 2;
        [
            millis(sim.now()),
            f64::from(a),
            f64::from(sim.master_view(a) as u8),
            f64::from(sim.agent_state(a) as u8),
            observer
                .and_then(|o| o.reregister_deadline)
                .map_or(f64::NAN, millis),
            observer.map_or(-1.0, |o| f64::from(o.timeouts)),
            process.executor_deadline().map_or(f64::NAN, millis),
            process.executors_alive() as f64,
            f64::from(flags),
            f64::from(u8::from(observer.is_some_and(|o| o.waiting_for_permit))),
        ]
    }
}

/// Whether two lane records show the same state (the time aside; NaN equals NaN).
fn same_lane(a: &[f64; LANE_FIELDS], b: &[f64; LANE_FIELDS]) -> bool {
    a[1..]
        .iter()
        .zip(&b[1..])
        .all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
}
