//! `liveness bench`: engine speed on fixed workloads, against a bare binary heap doing the same
//! number of push/pop operations. Wall-clock timing lives here and nowhere in the engine.
#![allow(clippy::disallowed_methods)]

use std::collections::BinaryHeap;
use std::fmt::Write;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use liveness::bench::{workloads, Workload};
use liveness::sim::{Simulation, TraceMode};
use serde_json::json;

use crate::output::{self, Failure};

/// One measured configuration.
struct Figure {
    workload: &'static str,
    trace: bool,
    events: u64,
    sim_seconds: f64,
    wall: Vec<f64>,
    heap_wall: Vec<f64>,
}

pub(crate) fn median(xs: &[f64]) -> f64 {
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

/// The options of `liveness bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// Print the figures as JSON
    #[arg(long)]
    json: bool,
    /// One run per figure instead of three (a smoke test)
    #[arg(long)]
    quick: bool,
    /// Instead: 100,000 agents for one simulated hour, with peak memory
    #[arg(long)]
    scale: bool,
    /// Instead: the sweep benchmark — sweeps/reregister-vs-ping.json on clean links and with
    /// jitter and random loss, on 1 and 2 threads
    #[arg(long)]
    sweep: bool,
    /// Agents per trial in the sweep benchmark
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    agents: u64,
    /// Only this many threads in the sweep benchmark (default: 1, then 2)
    #[arg(long, value_name = "N", requires = "sweep", value_parser = clap::value_parser!(u64).range(1..=256))]
    threads: Option<u64>,
}

/// Measures every workload with the trace off and on; prints a table or JSON.
pub fn main(args: &BenchArgs) -> Result<ExitCode, Failure> {
    if args.scale {
        return scale_run(args.json);
    }
    let as_json = args.json;
    let runs = if args.quick { 1 } else { 3 };
    if args.sweep {
        let threads = args.threads.map_or(vec![1, 2], |t| vec![t as usize]);
        return crate::bench_sweep::main(as_json, runs, args.agents, &threads);
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
    let mut out;
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
        out = format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({ "figures": rows })).unwrap_or_default()
        );
    } else {
        out = format!(
            "{:<34} {:>5} {:>11} {:>12} {:>14} {:>10}",
            "workload", "trace", "events", "events/s", "sim s/wall s", "x heap"
        );
        out.push('\n');
        for f in &figures {
            let wall = median(&f.wall);
            let _ = writeln!(
                out,
                "{:<34} {:>5} {:>11} {:>12.3e} {:>14.0} {:>10.2}",
                f.workload,
                if f.trace { "on" } else { "off" },
                f.events,
                f.events as f64 / wall,
                f.sim_seconds / wall,
                wall / median(&f.heap_wall)
            );
        }
        let _ = writeln!(out, "(median of {runs} runs; \"x heap\" = engine time / bare BinaryHeap time for the same number of pops and pushes)");
    }
    output::stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Peak resident memory of this process in KiB (Linux `VmHWM`), if known.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 100,000 agents for one simulated hour, streaming trace (hashed, not kept): time and peak RSS.
fn scale_run(as_json: bool) -> Result<ExitCode, Failure> {
    let v = json!({
        "name": "100000 agents, 1 hour",
        "seed": 3,
        "duration": "1hrs",
        "frameworks": [{ "name": "web", "partition_aware": true, "checkpoint": true }],
        "agents": [{ "name": "s", "count": 100_000, "tasks": { "web": 1 } }],
        "faults": [{ "at": "30mins", "kind": "partition", "agents": ["s-7", "s-70", "s-700", "s-7000", "s-70000"] }]
    });
    let scenario = liveness::scenario::Scenario::from_json(&v).map_err(|e| Failure(e.problems))?;
    let start = Instant::now();
    let mut sim =
        Simulation::with_trace(&scenario, TraceMode::Streaming).map_err(|e| Failure(e.problems))?;
    let mut events = 0;
    let mut sink = String::new();
    for minute in 1..=60u64 {
        events += sim
            .advance_to(minute * liveness::time::MINS)
            .map_err(Failure::new)?;
        sink.clear();
        sim.drain_events_json(&mut sink, true);
    }
    let hash = sim.trace_hash().unwrap_or_default();
    let wall = start.elapsed().as_secs_f64();
    let rss = peak_rss_kib();
    let text = if as_json {
        format!(
            "{}\n",
            json!({ "workload": "scale-100k-1h", "events": events, "wall_seconds": wall,
                    "events_per_second": events as f64 / wall, "peak_rss_kib": rss, "trace_hash": hash })
        )
    } else {
        format!(
            "100,000 agents, 1 simulated hour (streaming trace): {events} events in {wall:.1} s ({:.2e} events/s), peak RSS {}\n",
            events as f64 / wall,
            rss.map_or("unknown".to_string(), |k| format!("{:.0} MiB", k as f64 / 1024.0))
        )
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
