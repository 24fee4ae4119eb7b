//! Reading agents: `agent_defaults` and each entry of `agents` (with `count` expansion), the
//! settings they share and the Mesos defaults those start from.

use serde_json::Value;

use super::parse::warn_refused;
use super::read::{
    duration, index, join, known_list, list_of, named, opt_duration, opt_uint, required, string,
    uint,
};
use super::read::{Errors, Obj, Zero};
use super::*;
use crate::mesos::agent::{
    DEFAULT_EXECUTOR_REREGISTRATION_TIMEOUT, DEFAULT_RECOVERY_TIMEOUT,
    DEFAULT_REGISTRATION_BACKOFF_FACTOR,
};
use crate::mesos::config::FlagScope;
use crate::time::{self, SECS};

/// The settings `agent_defaults` and each agent entry may give (`docs/scenarios.md`, "agents"):
/// Mesos agent flags (`slave/flags.cpp`) and the recovery workload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentSettings {
    /// Executors whose state it recovers (`None`: one per task).
    pub executors: Option<u64>,
    /// Completed executors whose metadata recovery re-reads.
    pub completed_executors: u64,
    /// Recovery time per (live or completed) executor.
    pub recovery_per_executor: Time,
    /// `registration_backoff_factor`.
    pub registration_backoff_factor: Time,
    /// `executor_reregistration_timeout`.
    pub executor_reregistration_timeout: Time,
    /// `recovery_timeout`.
    pub recovery_timeout: Time,
    /// Executors that do not re-register when the agent recovers.
    pub hung_executors: u32,
    /// Time to authenticate before each registration chain (0: no credential).
    pub authentication_delay: Time,
    /// Restart delay after the process exits on its own (`None`: never).
    pub supervisor_restart_delay: Option<Time>,
    /// When it answers pings.
    pub pong_when: PongWhen,
}

impl AgentSettings {
    /// What an agent runs with when the scenario says nothing: Mesos' defaults
    /// (`slave/constants.hpp`), the policy's `pong_when`, 10ms of recovery work per executor and
    /// a supervisor that restarts an exited agent after 5secs.
    pub fn defaults(policy: Policy) -> AgentSettings {
        AgentSettings {
            executors: None,
            completed_executors: 0,
            recovery_per_executor: 10 * time::MILLIS,
            registration_backoff_factor: DEFAULT_REGISTRATION_BACKOFF_FACTOR,
            executor_reregistration_timeout: DEFAULT_EXECUTOR_REREGISTRATION_TIMEOUT,
            recovery_timeout: DEFAULT_RECOVERY_TIMEOUT,
            hung_executors: 0,
            authentication_delay: 0,
            supervisor_restart_delay: Some(5 * SECS),
            pong_when: policy.defaults().2,
        }
    }

    /// The value of a duration setting by its scenario name (`None` for other names, and for a
    /// supervisor that never restarts).
    pub fn duration_setting(&self, name: &str) -> Option<Time> {
        match name {
            "recovery_per_executor" => Some(self.recovery_per_executor),
            "registration_backoff_factor" => Some(self.registration_backoff_factor),
            "executor_reregistration_timeout" => Some(self.executor_reregistration_timeout),
            "recovery_timeout" => Some(self.recovery_timeout),
            "authentication_delay" => Some(self.authentication_delay),
            "supervisor_restart_delay" => self.supervisor_restart_delay,
            _ => None,
        }
    }
}

impl AgentSpec {
    /// Executors whose state it recovers.
    pub fn executors(&self) -> u64 {
        self.settings.executors.unwrap_or(0)
    }
}

/// Reads the settings of one object (`agent_defaults` or an agent entry) over `d`.
fn read_agent_settings(errs: &mut Errors, o: &mut Obj, d: &AgentSettings) -> AgentSettings {
    let mut s = d.clone();
    if let Some(v) = o.get("executors") {
        s.executors = uint(errs, &o.path("executors"), v, 0, 1_000_000).or(s.executors);
    }
    s.completed_executors = opt_uint(
        errs,
        o,
        "completed_executors",
        (0, 100_000_000),
        s.completed_executors,
    );
    s.recovery_per_executor = opt_duration(
        errs,
        o,
        "recovery_per_executor",
        Zero::Allowed,
        s.recovery_per_executor,
    );
    // Zero would retry registration at the same instant for ever (Mesos would spin too).
    s.registration_backoff_factor = opt_duration(
        errs,
        o,
        "registration_backoff_factor",
        Zero::Rejected,
        s.registration_backoff_factor,
    );
    s.executor_reregistration_timeout = opt_duration(
        errs,
        o,
        "executor_reregistration_timeout",
        Zero::Allowed,
        s.executor_reregistration_timeout,
    );
    s.recovery_timeout = opt_duration(
        errs,
        o,
        "recovery_timeout",
        Zero::Rejected,
        s.recovery_timeout,
    );
    s.hung_executors = opt_uint(
        errs,
        o,
        "hung_executors",
        (0, 1_000_000),
        s.hung_executors.into(),
    ) as u32;
    s.authentication_delay = opt_duration(
        errs,
        o,
        "authentication_delay",
        Zero::Allowed,
        s.authentication_delay,
    );
    match o.get("supervisor_restart_delay") {
        None => {}
        Some(Value::String(never)) if never == "never" => s.supervisor_restart_delay = None,
        Some(v) => {
            s.supervisor_restart_delay =
                duration(errs, &o.path("supervisor_restart_delay"), v, Zero::Allowed)
                    .or(s.supervisor_restart_delay)
        }
    }
    if let Some(v) = o.get("pong_when") {
        let path = o.path("pong_when");
        s.pong_when = named(
            errs,
            &path,
            v,
            "pong_when",
            PongWhen::parse,
            PongWhen::choices(),
        )
        .unwrap_or(s.pong_when);
    }
    // These bounds keep recovery arithmetic far from overflow.
    if s.recovery_per_executor > time::HRS {
        errs.at(&o.path("recovery_per_executor"), "must be at most 1hrs");
    }
    if s.registration_backoff_factor > time::DAYS {
        errs.at(
            &o.path("registration_backoff_factor"),
            "must be at most 1days",
        );
    }
    if s.executor_reregistration_timeout > time::DAYS {
        errs.at(
            &o.path("executor_reregistration_timeout"),
            "must be at most 1days",
        );
    }
    for (key, value) in [
        ("recovery_timeout", Some(s.recovery_timeout)),
        ("authentication_delay", Some(s.authentication_delay)),
        ("supervisor_restart_delay", s.supervisor_restart_delay),
    ] {
        if value.is_some_and(|t| t > time::WEEKS) {
            errs.at(&o.path(key), "must be at most 1weeks");
        }
    }
    warn_refused(errs, FlagScope::Agent, o, |flag| s.duration_setting(flag));
    s
}

