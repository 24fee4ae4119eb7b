//! Expectations (`docs/scenarios.md`, "expect"): state checks at a time, event counts over the
//! trace, metric values. State and timed metric checks are captured while the simulation passes
//! their time, so they see the state "after every event at or before `at`".

use serde_json::Value;

use crate::mesos::types::{AgentIx, AgentState, MasterView};
use crate::scenario::{CountBound, Expectation, StateCheck};
use crate::time::{self, Time};
use crate::trace::{Stamped, TraceNames};

/// One expectation's verdict. Its JSON (`{expectation, passed, detail}`, the CLI's `--json`
/// `expectations` and the wasm `checkExpectations()`) is this struct serialized.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ExpectationResult {
    /// The expectation as given.
    pub expectation: Value,
    /// Whether it holds.
    pub passed: bool,
    /// Why, in words.
    pub detail: String,
}

#[derive(Clone, Copy, Debug)]
enum Captured {
    State(MasterView, AgentState),
    Metric(f64),
}

/// Matches of one event expectation: how many, and the first few times.
#[derive(Clone, Debug, Default)]
struct Tally {
    count: u64,
    first: Vec<Time>,
}

/// Captures timed checks as the simulation passes their time, and counts matching events as
/// the trace streams past (so event expectations work without keeping the trace).
#[derive(Clone, Debug, Default)]
pub struct Checker {
    tallies: Vec<Tally>,
    /// (time, expectation index, agent, metric name) sorted by time.
    due: Vec<(Time, usize, AgentIx, Option<String>)>,
    next: usize,
    captured: Vec<Option<Captured>>,
}

impl Checker {
    /// Prepares the timed checks of `expect`.
    pub fn new(expect: &[Expectation]) -> Checker {
        let mut due = Vec::new();
        for (i, e) in expect.iter().enumerate() {
            match e {
                Expectation::State { at, agent, .. } => due.push((*at, i, *agent, None)),
                Expectation::Metric {
                    at: Some(at),
                    metric,
                    ..
                } => due.push((*at, i, 0, Some(metric.clone()))),
                _ => {}
            }
        }
        due.sort_by_key(|d| (d.0, d.1));
        Checker {
            due,
            next: 0,
            captured: vec![None; expect.len()],
            tallies: vec![Tally::default(); expect.len()],
        }
    }

    /// Counts one trace event against the event expectations; `line` renders its canonical
    /// JSON line, called only when a field filter needs it. Every event must be observed exactly once, in order.
    pub fn observe(&mut self, expect: &[Expectation], ev: &Stamped, line: impl FnOnce() -> String) {
        let mut line = Some(line);
        let mut fields: Option<Option<serde_json::Map<String, Value>>> = None;
        for (i, e) in expect.iter().enumerate() {
            let Expectation::EventCount {
                event,
                between,
                filters,
                ..
            } = e
            else {
                continue;
            };
            if ev.event.kind() != event
                || between.is_some_and(|(from, to)| ev.t < from || ev.t > to)
            {
                continue;
            }
            if !filters.is_empty() {
                let parsed = fields.get_or_insert_with(|| {
                    match line.take().map(|l| serde_json::from_str::<Value>(&l())) {
                        Some(Ok(Value::Object(map))) => Some(map),
                        _ => None,
                    }
                });
                let Some(map) = parsed else { continue };
                if !filters
                    .iter()
                    .all(|(k, want)| map.get(k).is_some_and(|got| field_matches(got, want)))
                {
                    continue;
                }
            }
            let tally = &mut self.tallies[i];
            tally.count += 1;
            if tally.first.len() < 3 {
                tally.first.push(ev.t);
            }
        }
    }

    /// True if some check's time is before `before`.
    pub fn has_due(&self, before: Time) -> bool {
        self.due.get(self.next).is_some_and(|d| d.0 < before)
    }

    /// The agents of the checks due before `before`, in order.
    pub fn due_agents(&self, before: Time) -> Vec<AgentIx> {
        self.due[self.next..]
            .iter()
            .take_while(|d| d.0 < before)
            .map(|d| d.2)
            .collect()
    }

