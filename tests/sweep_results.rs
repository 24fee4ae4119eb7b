//! Sweep metrics, the objective's recommendation, warnings, and sharded runs, checked against
//! closed forms and against the unsharded run.

use liveness::scenario::Scenario;
use liveness::sim::{Simulation, TraceMode};
use liveness::sweep::metrics::METRICS;
use liveness::sweep::{merge, Shard, SweepPart, SweepPlan, SweepResult};
use liveness::time::{MILLIS, MINS};
use liveness::trace::Event;
use serde_json::{json, Value};

fn spec(agents: Value, master: Value, workload: Value, trials: u64) -> Value {
    json!({
        "name": "results",
        "base": {
            "policy": "mesos-1.2",
            "master": master,
            "frameworks": [
                { "name": "web", "partition_aware": true, "checkpoint": true },
                { "name": "batch", "partition_aware": false, "checkpoint": true }
            ],
            "agents": agents
        },
        "workload": workload,
        "trials": trials,
        "seed": 9
    })
}

fn plan(v: &Value) -> SweepPlan {
    SweepPlan::from_json(v).unwrap_or_else(|e| panic!("{e}"))
}

/// Every trial of every point, aggregated in grid order (what the CLI does).
fn run_all(plan: &SweepPlan) -> SweepResult {
    let mut r = SweepResult::new(plan);
    for (p, t) in plan.runs(None) {
        r.add(p, &plan.run_trial(p, t));
    }
    r
}

fn slow_restarts(recovery: &str) -> Value {
    json!({ "horizon": "3hrs", "faults": [{ "kind": "restart_agent", "at": "1hrs", "jitter": "20mins", "recovery": recovery }] })
}

/// Ten agents with eight tasks each of a non-partition-aware framework, all restarted for longer
/// than R: each task is lost when its agent is marked and killed when the agent re-registers —
/// two status updates, one task: 80 tasks killed needlessly, not 160.
#[test]
fn tasks_killed_needlessly_counts_distinct_tasks() {
    let p = plan(&spec(
        json!([{ "name": "a", "count": 10, "tasks": { "batch": 8 } }]),
        json!({}),
        slow_restarts("15mins"),
        2,
    ));
    for t in 0..2 {
        let o = p.run_trial(0, t);
        assert_eq!(
            (o.false_unreachable, o.tasks_killed_needlessly),
            ([10, 0, 0, 0], 80)
        );
        // The trace really has two harmful updates per task.
        let scenario = Scenario::from_json(&p.trial(0, t).0).unwrap();
        let mut sim = Simulation::with_trace(&scenario, TraceMode::Verdicts).unwrap();
        sim.run_to_end();
        let updates = sim
            .trace()
            .iter()
            .filter(
                |e| matches!(&e.event, Event::TaskStatus(s) if s.state.name() != "TASK_RUNNING"),
            )
            .count();
        assert_eq!(updates, 160);
    }
    let m = &run_all(&p).to_json(&p)["points"][0]["metrics"];
    assert_eq!(
        (
            m["tasks_killed_needlessly"].clone(),
            m["tasks_lost_needlessly"].clone()
        ),
        (json!(160), json!(160))
    );
}

/// False unreachable marks per agent-day: marks ÷ (agents × horizon in days × trials).
#[test]
fn false_unreachable_is_normalised_per_agent_day() {
    let p = plan(&spec(
        json!([{ "name": "a", "count": 20 }]),
        json!({}),
        slow_restarts("11mins"),
        2,
    ));
    let m = &run_all(&p).to_json(&p)["points"][0]["metrics"];
    assert_eq!(m["false_unreachable"], json!(40));
    assert_eq!(
        m["false_unreachable_by_kind"],
        json!({ "restart": 40, "partition": 0, "rolling_restart": 0, "fail_over_master": 0 })
    );
    // 40 / (20 agents × 3/24 day × 2 trials) = 8.
    assert_eq!(m["false_unreachable_per_agent_day"], json!(8.0));
    assert_eq!(m["false_unreachable_per_1000_restarts"], json!(1000.0));
    assert_eq!(m["false_unreachable_per_1000_faults"], json!(1000.0));
}

