//! `liveness bench`: engine speed on fixed workloads, against a bare binary heap doing the same
//! number of push/pop operations. Wall-clock timing lives here and nowhere in the engine.
#![allow(clippy::disallowed_methods)]

use std::collections::BinaryHeap;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use liveness::bench::{sweep_spec, workloads, Workload};
use liveness::sim::{Simulation, TraceMode};
use serde_json::json;

/// One measured configuration.
struct Figure {
    workload: &'static str,
    trace: bool,
    events: u64,
    sim_seconds: f64,
    wall: Vec<f64>,
    heap_wall: Vec<f64>,
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time_engine(w: &Workload, mode: TraceMode) -> (u64, f64) {
    let mut sim = Simulation::with_trace(&w.scenario, mode).expect("bench workloads are valid");
    let start = Instant::now();
    let events = sim.run_to_end();
    if mode == TraceMode::Full {
        black_box(sim.trace_hash());
    }
    (events, start.elapsed().as_secs_f64())
}

/// The floor: a "hold" loop on a bare heap of `size` entries, `ops` pops each followed by a push.
fn time_heap(ops: u64, size: usize) -> f64 {
    let mut heap: BinaryHeap<std::cmp::Reverse<(u64, u64)>> = BinaryHeap::with_capacity(size + 1);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..size as u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        heap.push(std::cmp::Reverse((x % 15_000_000, i)));
    }
    let start = Instant::now();
    for seq in size as u64..size as u64 + ops {
        let std::cmp::Reverse((t, _)) = heap.pop().unwrap_or(std::cmp::Reverse((0, 0)));
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        heap.push(std::cmp::Reverse((t + x % 15_000_000, seq)));
    }
    black_box(&heap);
    start.elapsed().as_secs_f64()
}

pub fn main(args: &[String]) -> Result<ExitCode, String> {
    let mut as_json = false;
    let mut runs = 3;
    let mut scale = false;
    let mut sweep = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => as_json = true,
            "--quick" => runs = 1,
            "--scale" => scale = true,
            "--sweep" => sweep = Some(100),
            "--agents" => {
                let n = it
                    .next()
                    .and_then(|n| n.parse::<u64>().ok())
                    .filter(|&n| n >= 1);
                sweep = Some(n.ok_or("--agents needs a whole number of at least 1")?);
            }
            other => {
                return Err(format!(
                "unknown bench option {other}; use --json, --quick, --scale, --sweep or --agents N"
            ))
            }
        }
    }
    if scale {
        return scale_run(as_json);
    }
    if let Some(agents) = sweep {
        return sweep_run(as_json, runs, agents);
    }
    let mut figures = Vec::new();
    for w in workloads() {
        for trace in [false, true] {
            let mode = if trace {
                TraceMode::Full
            } else {
                TraceMode::Off
            };
            let mut wall = Vec::new();
            let mut heap_wall = Vec::new();
            let mut events = 0;
            for _ in 0..runs {
                let (e, t) = time_engine(&w, mode);
                events = e;
                wall.push(t);
                heap_wall.push(time_heap(e, w.scenario.agents.len() * 3));
            }
            figures.push(Figure {
                workload: w.name,
                trace,
                events,
                sim_seconds: w.scenario.duration as f64 / 1e6,
                wall,
                heap_wall,
            });
        }
    }
    if as_json {
        let rows: Vec<_> = figures
            .iter()
            .map(|f| {
                let wall = median(&f.wall);
                let heap = median(&f.heap_wall);
                json!({
                    "workload": f.workload,
                    "trace": f.trace,
                    "events": f.events,
                    "runs": f.wall.len(),
                    "wall_seconds": { "median": wall, "min": f.wall.iter().cloned().fold(f64::INFINITY, f64::min), "max": f.wall.iter().cloned().fold(0.0, f64::max) },
                    "events_per_second": f.events as f64 / wall,
                    "simulated_seconds_per_wall_second": f.sim_seconds / wall,
                    "bare_heap_seconds": heap,
                    "ratio_to_bare_heap": wall / heap,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "figures": rows })).unwrap_or_default()
        );
    } else {
        println!(
            "{:<34} {:>5} {:>11} {:>12} {:>14} {:>10}",
            "workload", "trace", "events", "events/s", "sim s/wall s", "x heap"
        );
        for f in &figures {
            let wall = median(&f.wall);
            println!(
                "{:<34} {:>5} {:>11} {:>12.3e} {:>14.0} {:>10.2}",
                f.workload,
                if f.trace { "on" } else { "off" },
                f.events,
                f.events as f64 / wall,
                f.sim_seconds / wall,
                wall / median(&f.heap_wall)
            );
        }
        println!("(median of {runs} runs; \"x heap\" = engine time / bare BinaryHeap time for the same number of pops and pushes)");
    }
    Ok(ExitCode::SUCCESS)
}