    /// Captures the checks due before `before`; `views` is aligned with [`Self::due_agents`].
    pub fn evaluate_due(
        &mut self,
        before: Time,
        views: &[(MasterView, AgentState)],
        metrics: &[(&'static str, f64)],
    ) {
        let mut k = 0;
        while let Some((at, i, _, metric)) = self.due.get(self.next) {
            if *at >= before {
                break;
            }
            self.captured[*i] = Some(match metric {
                Some(name) => Captured::Metric(
                    metrics
                        .iter()
                        .find(|(n, _)| n == name)
                        .map_or(f64::NAN, |m| m.1),
                ),
                None => Captured::State(views[k].0, views[k].1),
            });
            k += 1;
            self.next += 1;
        }
    }
}

/// Judges every expectation. `counted` says whether the checker observed every event.
pub fn judge(
    expect: &[Expectation],
    checker: &Checker,
    counted: bool,
    names: &TraceNames,
    metrics: &[(&'static str, f64)],
    now: Time,
) -> Vec<ExpectationResult> {
    expect
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (passed, detail) = match e {
                Expectation::State {
                    at, agent, check, ..
                } => {
                    let who = &names.agents[*agent as usize];
                    match (checker.captured[i], check) {
                        (Some(Captured::State(mv, _)), StateCheck::MasterView(want)) => (
                            mv == *want,
                            format!(
                                "at {} the master's view of {who} was {mv} (wanted {want})",
                                time::format_clock(*at)
                            ),
                        ),
                        (Some(Captured::State(_, st)), StateCheck::AgentState(want)) => (
                            st == *want,
                            format!(
                                "at {} {who} was {st} (wanted {want})",
                                time::format_clock(*at)
                            ),
                        ),
                        _ => not_reached(*at, now),
                    }
                }
                Expectation::Metric {
                    metric, equals, at, ..
                } => {
                    let (value, when) = match at {
                        Some(at) => match checker.captured[i] {
                            Some(Captured::Metric(v)) => (v, *at),
                            _ => {
                                let (p, d) = not_reached(*at, now);
                                return result(e, p, d);
                            }
                        },
                        None => (
                            metrics
                                .iter()
                                .find(|(n, _)| n == metric)
                                .map_or(f64::NAN, |m| m.1),
                            now,
                        ),
                    };
                    (
                        value == *equals,
                        format!(
                            "{metric} was {value} at {} (wanted {equals})",
                            time::format_clock(when)
                        ),
                    )
                }
                Expectation::EventCount {
                    event,
                    between,
                    bound,
                    filters,
                    ..
                } => {
                    if !counted {
                        (
                            false,
                            "event expectations need the trace, which is off".to_string(),
                        )
                    } else {
                        describe_count(&checker.tallies[i], event, *between, *bound, filters, now)
                    }
                }
            };
            result(e, passed, detail)
        })
        .collect()
}

fn result(e: &Expectation, passed: bool, detail: String) -> ExpectationResult {
    ExpectationResult {
        expectation: e.raw().clone(),
        passed,
        detail,
    }
}

fn not_reached(at: Time, now: Time) -> (bool, String) {
    (
        false,
        format!(
            "not reached yet: the check is at {} and the run is at {}",
            time::format_clock(at),
            time::format_clock(now)
        ),
    )
}

fn describe_count(
    tally: &Tally,
    event: &str,
    between: Option<(Time, Time)>,
    bound: CountBound,
    filters: &[(String, Value)],
    now: Time,
) -> (bool, String) {
    let n = tally.count;
    let (passed, wanted) = match bound {
        CountBound::Exactly(k) => (n == k, format!("exactly {k}")),
        CountBound::AtLeast(k) => (n >= k, format!("at least {k}")),
        CountBound::AtMost(k) => (n <= k, format!("at most {k}")),
    };
    let filter_text: Vec<String> = filters.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut detail = format!("{n} {event} event{}", if n == 1 { "" } else { "s" });
    if !filter_text.is_empty() {
        detail.push_str(&format!(" with {}", filter_text.join(", ")));
    }
    match between {
        Some((from, to)) => detail.push_str(&format!(
            " between {} and {}",
            time::format_clock(from),
            time::format_clock(to)
        )),
        None => detail.push_str(&format!(" up to {}", time::format_clock(now))),
    }
    if !tally.first.is_empty() {
        let shown: Vec<String> = tally.first.iter().map(|&t| time::format_clock(t)).collect();
        detail.push_str(&format!(
            " (at {}{})",
            shown.join(", "),
            if n > 3 { ", …" } else { "" }
        ));
    }
    detail.push_str(&format!("; wanted {wanted}"));
    (passed, detail)
}

/// Numbers compare by value; a duration string matches a time field given in milliseconds.
fn field_matches(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => g.as_f64() == w.as_f64(),
        (Value::Number(g), Value::String(w)) => time::parse_duration(w)
            .ok()
            .is_some_and(|t| g.as_f64() == Some(time::to_millis_f64(t))),
        _ => got == want,
    }
}
