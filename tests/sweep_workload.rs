//! The sweep workload language checked against closed forms: every fault kind, scope and
//! distribution, and the ground truth each one gives the judging.

use liveness::sweep::draw::{rack_of, EpisodeKind};
use liveness::sweep::{NoFiles, SweepPlan};
use liveness::time::{Time, HRS, MILLIS, MINS, SECS};
use serde_json::{json, Value};

/// A plan of 20 agents (one task each of a partition-aware framework) over 3 hours.
fn plan_with(policy: &str, master: Value, workload: Value, trials: u64) -> SweepPlan {
    let mut spec = json!({
        "base": {
            "policy": policy,
            "master": master,
            "frameworks": [{ "name": "web", "partition_aware": true, "checkpoint": true }],
            "agents": [{ "name": "a", "count": 20, "tasks": { "web": 1 } }]
        },
        "workload": { "horizon": "3hrs" },
        "trials": trials,
        "seed": 11
    });
    for (k, v) in workload.as_object().unwrap() {
        spec["workload"][k] = v.clone();
    }
    SweepPlan::from_json(&spec).unwrap_or_else(|e| panic!("{e}"))
}

/// Sums of (false unreachable by kind, transient by kind) over every trial of point 0.
fn judged(plan: &SweepPlan) -> ([u64; 4], [u64; 4]) {
    (0..plan.trials).fold(([0; 4], [0; 4]), |(mut f, mut n), t| {
        let o = plan.run_trial(0, t);
        for k in 0..4 {
            f[k] += o.false_unreachable[k];
            n[k] += o.transient[k];
        }
        (f, n)
    })
}

const R10: fn() -> Value = || json!({ "agent_reregister_timeout": "10mins" });

fn restarts(recovery: Value) -> Value {
    json!({ "faults": [{ "kind": "restart_agent", "at": "1hrs", "jitter": "20mins", "recovery": recovery }] })
}

/// Empirical recoveries all above R are all false unreachable under mesos-1.2; all below, none.
#[test]
fn empirical_recoveries_above_r_are_all_false_and_below_none() {
    let above = plan_with(
        "mesos-1.2",
        R10(),
        restarts(json!({ "empirical": ["605secs", "11mins", "40mins"] })),
        3,
    );
    assert_eq!(judged(&above), ([60, 0, 0, 0], [60, 0, 0, 0]));
    let below = plan_with(
        "mesos-1.2",
        R10(),
        restarts(json!({ "empirical": ["30secs", "5mins", "595secs"] })),
        3,
    );
    assert_eq!(judged(&below), ([0; 4], [60, 0, 0, 0]));
    // Every value is drawn (resampling with replacement), and only those.
    let (scenario, _) = above.trial(0, 0);
    let mut seen: Vec<&str> = scenario["faults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["recovery"].as_str().unwrap())
        .collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen, ["2400000000us", "605000000us", "660000000us"]);
}

/// A file of measured recoveries (one per line, bare numbers in seconds, `#` comments) comes
/// through the host's loader, named as the spec writes it; the plan then carries the values.
#[test]
fn empirical_files_come_through_the_loader() {
    let spec = json!({
        "base": { "agents": [{ "name": "a", "count": 20 }] },
        "workload": { "horizon": "3hrs", "faults": [
            { "kind": "restart_agent", "at": "1hrs", "jitter": "20mins", "recovery": { "empirical": { "file": "measured/recoveries.txt" } } }
        ] },
        "trials": 2
    });
    let text = "# recoveries measured in March\n660\n\n15mins   # a slow one\n 700.5 \n";
    let asked = std::cell::RefCell::new(Vec::new());
    let loader = |name: &str| {
        asked.borrow_mut().push(name.to_string());
        Ok(text.to_string())
    };
    let plan = SweepPlan::from_json_with_files(&spec, &loader).unwrap();
    assert_eq!(*asked.borrow(), ["measured/recoveries.txt"]);
    assert_eq!(judged(&plan), ([40, 0, 0, 0], [40, 0, 0, 0]));
    assert_eq!(
        plan.source["workload"]["faults"][0]["recovery"],
        json!({ "empirical": ["660000000us", "900000000us", "700500000us"] })
    );
    // The inlined spec stands alone: the same plan without any file.
    let again = SweepPlan::from_json(&plan.source).unwrap();
    assert_eq!(again.trial(0, 1), plan.trial(0, 1));
    // Problems with the file name the field, the file and the line.
    let problems = |text: Result<&str, &str>| {
        let loader = move |_: &str| text.map(str::to_string).map_err(str::to_string);
        SweepPlan::from_json_with_files(&spec, &loader)
            .unwrap_err()
            .problems
            .join("\n")
    };
    let field = "workload.faults[0].recovery.empirical.file";
    assert_eq!(problems(Ok("# nothing\n\n")), format!("{field}: \"measured/recoveries.txt\" has no durations: expected one per line, e.g. \"95secs\" or \"95\" (seconds)"));
    assert_eq!(problems(Ok("30secs\n-5secs\n")), format!("{field}: \"measured/recoveries.txt\" line 2: \"-5secs\" is negative; durations must be positive"));
    assert_eq!(problems(Ok("30 secs\n")), format!("{field}: \"measured/recoveries.txt\" line 1: \"30 secs\" has an unknown unit \" secs\": use one of ns, us, ms, secs, mins, hrs, days, weeks"));
    assert_eq!(problems(Err("No such file or directory (os error 2)")), format!("{field}: cannot read \"measured/recoveries.txt\": No such file or directory (os error 2)"));
    let no_files = SweepPlan::from_json(&spec).unwrap_err().problems.join("\n");
    assert!(
        no_files.starts_with(&format!(
            "{field}: cannot read \"measured/recoveries.txt\": no files are available here"
        )),
        "{no_files}"
    );
}

