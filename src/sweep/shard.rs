//! Sweeps across machines: shard `K/N` runs trial `t` of every point exactly when
//! `t mod N = K - 1`, and writes every trial's outcome (not just aggregates) into its part, so
//! merging the parts gives exactly — quantiles included — what the unsharded run gives.

use serde_json::{json, Value};

use super::outcome::TrialOutcome;
use super::{SweepPlan, SweepResult};

/// The version of the part format (bumped when `TrialOutcome` changes shape).
pub const PART_FORMAT: u64 = 1;

/// Shard `index` of `count` (1-based, as in `--shard 2/4`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1 to `count`.
    pub index: u64,
    /// How many shards in all.
    pub count: u64,
}

impl Shard {
    /// Parses `"K/N"` (1 ≤ K ≤ N).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("\"{s}\" is not a shard: expected K/N with 1 ≤ K ≤ N, e.g. 1/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether this shard runs trial `trial` (of every point).
    pub fn owns(&self, trial: u64) -> bool {
        trial % self.count == self.index - 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl SweepPlan {
    /// The `(point, trial)` runs of a shard (all runs with `None`), in grid order: the order in
    /// which results are aggregated.
    pub fn runs(&self, shard: Option<Shard>) -> Vec<(usize, u64)> {
        (0..self.points.len())
            .flat_map(|p| (0..self.trials).map(move |t| (p, t)))
            .filter(|&(_, t)| shard.is_none_or(|s| s.owns(t)))
            .collect()
    }
}

/// The outcomes of one shard's trials.
#[derive(Clone, Debug)]
pub struct SweepPart {
    shard: Shard,
    outcomes: Vec<(usize, u64, TrialOutcome)>,
}

impl SweepPart {
    /// An empty part of shard `shard`.
    pub fn new(shard: Shard) -> SweepPart {
        SweepPart {
            shard,
            outcomes: Vec::new(),
        }
    }

    /// Records trial `trial` of point `point`.
    pub fn add(&mut self, point: usize, trial: u64, outcome: TrialOutcome) {
        self.outcomes.push((point, trial, outcome));
    }

    /// `{ sweep_part: { format, shard: "K/N" }, spec, outcomes: [{ point, trial, outcome }] }`:
    /// the spec (files inlined) and every outcome, for [`merge`].
    pub fn to_json(&self, plan: &SweepPlan) -> Value {
        let outcomes: Vec<Value> = self
            .outcomes
            .iter()
            .map(|(p, t, o)| json!({ "point": p, "trial": t, "outcome": o }))
            .collect();
        json!({
            "sweep_part": { "format": PART_FORMAT, "shard": self.shard.to_string() },
            "name": plan.name,
            "spec": plan.source,
            "outcomes": outcomes,
        })
    }
}

/// One part read back: its shard and outcomes.
type ReadPart<'v> = (Shard, &'v Value, Vec<(usize, u64, TrialOutcome)>);

fn read_part<'v>(label: &str, v: &'v Value) -> Result<ReadPart<'v>, String> {
    let head = v.get("sweep_part").ok_or_else(|| {
        format!(
            "{label}: not a sweep part (no \"sweep_part\"; write parts with --shard K/N --json)"
        )
    })?;
    if head.get("format").and_then(Value::as_u64) != Some(PART_FORMAT) {
        return Err(format!(
            "{label}: sweep_part.format: this build reads format {PART_FORMAT}, got {}",
            head.get("format")
                .map_or("none".to_string(), Value::to_string)
        ));
    }
    let shard = head
        .get("shard")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{label}: sweep_part.shard: expected \"K/N\""))
        .and_then(|s| Shard::parse(s).map_err(|e| format!("{label}: sweep_part.shard: {e}")))?;
    let spec = v
        .get("spec")
        .ok_or_else(|| format!("{label}: spec: required"))?;
    let list = v
        .get("outcomes")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{label}: outcomes: expected a list"))?;
    let mut outcomes = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let at = |field: &str| format!("{label}: outcomes[{i}].{field}");
        let point = item
            .get("point")
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("{}: expected a whole number", at("point")))?;
        let trial = item
            .get("trial")
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("{}: expected a whole number", at("trial")))?;
        let outcome: TrialOutcome = item
            .get("outcome")
            .cloned()
            .ok_or_else(|| format!("{}: required", at("outcome")))
            .and_then(|o| {
                serde_json::from_value(o).map_err(|e| format!("{}: {e}", at("outcome")))
            })?;
        outcomes.push((point as usize, trial, outcome));
    }
    Ok((shard, spec, outcomes))
}

/// Merges the parts of a sharded sweep (each given with a label for errors, e.g. its file
/// name) into the plan and the result the unsharded run gives. Every shard of the same spec
/// must be there exactly once, with exactly its trials.
pub fn merge(parts: &[(String, Value)]) -> Result<(SweepPlan, SweepResult), Vec<String>> {
    let mut read = Vec::new();
    let mut problems = Vec::new();
    for (label, v) in parts {
        match read_part(label, v) {
            Ok(r) => read.push((label, r)),
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some((first_label, (first_shard, spec, _))) = read.first() else {
        return Err(vec!["merge needs at least one part".to_string()]);
    };
    let count = first_shard.count;
    let mut seen: Vec<Option<&String>> = vec![None; count as usize];
    for (label, (shard, s, _)) in &read {
        if *s != *spec {
            problems.push(format!(
                "{label}: a different sweep spec from {first_label}'s"
            ));
        }
        if shard.count != count {
            problems.push(format!(
                "{label}: shard {shard} is not one of {count} like {first_label}'s ({first_shard})"
            ));
            continue;
        }
        if let Some(other) = seen[(shard.index - 1) as usize].replace(label) {
            problems.push(format!("{label}: shard {shard} is also in {other}"));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|&k| seen[(k - 1) as usize].is_none())
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() && problems.is_empty() {
        problems.push(format!(
            "missing shard{} {}",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let plan = SweepPlan::from_json(spec).map_err(|e| {
        let mut p = vec![format!("{first_label}: spec: not a valid sweep spec:")];
        p.extend(e.problems);
        p
    })?;
    let mut all: Vec<(usize, u64, &TrialOutcome)> = Vec::new();
    for (label, (shard, _, outcomes)) in &read {
        let expected = plan.runs(Some(*shard));
        let mut got: Vec<(usize, u64)> = outcomes.iter().map(|&(p, t, _)| (p, t)).collect();
        got.sort_unstable();
        if got != expected {
            problems.push(format!(
                "{label}: holds {} outcomes, not exactly the {} runs of shard {shard} ({} points × its trials)",
                got.len(),
                expected.len(),
                plan.points.len()
            ));
        }
        all.extend(outcomes.iter().map(|(p, t, o)| (*p, *t, o)));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    all.sort_by_key(|&(p, t, _)| (p, t));
    let mut result = SweepResult::new(&plan);
    for (p, _, o) in all {
        result.add(p, o);
    }
    Ok((plan, result))
}
