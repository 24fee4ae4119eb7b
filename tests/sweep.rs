//! Sweeps checked against closed forms, and independent of the thread count.

use liveness::sweep::SweepPlan;
use liveness::time::{MILLIS, MINS, SECS};
use serde_json::{json, Value};

fn plan(policy: &str, master: Value, faults: Value, trials: u64) -> SweepPlan {
    SweepPlan::from_json(&json!({
        "base": {
            "policy": policy,
            "master": master,
            "frameworks": [{ "name": "web", "partition_aware": true, "checkpoint": true }],
            "agents": [{ "name": "a", "count": 20, "tasks": { "web": 1 } }]
        },
        "workload": { "horizon": "3hrs", "faults": faults },
        "trials": trials,
        "seed": 5
    }))
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Agents that crash for good are marked between N·P and (N+1)·P after the crash (give or take
/// a latency), spread uniformly over that period.
#[test]
fn crashes_are_detected_uniformly_between_n_p_and_n_plus_1_p() {
    let p = 10 * SECS;
    let n = 4;
    let plan = plan(
        "mesos-1.2",
        json!({ "agent_ping_timeout": "10secs", "max_agent_ping_timeouts": n }),
        json!([{ "kind": "crash_agent", "at": "1hrs", "jitter": "30mins" }]),
        10,
    );
    let mut samples = Vec::new();
    for t in 0..plan.trials {
        let o = plan.run_trial(0, t);
        assert_eq!(o.undetected(), 0);
        samples.extend(o.detections());
    }
    assert_eq!(samples.len(), 200);
    for &d in &samples {
        assert!(d >= n * p - MILLIS && d <= (n + 1) * p + MILLIS, "{d}");
    }
    // Uniform over the period: each quarter holds about a quarter (binomial 200 × 1/4 ± 4σ).
    for q in 0..4 {
        let lo = n * p + q * p / 4;
        let count = samples
            .iter()
            .filter(|&&d| d >= lo && d < lo + p / 4)
            .count();
        assert!((26..=74).contains(&count), "quarter {q}: {count}");
    }
}

/// Restart-and-hang under mesos-1.2 is marked exactly agent_reregister_timeout after the
/// restart (plus the 1 ms for the master to see the socket break).
#[test]
fn hangs_are_marked_exactly_r_after_the_restart() {
    for r in [10u64, 25] {
        let plan = plan(
            "mesos-1.2",
            json!({ "agent_reregister_timeout": format!("{r}mins") }),
            json!([{ "kind": "restart_agent", "at": "1hrs", "jitter": "20mins", "recovery": "hang" }]),
            3,
        );
        for t in 0..plan.trials {
            let o = plan.run_trial(0, t);
            assert_eq!(o.hang_detections, vec![r * MINS + MILLIS; 20]);
            assert!(o.crash_detections.is_empty());
        }
    }
}

fn false_unreachable(policy: &str, master: Value, recovery: &str) -> (u64, u64) {
    let plan = plan(
        policy,
        master,
        json!([{ "kind": "restart_agent", "at": "1hrs", "jitter": "20mins", "recovery": recovery }]),
        2,
    );
    (0..plan.trials).fold((0, 0), |(f, n), t| {
        let o = plan.run_trial(0, t);
        (f + o.false_unreachable_total(), n + o.transient_total())
    })
}

/// A recovery of fixed length D is a false unreachable under mesos-1.2 exactly when D > R.
#[test]
fn fixed_recovery_is_false_unreachable_under_1_2_exactly_when_longer_than_r() {
    let master = json!({ "agent_reregister_timeout": "10mins" });
    assert_eq!(
        false_unreachable("mesos-1.2", master.clone(), "595secs"),
        (0, 40)
    );
    assert_eq!(
        false_unreachable("mesos-1.2", master.clone(), "605secs"),
        (40, 40)
    );
    assert_eq!(false_unreachable("mesos-1.2", master, "40mins"), (40, 40));
}

/// Under running-only-pongs it is a false unreachable exactly when D outlasts the health check.
/// The agent must be running to answer the ping that would be its N-th miss, sent (N-1)·P after
/// the first unanswered one, which comes up to P after the restart: so never when D (plus
/// backoff) is under (N-1)·P, always when D is over N·P.
#[test]
fn fixed_recovery_is_false_unreachable_under_fix_a_exactly_when_longer_than_the_health_check() {
    let master = json!({ "agent_ping_timeout": "15secs", "max_agent_ping_timeouts": 5 });
    assert_eq!(
        false_unreachable("running-only-pongs", master.clone(), "55secs"),
        (0, 40)
    );
    assert_eq!(
        false_unreachable("running-only-pongs", master.clone(), "80secs"),
        (40, 40)
    );
    // In between, it depends on the ping phase.
    let (some, all) = false_unreachable("running-only-pongs", master.clone(), "68secs");
    assert!(some > 0 && some < all, "{some}/{all}");
    // The same recoveries are harmless under mesos-1.2.
    assert_eq!(false_unreachable("mesos-1.2", master, "80secs"), (0, 40));
}

/// Every trial index draws the same faults at every grid point (common random numbers).
#[test]
fn grid_points_share_their_fault_draws() {
    let plan = SweepPlan::from_json(&json!({
        "base": { "agents": [{ "name": "a", "count": 5 }] },
        "vary": { "master.agent_reregister_timeout": ["10mins", "20mins"], "policy": ["mesos-1.1", "mesos-1.2"] },
        "workload": { "horizon": "1day", "faults": [{ "kind": "restart_agent", "rate": "1/1days", "recovery": { "lognormal": { "median": "30secs", "p99": "20mins" } } }] },
        "trials": 3
    }))
    .unwrap();
    assert_eq!(plan.points.len(), 4);
    let faults = |p: usize| plan.trial(p, 2).0["faults"].clone();
    assert_eq!(faults(0), faults(3));
    assert_ne!(plan.trial(0, 1).0["faults"], faults(0));
}

#[test]
fn invalid_specs_name_the_field() {
    let err = SweepPlan::from_json(&json!({
        "base": { "agents": [{ "name": "a" }], "faults": [] },
        "vary": { "master.agent_ping_timeout": ["15secs", "0secs"], "policy": ["mesos-9"] },
        "workload": { "horizon": "1day", "faults": [
            { "kind": "restart_agent", "rate": "1/7days" },
            { "kind": "partition", "at": "1hrs", "rate": "1/1days", "duration": "1mins" },
            { "kind": "restart_agent", "at": "1hrs", "recovery": { "lognormal": { "median": "30secs" } } }
        ] },
        "trials": 0
    }))
    .unwrap_err()
    .problems
    .join("\n");
    for want in [
        "base.faults: not allowed in a sweep",
        "vary[\"master.agent_ping_timeout\"][1]: master.agent_ping_timeout: must be positive",
        "vary[\"policy\"][0]: policy: unknown policy \"mesos-9\"",
        "workload.faults[0].recovery: required",
        "workload.faults[1]: needs exactly one of \"rate\"",
        "workload.faults[2].recovery.lognormal: needs both median and p99",
        "trials: must be at least 1",
    ] {
        assert!(err.contains(want), "missing {want:?} in\n{err}");
    }
}

/// The CLI gives the same JSON with one thread and with two, and writes a CSV row per point.
#[test]
fn results_do_not_depend_on_the_thread_count() {
    let spec = json!({
        "name": "threads",
        "base": { "agents": [{ "name": "a", "count": 10 }] },
        "vary": { "master.max_agent_ping_timeouts": [3, 5], "policy": ["mesos-1.2", "running-only-pongs"] },
        "workload": { "horizon": "6hrs", "faults": [
            { "kind": "crash_agent", "rate": "1/2days" },
            { "kind": "restart_agent", "rate": "1/1days", "recovery": { "uniform": ["10secs", "15mins"] } },
            { "kind": "partition", "rate": "1/2days", "duration": { "lognormal": { "median": "30secs", "p99": "10mins" } } }
        ] },
        "trials": 6,
        "seed": 3
    });
    let dir = std::env::temp_dir().join(format!("liveness-sweep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let run = |threads: &str| {
        let csv = dir.join(format!("out-{threads}.csv"));
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_liveness"))
            .args([
                "sweep",
                spec_path.to_str().unwrap(),
                "--json",
                "--threads",
                threads,
                "--out",
                csv.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
            std::fs::read_to_string(csv).unwrap(),
        )
    };
    let (one, csv_one) = run("1");
    let (two, csv_two) = run("2");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(one, two);
    assert_eq!(csv_one, csv_two);
    assert_eq!(one["points"].as_array().unwrap().len(), 4);
    assert_eq!(csv_one.lines().count(), 5);
    assert!(csv_one.starts_with(
        "\"master.max_agent_ping_timeouts\",\"policy\",trials,detection_ms.n,detection_ms.p50,"
    ));
    let m = &one["points"][0]["metrics"];
    for key in [
        "detection_ms",
        "undetected",
        "false_unreachable",
        "false_unreachable_per_1000_faults",
        "tasks_lost_needlessly",
        "limbo_ms",
    ] {
        assert!(m.get(key).is_some(), "{key}");
    }
}

/// Stepping a run gives the same results as running trials directly, and remembers a trial
/// worth showing for each point.
#[test]
fn stepping_matches_and_picks_a_representative_trial() {
    let plan = plan(
        "mesos-1.2",
        json!({ "agent_reregister_timeout": "10mins" }),
        json!([{ "kind": "restart_agent", "at": "1hrs", "jitter": "20mins", "recovery": { "uniform": ["5mins", "15mins"] } }]),
        4,
    );
    let mut run = liveness::sweep::SweepRun::new(plan.clone());
    assert_eq!(run.step(3), 3);
    assert_eq!(run.step(100), 4);
    let mut direct = liveness::sweep::SweepResult::new(&plan);
    for t in 0..4 {
        direct.add(0, &plan.run_trial(0, t));
    }
    assert_eq!(run.result().to_json(&plan), direct.to_json(&plan));
    let rep = run.representative_trial(0);
    assert!(plan.run_trial(0, rep).false_unreachable_total() > 0);
    let samples = liveness::sweep::sample_length(
        &json!({ "lognormal": { "median": "30secs", "p99": "20mins" } }),
        2000,
        1,
        &liveness::sweep::NoFiles,
    )
    .unwrap();
    let mut ms: Vec<u64> = samples.into_iter().map(|s| s.unwrap()).collect();
    ms.sort_unstable();
    let median = ms[1000];
    assert!(median > 25 * SECS && median < 36 * SECS, "{median}");
    assert!(liveness::sweep::sample_length(
        &json!({ "uniform": [1] }),
        10,
        1,
        &liveness::sweep::NoFiles
    )
    .is_err());
}
