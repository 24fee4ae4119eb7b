//! Handler-level tests: call the master's handlers (`on_message`, `on_timer`, `on_exited`)
//! directly and assert on the `MasterOut` they fill — the seam the sans-IO design exists for.

use super::*;
use crate::mesos::config::RateLimit;
use crate::mesos::event::AgentDisconnected;
use crate::mesos::types::Policy;
use crate::time::{MINS, SECS};

const P: Time = 15 * SECS;
const N: u32 = 5;
const R: Time = 10 * MINS;

/// A master for `agents` addresses, one checkpointing, partition-aware framework, and task `a`
/// on agent `a`.
fn master(cfg: MasterConfig, agents: usize) -> (Master, MasterOut) {
    let mut out = MasterOut::default();
    let setup = MasterSetup {
        cfg,
        frameworks: vec![FrameworkInfo {
            partition_aware: true,
            checkpoint: true,
            connected: true,
        }],
        task_framework: vec![0; agents].into(),
        agents,
    };
    let m = Master::start(setup, Registry::default(), 0, &mut out);
    out.clear();
    (m, out)
}

/// The timers armed in `out` of one kind.
fn timers(out: &MasterOut, kind: fn(&MasterTimer) -> bool) -> Vec<(Time, MasterTimer)> {
    out.timers
        .iter()
        .copied()
        .filter(|(_, t)| kind(t))
        .collect()
}

fn commits(out: &MasterOut) -> Vec<(Time, MasterTimer)> {
    timers(out, |t| matches!(t, MasterTimer::RegistryCommit))
}

fn permits(out: &MasterOut) -> Vec<(Time, MasterTimer)> {
    timers(out, |t| matches!(t, MasterTimer::Permit(_)))
}

/// Registers agent `addr` at `now` (its registry write committed), and returns its id and its
/// observer (which has just pinged).
fn register(
    m: &mut Master,
    out: &mut MasterOut,
    now: Time,
    addr: AgentIx,
) -> (AgentId, ObserverId) {
    out.clear();
    m.on_message(
        now,
        addr,
        ToMaster::RegisterSlave { tasks: vec![addr] },
        out,
    );
    let (at, commit) = commits(out)[0];
    out.clear();
    m.on_timer(at, commit, out);
    let id = m.latest_id(addr).expect("registered");
    let observer = out
        .sends
        .iter()
        .find_map(|(_, msg)| match msg {
            ToAgent::Ping { observer, .. } => Some(*observer),
            _ => None,
        })
        .expect("the new observer pings at once");
    out.clear();
    (id, observer)
}

/// The health check's ticks at `k × P` (after a registration at 0), none answered.
fn miss(
    m: &mut Master,
    out: &mut MasterOut,
    observer: ObserverId,
    ticks: std::ops::RangeInclusive<u32>,
) {
    for k in ticks {
        m.on_timer(k as Time * P, MasterTimer::ObserverTimeout(observer), out);
    }
}

fn scheduled(out: &MasterOut) -> Vec<(AgentIx, Cause)> {
    out.events
        .iter()
        .filter_map(|e| match e {
            Event::UnreachableScheduled { agent, cause } => Some((*agent, *cause)),
            _ => None,
        })
        .collect()
}

#[test]
fn n_missed_pings_schedule_exactly_one_permit_request() {
    let (mut m, mut out) = master(MasterConfig::defaults(Policy::Mesos12), 1);
    let (_, observer) = register(&mut m, &mut out, 0, 0);
    for k in 1..=N + 1 {
        out.clear();
        miss(&mut m, &mut out, observer, k..=k);
        assert!(out.events.contains(&Event::PingTimeout {
            agent: 0,
            consecutive: k
        }));
        if k == N {
            // No limiter: the permit is granted at once, its continuation runs as a timer now.
            assert_eq!(scheduled(&out), [(0, Cause::HealthCheck)]);
            assert_eq!(permits(&out).len(), 1);
            assert_eq!(permits(&out)[0].0, N as Time * P);
        } else {
            // Before N nothing; after it the request is still outstanding, so no second one.
            assert_eq!(scheduled(&out), []);
            assert_eq!(permits(&out), []);
        }
        // Every tick pings again and arms the next one.
        assert!(out
            .timers
            .contains(&((k as Time + 1) * P, MasterTimer::ObserverTimeout(observer))));
    }
    assert_eq!(m.metrics().slave_unreachable_scheduled, 1);
}

