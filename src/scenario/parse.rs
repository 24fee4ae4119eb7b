//! Reading a whole scenario: the top level, the master flags, the network and the frameworks;
//! agents, faults and expectations have their own files. Every problem is collected (not just the
//! first), each prefixed with its JSON path, and unknown fields are errors so that typos never
//! pass silently.

use serde_json::Value;

use super::agents::{agent_defaults, agents};
use super::expectations::expectation;
use super::faults::fault;
use super::read::{
    boolean, describe, duration, index, join, known_list, list_of, named, opt_duration, opt_uint,
    percent, rate_limit, required, string, uint, Errors, Obj, Zero,
};
use super::*;
use crate::mesos::config::{FlagScope, MESOS_REFUSES};
use crate::mesos::types::ReregistrationPolicy;
use crate::time::{self, MINS};

/// Size limits that keep every run within memory and time bounds.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Agents after `count` expansion.
    pub max_agents: usize,
    /// Tasks over all agents.
    pub max_tasks: usize,
    /// Frameworks.
    pub max_frameworks: usize,
    /// Faults.
    pub max_faults: usize,
    /// Ping cycles in a run (agents × duration ÷ `agent_ping_timeout`): three events each, a
    /// few minutes of native work at the limit.
    pub max_ping_cycles: u64,
}

/// The limits in force.
pub const LIMITS: Limits = Limits {
    max_agents: 100_000,
    max_tasks: 1_000_000,
    max_frameworks: 1_000,
    max_faults: 100_000,
    max_ping_cycles: 1_000_000_000,
};

/// Parses and validates a whole scenario.
pub(super) fn scenario(v: &Value) -> Result<Scenario, InvalidInput> {
    let mut errs = Errors::default();
    let Some(mut o) = Obj::new(&mut errs, "", v) else {
        return Err(InvalidInput { problems: errs.0 });
    };

    let name = o
        .get("name")
        .and_then(|v| string(&mut errs, "name", v))
        .unwrap_or("untitled scenario")
        .to_string();
    let description = o
        .get("description")
        .and_then(|v| string(&mut errs, "description", v))
        .unwrap_or("")
        .to_string();
    let seed = o
        .get("seed")
        .and_then(|v| uint(&mut errs, "seed", v, 0, (1u64 << 53) - 1))
        .unwrap_or(0);
    let duration = match o.get("duration") {
        Some(v) => duration(&mut errs, "duration", v, Zero::Rejected).unwrap_or(MINS),
        None => {
            errs.at(
                "duration",
                "required: how long to simulate, e.g. \"20mins\"",
            );
            MINS
        }
    };
    let policy = o
        .get("policy")
        .and_then(|v| {
            named(
                &mut errs,
                "policy",
                v,
                "policy",
                Policy::parse,
                Policy::choices(),
            )
        })
        .unwrap_or(Policy::Mesos12);
    let master = master_config(&mut errs, o.get("master"), policy);
    let detector = super::detectors::detector(&mut errs, &mut o);
    let network = network_config(&mut errs, o.get("network"));
    let frameworks = frameworks(&mut errs, o.get("frameworks"));
    let defaults = agent_defaults(&mut errs, o.get("agent_defaults"), policy);
    let agents = agents(&mut errs, o.get("agents"), &frameworks, &defaults);

    let names = Names::new(&agents, &frameworks);
    let mut faults = Vec::new();
    if let Some(list) = o.get("faults") {
        if let Some(items) = list_of(&mut errs, "faults", list) {
            if items.len() > LIMITS.max_faults {
                errs.at(
                    "faults",
                    format!(
                        "{} faults is more than the limit of {}",
                        items.len(),
                        LIMITS.max_faults
                    ),
                );
            } else {
                for (i, f) in items.iter().enumerate() {
                    if let Some(f) = fault(&mut errs, &index("faults", i), f, &names, true) {
                        faults.push(f);
                    }
                }
            }
        }
    }
    let mut expect = Vec::new();
    if let Some(list) = o.get("expect") {
        if let Some(items) = list_of(&mut errs, "expect", list) {
            for (i, e) in items.iter().enumerate() {
                if let Some(e) = expectation(&mut errs, &index("expect", i), e, &names) {
                    expect.push(e);
                }
            }
        }
    }
    o.finish(&mut errs);

    // Every registered agent costs one ping cycle per agent_ping_timeout: bound the run so a
    // valid-looking scenario cannot take practically for ever.
    let cycles = agents.len() as u128 * duration as u128 / master.agent_ping_timeout.max(1) as u128;
    if cycles > LIMITS.max_ping_cycles as u128 {
        errs.at(
            "duration",
            format!(
                "this run would simulate about {cycles} ping cycles (agents × duration ÷ \
                 agent_ping_timeout), more than the limit of {}; shorten the duration, use fewer \
                 agents or a longer agent_ping_timeout",
                LIMITS.max_ping_cycles
            ),
        );
    }
    if !errs.0.is_empty() {
        return Err(InvalidInput { problems: errs.0 });
    }
    let mut warnings = errs.take_warnings();
    warnings.extend(unreached_faults(&faults, duration));
    Ok(Scenario {
        name,
        description,
        seed,
        duration,
        policy,
        detector,
        master,
        network,
        frameworks,
        agents,
        faults,
        expect,
        warnings,
        source: v.clone(),
    })
}