/// Detection quantiles by kind: hangs at exactly R + 1 ms; an agent crashed too late to be
/// marked by the horizon counts as never detected, so its quantiles are null.
#[test]
fn detections_are_split_by_kind_and_count_the_undetected_as_never() {
    let w = json!({ "horizon": "3hrs", "faults": [
        { "kind": "restart_agent", "at": "1hrs", "jitter": "20mins", "recovery": "hang" },
        { "kind": "crash_agent", "at": "10799secs" }
    ] });
    let p = plan(&spec(
        json!([{ "name": "a", "count": 20 }]),
        json!({}),
        w,
        2,
    ));
    let m = &run_all(&p).to_json(&p)["points"][0]["metrics"];
    let r = (10 * MINS + MILLIS) as f64 / MILLIS as f64;
    assert_eq!(
        m["detection_by_kind"]["hang"],
        json!({ "n": 40, "undetected": 0, "p50": r, "p95": r, "p99": r, "max": r })
    );
    // The hung agents are down for good: the late crash finds no one.
    assert_eq!(
        m["detection_by_kind"]["crash"],
        json!({ "n": 0, "undetected": 0, "p50": null, "p95": null, "p99": null, "max": null })
    );
    let late =
        json!({ "horizon": "3hrs", "faults": [{ "kind": "crash_agent", "at": "10799secs" }] });
    let p = plan(&spec(
        json!([{ "name": "a", "count": 20 }]),
        json!({}),
        late,
        1,
    ));
    let m = &run_all(&p).to_json(&p)["points"][0]["metrics"];
    assert_eq!(
        m["detection_by_kind"]["crash"],
        json!({ "n": 0, "undetected": 20, "p50": null, "p95": null, "p99": null, "max": null })
    );
    assert_eq!(
        (m["undetected"].clone(), m["truly_failed"].clone()),
        (json!(20), json!(20))
    );
}

/// The messages the master sends and receives, counted from the verdict trace, match a full
/// simulation's `message` events exactly without faults, and within 0.1% with them.
#[test]
fn master_messages_match_the_full_simulation() {
    let count_full = |scenario: &Value| {
        let s = Scenario::from_json(scenario).unwrap();
        let mut sim = Simulation::with_trace(&s, TraceMode::Full).unwrap();
        sim.run_to_end();
        sim.trace()
            .iter()
            .filter(|e| matches!(e.event, Event::Message { kind, dropped, .. } if kind.from_master() || !dropped))
            .count() as u64
    };
    let agents = json!([{ "name": "a", "count": 10, "tasks": { "batch": 2, "web": 1 } }]);
    let quiet = plan(&spec(
        agents.clone(),
        json!({ "agent_ping_timeout": "10secs" }),
        json!({ "horizon": "6hrs" }),
        1,
    ));
    let o = quiet.run_trial(0, 0);
    assert_eq!(o.master_messages, count_full(&quiet.trial(0, 0).0));
    // Closed form: 10 agents × (a ping and a pong every 10 s + 2 registration messages).
    let m = &run_all(&quiet).to_json(&quiet)["points"][0]["metrics"];
    let per_second = m["master_messages_per_second"].as_f64().unwrap();
    assert!((per_second - 2.0).abs() < 0.001, "{per_second}");
    let busy = plan(&spec(
        agents,
        json!({}),
        json!({ "horizon": "6hrs", "faults": [
        { "kind": "crash_agent", "rate": "1/2days" },
        { "kind": "restart_agent", "rate": "2/1days", "recovery": { "uniform": ["10secs", "15mins"] } },
        { "kind": "partition", "rate": "1/1days", "duration": { "uniform": ["10secs", "5mins"] } },
        { "kind": "fail_over_master", "at": "3hrs", "downtime": "20secs" }
    ] }),
        4,
    ));
    for t in 0..4 {
        let real = count_full(&busy.trial(0, t).0);
        let counted = busy.run_trial(0, t).master_messages;
        assert!(
            counted.abs_diff(real) * 1000 <= real,
            "trial {t}: {counted} vs {real}"
        );
    }
}

