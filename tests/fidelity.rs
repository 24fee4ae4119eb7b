//! The model where operators tune it, against Mesos' own code, with exact times: the rate
//! limiter (`limiter.hpp`), registrar batching (`registrar.cpp`), gauges and per-master counters
//! (`metrics.cpp`), the executors' `recovery_timeout` (`exec.cpp`, `slave.cpp`), `exited()` after
//! a partition heals, and the agent's own details (`slave.cpp`).

mod common;

use common::*;
use liveness::time::{Time, MINS, SECS};
use serde_json::json;

/// The health-check mark time of `agent`: its first ping unanswered after `cut` + N·P.
fn health_check_time(sim: &liveness::sim::Simulation, agent: &str, cut: Time, p: Time) -> Time {
    let first = pings(sim, agent).into_iter().find(|&t| t >= cut).unwrap();
    first + 5 * p
}

/// `RateLimiterProcess::_acquire`: a wake that finds only a discarded request grants nothing and
/// does not restart the interval, so a request after the old deadline is granted at once. Here
/// `a` takes the first permit; `b`, cut 20 s later, queues behind it and heals (its pong
/// discards the request);
/// the wake an interval after `a`'s grant finds only that discarded request; `c`, whose health
/// check fails after that wake, is marked at its own health-check time — not an interval later.
#[test]
fn a_wake_that_finds_only_discarded_requests_leaves_the_interval_alone() {
    let mut v = cluster(
        "mesos-1.2",
        "30mins",
        json!([{ "name": "a" }, { "name": "b" }, { "name": "c" }]),
        json!([
            { "at": "1min", "kind": "partition", "agents": ["a"] },
            { "at": "80secs", "kind": "partition", "agents": ["b"] },
            { "at": "3mins", "kind": "heal", "agents": ["b"] },
            { "at": "13mins", "kind": "partition", "agents": ["c"] }
        ]),
    );
    set(&mut v, "master.agent_removal_rate_limit", json!("1/10mins"));
    let sim = run(v);
    let p = 15 * SECS;
    let mark_a = once(&sim, "agent_marked_unreachable", json!({ "agent": "a" }));
    assert_eq!(mark_a, health_check_time(&sim, "a", MINS, p));
    assert_eq!(
        times(&sim, "unreachable_canceled", json!({ "agent": "b" })).len(),
        1,
        "b's pong discards its queued permit"
    );
    assert!(times(&sim, "agent_marked_unreachable", json!({ "agent": "b" })).is_empty());
    let c_check = health_check_time(&sim, "c", 13 * MINS, p);
    assert!(c_check > mark_a + 10 * MINS, "c fails after the empty wake");
    let mark_c = once(&sim, "agent_marked_unreachable", json!({ "agent": "c" }));
    assert_eq!(mark_c, c_check);
}

/// `RegistrarProcess::update`: operations that arrive while a write is in flight are stored
/// together by the next single write. Five agents fail their health checks within a second of
/// each other; with a 10 s write the first mark commits at its request + 10 s and the four
/// others all at + 20 s (serial writes would take until + 50 s).
#[test]
fn registry_operations_during_a_write_share_the_next_write() {
    let mut v = cluster(
        "mesos-1.2",
        "10mins",
        json!([{ "name": "n", "count": 5 }]),
        json!([{ "at": "2mins", "kind": "partition", "agents": "all" }]),
    );
    set(&mut v, "master.registry_write_latency", json!("10secs"));
    let sim = run(v);
    // Each agent's first request (observers keep asking every period until the mark lands,
    // as in `PartitionTest.FailHealthChecksTwice`).
    let scheduled: Vec<Time> = (0..5)
        .map(|k| {
            times(
                &sim,
                "unreachable_scheduled",
                json!({ "agent": format!("n-{k}") }),
            )[0]
        })
        .collect();
    let first = *scheduled.iter().min().unwrap();
    let last = *scheduled.iter().max().unwrap();
    assert!(last - first < 10 * SECS, "all five ask within one write");
    let mut marks = times(&sim, "agent_marked_unreachable", json!({}));
    marks.sort();
    assert_eq!(marks[0], first + 10 * SECS);
    assert_eq!(&marks[1..], &[first + 20 * SECS; 4]);
}