/// Faults the run never reaches (the run goes on without them).
fn unreached_faults(faults: &[Fault], duration: Time) -> Vec<Warning> {
    faults
        .iter()
        .enumerate()
        .filter(|(_, f)| f.at > duration)
        .take(1)
        .map(|(i, f)| Warning {
            path: format!("faults[{i}].at"),
            message: format!(
                "{} is after the end of the run ({}), so it never happens",
                time::format_duration(f.at),
                time::format_duration(duration)
            ),
        })
        .collect()
}

/// Warns, at `o.key`, when a duration flag given there is a value Mesos refuses
/// (`mesos::config::MESOS_REFUSES`); `value` is what was read.
pub(super) fn warn_refused(
    errs: &mut Errors,
    scope: FlagScope,
    o: &Obj,
    value: impl Fn(&str) -> Option<Time>,
) {
    for r in MESOS_REFUSES.iter().filter(|r| r.scope == scope) {
        if !o.has(r.flag) {
            continue;
        }
        if let Some(msg) = value(r.flag).and_then(|v| r.warning(v)) {
            errs.warn(&o.path(r.flag), msg);
        }
    }
}

fn master_config(errs: &mut Errors, v: Option<&Value>, policy: Policy) -> MasterConfig {
    let mut cfg = MasterConfig::defaults(policy);
    let Some(v) = v else { return cfg };
    let Some(mut o) = Obj::new(errs, "master", v) else {
        return cfg;
    };
    cfg.agent_ping_timeout = opt_duration(
        errs,
        &mut o,
        "agent_ping_timeout",
        Zero::Rejected,
        cfg.agent_ping_timeout,
    );
    cfg.max_agent_ping_timeouts = opt_uint(
        errs,
        &mut o,
        "max_agent_ping_timeouts",
        (1, 1_000),
        cfg.max_agent_ping_timeouts.into(),
    ) as u32;
    cfg.agent_reregister_timeout = opt_duration(
        errs,
        &mut o,
        "agent_reregister_timeout",
        Zero::Rejected,
        cfg.agent_reregister_timeout,
    );
    if let Some(v) = o.get("agent_removal_rate_limit") {
        cfg.agent_removal_rate_limit = rate_limit(errs, &o.path("agent_removal_rate_limit"), v);
    }
    if let Some(v) = o.get("recovery_agent_removal_limit") {
        if let Some(p) = percent(errs, &o.path("recovery_agent_removal_limit"), v) {
            cfg.recovery_agent_removal_limit = p;
        }
    }
    cfg.registry_write_latency =
        opt_duration(errs, &mut o, "registry_write_latency", Zero::Allowed, 0);
    cfg.registry_gc_interval = opt_duration(
        errs,
        &mut o,
        "registry_gc_interval",
        Zero::Rejected,
        cfg.registry_gc_interval,
    );
    cfg.registry_max_agent_age = opt_duration(
        errs,
        &mut o,
        "registry_max_agent_age",
        Zero::Rejected,
        cfg.registry_max_agent_age,
    );
    cfg.registry_max_agent_count = opt_uint(
        errs,
        &mut o,
        "registry_max_agent_count",
        (0, u32::MAX.into()),
        cfg.registry_max_agent_count,
    );
    if let Some(v) = o.get("registry_store_timeout") {
        cfg.registry_store_timeout =
            duration(errs, &o.path("registry_store_timeout"), v, Zero::Rejected);
    }
    cfg.max_unreachable_tasks_per_framework = opt_uint(
        errs,
        &mut o,
        "max_unreachable_tasks_per_framework",
        (0, u32::MAX.into()),
        cfg.max_unreachable_tasks_per_framework,
    );
    if let Some(v) = o.get("reregister_timer") {
        if let Some(b) = boolean(errs, &o.path("reregister_timer"), v) {
            cfg.reregister_timer = b;
        }
    }
    if let Some(v) = o.get("reregistration_policy") {
        let path = o.path("reregistration_policy");
        if let Some(p) = named(
            errs,
            &path,
            v,
            "re-registration policy",
            ReregistrationPolicy::parse,
            ReregistrationPolicy::choices(),
        ) {
            cfg.reregistration_policy = p;
        }
    }
    warn_refused(errs, FlagScope::Master, &o, |flag| cfg.duration_flag(flag));
    o.finish(errs);
    cfg
}

