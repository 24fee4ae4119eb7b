//! Monte Carlo sweeps of the timeouts (the tuning lab): a grid of settings × trials of a random
//! fault workload, each trial a full simulation (fast-forwarded), judged against what truly
//! happened to each agent.
//!
//! Every trial index draws the same faults at every grid point (common random numbers), so
//! points differ only by their settings. Trials are independent, so results do not depend on how
//! many threads run them.

pub mod outcome;
pub mod workload;

use serde_json::{json, Map, Value};

use crate::rng::splitmix64;
use crate::scenario::parse::{describe, list_of, uint, Errors, Obj};
use crate::scenario::{InvalidInput, Scenario};
use crate::sim::{SimOptions, Simulation, TraceMode};
use outcome::{PointMetrics, TrialOutcome};
use workload::Workload;

/// Grid points at most.
pub const MAX_POINTS: usize = 10_000;
/// Trials per point at most.
pub const MAX_TRIALS: u64 = 100_000;
/// Points × trials at most.
pub const MAX_RUNS: u64 = 10_000_000;

/// One grid point: its parameter values and its scenario (without faults).
#[derive(Clone, Debug)]
pub struct Point {
    /// (dotted path, value) in `vary` order.
    pub params: Vec<(String, Value)>,
    /// The base scenario JSON with these values and `duration` = the horizon.
    pub json: Value,
}

/// A validated sweep.
#[derive(Clone, Debug)]
pub struct SweepPlan {
    /// Its name.
    pub name: String,
    /// The workload.
    pub workload: Workload,
    /// Trials per point.
    pub trials: u64,
    /// Seed of every trial's faults.
    pub seed: u64,
    /// The grid, last `vary` key varying fastest.
    pub points: Vec<Point>,
    /// The `vary` keys, in order.
    pub keys: Vec<String>,
    /// The agents' names (the same at every point).
    pub agent_names: Vec<String>,
    /// The spec as given.
    pub source: Value,
}

/// Sets a dotted path (`master.agent_ping_timeout`, `agents.0.count`) in a JSON value.
fn set_path(v: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let mut cur = v;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        cur = match cur {
            Value::Object(map) => {
                if last {
                    map.insert(part.to_string(), value);
                    return Ok(());
                }
                map.entry(part.to_string()).or_insert_with(|| json!({}))
            }
            Value::Array(items) => {
                let k: usize = part
                    .parse()
                    .map_err(|_| format!("\"{part}\" is not a list index"))?;
                let len = items.len();
                let slot = items
                    .get_mut(k)
                    .ok_or_else(|| format!("index {k} is past the end of a list of {len}"))?;
                if last {
                    *slot = value;
                    return Ok(());
                }
                slot
            }
            other => return Err(format!("cannot set \"{part}\" inside {}", describe(other))),
        };
    }
    Ok(())
}

