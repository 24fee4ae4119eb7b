//! The master's metric counters, named as Mesos names them.

/// Counters of the master (summed over master incarnations when the master fails over).
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
    /// `master/tasks_unreachable`
    pub tasks_unreachable: u64,
    /// `master/slave_registrations`
    pub slave_registrations: u64,
    /// `master/slave_reregistrations`
    pub slave_reregistrations: u64,
}

/// Every metric name the engine reports (counters, then the gauges the simulator derives).
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
    "master/tasks_unreachable",
    "master/slave_registrations",
    "master/slave_reregistrations",
    "master/slaves_connected",
    "master/slaves_disconnected",
    "master/slaves_unreachable",
];

impl Metrics {
    /// The counters as (name, value) pairs, in [`METRIC_NAMES`] order.
    pub fn counters(&self) -> [(&'static str, u64); 12] {
        [
            (METRIC_NAMES[0], self.slave_unreachable_scheduled),
            (METRIC_NAMES[1], self.slave_unreachable_completed),
            (METRIC_NAMES[2], self.slave_unreachable_canceled),
            (METRIC_NAMES[3], self.slave_removals),
            (METRIC_NAMES[4], self.slave_removals_reason_unhealthy),
            (METRIC_NAMES[5], self.slave_removals_reason_unregistered),
            (METRIC_NAMES[6], self.slave_removals_reason_registered),
            (METRIC_NAMES[7], self.recovery_slave_removals),
            (METRIC_NAMES[8], self.tasks_lost),
            (METRIC_NAMES[9], self.tasks_unreachable),
            (METRIC_NAMES[10], self.slave_registrations),
            (METRIC_NAMES[11], self.slave_reregistrations),
        ]
    }
}
