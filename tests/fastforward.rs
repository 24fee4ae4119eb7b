//! Fast-forward (skipping steady ping cycles) gives exactly the same verdicts, times and metrics
//! as the full simulation: on random scenarios, on clean links and on links with jitter and random
//! loss, every non-message trace event matches. And the link's skippable randomness (geometric
//! gaps between losses, counter-based jitter) is the process it replaces: Bernoulli(p) loss per
//! message, uniform independent jitter.

use liveness::mesos::types::MessageKind;
use liveness::rng::Rng;
use liveness::scenario::{NetworkConfig, Scenario};
use liveness::sim::network::Link;
use liveness::sim::{SimOptions, Simulation, TraceMode};
use serde_json::{json, Value};

fn pick<'a, T>(rng: &mut Rng, xs: &'a [T]) -> &'a T {
    &xs[rng.uniform(xs.len() as u64 - 1) as usize]
}

/// Which links a random scenario gets.
#[derive(Clone, Copy)]
enum Links {
    /// Latency only.
    Clean,
    /// Jitter and random loss, some near or past the bounds where agents park.
    Noisy,
}

/// A random network for ping period `p_us`: jitter and loss, sometimes with the round trip just
/// under P (agents park on a tight margin) or at or past it (they must never park).
fn random_network(rng: &mut Rng, p_us: u64) -> Value {
    let drop_rate = *pick(rng, &[0.0, 0.0005, 0.001, 0.01, 0.05, 0.25]);
    let (latency, jitter) = match rng.uniform(4) {
        0 | 1 => (rng.uniform(5_000), rng.uniform(5_000)),
        2 => {
            // 2 (latency + jitter) = P − 1..3 µs: the tightest margin that still parks.
            let latency = rng.uniform(p_us / 4);
            (latency, (p_us - 1 - rng.uniform(2)) / 2 - latency)
        }
        3 => {
            // 2 (latency + jitter) = P or a little more: never parks.
            let latency = rng.uniform(p_us / 4);
            (latency, p_us / 2 - latency + rng.uniform(1))
        }
        _ => (rng.uniform(100_000), rng.uniform(p_us / 4)),
    };
    json!({ "latency": format!("{latency}us"), "jitter": format!("{jitter}us"), "drop_rate": drop_rate })
}

/// A random scenario with every fault kind.
fn random_scenario(seed: u64, links: Links) -> Value {
    let mut rng = Rng::new(seed, 99);
    let agents = 2 + rng.uniform(11);
    let duration_us = (20 + rng.uniform(100)) * 60_000_000;
    let names: Vec<String> = (0..agents).map(|i| format!("n-{i}")).collect();
    let mut faults = Vec::new();
    for _ in 0..rng.uniform(10) {
        let at = format!("{}us", rng.uniform(duration_us));
        let who = json!([pick(&mut rng, &names)]);
        let f = match rng.uniform(11) {
            0 => json!({ "at": at, "kind": "restart_agent", "agents": who, "recovery": "hang" }),
            1 => {
                json!({ "at": at, "kind": "restart_agent", "agents": who, "recovery": format!("{}ms", rng.uniform(900_000)) })
            }
            2 => json!({ "at": at, "kind": "restart_agent", "agents": who }),
            3 => json!({ "at": at, "kind": "crash_agent", "agents": who }),
            4 => json!({ "at": at, "kind": "start_agent", "agents": who }),
            5 => json!({ "at": at, "kind": "finish_recovery", "agents": who }),
            6 => json!({ "at": at, "kind": "partition", "agents": who,
                         "direction": pick(&mut rng, &["both", "master_to_agent", "agent_to_master"]) }),
            7 => json!({ "at": at, "kind": "heal", "agents": who }),
            8 => json!({ "at": at, "kind": "break_socket", "agents": who }),
            9 => json!({ "at": at, "kind": "drop_messages", "agents": who,
                         "messages": [pick(&mut rng, &["PongSlaveMessage", "PingSlaveMessage", "ReregisterSlaveMessage"])],
                         "until": format!("{}us", duration_us) }),
            _ => {
                json!({ "at": at, "kind": "fail_over_master", "downtime": format!("{}ms", rng.uniform(60_000)) })
            }
        };
        faults.push(f);
    }
    let p_us = (1_000 + rng.uniform(29_000)) * 1_000;
    let mut master = json!({
        "agent_ping_timeout": format!("{p_us}us"),
        "max_agent_ping_timeouts": 1 + rng.uniform(6),
        "agent_reregister_timeout": format!("{}secs", 60 + rng.uniform(900)),
    });
    if rng.uniform(2) == 0 {
        master["agent_removal_rate_limit"] = json!(format!("1/{}secs", 1 + rng.uniform(300)));
    }
    if rng.uniform(3) == 0 {
        master["registry_write_latency"] = json!(format!("{}ms", rng.uniform(20_000)));
    }
    let network = match links {
        Links::Clean => json!({ "latency": format!("{}us", rng.uniform(5_000)) }),
        Links::Noisy => random_network(&mut rng, p_us),
    };
    json!({
        "seed": seed,
        "duration": format!("{duration_us}us"),
        "policy": pick(&mut rng, &["mesos-1.1", "mesos-1.2", "mesos-1.5", "running-only-pongs"]),
        "master": master,
        "network": network,
        "frameworks": [
            { "name": "pa", "partition_aware": true, "checkpoint": true },
            { "name": "plain", "partition_aware": false, "checkpoint": rng.uniform(1) == 1 }
        ],
        "agents": [{ "name": "n", "count": agents, "tasks": { "pa": 1 + rng.uniform(2), "plain": rng.uniform(2) },
                     "registration_backoff_factor": format!("{}ms", 1 + rng.uniform(3_000)) }],
        "faults": faults
    })
}