/// `min` / `max` clamp any distribution: a log-normal with a long tail capped below R is never
/// a false unreachable, one raised above R always is.
#[test]
fn clamps_bound_any_distribution() {
    let logn = |clamp: Value| {
        let mut d = json!({ "lognormal": { "median": "30secs", "p99": "20mins" } });
        for (k, v) in clamp.as_object().unwrap() {
            d[k] = v.clone();
        }
        d
    };
    let capped = plan_with(
        "mesos-1.2",
        R10(),
        restarts(logn(json!({ "max": "9mins" }))),
        3,
    );
    assert_eq!(judged(&capped), ([0; 4], [60, 0, 0, 0]));
    let raised = plan_with(
        "mesos-1.2",
        R10(),
        restarts(logn(json!({ "min": "11mins" }))),
        3,
    );
    assert_eq!(judged(&raised), ([60, 0, 0, 0], [60, 0, 0, 0]));
    let samples = liveness::sweep::sample_length(
        &logn(json!({ "min": "20secs", "max": "8mins" })),
        5000,
        3,
        &NoFiles,
    )
    .unwrap();
    let ms: Vec<Time> = samples.into_iter().map(Option::unwrap).collect();
    assert!(ms.iter().all(|&t| (20 * SECS..=8 * MINS).contains(&t)));
    assert!(ms.contains(&(20 * SECS)) && ms.contains(&(8 * MINS)));
    let uniform = liveness::sweep::sample_length(
        &json!({ "uniform": ["1mins", "3mins"], "max": "2mins" }),
        1000,
        3,
        &NoFiles,
    )
    .unwrap();
    let at_max = uniform.iter().filter(|s| **s == Some(2 * MINS)).count();
    assert!((400..=600).contains(&at_max), "{at_max} of 1000 clamped");
}

/// Fractional rates: `"0.5/1days"` is the same process as `"1/2days"` (the same draws), and its
/// count over many agent-days matches the rate.
#[test]
fn fractional_rates_fire_at_their_rate() {
    let partitions = |rate: &str| {
        plan_with(
            "mesos-1.2",
            json!({}),
            json!({ "horizon": "1days", "faults": [{ "kind": "partition", "rate": rate, "duration": "0secs" }] }),
            200,
        )
    };
    let half = partitions("0.5/1days");
    let same = partitions("1/2days");
    for t in [0, 7, 199] {
        assert_eq!(half.trial(0, t).1, same.trial(0, t).1);
    }
    let n: usize = (0..200).map(|t| half.trial(0, t).1.len()).sum();
    // Poisson with mean 0.5 × 20 agents × 200 trials = 2000 (σ ≈ 45).
    assert!((1820..=2180).contains(&n), "{n}");
    let tenth = partitions("0.2/2days");
    let n: usize = (0..200).map(|t| tenth.trial(0, t).1.len()).sum();
    assert!((320..=480).contains(&n), "{n}"); // mean 400, σ 20
}