impl SweepPlan {
    /// Parses and validates a sweep spec (the format of `liveness sweep`).
    ///
    /// ```
    /// use liveness::sweep::{SweepPlan, SweepResult};
    /// use liveness::time::{MILLIS, MINS};
    /// use serde_json::json;
    /// let plan = SweepPlan::from_json(&json!({
    ///     "name": "re-registration timer",
    ///     "base": { "agents": [{ "name": "a", "count": 2 }] },
    ///     "vary": { "master.agent_reregister_timeout": ["10mins", "20mins"] },
    ///     "workload": {
    ///         "horizon": "2hrs",
    ///         "faults": [{ "kind": "restart_agent", "at": "10mins", "recovery": "hang" }]
    ///     },
    ///     "trials": 2,
    ///     "seed": 1
    /// }))
    /// .unwrap();
    /// assert_eq!(plan.total_runs(), 4);
    /// // Both agents hang at 10:00; the timer marks them when it fires.
    /// assert_eq!(plan.run_trial(1, 0).detections, [20 * MINS + MILLIS; 2]);
    /// let mut result = SweepResult::new(&plan);
    /// for point in 0..plan.points.len() {
    ///     for trial in 0..plan.trials {
    ///         result.add(point, &plan.run_trial(point, trial));
    ///     }
    /// }
    /// let json = result.to_json(&plan);
    /// assert_eq!(json["points"][0]["metrics"]["detection_ms"]["p99"], json!(600001.0));
    /// ```
    pub fn from_json(v: &Value) -> Result<SweepPlan, InvalidInput> {
        let mut errs = Errors::default();
        let Some(mut o) = Obj::new(&mut errs, "", v) else {
            return Err(InvalidInput { problems: errs.0 });
        };
        let name = o
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("sweep")
            .to_string();
        let seed = o
            .get("seed")
            .and_then(|s| uint(&mut errs, "seed", s, 0, (1 << 53) - 1))
            .unwrap_or(0);
        let trials = match o.get("trials") {
            Some(t) => uint(&mut errs, "trials", t, 1, MAX_TRIALS).unwrap_or(1),
            None => {
                errs.at("trials", "required: trials per grid point, e.g. 100");
                1
            }
        };
        let workload = match o.get("workload") {
            Some(w) => workload::parse(&mut errs, "workload", w),
            None => {
                errs.at(
                    "workload",
                    "required: { \"horizon\": \"1day\", \"faults\": [...] }",
                );
                None
            }
        };
        let mut base = match o.get("base") {
            Some(b @ Value::Object(_)) => b.clone(),
            Some(other) => {
                errs.at(
                    "base",
                    format!("expected a scenario object, got {}", describe(other)),
                );
                json!({})
            }
            None => {
                errs.at(
                    "base",
                    "required: the scenario every point starts from (without faults)",
                );
                json!({})
            }
        };
        for key in ["faults", "expect"] {
            if base.get(key).is_some() {
                errs.at(
                    &format!("base.{key}"),
                    "not allowed in a sweep: the workload makes the faults",
                );
            }
        }
        if let Some(w) = &workload {
            base["duration"] = json!(format!("{}us", w.horizon));
        }
        let mut keys = Vec::new();
        let mut values: Vec<Vec<Value>> = Vec::new();
        if let Some(vary) = o.get("vary") {
            match vary {
                Value::Object(map) => {
                    for (key, list) in map {
                        let path = format!("vary[\"{key}\"]");
                        let Some(items) = list_of(&mut errs, &path, list) else {
                            continue;
                        };
                        if items.is_empty() {
                            errs.at(&path, "needs at least one value");
                            continue;
                        }
                        for (i, item) in items.iter().enumerate() {
                            let mut probe = base.clone();
                            match set_path(&mut probe, key, item.clone()) {
                                Err(e) => errs.at(&format!("{path}[{i}]"), e),
                                Ok(()) => {
                                    if let Err(e) = Scenario::from_json(&probe) {
                                        for p in e.problems {
                                            errs.at(&format!("{path}[{i}]"), p);
                                        }
                                    }
                                }
                            }
                        }
                        keys.push(key.clone());
                        values.push(items.clone());
                    }
                }
                other => errs.at(
                    "vary",
                    format!(
                        "expected an object of \"path\": [values], got {}",
                        describe(other)
                    ),
                ),
            }
        }
        o.finish(&mut errs);
        let count: usize = values.iter().map(Vec::len).product();
        if count > MAX_POINTS {
            errs.at(
                "vary",
                format!("{count} grid points is more than the limit of {MAX_POINTS}"),
            );
        } else if count as u64 * trials > MAX_RUNS {
            errs.at(
                "trials",
                format!(
                    "{count} points × {trials} trials is more than the limit of {MAX_RUNS} runs"
                ),
            );
        }
        if keys.is_empty() {
            if let Err(e) = Scenario::from_json(&base) {
                for p in e.problems {
                    errs.at("base", p);
                }
            }
        }
        if !errs.0.is_empty() {
            return Err(InvalidInput { problems: errs.0 });
        }
        let mut points = Vec::with_capacity(count);
        for n in 0..count {
            let mut json = base.clone();
            let mut params = Vec::new();
            let mut rest = n;
            let mut picks = vec![0; keys.len()];
            for k in (0..keys.len()).rev() {
                picks[k] = rest % values[k].len();
                rest /= values[k].len();
            }
            for (k, key) in keys.iter().enumerate() {
                let value = values[k][picks[k]].clone();
                // Validated per value above; paths into lists were checked then.
                let _ = set_path(&mut json, key, value.clone());
                params.push((key.clone(), value));
            }
            if let Err(e) = Scenario::from_json(&json) {
                let shown: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let mut problems =
                    vec![format!("vary: the point {} is invalid:", shown.join(", "))];
                problems.extend(e.problems);
                return Err(InvalidInput { problems });
            }
            points.push(Point { params, json });
        }
        let agent_names = Scenario::from_json(&points[0].json)
            .map(|s| s.agents.iter().map(|a| a.name.clone()).collect())
            .unwrap_or_default();
        Ok(SweepPlan {
            name,
            workload: workload.expect("validated"),
            trials,
            seed,
            points,
            keys,
            agent_names,
            source: v.clone(),
        })
    }