#[test]
fn a_pong_discards_a_queued_permit() {
    let mut cfg = MasterConfig::defaults(Policy::Mesos12);
    cfg.agent_removal_rate_limit = Some(RateLimit {
        permits: 1,
        per: 20 * MINS,
    });
    let (mut m, mut out) = master(cfg, 2);
    let (_, first) = register(&mut m, &mut out, 0, 0);
    let (_, second) = register(&mut m, &mut out, 0, 1);
    for k in 1..=N {
        miss(&mut m, &mut out, first, k..=k);
        miss(&mut m, &mut out, second, k..=k);
    }
    // The first request takes the limiter's one permit; the second waits for the next.
    let t = N as Time * P;
    assert_eq!(
        scheduled(&out),
        [(0, Cause::HealthCheck), (1, Cause::HealthCheck)]
    );
    assert_eq!(permits(&out).len(), 1);
    let wakes = timers(&out, |t| matches!(t, MasterTimer::LimiterWake));
    assert_eq!(
        wakes.iter().map(|w| w.0).collect::<Vec<_>>(),
        [t + 20 * MINS]
    );
    assert!(m.observer_view(1).unwrap().waiting_for_permit);

    out.clear();
    m.on_message(t + SECS, 1, ToMaster::Pong { observer: second }, &mut out);
    assert_eq!(
        out.events,
        [Event::UnreachableCanceled {
            agent: 1,
            cause: Cause::HealthCheck
        }]
    );
    assert_eq!(m.metrics().slave_unreachable_canceled, 1);
    assert!(!m.observer_view(1).unwrap().waiting_for_permit);
    // When the interval ends the discarded request is skipped: no permit for anyone.
    out.clear();
    m.on_timer(wakes[0].0, wakes[0].1, &mut out);
    assert_eq!(permits(&out), []);
}

#[test]
fn exited_arms_the_reregistration_timer_at_now_plus_r() {
    let (mut m, mut out) = master(MasterConfig::defaults(Policy::Mesos12), 1);
    let (id, _) = register(&mut m, &mut out, 0, 0);
    let t = 42 * SECS;
    m.on_exited(t, 0, &mut out);
    assert_eq!(
        out.events,
        [Event::AgentDisconnected(Box::new(AgentDisconnected {
            agent: 0,
            reregister_deadline: Some(t + R)
        }))]
    );
    let armed = timers(&out, |t| matches!(t, MasterTimer::ReregisterTimeout { .. }));
    assert_eq!(armed.len(), 1);
    assert_eq!(armed[0].0, t + R);
    assert!(matches!(armed[0].1, MasterTimer::ReregisterTimeout { id: i, .. } if i == id));
    assert_eq!(m.view(0), MasterView::Disconnected);

    // A second exited() before re-registration arms nothing (MESOS-675).
    out.clear();
    m.on_exited(t + SECS, 0, &mut out);
    assert!(out.events.is_empty() && out.timers.is_empty());

    // The timer fires: a permit is asked for the re-registration path.
    m.on_timer(armed[0].0, armed[0].1, &mut out);
    assert_eq!(scheduled(&out), [(0, Cause::ReregisterTimeout)]);
    assert_eq!(permits(&out).len(), 1);
}

#[test]
fn before_mesos_6286_exited_arms_no_timer() {
    let (mut m, mut out) = master(MasterConfig::defaults(Policy::Mesos11), 1);
    register(&mut m, &mut out, 0, 0);
    m.on_exited(SECS, 0, &mut out);
    assert_eq!(
        out.events,
        [Event::AgentDisconnected(Box::new(AgentDisconnected {
            agent: 0,
            reregister_deadline: None
        }))]
    );
    assert!(out.timers.is_empty());
}