/// Peak resident memory of this process in KiB (Linux `VmHWM`), if known.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 100,000 agents for one simulated hour, streaming trace (hashed, not kept): time and peak RSS.
fn scale_run(as_json: bool) -> Result<ExitCode, String> {
    let v = json!({
        "name": "100000 agents, 1 hour",
        "seed": 3,
        "duration": "1hrs",
        "frameworks": [{ "name": "web", "partition_aware": true, "checkpoint": true }],
        "agents": [{ "name": "s", "count": 100_000, "tasks": { "web": 1 } }],
        "faults": [{ "at": "30mins", "kind": "partition", "agents": ["s-7", "s-70", "s-700", "s-7000", "s-70000"] }]
    });
    let scenario = liveness::scenario::Scenario::from_json(&v).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut sim =
        Simulation::with_trace(&scenario, TraceMode::Streaming).map_err(|e| e.to_string())?;
    let mut events = 0;
    let mut sink = String::new();
    for minute in 1..=60u64 {
        events += sim.advance_to(minute * liveness::time::MINS)?;
        sink.clear();
        sim.drain_events_json(&mut sink, true);
    }
    let hash = sim.trace_hash().unwrap_or_default();
    let wall = start.elapsed().as_secs_f64();
    let rss = peak_rss_kib();
    if as_json {
        println!(
            "{}",
            json!({ "workload": "scale-100k-1h", "events": events, "wall_seconds": wall,
                    "events_per_second": events as f64 / wall, "peak_rss_kib": rss, "trace_hash": hash })
        );
    } else {
        println!(
            "100,000 agents, 1 simulated hour (streaming trace): {events} events in {wall:.1} s ({:.2e} events/s), peak RSS {}",
            events as f64 / wall,
            rss.map_or("unknown".to_string(), |k| format!("{:.0} MiB", k as f64 / 1024.0))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// CPU time (user + system) of this process so far in seconds (Linux `/proc/self/stat`), if known.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: f64 = fields.next()?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) / 100.0) // USER_HZ is 100 on every Linux target we run on.
}

/// One sweep of every trial on `threads` threads: (wall seconds, CPU seconds if known).
fn time_sweep(
    plan: &liveness::sweep::SweepPlan,
    threads: usize,
) -> Result<(f64, Option<f64>), String> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let runs: Vec<(usize, u64)> = (0..plan.points.len())
        .flat_map(|p| (0..plan.trials).map(move |t| (p, t)))
        .collect();
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let outcomes: Vec<_> = pool.install(|| {
        runs.par_iter()
            .map(|&(p, t)| plan.run_trial(p, t))
            .collect()
    });
    let wall = start.elapsed().as_secs_f64();
    black_box(outcomes);
    let cpu = cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    Ok((wall, cpu))
}

/// `bench --sweep`: the cost of jitter and random loss to a sweep (fast-forward must keep it
/// within ~2x of the same sweep on clean links), on 1 and 2 threads.
fn sweep_run(as_json: bool, runs: usize, agents: u64) -> Result<ExitCode, String> {
    let mut rows = Vec::new();
    for threads in [1, 2] {
        let mut medians = [0.0; 2];
        for (i, noisy) in [false, true].into_iter().enumerate() {
            let plan = liveness::sweep::SweepPlan::from_json(&sweep_spec(agents, noisy))
                .map_err(|e| e.to_string())?;
            let mut wall = Vec::new();
            let mut cpu = Vec::new();
            for _ in 0..runs {
                let (w, c) = time_sweep(&plan, threads)?;
                wall.push(w);
                cpu.extend(c);
            }
            medians[i] = median(&wall);
            rows.push(json!({
                "threads": threads,
                "links": if noisy { "jitter 5ms, drop_rate 0.001" } else { "clean" },
                "agents": agents,
                "trials": plan.total_runs(),
                "runs": runs,
                "wall_seconds": { "median": median(&wall), "min": wall.iter().cloned().fold(f64::INFINITY, f64::min), "max": wall.iter().cloned().fold(0.0, f64::max) },
                "cpu_seconds": (!cpu.is_empty()).then(|| median(&cpu)),
                "ratio_to_clean": (i == 1).then(|| medians[1] / medians[0]),
            }));
        }
    }
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "sweep": rows })).unwrap_or_default()
        );
    } else {
        println!(
            "sweeps/reregister-vs-ping.json, {agents} agents per trial (median of {runs} runs)"
        );
        println!(
            "{:>7} {:<28} {:>9} {:>9} {:>10}",
            "threads", "links", "wall s", "cpu s", "x clean"
        );
        for r in &rows {
            println!(
                "{:>7} {:<28} {:>9.2} {:>9} {:>10}",
                r["threads"].as_u64().unwrap_or_default(),
                r["links"].as_str().unwrap_or_default(),
                r["wall_seconds"]["median"].as_f64().unwrap_or_default(),
                r["cpu_seconds"]
                    .as_f64()
                    .map_or("-".to_string(), |c| format!("{c:.2}")),
                r["ratio_to_clean"]
                    .as_f64()
                    .map_or("-".to_string(), |x| format!("{x:.2}")),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
