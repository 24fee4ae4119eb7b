//! Reading expectations: state checks, event counts (whose filters must name fields, agents,
//! causes and states that exist) and metric values.

use serde_json::Value;

use super::parse::Names;
use super::read::{describe, duration, index, join, named, string, uint, Errors, Obj, Zero};
use super::*;
use crate::mesos::metrics::METRIC_NAMES;
use crate::mesos::types::{AgentAbort, Cause, ExecutorEnd, RemovalReason, TaskReason, TaskState};
use crate::trace::EVENT_FIELDS;

/// Parses one expectation.
pub(super) fn expectation(
    errs: &mut Errors,
    path: &str,
    v: &Value,
    names: &Names,
) -> Option<Expectation> {
    let mut o = Obj::new(errs, path, v)?;
    if o.has("event") {
        let event_path = o.path("event");
        let event = string(errs, &event_path, o.get("event")?)?.to_string();
        let Some(&(_, fields)) = EVENT_FIELDS.iter().find(|(name, _)| *name == event) else {
            let kinds: Vec<&str> = EVENT_FIELDS.iter().map(|(n, _)| *n).collect();
            errs.at(
                &event_path,
                format!(
                    "unknown event \"{event}\"; expected one of {}",
                    kinds.join(", ")
                ),
            );
            return None;
        };
        let between = match o.get("between") {
            Some(Value::Array(pair)) if pair.len() == 2 => {
                let bpath = o.path("between");
                let from = duration(errs, &index(&bpath, 0), &pair[0], Zero::Allowed);
                let to = duration(errs, &index(&bpath, 1), &pair[1], Zero::Allowed);
                match (from, to) {
                    (Some(f), Some(t)) if f <= t => Some(Some((f, t))),
                    (Some(_), Some(_)) => {
                        errs.at(&bpath, "the start must not be after the end");
                        None
                    }
                    _ => None,
                }
            }
            Some(other) => {
                errs.at(
                    &o.path("between"),
                    format!("expected [from, to], two times, got {}", describe(other)),
                );
                None
            }
            None => Some(None),
        };
        let mut bounds = Vec::new();
        for (key, make) in [
            ("count", CountBound::Exactly as fn(u64) -> CountBound),
            ("at_least", CountBound::AtLeast),
            ("at_most", CountBound::AtMost),
        ] {
            if let Some(v) = o.get(key) {
                if let Some(n) = uint(errs, &o.path(key), v, 0, u64::MAX >> 1) {
                    bounds.push(make(n));
                }
            }
        }
        if bounds.len() != 1 {
            errs.at(
                path,
                "an event expectation needs exactly one of count, at_least, at_most",
            );
        }
        let mut filters = Vec::new();
        for (key, value) in o.map {
            if ["event", "between", "count", "at_least", "at_most"].contains(&key.as_str()) {
                continue;
            }
            let fpath = join(path, key);
            if !fields.contains(&key.as_str()) {
                errs.at(
                    &fpath,
                    format!(
                        "\"{event}\" events have no field \"{key}\"; their fields: {}",
                        fields.join(", ")
                    ),
                );
                continue;
            }
            check_filter_value(errs, &fpath, &event, key, value, names);
            filters.push((key.clone(), value.clone()));
        }
        return Some(Expectation::EventCount {
            event,
            between: between?,
            bound: *bounds.first()?,
            filters,
            raw: v.clone(),
        });
    }
    if o.has("metric") {
        let metric = string(errs, &o.path("metric"), o.get("metric")?)?.to_string();
        if !METRIC_NAMES.contains(&metric.as_str()) {
            errs.at(
                &o.path("metric"),
                format!(
                    "unknown metric \"{metric}\"; expected one of {}",
                    METRIC_NAMES.join(", ")
                ),
            );
        }
        let equals = match o.get("equals") {
            Some(Value::Number(n)) => n.as_f64(),
            Some(other) => {
                errs.at(
                    &o.path("equals"),
                    format!("expected a number, got {}", describe(other)),
                );
                None
            }
            None => {
                errs.at(&o.path("equals"), "required: the metric's expected value");
                None
            }
        };
        let at = match o.get("at") {
            Some(v) => Some(duration(errs, &o.path("at"), v, Zero::Allowed)?),
            None => None,
        };
        o.finish(errs);
        return Some(Expectation::Metric {
            metric,
            equals: equals?,
            at,
            raw: v.clone(),
        });
    }
    if o.has("agent") || o.has("master_view") || o.has("agent_state") {
        let at = match o.get("at") {
            Some(v) => duration(errs, &o.path("at"), v, Zero::Allowed),
            None => {
                errs.at(&o.path("at"), "required: when to check the state");
                None
            }
        };
        let agent = match o.get("agent") {
            Some(v) => names.agent(errs, &o.path("agent"), v),
            None => {
                errs.at(&o.path("agent"), "required: which agent to check");
                None
            }
        };
        let mv = o.get("master_view").and_then(|v| {
            named(
                errs,
                &join(path, "master_view"),
                v,
                "master view",
                MasterView::parse,
                MasterView::choices(),
            )
        });
        let st = o.get("agent_state").and_then(|v| {
            named(
                errs,
                &join(path, "agent_state"),
                v,
                "agent state",
                AgentState::parse,
                AgentState::choices(),
            )
        });
        o.finish(errs);
        let check = match (mv, st) {
            (Some(m), None) => StateCheck::MasterView(m),
            (None, Some(s)) => StateCheck::AgentState(s),
            (Some(_), Some(_)) => {
                errs.at(
                    path,
                    "a state check takes one of master_view or agent_state, not both",
                );
                return None;
            }
            (None, None) => {
                if v.get("master_view").is_none() && v.get("agent_state").is_none() {
                    errs.at(path, "a state check needs master_view or agent_state");
                }
                return None;
            }
        };
        return Some(Expectation::State {
            at: at?,
            agent: agent?,
            check,
            raw: v.clone(),
        });
    }
    errs.at(
        path,
        "expected a state check {at, agent, master_view|agent_state}, an event count {event, count|at_least|at_most} or a metric {metric, equals}",
    );
    None
}

