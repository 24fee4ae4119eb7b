//! Closed-form checks of each model on its own (the simulator's scenario tests are in
//! `tests/detectors.rs`): crash detection times, partitions survived or not, and the hung agent
//! whose heartbeat path keeps going, which none of them ever marks.

use super::testing::Driver;
use super::*;
use crate::mesos::types::{Cause, TaskReason, TaskState};
use crate::time::{MILLIS, MINS, SECS};

const LATENCY: Time = MILLIS;

fn setups(n: usize, tasks: u32) -> Vec<NodeSetup> {
    (0..n)
        .map(|i| NodeSetup {
            tasks: (0..tasks).map(|k| (i as u32 * tasks + k, 0)).collect(),
            zone: String::new(),
        })
        .collect()
}

fn driver(cfg: DetectorConfig, n: usize) -> Driver {
    let mut out = Out::default();
    let model = Model::new(&cfg, &setups(n, 2), 7, 0, &mut out).unwrap();
    Driver::new(model, out, n, LATENCY)
}

fn marked(d: &Driver, node: AgentIx) -> Vec<Time> {
    d.times(|e| matches!(e, Event::AgentMarkedUnreachable { agent, .. } if *agent == node))
}

fn tasks_with(d: &Driver, node: AgentIx, state: TaskState, reason: TaskReason) -> Vec<Time> {
    d.times(|e| {
        matches!(e, Event::TaskStatus(s)
            if s.agent == node && s.state == state && s.reason == Some(reason))
    })
}

fn status(d: &Driver, node: AgentIx, name: &str) -> Vec<Time> {
    d.times(|e| matches!(e, Event::NodeStatus(s) if s.agent == node && s.status == name))
}

// ---- Kubernetes ------------------------------------------------------------------------------

/// Lease renewals that reached the API server (LeaseUpdate arrivals) — the renew times.
fn k8s_renewals(d: &Driver, node: AgentIx, before: Time) -> Time {
    let Model::Kubernetes(m) = &d.model else {
        unreachable!()
    };
    let _ = m;
    // The gauge's lease age at `before` gives the last renew time.
    let g = d.model.gauge(before, node);
    before - g.value as Time
}

#[test]
fn kubernetes_marks_a_crashed_node_within_grace_plus_two_monitor_periods_of_its_last_renewal() {
    let cfg = kubernetes::Config::default();
    let mut d = driver(DetectorConfig::Kubernetes(cfg.clone()), 3);
    d.run_to(2 * MINS);
    d.process(1, Process::Down);
    let crash = d.now;
    d.run_to(crash + 10 * MINS);
    let last = k8s_renewals(&d, 1, crash + 30 * SECS);
    let mark = marked(&d, 1);
    assert_eq!(mark.len(), 1);
    let (g, m) = (cfg.node_monitor_grace_period, cfg.node_monitor_period);
    assert!(
        mark[0] > last + g && mark[0] <= last + g + 2 * m,
        "{mark:?} last {last}"
    );
    // Tainted at the next pass (the first node of an idle zone takes the token at once), pods
    // deleted when their 300 s toleration runs out.
    let tainted = status(&d, 1, "Unknown, tainted unreachable:NoExecute");
    assert_eq!(tainted.len(), 1);
    assert!(tainted[0] > mark[0] && tainted[0] <= mark[0] + m + 100 * MILLIS);
    let killed = tasks_with(&d, 1, TaskState::Killed, TaskReason::TaintEviction);
    assert_eq!(killed, vec![tainted[0] + 300 * SECS; 2]);
    assert!(marked(&d, 0).is_empty() && marked(&d, 2).is_empty());
}

#[test]
fn kubernetes_survives_a_thirty_second_partition_and_keeps_pods_through_two_minutes() {
    let mut d = driver(DetectorConfig::Kubernetes(kubernetes::Config::default()), 2);
    d.run_to(2 * MINS);
    d.link(0, false, false);
    d.run_to(2 * MINS + 30 * SECS);
    d.link(0, true, true);
    d.run_to(5 * MINS);
    assert!(marked(&d, 0).is_empty(), "30 s is under the grace period");
    // Two minutes: Unknown and tainted, then Ready again at the heal; nothing deleted.
    d.link(1, false, false);
    d.run_to(7 * MINS);
    d.link(1, true, true);
    d.run_to(20 * MINS);
    assert_eq!(marked(&d, 1).len(), 1);
    assert_eq!(
        status(&d, 1, "Unknown, tainted unreachable:NoExecute").len(),
        1
    );
    assert!(tasks_with(&d, 1, TaskState::Killed, TaskReason::TaintEviction).is_empty());
    assert_eq!(d.model.gauge(d.now, 1).view, MasterView::Connected);
}

