//! What each policy changes, the agent's recovery and registration model, and frameworks.

mod common;

use common::*;
use liveness::time::{MINS, SECS};
use serde_json::json;

fn slow_restart(policy: &str) -> serde_json::Value {
    cluster(
        policy,
        "10mins",
        json!([{ "name": "a", "tasks": { "pa": 1, "plain": 1 } }]),
        json!([{ "at": "1mins", "kind": "restart_agent", "agents": ["a"], "recovery": "3mins" }]),
    )
}

/// Fix A marks an agent that is merely slow to recover 75–90 s after it went silent; Mesos'
/// policies let it come back at the end of recovery.
#[test]
fn running_only_pongs_marks_a_slow_recovery_that_mesos_1_2_tolerates() {
    let sim = run(slow_restart("running-only-pongs"));
    let mark = once(
        &sim,
        "agent_marked_unreachable",
        json!({ "agent": "a", "cause": "health_check" }),
    );
    assert!(
        mark > MINS + 75 * SECS && mark <= MINS + 90 * SECS + ms(2),
        "{mark}"
    );
    let back = once(
        &sim,
        "agent_reregistered",
        json!({ "agent": "a", "previous_view": "unreachable" }),
    );
    assert!(back >= 4 * MINS);

    for policy in ["mesos-1.1", "mesos-1.2", "mesos-1.5"] {
        let sim = run(slow_restart(policy));
        assert!(
            times(&sim, "agent_marked_unreachable", json!({})).is_empty(),
            "{policy}"
        );
        let back = once(
            &sim,
            "agent_reregistered",
            json!({ "agent": "a", "previous_view": "disconnected" }),
        );
        assert!(
            back >= 4 * MINS && back <= 4 * MINS + SECS + ms(1),
            "{policy}"
        );
    }
}

/// After a partition heals, 1.2 shuts down non-partition-aware frameworks on the returning agent
/// (their tasks are killed there); 1.5 keeps every task and reports it running again.
#[test]
fn reregistration_policy_kills_or_keeps_non_partition_aware_tasks() {
    let v = |policy: &str| {
        json!({
            "seed": 4, "duration": "12mins", "policy": policy,
            "frameworks": [
                { "name": "pa", "partition_aware": true, "checkpoint": true },
                { "name": "spark", "partition_aware": false, "checkpoint": true }
            ],
            "agents": [{ "name": "a", "tasks": { "pa": 1, "spark": 2 } }],
            "faults": [
                { "at": "1mins", "kind": "partition", "agents": ["a"] },
                { "at": "5mins", "kind": "heal", "agents": ["a"] }
            ]
        })
    };
    let sim = run(v("mesos-1.2"));
    let back = once(
        &sim,
        "agent_reregistered",
        json!({ "agent": "a", "previous_view": "unreachable" }),
    );
    assert_eq!(
        once(&sim, "framework_shutdown", json!({ "framework": "spark" })),
        back + ms(1)
    );
    assert_eq!(
        times(
            &sim,
            "task_status",
            json!({ "framework": "spark", "state": "TASK_KILLED" })
        )
        .len(),
        2
    );
    assert!(times(
        &sim,
        "task_status",
        json!({ "reason": "REASON_SLAVE_REREGISTERED" })
    )
    .is_empty());

    let sim = run(v("mesos-1.5"));
    let back = once(
        &sim,
        "agent_reregistered",
        json!({ "agent": "a", "previous_view": "unreachable" }),
    );
    assert!(times(&sim, "framework_shutdown", json!({})).is_empty());
    let running = events(
        &sim,
        "task_status",
        json!({ "reason": "REASON_SLAVE_REREGISTERED", "state": "TASK_RUNNING" }),
    );
    assert_eq!(running.len(), 3);
    assert!(running.iter().all(|(t, _)| *t == back));
}

/// Explicit fields override the policy's defaults.
#[test]
fn explicit_fields_override_the_policy_bundle() {
    let mut v = cluster(
        "mesos-1.1",
        "15mins",
        json!([{ "name": "a", "tasks": { "pa": 1 } }]),
        json!([{ "at": "1mins", "kind": "restart_agent", "agents": ["a"], "recovery": "hang" }]),
    );
    set(&mut v, "master.reregister_timer", json!(true));
    let sim = run(v);
    assert_eq!(
        once(&sim, "agent_marked_unreachable", json!({})),
        MINS + ms(1) + 10 * MINS
    );

    let mut v = slow_restart("running-only-pongs");
    set(&mut v, "agent_defaults.pong_when", json!("always"));
    let sim = run(v);
    assert!(times(&sim, "agent_marked_unreachable", json!({})).is_empty());
}

