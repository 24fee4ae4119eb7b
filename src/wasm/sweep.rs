//! The `Sweep` class: a tuning sweep run step by step (a browser worker calls `step` between
//! progress messages), `sampleLength` for distribution previews, `sweepMetrics` (the metric
//! catalogue), and for results that came from a file or a link: `sweepCsv`, `sweepRecommend`
//! and `sweepMetricValues`. Conversion only; the work is `crate::sweep`. Also `benchWorkloads`,
//! which only benchmarks call, so the lab module every page loads does not carry it.

use std::collections::BTreeMap;

use js_sys::Float64Array;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::{index, json, problems_error, to_js};
use crate::sweep::{SweepPlan, SweepRun};
use crate::time;

/// Uploaded files by name (`{ "recoveries.txt": "95secs\n…" }`), for `{"empirical": {"file"}}`.
fn files(v: Option<JsValue>) -> Result<BTreeMap<String, String>, JsValue> {
    let Some(v) = v else {
        return Ok(BTreeMap::new());
    };
    match json::to_json(v, "files").map_err(|p| problems_error(&p))? {
        Value::Null => Ok(BTreeMap::new()),
        Value::Object(map) => map
            .into_iter()
            .map(|(name, text)| match text {
                Value::String(t) => Ok((name, t)),
                _ => Err(problems_error(&[format!(
                    "files[\"{name}\"]: expected the file's text as a string"
                )])),
            })
            .collect(),
        _ => Err(problems_error(&[
            "files: expected an object of file name → text".to_string(),
        ])),
    }
}

/// A Monte Carlo sweep of the timeouts (the CLI's `liveness sweep`), run a few trials at a time.
/// Results are identical to the CLI's for the same spec. Call `free()` when done.
#[wasm_bindgen]
pub struct Sweep {
    run: SweepRun,
}

#[wasm_bindgen]
impl Sweep {
    /// Validates a sweep spec; throws an `Error` whose lines name each problem's JSON path.
    /// `files` holds the text of the files the spec names (`{"empirical": {"file": name}}`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SweepSpec")] spec: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] files: Option<
            JsValue,
        >,
    ) -> Result<Sweep, JsValue> {
        let v = json::to_json(spec, "").map_err(|p| problems_error(&p))?;
        let files = self::files(files)?;
        let plan =
            SweepPlan::from_json_with_files(&v, &files).map_err(|e| problems_error(&e.problems))?;
        Ok(Sweep {
            run: SweepRun::new(plan),
        })
    }

    /// Trials in all (grid points × trials per point).
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> f64 {
        self.run.total() as f64
    }

    /// Trials run so far.
    #[wasm_bindgen(getter)]
    pub fn done(&self) -> f64 {
        self.run.done() as f64
    }

    /// Runs up to `maxTrials` more trials (in grid order); returns how many are done in all.
    pub fn step(
        &mut self,
        #[wasm_bindgen(js_name = maxTrials)] max_trials: f64,
    ) -> Result<f64, JsValue> {
        let n = index(max_trials, u32::MAX as u64, "maxTrials")?;
        Ok(self.run.step(n) as f64)
    }

    /// Results so far, as the CLI's `--json`: `{ name, points: [{ params, trials, metrics }],
    /// objective, recommendation, no_recommendation, warnings }`.
    #[wasm_bindgen(unchecked_return_type = "SweepResult")]
    pub fn result(&self) -> Result<JsValue, JsValue> {
        to_js(&self.run.result().to_json(self.run.plan()))
    }

    /// The results as CSV, one row per point (the CLI's `--out`).
    pub fn csv(&self) -> String {
        self.run.result().to_csv(self.run.plan())
    }

    /// The `vary` keys, in grid order (the last varies fastest).
    pub fn keys(&self) -> Vec<String> {
        self.run.plan().keys.clone()
    }

    /// A trial worth opening in the animated view for `point`: the first with a false
    /// unreachable, else with a detection, else trial 0.
    #[wasm_bindgen(js_name = representativeTrial)]
    pub fn representative_trial(&self, point: f64) -> Result<f64, JsValue> {
        let p = index(point, self.run.plan().points.len() as u64, "point")?;
        Ok(self.run.representative_trial(p as usize) as f64)
    }

    /// The scenario of trial `trial` at grid point `point` (with its drawn faults), ready for
    /// `new Simulation(...)`.
    #[wasm_bindgen(js_name = trialScenario, unchecked_return_type = "Scenario")]
    pub fn trial_scenario(&self, point: f64, trial: f64) -> Result<JsValue, JsValue> {
        let plan = self.run.plan();
        let p = index(point, plan.points.len() as u64, "point")?;
        let t = index(trial, plan.trials, "trial")?;
        to_js(&plan.trial(p as usize, t).0)
    }
}

