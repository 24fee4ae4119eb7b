//! Handler-level tests: call the agent's handlers directly and assert on what they ask for (the
//! seam the sans-IO design exists for).

use super::*;
use crate::mesos::messages::ObserverId;
use crate::time::MILLIS;

fn params(version: MesosVersion) -> AgentParams {
    AgentParams {
        addr: 0,
        registration_backoff_factor: SECS,
        executor_reregistration_timeout: 2 * SECS,
        recovery_timeout: 15 * MINS,
        recovery_per_executor: 10 * MILLIS,
        executors: 1,
        completed_executors: 0,
        hung_executors: 0,
        authentication_delay: 0,
        pong_when: PongWhen::Always,
        version,
    }
}

fn task(task: TaskIx) -> AgentTask {
    AgentTask {
        task,
        framework: 0,
        checkpoint: true,
        partition_aware: true,
        executor_deadline: None,
    }
}

/// An agent that has started, recovered (nothing to recover) and holds the given id, running.
fn running(version: MesosVersion, id: u32) -> (Agent, AgentOut) {
    let mut a = Agent::new(params(version), vec![task(0)], Rng::new(1, 0));
    let mut out = AgentOut::default();
    a.start(0, Recovery::Computed, false, &mut out);
    a.on_message(
        SECS,
        ToAgent::SlaveRegistered {
            id: AgentId(id),
            total_ping_timeout: 75 * SECS,
        },
        &mut out,
    );
    assert_eq!(a.state(), AgentState::Running);
    out.clear();
    (a, out)
}

fn register_timers(out: &AgentOut) -> Vec<(Time, AgentTimer)> {
    out.timers
        .iter()
        .copied()
        .filter(|(_, t)| matches!(t, AgentTimer::Register { .. }))
        .collect()
}

fn ping(connected: bool) -> ToAgent {
    ToAgent::Ping {
        connected,
        observer: ObserverId {
            agent: AgentId(0),
            generation: 1,
        },
    }
}

#[test]
fn a_second_detection_leaves_the_first_chain_running() {
    // `Slave::detected` cancels only the retry stored in `agentRegistrationTimer`; the first
    // attempt of a chain is an untracked `delay`, so two quick detections run two chains.
    let (mut a, mut out) = running(MesosVersion::V1_2, 0);
    a.on_message(2 * SECS, ping(false), &mut out); // re-detect: chain 1
    a.master_changed(2 * SECS, true, &mut out); // a new leader: chain 2
    let first = register_timers(&out);
    assert_eq!(first.len(), 2);
    out.clear();
    for (t, timer) in first {
        a.on_timer(t, timer, &mut out);
    }
    let sent = out
        .sends
        .iter()
        .filter(|m| matches!(m, ToMaster::ReregisterSlave { .. }))
        .count();
    assert_eq!(sent, 2, "both chains send");
    let retries = register_timers(&out);
    assert_eq!(retries.len(), 2);
    out.clear();
    // Only the later retry is stored; the earlier one is not cancelled, so both fire.
    for (t, timer) in retries {
        a.on_timer(t, timer, &mut out);
    }
    assert_eq!(register_timers(&out).len(), 2);
}

#[test]
fn a_detection_cancels_the_stored_retry() {
    let (mut a, mut out) = running(MesosVersion::V1_2, 0);
    a.on_message(2 * SECS, ping(false), &mut out);
    let (t, first) = register_timers(&out)[0];
    out.clear();
    a.on_timer(t, first, &mut out);
    let (retry_at, retry) = register_timers(&out)[0];
    out.clear();
    a.master_changed(t, true, &mut out); // cancels `retry`
    out.clear();
    a.on_timer(retry_at, retry, &mut out);
    assert!(out.sends.is_empty() && out.timers.is_empty());
}

#[test]
fn the_ping_timer_is_bound_to_the_detection_it_was_armed_with() {
    let (mut a, mut out) = running(MesosVersion::V1_2, 0);
    a.on_message(10 * SECS, ping(false), &mut out);
    assert_eq!(a.state(), AgentState::Disconnected);
    assert_eq!(a.ping_deadline(), Some(85 * SECS));
    out.clear();
    // The expiry finds the detection it was armed with already done: nothing happens.
    a.on_timer(85 * SECS, AgentTimer::PingCheck { generation: 1 }, &mut out);
    assert!(out.events.is_empty() && out.timers.is_empty());
    // A ping heard after re-detecting is bound to the current detection, whose expiry
    // re-detects.
    a.on_message(90 * SECS, ping(false), &mut out);
    out.clear();
    a.on_timer(
        165 * SECS,
        AgentTimer::PingCheck { generation: 1 },
        &mut out,
    );
    assert_eq!(
        out.events.first(),
        Some(&Event::AgentPingTimeout { agent: 0 })
    );
}

#[test]
fn registered_with_another_id_while_running_exits() {
    let (mut a, mut out) = running(MesosVersion::V1_2, 3);
    a.on_message(
        2 * SECS,
        ToAgent::SlaveRegistered {
            id: AgentId(3),
            total_ping_timeout: 75 * SECS,
        },
        &mut out,
    );
    assert_eq!(out.exited, None, "the same id: already registered");
    a.on_message(
        2 * SECS,
        ToAgent::SlaveRegistered {
            id: AgentId(4),
            total_ping_timeout: 75 * SECS,
        },
        &mut out,
    );
    assert_eq!(out.exited, Some(AgentAbort::RegisteredWrongId));
    assert_eq!(a.state(), AgentState::Down);
}