#[test]
fn kubernetes_never_marks_a_hung_kubelet_whose_lease_goroutine_renews() {
    let mut d = driver(DetectorConfig::Kubernetes(kubernetes::Config::default()), 2);
    d.run_to(MINS);
    d.process(0, Process::Down);
    d.process(0, Process::Up { main_loop: false });
    d.run_to(2 * 60 * MINS);
    assert!(marked(&d, 0).is_empty());
}

// ---- Nomad -------------------------------------------------------------------------------------

#[test]
fn nomad_marks_a_crashed_client_down_ten_to_thirty_seconds_after_its_last_heartbeat() {
    for seed_node in 0..4 {
        let mut d = driver(DetectorConfig::Nomad(nomad::Config::default()), 4);
        d.run_to(5 * MINS);
        d.process(seed_node, Process::Down);
        let crash = d.now;
        d.run_to(crash + 2 * MINS);
        let mark = marked(&d, seed_node);
        assert_eq!(mark.len(), 1);
        let delay = mark[0] - crash;
        assert!(
            delay > 0 && delay <= 30 * SECS,
            "down {delay} µs after the crash"
        );
        assert_eq!(
            tasks_with(&d, seed_node, TaskState::Lost, TaskReason::NodeDown),
            vec![mark[0]; 2]
        );
    }
}

#[test]
fn nomad_lost_after_keeps_allocations_unknown_then_lost() {
    let cfg = nomad::Config {
        lost_after: Some(5 * MINS),
        ..nomad::Config::default()
    };
    let mut d = driver(DetectorConfig::Nomad(cfg), 2);
    d.run_to(MINS);
    d.link(0, false, false);
    d.link(1, false, false);
    d.run_to(3 * MINS);
    d.link(1, true, true); // Back within the window.
    d.run_to(15 * MINS);
    let m0 = marked(&d, 0)[0];
    assert_eq!(
        tasks_with(&d, 0, TaskState::Unreachable, TaskReason::NodeDisconnected),
        vec![m0; 2]
    );
    // The window's evaluation loses them; the node itself goes down at its next timer firing.
    assert_eq!(
        tasks_with(&d, 0, TaskState::Lost, TaskReason::NodeDown),
        vec![m0 + 5 * MINS; 2]
    );
    let down = status(&d, 0, "down");
    assert_eq!(down.len(), 1);
    assert!(down[0] > m0 + 5 * MINS && down[0] <= m0 + 5 * MINS + 40 * SECS);
    assert!(tasks_with(&d, 1, TaskState::Lost, TaskReason::NodeDown).is_empty());
    assert_eq!(d.model.gauge(d.now, 1).status, "ready");
}

#[test]
fn nomad_gives_every_node_the_failover_ttl_after_a_leader_change() {
    let mut d = driver(DetectorConfig::Nomad(nomad::Config::default()), 2);
    d.run_to(MINS);
    d.plane(false);
    d.process(0, Process::Down);
    d.run_to(MINS + 10 * SECS);
    d.plane(true);
    d.run_to(20 * MINS);
    assert_eq!(marked(&d, 0), vec![MINS + 10 * SECS + 300 * SECS]);
}

#[test]
fn nomad_never_marks_a_hung_client_whose_heartbeat_runs() {
    let mut d = driver(DetectorConfig::Nomad(nomad::Config::default()), 2);
    d.run_to(MINS);
    d.process(0, Process::Down);
    d.process(0, Process::Up { main_loop: false });
    d.run_to(60 * MINS);
    assert!(marked(&d, 0).is_empty());
}

// ---- memberlist --------------------------------------------------------------------------------

#[test]
fn memberlist_declares_a_crashed_member_dead_after_about_two_probes_and_the_suspicion_timeout() {
    let n = 10;
    let cfg = memberlist::Config::default();
    let mut d = driver(DetectorConfig::Memberlist(cfg.clone()), n);
    d.run_to(MINS);
    d.process(3, Process::Down);
    let crash = d.now;
    d.run_to(crash + 2 * MINS);
    let mark = marked(&d, 3);
    assert_eq!(mark.len(), 1);
    // N = 10: min suspicion = 4 × max(1, log10 10) × 1 s = 4 s; confirmations from the other
    // members' own failed probes bring the 24 s maximum down to it within a few periods.
    let min = 4 * SECS;
    let delay = mark[0] - crash;
    assert!(
        delay >= min && delay <= min + 6 * cfg.probe_interval,
        "dead {delay} µs after the crash"
    );
    let Some(Event::AgentMarkedUnreachable { cause, .. }) = d
        .events
        .iter()
        .map(|(_, e)| e)
        .find(|e| matches!(e, Event::AgentMarkedUnreachable { .. }))
    else {
        unreachable!()
    };
    assert_eq!(*cause, Cause::SuspicionTimeout);
}

