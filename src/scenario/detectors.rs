//! The `detector` field and each detector's settings object (`docs/detectors.md`), with the
//! systems' own setting names and defaults, validated like the rest of a scenario. Every settings
//! object present is checked, whichever detector runs, so switching detectors keeps them.

use serde_json::Value;

use super::read::{boolean, duration, string, uint, Errors, Obj, Zero};
use crate::detectors::{kubernetes, memberlist, nomad, phi, DetectorConfig, DetectorKind};
use crate::time::{Time, HRS};

/// Reads `detector` and the settings of the one it names (all present settings are checked).
pub(crate) fn detector(errs: &mut Errors, o: &mut Obj) -> DetectorConfig {
    let kind = match o.get("detector") {
        None => DetectorKind::Mesos,
        Some(v) => match string(errs, "detector", v) {
            Some(name) => DetectorKind::parse(name).unwrap_or_else(|| {
                errs.at(
                    "detector",
                    format!(
                        "unknown detector \"{name}\"; expected one of {}",
                        DetectorKind::choices()
                    ),
                );
                DetectorKind::Mesos
            }),
            None => DetectorKind::Mesos,
        },
    };
    let k8s = kubernetes_settings(errs, o.get("kubernetes"));
    let nomad = nomad_settings(errs, o.get("nomad"));
    let ml = memberlist_settings(errs, o.get("memberlist"));
    let phi = phi_settings(errs, o.get("phi-accrual"));
    match kind {
        DetectorKind::Mesos => DetectorConfig::Mesos,
        DetectorKind::Kubernetes => DetectorConfig::Kubernetes(k8s),
        DetectorKind::Nomad => DetectorConfig::Nomad(nomad),
        DetectorKind::Memberlist => DetectorConfig::Memberlist(ml),
        DetectorKind::PhiAccrual => DetectorConfig::PhiAccrual(phi),
    }
}

/// A positive duration of at most `max`.
fn dur(errs: &mut Errors, o: &mut Obj, key: &'static str, max: Time, current: Time) -> Time {
    let Some(v) = o.get(key) else {
        return current;
    };
    let path = o.path(key);
    match duration(errs, &path, v, Zero::Rejected) {
        Some(t) if t > max => {
            errs.at(
                &path,
                format!("must be at most {}", crate::time::format_duration(max)),
            );
            current
        }
        Some(t) => t,
        None => current,
    }
}

/// A number in `range`.
fn number(
    errs: &mut Errors,
    o: &mut Obj,
    key: &'static str,
    range: std::ops::RangeInclusive<f64>,
    current: f64,
) -> f64 {
    let Some(v) = o.get(key) else {
        return current;
    };
    let path = o.path(key);
    match v.as_f64() {
        Some(x) if range.contains(&x) => x,
        _ => {
            errs.at(
                &path,
                format!("must be a number from {} to {}", range.start(), range.end()),
            );
            current
        }
    }
}

fn whole(
    errs: &mut Errors,
    o: &mut Obj,
    key: &'static str,
    min: u64,
    max: u64,
    current: u64,
) -> u64 {
    match o.get(key) {
        Some(v) => uint(errs, &o.path(key), v, min, max).unwrap_or(current),
        None => current,
    }
}

