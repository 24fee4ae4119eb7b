//! A sweep's results: per-point metrics accumulated from trial outcomes, the whole result as
//! JSON (points, objective, recommendation, warnings) and CSV, and a run stepped a few trials at
//! a time for hosts without threads.

use serde_json::{json, Map, Value};

use super::metrics::{PointMetrics, Unit, METRICS};
use super::objective::{Candidate, Objective};
use super::outcome::TrialOutcome;
use super::SweepPlan;

/// Accumulates trial outcomes into per-point metrics. Every aggregate is exact (integers,
/// sorted multisets of times), so the order trials are added in does not matter.
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

    /// Each point's metrics JSON, in grid order.
    pub fn metrics_json(&self, plan: &SweepPlan) -> Vec<Value> {
        let exposure = plan.exposure();
        self.points.iter().map(|m| m.to_json(exposure)).collect()
    }

    /// `{ name, points: [{ params, trials, metrics }], objective, recommendation,
    /// no_recommendation, warnings }`: `recommendation` is `{ point, settings, why }` or null,
    /// and then `no_recommendation` says why (else it is null).
    pub fn to_json(&self, plan: &SweepPlan) -> Value {
        let metrics = self.metrics_json(plan);
        let points: Vec<Value> = plan
            .points
            .iter()
            .zip(&self.points)
            .zip(&metrics)
            .map(|((p, m), metrics)| {
                let params: Map<String, Value> = p.params.iter().cloned().collect();
                json!({ "params": params, "trials": m.trials(), "metrics": metrics })
            })
            .collect();
        let candidates: Vec<Candidate> = plan
            .points
            .iter()
            .zip(&self.points)
            .zip(&metrics)
            .map(|((p, m), metrics)| Candidate {
                params: &p.params,
                trials: m.trials(),
                metrics,
            })
            .collect();
        let (recommendation, no_recommendation) = plan.objective.recommend(&candidates);
        json!({
            "name": plan.name,
            "points": points,
            "objective": plan.objective.to_json(),
            "recommendation": recommendation,
            "no_recommendation": no_recommendation,
            "warnings": plan.warnings,
        })
    }

    /// One CSV row per point: parameters, `trials`, then every metric, its column named by its
    /// dotted path (`detection_by_kind.crash.p99`); an empty cell is a null.
    pub fn to_csv(&self, plan: &SweepPlan) -> String {
        let trials: Vec<u64> = self.points.iter().map(PointMetrics::trials).collect();
        csv(plan, &trials, &self.metrics_json(plan))
    }
}

/// The CSV of results read back from JSON (`{ points: [{ trials, metrics }] }`, e.g. a file
/// the page imported), exactly as [`SweepResult::to_csv`] writes them: the points must be the
/// plan's, in grid order.
pub fn csv_from_json(plan: &SweepPlan, result: &Value) -> Result<String, String> {
    let points = result
        .get("points")
        .and_then(Value::as_array)
        .ok_or("points: expected a list")?;
    if points.len() != plan.points.len() {
        return Err(format!(
            "points: {} points, but the spec's grid has {}",
            points.len(),
            plan.points.len()
        ));
    }
    let mut trials = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        trials.push(
            p.get("trials")
                .and_then(Value::as_u64)
                .ok_or_else(|| format!("points[{i}].trials: expected a whole number"))?,
        );
    }
    let metrics: Vec<Value> = points
        .iter()
        .map(|p| p.get("metrics").cloned().unwrap_or(Value::Null))
        .collect();
    Ok(csv(plan, &trials, &metrics))
}

/// The recommendation for results read back from JSON (`{ points: [{ params, trials, metrics }]
/// }`) under `objective`: `{ objective, recommendation, no_recommendation }` as in
/// [`SweepResult::to_json`]. The params are taken in the order the points give them.
pub fn recommend_json(objective: &Objective, result: &Value) -> Value {
    let points = result
        .get("points")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let params: Vec<Vec<(String, Value)>> = points
        .iter()
        .map(|p| {
            p.get("params")
                .and_then(Value::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        })
        .collect();
    let candidates: Vec<Candidate> = points
        .iter()
        .zip(&params)
        .map(|(p, params)| Candidate {
            params,
            trials: p.get("trials").and_then(Value::as_u64).unwrap_or(0),
            metrics: p.get("metrics").unwrap_or(&Value::Null),
        })
        .collect();
    let (recommendation, no_recommendation) = objective.recommend(&candidates);
    json!({
        "objective": objective.to_json(),
        "recommendation": recommendation,
        "no_recommendation": no_recommendation,
    })
}

/// The CSV of the points' trials and metrics (see [`SweepResult::to_csv`]).
fn csv(plan: &SweepPlan, trials: &[u64], metrics: &[Value]) -> String {
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
        .chain(METRICS.iter().map(|m| m.path.to_string()))
        .collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for ((p, trials), metrics) in plan.points.iter().zip(trials).zip(metrics) {
        let row: Vec<String> = p
            .params
            .iter()
            .map(|(_, v)| cell(v))
            .chain(std::iter::once(trials.to_string()))
            .chain(METRICS.iter().map(|m| {
                let pointer = format!("/{}", m.path.replace('.', "/"));
                match metrics.pointer(&pointer) {
                    // Times and rates are floats however the JSON came (JavaScript writes
                    // 300001.0 as 300001), so every host writes the same cell.
                    Some(Value::Number(n)) if m.unit != Unit::Count => {
                        cell(&json!(n.as_f64().unwrap_or(f64::NAN)))
                    }
                    v => cell(v.unwrap_or(&Value::Null)),
                }
            }))
            .collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
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
            let rank = if o.false_unreachable_total() > 0 {
                2
            } else {
                u8::from(!o.crash_detections.is_empty() || !o.hang_detections.is_empty())
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
