//! The sweep's objective — minimize one metric subject to upper bounds on others — and the
//! recommendation it makes from a result: the best point, or why there is none.
//!
//! Ranking: a metric value is a number, "no samples" (nothing of the kind happened, e.g. no
//! crash in any trial) or "never" (a detection quantile that falls on an agent never marked).
//! A bound is met by a number at or below it and by "no samples", never by "never". Among the
//! points meeting every bound (and having run at least one trial) the recommendation is the one
//! with the lowest objective — numbers first, then "no samples", then "never" — ties going to
//! the lower value of each bound's metric in turn, then to the earlier point in grid order.

use serde_json::{json, Map, Value};

use super::metrics::{metric, MetricInfo, Unit, METRICS};
use crate::scenario::read::{describe, list_of, string, Errors, Obj};
use crate::time;

/// The default objective's metric.
pub const DEFAULT_MINIMIZE: &str = "detection_by_kind.crash.p99";
/// The default constraint's metric and bound.
pub const DEFAULT_CONSTRAINT: (&str, f64) = ("false_unreachable_per_agent_day", 0.001);

/// An upper bound on a metric.
#[derive(Clone, Copy, Debug)]
pub struct Constraint {
    /// The metric.
    pub metric: &'static MetricInfo,
    /// Its largest acceptable value.
    pub at_most: f64,
}

/// Minimize one metric subject to upper bounds on others.
#[derive(Clone, Debug)]
pub struct Objective {
    /// The metric to minimize.
    pub minimize: &'static MetricInfo,
    /// The bounds every recommended point must meet.
    pub subject_to: Vec<Constraint>,
}

impl Default for Objective {
    fn default() -> Objective {
        Objective {
            minimize: metric(DEFAULT_MINIMIZE).expect("a known metric"),
            subject_to: vec![Constraint {
                metric: metric(DEFAULT_CONSTRAINT.0).expect("a known metric"),
                at_most: DEFAULT_CONSTRAINT.1,
            }],
        }
    }
}

/// One metric's value at a point, for ranking.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Reading {
    Number(f64),
    NoSamples,
    Never,
}

impl Reading {
    fn of(metrics: &Value, path: &str) -> Reading {
        let pointer = format!("/{}", path.replace('.', "/"));
        match metrics.pointer(&pointer) {
            Some(Value::Number(n)) => Reading::Number(n.as_f64().unwrap_or(f64::INFINITY)),
            _ => {
                // A null quantile: "never" when some agents of the kind were never marked.
                let parent = &pointer[..pointer.rfind('/').unwrap_or(0)];
                let undetected = if path.starts_with("detection_by_kind.") {
                    metrics.pointer(&format!("{parent}/undetected"))
                } else if path.starts_with("detection_ms.") {
                    metrics.get("undetected")
                } else {
                    None
                };
                if undetected.and_then(Value::as_u64).unwrap_or(0) > 0 {
                    Reading::Never
                } else {
                    Reading::NoSamples
                }
            }
        }
    }

    fn rank(self) -> (u8, f64) {
        match self {
            Reading::Number(x) => (0, x),
            Reading::NoSamples => (1, 0.0),
            Reading::Never => (2, 0.0),
        }
    }

    fn meets(self, at_most: f64) -> bool {
        match self {
            Reading::Number(x) => x <= at_most,
            Reading::NoSamples => true,
            Reading::Never => false,
        }
    }

    fn show(self, unit: Unit) -> String {
        match self {
            Reading::Number(x) => show_number(x, unit),
            Reading::NoSamples => "no samples".to_string(),
            Reading::Never => "never (some agents were not marked by the horizon)".to_string(),
        }
    }
}

/// A value as people read it: durations in Mesos syntax, counts whole, rates to 3 significant
/// digits (integer arithmetic on the digits, so every target prints the same).
pub fn show_number(x: f64, unit: Unit) -> String {
    match unit {
        Unit::Ms => time::format_duration((x * 1000.0).round().max(0.0) as u64),
        Unit::Count => format!("{x:.0}"),
        Unit::Rate => {
            let decimals = [100.0, 10.0, 1.0, 0.1, 0.01, 0.001, 0.0001]
                .iter()
                .position(|&limit| x.abs() >= limit)
                .unwrap_or(7);
            let s = format!("{x:.decimals$}");
            if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                s
            }
        }
    }
}

/// A point's metric as a table shows it: the value with its unit (see [`show_number`]),
/// `never` for a detection quantile that falls on an agent never marked, `-` when nothing of the
/// kind happened.
pub fn show_metric(metrics: &Value, info: &MetricInfo) -> String {
    match Reading::of(metrics, info.path) {
        Reading::Number(x) => show_number(x, info.unit),
        Reading::NoSamples => "-".to_string(),
        Reading::Never => "never".to_string(),
    }
}

