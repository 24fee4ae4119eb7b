//! Monte Carlo sweeps of the timeouts (the tuning lab): a grid of settings × trials of a random
//! fault workload, each trial a full simulation (fast-forwarded), judged against what truly
//! happened to each agent.
//!
//! Every trial index draws the same faults at every grid point (common random numbers), so
//! points differ only by their settings. Trials are independent and judged exactly, so results
//! do not depend on how many threads — or machines ([`shard`]) — run them.

pub mod draw;
pub mod length;
pub mod metrics;
pub mod objective;
pub mod outcome;
pub mod result;
pub mod shard;
pub mod workload;

use serde_json::{json, Value};

use crate::rng::splitmix64;
use crate::scenario::read::{describe, list_of, uint, Errors, Obj};
use crate::scenario::LIMITS;
use crate::scenario::{InvalidInput, Scenario};
use crate::sim::{SimOptions, Simulation, TraceMode};
use crate::time::Time;
use length::LengthCtx;
pub use length::{NoFiles, SpecFiles};
pub use objective::Objective;
use outcome::{TrialFacts, TrialOutcome};
pub use result::{SweepResult, SweepRun};
pub use shard::{merge, Shard, SweepPart};
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
    /// What the recommendation optimises.
    pub objective: Objective,
    /// Values Mesos would refuse, in `liveness run`'s words (each once, in grid order).
    pub warnings: Vec<String>,
    /// The spec as given, with every `{"empirical": {"file"}}` replaced by the file's durations
    /// (so it stands alone: shards carry it to the merge).
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
    /// Parses and validates a sweep spec (the format of `liveness sweep`) that names no files.
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
    /// assert_eq!(plan.run_trial(1, 0).hang_detections, [20 * MINS + MILLIS; 2]);
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
        SweepPlan::from_json_with_files(v, &NoFiles)
    }

    /// Parses and validates a sweep spec; `files` supplies the text of the files it names (the
    /// CLI reads them relative to the spec file, the page passes uploads).
    pub fn from_json_with_files(
        v: &Value,
        files: &dyn SpecFiles,
    ) -> Result<SweepPlan, InvalidInput> {
        let mut errs = Errors::default();
        let mut lengths = LengthCtx {
            files,
            inlined: Vec::new(),
        };
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
            Some(w) => workload::parse(&mut errs, &mut lengths, "workload", w),
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
        let objective = match o.get("objective") {
            Some(ob) => objective::parse(&mut errs, "objective", ob).unwrap_or_default(),
            None => Objective::default(),
        };
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
        let mut warnings: Vec<String> = Vec::new();
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
            match Scenario::from_json(&json) {
                Err(e) => {
                    let shown: Vec<String> =
                        params.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    let mut problems =
                        vec![format!("vary: the point {} is invalid:", shown.join(", "))];
                    problems.extend(e.problems);
                    return Err(InvalidInput { problems });
                }
                Ok(scenario) => {
                    for w in scenario.warnings.iter().map(ToString::to_string) {
                        if !warnings.contains(&w) {
                            warnings.push(w);
                        }
                    }
                }
            }
            points.push(Point { params, json });
        }
        let agent_names: Vec<String> = Scenario::from_json(&points[0].json)
            .map(|s| s.agents.iter().map(|a| a.name.clone()).collect())
            .unwrap_or_default();
        let workload = workload.expect("validated");
        if let Some(racks) = workload.racks {
            if racks > agent_names.len() as u64 {
                return Err(InvalidInput::one(format!(
                    "workload.racks: {racks} racks for {} agents; a rack needs at least one agent",
                    agent_names.len()
                )));
            }
        }
        // A trial is a scenario, whose fault list is bounded: keep the average far below it.
        let expected = workload.expected_faults(agent_names.len() as u64);
        if expected > (LIMITS.max_faults / 4) as f64 {
            return Err(InvalidInput::one(format!(
                "workload.faults: about {expected:.0} faults per trial ({} agents), more than {} (a quarter of a scenario's limit of {}); lower the rates or the horizon",
                agent_names.len(),
                LIMITS.max_faults / 4,
                LIMITS.max_faults
            )));
        }
        let mut source = v.clone();
        for (pointer, values) in lengths.inlined {
            if let Some(slot) = source.pointer_mut(&pointer) {
                *slot = values;
            }
        }
        Ok(SweepPlan {
            name,
            workload,
            trials,
            seed,
            points,
            keys,
            agent_names,
            objective,
            warnings,
            source,
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
    pub fn trial(&self, point: usize, trial: u64) -> (Value, Vec<draw::Episode>) {
        let seed = self.trial_seed(trial);
        let (faults, episodes) = draw::draw(&self.workload, &self.agent_names, seed);
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
        let facts = TrialFacts {
            agents: scenario.agents.len(),
            horizon: self.workload.horizon,
            ping_period: scenario.master.agent_ping_timeout,
        };
        let mut outcome = outcome::judge(sim.trace(), &episodes, &facts);
        // Another detector's control plane counts its own messages (no pings to infer).
        if let Some(n) = sim.plane_messages() {
            outcome.master_messages = n;
        }
        outcome
    }

    /// Agents and horizon of every trial (what per-agent-day figures divide by).
    pub fn exposure(&self) -> metrics::Exposure {
        metrics::Exposure {
            agents: self.agent_names.len() as u64,
            horizon: self.workload.horizon,
        }
    }
}

/// Draws `n` samples of a workload length (`"30secs"`, `"hang"`, `{"uniform": [...]}`,
/// `{"lognormal": {...}}`, `{"empirical": [...]}` or `{"empirical": {"file"}}` from `files`, with
/// optional `min`/`max`) for a preview plot; `None` samples never end.
pub fn sample_length(
    v: &Value,
    n: usize,
    seed: u64,
    files: &dyn SpecFiles,
) -> Result<Vec<Option<Time>>, InvalidInput> {
    let mut errs = Errors::default();
    let Some(len) = workload::parse_length(&mut errs, files, "length", v) else {
        return Err(InvalidInput { problems: errs.0 });
    };
    if !errs.0.is_empty() {
        return Err(InvalidInput { problems: errs.0 });
    }
    let mut rng = crate::rng::Rng::new(seed, 0);
    Ok((0..n.min(1_000_000))
        .map(|_| len.sample(&mut rng))
        .collect())
}
