//! Validation of scenario JSON. Every problem is collected (not just the first), each prefixed
//! with its JSON path, and unknown fields are errors so that typos never pass silently.

use serde_json::{Map, Value};

use super::*;
use crate::mesos::metrics::METRIC_NAMES;
use crate::mesos::types::{
    AgentAbort, Cause, ExecutorEnd, RemovalReason, ReregistrationPolicy, TaskReason, TaskState,
};
use crate::time::{self, MINS, SECS};
use crate::trace::EVENT_FIELDS;

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

/// Collected problems, then warnings: input that runs but that Mesos would not accept as written.
#[derive(Default)]
pub(crate) struct Errors(pub(crate) Vec<String>, Vec<String>);

impl Errors {
    /// Records a problem at a JSON path.
    pub(crate) fn at(&mut self, path: &str, msg: impl std::fmt::Display) {
        let path = if path.is_empty() { "(scenario)" } else { path };
        // One problem, one line: control characters from the input (a newline in a key or a
        // name) are shown escaped.
        let line = format!("{path}: {msg}");
        if line.chars().any(char::is_control) {
            self.0.push(
                line.chars()
                    .map(|c| {
                        if c.is_control() {
                            c.escape_default().to_string()
                        } else {
                            c.to_string()
                        }
                    })
                    .collect(),
            );
        } else {
            self.0.push(line);
        }
    }

    /// Records a warning at a JSON path (of a field the reader knows, so free of control
    /// characters).
    pub(crate) fn warn(&mut self, path: &str, msg: impl std::fmt::Display) {
        self.1.push(format!("{path}: {msg}"));
    }

    /// The warnings recorded so far.
    pub(crate) fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.1)
    }
}

/// Warns when a duration is written in a form Mesos' flag parser refuses (`15s`), naming Mesos'
/// spelling (`15secs`).
fn warn_spelling(errs: &mut Errors, path: &str, text: &str, prefix: &str) {
    if let Some(mesos) = time::mesos_spelling(text) {
        errs.warn(
            path,
            format!(
                "\"{prefix}{}\" is not Mesos syntax; Mesos writes \"{prefix}{mesos}\"",
                text.trim()
            ),
        );
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

pub(crate) fn describe(v: &Value) -> String {
    let text = match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("the string {:?}", s),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    };
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

/// An object being read: remembers which keys were used so the rest can be reported.
pub(crate) struct Obj<'a> {
    pub(crate) path: String,
    pub(crate) map: &'a Map<String, Value>,
    pub(crate) used: Vec<&'static str>,
}

impl<'a> Obj<'a> {
    pub(crate) fn new(errs: &mut Errors, path: &str, v: &'a Value) -> Option<Obj<'a>> {
        match v {
            Value::Object(map) => Some(Obj {
                path: path.to_string(),
                map,
                used: Vec::new(),
            }),
            other => {
                errs.at(path, format!("expected an object, got {}", describe(other)));
                None
            }
        }
    }

    /// The value of `key`, if present and not null.
    pub(crate) fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.used.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub(crate) fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// Reports every key not read.
    pub(crate) fn finish(self, errs: &mut Errors) {
        for key in self.map.keys() {
            if !self.used.iter().any(|u| u == key) {
                let mut known: Vec<&str> = self.used.clone();
                known.sort_unstable();
                known.dedup();
                let hint = match suggest(key, &known) {
                    Some(s) => format!(" (did you mean \"{s}\"?)"),
                    None => format!("; known fields: {}", known.join(", ")),
                };
                errs.at(&join(&self.path, key), format!("unknown field{hint}"));
            }
        }
    }
}

/// The known name closest to a typo, if it is close.
fn suggest<'k>(typo: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(typo, k), *k))
        .filter(|&(d, k)| d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Whether zero is an acceptable duration for a field.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Zero {
    Allowed,
    Rejected,
}

pub(crate) fn duration(errs: &mut Errors, path: &str, v: &Value, zero: Zero) -> Option<Time> {
    let parsed = match v {
        Value::String(s) => time::parse_duration(s),
        Value::Number(n) => match n.as_f64() {
            Some(ms) => time::millis_to_time(ms),
            None => Err("not a number".to_string()),
        },
        other => Err(format!(
            "expected a duration such as \"15secs\" (or a number of milliseconds), got {}",
            describe(other)
        )),
    };
    match parsed {
        Ok(0) if zero == Zero::Rejected => {
            errs.at(path, "must be positive");
            None
        }
        Ok(t) => {
            if let Value::String(text) = v {
                warn_spelling(errs, path, text, "");
            }
            Some(t)
        }
        Err(e) => {
            errs.at(path, e);
            None
        }
    }
}

pub(crate) fn opt_duration(
    errs: &mut Errors,
    o: &mut Obj,
    key: &'static str,
    zero: Zero,
    default: Time,
) -> Time {
    match o.get(key) {
        Some(v) => duration(errs, &o.path(key), v, zero).unwrap_or(default),
        None => default,
    }
}

pub(crate) fn uint(errs: &mut Errors, path: &str, v: &Value, min: u64, max: u64) -> Option<u64> {
    let n = match v {
        Value::Number(n) => match n.as_u64() {
            Some(n) => n,
            None => {
                errs.at(
                    path,
                    format!("expected a whole number from {min} to {max}, got {n}"),
                );
                return None;
            }
        },
        other => {
            errs.at(
                path,
                format!("expected a whole number, got {}", describe(other)),
            );
            return None;
        }
    };
    if n < min {
        errs.at(path, format!("must be at least {min}"));
        None
    } else if n > max {
        errs.at(path, format!("must be at most {max}"));
        None
    } else {
        Some(n)
    }
}

pub(crate) fn boolean(errs: &mut Errors, path: &str, v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        other => {
            errs.at(
                path,
                format!("expected true or false, got {}", describe(other)),
            );
            None
        }
    }
}

pub(crate) fn string<'v>(errs: &mut Errors, path: &str, v: &'v Value) -> Option<&'v str> {
    match v {
        Value::String(s) => Some(s),
        other => {
            errs.at(path, format!("expected a string, got {}", describe(other)));
            None
        }
    }
}