/// Catches filter values that can never match (a misspelt agent, cause or state).
fn check_filter_value(
    errs: &mut Errors,
    path: &str,
    event: &str,
    key: &str,
    value: &Value,
    names: &Names,
) {
    let Some(s) = value.as_str() else { return };
    let ok_or = |ok: bool, what: &str, choices: String, errs: &mut Errors| {
        if !ok {
            errs.at(
                path,
                format!("unknown {what} \"{s}\"; expected one of {choices}"),
            );
        }
    };
    match key {
        "agent" => {
            names.agent(errs, path, value);
        }
        "framework" => {
            names.framework(errs, path, value);
        }
        "cause" => ok_or(Cause::parse(s).is_some(), "cause", Cause::choices(), errs),
        "state" => ok_or(
            TaskState::parse(s).is_some(),
            "task state",
            TaskState::choices(),
            errs,
        ),
        "reason" => match event {
            "task_status" => ok_or(
                TaskReason::parse(s).is_some(),
                "reason",
                TaskReason::choices(),
                errs,
            ),
            "agent_removed" => ok_or(
                RemovalReason::parse(s).is_some(),
                "reason",
                RemovalReason::choices(),
                errs,
            ),
            "executor_terminated" => ok_or(
                ExecutorEnd::parse(s).is_some(),
                "reason",
                ExecutorEnd::choices(),
                errs,
            ),
            "agent_aborted" => ok_or(
                AgentAbort::parse(s).is_some(),
                "reason",
                AgentAbort::choices(),
                errs,
            ),
            _ => {}
        },
        "message" if MessageKind::parse(s).is_none() && !s.contains(' ') => {
            ok_or(false, "message", MessageKind::choices(), errs)
        }
        _ => {}
    }
}