#[test]
fn the_registrar_batches_operations_that_arrive_during_a_write() {
    let mut cfg = MasterConfig::defaults(Policy::Mesos12);
    cfg.registry_write_latency = SECS;
    let (mut m, mut out) = master(cfg, 3);
    for addr in 0..3 {
        m.on_message(
            0,
            addr,
            ToMaster::RegisterSlave { tasks: vec![addr] },
            &mut out,
        );
    }
    // One write in flight (agent 0), two operations waiting for the next.
    assert_eq!(commits(&out), [(SECS, MasterTimer::RegistryCommit)]);
    assert_eq!(m.registry_operations_pending(), 3);
    let registered = |out: &MasterOut| -> Vec<AgentIx> {
        out.events
            .iter()
            .filter_map(|e| match e {
                Event::AgentRegistered { agent, .. } => Some(*agent),
                _ => None,
            })
            .collect()
    };

    out.clear();
    m.on_timer(SECS, MasterTimer::RegistryCommit, &mut out);
    assert_eq!(registered(&out), [0]);
    // The waiting two go into one write, started before agent 0's continuation ran.
    assert_eq!(commits(&out), [(2 * SECS, MasterTimer::RegistryCommit)]);
    assert_eq!(m.registry_operations_pending(), 2);

    out.clear();
    m.on_timer(2 * SECS, MasterTimer::RegistryCommit, &mut out);
    assert_eq!(registered(&out), [1, 2]);
    assert_eq!(commits(&out), []);
    assert_eq!(m.registry_operations_pending(), 0);
}

/// MESOS-10209: a re-registration that arrives while the registry write marking the agent
/// unreachable is in flight. Mesos' master branch ignores it; 1.2 reconnects the agent, and the
/// write still removes it.
#[test]
fn mesos_10209_a_reregistration_while_marking_unreachable() {
    for policy in [Policy::Mesos12, Policy::MesosLatest] {
        let mut cfg = MasterConfig::defaults(policy);
        cfg.registry_write_latency = SECS;
        let (mut m, mut out) = master(cfg, 1);
        // Registered at 0 (the write commits at 1secs); its observer's ticks follow from there.
        m.on_message(0, 0, ToMaster::RegisterSlave { tasks: vec![0] }, &mut out);
        out.clear();
        m.on_timer(SECS, MasterTimer::RegistryCommit, &mut out);
        let id = m.latest_id(0).unwrap();
        let observer = out
            .sends
            .iter()
            .find_map(|(_, m)| match m {
                ToAgent::Ping { observer, .. } => Some(*observer),
                _ => None,
            })
            .expect("the first ping follows registration");
        for k in 1..=N {
            m.on_timer(
                SECS + k as Time * P,
                MasterTimer::ObserverTimeout(observer),
                &mut out,
            );
        }
        let (at, permit) = permits(&out)[0];
        out.clear();
        m.on_timer(at, permit, &mut out);
        let (commit_at, commit) = commits(&out)[0];
        assert_eq!(commit_at, at + SECS);

        out.clear();
        let msg = ToMaster::ReregisterSlave { id, tasks: vec![0] };
        m.on_message(at + SECS / 2, 0, msg, &mut out);
        if policy == Policy::MesosLatest {
            assert!(
                out.events.is_empty() && out.sends.is_empty(),
                "{policy}: ignored"
            );
        } else {
            assert_eq!(
                out.events,
                [Event::AgentReregistered {
                    agent: 0,
                    id,
                    previous_view: MasterView::Connected
                }],
                "{policy}: reconnected"
            );
            assert!(matches!(
                out.sends[..],
                [(0, ToAgent::SlaveReregistered { .. })]
            ));
        }
        // Either way the write commits and the agent is unreachable.
        out.clear();
        m.on_timer(commit_at, commit, &mut out);
        assert!(out.events.iter().any(|e| matches!(
            e,
            Event::AgentMarkedUnreachable {
                cause: Cause::HealthCheck,
                ..
            }
        )));
        assert_eq!(m.view(0), MasterView::Unreachable, "{policy}");
    }
}

/// Fast-forward's half tick after an isolated loss: one timeout, traced, nothing sent or armed;
/// the next tick without a pong counts the second, and a pong resets the count set by
/// `resume_observer`.
#[test]
fn a_skipped_miss_counts_one_timeout_and_sends_nothing() {
    let (mut m, mut out) = master(MasterConfig::defaults(Policy::Mesos12), 1);
    let (_, observer) = register(&mut m, &mut out, 0, 0);
    m.count_skipped_miss(observer, &mut out);
    assert_eq!(
        out.events,
        [Event::PingTimeout {
            agent: 0,
            consecutive: 1
        }]
    );
    assert!(out.sends.is_empty() && out.timers.is_empty());
    out.clear();
    miss(&mut m, &mut out, observer, 2..=2);
    assert!(out.events.contains(&Event::PingTimeout {
        agent: 0,
        consecutive: 2
    }));
    out.clear();
    m.resume_observer(observer, true, 1);
    m.on_message(2 * P + 1, 0, ToMaster::Pong { observer }, &mut out);
    assert_eq!(m.steady_observer(0), Some(observer));
}