pub(crate) fn named<T>(
    errs: &mut Errors,
    path: &str,
    v: &Value,
    what: &str,
    parse: fn(&str) -> Option<T>,
    choices: String,
) -> Option<T> {
    let s = string(errs, path, v)?;
    let parsed = parse(s);
    if parsed.is_none() {
        errs.at(
            path,
            format!("unknown {what} \"{s}\"; expected one of {choices}"),
        );
    }
    parsed
}

pub(crate) fn rate_limit(errs: &mut Errors, path: &str, v: &Value) -> Option<RateLimit> {
    let s = string(errs, path, v)?;
    let Some((permits, per)) = s.split_once('/') else {
        errs.at(
            path,
            format!("\"{s}\" is not a rate: expected \"<permits>/<duration>\", e.g. \"1/20mins\""),
        );
        return None;
    };
    let permits = match permits.trim().parse::<u64>() {
        Ok(0) => {
            errs.at(path, format!("\"{s}\": permits must be at least 1"));
            return None;
        }
        Ok(p) if p <= 1_000_000 => p,
        _ => {
            errs.at(
                path,
                format!("\"{s}\": permits must be a whole number from 1 to 1000000"),
            );
            return None;
        }
    };
    let per = rate_period(errs, path, s, per)?;
    if per / permits == 0 {
        errs.at(path, format!("\"{s}\": permits are closer than 1us apart"));
        return None;
    }
    Some(RateLimit { permits, per })
}

/// The period `per` of the rate `s` (`"<count>/<per>"`): a positive duration.
pub(crate) fn rate_period(errs: &mut Errors, path: &str, s: &str, per: &str) -> Option<Time> {
    match time::parse_duration(per) {
        Ok(0) => {
            errs.at(path, format!("\"{s}\": the period must be positive"));
            None
        }
        Ok(period) => {
            warn_spelling(errs, path, per, &s[..s.len() - per.len()]);
            Some(period)
        }
        Err(e) => {
            errs.at(path, format!("\"{s}\": the period {e}"));
            None
        }
    }
}