#[test]
fn reregistered_with_another_id_exits_but_a_recovering_agent_ignores_it() {
    let (mut a, mut out) = running(MesosVersion::V1_2, 3);
    a.on_message(
        2 * SECS,
        ToAgent::SlaveReregistered {
            id: AgentId(9),
            total_ping_timeout: 75 * SECS,
        },
        &mut out,
    );
    assert_eq!(out.exited, Some(AgentAbort::ReregisteredWrongId));
    // Restarted, recovering (no master detected yet): the message is not from its master.
    out.clear();
    a.start(3 * SECS, Recovery::Hang, false, &mut out);
    a.on_message(
        4 * SECS,
        ToAgent::SlaveReregistered {
            id: AgentId(9),
            total_ping_timeout: 75 * SECS,
        },
        &mut out,
    );
    assert_eq!(out.exited, None);
    assert_eq!(a.state(), AgentState::Recovering);
}

#[test]
fn mesos_latest_truncates_the_masters_ping_timeout_to_whole_seconds() {
    for (version, want) in [
        (MesosVersion::V1_5, 7_500 * MILLIS),
        (MesosVersion::Latest, 7 * SECS),
    ] {
        let mut a = Agent::new(params(version), vec![], Rng::new(1, 0));
        let mut out = AgentOut::default();
        a.start(0, Recovery::Computed, false, &mut out);
        a.on_message(
            0,
            ToAgent::SlaveRegistered {
                id: AgentId(0),
                total_ping_timeout: 7_500 * MILLIS,
            },
            &mut out,
        );
        assert_eq!(a.ping_deadline(), Some(want), "{version:?}");
    }
}

#[test]
fn executors_wait_for_the_agent_and_shut_down_at_their_deadline() {
    let (mut a, mut out) = running(MesosVersion::V1_2, 0);
    a.crash(60 * SECS, &mut out);
    let deadline = 60 * SECS + 15 * MINS;
    assert_eq!(a.executor_deadline(), Some(deadline));
    assert!(out
        .timers
        .contains(&(deadline, AgentTimer::ExecutorRecoveryTimeout)));
    out.clear();
    a.on_timer(deadline, AgentTimer::ExecutorRecoveryTimeout, &mut out);
    assert_eq!(
        out.events,
        vec![Event::ExecutorTerminated {
            agent: 0,
            framework: 0,
            task: 0,
            reason: ExecutorEnd::RecoveryTimeout,
        }]
    );
    assert!(a.tasks().is_empty());
    // Back, re-registered: the agent reports the task TASK_FAILED.
    out.clear();
    a.start(deadline + SECS, Recovery::Fixed(0), false, &mut out);
    a.on_message(
        deadline + 2 * SECS,
        ToAgent::SlaveReregistered {
            id: AgentId(0),
            total_ping_timeout: 75 * SECS,
        },
        &mut out,
    );
    assert!(out.sends.contains(&ToMaster::StatusUpdate {
        id: AgentId(0),
        task: 0,
        state: TaskState::Failed,
        reason: TaskReason::ExecutorTerminated,
    }));
}

#[test]
fn a_recovering_agent_reconnects_executors_after_reading_its_checkpoints() {
    let (mut a, mut out) = running(MesosVersion::V1_2, 0);
    a.crash(60 * SECS, &mut out);
    out.clear();
    a.start(70 * SECS, Recovery::Computed, false, &mut out);
    // One executor to read (10 ms), then the 2 s re-registration wait.
    assert_eq!(
        a.recovery(),
        Some((70 * SECS, Some(70 * SECS + 2_010 * MILLIS)))
    );
    assert!(out.timers.contains(&(
        70 * SECS + 10 * MILLIS,
        AgentTimer::ExecutorReconnect { generation: 3 }
    )));
    out.clear();
    a.on_timer(
        70 * SECS + 10 * MILLIS,
        AgentTimer::ExecutorReconnect { generation: 3 },
        &mut out,
    );
    assert_eq!(a.executor_deadline(), None, "reconnected in time");
}

#[test]
fn the_recovery_estimate_counts_the_executor_wait_when_a_framework_is_recovered() {
    // One checkpointing task: reading takes 1 × 10ms, then the 2secs wait for its executor
    // (MESOS-7539), before and after the first registration alike.
    let fresh = Agent::new(params(MesosVersion::V1_2), vec![task(0)], Rng::new(1, 0));
    let e = fresh.recovery_estimate(None);
    assert_eq!((e.read, e.wait, e.executors), (10 * MILLIS, 2 * SECS, 1));
    let (a, _) = running(MesosVersion::V1_2, 3);
    assert_eq!(a.recovery_estimate(None), e);
    assert_eq!(a.recovery_length(Recovery::Computed), Some(e.total()));
    // What if it ran 20,000 executors: 200secs of reading, then the wait.
    assert_eq!(a.recovery_estimate(Some(20_000)).total(), 202 * SECS);
    // Nothing checkpointed: no framework is recovered, so no wait.
    let mut plain = task(0);
    plain.checkpoint = false;
    let a = Agent::new(params(MesosVersion::V1_2), vec![plain], Rng::new(1, 0));
    assert_eq!(a.recovery_estimate(None).wait, 0);
}