    /// Points × trials.
    pub fn total_runs(&self) -> u64 {
        self.points.len() as u64 * self.trials
    }

    /// The seed of trial `trial`'s faults (the same at every point).
    fn trial_seed(&self, trial: u64) -> u64 {
        let mut s = self.seed ^ trial.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        splitmix64(&mut s)
    }

    /// One trial's scenario JSON (the lab opens it in the animated view) and its episodes.
    pub fn trial(&self, point: usize, trial: u64) -> (Value, Vec<workload::Episode>) {
        let seed = self.trial_seed(trial);
        let (faults, episodes) = workload::draw(&self.workload, &self.agent_names, seed);
        let mut json = self.points[point].json.clone();
        let params: Vec<String> = self.points[point]
            .params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        json["name"] = json!(format!(
            "{} — trial {trial}{}{}",
            self.name,
            if params.is_empty() { "" } else { ", " },
            params.join(", ")
        ));
        json["seed"] = json!(seed >> 11);
        json["faults"] = Value::Array(faults);
        (json, episodes)
    }

    /// Runs trial `trial` of point `point` (fast-forwarded; verdicts only).
    pub fn run_trial(&self, point: usize, trial: u64) -> TrialOutcome {
        let (json, episodes) = self.trial(point, trial);
        let Ok(scenario) = Scenario::from_json(&json) else {
            return TrialOutcome::default(); // Unreachable: points and faults are validated.
        };
        let options = SimOptions {
            trace: TraceMode::Verdicts,
            fast_forward: true,
        };
        let Ok(mut sim) = Simulation::with_options(&scenario, options) else {
            return TrialOutcome::default();
        };
        sim.run_to_end();
        outcome::judge(
            sim.trace(),
            &episodes,
            scenario.agents.len(),
            self.workload.horizon,
        )
    }
}

/// Accumulates trial outcomes into per-point metrics, in any order.
#[derive(Clone, Debug)]
pub struct SweepResult {
    points: Vec<PointMetrics>,
}

impl SweepResult {
    /// Empty results for a plan.
    pub fn new(plan: &SweepPlan) -> SweepResult {
        SweepResult {
            points: vec![PointMetrics::default(); plan.points.len()],
        }
    }

    /// Adds one trial of one point.
    pub fn add(&mut self, point: usize, outcome: &TrialOutcome) {
        self.points[point].add(outcome);
    }

    /// `{ "name", "points": [ { "params", "trials", "metrics" } ] }`.
    pub fn to_json(&self, plan: &SweepPlan) -> Value {
        let points: Vec<Value> = plan
            .points
            .iter()
            .zip(&self.points)
            .map(|(p, m)| {
                let params: Map<String, Value> = p.params.iter().cloned().collect();
                json!({ "params": params, "trials": m.trials(), "metrics": m.to_json() })
            })
            .collect();
        json!({ "name": plan.name, "points": points })
    }