/// What a run produced: non-message trace lines, metrics, final (view, state) per agent, events.
type Outcome = (Vec<String>, Vec<(&'static str, f64)>, Vec<String>, u64);

fn run(v: &Value, fast_forward: bool) -> Outcome {
    let scenario = Scenario::from_json(v).unwrap();
    let options = SimOptions {
        trace: TraceMode::Verdicts,
        fast_forward,
    };
    let mut sim = Simulation::with_options(&scenario, options).unwrap();
    let events = sim.run_to_end();
    let trace = sim.trace().iter().map(|e| sim.event_json(e)).collect();
    let finals = (0..scenario.agents.len() as u32)
        .map(|a| format!("{} {}", sim.master_view(a), sim.agent_state(a)))
        .collect();
    (trace, sim.metrics(), finals, events)
}

/// Panics with the first line where two traces differ.
fn assert_same_trace(full: &[String], fast: &[String], what: &str) {
    if full != fast {
        let i = full
            .iter()
            .zip(fast)
            .position(|(a, b)| a != b)
            .unwrap_or(full.len().min(fast.len()));
        let around = |t: &[String]| t[i.saturating_sub(3)..(i + 2).min(t.len())].join("\n   ");
        panic!(
            "{what}: traces differ at event {i}\n full:\n   {}\n fast:\n   {}",
            around(full),
            around(fast)
        );
    }
}

/// Whether LIVENESS_FF_CASES asks for another number of random cases than the default.
fn custom_case_count() -> bool {
    std::env::var_os("LIVENESS_FF_CASES").is_some()
}

/// Runs `cases` random scenarios (override with `LIVENESS_FF_CASES`) in full and fast-forwarded,
/// panics at the first difference, and returns each scenario with the events each mode processed.
fn compare_on_random_scenarios(links: Links, first_seed: u64) -> Vec<(Value, u64, u64)> {
    let cases: u64 = std::env::var("LIVENESS_FF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let mut counts = Vec::new();
    for seed in first_seed..first_seed + cases {
        let v = random_scenario(seed, links);
        let (full, full_metrics, full_final, e1) = run(&v, false);
        let (fast, fast_metrics, fast_final, e2) = run(&v, true);
        if full != fast {
            let i = full
                .iter()
                .zip(&fast)
                .position(|(a, b)| a != b)
                .unwrap_or(full.len().min(fast.len()));
            panic!(
                "seed {seed}: traces differ at event {i}\n full: {:?}\n fast: {:?}\nscenario:\n{}",
                full.get(i),
                fast.get(i),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }
        assert_eq!(full_metrics, fast_metrics, "seed {seed}");
        assert_eq!(full_final, fast_final, "seed {seed}");
        counts.push((v, e1, e2));
    }
    counts
}

#[test]
fn fast_forward_matches_the_full_simulation_on_random_scenarios() {
    let counts = compare_on_random_scenarios(Links::Clean, 0);
    let full_events: u64 = counts.iter().map(|c| c.1).sum();
    let fast_events: u64 = counts.iter().map(|c| c.2).sum();
    // It must actually skip work, or the comparison proves nothing (these scenarios are
    // fault-heavy; a quiet cluster skips almost everything, see below). The share is that of
    // the default cases: more cases (LIVENESS_FF_CASES) check only that the runs agree.
    assert!(
        custom_case_count() || fast_events * 3 < full_events,
        "fast {fast_events} vs full {full_events}"
    );
}

/// A duration field of a generated scenario, in microseconds.
fn micros(v: &Value) -> u64 {
    v.as_str()
        .and_then(|s| s.strip_suffix("us"))
        .and_then(|s| s.parse().ok())
        .expect("generated durations are in us")
}

#[test]
fn fast_forward_matches_the_full_simulation_with_jitter_and_random_loss() {
    let counts = compare_on_random_scenarios(Links::Noisy, 1_000_000);
    let (mut full_events, mut fast_events) = (0, 0);
    for (v, full, fast) in &counts {
        let net = &v["network"];
        let p = micros(&v["master"]["agent_ping_timeout"]);
        let parks = 2 * (micros(&net["latency"]) + micros(&net["jitter"])) < p
            && v["master"]["max_agent_ping_timeouts"].as_u64() >= Some(2);
        if !parks {
            // A round trip that may reach P, or N = 1: nothing may park.
            assert_eq!(fast, full, "{v}");
        } else if net["drop_rate"].as_f64() <= Some(0.01) {
            full_events += full;
            fast_events += fast;
        }
    }
    // Where agents can park and losses are rare, most of the work is skipped (default cases).
    assert!(
        custom_case_count() || fast_events * 5 < full_events,
        "fast {fast_events} vs full {full_events}"
    );
}

/// Runs a cluster with N = 2 under 1% loss with the given jitter, checks that full and
/// fast-forwarded runs agree, and returns their event counts (full, fast).
fn near_the_period(jitter_us: u64) -> (u64, u64) {
    // P = 1 s, latency 200 ms: 2 (latency + jitter) < P iff jitter < 300 ms.
    let v = json!({
        "seed": 11, "duration": "2hrs",
        "master": { "agent_ping_timeout": "1secs", "max_agent_ping_timeouts": 2 },
        "network": { "latency": "200ms", "jitter": format!("{jitter_us}us"), "drop_rate": 0.01 },
        "frameworks": [{ "name": "pa", "partition_aware": true, "checkpoint": true }],
        "agents": [{ "name": "n", "count": 20, "tasks": { "pa": 1 } }],
        "faults": [
            { "at": "30mins", "kind": "partition", "agents": ["n-2"], "direction": "master_to_agent" },
            { "at": "1801500ms", "kind": "heal", "agents": ["n-2"] },
            { "at": "1hrs", "kind": "restart_agent", "agents": ["n-5"], "recovery": "10secs" }
        ]
    });
    let (full, fm, ff, full_events) = run(&v, false);
    let (fast, sm, sf, fast_events) = run(&v, true);
    assert_same_trace(&full, &fast, &format!("jitter {jitter_us}us"));
    assert_eq!((fm, ff), (sm, sf), "jitter {jitter_us}us");
    // Losses with N = 2 do disturb agents: misses, agent-side timeouts, re-registrations.
    assert!(full.iter().any(|l| l.contains("ping_timeout")), "{full:?}");
    (full_events, fast_events)
}

#[test]
fn round_trips_just_under_the_period_park_and_at_the_period_do_not() {
    let (full, fast) = near_the_period(299_999);
    assert!(fast * 3 < full, "fast {fast} vs full {full}");
    // At 2 (latency + jitter) = P a pong can meet the next tick: nothing parks, nothing changes.
    let (full, fast) = near_the_period(300_000);
    assert_eq!(fast, full);
}

/// A link's fate for `n` messages sent 20 ms apart (FIFO never holds one back): lost or not, and
/// the delays of those not lost.
fn send_many(net: &NetworkConfig, seed: u64, n: u64) -> (Vec<bool>, Vec<u64>) {
    let mut link = Link::new(Rng::new(seed, 1));
    let mut lost = Vec::with_capacity(n as usize);
    let mut delays = Vec::new();
    for i in 0..n {
        let now = i * 20_000;
        let fate = link.send(now, MessageKind::Ping, i % 2 == 0, true, net);
        lost.push(fate.is_none());
        if let Some(at) = fate {
            delays.push(at - now);
        }
    }
    (lost, delays)
}

/// Pearson's chi-square statistic of observed counts against expected probabilities.
fn chi_square(observed: &[u64], expected_p: &[f64]) -> f64 {
    let n: u64 = observed.iter().sum();
    observed
        .iter()
        .zip(expected_p)
        .map(|(&o, &p)| {
            let e = p * n as f64;
            (o as f64 - e).powi(2) / e
        })
        .sum()
}

/// The chi-square critical value at the 0.1% level for `df` degrees of freedom
/// (Wilson–Hilferty; within 1% of the tables for df ≥ 3).
fn chi_square_limit(df: usize) -> f64 {
    let k = df as f64;
    let z = 3.090; // Upper 0.1% point of the standard normal.
    k * (1.0 - 2.0 / (9.0 * k) + z * (2.0 / (9.0 * k)).sqrt()).powi(3)
}

/// Counts `xs` into bins given by their upper bounds (the last bin takes the rest).
fn histogram(xs: impl Iterator<Item = u64>, upper: &[u64]) -> Vec<u64> {
    let mut counts = vec![0; upper.len() + 1];
    for x in xs {
        counts[upper.iter().position(|&u| x < u).unwrap_or(upper.len())] += 1;
    }
    counts
}

#[test]
fn losses_drawn_as_geometric_gaps_are_bernoulli_per_message() {
    for (i, p) in [0.001, 0.01, 0.25].into_iter().enumerate() {
        let net = NetworkConfig {
            latency: 1_000,
            jitter: 0,
            drop_rate: p,
        };
        let n = 2_000_000;
        let (lost, _) = send_many(&net, 40 + i as u64, n);
        // The number of losses is Binomial(n, p).
        let losses = lost.iter().filter(|&&l| l).count() as f64;
        let z = (losses - n as f64 * p) / (n as f64 * p * (1.0 - p)).sqrt();
        assert!(z.abs() < 4.0, "p {p}: {losses} losses, z = {z:.2}");
        // Messages between two losses are Geometric(p): P(gap >= g) = (1 - p)^g. Twenty bins of
        // about equal probability, plus the tail.
        let gaps: Vec<u64> = lost
            .split(|&l| l)
            .skip(1)
            .map(|run| run.len() as u64)
            .collect::<Vec<_>>();
        let gaps = &gaps[..gaps.len() - 1]; // The last run is cut off by the end of the test.
        let q = 1.0 - p;
        let mut upper: Vec<u64> = (1..20)
            .map(|b| (libm::log(1.0 - b as f64 / 20.0) / libm::log(q)).ceil() as u64)
            .collect();
        upper.dedup();
        let mut probs = Vec::new();
        let mut below = 0.0;
        for &u in &upper {
            let cdf = 1.0 - q.powi(u as i32);
            probs.push(cdf - below);
            below = cdf;
        }
        probs.push(1.0 - below);
        let observed = histogram(gaps.iter().copied(), &upper);
        let x2 = chi_square(&observed, &probs);
        let limit = chi_square_limit(probs.len() - 1);
        assert!(x2 < limit, "p {p}: gap chi-square {x2:.1} >= {limit:.1}");
        // Losses in windows of 1/p messages are Binomial(1/p, p), which also catches clustering
        // (dependence between neighbouring messages).
        let w = (1.0 / p) as usize;
        let counts = lost
            .chunks_exact(w)
            .map(|c| c.iter().filter(|&&l| l).count() as u64);
        let binomial = |k: u64| {
            let mut c = 1.0;
            for j in 0..k {
                c *= (w as u64 - j) as f64 / (j + 1) as f64;
            }
            c * p.powi(k as i32) * q.powi((w as u64 - k) as i32)
        };
        let upper = [1, 2, 3, 4];
        let mut probs: Vec<f64> = (0..4).map(binomial).collect();
        probs.push(1.0 - probs.iter().sum::<f64>());
        let x2 = chi_square(&histogram(counts, &upper), &probs);
        let limit = chi_square_limit(probs.len() - 1);
        assert!(x2 < limit, "p {p}: window chi-square {x2:.1} >= {limit:.1}");
    }
}

#[test]
fn counter_based_jitter_is_uniform_and_independent() {
    let net = NetworkConfig {
        latency: 2_000,
        jitter: 9_999,
        drop_rate: 0.0,
    };
    let (_, delays) = send_many(&net, 7, 500_000);
    assert!(delays.iter().all(|&d| (2_000..=11_999).contains(&d)));
    // Ten equal bins of the 10,000 possible jitters.
    let bin = |d: u64| (d - 2_000) / 1_000;
    let upper: Vec<u64> = (1..10).collect();
    let x2 = chi_square(
        &histogram(delays.iter().map(|&d| bin(d)), &upper),
        &[0.1; 10],
    );
    assert!(x2 < chi_square_limit(9), "uniformity chi-square {x2:.1}");
    // Consecutive pairs fall in the 100 cells of bin × bin equally often.
    let cells = delays.windows(2).map(|w| bin(w[0]) * 10 + bin(w[1]));
    let upper: Vec<u64> = (1..100).collect();
    let x2 = chi_square(&histogram(cells, &upper), &[0.01; 100]);
    assert!(x2 < chi_square_limit(99), "pair chi-square {x2:.1}");
}

/// A healthy day of 100 agents (one restart) on `network`: checks full and fast-forwarded runs
/// agree and returns their event counts (full, fast).
fn healthy_day(network: Value) -> (u64, u64) {
    let v = json!({
        "seed": 1, "duration": "1days", "network": network,
        "frameworks": [{ "name": "pa", "partition_aware": true, "checkpoint": true }],
        "agents": [{ "name": "n", "count": 100, "tasks": { "pa": 1 } }],
        "faults": [{ "at": "12hrs", "kind": "restart_agent", "agents": ["n-3"], "recovery": "3mins" }]
    });
    let (full, fm, ff, full_events) = run(&v, false);
    let (fast, sm, sf, fast_events) = run(&v, true);
    assert_same_trace(&full, &fast, "a healthy day");
    assert_eq!((fm, ff), (sm, sf));
    assert!(full_events > 1_000_000, "{full_events}");
    (full_events, fast_events)
}

/// A healthy cluster costs almost nothing once every agent is parked.
#[test]
fn a_healthy_day_is_nearly_free() {
    let (_, fast) = healthy_day(json!({}));
    assert!(fast < 2_000, "{fast}");
}

/// With 5 ms of jitter and 0.1% loss each loss costs a few events; the rest is still skipped.
#[test]
fn a_healthy_day_with_jitter_and_loss_stays_cheap() {
    let (full, fast) = healthy_day(json!({ "jitter": "5ms", "drop_rate": 0.001 }));
    assert!(fast * 50 < full, "fast {fast} vs full {full}");
}

/// An isolated loss is crossed in closed form: only the tick that counts the miss runs (one
/// event), not the lossy cycle and the next in full (about 7.6 events a loss before). 100 agents
/// send 100 × 5,760 cycles × 2 = 1,152,000 cycle messages a day: about 1,152 losses at 0.1%.
#[test]
fn an_isolated_loss_costs_about_one_event() {
    let (_, clean) = healthy_day(json!({ "jitter": "5ms" }));
    let (_, lossy) = healthy_day(json!({ "jitter": "5ms", "drop_rate": 0.001 }));
    let losses = 1_152;
    assert!(
        lossy - clean < 2 * losses,
        "clean {clean} events, lossy {lossy}, for about {losses} losses"
    );
}

#[test]
fn fast_forward_is_refused_with_the_full_trace() {
    let scenario = Scenario::from_json(&random_scenario(1, Links::Clean)).unwrap();
    let options = SimOptions {
        trace: TraceMode::Full,
        fast_forward: true,
    };
    assert!(Simulation::with_options(&scenario, options).is_err());
}

/// The case fast-forward is for: trials of the shipped sweep (100 agents, a day, crashes,
/// restarts, hangs and partitions) on links with 5 ms of jitter and 0.1% loss.
#[test]
fn sweep_trials_with_jitter_and_loss_match_the_full_simulation() {
    let plan = liveness::sweep::SweepPlan::from_json(&liveness::bench::sweep_spec(100, true))
        .expect("the benchmark sweep is valid");
    let (mut full_events, mut fast_events) = (0, 0);
    for point in [0, plan.points.len() / 2, plan.points.len() - 1] {
        for trial in 0..3 {
            let (v, _) = plan.trial(point, trial);
            let (full, fm, ff, e1) = run(&v, false);
            let (fast, sm, sf, e2) = run(&v, true);
            assert_same_trace(&full, &fast, &format!("point {point} trial {trial}"));
            assert_eq!((fm, ff), (sm, sf), "point {point} trial {trial}");
            full_events += e1;
            fast_events += e2;
        }
    }
    assert!(
        fast_events * 5 < full_events,
        "fast {fast_events} vs full {full_events}"
    );
}

/// What a run shows at its current time: each agent's views and observer, what is on the wire
/// (sorted), and the metrics.
fn snapshot(sim: &Simulation, agents: u32) -> (Vec<String>, Vec<String>, Vec<(&'static str, f64)>) {
    let views = (0..agents)
        .map(|a| {
            let observer = sim.observer(a);
            format!("{} {} {observer:?}", sim.master_view(a), sim.agent_state(a))
        })
        .collect();
    let mut wire: Vec<String> = sim
        .in_flight()
        .map(|m| {
            format!(
                "{} {:?} {} {} {} {}",
                m.agent, m.kind, m.from_master, m.connected, m.sent, m.arrives
            )
        })
        .collect();
    wire.sort();
    (views, wire, sim.metrics())
}

/// Ending fast-forward part-way (the lab's catch-up after an edit) leaves the run where the full
/// simulation is at that instant — the same views, observers, messages on the wire and metrics —
/// and the rest of the run is the full run's (compared every few simulated seconds, messages on
/// the wire included).
#[test]
fn ending_fast_forward_part_way_gives_the_full_simulation_from_there() {
    let cases: u64 = std::env::var("LIVENESS_FF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let mut skipped = 0;
    for seed in 0..cases {
        let links = if seed % 2 == 0 {
            Links::Clean
        } else {
            Links::Noisy
        };
        let v = random_scenario(10_000 + seed, links);
        let scenario = Scenario::from_json(&v).unwrap();
        let agents = scenario.agents.len() as u32;
        let mut rng = Rng::new(seed, 7);
        let cut = 1 + rng.uniform(scenario.duration - 1);
        let options = |fast_forward| SimOptions {
            trace: TraceMode::Verdicts,
            fast_forward,
        };
        let mut full = Simulation::with_options(&scenario, options(false)).unwrap();
        let mut fast = Simulation::with_options(&scenario, options(true)).unwrap();
        let full_events = full.advance_to(cut).unwrap();
        let fast_events = fast.advance_to(cut).unwrap();
        skipped += full_events.saturating_sub(fast_events);
        assert_eq!(fast.end_fast_forward(TraceMode::Verdicts), Ok(true));
        assert_eq!(full.end_fast_forward(TraceMode::Verdicts), Ok(false));
        assert_eq!(
            snapshot(&full, agents),
            snapshot(&fast, agents),
            "seed {seed}: at {cut} µs\nscenario:\n{}",
            serde_json::to_string_pretty(&v).unwrap()
        );
        // From here on both simulate every message: compare what is on the wire as they go.
        let mut t = cut;
        while t < scenario.duration {
            t = (t + 1 + rng.uniform(20_000_000)).min(scenario.duration);
            full.advance_to(t).unwrap();
            fast.advance_to(t).unwrap();
            assert_eq!(
                snapshot(&full, agents),
                snapshot(&fast, agents),
                "seed {seed}: at {t} µs"
            );
        }
        let lines = |sim: &Simulation| -> Vec<String> {
            sim.trace().iter().map(|e| sim.event_json(e)).collect()
        };
        assert_same_trace(&lines(&full), &lines(&fast), &format!("seed {seed}"));
        assert_eq!(
            snapshot(&full, agents),
            snapshot(&fast, agents),
            "seed {seed}: at the end"
        );
    }
    // The catch-ups did skip work, or this proves nothing.
    assert!(
        custom_case_count() || skipped > 0,
        "nothing was fast-forwarded"
    );
}
