//! The fault workload of a sweep: per-agent Poisson processes and timed faults, with recovery
//! and partition lengths drawn from distributions. Sampling uses our PRNG and `libm`, so a trial
//! draws the same faults on every target.

use serde_json::{json, Value};

use crate::rng::Rng;
use crate::scenario::parse::{describe, duration, list_of, rate_limit, string, Errors, Obj, Zero};
use crate::scenario::{Direction, RateLimit};
use crate::time::{Time, DAYS};

/// A length: fixed, or drawn per fault.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Length {
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
    /// Never ends (a recovery that hangs).
    Hang,
}

/// z such that P(Z ≤ z) = 0.99 for a standard normal Z.
const Z99: f64 = 2.326_347_874_040_840_8;

impl Length {
    /// Draws one length; `None` means it never ends.
    pub fn sample(&self, rng: &mut Rng) -> Option<Time> {
        match *self {
            Length::Fixed(t) => Some(t),
            Length::Uniform(a, b) => Some(a + rng.uniform(b - a)),
            Length::LogNormal { median, p99 } => {
                let mu = libm::log(median as f64);
                let sigma = libm::log(p99 as f64 / median as f64) / Z99;
                // Box–Muller with libm, identical on every target.
                let u1 = 1.0 - rng.unit_f64();
                let u2 = rng.unit_f64();
                let z =
                    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2);
                let x = libm::exp(mu + sigma * z);
                Some(if x.is_finite() {
                    (x as Time).min(365 * DAYS)
                } else {
                    365 * DAYS
                })
            }
            Length::Hang => None,
        }
    }

    /// A short description, e.g. `lognormal median 30secs p99 20mins`.
    pub fn describe(&self) -> String {
        match self {
            Length::Fixed(t) => crate::time::format_duration(*t),
            Length::Uniform(a, b) => format!(
                "uniform {}..{}",
                crate::time::format_duration(*a),
                crate::time::format_duration(*b)
            ),
            Length::LogNormal { median, p99 } => format!(
                "lognormal median {} p99 {}",
                crate::time::format_duration(*median),
                crate::time::format_duration(*p99)
            ),
            Length::Hang => "hang".to_string(),
        }
    }
}

/// Which fault a workload line injects.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum WorkloadKind {
    /// The agent crashes for good.
    Crash,
    /// The agent restarts; it recovers after the drawn length (or hangs).
    Restart(Length),
    /// The agent is partitioned for the drawn length, then heals.
    Partition(Direction, Length),
}

/// When a workload line fires, per agent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum When {
    /// A Poisson process with this rate.
    Rate(RateLimit),
    /// Once, at this time, shifted uniformly by up to ± jitter.
    At(Time, Time),
}

/// One line of the workload.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkloadFault {
    /// What happens.
    pub kind: WorkloadKind,
    /// When.
    pub when: When,
}

/// The workload: a horizon and its fault lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// How long each trial runs.
    pub horizon: Time,
    /// The fault lines, each applied to every agent.
    pub faults: Vec<WorkloadFault>,
}

fn length(errs: &mut Errors, path: &str, v: &Value, hang_ok: bool) -> Option<Length> {
    match v {
        Value::String(s) if s == "hang" => {
            if hang_ok {
                Some(Length::Hang)
            } else {
                errs.at(path, "\"hang\" only makes sense for a recovery");
                None
            }
        }
        Value::String(_) | Value::Number(_) => {
            duration(errs, path, v, Zero::Allowed).map(Length::Fixed)
        }
        Value::Object(map) if map.len() == 1 => {
            let (name, inner) = map.iter().next()?;
            let p = format!("{path}.{name}");
            match name.as_str() {
                "fixed" => duration(errs, &p, inner, Zero::Allowed).map(Length::Fixed),
                "uniform" => match inner.as_array().map(Vec::as_slice) {
                    Some([a, b]) => {
                        let a = duration(errs, &format!("{p}[0]"), a, Zero::Allowed);
                        let b = duration(errs, &format!("{p}[1]"), b, Zero::Allowed);
                        match (a, b) {
                            (Some(a), Some(b)) if a <= b => Some(Length::Uniform(a, b)),
                            (Some(_), Some(_)) => {
                                errs.at(&p, "the lower bound is above the upper bound");
                                None
                            }
                            _ => None,
                        }
                    }
                    _ => {
                        errs.at(&p, format!("expected [low, high], got {}", describe(inner)));
                        None
                    }
                },
                "lognormal" => {
                    let mut o = Obj::new(errs, &p, inner)?;
                    let median = o
                        .get("median")
                        .and_then(|v| duration(errs, &format!("{p}.median"), v, Zero::Rejected));
                    let p99 = o
                        .get("p99")
                        .and_then(|v| duration(errs, &format!("{p}.p99"), v, Zero::Rejected));
                    o.finish(errs);
                    match (median, p99) {
                        (Some(m), Some(q)) if q > m => {
                            Some(Length::LogNormal { median: m, p99: q })
                        }
                        (Some(_), Some(_)) => {
                            errs.at(&p, "p99 must be above the median");
                            None
                        }
                        _ => {
                            errs.at(&p, "needs both median and p99, e.g. { \"median\": \"30secs\", \"p99\": \"20mins\" }");
                            None
                        }
                    }
                }
                other => {
                    errs.at(
                        &p,
                        format!(
                            "unknown distribution \"{other}\"; use fixed, uniform or lognormal"
                        ),
                    );
                    None
                }
            }
        }
        other => {
            errs.at(
                path,
                format!(
                    "expected a duration{}, {{\"fixed\"}}, {{\"uniform\": [a, b]}} or {{\"lognormal\": {{\"median\", \"p99\"}}}}, got {}",
                    if hang_ok { ", \"hang\"" } else { "" },
                    describe(other)
                ),
            );
            None
        }
    }
}

