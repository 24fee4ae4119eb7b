//! Lengths of workload faults (recoveries, partitions, master downtimes): fixed, uniform,
//! log-normal or empirical (resampled from measured values, inline or from a file the host
//! supplies), each optionally clamped by `min` / `max`. Sampling uses our PRNG and `libm`, so a
//! trial draws the same lengths on every target. This module reads no files itself: the host
//! hands their text over through [`SpecFiles`].

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use crate::rng::Rng;
use crate::scenario::read::{describe, duration, parse_fixed, Errors, Obj, Zero};
use crate::time::{self, Time, DAYS};

/// Values an empirical distribution may hold (inline or from a file).
pub const MAX_EMPIRICAL: usize = 1_000_000;

/// Supplies the text of the files a sweep spec names (`{"empirical": {"file": "…"}}`). The CLI
/// reads them relative to the spec file; the page passes uploaded files by name.
pub trait SpecFiles {
    /// The whole text of `name`, or why it cannot be had.
    fn read(&self, name: &str) -> Result<String, String>;
}

/// No files at all (the spec must give its durations inline).
pub struct NoFiles;

impl SpecFiles for NoFiles {
    fn read(&self, _name: &str) -> Result<String, String> {
        Err("no files are available here; give the durations inline as a list".to_string())
    }
}

impl<F: Fn(&str) -> Result<String, String>> SpecFiles for F {
    fn read(&self, name: &str) -> Result<String, String> {
        self(name)
    }
}

/// Uploaded files by name.
impl SpecFiles for BTreeMap<String, String> {
    fn read(&self, name: &str) -> Result<String, String> {
        self.get(name)
            .cloned()
            .ok_or_else(|| "no file of that name was given".to_string())
    }
}

/// The shape of a length distribution.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// Always this long.
    Fixed(Time),
    /// Uniform between two bounds (inclusive).
    Uniform(Time, Time),
    /// Log-normal with this median, 99th percentile at `p99`.
    LogNormal {
        /// The median.
        median: Time,
        /// The 99th percentile.
        p99: Time,
    },
    /// One of these measured values, each equally likely (resampling with replacement).
    Empirical(Arc<[Time]>),
    /// Never ends (a recovery that hangs).
    Hang,
}

/// A length: a shape, clamped to `[min, max]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Length {
    /// The distribution.
    pub shape: Shape,
    /// Draws below this are raised to it.
    pub min: Option<Time>,
    /// Draws above this are lowered to it.
    pub max: Option<Time>,
}

/// z such that P(Z ≤ z) = 0.99 for a standard normal Z.
const Z99: f64 = 2.326_347_874_040_840_8;

impl Length {
    /// A length of exactly `t`.
    pub fn fixed(t: Time) -> Length {
        Length {
            shape: Shape::Fixed(t),
            min: None,
            max: None,
        }
    }

    /// Whether it never ends.
    pub fn is_hang(&self) -> bool {
        self.shape == Shape::Hang
    }

    /// Draws one length; `None` means it never ends.
    pub fn sample(&self, rng: &mut Rng) -> Option<Time> {
        let drawn = match &self.shape {
            Shape::Fixed(t) => *t,
            Shape::Uniform(a, b) => a + rng.uniform(b - a),
            Shape::LogNormal { median, p99 } => {
                let mu = libm::log(*median as f64);
                let sigma = libm::log(*p99 as f64 / *median as f64) / Z99;
                // Box–Muller with libm, identical on every target.
                let u1 = 1.0 - rng.unit_f64();
                let u2 = rng.unit_f64();
                let z =
                    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2);
                let x = libm::exp(mu + sigma * z);
                if x.is_finite() {
                    (x as Time).min(365 * DAYS)
                } else {
                    365 * DAYS
                }
            }
            Shape::Empirical(values) => values[rng.uniform(values.len() as Time - 1) as usize],
            Shape::Hang => return None,
        };
        let low = self.min.map_or(drawn, |m| drawn.max(m));
        Some(self.max.map_or(low, |m| low.min(m)))
    }

    /// A short description, e.g. `lognormal median 30secs p99 20mins, at most 8mins`.
    pub fn describe(&self) -> String {
        let f = time::format_duration;
        let mut s = match &self.shape {
            Shape::Fixed(t) => f(*t),
            Shape::Uniform(a, b) => format!("uniform {}..{}", f(*a), f(*b)),
            Shape::LogNormal { median, p99 } => {
                format!("lognormal median {} p99 {}", f(*median), f(*p99))
            }
            Shape::Empirical(values) => format!("empirical ({} values)", values.len()),
            Shape::Hang => "hang".to_string(),
        };
        if let Some(m) = self.min {
            s.push_str(&format!(", at least {}", f(m)));
        }
        if let Some(m) = self.max {
            s.push_str(&format!(", at most {}", f(m)));
        }
        s
    }
}