/// Ghost tasks (docs/model.md, "Executors"): an agent restarted at t that hangs in recovery has
/// its checkpointing executors shut themselves down at exactly t + `recovery_timeout` (5 min),
/// while the master sees `exited()` one latency after the restart and marks the agent when R
/// (10 min) has passed since: its frameworks hear TASK_UNREACHABLE at t + 1 ms + R. Every task
/// is a ghost for exactly R + latency − recovery_timeout = 5 min + 1 ms, whenever t falls.
#[test]
fn ghost_tasks_of_hung_agents_last_from_recovery_timeout_to_the_mark() {
    let agents =
        json!([{ "name": "a", "count": 10, "tasks": { "web": 3 }, "recovery_timeout": "5mins" }]);
    let w = json!({ "horizon": "3hrs", "faults": [{ "kind": "restart_agent", "at": "1hrs", "jitter": "20mins", "recovery": "hang" }] });
    let p = plan(&spec(
        agents,
        json!({ "agent_reregister_timeout": "10mins" }),
        w,
        2,
    ));
    let (r, latency, recovery_timeout) = (10 * MINS, MILLIS, 5 * MINS);
    let ghost = (r + latency - recovery_timeout) as f64 / MILLIS as f64;
    let m = &run_all(&p).to_json(&p)["points"][0]["metrics"];
    assert_eq!(
        m["ghost_task_ms"],
        json!({ "n": 60, "p50": ghost, "p99": ghost, "total": 60.0 * ghost })
    );
    // With the default 15 minutes the mark comes first: no ghosts.
    let agents = json!([{ "name": "a", "count": 10, "tasks": { "web": 3 } }]);
    let w = json!({ "horizon": "3hrs", "faults": [{ "kind": "restart_agent", "at": "1hrs", "recovery": "hang" }] });
    let p = plan(&spec(
        agents,
        json!({ "agent_reregister_timeout": "10mins" }),
        w,
        1,
    ));
    let m = &run_all(&p).to_json(&p)["points"][0]["metrics"];
    assert_eq!(
        m["ghost_task_ms"],
        json!({ "n": 0, "p50": 0.0, "p99": 0.0, "total": 0.0 })
    );
}

/// Every metric in the JSON is in the catalogue (the CSV's columns, the objective's choices)
/// and the other way round; the CSV has a column per metric.
#[test]
fn the_catalogue_lists_every_metric() {
    fn leaves(v: &Value, prefix: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    leaves(x, &p, out);
                }
            }
            _ => out.push(prefix.to_string()),
        }
    }
    let p = plan(&spec(
        json!([{ "name": "a", "count": 3 }]),
        json!({}),
        json!({ "horizon": "1hrs" }),
        1,
    ));
    let r = run_all(&p);
    let mut found = Vec::new();
    leaves(&r.to_json(&p)["points"][0]["metrics"], "", &mut found);
    found.sort();
    let mut listed: Vec<String> = METRICS.iter().map(|m| m.path.to_string()).collect();
    listed.sort();
    assert_eq!(found, listed);
    let csv = r.to_csv(&p);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(header.len(), 1 + METRICS.len());
    assert_eq!(header[1], METRICS[0].path);
    assert_eq!(csv.lines().nth(1).unwrap().split(',').count(), header.len());
}

