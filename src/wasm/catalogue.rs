//! The binding's free functions: what the engine knows without a running simulation — the
//! presets, the name lists behind the typed-array codes, Mesos' defaults and refused ranges, a
//! scenario's resolved settings, and the words for events, verdicts and faults
//! (`crate::describe`). Conversion only.

use serde::{Serialize, Serializer};
use wasm_bindgen::prelude::*;

use super::{json, problems_error, scenario_from_js, to_js, views};
use crate::describe;
use crate::mesos::types::{AgentState, MasterView, MessageKind, Policy, TaskState};
use crate::scenario::FaultKindName;

/// The built-in scenarios, in teaching order.
#[wasm_bindgen(unchecked_return_type = "Preset[]")]
pub fn presets() -> Result<JsValue, JsValue> {
    let list: Vec<views::Preset> = crate::presets::PRESETS
        .iter()
        .map(views::Preset::of)
        .collect();
    to_js(&list)
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

/// A scenario's resolved settings without running it (what `new Simulation(s).config()`
/// returns). Throws an `Error` with one line per problem when it is invalid.
#[wasm_bindgen(js_name = scenarioConfig, unchecked_return_type = "ScenarioConfig")]
pub fn scenario_config(
    #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
) -> Result<JsValue, JsValue> {
    let scenario = scenario_from_js(scenario).map_err(|p| problems_error(&p))?;
    to_js(&views::ScenarioConfig::of(&scenario))
}

/// What `policy` (default `mesos-1.2`, as for a scenario without one) runs with when a scenario
/// says nothing: the master flags, the agent settings, the network, and the ranges Mesos refuses.
/// Durations are in ms. Throws an `Error` for an unknown policy.
#[wasm_bindgen(js_name = mesosDefaults, unchecked_return_type = "MesosDefaults")]
pub fn mesos_defaults(
    #[wasm_bindgen(unchecked_optional_param_type = "PolicyName")] policy: Option<String>,
) -> Result<JsValue, JsValue> {
    let policy = match policy.as_deref() {
        None => Policy::Mesos12,
        Some(name) => Policy::parse(name).ok_or_else(|| {
            problems_error(&[format!(
                "policy: unknown policy \"{name}\"; expected one of {}",
                Policy::choices()
            )])
        })?,
    };
    to_js(&views::Defaults::of(policy))
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The master view names; `masterViews()` codes index this list. (wasm-bindgen cannot export
/// constant arrays, so these are functions.)
#[wasm_bindgen(js_name = masterViewNames, unchecked_return_type = "MasterViewName[]")]
pub fn master_view_names() -> Vec<String> {
    names(MasterView::NAMES)
}

/// The detectors a scenario's `detector` may name, in the order the lab shows them.
#[wasm_bindgen(js_name = detectorNames, unchecked_return_type = "DetectorName[]")]
pub fn detector_names() -> Vec<String> {
    crate::detectors::DetectorKind::ALL
        .map(|k| k.name().to_string())
        .to_vec()
}

/// Each detector in words: what it watches, who decides, and its main defaults (the README
/// table's columns, from the engine).
#[wasm_bindgen(js_name = detectorInfo, unchecked_return_type = "DetectorInfo[]")]
pub fn detector_info() -> Result<JsValue, JsValue> {
    let list: Vec<views::DetectorInfo> = crate::detectors::DetectorKind::ALL
        .into_iter()
        .map(views::DetectorInfo::of)
        .collect();
    to_js(&list)
}

/// The agent state names; `agentStates()` codes index this list.
#[wasm_bindgen(js_name = agentStateNames, unchecked_return_type = "AgentStateName[]")]
pub fn agent_state_names() -> Vec<String> {
    names(AgentState::NAMES)
}

/// The task states `taskStateCounts()` counts, in its order.
#[wasm_bindgen(js_name = taskStateNames, unchecked_return_type = "TaskStateName[]")]
pub fn task_state_names() -> Vec<String> {
    names(TaskState::NAMES)
}

/// The Mesos message names; `inFlight()` kind codes index this list.
#[wasm_bindgen(js_name = messageKindNames, unchecked_return_type = "MessageKindName[]")]
pub fn message_kind_names() -> Vec<String> {
    names(MessageKind::NAMES)
}

/// The policies, in the engine's order.
#[wasm_bindgen(js_name = policyNames, unchecked_return_type = "PolicyName[]")]
pub fn policy_names() -> Vec<String> {
    names(Policy::NAMES)
}

/// Every fault kind, in the engine's order.
#[wasm_bindgen(js_name = faultKindNames, unchecked_return_type = "FaultKind[]")]
pub fn fault_kind_names() -> Vec<String> {
    names(FaultKindName::NAMES)
}

/// `EVENT_FIELDS` as an object, in output order.
struct EventFields;

impl Serialize for EventFields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(crate::trace::EVENT_FIELDS.iter().copied())
    }
}

/// Every trace event kind with its fields, in output order (what event expectations may filter
/// on).
#[wasm_bindgen(
    js_name = eventFields,
    unchecked_return_type = "Record<TraceEventKind, string[]>"
)]
pub fn event_fields() -> Result<JsValue, JsValue> {
    to_js(&EventFields)
}

