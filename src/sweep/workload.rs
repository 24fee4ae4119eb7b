//! The fault workload of a sweep, as the spec's `workload` object describes it: a horizon, an
//! optional split of the agents into racks, and fault lines (what, when, and whom: one agent, a
//! whole rack or the whole cluster). Parsing only; [`super::draw`] turns it into a trial's faults.

use serde_json::Value;

use super::length::{self, Length, LengthCtx};
use crate::scenario::read::{
    boolean, describe, duration, list_of, parse_fixed, percent, rate_period, string, uint, Errors,
    Obj, Zero,
};
use crate::scenario::Direction;
use crate::time::{Time, DAYS};

/// Fires of one fault line per agent (or rack, or cluster) and trial at most, on average.
pub const MAX_FIRES: f64 = 100_000.0;

/// Racks at most.
pub const MAX_RACKS: u64 = 100_000;

/// Whom one firing of a fault line hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One agent; the line fires for each agent separately (the rate is per agent).
    Agent,
    /// Every agent of one rack at once; the line fires for each rack separately.
    Rack,
    /// Every agent at once (or the master); the line fires for the cluster.
    Cluster,
}

impl Scope {
    /// The spec's name.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Agent => "agent",
            Scope::Rack => "rack",
            Scope::Cluster => "cluster",
        }
    }
}

/// A Poisson rate: `count` (a positive decimal, in millionths) per `per`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// Expected firings per period, in millionths (`"0.2/30days"` → 200,000).
    pub millionths: u64,
    /// The period.
    pub per: Time,
}

impl Rate {
    /// The mean time between firings, in microseconds.
    pub fn mean_gap(&self) -> f64 {
        // per / count; for whole counts this is per / k exactly.
        self.per as f64 / (self.millionths as f64 / 1e6)
    }
}

/// When a workload line fires, per agent, rack or cluster (its scope).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum When {
    /// A Poisson process with this rate.
    Rate(Rate),
    /// Once, at this time, shifted uniformly by up to ± jitter.
    At(Time, Time),
}

/// Which fault a workload line injects.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkloadKind {
    /// The agent crashes for good.
    Crash,
    /// The agent restarts and recovers after the drawn length; `hang_probability` of the
    /// restarts (or all, with a `"hang"` recovery) never finish recovering.
    Restart {
        /// How long recovery takes.
        recovery: Length,
        /// The share of restarts that hang.
        hang_probability: f64,
    },
    /// The agent is partitioned for the drawn length, then heals.
    Partition {
        /// Which directions are cut.
        direction: Direction,
        /// How long it lasts.
        duration: Length,
        /// Whether the master's socket to the agent breaks at once.
        breaks_socket: bool,
    },
    /// Every agent is restarted, `batch` of them together; the next batch starts `pause` after
    /// the previous one has recovered.
    RollingRestart {
        /// Share of the agents per batch, in millionths of a percent (`"10%"` → 10,000,000).
        batch: u64,
        /// Between a batch's last recovery and the next batch.
        pause: Time,
        /// How long each agent's recovery takes.
        recovery: Length,
    },
    /// The master fails over; a new one is elected after the drawn downtime.
    FailOverMaster {
        /// Time without a master.
        downtime: Length,
    },
}

impl WorkloadKind {
    /// The spec's name.
    pub fn name(&self) -> &'static str {
        match self {
            WorkloadKind::Crash => "crash_agent",
            WorkloadKind::Restart { .. } => "restart_agent",
            WorkloadKind::Partition { .. } => "partition",
            WorkloadKind::RollingRestart { .. } => "rolling_restart",
            WorkloadKind::FailOverMaster { .. } => "fail_over_master",
        }
    }
}

const KINDS: &str = "crash_agent, restart_agent, partition, rolling_restart or fail_over_master";

/// One line of the workload.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkloadFault {
    /// What happens.
    pub kind: WorkloadKind,
    /// When.
    pub when: When,
    /// Whom each firing hits.
    pub scope: Scope,
}

/// The workload: a horizon, racks and fault lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// How long each trial runs.
    pub horizon: Time,
    /// The agents split evenly into this many racks (`rack-0…`), if given.
    pub racks: Option<u64>,
    /// The fault lines.
    pub faults: Vec<WorkloadFault>,
}

impl Workload {
    /// The scenario faults one trial injects on average for `agents` agents (each restart of
    /// a rack or the cluster is a fault per agent, a partition is two: the cut and the heal).
    pub fn expected_faults(&self, agents: u64) -> f64 {
        let racks = self.racks.unwrap_or(1) as f64;
        let n = agents as f64;
        self.faults
            .iter()
            .map(|f| {
                let fires = match f.when {
                    When::Rate(r) => self.horizon as f64 / r.mean_gap(),
                    When::At(..) => 1.0,
                };
                let (units, hit) = match f.scope {
                    Scope::Agent => (n, 1.0),
                    Scope::Rack => (racks, n / racks),
                    Scope::Cluster => (1.0, n),
                };
                let per_firing = match f.kind {
                    WorkloadKind::Crash | WorkloadKind::FailOverMaster { .. } => 1.0,
                    WorkloadKind::Partition { .. } => 2.0,
                    WorkloadKind::Restart { .. } => hit,
                    WorkloadKind::RollingRestart { .. } => n,
                };
                fires * units * per_firing
            })
            .sum()
    }
}

