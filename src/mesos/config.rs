//! The model's own settings: the master's flags, how long an agent's recovery takes, and the
//! values Mesos refuses at start-up. The scenario parser fills them in; the master and agent read
//! them. Nothing here knows about the file format.

use super::agent::{MAX_EXECUTOR_REREGISTRATION_TIMEOUT, REGISTER_RETRY_INTERVAL_MAX};
use super::types::{named_enum, MesosVersion, Policy, ReregistrationPolicy};
use crate::time::{format_duration, Time, MINS, SECS, WEEKS};

/// `agent_removal_rate_limit`: `permits` per `per`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Permits per period (at least 1).
    pub permits: u64,
    /// The period.
    pub per: Time,
}

impl RateLimit {
    /// The spacing between two permits (`duration / permits`, as libprocess' `RateLimiter`).
    pub fn interval(&self) -> Time {
        self.per / self.permits
    }
}

/// Master flags (`master/flags.cpp`) and the policy switches.
#[derive(Clone, Debug)]
pub struct MasterConfig {
    /// `agent_ping_timeout` (P).
    pub agent_ping_timeout: Time,
    /// `max_agent_ping_timeouts` (N).
    pub max_agent_ping_timeouts: u32,
    /// `agent_reregister_timeout` (R).
    pub agent_reregister_timeout: Time,
    /// `agent_removal_rate_limit`; `None` means no limiter.
    pub agent_removal_rate_limit: Option<RateLimit>,
    /// `recovery_agent_removal_limit` in millionths of a percent (100% = 100_000_000).
    pub recovery_agent_removal_limit: u64,
    /// How long a registry operation takes to commit.
    pub registry_write_latency: Time,
    /// `registry_gc_interval`.
    pub registry_gc_interval: Time,
    /// `registry_max_agent_age`.
    pub registry_max_agent_age: Time,
    /// `registry_max_agent_count`.
    pub registry_max_agent_count: u64,
    /// Whether `exited()` arms the per-agent re-registration timer (MESOS-6286).
    pub reregister_timer: bool,
    /// What re-registration does with the tasks of a removed agent.
    pub reregistration_policy: ReregistrationPolicy,
    /// `registry_store_timeout`: a registry write slower than this fails and the master aborts
    /// (`Registrar::update` → `LOG(FATAL)` in the master). `None`: off (the default here; Mesos'
    /// own default is 20secs, irrelevant while writes take `registry_write_latency`).
    pub registry_store_timeout: Option<Time>,
    /// `max_unreachable_tasks_per_framework`: the master keeps at most this many unreachable
    /// tasks per framework (the `master/tasks_unreachable` gauge counts them).
    pub max_unreachable_tasks_per_framework: u64,
    /// Which Mesos release's master code runs (from the policy).
    pub version: MesosVersion,
}

impl MasterConfig {
    /// Mesos' own defaults (`master/constants.hpp`, `master/flags.cpp`) with the policy's
    /// switches.
    pub fn defaults(policy: Policy) -> MasterConfig {
        let (reregister_timer, reregistration_policy, _) = policy.defaults();
        MasterConfig {
            agent_ping_timeout: 15 * SECS,
            max_agent_ping_timeouts: 5,
            agent_reregister_timeout: 10 * MINS,
            agent_removal_rate_limit: None,
            recovery_agent_removal_limit: 100_000_000,
            registry_write_latency: 0,
            registry_gc_interval: 15 * MINS,
            registry_max_agent_age: 2 * WEEKS,
            registry_max_agent_count: 102_400,
            reregister_timer,
            reregistration_policy,
            registry_store_timeout: None,
            max_unreachable_tasks_per_framework: 1_000,
            version: policy.version(),
        }
    }

    /// The total ping timeout `P × N` (75 s by default), which the master also sends to agents.
    pub fn total_ping_timeout(&self) -> Time {
        self.agent_ping_timeout * self.max_agent_ping_timeouts as Time
    }