/// Draws `n` samples (at most 1,000,000) of a workload length — a duration, `"hang"`,
/// `{ fixed }`, `{ uniform: [a, b] }`, `{ lognormal: { median, p99 } }` or `{ empirical }`, with
/// optional `min`/`max` — in milliseconds (`Infinity` for a hang), for a preview plot. `files`
/// holds the text of a file an empirical length names.
#[wasm_bindgen(js_name = sampleLength)]
pub fn sample_length(
    #[wasm_bindgen(unchecked_param_type = "SweepLength")] length: JsValue,
    n: f64,
    seed: f64,
    #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] files: Option<
        JsValue,
    >,
) -> Result<Float64Array, JsValue> {
    let n = index(n, 1_000_001, "n")?;
    let seed = index(seed, 1 << 53, "seed")?;
    let v = json::to_json(length, "length").map_err(|p| problems_error(&p))?;
    let files = self::files(files)?;
    let samples = crate::sweep::sample_length(&v, n as usize, seed, &files)
        .map_err(|e| problems_error(&e.problems))?;
    let ms: Vec<f64> = samples
        .iter()
        .map(|s| s.map_or(f64::INFINITY, time::to_millis_f64))
        .collect();
    Ok(Float64Array::from(&ms[..]))
}

/// Every sweep metric: `[{ path, label, unit, description }]`, in the order of the CSV columns
/// (`path` is the dotted path into a point's `metrics`).
#[wasm_bindgen(js_name = sweepMetrics, unchecked_return_type = "SweepMetricInfo[]")]
pub fn sweep_metrics() -> Result<JsValue, JsValue> {
    to_js(&crate::sweep::metrics::catalogue_json())
}

/// The CSV of sweep results (the CLI's `--out`, byte for byte), for results that came from a
/// file or a link rather than a `Sweep` run: `results.points` must be the spec's grid, in order.
#[wasm_bindgen(js_name = sweepCsv)]
pub fn sweep_csv(
    #[wasm_bindgen(unchecked_param_type = "SweepSpec")] spec: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SweepResult")] results: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] files: Option<
        JsValue,
    >,
) -> Result<String, JsValue> {
    let v = json::to_json(spec, "").map_err(|p| problems_error(&p))?;
    let files = self::files(files)?;
    let plan =
        SweepPlan::from_json_with_files(&v, &files).map_err(|e| problems_error(&e.problems))?;
    let r = json::to_json(results, "results").map_err(|p| problems_error(&p))?;
    crate::sweep::result::csv_from_json(&plan, &r)
        .map_err(|e| problems_error(&[format!("results.{e}")]))
}

/// The recommendation for sweep results under an objective (a spec's `objective`; `undefined`
/// for the default): `{ objective, recommendation, no_recommendation }`, as a `Sweep`'s
/// `result()` gives them — what the page shows after the objective is edited or results are
/// imported. Throws with the objective's JSON paths when it is invalid.
#[wasm_bindgen(
    js_name = sweepRecommend,
    unchecked_return_type = "Pick<SweepResult, \"objective\" | \"recommendation\" | \"no_recommendation\">"
)]
pub fn sweep_recommend(
    #[wasm_bindgen(unchecked_param_type = "Partial<SweepObjective> | undefined")]
    objective: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Pick<SweepResult, \"points\">")] results: JsValue,
) -> Result<JsValue, JsValue> {
    let o = if objective.is_undefined() || objective.is_null() {
        None
    } else {
        Some(json::to_json(objective, "objective").map_err(|p| problems_error(&p))?)
    };
    let objective =
        crate::sweep::Objective::from_json(o.as_ref()).map_err(|e| problems_error(&e.problems))?;
    let r = json::to_json(results, "results").map_err(|p| problems_error(&p))?;
    to_js(&crate::sweep::result::recommend_json(&objective, &r))
}

/// One metric of every point (`path` as in `sweepMetrics()`) as numbers for plots: the value,
/// `Infinity` for "never" (a detection quantile falling on an agent never marked by the
/// horizon), `NaN` when nothing of the kind happened. Ranks as the recommendation does.
#[wasm_bindgen(js_name = sweepMetricValues)]
pub fn sweep_metric_values(
    #[wasm_bindgen(unchecked_param_type = "Pick<SweepResult, \"points\">")] results: JsValue,
    path: &str,
) -> Result<Float64Array, JsValue> {
    if crate::sweep::metrics::metric(path).is_none() {
        return Err(problems_error(&[format!(
            "path: unknown metric \"{path}\""
        )]));
    }
    let r = json::to_json(results, "results").map_err(|p| problems_error(&p))?;
    let values: Vec<f64> = r
        .get("points")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|p| crate::sweep::objective::metric_number(&p["metrics"], path))
        .collect();
    Ok(Float64Array::from(&values[..]))
}

/// A benchmark workload (`BenchWorkload`).
#[derive(Serialize)]
struct BenchWorkload<'a> {
    name: &'a str,
    scenario: &'a Value,
}

/// The benchmark workloads of `liveness bench`, so the wasm benchmark measures the same runs.
#[wasm_bindgen(js_name = benchWorkloads, unchecked_return_type = "BenchWorkload[]")]
pub fn bench_workloads() -> Result<JsValue, JsValue> {
    let workloads = crate::bench::workloads();
    let list: Vec<BenchWorkload> = workloads
        .iter()
        .map(|w| BenchWorkload {
            name: w.name,
            scenario: &w.scenario.source,
        })
        .collect();
    to_js(&list)
}