/// Where a length is being parsed: the files at hand, and the file-based distributions read so
/// far (JSON pointer → the values, for a spec that no longer needs the files).
pub(crate) struct LengthCtx<'f> {
    pub(crate) files: &'f dyn SpecFiles,
    pub(crate) inlined: Vec<(String, Value)>,
}

/// The JSON pointer of a dotted path such as `workload.faults[1].recovery`.
fn pointer(path: &str) -> String {
    let mut p = String::from("/");
    p.push_str(&path.replace('[', ".").replace(']', "").replace('.', "/"));
    p
}

const SHAPES: &str = "fixed, uniform, lognormal or empirical";

/// Parses a length. `hang_ok`: whether `"hang"` is allowed (recoveries of `restart_agent` only).
pub(crate) fn parse(
    errs: &mut Errors,
    ctx: &mut LengthCtx,
    path: &str,
    v: &Value,
    hang_ok: bool,
) -> Option<Length> {
    match v {
        Value::String(s) if s == "hang" => {
            if hang_ok {
                Some(Length {
                    shape: Shape::Hang,
                    min: None,
                    max: None,
                })
            } else {
                errs.at(
                    path,
                    "\"hang\" only makes sense for the recovery of restart_agent",
                );
                None
            }
        }
        Value::String(_) | Value::Number(_) => {
            duration(errs, path, v, Zero::Allowed).map(Length::fixed)
        }
        Value::Object(map) => {
            let mut o = Obj::new(errs, path, v)?;
            let named: Vec<&String> = map
                .keys()
                .filter(|k| !matches!(k.as_str(), "min" | "max"))
                .collect();
            let [name] = named.as_slice() else {
                errs.at(
                    path,
                    format!(
                        "expected one distribution ({SHAPES}) with optional \"min\" and \"max\", got {}",
                        if named.is_empty() { "none".to_string() } else { named.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(" and ") }
                    ),
                );
                return None;
            };
            let p = o.path(name);
            let inner = &map[name.as_str()];
            let shape = match name.as_str() {
                "fixed" => {
                    o.get("fixed");
                    duration(errs, &p, inner, Zero::Allowed).map(Shape::Fixed)
                }
                "uniform" => {
                    o.get("uniform");
                    uniform(errs, &p, inner)
                }
                "lognormal" => {
                    o.get("lognormal");
                    lognormal(errs, &p, inner)
                }
                "empirical" => {
                    o.get("empirical");
                    empirical(errs, ctx, &p, inner)
                }
                other => {
                    errs.at(
                        &p,
                        format!("unknown distribution \"{other}\"; use {SHAPES} (with optional min and max)"),
                    );
                    o.used.push("min");
                    o.used.push("max");
                    return None;
                }
            };
            let min = o
                .get("min")
                .and_then(|m| duration(errs, &o.path("min"), m, Zero::Allowed));
            let max = o
                .get("max")
                .and_then(|m| duration(errs, &o.path("max"), m, Zero::Allowed));
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    errs.at(&o.path("min"), "must not be above max");
                }
            }
            o.finish(errs);
            Some(Length {
                shape: shape?,
                min,
                max,
            })
        }
        other => {
            errs.at(
                path,
                format!(
                    "expected a duration{}, or a distribution {{\"fixed\"}}, {{\"uniform\": [a, b]}}, {{\"lognormal\": {{\"median\", \"p99\"}}}} or {{\"empirical\": [durations]}}, got {}",
                    if hang_ok { ", \"hang\"" } else { "" },
                    describe(other)
                ),
            );
            None
        }
    }
}

fn uniform(errs: &mut Errors, p: &str, inner: &Value) -> Option<Shape> {
    match inner.as_array().map(Vec::as_slice) {
        Some([a, b]) => {
            let a = duration(errs, &format!("{p}[0]"), a, Zero::Allowed);
            let b = duration(errs, &format!("{p}[1]"), b, Zero::Allowed);
            match (a, b) {
                (Some(a), Some(b)) if a <= b => Some(Shape::Uniform(a, b)),
                (Some(_), Some(_)) => {
                    errs.at(p, "the lower bound is above the upper bound");
                    None
                }
                _ => None,
            }
        }
        _ => {
            errs.at(p, format!("expected [low, high], got {}", describe(inner)));
            None
        }
    }
}