    /// The value of a duration flag by its name (`None` for other names, and for a flag that is
    /// off).
    pub fn duration_flag(&self, name: &str) -> Option<Time> {
        match name {
            "agent_ping_timeout" => Some(self.agent_ping_timeout),
            "agent_reregister_timeout" => Some(self.agent_reregister_timeout),
            "registry_write_latency" => Some(self.registry_write_latency),
            "registry_gc_interval" => Some(self.registry_gc_interval),
            "registry_max_agent_age" => Some(self.registry_max_agent_age),
            "registry_store_timeout" => self.registry_store_timeout,
            _ => None,
        }
    }
}

/// How long a (re)started agent recovers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recovery {
    /// From its executors (`executor_reregistration_timeout` + per-executor work).
    Computed,
    /// A given length.
    Fixed(Time),
    /// Until a `finish_recovery` fault.
    Hang,
}

/// `MIN_AGENT_REREGISTER_TIMEOUT` (`master/constants.hpp`): `Master::initialize` exits below it.
pub const MIN_AGENT_REREGISTER_TIMEOUT: Time = 10 * MINS;
/// The bounds `master/flags.cpp` checks `agent_ping_timeout` against.
pub const AGENT_PING_TIMEOUT_RANGE: (Time, Time) = (SECS, 15 * MINS);

named_enum! {
    /// Which process reads a flag.
    FlagScope {
        /// `mesos-master` (`master/flags.cpp`).
        Master = "master",
        /// `mesos-agent` (`slave/flags.cpp`).
        Agent = "agent",
    }
}

/// Values of a duration flag that Mesos refuses at start-up. The engine runs them anyway (some
/// experiments are about exactly such values) and warns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    /// Whose flag.
    pub scope: FlagScope,
    /// The flag's name (as in scenario files).
    pub flag: &'static str,
    /// Values below this are refused.
    pub min: Option<Time>,
    /// Values above this are refused.
    pub max: Option<Time>,
    /// Where Mesos refuses them.
    pub source: &'static str,
}

/// Every range Mesos refuses, for the scenario reader's warnings and for the page's sliders.
pub const MESOS_REFUSES: &[Refused] = &[
    Refused {
        scope: FlagScope::Master,
        flag: "agent_ping_timeout",
        min: Some(AGENT_PING_TIMEOUT_RANGE.0),
        max: Some(AGENT_PING_TIMEOUT_RANGE.1),
        source: "master/flags.cpp (the flag's validation)",
    },
    Refused {
        scope: FlagScope::Master,
        flag: "agent_reregister_timeout",
        min: Some(MIN_AGENT_REREGISTER_TIMEOUT),
        max: None,
        source: "master.cpp :: Master::initialize",
    },
    Refused {
        scope: FlagScope::Agent,
        flag: "registration_backoff_factor",
        min: None,
        max: Some(REGISTER_RETRY_INTERVAL_MAX),
        source: "slave.cpp :: Slave::initialize",
    },
    Refused {
        scope: FlagScope::Agent,
        flag: "executor_reregistration_timeout",
        min: None,
        max: Some(MAX_EXECUTOR_REREGISTRATION_TIMEOUT),
        source: "slave/flags.cpp (the flag's validation)",
    },
];

impl Refused {
    /// Whether Mesos refuses `value`.
    pub fn refuses(&self, value: Time) -> bool {
        self.min.is_some_and(|m| value < m) || self.max.is_some_and(|m| value > m)
    }

    /// The values refused, in words: `outside 1secs..15mins`, `below 10mins`, `above 1mins`.
    pub fn range(&self) -> String {
        match (self.min, self.max) {
            (Some(lo), Some(hi)) => {
                format!("outside {}..{}", format_duration(lo), format_duration(hi))
            }
            (Some(lo), None) => format!("below {}", format_duration(lo)),
            (None, Some(hi)) => format!("above {}", format_duration(hi)),
            (None, None) => "never".to_string(),
        }
    }

    /// The warning for `value` (without its JSON path), if Mesos refuses it: `5mins is below
    /// 10mins, which Mesos refuses at start-up`.
    pub fn warning(&self, value: Time) -> Option<String> {
        self.refuses(value).then(|| {
            format!(
                "{} is {}, which Mesos refuses at start-up",
                format_duration(value),
                self.range()
            )
        })
    }
}