/// Reads a JS value the words functions accept (anything JSON can hold; the rest reads as null).
fn words_input(value: JsValue, root: &str) -> serde_json::Value {
    json::to_json(value, root).unwrap_or_default()
}

/// One trace event in words, without its time and agent (the CLI's timeline and the lab's log
/// use the same words): `re-registered (was unreachable)`.
#[wasm_bindgen(js_name = describeEvent)]
pub fn describe_event(
    #[wasm_bindgen(unchecked_param_type = "TraceEvent")] event: JsValue,
) -> String {
    describe::event(&words_input(event, "event"))
}

/// `describeEvent` of each event, in one call.
#[wasm_bindgen(js_name = describeEvents)]
pub fn describe_events(
    #[wasm_bindgen(unchecked_param_type = "TraceEvent[]")] events: JsValue,
) -> Vec<String> {
    match words_input(events, "events") {
        serde_json::Value::Array(items) => items.iter().map(describe::event).collect(),
        _ => Vec::new(),
    }
}

/// The short label of an event's kind (the log's badges): `unreachable`, `dropped`, …
#[wasm_bindgen(js_name = eventLabel)]
pub fn event_label(#[wasm_bindgen(unchecked_param_type = "TraceEvent")] event: JsValue) -> String {
    describe::label(&words_input(event, "event"))
}

/// A fault in words, `restart agent-1 (recovery: hangs)`; with `withTime` (default true) its
/// time first, `01:00 restart agent-1 …`.
#[wasm_bindgen(js_name = describeFault)]
pub fn describe_fault(
    #[wasm_bindgen(unchecked_param_type = "Fault")] fault: JsValue,
    #[wasm_bindgen(js_name = withTime)] with_time: Option<bool>,
) -> String {
    describe::fault(&words_input(fault, "fault"), with_time.unwrap_or(true))
}

/// A verdict (an `agent_marked_unreachable` or `agent_removed` event) in words:
/// `agent-1 unreachable (health check) at 11:00.001`.
#[wasm_bindgen(js_name = verdictWords)]
pub fn verdict_words(
    #[wasm_bindgen(unchecked_param_type = "TraceEvent")] verdict: JsValue,
) -> String {
    describe::verdict(&words_input(verdict, "verdict"))
}

/// Words for a verdict's cause (the trace's `cause` field): `health check`, …
#[wasm_bindgen(js_name = causeWords)]
pub fn cause_words(
    #[wasm_bindgen(unchecked_optional_param_type = "CauseName")] cause: Option<String>,
) -> String {
    cause.map_or_else(String::new, |c| describe::cause(&c).to_string())
}