fn lognormal(errs: &mut Errors, p: &str, inner: &Value) -> Option<Shape> {
    let mut o = Obj::new(errs, p, inner)?;
    let median = o
        .get("median")
        .and_then(|v| duration(errs, &format!("{p}.median"), v, Zero::Rejected));
    let p99 = o
        .get("p99")
        .and_then(|v| duration(errs, &format!("{p}.p99"), v, Zero::Rejected));
    o.finish(errs);
    match (median, p99) {
        (Some(m), Some(q)) if q > m => Some(Shape::LogNormal { median: m, p99: q }),
        (Some(_), Some(_)) => {
            errs.at(p, "p99 must be above the median");
            None
        }
        _ => {
            errs.at(
                p,
                "needs both median and p99, e.g. { \"median\": \"30secs\", \"p99\": \"20mins\" }",
            );
            None
        }
    }
}

/// `{"empirical": [durations]}` or `{"empirical": {"file": "name"}}`.
fn empirical(errs: &mut Errors, ctx: &mut LengthCtx, p: &str, inner: &Value) -> Option<Shape> {
    let values = match inner {
        Value::Array(items) => {
            if items.is_empty() {
                errs.at(p, "needs at least one duration");
                return None;
            }
            if items.len() > MAX_EMPIRICAL {
                errs.at(
                    p,
                    format!(
                        "{} values is more than the limit of {MAX_EMPIRICAL}",
                        items.len()
                    ),
                );
                return None;
            }
            let before = errs.0.len();
            let values: Vec<Time> = items
                .iter()
                .enumerate()
                .filter_map(|(i, d)| duration(errs, &format!("{p}[{i}]"), d, Zero::Allowed))
                .collect();
            if errs.0.len() > before {
                return None;
            }
            values
        }
        Value::Object(_) => {
            let mut o = Obj::new(errs, p, inner)?;
            let file = o.get("file");
            o.finish(errs);
            let fpath = format!("{p}.file");
            let name = match file {
                Some(Value::String(s)) if !s.trim().is_empty() => s.as_str(),
                Some(other) => {
                    errs.at(
                        &fpath,
                        format!("expected a file name, got {}", describe(other)),
                    );
                    return None;
                }
                None => {
                    errs.at(
                        &fpath,
                        "required: a file of durations, one per line (e.g. \"recoveries.txt\")",
                    );
                    return None;
                }
            };
            let text = match ctx.files.read(name) {
                Ok(t) => t,
                Err(e) => {
                    errs.at(&fpath, format!("cannot read \"{name}\": {e}"));
                    return None;
                }
            };
            let values = match durations_file(&text) {
                Ok(v) => v,
                Err(e) => {
                    errs.at(&fpath, format!("\"{name}\" {e}"));
                    return None;
                }
            };
            let listed: Vec<Value> = values
                .iter()
                .map(|t| Value::String(format!("{t}us")))
                .collect();
            ctx.inlined.push((pointer(p), Value::Array(listed)));
            values
        }
        other => {
            errs.at(
                p,
                format!(
                    "expected a list of durations or {{\"file\": \"name\"}}, got {}",
                    describe(other)
                ),
            );
            return None;
        }
    };
    Some(Shape::Empirical(values.into()))
}

/// Reads a file of durations: one per line in Mesos syntax (`95secs`), a bare number being
/// seconds; `#` starts a comment; blank lines are skipped. The error names the first bad line.
pub fn durations_file(text: &str) -> Result<Vec<Time>, String> {
    let mut values = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let item = line.split('#').next().unwrap_or("").trim();
        if item.is_empty() {
            continue;
        }
        let parsed = if item.chars().all(|c| c.is_ascii_digit() || c == '.') {
            // A bare number is seconds, to the microsecond.
            parse_fixed(item, 6)
                .filter(|&us| us <= time::MAX_TIME)
                .ok_or_else(|| format!("\"{item}\" is not a number of seconds"))
        } else {
            time::parse_duration(item)
        };
        match parsed {
            Ok(t) => values.push(t),
            Err(e) => return Err(format!("line {}: {e}", n + 1)),
        }
        if values.len() > MAX_EMPIRICAL {
            return Err(format!(
                "has more than the limit of {MAX_EMPIRICAL} durations"
            ));
        }
    }
    if values.is_empty() {
        return Err(
            "has no durations: expected one per line, e.g. \"95secs\" or \"95\" (seconds)"
                .to_string(),
        );
    }
    Ok(values)
}
