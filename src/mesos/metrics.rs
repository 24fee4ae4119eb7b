//! The master's metrics, named as Mesos names them (`master/metrics.cpp`). Counters live in the
//! master process and start from zero on every new master (`Master::Master` builds a fresh
//! `Metrics`); gauges are read from the master's state when asked.

/// Counters of one master process.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metrics {
    /// `master/slave_unreachable_scheduled`
    pub slave_unreachable_scheduled: u64,
    /// `master/slave_unreachable_completed`
    pub slave_unreachable_completed: u64,
    /// `master/slave_unreachable_canceled`
    pub slave_unreachable_canceled: u64,
    /// `master/slave_removals`
    pub slave_removals: u64,
    /// `master/slave_removals/reason_unhealthy`
    pub slave_removals_reason_unhealthy: u64,
    /// `master/slave_removals/reason_unregistered`
    pub slave_removals_reason_unregistered: u64,
    /// `master/slave_removals/reason_registered`
    pub slave_removals_reason_registered: u64,
    /// `master/recovery_slave_removals`
    pub recovery_slave_removals: u64,
    /// `master/tasks_lost`
    pub tasks_lost: u64,
    /// `master/tasks_failed`
    pub tasks_failed: u64,
    /// `master/tasks_killed`
    pub tasks_killed: u64,
    /// `master/tasks_gone`
    pub tasks_gone: u64,
    /// `master/slave_registrations`
    pub slave_registrations: u64,
    /// `master/slave_reregistrations`
    pub slave_reregistrations: u64,
    /// `master/invalid_status_updates`
    pub invalid_status_updates: u64,
}

/// The gauges the master reports (`Master::_slaves_connected` and friends).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gauges {
    /// `master/slaves_connected`: registered and connected.
    pub slaves_connected: u64,
    /// `master/slaves_disconnected`: registered, not connected.
    pub slaves_disconnected: u64,
    /// `master/slaves_unreachable`: entries in the unreachable list.
    pub slaves_unreachable: u64,
    /// `master/tasks_unreachable`: unreachable tasks the master holds (`Master::_tasks_unreachable`).
    pub tasks_unreachable: u64,
}

/// Every metric name the engine reports: the counters, then the gauges.
pub const METRIC_NAMES: &[&str] = &[
    "master/slave_unreachable_scheduled",
    "master/slave_unreachable_completed",
    "master/slave_unreachable_canceled",
    "master/slave_removals",
    "master/slave_removals/reason_unhealthy",
    "master/slave_removals/reason_unregistered",
    "master/slave_removals/reason_registered",
    "master/recovery_slave_removals",
    "master/tasks_lost",
    "master/tasks_failed",
    "master/tasks_killed",
    "master/tasks_gone",
    "master/slave_registrations",
    "master/slave_reregistrations",
    "master/invalid_status_updates",
    "master/slaves_connected",
    "master/slaves_disconnected",
    "master/slaves_unreachable",
    "master/tasks_unreachable",
];

/// How many of [`METRIC_NAMES`] are counters (the rest are gauges).
pub const COUNTERS: usize = 15;

/// Whether a metric is a gauge (it may fall) rather than a counter.
pub fn is_gauge(name: &str) -> bool {
    METRIC_NAMES[COUNTERS..].contains(&name)
}

impl Metrics {
    /// Every metric as (name, value), in [`METRIC_NAMES`] order.
    pub fn with_gauges(&self, g: Gauges) -> [(&'static str, u64); METRIC_NAMES.len()] {
        let v = [
            self.slave_unreachable_scheduled,
            self.slave_unreachable_completed,
            self.slave_unreachable_canceled,
            self.slave_removals,
            self.slave_removals_reason_unhealthy,
            self.slave_removals_reason_unregistered,
            self.slave_removals_reason_registered,
            self.recovery_slave_removals,
            self.tasks_lost,
            self.tasks_failed,
            self.tasks_killed,
            self.tasks_gone,
            self.slave_registrations,
            self.slave_reregistrations,
            self.invalid_status_updates,
            g.slaves_connected,
            g.slaves_disconnected,
            g.slaves_unreachable,
            g.tasks_unreachable,
        ];
        std::array::from_fn(|i| (METRIC_NAMES[i], v[i]))
    }
}
