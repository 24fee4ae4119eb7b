//! The canonical timelines of Mesos' liveness handling, with exact simulated times: a partition
//! (`SlaveObserver`), a socket break (`Master::exited`), restarts that recover or hang
//! (`Master::agentReregisterTimeout`, MESOS-6286) and a master failover
//! (`Master::recoveredSlavesTimeout`). `docs/model.md` describes each rule.

mod common;

use common::*;
use liveness::time::{MINS, SECS};
use serde_json::json;

/// A symmetric partition (`SlaveObserver::timeout`) is marked at the first unanswered ping + P × N,
/// for several P and N; partition-aware tasks become TASK_UNREACHABLE, others TASK_LOST, both with
/// the mark time as `unreachable_time`; every connected framework gets `slaveLost`.
#[test]
fn symmetric_partition_is_marked_at_first_unanswered_ping_plus_p_times_n() {
    for (p_secs, n) in [(15u64, 5u64), (5, 3), (10, 2)] {
        let mut v = cluster(
            "mesos-1.2",
            "12mins",
            json!([{ "name": "a", "tasks": { "pa": 2, "plain": 1 } }, { "name": "b", "tasks": { "pa": 1 } }]),
            json!([{ "at": "2mins", "kind": "partition", "agents": ["a"], "direction": "both" },
                   { "at": "8mins", "kind": "heal", "agents": ["a"] }]),
        );
        set(
            &mut v,
            "master.agent_ping_timeout",
            json!(format!("{p_secs}secs")),
        );
        set(&mut v, "master.max_agent_ping_timeouts", json!(n));
        let sim = run(v);
        let p = p_secs * SECS;
        let partition = 2 * MINS;
        let first_unanswered = pings(&sim, "a")
            .into_iter()
            .find(|&t| t >= partition)
            .unwrap();
        let mark = once(
            &sim,
            "agent_marked_unreachable",
            json!({ "agent": "a", "cause": "health_check" }),
        );
        assert_eq!(mark, first_unanswered + n * p, "P={p_secs}s N={n}");

        // One timeout per period, counting up to N.
        let misses = events(&sim, "ping_timeout", json!({ "agent": "a" }));
        for k in 1..=n {
            assert_eq!(misses[k as usize - 1].0, first_unanswered + k * p);
            assert_eq!(misses[k as usize - 1].1["consecutive"], json!(k));
        }

        let mark_ms = ms_json(mark);
        let unreachable = events(
            &sim,
            "task_status",
            json!({ "agent": "a", "state": "TASK_UNREACHABLE" }),
        );
        assert_eq!(unreachable.len(), 2);
        let lost = events(
            &sim,
            "task_status",
            json!({ "agent": "a", "state": "TASK_LOST" }),
        );
        assert_eq!(lost.len(), 1);
        for (t, e) in unreachable.iter().chain(lost.iter()) {
            assert_eq!(*t, mark);
            assert_eq!(e["reason"], json!("REASON_SLAVE_REMOVED"));
            assert_eq!(e["unreachable_time"], mark_ms);
        }
        assert_eq!(
            times(&sim, "slave_lost", json!({ "agent": "a" })),
            vec![mark, mark]
        );
        // A gauge: the two partition-aware tasks left it when the agent re-registered after the
        // heal (tests/fidelity.rs checks it while the agent is unreachable).
        assert_eq!(metric(&sim, "master/tasks_unreachable"), 0.0);
        assert_eq!(metric(&sim, "master/tasks_lost"), 1.0);
        assert_eq!(metric(&sim, "master/slave_removals/reason_unhealthy"), 1.0);

        // The agent's own ping timer: the master's total ping timeout after the last ping it
        // heard (sent one period before the first unanswered one, 1 ms latency).
        let agent_timeout = once(&sim, "agent_ping_timeout", json!({ "agent": "a" }));
        assert_eq!(agent_timeout, first_unanswered - p + ms(1) + n * p);

        // Retries while partitioned back off, never more than a minute apart.
        let retries = times(
            &sim,
            "message",
            json!({ "agent": "a", "message": "ReregisterSlaveMessage" }),
        );
        assert!(retries.len() >= 3, "{retries:?}");
        for w in retries.windows(2) {
            assert!(w[1] - w[0] <= MINS, "{retries:?}");
        }

        // After the heal the agent comes back through MarkSlaveReachable; plain is not
        // partition-aware, so mesos-1.2 shuts it down there.
        let back = once(
            &sim,
            "agent_reregistered",
            json!({ "agent": "a", "previous_view": "unreachable" }),
        );
        assert!(back > 8 * MINS && back <= 9 * MINS + ms(2), "{back}");
        assert_eq!(
            once(
                &sim,
                "framework_shutdown",
                json!({ "agent": "a", "framework": "plain" })
            ),
            back + ms(1)
        );
        assert_eq!(view(&sim, "a"), "connected");
        assert_eq!(metric(&sim, "master/slave_reregistrations"), 1.0);
        assert_eq!(view(&sim, "b"), "connected");
    }
}