/// Parses a length on its own (for previews); `"hang"` is accepted.
pub(crate) fn parse_length(errs: &mut Errors, path: &str, v: &Value) -> Option<Length> {
    length(errs, path, v, true)
}

/// Parses `workload`.
pub(crate) fn parse(errs: &mut Errors, path: &str, v: &Value) -> Option<Workload> {
    let mut o = Obj::new(errs, path, v)?;
    let horizon = match o.get("horizon") {
        Some(h) => duration(errs, &o.path("horizon"), h, Zero::Rejected),
        None => {
            errs.at(
                &o.path("horizon"),
                "required: how long each trial runs, e.g. \"1day\"",
            );
            None
        }
    };
    if horizon.is_some_and(|h| h > 30 * DAYS) {
        errs.at(&o.path("horizon"), "must be at most 30days");
    }
    let mut faults = Vec::new();
    if let Some(list) = o.get("faults") {
        let fpath = o.path("faults");
        for (i, f) in list_of(errs, &fpath, list)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let p = format!("{fpath}[{i}]");
            let Some(mut fo) = Obj::new(errs, &p, f) else {
                continue;
            };
            let kind_name = fo
                .get("kind")
                .and_then(|k| string(errs, &format!("{p}.kind"), k));
            let kind = match kind_name {
                Some("crash_agent") => Some(WorkloadKind::Crash),
                Some("restart_agent") => {
                    let rec = match fo.get("recovery") {
                        Some(r) => length(errs, &format!("{p}.recovery"), r, true),
                        None => {
                            errs.at(&format!("{p}.recovery"), "required for restart_agent: a duration, \"hang\" or a distribution");
                            None
                        }
                    };
                    rec.map(WorkloadKind::Restart)
                }
                Some("partition") => {
                    let direction = match fo
                        .get("direction")
                        .and_then(|d| string(errs, &format!("{p}.direction"), d))
                    {
                        None | Some("both") => Some(Direction::Both),
                        Some("master_to_agent") => Some(Direction::MasterToAgent),
                        Some("agent_to_master") => Some(Direction::AgentToMaster),
                        Some(other) => {
                            errs.at(
                                &format!("{p}.direction"),
                                format!("unknown direction \"{other}\""),
                            );
                            None
                        }
                    };
                    let len = match fo.get("duration") {
                        Some(d) => length(errs, &format!("{p}.duration"), d, false),
                        None => {
                            errs.at(
                                &format!("{p}.duration"),
                                "required for partition: how long it lasts",
                            );
                            None
                        }
                    };
                    direction
                        .zip(len)
                        .map(|(d, l)| WorkloadKind::Partition(d, l))
                }
                Some(other) => {
                    errs.at(&format!("{p}.kind"), format!("unknown workload fault \"{other}\"; use crash_agent, restart_agent or partition"));
                    None
                }
                None => {
                    errs.at(
                        &format!("{p}.kind"),
                        "required: crash_agent, restart_agent or partition",
                    );
                    None
                }
            };
            let rate = fo.get("rate");
            let at = fo.get("at");
            let jitter = fo.get("jitter");
            let when = match (rate, at) {
                (Some(r), None) => {
                    if jitter.is_some() {
                        errs.at(&format!("{p}.jitter"), "only goes with \"at\"");
                    }
                    rate_limit(errs, &format!("{p}.rate"), r).map(When::Rate)
                }
                (None, Some(a)) => {
                    let at = duration(errs, &format!("{p}.at"), a, Zero::Allowed);
                    let j = match jitter {
                        Some(j) => duration(errs, &format!("{p}.jitter"), j, Zero::Allowed),
                        None => Some(0),
                    };
                    at.zip(j).map(|(a, j)| When::At(a, j))
                }
                _ => {
                    errs.at(
                        &p,
                        "needs exactly one of \"rate\" (e.g. \"1/7days\", per agent) or \"at\"",
                    );
                    None
                }
            };
            fo.finish(errs);
            if let (Some(kind), Some(when)) = (kind, when) {
                faults.push(WorkloadFault { kind, when });
            }
        }
    }
    o.finish(errs);
    Some(Workload {
        horizon: horizon?,
        faults,
    })
}