fn kubernetes_settings(errs: &mut Errors, v: Option<&Value>) -> kubernetes::Config {
    let mut c = kubernetes::Config::default();
    let Some(mut o) = v.and_then(|v| Obj::new(errs, "kubernetes", v)) else {
        return c;
    };
    c.node_monitor_period = dur(
        errs,
        &mut o,
        "node_monitor_period",
        HRS,
        c.node_monitor_period,
    );
    c.node_monitor_grace_period = dur(
        errs,
        &mut o,
        "node_monitor_grace_period",
        HRS,
        c.node_monitor_grace_period,
    );
    c.node_startup_grace_period = dur(
        errs,
        &mut o,
        "node_startup_grace_period",
        HRS,
        c.node_startup_grace_period,
    );
    c.node_lease_duration = dur(
        errs,
        &mut o,
        "node_lease_duration",
        HRS,
        c.node_lease_duration,
    );
    c.node_status_update_frequency = dur(
        errs,
        &mut o,
        "node_status_update_frequency",
        HRS,
        c.node_status_update_frequency,
    );
    c.node_status_report_frequency = dur(
        errs,
        &mut o,
        "node_status_report_frequency",
        24 * HRS,
        c.node_status_report_frequency,
    );
    c.node_eviction_rate = number(
        errs,
        &mut o,
        "node_eviction_rate",
        0.0..=1000.0,
        c.node_eviction_rate,
    );
    c.secondary_node_eviction_rate = number(
        errs,
        &mut o,
        "secondary_node_eviction_rate",
        0.0..=1000.0,
        c.secondary_node_eviction_rate,
    );
    c.large_cluster_size_threshold = whole(
        errs,
        &mut o,
        "large_cluster_size_threshold",
        0,
        1_000_000,
        c.large_cluster_size_threshold,
    );
    c.unhealthy_zone_threshold = number(
        errs,
        &mut o,
        "unhealthy_zone_threshold",
        0.0..=1.0,
        c.unhealthy_zone_threshold,
    );
    c.default_toleration_seconds = whole(
        errs,
        &mut o,
        "default_toleration_seconds",
        0,
        7 * 24 * 3600,
        c.default_toleration_seconds,
    );
    c.request_timeout = dur(errs, &mut o, "request_timeout", HRS, c.request_timeout);
    if let Some(v) = o.get("reconnect_delay") {
        let path = o.path("reconnect_delay");
        c.reconnect_delay = duration(errs, &path, v, Zero::Allowed)
            .unwrap_or(0)
            .min(HRS);
    }
    // The lease must be renewed more often than the controller waits for it.
    if c.node_lease_duration / 4 >= c.node_monitor_grace_period {
        errs.at(
            "kubernetes.node_monitor_grace_period",
            "must be longer than the lease renew interval (a quarter of node_lease_duration)",
        );
    }
    o.finish(errs);
    c
}

fn nomad_settings(errs: &mut Errors, v: Option<&Value>) -> nomad::Config {
    let mut c = nomad::Config::default();
    let Some(mut o) = v.and_then(|v| Obj::new(errs, "nomad", v)) else {
        return c;
    };
    c.min_heartbeat_ttl = dur(errs, &mut o, "min_heartbeat_ttl", HRS, c.min_heartbeat_ttl);
    c.max_heartbeats_per_second = number(
        errs,
        &mut o,
        "max_heartbeats_per_second",
        0.001..=1_000_000.0,
        c.max_heartbeats_per_second,
    );
    if let Some(v) = o.get("heartbeat_grace") {
        let path = o.path("heartbeat_grace");
        c.heartbeat_grace = duration(errs, &path, v, Zero::Allowed)
            .unwrap_or(c.heartbeat_grace)
            .min(HRS);
    }
    c.failover_heartbeat_ttl = dur(
        errs,
        &mut o,
        "failover_heartbeat_ttl",
        24 * HRS,
        c.failover_heartbeat_ttl,
    );
    if let Some(v) = o.get("lost_after") {
        let path = o.path("lost_after");
        c.lost_after = duration(errs, &path, v, Zero::Rejected).map(|t| t.min(7 * 24 * HRS));
    }
    c.rpc_timeout = dur(errs, &mut o, "rpc_timeout", HRS, c.rpc_timeout);
    o.finish(errs);
    c
}