/// Under `mesos-1.5` a recovered agent is re-admitted without a registry write
/// (`Master::_reregisterSlave` skips `MarkSlaveReachable` when its `SlaveInfo` is unchanged);
/// under `mesos-1.2` it waits for the write.
#[test]
fn mesos_1_5_readmits_recovered_agents_without_a_write() {
    for (policy, write_wait) in [("mesos-1.2", 5 * SECS), ("mesos-1.5", 0)] {
        let mut v = cluster(
            policy,
            "5mins",
            json!([{ "name": "a" }]),
            json!([{ "at": "1min", "kind": "fail_over_master", "downtime": "10secs" }]),
        );
        set(&mut v, "master.registry_write_latency", json!("5secs"));
        let sim = run(v);
        let sent = times(
            &sim,
            "message",
            json!({ "agent": "a", "message": "ReregisterSlaveMessage" }),
        );
        let back = once(
            &sim,
            "agent_reregistered",
            json!({ "agent": "a", "previous_view": "recovered" }),
        );
        // 1 ms one-way latency.
        assert_eq!(back, sent[0] + ms(1) + write_wait, "{policy}");
    }
}

/// `master/tasks_unreachable` is a gauge (`Master::_tasks_unreachable`): the partition-aware
/// tasks of an unreachable agent, falling back when it re-registers. Counters restart from zero
/// on a new master.
#[test]
fn tasks_unreachable_is_a_gauge_and_counters_restart_with_each_master() {
    let v = cluster(
        "mesos-1.2",
        "20mins",
        json!([{ "name": "a", "tasks": { "pa": 2, "plain": 1 } }, { "name": "b" }]),
        json!([
            { "at": "1min", "kind": "partition", "agents": ["a"] },
            { "at": "5mins", "kind": "heal", "agents": ["a"] },
            { "at": "10mins", "kind": "fail_over_master", "downtime": "10secs" }
        ]),
    );
    let mut sim = liveness::sim::Simulation::new(&scenario(v)).unwrap();
    let mark = {
        sim.advance_to(5 * MINS - 1).unwrap();
        metric(&sim, "master/tasks_unreachable")
    };
    assert_eq!(mark, 2.0, "two partition-aware tasks are unreachable");
    assert_eq!(metric(&sim, "master/slave_registrations"), 2.0);
    sim.advance_to(9 * MINS).unwrap();
    assert_eq!(
        metric(&sim, "master/tasks_unreachable"),
        0.0,
        "back when a re-registers"
    );
    assert_eq!(metric(&sim, "master/slave_reregistrations"), 1.0);
    sim.advance_to(10 * MINS + 5 * SECS).unwrap();
    assert_eq!(
        metric(&sim, "master/slave_reregistrations"),
        1.0,
        "no master: the last values stay"
    );
    sim.run_to_end();
    // The new master: both agents re-register with it; nothing else has happened to it.
    assert_eq!(metric(&sim, "master/slave_registrations"), 0.0);
    assert_eq!(metric(&sim, "master/slave_reregistrations"), 2.0);
    assert_eq!(metric(&sim, "master/slave_removals"), 0.0);
    assert_eq!(metric(&sim, "master/tasks_lost"), 0.0);
}

/// The executors' `recovery_timeout` (`ExecutorProcess::exited`, `_recoveryTimeout`): a restart
/// whose recovery hangs leaves checkpointing executors waiting; they shut down at exactly the
/// exit + `recovery_timeout`; a non-checkpointing one exits with the agent. When the agent
/// finally re-registers, its frameworks hear TASK_FAILED (`Slave::executorTerminated`).
#[test]
fn executors_shut_down_at_exit_plus_recovery_timeout() {
    for rt in [15 * MINS, 7 * MINS] {
        let mut v = cluster(
            "mesos-1.2",
            "40mins",
            json!([{ "name": "a", "tasks": { "pa": 2, "plain": 1 } }]),
            json!([
                { "at": "1min", "kind": "restart_agent", "agents": ["a"], "recovery": "hang" },
                { "at": "30mins", "kind": "finish_recovery", "agents": ["a"] }
            ]),
        );
        if rt != 15 * MINS {
            set(&mut v, "agent_defaults.recovery_timeout", json!("7mins"));
        }
        let sim = run(v);
        let died = events(&sim, "executor_terminated", json!({ "agent": "a" }));
        assert_eq!(died.len(), 3);
        assert_eq!(died[0].0, MINS);
        assert_eq!(died[0].1["reason"], json!("agent_exited"));
        assert_eq!(died[0].1["framework"], json!("plain"));
        for (t, e) in &died[1..] {
            assert_eq!(*t, MINS + rt, "exit + recovery_timeout");
            assert_eq!(e["reason"], json!("recovery_timeout"));
            assert_eq!(e["framework"], json!("pa"));
        }
        // The hang is marked by the re-registration timer, then the agent comes back at 30 mins
        // and reports its two dead tasks.
        let mark = once(&sim, "agent_marked_unreachable", json!({ "agent": "a" }));
        assert_eq!(mark, MINS + ms(1) + 10 * MINS);
        let failed = events(
            &sim,
            "task_status",
            json!({ "agent": "a", "state": "TASK_FAILED" }),
        );
        assert_eq!(failed.len(), 2);
        let back = once(&sim, "agent_reregistered", json!({ "agent": "a" }));
        for (t, e) in &failed {
            assert!(*t > back);
            assert_eq!(e["reason"], json!("REASON_EXECUTOR_TERMINATED"));
        }
    }
}