/// `hang_probability: 1` makes every restart hang: each is detected at exactly R + latency
/// (the master sees the socket break 1 ms after the restart) whatever the recovery length.
#[test]
fn hang_probability_one_detects_every_restart_at_r_plus_latency() {
    let mut w = restarts(json!("30secs"));
    w["faults"][0]["hang_probability"] = json!(1);
    let plan = plan_with("mesos-1.2", R10(), w.clone(), 3);
    for t in 0..3 {
        let o = plan.run_trial(0, t);
        assert_eq!(o.hang_detections, vec![10 * MINS + MILLIS; 20]);
        assert_eq!((o.hang_undetected, o.transient_total()), (0, 0));
        assert!(plan
            .trial(0, t)
            .1
            .iter()
            .all(|e| e.kind == EpisodeKind::Hang && e.end.is_none()));
    }
    w["faults"][0]["hang_probability"] = json!(0);
    assert_eq!(
        judged(&plan_with("mesos-1.2", R10(), w.clone(), 3)),
        ([0; 4], [60, 0, 0, 0])
    );
    w["faults"][0]["hang_probability"] = json!(0.25);
    let quarter = plan_with("mesos-1.2", R10(), w, 40);
    let hangs: usize = (0..40)
        .map(|t| {
            quarter
                .trial(0, t)
                .1
                .iter()
                .filter(|e| e.kind == EpisodeKind::Hang)
                .count()
        })
        .sum();
    assert!((150..=250).contains(&hangs), "{hangs} of 800"); // binomial mean 200, σ 12
}

/// A partition with `breaks_socket` makes the master see `exited()` one latency after it starts
/// (the agents sit disconnected until marked); without it the master only misses pongs.
#[test]
fn breaks_socket_disconnects_at_once() {
    let cut = |breaks: bool| {
        plan_with(
            "mesos-1.2",
            json!({}),
            json!({ "faults": [{ "kind": "partition", "at": "1hrs", "jitter": "20mins", "duration": "5mins", "breaks_socket": breaks }] }),
            2,
        )
    };
    let (scenario, episodes) = cut(true).trial(0, 0);
    assert_eq!(scenario["faults"][0]["breaks_socket"], json!(true));
    assert!(episodes.iter().all(|e| e.kind
        == EpisodeKind::Partition {
            breaks_socket: true
        }));
    let with = cut(true).run_trial(0, 0);
    assert_eq!(with.limbo.len(), 20);
    // Disconnected 1 ms in; marked by the health check 5 × 15 s after the first ping it
    // missed, which goes out within 15 s of the cut.
    assert!(
        with.limbo
            .iter()
            .all(|&l| (75 * SECS - MILLIS..=90 * SECS).contains(&l)),
        "{:?}",
        with.limbo
    );
    let without = cut(false).run_trial(0, 0);
    assert!(without.limbo.is_empty());
    assert_eq!(without.false_unreachable, [0, 20, 0, 0]);
    assert_eq!(with.false_unreachable, [0, 20, 0, 0]);
}

/// A cluster-wide 5-minute partition marks every agent (the health check gives up after 75 s).
#[test]
fn a_cluster_wide_five_minute_partition_marks_every_agent() {
    let plan = plan_with(
        "mesos-1.2",
        json!({}),
        json!({ "faults": [{ "kind": "partition", "scope": "cluster", "at": "1hrs", "jitter": "20mins", "duration": "5mins" }] }),
        3,
    );
    assert_eq!(judged(&plan), ([0, 60, 0, 0], [0, 60, 0, 0]));
    let (scenario, episodes) = plan.trial(0, 1);
    assert_eq!(scenario["faults"].as_array().unwrap().len(), 2); // one partition, one heal
    assert_eq!(
        scenario["faults"][0]["agents"].as_array().unwrap().len(),
        20
    );
    assert!(episodes
        .iter()
        .all(|e| e.start == episodes[0].start && e.end == Some(e.start + 5 * MINS)));
}