/// A percentage such as `"100%"` or `"12.5%"`, in millionths of a percent.
pub(crate) fn percent(errs: &mut Errors, path: &str, v: &Value) -> Option<u64> {
    let s = string(errs, path, v)?;
    let Some(number) = s.trim().strip_suffix('%') else {
        errs.at(path, format!("\"{s}\" must end in %, e.g. \"100%\""));
        return None;
    };
    let millionths = parse_fixed(number.trim(), 6);
    match millionths {
        Some(m) if m <= 100_000_000 => Some(m),
        Some(_) => {
            errs.at(path, format!("\"{s}\" must be between 0% and 100%"));
            None
        }
        None => {
            errs.at(
                path,
                format!("\"{s}\" is not a percentage such as \"100%\""),
            );
            None
        }
    }
}

/// `digits[.digits]` as an integer scaled by `10^decimals`.
pub(crate) fn parse_fixed(s: &str, decimals: u32) -> Option<u64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() || frac.len() > decimals as usize || int.len() > 6 {
        return None;
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac_val: u64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    Some(int * 10u64.pow(decimals) + frac_val * 10u64.pow(decimals - frac.len() as u32))
}

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
    let (_, _, pong_default) = policy.defaults();

    let master = master_config(&mut errs, o.get("master"), policy);
    let detector = super::detectors::detector(&mut errs, &mut o);
    let network = network_config(&mut errs, o.get("network"));
    let frameworks = frameworks(&mut errs, o.get("frameworks"));
    let defaults = agent_defaults(&mut errs, o.get("agent_defaults"), pong_default);
    let agents = agents(&mut errs, o.get("agents"), &frameworks, &defaults);

    let names = Names {
        agents: &agents,
        frameworks: &frameworks,
    };
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
    warnings.extend(mesos_warnings(&master, &agents, &faults, duration));
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

/// Values the engine runs with but Mesos itself would refuse at start-up.
fn mesos_warnings(
    master: &MasterConfig,
    agents: &[AgentSpec],
    faults: &[Fault],
    duration: Time,
) -> Vec<String> {
    let mut w = Vec::new();
    if master.agent_reregister_timeout < 10 * MINS {
        w.push(format!(
            "master.agent_reregister_timeout: {} is below 10mins, which Mesos refuses at start-up",
            time::format_duration(master.agent_reregister_timeout)
        ));
    }
    if !(SECS..=15 * MINS).contains(&master.agent_ping_timeout) {
        w.push(format!(
            "master.agent_ping_timeout: {} is outside 1secs..15mins, which Mesos refuses",
            time::format_duration(master.agent_ping_timeout)
        ));
    }
    if let Some(a) = agents.iter().find(|a| a.registration_backoff_factor > MINS) {
        w.push(format!(
            "agents ({}): registration_backoff_factor above 1mins is refused by Mesos",
            a.name
        ));
    }
    if let Some(a) = agents
        .iter()
        .find(|a| a.executor_reregistration_timeout > 15 * SECS)
    {
        w.push(format!(
            "agents ({}): executor_reregistration_timeout above 15secs is refused by Mesos",
            a.name
        ));
    }
    if let Some(i) = faults.iter().position(|f| f.at > duration) {
        w.push(format!(
            "faults[{i}]: at {} is after the end of the run ({}), so it never happens",
            time::format_duration(faults[i].at),
            time::format_duration(duration)
        ));
    }
    w
}