fn network_config(errs: &mut Errors, v: Option<&Value>) -> NetworkConfig {
    let mut cfg = NetworkConfig::default();
    let Some(v) = v else { return cfg };
    let Some(mut o) = Obj::new(errs, "network", v) else {
        return cfg;
    };
    cfg.latency = opt_duration(errs, &mut o, "latency", Zero::Allowed, cfg.latency);
    cfg.jitter = opt_duration(errs, &mut o, "jitter", Zero::Allowed, 0);
    if let Some(v) = o.get("drop_rate") {
        let path = o.path("drop_rate");
        match v.as_f64() {
            Some(p) if (0.0..=1.0).contains(&p) => cfg.drop_rate = p,
            Some(_) => errs.at(&path, "must be between 0 and 1"),
            None => errs.at(
                &path,
                format!("expected a number between 0 and 1, got {}", describe(v)),
            ),
        }
    }
    if cfg.latency > time::HRS || cfg.jitter > time::HRS {
        errs.at("network", "latency and jitter must each be at most 1hrs");
    }
    o.finish(errs);
    cfg
}

fn frameworks(errs: &mut Errors, v: Option<&Value>) -> Vec<FrameworkSpec> {
    let mut out: Vec<FrameworkSpec> = Vec::new();
    let Some(v) = v else { return out };
    let Some(items) = list_of(errs, "frameworks", v) else {
        return out;
    };
    if items.len() > LIMITS.max_frameworks {
        errs.at(
            "frameworks",
            format!(
                "{} frameworks is more than the limit of {}",
                items.len(),
                LIMITS.max_frameworks
            ),
        );
        return out;
    }
    for (i, item) in items.iter().enumerate() {
        let path = index("frameworks", i);
        let Some(mut o) = Obj::new(errs, &path, item) else {
            continue;
        };
        let name = required(errs, &mut o, "name", "the framework's name")
            .and_then(|v| string(errs, &o.path("name"), v))
            .map(str::to_string);
        let mut flag = |o: &mut Obj, key: &'static str, default: bool| match o.get(key) {
            Some(v) => boolean(errs, &o.path(key), v).unwrap_or(default),
            None => default,
        };
        let partition_aware = flag(&mut o, "partition_aware", false);
        let checkpoint = flag(&mut o, "checkpoint", false);
        let connected = flag(&mut o, "connected", true);
        o.finish(errs);
        if let Some(name) = name {
            if name.is_empty() {
                errs.at(&join(&path, "name"), "must not be empty");
            } else if out.iter().any(|f| f.name == name) {
                errs.at(
                    &join(&path, "name"),
                    format!("duplicate framework name \"{name}\""),
                );
            } else {
                out.push(FrameworkSpec {
                    name,
                    partition_aware,
                    checkpoint,
                    connected,
                });
            }
        }
    }
    out
}

/// What names a fault or expectation may refer to.
pub(super) struct Names<'a> {
    /// The agents, after `count` expansion.
    pub agents: &'a [AgentSpec],
    /// The frameworks.
    pub frameworks: &'a [FrameworkSpec],
    /// Agent lookups so far, and the index by name built once they are many: a fault naming a
    /// tenth of 10,000 agents took 5 million string comparisons with a scan per name.
    lookups: std::cell::Cell<u32>,
    /// (Keyed by `String` as the duplicate check in `agents` is: one map type less in the wasm
    /// module.)
    by_name: std::cell::OnceCell<std::collections::BTreeMap<String, usize>>,
}