/// `Master::exited`: the master→agent socket breaks while the agent is healthy. `exited()` one
/// latency later disconnects it (non-checkpointing tasks lost, timer armed); the next ping says
/// `connected=false`, the running agent re-registers and the timer is cancelled.
#[test]
fn socket_break_disconnects_then_a_connected_false_ping_brings_the_agent_back() {
    let v = cluster(
        "mesos-1.2",
        "15mins",
        json!([{ "name": "a", "tasks": { "pa": 1, "plain": 2 } }]),
        json!([{ "at": "2mins", "kind": "break_socket", "agents": ["a"] }]),
    );
    let sim = run(v);
    let exited = 2 * MINS + ms(1);
    let (t, e) = events(&sim, "agent_disconnected", json!({ "agent": "a" })).remove(0);
    assert_eq!(t, exited);
    assert_eq!(e["reregister_deadline"], ms_json(exited + 10 * MINS));
    let lost = events(
        &sim,
        "task_status",
        json!({ "agent": "a", "reason": "REASON_SLAVE_DISCONNECTED" }),
    );
    assert_eq!(lost.len(), 2);
    assert!(lost
        .iter()
        .all(|(t, e)| *t == exited && e["framework"] == json!("plain")));

    let false_ping = once(
        &sim,
        "message",
        json!({ "agent": "a", "message": "PingSlaveMessage", "connected": false }),
    );
    assert!(false_ping > exited && false_ping <= exited + 15 * SECS);
    let redetect = once(
        &sim,
        "agent_state",
        json!({ "agent": "a", "from": "running", "to": "disconnected" }),
    );
    assert_eq!(redetect, false_ping + ms(1));
    let back = once(
        &sim,
        "agent_reregistered",
        json!({ "agent": "a", "previous_view": "disconnected" }),
    );
    assert!(
        back > redetect && back <= redetect + SECS + ms(1),
        "backoff is U[0, 1s]: {back}"
    );

    // The timer was cancelled: nothing is scheduled at the deadline.
    assert!(times(&sim, "unreachable_scheduled", json!({})).is_empty());
    assert_eq!(metric(&sim, "master/slave_unreachable_canceled"), 0.0);
    assert_eq!(view(&sim, "a"), "connected");
    // The known-agent path uses no registry operation, so it is not a "re-registration" metric.
    assert_eq!(metric(&sim, "master/slave_reregistrations"), 0.0);
}

/// A restart whose recovery completes (`Slave::_recover`, MESOS-7539): recovery lasts
/// executor_reregistration_timeout plus per-executor work, then the agent re-registers and the
/// timer is cancelled.
#[test]
fn restart_with_finishing_recovery_re_registers_and_cancels_the_timer() {
    let v = cluster(
        "mesos-1.2",
        "20mins",
        json!([{ "name": "a", "tasks": { "pa": 3 }, "completed_executors": 100, "recovery_per_executor": "20ms" }]),
        json!([{ "at": "1mins", "kind": "restart_agent", "agents": ["a"] }]),
    );
    let sim = run(v);
    // 2 s executor re-registration wait + (3 executors + 100 completed) × 20 ms.
    let recovered = *times(
        &sim,
        "agent_state",
        json!({ "agent": "a", "from": "recovering", "to": "disconnected" }),
    )
    .last()
    .unwrap();
    assert_eq!(recovered, MINS + 2 * SECS + 103 * ms(20));
    let back = once(
        &sim,
        "agent_reregistered",
        json!({ "agent": "a", "previous_view": "disconnected" }),
    );
    assert!(back > recovered && back <= recovered + SECS + ms(1));
    assert!(times(&sim, "unreachable_scheduled", json!({})).is_empty());
    assert!(times(
        &sim,
        "task_status",
        json!({ "agent": "a", "state": "TASK_LOST" })
    )
    .is_empty());
    assert_eq!(view(&sim, "a"), "connected");
}

/// MESOS-6286 (`Master::agentReregisterTimeout`): recovery hangs; the agent answers every ping, so
/// only the re-registration timer catches it, at exactly exited() + agent_reregister_timeout.
#[test]
fn hanging_recovery_is_marked_at_exited_plus_reregister_timeout() {
    for r_mins in [10u64, 15] {
        let mut v = cluster(
            "mesos-1.2",
            "40mins",
            json!([{ "name": "a", "tasks": { "pa": 2, "plain": 1 } }]),
            json!([{ "at": "1mins", "kind": "restart_agent", "agents": ["a"], "recovery": "hang" },
                   { "at": "30mins", "kind": "finish_recovery", "agents": ["a"] }]),
        );
        set(
            &mut v,
            "master.agent_reregister_timeout",
            json!(format!("{r_mins}mins")),
        );
        let sim = run(v);
        let exited = MINS + ms(1);
        let (t, e) = events(&sim, "agent_marked_unreachable", json!({ "agent": "a" })).remove(0);
        assert_eq!(t, exited + r_mins * MINS);
        assert_eq!(e["cause"], json!("reregister_timeout"));
        assert_eq!(
            e["message"],
            json!(format!(
                "agent did not re-register within {r_mins}mins after disconnecting"
            ))
        );
        assert!(
            times(&sim, "ping_timeout", json!({ "agent": "a" })).is_empty(),
            "it answers pings"
        );
        assert_eq!(metric(&sim, "master/slave_unreachable_scheduled"), 1.0);
        assert_eq!(metric(&sim, "master/slave_unreachable_completed"), 1.0);
        assert_eq!(metric(&sim, "master/slave_removals"), 1.0);
        // The partition-aware tasks survived the restart (checkpointed) and become unreachable.
        assert_eq!(
            times(
                &sim,
                "task_status",
                json!({ "agent": "a", "state": "TASK_UNREACHABLE" })
            ),
            vec![t, t]
        );

        // When recovery finally completes, the agent comes back through MarkSlaveReachable.
        let back = once(
            &sim,
            "agent_reregistered",
            json!({ "agent": "a", "previous_view": "unreachable" }),
        );
        assert!(back > 30 * MINS && back <= 30 * MINS + SECS + ms(1));
        assert_eq!(view(&sim, "a"), "connected");
    }
}