pub(crate) fn list_of<'v>(errs: &mut Errors, path: &str, v: &'v Value) -> Option<&'v Vec<Value>> {
    match v {
        Value::Array(items) => Some(items),
        other => {
            errs.at(path, format!("expected a list, got {}", describe(other)));
            None
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
    if let Some(v) = o.get("max_agent_ping_timeouts") {
        if let Some(n) = uint(errs, &o.path("max_agent_ping_timeouts"), v, 1, 1_000) {
            cfg.max_agent_ping_timeouts = n as u32;
        }
    }
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
    if let Some(v) = o.get("registry_max_agent_count") {
        if let Some(n) = uint(
            errs,
            &o.path("registry_max_agent_count"),
            v,
            0,
            u32::MAX as u64,
        ) {
            cfg.registry_max_agent_count = n;
        }
    }
    if let Some(v) = o.get("registry_store_timeout") {
        cfg.registry_store_timeout =
            duration(errs, &o.path("registry_store_timeout"), v, Zero::Rejected);
    }
    if let Some(v) = o.get("max_unreachable_tasks_per_framework") {
        if let Some(n) = uint(
            errs,
            &o.path("max_unreachable_tasks_per_framework"),
            v,
            0,
            u32::MAX as u64,
        ) {
            cfg.max_unreachable_tasks_per_framework = n;
        }
    }
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
    o.finish(errs);
    cfg
}

fn network_config(errs: &mut Errors, v: Option<&Value>) -> NetworkConfig {
    let mut cfg = NetworkConfig {
        latency: time::MILLIS,
        jitter: 0,
        drop_rate: 0.0,
    };
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
        let name = match o.get("name") {
            Some(v) => string(errs, &o.path("name"), v).map(str::to_string),
            None => {
                errs.at(&o.path("name"), "required");
                None
            }
        };
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

/// Per-agent settings that `agent_defaults` may change for every agent.
#[derive(Clone)]
struct AgentDefaults {
    executors: Option<u64>,
    completed_executors: u64,
    recovery_per_executor: Time,
    registration_backoff_factor: Time,
    executor_reregistration_timeout: Time,
    recovery_timeout: Time,
    hung_executors: u32,
    authentication_delay: Time,
    supervisor_restart_delay: Option<Time>,
    pong_when: PongWhen,
}

fn read_agent_settings(errs: &mut Errors, o: &mut Obj, d: &AgentDefaults) -> AgentDefaults {
    let mut s = d.clone();
    if let Some(v) = o.get("executors") {
        s.executors = uint(errs, &o.path("executors"), v, 0, 1_000_000).or(s.executors);
    }
    if let Some(v) = o.get("completed_executors") {
        s.completed_executors = uint(errs, &o.path("completed_executors"), v, 0, 100_000_000)
            .unwrap_or(s.completed_executors);
    }
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
    if let Some(v) = o.get("hung_executors") {
        if let Some(n) = uint(errs, &o.path("hung_executors"), v, 0, 1_000_000) {
            s.hung_executors = n as u32;
        }
    }
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
    s
}

fn agent_defaults(errs: &mut Errors, v: Option<&Value>, pong_when: PongWhen) -> AgentDefaults {
    let d = AgentDefaults {
        executors: None,
        completed_executors: 0,
        recovery_per_executor: 10 * time::MILLIS,
        registration_backoff_factor: SECS,
        executor_reregistration_timeout: 2 * SECS,
        recovery_timeout: crate::mesos::agent::DEFAULT_RECOVERY_TIMEOUT,
        hung_executors: 0,
        authentication_delay: 0,
        supervisor_restart_delay: Some(5 * SECS),
        pong_when,
    };
    let Some(v) = v else { return d };
    let Some(mut o) = Obj::new(errs, "agent_defaults", v) else {
        return d;
    };
    let s = read_agent_settings(errs, &mut o, &d);
    o.finish(errs);
    s
}

fn agents(
    errs: &mut Errors,
    v: Option<&Value>,
    frameworks: &[FrameworkSpec],
    defaults: &AgentDefaults,
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
        let name = match o.get("name") {
            Some(v) => string(errs, &o.path("name"), v).map(str::to_string),
            None => {
                errs.at(&o.path("name"), "required");
                None
            }
        };
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
                executors,
                completed_executors: s.completed_executors,
                recovery_per_executor: s.recovery_per_executor,
                registration_backoff_factor: s.registration_backoff_factor,
                executor_reregistration_timeout: s.executor_reregistration_timeout,
                recovery_timeout: s.recovery_timeout,
                hung_executors: s.hung_executors,
                authentication_delay: s.authentication_delay,
                supervisor_restart_delay: s.supervisor_restart_delay,
                pong_when: s.pong_when,
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

fn known_list<'n>(names: impl Iterator<Item = &'n str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.len() {
        0 => "; none are defined".to_string(),
        1..=8 => format!("; known: {}", names.join(", ")),
        n => format!("; known: {}, … ({n} in all)", names[..8].join(", ")),
    }
}

/// What names a fault or expectation may refer to.
struct Names<'a> {
    pub agents: &'a [AgentSpec],
    pub frameworks: &'a [FrameworkSpec],
}

impl Names<'_> {
    fn agent(&self, errs: &mut Errors, path: &str, v: &Value) -> Option<AgentIx> {
        let name = string(errs, path, v)?;
        let found = self.agents.iter().position(|a| a.name == name);
        if found.is_none() {
            errs.at(
                path,
                format!(
                    "unknown agent \"{name}\"{}",
                    known_list(self.agents.iter().map(|a| a.name.as_str()))
                ),
            );
        }
        found.map(|i| i as AgentIx)
    }

    fn framework(&self, errs: &mut Errors, path: &str, v: &Value) -> Option<FwIx> {
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

const FAULT_KINDS: &str = "restart_agent, crash_agent, start_agent, finish_recovery, partition, heal, break_socket, drop_messages, shutdown_agent, fail_over_master, disconnect_framework, reconnect_framework";

fn recovery(errs: &mut Errors, o: &mut Obj) -> Recovery {
    match o.get("recovery") {
        None => Recovery::Computed,
        Some(Value::String(s)) if s == "hang" => Recovery::Hang,
        Some(v) => match duration(errs, &o.path("recovery"), v, Zero::Allowed) {
            Some(t) => Recovery::Fixed(t),
            None => Recovery::Computed,
        },
    }
}

/// Parses one fault. With `require_at` false (faults injected through the API) `at` may be absent
/// and is then 0 (the caller sets the real time).
fn fault(
    errs: &mut Errors,
    path: &str,
    v: &Value,
    names: &Names,
    require_at: bool,
) -> Option<Fault> {
    let mut o = Obj::new(errs, path, v)?;
    let at = match o.get("at") {
        Some(v) => duration(errs, &o.path("at"), v, Zero::Allowed),
        None if require_at => {
            errs.at(
                &o.path("at"),
                "required: when the fault happens, e.g. \"1min\"",
            );
            None
        }
        None => Some(0),
    };
    let kind_name = match o.get("kind") {
        Some(v) => string(errs, &o.path("kind"), v),
        None => {
            errs.at(&o.path("kind"), format!("required; one of {FAULT_KINDS}"));
            None
        }
    };
    let Some(kind_name) = kind_name else {
        o.used.extend_from_slice(&[
            "agents",
            "recovery",
            "work_dir_lost",
            "direction",
            "breaks_socket",
            "messages",
            "until",
            "downtime",
            "framework",
        ]);
        o.finish(errs);
        return None;
    };
    let takes_agents = !matches!(
        kind_name,
        "fail_over_master" | "disconnect_framework" | "reconnect_framework"
    );
    let mut agents = Vec::new();
    if takes_agents {
        let apath = o.path("agents");
        match o.get("agents") {
            Some(Value::String(s)) if s == "all" => {
                agents = (0..names.agents.len() as AgentIx).collect()
            }
            Some(Value::Array(items)) => {
                if items.is_empty() {
                    errs.at(&apath, "must name at least one agent (or be \"all\")");
                }
                for (i, item) in items.iter().enumerate() {
                    if let Some(a) = names.agent(errs, &index(&apath, i), item) {
                        if !agents.contains(&a) {
                            agents.push(a);
                        }
                    }
                }
            }
            Some(other) => errs.at(
                &apath,
                format!(
                    "expected a list of agent names or \"all\", got {}",
                    describe(other)
                ),
            ),
            None => errs.at(&apath, "required: a list of agent names or \"all\""),
        }
    }
    let kind = match kind_name {
        "restart_agent" | "start_agent" => {
            let recovery = recovery(errs, &mut o);
            let work_dir_lost = match o.get("work_dir_lost") {
                Some(v) => boolean(errs, &o.path("work_dir_lost"), v).unwrap_or(false),
                None => false,
            };
            if kind_name == "restart_agent" {
                Some(FaultKind::RestartAgent {
                    recovery,
                    work_dir_lost,
                })
            } else {
                Some(FaultKind::StartAgent {
                    recovery,
                    work_dir_lost,
                })
            }
        }
        "crash_agent" => Some(FaultKind::CrashAgent),
        "finish_recovery" => Some(FaultKind::FinishRecovery),
        "partition" => {
            let direction = match o.get("direction") {
                None => Some(Direction::Both),
                Some(v) => match string(errs, &o.path("direction"), v) {
                    Some("both") => Some(Direction::Both),
                    Some("master_to_agent") => Some(Direction::MasterToAgent),
                    Some("agent_to_master") => Some(Direction::AgentToMaster),
                    Some(other) => {
                        errs.at(
                            &o.path("direction"),
                            format!("unknown direction \"{other}\"; expected one of both, master_to_agent, agent_to_master"),
                        );
                        None
                    }
                    None => None,
                },
            };
            let breaks_socket = match o.get("breaks_socket") {
                Some(v) => boolean(errs, &o.path("breaks_socket"), v).unwrap_or(false),
                None => false,
            };
            direction.map(|direction| FaultKind::Partition {
                direction,
                breaks_socket,
            })
        }
        "heal" => Some(FaultKind::Heal),
        "break_socket" => Some(FaultKind::BreakSocket),
        "drop_messages" => {
            let mpath = o.path("messages");
            let mut messages = Vec::new();
            match o.get("messages") {
                Some(Value::Array(items)) if !items.is_empty() => {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(m) = named(
                            errs,
                            &index(&mpath, i),
                            item,
                            "message",
                            MessageKind::parse,
                            MessageKind::choices(),
                        ) {
                            messages.push(m);
                        }
                    }
                }
                Some(other) => errs.at(
                    &mpath,
                    format!(
                        "expected a non-empty list of Mesos message names, got {}",
                        describe(other)
                    ),
                ),
                None => errs.at(
                    &mpath,
                    format!("required; names from {}", MessageKind::choices()),
                ),
            }
            let until = match o.get("until") {
                Some(v) => duration(errs, &o.path("until"), v, Zero::Allowed),
                None => {
                    errs.at(&o.path("until"), "required: the time the drops stop");
                    None
                }
            };
            if let (Some(until), Some(at)) = (until, at) {
                if until < at && require_at {
                    errs.at(&o.path("until"), "must not be before \"at\"");
                }
            }
            until.map(|until| FaultKind::DropMessages { messages, until })
        }
        "shutdown_agent" => Some(FaultKind::ShutdownAgent),
        "fail_over_master" => {
            let downtime = match o.get("downtime") {
                Some(v) => duration(errs, &o.path("downtime"), v, Zero::Allowed),
                None => Some(10 * SECS),
            };
            downtime.map(|downtime| FaultKind::FailOverMaster { downtime })
        }
        "disconnect_framework" | "reconnect_framework" => {
            let fw = match o.get("framework") {
                Some(v) => names.framework(errs, &o.path("framework"), v),
                None => {
                    errs.at(&o.path("framework"), "required: the framework's name");
                    None
                }
            };
            fw.map(|framework| {
                if kind_name == "disconnect_framework" {
                    FaultKind::DisconnectFramework { framework }
                } else {
                    FaultKind::ReconnectFramework { framework }
                }
            })
        }
        other => {
            errs.at(
                &o.path("kind"),
                format!("unknown fault kind \"{other}\"; expected one of {FAULT_KINDS}"),
            );
            None
        }
    };
    o.finish(errs);
    Some(Fault {
        at: at?,
        agents,
        kind: kind?,
        raw: v.clone(),
    })
}

/// Parses a fault given through the API (JSON path prefix `fault`), for a scenario's names.
pub fn parse_fault(v: &Value, scenario: &Scenario) -> Result<Fault, InvalidInput> {
    let mut errs = Errors::default();
    let names = Names {
        agents: &scenario.agents,
        frameworks: &scenario.frameworks,
    };
    match fault(&mut errs, "fault", v, &names, false) {
        Some(f) if errs.0.is_empty() => Ok(f),
        _ => Err(InvalidInput { problems: errs.0 }),
    }
}

fn expectation(errs: &mut Errors, path: &str, v: &Value, names: &Names) -> Option<Expectation> {
    let mut o = Obj::new(errs, path, v)?;
    if o.has("event") {
        let event_path = o.path("event");
        let event = string(errs, &event_path, o.get("event")?)?.to_string();
        let Some(&(_, fields)) = EVENT_FIELDS.iter().find(|(name, _)| *name == event) else {
            let kinds: Vec<&str> = EVENT_FIELDS.iter().map(|(n, _)| *n).collect();
            errs.at(
                &event_path,
                format!(
                    "unknown event \"{event}\"; expected one of {}",
                    kinds.join(", ")
                ),
            );
            return None;
        };
        let between = match o.get("between") {
            Some(Value::Array(pair)) if pair.len() == 2 => {
                let bpath = o.path("between");
                let from = duration(errs, &index(&bpath, 0), &pair[0], Zero::Allowed);
                let to = duration(errs, &index(&bpath, 1), &pair[1], Zero::Allowed);
                match (from, to) {
                    (Some(f), Some(t)) if f <= t => Some(Some((f, t))),
                    (Some(_), Some(_)) => {
                        errs.at(&bpath, "the start must not be after the end");
                        None
                    }
                    _ => None,
                }
            }
            Some(other) => {
                errs.at(
                    &o.path("between"),
                    format!("expected [from, to], two times, got {}", describe(other)),
                );
                None
            }
            None => Some(None),
        };
        let mut bounds = Vec::new();
        for (key, make) in [
            ("count", CountBound::Exactly as fn(u64) -> CountBound),
            ("at_least", CountBound::AtLeast),
            ("at_most", CountBound::AtMost),
        ] {
            if let Some(v) = o.get(key) {
                if let Some(n) = uint(errs, &o.path(key), v, 0, u64::MAX >> 1) {
                    bounds.push(make(n));
                }
            }
        }
        if bounds.len() != 1 {
            errs.at(
                path,
                "an event expectation needs exactly one of count, at_least, at_most",
            );
        }
        let mut filters = Vec::new();
        for (key, value) in o.map {
            if ["event", "between", "count", "at_least", "at_most"].contains(&key.as_str()) {
                continue;
            }
            let fpath = join(path, key);
            if !fields.contains(&key.as_str()) {
                errs.at(
                    &fpath,
                    format!(
                        "\"{event}\" events have no field \"{key}\"; their fields: {}",
                        fields.join(", ")
                    ),
                );
                continue;
            }
            check_filter_value(errs, &fpath, &event, key, value, names);
            filters.push((key.clone(), value.clone()));
        }
        return Some(Expectation::EventCount {
            event,
            between: between?,
            bound: *bounds.first()?,
            filters,
            raw: v.clone(),
        });
    }
    if o.has("metric") {
        let metric = string(errs, &o.path("metric"), o.get("metric")?)?.to_string();
        if !METRIC_NAMES.contains(&metric.as_str()) {
            errs.at(
                &o.path("metric"),
                format!(
                    "unknown metric \"{metric}\"; expected one of {}",
                    METRIC_NAMES.join(", ")
                ),
            );
        }
        let equals = match o.get("equals") {
            Some(Value::Number(n)) => n.as_f64(),
            Some(other) => {
                errs.at(
                    &o.path("equals"),
                    format!("expected a number, got {}", describe(other)),
                );
                None
            }
            None => {
                errs.at(&o.path("equals"), "required: the metric's expected value");
                None
            }
        };
        let at = match o.get("at") {
            Some(v) => Some(duration(errs, &o.path("at"), v, Zero::Allowed)?),
            None => None,
        };
        o.finish(errs);
        return Some(Expectation::Metric {
            metric,
            equals: equals?,
            at,
            raw: v.clone(),
        });
    }
    if o.has("agent") || o.has("master_view") || o.has("agent_state") {
        let at = match o.get("at") {
            Some(v) => duration(errs, &o.path("at"), v, Zero::Allowed),
            None => {
                errs.at(&o.path("at"), "required: when to check the state");
                None
            }
        };
        let agent = match o.get("agent") {
            Some(v) => names.agent(errs, &o.path("agent"), v),
            None => {
                errs.at(&o.path("agent"), "required: which agent to check");
                None
            }
        };
        let mv = o.get("master_view").and_then(|v| {
            named(
                errs,
                &join(path, "master_view"),
                v,
                "master view",
                MasterView::parse,
                MasterView::choices(),
            )
        });
        let st = o.get("agent_state").and_then(|v| {
            named(
                errs,
                &join(path, "agent_state"),
                v,
                "agent state",
                AgentState::parse,
                AgentState::choices(),
            )
        });
        o.finish(errs);
        let check = match (mv, st) {
            (Some(m), None) => StateCheck::MasterView(m),
            (None, Some(s)) => StateCheck::AgentState(s),
            (Some(_), Some(_)) => {
                errs.at(
                    path,
                    "a state check takes one of master_view or agent_state, not both",
                );
                return None;
            }
            (None, None) => {
                if v.get("master_view").is_none() && v.get("agent_state").is_none() {
                    errs.at(path, "a state check needs master_view or agent_state");
                }
                return None;
            }
        };
        return Some(Expectation::State {
            at: at?,
            agent: agent?,
            check,
            raw: v.clone(),
        });
    }
    errs.at(
        path,
        "expected a state check {at, agent, master_view|agent_state}, an event count {event, count|at_least|at_most} or a metric {metric, equals}",
    );
    None
}

/// Catches filter values that can never match (a misspelt agent, cause or state).
fn check_filter_value(
    errs: &mut Errors,
    path: &str,
    event: &str,
    key: &str,
    value: &Value,
    names: &Names,
) {
    let Some(s) = value.as_str() else { return };
    let ok_or = |ok: bool, what: &str, choices: String, errs: &mut Errors| {
        if !ok {
            errs.at(
                path,
                format!("unknown {what} \"{s}\"; expected one of {choices}"),
            );
        }
    };
    match key {
        "agent" => {
            names.agent(errs, path, value);
        }
        "framework" => {
            names.framework(errs, path, value);
        }
        "cause" => ok_or(Cause::parse(s).is_some(), "cause", Cause::choices(), errs),
        "state" => ok_or(
            TaskState::parse(s).is_some(),
            "task state",
            TaskState::choices(),
            errs,
        ),
        "reason" => match event {
            "task_status" => ok_or(
                TaskReason::parse(s).is_some(),
                "reason",
                TaskReason::choices(),
                errs,
            ),
            "agent_removed" => ok_or(
                RemovalReason::parse(s).is_some(),
                "reason",
                RemovalReason::choices(),
                errs,
            ),
            "executor_terminated" => ok_or(
                ExecutorEnd::parse(s).is_some(),
                "reason",
                ExecutorEnd::choices(),
                errs,
            ),
            "agent_aborted" => ok_or(
                AgentAbort::parse(s).is_some(),
                "reason",
                AgentAbort::choices(),
                errs,
            ),
            _ => {}
        },
        "message" if MessageKind::parse(s).is_none() && !s.contains(' ') => {
            ok_or(false, "message", MessageKind::choices(), errs)
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_field_names() {
        assert_eq!(
            suggest("agent_ping_timout", &["agent_ping_timeout", "seed"]),
            Some("agent_ping_timeout")
        );
        assert_eq!(suggest("zzz", &["agent_ping_timeout"]), None);
    }

    #[test]
    fn percentages_are_exact() {
        assert_eq!(parse_fixed("12.5", 6), Some(12_500_000));
        assert_eq!(parse_fixed("100", 6), Some(100_000_000));
        assert_eq!(parse_fixed("abc", 6), None);
    }
}