/// `agent_defaults`, over the Mesos defaults.
pub(super) fn agent_defaults(
    errs: &mut Errors,
    v: Option<&Value>,
    policy: Policy,
) -> AgentSettings {
    let d = AgentSettings::defaults(policy);
    let Some(v) = v else { return d };
    let Some(mut o) = Obj::new(errs, "agent_defaults", v) else {
        return d;
    };
    let s = read_agent_settings(errs, &mut o, &d);
    o.finish(errs);
    s
}

/// `agents`, each entry over `defaults`, expanded by `count`.
pub(super) fn agents(
    errs: &mut Errors,
    v: Option<&Value>,
    frameworks: &[FrameworkSpec],
    defaults: &AgentSettings,
) -> Vec<AgentSpec> {
    let mut out: Vec<AgentSpec> = Vec::new();
    let Some(v) = v else {
        errs.at(
            "agents",
            "required: at least one agent, e.g. [{ \"name\": \"agent-1\" }]",
        );
        return out;
    };
    let Some(items) = list_of(errs, "agents", v) else {
        return out;
    };
    if items.is_empty() {
        errs.at("agents", "must list at least one agent");
    }
    let mut total_tasks: usize = 0;
    let mut first_index_of = std::collections::BTreeMap::<String, usize>::new();
    for (i, item) in items.iter().enumerate() {
        let path = index("agents", i);
        let Some(mut o) = Obj::new(errs, &path, item) else {
            continue;
        };
        let name = required(
            errs,
            &mut o,
            "name",
            "the agent's name (a prefix when count > 1)",
        )
        .and_then(|v| string(errs, &o.path("name"), v))
        .map(str::to_string);
        let count = match o.get("count") {
            Some(v) => uint(errs, &o.path("count"), v, 1, LIMITS.max_agents as u64).unwrap_or(1),
            None => 1,
        };
        let zone = match o.get("zone") {
            Some(v) => string(errs, &o.path("zone"), v).unwrap_or("").to_string(),
            None => String::new(),
        };
        let mut tasks: Vec<(FwIx, u32)> = Vec::new();
        if let Some(tv) = o.get("tasks") {
            let tpath = o.path("tasks");
            if let Some(to) = Obj::new(errs, &tpath, tv) {
                for (fw_name, n) in to.map {
                    let p = join(&tpath, fw_name);
                    match frameworks.iter().position(|f| &f.name == fw_name) {
                        Some(fw) => {
                            if let Some(n) = uint(errs, &p, n, 0, 10_000) {
                                if n > 0 {
                                    tasks.push((fw as FwIx, n as u32));
                                }
                            }
                        }
                        None => errs.at(
                            &p,
                            format!(
                                "unknown framework \"{fw_name}\"{}",
                                known_list(frameworks.iter().map(|f| f.name.as_str()))
                            ),
                        ),
                    }
                }
            }
        }
        let s = read_agent_settings(errs, &mut o, defaults);
        o.finish(errs);
        let Some(name) = name else { continue };
        if name.is_empty() {
            errs.at(&join(&path, "name"), "must not be empty");
            continue;
        }
        let per_agent_tasks: usize = tasks.iter().map(|&(_, n)| n as usize).sum();
        total_tasks = total_tasks.saturating_add(per_agent_tasks.saturating_mul(count as usize));
        if out.len() + count as usize > LIMITS.max_agents {
            errs.at(
                &path,
                format!(
                    "the scenario would have more than the limit of {} agents",
                    LIMITS.max_agents
                ),
            );
            return out;
        }
        let executors = s.executors.unwrap_or(per_agent_tasks as u64);
        for k in 0..count {
            let full = if count > 1 {
                format!("{name}-{k}")
            } else {
                name.clone()
            };
            if let Some(&j) = first_index_of.get(&full) {
                errs.at(
                    &join(&path, "name"),
                    format!("duplicate agent name \"{full}\" (also made by agents[{j}])"),
                );
                break;
            }
            first_index_of.insert(full.clone(), i);
            out.push(AgentSpec {
                name: full,
                tasks: tasks.clone(),
                settings: AgentSettings {
                    executors: Some(executors),
                    ..s.clone()
                },
                zone: zone.clone(),
            });
        }
    }
    if total_tasks > LIMITS.max_tasks {
        errs.at(
            "agents",
            format!(
                "{total_tasks} tasks is more than the limit of {}",
                LIMITS.max_tasks
            ),
        );
    }
    out
}