/// Values Mesos refuses warn in `liveness run`'s words, once each.
#[test]
fn mesos_refused_values_warn_as_liveness_run_does() {
    let mut v = spec(
        json!([{ "name": "a", "count": 2 }]),
        json!({}),
        json!({ "horizon": "1hrs" }),
        1,
    );
    v["vary"] = json!({ "master.agent_reregister_timeout": ["5mins", "10mins", "2mins"], "master.max_agent_ping_timeouts": [3, 5] });
    let p = plan(&v);
    let run_warning = |r: &str| {
        let mut base = v["base"].clone();
        base["duration"] = json!("1hrs");
        base["master"]["agent_reregister_timeout"] = json!(r);
        let warnings = Scenario::from_json(&base).unwrap().warnings;
        warnings.iter().map(ToString::to_string).collect::<Vec<_>>()
    };
    let mut expected = run_warning("5mins");
    expected.extend(run_warning("2mins"));
    assert_eq!(expected.len(), 2);
    assert_eq!(p.warnings, expected);
    assert_eq!(run_all(&p).to_json(&p)["warnings"], json!(expected));
    v["vary"] = json!({ "master.agent_reregister_timeout": ["10mins"] });
    assert_eq!(run_all(&plan(&v)).to_json(&plan(&v))["warnings"], json!([]));
}

/// The default objective picks the fastest crash detection among the points with at most 0.001
/// false unreachable marks per agent-day, says why with figures, and ties go to grid order.
#[test]
fn the_recommendation_meets_the_constraints_and_says_why() {
    // Restarts recover in 7 minutes; hangs and crashes are for good.
    let w = json!({ "horizon": "3hrs", "faults": [
        { "kind": "restart_agent", "at": "30mins", "jitter": "10mins", "recovery": "7mins" },
        { "kind": "crash_agent", "at": "2hrs", "jitter": "10mins" }
    ] });
    let mut v = spec(json!([{ "name": "a", "count": 10 }]), json!({}), w, 2);
    v["vary"] = json!({ "master.agent_reregister_timeout": ["5mins", "10mins", "20mins"], "master.agent_ping_timeout": ["5secs", "15secs"] });
    let p = plan(&v);
    let out = run_all(&p).to_json(&p);
    assert_eq!(
        out["objective"],
        json!({ "minimize": "detection_by_kind.crash.p99", "subject_to": [{ "metric": "false_unreachable_per_agent_day", "at_most": 0.001 }] })
    );
    // 5mins marks every 7-minute restart; 10mins and 20mins none. Crashes are found by the
    // health check (5 × the ping timeout) whatever R is, so 5secs wins, and 10mins before
    // 20mins (an exact tie: grid order).
    let rec = &out["recommendation"];
    assert_eq!(
        rec["settings"],
        json!({ "master.agent_ping_timeout": "5secs", "master.agent_reregister_timeout": "10mins" })
    );
    assert_eq!(rec["point"], json!(1));
    let p99 = out["points"][1]["metrics"]["detection_by_kind"]["crash"]["p99"]
        .as_f64()
        .unwrap();
    let shown = liveness::time::format_duration((p99 * 1000.0) as u64);
    assert_eq!(
        rec["why"],
        json!(format!("master.agent_ping_timeout=5secs, master.agent_reregister_timeout=10mins has the lowest crash detection p99 ({shown}) of the 4 of 6 points run with false unreachable / agent-day at most 0.001 (it has 0)."))
    );
    assert_eq!(out["no_recommendation"], Value::Null);
    // Nothing meets a bound of 0 restarts marked when every R marks them: no recommendation,
    // and the reason names the closest point.
    v["vary"] = json!({ "master.agent_reregister_timeout": ["2mins", "5mins"] });
    v["objective"] = json!({ "subject_to": [{ "metric": "false_unreachable", "at_most": 0 }] });
    let p = plan(&v);
    let out = run_all(&p).to_json(&p);
    assert_eq!(out["recommendation"], Value::Null);
    assert_eq!(
        out["no_recommendation"],
        json!("No point of the 2 run has false unreachable at most 0; the closest is master.agent_reregister_timeout=2mins with false unreachable 20.")
    );
}