/// What truly happened to an agent in one episode (the ground truth the metrics judge against).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Episode {
    /// The agent's index.
    pub agent: u32,
    /// When it started.
    pub start: Time,
    /// When the agent is back by itself (recovery finished, partition healed); `None` if it truly
    /// failed (crashed for good, or hung).
    pub end: Option<Time>,
    /// A restart (as opposed to a crash or partition).
    pub restart: bool,
}

/// Draws one trial's faults for `agents` agents: the scenario fault list and the episodes.
/// Faults on an agent that is down for good, or still inside an earlier episode, are skipped.
pub fn draw(workload: &Workload, agents: &[String], rng_seed: u64) -> (Vec<Value>, Vec<Episode>) {
    let mut faults = Vec::new();
    let mut episodes = Vec::new();
    for (i, name) in agents.iter().enumerate() {
        let mut rng = Rng::new(rng_seed, i as u64);
        let mut times: Vec<(Time, usize)> = Vec::new();
        for (line, f) in workload.faults.iter().enumerate() {
            match f.when {
                When::Rate(rate) => {
                    // Exponential gaps with mean per / permits.
                    let mean = rate.per as f64 / rate.permits as f64;
                    let mut t = 0f64;
                    loop {
                        t += -libm::log(1.0 - rng.unit_f64()) * mean;
                        if t > workload.horizon as f64 {
                            break;
                        }
                        times.push((t as Time, line));
                    }
                }
                When::At(at, jitter) => {
                    let t = (at + rng.uniform(2 * jitter)).saturating_sub(jitter);
                    if t <= workload.horizon {
                        times.push((t, line));
                    }
                }
            }
        }
        times.sort_unstable();
        let mut busy_until: Option<Time> = Some(0); // None: down for good
        for (t, line) in times {
            match busy_until {
                None => break,
                Some(b) if t < b => continue,
                _ => {}
            }
            let at = format!("{t}us");
            match workload.faults[line].kind {
                WorkloadKind::Crash => {
                    faults.push(json!({ "at": at, "kind": "crash_agent", "agents": [name] }));
                    episodes.push(Episode {
                        agent: i as u32,
                        start: t,
                        end: None,
                        restart: false,
                    });
                    busy_until = None;
                }
                WorkloadKind::Restart(len) => {
                    let d = len.sample(&mut rng);
                    let recovery = match d {
                        Some(d) => json!(format!("{d}us")),
                        None => json!("hang"),
                    };
                    faults.push(json!({ "at": at, "kind": "restart_agent", "agents": [name], "recovery": recovery }));
                    let end = d.map(|d| t + d);
                    episodes.push(Episode {
                        agent: i as u32,
                        start: t,
                        end,
                        restart: true,
                    });
                    busy_until = end;
                }
                WorkloadKind::Partition(direction, len) => {
                    let d = len.sample(&mut rng).unwrap_or(0);
                    faults.push(json!({ "at": at, "kind": "partition", "agents": [name], "direction": direction.name() }));
                    faults.push(
                        json!({ "at": format!("{}us", t + d), "kind": "heal", "agents": [name] }),
                    );
                    episodes.push(Episode {
                        agent: i as u32,
                        start: t,
                        end: Some(t + d),
                        restart: false,
                    });
                    busy_until = Some(t + d);
                }
            }
        }
    }
    (faults, episodes)
}