impl<'a> Names<'a> {
    /// The names of a scenario's agents and frameworks.
    pub(super) fn new(agents: &'a [AgentSpec], frameworks: &'a [FrameworkSpec]) -> Names<'a> {
        Names {
            agents,
            frameworks,
            lookups: Default::default(),
            by_name: Default::default(),
        }
    }

    /// The index of the agent called `name` (the first, if names repeat).
    fn find_agent(&self, name: &str) -> Option<AgentIx> {
        // A scan costs less than building the index for the few names most scenarios give.
        const SCANS: u32 = 16;
        if self.lookups.get() < SCANS {
            self.lookups.set(self.lookups.get() + 1);
            return self
                .agents
                .iter()
                .position(|a| a.name == name)
                .map(|i| i as AgentIx);
        }
        let by_name = self.by_name.get_or_init(|| {
            let mut map = std::collections::BTreeMap::new();
            for (i, a) in self.agents.iter().enumerate().rev() {
                map.insert(a.name.clone(), i);
            }
            map
        });
        by_name.get(name).map(|&i| i as AgentIx)
    }

    /// The index of the agent named by `v`, or a problem at `path`.
    pub(super) fn agent(&self, errs: &mut Errors, path: &str, v: &Value) -> Option<AgentIx> {
        let name = string(errs, path, v)?;
        let found = self.find_agent(name);
        if found.is_none() {
            errs.at(
                path,
                format!(
                    "unknown agent \"{name}\"{}",
                    known_list(self.agents.iter().map(|a| a.name.as_str()))
                ),
            );
        }
        found
    }

    /// The index of the framework named by `v`, or a problem at `path`.
    pub(super) fn framework(&self, errs: &mut Errors, path: &str, v: &Value) -> Option<FwIx> {
        let name = string(errs, path, v)?;
        let found = self.frameworks.iter().position(|f| f.name == name);
        if found.is_none() {
            errs.at(
                path,
                format!(
                    "unknown framework \"{name}\"{}",
                    known_list(self.frameworks.iter().map(|f| f.name.as_str()))
                ),
            );
        }
        found.map(|i| i as FwIx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesos::config::MESOS_REFUSES;

    /// Every refused range names a duration flag the reader can look up, so none is silently
    /// never checked.
    #[test]
    fn every_refused_flag_is_checked() {
        let master = MasterConfig::defaults(Policy::Mesos12);
        let agent = AgentSettings::defaults(Policy::Mesos12);
        for r in MESOS_REFUSES {
            let value = match r.scope {
                FlagScope::Master => master.duration_flag(r.flag),
                FlagScope::Agent => agent.duration_setting(r.flag),
            };
            let default = value.unwrap_or_else(|| panic!("{} is not a duration flag", r.flag));
            assert!(
                !r.refuses(default),
                "Mesos refuses its own default {}",
                r.flag
            );
        }
    }

    /// Refused values warn at the JSON path they were written at: the agent entry that sets it,
    /// or `agent_defaults` when the agents inherit it.
    #[test]
    fn refused_values_warn_where_they_are_written() {
        let s = Scenario::from_json(&serde_json::json!({
            "duration": "1mins",
            "master": { "agent_reregister_timeout": "5mins", "agent_ping_timeout": "20mins" },
            "agent_defaults": { "executor_reregistration_timeout": "20secs" },
            "agents": [
                { "name": "a", "count": 2 },
                { "name": "b", "registration_backoff_factor": "2mins" },
            ],
        }))
        .unwrap();
        let lines: Vec<String> = s.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "master.agent_ping_timeout: 20mins is outside 1secs..15mins, which Mesos refuses at start-up",
                "master.agent_reregister_timeout: 5mins is below 10mins, which Mesos refuses at start-up",
                "agent_defaults.executor_reregistration_timeout: 20secs is above 15secs, which Mesos refuses at start-up",
                "agents[1].registration_backoff_factor: 2mins is above 1mins, which Mesos refuses at start-up",
            ]
        );
    }

    /// Past the first few names, agents are looked up by an index: every name still finds its
    /// own agent, in the order given, and an unknown one is still reported at its path.
    #[test]
    fn many_agent_names_resolve_through_the_index() {
        let named: Vec<String> = (0..40).map(|i| format!("n-{}", (i * 7) % 50)).collect();
        let v = serde_json::json!({
            "duration": "1mins",
            "agents": [{ "name": "m", "count": 3 }, { "name": "n", "count": 50 }],
            "faults": [
                { "at": "10secs", "kind": "crash_agent", "agents": named },
                { "at": "20secs", "kind": "restart_agent", "agents": ["m-2", "n-49", "m-0"] },
            ],
        });
        let s = Scenario::from_json(&v).unwrap();
        let want: Vec<AgentIx> = (0..40).map(|i| 3 + (i * 7) % 50).collect();
        assert_eq!(s.faults[0].agents, want);
        assert_eq!(s.faults[1].agents, [2, 52, 0]);

        let mut bad = v.clone();
        bad["faults"][1]["agents"][1] = serde_json::json!("n-50");
        let err = Scenario::from_json(&bad).unwrap_err().to_string();
        assert!(
            err.contains("faults[1].agents[1]: unknown agent \"n-50\""),
            "{err}"
        );
    }
}