/// A point's metric as a number for plots: its value, `f64::INFINITY` for "never" (a detection
/// quantile that falls on an agent never marked), NaN when nothing of the kind happened.
pub fn metric_number(metrics: &Value, path: &str) -> f64 {
    match Reading::of(metrics, path) {
        Reading::Number(x) => x,
        Reading::NoSamples => f64::NAN,
        Reading::Never => f64::INFINITY,
    }
}

/// One grid point as the recommendation sees it.
pub struct Candidate<'a> {
    /// Its parameters (dotted path, value as written in `vary`), in `vary` order.
    pub params: &'a [(String, Value)],
    /// Trials run.
    pub trials: u64,
    /// Its metrics JSON.
    pub metrics: &'a Value,
}

fn settings_text(params: &[(String, Value)]) -> String {
    if params.is_empty() {
        return "The base scenario".to_string();
    }
    params
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.as_str().map_or_else(|| v.to_string(), str::to_string)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Objective {
    /// The objective as JSON (as the spec writes it, defaults filled in).
    pub fn to_json(&self) -> Value {
        json!({
            "minimize": self.minimize.path,
            "subject_to": self.subject_to.iter().map(|c| json!({ "metric": c.metric.path, "at_most": c.at_most })).collect::<Vec<_>>(),
        })
    }

    /// Parses an objective as a sweep spec writes it (`None`: the default).
    pub fn from_json(v: Option<&Value>) -> Result<Objective, crate::scenario::InvalidInput> {
        let Some(v) = v else {
            return Ok(Objective::default());
        };
        let mut errs = Errors::default();
        let objective = parse(&mut errs, "objective", v);
        match objective {
            Some(o) if errs.0.is_empty() => Ok(o),
            _ => Err(crate::scenario::InvalidInput { problems: errs.0 }),
        }
    }

    /// The objective in words: `minimize crash detection p99 subject to false unreachable /
    /// agent-day at most 0.001`.
    pub fn describe(&self) -> String {
        let mut s = format!("minimize {}", self.minimize.label);
        if !self.subject_to.is_empty() {
            s.push_str(" subject to ");
            s.push_str(&self.bounds_text());
        }
        s
    }

    /// The bounds in words, joined by "and".
    fn bounds_text(&self) -> String {
        self.subject_to
            .iter()
            .map(|c| {
                format!(
                    "{} at most {}",
                    c.metric.label,
                    show_number(c.at_most, c.metric.unit)
                )
            })
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// `{ "recommendation": {point, settings, why} | null, "no_recommendation"?: reason }` fields
    /// for a result.
    pub fn recommend(&self, points: &[Candidate]) -> (Value, Option<String>) {
        let ran: Vec<usize> = (0..points.len())
            .filter(|&i| points[i].trials > 0)
            .collect();
        if ran.is_empty() {
            return (Value::Null, Some("No trials have run yet.".to_string()));
        }
        let read = |i: usize, m: &MetricInfo| Reading::of(points[i].metrics, m.path);
        let key = |i: usize| {
            let mut k = vec![read(i, self.minimize).rank()];
            k.extend(self.subject_to.iter().map(|c| read(i, c.metric).rank()));
            k
        };
        let cmp = |a: &usize, b: &usize| {
            key(*a)
                .iter()
                .zip(key(*b).iter())
                .map(|(x, y)| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(b))
        };
        let meets = |i: usize, c: &Constraint| read(i, c.metric).meets(c.at_most);
        let feasible: Vec<usize> = ran
            .iter()
            .copied()
            .filter(|&i| self.subject_to.iter().all(|c| meets(i, c)))
            .collect();
        // The bounds in words, each with the value point `i` has.
        let bounds_at = |i: usize| {
            self.subject_to
                .iter()
                .map(|c| {
                    format!(
                        "{} at most {} (it has {})",
                        c.metric.label,
                        show_number(c.at_most, c.metric.unit),
                        read(i, c.metric).show(c.metric.unit)
                    )
                })
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let Some(&best) = feasible.iter().min_by(|a, b| cmp(a, b)) else {
            // The closest: fewest bounds missed, then the lowest value of each bound in turn.
            let closest = ran
                .iter()
                .copied()
                .min_by_key(|&i| self.subject_to.iter().filter(|c| !meets(i, c)).count())
                .map(|fewest| {
                    let missed = self.subject_to.iter().filter(|c| !meets(fewest, c)).count();
                    ran.iter()
                        .copied()
                        .filter(|&i| {
                            self.subject_to.iter().filter(|c| !meets(i, c)).count() == missed
                        })
                        .min_by(|a, b| {
                            self.subject_to
                                .iter()
                                .map(|c| {
                                    let (x, y) =
                                        (read(*a, c.metric).rank(), read(*b, c.metric).rank());
                                    x.0.cmp(&y.0).then(x.1.total_cmp(&y.1))
                                })
                                .find(|o| o.is_ne())
                                .unwrap_or(std::cmp::Ordering::Equal)
                                .then(a.cmp(b))
                        })
                        .unwrap_or(fewest)
                })
                .unwrap_or(ran[0]);
            let missed: Vec<String> = self
                .subject_to
                .iter()
                .filter(|c| !meets(closest, c))
                .map(|c| {
                    format!(
                        "{} {}",
                        c.metric.label,
                        read(closest, c.metric).show(c.metric.unit)
                    )
                })
                .collect();
            let reason = format!(
                "No point of the {} run has {}; the closest is {} with {}.",
                ran.len(),
                self.bounds_text(),
                settings_text(points[closest].params),
                missed.join(" and ")
            );
            return (Value::Null, Some(reason));
        };
        let objective = read(best, self.minimize);
        let whose = if self.subject_to.is_empty() {
            format!("of the {} points run", ran.len())
        } else {
            format!(
                "of the {} of {} points run with {}",
                feasible.len(),
                ran.len(),
                bounds_at(best)
            )
        };
        let why = match objective {
            Reading::Number(_) => format!(
                "{} has the lowest {} ({}) {whose}.",
                settings_text(points[best].params),
                self.minimize.label,
                objective.show(self.minimize.unit)
            ),
            Reading::NoSamples => format!(
                "{} is chosen {}: no point has a {} to compare (no samples), so the bounds' metrics, then grid order, decide.",
                settings_text(points[best].params),
                whose.replacen("of the", "among the", 1),
                self.minimize.label,
            ),
            Reading::Never => format!(
                "{} is chosen {}, although at none of them were enough failed agents marked by the horizon to give a {}; the bounds' metrics, then grid order, decide.",
                settings_text(points[best].params),
                whose.replacen("of the", "among the", 1),
                self.minimize.label,
            ),
        };
        let settings: Map<String, Value> = points[best].params.iter().cloned().collect();
        (
            json!({ "point": best, "settings": settings, "why": why }),
            None,
        )
    }
}

fn metric_path(errs: &mut Errors, path: &str, v: &Value) -> Option<&'static MetricInfo> {
    let name = string(errs, path, v)?;
    let found = metric(name);
    if found.is_none() {
        let choices: Vec<&str> = METRICS.iter().map(|m| m.path).collect();
        errs.at(
            path,
            format!(
                "unknown metric \"{name}\"; expected one of {}",
                choices.join(", ")
            ),
        );
    }
    found
}

/// Parses `objective` (absent parts take the defaults; `"subject_to": []` means no bound).
pub(crate) fn parse(errs: &mut Errors, path: &str, v: &Value) -> Option<Objective> {
    let mut o = Obj::new(errs, path, v)?;
    let mut objective = Objective::default();
    if let Some(m) = o.get("minimize") {
        if let Some(m) = metric_path(errs, &o.path("minimize"), m) {
            objective.minimize = m;
        }
    }
    if let Some(list) = o.get("subject_to") {
        let lpath = o.path("subject_to");
        objective.subject_to.clear();
        for (i, item) in list_of(errs, &lpath, list)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let p = format!("{lpath}[{i}]");
            let Some(mut c) = Obj::new(errs, &p, item) else {
                continue;
            };
            let metric = match c.get("metric") {
                Some(m) => metric_path(errs, &c.path("metric"), m),
                None => {
                    errs.at(
                        &c.path("metric"),
                        "required: the metric to bound, e.g. \"false_unreachable_per_agent_day\"",
                    );
                    None
                }
            };
            let at_most = match c.get("at_most") {
                Some(Value::Number(n)) => match n.as_f64() {
                    Some(x) if x >= 0.0 => Some(x),
                    _ => {
                        errs.at(
                            &c.path("at_most"),
                            format!("must be a number of at least 0, got {n}"),
                        );
                        None
                    }
                },
                Some(other) => {
                    errs.at(
                        &c.path("at_most"),
                        format!("expected a number, got {}", describe(other)),
                    );
                    None
                }
                None => {
                    errs.at(
                        &c.path("at_most"),
                        "required: the metric's largest acceptable value",
                    );
                    None
                }
            };
            c.finish(errs);
            if let (Some(metric), Some(at_most)) = (metric, at_most) {
                objective.subject_to.push(Constraint { metric, at_most });
            }
        }
    }
    o.finish(errs);
    Some(objective)
}