/// Rack-scoped faults fire per rack and hit every agent of the rack at once.
#[test]
fn rack_scoped_faults_hit_whole_racks() {
    let plan = plan_with(
        "mesos-1.2",
        json!({}),
        json!({ "racks": 4, "faults": [
        { "kind": "crash_agent", "scope": "rack", "at": "1hrs", "jitter": "30mins" }
    ] }),
        3,
    );
    for t in 0..3 {
        let (scenario, episodes) = plan.trial(0, t);
        assert_eq!(episodes.len(), 20);
        assert_eq!(scenario["faults"].as_array().unwrap().len(), 4);
        for e in &episodes {
            let rack = rack_of(e.agent as usize, 20, 4);
            let mates: Vec<_> = episodes
                .iter()
                .filter(|f| rack_of(f.agent as usize, 20, 4) == rack)
                .collect();
            assert_eq!(mates.len(), 5);
            assert!(mates
                .iter()
                .all(|f| f.start == e.start && f.kind == EpisodeKind::Crash));
        }
        let o = plan.run_trial(0, t);
        assert_eq!((o.crash_detections.len(), o.crash_undetected), (20, 0));
    }
    // Racks split the agents evenly: 10 agents in 3 racks → 4, 3, 3 (contiguous).
    let racks: Vec<u64> = (0..10).map(|i| rack_of(i, 10, 3)).collect();
    assert_eq!(racks, [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    // A rack rate is per rack: "1/1days" over 8 racks × 100 trials of a day ≈ 800 firings.
    let rate = plan_with(
        "mesos-1.2",
        json!({}),
        json!({ "horizon": "1days", "racks": 8, "faults": [
        { "kind": "partition", "scope": "rack", "rate": "1/1days", "duration": "0secs" }
    ] }),
        100,
    );
    let firings: usize = (0..100)
        .map(|t| rate.trial(0, t).0["faults"].as_array().unwrap().len() / 2)
        .sum();
    assert!((690..=910).contains(&firings), "{firings}"); // Poisson 800, σ 28
}

/// A rolling restart restarts `batch` of the agents together, in agent order; each batch starts
/// `pause` after the previous one has recovered.
#[test]
fn rolling_restarts_go_batch_by_batch() {
    let rolling = |recovery: &str| {
        plan_with(
            "mesos-1.2",
            R10(),
            json!({ "faults": [
            { "kind": "rolling_restart", "at": "1hrs", "batch": "25%", "pause": "1mins", "recovery": recovery }
        ] }),
            2,
        )
    };
    let plan = rolling("2mins");
    let (scenario, episodes) = plan.trial(0, 0);
    assert_eq!(episodes.len(), 20);
    for e in &episodes {
        let batch = e.agent as Time / 5;
        assert_eq!(e.start, HRS + batch * 3 * MINS, "agent {}", e.agent);
        assert_eq!(
            (e.end, e.kind),
            (Some(e.start + 2 * MINS), EpisodeKind::RollingRestart)
        );
    }
    assert!(scenario["faults"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["kind"] == "restart_agent"));
    assert_eq!(judged(&plan), ([0; 4], [0, 0, 40, 0]));
    assert_eq!(judged(&rolling("11mins")), ([0, 0, 40, 0], [0, 0, 40, 0]));
    // 30% of 10 agents is 3 per batch: batches of 3, 3, 3 and 1.
    let ten = SweepPlan::from_json(&json!({
        "base": { "agents": [{ "name": "a", "count": 10 }] },
        "workload": { "horizon": "3hrs", "faults": [{ "kind": "rolling_restart", "at": "0secs", "batch": "30%", "recovery": "10secs", "pause": "5secs" }] },
        "trials": 1
    }))
    .unwrap();
    let starts: Vec<Time> = ten.trial(0, 0).1.iter().map(|e| e.start / SECS).collect();
    assert_eq!(starts, [0, 0, 0, 15, 15, 15, 30, 30, 30, 45]);
}

/// A master failover: every agent is healthy through it (an episode as long as the downtime),
/// re-registers with the new master and is never marked.
#[test]
fn master_failovers_are_judged_as_healthy_agents() {
    let plan = plan_with(
        "mesos-1.2",
        json!({}),
        json!({ "faults": [
        { "kind": "fail_over_master", "at": "1hrs", "jitter": "10mins", "downtime": { "uniform": ["10secs", "30secs"] } }
    ] }),
        3,
    );
    for t in 0..3 {
        let (scenario, episodes) = plan.trial(0, t);
        let faults = scenario["faults"].as_array().unwrap();
        assert_eq!(faults.len(), 1);
        assert_eq!(faults[0]["kind"], "fail_over_master");
        let downtime = faults[0]["downtime"]
            .as_str()
            .unwrap()
            .trim_end_matches("us")
            .parse::<Time>()
            .unwrap();
        assert!((10 * SECS..=30 * SECS).contains(&downtime));
        assert_eq!(episodes.len(), 20);
        assert!(episodes
            .iter()
            .all(|e| e.kind == EpisodeKind::FailOverMaster && e.end == Some(e.start + downtime)));
    }
    assert_eq!(judged(&plan), ([0; 4], [0, 0, 0, 60]));
    // Agents are inside the failover's episode until the new master is up: a fault drawn for
    // that moment finds them busy and leaves them alone.
    let cut = plan_with(
        "mesos-1.2",
        json!({}),
        json!({ "faults": [
        { "kind": "fail_over_master", "at": "1hrs", "downtime": "10secs" },
        { "kind": "partition", "scope": "cluster", "at": "1hrs", "duration": "0secs" }
    ] }),
        1,
    );
    let (_, episodes) = cut.trial(0, 0);
    assert!(
        episodes
            .iter()
            .all(|e| e.kind == EpisodeKind::FailOverMaster),
        "the partition found every agent busy"
    );
}
