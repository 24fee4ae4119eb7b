//! Edge cases and races of Mesos' master that the model includes (most named after the Mesos
//! test that pins them), and the rate limiter (`limiter.hpp :: RateLimiterProcess`).

mod common;

use common::*;
use liveness::time::{MINS, SECS};
use serde_json::json;

/// `RateLimiterProcess::acquire`: the limiter's first permit is immediate, later ones are spaced by
/// duration / permits, FIFO in the order the transitions were scheduled.
#[test]
fn rate_limiter_spaces_removals_by_its_interval() {
    let mut v = cluster(
        "mesos-1.2",
        "20mins",
        json!([{ "name": "x", "count": 4, "tasks": { "pa": 1 } }]),
        json!([{ "at": "1mins", "kind": "crash_agent", "agents": "all" }]),
    );
    set(&mut v, "master.agent_removal_rate_limit", json!("2/3mins"));
    let sim = run(v);
    let scheduled = times(
        &sim,
        "unreachable_scheduled",
        json!({ "cause": "health_check" }),
    );
    let marked = times(&sim, "agent_marked_unreachable", json!({}));
    assert_eq!(scheduled.len(), 4);
    assert_eq!(marked.len(), 4);
    assert_eq!(marked[0], scheduled[0], "the first permit is immediate");
    for k in 1..4 {
        assert_eq!(
            marked[k],
            marked[0] + k as u64 * 90 * SECS,
            "permits every 3mins / 2"
        );
    }
    // FIFO: agents are marked in the order their health checks asked.
    let order = |kind: &str| -> Vec<String> {
        events(&sim, kind, json!({}))
            .into_iter()
            .map(|(_, e)| e["agent"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        order("unreachable_scheduled"),
        order("agent_marked_unreachable")
    );
}

/// `SlaveObserver::pong` with `RateLimiterProcess` discard: a pong that reaches the observer while
/// its permit is still queued discards the request (canceled), and the agent is not marked.
#[test]
fn pong_while_waiting_for_a_permit_cancels_the_transition() {
    let mut v = cluster(
        "mesos-1.2",
        "15mins",
        json!([{ "name": "blocker", "tasks": { "pa": 1 } }, { "name": "waiter", "tasks": { "pa": 1 } }]),
        json!([{ "at": "1mins", "kind": "crash_agent", "agents": ["blocker"] },
               { "at": "1.5mins", "kind": "partition", "agents": ["waiter"] },
               { "at": "3.5mins", "kind": "heal", "agents": ["waiter"] }]),
    );
    set(&mut v, "master.agent_removal_rate_limit", json!("1/10mins"));
    set(&mut v, "duration", json!("10mins"));
    let sim = run(v);
    let blocker = once(&sim, "unreachable_scheduled", json!({ "agent": "blocker" }));
    let waiter = once(&sim, "unreachable_scheduled", json!({ "agent": "waiter" }));
    assert!(blocker < waiter);
    assert_eq!(
        once(&sim, "agent_marked_unreachable", json!({})),
        blocker,
        "immediate permit"
    );
    let canceled = once(
        &sim,
        "unreachable_canceled",
        json!({ "agent": "waiter", "cause": "health_check" }),
    );
    assert!(canceled > 3 * MINS + 30 * SECS && canceled < 4 * MINS);
    assert_eq!(view(&sim, "waiter"), "connected");
    assert_eq!(metric(&sim, "master/slave_unreachable_canceled"), 1.0);
    assert_eq!(metric(&sim, "master/slave_unreachable_completed"), 1.0);
}

/// `Master::_agentReregisterTimeout` and MESOS-8386: the re-registration path never discards its
/// permit; if the agent came back meanwhile the permit is spent on nothing (canceled) and the next
/// request waits a full interval more.
#[test]
fn reconnect_while_the_reregister_permit_is_pending_is_canceled() {
    let mut v = cluster(
        "mesos-1.2",
        "40mins",
        json!([{ "name": "crashed", "tasks": { "pa": 1 } }, { "name": "hung", "tasks": { "pa": 1 } }]),
        json!([{ "at": "1mins", "kind": "crash_agent", "agents": ["crashed"] },
               { "at": "2mins", "kind": "restart_agent", "agents": ["hung"], "recovery": "hang" },
               { "at": "13mins", "kind": "finish_recovery", "agents": ["hung"] }]),
    );
    set(&mut v, "master.agent_removal_rate_limit", json!("1/20mins"));
    let sim = run(v);
    let first = once(
        &sim,
        "agent_marked_unreachable",
        json!({ "agent": "crashed" }),
    );
    let asked = once(
        &sim,
        "unreachable_scheduled",
        json!({ "agent": "hung", "cause": "reregister_timeout" }),
    );
    assert_eq!(asked, 2 * MINS + ms(1) + 10 * MINS);
    let back = once(
        &sim,
        "agent_reregistered",
        json!({ "agent": "hung", "previous_view": "disconnected" }),
    );
    let canceled = once(
        &sim,
        "unreachable_canceled",
        json!({ "agent": "hung", "cause": "reregister_timeout" }),
    );
    assert!(back < canceled);
    assert_eq!(
        canceled,
        first + 20 * MINS,
        "the permit arrives one interval after the first"
    );
    assert!(times(&sim, "agent_marked_unreachable", json!({ "agent": "hung" })).is_empty());
    assert_eq!(metric(&sim, "master/slave_unreachable_canceled"), 1.0);
}

/// `Master::exited` (MESOS-675): a second socket break before re-registration arms no second timer.
#[test]
fn duplicate_exited_arms_no_second_timer() {
    let v = cluster(
        "mesos-1.2",
        "20mins",
        json!([{ "name": "a", "tasks": { "pa": 1 } }]),
        json!([{ "at": "1mins", "kind": "restart_agent", "agents": ["a"], "recovery": "hang" },
               { "at": "2mins", "kind": "break_socket", "agents": ["a"] },
               { "at": "3mins", "kind": "partition", "agents": ["a"], "direction": "agent_to_master", "breaks_socket": true },
               { "at": "3.5mins", "kind": "heal", "agents": ["a"] }]),
    );
    let sim = run(v);
    assert_eq!(
        times(&sim, "agent_disconnected", json!({ "agent": "a" })).len(),
        1
    );
    assert_eq!(
        once(&sim, "agent_marked_unreachable", json!({ "agent": "a" })),
        MINS + ms(1) + 10 * MINS,
        "the first timer decides"
    );
}

/// `Master::markUnreachable` (`markingUnreachable` guard): the health check and the re-registration
/// timer both try while the registry write is pending: the second markUnreachable is ignored; each
/// path counts its own metrics.
#[test]
fn health_check_and_timer_both_try_but_the_agent_is_marked_once() {
    let mut v = cluster(
        "mesos-1.2",
        "20mins",
        json!([{ "name": "a", "tasks": { "pa": 1 } }]),
        // Registration itself takes one registry write (2 min), so the faults come after it.
        json!([{ "at": "3mins", "kind": "restart_agent", "agents": ["a"], "recovery": "hang" },
               { "at": "11mins", "kind": "drop_messages", "agents": ["a"], "messages": ["PongSlaveMessage"], "until": "30mins" }]),
    );
    set(&mut v, "master.registry_write_latency", json!("2mins"));
    let sim = run(v);
    let health_calls = times(
        &sim,
        "unreachable_scheduled",
        json!({ "cause": "health_check" }),
    );
    let health = health_calls[0];
    let timer = once(
        &sim,
        "unreachable_scheduled",
        json!({ "cause": "reregister_timeout" }),
    );
    assert!(
        health < timer && timer < health + 2 * MINS,
        "the timer fires while the write is pending"
    );
    let (t, e) = events(&sim, "agent_marked_unreachable", json!({ "agent": "a" })).remove(0);
    assert_eq!(t, health + 2 * MINS);
    assert_eq!(e["cause"], json!("health_check"));
    assert_eq!(times(&sim, "agent_marked_unreachable", json!({})).len(), 1);
    // Every call counts, from both paths, but only one registry write removes the agent.
    let calls = health_calls
        .iter()
        .filter(|&&t| t <= health + 2 * MINS)
        .count() as f64
        + 1.0;
    assert_eq!(metric(&sim, "master/slave_unreachable_scheduled"), calls);
    assert_eq!(metric(&sim, "master/slave_unreachable_completed"), calls);
    assert_eq!(metric(&sim, "master/slave_removals"), 1.0);
}

/// PartitionTest.FailHealthChecksTwice: the health check fails again while the registry
/// write is pending: scheduled = completed = 2, one removal.
#[test]
fn health_check_failing_twice_during_the_write_marks_once() {
    let mut v = cluster(
        "mesos-1.2",
        "10mins",
        json!([{ "name": "a", "tasks": { "pa": 1 } }]),
        json!([{ "at": "1mins", "kind": "partition", "agents": ["a"] }]),
    );
    set(&mut v, "master.registry_write_latency", json!("20secs"));
    let sim = run(v);
    assert_eq!(
        times(
            &sim,
            "unreachable_scheduled",
            json!({ "cause": "health_check" })
        )
        .len(),
        2
    );
    assert_eq!(metric(&sim, "master/slave_unreachable_scheduled"), 2.0);
    assert_eq!(metric(&sim, "master/slave_unreachable_completed"), 2.0);
    assert_eq!(metric(&sim, "master/slave_removals"), 1.0);
    let first = times(&sim, "unreachable_scheduled", json!({}))[0];
    assert_eq!(
        once(&sim, "agent_marked_unreachable", json!({})),
        first + 20 * SECS
    );
}

/// SlaveTest.UnreachableThenUnregisterRace: unregister while being marked: ignored, the
/// agent ends unreachable.
#[test]
fn unregister_while_marking_unreachable_is_ignored() {
    let mut v = cluster(
        "mesos-1.2",
        "10mins",
        json!([{ "name": "a", "tasks": { "pa": 1 } }]),
        json!([{ "at": "1mins", "kind": "drop_messages", "agents": ["a"], "messages": ["PongSlaveMessage"], "until": "20mins" }]),
    );
    set(&mut v, "master.registry_write_latency", json!("1mins"));
    // Shut the agent down 30 s after the health check asked to mark it.
    let probe = run(v.clone());
    let asked = times(&probe, "unreachable_scheduled", json!({}))[0];
    v["faults"].as_array_mut().unwrap().push(json!({ "at": format!("{}us", asked + 30 * SECS), "kind": "shutdown_agent", "agents": ["a"] }));
    let sim = run(v);
    assert_eq!(
        once(
            &sim,
            "message",
            json!({ "message": "UnregisterSlaveMessage" })
        ),
        asked + 30 * SECS
    );
    assert!(times(&sim, "agent_removed", json!({})).is_empty());
    assert_eq!(
        once(&sim, "agent_marked_unreachable", json!({ "agent": "a" })),
        asked + MINS
    );
    assert_eq!(view(&sim, "a"), "unreachable");
    assert_eq!(
        metric(&sim, "master/slave_removals/reason_unregistered"),
        0.0
    );
}

/// SlaveTest.UnregisterThenUnreachableRace: marking while an unregister is in flight:
/// ignored, the agent ends removed; every task TASK_LOST.
#[test]
fn marking_while_unregistering_is_ignored() {
    let mut v = cluster(
        "mesos-1.2",
        "10mins",
        json!([{ "name": "a", "tasks": { "pa": 2 } }]),
        // Registration itself takes one registry write (3 min), so the shutdown comes after it.
        json!([{ "at": "5mins", "kind": "shutdown_agent", "agents": ["a"] }]),
    );
    set(&mut v, "master.registry_write_latency", json!("3mins"));
    let sim = run(v);
    // The agent is down, so the health check asks to mark it (again every period) before the
    // removal commits; every attempt is ignored.
    let asked = times(&sim, "unreachable_scheduled", json!({}));
    assert!(!asked.is_empty() && asked[0] < 8 * MINS);
    assert!(times(&sim, "agent_marked_unreachable", json!({})).is_empty());
    let removed = once(
        &sim,
        "agent_removed",
        json!({ "agent": "a", "reason": "unregistered" }),
    );
    assert_eq!(removed, 5 * MINS + ms(1) + 3 * MINS);
    let lost = events(
        &sim,
        "task_status",
        json!({ "agent": "a", "state": "TASK_LOST", "reason": "REASON_SLAVE_REMOVED" }),
    );
    assert_eq!(lost.len(), 2);
    assert_eq!(view(&sim, "a"), "removed");
    assert_eq!(
        metric(&sim, "master/slave_removals/reason_unregistered"),
        1.0
    );
}

/// MasterTest.CancelRecoveredSlaveRemoval: a recovered agent re-registers after its
/// permit was requested: canceled, no slaveLost.
#[test]
fn recovered_agent_returning_while_its_permit_waits_is_canceled() {
    let mut v = cluster(
        "mesos-1.2",
        "30mins",
        json!([{ "name": "x", "count": 3, "tasks": { "pa": 1 } }]),
        json!([{ "at": "1mins", "kind": "crash_agent", "agents": ["x-0", "x-1"] },
               { "at": "1.2mins", "kind": "fail_over_master", "downtime": "0secs" },
               { "at": "13mins", "kind": "start_agent", "agents": ["x-1"] }]),
    );
    set(&mut v, "master.agent_removal_rate_limit", json!("1/5mins"));
    // The agent whose permit waits is the one not marked at once; bring that one back.
    let probe = run(v.clone());
    let first = events(&probe, "agent_marked_unreachable", json!({}))[0].1["agent"]
        .as_str()
        .unwrap()
        .to_string();
    let (gone, back) = if first == "x-0" {
        ("x-0", "x-1")
    } else {
        ("x-1", "x-0")
    };
    v["faults"][2]["agents"] = json!([back]);
    let sim = run(v);
    let recovered = once(&sim, "master_recovered", json!({}));
    let scheduled = times(
        &sim,
        "unreachable_scheduled",
        json!({ "cause": "master_failover" }),
    );
    assert_eq!(
        scheduled,
        vec![recovered + 10 * MINS, recovered + 10 * MINS]
    );
    assert_eq!(
        once(&sim, "agent_marked_unreachable", json!({})),
        recovered + 10 * MINS
    );
    let canceled = once(
        &sim,
        "unreachable_canceled",
        json!({ "agent": back, "cause": "master_failover" }),
    );
    assert_eq!(canceled, recovered + 15 * MINS);
    assert!(times(&sim, "slave_lost", json!({ "agent": back })).is_empty());
    assert_eq!(view(&sim, back), "connected");
    assert_eq!(view(&sim, gone), "unreachable");
}

/// `Master::recoveredSlavesTimeout`: more recovered agents missing than
/// recovery_agent_removal_limit allows: the master exits instead of removing them, and a new one
/// recovers the same registry.
#[test]
fn recovery_removal_limit_makes_the_master_abort() {
    let mut v = cluster(
        "mesos-1.2",
        "30mins",
        json!([{ "name": "x", "count": 4, "tasks": { "pa": 1 } }]),
        json!([{ "at": "1mins", "kind": "crash_agent", "agents": ["x-0", "x-1"] },
               { "at": "2mins", "kind": "fail_over_master", "downtime": "10secs" }]),
    );
    set(&mut v, "master.recovery_agent_removal_limit", json!("40%"));
    let sim = run(v.clone());
    let aborts = times(&sim, "master_aborted", json!({}));
    assert_eq!(aborts[0], 2 * MINS + 10 * SECS + 10 * MINS);
    assert_eq!(
        times(&sim, "master_recovered", json!({}))[1],
        aborts[0] + 10 * SECS
    );
    assert!(times(&sim, "agent_marked_unreachable", json!({})).is_empty());
    assert_eq!(view(&sim, "x-0"), "recovered");

    // 50% missing is within a 50% limit: they are marked.
    set(&mut v, "master.recovery_agent_removal_limit", json!("50%"));
    let sim = run(v);
    assert!(times(&sim, "master_aborted", json!({})).is_empty());
    assert_eq!(
        times(
            &sim,
            "agent_marked_unreachable",
            json!({ "cause": "master_failover" })
        )
        .len(),
        2
    );
}

/// MasterTest.AgentReregistrationDuringMarkingUnreachable, as 1.2 behaves: a re-registration while
/// the agent is being marked reconnects it, but the registry write still removes it; it then comes
/// back through MarkSlaveReachable.
#[test]
fn reregistration_during_marking_still_ends_unreachable_then_returns() {
    let mut v = cluster(
        "mesos-1.2",
        "15mins",
        json!([{ "name": "a", "tasks": { "pa": 1 } }]),
        json!([{ "at": "1mins", "kind": "drop_messages", "agents": ["a"], "messages": ["PongSlaveMessage"], "until": "3mins" }]),
    );
    set(&mut v, "master.registry_write_latency", json!("1mins"));
    let probe = run(v.clone());
    let asked = times(&probe, "unreachable_scheduled", json!({}))[0];
    v["faults"].as_array_mut().unwrap().push(json!({ "at": format!("{}us", asked + 10 * SECS), "kind": "break_socket", "agents": ["a"] }));
    let sim = run(v);
    let known = once(
        &sim,
        "agent_reregistered",
        json!({ "agent": "a", "previous_view": "disconnected" }),
    );
    let marked = once(&sim, "agent_marked_unreachable", json!({ "agent": "a" }));
    assert!(known < marked && marked == asked + MINS);
    let back = once(
        &sim,
        "agent_reregistered",
        json!({ "agent": "a", "previous_view": "unreachable" }),
    );
    assert!(back > marked);
    assert_eq!(view(&sim, "a"), "connected");
}

/// SlaveRecoveryTest.RegisterDisconnectedSlave: a disconnected agent comes back as a
/// new agent at the same address: the old one is removed (reason registered), its tasks lost.
#[test]
fn new_agent_at_a_disconnected_address_replaces_the_old_one() {
    let v = cluster(
        "mesos-1.2",
        "10mins",
        json!([{ "name": "a", "tasks": { "pa": 2 } }]),
        json!([{ "at": "1mins", "kind": "restart_agent", "agents": ["a"], "work_dir_lost": true }]),
    );
    let sim = run(v);
    let old_id = events(&sim, "agent_registered", json!({ "agent": "a" }))[0].1["agent_id"].clone();
    let (t, e) = events(&sim, "agent_removed", json!({ "agent": "a" })).remove(0);
    assert_eq!(e["reason"], json!("registered"));
    assert_eq!(e["agent_id"], old_id);
    let lost = times(
        &sim,
        "task_status",
        json!({ "agent": "a", "state": "TASK_LOST", "reason": "REASON_SLAVE_REMOVED" }),
    );
    assert_eq!(lost, vec![t, t]);
    let (_, new) = events(&sim, "agent_registered", json!({ "agent": "a" })).remove(1);
    assert_ne!(new["agent_id"], old_id);
    assert_eq!(new["previous_view"], json!("disconnected"));
    assert_eq!(metric(&sim, "master/slave_removals/reason_registered"), 1.0);
    assert_eq!(metric(&sim, "master/slave_registrations"), 2.0);
    assert_eq!(view(&sim, "a"), "connected");
}

/// PartitionTest.SpuriousSlaveReregistration: an agent that re-registers while the
/// master already has it connected (its SlaveReregisteredMessage was lost, so it retried) changes
/// nothing for its tasks.
#[test]
fn spurious_reregistration_of_a_connected_agent_has_no_effect() {
    let v = cluster(
        "mesos-1.2",
        "10mins",
        json!([{ "name": "a", "tasks": { "pa": 1, "plain": 1 } }]),
        json!([{ "at": "1mins", "kind": "break_socket", "agents": ["a"] },
               { "at": "1mins", "kind": "drop_messages", "agents": ["a"], "messages": ["SlaveReregisteredMessage"], "until": "1.5mins" }]),
    );
    let sim = run(v);
    let rereg = events(&sim, "agent_reregistered", json!({ "agent": "a" }));
    assert!(rereg.len() >= 2, "{rereg:?}");
    assert_eq!(rereg[0].1["previous_view"], json!("disconnected"));
    assert!(rereg[1..]
        .iter()
        .all(|(_, e)| e["previous_view"] == json!("connected")));
    // The only task update is the non-checkpointing task lost at the disconnect.
    let updates = events(&sim, "task_status", json!({}));
    assert!(updates.iter().all(|(t, _)| *t < MINS || *t == MINS + ms(1)));
    assert_eq!(
        updates.iter().filter(|(t, _)| *t == MINS + ms(1)).count(),
        1
    );
    assert_eq!(state(&sim, "a"), "running");
    assert_eq!(view(&sim, "a"), "connected");
}

/// `Master::doRegistryGc`: registry GC prunes unreachable agents older than registry_max_agent_age,
/// and keeps at most registry_max_agent_count, oldest first; a pruned agent is unknown and comes
/// back as an "UNKNOWN agent".
#[test]
fn registry_gc_prunes_by_age_and_by_count() {
    let mut v = cluster(
        "mesos-1.2",
        "40mins",
        json!([{ "name": "x", "count": 3, "tasks": { "pa": 1 } }]),
        json!([{ "at": "1mins", "kind": "crash_agent", "agents": ["x-0"] },
               { "at": "4mins", "kind": "crash_agent", "agents": ["x-1"] },
               { "at": "30mins", "kind": "start_agent", "agents": ["x-0"] }]),
    );
    set(&mut v, "master.registry_gc_interval", json!("5mins"));
    set(&mut v, "master.registry_max_agent_count", json!(1));
    let sim = run(v.clone());
    // Two unreachable, room for one: the older (x-0) is pruned at the first GC after both.
    let pruned = once(&sim, "registry_pruned", json!({}));
    assert_eq!(pruned, 10 * MINS);
    assert_eq!(
        events(&sim, "registry_pruned", json!({}))[0].1["agent"],
        json!("x-0")
    );
    assert_eq!(view(&sim, "x-1"), "unreachable");
    let back = once(&sim, "agent_reregistered", json!({ "agent": "x-0" }));
    assert!(back > 30 * MINS);
    assert_eq!(
        events(&sim, "agent_reregistered", json!({ "agent": "x-0" }))[0].1["previous_view"],
        json!("unknown")
    );

    set(&mut v, "master.registry_max_agent_count", json!(100));
    set(&mut v, "master.registry_max_agent_age", json!("8mins"));
    let sim = run(v);
    let pruned = times(&sim, "registry_pruned", json!({}));
    // x-0 marked at ~2:16 is older than 8mins at the 15:00 GC; x-1 (~5:16) at 15:00 too.
    assert_eq!(pruned, vec![15 * MINS, 15 * MINS]);
}

/// MasterTest.RecoveredSlaveReregisterThenUnreachableRace: a recovered agent whose
/// re-registration is still being written when the recovered-agents timeout fires is skipped: no
/// transition is scheduled for it, and it ends connected.
#[test]
fn recovered_agent_reregistering_at_the_timeout_is_skipped() {
    let mut v = cluster(
        "mesos-1.2",
        "20mins",
        json!([{ "name": "late", "tasks": { "pa": 1 } }, { "name": "gone", "tasks": { "pa": 1 } }]),
        json!([{ "at": "2mins", "kind": "crash_agent", "agents": ["late", "gone"] },
               { "at": "3mins", "kind": "fail_over_master", "downtime": "0secs" },
               { "at": "12.95mins", "kind": "start_agent", "agents": ["late"] }]),
    );
    set(&mut v, "master.registry_write_latency", json!("20secs"));
    let sim = run(v);
    let recovered = once(&sim, "master_recovered", json!({}));
    let sent = times(
        &sim,
        "message",
        json!({ "agent": "late", "message": "ReregisterSlaveMessage" }),
    );
    assert!(
        sent[0] < recovered + 10 * MINS,
        "it asked before the timeout"
    );
    let back = once(
        &sim,
        "agent_reregistered",
        json!({ "agent": "late", "previous_view": "recovered" }),
    );
    assert!(
        back > recovered + 10 * MINS,
        "…but the write committed after it"
    );
    assert!(times(&sim, "unreachable_scheduled", json!({ "agent": "late" })).is_empty());
    assert_eq!(
        once(&sim, "unreachable_scheduled", json!({ "agent": "gone" })),
        recovered + 10 * MINS
    );
    assert_eq!(view(&sim, "late"), "connected");
    assert_eq!(view(&sim, "gone"), "unreachable");
}