/// `recovery_timeout` longer than the time the agent takes to come back: the executors are
/// reconnected in time and nothing dies.
#[test]
fn executors_reconnected_before_their_deadline_survive() {
    let v = cluster(
        "mesos-1.2",
        "30mins",
        json!([{ "name": "a", "tasks": { "pa": 2 } }]),
        json!([
            { "at": "1min", "kind": "restart_agent", "agents": ["a"], "recovery": "hang" },
            { "at": "14mins", "kind": "finish_recovery", "agents": ["a"] }
        ]),
    );
    let sim = run(v);
    assert!(times(&sim, "executor_terminated", json!({})).is_empty());
    assert!(times(&sim, "task_status", json!({ "state": "TASK_FAILED" })).is_empty());
}

/// `Slave::reregisterExecutorTimeout`: a hung executor does not re-register when the agent
/// reconnects it, and is killed `executor_reregistration_timeout` later (TASK_GONE for a
/// partition-aware framework, REASON_EXECUTOR_REREGISTRATION_TIMEOUT), reported once the agent
/// is registered again.
#[test]
fn hung_executors_are_killed_after_the_reregistration_timeout() {
    let v = cluster(
        "mesos-1.5",
        "10mins",
        json!([{ "name": "a", "tasks": { "pa": 2 }, "hung_executors": 1,
                 "recovery_per_executor": "1secs" }]),
        json!([{ "at": "1min", "kind": "restart_agent", "agents": ["a"] }]),
    );
    let sim = run(v);
    // Two executors' checkpoints take 2 s to read; the hung one is killed 2 s after that.
    let killed = events(&sim, "executor_terminated", json!({ "agent": "a" }));
    assert_eq!(killed.len(), 1);
    assert_eq!(killed[0].0, MINS + 2 * SECS + 2 * SECS);
    assert_eq!(killed[0].1["reason"], json!("reregistration_timeout"));
    let gone = events(
        &sim,
        "task_status",
        json!({ "agent": "a", "state": "TASK_GONE" }),
    );
    assert_eq!(gone.len(), 1);
    assert_eq!(
        gone[0].1["reason"],
        json!("REASON_EXECUTOR_REREGISTRATION_TIMEOUT")
    );
    assert_eq!(metric(&sim, "master/tasks_gone"), 1.0);
}