/// `"<count>/<duration>"` with a positive decimal count, e.g. `"1/7days"` or `"0.2/30days"`.
fn rate(errs: &mut Errors, path: &str, v: &Value, horizon: Option<Time>) -> Option<Rate> {
    let s = string(errs, path, v)?;
    let Some((count, per)) = s.split_once('/') else {
        errs.at(
            path,
            format!("\"{s}\" is not a rate: expected \"<count>/<duration>\", e.g. \"1/7days\" or \"0.2/30days\""),
        );
        return None;
    };
    let millionths = match parse_fixed(count.trim(), 6) {
        Some(0) => {
            errs.at(path, format!("\"{s}\": the count must be above 0"));
            return None;
        }
        Some(m) => m,
        None => {
            errs.at(
                path,
                format!("\"{s}\": the count must be a number below 1000000 such as 1 or 0.2 (up to 6 decimals)"),
            );
            return None;
        }
    };
    let per = rate_period(errs, path, s, per)?;
    let r = Rate { millionths, per };
    if let Some(h) = horizon {
        let fires = h as f64 / r.mean_gap();
        if fires > MAX_FIRES {
            errs.at(
                path,
                format!("\"{s}\" fires about {fires:.0} times in the horizon, more than the limit of {MAX_FIRES}"),
            );
            return None;
        }
    }
    Some(r)
}

fn probability(errs: &mut Errors, path: &str, v: &Value) -> Option<f64> {
    match v.as_f64() {
        Some(p) if (0.0..=1.0).contains(&p) => Some(p),
        Some(p) => {
            errs.at(path, format!("must be from 0 to 1, got {p}"));
            None
        }
        None => {
            errs.at(
                path,
                format!("expected a number from 0 to 1, got {}", describe(v)),
            );
            None
        }
    }
}

fn required<'v>(
    errs: &mut Errors,
    o: &mut Obj<'v>,
    key: &'static str,
    what: &str,
) -> Option<&'v Value> {
    let v = o.get(key);
    if v.is_none() {
        errs.at(&o.path(key), format!("required: {what}"));
    }
    v
}

/// Parses a length on its own (for previews); `"hang"` is accepted.
pub(crate) fn parse_length(
    errs: &mut Errors,
    files: &dyn length::SpecFiles,
    path: &str,
    v: &Value,
) -> Option<Length> {
    let mut ctx = LengthCtx {
        files,
        inlined: Vec::new(),
    };
    length::parse(errs, &mut ctx, path, v, true)
}

/// Parses `workload`.
pub(crate) fn parse(
    errs: &mut Errors,
    ctx: &mut LengthCtx,
    path: &str,
    v: &Value,
) -> Option<Workload> {
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
    let racks = o
        .get("racks")
        .and_then(|r| uint(errs, &o.path("racks"), r, 1, MAX_RACKS));
    let mut faults = Vec::new();
    if let Some(list) = o.get("faults") {
        let fpath = o.path("faults");
        for (i, f) in list_of(errs, &fpath, list)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(f) = fault(errs, ctx, &format!("{fpath}[{i}]"), f, horizon, racks) {
                faults.push(f);
            }
        }
    }
    o.finish(errs);
    Some(Workload {
        horizon: horizon?,
        racks,
        faults,
    })
}

