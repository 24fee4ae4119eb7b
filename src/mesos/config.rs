//! The model's own settings: the master's flags and how long an agent's recovery takes. The
//! scenario parser fills them in; the master and agent read them. Nothing here knows about the
//! file format.

use super::types::{MesosVersion, Policy, ReregistrationPolicy};
use crate::time::{Time, MINS, SECS, WEEKS};

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