/// MESOS-6286 before its fix (mesos-1.1, no re-registration timer): the same agent stays
/// disconnected for ever.
#[test]
fn hanging_recovery_is_never_marked_under_mesos_1_1() {
    let v = cluster(
        "mesos-1.1",
        "3hrs",
        json!([{ "name": "a", "tasks": { "pa": 2 } }]),
        json!([{ "at": "1mins", "kind": "restart_agent", "agents": ["a"], "recovery": "hang" }]),
    );
    let sim = run(v);
    let (_, e) = events(&sim, "agent_disconnected", json!({ "agent": "a" })).remove(0);
    assert_eq!(e["reregister_deadline"], json!(null));
    assert!(times(&sim, "agent_marked_unreachable", json!({})).is_empty());
    assert!(times(&sim, "unreachable_scheduled", json!({})).is_empty());
    assert_eq!(view(&sim, "a"), "disconnected");
    assert_eq!(state(&sim, "a"), "recovering");
}

/// `Master::recoveredSlavesTimeout`: after a failover every agent is recovered; those that do not
/// re-register within agent_reregister_timeout of the new master's recovery are marked with
/// slaveLost only. One that returns later is re-admitted with all its tasks (1.2: `removed` is
/// empty after failover), and under 1.5 every task is reported with REASON_SLAVE_REREGISTERED.
#[test]
fn failover_marks_missing_recovered_agents_then_readmits_them() {
    for policy in ["mesos-1.2", "mesos-1.5"] {
        // Its executors wait longer than it is away (the default recovery_timeout, 15 min,
        // would have them give up at 16:00 and the agent return with no tasks).
        let v = cluster(
            policy,
            "30mins",
            json!([{ "name": "a", "tasks": { "pa": 1 } },
                   { "name": "gone", "tasks": { "pa": 2 }, "recovery_timeout": "1hrs" }]),
            json!([{ "at": "1mins", "kind": "crash_agent", "agents": ["gone"] },
                   { "at": "2mins", "kind": "fail_over_master", "downtime": "30secs" },
                   { "at": "20mins", "kind": "start_agent", "agents": ["gone"] }]),
        );
        let sim = run(v);
        let recovered = once(&sim, "master_recovered", json!({ "recovered_agents": 2 }));
        assert_eq!(recovered, 2 * MINS + 30 * SECS);
        let a_back = once(
            &sim,
            "agent_reregistered",
            json!({ "agent": "a", "previous_view": "recovered" }),
        );
        assert!(a_back > recovered && a_back <= recovered + SECS + ms(1));

        let mark = once(
            &sim,
            "agent_marked_unreachable",
            json!({ "agent": "gone", "cause": "master_failover" }),
        );
        assert_eq!(mark, recovered + 10 * MINS);
        assert_eq!(
            times(&sim, "slave_lost", json!({ "agent": "gone" })),
            vec![mark, mark]
        );
        assert_eq!(metric(&sim, "master/recovery_slave_removals"), 1.0);

        let back = once(
            &sim,
            "agent_reregistered",
            json!({ "agent": "gone", "previous_view": "unreachable" }),
        );
        assert!(
            events(&sim, "task_status", json!({ "agent": "gone" }))
                .iter()
                .all(|(t, _)| *t < 2 * MINS || *t >= back),
            "the new master knows no tasks there until it returns"
        );
        assert!(back > 20 * MINS);
        assert!(times(&sim, "framework_shutdown", json!({})).is_empty());
        let readded = events(
            &sim,
            "task_status",
            json!({ "agent": "gone", "reason": "REASON_SLAVE_REREGISTERED" }),
        );
        if policy == "mesos-1.5" {
            assert_eq!(readded.len(), 2);
            assert!(readded
                .iter()
                .all(|(t, e)| *t == back && e["state"] == json!("TASK_RUNNING")));
        } else {
            assert!(readded.is_empty());
        }
        assert_eq!(view(&sim, "gone"), "connected");
    }
}