fn fault(
    errs: &mut Errors,
    ctx: &mut LengthCtx,
    p: &str,
    f: &Value,
    horizon: Option<Time>,
    racks: Option<u64>,
) -> Option<WorkloadFault> {
    let mut fo = Obj::new(errs, p, f)?;
    let kind_name = match fo.get("kind") {
        Some(k) => string(errs, &fo.path("kind"), k),
        None => {
            errs.at(&fo.path("kind"), format!("required: {KINDS}"));
            None
        }
    };
    let kind = match kind_name {
        Some("crash_agent") => Some(WorkloadKind::Crash),
        Some("restart_agent") => {
            let recovery = required(
                errs,
                &mut fo,
                "recovery",
                "a duration, \"hang\" or a distribution",
            )
            .and_then(|r| length::parse(errs, ctx, &format!("{p}.recovery"), r, true));
            let hang_probability = match fo.get("hang_probability") {
                Some(h) => probability(errs, &fo.path("hang_probability"), h),
                None => Some(0.0),
            };
            recovery
                .zip(hang_probability)
                .map(|(recovery, hang_probability)| WorkloadKind::Restart {
                    recovery,
                    hang_probability,
                })
        }
        Some("partition") => {
            let direction = match fo.get("direction") {
                None => Some(Direction::Both),
                Some(d) => match string(errs, &fo.path("direction"), d) {
                    Some("both") => Some(Direction::Both),
                    Some("master_to_agent") => Some(Direction::MasterToAgent),
                    Some("agent_to_master") => Some(Direction::AgentToMaster),
                    Some(other) => {
                        errs.at(
                            &fo.path("direction"),
                            format!("unknown direction \"{other}\"; expected one of both, master_to_agent, agent_to_master"),
                        );
                        None
                    }
                    None => None,
                },
            };
            let duration = required(errs, &mut fo, "duration", "how long the partition lasts")
                .and_then(|d| length::parse(errs, ctx, &format!("{p}.duration"), d, false));
            let breaks_socket = match fo.get("breaks_socket") {
                Some(b) => boolean(errs, &fo.path("breaks_socket"), b),
                None => Some(false),
            };
            match (direction, duration, breaks_socket) {
                (Some(direction), Some(duration), Some(breaks_socket)) => {
                    Some(WorkloadKind::Partition {
                        direction,
                        duration,
                        breaks_socket,
                    })
                }
                _ => None,
            }
        }
        Some("rolling_restart") => {
            let batch = required(
                errs,
                &mut fo,
                "batch",
                "the share of agents restarted together, e.g. \"10%\"",
            )
            .and_then(|b| percent(errs, &format!("{p}.batch"), b));
            if batch == Some(0) {
                errs.at(&fo.path("batch"), "must be above 0%");
            }
            let pause = match fo.get("pause") {
                Some(d) => duration(errs, &fo.path("pause"), d, Zero::Allowed),
                None => Some(0),
            };
            let recovery = required(
                errs,
                &mut fo,
                "recovery",
                "how long each agent's recovery takes",
            )
            .and_then(|r| length::parse(errs, ctx, &format!("{p}.recovery"), r, false));
            match (batch, pause, recovery) {
                (Some(batch), Some(pause), Some(recovery)) if batch > 0 => {
                    Some(WorkloadKind::RollingRestart {
                        batch,
                        pause,
                        recovery,
                    })
                }
                _ => None,
            }
        }
        Some("fail_over_master") => required(
            errs,
            &mut fo,
            "downtime",
            "how long the cluster is without a master (a duration or a distribution)",
        )
        .and_then(|d| length::parse(errs, ctx, &format!("{p}.downtime"), d, false))
        .map(|downtime| WorkloadKind::FailOverMaster { downtime }),
        Some(other) => {
            errs.at(
                &fo.path("kind"),
                format!("unknown workload fault \"{other}\"; use {KINDS}"),
            );
            None
        }
        None => None,
    };
    let cluster_only = matches!(
        kind,
        Some(WorkloadKind::RollingRestart { .. } | WorkloadKind::FailOverMaster { .. })
    );
    let scope = match fo.get("scope") {
        None if cluster_only => Some(Scope::Cluster),
        None => Some(Scope::Agent),
        Some(s) => match string(errs, &fo.path("scope"), s) {
            Some("cluster") => Some(Scope::Cluster),
            Some(name @ ("agent" | "rack")) if cluster_only => {
                errs.at(
                    &fo.path("scope"),
                    format!(
                        "{} is always cluster-scoped, not \"{name}\"",
                        kind.as_ref().map_or("this fault", WorkloadKind::name)
                    ),
                );
                None
            }
            Some("agent") => Some(Scope::Agent),
            Some("rack") if racks.is_none() => {
                errs.at(
                    &fo.path("scope"),
                    "\"rack\" needs workload.racks (how many racks the agents are split into)",
                );
                None
            }
            Some("rack") => Some(Scope::Rack),
            Some(other) => {
                errs.at(
                    &fo.path("scope"),
                    format!("unknown scope \"{other}\"; expected one of agent, rack, cluster"),
                );
                None
            }
            None => None,
        },
    };
    let when = match (fo.get("rate"), fo.get("at")) {
        (Some(r), None) => {
            if fo.get("jitter").is_some() {
                errs.at(&fo.path("jitter"), "only goes with \"at\"");
            }
            rate(errs, &fo.path("rate"), r, horizon).map(When::Rate)
        }
        (None, Some(a)) => {
            let at = duration(errs, &fo.path("at"), a, Zero::Allowed);
            let j = match fo.get("jitter") {
                Some(j) => duration(errs, &fo.path("jitter"), j, Zero::Allowed),
                None => Some(0),
            };
            at.zip(j).map(|(a, j)| When::At(a, j))
        }
        _ => {
            fo.get("jitter");
            errs.at(
                p,
                "needs exactly one of \"rate\" (e.g. \"1/7days\" or \"0.2/30days\", per agent, rack or cluster as its scope says) or \"at\"",
            );
            None
        }
    };
    fo.finish(errs);
    Some(WorkloadFault {
        kind: kind?,
        when: when?,
        scope: scope?,
    })
}