    /// One CSV row per point: parameters, then metrics.
    pub fn to_csv(&self, plan: &SweepPlan) -> String {
        const METRICS: [(&str, &str); 15] = [
            ("detection_n", "/detection_ms/n"),
            ("detection_p50_ms", "/detection_ms/p50"),
            ("detection_p95_ms", "/detection_ms/p95"),
            ("detection_p99_ms", "/detection_ms/p99"),
            ("detection_max_ms", "/detection_ms/max"),
            ("undetected", "/undetected"),
            ("truly_failed", "/truly_failed"),
            ("false_unreachable", "/false_unreachable"),
            ("transient_faults", "/transient_faults"),
            (
                "false_unreachable_per_1000_faults",
                "/false_unreachable_per_1000_faults",
            ),
            ("transient_restarts", "/transient_restarts"),
            (
                "false_unreachable_per_1000_restarts",
                "/false_unreachable_per_1000_restarts",
            ),
            ("tasks_lost_needlessly", "/tasks_lost_needlessly"),
            ("limbo_p50_ms", "/limbo_ms/p50"),
            ("limbo_p99_ms", "/limbo_ms/p99"),
        ];
        let cell = |v: &Value| match v {
            Value::String(s) => format!("\"{}\"", s.replace('"', "\"\"")),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let mut out = String::new();
        let header: Vec<String> = plan
            .keys
            .iter()
            .map(|k| cell(&json!(k)))
            .chain(std::iter::once("trials".to_string()))
            .chain(METRICS.iter().map(|(n, _)| n.to_string()))
            .collect();
        out.push_str(&header.join(","));
        out.push('\n');
        for (p, m) in plan.points.iter().zip(&self.points) {
            let metrics = m.to_json();
            let row: Vec<String> = p
                .params
                .iter()
                .map(|(_, v)| cell(v))
                .chain(std::iter::once(m.trials().to_string()))
                .chain(
                    METRICS
                        .iter()
                        .map(|(_, ptr)| cell(metrics.pointer(ptr).unwrap_or(&Value::Null))),
                )
                .collect();
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }
}

/// A sweep run step by step (for hosts without threads, such as a browser worker): trials run in
/// grid order, and partial results are available at any time.
#[derive(Clone, Debug)]
pub struct SweepRun {
    plan: SweepPlan,
    result: SweepResult,
    done: u64,
    /// Per point: a trial worth showing (first with a false unreachable, else with a detection).
    representative: Vec<Option<(u64, u8)>>,
}

impl SweepRun {
    /// A run of `plan`, nothing done yet.
    pub fn new(plan: SweepPlan) -> SweepRun {
        SweepRun {
            result: SweepResult::new(&plan),
            done: 0,
            representative: vec![None; plan.points.len()],
            plan,
        }
    }

    /// The plan.
    pub fn plan(&self) -> &SweepPlan {
        &self.plan
    }

    /// Trials run so far.
    pub fn done(&self) -> u64 {
        self.done
    }

    /// Trials in all.
    pub fn total(&self) -> u64 {
        self.plan.total_runs()
    }

    /// Runs up to `max` more trials; returns how many are done in all.
    ///
    /// ```
    /// use liveness::sweep::{SweepPlan, SweepRun};
    /// use serde_json::json;
    /// let plan = SweepPlan::from_json(&json!({
    ///     "base": { "agents": [{ "name": "a", "count": 2 }] },
    ///     "vary": { "master.agent_reregister_timeout": ["10mins", "20mins"] },
    ///     "workload": { "horizon": "1hrs", "faults": [{ "kind": "crash_agent", "at": "5mins" }] },
    ///     "trials": 3
    /// }))
    /// .unwrap();
    /// let mut run = SweepRun::new(plan);
    /// assert_eq!(run.step(4), 4); // a worker reports progress between steps
    /// assert_eq!(run.step(100), 6);
    /// assert_eq!(run.result().to_json(run.plan())["points"][1]["trials"], json!(3));
    /// ```
    pub fn step(&mut self, max: u64) -> u64 {
        let end = (self.done + max).min(self.total());
        while self.done < end {
            let point = (self.done / self.plan.trials) as usize;
            let trial = self.done % self.plan.trials;
            let o = self.plan.run_trial(point, trial);
            self.result.add(point, &o);
            // Rank: 2 = shows a false unreachable, 1 = shows a detection.
            let rank = if o.false_unreachable > 0 {
                2
            } else {
                u8::from(!o.detections.is_empty())
            };
            let best = &mut self.representative[point];
            if rank > best.map_or(0, |b| b.1) {
                *best = Some((trial, rank));
            }
            self.done += 1;
        }
        self.done
    }

    /// Results so far.
    pub fn result(&self) -> &SweepResult {
        &self.result
    }

    /// A trial of `point` worth opening in the animated view (trial 0 if nothing happened).
    pub fn representative_trial(&self, point: usize) -> u64 {
        self.representative
            .get(point)
            .copied()
            .flatten()
            .map_or(0, |b| b.0)
    }
}

/// Draws `n` samples of a workload length (`"30secs"`, `{"uniform": [...]}`,
/// `{"lognormal": {...}}`, `"hang"`) for a preview plot; `None` samples never end.
pub fn sample_length(
    v: &Value,
    n: usize,
    seed: u64,
) -> Result<Vec<Option<crate::time::Time>>, InvalidInput> {
    let mut errs = Errors::default();
    let Some(len) = workload::parse_length(&mut errs, "length", v) else {
        return Err(InvalidInput { problems: errs.0 });
    };
    let mut rng = crate::rng::Rng::new(seed, 0);
    Ok((0..n.min(1_000_000))
        .map(|_| len.sample(&mut rng))
        .collect())
}