/// `exited()` after a heal: an agent restarted while agent→master was cut leaves the master a
/// dead socket. Pings over it are refused by the new process (and the reset cannot come back);
/// after the heal the first ping's reset reaches the master one round trip later, and it sees
/// `exited()` — so under 1.2 the hanging recovery is marked at that + R (MESOS-6286 behind a
/// partition).
#[test]
fn a_restart_behind_a_partition_is_seen_at_the_first_message_after_the_heal() {
    let v = cluster(
        "mesos-1.2",
        "20mins",
        json!([{ "name": "a", "tasks": { "pa": 1 } }]),
        json!([
            { "at": "1min", "kind": "partition", "agents": ["a"], "direction": "agent_to_master" },
            { "at": "70secs", "kind": "restart_agent", "agents": ["a"], "recovery": "hang" },
            { "at": "90secs", "kind": "heal", "agents": ["a"] }
        ]),
    );
    let sim = run(v);
    let first_after_heal = pings(&sim, "a")
        .into_iter()
        .find(|&t| t >= 90 * SECS)
        .unwrap();
    let exited = once(&sim, "agent_disconnected", json!({ "agent": "a" }));
    assert_eq!(
        exited,
        first_after_heal + ms(2),
        "a round trip after the ping"
    );
    let mark = once(
        &sim,
        "agent_marked_unreachable",
        json!({ "agent": "a", "cause": "reregister_timeout" }),
    );
    assert_eq!(mark, exited + 10 * MINS);
    // The recovering process never saw a ping over the dead socket; after `exited()` the
    // observer's pings take a new connection, and the hanging agent answers them.
    let pongs = times(
        &sim,
        "message",
        json!({ "agent": "a", "message": "PongSlaveMessage" }),
    );
    assert!(!pongs.iter().any(|&t| (70 * SECS..exited).contains(&t)));
    assert!(pongs.iter().any(|&t| t > exited));
}

/// The agent's ping timer belongs to the detection it was armed for (`Slave::ping`,
/// `Slave::pingTimeout`): the `connected=false` ping that makes a running agent re-detect also
/// re-arms the timer, bound to the detection it just discarded — so if no ping follows, that
/// timer's expiry changes nothing (Mesos discards a finished future).
#[test]
fn the_ping_timer_armed_by_a_redetecting_ping_does_not_redetect_again() {
    let v = cluster(
        "mesos-1.2",
        "10mins",
        json!([{ "name": "a" }]),
        json!([
            { "at": "1min", "kind": "break_socket", "agents": ["a"] },
            { "at": "1min", "kind": "drop_messages", "agents": ["a"],
              "messages": ["ReregisterSlaveMessage"], "until": "9mins" }
        ]),
    );
    let sim = run(v.clone());
    let false_ping = times(
        &sim,
        "message",
        json!({ "agent": "a", "message": "PingSlaveMessage", "connected": false }),
    )[0];
    // Cut master→agent just after that ping arrived, so no later ping arrives.
    let mut v2 = v;
    v2["faults"].as_array_mut().unwrap().push(json!({
        "at": format!("{}us", false_ping + ms(2)),
        "kind": "partition", "agents": ["a"], "direction": "master_to_agent"
    }));
    let sim = run(v2);
    assert_eq!(
        times(
            &sim,
            "agent_state",
            json!({ "agent": "a", "from": "running", "to": "disconnected" })
        ),
        vec![false_ping + ms(1)]
    );
    assert!(
        times(&sim, "agent_ping_timeout", json!({ "agent": "a" })).is_empty(),
        "the only ping timer is bound to the discarded detection"
    );
    assert_eq!(state(&sim, "a"), "disconnected");
}

/// `Slave::registered`: a running agent told it registered under another id exits
/// ("Registered but got wrong id … Committing suicide"), and its supervisor starts it again
/// `supervisor_restart_delay` later. The race needs two registrations of one new process to
/// straddle the master noticing the old one's exit; jitter makes it happen for some seeds.
#[test]
fn a_registered_message_with_another_id_aborts_the_agent_and_its_supervisor_restarts_it() {
    let mut found = 0;
    for seed in 0..400u64 {
        let v = json!({
            "seed": seed, "duration": "1mins", "policy": "mesos-1.1",
            "master": { "agent_ping_timeout": "912ms", "max_agent_ping_timeouts": 2 },
            "network": { "latency": "0ms", "jitter": "142ms" },
            "agent_defaults": { "supervisor_restart_delay": "7secs" },
            "agents": [{ "name": "a", "registration_backoff_factor": "181ms" }],
            "faults": [{ "at": "232ms", "kind": "restart_agent", "agents": ["a"] }]
        });
        let sim = run(v);
        let aborts = events(&sim, "agent_aborted", json!({ "agent": "a" }));
        for (t, e) in &aborts {
            found += 1;
            assert_eq!(e["reason"], json!("registered_with_wrong_id"));
            let restarted = times(
                &sim,
                "agent_state",
                json!({ "agent": "a", "from": "down", "to": "recovering" }),
            );
            assert!(restarted.contains(&(t + 7 * SECS)), "seed {seed}");
        }
    }
    assert!(found > 0, "no seed produced the race");
}