#[test]
fn objectives_are_validated() {
    let mut v = spec(
        json!([{ "name": "a" }]),
        json!({}),
        json!({ "horizon": "1hrs" }),
        1,
    );
    v["objective"] = json!({ "minimize": "detection.p99", "subject_to": [{ "metric": "false_unreachable_per_agent_day", "at_most": -1 }, { "metric": "x", "at_most": "1" }, { "at_most": 1, "atmost": 2 }] });
    let err = SweepPlan::from_json(&v).unwrap_err().problems.join("\n");
    for want in [
        "objective.minimize: unknown metric \"detection.p99\"; expected one of detection_ms.n, detection_ms.p50,",
        "objective.subject_to[0].at_most: must be a number of at least 0, got -1",
        "objective.subject_to[1].metric: unknown metric \"x\"",
        "objective.subject_to[1].at_most: expected a number, got the string \"1\"",
        "objective.subject_to[2].metric: required",
        "objective.subject_to[2].atmost: unknown field (did you mean \"at_most\"?)",
    ] {
        assert!(err.contains(want), "missing {want:?} in\n{err}");
    }
}

/// Sharded runs merge into exactly the unsharded result, for any number of shards (more shards
/// than trials too) and any order of the parts.
#[test]
fn shards_merge_into_exactly_the_unsharded_result() {
    let w = json!({ "horizon": "6hrs", "racks": 2, "faults": [
        { "kind": "crash_agent", "rate": "1/2days" },
        { "kind": "restart_agent", "rate": "1/1days", "hang_probability": 0.1, "recovery": { "empirical": ["20secs", "3mins", "12mins"] } },
        { "kind": "partition", "scope": "rack", "rate": "1/2days", "duration": { "lognormal": { "median": "30secs", "p99": "10mins" }, "max": "6mins" } }
    ] });
    let mut v = spec(
        json!([{ "name": "a", "count": 6, "tasks": { "web": 1, "batch": 2 } }]),
        json!({}),
        w,
        5,
    );
    v["vary"] = json!({ "master.agent_reregister_timeout": ["5mins", "10mins", "15mins"] });
    let p = plan(&v);
    let whole = run_all(&p).to_json(&p);
    let text = |v: &Value| serde_json::to_string_pretty(v).unwrap();
    for n in [1, 2, 3, 7] {
        let mut parts: Vec<(String, Value)> = (1..=n)
            .map(|k| {
                let shard = Shard { index: k, count: n };
                let mut part = SweepPart::new(shard);
                // Trials in reverse: the order a part is filled in does not matter.
                for (pt, t) in p.runs(Some(shard)).into_iter().rev() {
                    part.add(pt, t, p.run_trial(pt, t));
                }
                (
                    format!("part-{k}.json"),
                    serde_json::from_str(&part.to_json(&p).to_string()).unwrap(),
                )
            })
            .collect();
        parts.reverse();
        let (merged_plan, merged) = merge(&parts).unwrap_or_else(|e| panic!("{}", e.join("\n")));
        let out = merged.to_json(&merged_plan);
        assert_eq!(text(&out["points"]), text(&whole["points"]), "{n} shards");
        assert_eq!(out, whole);
        assert_eq!(merged.to_csv(&merged_plan), run_all(&p).to_csv(&p));
    }
    assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
    for bad in ["0/4", "5/4", "1", "a/b", "1/0"] {
        assert!(Shard::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn merge_refuses_incomplete_or_mismatched_parts() {
    let v = spec(
        json!([{ "name": "a", "count": 2 }]),
        json!({}),
        slow_restarts("1mins"),
        4,
    );
    let p = plan(&v);
    let part = |k: u64, n: u64, p: &SweepPlan| {
        let shard = Shard { index: k, count: n };
        let mut part = SweepPart::new(shard);
        for (pt, t) in p.runs(Some(shard)) {
            part.add(pt, t, p.run_trial(pt, t));
        }
        part.to_json(p)
    };
    let errs = |parts: Vec<(&str, Value)>| {
        let parts: Vec<(String, Value)> =
            parts.into_iter().map(|(l, v)| (l.to_string(), v)).collect();
        merge(&parts).unwrap_err().join("\n")
    };
    assert_eq!(
        errs(vec![("a.json", part(1, 3, &p)), ("c.json", part(3, 3, &p))]),
        "missing shard 2/3"
    );
    assert_eq!(
        errs(vec![("a.json", part(1, 2, &p)), ("b.json", part(1, 2, &p))]),
        "b.json: shard 1/2 is also in a.json"
    );
    assert_eq!(
        errs(vec![("a.json", part(1, 2, &p)), ("b.json", part(2, 3, &p))]),
        "b.json: shard 2/3 is not one of 2 like a.json's (1/2)"
    );
    let mut other = v.clone();
    other["seed"] = json!(10);
    assert_eq!(
        errs(vec![
            ("a.json", part(1, 2, &p)),
            ("b.json", part(2, 2, &plan(&other)))
        ]),
        "b.json: a different sweep spec from a.json's"
    );
    let mut short = part(2, 2, &p);
    short["outcomes"].as_array_mut().unwrap().pop();
    assert_eq!(
        errs(vec![("a.json", part(1, 2, &p)), ("b.json", short)]),
        "b.json: holds 1 outcomes, not exactly the 2 runs of shard 2/2 (1 points × its trials)"
    );
    assert_eq!(
        errs(vec![("x.json", json!({ "name": "a sweep result" }))]),
        "x.json: not a sweep part (no \"sweep_part\"; write parts with --shard K/N --json)"
    );
    assert_eq!(errs(vec![]), "merge needs at least one part");
}

/// The ghost-task judging on its own: a task is a ghost from its executor's death until a status
/// other than running reaches its framework (an update that is not forwarded does not count),
/// censored at the horizon; a task its framework already knew lost is none.
#[test]
fn ghost_time_runs_from_the_executors_death_to_the_frameworks_news() {
    use liveness::mesos::event::TaskStatus;
    use liveness::mesos::types::{ExecutorEnd, TaskReason, TaskState};
    use liveness::sweep::outcome::{judge, TrialFacts};
    use liveness::time::SECS;
    use liveness::trace::Stamped;
    let status = |t: u64, task: u32, state: TaskState, forwarded: bool| Stamped {
        t: t * SECS,
        event: Event::TaskStatus(Box::new(TaskStatus {
            agent: 0,
            framework: if task == 2 { 1 } else { 0 },
            task,
            state,
            reason: Some(TaskReason::SlaveRemoved),
            unreachable_time: None,
            forwarded,
        })),
    };
    let died = |task: u32| Stamped {
        t: 10 * SECS,
        event: Event::ExecutorTerminated {
            agent: 0,
            framework: 0,
            task,
            reason: ExecutorEnd::RecoveryTimeout,
        },
    };
    let trace = vec![
        status(5, 1, TaskState::Lost, true),
        died(0),
        died(1),
        died(3),
        status(40, 0, TaskState::Unreachable, false),
        status(70, 0, TaskState::Unreachable, true),
        status(80, 2, TaskState::Lost, true),
    ];
    let facts = TrialFacts {
        agents: 1,
        horizon: 100 * SECS,
        ping_period: 15 * SECS,
    };
    let o = judge(&trace, &[], &facts);
    let mut ghosts = o.ghost.clone();
    ghosts.sort_unstable();
    // Task 0: 10 s → 70 s; task 3: 10 s → the horizon; task 1 was known lost; task 2's executor
    // never died.
    assert_eq!(ghosts, vec![60 * SECS, 90 * SECS]);
}