/// Recovery lasts executor_reregistration_timeout only if a checkpointing framework's executor
/// was recovered (MESOS-7539), plus per-executor work for live and completed executors.
#[test]
fn recovery_length_follows_executors_and_checkpointing() {
    let v = cluster(
        "mesos-1.2",
        "5mins",
        json!([
            { "name": "ckpt", "tasks": { "pa": 2 }, "executors": 4, "completed_executors": 1000, "recovery_per_executor": "1ms", "executor_reregistration_timeout": "5secs" },
            { "name": "nockpt", "tasks": { "plain": 2 }, "completed_executors": 1000, "recovery_per_executor": "1ms" }
        ]),
        json!([{ "at": "1mins", "kind": "restart_agent", "agents": "all" }]),
    );
    let sim = run(v);
    let done = |a: &str| {
        *times(
            &sim,
            "agent_state",
            json!({ "agent": a, "from": "recovering", "to": "disconnected" }),
        )
        .last()
        .unwrap()
    };
    assert_eq!(done("ckpt"), MINS + 5 * SECS + 1004 * ms(1));
    // Its only framework does not checkpoint: nothing to wait for; still re-reads the work dir.
    assert_eq!(done("nockpt"), MINS + 1002 * ms(1));
}

/// First registration after U[0, b]; retries after U[0, min(b·2^k, 1 min)].
#[test]
fn registration_backoff_is_randomised_doubling_and_capped() {
    let v = cluster(
        "mesos-1.2",
        "20mins",
        json!([{ "name": "x", "count": 40, "registration_backoff_factor": "2secs" }]),
        json!([{ "at": "0ms", "kind": "drop_messages", "agents": ["x-0"], "messages": ["SlaveRegisteredMessage"], "until": "10mins" }]),
    );
    let sim = run(v);
    let firsts: Vec<u64> = (1..40)
        .map(|i| {
            times(
                &sim,
                "message",
                json!({ "agent": format!("x-{i}"), "message": "RegisterSlaveMessage" }),
            )[0]
        })
        .collect();
    assert!(firsts.iter().all(|&t| t <= 2 * SECS));
    assert!(firsts.iter().any(|&t| t > SECS), "spread over [0, b]");
    let retries = times(
        &sim,
        "message",
        json!({ "agent": "x-0", "message": "RegisterSlaveMessage" }),
    );
    assert!(retries.len() > 10);
    for (k, w) in retries.windows(2).enumerate() {
        let bound = ((2 * SECS) << (k + 1)).min(MINS);
        assert!(w[1] - w[0] <= bound, "retry {k}: {} > {bound}", w[1] - w[0]);
    }
    // Once the acknowledgement gets through, it registers once (the master deduplicates).
    assert_eq!(
        times(&sim, "agent_registered", json!({ "agent": "x-0" })).len(),
        1
    );
    assert_eq!(state(&sim, "x-0"), "running");
}

/// slaveLost and status updates reach only connected frameworks (updates are still traced,
/// with forwarded=false).
#[test]
fn disconnected_frameworks_get_no_slave_lost_or_updates() {
    let v = cluster(
        "mesos-1.2",
        "6mins",
        json!([{ "name": "a", "tasks": { "pa": 1, "plain": 1 } }]),
        json!([{ "at": "30secs", "kind": "disconnect_framework", "framework": "plain" },
               { "at": "1mins", "kind": "partition", "agents": ["a"] }]),
    );
    let sim = run(v);
    let lost = events(&sim, "slave_lost", json!({ "agent": "a" }));
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].1["framework"], json!("pa"));
    let plain = events(
        &sim,
        "task_status",
        json!({ "framework": "plain", "state": "TASK_LOST" }),
    );
    assert_eq!(plain.len(), 1);
    assert_eq!(plain[0].1["forwarded"], json!(false));
}

/// A crash takes non-checkpointing executors with it; a start brings the agent back through
/// recovery with only the checkpointed tasks.
#[test]
fn crash_and_start_keep_only_checkpointed_tasks() {
    let v = cluster(
        "mesos-1.2",
        "5mins",
        json!([{ "name": "a", "tasks": { "pa": 2, "plain": 3 } }]),
        json!([{ "at": "1mins", "kind": "crash_agent", "agents": ["a"] },
               { "at": "1.5mins", "kind": "start_agent", "agents": ["a"] }]),
    );
    let sim = run(v);
    assert_eq!(
        times(
            &sim,
            "task_status",
            json!({ "framework": "plain", "reason": "REASON_SLAVE_DISCONNECTED" })
        )
        .len(),
        3
    );
    let ix = sim.scenario().agent_index("a").unwrap();
    assert_eq!(sim.agent(ix).tasks().len(), 2);
    assert_eq!(view(&sim, "a"), "connected");
}