fn memberlist_settings(errs: &mut Errors, v: Option<&Value>) -> memberlist::Config {
    let Some(mut o) = v.and_then(|v| Obj::new(errs, "memberlist", v)) else {
        return memberlist::Config::default();
    };
    let mut c = match o.get("profile") {
        None => memberlist::Config::default(),
        Some(v) => match string(errs, &o.path("profile"), v) {
            Some("lan") => memberlist::Config::default(),
            Some("wan") => memberlist::Config::wan(),
            Some("local") => memberlist::Config::local(),
            Some(other) => {
                errs.at(
                    &o.path("profile"),
                    format!("unknown profile \"{other}\"; expected one of lan, wan, local"),
                );
                memberlist::Config::default()
            }
            None => memberlist::Config::default(),
        },
    };
    c.probe_interval = dur(errs, &mut o, "probe_interval", HRS, c.probe_interval);
    c.probe_timeout = dur(errs, &mut o, "probe_timeout", HRS, c.probe_timeout);
    c.indirect_checks = whole(
        errs,
        &mut o,
        "indirect_checks",
        0,
        64,
        c.indirect_checks as u64,
    ) as u32;
    c.suspicion_mult = whole(
        errs,
        &mut o,
        "suspicion_mult",
        1,
        100,
        c.suspicion_mult as u64,
    ) as u32;
    c.suspicion_max_timeout_mult = whole(
        errs,
        &mut o,
        "suspicion_max_timeout_mult",
        1,
        100,
        c.suspicion_max_timeout_mult as u64,
    ) as u32;
    c.awareness_max_multiplier = whole(
        errs,
        &mut o,
        "awareness_max_multiplier",
        1,
        100,
        c.awareness_max_multiplier as u64,
    ) as u32;
    c.push_pull_interval = dur(
        errs,
        &mut o,
        "push_pull_interval",
        24 * HRS,
        c.push_pull_interval,
    );
    if let Some(v) = o.get("disable_tcp_pings") {
        c.disable_tcp_pings = boolean(errs, &o.path("disable_tcp_pings"), v).unwrap_or(false);
    }
    c.reconnect_interval = dur(
        errs,
        &mut o,
        "reconnect_interval",
        24 * HRS,
        c.reconnect_interval,
    );
    if c.probe_timeout >= c.probe_interval {
        errs.at(
            "memberlist.probe_timeout",
            "must be shorter than probe_interval (the indirect checks need the rest of it)",
        );
    }
    o.finish(errs);
    c
}

fn phi_settings(errs: &mut Errors, v: Option<&Value>) -> phi::Config {
    let Some(mut o) = v.and_then(|v| Obj::new(errs, "phi-accrual", v)) else {
        return phi::Config::default();
    };
    let mut c = match o.get("variant") {
        None => phi::Config::default(),
        Some(v) => match string(errs, &o.path("variant"), v) {
            Some("akka") => phi::Config::default(),
            Some("cassandra") => phi::Config::cassandra(),
            Some(other) => {
                errs.at(
                    &o.path("variant"),
                    format!("unknown variant \"{other}\"; expected one of akka, cassandra"),
                );
                phi::Config::default()
            }
            None => phi::Config::default(),
        },
    };
    c.heartbeat_interval = dur(
        errs,
        &mut o,
        "heartbeat_interval",
        HRS,
        c.heartbeat_interval,
    );
    // Cassandra refuses a convict threshold outside 5..16 (`DatabaseDescriptor`).
    let range = match c.variant {
        phi::Variant::Akka => 0.1..=1000.0,
        phi::Variant::Cassandra => 5.0..=16.0,
    };
    c.threshold = number(errs, &mut o, "threshold", range, c.threshold);
    c.max_sample_size = whole(
        errs,
        &mut o,
        "max_sample_size",
        1,
        100_000,
        c.max_sample_size,
    );
    c.min_std_deviation = dur(errs, &mut o, "min_std_deviation", HRS, c.min_std_deviation);
    if let Some(v) = o.get("acceptable_heartbeat_pause") {
        let path = o.path("acceptable_heartbeat_pause");
        c.acceptable_heartbeat_pause = duration(errs, &path, v, Zero::Allowed)
            .unwrap_or(c.acceptable_heartbeat_pause)
            .min(HRS);
    }
    c.expected_response_after = dur(
        errs,
        &mut o,
        "expected_response_after",
        HRS,
        c.expected_response_after,
    );
    match o.get("stable_after") {
        None => {}
        Some(Value::String(off)) if off == "off" => c.stable_after = None,
        Some(v) => {
            let path = o.path("stable_after");
            c.stable_after = duration(errs, &path, v, Zero::Allowed).map(|t| t.min(24 * HRS));
        }
    }
    c.max_interval = dur(errs, &mut o, "max_interval", HRS, c.max_interval);
    if c.heartbeat_interval < 10 * crate::time::MILLIS {
        errs.at("phi-accrual.heartbeat_interval", "must be at least 10ms");
    }
    o.finish(errs);
    c
}