#[test]
fn memberlist_a_restarted_member_refutes_and_is_alive_again() {
    let mut d = driver(DetectorConfig::Memberlist(memberlist::Config::default()), 5);
    d.run_to(MINS);
    d.link(2, false, false);
    d.run_to(2 * MINS);
    assert_eq!(d.model.gauge(d.now, 2).view, MasterView::Unreachable);
    d.link(2, true, true);
    // Push/pull (every 30 s here) tells it; it refutes with a higher incarnation.
    d.run_to(4 * MINS);
    assert_eq!(d.model.gauge(d.now, 2).view, MasterView::Connected);
}

#[test]
fn memberlist_never_marks_a_hung_member_that_acks() {
    let mut d = driver(DetectorConfig::Memberlist(memberlist::Config::default()), 5);
    d.run_to(MINS);
    d.process(0, Process::Down);
    d.process(0, Process::Up { main_loop: false });
    d.run_to(10 * MINS);
    assert!(marked(&d, 0).is_empty());
}

// ---- phi accrual ---------------------------------------------------------------------------------

/// The time after the last heartbeat at which Akka's φ reaches the threshold (bisection on the
/// formula itself).
fn phi_crossing(mean_ms: f64, std_ms: f64, threshold: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 120_000.0);
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if phi::akka_phi(mid, mean_ms, std_ms) >= threshold {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

#[test]
fn phi_accrual_marks_unreachable_at_the_first_reaper_tick_after_phi_crosses_the_threshold() {
    let cfg = phi::Config::default();
    let mut d = driver(DetectorConfig::PhiAccrual(cfg.clone()), 3);
    d.run_to(MINS + 500 * MILLIS);
    let Model::Phi(m) = &d.model else {
        unreachable!()
    };
    let (mean, std) = m.history(1);
    d.process(1, Process::Down);
    let crash = d.now;
    d.run_to(crash + MINS);
    // The last response arrived one round trip after the last request, sent on the 1 s grid.
    let last = (crash / SECS) * SECS + 2 * LATENCY;
    let pause = cfg.acceptable_heartbeat_pause as f64 / MILLIS as f64;
    let crossing = phi_crossing(mean + pause, std, cfg.threshold);
    let due = last + (crossing * MILLIS as f64).ceil() as Time;
    let mark = marked(&d, 1);
    assert_eq!(mark.len(), 1);
    // The reaper ticks every second from the start.
    let tick = due.div_ceil(SECS) * SECS;
    assert_eq!(mark[0], tick, "crossing at {due}");
    // 4.5–5.5 s after the last heartbeat with Akka's defaults; downed 20 s later.
    assert!(mark[0] - last > 4 * SECS && mark[0] - last < 6 * SECS);
    assert_eq!(
        tasks_with(&d, 1, TaskState::Lost, TaskReason::NodeDowned),
        vec![mark[0] + 20 * SECS; 2]
    );
}

#[test]
fn phi_accrual_cassandra_convicts_after_about_eighteen_mean_intervals() {
    let mut d = driver(DetectorConfig::PhiAccrual(phi::Config::cassandra()), 2);
    d.run_to(MINS + 500 * MILLIS);
    d.process(0, Process::Down);
    let crash = d.now;
    d.run_to(crash + MINS);
    let mark = marked(&d, 0);
    assert_eq!(mark.len(), 1);
    let silence = mark[0] - (crash / SECS) * SECS;
    // Convicted when t / mean × 0.434 > 8: t > 18.42 s with 1 s intervals, checked each second.
    assert!(silence > 18 * SECS && silence <= 20 * SECS, "{silence}");
}

#[test]
fn phi_accrual_never_marks_a_hung_node_whose_heartbeats_continue() {
    for cfg in [phi::Config::default(), phi::Config::cassandra()] {
        let mut d = driver(DetectorConfig::PhiAccrual(cfg), 2);
        d.run_to(MINS);
        d.process(0, Process::Down);
        d.process(0, Process::Up { main_loop: false });
        d.run_to(10 * MINS);
        // The restart itself is a short silence; then heartbeats continue.
        assert!(marked(&d, 0).is_empty());
    }
}
